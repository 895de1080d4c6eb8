-- "Something I need to tell you": disclosures. Either partner writes one
-- for the other (contact from the affair partner, a temptation, a slip,
-- something remembered), or the partner who was hurt records something
-- they discovered rather than were told. A disclosure is a private draft,
-- read by its writer alone, until it is sent (sent_at); once sent it is
-- never changed, so its history is what was sent. Told and discovered are
-- kept apart everywhere they are counted.
--
-- Couple data, keyed like every couple table since 0011: the primary key
-- is (couple_id, id) and an answer points at its disclosure by
-- (couple_id, id).

-- +goose Up
CREATE TABLE disclosures (
    couple_id   bigint      NOT NULL REFERENCES couples (id),
    id          bigint      GENERATED ALWAYS AS IDENTITY,
    user_id     bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE, -- the writer
    how         text        NOT NULL CHECK (how IN ('told', 'discovered')),
    topic       text        NOT NULL CHECK (topic IN ('contact', 'temptation', 'slip', 'remembered', 'other')),
    -- The writer's local day it happened or was found out.
    happened_on date        NOT NULL,
    body        text        NOT NULL CHECK (body <> '' AND char_length(body) <= 1000),
    -- Who it reaches once sent: the partner, or the therapist too.
    visibility  text        NOT NULL CHECK (visibility IN ('partner', 'therapist')),
    sent_at     timestamptz, -- NULL: a draft only its writer sees
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (couple_id, id)
);
CREATE INDEX disclosures_couple_day_idx ON disclosures (couple_id, happened_on DESC);

-- The other partner's answers, like a check-in's: each a row of its own.
CREATE TABLE disclosure_answers (
    couple_id     bigint      NOT NULL REFERENCES couples (id),
    id            bigint      GENERATED ALWAYS AS IDENTITY,
    disclosure_id bigint      NOT NULL,
    user_id       bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    body          text        NOT NULL CHECK (body <> ''),
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (couple_id, id),
    FOREIGN KEY (couple_id, disclosure_id) REFERENCES disclosures (couple_id, id) ON DELETE CASCADE
);
CREATE INDEX disclosure_answers_disclosure_idx ON disclosure_answers (couple_id, disclosure_id, id);

-- Disclosures are a kind a partner may share with the therapist by default.
ALTER TABLE consent_events DROP CONSTRAINT consent_events_kind_check,
    ADD CONSTRAINT consent_events_kind_check CHECK (kind IN ('checkins', 'commitments', 'triggers', 'disclosures'));

-- +goose Down
DELETE FROM consent_events WHERE kind = 'disclosures';
ALTER TABLE consent_events DROP CONSTRAINT consent_events_kind_check,
    ADD CONSTRAINT consent_events_kind_check CHECK (kind IN ('checkins', 'commitments', 'triggers'));
DROP TABLE disclosure_answers;
DROP TABLE disclosures;
