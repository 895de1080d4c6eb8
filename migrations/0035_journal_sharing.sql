-- The journal and answers to prompts may be shared with the therapist.
--
-- A journal entry or an answer to a prompt may now be for "my partner and
-- our therapist" (visibility 'therapist'), as a check-in may. The linked
-- therapist reads it only while its writer shares the kind "journal"
-- ("Journal and prompt answers") on the Sharing page, with the same
-- consent and view log as every kind. Time together stays between the
-- partners.

-- +goose Up
ALTER TABLE consent_events DROP CONSTRAINT consent_events_kind_check,
    ADD CONSTRAINT consent_events_kind_check CHECK (kind IN ('checkins', 'commitments', 'triggers', 'disclosures', 'questions', 'statement', 'journal'));
ALTER TABLE prompt_answers DROP CONSTRAINT prompt_answers_visibility_check,
    ADD CONSTRAINT prompt_answers_visibility_check CHECK (visibility IN ('private', 'partner', 'therapist'));
ALTER TABLE journal_entries DROP CONSTRAINT journal_entries_visibility_check,
    ADD CONSTRAINT journal_entries_visibility_check CHECK (visibility IN ('private', 'partner', 'therapist'));

-- +goose Down
UPDATE journal_entries SET visibility = 'partner' WHERE visibility = 'therapist';
UPDATE prompt_answers SET visibility = 'partner' WHERE visibility = 'therapist';
ALTER TABLE journal_entries DROP CONSTRAINT journal_entries_visibility_check,
    ADD CONSTRAINT journal_entries_visibility_check CHECK (visibility IN ('private', 'partner'));
ALTER TABLE prompt_answers DROP CONSTRAINT prompt_answers_visibility_check,
    ADD CONSTRAINT prompt_answers_visibility_check CHECK (visibility IN ('private', 'partner'));
DELETE FROM consent_events WHERE kind = 'journal';
ALTER TABLE consent_events DROP CONSTRAINT consent_events_kind_check,
    ADD CONSTRAINT consent_events_kind_check CHECK (kind IN ('checkins', 'commitments', 'triggers', 'disclosures', 'questions', 'statement'));
