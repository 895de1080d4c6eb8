-- Prompts, the journal and time together.
--
-- The prompt library itself is data in the binary (internal/mend/
-- prompts.txt), each prompt under a stable id. Here are what a couple adds
-- to it and what they do with it: their own prompts, the prompt of each of
-- their days (skips included, so nothing shown repeats within 60 days),
-- their answers, each partner's journal entries, and the time they spent
-- together. None of it is shared with the therapist: answers and journal
-- entries are the writer's alone or the two partners'.
--
-- Couple data, keyed like every couple table since 0011: the primary key
-- is (couple_id, id).

-- +goose Up
CREATE TABLE couple_prompts (
    couple_id  bigint      NOT NULL REFERENCES couples (id),
    id         bigint      GENERATED ALWAYS AS IDENTITY,
    user_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE, -- who added it
    category   text        NOT NULL CHECK (category IN ('reconnecting', 'understanding', 'accountability', 'needs', 'future', 'fun')),
    mode       text        NOT NULL CHECK (mode IN ('talk', 'write')),
    body       text        NOT NULL CHECK (body <> '' AND char_length(body) <= 300),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (couple_id, id)
);

-- The prompt of a couple's day: seq 0 is the first shown, each skip adds
-- the next. prompt_key is a library id or 'own-' and a couple_prompts id.
CREATE TABLE prompt_days (
    couple_id  bigint      NOT NULL REFERENCES couples (id),
    day        date        NOT NULL,
    seq        integer     NOT NULL CHECK (seq >= 0),
    prompt_key text        NOT NULL CHECK (prompt_key <> ''),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (couple_id, day, seq)
);

CREATE TABLE prompt_answers (
    couple_id  bigint      NOT NULL REFERENCES couples (id),
    id         bigint      GENERATED ALWAYS AS IDENTITY,
    user_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    day        date        NOT NULL,
    prompt_key text        NOT NULL CHECK (prompt_key <> ''),
    mode       text        NOT NULL CHECK (mode IN ('talk', 'write')),
    body       text        NOT NULL CHECK (body <> '' AND char_length(body) <= 2000),
    visibility text        NOT NULL CHECK (visibility IN ('private', 'partner')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (couple_id, id),
    UNIQUE (couple_id, day, prompt_key, user_id)
);
CREATE INDEX prompt_answers_writer_idx ON prompt_answers (couple_id, user_id, created_at DESC);

CREATE TABLE journal_entries (
    couple_id  bigint      NOT NULL REFERENCES couples (id),
    id         bigint      GENERATED ALWAYS AS IDENTITY,
    user_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    body       text        NOT NULL CHECK (body <> '' AND char_length(body) <= 4000),
    visibility text        NOT NULL CHECK (visibility IN ('private', 'partner')),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (couple_id, id)
);
CREATE INDEX journal_entries_couple_idx ON journal_entries (couple_id, created_at DESC);

-- Time together: what the two of us did on a day, logged by either
-- partner, with each partner's own short note and, if they like, how
-- connected it felt (0 to 10). Both partners read all of it.
CREATE TABLE time_together (
    couple_id  bigint      NOT NULL REFERENCES couples (id),
    id         bigint      GENERATED ALWAYS AS IDENTITY,
    user_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE, -- who logged it
    on_day     date        NOT NULL,
    what       text        NOT NULL CHECK (what <> '' AND char_length(what) <= 200),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (couple_id, id)
);
CREATE INDEX time_together_day_idx ON time_together (couple_id, on_day DESC);

CREATE TABLE time_together_notes (
    couple_id   bigint      NOT NULL,
    together_id bigint      NOT NULL,
    user_id     bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    note        text        NOT NULL CHECK (char_length(note) <= 500),
    rating      smallint    CHECK (rating BETWEEN 0 AND 10),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (couple_id, together_id, user_id),
    FOREIGN KEY (couple_id, together_id) REFERENCES time_together (couple_id, id) ON DELETE CASCADE,
    CHECK (note <> '' OR rating IS NOT NULL)
);

-- +goose Down
DROP TABLE time_together_notes;
DROP TABLE time_together;
DROP TABLE journal_entries;
DROP TABLE prompt_answers;
DROP TABLE prompt_days;
DROP TABLE couple_prompts;
