-- Talk times, parked topics and questions. The couple agrees recurring
-- times to talk about what happened (a weekday, a local start time and a
-- length, in the proposer's time zone): one proposes, the other agrees or
-- declines, the proposer may withdraw a proposal, and either ends an
-- agreed one.
--
-- A parked topic waits for the next talk time. It is its writer's alone
-- until that talk time starts (opens_at, worked out from the agreed talk
-- times when it is parked, and again whenever they change), or from when
-- its writer shares it (shared_at). A topic made from a question marked
-- "talk about it" points at the question and has no title of its own.
--
-- Questions are asked by a partner who was hurt and seen by both partners;
-- the other partner answers in writing, or marks it to talk about (which
-- parks it). The asker chooses, for each question, whether the therapist
-- reads it with its answer (share_answer); the therapist does only while
-- the asker shares the kind "questions", as for every kind shared.
--
-- Couple data, keyed like every couple table since 0011.

-- +goose Up
CREATE TABLE talk_times (
    couple_id   bigint      NOT NULL REFERENCES couples (id),
    id          bigint      GENERATED ALWAYS AS IDENTITY,
    proposed_by bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    weekday     smallint    NOT NULL CHECK (weekday BETWEEN 0 AND 6), -- 0 is Sunday, as Go's time.Weekday
    start_min   smallint    NOT NULL CHECK (start_min BETWEEN 0 AND 1439), -- local minutes after midnight
    minutes     smallint    NOT NULL CHECK (minutes BETWEEN 10 AND 180),
    time_zone   text        NOT NULL CHECK (time_zone <> ''), -- the proposer's, when proposed
    status      text        NOT NULL CHECK (status IN ('proposed', 'agreed', 'declined', 'withdrawn', 'ended')),
    answered_by bigint      REFERENCES users (id) ON DELETE SET NULL,
    answered_at timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (couple_id, id)
);
CREATE INDEX talk_times_open_idx ON talk_times (couple_id, id) WHERE status IN ('proposed', 'agreed');

CREATE TABLE questions (
    couple_id  bigint      NOT NULL REFERENCES couples (id),
    id         bigint      GENERATED ALWAYS AS IDENTITY,
    user_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE, -- the asker
    body       text        NOT NULL CHECK (body <> '' AND char_length(body) <= 500),
    -- meaning (why, what it meant) or details (what, when, where)
    about      text        NOT NULL CHECK (about IN ('meaning', 'details')),
    share_answer boolean   NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (couple_id, id)
);
CREATE INDEX questions_couple_idx ON questions (couple_id, id);

-- The other partner's answer: words, or "talk about it" (talk, no words).
CREATE TABLE question_answers (
    couple_id   bigint      NOT NULL REFERENCES couples (id),
    question_id bigint      NOT NULL,
    user_id     bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    body        text        NOT NULL DEFAULT '' CHECK (char_length(body) <= 2000),
    talk        boolean     NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (body <> '' OR talk),
    PRIMARY KEY (couple_id, question_id),
    FOREIGN KEY (couple_id, question_id) REFERENCES questions (couple_id, id) ON DELETE CASCADE
);

CREATE TABLE parked_topics (
    couple_id   bigint      NOT NULL REFERENCES couples (id),
    id          bigint      GENERATED ALWAYS AS IDENTITY,
    user_id     bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE, -- who parked it
    title       text        NOT NULL DEFAULT '' CHECK (char_length(title) <= 120),
    note        text        NOT NULL DEFAULT '' CHECK (char_length(note) <= 1000),
    question_id bigint,
    opens_at    timestamptz, -- the start of the talk time it waits for; NULL: none agreed yet
    shared_at   timestamptz, -- shared with the partner before the talk time
    talked_at   timestamptz, -- talked through
    talked_by   bigint      REFERENCES users (id) ON DELETE SET NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (title <> '' OR question_id IS NOT NULL),
    PRIMARY KEY (couple_id, id),
    FOREIGN KEY (couple_id, question_id) REFERENCES questions (couple_id, id) ON DELETE CASCADE
);
CREATE INDEX parked_topics_waiting_idx ON parked_topics (couple_id, id) WHERE talked_at IS NULL;
CREATE INDEX parked_topics_couple_idx ON parked_topics (couple_id, created_at DESC);

-- Answers to questions are a kind a partner may share with the therapist.
ALTER TABLE consent_events DROP CONSTRAINT consent_events_kind_check,
    ADD CONSTRAINT consent_events_kind_check CHECK (kind IN ('checkins', 'commitments', 'triggers', 'disclosures', 'questions'));

-- +goose Down
DELETE FROM consent_events WHERE kind = 'questions';
ALTER TABLE consent_events DROP CONSTRAINT consent_events_kind_check,
    ADD CONSTRAINT consent_events_kind_check CHECK (kind IN ('checkins', 'commitments', 'triggers', 'disclosures'));
DROP TABLE parked_topics;
DROP TABLE question_answers;
DROP TABLE questions;
DROP TABLE talk_times;
