-- Help in the moment: each partner's comfort plan, what helps them when
-- they are triggered ("sit with me, no explanations yet"), and the
-- guidance cards each person has set aside.
--
-- A comfort plan is kept as versions: writing it again adds a row, so
-- every version stays. A version is private to its writer until they
-- share it (shared_at) and ask the other partner to agree; the other
-- partner agrees to that version (agreed_at, agreed_by). A change is a new
-- version and needs agreeing again; the version last agreed stays the
-- agreed plan until then. Comfort plans are between the partners: they are
-- never shown to the therapist.
--
-- Couple data, keyed like every couple table since 0011.

-- +goose Up
CREATE TABLE comfort_plans (
    couple_id  bigint      NOT NULL REFERENCES couples (id),
    id         bigint      GENERATED ALWAYS AS IDENTITY,
    user_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE, -- the writer
    body       text        NOT NULL CHECK (body <> '' AND char_length(body) <= 600),
    shared_at  timestamptz, -- NULL: only its writer sees it
    agreed_at  timestamptz, -- when the other partner agreed to this version
    agreed_by  bigint      REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (couple_id, id),
    CHECK (agreed_at IS NULL OR shared_at IS NOT NULL)
);
CREATE INDEX comfort_plans_writer_idx ON comfort_plans (couple_id, user_id, id DESC);

-- A guidance card a person set aside never comes back to them. Cards are
-- data in the repository (internal/mend/guidance.go), named by key.
CREATE TABLE guidance_dismissals (
    user_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    card       text        NOT NULL CHECK (card <> '' AND char_length(card) <= 60),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, card)
);

-- +goose Down
DROP TABLE guidance_dismissals;
DROP TABLE comfort_plans;
