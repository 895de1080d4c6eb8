-- The check-in's shared scale asked "How safe and connected do you feel with
-- your partner?", which mixed two things: an honest low score about safety
-- was shown to a partner who may be the danger. The shared scale is now
-- "How close and connected do you feel?"; safety moved to a private check
-- that only its writer sees. Scores already given are kept as connection.

-- +goose Up
ALTER TABLE checkins RENAME COLUMN safety TO connection;
ALTER TABLE checkins RENAME CONSTRAINT checkins_safety_check TO checkins_connection_check;
ALTER TABLE checkin_versions RENAME COLUMN safety TO connection;

-- +goose Down
ALTER TABLE checkin_versions RENAME COLUMN connection TO safety;
ALTER TABLE checkins RENAME CONSTRAINT checkins_connection_check TO checkins_safety_check;
ALTER TABLE checkins RENAME COLUMN connection TO safety;
