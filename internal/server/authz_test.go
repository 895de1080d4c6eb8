package server

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/mend-app/mend/internal/mend"
)

// routeCase says how a route with path parameters must answer people
// outside the seeded couple. want is 404 unless set: existence never leaks.
type routeCase struct {
	want int
	// owner, when set, is a positive control: the person who may use the
	// route gets ownerWant, so the wall cannot pass by the route being broken.
	owner     func(w *world) *mend.User
	ownerWant int
	// ownerSees is text the owner's page must show (a positive control
	// that the route reads the couple's data at all).
	ownerSees string
	// alsoOK is another status outsiders may get: 422 for a form refused
	// for its (empty) content before any record is looked up, the same
	// answer for every id, so nothing leaks.
	alsoOK int
	// ownSpace marks a partner route whose parameter is not a couple's: it
	// works on the caller's own space, so outsiders may get their own page,
	// a redirect or a refusal — never the couple's data, never a change.
	ownSpace bool
}

// routeCases must name every route with a path parameter. A new route
// without a case fails TestAuthz_EveryRouteWithAParameterIsWalled.
var routeCases = map[string]routeCase{
	"GET /caseload/{coupleID}": {owner: func(w *world) *mend.User { return w.therapist }, ownerWant: http.StatusOK},
	// Stepping away is the linked therapist's own act; the positive control
	// would end the link, so it is tested in TestAuthz_TherapistStepsAway.
	"POST /caseload/{coupleID}/step-away": {},
	// Withdrawing is a therapist's own act on their own pending link, by the
	// link's id: for anyone else (and for an agreed link) it is not there.
	// The seeded id is the couple's link to Tess; others withdrawing Pia's
	// pending link are refused in TestAuthz_APendingTherapistIsAnOutsider,
	// and Pia's own withdrawal is TestHTTP_APendingLinkIsDeclinedWithdrawnOrEnded.
	"POST /caseload/invitations/{linkID}/withdraw": {},
	// An invite link is a capability: whoever holds it may open it. The
	// seeded couple's partner invite is used, so everyone gets the same
	// "already used" page (410) and nothing of the couple.
	// A reset link is a capability too; the seeded token is no reset's,
	// so everyone gets the page that says the link does not work.
	"GET /password/reset/{token}":  {},
	"POST /password/reset/{token}": {},
	// So is a sign-up confirmation link: the seeded token is none, and
	// everyone gets the page that says the link does not work.
	"GET /signup/confirm/{token}":  {want: http.StatusNotFound},
	"POST /signup/confirm/{token}": {want: http.StatusNotFound},
	"GET /join/{token}":            {want: http.StatusGone},
	// An unsubscribe link is signed: the seeded token is none, so everyone
	// gets the page that says the link does not work.
	"GET /unsubscribe/{token}":  {},
	"POST /unsubscribe/{token}": {},
	"POST /join/{token}":        {want: http.StatusGone},
	"GET /caseload/{coupleID}/checkins": {owner: func(w *world) *mend.User { return w.therapist }, ownerWant: http.StatusOK,
		ownerSees: "Quorrin worries about the lake house"},
	"GET /checkins/{day}": {ownSpace: true, owner: func(w *world) *mend.User { return w.ana }, ownerWant: http.StatusOK,
		ownerSees: "Quorrin worries about the lake house"},
	// An empty answer reaches the form's validation: the route is live.
	"POST /checkins/{day}/ack": {ownSpace: true, owner: func(w *world) *mend.User { return w.ana }, ownerWant: http.StatusUnprocessableEntity},
	// Deleting works on the caller's own check-in (or answer) of the day:
	// others delete only their own, and the snapshot shows nothing of the
	// couple changed. The owner's deletion itself is tested in
	// TestHTTP_DeleteCheckin*, so it does not change the world here.
	"GET /checkins/{day}/delete": {ownSpace: true, owner: func(w *world) *mend.User { return w.ana }, ownerWant: http.StatusOK,
		ownerSees: "Seen by you, Quorrin and Tess"},
	"POST /checkins/{day}/delete":     {ownSpace: true},
	"POST /checkins/{day}/ack/delete": {ownSpace: true},

	"GET /caseload/{coupleID}/commitments": {owner: func(w *world) *mend.User { return w.therapist }, ownerWant: http.StatusOK,
		ownerSees: "No visits to the lake house alone"},
	"GET /commitments/{id}": {owner: func(w *world) *mend.User { return w.ben }, ownerWant: http.StatusOK,
		ownerSees: "Zelphine stayed home"},
	"GET /commitments/{id}/edit": {owner: func(w *world) *mend.User { return w.ben }, ownerWant: http.StatusOK,
		ownerSees: "No visits to the lake house alone"},
	// The owners' empty forms reach each action's own refusal: the routes are live.
	"POST /commitments/{id}/edit":   {alsoOK: http.StatusUnprocessableEntity, owner: func(w *world) *mend.User { return w.ben }, ownerWant: http.StatusUnprocessableEntity},
	"POST /commitments/{id}/answer": {owner: func(w *world) *mend.User { return w.ben }, ownerWant: http.StatusUnprocessableEntity},
	"POST /commitments/{id}/review": {owner: func(w *world) *mend.User { return w.ben }, ownerWant: http.StatusUnprocessableEntity},
	// Nothing of the seeded commitment waits for an answer: Ana's withdrawal
	// reaches the state machine's refusal. Withdrawing is
	// TestHTTP_CommitmentWithdrawnByItsProposer.
	"POST /commitments/{id}/withdraw": {owner: func(w *world) *mend.User { return w.ana }, ownerWant: http.StatusUnprocessableEntity},
	"POST /commitments/{id}/log":      {owner: func(w *world) *mend.User { return w.ana }, ownerWant: http.StatusUnprocessableEntity},
	"POST /commitments/{id}/logs/{logID}": {alsoOK: http.StatusUnprocessableEntity,
		owner: func(w *world) *mend.User { return w.ana }, ownerWant: http.StatusUnprocessableEntity},
	"POST /commitments/{id}/logs/{logID}/respond": {alsoOK: http.StatusUnprocessableEntity,
		owner: func(w *world) *mend.User { return w.ben }, ownerWant: http.StatusUnprocessableEntity},

	"GET /caseload/{coupleID}/triggers": {owner: func(w *world) *mend.User { return w.therapist }, ownerWant: http.StatusOK,
		ownerSees: "Drove past the lake house"},
	"GET /triggers/{triggerID}/edit": {owner: func(w *world) *mend.User { return w.ana }, ownerWant: http.StatusOK,
		ownerSees: "Drove past the lake house"},
	"POST /triggers/{triggerID}/edit": {alsoOK: http.StatusUnprocessableEntity,
		owner: func(w *world) *mend.User { return w.ana }, ownerWant: http.StatusUnprocessableEntity},
	"POST /triggers/{triggerID}/respond": {alsoOK: http.StatusUnprocessableEntity,
		owner: func(w *world) *mend.User { return w.ben }, ownerWant: http.StatusUnprocessableEntity},
	// Only Ana may delete her trigger, and only Ben a response of his; the
	// deletions themselves are in TestHTTP_DeleteTrigger*.
	"GET /triggers/{triggerID}/delete": {owner: func(w *world) *mend.User { return w.ana }, ownerWant: http.StatusOK,
		ownerSees: "Seen by you, Quorrin and Tess"},
	"POST /triggers/{triggerID}/delete":         {},
	"POST /triggers/{triggerID}/respond/delete": {},
	// The minute of help after a trigger is its writer's alone.
	"GET /triggers/{triggerID}/minute": {owner: func(w *world) *mend.User { return w.ana }, ownerWant: http.StatusOK,
		ownerSees: "A minute for you"},
	// Only Ana agrees to Ben's plan; the agreement itself is in
	// TestHTTP_ComfortPlan*.
	"POST /comfort/{planID}/agree": {},
	"GET /caseload/{coupleID}/disclosures": {owner: func(w *world) *mend.User { return w.therapist }, ownerWant: http.StatusOK,
		ownerSees: "Quorrin got a message about the lake house"},
	// A draft is its writer's alone: her positive controls.
	"GET /disclosures/drafts/{draftID}/edit": {owner: func(w *world) *mend.User { return w.ana }, ownerWant: http.StatusOK,
		ownerSees: "Zelphine&#39;s draft about the lake house"},
	"POST /disclosures/drafts/{draftID}/edit": {alsoOK: http.StatusUnprocessableEntity,
		owner: func(w *world) *mend.User { return w.ana }, ownerWant: http.StatusUnprocessableEntity},
	// Sending is Ana's own act on her draft; the positive control would
	// send it (and close the draft's other routes), so it is tested in
	// TestDisclosures_HTTP.
	"POST /disclosures/drafts/{draftID}/send": {},
	// Ana answers Ben's: her empty answer reaches the form's validation.
	"POST /disclosures/{disclosureID}/answer": {alsoOK: http.StatusUnprocessableEntity,
		owner: func(w *world) *mend.User { return w.ana }, ownerWant: http.StatusUnprocessableEntity},
	// Only Ben may delete what he told, and only Ana her answers to it; the
	// deletions themselves are in TestHTTP_DeleteDisclosure*.
	"GET /disclosures/{disclosureID}/delete": {owner: func(w *world) *mend.User { return w.ben }, ownerWant: http.StatusOK,
		ownerSees: "Seen by you, Zelphine and Tess"},
	"POST /disclosures/{disclosureID}/delete":        {},
	"POST /disclosures/{disclosureID}/answer/delete": {},
	// Ana answers Ben's statement: her empty answer reaches the form's
	// validation; TestStatement_HTTP answers it.
	"POST /statement/versions/{versionID}/answer": {alsoOK: http.StatusUnprocessableEntity,
		owner: func(w *world) *mend.User { return w.ana }, ownerWant: http.StatusUnprocessableEntity},
	// Only Ana may take back her answers to Ben's version (she has none in
	// the seeded world); TestHTTP_DeleteOwnStatementAnswers takes them back.
	"POST /statement/versions/{versionID}/answer/delete": {},
	// A prompt of their own is removed by Ana, who added it; the removal
	// itself is in TestHTTP_RemoveOwnPrompt.
	"GET /prompts/own/{promptID}/delete": {owner: func(w *world) *mend.User { return w.ana }, ownerWant: http.StatusOK,
		ownerSees: "where shall we walk next Sunday"},
	"POST /prompts/own/{promptID}/delete": {},
	// A journal entry and an answer are their writer's alone: Ana's
	// positive controls; the deletions themselves are in TestJournal_HTTP.
	"GET /journal/entries/{entryID}/delete": {owner: func(w *world) *mend.User { return w.ana }, ownerWant: http.StatusOK,
		ownerSees: "Zelphine writes in her journal"},
	"GET /journal/answers/{answerID}/delete": {owner: func(w *world) *mend.User { return w.ana }, ownerWant: http.StatusOK,
		ownerSees: "river walk"},
	"POST /journal/entries/{entryID}/delete":  {},
	"POST /journal/answers/{answerID}/delete": {},
	// Either partner notes a time together (an empty note reaches the
	// lookup: it removes one's note); only Ana, who logged it, deletes it.
	"POST /time-together/{togetherID}/note": {owner: func(w *world) *mend.User { return w.ben }, ownerWant: http.StatusSeeOther},
	"GET /time-together/{togetherID}/delete": {owner: func(w *world) *mend.User { return w.ana }, ownerWant: http.StatusOK,
		ownerSees: "walked by the river"},
	"POST /time-together/{togetherID}/delete": {},
	// Talk times: deciding is tested in TestTalk_HTTP*, since each
	// positive control would change the one agreed talk time.
	"POST /talk/times/{talkTimeID}/answer":   {},
	"POST /talk/times/{talkTimeID}/withdraw": {},
	"POST /talk/times/{talkTimeID}/end":      {},
	// Ana's topic is private to her until the talk time: only she may mark
	// it talked through (the control does, after the outsiders), share or
	// delete it.
	"POST /talk/topics/{topicID}/talked": {owner: func(w *world) *mend.User { return w.ana }, ownerWant: http.StatusSeeOther},
	"POST /talk/topics/{topicID}/share":  {},
	"GET /talk/topics/{topicID}/delete": {owner: func(w *world) *mend.User { return w.ana }, ownerWant: http.StatusOK,
		ownerSees: "topic about the lake house"},
	"POST /talk/topics/{topicID}/delete": {},
	// Ben answers Ana's question: his empty answer reaches validation, as
	// everyone's does, before any lookup.
	"POST /talk/questions/{questionID}/answer": {alsoOK: http.StatusUnprocessableEntity,
		owner: func(w *world) *mend.User { return w.ben }, ownerWant: http.StatusUnprocessableEntity},
	"GET /talk/questions/{questionID}/delete": {owner: func(w *world) *mend.User { return w.ana }, ownerWant: http.StatusOK,
		ownerSees: "Zelphine asks about the lake house"},
	"POST /talk/questions/{questionID}/delete": {},
	// Ana shares her question with Tess (the control would change that).
	"POST /talk/questions/{questionID}/share": {},
	"GET /caseload/{coupleID}/questions": {owner: func(w *world) *mend.User { return w.therapist }, ownerWant: http.StatusOK,
		ownerSees: "Zelphine asks about the lake house"},
	// Ben shares his statement with Tess: she reads what he sent.
	"GET /caseload/{coupleID}/statement": {owner: func(w *world) *mend.User { return w.therapist }, ownerWant: http.StatusOK,
		ownerSees: "Quorrin regrets every lie about the lake house"},
	"GET /caseload/{coupleID}/journal": {owner: func(w *world) *mend.User { return w.therapist }, ownerWant: http.StatusOK,
		ownerSees: benJournalEntry},
	// The positive control removes it: it runs after the outsiders.
	"POST /hard-dates/{dateID}/remove": {owner: func(w *world) *mend.User { return w.ben }, ownerWant: http.StatusSeeOther},
	// Either partner writes the plan; the removal above may come first, so
	// the positive control is TestHTTP_HardDatePlan.
	"POST /hard-dates/{dateID}/plan": {},
	"GET /caseload/{coupleID}/progress": {owner: func(w *world) *mend.User { return w.therapist }, ownerWant: http.StatusOK,
		ownerSees: "Zelphine&#39;s setback at the lake house"},
	"GET /caseload/{coupleID}/summary": {owner: func(w *world) *mend.User { return w.therapist }, ownerWant: http.StatusOK,
		ownerSees: "Zelphine&#39;s setback at the lake house"},
	// Only the writer removes a setback; the control removes it, after the outsiders.
	"POST /progress/setbacks/{setbackID}/remove": {owner: func(w *world) *mend.User { return w.ana }, ownerWant: http.StatusSeeOther},
	// Only the therapist the flag was sent to may mark it done; the control
	// marks it, after the outsiders.
	"POST /caseload/{coupleID}/flags/{flagID}/done": {owner: func(w *world) *mend.User { return w.therapist }, ownerWant: http.StatusSeeOther},

	// The therapist's own records: only Tess, while linked. Empty forms
	// reach validation (422) for her; everyone else is refused before it.
	"GET /caseload/{coupleID}/sessions":  {owner: func(w *world) *mend.User { return w.therapist }, ownerWant: http.StatusOK, ownerSees: tessNote},
	"POST /caseload/{coupleID}/sessions": {owner: func(w *world) *mend.User { return w.therapist }, ownerWant: http.StatusUnprocessableEntity},
	// The control removes it, after the outsiders; the note stays.
	"POST /caseload/{coupleID}/sessions/{sessionID}/remove": {owner: func(w *world) *mend.User { return w.therapist }, ownerWant: http.StatusSeeOther},
	"POST /caseload/{coupleID}/notes":                       {owner: func(w *world) *mend.User { return w.therapist }, ownerWant: http.StatusUnprocessableEntity},
	"GET /caseload/{coupleID}/notes/{noteID}/edit": {owner: func(w *world) *mend.User { return w.therapist }, ownerWant: http.StatusOK,
		ownerSees: tessNote},
	"POST /caseload/{coupleID}/notes/{noteID}/edit": {owner: func(w *world) *mend.User { return w.therapist }, ownerWant: http.StatusUnprocessableEntity},
	"GET /caseload/{coupleID}/suggestions": {owner: func(w *world) *mend.User { return w.therapist }, ownerWant: http.StatusOK,
		ownerSees: tessSuggestion},
	"POST /caseload/{coupleID}/suggestions": {owner: func(w *world) *mend.User { return w.therapist }, ownerWant: http.StatusUnprocessableEntity},
	// The check after a session is a partner's own, about a session of their
	// own therapist: {day} is a day, not a record. Ana's page shows her own
	// answers; her empty form reaches validation. Tess reads only what was
	// shared with her.
	"GET /sessions/{day}/check": {ownSpace: true, owner: func(w *world) *mend.User { return w.ana }, ownerWant: http.StatusOK,
		ownerSees: anaCheckNote},
	"POST /sessions/{day}/check": {ownSpace: true, owner: func(w *world) *mend.User { return w.ana }, ownerWant: http.StatusUnprocessableEntity},
	"GET /caseload/{coupleID}/session-checks": {owner: func(w *world) *mend.User { return w.therapist }, ownerWant: http.StatusOK,
		ownerSees: anaCheckNote},
	// A partner sets a suggestion aside for themselves; the control does, after the outsiders.
	"POST /suggestions/{suggestionID}/done": {owner: func(w *world) *mend.User { return w.ben }, ownerWant: http.StatusSeeOther},
	// One of Ana's sessions, by its id: only she may sign it out; the
	// control does, after the outsiders.
	"POST /settings/sessions/{loginID}/sign-out": {owner: func(w *world) *mend.User { return w.ana }, ownerWant: http.StatusSeeOther},
}

func TestAuthz_EveryRouteWithAParameterIsWalled(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	w := seedWorld(t, app)
	w.walk(t, w.outsiders(t), true)
}

// walk requests every route with a path parameter, with the couple's real
// ids, as each outsider, and checks the answers, that nothing of the couple
// shows and that no row of theirs changes; then, with controls, the
// owners' positive controls.
func (w *world) walk(t *testing.T, outsiders map[string]*browser, controls bool) {
	t.Helper()
	app := w.app
	params := w.params()
	before := w.snapshot(t)

	walked, requests := 0, 0
	var owners []func() // run after the outsiders: an owner's view is logged
	err := chi.Walk(app.srv.router, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if !strings.Contains(route, "{") {
			return nil
		}
		walked++
		key := method + " " + route
		c, ok := routeCases[key]
		if !ok {
			t.Errorf("route %s has a path parameter but no authorization case in routeCases", key)
			return nil
		}
		path, missing := fillParams(route, params)
		if missing != "" {
			t.Errorf("route %s: no seeded value for parameter {%s}", key, missing)
			return nil
		}
		want := c.want
		if want == 0 {
			want = http.StatusNotFound
		}
		for who, b := range outsiders {
			res := b.request(method, path)
			requests++
			switch {
			case c.ownSpace && res.StatusCode >= 500:
				t.Errorf("%s as %s: status %d", key, who, res.StatusCode)
			case !c.ownSpace && strings.HasPrefix(who, "therapist") && method != http.MethodGet &&
				!strings.HasPrefix(route, "/caseload/") && res.StatusCode == http.StatusForbidden:
				// Therapists are refused every change to partners' records
				// with 403, before any id is read.
			case !c.ownSpace && res.StatusCode != want && res.StatusCode != c.alsoOK:
				t.Errorf("%s as %s: status %d, want %d", key, who, res.StatusCode, want)
			}
			for _, s := range secrets {
				if strings.Contains(res.body, s) {
					t.Errorf("%s as %s: the page shows %q", key, who, s)
				}
			}
		}
		if controls && c.owner != nil {
			owners = append(owners, func() {
				res := w.as(t, c.owner(w)).request(method, path)
				requests++
				if res.StatusCode != c.ownerWant {
					t.Errorf("%s as its owner: status %d, want %d (the positive control)", key, res.StatusCode, c.ownerWant)
				}
				if !strings.Contains(res.body, c.ownerSees) {
					t.Errorf("%s as its owner: the page does not show %q (the positive control)", key, c.ownerSees)
				}
			})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if walked < len(routeCases) {
		t.Errorf("walked %d parameter routes but routeCases has %d: a case names a route that no longer exists", walked, len(routeCases))
	}
	if after := w.snapshot(t); after != before {
		t.Errorf("outsiders changed the couple's rows:\n%s\n%s", before, after)
	}
	for _, control := range owners {
		control()
	}
	t.Logf("walked %d routes with parameters × %d outsiders (positive controls: %v): %d requests", walked, len(outsiders), controls, requests)
}

// tampering is a form full of fields naming Ana and Ben's couple, to catch
// a handler that ever takes a couple, person or role from a form.
func (w *world) tampering() url.Values {
	a, ana, ben := strconv.FormatInt(w.coupleA, 10), strconv.FormatInt(w.ana.ID, 10), strconv.FormatInt(w.ben.ID, 10)
	return url.Values{
		"couple_id": {a}, "coupleID": {a}, "couple": {a}, "user_id": {ana}, "author_id": {ana}, "partner_id": {ben},
		"therapist_id": {ana}, "id": {a}, "commitment_id": {a}, "owner_id": {ana}, "log_id": {a}, "role": {"therapist"}, "visibility": {"therapist"}, "token": {w.usedPartnerToken},
		"share": {mend.KindCheckins}, "password": {testPassword}, "current": {testPassword},
		"name": {"Mallory"}, "time_zone": {"UTC"}, "what_happened": {"other"}, "details": {"tampered"},
		"link": {strconv.FormatInt(max(w.pendingLink, w.therapistLink), 10)},
	}
}

func TestAuthz_RoutesWithoutParametersShowAndChangeNothingOfAnotherCouple(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	w := seedWorld(t, app)
	w.walkWithoutParameters(t, w.outsiders(t), nil)
}

// walkWithoutParameters opens every page without parameters as each
// outsider, and posts a form full of the couple's ids to every unsafe
// route: no page may show the couple's names or words, except the phrase
// allowed["who GET route"], and no row of theirs may change.
func (w *world) walkWithoutParameters(t *testing.T, outsiders map[string]*browser, allowed map[string]string) {
	t.Helper()
	app := w.app
	before := w.snapshot(t)
	form := w.tampering()
	var gets, posts []string
	chi.Walk(app.srv.router, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		switch {
		case strings.Contains(route, "{") || strings.Contains(route, "*"):
		case method == http.MethodGet:
			gets = append(gets, route)
		case method != http.MethodHead && route != "/logout" && route != "/login" && route != "/signup":
			posts = append(posts, method+" "+route)
		}
		return nil
	})
	for who, b := range outsiders {
		for _, route := range gets {
			res := b.get(route)
			body := res.body
			if phrase := allowed[who+" GET "+route]; phrase != "" {
				body = strings.ReplaceAll(body, phrase, "")
			}
			for _, s := range secrets {
				if strings.Contains(body, s) {
					t.Errorf("GET %s as %s shows %q", route, who, s)
				}
			}
		}
		for _, mr := range posts {
			method, route, _ := strings.Cut(mr, " ")
			req, _ := http.NewRequest(method, app.ts.URL+route, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			if res := b.do(req); res.StatusCode >= 500 {
				t.Errorf("%s as %s: %d", mr, who, res.StatusCode)
			}
		}
	}
	if after := w.snapshot(t); after != before {
		t.Errorf("outsiders' tampered forms changed the couple's rows:\n%s\n%s", before, after)
	}
	t.Logf("%d pages and %d unsafe routes without parameters × %d outsiders", len(gets), len(posts), len(outsiders))
}

// nonCoupleRoutes are the unsafe routes that change no couple's data. Any
// other unsafe route must refuse a therapist — even the couple's own —
// with 403: therapists never change a couple's records.
var nonCoupleRoutes = map[string]bool{
	"POST /signup": true, "POST /login": true, "POST /logout": true,
	"POST /password/forgot": true, "POST /password/reset/{token}": true, "POST /signup/confirm/{token}": true,
	"POST /settings/profile": true, "POST /settings/password": true, "POST /settings/therapist": true,
	"POST /settings/email": true, "POST /settings/professional-name": true,
	"POST /join/{token}": true, "POST /caseload/{coupleID}/step-away": true,
	// A person's own setting, and a therapist's own note that a partner's
	// request to talk alone is dealt with.
	"POST /settings/reminders": true, "POST /unsubscribe/{token}": true,
	"POST /settings/privacy": true, "POST /caseload/{coupleID}/flags/{flagID}/done": true,
	// Downloading one's own data reads, and writes only its throttle: a
	// therapist exports their own notes too.
	"POST /settings/export": true,
	// A person's own account: a therapist deletes theirs too.
	"POST /settings/delete": true,
	// A person's own sessions.
	"POST /settings/sessions/{loginID}/sign-out": true, "POST /settings/sessions/sign-out-others": true,
	"POST /caseload/invitations/{linkID}/withdraw": true,
	// The therapist's own records about the couple: session dates, private
	// notes, and suggestions sent to the couple (never a partner's record).
	"POST /caseload/{coupleID}/sessions": true, "POST /caseload/{coupleID}/sessions/{sessionID}/remove": true,
	"POST /caseload/{coupleID}/notes": true, "POST /caseload/{coupleID}/notes/{noteID}/edit": true,
	"POST /caseload/{coupleID}/suggestions": true,
}

func TestAuthz_TherapistCannotChangeCoupleData(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	w := seedWorld(t, app)
	tess := w.as(t, w.therapist)
	checked := 0
	err := chi.Walk(app.srv.router, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if method == http.MethodGet || method == http.MethodHead || nonCoupleRoutes[method+" "+route] {
			return nil
		}
		checked++
		path, _ := fillParams(route, w.params())
		if res := tess.request(method, path); res.StatusCode != http.StatusForbidden {
			t.Errorf("%s %s as the couple's therapist: status %d, want 403", method, route, res.StatusCode)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// And the couple's records are as they were.
	sp, err := app.srv.couples.Space(context.Background(), w.ana)
	if err != nil || sp.Partner == nil || sp.Partner.UserID != w.ben.ID {
		t.Fatalf("couple changed: %+v %v", sp, err)
	}
	t.Logf("%d unsafe couple routes refuse the therapist", checked)
}

// TestAuthz_APendingTherapistIsAnOutsider: while Pia's link waits for Ana,
// Pia is an outsider like any other, on every route the walks request: 404
// wherever the couple's ids appear, 403 for any change to the partners'
// records, and neither partner's name or words anywhere — except, on her
// caseload, the name of the partner who invited her, which the invite told
// her. Once Ana agrees, the same requests show Pia the couple.
func TestAuthz_APendingTherapistIsAnOutsider(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	w := seedWorld(t, app)
	w.pending(t)
	pia := w.as(t, w.pia)
	const who = "therapist whose link is pending"
	outsiders := w.outsiders(t)
	outsiders[who] = pia
	w.walk(t, outsiders, false)
	w.walkWithoutParameters(t, outsiders, map[string]string{who + " GET /caseload": "Quorrin invited you"})

	// Nobody else can withdraw Pia's pending link: it is not theirs.
	withdraw := "/caseload/invitations/" + strconv.FormatInt(w.pendingLink, 10) + "/withdraw"
	for who, b := range w.outsiders(t) {
		if res := b.post(withdraw, nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s withdrawing Pia's link: %d", who, res.StatusCode)
		}
	}
	wantStatus(t, w.as(t, w.ana).post(withdraw, nil), http.StatusNotFound)

	coupleA := strconv.FormatInt(w.coupleA, 10)
	res := pia.get("/caseload")
	if !strings.Contains(res.body, "Quorrin invited you") || strings.Contains(res.body, "/caseload/"+coupleA) {
		t.Fatalf("Pia's caseload while pending:\n%s", res.body)
	}
	var views int
	app.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM therapist_views WHERE therapist_id = $1`, w.pia.ID).Scan(&views)
	if views != 0 {
		t.Fatalf("%d views recorded for a pending therapist", views)
	}
	// The positive control: Ana agrees, and the same pages open for Pia.
	if err := app.srv.couples.AgreeToTherapist(context.Background(), w.ana, w.pendingLink); err != nil {
		t.Fatal(err)
	}
	if res := pia.get("/caseload/" + coupleA); res.StatusCode != http.StatusOK || !strings.Contains(res.body, "Zelphine and Quorrin") {
		t.Fatalf("Pia's overview once Ana agreed: %d\n%s", res.StatusCode, res.body)
	}
	if res := pia.get("/caseload/" + coupleA + "/checkins"); !strings.Contains(res.body, "Quorrin worries about the lake house") {
		t.Fatalf("Pia's check-ins once Ana agreed:\n%s", res.body)
	}
}

func TestAuthz_TherapistsSeeOnlyTheirCouplesWhileLinked(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	w := seedWorld(t, app)
	tess := w.as(t, w.therapist)
	res := tess.get("/caseload")
	wantStatus(t, res, http.StatusOK)
	if !strings.Contains(res.body, "Zelphine and Quorrin") || strings.Contains(res.body, "Cara") {
		t.Fatalf("caseload:\n%s", res.body)
	}
	overview := "/caseload/" + strconv.FormatInt(w.coupleA, 10)
	wantStatus(t, tess.get(overview), http.StatusOK)
	wantStatus(t, tess.get("/caseload/"+strconv.FormatInt(w.coupleB, 10)), http.StatusNotFound)
	wantStatus(t, tess.get("/caseload/999999"), http.StatusNotFound)
	wantStatus(t, tess.get("/caseload/not-a-number"), http.StatusNotFound)

	// Partners' pages send a therapist to the caseload, with nothing shown.
	for _, p := range []string{"/today", "/couple", "/sharing", "/couple/invite"} {
		res := tess.get(p)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/caseload" {
			t.Errorf("GET %s as therapist: %d %s", p, res.StatusCode, res.Header.Get("Location"))
		}
	}

	// Ben ends the link: Tess's very next request is refused.
	ben := w.as(t, w.ben)
	wantStatus(t, ben.post("/sharing/end", nil), http.StatusSeeOther)
	wantStatus(t, tess.get(overview), http.StatusNotFound)
	if res := tess.get("/caseload"); strings.Contains(res.body, "Zelphine and Quorrin") {
		t.Fatal("an ended link still lists the couple")
	}
	// The view Tess made before is in the couple's log, for both partners.
	for _, b := range []*browser{ben, w.as(t, w.ana)} {
		if res := b.get("/sharing"); !strings.Contains(res.body, "Tess looked at your line in the list of couples and your overview") {
			t.Fatalf("view log missing on the sharing page:\n%s", res.body)
		}
	}
}

func TestAuthz_TherapistStepsAway(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	w := seedWorld(t, app)
	tess := w.as(t, w.therapist)
	overview := "/caseload/" + strconv.FormatInt(w.coupleA, 10)
	// Another couple's therapist cannot make Tess step away.
	wantStatus(t, w.as(t, w.other).post(overview+"/step-away", nil), http.StatusNotFound)
	wantStatus(t, tess.get(overview), http.StatusOK)
	wantStatus(t, tess.post(overview+"/step-away", nil), http.StatusSeeOther)
	wantStatus(t, tess.get(overview), http.StatusNotFound)
	if res := w.as(t, w.ana).get("/sharing"); !strings.Contains(res.body, "Tess stepped away") {
		t.Fatalf("the couple does not see that the therapist stepped away:\n%s", res.body)
	}
}

func TestAuthz_ExtraFormFieldsAreIgnored(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	w := seedWorld(t, app)
	ana := w.as(t, w.ana)
	a, b := strconv.FormatInt(w.coupleA, 10), strconv.FormatInt(w.coupleB, 10)
	// Ana withdraws check-ins while naming Cara's couple, Cara, and a role.
	res := ana.post("/sharing/defaults", url.Values{
		"share": {mend.KindCommitments, mend.KindTriggers}, "couple_id": {b}, "user_id": {strconv.FormatInt(w.cara.ID, 10)},
		"role": {"therapist"}, "visibility": {"private"},
	})
	wantStatus(t, res, http.StatusSeeOther)
	ctx := context.Background()
	var rows int
	app.db.Pool.QueryRow(ctx, `SELECT count(*) FROM consent_events WHERE couple_id = $1`, w.coupleB).Scan(&rows)
	if rows != 0 {
		t.Fatalf("another couple got %d consent rows", rows)
	}
	var user int64
	var coupleID int64
	app.db.Pool.QueryRow(ctx, `SELECT user_id, couple_id FROM consent_events ORDER BY id DESC LIMIT 1`).Scan(&user, &coupleID)
	if user != w.ana.ID || strconv.FormatInt(coupleID, 10) != a {
		t.Fatalf("the newest consent row is user %d couple %d, want Ana's own", user, coupleID)
	}
	if sp, _ := app.srv.couples.Space(ctx, w.ana); sp != nil && sp.Shares[w.ana.ID][mend.KindCheckins] {
		t.Fatal("Ana's check-ins still shared")
	}
	// The stranger starts a space while naming couple A: a new space of
	// their own, not a way into Ana and Ben's.
	s := w.as(t, w.stranger)
	page := s.get("/couple/start")
	key := attr(find(doc(t, page.body), func(n *htmlNode) bool { return attr(n, "name") == "form_key" }), "value")
	wantStatus(t, s.post("/couple/start", url.Values{"couple_id": {a}, "form_key": {key}, "user_id": {strconv.FormatInt(w.ana.ID, 10)}}), http.StatusSeeOther)
	sp, err := app.srv.couples.Space(ctx, w.stranger)
	if err != nil || sp.Access.CoupleID() == w.coupleA || sp.Partner != nil {
		t.Fatalf("stranger's space: %+v %v", sp, err)
	}
	if sp, _ := app.srv.couples.Space(ctx, w.ana); sp.Partner.UserID != w.ben.ID {
		t.Fatal("Ana's space changed")
	}
}
