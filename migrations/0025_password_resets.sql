-- Password reset by email. A request is throttled per account (by a hash of
-- the email typed, known or not) and per client address, counted in
-- reset_requests. A request for an account writes a reset, whose token is
-- kept only as its SHA-256 hash, and the email with the link, in one
-- transaction (the email goes through the outbox, 0023). A reset is used
-- once, within its 30 minutes; using it ends every session of the account.
-- Both tables are a person's, not a couple's.

-- +goose Up
CREATE TABLE password_resets (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash bytea       NOT NULL UNIQUE,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX password_resets_user_idx ON password_resets (user_id);
CREATE INDEX password_resets_expires_at_idx ON password_resets (expires_at);

CREATE TABLE reset_requests (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_key  bytea       NOT NULL,
    client_key   text        NOT NULL,
    requested_at timestamptz NOT NULL
);
CREATE INDEX reset_requests_account_idx ON reset_requests (account_key, requested_at);
CREATE INDEX reset_requests_client_idx ON reset_requests (client_key, requested_at);
CREATE INDEX reset_requests_requested_at_idx ON reset_requests (requested_at);

-- +goose Down
DROP TABLE reset_requests;
DROP TABLE password_resets;
