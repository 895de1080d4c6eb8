package service_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/postgres"
	"github.com/mend-app/mend/internal/service"
)

// spaceEnv is a database of the test's own with the couple services on one
// settable clock; each feature's test environment embeds it.
type spaceEnv struct {
	c     *service.Couples
	acc   *service.Accounts
	db    *postgres.DB
	clk   *clock
	names [2]string // of the two partners pairIn makes
}

func newSpaceEnv(t *testing.T, first, second string) spaceEnv {
	t.Helper()
	c, acc, db, clk := newCouples(t)
	return spaceEnv{c: c, acc: acc, db: db, clk: clk, names: [2]string{first, second}}
}

// pairIn makes a full space: the first partner, in zoneA, starts it; the
// second, in zoneB, joins. Call it before moving the clock: invites expire
// by the service clock.
func (e *spaceEnv) pairIn(t *testing.T, zoneA, zoneB string) (a, b *mend.User, coupleID int64) {
	t.Helper()
	a = partnerIn(t, e.acc, e.names[0], zoneA)
	b = partnerIn(t, e.acc, e.names[1], zoneB)
	access := start(t, e.c, a, service.StartInput{})
	accept(t, e.c, b, invite(t, e.c, a, mend.InvitePartner))
	return a, b, access.CoupleID()
}

// setNow sets the service clock to an RFC 3339 instant.
func (e *spaceEnv) setNow(t *testing.T, s string) {
	t.Helper()
	at, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	e.clk.t = at
}

// newToday returns Today on the env's store, with each of its parts a
// service of its own on the env's clock; a test puts its own service in
// the part it tests.
func (e *spaceEnv) newToday() *service.Today {
	ci, co, tr, sa := service.NewCheckins(e.db, e.c), service.NewCommitments(e.db, e.c), service.NewTriggers(e.db, e.c), service.NewSafety(e.db, e.c)
	ci.Now, co.Now, tr.Now, sa.Now = e.clk.now, e.clk.now, e.clk.now, e.clk.now
	return &service.Today{Store: e.db, Couples: e.c, Checkins: ci, Commitments: co, Triggers: tr, Safety: sa}
}

// todayPage reads u's Today page with td, as the page does.
func todayPage(t *testing.T, td *service.Today, u *mend.User) *mend.TodayPage {
	t.Helper()
	p, err := td.Page(context.Background(), u)
	if err != nil {
		t.Fatalf("%s's Today: %v", u.Name, err)
	}
	return p
}

// commitmentsEnv is a database of the test's own with the commitments
// service and the services it stands on, all reading one settable clock.
type commitmentsEnv struct {
	spaceEnv
	s *service.Commitments
}

func newCommitments(t *testing.T) *commitmentsEnv {
	t.Helper()
	base := newSpaceEnv(t, "Ana", "Ben")
	s := service.NewCommitments(base.db, base.c)
	s.Now = base.clk.now
	return &commitmentsEnv{spaceEnv: base, s: s}
}

// promise is a valid proposal of a daily commitment kept by the proposer,
// seen by the two partners, starting today and reviewed on review.
func promise(title, review string) service.CommitmentInput {
	return service.CommitmentInput{For: "me", Title: title, Rhythm: string(mend.Daily), ReviewOn: review, Visibility: string(mend.MyPartner)}
}

// onDays turns in into a commitment for the weekdays given ("0" Monday).
func onDays(in service.CommitmentInput, days ...string) service.CommitmentInput {
	in.Rhythm, in.Weekdays = string(mend.Weekdays), days
	return in
}

func withRhythm(in service.CommitmentInput, r mend.Rhythm) service.CommitmentInput {
	in.Rhythm = string(r)
	return in
}

func forTherapist(in service.CommitmentInput) service.CommitmentInput {
	in.Visibility = string(mend.PartnerAndTherapist)
	return in
}

func (e *commitmentsEnv) propose(t *testing.T, u *mend.User, in service.CommitmentInput) int64 {
	t.Helper()
	id, err := e.s.Propose(context.Background(), u, in)
	if err != nil || id == 0 {
		t.Fatalf("%s proposes %q: id %d, %v", u.Name, in.Title, id, err)
	}
	return id
}

func (e *commitmentsEnv) agree(t *testing.T, u *mend.User, id int64) {
	t.Helper()
	if err := e.s.Agree(context.Background(), u, id, ""); err != nil {
		t.Fatalf("%s agrees to %d: %v", u.Name, id, err)
	}
}

// active has proposer propose in and other agree to it.
func (e *commitmentsEnv) active(t *testing.T, proposer, other *mend.User, in service.CommitmentInput) int64 {
	t.Helper()
	id := e.propose(t, proposer, in)
	e.agree(t, other, id)
	return id
}

func (e *commitmentsEnv) revise(t *testing.T, u *mend.User, id int64, in service.CommitmentInput) {
	t.Helper()
	if err := e.s.Revise(context.Background(), u, id, in); err != nil {
		t.Fatalf("%s revises %d: %v", u.Name, id, err)
	}
}

func (e *commitmentsEnv) review(t *testing.T, u *mend.User, id int64, action mend.ReviewAction, reviewOn string) {
	t.Helper()
	if err := e.s.Review(context.Background(), u, id, action, reviewOn); err != nil {
		t.Fatalf("%s: %s %d: %v", u.Name, action, id, err)
	}
}

// log records u's log of commitment id on day ("" for today).
func (e *commitmentsEnv) log(t *testing.T, u *mend.User, id int64, day, status, note string) {
	t.Helper()
	if err := e.s.Log(context.Background(), u, id, service.LogInput{Day: day, Status: status, Note: note}); err != nil {
		t.Fatalf("%s logs %s %s on %q: %v", u.Name, status, note, day, err)
	}
}

func (e *commitmentsEnv) detail(t *testing.T, u *mend.User, id int64) *mend.CommitmentPage {
	t.Helper()
	p, err := e.s.Detail(context.Background(), u, id, false)
	if err != nil {
		t.Fatalf("%s reads commitment %d: %v", u.Name, id, err)
	}
	return p
}

func (e *commitmentsEnv) view(t *testing.T, u *mend.User, id int64) mend.CommitmentView {
	t.Helper()
	return e.detail(t, u, id).View
}

func (e *commitmentsEnv) list(t *testing.T, u *mend.User) *mend.CommitmentsPage {
	t.Helper()
	p, err := e.s.List(context.Background(), u)
	if err != nil {
		t.Fatalf("commitments of %s: %v", u.Name, err)
	}
	return p
}

func (e *commitmentsEnv) therapistView(t *testing.T, th *mend.User, coupleID int64) *mend.TherapistCommitmentsPage {
	t.Helper()
	p, err := e.s.ForTherapist(context.Background(), th, coupleID, "", "")
	if err != nil {
		t.Fatalf("therapist view: %v", err)
	}
	return p
}

// logOn returns the log of v for day, failing the test when there is none.
func logOn(t *testing.T, v mend.CommitmentView, day string) mend.CommitmentLog {
	t.Helper()
	for _, l := range v.Logs {
		if l.OccursOn.Equal(mustDate(day)) {
			return l
		}
	}
	t.Fatalf("no log on %s in %+v", day, v.Logs)
	return mend.CommitmentLog{}
}

const client = "192.0.2.1"

// newCouples returns Couples and Accounts on a database of the test's own,
// both reading the same settable clock.
func newCouples(t *testing.T) (*service.Couples, *service.Accounts, *postgres.DB, *clock) {
	t.Helper()
	acc, db, clk := newAccounts(t)
	c := service.NewCouples(db, acc)
	c.Now = clk.now
	return c, acc, db, clk
}

var emailSeq atomic.Int64

// newPartner signs up an ordinary (partner) account called name.
func newPartner(t *testing.T, acc *service.Accounts, name string) *mend.User {
	t.Helper()
	return signUpUser(t, acc, service.SignUpInput{Name: name, TimeZone: "Europe/Lisbon"})
}

// newTherapist signs up a therapist account with a professional name.
func newTherapist(t *testing.T, acc *service.Accounts, name, professional string) *mend.User {
	t.Helper()
	u := signUpUser(t, acc, service.SignUpInput{Name: name, TimeZone: "Europe/Lisbon", Therapist: true, ProfessionalName: professional})
	if !u.IsTherapist() || u.ProfessionalName != professional {
		t.Fatalf("therapist sign-up gave %+v", u)
	}
	return u
}

func signUpUser(t *testing.T, acc *service.Accounts, in service.SignUpInput) *mend.User {
	t.Helper()
	in.Email = fmt.Sprintf("person%d@example.org", emailSeq.Add(1))
	in.Password = goodPassword
	return signUpConfirmed(t, acc, in, client)
}

// start makes a space for u and fails the test if it cannot.
func start(t *testing.T, c *service.Couples, u *mend.User, in service.StartInput) mend.PartnerAccess {
	t.Helper()
	a, err := c.Start(context.Background(), u, in)
	if err != nil {
		t.Fatalf("start a space for %s: %v", u.Name, err)
	}
	return a
}

// invite creates an invite of kind for u's space and returns its token.
func invite(t *testing.T, c *service.Couples, u *mend.User, kind mend.InviteKind) string {
	t.Helper()
	token, inv, err := c.CreateInvite(context.Background(), u, kind)
	if err != nil {
		t.Fatalf("%s invite by %s: %v", kind, u.Name, err)
	}
	if token == "" || inv == nil || inv.Kind != kind {
		t.Fatalf("%s invite by %s: token %q, invite %+v", kind, u.Name, token, inv)
	}
	return token
}

// accept uses token for u and fails the test if it cannot.
func accept(t *testing.T, c *service.Couples, u *mend.User, token string) mend.PartnerAccess {
	t.Helper()
	a, err := c.Accept(context.Background(), u, token)
	if err != nil {
		t.Fatalf("%s accepts: %v", u.Name, err)
	}
	return a
}

// pair makes a full space: a starts it (with some context), b joins.
func pair(t *testing.T, c *service.Couples, acc *service.Accounts, nameA, nameB string) (a, b *mend.User, access mend.PartnerAccess) {
	t.Helper()
	a = newPartner(t, acc, nameA)
	b = newPartner(t, acc, nameB)
	access = start(t, c, a, service.StartInput{WhatHappened: "affair", Details: "Started by " + nameA, Rebuilding: "me"})
	if got := accept(t, c, b, invite(t, c, a, mend.InvitePartner)); got.CoupleID() != access.CoupleID() {
		t.Fatalf("%s joined couple %d, want %d", nameB, got.CoupleID(), access.CoupleID())
	}
	return a, b, access
}

// link has partner p invite therapist th, who accepts, and p's partner
// agree; it returns the therapist's access, which begins only then.
func link(t *testing.T, c *service.Couples, p, th *mend.User) mend.TherapistAccess {
	t.Helper()
	ctx := context.Background()
	if a := accept(t, c, th, invite(t, c, p, mend.InviteTherapist)); a != (mend.PartnerAccess{}) {
		t.Fatalf("accepting a therapist invite gave access at once: %+v", a)
	}
	sp := space(t, c, p)
	if sp.Partner == nil || sp.PendingLink == nil {
		t.Fatalf("link %s to %s's space: partner %+v, pending %+v", th.Name, p.Name, sp.Partner, sp.PendingLink)
	}
	other, err := c.Accounts.User(ctx, sp.Partner.UserID)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AgreeToTherapist(ctx, other, sp.PendingLink.ID); err != nil {
		t.Fatalf("%s agrees to %s: %v", other.Name, th.Name, err)
	}
	a, err := c.TherapistAccess(ctx, th, sp.Access.CoupleID())
	if err != nil {
		t.Fatalf("%s's access once both agreed: %v", th.Name, err)
	}
	return a
}

// extraInvite stores a second open invite for the couple directly, as two
// CreateInvite calls racing each other could leave behind; it returns its
// token. (Only a SHA-256 of a token is stored: see migrations/0003.)
func extraInvite(t *testing.T, db *postgres.DB, coupleID, createdBy int64, kind mend.InviteKind, expires time.Time) string {
	t.Helper()
	token := "extra-" + service.NewFormKey() + service.NewFormKey()
	sum := sha256.Sum256([]byte(token))
	if _, err := db.Pool.Exec(context.Background(),
		`INSERT INTO invites (couple_id, kind, token_hash, created_by, expires_at) VALUES ($1, $2, $3, $4, $5)`,
		coupleID, string(kind), sum[:], createdBy, expires); err != nil {
		t.Fatal(err)
	}
	return token
}

func space(t *testing.T, c *service.Couples, u *mend.User) *mend.Space {
	t.Helper()
	s, err := c.Space(context.Background(), u)
	if err != nil {
		t.Fatalf("space of %s: %v", u.Name, err)
	}
	return s
}

func sharing(t *testing.T, c *service.Couples, u *mend.User) *mend.SharingPage {
	t.Helper()
	p, err := c.Sharing(context.Background(), u)
	if err != nil {
		t.Fatalf("sharing page of %s: %v", u.Name, err)
	}
	return p
}

func mustAccess(t *testing.T, c *service.Couples, u *mend.User) mend.PartnerAccess {
	t.Helper()
	a, err := c.PartnerAccess(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// sharesByDefault reports whether u shares kind with the therapist by
// default, as u's space says.
func sharesByDefault(ctx context.Context, c *service.Couples, u *mend.User, kind string) (bool, error) {
	sp, err := c.Space(ctx, u)
	if err != nil {
		return false, err
	}
	return sp.Shares[u.ID][kind], nil
}

// triggersEnv is a database of the test's own with the trigger service and
// the services it stands on, all reading one settable clock.
type triggersEnv struct {
	spaceEnv
	tr *service.Triggers
}

func newTriggers(t *testing.T) *triggersEnv {
	t.Helper()
	base := newSpaceEnv(t, "Ada", "Ben")
	tr := service.NewTriggers(base.db, base.c)
	tr.Now = base.clk.now
	return &triggersEnv{spaceEnv: base, tr: tr}
}

// quick is the quick-log form: category, intensity, visibility, and an
// optional local "when".
func quick(category string, intensity int, vis mend.Visibility, when string) service.TriggerInput {
	return service.TriggerInput{Category: category, Intensity: fmt.Sprint(intensity), Visibility: string(vis), When: when}
}

func helped(in service.TriggerInput, s string) service.TriggerInput {
	in.Helped = s
	return in
}

func (e *triggersEnv) log(t *testing.T, u *mend.User, in service.TriggerInput) int64 {
	t.Helper()
	id, err := e.tr.Log(context.Background(), u, in)
	if err != nil || id == 0 {
		t.Fatalf("%s logs %+v: id %d, %v", u.Name, in, id, err)
	}
	return id
}

func (e *triggersEnv) list(t *testing.T, u *mend.User, who string) *mend.TriggersPage {
	t.Helper()
	p, err := e.tr.List(context.Background(), u, who, "")
	if err != nil {
		t.Fatalf("list of %s (%q): %v", u.Name, who, err)
	}
	return p
}

func (e *triggersEnv) patterns(t *testing.T, u *mend.User, who string, weeks int) *mend.PatternsPage {
	t.Helper()
	p, err := e.tr.Patterns(context.Background(), u, who, weeks)
	if err != nil {
		t.Fatalf("patterns of %s (%q, %d weeks): %v", u.Name, who, weeks, err)
	}
	return p
}

// dashboard returns the trigger part of u's Today page, read by Today
// with e.tr.
func (e *triggersEnv) dashboard(t *testing.T, u *mend.User) *mend.TriggerDashboard {
	t.Helper()
	td := e.newToday()
	td.Triggers = e.tr
	return todayPage(t, td, u).Triggers
}

func (e *triggersEnv) therapistView(t *testing.T, th *mend.User, coupleID int64, weeks int) *mend.TherapistTriggersPage {
	t.Helper()
	p, err := e.tr.ForTherapist(context.Background(), th, coupleID, weeks, "", "")
	if err != nil {
		t.Fatalf("therapist view: %v", err)
	}
	return p
}

// checkinsEnv is a database of the test's own with the check-in service and
// the services it stands on, all reading one settable clock.
type checkinsEnv struct {
	spaceEnv
	ci *service.Checkins
}

func newCheckins(t *testing.T) *checkinsEnv {
	t.Helper()
	base := newSpaceEnv(t, "Ada", "Ben")
	ci := service.NewCheckins(base.db, base.c)
	ci.Now = base.clk.now
	return &checkinsEnv{spaceEnv: base, ci: ci}
}

// partnerIn signs up a partner account living in zone.
func partnerIn(t *testing.T, acc *service.Accounts, name, zone string) *mend.User {
	t.Helper()
	return signUpUser(t, acc, service.SignUpInput{Name: name, TimeZone: zone})
}

// entry is a check-in form for day ("" for today) with every text filled.
func entry(day string, mood int, vis mend.Visibility) service.CheckinInput {
	m := string(rune('0' + mood))
	return service.CheckinInput{
		Day: day, Mood: m, Connection: m,
		Feel: "feel " + m, Need: "need " + m, Worry: "worry " + m, Appreciate: "appreciate " + m,
		Visibility: string(vis),
	}
}

func (e *checkinsEnv) save(t *testing.T, u *mend.User, in service.CheckinInput) *mend.Checkin {
	t.Helper()
	c, err := e.ci.Save(context.Background(), u, in)
	if err != nil {
		t.Fatalf("%s saves %+v: %v", u.Name, in, err)
	}
	return c
}

func (e *checkinsEnv) day(t *testing.T, u *mend.User, day string) *mend.DayPage {
	t.Helper()
	p, err := e.ci.Day(context.Background(), u, day)
	if err != nil {
		t.Fatalf("%s reads %s: %v", u.Name, day, err)
	}
	return p
}

func (e *checkinsEnv) history(t *testing.T, u *mend.User, q service.HistoryQuery) *mend.HistoryPage {
	t.Helper()
	p, err := e.ci.History(context.Background(), u, q)
	if err != nil {
		t.Fatalf("history of %s: %v", u.Name, err)
	}
	return p
}

func (e *checkinsEnv) trends(t *testing.T, u *mend.User, weeks int) *mend.Trend {
	t.Helper()
	p, err := e.ci.Trends(context.Background(), u, weeks)
	if err != nil {
		t.Fatalf("trends of %s: %v", u.Name, err)
	}
	return p.Trend
}

// dashboard returns the check-in part of u's Today page, read by Today
// with e.ci.
func (e *checkinsEnv) dashboard(t *testing.T, u *mend.User) *mend.Dashboard {
	t.Helper()
	td := e.newToday()
	td.Checkins = e.ci
	return todayPage(t, td, u).Checkins
}

func (e *checkinsEnv) therapistView(t *testing.T, th *mend.User, coupleID int64, weeks int) *mend.TherapistCheckinsPage {
	t.Helper()
	p, err := e.ci.ForTherapist(context.Background(), th, coupleID, weeks, "", "")
	if err != nil {
		t.Fatalf("therapist view: %v", err)
	}
	return p
}

func mustDate(s string) time.Time {
	d, err := mend.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}
