-- Email reminders a person opts in to (all off until they turn one on): a
-- daily check-in reminder at a local time of their choice, notices when
-- the partner proposes a commitment or answers them, and a notice a few
-- days before a hard date. What was sent is recorded per person, kind and
-- their local day, so at most one of each kind goes out a day, even with
-- several Mend processes writing reminders at once (the insert that
-- claims a day is the one that writes the email). Both are a person's,
-- not a couple's: they go with the account.
--
-- An email that can be turned off carries its one-click unsubscribe link
-- in the outbox too, for the List-Unsubscribe headers (RFC 8058).

-- +goose Up
CREATE TABLE reminder_settings (
    user_id      bigint      PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    checkin      boolean     NOT NULL DEFAULT false,
    -- the local time of day of the check-in reminder
    checkin_at   time        NOT NULL DEFAULT '20:00',
    -- when the reminder was turned on or its time changed: a time already
    -- past then is not caught up that day
    checkin_since timestamptz,
    partner      boolean     NOT NULL DEFAULT false,
    -- partner notices are about what happened after they were turned on
    partner_since timestamptz,
    hard_dates   boolean     NOT NULL DEFAULT false,
    updated_at   timestamptz NOT NULL DEFAULT now()
);
-- What the reminder loop reads every minute: only the people who opted in.
CREATE INDEX reminder_settings_checkin_idx ON reminder_settings (user_id) WHERE checkin;
CREATE INDEX reminder_settings_partner_idx ON reminder_settings (user_id) WHERE partner;
CREATE INDEX reminder_settings_hard_dates_idx ON reminder_settings (user_id) WHERE hard_dates;

CREATE TABLE reminders_sent (
    user_id bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind    text        NOT NULL CHECK (kind IN ('checkin', 'partner_commitment', 'partner_answer', 'partner_trigger', 'hard_date')),
    -- the person's local day it was sent on
    day     date        NOT NULL,
    sent_at timestamptz NOT NULL,
    PRIMARY KEY (user_id, kind, day)
);
-- Old rows are forgotten by day.
CREATE INDEX reminders_sent_day_idx ON reminders_sent (day);

ALTER TABLE outbox ADD COLUMN unsubscribe_url text;

-- Partner notices look for the partner's recent actions in a couple.
CREATE INDEX commitment_versions_couple_created_idx ON commitment_versions (couple_id, created_at);
CREATE INDEX trigger_responses_couple_updated_idx ON trigger_responses (couple_id, updated_at);
CREATE INDEX disclosure_answers_couple_created_idx ON disclosure_answers (couple_id, created_at);

-- +goose Down
DROP INDEX disclosure_answers_couple_created_idx;
DROP INDEX trigger_responses_couple_updated_idx;
DROP INDEX commitment_versions_couple_created_idx;
ALTER TABLE outbox DROP COLUMN unsubscribe_url;
DROP TABLE reminders_sent;
DROP TABLE reminder_settings;
