-- Today lists what happened since the reader's last visit. A visit is a
-- run of Today pages each within an hour of the one before; today_seen_at
-- is when the reader last opened Today, and today_since is when their
-- previous visit ended (NULL before a second visit). Only the reader's own
-- Today reads these: nothing shows a partner when the other was last here.

-- +goose Up
ALTER TABLE users ADD COLUMN today_seen_at timestamptz, ADD COLUMN today_since timestamptz;

-- +goose Down
ALTER TABLE users DROP COLUMN today_seen_at, DROP COLUMN today_since;
