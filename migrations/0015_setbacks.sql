-- Setbacks: a day a partner marks as a setback, with a short note and its
-- own visibility. A setback is a marker on every chart of the progress page,
-- never a reset: the lines carry on through it.

-- +goose Up
CREATE TABLE setbacks (
    couple_id  bigint      NOT NULL REFERENCES couples (id),
    id         bigint      GENERATED ALWAYS AS IDENTITY,
    user_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    day        date        NOT NULL,
    note       text        NOT NULL DEFAULT '',
    visibility text        NOT NULL CHECK (visibility IN ('private', 'partner', 'therapist')),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (couple_id, id)
);
CREATE INDEX setbacks_couple_day_idx ON setbacks (couple_id, day);

-- +goose Down
DROP TABLE setbacks;
