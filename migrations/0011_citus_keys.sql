-- Keys ready for Citus. Couple data is to be distributed by couple_id, so
-- every couple table's primary key and unique constraints include couple_id,
-- and a couple table points at another couple table with (couple_id, id):
-- Citus enforces a key or a foreign key only within one shard, and a
-- couple's rows all live in the same one.
--
-- Reference tables (copied to every node): users, couples, couple_members,
-- invites, therapist_links — the small directory of who is who and who may
-- see what, read on every request and across couples (a person's one space,
-- an invite found by its token, a therapist's caseload). Local tables (kept
-- on the coordinator): sessions, login_failures, form_submissions,
-- safety_checks — a person's, never a couple's. Every other table is couple
-- data. internal/postgres/schema_test.go holds this list and checks that a
-- new table either carries couple_id in its keys or is listed there.
--
-- Every couple table already carries couple_id (since 0003), so no column is
-- added; a child's couple_id is made to follow its parent row's first (it
-- always did: the store writes both from the same couple), so the new
-- foreign keys hold on existing data. Ids stay unique in practice: they
-- still come from each table's identity column.

-- +goose Up

-- A child row belongs to its parent's couple.
UPDATE checkin_versions x SET couple_id = p.couple_id FROM checkins p WHERE p.id = x.checkin_id AND x.couple_id <> p.couple_id;
UPDATE checkin_acks x SET couple_id = p.couple_id FROM checkins p WHERE p.id = x.checkin_id AND x.couple_id <> p.couple_id;
UPDATE commitment_versions x SET couple_id = p.couple_id FROM commitments p WHERE p.id = x.commitment_id AND x.couple_id <> p.couple_id;
UPDATE commitment_events x SET couple_id = p.couple_id FROM commitments p WHERE p.id = x.commitment_id AND x.couple_id <> p.couple_id;
UPDATE commitment_logs x SET couple_id = p.couple_id FROM commitments p WHERE p.id = x.commitment_id AND x.couple_id <> p.couple_id;
UPDATE commitment_log_versions x SET couple_id = p.couple_id FROM commitment_logs p WHERE p.id = x.log_id AND x.couple_id <> p.couple_id;
UPDATE commitment_responses x SET couple_id = p.couple_id FROM commitment_logs p WHERE p.id = x.log_id AND x.couple_id <> p.couple_id;
UPDATE trigger_versions x SET couple_id = p.couple_id FROM triggers p WHERE p.id = x.trigger_id AND x.couple_id <> p.couple_id;
UPDATE trigger_responses x SET couple_id = p.couple_id FROM triggers p WHERE p.id = x.trigger_id AND x.couple_id <> p.couple_id;
UPDATE therapist_flags x SET couple_id = p.couple_id FROM therapist_links p WHERE p.id = x.link_id AND x.couple_id <> p.couple_id;

-- The foreign keys by id alone go first: they depend on the primary keys.
ALTER TABLE checkin_versions DROP CONSTRAINT checkin_versions_checkin_id_fkey;
ALTER TABLE checkin_acks DROP CONSTRAINT checkin_acks_checkin_id_fkey;
ALTER TABLE commitment_versions DROP CONSTRAINT commitment_versions_commitment_id_fkey;
ALTER TABLE commitment_events DROP CONSTRAINT commitment_events_commitment_id_fkey;
ALTER TABLE commitment_logs DROP CONSTRAINT commitment_logs_commitment_id_fkey;
ALTER TABLE commitment_log_versions DROP CONSTRAINT commitment_log_versions_log_id_fkey;
ALTER TABLE commitment_responses DROP CONSTRAINT commitment_responses_log_id_fkey;
ALTER TABLE trigger_versions DROP CONSTRAINT trigger_versions_trigger_id_fkey;
ALTER TABLE trigger_responses DROP CONSTRAINT trigger_responses_trigger_id_fkey;

-- Primary keys: (couple_id, id).
ALTER TABLE consent_events DROP CONSTRAINT consent_events_pkey, ADD CONSTRAINT consent_events_pkey PRIMARY KEY (couple_id, id);
ALTER TABLE therapist_views DROP CONSTRAINT therapist_views_pkey, ADD CONSTRAINT therapist_views_pkey PRIMARY KEY (couple_id, id);
ALTER TABLE checkins DROP CONSTRAINT checkins_pkey, ADD CONSTRAINT checkins_pkey PRIMARY KEY (couple_id, id);
ALTER TABLE checkin_versions DROP CONSTRAINT checkin_versions_pkey, ADD CONSTRAINT checkin_versions_pkey PRIMARY KEY (couple_id, id);
ALTER TABLE checkin_acks DROP CONSTRAINT checkin_acks_pkey, ADD CONSTRAINT checkin_acks_pkey PRIMARY KEY (couple_id, id);
ALTER TABLE commitments DROP CONSTRAINT commitments_pkey, ADD CONSTRAINT commitments_pkey PRIMARY KEY (couple_id, id);
ALTER TABLE commitment_versions DROP CONSTRAINT commitment_versions_pkey, ADD CONSTRAINT commitment_versions_pkey PRIMARY KEY (couple_id, id);
ALTER TABLE commitment_events DROP CONSTRAINT commitment_events_pkey, ADD CONSTRAINT commitment_events_pkey PRIMARY KEY (couple_id, id);
ALTER TABLE commitment_logs DROP CONSTRAINT commitment_logs_pkey, ADD CONSTRAINT commitment_logs_pkey PRIMARY KEY (couple_id, id);
ALTER TABLE commitment_log_versions DROP CONSTRAINT commitment_log_versions_pkey, ADD CONSTRAINT commitment_log_versions_pkey PRIMARY KEY (couple_id, id);
ALTER TABLE commitment_responses DROP CONSTRAINT commitment_responses_pkey, ADD CONSTRAINT commitment_responses_pkey PRIMARY KEY (couple_id, id);
ALTER TABLE triggers DROP CONSTRAINT triggers_pkey, ADD CONSTRAINT triggers_pkey PRIMARY KEY (couple_id, id);
ALTER TABLE trigger_versions DROP CONSTRAINT trigger_versions_pkey, ADD CONSTRAINT trigger_versions_pkey PRIMARY KEY (couple_id, id);
ALTER TABLE trigger_responses DROP CONSTRAINT trigger_responses_pkey, ADD CONSTRAINT trigger_responses_pkey PRIMARY KEY (couple_id, id);
ALTER TABLE hard_dates DROP CONSTRAINT hard_dates_pkey, ADD CONSTRAINT hard_dates_pkey PRIMARY KEY (couple_id, id);
ALTER TABLE therapist_flags DROP CONSTRAINT therapist_flags_pkey, ADD CONSTRAINT therapist_flags_pkey PRIMARY KEY (couple_id, id);

-- Unique constraints: the same rules, within the couple (a check-in, a
-- commitment, a log, a trigger and a link each belong to one couple).
ALTER TABLE checkin_acks DROP CONSTRAINT checkin_acks_checkin_id_user_id_key,
    ADD CONSTRAINT checkin_acks_couple_id_checkin_id_user_id_key UNIQUE (couple_id, checkin_id, user_id);
ALTER TABLE commitment_versions DROP CONSTRAINT commitment_versions_commitment_id_version_key,
    ADD CONSTRAINT commitment_versions_couple_id_commitment_id_version_key UNIQUE (couple_id, commitment_id, version);
ALTER TABLE commitment_responses DROP CONSTRAINT commitment_responses_log_id_user_id_key,
    ADD CONSTRAINT commitment_responses_couple_id_log_id_user_id_key UNIQUE (couple_id, log_id, user_id);
ALTER TABLE trigger_responses DROP CONSTRAINT trigger_responses_trigger_id_user_id_key,
    ADD CONSTRAINT trigger_responses_couple_id_trigger_id_user_id_key UNIQUE (couple_id, trigger_id, user_id);
DROP INDEX therapist_flags_open_idx;
CREATE UNIQUE INDEX therapist_flags_open_idx ON therapist_flags (couple_id, link_id, user_id) WHERE done_at IS NULL;

-- Foreign keys between couple tables: (couple_id, id). Those to reference
-- tables (couples, users, therapist_links) stay as they are.
ALTER TABLE checkin_versions ADD CONSTRAINT checkin_versions_couple_id_checkin_id_fkey
    FOREIGN KEY (couple_id, checkin_id) REFERENCES checkins (couple_id, id) ON DELETE CASCADE;
ALTER TABLE checkin_acks ADD CONSTRAINT checkin_acks_couple_id_checkin_id_fkey
    FOREIGN KEY (couple_id, checkin_id) REFERENCES checkins (couple_id, id) ON DELETE CASCADE;
ALTER TABLE commitment_versions ADD CONSTRAINT commitment_versions_couple_id_commitment_id_fkey
    FOREIGN KEY (couple_id, commitment_id) REFERENCES commitments (couple_id, id) ON DELETE CASCADE;
ALTER TABLE commitment_events ADD CONSTRAINT commitment_events_couple_id_commitment_id_fkey
    FOREIGN KEY (couple_id, commitment_id) REFERENCES commitments (couple_id, id) ON DELETE CASCADE;
ALTER TABLE commitment_logs ADD CONSTRAINT commitment_logs_couple_id_commitment_id_fkey
    FOREIGN KEY (couple_id, commitment_id) REFERENCES commitments (couple_id, id) ON DELETE CASCADE;
ALTER TABLE commitment_log_versions ADD CONSTRAINT commitment_log_versions_couple_id_log_id_fkey
    FOREIGN KEY (couple_id, log_id) REFERENCES commitment_logs (couple_id, id) ON DELETE CASCADE;
ALTER TABLE commitment_responses ADD CONSTRAINT commitment_responses_couple_id_log_id_fkey
    FOREIGN KEY (couple_id, log_id) REFERENCES commitment_logs (couple_id, id) ON DELETE CASCADE;
ALTER TABLE trigger_versions ADD CONSTRAINT trigger_versions_couple_id_trigger_id_fkey
    FOREIGN KEY (couple_id, trigger_id) REFERENCES triggers (couple_id, id) ON DELETE CASCADE;
ALTER TABLE trigger_responses ADD CONSTRAINT trigger_responses_couple_id_trigger_id_fkey
    FOREIGN KEY (couple_id, trigger_id) REFERENCES triggers (couple_id, id) ON DELETE CASCADE;

-- +goose Down
ALTER TABLE trigger_responses DROP CONSTRAINT trigger_responses_couple_id_trigger_id_fkey;
ALTER TABLE trigger_versions DROP CONSTRAINT trigger_versions_couple_id_trigger_id_fkey;
ALTER TABLE commitment_responses DROP CONSTRAINT commitment_responses_couple_id_log_id_fkey;
ALTER TABLE commitment_log_versions DROP CONSTRAINT commitment_log_versions_couple_id_log_id_fkey;
ALTER TABLE commitment_logs DROP CONSTRAINT commitment_logs_couple_id_commitment_id_fkey;
ALTER TABLE commitment_events DROP CONSTRAINT commitment_events_couple_id_commitment_id_fkey;
ALTER TABLE commitment_versions DROP CONSTRAINT commitment_versions_couple_id_commitment_id_fkey;
ALTER TABLE checkin_acks DROP CONSTRAINT checkin_acks_couple_id_checkin_id_fkey;
ALTER TABLE checkin_versions DROP CONSTRAINT checkin_versions_couple_id_checkin_id_fkey;

DROP INDEX therapist_flags_open_idx;
CREATE UNIQUE INDEX therapist_flags_open_idx ON therapist_flags (link_id, user_id) WHERE done_at IS NULL;
ALTER TABLE trigger_responses DROP CONSTRAINT trigger_responses_couple_id_trigger_id_user_id_key,
    ADD CONSTRAINT trigger_responses_trigger_id_user_id_key UNIQUE (trigger_id, user_id);
ALTER TABLE commitment_responses DROP CONSTRAINT commitment_responses_couple_id_log_id_user_id_key,
    ADD CONSTRAINT commitment_responses_log_id_user_id_key UNIQUE (log_id, user_id);
ALTER TABLE commitment_versions DROP CONSTRAINT commitment_versions_couple_id_commitment_id_version_key,
    ADD CONSTRAINT commitment_versions_commitment_id_version_key UNIQUE (commitment_id, version);
ALTER TABLE checkin_acks DROP CONSTRAINT checkin_acks_couple_id_checkin_id_user_id_key,
    ADD CONSTRAINT checkin_acks_checkin_id_user_id_key UNIQUE (checkin_id, user_id);

ALTER TABLE therapist_flags DROP CONSTRAINT therapist_flags_pkey, ADD CONSTRAINT therapist_flags_pkey PRIMARY KEY (id);
ALTER TABLE hard_dates DROP CONSTRAINT hard_dates_pkey, ADD CONSTRAINT hard_dates_pkey PRIMARY KEY (id);
ALTER TABLE trigger_responses DROP CONSTRAINT trigger_responses_pkey, ADD CONSTRAINT trigger_responses_pkey PRIMARY KEY (id);
ALTER TABLE trigger_versions DROP CONSTRAINT trigger_versions_pkey, ADD CONSTRAINT trigger_versions_pkey PRIMARY KEY (id);
ALTER TABLE triggers DROP CONSTRAINT triggers_pkey, ADD CONSTRAINT triggers_pkey PRIMARY KEY (id);
ALTER TABLE commitment_responses DROP CONSTRAINT commitment_responses_pkey, ADD CONSTRAINT commitment_responses_pkey PRIMARY KEY (id);
ALTER TABLE commitment_log_versions DROP CONSTRAINT commitment_log_versions_pkey, ADD CONSTRAINT commitment_log_versions_pkey PRIMARY KEY (id);
ALTER TABLE commitment_logs DROP CONSTRAINT commitment_logs_pkey, ADD CONSTRAINT commitment_logs_pkey PRIMARY KEY (id);
ALTER TABLE commitment_events DROP CONSTRAINT commitment_events_pkey, ADD CONSTRAINT commitment_events_pkey PRIMARY KEY (id);
ALTER TABLE commitment_versions DROP CONSTRAINT commitment_versions_pkey, ADD CONSTRAINT commitment_versions_pkey PRIMARY KEY (id);
ALTER TABLE commitments DROP CONSTRAINT commitments_pkey, ADD CONSTRAINT commitments_pkey PRIMARY KEY (id);
ALTER TABLE checkin_acks DROP CONSTRAINT checkin_acks_pkey, ADD CONSTRAINT checkin_acks_pkey PRIMARY KEY (id);
ALTER TABLE checkin_versions DROP CONSTRAINT checkin_versions_pkey, ADD CONSTRAINT checkin_versions_pkey PRIMARY KEY (id);
ALTER TABLE checkins DROP CONSTRAINT checkins_pkey, ADD CONSTRAINT checkins_pkey PRIMARY KEY (id);
ALTER TABLE therapist_views DROP CONSTRAINT therapist_views_pkey, ADD CONSTRAINT therapist_views_pkey PRIMARY KEY (id);
ALTER TABLE consent_events DROP CONSTRAINT consent_events_pkey, ADD CONSTRAINT consent_events_pkey PRIMARY KEY (id);

ALTER TABLE trigger_responses ADD CONSTRAINT trigger_responses_trigger_id_fkey
    FOREIGN KEY (trigger_id) REFERENCES triggers (id) ON DELETE CASCADE;
ALTER TABLE trigger_versions ADD CONSTRAINT trigger_versions_trigger_id_fkey
    FOREIGN KEY (trigger_id) REFERENCES triggers (id) ON DELETE CASCADE;
ALTER TABLE commitment_responses ADD CONSTRAINT commitment_responses_log_id_fkey
    FOREIGN KEY (log_id) REFERENCES commitment_logs (id) ON DELETE CASCADE;
ALTER TABLE commitment_log_versions ADD CONSTRAINT commitment_log_versions_log_id_fkey
    FOREIGN KEY (log_id) REFERENCES commitment_logs (id) ON DELETE CASCADE;
ALTER TABLE commitment_logs ADD CONSTRAINT commitment_logs_commitment_id_fkey
    FOREIGN KEY (commitment_id) REFERENCES commitments (id) ON DELETE CASCADE;
ALTER TABLE commitment_events ADD CONSTRAINT commitment_events_commitment_id_fkey
    FOREIGN KEY (commitment_id) REFERENCES commitments (id) ON DELETE CASCADE;
ALTER TABLE commitment_versions ADD CONSTRAINT commitment_versions_commitment_id_fkey
    FOREIGN KEY (commitment_id) REFERENCES commitments (id) ON DELETE CASCADE;
ALTER TABLE checkin_acks ADD CONSTRAINT checkin_acks_checkin_id_fkey
    FOREIGN KEY (checkin_id) REFERENCES checkins (id) ON DELETE CASCADE;
ALTER TABLE checkin_versions ADD CONSTRAINT checkin_versions_checkin_id_fkey
    FOREIGN KEY (checkin_id) REFERENCES checkins (id) ON DELETE CASCADE;
