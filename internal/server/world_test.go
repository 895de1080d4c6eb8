package server

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/postgres/pgtest"
	"github.com/mend-app/mend/internal/service"
)

// The seeded world of the authorization walks and the privacy tests: one
// couple with everyone around them who must not see their data.

// world is a seeded set of people around one couple (Zelphine and Quorrin,
// called ana and ben in the code):
// their therapist, a therapist whose link to them ended, another couple
// (Cara and Dan) with its own therapist, and a stranger.
type world struct {
	app                       *testApp
	coupleA, coupleB          int64
	usedPartnerToken          string
	day                       string // the day of the couple's seeded check-ins
	commitment, log           int64  // the couple's seeded commitment and its log
	trigger, hardDate         int64  // Ana's seeded trigger and the couple's hard date
	setback                   int64  // Ana's seeded setback, marked for Tess
	flag                      int64  // Ben's request to talk to Tess alone
	session, note, suggestion int64  // Tess's session date, private note and suggestion to the couple
	draft, disclosure         int64  // Ana's draft disclosure; Ben's sent one, for Ana and Tess
	statement                 int64  // the version of his statement Ben sent Ana (he keeps a draft too)
	comfortPlan               int64  // Ben's comfort plan, shared and waiting for Ana's agreement
	answer, journalEntry      int64  // Ana's answer to today's prompt and her private journal entry
	ownPrompt                 int64  // a prompt of their own Ana added, for both of them
	together                  int64  // a time together Ana logged, with her note
	talkTime, topic, question int64  // the couple's agreed talk time; Ana's private topic and her question
	therapistLink             int64  // the couple's link to Tess
	pendingLink               int64  // set by pending: Pia's link, waiting for Ana
	login                     int64  // one of Ana's sessions, in a browser of its own
	ana, ben, cara, dan       *mend.User
	therapist, revoked, other *mend.User
	stranger, leaver          *mend.User
	pia                       *mend.User // set by pending: a therapist whose link waits
}

func (w *world) signUp(t testing.TB, name, professional string) *mend.User {
	t.Helper()
	email := strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.org"
	if _, err := w.app.srv.accounts.SignUp(context.Background(), service.SignUpInput{
		Name: name, Email: email, Password: testPassword,
		TimeZone: "UTC", Therapist: professional != "", ProfessionalName: professional,
	}, "192.0.2.200"); err != nil {
		t.Fatalf("sign up %s: %v", name, err)
	}
	_, token := pgtest.ConfirmLink(t, w.app.db, email)
	u, err := w.app.srv.accounts.ConfirmSignUp(context.Background(), token)
	if err != nil {
		t.Fatalf("confirm %s: %v", name, err)
	}
	return u
}

// pair starts a space for a and lets b join it; it returns the couple id
// and the (now used) partner invite token.
func (w *world) pair(t testing.TB, a, b *mend.User) (int64, string) {
	t.Helper()
	ctx := context.Background()
	c := w.app.srv.couples
	acc, err := c.Start(ctx, a, service.StartInput{WhatHappened: "affair", Details: "Secret details of " + a.Name})
	if err != nil {
		t.Fatal(err)
	}
	token, _, err := c.CreateInvite(ctx, a, mend.InvitePartner)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Accept(ctx, b, token); err != nil {
		t.Fatal(err)
	}
	return acc.CoupleID(), token
}

// invite has partner ask therapist, who accepts: the link waits for the
// other partner. It returns the pending link's id.
func (w *world) invite(t *testing.T, partner, therapist *mend.User) int64 {
	t.Helper()
	ctx := context.Background()
	token, _, err := w.app.srv.couples.CreateInvite(ctx, partner, mend.InviteTherapist)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.app.srv.couples.Accept(ctx, therapist, token); err != nil {
		t.Fatal(err)
	}
	sp, err := w.app.srv.couples.Space(ctx, partner)
	if err != nil || sp.PendingLink == nil {
		t.Fatalf("no pending link after %s accepted: %+v %v", therapist.Name, sp, err)
	}
	return sp.PendingLink.ID
}

// link has partner invite therapist and other, the other partner, agree.
func (w *world) link(t *testing.T, partner, other, therapist *mend.User) {
	t.Helper()
	if err := w.app.srv.couples.AgreeToTherapist(context.Background(), other, w.invite(t, partner, therapist)); err != nil {
		t.Fatal(err)
	}
}

func seedWorld(t *testing.T, app *testApp) *world {
	t.Helper()
	ctx := context.Background()
	c := app.srv.couples
	w := &world{app: app}
	// Names that appear nowhere else on any page (not even in a time zone),
	// so that finding one in a response means the couple's data leaked.
	w.ana, w.ben = w.signUp(t, "Zelphine", ""), w.signUp(t, "Quorrin", "")
	w.cara, w.dan = w.signUp(t, "Cara", ""), w.signUp(t, "Dan", "")
	w.stranger, w.leaver = w.signUp(t, "Sol Stranger", ""), w.signUp(t, "Lee Leaver", "")
	w.therapist = w.signUp(t, "Tess", "Dr Tess Therapist")
	w.revoked = w.signUp(t, "Rory", "Rory Revoked LMFT")
	w.other = w.signUp(t, "Uma", "Uma Other PhD")
	// Lee was Ana's first partner in this space and left; then Ben joined.
	w.coupleA, _ = w.pair(t, w.ana, w.leaver)
	if err := c.Leave(ctx, w.leaver, testPassword, "192.0.2.200"); err != nil {
		t.Fatal(err)
	}
	token, _, err := c.CreateInvite(ctx, w.ana, mend.InvitePartner)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Accept(ctx, w.ben, token); err != nil {
		t.Fatal(err)
	}
	w.usedPartnerToken = token
	w.coupleB, _ = w.pair(t, w.cara, w.dan)
	// Rory was Ana and Ben's therapist until Ben ended the link; Tess is now.
	w.link(t, w.ana, w.ben, w.revoked)
	if _, err := c.EndTherapistLink(ctx, w.ben); err != nil {
		t.Fatal(err)
	}
	w.link(t, w.ben, w.ana, w.therapist)
	w.link(t, w.cara, w.dan, w.other)
	app.db.Pool.QueryRow(ctx, `SELECT id FROM therapist_links WHERE therapist_id = $1`, w.therapist.ID).Scan(&w.therapistLink)
	// Both partners share everything by default, so a leak would show.
	for _, u := range []*mend.User{w.ana, w.ben} {
		all := map[string]bool{mend.KindCheckins: true, mend.KindCommitments: true, mend.KindTriggers: true, mend.KindDisclosures: true,
			mend.KindQuestions: true, mend.KindStatement: true, mend.KindJournal: true}
		if _, err := c.SetDefaults(ctx, u, all); err != nil {
			t.Fatal(err)
		}
	}
	// Both check in today, for each other and their therapist.
	for _, u := range []*mend.User{w.ana, w.ben} {
		ch, err := app.srv.checkins.Save(ctx, u, service.CheckinInput{Mood: "2", Connection: "3",
			Worry: u.Name + " worries about the lake house", Visibility: string(mend.PartnerAndTherapist)})
		if err != nil {
			t.Fatal(err)
		}
		w.day = ch.Day.Format(time.DateOnly)
	}
	// Ana keeps a commitment Ben agreed to, shared with Tess, and logs it.
	cs := app.srv.commitments
	id, err := cs.Propose(ctx, w.ana, service.CommitmentInput{For: "me", Title: "No visits to the lake house alone", Rhythm: "daily",
		ReviewOn: app.srv.now().AddDate(0, 0, 28).Format(time.DateOnly), Visibility: string(mend.PartnerAndTherapist)})
	if err != nil {
		t.Fatal(err)
	}
	if err := cs.Agree(ctx, w.ben, id, ""); err != nil {
		t.Fatal(err)
	}
	if err := cs.Log(ctx, w.ana, id, service.LogInput{Status: mend.Kept, Note: "Zelphine stayed home"}); err != nil {
		t.Fatal(err)
	}
	detail, err := cs.Detail(ctx, w.ben, id, false)
	if err != nil || len(detail.View.Logs) != 1 {
		t.Fatalf("seeded commitment: %+v %v", detail, err)
	}
	w.commitment, w.log = id, detail.View.Logs[0].ID
	// Ana logs a trigger for Ben and Tess; they keep a hard date.
	ts := app.srv.triggers
	if w.trigger, err = ts.Log(ctx, w.ana, service.TriggerInput{Category: "place", Intensity: "8",
		WhatHappened: "Drove past the lake house", Visibility: string(mend.PartnerAndTherapist)}); err != nil {
		t.Fatal(err)
	}
	if err := ts.AddHardDate(ctx, w.ana, "Zelphine's hardest day", app.srv.now().Format(time.DateOnly), true, ""); err != nil {
		t.Fatal(err)
	}
	app.db.Pool.QueryRow(ctx, `SELECT id FROM hard_dates WHERE couple_id = $1`, w.coupleA).Scan(&w.hardDate)
	// Ana marks yesterday as a setback, for Ben and Tess.
	if err := app.srv.progress.AddSetback(ctx, w.ana, service.SetbackInput{Day: app.srv.now().AddDate(0, 0, -1).Format(time.DateOnly),
		Note: "Zelphine's setback at the lake house", Visibility: string(mend.PartnerAndTherapist)}); err != nil {
		t.Fatal(err)
	}
	app.db.Pool.QueryRow(ctx, `SELECT id FROM setbacks WHERE couple_id = $1`, w.coupleA).Scan(&w.setback)
	// Ben tells Ana something, for Tess too; Ana keeps a draft.
	ds := app.srv.disclosures
	yesterday := app.srv.now().AddDate(0, 0, -1).Format(time.DateOnly)
	if w.disclosure, err = ds.Write(ctx, w.ben, service.DisclosureInput{How: mend.Told, Topic: "contact", Day: yesterday,
		Body: "Quorrin got a message about the lake house", Visibility: string(mend.PartnerAndTherapist), Send: true}); err != nil {
		t.Fatal(err)
	}
	if w.draft, err = ds.Write(ctx, w.ana, service.DisclosureInput{How: mend.Discovered, Topic: "other", Day: yesterday,
		Body: "Zelphine's draft about the lake house", Visibility: string(mend.PartnerAndTherapist)}); err != nil {
		t.Fatal(err)
	}
	// Ben's starting words name him as rebuilding trust: he sends Ana his
	// statement, then keeps a revision as a private draft.
	if err := c.SetContext(ctx, w.ben, service.ContextInput{Rebuilding: "me", Visibility: string(mend.MyPartner)}); err != nil {
		t.Fatal(err)
	}
	parts := map[string]string{mend.PartDid: "Quorrin lied about the lake house", mend.PartImpact: "Quorrin took away your calm at the lake house",
		mend.PartRegret: "Quorrin regrets every lie about the lake house", mend.PartChanging: "Quorrin goes nowhere near the lake house alone"}
	if w.statement, err = app.srv.statements.Save(ctx, w.ben, service.StatementInput{Parts: parts, Send: true}); err != nil {
		t.Fatal(err)
	}
	// He shares it with Tess (a leak of the draft would show).
	parts[mend.PartRegret] = "Quorrin's draft about the lake house"
	if _, err := app.srv.statements.Save(ctx, w.ben, service.StatementInput{Parts: parts, Share: true}); err != nil {
		t.Fatal(err)
	}
	// Ben shares what helps him when a trigger hits; Ana keeps hers to
	// herself.
	if err := app.srv.comfort.Write(ctx, w.ben, service.ComfortInput{Body: "Quorrin asks: sit with me, no lake house talk yet",
		Share: true}); err != nil {
		t.Fatal(err)
	}
	if err := app.srv.comfort.Write(ctx, w.ana, service.ComfortInput{Body: "Zelphine's private comfort plan"}); err != nil {
		t.Fatal(err)
	}
	app.db.Pool.QueryRow(ctx, `SELECT id FROM comfort_plans WHERE couple_id = $1 AND user_id = $2`, w.coupleA, w.ben.ID).Scan(&w.comfortPlan)
	// Ana answers today's prompt for Ben; Ben answers it for himself.
	pr, err := app.srv.prompts.Page(ctx, w.ana)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []struct {
		u    *mend.User
		body string
		vis  mend.Visibility
	}{{w.ana, "Zelphine's answer about the river walk", mend.MyPartner}, {w.ben, benPromptAnswer, mend.JustMe}} {
		if err := app.srv.prompts.Answer(ctx, a.u, service.AnswerInput{Day: pr.Today.Day.Format(time.DateOnly), Key: pr.Today.Prompt.Key,
			Body: a.body, Visibility: string(a.vis)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := app.srv.journal.Write(ctx, w.ana, service.JournalInput{Body: anaJournalEntry, Visibility: string(mend.JustMe)}); err != nil {
		t.Fatal(err)
	}
	app.db.Pool.QueryRow(ctx, `SELECT id FROM journal_entries WHERE couple_id = $1 AND user_id = $2`, w.coupleA, w.ana.ID).Scan(&w.journalEntry)
	// Ben's entry for Ana and Tess, which Tess reads on the couple's journal.
	if err := app.srv.journal.Write(ctx, w.ben, service.JournalInput{Body: benJournalEntry, Visibility: string(mend.PartnerAndTherapist)}); err != nil {
		t.Fatal(err)
	}
	app.db.Pool.QueryRow(ctx, `SELECT id FROM prompt_answers WHERE couple_id = $1 AND user_id = $2`, w.coupleA, w.ana.ID).Scan(&w.answer)
	// Ana adds a prompt of their own.
	if err := app.srv.prompts.AddPrompt(ctx, w.ana, service.PromptInput{Category: "fun", Mode: mend.Talk, Text: anaOwnPrompt}); err != nil {
		t.Fatal(err)
	}
	app.db.Pool.QueryRow(ctx, `SELECT id FROM couple_prompts WHERE couple_id = $1 AND user_id = $2`, w.coupleA, w.ana.ID).Scan(&w.ownPrompt)
	if err := app.srv.together.Log(ctx, w.ana, service.TogetherInput{Day: yesterday, What: "Zelphine and Quorrin walked by the river",
		Note: "Zelphine felt close again", Rating: "8"}); err != nil {
		t.Fatal(err)
	}
	app.db.Pool.QueryRow(ctx, `SELECT id FROM time_together WHERE couple_id = $1`, w.coupleA).Scan(&w.together)
	// Ben proposes a talk time and Ana agrees; Ana parks a topic, private
	// to her until the talk time, and asks Ben a question.
	tk := app.srv.talk
	if err := tk.Propose(ctx, w.ben, service.TalkTimeInput{Weekday: "0", Start: "19:00", Minutes: "45"}); err != nil {
		t.Fatal(err)
	}
	app.db.Pool.QueryRow(ctx, `SELECT id FROM talk_times WHERE couple_id = $1`, w.coupleA).Scan(&w.talkTime)
	if err := tk.Decide(ctx, w.ana, w.talkTime, "agree"); err != nil {
		t.Fatal(err)
	}
	if err := tk.Park(ctx, w.ana, service.TopicInput{Title: "Zelphine's topic about the lake house"}); err != nil {
		t.Fatal(err)
	}
	app.db.Pool.QueryRow(ctx, `SELECT id FROM parked_topics WHERE couple_id = $1`, w.coupleA).Scan(&w.topic)
	if err := tk.Ask(ctx, w.ana, service.QuestionInput{Body: "Zelphine asks about the lake house", About: "meaning", Share: true}); err != nil {
		t.Fatal(err)
	}
	app.db.Pool.QueryRow(ctx, `SELECT id FROM questions WHERE couple_id = $1`, w.coupleA).Scan(&w.question)
	// Ben asks Tess to talk to him alone.
	if err := app.srv.safety.SendFlag(ctx, w.ben); err != nil {
		t.Fatal(err)
	}
	app.db.Pool.QueryRow(ctx, `SELECT id FROM therapist_flags WHERE couple_id = $1`, w.coupleA).Scan(&w.flag)
	// Tess records a session, writes a private note about it and sends the
	// couple a suggestion.
	th := app.srv.therapy
	if err := th.AddSession(ctx, w.therapist, w.coupleA, app.srv.now().AddDate(0, 0, 3).Format(time.DateOnly), ""); err != nil {
		t.Fatal(err)
	}
	app.db.Pool.QueryRow(ctx, `SELECT id FROM therapy_sessions WHERE couple_id = $1`, w.coupleA).Scan(&w.session)
	if err := th.AddNote(ctx, w.therapist, w.coupleA, tessNote, strconv.FormatInt(w.session, 10), ""); err != nil {
		t.Fatal(err)
	}
	app.db.Pool.QueryRow(ctx, `SELECT id FROM therapist_notes WHERE couple_id = $1`, w.coupleA).Scan(&w.note)
	if err := th.Suggest(ctx, w.therapist, w.coupleA, service.SuggestionInput{Kind: "commitment", Title: tessSuggestion,
		Body: "One evening a week"}); err != nil {
		t.Fatal(err)
	}
	app.db.Pool.QueryRow(ctx, `SELECT id FROM suggestions WHERE couple_id = $1`, w.coupleA).Scan(&w.suggestion)
	// Tess had a session with them today (w.day). Ana answers the check
	// after it and shares it with Tess; Ben answers and keeps his to himself.
	if err := th.AddSession(ctx, w.therapist, w.coupleA, w.day, ""); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		u     *mend.User
		note  string
		share bool
	}{{w.ana, anaCheckNote, true}, {w.ben, benCheckNote, false}} {
		if err := th.SaveSessionCheck(ctx, c.u, w.day, service.SessionCheckInput{Went: "4", Heard: "3", Connected: "6", Hopeful: "7",
			Note: c.note, Share: c.share}); err != nil {
			t.Fatal(err)
		}
	}
	// Ana is logged in on another browser too.
	w.as(t, w.ana)
	if err := app.db.Pool.QueryRow(ctx, `SELECT max(id) FROM sessions WHERE user_id = $1`, w.ana.ID).Scan(&w.login); err != nil {
		t.Fatal(err)
	}
	return w
}

// params are the seeded values of every path parameter.
func (w *world) params() map[string]string {
	return map[string]string{
		"coupleID":     strconv.FormatInt(w.coupleA, 10),
		"token":        w.usedPartnerToken,
		"day":          w.day,
		"id":           strconv.FormatInt(w.commitment, 10),
		"logID":        strconv.FormatInt(w.log, 10),
		"triggerID":    strconv.FormatInt(w.trigger, 10),
		"dateID":       strconv.FormatInt(w.hardDate, 10),
		"flagID":       strconv.FormatInt(w.flag, 10),
		"linkID":       strconv.FormatInt(w.therapistLink, 10),
		"sessionID":    strconv.FormatInt(w.session, 10),
		"noteID":       strconv.FormatInt(w.note, 10),
		"suggestionID": strconv.FormatInt(w.suggestion, 10),
		"setbackID":    strconv.FormatInt(w.setback, 10),
		"draftID":      strconv.FormatInt(w.draft, 10),
		"disclosureID": strconv.FormatInt(w.disclosure, 10),
		"planID":       strconv.FormatInt(w.comfortPlan, 10),
		"loginID":      strconv.FormatInt(w.login, 10),
		"versionID":    strconv.FormatInt(w.statement, 10),
		"entryID":      strconv.FormatInt(w.journalEntry, 10),
		"answerID":     strconv.FormatInt(w.answer, 10),
		"promptID":     strconv.FormatInt(w.ownPrompt, 10),
		"togetherID":   strconv.FormatInt(w.together, 10),
		"talkTimeID":   strconv.FormatInt(w.talkTime, 10),
		"topicID":      strconv.FormatInt(w.topic, 10),
		"questionID":   strconv.FormatInt(w.question, 10),
	}
}

// pending turns the world into one where the couple's therapist link waits:
// Ana ends Tess's link, Ben invites Pia, who accepts, and Ana has not
// agreed. Pia must then be an outsider like any other.
func (w *world) pending(t *testing.T) {
	t.Helper()
	if _, err := w.app.srv.couples.EndTherapistLink(context.Background(), w.ana); err != nil {
		t.Fatal(err)
	}
	w.pia = w.signUp(t, "Pia", "Pia Pending MSW")
	w.pendingLink = w.invite(t, w.ben, w.pia)
}

// outsiders are the people who must see nothing of Ana and Ben's couple.
func (w *world) outsiders(t *testing.T) map[string]*browser {
	t.Helper()
	return map[string]*browser{
		"stranger":                    w.as(t, w.stranger),
		"partner of another couple":   w.as(t, w.cara),
		"therapist of another couple": w.as(t, w.other),
		"therapist whose link ended":  w.as(t, w.revoked),
		"partner who left":            w.as(t, w.leaver),
	}
}

// tessNote is Tess's private note about the couple: nobody but Tess may
// ever read it. tessSuggestion is what she suggests to them.
const (
	tessNote       = "Tess privately notes that Zelphine went quiet about the lake house"
	tessSuggestion = "Walk by the lake house together, once"
	// The partners' notes after today's session: Ana's shared with Tess,
	// Ben's for himself alone.
	anaCheckNote = "Zelphine felt the talk about the lake house was gentle"
	benCheckNote = "Quorrin kept quiet about the lake house and wants to say why"
	// Ben's answer to today's prompt, for himself alone.
	benPromptAnswer = "Quorrin answers the prompt for himself alone"
	// The prompt of their own Ana added, which both of them read.
	anaOwnPrompt = "Zelphine asks: where shall we walk next Sunday?"
	// Ana's journal entry, for herself alone.
	anaJournalEntry = "Zelphine writes in her journal for herself alone"
	// Ben's journal entry, for Ana and their therapist.
	benJournalEntry = "Quorrin writes for Tess about the lake house"
)

// secrets are words that would show the seeded couple's data leaking.
var secrets = []string{"Zelphine", "Quorrin", "Secret details of Zelphine", "lake house"}

// snapshot fingerprints every row of couple A, in every table that has a
// couple_id column (tables added later are covered too), and both
// partners' user rows.
func (w *world) snapshot(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	rows, err := w.app.db.Pool.Query(ctx, `SELECT table_name FROM information_schema.columns
		WHERE table_schema = 'public' AND column_name = 'couple_id' ORDER BY table_name`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		rows.Scan(&name)
		tables = append(tables, name)
	}
	if len(tables) < 5 {
		t.Fatalf("only %d couple tables found: %v", len(tables), tables)
	}
	var sb strings.Builder
	for _, table := range tables {
		var sum string
		q := `SELECT coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM ` + table + ` t WHERE couple_id = $1`
		if err := w.app.db.Pool.QueryRow(ctx, q, w.coupleA).Scan(&sum); err != nil {
			t.Fatal(err)
		}
		sb.WriteString(table + "=" + sum + " ")
	}
	var users string
	w.app.db.Pool.QueryRow(ctx, `SELECT md5(string_agg(u::text, '|' ORDER BY id)) FROM users u WHERE id = ANY($1)`,
		[]int64{w.ana.ID, w.ben.ID}).Scan(&users)
	return sb.String() + "users=" + users
}

// as returns a browser logged in as u.
func (w *world) as(t testing.TB, u *mend.User) *browser {
	t.Helper()
	b := w.app.browser()
	if res := b.logIn(u.Email, testPassword); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("log in %s: %d", u.Name, res.StatusCode)
	}
	return b
}

var paramRE = regexp.MustCompile(`\{([^}:]+)(:[^}]*)?\}`)

// fillParams puts the seeded values into a route's parameters; missing
// names a parameter with no value.
func fillParams(route string, params map[string]string) (path, missing string) {
	path = paramRE.ReplaceAllStringFunc(route, func(m string) string {
		name := paramRE.FindStringSubmatch(m)[1]
		v, ok := params[name]
		if !ok {
			missing = name
		}
		return v
	})
	return path, missing
}
