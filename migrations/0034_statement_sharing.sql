-- The accountability statement may be shared with the couple's therapist.
-- Its writer chooses (share_therapist, on the statement: every sent
-- version and the answers to them; never the draft); the therapist reads
-- it only while the writer also shares the kind "statement", as for every
-- kind shared (consent_events), and every page they open is in the view
-- log. By default a statement stays between the two partners.

-- +goose Up
ALTER TABLE statements ADD COLUMN share_therapist boolean NOT NULL DEFAULT false;

ALTER TABLE consent_events DROP CONSTRAINT consent_events_kind_check,
    ADD CONSTRAINT consent_events_kind_check CHECK (kind IN ('checkins', 'commitments', 'triggers', 'disclosures', 'questions', 'statement'));

-- +goose Down
DELETE FROM consent_events WHERE kind = 'statement';
ALTER TABLE consent_events DROP CONSTRAINT consent_events_kind_check,
    ADD CONSTRAINT consent_events_kind_check CHECK (kind IN ('checkins', 'commitments', 'triggers', 'disclosures', 'questions'));
ALTER TABLE statements DROP COLUMN share_therapist;
