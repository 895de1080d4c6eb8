package e2e

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/postgres"
	"github.com/mend-app/mend/internal/postgres/pgtest"
	"github.com/mend-app/mend/internal/service"
)

// auditData is what the page audit seeded: the people and the ids that
// fill the pages' addresses.
type auditData struct {
	maren, tobias, helga *mend.User
	wren, odile          *mend.User
	coupleID             int64
	inviteToken          string // Odile's invite, for a visitor's join page
	resetPath            string // the reset link Odile was sent
	confirmPath          string // the confirmation link Ines was sent
	commitment           int64  // Maren's, in force, with three weeks of logs
	proposal             int64  // Maren's proposal for Tobias, waiting for him
	paused               int64  // Tobias's, paused
	trigger              int64  // Maren's latest trigger, answered
	draft                int64  // Tobias's unsent disclosure
	journalEntry         int64  // Maren's journal entry
	answer               int64  // Maren's answer to today's prompt
	together             int64  // a time together Maren logged
	ownPrompt            int64  // the prompt of their own Tobias added
	topic                int64  // the topic Maren parked, private to her
	question             int64  // Maren's question Tobias answered
	note                 int64  // Helga's note about the last session
	lastSession          string // the session day open for a check
	checkedSession       string // the session day Maren has checked
}

// seedAudit builds a couple three weeks into Mend with something on every
// page, through the services as the app writes it: Maren (the partner who
// was hurt) and Tobias, linked to Dr Helga Lind with consent to share;
// Wren, who has no space yet; and Odile, whose space waits for her partner.
// Days in the past are written on a clock moved back to them.
func seedAudit(t *testing.T, svc *service.Services, db *postgres.DB) auditData {
	t.Helper()
	ctx := context.Background()
	var d auditData
	d.maren, d.tobias = signUpNamed(t, svc, "Maren", ""), signUpNamed(t, svc, "Tobias", "")
	d.helga = signUpNamed(t, svc, "Helga", "Dr Helga Lindqvist-Amadi")
	d.wren, d.odile = signUpNamed(t, svc, "Wren", ""), signUpNamed(t, svc, "Odile", "")
	m, b := d.maren, d.tobias
	day := func(n int) string { return londonDay(n) }
	ago := func(n int) { svc.SetClock(func() time.Time { return now().AddDate(0, 0, -n) }) }
	defer svc.SetClock(now)

	// The space, begun four weeks ago, with both partners' starting words.
	_, err := svc.Couples.Start(ctx, m, service.StartInput{WhatHappened: "affair", Rebuilding: "partner", CameToLight: day(-40),
		Details: "I found messages on the shared tablet in the spring. It had gone on for most of a year."})
	must(t, "start", err)
	token, _, err := svc.Couples.CreateInvite(ctx, m, mend.InvitePartner)
	must(t, "invite", err)
	_, err = svc.Couples.Accept(ctx, b, token)
	must(t, "join", err)
	must(t, "Tobias's words", svc.Couples.SetContext(ctx, b, service.ContextInput{WhatHappened: "affair", Rebuilding: "me",
		Details: "I kept a relationship secret for almost a year. I want to earn back her trust, one honest day at a time."}))
	sp, err := svc.Couples.Space(ctx, m)
	must(t, "space", err)
	d.coupleID = sp.Access.CoupleID()
	_, err = db.Pool.Exec(ctx, `UPDATE couples SET created_at = created_at - interval '28 days' WHERE id = $1`, d.coupleID)
	must(t, "begin four weeks ago", err)
	_, err = db.Pool.Exec(ctx, `UPDATE couple_members SET joined_at = joined_at - interval '28 days' WHERE couple_id = $1`, d.coupleID)
	must(t, "join four weeks ago", err)

	// Their therapist, agreed by both, and what each shares with her.
	token, _, err = svc.Couples.CreateInvite(ctx, b, mend.InviteTherapist)
	must(t, "invite the therapist", err)
	_, err = svc.Couples.Accept(ctx, d.helga, token)
	must(t, "the therapist accepts", err)
	sp, err = svc.Couples.Space(ctx, m)
	must(t, "space", err)
	if sp.PendingLink == nil {
		t.Fatal("no link waits for Maren's agreement")
	}
	must(t, "Maren agrees", svc.Couples.AgreeToTherapist(ctx, m, sp.PendingLink.ID))
	for _, u := range []*mend.User{m, b} {
		_, err := svc.Couples.SetDefaults(ctx, u, map[string]bool{mend.KindCheckins: true, mend.KindTriggers: true,
			mend.KindCommitments: true, mend.KindDisclosures: true, mend.KindSetbacks: true, mend.KindQuestions: true,
			mend.KindStatement: true, mend.KindJournal: true})
		must(t, "share with the therapist", err)
	}

	// Three weeks of check-ins, most days both, with words on some.
	shared, partner, private := string(mend.PartnerAndTherapist), string(mend.MyPartner), string(mend.JustMe)
	for n := 20; n >= 1; n-- {
		ago(n)
		if n%6 != 3 {
			in := service.CheckinInput{Mood: strconv.Itoa(1 + (n+2)%5), Connection: strconv.Itoa((n*3 + 2) % 11), Visibility: shared}
			if n%4 == 1 {
				in.Feel, in.Need = "Tired, and a little more hopeful than last week.", "A walk together after dinner."
			}
			if n%7 == 0 {
				in.Visibility = private
			}
			_, err := svc.Checkins.Save(ctx, m, in)
			must(t, "Maren checks in "+strconv.Itoa(n), err)
		}
		if n%5 != 2 {
			in := service.CheckinInput{Mood: strconv.Itoa(1 + (n+4)%5), Connection: strconv.Itoa((n*7 + 4) % 11), Visibility: partner}
			if n%3 == 1 {
				in.Appreciate, in.Worry = "That you told me about the message straight away.", "That one slip undoes the good weeks."
				in.Visibility = shared
			}
			_, err := svc.Checkins.Save(ctx, b, in)
			must(t, "Tobias checks in "+strconv.Itoa(n), err)
		}
	}
	ago(0)
	must(t, "Tobias answers", svc.Checkins.Acknowledge(ctx, b, day(-1), "Thank you for telling me how tired you are. I will take the evening walk."))
	must(t, "Maren answers", svc.Checkins.Acknowledge(ctx, m, day(-1), "Thank you for saying it."))
	// Today Maren has checked in and Tobias not yet.
	_, err = svc.Checkins.Save(ctx, m, service.CheckinInput{Mood: "3", Connection: "6", Feel: "Steadier than yesterday.",
		Need: "Ten minutes to talk tonight, phones away.", Appreciate: "The note you left on the kitchen table.", Visibility: shared})
	must(t, "Maren checks in today", err)

	// Commitments: one in force for three weeks with logs and answers, a
	// proposal waiting, one with a change asked, one paused.
	ago(20)
	d.commitment, err = svc.Commitments.Propose(ctx, b, service.CommitmentInput{For: "me", Title: "I call if I will be late",
		Details: "A call, not a text, before six.", Rhythm: string(mend.Daily), ReviewOn: day(10), Visibility: shared})
	must(t, "propose", err)
	must(t, "agree", svc.Commitments.Agree(ctx, m, d.commitment, "Yes. It helps me not to wonder."))
	weekly, err := svc.Commitments.Propose(ctx, m, service.CommitmentInput{For: "me", Title: "A walk together on Sundays",
		Rhythm: string(mend.Weekdays), Weekdays: []string{"6"}, ReviewOn: day(30), Visibility: shared})
	must(t, "propose a walk", err)
	must(t, "agree to the walk", svc.Commitments.Agree(ctx, b, weekly, ""))
	d.paused, err = svc.Commitments.Propose(ctx, b, service.CommitmentInput{For: "me", Title: "Phone face up on the table",
		Rhythm: string(mend.Daily), ReviewOn: day(25), Visibility: partner})
	must(t, "propose the phone", err)
	must(t, "agree to the phone", svc.Commitments.Agree(ctx, m, d.paused, ""))
	for n := 19; n >= 1; n-- {
		ago(n)
		status, note := mend.Kept, ""
		switch n % 7 {
		case 2:
			status, note = mend.Missed, "Stuck in a meeting and forgot. I should have stepped out to call."
		case 5:
			status, note = mend.Partly, "Texted instead of calling."
		}
		if n != 4 {
			must(t, "log "+strconv.Itoa(n), svc.Commitments.Log(ctx, b, d.commitment, service.LogInput{Status: status, Note: note}))
		}
		if n > 8 {
			must(t, "log the phone", svc.Commitments.Log(ctx, b, d.paused, service.LogInput{Status: mend.Kept}))
		}
	}
	ago(8)
	must(t, "pause", svc.Commitments.Review(ctx, m, d.paused, mend.ReviewPause, ""))
	ago(0)
	var missed int64
	must(t, "find the miss", db.Pool.QueryRow(ctx, `SELECT id FROM commitment_logs WHERE commitment_id = $1 AND status = 'missed' ORDER BY occurs_on DESC LIMIT 1`, d.commitment).Scan(&missed))
	must(t, "respond", svc.Commitments.Respond(ctx, m, d.commitment, missed, true, "Thank you for owning it. Next time step out."))
	d.proposal, err = svc.Commitments.Propose(ctx, m, service.CommitmentInput{For: "partner", Title: "Tell me when she gets in touch",
		Details: "Within the day, even when it is only a like.", Rhythm: string(mend.EachTime), ReviewOn: day(28), Visibility: shared})
	must(t, "propose for Tobias", err)
	asked, err := svc.Commitments.Propose(ctx, b, service.CommitmentInput{For: "me", Title: "No late nights at the office",
		Rhythm: string(mend.Weekdays), Weekdays: []string{"0", "2", "4"}, ReviewOn: day(21), Visibility: partner})
	must(t, "propose the evenings", err)
	must(t, "ask a change", svc.Commitments.AskChange(ctx, m, asked, "Could it be every weekday, and home by seven?"))

	// Triggers over three weeks, most answered.
	for i, tr := range []struct {
		n         int
		who       *mend.User
		cat, what string
		felt      string
	}{
		{18, m, "place", "Drove past the hotel by the ring road.", "Sick, then angry."},
		{14, m, "date", "Her birthday came up in my calendar.", "Numb."},
		{11, m, "media", "A film with a secret phone.", ""},
		{9, b, "person", "Saw her colleague at the station.", "Ashamed."},
		{6, m, "behaviour", "He turned his phone over when I came in.", "Alarmed."},
		{2, m, "time", "Late evening, waiting for the call.", "Restless."},
	} {
		ago(tr.n)
		id, err := svc.Triggers.Log(ctx, tr.who, service.TriggerInput{Category: tr.cat, Intensity: strconv.Itoa(4 + i%6),
			When: day(-tr.n-1) + "T21:30", WhatHappened: tr.what, Felt: tr.felt, Helped: "Breathing, then a walk round the block.",
			Need: "A hug, and for you to ask me about it.", Visibility: shared})
		must(t, "trigger "+strconv.Itoa(i), err)
		other := b
		if tr.who == b {
			other = m
		}
		if tr.n != 6 {
			must(t, "respond "+strconv.Itoa(i), svc.Triggers.Respond(ctx, other, id, "here", "I am here. Tell me when you want to talk.", "Made tea and sat with you."))
		}
		if tr.who == m {
			d.trigger = id
		}
	}

	// Hard dates with plans.
	ago(0)
	must(t, "hard date", svc.Triggers.AddHardDate(ctx, m, "The day I found out", day(12), true, ""))
	must(t, "hard date", svc.Triggers.AddHardDate(ctx, b, "Her birthday", day(45), true, ""))
	var dateID int64
	must(t, "find the date", db.Pool.QueryRow(ctx, `SELECT id FROM hard_dates WHERE couple_id = $1 ORDER BY id LIMIT 1`, d.coupleID).Scan(&dateID))
	must(t, "plan", svc.Triggers.SetHardDatePlan(ctx, m, dateID, "A day away from town: the coast, lunch, phones in the bag."))

	// Comfort plans: Tobias agreed to Maren's, which she then changed;
	// Maren agreed to Tobias's.
	must(t, "comfort plan", svc.Comfort.Write(ctx, m, service.ComfortInput{Body: "Sit with me, no explanations yet. Hold my hand if I reach for yours.", Share: true}))
	must(t, "comfort plan", svc.Comfort.Write(ctx, b, service.ComfortInput{Body: "Tell me what you need, even if it is space. I will not take it as a no.", Share: true}))
	for _, u := range []*mend.User{m, b} {
		pg, err := svc.Comfort.Page(ctx, u)
		must(t, "comfort page", err)
		other := b
		if u == b {
			other = m
		}
		must(t, "agree", svc.Comfort.Agree(ctx, other, pg.Mine.Current().ID))
	}
	must(t, "comfort plan", svc.Comfort.Write(ctx, m, service.ComfortInput{Body: "Sit with me, no explanations yet. Later, a walk round the block together.", Share: true}))

	// Disclosures: told and answered, found out, and a draft.
	ago(10)
	told, err := svc.Disclosures.Write(ctx, b, service.DisclosureInput{How: mend.Told, Topic: "contact", Day: day(-10),
		Body: "She sent a message on my birthday. I did not answer it and I blocked the number.", Visibility: shared, Send: true})
	must(t, "disclose", err)
	must(t, "answer the disclosure", svc.Disclosures.Answer(ctx, m, told, "Thank you for telling me the same day. It hurt, and it helped.", ""))
	ago(5)
	_, err = svc.Disclosures.Write(ctx, m, service.DisclosureInput{How: mend.Discovered, Topic: "remembered", Day: day(-5),
		Body: "I found an old card in the car. I think it was from her.", Visibility: partner, Send: true})
	must(t, "found out", err)
	ago(0)
	d.draft, err = svc.Disclosures.Write(ctx, b, service.DisclosureInput{How: mend.Told, Topic: "temptation", Day: day(-1),
		Body: "I thought about writing back to her last night.", Visibility: shared})
	must(t, "draft", err)

	// Tobias's statement: a first version Maren answered part by part, a
	// second she has yet to answer, and a revision he keeps as a draft.
	parts := map[string]string{
		mend.PartDid:      "For most of a year I kept a relationship secret from you, and I lied about where I was on Thursday evenings.",
		mend.PartImpact:   "You have told me you no longer trust your memory of that year, and that evenings at home feel unsafe.",
		mend.PartRegret:   "I regret the lies, every one of them.",
		mend.PartChanging: "I have ended all contact. I tell you where I am, and I keep the commitments we agreed.",
	}
	v1, err := svc.Statements.Save(ctx, b, service.StatementInput{Parts: parts, Commitments: []string{id(d.paused)}, Send: true})
	must(t, "statement", err)
	must(t, "answer the statement", svc.Statements.Answer(ctx, m, v1, map[string]service.StatementAnswerInput{
		mend.PartDid: {Choice: "lands"}, mend.PartImpact: {Choice: "lands", Note: "Yes. The evenings most of all."},
		mend.PartRegret:   {Choice: "more", Note: "I need to hear what you regret about the choices, not only the lies."},
		mend.PartChanging: {Choice: "lands"}}, ""))
	parts[mend.PartRegret] = "I regret that I chose, again and again, to put a secret before you, and that when you asked, I let you doubt yourself."
	v2, err := svc.Statements.Save(ctx, b, service.StatementInput{Parts: parts, Commitments: []string{id(d.paused)}, Send: true})
	must(t, "statement again", err)
	_, err = db.Pool.Exec(ctx, `UPDATE statement_versions SET created_at = now() - make_interval(days => CASE WHEN id = $1 THEN 8 ELSE 3 END),
		sent_at = now() - make_interval(days => CASE WHEN id = $1 THEN 8 ELSE 3 END) WHERE id IN ($1, $2)`, v1, v2)
	must(t, "statement days", err)
	_, err = db.Pool.Exec(ctx, `UPDATE statement_answers SET created_at = now() - interval '6 days' WHERE version_id = $1`, v1)
	must(t, "answer days", err)
	parts[mend.PartChanging] += " I see a counsellor on Tuesdays."
	_, err = svc.Statements.Save(ctx, b, service.StatementInput{Parts: parts, Commitments: []string{id(d.paused)}})
	must(t, "statement draft", err)
	must(t, "share the statement", svc.Statements.Share(ctx, b, true))
	// Prompts: an own prompt; three days ago both answered; today Maren has.
	must(t, "own prompt", svc.Prompts.AddPrompt(ctx, b, service.PromptInput{Category: "fun", Mode: mend.Talk,
		Text: "Which walk by the water should we do again?"}))
	must(t, "find the own prompt", db.Pool.QueryRow(ctx, `SELECT id FROM couple_prompts WHERE couple_id = $1`, d.coupleID).Scan(&d.ownPrompt))
	for _, a := range []struct {
		n     int
		who   *mend.User
		words string
	}{{3, m, "The morning you made coffee without asking. Small, and it mattered."}, {3, b, "Sitting on the steps after the market."},
		{0, m, "I want us to keep Sunday mornings slow."}} {
		ago(a.n)
		pp, err := svc.Prompts.Page(ctx, a.who)
		must(t, "prompts", err)
		must(t, "answer", svc.Prompts.Answer(ctx, a.who, service.AnswerInput{Day: pp.Today.Day.Format(time.DateOnly), Key: pp.Today.Prompt.Key,
			Body: a.words, Visibility: partner}))
	}
	ago(1)
	must(t, "journal", svc.Journal.Write(ctx, m, service.JournalInput{Body: "Slept badly, then a good walk. Writing it down helps me see the week is better than it felt.",
		Visibility: private}))
	must(t, "find the entry", db.Pool.QueryRow(ctx, `SELECT id FROM journal_entries WHERE couple_id = $1`, d.coupleID).Scan(&d.journalEntry))
	must(t, "find the answer", db.Pool.QueryRow(ctx, `SELECT max(id) FROM prompt_answers WHERE couple_id = $1 AND user_id = $2`, d.coupleID, m.ID).Scan(&d.answer))
	must(t, "journal for the therapist", svc.Journal.Write(ctx, b, service.JournalInput{Body: "I noticed I go quiet when she asks about work. I want to say more in our next session.",
		Visibility: string(mend.PartnerAndTherapist)}))
	// Time together: three this month and last, with notes from both.
	for _, tt := range []struct {
		who              *mend.User
		n                int
		what, note, rate string
	}{{b, 40, "Dinner at the Greek place on the corner", "", "6"}, {m, 12, "A long walk on the heath", "We talked about the summer without arguing.", "7"},
		{b, 2, "Went to the market together", "She laughed at my bargaining.", ""}} {
		ago(tt.n)
		must(t, "together", svc.Together.Log(ctx, tt.who, service.TogetherInput{Day: day(-tt.n), What: tt.what, Note: tt.note, Rating: tt.rate}))
	}
	must(t, "find the walk", db.Pool.QueryRow(ctx, `SELECT id FROM time_together WHERE couple_id = $1 AND user_id = $2 ORDER BY id DESC LIMIT 1`, d.coupleID, m.ID).Scan(&d.together))
	must(t, "note the walk", svc.Together.Note(ctx, b, d.together, "I want more of these.", "8"))
	ago(0)
	// A talk time Tobias proposed and Maren agreed, with a second one
	// waiting for her; topics parked by each, and Maren's questions, one
	// answered and one to talk about.
	tk := svc.Talk
	must(t, "propose a talk time", tk.Propose(ctx, b, service.TalkTimeInput{Weekday: "0", Start: "19:00", Minutes: "45"}))
	var talkTime int64
	must(t, "find the talk time", db.Pool.QueryRow(ctx, `SELECT id FROM talk_times WHERE couple_id = $1`, d.coupleID).Scan(&talkTime))
	must(t, "agree to it", tk.Decide(ctx, m, talkTime, "agree"))
	must(t, "propose another", tk.Propose(ctx, b, service.TalkTimeInput{Weekday: "3", Start: "20:30", Minutes: "30"}))
	must(t, "park", tk.Park(ctx, m, service.TopicInput{Title: "Christmas at my sister's", Note: "Whether she knows, and what we say if she asks."}))
	must(t, "park", tk.Park(ctx, b, service.TopicInput{Title: "Friday evenings", Note: "What would feel safe for you.", Share: true}))
	must(t, "ask", tk.Ask(ctx, m, service.QuestionInput{Body: "What did you tell yourself when you came home those evenings?", About: "meaning", Share: true}))
	must(t, "ask", tk.Ask(ctx, m, service.QuestionInput{Body: "Did you meet her at the station café?", About: "details"}))
	must(t, "ask", tk.Ask(ctx, m, service.QuestionInput{Body: "Were you ever going to tell me?", About: "meaning"}))
	var questions []int64
	rows, err := db.Pool.Query(ctx, `SELECT id FROM questions WHERE couple_id = $1 ORDER BY id`, d.coupleID)
	must(t, "find the questions", err)
	for rows.Next() {
		var id int64
		must(t, "scan", rows.Scan(&id))
		questions = append(questions, id)
	}
	must(t, "answer", tk.Answer(ctx, b, questions[0], "That it was separate from us and would not touch you. It did, every day.", false, ""))
	d.question = questions[0]
	must(t, "find the topic", db.Pool.QueryRow(ctx, `SELECT id FROM parked_topics WHERE couple_id = $1 AND user_id = $2`, d.coupleID, m.ID).Scan(&d.topic))
	must(t, "talk about it", tk.Answer(ctx, b, questions[1], "", true, ""))

	// Setbacks, the therapist's sessions, notes and suggestions, and the
	// checks after sessions.
	must(t, "setback", svc.Progress.AddSetback(ctx, b, service.SetbackInput{Day: day(-2), Note: "A bad evening after the film.", Visibility: shared}))
	must(t, "setback", svc.Progress.AddSetback(ctx, m, service.SetbackInput{Day: day(-9), Note: "Could not sleep after the station.", Visibility: partner}))
	d.checkedSession, d.lastSession = day(-13), day(-6)
	for _, s := range []string{day(-20), d.checkedSession, d.lastSession, day(5)} {
		must(t, "session "+s, svc.Therapy.AddSession(ctx, d.helga, d.coupleID, s, ""))
	}
	var sessionID int64
	must(t, "find the session", db.Pool.QueryRow(ctx, `SELECT id FROM therapy_sessions WHERE couple_id = $1 AND day::text = $2`, d.coupleID, d.lastSession).Scan(&sessionID))
	must(t, "note", svc.Therapy.AddNote(ctx, d.helga, d.coupleID, "Both spoke more openly. Maren named the evenings as hardest.", strconv.FormatInt(sessionID, 10), ""))
	must(t, "note", svc.Therapy.AddNote(ctx, d.helga, d.coupleID, "Ask about the weekend plan next time.", "", ""))
	must(t, "find the note", db.Pool.QueryRow(ctx, `SELECT id FROM therapist_notes WHERE couple_id = $1 ORDER BY id LIMIT 1`, d.coupleID).Scan(&d.note))
	must(t, "suggest", svc.Therapy.Suggest(ctx, d.helga, d.coupleID, service.SuggestionInput{Kind: string(mend.SuggestTalk),
		Title: "Evenings without phones", Body: "Talk about one evening a week without phones, and how it felt."}))
	must(t, "suggest", svc.Therapy.Suggest(ctx, d.helga, d.coupleID, service.SuggestionInput{Kind: string(mend.SuggestCommitment),
		Title: "A ten-minute talk each night", Body: "Same time each evening; either of you can end it when it gets too much."}))
	must(t, "session check", svc.Therapy.SaveSessionCheck(ctx, m, d.checkedSession, service.SessionCheckInput{Went: "4", Heard: "3",
		Connected: "6", Hopeful: "7", Note: "Good to say the evenings out loud.", Share: true}))
	must(t, "session check", svc.Therapy.SaveSessionCheck(ctx, b, d.checkedSession, service.SessionCheckInput{Went: "3", Heard: "4",
		Connected: "5", Hopeful: "8", Share: true}))

	// Maren takes the safety check and asks Dr Lind to talk with her alone.
	_, err = svc.Safety.Take(ctx, m, map[string]string{"afraid": "sometimes", "harmed": "no", "safe_home": "yes", "ending_life": "no"}, "")
	must(t, "safety check", err)
	must(t, "flag", svc.Safety.SendFlag(ctx, m))

	// Odile's space waits for her partner; a visitor opens her link.
	_, err = svc.Couples.Start(ctx, d.odile, service.StartInput{WhatHappened: "lying"})
	must(t, "Odile starts", err)
	d.inviteToken, _, err = svc.Couples.CreateInvite(ctx, d.odile, mend.InvitePartner)
	must(t, "Odile invites", err)

	// Odile forgot her password: the link she was sent opens its form.
	_, err = svc.Resets.RequestPasswordReset(ctx, d.odile.Email, "audit", "http://127.0.0.1")
	must(t, "Odile asks for a reset link", err)
	var body string
	must(t, "the reset email", db.Pool.QueryRow(ctx, `SELECT body FROM outbox WHERE to_address = $1 ORDER BY id DESC LIMIT 1`, d.odile.Email).Scan(&body))
	d.resetPath = regexp.MustCompile(`/password/reset/[A-Za-z0-9_-]+`).FindString(body)

	// Someone signed up as Ines and has not confirmed yet: the link she
	// was sent opens its page.
	_, err = svc.Accounts.SignUp(ctx, service.SignUpInput{Name: "Ines", Email: "ines@example.org", Password: couplePassword,
		TimeZone: "Europe/London", Next: "/join/" + d.inviteToken}, "192.0.2.9")
	must(t, "Ines signs up", err)
	d.confirmPath, _ = pgtest.ConfirmLink(t, db, "ines@example.org")
	return d
}

// unsubscribePath is the path of u's link that turns their check-in
// reminder off, as the email carries it.
func unsubscribePath(svc *service.Services, u *mend.User) string {
	link := svc.Reminders.UnsubscribeURL(u.ID, mend.SettingCheckin)
	return link[strings.Index(link, "/unsubscribe/"):]
}

// id is n in an address.
func id(n int64) string { return fmt.Sprint(n) }
