package seed

import "fmt"

// Every statement of the seeder is here, written against the columns it
// inserts. Each gets $1 the seed, $2 the first seeded day, $3::int the number of
// days (the last is $2 + $3::int - 1, yesterday), then its own arguments. Random
// numbers are hashes of the seed and a key made of the couple's number, the
// day and a salt per use, so the same seed gives the same rows.

// r is a number in [0, 1) drawn from key under salt.
func r(salt int, key string) string {
	return fmt.Sprintf("((hashint8extended((%s)::bigint, $1::bigint * 64 + %d) & 2147483647)::float8 / 2147483648.0)", key, salt)
}

// pick is an element of the array arr chosen by the number rnd.
func pick(arr, rnd string) string {
	return fmt.Sprintf("(%[1]s)[1 + floor(cardinality(%[1]s) * %[2]s)::int]", arr, rnd)
}

// lean is like pick, but leans towards the later elements as prog (0 to 1,
// the year's progress) grows.
func lean(arr, prog, rnd string) string {
	return fmt.Sprintf("(%[1]s)[1 + least(cardinality(%[1]s) - 1, floor(cardinality(%[1]s) * (0.55 * %[2]s + 0.45 * %[3]s))::int)]", arr, prog, rnd)
}

// local is the instant of a local date and time expression in couple s's zone.
func local(datetime string) string { return "((" + datetime + ") AT TIME ZONE s.tz)" }

// commonArgs begins every statement, so that each has the three common
// arguments with their types, whether or not it uses them.
const commonArgs = `WITH seed_args AS (SELECT $1::bigint, $2::date, $3::int) `

// skipChecksSQL turns off foreign key checks for the transaction when the
// user may (a superuser); otherwise it does nothing.
const skipChecksSQL = `DO $$ BEGIN
  IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN SET LOCAL session_replication_role = replica; END IF;
END $$`

const existsSQL = `SELECT EXISTS (SELECT 1 FROM users WHERE email_key LIKE $1)`

const seededUsersSQL = `SELECT email_key, id FROM users WHERE email_key LIKE $1`

// The plan of each couple (from Go) and of each commitment (from SQL).
const planTableSQL = `
CREATE TEMP TABLE seed_couples (
  n int PRIMARY KEY, a bigint NOT NULL, b bigint NOT NULL, hurt bigint NOT NULL, other bigint NOT NULL,
  therapist bigint, tz text NOT NULL, couple bigint
) ON COMMIT DROP;
CREATE TEMP TABLE seed_commitments (
  n int, j int, t int, owner bigint, proposer bigint, agreer bigint, rhythm text, weekdays smallint,
  at timestamptz, id bigint, PRIMARY KEY (n, j)
) ON COMMIT DROP`

type stmt struct {
	table string // "" for the seeder's own tables
	sql   string
	args  []any
}

// statements are the seeder's writes, in order.
func statements() []stmt {
	var titles, details, rhythms, visibilities []string
	var weekdays []int16
	var forOther int
	for _, c := range commitments {
		titles, details, rhythms, visibilities = append(titles, c.title), append(details, c.details), append(rhythms, c.rhythm), append(visibilities, c.visibility)
		weekdays = append(weekdays, c.weekdays)
		if !c.forHurt {
			forOther++
		}
	}
	var tCategory, tWhat, tFelt, tHelped, tNeed []string
	for _, t := range triggerTexts {
		tCategory, tWhat, tFelt, tHelped = append(tCategory, t.category), append(tWhat, t.what), append(tFelt, t.felt), append(tHelped, t.helped)
		tNeed = append(tNeed, t.need)
	}
	triggerHours := []int32{3, 7, 8, 12, 13, 17, 18, 19, 20, 21, 21, 22, 22, 23}

	return []stmt{
		{"couples", `INSERT INTO couples (created_by, created_at)
SELECT s.a, ` + local(`$2::date - 3 + time '19:00'`) + ` FROM seed_couples s ORDER BY s.n`, nil},
		{"", `UPDATE seed_couples s SET couple = c.id FROM couples c WHERE c.created_by = s.a`, nil},
		{"", `ANALYZE seed_couples`, nil},

		// Partner a opens the space; b joins the next evening.
		{"couple_members", `INSERT INTO couple_members (couple_id, user_id, joined_at)
SELECT s.couple, p.u, p.at FROM seed_couples s
CROSS JOIN LATERAL (VALUES (1, s.a, ` + local(`$2::date - 3 + time '19:00'`) + `), (2, s.b, ` + local(`$2::date - 2 + time '20:15'`) + `)) p(side, u, at)
ORDER BY s.n, p.side`, nil},
		{"couple_context", `INSERT INTO couple_context (couple_id, author_id, shown_to, what_happened, details, came_to_light, rebuilding, visibility, created_at, updated_at)
SELECT s.couple, s.a, s.b, ` + pick(`$4::text[]`, r(1, `s.n`)) + `, ` + pick(`$5::text[]`, r(2, `s.n`)) + `,
  $2::date - 20 - s.n % 90, 'both', 'partner', ` + local(`$2::date - 3 + time '19:05'`) + `, ` + local(`$2::date - 3 + time '19:05'`) + `
FROM seed_couples s ORDER BY s.n`, []any{contextWhat, contextDetails}},

		// a invites the therapist, who accepts; b agrees that evening; both
		// share every kind of entry, except some hurt partners their triggers.
		{"therapist_links", `INSERT INTO therapist_links (couple_id, therapist_id, started_at, invited_by, agreed_by, agreed_at)
SELECT s.couple, s.therapist, ` + local(`$2::date - 1 + time '10:00'`) + `, s.a, s.b, ` + local(`$2::date - 1 + time '18:00'`) + `
FROM seed_couples s WHERE s.therapist IS NOT NULL ORDER BY s.n`, nil},
		{"consent_events", `INSERT INTO consent_events (couple_id, user_id, kind, shared, at)
SELECT s.couple, p.u, k.kind, true, ` + local(`$2::date - 1 + time '18:05'`) + ` + k.o * interval '1 second'
FROM seed_couples s
CROSS JOIN LATERAL (VALUES (1, s.a), (2, s.b)) p(side, u)
CROSS JOIN (VALUES (1, 'checkins'), (2, 'commitments'), (3, 'triggers')) k(o, kind)
WHERE s.therapist IS NOT NULL AND NOT (k.kind = 'triggers' AND p.u = s.hurt AND s.n % 3 = 0)
ORDER BY s.n, p.side, k.o`, nil},

		// Five commitments a couple: four kept by the partner who broke
		// trust, one by the partner who was hurt; each proposed by one and
		// agreed by the other the evening before the first day.
		{"", `INSERT INTO seed_commitments (n, j, t, owner, proposer, agreer, rhythm, weekdays, at)
SELECT s.n, j, x.t, x.owner, x.proposer, CASE WHEN x.proposer = s.a THEN s.b ELSE s.a END,
  ($5::text[])[x.t], ($6::int2[])[x.t], ` + local(`$2::date - 1 + time '20:00'`) + ` + j * interval '2 minutes'
FROM seed_couples s CROSS JOIN generate_series(1, 5) j
CROSS JOIN LATERAL (SELECT CASE WHEN j <= 4 THEN 1 + (s.n + j - 2) % $4::int ELSE $4::int + 1 + s.n % (cardinality($5::text[]) - $4::int) END AS t) tt
CROSS JOIN LATERAL (SELECT tt.t, CASE WHEN tt.t > $4::int THEN s.hurt ELSE s.other END AS owner,
  CASE WHEN tt.t > $4::int OR j % 2 = 0 THEN s.hurt ELSE s.other END AS proposer) x`, []any{forOther, rhythms, weekdays}},
		{"commitments", `INSERT INTO commitments (couple_id, owner_id, state, version, pending, changes_asked, created_at, updated_at)
SELECT s.couple, c.owner, 'active', 1, NULL, false, c.at, c.at + interval '30 minutes'
FROM seed_commitments c JOIN seed_couples s USING (n) ORDER BY c.n, c.j`, nil},
		{"", `UPDATE seed_commitments c SET id = m.id FROM seed_couples s, commitments m
WHERE s.n = c.n AND m.couple_id = s.couple AND m.owner_id = c.owner AND m.created_at = c.at`, nil},
		{"", `ANALYZE seed_commitments`, nil},
		{"commitment_versions", `INSERT INTO commitment_versions (couple_id, commitment_id, version, proposed_by, title, details, rhythm, weekdays,
  starts_on, review_on, visibility, created_at)
SELECT s.couple, c.id, 1, c.proposer, ($4::text[])[c.t], ($5::text[])[c.t], c.rhythm, c.weekdays,
  $2::date, $2::date + $3::int + 7 * c.j, CASE WHEN s.therapist IS NULL THEN 'partner' ELSE ($6::text[])[c.t] END, c.at
FROM seed_commitments c JOIN seed_couples s USING (n) ORDER BY c.n, c.j`, []any{titles, details, visibilities}},
		{"commitment_events", `INSERT INTO commitment_events (couple_id, commitment_id, version, actor_id, action, note, on_day, at)
SELECT s.couple, c.id, 1, e.actor, e.action, '', $2::date - 1, c.at + e.o * interval '30 minutes'
FROM seed_commitments c JOIN seed_couples s USING (n)
CROSS JOIN LATERAL (VALUES (0, c.proposer, 'proposed'), (1, c.agreer, 'agreed')) e(o, actor, action)
ORDER BY c.n, c.j, e.o`, nil},

		// The owner logs each due occurrence, most days; misses grow rarer.
		{"commitment_logs", `INSERT INTO commitment_logs (couple_id, commitment_id, occurs_on, status, note, late, created_at, updated_at)
SELECT s.couple, c.id, v.day, w.status,
  CASE w.status WHEN 'kept' THEN ` + pick(`$4::text[]`, r(5, `v.key + e.x`)) + ` WHEN 'missed' THEN ` + pick(`$5::text[]`, r(5, `v.key + e.x`)) +
			` ELSE ` + pick(`$6::text[]`, r(5, `v.key + e.x`)) + ` END,
  w.late, w.at, w.at
FROM seed_commitments c JOIN seed_couples s USING (n)
CROSS JOIN generate_series(0, $3::int - 1) d(k)
CROSS JOIN LATERAL (SELECT $2::date + d.k AS day, (c.n * 10 + c.j)::bigint * 100000 + d.k * 10 AS key, d.k::float8 / $3::int AS prog) v
CROSS JOIN LATERAL generate_series(1, CASE c.rhythm WHEN 'each_time' THEN 2 ELSE 1 END) e(x)
CROSS JOIN LATERAL (SELECT ` + r(1, `v.key + e.x`) + ` AS r1, ` + r(2, `v.key + e.x`) + ` AS r2, ` + r(3, `v.key + e.x`) + ` AS r3, ` +
			r(4, `v.key + e.x`) + ` AS r4) q
CROSS JOIN LATERAL (SELECT c.rhythm IN ('daily', 'weekdays') AND q.r3 < 0.05 AND d.k < $3::int - 1 AS late) l
CROSS JOIN LATERAL (SELECT
  CASE WHEN q.r2 < 0.03 + 0.14 * (1 - v.prog) THEN 'missed' WHEN q.r2 < 0.09 + 0.14 * (1 - v.prog) THEN 'partly' ELSE 'kept' END AS status,
  l.late,
  ` + local(`v.day + time '20:30' + floor(q.r4 * 120) * interval '1 minute'
    + CASE WHEN l.late THEN interval '13 hours' ELSE interval '0' END
    + CASE WHEN c.rhythm = 'weekly' THEN floor(q.r3 * least(7, $3::int - d.k)) * interval '1 day' ELSE interval '0' END`) + ` AS at OFFSET 0) w
WHERE CASE c.rhythm
  WHEN 'daily' THEN q.r1 >= 0.08
  WHEN 'weekdays' THEN (c.weekdays::int >> (extract(isodow FROM v.day)::int - 1)) & 1 = 1 AND q.r1 >= 0.08
  WHEN 'weekly' THEN d.k % 7 = 0 AND q.r1 >= 0.05
  ELSE q.r1 < CASE e.x WHEN 1 THEN 0.22 ELSE 0.06 END
END`, []any{logNotesKept, logNotesMissed, logNotesPartly}},
		{"commitment_responses", `INSERT INTO commitment_responses (couple_id, log_id, user_id, confirmed, body, created_at, updated_at)
SELECT l.couple_id, l.id, CASE WHEN c.owner = s.a THEN s.b ELSE s.a END, true, ` + pick(`$4::text[]`, r(7, `l.id`)) + `,
  l.created_at + interval '25 minutes', l.created_at + interval '25 minutes'
FROM commitment_logs l JOIN seed_commitments c ON c.id = l.commitment_id JOIN seed_couples s USING (n)
WHERE l.status = 'kept' AND ` + r(6, `l.id`) + ` < 0.25`, []any{responseBodies}},

		// Check-ins: most evenings, fewer for some people, and now and then a
		// week away; moods and closeness rise, unevenly, over the year.
		{"checkins", `INSERT INTO checkins (couple_id, user_id, day, mood, connection, feel, need, worry, appreciate, visibility, late, created_at, updated_at)
SELECT s.couple, p.u, v.day,
  least(5, greatest(1, round(1.6 + 2.6 * v.prog + (q.r2 - 0.5) * 2.2)))::smallint,
  least(10, greatest(0, round(2 + 6 * v.prog + (q.r3 - 0.5) * 4)))::smallint,
  ` + lean(`$4::text[]`, `v.prog`, `q.r4`) + `, ` + lean(`$5::text[]`, `v.prog`, `q.r5`) + `,
  CASE WHEN q.r6 < 0.35 + 0.3 * v.prog THEN '' ELSE ` + lean(`$6::text[]`, `v.prog`, `q.r6`) + ` END,
  CASE WHEN q.r7 < 0.1 THEN '' ELSE ` + lean(`$7::text[]`, `v.prog`, `q.r7`) + ` END,
  CASE WHEN q.r8 < 0.08 THEN 'private' WHEN s.therapist IS NOT NULL AND q.r8 < 0.4 THEN 'therapist' ELSE 'partner' END,
  false, w.at, w.at
FROM seed_couples s CROSS JOIN LATERAL (VALUES (1, s.a), (2, s.b)) p(side, u)
CROSS JOIN generate_series(0, $3::int - 1) d(k)
CROSS JOIN LATERAL (SELECT $2::date + d.k AS day, d.k::float8 / $3::int AS prog, s.n::bigint * 1000000 + d.k * 10 + p.side AS key) v
CROSS JOIN LATERAL (SELECT ` + r(1, `v.key`) + ` AS r1, ` + r(2, `v.key`) + ` AS r2, ` + r(3, `v.key`) + ` AS r3, ` + r(4, `v.key`) + ` AS r4, ` +
			r(5, `v.key`) + ` AS r5, ` + r(6, `v.key`) + ` AS r6, ` + r(7, `v.key`) + ` AS r7, ` + r(8, `v.key`) + ` AS r8, ` +
			r(9, `s.n::bigint * 1000000 + (d.k / 7) * 10 + p.side`) + ` AS away, ` + r(10, `s.n * 10 + p.side`) + ` AS keen) q
CROSS JOIN LATERAL (SELECT ` + local(`v.day + time '19:30' + floor(q.r2 * 180) * interval '1 minute'`) + ` AS at OFFSET 0) w
WHERE q.away >= 0.07 AND q.r1 < 0.72 + 0.25 * q.keen`, []any{checkinFeel, checkinNeed, checkinWorry, checkinAppreciate}},
		// The other partner answers some shared check-ins, on days they
		// shared theirs too (before that, they could not read it).
		{"checkin_acks", `INSERT INTO checkin_acks (couple_id, checkin_id, user_id, body, created_at, updated_at)
SELECT c.couple_id, c.id, o.user_id, ` + pick(`$4::text[]`, r(12, `c.id`)) + `,
  greatest(c.created_at, o.created_at) + interval '20 minutes', greatest(c.created_at, o.created_at) + interval '20 minutes'
FROM checkins c JOIN seed_couples s ON s.couple = c.couple_id
JOIN checkins o ON o.couple_id = c.couple_id AND o.day = c.day AND o.user_id <> c.user_id AND o.visibility <> 'private'
WHERE c.visibility <> 'private' AND ` + r(11, `c.id`) + ` < 0.3`, []any{ackBodies}},

		// Triggers of the partner who was hurt: often at first, then fewer
		// and milder, with a floor that never quite goes away.
		{"triggers", `INSERT INTO triggers (couple_id, user_id, occurred_at, local_day, local_weekday, local_hour, category, intensity,
  what_happened, felt, helped, need, visibility, created_at, updated_at)
SELECT s.couple, s.hurt, o.at, v.day, (extract(isodow FROM v.day)::int - 1)::smallint, w.hour::smallint, ($4::text[])[w.t],
  least(10, greatest(0, round(3 + 5 * exp(-d.k / 150.0) + (q.r6 - 0.5) * 4)))::smallint,
  ($5::text[])[w.t],
  CASE WHEN q.r9 < 0.15 THEN '' ELSE ($6::text[])[w.t] END,
  CASE WHEN q.r7 < 0.3 THEN '' ELSE ($7::text[])[w.t] END,
  CASE WHEN q.r8 < 0.35 THEN '' ELSE ($8::text[])[w.t] END,
  CASE WHEN q.r2 < 0.1 THEN 'private' WHEN s.therapist IS NOT NULL AND q.r2 < 0.45 THEN 'therapist' ELSE 'partner' END,
  o.at + interval '4 minutes', o.at + interval '4 minutes'
FROM seed_couples s CROSS JOIN generate_series(0, $3::int - 1) d(k) CROSS JOIN generate_series(1, 3) e(x)
CROSS JOIN LATERAL (SELECT $2::date + d.k AS day, s.n::bigint * 1000000 + d.k * 10 + e.x AS key) v
CROSS JOIN LATERAL (SELECT ` + r(1, `v.key`) + ` AS r1, ` + r(2, `v.key`) + ` AS r2, ` + r(3, `v.key`) + ` AS r3, ` + r(4, `v.key`) + ` AS r4, ` +
			r(5, `v.key`) + ` AS r5, ` + r(6, `v.key`) + ` AS r6, ` + r(7, `v.key`) + ` AS r7, ` + r(8, `v.key`) + ` AS r8, ` + r(9, `v.key`) + ` AS r9) q
CROSS JOIN LATERAL (SELECT ` + pick(`$9::int[]`, `q.r3`) + ` AS hour, 1 + floor(q.r4 * cardinality($4::text[]))::int AS t) w
CROSS JOIN LATERAL (SELECT ` + local(`v.day + make_time(w.hour, floor(q.r5 * 40)::int, 0)`) + ` AS at OFFSET 0) o
WHERE q.r1 < (1.1 * exp(-d.k / 110.0) + 0.12) / 3`, []any{tCategory, tWhat, tFelt, tHelped, tNeed, triggerHours}},
		{"trigger_responses", `INSERT INTO trigger_responses (couple_id, trigger_id, user_id, choice, body, did, created_at, updated_at)
SELECT t.couple_id, t.id, s.other, ` + pick(`$4::text[]`, r(2, `t.id`)) + `, ` + pick(`$5::text[]`, r(3, `t.id`)) + `, ` + pick(`$6::text[]`, r(4, `t.id`)) + `,
  t.created_at + interval '15 minutes', t.created_at + interval '15 minutes'
FROM triggers t JOIN seed_couples s ON s.couple = t.couple_id
WHERE t.visibility <> 'private' AND ` + r(1, `t.id`) + ` < 0.55`, []any{triggerChoices, triggerResponseBodies, triggerResponseDid}},
		// Setbacks: now and then one of them marks a hard day, a little more
		// often early in the year.
		{"setbacks", `INSERT INTO setbacks (couple_id, user_id, day, note, visibility, created_at)
SELECT s.couple, p.u, v.day, ` + pick(`$4::text[]`, `q.r2`) + `,
  CASE WHEN q.r3 < 0.1 THEN 'private' WHEN s.therapist IS NOT NULL AND q.r3 < 0.5 THEN 'therapist' ELSE 'partner' END,
  ` + local(`v.day + time '21:40'`) + `
FROM seed_couples s CROSS JOIN LATERAL (VALUES (1, s.a), (2, s.b)) p(side, u)
CROSS JOIN generate_series(0, $3::int - 1) d(k)
CROSS JOIN LATERAL (SELECT $2::date + d.k AS day, s.n::bigint * 1000000 + d.k * 10 + p.side AS key) v
CROSS JOIN LATERAL (SELECT ` + r(13, `v.key`) + ` AS r1, ` + r(14, `v.key`) + ` AS r2, ` + r(15, `v.key`) + ` AS r3) q
WHERE q.r1 < 0.02 - 0.012 * d.k / $3::int`, []any{setbackNotes}},
		// Sessions every other week, on a weekday of each couple's own, from
		// the week the therapist was linked to the one after the last day.
		{"therapy_sessions", `INSERT INTO therapy_sessions (couple_id, therapist_id, day, created_at)
SELECT s.couple, s.therapist, v.day, ` + local(`$2::date - 1 + time '18:10'`) + `
FROM seed_couples s CROSS JOIN generate_series(0, ($3::int + 14) / 14) w(k)
CROSS JOIN LATERAL (SELECT $2::date + 14 * w.k + s.n % 14 AS day) v
WHERE s.therapist IS NOT NULL AND v.day <= $2::date + $3::int + 13`, nil},
		{"hard_dates", `INSERT INTO hard_dates (couple_id, label, on_date, yearly, created_by, created_at)
SELECT s.couple, h.label, h.on_date, true, s.hurt, ` + local(`$2::date + 2 + time '20:00'`) + ` + h.o * interval '1 minute'
FROM seed_couples s JOIN couple_context x ON x.couple_id = s.couple
CROSS JOIN LATERAL (VALUES (1, 'The day I found out', x.came_to_light), (2, 'Our wedding anniversary', $2::date + (s.n * 37) % 300)) h(o, label, on_date)
WHERE h.o = 1 OR s.n % 2 = 0
ORDER BY s.n, h.o`, nil},
		// Comfort plans: each partner wrote what helps them, shared it, and
		// in every other couple the other partner agreed.
		{"comfort_plans", `INSERT INTO comfort_plans (couple_id, user_id, body, shared_at, agreed_at, agreed_by, created_at)
SELECT s.couple, p.u, p.body, ` + local(`$2::date + 3 + time '21:00'`) + `,
  CASE WHEN s.n % 2 = 0 THEN ` + local(`$2::date + 4 + time '08:00'`) + ` END, CASE WHEN s.n % 2 = 0 THEN p.other END,
  ` + local(`$2::date + 3 + time '21:00'`) + `
FROM seed_couples s CROSS JOIN LATERAL (VALUES (s.a, s.b, 'Sit with me, no explanations yet.'),
  (s.b, s.a, 'Give me twenty minutes, then check on me.')) p(u, other, body)`, nil},
	}
}
