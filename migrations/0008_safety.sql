-- Safety: each partner's private safety check, the one content-free line
-- a partner may send their therapist ("would like to talk to you alone"),
-- and discreet page titles.

-- +goose Up

-- Page titles that say only "Mend", for a shared device or browser history.
ALTER TABLE users ADD COLUMN discreet_titles boolean NOT NULL DEFAULT false;

-- A person's own safety checks: every check taken and every offer set aside
-- ("Not now"), keyed by the person alone. No couple id: nothing about a
-- couple reads this table, and it goes with its person (export, deletion).
-- Each answer is NULL when the person preferred not to say.
CREATE TABLE safety_checks (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    at          timestamptz NOT NULL DEFAULT now(),
    -- true: the offer was set aside, and no answers were given
    dismissed   boolean     NOT NULL DEFAULT false,
    afraid      text        CHECK (afraid IN ('no', 'sometimes', 'often')),
    harmed      text        CHECK (harmed IN ('no', 'unsure', 'yes')),
    safe_home   text        CHECK (safe_home IN ('yes', 'unsure', 'no')),
    ending_life text        CHECK (ending_life IN ('no', 'sometimes', 'often')),
    CHECK (NOT dismissed OR (afraid IS NULL AND harmed IS NULL AND safe_home IS NULL AND ending_life IS NULL))
);
CREATE INDEX safety_checks_user_idx ON safety_checks (user_id, at DESC);

-- "Ana would like to talk to you alone": sent by a partner to the therapist
-- of one link, and shown to that therapist only while that link is active
-- (it ends with the link). The other partner never sees it. It says nothing
-- else: no answers, not even that a safety check was taken.
CREATE TABLE therapist_flags (
    id        bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    couple_id bigint      NOT NULL REFERENCES couples (id),
    link_id   bigint      NOT NULL REFERENCES therapist_links (id) ON DELETE CASCADE,
    user_id   bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    sent_at   timestamptz NOT NULL DEFAULT now(),
    -- the therapist marked it as dealt with
    done_at   timestamptz
);
-- One open flag per person and link: sending it again changes nothing.
CREATE UNIQUE INDEX therapist_flags_open_idx ON therapist_flags (link_id, user_id) WHERE done_at IS NULL;
CREATE INDEX therapist_flags_couple_idx ON therapist_flags (couple_id) WHERE done_at IS NULL;
CREATE INDEX therapist_flags_user_idx ON therapist_flags (user_id);

-- +goose Down
DROP TABLE therapist_flags;
DROP TABLE safety_checks;
ALTER TABLE users DROP COLUMN discreet_titles;
