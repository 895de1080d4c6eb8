package service_test

import (
	"context"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/postgres"
	"github.com/mend-app/mend/internal/service"
)

// An earlier version is kept only when something changed: saving the same
// content again, from a fresh form, writes no version (and leaves the entry
// as it was); a change keeps exactly one.

// rowVersion is the row's xmin: it changes whenever the row is written.
func rowVersion(t *testing.T, db *postgres.DB, query string, args ...any) string {
	t.Helper()
	var x string
	if err := db.Pool.QueryRow(context.Background(), query, args...).Scan(&x); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return x
}

func wantVersions(t *testing.T, db *postgres.DB, want int, what string, query string, args ...any) {
	t.Helper()
	if n := count(t, db, query, args...); n != want {
		t.Fatalf("%s: %d versions, want %d", what, n, want)
	}
}

func TestCheckins_SavingTheSameAgainKeepsNoVersion(t *testing.T) {
	t.Parallel()
	e := newCheckins(t)
	a, _, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-10T08:00:00Z")
	const versions = `SELECT count(*) FROM checkin_versions`
	const row = `SELECT xmin::text FROM checkins WHERE user_id = $1`

	in := entry("", 3, mend.MyPartner)
	in.FormKey = service.NewFormKey()
	e.save(t, a, in)
	before := rowVersion(t, e.db, row, a.ID)
	for i := range 3 {
		e.clk.t = e.clk.t.Add(time.Hour)
		in.FormKey = service.NewFormKey() // a new form, not a double tap
		e.save(t, a, in)
		wantVersions(t, e.db, 0, "the same check-in saved again", versions)
		if rowVersion(t, e.db, row, a.ID) != before {
			t.Fatalf("save %d with nothing changed wrote the check-in", i+2)
		}
	}
	if p := e.day(t, a, "2027-03-10"); p.Mine.Edited() {
		t.Fatalf("a check-in saved again unchanged shows as edited: %+v", p.Mine)
	}

	changed := in
	changed.Worry, changed.FormKey = "The phone at night", service.NewFormKey()
	e.save(t, a, changed)
	wantVersions(t, e.db, 1, "a change", versions)
	changed.FormKey = service.NewFormKey()
	e.save(t, a, changed)
	wantVersions(t, e.db, 1, "the change saved again", versions)
	if p := e.day(t, a, "2027-03-10"); p.Mine.Worry != "The phone at night" || len(p.Versions) != 1 || p.Versions[0].Worry != "worry 3" {
		t.Fatalf("after a change and the same again: %+v, versions %+v", p.Mine, p.Versions)
	}
}

func TestTriggers_EditWithNothingChangedKeepsNoVersion(t *testing.T) {
	t.Parallel()
	e := newTriggers(t)
	ctx := context.Background()
	a, _, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-10T08:00:00Z")
	in := quick("place", 6, mend.MyPartner, "")
	in.WhatHappened, in.Felt = "Drove past the hotel", "Sick"
	id := e.log(t, a, in)
	const versions = `SELECT count(*) FROM trigger_versions WHERE trigger_id = $1`
	const row = `SELECT xmin::text FROM triggers WHERE id = $1`
	before := rowVersion(t, e.db, row, id)
	mine, err := e.tr.Trigger(ctx, a, id)
	if err != nil {
		t.Fatal(err)
	}

	// The edit form sent back as shown: its time, or no time at all.
	e.clk.t = e.clk.t.Add(time.Hour)
	for _, when := range []string{mine.OccurredAt.In(a.Location()).Format("2006-01-02T15:04"), ""} {
		same := in
		same.When = when
		if changed, err := e.tr.Edit(ctx, a, id, same); err != nil || changed {
			t.Fatalf("edit with nothing changed (when %q): changed %v, %v", when, changed, err)
		}
		wantVersions(t, e.db, 0, "an edit with nothing changed", versions, id)
		if rowVersion(t, e.db, row, id) != before {
			t.Fatalf("an edit with nothing changed (when %q) wrote the trigger", when)
		}
	}

	changed := in
	changed.Intensity = "7"
	if did, err := e.tr.Edit(ctx, a, id, changed); err != nil || !did {
		t.Fatalf("a change: changed %v, %v", did, err)
	}
	wantVersions(t, e.db, 1, "a change", versions, id)
	if did, err := e.tr.Edit(ctx, a, id, changed); err != nil || did {
		t.Fatalf("the change sent again: changed %v, %v", did, err)
	}
	wantVersions(t, e.db, 1, "the change sent again", versions, id)
	if got, _ := e.tr.Trigger(ctx, a, id); got == nil || got.Intensity != 7 {
		t.Fatalf("after the change: %+v", got)
	}
}

func TestCommitments_LogSavedAgainUnchangedKeepsNoVersion(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-01T10:00:00Z")
	id := e.active(t, a, b, promise("Home by 7 or I call", "2027-03-29"))
	const versions = `SELECT count(*) FROM commitment_log_versions`

	e.log(t, a, id, "", mend.Kept, "Home at 6:40")
	logID := logOn(t, e.view(t, a, id), "2027-03-01").ID
	row := `SELECT xmin::text FROM commitment_logs WHERE id = $1`
	before := rowVersion(t, e.db, row, logID)
	// Logged again from a new form, and edited, with nothing changed.
	e.log(t, a, id, "", mend.Kept, "Home at 6:40")
	wantVersions(t, e.db, 0, "the same log again", versions)
	if changed, err := e.s.EditLog(ctx, a, id, logID, mend.Kept, "Home at 6:40"); err != nil || changed {
		t.Fatalf("an edit with nothing changed: changed %v, %v", changed, err)
	}
	wantVersions(t, e.db, 0, "an edit with nothing changed", versions)
	if rowVersion(t, e.db, row, logID) != before {
		t.Fatal("a log saved again unchanged was written")
	}

	if changed, err := e.s.EditLog(ctx, a, id, logID, mend.Partly, "Home at 7:20"); err != nil || !changed {
		t.Fatalf("an edit: changed %v, %v", changed, err)
	}
	wantVersions(t, e.db, 1, "an edit", versions)
	if err := errOf(e.s.EditLog(ctx, a, id, logID, mend.Partly, "Home at 7:20")); err != nil {
		t.Fatal(err)
	}
	e.log(t, a, id, "", mend.Partly, "Home at 7:20")
	wantVersions(t, e.db, 1, "the edit saved again", versions)
	e.log(t, a, id, "", mend.Kept, "Home at 7:20")
	wantVersions(t, e.db, 2, "a new status", versions)
	if l := logOn(t, e.view(t, a, id), "2027-03-01"); l.Status != mend.Kept || len(l.Versions) != 2 ||
		l.Versions[0].Status != mend.Partly || l.Versions[1].Note != "Home at 6:40" {
		t.Fatalf("log after its changes: %+v", l)
	}
}

func TestCommitments_RevisingWithNothingChangedIsRefused(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-01T10:00:00Z")
	terms := promise("Walk together", "2027-03-29")
	id := e.active(t, a, b, terms)
	const versions = `SELECT count(*) FROM commitment_versions WHERE commitment_id = $1`
	const revisions = `SELECT count(*) FROM commitment_events WHERE commitment_id = $1 AND action = 'revised'`

	// Days later the form still says what is in force: it started on the
	// 1st, and the form can only say today.
	e.setNow(t, "2027-03-05T10:00:00Z")
	wantCode(t, e.s.Revise(ctx, b, id, terms), mend.Invalid, "the terms in force, unchanged")
	wantCode(t, e.s.Revise(ctx, a, id, terms), mend.Invalid, "the terms in force, unchanged, by the owner")
	wantVersions(t, e.db, 1, "unchanged revisions", versions, id)

	changed := terms
	changed.Title = "Walk together after dinner"
	e.revise(t, a, id, changed)
	wantVersions(t, e.db, 2, "a change", versions, id)
	wantCode(t, e.s.Revise(ctx, a, id, changed), mend.Invalid, "the waiting proposal, unchanged")
	wantVersions(t, e.db, 2, "the waiting proposal sent again", versions, id)

	// Ben asks for a change: the same terms again change nothing either.
	if err := e.s.AskChange(ctx, b, id, "After dinner is late for me"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, e.s.Revise(ctx, a, id, changed), mend.Invalid, "the proposal Ben asked to change, unchanged")
	wantVersions(t, e.db, 2, "the proposal Ben asked to change, sent again", versions, id)
	if v := e.view(t, a, id); v.Pending != 2 || !v.ChangesAsked {
		t.Fatalf("after refused revisions: pending %d, changes asked %v", v.Pending, v.ChangesAsked)
	}

	changed.Title = "Walk together before dinner"
	e.revise(t, a, id, changed)
	wantVersions(t, e.db, 3, "a second change", versions, id)
	if n := count(t, e.db, revisions, id); n != 2 {
		t.Fatalf("%d revisions recorded, want 2", n)
	}
}

func TestContext_SavingTheSameWordsAgainWritesNothing(t *testing.T) {
	t.Parallel()
	c, acc, db, _ := newCouples(t)
	_, b, access := pair(t, c, acc, "Ada", "Ben")
	in := service.ContextInput{WhatHappened: "lying", Details: "Ben's side", Rebuilding: "me", Visibility: string(mend.MyPartner)}
	setContext(t, c, b, in)
	const row = `SELECT xmin::text FROM couple_context WHERE couple_id = $1 AND author_id = $2`
	before := rowVersion(t, db, row, access.CoupleID(), b.ID)
	setContext(t, c, b, in)
	if rowVersion(t, db, row, access.CoupleID(), b.ID) != before {
		t.Fatal("the same words saved again were written")
	}
	in.Details = "Ben's side, in his words"
	setContext(t, c, b, in)
	if rowVersion(t, db, row, access.CoupleID(), b.ID) == before {
		t.Fatal("changed words were not written")
	}
	if s := space(t, c, b); s.MyContext() == nil || s.MyContext().Details != "Ben's side, in his words" {
		t.Fatalf("Ben's words: %+v", s.MyContext())
	}
}
