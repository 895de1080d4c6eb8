-- Daily check-ins: one per partner per day (the writer's local date), each
-- with its own visibility, the versions it had before each edit, and the
-- other partner's acknowledgement. Keyed by couple_id and day so trends and
-- the therapist's caseload aggregate cheaply.

-- +goose Up
CREATE TABLE checkins (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    couple_id  bigint      NOT NULL REFERENCES couples (id),
    user_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    day        date        NOT NULL,
    mood       smallint    NOT NULL CHECK (mood BETWEEN 1 AND 5),
    safety     smallint    NOT NULL CHECK (safety BETWEEN 0 AND 10),
    feel       text        NOT NULL DEFAULT '',
    need       text        NOT NULL DEFAULT '',
    worry      text        NOT NULL DEFAULT '',
    appreciate text        NOT NULL DEFAULT '',
    visibility text        NOT NULL CHECK (visibility IN ('private', 'partner', 'therapist')),
    -- written the day after its day
    late       boolean     NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (couple_id, user_id, day)
);
CREATE INDEX checkins_couple_day_idx ON checkins (couple_id, day DESC);

-- What a check-in said before each edit; only its writer sees these.
CREATE TABLE checkin_versions (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    couple_id  bigint      NOT NULL REFERENCES couples (id),
    checkin_id bigint      NOT NULL REFERENCES checkins (id) ON DELETE CASCADE,
    mood       smallint    NOT NULL,
    safety     smallint    NOT NULL,
    feel       text        NOT NULL,
    need       text        NOT NULL,
    worry      text        NOT NULL,
    appreciate text        NOT NULL,
    visibility text        NOT NULL,
    saved_at   timestamptz NOT NULL
);
CREATE INDEX checkin_versions_checkin_idx ON checkin_versions (checkin_id, saved_at DESC);

-- The other partner's short answer to a shared check-in: one each, which
-- they may change.
CREATE TABLE checkin_acks (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    couple_id  bigint      NOT NULL REFERENCES couples (id),
    checkin_id bigint      NOT NULL REFERENCES checkins (id) ON DELETE CASCADE,
    user_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    body       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (checkin_id, user_id)
);
CREATE INDEX checkin_acks_couple_idx ON checkin_acks (couple_id, updated_at DESC);

-- +goose Down
DROP TABLE checkin_acks;
DROP TABLE checkin_versions;
DROP TABLE checkins;
