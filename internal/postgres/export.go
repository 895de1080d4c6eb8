package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/mend-app/mend/internal/mend"
)

// An export reads each kind with the same scopes the pages use (checkinScope,
// triggerScope, commitmentScope…), never a table as it is: what a page would
// not show the reader, their export does not hold. All the statements go in
// one batch (one round trip) and each row is handed to the writer as it
// arrives, so a year of entries never sits in memory.

// exportQuery is one kind of an export: its table and its statement.
type exportQuery struct {
	table mend.ExportTable
	sql   string
	args  []any
}

var col = mend.Col

// Columns that recur.
var (
	colCheckinDay = col("day", "the writer's local date of the check-in")
	colUser       = col("user_id", "who wrote it (see people)")
	colVisibility = col("visibility", "who it is for: private (just its writer), partner, or therapist (the partner and the therapist, when shared)")
	colCreated    = col("created_at", "when it was written")
	colUpdated    = col("updated_at", "when it was last changed")
)

// partnerExport is the export of partner a, whose own today is today.
func partnerExport(a mend.PartnerAccess, today time.Time) []exportQuery {
	c, u := a.CoupleID(), a.UserID()
	set := setSQL(commitmentScope, false)
	inScope := `(SELECT c.id ` + commitmentScope + ` OFFSET 0) s`
	return []exportQuery{
		{mend.ExportTable{Name: "people", About: "The partners now in your space: the ids other files use for who wrote what.",
			Columns: []mend.ExportColumn{col("couple_id", "your couple space"), col("user_id", "the person's id"), col("name", "their name"),
				col("time_zone", "their time zone"), col("joined_at", "when they joined the space")}},
			myMembersSQL, []any{u}},
		{mend.ExportTable{Name: "starting_words", About: "What each of you said at the start, as you see it: your own words, and your partner's when they shared them with you.",
			Columns: []mend.ExportColumn{col("author_id", "who wrote them"), col("what_happened", "what happened, as chosen from the list"),
				col("details", "in their words"), col("came_to_light", "the day it came to light"), col("rebuilding", "who is rebuilding trust, from the author's side: me, partner or both"),
				colVisibility, col("about_earlier_partner", "true when written about a partner who has since left")}},
			myContextSQL, []any{u}},
		{mend.ExportTable{Name: "checkins", About: "Daily check-ins: all of yours, private ones included, and your partner's that are shared with you. A partner's check-in you cannot read yet (reveal together) has empty scores and words.",
			Columns: []mend.ExportColumn{col("id", "the check-in"), col("couple_id", "your couple space"), colUser, colCheckinDay,
				col("mood", "mood, 1 to 5 (0: not readable yet)"), col("connection", "how close and connected, 0 to 10"),
				col("feel", "what I feel"), col("need", "what I need"), col("worry", "what worries me"), col("appreciate", "one thing I appreciated"),
				colVisibility, col("late", "true when added the day after"), colCreated, colUpdated, col("readable", "false when its words are not shown to you yet")}},
			`SELECT ` + checkinCols + ` ` + checkinScope + ` ORDER BY c.day, c.user_id`, []any{c, u, today}},
		{mend.ExportTable{Name: "checkin_versions", About: "Earlier versions of your own check-ins, kept each time you changed one. Only yours: nobody else sees them.",
			Columns: []mend.ExportColumn{col("checkin_id", "the check-in (see checkins)"), colCheckinDay, col("mood", "mood then"), col("connection", "connection then"),
				col("feel", "what I feel"), col("need", "what I need"), col("worry", "what worries me"), col("appreciate", "one thing I appreciated"),
				colVisibility, col("saved_at", "when this version was written")}},
			`SELECT v.checkin_id, c.day, v.mood, v.connection, v.feel, v.need, v.worry, v.appreciate, v.visibility, v.saved_at
FROM checkin_versions v JOIN checkins c ON c.id = v.checkin_id AND c.couple_id = v.couple_id
WHERE v.couple_id = $1 AND c.user_id = $2 AND ` + guardPartner + `
ORDER BY c.day, v.saved_at, v.id`, []any{c, u}},
		{mend.ExportTable{Name: "checkin_answers", About: "Answers on check-ins: the ones you wrote, and your partner's on your shared check-ins.",
			Columns: []mend.ExportColumn{col("checkin_id", "the check-in answered (see checkins)"), colCheckinDay, col("user_id", "who answered"),
				col("body", "the answer"), col("updated_at", "when it was last written")}},
			`SELECT a.checkin_id, c.day, a.user_id, a.body, a.updated_at
FROM checkin_acks a JOIN checkins c ON c.id = a.checkin_id AND c.couple_id = a.couple_id
WHERE a.couple_id = $1 AND ` + guardPartner + ` AND ` + ackVisible + `
ORDER BY c.day, a.id`, []any{c, u}},
		{mend.ExportTable{Name: "commitments", About: "The commitments of the two of you now in the space.",
			Columns: []mend.ExportColumn{col("id", "the commitment"), col("couple_id", "your couple space"), col("owner_id", "who keeps it"),
				col("state", "where it stands"), col("version", "its agreed (or latest) version"), col("pending", "a proposed change waiting, by version (0: none)"),
				col("changes_asked", "how many changes were asked"), colCreated, colUpdated}},
			set[0], []any{c, u, 0}},
		{mend.ExportTable{Name: "commitment_versions", About: "Every version of each commitment: what was proposed and agreed.",
			Columns: []mend.ExportColumn{col("commitment_id", "see commitments"), col("version", "1, 2…"), col("proposed_by", "who proposed it"),
				col("title", "the promise"), col("details", "details"), col("rhythm", "daily, weekdays, weekly or each_time"),
				col("weekdays", "for weekdays: bit 0 Monday … bit 6 Sunday"), col("starts_on", "first day"), col("review_on", "review day"), colVisibility, colCreated}},
			set[1], []any{c, u, 0}},
		{mend.ExportTable{Name: "commitment_events", About: "What happened to each commitment: proposed, agreed, a change asked, paused…",
			Columns: []mend.ExportColumn{col("commitment_id", "see commitments"), col("version", "the version it was about"), col("actor_id", "who did it"),
				col("action", "what was done"), col("note", "their note"), col("on_day", "their local day"), col("at", "when")}},
			set[2], []any{c, u, 0}},
		{mend.ExportTable{Name: "commitment_logs", About: "The owner's logs: kept, partly or missed, with a note.",
			Columns: []mend.ExportColumn{col("id", "the log"), col("commitment_id", "see commitments"), col("occurs_on", "the day it was for"),
				col("status", "kept, partly or missed"), col("note", "the owner's note"), col("late", "true when logged after the day"), colCreated, colUpdated}},
			set[3], []any{c, u, 0, time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)}},
		{mend.ExportTable{Name: "commitment_log_versions", About: "Earlier versions of your own commitment logs, kept each time you changed one. Only yours: nobody else sees them.",
			Columns: []mend.ExportColumn{col("log_id", "see commitment_logs"), col("status", "kept, partly or missed, then"),
				col("note", "the note then"), col("saved_at", "when this version was written")}},
			`SELECT v.log_id, v.status, v.note, v.saved_at
FROM commitment_log_versions v JOIN commitment_logs l ON l.id = v.log_id AND l.couple_id = v.couple_id
JOIN commitments m ON m.id = l.commitment_id AND m.couple_id = l.couple_id
WHERE v.couple_id = $1 AND m.owner_id = $2 AND ` + guardPartner + `
ORDER BY v.log_id, v.saved_at, v.id`, []any{c, u}},
		{mend.ExportTable{Name: "commitment_responses", About: "The other partner's answers to logs (I saw this, and a short word).",
			Columns: []mend.ExportColumn{col("log_id", "see commitment_logs"), col("user_id", "who answered"), col("confirmed", "true when confirmed"),
				col("body", "their words"), col("updated_at", "when last written")}},
			`SELECT r.log_id, r.user_id, r.confirmed, r.body, r.updated_at
FROM ` + inScope + ` JOIN commitment_logs l ON l.couple_id = $1 AND l.commitment_id = s.id
JOIN commitment_responses r ON r.couple_id = l.couple_id AND r.log_id = l.id
ORDER BY r.id`, []any{c, u}},
		{mend.ExportTable{Name: "triggers", About: "The trigger log: all of yours, private ones included, and your partner's that are shared with you.",
			Columns: []mend.ExportColumn{col("id", "the trigger"), col("couple_id", "your couple space"), colUser, col("occurred_at", "when it happened"),
				col("local_day", "the writer's local day"), col("local_weekday", "0 Sunday … 6 Saturday"), col("local_hour", "0 to 23"),
				col("category", "place, person, date, behaviour, media, time_of_day or other"), col("intensity", "0 to 10"),
				col("what_happened", "what happened"), col("felt", "what I felt"), col("helped", "what helped"), col("need", "what I need from my partner"),
				colVisibility, colCreated, colUpdated}},
			`SELECT ` + triggerCols + ` ` + triggerScope + ` ORDER BY t.occurred_at, t.id`, []any{c, u}},
		{mend.ExportTable{Name: "trigger_versions", About: "Earlier versions of your own triggers, kept each time you changed one. Only yours: nobody else sees them.",
			Columns: []mend.ExportColumn{col("trigger_id", "the trigger (see triggers)"), col("occurred_at", "when it happened"),
				col("category", "the category then"), col("intensity", "0 to 10"), col("what_happened", "what happened"), col("felt", "what I felt"),
				col("helped", "what helped"), col("need", "what I need from my partner"), colVisibility, col("saved_at", "when this version was written")}},
			`SELECT v.trigger_id, v.occurred_at, v.category, v.intensity, v.what_happened, v.felt, v.helped, v.need, v.visibility, v.saved_at
FROM trigger_versions v JOIN triggers t ON t.id = v.trigger_id AND t.couple_id = v.couple_id
WHERE v.couple_id = $1 AND t.user_id = $2 AND ` + guardPartner + `
ORDER BY v.trigger_id, v.saved_at, v.id`, []any{c, u}},
		{mend.ExportTable{Name: "trigger_responses", About: "Responses to triggers: the ones you gave, and your partner's to yours.",
			Columns: []mend.ExportColumn{col("trigger_id", "see triggers"), col("user_id", "who responded"), col("choice", "the response chosen"),
				col("body", "their words"), col("did", "what they did"), col("updated_at", "when last written")}},
			`SELECT r.trigger_id, r.user_id, r.choice, r.body, r.did, r.updated_at
FROM (SELECT t.id, t.user_id ` + triggerScope + ` OFFSET 0) p
JOIN trigger_responses r ON r.couple_id = $1 AND r.trigger_id = p.id AND ` + answerVisible + `
ORDER BY r.id`, []any{c, u}},
		{mend.ExportTable{Name: "hard_dates", About: "Hard dates Mend announces to both of you.",
			Columns: []mend.ExportColumn{col("id", "the date"), col("label", "its name"), col("on_date", "the date"), col("yearly", "true when it comes back each year"),
				col("created_by", "who added it (0: nobody now)"), colCreated, col("plan", "the plan for the day")}},
			`SELECT h.id, h.label, h.on_date, h.yearly, coalesce(h.created_by, 0), h.created_at, h.plan ` + hardDateScope + ` ORDER BY h.on_date, h.id`,
			[]any{c, u}},
		{mend.ExportTable{Name: "setbacks", About: "Setbacks marked on progress: all of yours, and your partner's shared with you.",
			Columns: []mend.ExportColumn{col("id", "the setback"), col("couple_id", "your couple space"), colUser, col("day", "the day"),
				col("note", "the note"), colVisibility, colCreated}},
			`SELECT ` + setbackCols + ` ` + setbackScope + ` ORDER BY s.day, s.id`, []any{c, u}},
		{mend.ExportTable{Name: "disclosures", About: "Something I need to tell you: all of yours, drafts included, and your partner's sent to you.",
			Columns: []mend.ExportColumn{col("id", "the disclosure"), colUser, col("how", "told or discovered"), col("topic", "what it is about"),
				col("happened_on", "the day it happened or was found out"), col("body", "the words"), colVisibility,
				col("sent_at", "when it was sent (empty: a draft)"), colCreated, colUpdated}},
			`SELECT d.id, d.user_id, d.how, d.topic, d.happened_on, d.body, d.visibility, d.sent_at, d.created_at, d.updated_at ` + disclosureScope + `
ORDER BY d.happened_on, d.id`, []any{c, u}},
		{mend.ExportTable{Name: "disclosure_answers", About: "Answers to disclosures: the ones you wrote, and your partner's to yours.",
			Columns: []mend.ExportColumn{col("disclosure_id", "see disclosures"), col("user_id", "who answered"), col("body", "their words"), colCreated}},
			`SELECT r.disclosure_id, r.user_id, r.body, r.created_at
FROM (SELECT d.id, d.user_id ` + disclosureScope + ` OFFSET 0) p
JOIN disclosure_answers r ON r.couple_id = $1 AND r.disclosure_id = p.id AND ` + answerVisible + `
ORDER BY r.id`, []any{c, u}},
		{mend.ExportTable{Name: "statement_versions", About: "Accountability statements, part by part: every version of yours, your draft included, and the versions your partner sent you.",
			Columns: []mend.ExportColumn{col("id", "the version"), col("statement_id", "the statement"), colUser, col("did", "what I did"),
				col("impact", "the impact I understand it had on you"), col("regret", "what I regret"), col("changing", "what I am changing"),
				col("commitment_ids", "the commitments it links to (see commitments)"), col("sent_at", "when it was sent (empty: the draft)"),
				col("share_therapist", "true when its writer shares the statement with the therapist"), colCreated, colUpdated}},
			`SELECT ` + strings.Replace(statementVersionCols, "v.commitment_ids", "array_to_string(v.commitment_ids, ' ')", 1) + ` ` + statementVersionScope + `
ORDER BY v.id`, []any{c, u}},
		{mend.ExportTable{Name: "statement_answers", About: "Answers to each part of a statement's versions: the ones you wrote, and your partner's to yours.",
			Columns: []mend.ExportColumn{col("version_id", "see statement_versions"), col("user_id", "who answered"), col("part", "did, impact, regret or changing"),
				col("lands", "true: this lands; false: I need more here"), col("note", "their note"), colCreated}},
			statementAnswersSQL, []any{c, u}},
		{mend.ExportTable{Name: "comfort_plans", About: "What helps each of you when a trigger hits: every version of yours, private ones included, and your partner's shared with you.",
			Columns: []mend.ExportColumn{col("id", "the version"), colUser, col("body", "the words"),
				col("shared_at", "when it was shared with the partner (empty: private)"), col("agreed_at", "when the other partner agreed to it"), colCreated}},
			`SELECT ` + comfortCols + ` ` + comfortScope + ` ORDER BY p.user_id, p.id`, []any{c, u}},
		{mend.ExportTable{Name: "guidance_set_aside", About: "The guidance cards you set aside. Only yours.",
			Columns: []mend.ExportColumn{col("card", "the card's name"), col("created_at", "when you set it aside")}},
			`SELECT card, created_at FROM guidance_dismissals WHERE user_id = $1 ORDER BY created_at, card`, []any{u}},
		{mend.ExportTable{Name: "prompt_answers", About: "Answers to prompts: all of yours, private ones included, and your partner's shared with you (a talk-together answer once you shared yours).",
			Columns: []mend.ExportColumn{col("id", "the answer"), colUser, col("prompt_key", "the prompt (see couple_prompts for own-…)"),
				col("mode", "talk (together) or write (alone)"), col("day", "the prompt's day"), col("body", "the words (empty when not shown to you yet)"),
				colVisibility, colCreated, colUpdated, col("readable", "false when its words are not shown to you yet")}},
			`SELECT ` + answerCols + ` ` + answerScope + ` ORDER BY x.day, x.id`, []any{c, u}},
		{mend.ExportTable{Name: "couple_prompts", About: "Prompts the two of you added to the prompts of the day.",
			Columns: []mend.ExportColumn{col("id", "the prompt (own-id in prompt_answers)"), col("user_id", "who added it"), col("category", "what it is about"),
				col("mode", "talk or write"), col("body", "the words"), colCreated}},
			`SELECT p.id, p.user_id, p.category, p.mode, p.body, p.created_at FROM couple_prompts p WHERE p.couple_id = $1 AND ` + guardPartner + `
ORDER BY p.id`, []any{c, u}},
		{mend.ExportTable{Name: "journal_entries", About: "Journal entries: all of yours, private ones included, and your partner's shared with you.",
			Columns: []mend.ExportColumn{col("id", "the entry"), colUser, col("body", "the words"), colVisibility, colCreated}},
			`SELECT x.id, x.user_id, x.body, x.visibility, x.created_at FROM journal_entries x WHERE x.couple_id = $1 AND ` + guardPartner + ` AND ` + partnerShared + `
ORDER BY x.created_at, x.id`, []any{c, u}},
		{mend.ExportTable{Name: "time_together", About: "Time together the two of you logged (both partners see all of it).",
			Columns: []mend.ExportColumn{col("id", "the time together"), col("user_id", "who logged it"), col("on_day", "the day"),
				col("what", "what you did"), colCreated}},
			`SELECT t.id, t.user_id, t.on_day, t.what, t.created_at ` + togetherScope + ` ORDER BY t.on_day, t.id`, []any{c, u}},
		{mend.ExportTable{Name: "time_together_notes", About: "Each partner's own note on a time together, and how connected it felt (0 to 10, empty when not given).",
			Columns: []mend.ExportColumn{col("together_id", "see time_together"), col("user_id", "who wrote it"), col("note", "their words"),
				col("rating", "0 to 10"), col("updated_at", "when last written")}},
			`SELECT n.together_id, n.user_id, n.note, n.rating, n.updated_at
FROM (SELECT t.id ` + togetherScope + ` OFFSET 0) p
JOIN time_together_notes n ON n.couple_id = $1 AND n.together_id = p.id
  AND (n.user_id = $2 OR (n.created_at >= ` + bothJoined + ` AND n.user_id IN ` + currentPartners + `))
ORDER BY n.together_id, n.user_id`, []any{c, u}},
		{mend.ExportTable{Name: "talk_times", About: "Your talk times, agreed or waiting for an answer.",
			Columns: []mend.ExportColumn{col("id", "the talk time"), col("couple_id", "your couple space"), col("proposed_by", "who proposed it (see people)"),
				col("weekday", "0 Sunday … 6 Saturday"), col("start_min", "minutes after midnight, in time_zone"), col("minutes", "how long"),
				col("time_zone", "the proposer's time zone"), col("status", "proposed or agreed"), col("answered_by", "who answered last (empty: nobody)"),
				col("answered_at", "when"), colCreated}},
			`SELECT ` + talkTimeCols + ` ` + talkTimeScope + ` ORDER BY t.id`, []any{c, u}},
		{mend.ExportTable{Name: "parked_topics", About: "Topics parked for a talk time: all of yours, and your partner's once shared or once their talk time started.",
			Columns: []mend.ExportColumn{col("id", "the topic"), colUser, col("title", "its title"), col("note", "the note"),
				col("question_id", "the question it is (see questions; empty: none)"), col("opens_at", "when its talk time starts"),
				col("shared_at", "when it was shared before then"), col("talked_at", "when it was talked through"),
				col("talked_by", "who marked it"), colCreated}},
			`SELECT t.id, t.user_id, t.title, t.note, t.question_id, t.opens_at, t.shared_at, t.talked_at, t.talked_by, t.created_at ` + topicScope + `
ORDER BY t.created_at, t.id`, []any{c, u, time.Now()}},
		{mend.ExportTable{Name: "questions", About: "Questions asked by the partner who was hurt, with the answers.",
			Columns: []mend.ExportColumn{col("id", "the question"), col("user_id", "who asked"), col("body", "the question"),
				col("about", "meaning or details"), col("share_answer", "true when the asker shares it, with its answer, with the therapist"), colCreated, col("answered_by", "who answered (empty: no answer yet)"),
				col("answer", "the answer's words"), col("talk", "true when marked to talk about at a talk time"), col("answered_at", "when")}},
			`SELECT q.id, q.user_id, q.body, q.about, q.share_answer, q.created_at, r.user_id, r.body, r.talk, r.created_at
FROM (SELECT q.id, q.user_id, q.body, q.about, q.share_answer, q.created_at ` + questionScope + ` OFFSET 0) q
LEFT JOIN question_answers r ON r.couple_id = $1 AND r.question_id = q.id AND r.user_id IN ` + currentPartners + `
ORDER BY q.id`, []any{c, u}},
		{mend.ExportTable{Name: "session_checks", About: "Your own short checks after sessions with your therapist (up to 500, latest first). Only yours.",
			Columns: []mend.ExportColumn{col("id", "the check"), col("user_id", "you"), col("session_day", "the session's day"),
				col("went", "how it went, 1 to 5"), col("heard", "felt heard, 1 to 5"), col("connected", "close and connected, 0 to 10"),
				col("hopeful", "hopeful about the two of you, 0 to 10"), col("note", "your note"),
				col("shared", "true when shared with the therapist"), colCreated, colUpdated}},
			ownSessionChecksSQL, []any{c, u, time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)}},
		{mend.ExportTable{Name: "suggestions", About: "What your therapist suggested to the two of you since you both joined the space.",
			Columns: []mend.ExportColumn{col("id", "the suggestion"), col("kind", "commitment or talk"), col("title", "its title"),
				col("body", "its words"), col("therapist_name", "who sent it (empty: an account since deleted)"), colCreated,
				col("set_aside", "true when you set it aside")}},
			`SELECT ` + suggestionCols + `,
  EXISTS (SELECT 1 FROM suggestion_dismissals d WHERE d.couple_id = $1 AND d.suggestion_id = s.id AND d.user_id = $2)
` + suggestionScope + ` ORDER BY s.created_at, s.id`, []any{c, u}},
		{mend.ExportTable{Name: "email_reminders", About: "The email reminders you turned on in Settings (no row: you never saved them, and all are off).",
			Columns: []mend.ExportColumn{col("checkin", "true: a daily check-in reminder"), col("checkin_at", "its local time of day"),
				col("partner", "true: a note when your partner proposes, answers or responds"), col("hard_dates", "true: a note a few days before a hard date"),
				colUpdated}},
			`SELECT checkin, to_char(checkin_at, 'HH24:MI'), partner, hard_dates, updated_at FROM reminder_settings WHERE user_id = $1`, []any{u}},
		{mend.ExportTable{Name: "sharing_choices", About: "Each partner's choices of what to share with a therapist, since you joined (as the Sharing page lists them, every row).",
			Columns: []mend.ExportColumn{col("user_id", "who chose"), col("name", "their name"), col("kind", "what kind of entries"),
				col("shared", "true: shared from then on; false: not shared"), col("at", "when")}},
			consentAllSQL, []any{c, u}},
		{mend.ExportTable{Name: "therapist_views", About: "Every page a therapist opened about your space since you joined (the Sharing page groups them into visits).",
			Columns: []mend.ExportColumn{col("therapist_id", "who (0: an account since deleted)"), col("therapist_name", "their name"),
				col("kind", "which page"), col("viewed_at", "when")}},
			viewsSQL, []any{c, u, int64(1) << 40}},
	}
}

// therapistExport is what therapist userID wrote: their notes, their
// suggestions and the session dates they recorded, in every couple they
// were ever linked to.
//
// Each couple's rows are read by its index (a lateral subquery that OFFSET
// 0 keeps whole): joined, the planner scanned every couple's sessions for
// a therapist of many couples.
func therapistExport(userID int64) []exportQuery {
	couples := `(SELECT DISTINCT l.couple_id FROM therapist_links l WHERE l.therapist_id = $1) k`
	return []exportQuery{
		{mend.ExportTable{Name: "therapy_sessions", About: "The session dates you recorded.",
			Columns: []mend.ExportColumn{col("couple_id", "the couple"), col("id", "the session"), col("day", "its date"), colCreated}},
			`SELECT s.* FROM ` + couples + ` CROSS JOIN LATERAL (SELECT s.couple_id, s.id, s.day, s.created_at FROM therapy_sessions s
  WHERE s.couple_id = k.couple_id AND s.therapist_id = $1 ORDER BY s.day, s.id OFFSET 0) s ORDER BY s.couple_id`, []any{userID}},
		{mend.ExportTable{Name: "notes", About: "Your private notes: nobody else ever reads them.",
			Columns: []mend.ExportColumn{col("couple_id", "the couple"), col("id", "the note"), col("session_id", "the session it is about (empty: none)"),
				col("body", "the note"), colCreated, colUpdated}},
			`SELECT n.* FROM ` + couples + ` CROSS JOIN LATERAL (SELECT n.couple_id, n.id, n.session_id, n.body, n.created_at, n.updated_at
  FROM therapist_notes n WHERE n.couple_id = k.couple_id AND n.therapist_id = $1 ORDER BY n.created_at, n.id OFFSET 0) n ORDER BY n.couple_id`, []any{userID}},
		{mend.ExportTable{Name: "suggestions", About: "The suggestions you sent couples.",
			Columns: []mend.ExportColumn{col("couple_id", "the couple"), col("id", "the suggestion"), col("kind", "commitment or talk"),
				col("title", "its title"), col("body", "its words"), colCreated}},
			`SELECT s.* FROM ` + couples + ` CROSS JOIN LATERAL (SELECT s.couple_id, s.id, s.kind, s.title, s.body, s.created_at
  FROM suggestions s WHERE s.couple_id = k.couple_id AND s.therapist_id = $1 ORDER BY s.created_at, s.id OFFSET 0) s ORDER BY s.couple_id`, []any{userID}},
	}
}

// safetyExport is userID's own safety checks and the requests to talk
// alone they sent a therapist: private to them, and in their export only
// when they ask for it.
func safetyExport(userID int64) []exportQuery {
	return []exportQuery{
		{mend.ExportTable{Name: "safety_checks", About: "Your private safety checks. Only yours: nobody else sees them, or that you took one.",
			Columns: []mend.ExportColumn{col("at", "when"), col("set_aside", "true when you set the check aside without answering"),
				col("afraid", "Do you ever feel afraid of your partner? (no, sometimes or often)"),
				col("harmed", "Has your partner hurt, threatened or controlled you? (no, unsure or yes)"),
				col("safe_home", "Do you feel safe at home right now? (yes, unsure or no)"),
				col("ending_life", "Have you had thoughts of ending your life? (no, sometimes or often)")}},
			`SELECT at, dismissed, afraid, harmed, safe_home, ending_life FROM safety_checks WHERE user_id = $1 ORDER BY at, id`, []any{userID}},
		{mend.ExportTable{Name: "talk_alone_requests", About: "The times you asked your therapist to talk to you alone.",
			Columns: []mend.ExportColumn{col("couple_id", "your couple space then"), col("sent_at", "when you asked"),
				col("done_at", "when the therapist marked it dealt with (empty: not yet)")}},
			`SELECT couple_id, sent_at, done_at FROM therapist_flags WHERE user_id = $1 ORDER BY sent_at, id`, []any{userID}},
	}
}

// ExportSafety writes userID's own safety checks and talk-alone requests
// to w, in one round trip.
func (db *DB) ExportSafety(ctx context.Context, userID int64, w mend.ExportWriter) error {
	return db.export(ctx, safetyExport(userID), w)
}

// ExportPartner writes what partner a (whose own today is today) may see
// of their space to w, kind by kind, in one round trip, each row as it is
// read. An error from w stops it and is returned as it is.
func (db *DB) ExportPartner(ctx context.Context, a mend.PartnerAccess, today time.Time, w mend.ExportWriter) error {
	return db.export(ctx, partnerExport(a, today), w)
}

// ExportTherapist writes what therapist userID wrote to w, in one round
// trip, each row as it is read.
func (db *DB) ExportTherapist(ctx context.Context, userID int64, w mend.ExportWriter) error {
	return db.export(ctx, therapistExport(userID), w)
}

func (db *DB) export(ctx context.Context, qs []exportQuery, w mend.ExportWriter) error {
	b := &pgx.Batch{}
	for _, q := range qs {
		b.Queue(q.sql, q.args...)
	}
	res := db.Pool.SendBatch(ctx, b)
	defer res.Close()
	for _, q := range qs {
		if err := w.Table(q.table); err != nil {
			return err
		}
		if err := exportRows(res, q.table, w); err != nil {
			return err
		}
	}
	return mapErr(res.Close())
}

// exportRows hands the rows of the next result of res to w as text.
func exportRows(res pgx.BatchResults, t mend.ExportTable, w mend.ExportWriter) error {
	rows, err := res.Query()
	if err != nil {
		return mapErr(err)
	}
	defer rows.Close()
	fields := rows.FieldDescriptions()
	if len(fields) != len(t.Columns) {
		return fmt.Errorf("export %s: %d columns described, %d read", t.Name, len(t.Columns), len(fields))
	}
	cells := make([]string, len(fields))
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			return mapErr(err)
		}
		for i, v := range vals {
			cells[i] = exportCell(v, fields[i].DataTypeOID)
		}
		if err := w.Row(cells); err != nil {
			return err
		}
	}
	return mapErr(rows.Err())
}

// exportCell is v as export text: a date as YYYY-MM-DD, a time in RFC 3339
// (UTC), nothing as an empty cell.
func exportCell(v any, oid uint32) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case int16:
		return strconv.FormatInt(int64(x), 10)
	case int32:
		return strconv.FormatInt(int64(x), 10)
	case int64:
		return strconv.FormatInt(x, 10)
	case time.Time:
		if oid == pgtype.DateOID {
			return x.Format(time.DateOnly)
		}
		return x.UTC().Format(time.RFC3339Nano)
	case pgtype.InfinityModifier:
		return x.String()
	}
	return fmt.Sprint(v)
}
