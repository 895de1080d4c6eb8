-- A couple table's lookup by its parent row leads with couple_id, as its
-- keys do since 0011. Every query names the couple, so one index range scan
-- finds a commitment's logs or a check-in's versions; with the parent id
-- first, a cached generic plan (which cannot see how many rows a couple
-- has) combined that index with the couple's whole primary key instead.
-- Under Citus each shard's index then holds one couple's rows together.

-- +goose Up
CREATE INDEX commitment_logs_commitment_idx ON commitment_logs (couple_id, commitment_id, occurs_on DESC);
DROP INDEX commitment_logs_idx;
CREATE INDEX commitment_events_commitment_idx ON commitment_events (couple_id, commitment_id, id);
DROP INDEX commitment_events_idx;
CREATE INDEX commitment_log_versions_log_idx ON commitment_log_versions (couple_id, log_id);
DROP INDEX commitment_log_versions_idx;
CREATE INDEX checkin_versions_checkin_couple_idx ON checkin_versions (couple_id, checkin_id, saved_at DESC);
DROP INDEX checkin_versions_checkin_idx;
CREATE INDEX trigger_versions_trigger_idx ON trigger_versions (couple_id, trigger_id);
DROP INDEX trigger_versions_idx;

-- +goose Down
CREATE INDEX trigger_versions_idx ON trigger_versions (trigger_id);
DROP INDEX trigger_versions_trigger_idx;
CREATE INDEX checkin_versions_checkin_idx ON checkin_versions (checkin_id, saved_at DESC);
DROP INDEX checkin_versions_checkin_couple_idx;
CREATE INDEX commitment_log_versions_idx ON commitment_log_versions (log_id);
DROP INDEX commitment_log_versions_log_idx;
CREATE INDEX commitment_events_idx ON commitment_events (commitment_id, id);
DROP INDEX commitment_events_commitment_idx;
CREATE INDEX commitment_logs_idx ON commitment_logs (commitment_id, occurs_on DESC);
DROP INDEX commitment_logs_commitment_idx;
