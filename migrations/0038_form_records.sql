-- The record a create form made, kept beside its key: a second submission
-- of the same form (a double tap, a retry) finds the record the first one
-- made and lands on it, instead of on a list. NULL for forms that keep no
-- single record, and for keys recorded before this column.

-- +goose Up
ALTER TABLE form_submissions ADD COLUMN record_id bigint;

-- +goose Down
ALTER TABLE form_submissions DROP COLUMN record_id;
