-- The accountability statement: a partner the starting words name as
-- rebuilding trust writes it in four parts (what I did, the impact I
-- understand it had, what I regret, what I am changing, with links to
-- their agreed commitments). Each send is a version kept for good; the
-- one version not yet sent is a draft its writer alone sees. The other
-- partner answers each part of a sent version: it lands, or they need
-- more, with a note. Only the two partners read any of it (no therapist
-- sharing kind).
--
-- Couple data, keyed like every couple table since 0011.

-- +goose Up
CREATE TABLE statements (
    couple_id  bigint      NOT NULL REFERENCES couples (id),
    id         bigint      GENERATED ALWAYS AS IDENTITY,
    user_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE, -- the writer
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (couple_id, id),
    UNIQUE (couple_id, user_id)
);

CREATE TABLE statement_versions (
    couple_id    bigint      NOT NULL REFERENCES couples (id),
    id           bigint      GENERATED ALWAYS AS IDENTITY,
    statement_id bigint      NOT NULL,
    did          text        NOT NULL CHECK (char_length(did) <= 2000),
    impact       text        NOT NULL CHECK (char_length(impact) <= 2000),
    regret       text        NOT NULL CHECK (char_length(regret) <= 2000),
    changing     text        NOT NULL CHECK (char_length(changing) <= 2000),
    -- The writer's agreed commitments the last part links to.
    commitment_ids bigint[]  NOT NULL DEFAULT '{}',
    sent_at      timestamptz, -- NULL: the draft only its writer sees
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (couple_id, id),
    FOREIGN KEY (couple_id, statement_id) REFERENCES statements (couple_id, id) ON DELETE CASCADE
);
CREATE INDEX statement_versions_statement_idx ON statement_versions (couple_id, statement_id, id);
-- At most one draft per statement.
CREATE UNIQUE INDEX statement_versions_draft_idx ON statement_versions (couple_id, statement_id) WHERE sent_at IS NULL;

-- The other partner's answer to one part of one sent version.
CREATE TABLE statement_answers (
    couple_id  bigint      NOT NULL REFERENCES couples (id),
    id         bigint      GENERATED ALWAYS AS IDENTITY,
    version_id bigint      NOT NULL,
    user_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    part       text        NOT NULL CHECK (part IN ('did', 'impact', 'regret', 'changing')),
    lands      boolean     NOT NULL, -- true: this lands; false: I need more here
    note       text        NOT NULL DEFAULT '' CHECK (char_length(note) <= 1000),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (couple_id, id),
    UNIQUE (couple_id, version_id, part, user_id),
    FOREIGN KEY (couple_id, version_id) REFERENCES statement_versions (couple_id, id) ON DELETE CASCADE
);

-- +goose Down
DROP TABLE statement_answers;
DROP TABLE statement_versions;
DROP TABLE statements;
