-- Consent that is really mutual: a therapist link waits for the other
-- partner's agreement, and each partner has starting words of their own.

-- +goose Up

-- One partner invites (invited_by); the therapist accepts (started_at); the
-- other partner agrees (agreed_by, agreed_at). Until agreed_at is set the
-- link is pending and gives the therapist nothing of the couple. Either
-- partner, or the therapist, may end it at any time (ended_at), pending or
-- agreed; therapist_links_one_active_idx still allows one unended link per
-- couple. Links made before this agreement existed were in force: they
-- count as agreed from their start — except a link still open in a space
-- with one partner, which waits, like any new one, for a second partner
-- to join and agree (its one partner counts as the one who invited).
ALTER TABLE therapist_links
    ADD COLUMN invited_by bigint REFERENCES users (id) ON DELETE SET NULL,
    ADD COLUMN agreed_by  bigint REFERENCES users (id) ON DELETE SET NULL,
    ADD COLUMN agreed_at  timestamptz,
    ADD CONSTRAINT therapist_links_agreed_by_the_other CHECK (agreed_by IS NULL OR invited_by IS NULL OR agreed_by <> invited_by),
    ADD CONSTRAINT therapist_links_agreed_after_start CHECK (agreed_at IS NULL OR agreed_at >= started_at);
UPDATE therapist_links l SET agreed_at = l.started_at
WHERE l.ended_at IS NOT NULL
   OR (SELECT count(*) FROM couple_members m WHERE m.couple_id = l.couple_id AND m.left_at IS NULL) = 2;
UPDATE therapist_links l
SET invited_by = (SELECT m.user_id FROM couple_members m WHERE m.couple_id = l.couple_id AND m.left_at IS NULL)
WHERE l.agreed_at IS NULL;

-- Each partner's own starting words, one row per author in a couple, each
-- with its own visibility: just the author ('private') or the partner too
-- ('partner'); never a therapist. shown_to keeps its meaning: the partner
-- the words were written about, so a partner who joins later never sees
-- words about an earlier pair. What was written before keeps showing as it
-- did: to its author and to the partner it was about.
ALTER TABLE couple_context DROP CONSTRAINT couple_context_pkey;
ALTER TABLE couple_context ADD PRIMARY KEY (couple_id, author_id);
ALTER TABLE couple_context
    ADD COLUMN visibility text NOT NULL DEFAULT 'partner' CHECK (visibility IN ('private', 'partner')),
    ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
UPDATE couple_context SET updated_at = created_at;

-- +goose Down
-- A pending link must not become an active one: end it first.
UPDATE therapist_links SET ended_at = now() WHERE agreed_at IS NULL AND ended_at IS NULL;
ALTER TABLE therapist_links
    DROP COLUMN agreed_at,
    DROP COLUMN agreed_by,
    DROP COLUMN invited_by;
-- One context per couple again: the first written stays. Words kept for
-- their author alone stay so (shown_to is the author, never a partner).
UPDATE couple_context SET shown_to = author_id WHERE visibility = 'private';
DELETE FROM couple_context c USING couple_context o
WHERE o.couple_id = c.couple_id AND (o.created_at, o.author_id) < (c.created_at, c.author_id);
ALTER TABLE couple_context DROP COLUMN updated_at, DROP COLUMN visibility;
ALTER TABLE couple_context DROP CONSTRAINT couple_context_pkey;
ALTER TABLE couple_context ADD PRIMARY KEY (couple_id);
