-- Deleting an account finds every row of the person by the spaces they were
-- ever in (left ones too), the links they ever had as a therapist, and mail
-- to their address that no account owned, and the invites of a space, used
-- or not: indexes for those.

-- +goose Up
CREATE INDEX couple_members_user_any_idx ON couple_members (user_id);
CREATE INDEX therapist_links_therapist_any_idx ON therapist_links (therapist_id);
CREATE INDEX invites_couple_any_idx ON invites (couple_id);
CREATE INDEX outbox_unowned_address_idx ON outbox (lower(to_address)) WHERE user_id IS NULL;

-- +goose Down
DROP INDEX outbox_unowned_address_idx;
DROP INDEX invites_couple_any_idx;
DROP INDEX therapist_links_therapist_any_idx;
DROP INDEX couple_members_user_any_idx;
