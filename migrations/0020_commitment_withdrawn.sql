-- A proposer may withdraw what waits for the other partner's answer: a
-- withdrawn proposal ends (state 'withdrawn', its terms kept to be read); a
-- withdrawn change is dropped and the agreed terms go on. Either way the
-- history records it (action 'withdrawn').

-- +goose Up
ALTER TABLE commitments DROP CONSTRAINT commitments_state_check,
    ADD CONSTRAINT commitments_state_check CHECK (state IN ('proposed', 'active', 'paused', 'completed', 'declined', 'withdrawn'));
ALTER TABLE commitment_events DROP CONSTRAINT commitment_events_action_check,
    ADD CONSTRAINT commitment_events_action_check CHECK (action IN ('proposed', 'agreed', 'asked_change', 'revised', 'declined',
                                                                    'kept', 'paused', 'resumed', 'completed', 'withdrawn'));

-- +goose Down
-- The nearest the earlier schema can say: what was withdrawn reads as
-- declined, by the partner who withdrew it.
UPDATE commitment_events SET action = 'declined' WHERE action = 'withdrawn';
UPDATE commitments SET state = 'declined' WHERE state = 'withdrawn';
ALTER TABLE commitment_events DROP CONSTRAINT commitment_events_action_check,
    ADD CONSTRAINT commitment_events_action_check CHECK (action IN ('proposed', 'agreed', 'asked_change', 'revised', 'declined',
                                                                    'kept', 'paused', 'resumed', 'completed'));
ALTER TABLE commitments DROP CONSTRAINT commitments_state_check,
    ADD CONSTRAINT commitments_state_check CHECK (state IN ('proposed', 'active', 'paused', 'completed', 'declined'));
