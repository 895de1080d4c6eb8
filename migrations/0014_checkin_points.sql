-- A couple's check-ins by day carry the columns the charts and the
-- calendar read (who, mood, connection, visibility, when written), so a
-- year of points comes from the index alone: a couple's rows lie together
-- in it, where in the table they are spread over one page per row. It
-- replaces the plain (couple_id, day DESC) index.

-- +goose Up
CREATE INDEX checkins_couple_day_points_idx ON checkins (couple_id, day DESC)
  INCLUDE (user_id, mood, connection, visibility, created_at);
DROP INDEX checkins_couple_day_idx;

-- +goose Down
CREATE INDEX checkins_couple_day_idx ON checkins (couple_id, day DESC);
DROP INDEX checkins_couple_day_points_idx;
