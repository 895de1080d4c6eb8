package service_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
)

// bodies lists the words of a journal page's items, newest first.
func bodies(p *mend.JournalPage) []string {
	var out []string
	for _, it := range p.Items {
		out = append(out, it.Body)
	}
	return out
}

func TestJournal_MineAndWhatMyPartnerShares(t *testing.T) {
	e := newPrompts(t)
	ctx := context.Background()
	ada, ben, _ := e.pairIn(t, "Europe/Lisbon", "Europe/Lisbon")
	j := &service.Journal{Store: e.db, Couples: e.c}
	e.clk.t = time.Now().Add(time.Hour)
	d := e.today(t, ada, ben)
	if err := e.ps.Answer(ctx, ada, service.AnswerInput{Day: d.Day.Format(time.DateOnly), Key: d.Prompt.Key, Body: "Ada's answer",
		Visibility: string(mend.JustMe)}); err != nil {
		t.Fatal(err)
	}
	if err := e.ps.Answer(ctx, ben, service.AnswerInput{Day: d.Day.Format(time.DateOnly), Key: d.Prompt.Key, Body: "Ben's answer",
		Visibility: string(mend.MyPartner)}); err != nil {
		t.Fatal(err)
	}
	for _, w := range []struct {
		u         *mend.User
		body, vis string
	}{{ada, "Ada alone", string(mend.JustMe)}, {ada, "Ada for Ben", string(mend.MyPartner)}, {ben, "Ben alone", string(mend.JustMe)}} {
		if err := j.Write(ctx, w.u, service.JournalInput{Body: w.body, Visibility: w.vis}); err != nil {
			t.Fatal(err)
		}
	}
	err := j.Write(ctx, ada, service.JournalInput{Body: " ", Visibility: "everyone"})
	if fe := fieldsOf(err); fe["body"] == "" || fe["visibility"] == "" {
		t.Fatalf("an empty entry: %v", err)
	}
	page := func(u *mend.User, n int) *mend.JournalPage {
		t.Helper()
		p, err := j.Page(ctx, u, n)
		if err != nil {
			t.Fatalf("%s's journal page %d: %v", u.Name, n, err)
		}
		return p
	}
	if got := fmt.Sprint(bodies(page(ada, 1))); got != "[Ada for Ben Ada alone Ada's answer]" {
		t.Fatalf("Ada's journal: %s", got)
	}
	// Ben: his own, and what Ada shared with him; never her private words
	// nor her answer (that is on the prompts page, by its own rule).
	bp := page(ben, 1)
	if got := fmt.Sprint(bodies(bp)); got != "[Ben alone Ada for Ben Ben's answer]" {
		t.Fatalf("Ben's journal: %s", got)
	}
	// Ben's talk-together answer reaches Ada only once she shares one.
	for _, it := range bp.Items {
		if it.Kind != mend.JournalAnswer {
			continue
		}
		r := bp.Space.JournalReaders(&it)
		if want := !d.Prompt.Together(); r.Partner != want {
			t.Fatalf("Ben's answer reaches Ada: %v, want %v (%s)", r.Partner, want, d.Prompt.Mode)
		}
	}
	// Ben cannot open or delete Ada's entry.
	ap := page(ada, 1)
	adas := ap.Items[0].ID
	if _, _, err := j.Mine(ctx, ben, mend.JournalEntry, adas); mend.ErrorCode(err) != mend.NotFound {
		t.Fatalf("Ben opens Ada's entry: %v", err)
	}
	if err := j.Delete(ctx, ben, mend.JournalEntry, adas); mend.ErrorCode(err) != mend.NotFound {
		t.Fatalf("Ben deletes Ada's entry: %v", err)
	}
	// Ada deletes her answer and her entry.
	if _, it, err := j.Mine(ctx, ada, mend.JournalAnswer, ap.Items[2].ID); err != nil || it.Prompt.Text == "" {
		t.Fatalf("Ada opens her answer: %+v %v", it, err)
	}
	if err := j.Delete(ctx, ada, mend.JournalAnswer, ap.Items[2].ID); err != nil {
		t.Fatal(err)
	}
	if err := j.Delete(ctx, ada, mend.JournalEntry, adas); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(bodies(page(ada, 1))); got != "[Ada alone]" {
		t.Fatalf("after deleting, Ada's journal: %s", got)
	}
	// Pages of mend.JournalPageSize, newest first.
	for i := range mend.JournalPageSize + 2 {
		if err := j.Write(ctx, ben, service.JournalInput{Body: fmt.Sprintf("note %02d", i), Visibility: string(mend.JustMe)}); err != nil {
			t.Fatal(err)
		}
	}
	p1, p2 := page(ben, 1), page(ben, 2)
	if !p1.More || p2.More || len(p1.Items) != mend.JournalPageSize || p1.Items[0].Body != fmt.Sprintf("note %02d", mend.JournalPageSize+1) {
		t.Fatalf("page 1: %v (more %v); page 2: %v", bodies(p1), p1.More, bodies(p2))
	}
	if _, err := j.Page(ctx, ben, 3); mend.ErrorCode(err) != mend.NotFound {
		t.Fatalf("page 3: %v", err)
	}
}

// therapistBodies lists the words of the journal shared with therapist u,
// newest first.
func therapistBodies(t *testing.T, j *service.Journal, u *mend.User, coupleID int64) []string {
	t.Helper()
	p, err := j.ForTherapist(context.Background(), u, coupleID, 1)
	if err != nil {
		t.Fatalf("%s opens the journal: %v", u.Name, err)
	}
	var out []string
	for _, it := range p.Items {
		out = append(out, it.Body)
	}
	return out
}

// TestJournal_TherapistReadsOnlyWhatIsMarkedAndShared: the therapist reads
// an entry or an answer to a prompt marked for them, only while its writer
// shares the journal; never a private or partner-only one; another
// couple's therapist, a partner and an ended link get NotFound; each view
// is logged; the labels say the same.
func TestJournal_TherapistReadsOnlyWhatIsMarkedAndShared(t *testing.T) {
	e := newPrompts(t)
	ctx := context.Background()
	ada, ben, coupleID := e.pairIn(t, "UTC", "UTC")
	c, _, cID := pair(t, e.c, e.acc, "Cara", "Dan")
	j := &service.Journal{Store: e.db, Couples: e.c}
	tess := newTherapist(t, e.acc, "Tess", "Tess Lee")
	link(t, e.c, ben, tess)
	uma := newTherapist(t, e.acc, "Uma", "Uma Other")
	link(t, e.c, c, uma)
	e.clk.t = time.Now().Add(time.Hour)
	d := e.today(t, ada, ben)
	if err := e.ps.Answer(ctx, ada, service.AnswerInput{Day: d.Day.Format(time.DateOnly), Key: d.Prompt.Key, Body: "Ada's answer for Tess",
		Visibility: string(mend.PartnerAndTherapist)}); err != nil {
		t.Fatal(err)
	}
	if err := e.ps.Answer(ctx, ben, service.AnswerInput{Day: d.Day.Format(time.DateOnly), Key: d.Prompt.Key, Body: "Ben's answer for Ada",
		Visibility: string(mend.MyPartner)}); err != nil {
		t.Fatal(err)
	}
	for _, w := range []struct {
		u         *mend.User
		body, vis string
	}{{ada, "Ada alone", string(mend.JustMe)}, {ada, "Ada for Ben", string(mend.MyPartner)},
		{ada, "Ada for Tess", string(mend.PartnerAndTherapist)}, {ben, "Ben for Tess", string(mend.PartnerAndTherapist)}} {
		if err := j.Write(ctx, w.u, service.JournalInput{Body: w.body, Visibility: w.vis}); err != nil {
			t.Fatal(err)
		}
	}
	seen := func(what string, want ...string) {
		t.Helper()
		if got := therapistBodies(t, j, tess, coupleID); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("%s: Tess reads %q, want %q", what, got, want)
		}
	}
	// Nobody shares the journal yet: nothing, though some are marked.
	seen("before anyone shares the journal")
	if _, err := e.c.SetDefaults(ctx, ada, map[string]bool{mend.KindJournal: true}); err != nil {
		t.Fatal(err)
	}
	seen("while Ada shares the journal", "Ada for Tess", "Ada's answer for Tess")
	// Ben still reads what Ada marked for the therapist as for him.
	bp, err := j.Page(ctx, ben, 1)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(bodies(bp)); got != "[Ben for Tess Ada for Tess Ada for Ben Ben's answer for Ada]" {
		t.Fatalf("Ben's journal: %s", got)
	}
	// The labels come from the same rule: Ada's marked entry reaches Tess,
	// Ben's does not while he does not share the journal.
	ap, err := j.Page(ctx, ada, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range ap.Items {
		if it.UserID != ada.ID {
			continue
		}
		r := ap.Space.JournalReaders(&it)
		if want := it.Visibility == mend.PartnerAndTherapist; r.Therapist != want {
			t.Fatalf("%q reaches Tess: %v, want %v", it.Body, r.Therapist, want)
		}
	}
	if r := bp.Space.JournalReaders(&bp.Items[0]); r.Therapist || r.TherapistWait != mend.WaitNotShared {
		t.Fatalf("Ben's marked entry: %+v", r)
	}
	if _, err := e.c.SetDefaults(ctx, ben, map[string]bool{mend.KindJournal: true}); err != nil {
		t.Fatal(err)
	}
	seen("while both share", "Ben for Tess", "Ada for Tess", "Ada's answer for Tess")
	// Withdrawing hides what was shared before.
	if _, err := e.c.SetDefaults(ctx, ada, map[string]bool{}); err != nil {
		t.Fatal(err)
	}
	seen("after Ada stops sharing", "Ben for Tess")
	// Another couple's therapist and a partner are refused.
	if _, err := j.ForTherapist(ctx, uma, coupleID, 1); mend.ErrorCode(err) != mend.NotFound {
		t.Fatalf("Uma opens the couple's journal: %v", err)
	}
	if _, err := j.ForTherapist(ctx, ada, coupleID, 1); mend.ErrorCode(err) != mend.NotFound {
		t.Fatalf("a partner opens the therapist's page: %v", err)
	}
	if n := count(t, e.db, `SELECT count(*) FROM therapist_views WHERE couple_id = $1 AND kind = 'journal'`, coupleID); n != 4 {
		t.Fatalf("%d views logged, want 4", n)
	}
	if n := count(t, e.db, `SELECT count(*) FROM therapist_views WHERE couple_id = $1`, cID.CoupleID()); n != 0 {
		t.Fatalf("%d views of Cara's couple", n)
	}
	// An ended link reads nothing.
	if _, err := e.c.EndTherapistLink(ctx, ada); err != nil {
		t.Fatal(err)
	}
	if _, err := j.ForTherapist(ctx, tess, coupleID, 1); mend.ErrorCode(err) != mend.NotFound {
		t.Fatalf("Tess after the link ended: %v", err)
	}
}
