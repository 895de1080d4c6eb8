-- Idempotency keys of create forms: each create form carries a random key;
-- a second submission of the same form (a double tap, a retry on a slow
-- phone) finds its key here and gets the first submission's result instead
-- of a second record or a confusing error.

-- +goose Up
CREATE TABLE form_submissions (
    key_hash   bytea       PRIMARY KEY,  -- SHA-256 of the form's key
    user_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX form_submissions_user_idx ON form_submissions (user_id);
CREATE INDEX form_submissions_created_idx ON form_submissions (created_at);

-- +goose Down
DROP TABLE form_submissions;
