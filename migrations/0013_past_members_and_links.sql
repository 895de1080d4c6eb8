-- Indexes for a couple's past as well as its present. couple_members and
-- therapist_links had only partial indexes on current rows (left_at or
-- ended_at unset), so when the last time a partner left or a couple's ended
-- links were read, every page that needed it scanned the whole table: a
-- few hundred rows in tests, 4,000 at 2,000 couples, and growing with
-- every couple. (couple_id, left_at) also answers max(left_at) from the
-- index alone.

-- +goose Up
CREATE INDEX couple_members_couple_left_idx ON couple_members (couple_id, left_at);
CREATE INDEX therapist_links_couple_idx ON therapist_links (couple_id, started_at);

-- +goose Down
DROP INDEX therapist_links_couple_idx;
DROP INDEX couple_members_couple_left_idx;
