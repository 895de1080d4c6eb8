-- "What waits for my answer" on Today reads the couple's commitment logs
-- changed in the last week. It found them through (couple_id,
-- commitment_id, occurs_on), fetching every log of each commitment to test
-- updated_at (0.7 ms a page on a seeded year); from this index it reads
-- only the week's, from the index alone (0.1 ms). Led by commitment_id,
-- the planner took the new index for the year of logs the commitments page
-- reads by day, and that read became slower: hence updated_at second.

-- +goose Up
CREATE INDEX commitment_logs_updated_idx ON commitment_logs (couple_id, updated_at) INCLUDE (commitment_id, id);

-- +goose Down
DROP INDEX commitment_logs_updated_idx;
