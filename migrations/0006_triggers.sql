-- The trigger log: moments a partner was reminded of the betrayal, the
-- other partner's responses, and the couple's hard dates.

-- +goose Up
CREATE TABLE triggers (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    couple_id     bigint      NOT NULL REFERENCES couples (id),
    user_id       bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    occurred_at   timestamptz NOT NULL,
    -- When it happened on the writer's clock, in their zone at the time
    -- (so daylight saving is as they lived it): patterns group by these.
    local_day     date        NOT NULL,
    local_weekday smallint    NOT NULL CHECK (local_weekday BETWEEN 0 AND 6), -- 0 is Monday
    local_hour    smallint    NOT NULL CHECK (local_hour BETWEEN 0 AND 23),
    category      text        NOT NULL CHECK (category IN ('place', 'person', 'date', 'behaviour', 'media', 'time', 'other')),
    intensity     smallint    NOT NULL CHECK (intensity BETWEEN 0 AND 10),
    what_happened text        NOT NULL DEFAULT '',
    felt          text        NOT NULL DEFAULT '',
    helped        text        NOT NULL DEFAULT '',
    need          text        NOT NULL DEFAULT '',
    visibility    text        NOT NULL CHECK (visibility IN ('private', 'partner', 'therapist')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX triggers_couple_idx ON triggers (couple_id, occurred_at DESC);
CREATE INDEX triggers_day_idx ON triggers (couple_id, local_day);

-- What a trigger said before each of its writer's edits.
CREATE TABLE trigger_versions (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    couple_id     bigint      NOT NULL REFERENCES couples (id),
    trigger_id    bigint      NOT NULL REFERENCES triggers (id) ON DELETE CASCADE,
    occurred_at   timestamptz NOT NULL,
    category      text        NOT NULL,
    intensity     smallint    NOT NULL,
    what_happened text        NOT NULL,
    felt          text        NOT NULL,
    helped        text        NOT NULL,
    need          text        NOT NULL,
    visibility    text        NOT NULL,
    saved_at      timestamptz NOT NULL
);
CREATE INDEX trigger_versions_idx ON trigger_versions (trigger_id);

-- The other partner's response: a gentle choice and/or own words, and
-- something they did. One each, which they may change.
CREATE TABLE trigger_responses (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    couple_id  bigint      NOT NULL REFERENCES couples (id),
    trigger_id bigint      NOT NULL REFERENCES triggers (id) ON DELETE CASCADE,
    user_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    choice     text        NOT NULL DEFAULT '' CHECK (choice IN ('', 'here', 'talk', 'space')),
    body       text        NOT NULL DEFAULT '',
    did        text        NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (trigger_id, user_id)
);

-- Dates that are hard for the couple, once or every year.
CREATE TABLE hard_dates (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    couple_id  bigint      NOT NULL REFERENCES couples (id),
    label      text        NOT NULL,
    on_date    date        NOT NULL,
    yearly     boolean     NOT NULL,
    created_by bigint      REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX hard_dates_couple_idx ON hard_dates (couple_id);

-- +goose Down
DROP TABLE hard_dates;
DROP TABLE trigger_responses;
DROP TABLE trigger_versions;
DROP TABLE triggers;
