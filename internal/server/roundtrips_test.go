package server

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/postgres"
	"github.com/mend-app/mend/internal/postgres/pgtest"
	"github.com/mend-app/mend/internal/service"
	"golang.org/x/net/html"
)

// Round-trip budgets (see DESIGN.md, "Round trips are a budget"), counted
// per HTTP request by pgtest.Tracer.
const (
	pageBudget  = 3 // a GET (or HEAD) page, loading the session and the user included
	writeBudget = 6 // any other method, the session and the form key included
)

// tripCase is how TestRoundTrips_EveryRouteWithinBudget requests a route:
// as whom, with which path and form, after which preparation. The cases
// run in order, as one story on one seeded world.
type tripCase struct {
	route string // "METHOD pattern", as chi.Walk names it
	// as is the person who makes the request; nil is a visitor with a
	// new browser.
	as *mend.User
	// asOf, when set, picks the browser instead (a browser kept from an
	// earlier case).
	asOf func(w *tripWorld) *browser
	// path is the path requested; nil is the route with the seeded
	// parameters filled in.
	path func(w *tripWorld) string
	// from is the page that shows the form (unsafe methods): the form
	// posting to the path is read from it as a browser would send it
	// untouched (hidden fields such as form_key included), then form's
	// values replace its fields.
	from func(w *tripWorld) string
	form url.Values
	// before prepares the world (not counted); after reads the response.
	before func(t *testing.T, w *tripWorld)
	after  func(t *testing.T, w *tripWorld, res *response)
	want   int // 0: 200 for GET and HEAD, 303 for other methods
}

// tripWorld is the seeded world with what the story adds as it goes.
type tripWorld struct {
	*world
	server   *tripServer
	browsers map[int64]*browser
	newcomer *browser // the visitor who signs up
	confirm  string   // the newcomer's confirmation link (path and query)
	token    string   // Sol's partner invite, for Lee
	proposed int64    // the commitment Ana proposes
	pending  int64    // the pending therapist link of the current case
	// resetPath is the path of the reset link Dan was sent.
	resetPath string
}

// b returns u's browser, logged in once.
func (w *tripWorld) b(t *testing.T, u *mend.User) *browser {
	t.Helper()
	if b, ok := w.browsers[u.ID]; ok {
		return b
	}
	b := w.as(t, u)
	w.browsers[u.ID] = b
	return b
}

// anaCheckinForm is Ana's check-in form of her today (the Check-in tab
// opens her day once she has checked in).
func anaCheckinForm(w *tripWorld) string {
	return "/checkin?day=" + mend.Date(w.app.srv.now(), w.ana.Location()).Format(time.DateOnly)
}

func fixed(path string) func(*tripWorld) string { return func(*tripWorld) string { return path } }

func seeded(route string) func(*tripWorld) string {
	return func(w *tripWorld) string {
		p, _ := fillParams(route, w.params())
		return p
	}
}

// tripCases are the requests, one per route of the router, in story order.
func tripCases(w *tripWorld) []tripCase {
	ana, ben, cara, dan := w.ana, w.ben, w.cara, w.dan
	tess, uma, rory, sol, lee := w.therapist, w.other, w.revoked, w.stranger, w.leaver
	coupleB := strconv.FormatInt(w.coupleB, 10)
	commitment := seeded("/commitments/{id}")
	newcomer := func(w *tripWorld) *browser { return w.newcomer }
	invite := func(partner, therapist *mend.User) func(t *testing.T, w *tripWorld) {
		return func(t *testing.T, w *tripWorld) { w.pending = w.invite(t, partner, therapist) }
	}
	return []tripCase{
		// Visitors.
		{route: "GET /healthz"},
		{route: "GET /static/*", path: fixed("/static/app.css")},
		{route: "HEAD /static/*", path: fixed("/static/app.css")},
		{route: "GET /favicon.ico"},
		{route: "HEAD /favicon.ico"},
		{route: "GET /manifest.webmanifest"},
		{route: "HEAD /manifest.webmanifest"},
		{route: "GET /"},
		{route: "GET /signup"},
		{route: "POST /signup", asOf: func(w *tripWorld) *browser { w.newcomer = w.app.browser(); return w.newcomer },
			from: fixed("/signup"), form: url.Values{"name": {"Nova"}, "email": {"nova@example.org"},
				"password": {testPassword}, "time_zone": {"UTC"}}},
		{route: "GET /signup/check-email", asOf: newcomer},
		{route: "GET /signup/confirm/{token}", asOf: newcomer,
			before: func(t *testing.T, w *tripWorld) { w.confirm, _ = pgtest.ConfirmLink(t, w.app.db, "nova@example.org") },
			path:   func(w *tripWorld) string { return w.confirm }},
		{route: "POST /signup/confirm/{token}", asOf: newcomer, from: func(w *tripWorld) string { return w.confirm },
			path: func(w *tripWorld) string { p, _, _ := strings.Cut(w.confirm, "?"); return p }},
		{route: "GET /login"},
		{route: "POST /login", from: fixed("/login"), form: url.Values{"email": {ana.Email}, "password": {testPassword}}},
		{route: "GET /logged-out"},
		{route: "GET /dev/outbox"},

		// A person's own settings: Ana, and the newcomer who becomes a therapist.
		{route: "GET /safety", as: ana},
		{route: "GET /settings", as: ana},
		{route: "POST /settings/reminders", as: ana, from: fixed("/settings"), form: url.Values{"checkin": {"on"}, "checkin_at": {"20:00"}}},
		// An unsubscribe link works without a session, as a mail client uses it.
		{route: "GET /unsubscribe/{token}", path: unsubscribePath},
		{route: "POST /unsubscribe/{token}", path: unsubscribePath, from: unsubscribePath, want: http.StatusOK},
		{route: "POST /settings/profile", as: ana, from: fixed("/settings"), form: url.Values{"name": {"Zelphine"}, "time_zone": {"UTC"}}},
		// The export answers with its file (200), not a redirect. It stays in
		// a write's budget: the password and the throttle are checked, then
		// one batch reads every kind, streamed as it comes.
		{route: "POST /settings/export", as: ana, from: fixed("/settings"), form: url.Values{"password": {testPassword}, "format": {"zip"}},
			want: http.StatusOK},
		{route: "GET /settings/sessions", as: ana},
		{route: "POST /settings/sessions/{loginID}/sign-out", as: ana, from: fixed("/settings/sessions")},
		{route: "POST /settings/sessions/sign-out-others", as: ana, from: fixed("/settings/sessions"),
			before: func(t *testing.T, w *tripWorld) { w.as(t, w.ana) }},
		{route: "POST /settings/privacy", asOf: newcomer, from: fixed("/settings"), form: url.Values{"discreet_titles": {"on"}}},
		{route: "POST /settings/password", asOf: newcomer, from: fixed("/settings"),
			form: url.Values{"current": {testPassword}, "new": {"quiet evenings, kept promises"}, "confirm": {"quiet evenings, kept promises"}}},
		{route: "POST /settings/email", asOf: newcomer, from: fixed("/settings"),
			form: url.Values{"email": {"nova.n@example.org"}, "password": {"quiet evenings, kept promises"}}},
		{route: "POST /settings/therapist", asOf: newcomer, from: fixed("/settings"), form: url.Values{"professional_name": {"Nova Newcomer LMFT"}}},
		{route: "POST /settings/professional-name", asOf: newcomer, from: fixed("/settings"), form: url.Values{"professional_name": {"Nova Newcomer"}}},
		{route: "POST /logout", asOf: newcomer, from: fixed("/caseload")},

		// Ana's space, with everything in it.
		{route: "GET /today", as: ana},
		{route: "POST /safety/check/dismiss", as: ana, from: fixed("/today")},
		{route: "GET /safety/check", as: ana},
		{route: "POST /safety/check", as: ana, from: fixed("/safety/check"),
			form: url.Values{"afraid": {"sometimes"}, "harmed": {"no"}, "safe_home": {"yes"}, "ending_life": {"no"}}},
		{route: "GET /safety/check/result", as: ana},
		{route: "POST /safety/flag", as: ana, from: fixed("/safety/check/result")},
		{route: "GET /couple", as: ana},
		{route: "GET /couple/context", as: ana},
		{route: "POST /couple/context", as: ana, from: fixed("/couple/context"),
			form: url.Values{"what_happened": {"affair"}, "details": {"Honest evenings, one at a time"}, "rebuilding": {"both"}}},
		{route: "GET /sharing", as: ana},
		{route: "POST /sharing/defaults", as: ana, from: fixed("/sharing"),
			form: url.Values{"share": {mend.KindCheckins, mend.KindCommitments, mend.KindTriggers}}},

		{route: "GET /checkin", as: ana, path: anaCheckinForm},
		{route: "POST /checkin", as: ana, from: anaCheckinForm, form: url.Values{"worry": {"Zelphine worries about the weekend"}}},
		{route: "GET /checkins", as: ana},
		{route: "GET /checkins/trends", as: ana},
		{route: "GET /checkins/{day}", as: ana},
		{route: "POST /checkins/{day}/ack", as: ana, from: seeded("/checkins/{day}"), form: url.Values{"ack": {"Thank you for telling me."}}},

		{route: "GET /commitments", as: ana},
		{route: "GET /commitments/new", as: ana},
		{route: "POST /commitments", as: ana, from: fixed("/commitments/new"), form: url.Values{"title": {"Call when I am running late"}, "rhythm": {string(mend.Daily)}},
			after: func(t *testing.T, w *tripWorld, res *response) {
				id, err := strconv.ParseInt(strings.TrimPrefix(res.Header.Get("Location"), "/commitments/"), 10, 64)
				if err != nil {
					t.Fatalf("proposing a commitment led to %q", res.Header.Get("Location"))
				}
				w.proposed = id
			}},
		{route: "GET /commitments/{id}", as: ben},
		{route: "GET /commitments/{id}/edit", as: ana},
		{route: "POST /commitments/{id}/answer", as: ben, path: proposed("/answer"), from: proposed(""), form: url.Values{"answer": {"agree"}}},
		{route: "POST /commitments/{id}/log", as: ana, path: proposed("/log"), from: proposed(""), form: url.Values{"status": {string(mend.Kept)}}},
		{route: "POST /commitments/{id}/review", as: ana, path: proposed("/review"), from: proposed(""), form: url.Values{"action": {"pause"}}},
		{route: "POST /commitments/{id}/logs/{logID}", as: ana, from: commitment,
			form: url.Values{"status": {string(mend.Kept)}, "note": {"Zelphine stayed home all week"}}},
		{route: "POST /commitments/{id}/logs/{logID}/respond", as: ben, from: commitment,
			form: url.Values{"confirmed": {"yes"}, "response": {"Thank you"}}},
		{route: "POST /commitments/{id}/edit", as: ana, from: seeded("/commitments/{id}/edit"),
			form: url.Values{"title": {"No visits to the lake house alone, ever"}}},
		// Ana withdraws the change she just proposed, from its page.
		{route: "POST /commitments/{id}/withdraw", as: ana, from: commitment},

		{route: "GET /triggers", as: ana},
		{route: "GET /triggers/new", as: ana},
		{route: "GET /triggers/patterns", as: ana},
		{route: "GET /triggers/{triggerID}/edit", as: ana},
		{route: "POST /triggers", as: ana, from: fixed("/triggers/new"), form: url.Values{"category": {"place"}, "intensity": {"5"},
			"what_happened": {"Saw the lake house on a map"}}},
		{route: "GET /triggers/{triggerID}/minute", as: ana},
		{route: "GET /comfort", as: ana},
		{route: "POST /comfort", as: ana, from: fixed("/comfort"), form: url.Values{"body": {"Zelphine asks for a quiet walk"}, "action": {"share"}}},
		{route: "POST /comfort/{planID}/agree", as: ana, from: fixed("/comfort")},
		{route: "POST /guidance/dismiss", as: ana, from: fixed("/today"), form: url.Values{"card": {"both-referees"}, "back": {"/today"}}},
		{route: "POST /triggers/{triggerID}/edit", as: ana, from: seeded("/triggers/{triggerID}/edit"), form: url.Values{"intensity": {"7"}}},
		{route: "POST /triggers/{triggerID}/respond", as: ben, from: fixed("/triggers?who=partner"), form: url.Values{"choice": {mend.TriggerChoices[0].Value}}},
		{route: "GET /hard-dates", as: ana},
		{route: "POST /hard-dates", as: ana, from: fixed("/hard-dates"),
			form: url.Values{"label": {"The day we met"}, "date": {time.Now().AddDate(0, 2, 0).Format(time.DateOnly)}, "yearly": {"on"}}},
		{route: "POST /hard-dates/{dateID}/plan", as: ben, from: fixed("/hard-dates"), form: url.Values{"plan": {"A walk in the morning."}}},
		{route: "POST /hard-dates/{dateID}/remove", as: ben, from: fixed("/hard-dates")},
		{route: "GET /progress", as: ana},
		{route: "GET /more", as: ana},
		{route: "GET /progress/summary", as: ben},
		{route: "POST /progress/setbacks", as: ben, from: fixed("/progress"), form: url.Values{"note": {"A hard evening"}, "visibility": {"partner"}}},
		{route: "POST /progress/setbacks/{setbackID}/remove", as: ana, from: fixed("/progress")},

		{route: "GET /disclosures", as: ana},
		{route: "GET /disclosures/new", as: ana},
		{route: "POST /disclosures", as: ana, from: fixed("/disclosures/new"),
			form: url.Values{"topic": {"slip"}, "body": {"Zelphine wants to say something"}, "action": {"send"}}},
		{route: "GET /disclosures/drafts/{draftID}/edit", as: ana},
		{route: "POST /disclosures/drafts/{draftID}/edit", as: ana, from: seeded("/disclosures/drafts/{draftID}/edit"),
			form: url.Values{"body": {"Zelphine found out, in other words"}, "action": {"draft"}}},
		{route: "POST /disclosures/drafts/{draftID}/send", as: ana, from: fixed("/disclosures")},
		{route: "POST /disclosures/{disclosureID}/answer", as: ana, from: fixed("/disclosures"), form: url.Values{"answer": {"Thank you for telling me."}}},
		{route: "GET /prompts", as: ana},
		{route: "POST /prompts/answer", as: ben, from: fixed("/prompts"), form: url.Values{"body": {"Quorrin remembers the river walk"}}},
		{route: "POST /prompts/own", as: ben, from: fixed("/prompts"),
			form: url.Values{"text": {"Where shall we walk on Sunday?"}, "mode": {mend.Talk}, "category": {"fun"}}},
		{route: "POST /prompts/skip", as: ana, from: fixed("/prompts")},
		// Ana removes the prompt of their own she added.
		{route: "GET /prompts/own/{promptID}/delete", as: ana},
		{route: "POST /prompts/own/{promptID}/delete", as: ana, from: seeded("/prompts/own/{promptID}/delete")},
		{route: "GET /journal", as: ana},
		{route: "POST /journal", as: ana, from: fixed("/journal"), form: url.Values{"body": {"Zelphine writes a second entry"}}},
		{route: "GET /time-together", as: ben},
		{route: "POST /time-together", as: ben, from: fixed("/time-together"),
			form: url.Values{"what": {"Quorrin and Zelphine cooked together"}, "rating": {"6"}}},
		{route: "POST /time-together/{togetherID}/note", as: ben, from: fixed("/time-together"),
			form: url.Values{"note": {"Quorrin liked the quiet"}, "rating": {"7"}}},

		// Talk times: Ben proposes another, Ana agrees; Ben proposes and
		// withdraws one; Ana stops the first. Topics and questions.
		{route: "GET /talk", as: ana},
		{route: "POST /talk/times", as: ben, from: fixed("/talk"), form: url.Values{"weekday": {"3"}, "start": {"20:00"}, "minutes": {"30"}}},
		{route: "POST /talk/times/{talkTimeID}/answer", as: ana, path: proposedTalk("/answer"), from: fixed("/talk"), form: url.Values{"decision": {"agree"}}},
		{route: "POST /talk/times/{talkTimeID}/withdraw", as: ben, path: proposedTalk("/withdraw"), from: fixed("/talk"),
			before: func(t *testing.T, w *tripWorld) {
				if err := w.app.srv.talk.Propose(context.Background(), w.ben, service.TalkTimeInput{Weekday: "5", Start: "20:00", Minutes: "30"}); err != nil {
					t.Fatal(err)
				}
			}},
		{route: "POST /talk/times/{talkTimeID}/end", as: ana, from: fixed("/talk")},
		{route: "POST /talk/topics", as: ben, from: fixed("/talk"), form: url.Values{"title": {"Evenings out"}, "action": {"share"}}},
		{route: "POST /talk/topics/{topicID}/share", as: ana, from: fixed("/talk")},
		{route: "POST /talk/topics/{topicID}/talked", as: ben, from: fixed("/talk")},
		{route: "GET /talk/topics/{topicID}/delete", as: ana},
		{route: "POST /talk/topics/{topicID}/delete", as: ana, from: seeded("/talk/topics/{topicID}/delete")},
		{route: "GET /talk/questions", as: ana},
		{route: "POST /talk/questions", as: ana, from: fixed("/talk/questions"), form: url.Values{"body": {"What did you tell yourself?"}, "about": {"meaning"}}},
		{route: "POST /talk/questions/{questionID}/answer", as: ben, from: fixed("/talk/questions"),
			form: url.Values{"answer": {"That it did not count."}, "action": {"talk"}}},
		{route: "POST /talk/questions/{questionID}/share", as: ana, from: fixed("/talk/questions")},
		{route: "GET /caseload/{coupleID}/questions", as: tess},
		{route: "GET /caseload/{coupleID}/journal", as: tess},
		{route: "GET /talk/questions/{questionID}/delete", as: ana},
		{route: "POST /talk/questions/{questionID}/delete", as: ana, from: seeded("/talk/questions/{questionID}/delete")},

		// Their therapist.
		{route: "GET /caseload", as: tess},
		{route: "GET /caseload/{coupleID}", as: tess},
		// With days chosen before what the charts read: one more statement
		// in the same batch.
		{route: "GET /caseload/{coupleID}/checkins", as: tess, path: daysBefore("/caseload/{coupleID}/checkins")},
		{route: "GET /caseload/{coupleID}/commitments", as: tess, path: daysBefore("/caseload/{coupleID}/commitments")},
		{route: "GET /caseload/{coupleID}/triggers", as: tess, path: daysBefore("/caseload/{coupleID}/triggers")},
		{route: "GET /caseload/{coupleID}/progress", as: tess},
		{route: "GET /caseload/{coupleID}/summary", as: tess},
		{route: "GET /caseload/{coupleID}/disclosures", as: tess},
		{route: "POST /caseload/{coupleID}/flags/{flagID}/done", as: tess, from: seeded("/caseload/{coupleID}")},
		{route: "GET /caseload/{coupleID}/sessions", as: tess},
		{route: "POST /caseload/{coupleID}/sessions", as: tess, from: seeded("/caseload/{coupleID}/sessions"),
			form: url.Values{"day": {time.Now().AddDate(0, 0, 10).Format(time.DateOnly)}}},
		{route: "POST /caseload/{coupleID}/notes", as: tess, from: seeded("/caseload/{coupleID}/sessions"),
			form: url.Values{"body": {"Calmer this week"}}},
		{route: "GET /caseload/{coupleID}/notes/{noteID}/edit", as: tess},
		{route: "POST /caseload/{coupleID}/notes/{noteID}/edit", as: tess, from: seeded("/caseload/{coupleID}/notes/{noteID}/edit"),
			form: url.Values{"body": {"Calmer this week, and said so"}}},
		{route: "POST /caseload/{coupleID}/sessions/{sessionID}/remove", as: tess, from: seeded("/caseload/{coupleID}/sessions")},
		{route: "GET /caseload/{coupleID}/suggestions", as: tess},
		{route: "POST /caseload/{coupleID}/suggestions", as: tess, from: seeded("/caseload/{coupleID}/suggestions"),
			form: url.Values{"kind": {"talk"}, "title": {"How evenings feel now"}}},
		{route: "POST /suggestions/{suggestionID}/done", as: ben, from: fixed("/today")},
		{route: "GET /caseload/{coupleID}/session-checks", as: tess},
		{route: "GET /sessions/checks", as: ben},
		{route: "GET /sessions/{day}/check", as: ben},
		{route: "POST /sessions/{day}/check", as: ben, from: seeded("/sessions/{day}/check"),
			form: url.Values{"went": {"3"}, "heard": {"4"}, "connected": {"5"}, "hopeful": {"6"}, "share": {"on"}}},
		// Ana takes back her answer to Ben's check-in, then deletes her own.
		{route: "POST /checkins/{day}/ack/delete", as: ana, from: seeded("/checkins/{day}")},
		{route: "GET /checkins/{day}/delete", as: ana},
		{route: "POST /checkins/{day}/delete", as: ana, from: seeded("/checkins/{day}/delete")},
		// Ben takes back his response to Ana's trigger; Ana deletes it.
		{route: "POST /triggers/{triggerID}/respond/delete", as: ben, from: fixed("/triggers?who=partner")},
		{route: "GET /triggers/{triggerID}/delete", as: ana},
		{route: "POST /triggers/{triggerID}/delete", as: ana, from: seeded("/triggers/{triggerID}/delete")},
		// Ana deletes her comfort plan, every version.
		{route: "GET /comfort/delete", as: ana},
		{route: "POST /comfort/delete", as: ana, from: fixed("/comfort/delete")},
		// Ana takes back her answers to what Ben told; Ben deletes it.
		{route: "POST /disclosures/{disclosureID}/answer/delete", as: ana, from: fixed("/disclosures")},
		{route: "GET /disclosures/{disclosureID}/delete", as: ben},
		{route: "POST /disclosures/{disclosureID}/delete", as: ben, from: seeded("/disclosures/{disclosureID}/delete")},
		// Ana answers Ben's statement; Ben sends a new version, then deletes it.
		{route: "GET /statement", as: ana},
		{route: "POST /statement/versions/{versionID}/answer", as: ana, from: fixed("/statement"),
			form: url.Values{"answer-did": {"lands"}, "answer-impact": {"lands"}, "answer-regret": {"more"}, "answer-changing": {"lands"},
				"note-regret": {"Say more about the lake house"}}},
		// Ana takes her answers back, then answers again.
		{route: "POST /statement/versions/{versionID}/answer/delete", as: ana, from: fixed("/statement"),
			after: func(t *testing.T, w *tripWorld, _ *response) {
				if err := w.app.srv.statements.Answer(context.Background(), w.ana, w.statement, map[string]service.StatementAnswerInput{
					mend.PartDid: {Choice: "lands"}, mend.PartImpact: {Choice: "lands"}, mend.PartRegret: {Choice: "more"},
					mend.PartChanging: {Choice: "lands"}}, ""); err != nil {
					t.Fatal(err)
				}
			}},
		{route: "POST /statement", as: ben, from: fixed("/statement"), form: url.Values{"action": {"send"}}},
		{route: "POST /statement/share", as: ben, from: fixed("/statement"), form: url.Values{"share": {"on"}}},
		{route: "GET /caseload/{coupleID}/statement", as: tess},
		{route: "GET /statement/delete", as: ben},
		{route: "POST /statement/delete", as: ben, from: fixed("/statement/delete")},
		{route: "GET /journal/entries/{entryID}/delete", as: ana},
		{route: "POST /journal/entries/{entryID}/delete", as: ana, from: seeded("/journal/entries/{entryID}/delete")},
		{route: "GET /journal/answers/{answerID}/delete", as: ana},
		{route: "POST /journal/answers/{answerID}/delete", as: ana, from: seeded("/journal/answers/{answerID}/delete")},
		{route: "GET /time-together/{togetherID}/delete", as: ana},
		{route: "POST /time-together/{togetherID}/delete", as: ana, from: seeded("/time-together/{togetherID}/delete")},

		// Sol starts a space and invites Lee, who joins and leaves.
		{route: "GET /couple/start", as: sol},
		{route: "POST /couple/start", as: sol, from: fixed("/couple/start"), form: url.Values{"what_happened": {"lying"}}},
		{route: "GET /couple/invite", as: sol},
		{route: "POST /couple/invite", as: sol, from: fixed("/couple/invite"), want: http.StatusOK},
		{route: "POST /couple/invite/revoke", as: sol, from: fixed("/couple/invite"),
			after: func(t *testing.T, w *tripWorld, _ *response) {
				res := w.b(t, w.stranger).post("/couple/invite", nil)
				w.token = inviteToken(t, res)
			}},
		{route: "GET /join", as: lee},
		{route: "GET /join/{token}", as: lee, path: joinPath},
		{route: "POST /join/{token}", as: lee, path: joinPath, from: joinPath},
		{route: "POST /couple/leave", as: lee, from: fixed("/couple"), form: url.Values{"password": {testPassword}}},
		// Then Lee deletes the account, and lands on the neutral page.
		{route: "GET /settings/delete", as: lee},
		{route: "POST /settings/delete", as: lee, from: fixed("/settings/delete"), form: url.Values{"password": {testPassword}, "confirm": {"DELETE"}}},
		{route: "GET /account-deleted"},

		// Cara and Dan change therapists: Uma's link ends, Rory's is
		// declined, Uma withdraws from a new one, then Uma is agreed again
		// and steps away.
		{route: "POST /sharing/end", as: cara, from: fixed("/sharing")},
		{route: "POST /sharing/invite", as: cara, from: fixed("/sharing"), want: http.StatusOK},
		{route: "POST /sharing/invite/revoke", as: cara, from: fixed("/sharing")},
		{route: "POST /sharing/decline", as: dan, from: fixed("/sharing"), before: invite(cara, rory)},
		{route: "POST /caseload/invitations/{linkID}/withdraw", as: uma, before: invite(cara, uma), from: fixed("/caseload"),
			path: func(w *tripWorld) string {
				return "/caseload/invitations/" + strconv.FormatInt(w.pending, 10) + "/withdraw"
			}},
		{route: "POST /sharing/agree", as: dan, from: fixed("/sharing"), before: invite(cara, uma)},
		{route: "POST /caseload/{coupleID}/step-away", as: uma, path: fixed("/caseload/" + coupleB + "/step-away"), from: fixed("/caseload/" + coupleB)},

		// Last, since it logs Dan out everywhere: Dan forgets his password.
		{route: "GET /password/forgot"},
		{route: "POST /password/forgot", from: fixed("/password/forgot"), form: url.Values{"email": {dan.Email}}, want: http.StatusOK,
			after: func(t *testing.T, w *tripWorld, _ *response) { w.resetPath = lastResetPath(t, w.app, dan.Email) }},
		{route: "GET /password/reset/{token}", path: resetPath},
		{route: "POST /password/reset/{token}", path: resetPath, from: resetPath, form: url.Values{"new": {newPassword}, "confirm": {newPassword}}},
	}
}

func resetPath(w *tripWorld) string { return w.resetPath }

// unsubscribePath is the path of Ana's link that turns her check-in
// reminder off.
func unsubscribePath(w *tripWorld) string {
	return strings.TrimPrefix(w.app.srv.reminders.UnsubscribeURL(w.ana.ID, mend.SettingCheckin), w.app.srv.cfg.BaseURL.String())
}

// daysBefore is route with days chosen long before today, and 12 weeks.
func daysBefore(route string) func(*tripWorld) string {
	return func(w *tripWorld) string {
		today := w.app.srv.now()
		return seeded(route)(w) + "?weeks=12&from=" + today.AddDate(0, 0, -200).Format(time.DateOnly) +
			"&to=" + today.AddDate(0, 0, -150).Format(time.DateOnly)
	}
}

// proposed is a path of the commitment Ana proposed in the story.
func proposed(suffix string) func(*tripWorld) string {
	return func(w *tripWorld) string { return "/commitments/" + strconv.FormatInt(w.proposed, 10) + suffix }
}

// proposedTalk is a path of the newest talk time waiting for an answer.
func proposedTalk(suffix string) func(*tripWorld) string {
	return func(w *tripWorld) string {
		var id int64
		w.app.db.Pool.QueryRow(context.Background(), `SELECT max(id) FROM talk_times WHERE couple_id = $1 AND status = 'proposed'`,
			w.coupleA).Scan(&id)
		return "/talk/times/" + strconv.FormatInt(id, 10) + suffix
	}
}

func joinPath(w *tripWorld) string { return "/join/" + w.token }

// inviteToken reads the invite link shown once on the page res.
func inviteToken(t *testing.T, res *response) string {
	t.Helper()
	wantStatus(t, res, http.StatusOK)
	i := strings.Index(res.body, "/join/")
	if i < 0 {
		t.Fatalf("no invite link on the page:\n%.2000s", res.body)
	}
	token := res.body[i+len("/join/"):]
	if j := strings.IndexAny(token, "\"<& \n"); j >= 0 {
		token = token[:j]
	}
	if len(token) < 20 {
		t.Fatalf("invite link with token %q", token)
	}
	return token
}

// trip is one measured request.
type trip struct {
	path       string
	n          int
	statements []string
}

func budgetOf(route string) int {
	if strings.HasPrefix(route, "GET ") || strings.HasPrefix(route, "HEAD ") {
		return pageBudget
	}
	return writeBudget
}

// TestRoundTrips_EveryRouteWithinBudget requests every route of the router
// once, as the person it is for, with realistic data and valid forms, and
// counts the round trips each request makes to PostgreSQL: a page may make
// pageBudget, a write writeBudget.
// A route without a case fails, so new routes are held to the budget too.
// To see the table of every route's round trips:
//
//	go test ./internal/server -run TestRoundTrips -v
func TestRoundTrips_EveryRouteWithinBudget(t *testing.T) {
	t.Parallel()
	w := newTripWorld(t)
	trips := w.run(t, tripCases(w))

	var routes []string
	err := chi.Walk(w.app.srv.router, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		routes = append(routes, method+" "+route)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// By path, then method: chi.Walk's order varies from run to run.
	slices.SortFunc(routes, func(a, b string) int {
		am, ap, _ := strings.Cut(a, " ")
		bm, bp, _ := strings.Cut(b, " ")
		return cmp.Or(strings.Compare(ap, bp), strings.Compare(am, bm))
	})
	inRouter := map[string]bool{}
	for _, r := range routes {
		inRouter[r] = true
		if _, ok := trips[r]; !ok {
			t.Errorf("%s: no case in tripCases, so its round trips are not counted", r)
		}
	}
	for r := range trips {
		if !inRouter[r] {
			t.Errorf("tripCases has a case for %s, which the router does not have", r)
		}
	}

	var table strings.Builder
	fmt.Fprintf(&table, "\n%-6s %-46s %6s %6s  %s\n", "METHOD", "ROUTE", "TRIPS", "BUDGET", "")
	for _, r := range routes {
		tr, ok := trips[r]
		if !ok {
			continue
		}
		budget := budgetOf(r)
		note := ""
		if tr.n > budget {
			note = "OVER BUDGET"
			t.Errorf("%s (%s): %d round trips, over its budget of %d:\n\t%s", r, tr.path, tr.n, budget, strings.Join(tr.statements, "\n\t"))
		}
		method, pattern, _ := strings.Cut(r, " ")
		fmt.Fprintf(&table, "%-6s %-46s %6d %6d  %s\n", method, pattern, tr.n, budget, note)
	}
	t.Log(table.String())
}

// newTripWorld seeds the world of the authorization tests on a database
// whose pool counts round trips, served through a tripServer.
func newTripWorld(t *testing.T) *tripWorld {
	t.Helper()
	tracer := pgtest.NewTracer()
	app := newTestAppOn(t, pgtest.NewDBWith(t, postgres.Options{Tracer: tracer}), nil)
	ts := &tripServer{next: app.srv, tracer: tracer, done: map[string]chan *pgtest.Trips{}}
	counted := httptest.NewServer(ts)
	t.Cleanup(counted.Close)
	// The same server and database, reached through the counting front.
	capp := &testApp{t: t, srv: app.srv, db: app.db, ts: counted}
	return &tripWorld{world: seedWorld(t, capp), server: ts, browsers: map[int64]*browser{}}
}

// run makes each case's request and returns the measures by route.
func (w *tripWorld) run(t *testing.T, cases []tripCase) map[string]trip {
	t.Helper()
	trips := map[string]trip{}
	for _, c := range cases {
		if _, dup := trips[c.route]; dup {
			t.Fatalf("two cases for %s", c.route)
		}
		method, pattern, _ := strings.Cut(c.route, " ")
		if c.before != nil {
			c.before(t, w)
		}
		var b *browser
		switch {
		case c.asOf != nil:
			b = c.asOf(w)
		case c.as != nil:
			b = w.b(t, c.as)
		default:
			b = w.app.browser()
		}
		path := seeded(pattern)(w)
		if c.path != nil {
			path = c.path(w)
		}
		var form url.Values
		if c.from != nil {
			form = formFields(t, b, c.from(w), path)
		} else if method != http.MethodGet && method != http.MethodHead {
			form = url.Values{}
		}
		for k, vs := range c.form {
			if form == nil {
				t.Fatalf("%s: form values without a page to take the form from", c.route)
			}
			form[k] = vs
		}
		res, n := w.server.measure(t, b, method, path, form)
		want := c.want
		if want == 0 {
			want = http.StatusSeeOther
			if method == http.MethodGet || method == http.MethodHead {
				want = http.StatusOK
			}
		}
		if res.StatusCode != want {
			t.Errorf("%s (%s): status %d, want %d: its round trips are not those of its work\n%.1500s", c.route, path, res.StatusCode, want, pageProblem(t, res))
		}
		// A password reset sends the person to log in: that is its work.
		if loc := res.Header.Get("Location"); strings.HasPrefix(loc, "/login") && c.route != "POST /password/reset/{token}" {
			t.Errorf("%s (%s): sent to %s", c.route, path, loc)
		}
		trips[c.route] = trip{path: path, n: n.Count(), statements: n.Statements()}
		if late := n.Late(); len(late) > 0 {
			t.Errorf("%s: statements ran after the request ended: %q", c.route, late)
		}
		if c.after != nil {
			c.after(t, w, res)
		}
		follow(t, b, res)
	}
	if strays := strays(w.server.tracer); len(strays) > 0 {
		t.Errorf("statements ran during requests without the request's context, so no request counted them: %q", strays)
	}
	return trips
}

// pageProblem is what a page says went wrong: its alert, or its main text.
func pageProblem(t *testing.T, res *response) string {
	t.Helper()
	d := doc(t, res.body)
	if n := find(d, func(n *htmlNode) bool { return attr(n, "role") == "alert" }); n != nil {
		return text(n)
	}
	if n := find(d, byID("main")); n != nil {
		return text(n)
	}
	return res.body
}

// strays are the tracer's strays but for the session store's periodic
// cleanup, which is background work by design.
func strays(tr *pgtest.Tracer) []string {
	var out []string
	for _, s := range tr.Strays() {
		if !strings.HasPrefix(s, "DELETE FROM sessions WHERE expiry < current_timestamp") {
			out = append(out, s)
		}
	}
	return out
}

// follow goes where a redirect sends the browser, as a browser would (not
// counted), so that the confirmation it leaves is taken before the next
// measured request, which then starts from a quiet session.
func follow(t *testing.T, b *browser, res *response) {
	t.Helper()
	for range 3 {
		loc := res.Header.Get("Location")
		if res.StatusCode != http.StatusSeeOther || loc == "" {
			return
		}
		if res = b.get(loc); res.StatusCode >= 500 {
			t.Fatalf("following to %s: %d", loc, res.StatusCode)
		}
	}
}

// tripServer puts a round-trip counter into each request's context before
// Mend's router sees it, and hands the count of a probed request to the
// test when the handler has returned.
type tripServer struct {
	next   http.Handler
	tracer *pgtest.Tracer
	mu     sync.Mutex
	seq    int
	done   map[string]chan *pgtest.Trips
}

const probeHeader = "X-Test-Round-Trips"

func (s *tripServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx, trips := s.tracer.Start(r.Context())
	func() {
		defer trips.Stop()
		s.next.ServeHTTP(w, r.WithContext(ctx))
	}()
	if id := r.Header.Get(probeHeader); id != "" {
		s.mu.Lock()
		ch := s.done[id]
		delete(s.done, id)
		s.mu.Unlock()
		if ch != nil {
			ch <- trips
		}
	}
}

// measure sends one request as b and returns its response and count.
func (s *tripServer) measure(t *testing.T, b *browser, method, path string, form url.Values) (*response, *pgtest.Trips) {
	t.Helper()
	s.mu.Lock()
	s.seq++
	id := strconv.Itoa(s.seq)
	ch := make(chan *pgtest.Trips, 1)
	s.done[id] = ch
	s.mu.Unlock()
	var req *http.Request
	if form != nil {
		req, _ = http.NewRequest(method, b.app.ts.URL+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	} else {
		req, _ = http.NewRequest(method, b.app.ts.URL+path, nil)
	}
	req.Header.Set(probeHeader, id)
	res := b.do(req)
	select {
	case trips := <-ch:
		return res, trips
	case <-time.After(10 * time.Second):
		t.Fatalf("%s %s: the handler did not finish", method, path)
		return nil, nil
	}
}

// formFields opens page as b (not counted) and returns what a browser
// would send from the first form on it that posts to action, untouched:
// its hidden and filled inputs, checked boxes and radios, text areas and
// selected options. It fails when the page has no such form.
func formFields(t *testing.T, b *browser, page, action string) url.Values {
	t.Helper()
	res := b.get(page)
	wantStatus(t, res, http.StatusOK)
	form := find(doc(t, res.body), func(n *htmlNode) bool {
		return n.Data == "form" && strings.EqualFold(attr(n, "method"), "post") && attr(n, "action") == action
	})
	if form == nil {
		t.Fatalf("%s shows no form posting to %s", page, action)
	}
	vals := url.Values{}
	var walk func(n *htmlNode)
	walk = func(n *htmlNode) {
		if name := attr(n, "name"); n.Type == html.ElementNode && name != "" && !hasAttr(n, "disabled") {
			switch n.Data {
			case "input":
				switch strings.ToLower(attr(n, "type")) {
				case "submit", "button", "image", "reset", "file", "password":
				case "checkbox", "radio":
					if hasAttr(n, "checked") {
						v, ok := attrOK(n, "value")
						if !ok {
							v = "on"
						}
						vals.Add(name, v)
					}
				default:
					vals.Add(name, attr(n, "value"))
				}
			case "textarea":
				var sb strings.Builder
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					sb.WriteString(c.Data)
				}
				vals.Add(name, sb.String())
			case "select":
				var first, chosen *htmlNode
				var options func(n *htmlNode)
				options = func(n *htmlNode) {
					for c := n.FirstChild; c != nil; c = c.NextSibling {
						if c.Type == html.ElementNode && c.Data == "option" {
							if first == nil {
								first = c
							}
							if chosen == nil && hasAttr(c, "selected") {
								chosen = c
							}
						}
						options(c)
					}
				}
				options(n)
				if chosen == nil {
					chosen = first
				}
				if chosen != nil {
					v, ok := attrOK(chosen, "value")
					if !ok {
						v = text(chosen)
					}
					vals.Add(name, v)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(form)
	return vals
}

func attrOK(n *htmlNode, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}
