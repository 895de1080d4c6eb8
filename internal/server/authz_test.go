package server

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
)

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
	flag                      int64  // Ben's request to talk to Tess alone
	therapistLink             int64  // the couple's link to Tess
	pendingLink               int64  // set by pending: Pia's link, waiting for Ana
	ana, ben, cara, dan       *mend.User
	therapist, revoked, other *mend.User
	stranger, leaver          *mend.User
	pia                       *mend.User // set by pending: a therapist whose link waits
}

func (w *world) signUp(t testing.TB, name, professional string) *mend.User {
	t.Helper()
	u, err := w.app.srv.accounts.SignUp(context.Background(), service.SignUpInput{
		Name: name, Email: strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.org", Password: testPassword,
		TimeZone: "UTC", Therapist: professional != "", ProfessionalName: professional,
	}, "192.0.2.200")
	if err != nil {
		t.Fatalf("sign up %s: %v", name, err)
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
		all := map[string]bool{mend.KindCheckins: true, mend.KindCommitments: true, mend.KindTriggers: true}
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
	cs := app.srv.commitmentsSvc
	id, err := cs.Propose(ctx, w.ana, service.CommitmentInput{For: "me", Title: "No visits to the lake house alone", Rhythm: "daily",
		ReviewOn: time.Now().AddDate(0, 0, 28).Format(time.DateOnly), Visibility: string(mend.PartnerAndTherapist)})
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
	if err := ts.AddHardDate(ctx, w.ana, "Zelphine's hardest day", time.Now().Format(time.DateOnly), true, ""); err != nil {
		t.Fatal(err)
	}
	app.db.Pool.QueryRow(ctx, `SELECT id FROM hard_dates WHERE couple_id = $1`, w.coupleA).Scan(&w.hardDate)
	// Ben asks Tess to talk to him alone.
	if err := app.srv.safetySvc.SendFlag(ctx, w.ben); err != nil {
		t.Fatal(err)
	}
	app.db.Pool.QueryRow(ctx, `SELECT id FROM therapist_flags WHERE couple_id = $1`, w.coupleA).Scan(&w.flag)
	return w
}

// params are the seeded values of every path parameter.
func (w *world) params() map[string]string {
	return map[string]string{
		"coupleID":  strconv.FormatInt(w.coupleA, 10),
		"token":     w.usedPartnerToken,
		"day":       w.day,
		"id":        strconv.FormatInt(w.commitment, 10),
		"logID":     strconv.FormatInt(w.log, 10),
		"triggerID": strconv.FormatInt(w.trigger, 10),
		"dateID":    strconv.FormatInt(w.hardDate, 10),
		"flagID":    strconv.FormatInt(w.flag, 10),
		"linkID":    strconv.FormatInt(w.therapistLink, 10),
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
	"GET /join/{token}":  {want: http.StatusGone},
	"POST /join/{token}": {want: http.StatusGone},
	"GET /caseload/{coupleID}/checkins": {owner: func(w *world) *mend.User { return w.therapist }, ownerWant: http.StatusOK,
		ownerSees: "Quorrin worries about the lake house"},
	"GET /checkins/{day}": {ownSpace: true, owner: func(w *world) *mend.User { return w.ana }, ownerWant: http.StatusOK,
		ownerSees: "Quorrin worries about the lake house"},
	// An empty answer reaches the form's validation: the route is live.
	"POST /checkins/{day}/ack": {ownSpace: true, owner: func(w *world) *mend.User { return w.ana }, ownerWant: http.StatusUnprocessableEntity},

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
	"POST /commitments/{id}/log":    {owner: func(w *world) *mend.User { return w.ana }, ownerWant: http.StatusUnprocessableEntity},
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
	// The positive control removes it: it runs after the outsiders.
	"POST /hard-dates/{dateID}/remove": {owner: func(w *world) *mend.User { return w.ben }, ownerWant: http.StatusSeeOther},
	// Only the therapist the flag was sent to may mark it done; the control
	// marks it, after the outsiders.
	"POST /caseload/{coupleID}/flags/{flagID}/done": {owner: func(w *world) *mend.User { return w.therapist }, ownerWant: http.StatusSeeOther},
}

var paramRE = regexp.MustCompile(`\{([^}:]+)(:[^}]*)?\}`)

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
	"POST /settings/profile": true, "POST /settings/password": true, "POST /settings/therapist": true,
	"POST /join/{token}": true, "POST /caseload/{coupleID}/step-away": true,
	// A person's own setting, and a therapist's own note that a partner's
	// request to talk alone is dealt with.
	"POST /settings/privacy": true, "POST /caseload/{coupleID}/flags/{flagID}/done": true,
	"POST /caseload/invitations/{linkID}/withdraw": true,
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
		if res := b.get("/sharing"); !strings.Contains(res.body, "Dr Tess Therapist opened your overview") {
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
	if res := w.as(t, w.ana).get("/sharing"); !strings.Contains(res.body, "they stepped away") {
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

// request sends method to path as this browser, with a same-site origin.
func (b *browser) request(method, path string) *response {
	b.t.Helper()
	if method == http.MethodGet {
		return b.get(path)
	}
	req, _ := http.NewRequest(method, b.app.ts.URL+path, strings.NewReader(""))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.do(req)
}
