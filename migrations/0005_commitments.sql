-- Commitments: promises one partner keeps and the other agrees to. Every
-- version and every decision is kept; each occurrence is logged by the
-- owner, and the other partner may confirm or answer it.

-- +goose Up
CREATE TABLE commitments (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    couple_id  bigint      NOT NULL REFERENCES couples (id),
    owner_id   bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    state      text        NOT NULL CHECK (state IN ('proposed', 'active', 'paused', 'completed', 'declined')),
    -- the agreed version in effect; 0 before the first agreement
    version    integer     NOT NULL DEFAULT 0,
    -- the version awaiting the other partner's agreement, if any
    pending    integer,
    -- the other partner asked for a change to the pending version
    changes_asked boolean  NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX commitments_couple_idx ON commitments (couple_id, state);

CREATE TABLE commitment_versions (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    couple_id     bigint      NOT NULL REFERENCES couples (id),
    commitment_id bigint      NOT NULL REFERENCES commitments (id) ON DELETE CASCADE,
    version       integer     NOT NULL,
    proposed_by   bigint      REFERENCES users (id) ON DELETE SET NULL,
    title         text        NOT NULL,
    details       text        NOT NULL DEFAULT '',
    rhythm        text        NOT NULL CHECK (rhythm IN ('daily', 'weekdays', 'weekly', 'each_time')),
    -- for 'weekdays': bit 0 is Monday … bit 6 Sunday
    weekdays      smallint    NOT NULL DEFAULT 0,
    starts_on     date        NOT NULL,
    review_on     date        NOT NULL,
    visibility    text        NOT NULL CHECK (visibility IN ('partner', 'therapist')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (commitment_id, version)
);

-- Every decision, in order. on_day is the owner's local date: the
-- commitment's periods of being in force are read from these.
CREATE TABLE commitment_events (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    couple_id     bigint      NOT NULL REFERENCES couples (id),
    commitment_id bigint      NOT NULL REFERENCES commitments (id) ON DELETE CASCADE,
    version       integer     NOT NULL,
    actor_id      bigint      REFERENCES users (id) ON DELETE SET NULL,
    action        text        NOT NULL CHECK (action IN ('proposed', 'agreed', 'asked_change', 'revised', 'declined',
                                                         'kept', 'paused', 'resumed', 'completed')),
    note          text        NOT NULL DEFAULT '',
    on_day        date        NOT NULL,
    at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX commitment_events_idx ON commitment_events (commitment_id, id);
CREATE INDEX commitment_events_couple_idx ON commitment_events (couple_id, at DESC);

-- The owner's log: one row per occurrence (several a day for "each time it
-- applies"). occurs_on is the occurrence's day in the owner's zone.
CREATE TABLE commitment_logs (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    couple_id     bigint      NOT NULL REFERENCES couples (id),
    commitment_id bigint      NOT NULL REFERENCES commitments (id) ON DELETE CASCADE,
    occurs_on     date        NOT NULL,
    status        text        NOT NULL CHECK (status IN ('kept', 'partly', 'missed')),
    note          text        NOT NULL DEFAULT '',
    late          boolean     NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX commitment_logs_idx ON commitment_logs (commitment_id, occurs_on DESC);
CREATE INDEX commitment_logs_couple_idx ON commitment_logs (couple_id, occurs_on DESC);

-- What a log said before each of the owner's edits.
CREATE TABLE commitment_log_versions (
    id        bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    couple_id bigint      NOT NULL REFERENCES couples (id),
    log_id    bigint      NOT NULL REFERENCES commitment_logs (id) ON DELETE CASCADE,
    status    text        NOT NULL,
    note      text        NOT NULL,
    saved_at  timestamptz NOT NULL
);
CREATE INDEX commitment_log_versions_idx ON commitment_log_versions (log_id);

-- The other partner's confirmation ("I saw this") and short answer.
CREATE TABLE commitment_responses (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    couple_id  bigint      NOT NULL REFERENCES couples (id),
    log_id     bigint      NOT NULL REFERENCES commitment_logs (id) ON DELETE CASCADE,
    user_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    confirmed  boolean     NOT NULL DEFAULT false,
    body       text        NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (log_id, user_id)
);

-- +goose Down
DROP TABLE commitment_responses;
DROP TABLE commitment_log_versions;
DROP TABLE commitment_logs;
DROP TABLE commitment_events;
DROP TABLE commitment_versions;
DROP TABLE commitments;
