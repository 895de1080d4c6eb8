-- Accounts, sessions and the log-in throttle.

-- +goose Up
CREATE TABLE users (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- email as typed, for display; email_key is its lower-case form and is
    -- what makes addresses unique regardless of case.
    email                text        NOT NULL,
    email_key            text        NOT NULL UNIQUE,
    name                 text        NOT NULL,
    password_hash        text        NOT NULL,
    time_zone            text        NOT NULL,
    -- Sessions that began before this instant are no longer valid (set when
    -- the password changes, so other devices are signed out).
    sessions_valid_after timestamptz NOT NULL DEFAULT now(),
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now()
);

-- The schema github.com/alexedwards/scs/pgxstore expects.
CREATE TABLE sessions (
    token  text        PRIMARY KEY,
    data   bytea       NOT NULL,
    expiry timestamptz NOT NULL
);
CREATE INDEX sessions_expiry_idx ON sessions (expiry);

-- One row per failed log-in, kept for the throttle window only. The account
-- is identified by a SHA-256 of the normalised email (so unknown emails are
-- throttled exactly like known ones), the client by its address (IPv6 /64).
CREATE TABLE login_failures (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_key bytea       NOT NULL,
    client_key  text        NOT NULL,
    failed_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_account_idx ON login_failures (account_key, failed_at);
CREATE INDEX login_failures_client_idx ON login_failures (client_key, failed_at);
CREATE INDEX login_failures_failed_at_idx ON login_failures (failed_at);

-- +goose Down
DROP TABLE login_failures;
DROP TABLE sessions;
DROP TABLE users;
