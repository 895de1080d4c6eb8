-- A hard date can carry a short plan for the day ("a walk in the morning,
-- phones away at dinner"), written or changed by either partner. Empty when
-- there is none.

-- +goose Up
ALTER TABLE hard_dates ADD COLUMN plan text NOT NULL DEFAULT '' CHECK (char_length(plan) <= 300);

-- +goose Down
ALTER TABLE hard_dates DROP COLUMN plan;
