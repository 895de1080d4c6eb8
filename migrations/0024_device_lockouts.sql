-- Log-in from a trusted device (OWASP's device cookies): a browser where
-- someone logged in before carries a signed cookie with a random nonce, and
-- its failed attempts are counted on their own, keyed by a SHA-256 of that
-- nonce, instead of against the account's allowance for untrusted clients.
-- A device that fails too often is locked for the window; the account is
-- not. device_key is NULL for attempts without a valid device cookie.
--
-- Sign-ups are counted per client address, one row each, kept for an hour.

-- +goose Up
ALTER TABLE login_failures ADD COLUMN device_key bytea;

CREATE TABLE signup_attempts (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    client_key   text        NOT NULL,
    attempted_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX signup_attempts_client_idx ON signup_attempts (client_key, attempted_at);
CREATE INDEX signup_attempts_attempted_at_idx ON signup_attempts (attempted_at);

-- +goose Down
DROP TABLE signup_attempts;
ALTER TABLE login_failures DROP COLUMN device_key;
