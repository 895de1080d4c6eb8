-- A short check after a session: each partner's own answers about how a
-- session with the couple's therapist went for them, and how connected and
-- hopeful they feel. Couple data (keyed by couple_id for Citus), one row per
-- partner and session day. Answering again changes the row in place: the
-- form is small and about one day, and whether it is shared with the
-- therapist is the latest choice (an unshared answer must stop reaching the
-- therapist at once, so no earlier shared version is kept).
--
-- Who reads a check: its writer, always; the therapist of the couple's
-- active, agreed link only when shared is true and it was written during
-- that link (created_at from agreed_at on) in the writer's current
-- membership. Never the other partner.

-- +goose Up
CREATE TABLE session_checks (
    couple_id   bigint      NOT NULL REFERENCES couples (id),
    id          bigint      GENERATED ALWAYS AS IDENTITY,
    user_id     bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- The day of the session it is about.
    session_day date        NOT NULL,
    went        smallint    NOT NULL CHECK (went BETWEEN 1 AND 5),        -- how the session went for me
    heard       smallint    NOT NULL CHECK (heard BETWEEN 1 AND 5),       -- I felt heard
    connected   smallint    NOT NULL CHECK (connected BETWEEN 0 AND 10),  -- close and connected to my partner now
    hopeful     smallint    NOT NULL CHECK (hopeful BETWEEN 0 AND 10),    -- hopeful about the two of us
    note        text        NOT NULL DEFAULT '' CHECK (char_length(note) <= 500),
    shared      boolean     NOT NULL DEFAULT false,                       -- with the therapist
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (couple_id, id),
    UNIQUE (couple_id, user_id, session_day)
);
CREATE INDEX session_checks_day_idx ON session_checks (couple_id, session_day);

-- +goose Down
DROP TABLE session_checks;
