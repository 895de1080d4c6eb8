-- Couple spaces, partner and therapist invites, therapist links, sharing
-- consent and the therapist view log. Every couple-owned table is keyed by
-- couple_id: it is the authorization boundary and the distribution key.

-- +goose Up

-- A therapist is a user with a professional name.
ALTER TABLE users ADD COLUMN professional_name text;

CREATE TABLE couples (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    created_by bigint      REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Memberships over time: a partner who leaves keeps their row with left_at
-- set, so what they wrote stays theirs while it leaves the other's view.
CREATE TABLE couple_members (
    id        bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    couple_id bigint      NOT NULL REFERENCES couples (id),
    user_id   bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    joined_at timestamptz NOT NULL DEFAULT now(),
    left_at   timestamptz
);
-- A user is a partner in at most one space at a time.
CREATE UNIQUE INDEX couple_members_one_space_idx ON couple_members (user_id) WHERE left_at IS NULL;
CREATE INDEX couple_members_couple_idx ON couple_members (couple_id) WHERE left_at IS NULL;

-- What the partner who started the space said about it: shown to its
-- author and to the partner it was about (the first to join), and only
-- while its author is still in the space; a later partner never sees it.
CREATE TABLE couple_context (
    couple_id     bigint      PRIMARY KEY REFERENCES couples (id),
    author_id     bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    shown_to      bigint      REFERENCES users (id) ON DELETE SET NULL,
    what_happened text        CHECK (what_happened IN ('affair', 'emotional_affair', 'lying', 'hidden_spending', 'addiction', 'other')),
    details       text,
    came_to_light date,
    rebuilding    text        CHECK (rebuilding IN ('me', 'partner', 'both')),
    created_at    timestamptz NOT NULL DEFAULT now()
);

-- Single-use invite links. Only a SHA-256 of the token is stored.
CREATE TABLE invites (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    couple_id  bigint      NOT NULL REFERENCES couples (id),
    kind       text        NOT NULL CHECK (kind IN ('partner', 'therapist')),
    token_hash bytea       NOT NULL UNIQUE,
    created_by bigint      REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    used_by    bigint      REFERENCES users (id) ON DELETE SET NULL,
    revoked_at timestamptz
);
CREATE INDEX invites_couple_idx ON invites (couple_id, kind) WHERE used_at IS NULL AND revoked_at IS NULL;

-- A couple's therapist over time; at most one active link per couple.
CREATE TABLE therapist_links (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    couple_id    bigint      NOT NULL REFERENCES couples (id),
    therapist_id bigint      REFERENCES users (id) ON DELETE SET NULL,
    started_at   timestamptz NOT NULL DEFAULT now(),
    ended_at     timestamptz,
    ended_by     bigint      REFERENCES users (id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX therapist_links_one_active_idx ON therapist_links (couple_id) WHERE ended_at IS NULL;
CREATE INDEX therapist_links_therapist_idx ON therapist_links (therapist_id) WHERE ended_at IS NULL;

-- Each partner's choice, per kind of entry, to share with the therapist by
-- default: every grant and withdrawal is a row. The latest row per
-- (couple, user, kind) is the current choice; none means not shared.
CREATE TABLE consent_events (
    id        bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    couple_id bigint      NOT NULL REFERENCES couples (id),
    user_id   bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind      text        NOT NULL CHECK (kind IN ('checkins', 'commitments', 'triggers')),
    shared    boolean     NOT NULL,
    at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX consent_events_couple_idx ON consent_events (couple_id, user_id, kind, at DESC);

-- Every page a therapist opens about a couple.
CREATE TABLE therapist_views (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    couple_id    bigint      NOT NULL REFERENCES couples (id),
    therapist_id bigint      REFERENCES users (id) ON DELETE SET NULL,
    kind         text        NOT NULL,
    viewed_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX therapist_views_couple_idx ON therapist_views (couple_id, viewed_at DESC);

-- +goose Down
DROP TABLE therapist_views;
DROP TABLE consent_events;
DROP TABLE therapist_links;
DROP TABLE invites;
DROP TABLE couple_context;
DROP TABLE couple_members;
DROP TABLE couples;
ALTER TABLE users DROP COLUMN professional_name;
