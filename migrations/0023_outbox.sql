-- The outbox: account emails (a password reset link, say) waiting to be
-- delivered. A row is written in the same transaction as the action that
-- causes it, so an email exists exactly when its action committed. The
-- sender in the Mend process claims due rows (FOR UPDATE SKIP LOCKED) by
-- moving next_attempt_at past a lease, delivers them over SMTP, and marks
-- them sent; a failed attempt is retried after an exponential backoff.
-- Delivery is at least once: a process that dies between the SMTP server's
-- acceptance and the mark sends that email again when the lease ends.
--
-- last_error holds the SMTP server's answer, never the message. The body
-- is emptied once the email is sent (it may carry a link with a token),
-- and sent rows are forgotten after a week. A person's, not a couple's:
-- user_id may be NULL (an email to an address that names no account).

-- +goose Up
CREATE TABLE outbox (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id         bigint      REFERENCES users (id) ON DELETE CASCADE,
    to_address      text        NOT NULL,
    subject         text        NOT NULL,
    body            text        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    attempts        integer     NOT NULL DEFAULT 0,
    last_error      text,
    sent_at         timestamptz,
    failed_at       timestamptz
);
-- What the sender looks for: unsent, not given up, due.
CREATE INDEX outbox_due_idx ON outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_created_at_idx ON outbox (created_at);
CREATE INDEX outbox_user_idx ON outbox (user_id) WHERE user_id IS NOT NULL;

-- +goose Down
DROP TABLE outbox;
