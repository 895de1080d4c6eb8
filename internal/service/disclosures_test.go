package service_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
)

type disclosuresEnv struct {
	spaceEnv
	ds *service.Disclosures
}

func newDisclosures(t *testing.T) *disclosuresEnv {
	t.Helper()
	base := newSpaceEnv(t, "Ada", "Ben")
	ds := service.NewDisclosures(base.db, base.c)
	ds.Now = base.clk.now
	return &disclosuresEnv{spaceEnv: base, ds: ds}
}

func telling(how, topic, day, body string, vis mend.Visibility, send bool) service.DisclosureInput {
	return service.DisclosureInput{How: how, Topic: topic, Day: day, Body: body, Visibility: string(vis), Send: send}
}

func (e *disclosuresEnv) write(t *testing.T, u *mend.User, in service.DisclosureInput) int64 {
	t.Helper()
	id, err := e.ds.Write(context.Background(), u, in)
	if err != nil || id == 0 {
		t.Fatalf("%s writes %+v: %d %v", u.Name, in, id, err)
	}
	return id
}

// seen lists the ids of the disclosures u's page shows, drafts, told and
// discovered apart: "d" draft, "t" told, "f" found.
func (e *disclosuresEnv) seen(t *testing.T, u *mend.User) map[int64]string {
	t.Helper()
	p, err := e.ds.List(context.Background(), u)
	if err != nil {
		t.Fatalf("%s's list: %v", u.Name, err)
	}
	got := map[int64]string{}
	for part, list := range map[string][]mend.Disclosure{"d": p.Drafts, "t": p.Told, "f": p.Found} {
		for _, d := range list {
			if part == "d" && d.UserID != u.ID {
				t.Fatalf("%s sees %d's draft %d", u.Name, d.UserID, d.ID)
			}
			if (part == "f") != (d.How == mend.Discovered) && part != "d" {
				t.Fatalf("%s's list puts %s disclosure %d among %q", u.Name, d.How, d.ID, part)
			}
			got[d.ID] = part
		}
	}
	return got
}

// therapistSees lists the ids the therapist's page shows ("t" told, "f"
// found), or nil when it does not open.
func (e *disclosuresEnv) therapistSees(t *testing.T, th *mend.User, coupleID int64) (map[int64]string, error) {
	t.Helper()
	p, err := e.ds.ForTherapist(context.Background(), th, coupleID, "", "")
	if err != nil {
		return nil, err
	}
	got := map[int64]string{}
	for _, d := range p.Told {
		if d.How != mend.Told || d.SentAt == nil || len(d.Answers) != 0 {
			t.Fatalf("therapist's told list holds %+v", d)
		}
		got[d.ID] = "t"
	}
	for _, d := range p.Found {
		if d.How != mend.Discovered || d.SentAt == nil || len(d.Answers) != 0 {
			t.Fatalf("therapist's discovered list holds %+v", d)
		}
		got[d.ID] = "f"
	}
	return got, nil
}

// marks counts the marks r may see, by "<how>/<writer>/<topic>".
func (e *disclosuresEnv) marks(t *testing.T, r mend.Reader) []string {
	t.Helper()
	day := e.clk.now()
	ms, err := e.ds.Marks(context.Background(), r, day.AddDate(0, 0, -30), day)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range ms {
		out = append(out, fmt.Sprintf("%s/%d/%s", m.How, m.UserID, m.Topic))
	}
	slices.Sort(out)
	return out
}

// TestDisclosures_ExactlyTheRightReaders is the privacy matrix: told or
// discovered × sent or draft × for the partner or the therapist too ×
// the writer sharing disclosures or not. The writer sees every one of
// theirs; the partner every sent one; the therapist a sent one marked for
// them while its writer shares; the marks for charts follow the same
// scopes without drafts; another couple, its therapist, an ended and a
// pending therapist see nothing, nor does an access forged for them.
func TestDisclosures_ExactlyTheRightReaders(t *testing.T) {
	t.Parallel()
	e := newDisclosures(t)
	ctx := context.Background()
	a, b, coupleID := e.pairIn(t, "UTC", "UTC")
	c, d, _ := pair(t, e.c, e.acc, "Cara", "Dan")
	rory := newTherapist(t, e.acc, "Rory", "Rory Ended")
	link(t, e.c, a, rory)
	if _, err := e.c.EndTherapistLink(ctx, b); err != nil {
		t.Fatal(err)
	}
	th := newTherapist(t, e.acc, "Tess", "Tess Lee")
	ta := link(t, e.c, b, th)
	other := newTherapist(t, e.acc, "Uma", "Uma Other")
	oa := link(t, e.c, c, other)
	e.setNow(t, "2027-03-10T12:00:00Z")
	aa, ba, ca := mustAccess(t, e.c, a), mustAccess(t, e.c, b), mustAccess(t, e.c, c)
	// Cara and Dan have their own, sent to each other and to Uma.
	if _, err := e.c.SetDefaults(ctx, c, map[string]bool{mend.KindDisclosures: true}); err != nil {
		t.Fatal(err)
	}
	theirs := e.write(t, c, telling(mend.Told, "slip", "2027-03-09", "Cara's own words", mend.PartnerAndTherapist, true))

	type entry struct {
		id     int64
		how    string
		sent   bool
		vis    mend.Visibility
		writer *mend.User
		topic  string
	}
	var all []entry
	check := func(phase string, shares map[int64]bool) {
		t.Helper()
		mine, partners := e.seen(t, a), e.seen(t, b)
		byTh, err := e.therapistSees(t, th, coupleID)
		if err != nil {
			t.Fatalf("%s: the therapist's page: %v", phase, err)
		}
		var wantA, wantB, wantTh []string
		for _, x := range all {
			writer, reader := mine, partners
			if x.writer.ID == b.ID {
				writer, reader = partners, mine
			}
			part := "t"
			if x.how == mend.Discovered {
				part = "f"
			}
			if !x.sent {
				part = "d"
			}
			if writer[x.id] != part {
				t.Errorf("%s: the writer's list has %+v as %q, want %q", phase, x, writer[x.id], part)
			}
			if got, want := reader[x.id], map[bool]string{true: part, false: ""}[x.sent]; got != want {
				t.Errorf("%s: the partner's list has %+v as %q, want %q", phase, x, got, want)
			}
			forTh := x.sent && x.vis == mend.PartnerAndTherapist && shares[x.writer.ID]
			if got, want := byTh[x.id], map[bool]string{true: part, false: ""}[forTh]; got != want {
				t.Errorf("%s: the therapist's page has %+v as %q, want %q", phase, x, got, want)
			}
			if x.sent {
				m := fmt.Sprintf("%s/%d/%s", x.how, x.writer.ID, x.topic)
				wantA, wantB = append(wantA, m), append(wantB, m)
				if forTh {
					wantTh = append(wantTh, m)
				}
			}
		}
		for _, want := range [][]string{wantA, wantB, wantTh} {
			slices.Sort(want)
		}
		if got := e.marks(t, aa); !slices.Equal(got, wantA) {
			t.Errorf("%s: the writer's marks %v, want %v", phase, got, wantA)
		}
		if got := e.marks(t, ba); !slices.Equal(got, wantB) {
			t.Errorf("%s: the partner's marks %v, want %v", phase, got, wantB)
		}
		if got := e.marks(t, ta); !slices.Equal(got, wantTh) {
			t.Errorf("%s: the therapist's marks %v, want %v", phase, got, wantTh)
		}
		// Outsiders: the other couple sees only its own; its therapist,
		// and the therapist whose link ended, cannot open the page; an
		// access forged for any of them finds nothing.
		if got := e.seen(t, c); len(got) != 1 || got[theirs] != "t" {
			t.Errorf("%s: Cara sees %v", phase, got)
		}
		if got := e.marks(t, ca); len(got) != 1 {
			t.Errorf("%s: Cara's marks %v", phase, got)
		}
		if got := e.marks(t, oa); len(got) != 1 {
			t.Errorf("%s: Uma's marks of her own couple %v", phase, got)
		}
		for _, u := range []*mend.User{other, rory, c} {
			if _, err := e.therapistSees(t, u, coupleID); mend.ErrorCode(err) != mend.NotFound {
				t.Errorf("%s: %s opens the couple's disclosures: %v", phase, u.Name, err)
			}
		}
		for _, forged := range []mend.Reader{mend.StoreOnlyTherapistAccess(coupleID, other.ID), mend.StoreOnlyTherapistAccess(coupleID, rory.ID),
			mend.StoreOnlyPartnerAccess(coupleID, c.ID), mend.StoreOnlyPartnerAccess(coupleID, d.ID)} {
			if got := e.marks(t, forged); len(got) != 0 {
				t.Errorf("%s: a forged access %+v reads marks %v", phase, forged, got)
			}
			if ta, ok := forged.(mend.TherapistAccess); ok {
				if _, ds, err := e.db.TherapistDisclosuresPage(ctx, ta, time.Time{}, e.clk.now()); err != nil || len(ds) != 0 {
					t.Errorf("%s: a forged access %+v reads %d disclosures (%v)", phase, forged, len(ds), err)
				}
			}
		}
	}

	n := 0
	for _, share := range []bool{false, true} {
		for _, u := range []*mend.User{a, b} {
			if _, err := e.c.SetDefaults(ctx, u, map[string]bool{mend.KindCheckins: true, mend.KindDisclosures: share}); err != nil {
				t.Fatal(err)
			}
		}
		shares := map[int64]bool{a.ID: share, b.ID: share}
		for _, how := range []string{mend.Told, mend.Discovered} {
			for _, sent := range []bool{false, true} {
				for _, vis := range []mend.Visibility{mend.MyPartner, mend.PartnerAndTherapist} {
					n++
					writer := []*mend.User{a, b}[n%2]
					topic := mend.DisclosureTopics[n%len(mend.DisclosureTopics)].Value
					id := e.write(t, writer, telling(how, topic, "2027-03-0"+fmt.Sprint(1+n%9), fmt.Sprintf("words %d", n), vis, sent))
					all = append(all, entry{id: id, how: how, sent: sent, vis: vis, writer: writer, topic: topic})
				}
			}
		}
		check(fmt.Sprintf("sharing %v", share), shares)
	}
	// Ada withdraws: hers leave the therapist's view, Ben's stay.
	if _, err := e.c.SetDefaults(ctx, a, map[string]bool{}); err != nil {
		t.Fatal(err)
	}
	check("Ada withdrew", map[int64]bool{a.ID: false, b.ID: true})

	// Ada sends her drafts: now the partner sees them, the marks count them.
	for i, x := range all {
		if !x.sent && x.writer.ID == a.ID {
			if err := e.ds.Send(ctx, a, x.id); err != nil {
				t.Fatal(err)
			}
			all[i].sent = true
		}
	}
	check("Ada sent her drafts", map[int64]bool{a.ID: false, b.ID: true})

	// Ada ends Tess's link and Ben invites Pia, who accepts: while Ada has
	// not agreed, neither therapist opens anything, nor is a view logged.
	if _, err := e.c.EndTherapistLink(ctx, a); err != nil {
		t.Fatal(err)
	}
	pia := newTherapist(t, e.acc, "Pia", "Pia Pending")
	accept(t, e.c, pia, invite(t, e.c, b, mend.InviteTherapist))
	for _, u := range []*mend.User{th, pia} {
		if _, err := e.therapistSees(t, u, coupleID); mend.ErrorCode(err) != mend.NotFound {
			t.Fatalf("%s opens the couple's disclosures: %v", u.Name, err)
		}
	}
	if got := e.marks(t, ta); len(got) != 0 {
		t.Fatalf("the ended therapist's access reads marks %v", got)
	}
	if n := count(t, e.db, `SELECT count(*) FROM therapist_views WHERE couple_id = $1 AND therapist_id = $2`, coupleID, pia.ID); n != 0 {
		t.Fatalf("%d views logged for a pending therapist", n)
	}
}

// A partner who joins later sees nothing sent before they joined; a draft
// written before and sent after is told when it is sent.
func TestDisclosures_PartnerSeesWhatWasSentSinceBothJoined(t *testing.T) {
	t.Parallel()
	e := newDisclosures(t)
	a := partnerIn(t, e.acc, "Ada", "UTC")
	b := partnerIn(t, e.acc, "Ben", "UTC")
	e.setNow(t, "2027-03-10T12:00:00Z")
	start(t, e.c, a, service.StartInput{})
	token := invite(t, e.c, a, mend.InvitePartner)
	before := e.write(t, a, telling(mend.Told, "remembered", "2027-03-09", "Sent before Ben joined", mend.MyPartner, true))
	draft := e.write(t, a, telling(mend.Told, "slip", "2027-03-09", "Written before Ben joined", mend.MyPartner, false))
	e.setNow(t, "2027-03-11T12:00:00Z")
	accept(t, e.c, b, token)
	if got := e.seen(t, b); len(got) != 0 {
		t.Fatalf("Ben sees %v", got)
	}
	if err := e.ds.Send(context.Background(), a, draft); err != nil {
		t.Fatal(err)
	}
	if got := e.seen(t, b); len(got) != 1 || got[draft] != "t" {
		t.Fatalf("Ben sees %v, want only the draft sent after he joined", got)
	}
	if got := e.seen(t, a); got[before] != "t" || got[draft] != "t" {
		t.Fatalf("Ada sees %v", got)
	}
}

func TestDisclosures_AnswersOnlyThePartnersSentOnesOnce(t *testing.T) {
	t.Parallel()
	e := newDisclosures(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	c, _, _ := pair(t, e.c, e.acc, "Cara", "Dan")
	e.setNow(t, "2027-03-10T12:00:00Z")
	sent := e.write(t, a, telling(mend.Told, "contact", "2027-03-10", "She wrote to me today", mend.MyPartner, true))
	draft := e.write(t, a, telling(mend.Told, "slip", "2027-03-10", "Not yet", mend.MyPartner, false))
	mine := e.write(t, b, telling(mend.Discovered, "contact", "2027-03-09", "I saw the message", mend.MyPartner, true))

	for _, tc := range []struct {
		who  *mend.User
		id   int64
		what string
	}{{b, draft, "Ada's draft"}, {a, sent, "her own"}, {b, mine, "his own"}, {c, sent, "another couple's"}, {b, 999999, "none"}} {
		err := e.ds.Answer(ctx, tc.who, tc.id, "I hear you.", service.NewFormKey())
		if mend.ErrorCode(err) != mend.NotFound {
			t.Errorf("%s answers %s: %v, want NotFound", tc.who.Name, tc.what, err)
		}
	}
	if err := e.ds.Answer(ctx, b, sent, "  ", service.NewFormKey()); mend.ErrorCode(err) != mend.Invalid {
		t.Fatalf("an empty answer: %v", err)
	}
	key := service.NewFormKey()
	for range 2 {
		if err := e.ds.Answer(ctx, b, sent, "Thank you for telling me.", key); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.ds.Answer(ctx, b, sent, "Can we talk tonight?", service.NewFormKey()); err != nil {
		t.Fatal(err)
	}
	for _, u := range []*mend.User{a, b} {
		p, err := e.ds.List(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		var answers []string
		for _, d := range p.Told {
			for _, x := range d.Answers {
				if x.UserID != b.ID || d.ID != sent {
					t.Fatalf("%s sees answer %+v on %d", u.Name, x, d.ID)
				}
				answers = append(answers, x.Body)
			}
		}
		if !slices.Equal(answers, []string{"Thank you for telling me.", "Can we talk tonight?"}) {
			t.Fatalf("%s sees answers %q", u.Name, answers)
		}
	}
	// A refused answer does not spend its key.
	key = service.NewFormKey()
	if err := e.ds.Answer(ctx, b, draft, "Early", key); mend.ErrorCode(err) != mend.NotFound {
		t.Fatal(err)
	}
	if err := e.ds.Answer(ctx, b, sent, "Later, with the same form", key); err != nil {
		t.Fatal(err)
	}
	if n := count(t, e.db, `SELECT count(*) FROM disclosure_answers WHERE disclosure_id = $1`, sent); n != 3 {
		t.Fatalf("%d answers stored, want 3", n)
	}
}

func TestDisclosures_DraftsChangeUntilSentThenNever(t *testing.T) {
	t.Parallel()
	e := newDisclosures(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-10T12:00:00Z")
	in := telling(mend.Told, "temptation", "2027-03-09", "First words", mend.MyPartner, false)
	in.FormKey = service.NewFormKey()
	id := e.write(t, a, in)
	if again, err := e.ds.Write(ctx, a, in); err != nil || again != 0 {
		t.Fatalf("the same form again: %d %v", again, err)
	}
	if n := count(t, e.db, `SELECT count(*) FROM disclosures WHERE user_id = $1`, a.ID); n != 1 {
		t.Fatalf("%d disclosures from one form", n)
	}
	if _, _, err := e.ds.Draft(ctx, b, id); !errors.Is(err, mend.ErrNoDraft) {
		t.Fatalf("Ben opens Ada's draft: %v", err)
	}
	if err := e.ds.Send(ctx, b, id); !errors.Is(err, mend.ErrNoDraft) {
		t.Fatalf("Ben sends Ada's draft: %v", err)
	}
	if err := e.ds.EditDraft(ctx, b, id, telling(mend.Told, "slip", "2027-03-09", "Ben's words", mend.MyPartner, false)); !errors.Is(err, mend.ErrNoDraft) {
		t.Fatalf("Ben changes Ada's draft: %v", err)
	}
	if err := e.ds.EditDraft(ctx, a, id, telling(mend.Told, "slip", "2027-03-08", "Better words", mend.MyPartner, true)); err != nil {
		t.Fatal(err)
	}
	_, _, err := e.ds.Draft(ctx, a, id)
	if !errors.Is(err, mend.ErrNoDraft) {
		t.Fatalf("a sent disclosure opens as a draft: %v", err)
	}
	if err := e.ds.EditDraft(ctx, a, id, telling(mend.Told, "slip", "2027-03-08", "Rewritten", mend.MyPartner, false)); !errors.Is(err, mend.ErrNoDraft) {
		t.Fatalf("changing what was sent: %v", err)
	}
	if err := e.ds.Send(ctx, a, id); !errors.Is(err, mend.ErrNoDraft) {
		t.Fatalf("sending twice: %v", err)
	}
	p, err := e.ds.List(ctx, b)
	if err != nil || len(p.Told) != 1 || p.Told[0].Body != "Better words" || p.Told[0].Topic != "slip" ||
		!p.Told[0].HappenedOn.Equal(mustDate("2027-03-08")) {
		t.Fatalf("Ben's list: %+v %v", p, err)
	}
}

func TestDisclosures_InvalidFormsSayWhereWithNothingWritten(t *testing.T) {
	t.Parallel()
	e := newDisclosures(t)
	a, _, _ := e.pairIn(t, "Pacific/Kiritimati", "UTC")
	e.setNow(t, "2027-03-10T12:00:00Z") // already 11 March in Kiritimati
	for _, tc := range []struct {
		in    service.DisclosureInput
		field string
	}{
		{telling(mend.Told, "slip", "2027-03-12", "Words", mend.MyPartner, true), "day"},
		{telling(mend.Told, "slip", "someday", "Words", mend.MyPartner, true), "day"},
		{telling(mend.Told, "slip", "2027-03-10", "  \n ", mend.MyPartner, true), "body"},
		{telling(mend.Told, "affair", "2027-03-10", "Words", mend.MyPartner, true), "topic"},
		{telling("hidden", "slip", "2027-03-10", "Words", mend.MyPartner, true), "how"},
		{telling(mend.Told, "slip", "2027-03-10", "Words", mend.JustMe, true), "visibility"},
		{telling(mend.Told, "slip", "2027-03-10", string(make([]byte, mend.MaxDisclosureText+1)), mend.MyPartner, true), "body"},
	} {
		_, err := e.ds.Write(context.Background(), a, tc.in)
		var me *mend.Error
		if !errors.As(err, &me) || me.Code != mend.Invalid || me.Fields[tc.field] == "" {
			t.Errorf("%+v: %v, want a message on %s", tc.in, err, tc.field)
		}
	}
	// Today in the writer's own zone is not the future.
	e.write(t, a, telling(mend.Told, "slip", "2027-03-11", "Words", mend.MyPartner, true))
	if n := count(t, e.db, `SELECT count(*) FROM disclosures`); n != 1 {
		t.Fatalf("%d disclosures written", n)
	}
}

func TestDisclosures_TherapistDaysAreFilteredAndCheckedAndLogged(t *testing.T) {
	t.Parallel()
	e := newDisclosures(t)
	ctx := context.Background()
	a, b, coupleID := e.pairIn(t, "UTC", "UTC")
	th := newTherapist(t, e.acc, "Tess", "Tess Lee")
	link(t, e.c, a, th)
	if _, err := e.c.SetDefaults(ctx, a, map[string]bool{mend.KindDisclosures: true}); err != nil {
		t.Fatal(err)
	}
	e.setNow(t, "2027-03-10T12:00:00Z")
	early := e.write(t, a, telling(mend.Told, "slip", "2027-01-05", "In January", mend.PartnerAndTherapist, true))
	late := e.write(t, a, telling(mend.Discovered, "contact", "2027-03-01", "In March", mend.PartnerAndTherapist, true))
	_ = b
	p, err := e.ds.ForTherapist(ctx, th, coupleID, "2027-03-01", "2027-03-10")
	if err != nil || len(p.Told) != 0 || len(p.Found) != 1 || p.Found[0].ID != late {
		t.Fatalf("March: %+v %v", p, err)
	}
	p, err = e.ds.ForTherapist(ctx, th, coupleID, "2027-01-01", "")
	if err != nil || len(p.Told) != 1 || p.Told[0].ID != early || len(p.Found) != 1 {
		t.Fatalf("since January: %+v %v", p, err)
	}
	// A year of days at most: from the same day a year before, plus one.
	p, err = e.ds.ForTherapist(ctx, th, coupleID, "2026-03-11", "2027-03-10")
	if err != nil || len(p.Told) != 1 || len(p.Found) != 1 {
		t.Fatalf("a year: %+v %v", p, err)
	}
	for _, bad := range [][2]string{{"yesterday", ""}, {"", "2027-13-01"}, {"2027-03-10", "2027-03-01"},
		{"", "2027-03-11"}, {"2026-03-10", "2027-03-10"}} {
		p, err := e.ds.ForTherapist(ctx, th, coupleID, bad[0], bad[1])
		var me *mend.Error
		if !errors.As(err, &me) || me.Code != mend.Invalid || len(me.Fields) != 1 || p == nil {
			t.Fatalf("%q: %+v %v", bad, p, err)
		}
		if !p.From.Equal(mustDate("2026-12-10")) || len(p.Found) != 1 {
			t.Fatalf("%q: the default range is not shown: %+v", bad, p)
		}
	}
	if n := count(t, e.db, `SELECT count(*) FROM therapist_views WHERE couple_id = $1 AND kind = 'disclosures'`, coupleID); n != 8 {
		t.Fatalf("%d views logged, want 8", n)
	}
}
