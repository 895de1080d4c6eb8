-- The therapist's workspace: the dates of the sessions a therapist records
-- for a couple, the therapist's private notes, and suggestions sent to the
-- couple. All three are couple data (keyed by couple_id for Citus); the
-- therapist is a reference to users.

-- +goose Up

-- A session date, as the therapist who recorded it keeps it. Only that
-- therapist reads it, while linked; the pre-session summary reads "since
-- the last session" from here.
CREATE TABLE therapy_sessions (
    couple_id    bigint      NOT NULL REFERENCES couples (id),
    id           bigint      GENERATED ALWAYS AS IDENTITY,
    therapist_id bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    day          date        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (couple_id, id)
);
CREATE INDEX therapy_sessions_day_idx ON therapy_sessions (couple_id, day);

-- A therapist's private note about a couple, and perhaps one session.
-- Nobody but its writer ever reads it: not the couple, not another
-- therapist of theirs. It goes with the therapist's account. Removing a
-- session date (often a mistaken one) keeps the note's words: only the
-- note's tie to that session is cleared (SET NULL on session_id alone).
CREATE TABLE therapist_notes (
    couple_id    bigint      NOT NULL REFERENCES couples (id),
    id           bigint      GENERATED ALWAYS AS IDENTITY,
    therapist_id bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    session_id   bigint,
    body         text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (couple_id, id),
    FOREIGN KEY (couple_id, session_id) REFERENCES therapy_sessions (couple_id, id) ON DELETE SET NULL (session_id)
);
CREATE INDEX therapist_notes_couple_idx ON therapist_notes (couple_id, therapist_id, created_at);

-- A suggestion the therapist sent the couple: a commitment to consider or
-- something to talk about. It was sent to the couple, so it is theirs: it
-- stays when the therapist's account goes (therapist_id then NULL).
CREATE TABLE suggestions (
    couple_id    bigint      NOT NULL REFERENCES couples (id),
    id           bigint      GENERATED ALWAYS AS IDENTITY,
    therapist_id bigint      REFERENCES users (id) ON DELETE SET NULL,
    kind         text        NOT NULL CHECK (kind IN ('commitment', 'talk')),
    title        text        NOT NULL,
    body         text        NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (couple_id, id)
);
CREATE INDEX suggestions_couple_idx ON suggestions (couple_id, created_at);

-- A partner setting a suggestion aside ("Done with this"), for themselves
-- only: the other partner still sees it.
CREATE TABLE suggestion_dismissals (
    couple_id     bigint      NOT NULL,
    suggestion_id bigint      NOT NULL,
    user_id       bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    at            timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (couple_id, suggestion_id, user_id),
    FOREIGN KEY (couple_id, suggestion_id) REFERENCES suggestions (couple_id, id) ON DELETE CASCADE
);

-- +goose Down
DROP TABLE suggestion_dismissals;
DROP TABLE suggestions;
DROP TABLE therapist_notes;
DROP TABLE therapy_sessions;
