-- Sign-up confirms the email before the account is used. A new account is
-- made unconfirmed (email_confirmed_at NULL) with a confirmation link,
-- whose token is kept only as its SHA-256 hash, and the email with the link
-- is written in the same transaction (the outbox, 0023). Confirming logs
-- the person in; a password reset confirms too (it proves the mailbox).
-- Accounts made before this migration, and any made another way (the seed),
-- are confirmed: the column's default is the time of the insert.
--
-- A sign-up for an email that has an account sends that account a notice
-- instead, at most one an hour: signup_notice_at is when the last went.
-- Unconfirmed accounts are deleted after a week. signup_confirmations is a
-- person's, not a couple's.

-- +goose Up
ALTER TABLE users ADD COLUMN email_confirmed_at timestamptz;
UPDATE users SET email_confirmed_at = created_at;
ALTER TABLE users ALTER COLUMN email_confirmed_at SET DEFAULT now();
ALTER TABLE users ADD COLUMN signup_notice_at timestamptz;
-- The sweep of unconfirmed accounts.
CREATE INDEX users_unconfirmed_idx ON users (created_at) WHERE email_confirmed_at IS NULL;

CREATE TABLE signup_confirmations (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash bytea       NOT NULL UNIQUE,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX signup_confirmations_user_idx ON signup_confirmations (user_id, created_at);
CREATE INDEX signup_confirmations_expires_at_idx ON signup_confirmations (expires_at);

-- +goose Down
DROP TABLE signup_confirmations;
DROP INDEX users_unconfirmed_idx;
ALTER TABLE users DROP COLUMN signup_notice_at;
ALTER TABLE users DROP COLUMN email_confirmed_at;
