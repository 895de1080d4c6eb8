-- Each session, as its owner's sessions page shows it. sessions.user_id
-- (migration 0010: nullable, indexed, ON DELETE CASCADE) already names the
-- logged-in user, so deleting an account deletes its sessions without
-- decoding blobs. This adds:
--   id          an opaque handle for signing one session out (never the
--               token, which is stored only as a hash and never shown);
--   started_at  when the person logged in (the session's auth_at);
--   seen_at     the last recorded activity (refreshed at most once a minute);
--   device      a short browser and device summary ("Firefox on Android"),
--               classified from the User-Agent at log-in; never the
--               User-Agent itself, the address or a location;
--   ended_at    set when the owner signs the session out from another
--               browser. The row stays until it expires, so a request of
--               that session still in flight cannot write it back.
-- The session store fills started_at, seen_at and device from the session's
-- data on every save; rows present now show this migration's time until
-- their next save (within a minute of their next request).

-- +goose Up
ALTER TABLE sessions
    ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY,
    ADD COLUMN started_at timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN seen_at timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN device text NOT NULL DEFAULT '',
    ADD COLUMN ended_at timestamptz;

-- +goose Down
ALTER TABLE sessions DROP COLUMN id, DROP COLUMN started_at, DROP COLUMN seen_at, DROP COLUMN device, DROP COLUMN ended_at;
