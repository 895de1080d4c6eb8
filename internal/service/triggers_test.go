package service_test

import (
	"context"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/postgres"
	"github.com/mend-app/mend/internal/service"
)

// The service clock is set freely below (to instants in 2027 and later);
// the era rules (who joined when) compare the database's own timestamps,
// which follow the real order of the calls.

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

func (e *triggersEnv) list(t *testing.T, u *mend.User, who string) *service.TriggersPage {
	t.Helper()
	p, err := e.tr.List(context.Background(), u, who, "")
	if err != nil {
		t.Fatalf("list of %s (%q): %v", u.Name, who, err)
	}
	return p
}

func (e *triggersEnv) patterns(t *testing.T, u *mend.User, who string, weeks int) *service.PatternsPage {
	t.Helper()
	p, err := e.tr.Patterns(context.Background(), u, who, weeks)
	if err != nil {
		t.Fatalf("patterns of %s (%q, %d weeks): %v", u.Name, who, weeks, err)
	}
	return p
}

func (e *triggersEnv) dashboard(t *testing.T, u *mend.User) *service.TriggerDashboard {
	t.Helper()
	d, err := e.tr.Dashboard(context.Background(), u, space(t, e.c, u))
	if err != nil {
		t.Fatalf("dashboard of %s: %v", u.Name, err)
	}
	return d
}

func (e *triggersEnv) therapistView(t *testing.T, th *mend.User, coupleID int64, weeks int) *service.TherapistTriggersPage {
	t.Helper()
	p, err := e.tr.ForTherapist(context.Background(), th, coupleID, weeks)
	if err != nil {
		t.Fatalf("therapist view: %v", err)
	}
	return p
}

// ids lists the ids of ts in order.
func ids(ts []mend.Trigger) []int64 {
	out := []int64{}
	for _, t := range ts {
		out = append(out, t.ID)
	}
	return out
}

func sameIDs(got []mend.Trigger, want ...int64) bool {
	return fmt.Sprint(ids(got)) == fmt.Sprint(append([]int64{}, want...))
}

// summary is everything a patterns page shows, as text (NaN compares
// equal to NaN this way).
func summary(p *service.PatternsPage) string {
	return fmt.Sprintf("who=%s weeks=%d from=%s to=%s series=%v total=%d avg=%.6f cats=%v heat=%v max=%d words=%v reading=%q",
		p.Who, p.Weeks, p.From.Format(time.DateOnly), p.To.Format(time.DateOnly), p.Series, p.Total, p.Average,
		p.Cats, p.Heat, p.HeatMax, p.Words, p.Reading)
}

// listing is what a list of triggers shows, responses included.
func listing(ts []mend.Trigger) string {
	var b strings.Builder
	for _, t := range ts {
		fmt.Fprintf(&b, "%d/%d/%s/%d/%s/%s/%v;", t.ID, t.UserID, t.Category, t.Intensity, t.Helped, t.Visibility, t.Responses)
	}
	return b.String()
}

func responses(t *testing.T, ts []mend.Trigger, id int64) []mend.TriggerResponse {
	t.Helper()
	for _, tr := range ts {
		if tr.ID == id {
			return tr.Responses
		}
	}
	t.Fatalf("trigger %d not listed", id)
	return nil
}

// ---- Capturing ----

func TestTriggers_QuickLogNeedsOnlyCategoryIntensityAndVisibility(t *testing.T) {
	t.Parallel()
	e := newTriggers(t)
	a, b, coupleID := e.pairIn(t, "Europe/Berlin", "UTC")
	e.setNow(t, "2027-05-12T21:15:00Z") // Wednesday 23:15 in Berlin
	id := e.log(t, a, quick("place", 7, mend.MyPartner, ""))
	tr, err := e.tr.Trigger(context.Background(), a, id)
	if err != nil {
		t.Fatal(err)
	}
	if !tr.OccurredAt.Equal(e.clk.t) || tr.CoupleID != coupleID || tr.UserID != a.ID || tr.Category != "place" || tr.Intensity != 7 ||
		tr.Visibility != mend.MyPartner || tr.WhatHappened != "" || tr.Felt != "" || tr.Helped != "" || tr.Need != "" || tr.Edited() {
		t.Fatalf("logged %+v", tr)
	}
	if tr.LocalDay.Format(time.DateOnly) != "2027-05-12" || tr.LocalWeekday != 2 || tr.LocalHour != 23 {
		t.Fatalf("local fields: day %s weekday %d hour %d", tr.LocalDay, tr.LocalWeekday, tr.LocalHour)
	}
	// Every category of the form is accepted, and texts are trimmed.
	for _, c := range mend.TriggerCategories {
		in := quick(c.Value, 0, mend.JustMe, "")
		in.WhatHappened, in.Felt, in.Helped, in.Need = "  saw the car  ", " small ", " tea ", " a hug "
		id := e.log(t, b, in)
		tr, err := e.tr.Trigger(context.Background(), b, id)
		if err != nil || tr.Category != c.Value || tr.WhatHappened != "saw the car" || tr.Felt != "small" || tr.Helped != "tea" || tr.Need != "a hug" {
			t.Fatalf("category %s: %+v %v", c.Value, tr, err)
		}
	}
}

func TestTriggers_ValidationNamesEachField(t *testing.T) {
	t.Parallel()
	e := newTriggers(t)
	a, _, _ := e.pairIn(t, "America/New_York", "UTC")
	e.setNow(t, "2027-06-10T16:00:00Z") // 12:00 in New York
	ok := quick("person", 5, mend.MyPartner, "")
	long := strings.Repeat("é", service.MaxTriggerText+1)
	for _, tc := range []struct {
		field string
		edit  func(in *service.TriggerInput)
	}{
		{"category", func(in *service.TriggerInput) { in.Category = "" }},
		{"category", func(in *service.TriggerInput) { in.Category = "weather" }},
		{"category", func(in *service.TriggerInput) { in.Category = "Place" }},
		{"intensity", func(in *service.TriggerInput) { in.Intensity = "" }},
		{"intensity", func(in *service.TriggerInput) { in.Intensity = "-1" }},
		{"intensity", func(in *service.TriggerInput) { in.Intensity = "11" }},
		{"intensity", func(in *service.TriggerInput) { in.Intensity = "seven" }},
		{"intensity", func(in *service.TriggerInput) { in.Intensity = "5.5" }},
		{"when", func(in *service.TriggerInput) { in.When = "yesterday" }},
		{"when", func(in *service.TriggerInput) { in.When = "2027-06-10 11:00" }},
		{"when", func(in *service.TriggerInput) { in.When = "2027-06-10T12:06" }}, // 6 minutes ahead in New York
		{"when", func(in *service.TriggerInput) { in.When = "2027-06-11T08:00" }},
		{"when", func(in *service.TriggerInput) { in.When = "2026-06-10T11:59" }}, // a year and a minute ago
		{"what_happened", func(in *service.TriggerInput) { in.WhatHappened = long }},
		{"felt", func(in *service.TriggerInput) { in.Felt = long }},
		{"helped", func(in *service.TriggerInput) { in.Helped = long }},
		{"need", func(in *service.TriggerInput) { in.Need = long }},
		{"visibility", func(in *service.TriggerInput) { in.Visibility = "" }},
		{"visibility", func(in *service.TriggerInput) { in.Visibility = "everyone" }},
	} {
		in := ok
		tc.edit(&in)
		id, err := e.tr.Log(context.Background(), a, in)
		what := fmt.Sprintf("%s in %+v", tc.field, in)
		fieldRefused(t, err, tc.field, what)
		if me := err.(*mend.Error); len(me.Fields) != 1 {
			t.Fatalf("%s: fields %v, want only %q", what, me.Fields, tc.field)
		}
		if id != 0 {
			t.Fatalf("%s: id %d", what, id)
		}
	}
	// Everything wrong at once names every field.
	_, err := e.tr.Log(context.Background(), a, service.TriggerInput{When: "soon", Need: long})
	for _, f := range []string{"category", "intensity", "when", "need", "visibility"} {
		fieldRefused(t, err, f, "an empty form")
	}
	if n := count(t, e.db, `SELECT count(*) FROM triggers`); n != 0 {
		t.Fatalf("%d triggers stored from refused forms", n)
	}
}

func TestTriggers_LimitsAreAccepted(t *testing.T) {
	t.Parallel()
	e := newTriggers(t)
	a, _, _ := e.pairIn(t, "America/New_York", "UTC")
	e.setNow(t, "2027-06-10T16:00:00Z") // 12:00 in New York
	max := strings.Repeat("é", service.MaxTriggerText)
	for _, tc := range []struct {
		in   service.TriggerInput
		want string // occurred_at, UTC
	}{
		{quick("other", 0, mend.JustMe, ""), "2027-06-10T16:00:00Z"},
		{quick("other", 10, mend.JustMe, " 2027-06-10T12:05 "), "2027-06-10T16:05:00Z"}, // a clock a little ahead
		{quick("other", 10, mend.JustMe, "2026-06-10T12:00"), "2026-06-10T16:00:00Z"},   // a year ago exactly
		{quick("other", 3, mend.JustMe, "2027-01-10T12:00"), "2027-01-10T17:00:00Z"},    // in winter time
		{service.TriggerInput{Category: "other", Intensity: " 4 ", Visibility: "private", WhatHappened: max, Felt: max, Helped: max, Need: max}, "2027-06-10T16:00:00Z"},
	} {
		id := e.log(t, a, tc.in)
		tr, err := e.tr.Trigger(context.Background(), a, id)
		if err != nil || tr.OccurredAt.UTC().Format(time.RFC3339) != tc.want {
			t.Fatalf("%+v: occurred %v (%v), want %s", tc.in, tr.OccurredAt.UTC(), err, tc.want)
		}
	}
}

func TestTriggers_SameFormSentTwiceLogsOnce(t *testing.T) {
	t.Parallel()
	e := newTriggers(t)
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-10T12:00:00Z")
	in := quick("media", 6, mend.MyPartner, "")
	in.FormKey = service.NewFormKey()
	first := e.log(t, a, in)
	id, err := e.tr.Log(context.Background(), a, in)
	if err != nil || id != 0 {
		t.Fatalf("second send: id %d, %v", id, err)
	}
	// Another key, or no key, logs again.
	in.FormKey = service.NewFormKey()
	e.log(t, a, in)
	in.FormKey = ""
	e.log(t, a, in)
	e.log(t, a, in)
	if n := count(t, e.db, `SELECT count(*) FROM triggers WHERE user_id = $1`, a.ID); n != 4 {
		t.Fatalf("%d triggers, want 4", n)
	}
	// A refused form does not use up its key.
	in = quick("", 6, mend.MyPartner, "")
	in.FormKey = service.NewFormKey()
	_, err = e.tr.Log(context.Background(), b, in)
	fieldRefused(t, err, "category", "no category")
	in.Category = "place"
	e.log(t, b, in)
	if first == 0 {
		t.Fatal("first id 0")
	}
}

func TestTriggers_SameFormSentTwentyTimesAtOnceLogsOnce(t *testing.T) {
	t.Parallel()
	e := newTriggers(t)
	a, _, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-10T12:00:00Z")
	in := quick("behaviour", 8, mend.MyPartner, "")
	in.FormKey = service.NewFormKey()
	var wg sync.WaitGroup
	var mu sync.Mutex
	var logged []int64
	errs := make(chan error, 20)
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id, err := e.tr.Log(context.Background(), a, in)
			if err != nil {
				errs <- err
				return
			}
			if id != 0 {
				mu.Lock()
				logged = append(logged, id)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("a send failed: %v", err)
	}
	if len(logged) != 1 {
		t.Fatalf("%d sends report a new trigger, want 1: %v", len(logged), logged)
	}
	if n := count(t, e.db, `SELECT count(*) FROM triggers WHERE user_id = $1`, a.ID); n != 1 {
		t.Fatalf("%d triggers, want 1", n)
	}
}

func TestTriggers_EditsKeepTheEarlierVersion(t *testing.T) {
	t.Parallel()
	e := newTriggers(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "Europe/Berlin", "UTC")
	e.setNow(t, "2027-03-10T12:00:00Z")
	in := quick("place", 7, mend.MyPartner, "2027-03-10T09:30")
	in.WhatHappened = "Drove past the hotel"
	id := e.log(t, a, in)
	e.setNow(t, "2027-03-11T12:00:00Z")

	in2 := quick("person", 4, mend.PartnerAndTherapist, "2027-03-10T09:30")
	in2.WhatHappened, in2.Helped = "Drove past the hotel", "Calling my sister"
	if err := e.tr.Edit(ctx, a, id, in2); err != nil {
		t.Fatal(err)
	}
	tr, err := e.tr.Trigger(ctx, a, id)
	if err != nil || tr.Category != "person" || tr.Intensity != 4 || tr.Helped != "Calling my sister" || tr.Visibility != mend.PartnerAndTherapist || !tr.Edited() {
		t.Fatalf("after the edit: %+v %v", tr, err)
	}
	if tr.OccurredAt.UTC().Format(time.RFC3339) != "2027-03-10T08:30:00Z" || tr.LocalHour != 9 {
		t.Fatalf("the edit moved the trigger: %v, hour %d", tr.OccurredAt, tr.LocalHour)
	}
	type version struct {
		Category, Helped, Visibility string
		Intensity                    int
	}
	versions := func() []version {
		rows, err := e.db.Pool.Query(ctx, `SELECT category, helped, visibility, intensity FROM trigger_versions WHERE trigger_id = $1 ORDER BY id`, id)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var vs []version
		for rows.Next() {
			var v version
			if err := rows.Scan(&v.Category, &v.Helped, &v.Visibility, &v.Intensity); err != nil {
				t.Fatal(err)
			}
			vs = append(vs, v)
		}
		return vs
	}
	if vs := versions(); fmt.Sprint(vs) != fmt.Sprint([]version{{"place", "", "partner", 7}}) {
		t.Fatalf("versions after one edit: %+v", vs)
	}
	in3 := in2
	in3.Intensity, in3.Helped = "2", "Tea"
	if err := e.tr.Edit(ctx, a, id, in3); err != nil {
		t.Fatal(err)
	}
	if vs := versions(); fmt.Sprint(vs) != fmt.Sprint([]version{{"place", "", "partner", 7}, {"person", "Calling my sister", "therapist", 4}}) {
		t.Fatalf("versions after two edits: %+v", vs)
	}

	// Only the writer edits: the partner who sees it finds nothing to edit.
	wantCode(t, e.tr.Edit(ctx, b, id, quick("other", 1, mend.MyPartner, "")), mend.NotFound, "the partner editing")
	wantCode(t, e.tr.Edit(ctx, a, id+1000, in3), mend.NotFound, "editing an unknown trigger")
	bid := e.log(t, b, quick("date", 5, mend.MyPartner, ""))
	wantCode(t, e.tr.Edit(ctx, a, bid, in3), mend.NotFound, "editing the partner's trigger")
	// A refused edit changes nothing and keeps no version.
	in3.Intensity = "12"
	fieldRefused(t, e.tr.Edit(ctx, a, id, in3), "intensity", "an edit to 12")
	if vs := versions(); len(vs) != 2 {
		t.Fatalf("%d versions after a refused edit, want 2", len(vs))
	}
	if tr, _ := e.tr.Trigger(ctx, a, id); tr.Intensity != 2 {
		t.Fatalf("refused edit changed the intensity to %d", tr.Intensity)
	}
	if tr, _ := e.tr.Trigger(ctx, b, bid); tr.Category != "date" || tr.Edited() {
		t.Fatalf("the partner's trigger: %+v", tr)
	}
}

// ---- Visibility ----

func TestTriggers_PrivateTriggersChangeNothingThePartnerSees(t *testing.T) {
	t.Parallel()
	e := newTriggers(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "Europe/Berlin", "America/Los_Angeles")
	e.setNow(t, "2027-06-20T10:00:00Z")
	// Some shared life first, so that the views are not empty.
	shared := e.log(t, a, helped(quick("place", 6, mend.MyPartner, "2027-06-18T09:00"), "Walking by the river together"))
	e.log(t, a, helped(quick("person", 3, mend.PartnerAndTherapist, "2027-05-02T20:00"), "Talking it through"))
	e.log(t, a, helped(quick("media", 8, mend.MyPartner, "2027-04-10T14:00"), "Music"))
	e.log(t, b, helped(quick("behaviour", 4, mend.MyPartner, "2027-06-15T08:00"), "Breathing slowly"))
	e.log(t, b, helped(quick("time", 2, mend.JustMe, "2027-06-16T23:00"), "Journaling"))
	if err := e.tr.Respond(ctx, b, shared, "here", "", ""); err != nil {
		t.Fatal(err)
	}

	type view struct {
		lists, dash string
		pats        []string
	}
	look := func(u *mend.User) view {
		var v view
		for _, who := range []string{"", "me", "partner"} {
			v.lists += who + ":" + listing(e.list(t, u, who).Triggers) + "\n"
			for _, w := range service.TrendWeeks {
				v.pats = append(v.pats, summary(e.patterns(t, u, who, w)))
			}
		}
		d := e.dashboard(t, u)
		v.dash = listing(d.Partners) + fmt.Sprint(d.Upcoming)
		return v
	}
	before := look(b)
	aBefore := e.patterns(t, a, "me", 12)
	aBefore52 := e.patterns(t, a, "me", 52).Total

	// a logs private triggers of a category, intensity, time and words found
	// nowhere else, at many times (some this week, for the dashboard).
	var private []int64
	for i, when := range []string{"2027-06-20T03:00", "2027-06-19T23:30", "2027-06-13T13:00", "2027-05-25T07:00", "2027-04-01T01:00", "2026-08-01T12:00"} {
		in := quick("date", 10, mend.JustMe, when)
		in.Helped = "Zebrafish lanterns, zebrafish origami and marmalade"
		in.Need = "Secret need"
		private = append(private, e.log(t, a, in))
		if i == 0 {
			private = append(private, e.log(t, a, quick("other", 0, mend.JustMe, "")))
		}
	}
	after := look(b)
	if after.lists != before.lists {
		t.Fatalf("b's lists changed:\nbefore %s\nafter  %s", before.lists, after.lists)
	}
	if after.dash != before.dash {
		t.Fatalf("b's dashboard changed:\nbefore %s\nafter  %s", before.dash, after.dash)
	}
	for i := range before.pats {
		if after.pats[i] != before.pats[i] {
			t.Fatalf("b's patterns changed:\nbefore %s\nafter  %s", before.pats[i], after.pats[i])
		}
	}
	if strings.Contains(strings.Join(after.pats, " "), "zebrafish") || strings.Contains(after.lists, "Zebrafish") {
		t.Fatal("a private word reached b")
	}
	// Nor can b open or answer one.
	for _, id := range private {
		_, err := e.tr.Trigger(ctx, b, id)
		wantCode(t, err, mend.NotFound, "b opening a private trigger")
		wantCode(t, e.tr.Respond(ctx, b, id, "here", "", ""), mend.NotFound, "b answering a private trigger")
	}

	// a's own patterns do count them.
	mine := e.patterns(t, a, "me", 12)
	if mine.Total != aBefore.Total+6 { // the one of 2026 is older than 12 weeks
		t.Fatalf("a's own total %d, was %d", mine.Total, aBefore.Total)
	}
	if mine.Words[0] != (postgres.Count{Key: "zebrafish", Count: 10}) {
		t.Fatalf("a's own words: %v", mine.Words)
	}
	if mine.Heat[6][0] != 1 || mine.Heat[5][3] != 1 { // Sunday night, Saturday evening in Berlin
		t.Fatalf("a's own heat: %v", mine.Heat)
	}
	if got := e.patterns(t, a, "me", 52).Total; got != aBefore52+7 {
		t.Fatalf("a's own total over 52 weeks %d", got)
	}
	if got := len(e.list(t, a, "me").Triggers); got != 10 {
		t.Fatalf("a lists %d of their own, want 10", got)
	}
	// And the writer's change of mind takes a shared one out of b's view
	// everywhere, and a private one in.
	if err := e.tr.Edit(ctx, a, shared, helped(quick("place", 6, mend.JustMe, "2027-06-18T09:00"), "Walking by the river together")); err != nil {
		t.Fatal(err)
	}
	hidden := look(b)
	for _, who := range []string{"", "partner"} {
		for _, id := range ids(e.list(t, b, who).Triggers) {
			if id == shared {
				t.Fatalf("a trigger made private is still listed for b (%q)", who)
			}
		}
	}
	if strings.Contains(hidden.lists, "river") || strings.Contains(hidden.dash, "river") ||
		strings.Contains(strings.Join(hidden.pats, " "), "river") {
		t.Fatalf("a trigger made private still shows to b: %s %s", hidden.lists, hidden.dash)
	}
	if p := e.patterns(t, b, "partner", 4); p.Total != 0 {
		t.Fatalf("b's 4-week patterns of a after the edit: %s", summary(p))
	}
	if err := e.tr.Edit(ctx, a, shared, helped(quick("place", 6, mend.MyPartner, "2027-06-18T09:00"), "Walking by the river together")); err != nil {
		t.Fatal(err)
	}
	if again := look(b); again.lists != before.lists || again.dash != before.dash || strings.Join(again.pats, "\n") != strings.Join(before.pats, "\n") {
		t.Fatalf("shared again, b's view differs:\n%s\n%s", again.lists, before.lists)
	}
}

func TestTriggers_TherapistSeesOnlySharedTriggersWithConsent(t *testing.T) {
	t.Parallel()
	e := newTriggers(t)
	ctx := context.Background()
	a, b, coupleID := e.pairIn(t, "UTC", "UTC")
	th := newTherapist(t, e.acc, "Tess", "Tess Lee")
	link(t, e.c, a, th)
	if _, err := e.c.SetDefaults(ctx, a, map[string]bool{mend.KindTriggers: true}); err != nil {
		t.Fatal(err)
	}
	e.setNow(t, "2027-03-10T12:00:00Z")
	aTher := e.log(t, a, helped(quick("place", 7, mend.PartnerAndTherapist, "2027-03-09T10:00"), "Grounding exercise"))
	e.log(t, a, helped(quick("person", 9, mend.MyPartner, "2027-03-09T11:00"), "Partnerword"))
	e.log(t, a, helped(quick("media", 9, mend.JustMe, "2027-03-09T12:00"), "Privateword"))
	bTher := e.log(t, b, helped(quick("date", 3, mend.PartnerAndTherapist, "2027-03-08T10:00"), "Benword")) // b does not share triggers

	p := e.therapistView(t, th, coupleID, 4)
	if !sameIDs(p.Triggers, aTher) {
		t.Fatalf("therapist sees %v, want [%d]", ids(p.Triggers), aTher)
	}
	if p.Patterns.Total != 1 || fmt.Sprint(p.Patterns.Cats) != "[{place 1}]" || fmt.Sprint(p.Patterns.Words) != "[{exercise 1} {grounding 1}]" ||
		p.Patterns.Heat[1][1] != 1 || p.Patterns.HeatMax != 1 || len(p.Members) != 2 {
		t.Fatalf("therapist patterns: %s, members %+v", summary(p.Patterns), p.Members)
	}
	if len(p.Triggers[0].Responses) != 0 {
		t.Fatalf("therapist sees responses: %+v", p.Triggers[0].Responses)
	}
	views := func() int {
		return count(t, e.db, `SELECT count(*) FROM therapist_views WHERE couple_id = $1 AND therapist_id = $2 AND kind = 'triggers'`, coupleID, th.ID)
	}
	if n := views(); n != 1 {
		t.Fatalf("%d views recorded, want 1", n)
	}
	// b starts sharing: b's therapist ones show too, newest first.
	if _, err := e.c.SetDefaults(ctx, b, map[string]bool{mend.KindTriggers: true}); err != nil {
		t.Fatal(err)
	}
	if p := e.therapistView(t, th, coupleID, 4); !sameIDs(p.Triggers, aTher, bTher) || p.Patterns.Total != 2 {
		t.Fatalf("after b shares: %v, total %d", ids(p.Triggers), p.Patterns.Total)
	}
	// Sharing check-ins only is not sharing triggers.
	if _, err := e.c.SetDefaults(ctx, a, map[string]bool{mend.KindCheckins: true}); err != nil {
		t.Fatal(err)
	}
	if p := e.therapistView(t, th, coupleID, 4); !sameIDs(p.Triggers, bTher) || p.Patterns.Total != 1 {
		t.Fatalf("after a withdrew: %v, total %d", ids(p.Triggers), p.Patterns.Total)
	}
	if n := views(); n != 3 {
		t.Fatalf("%d views recorded, want 3", n)
	}
	// A therapist cannot log or answer, and one without a link sees nothing.
	_, err := e.tr.Log(ctx, th, quick("place", 1, mend.MyPartner, ""))
	if err == nil {
		t.Fatal("a therapist logged a trigger")
	}
	if err := e.tr.Respond(ctx, th, bTher, "here", "", ""); err == nil {
		t.Fatal("a therapist answered a trigger")
	}
	other := newTherapist(t, e.acc, "Otto", "Otto Ng")
	_, err = e.tr.ForTherapist(ctx, other, coupleID, 4)
	wantCode(t, err, mend.NotFound, "an unlinked therapist")
	_, err = e.tr.ForTherapist(ctx, a, coupleID, 4)
	wantCode(t, err, mend.NotFound, "a partner through the therapist view")
	if n := count(t, e.db, `SELECT count(*) FROM therapist_views WHERE couple_id = $1`, coupleID); n != 3 {
		t.Fatalf("refused looks were recorded: %d views", n)
	}
}

func TestTriggers_APartnerWhoJoinsLaterSeesNothingFromBefore(t *testing.T) {
	t.Parallel()
	e := newTriggers(t)
	ctx := context.Background()
	a := partnerIn(t, e.acc, "Ada", "UTC")
	b := partnerIn(t, e.acc, "Ben", "UTC")
	start(t, e.c, a, service.StartInput{})
	tok := invite(t, e.c, a, mend.InvitePartner)
	e.setNow(t, "2027-03-10T12:00:00Z")
	early := e.log(t, a, helped(quick("place", 8, mend.MyPartner, ""), "Earlyword"))
	e.clk.t = time.Now() // invites expire by the service clock
	accept(t, e.c, b, tok)
	e.setNow(t, "2027-03-10T13:00:00Z")

	if l := e.list(t, b, ""); len(l.Triggers) != 0 {
		t.Fatalf("b lists a's trigger from before: %v", ids(l.Triggers))
	}
	for _, w := range service.TrendWeeks {
		if p := e.patterns(t, b, "", w); p.Total != 0 || len(p.Words) != 0 || len(p.Cats) != 0 || p.HeatMax != 0 {
			t.Fatalf("b's patterns include a's from before: %s", summary(p))
		}
	}
	if d := e.dashboard(t, b); len(d.Partners) != 0 {
		t.Fatalf("b's dashboard: %v", ids(d.Partners))
	}
	_, err := e.tr.Trigger(ctx, b, early)
	wantCode(t, err, mend.NotFound, "b opening a's trigger from before")
	wantCode(t, e.tr.Respond(ctx, b, early, "here", "", ""), mend.NotFound, "b answering a's trigger from before")
	// a's own edit after b joined does not bring it in.
	if err := e.tr.Edit(ctx, a, early, quick("place", 9, mend.MyPartner, "2027-03-10T12:00")); err != nil {
		t.Fatal(err)
	}
	if l := e.list(t, b, ""); len(l.Triggers) != 0 {
		t.Fatalf("after a's edit, b lists %v", ids(l.Triggers))
	}
	// a still has it, and what a logs now b sees.
	now := e.log(t, a, quick("place", 2, mend.MyPartner, ""))
	if l := e.list(t, a, ""); !sameIDs(l.Triggers, now, early) {
		t.Fatalf("a lists %v", ids(l.Triggers))
	}
	if l := e.list(t, b, ""); !sameIDs(l.Triggers, now) {
		t.Fatalf("b lists %v, want [%d]", ids(l.Triggers), now)
	}
}

func TestTriggers_AnotherCoupleSeesNothing(t *testing.T) {
	t.Parallel()
	e := newTriggers(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	c, d, _ := e.pairIn(t, "UTC", "UTC")
	loner := partnerIn(t, e.acc, "Lou", "UTC")
	e.setNow(t, "2027-03-10T12:00:00Z")
	for _, vis := range []mend.Visibility{mend.JustMe, mend.MyPartner, mend.PartnerAndTherapist} {
		e.log(t, a, helped(quick("place", 5, vis, ""), "Couplewords"))
	}
	id := e.log(t, b, quick("person", 5, mend.MyPartner, ""))
	if err := e.tr.AddHardDate(ctx, a, "Our day", "2027-03-12", false, ""); err != nil {
		t.Fatal(err)
	}
	for _, u := range []*mend.User{c, d} {
		if l := e.list(t, u, ""); len(l.Triggers) != 0 {
			t.Fatalf("%s lists %v", u.Name, ids(l.Triggers))
		}
		if p := e.patterns(t, u, "", 52); p.Total != 0 || len(p.Words) != 0 || p.HeatMax != 0 {
			t.Fatalf("%s's patterns: %s", u.Name, summary(p))
		}
		if dd := e.dashboard(t, u); len(dd.Partners) != 0 || len(dd.Upcoming) != 0 {
			t.Fatalf("%s's dashboard: %+v", u.Name, dd)
		}
		_, err := e.tr.Trigger(ctx, u, id)
		wantCode(t, err, mend.NotFound, u.Name+" opening another couple's trigger")
		wantCode(t, e.tr.Respond(ctx, u, id, "here", "", ""), mend.NotFound, u.Name+" answering another couple's trigger")
		wantCode(t, e.tr.Edit(ctx, u, id, quick("other", 1, mend.JustMe, "")), mend.NotFound, u.Name+" editing another couple's trigger")
	}
	hd, err := e.tr.HardDates(ctx, a)
	if err != nil || len(hd.Dates) != 1 {
		t.Fatalf("a's hard dates: %+v %v", hd, err)
	}
	wantCode(t, e.tr.RemoveHardDate(ctx, c, hd.Dates[0].ID), mend.NotFound, "c removing another couple's hard date")
	// Someone without a space has no trigger log at all.
	_, err = e.tr.Log(ctx, loner, quick("place", 5, mend.JustMe, ""))
	wantCode(t, err, mend.NotFound, "logging without a space")
	_, err = e.tr.List(ctx, loner, "", "")
	wantCode(t, err, mend.NotFound, "listing without a space")
	_, err = e.tr.Patterns(ctx, loner, "", 4)
	wantCode(t, err, mend.NotFound, "patterns without a space")
	if n := count(t, e.db, `SELECT count(*) FROM trigger_responses`); n != 0 {
		t.Fatalf("%d responses stored", n)
	}
}

// ---- Heatmap ----

func TestTriggers_HeatmapBandIsTheWritersHourAcrossDST(t *testing.T) {
	t.Parallel()
	e := newTriggers(t)
	a, b, _ := e.pairIn(t, "Europe/Berlin", "America/Los_Angeles")
	e.setNow(t, "2027-04-05T12:00:00Z")
	// Summer time starts in Berlin on Sunday 28 March 2027 at 02:00.
	sat := e.log(t, a, quick("time", 5, mend.MyPartner, "2027-03-27T05:30"))
	mon := e.log(t, a, quick("time", 5, mend.MyPartner, "2027-03-29T05:30"))
	sunEarly := e.log(t, a, quick("time", 5, mend.MyPartner, "2027-03-28T01:30"))
	sunLate := e.log(t, a, quick("time", 5, mend.MyPartner, "2027-03-28T23:30"))
	want := map[int64]struct {
		utc           string
		day           string
		weekday, hour int
	}{
		sat:      {"2027-03-27T04:30:00Z", "2027-03-27", 5, 5},
		mon:      {"2027-03-29T03:30:00Z", "2027-03-29", 0, 5},
		sunEarly: {"2027-03-28T00:30:00Z", "2027-03-28", 6, 1},
		sunLate:  {"2027-03-28T21:30:00Z", "2027-03-28", 6, 23},
	}
	for _, tr := range e.list(t, a, "me").Triggers {
		w := want[tr.ID]
		if tr.OccurredAt.UTC().Format(time.RFC3339) != w.utc || tr.LocalDay.Format(time.DateOnly) != w.day || tr.LocalWeekday != w.weekday || tr.LocalHour != w.hour {
			t.Fatalf("trigger %d: %v, day %s, weekday %d, hour %d; want %+v", tr.ID, tr.OccurredAt.UTC(), tr.LocalDay, tr.LocalWeekday, tr.LocalHour, w)
		}
	}
	var heat [7][4]int
	heat[5][0], heat[0][0], heat[6][0], heat[6][3] = 1, 1, 1, 1
	for _, p := range []*service.PatternsPage{e.patterns(t, a, "me", 4), e.patterns(t, b, "partner", 4), e.patterns(t, b, "", 12)} {
		// b, in Los Angeles, sees the same cells: the writer's hours.
		if p.Heat != heat || p.HeatMax != 1 || p.Total != 4 {
			t.Fatalf("heat %v (max %d, total %d), want %v", p.Heat, p.HeatMax, p.Total, heat)
		}
	}

	// Winter time comes back on Sunday 31 October 2027 at 03:00.
	e.setNow(t, "2027-11-03T12:00:00Z")
	e.log(t, a, quick("time", 5, mend.MyPartner, "2027-10-30T17:30")) // 15:30 UTC, afternoon
	e.log(t, a, quick("time", 5, mend.MyPartner, "2027-11-01T17:30")) // 16:30 UTC, afternoon
	e.log(t, a, quick("time", 5, mend.MyPartner, "2027-10-30T18:00")) // 16:00 UTC, evening
	e.log(t, a, quick("time", 5, mend.MyPartner, "2027-11-01T06:00")) // 05:00 UTC, morning
	e.log(t, a, quick("time", 5, mend.MyPartner, "2027-10-31T11:59")) // 10:59 UTC, morning
	e.log(t, a, quick("time", 5, mend.MyPartner, "2027-10-31T12:00")) // 11:00 UTC, afternoon
	e.log(t, a, quick("time", 5, mend.MyPartner, "2027-11-01T00:00")) // 23:00 UTC on Sunday, night on Monday
	heat = [7][4]int{}
	heat[5][2], heat[0][2], heat[5][3], heat[0][1], heat[6][1], heat[6][2], heat[0][0] = 1, 1, 1, 1, 1, 1, 1
	if p := e.patterns(t, b, "partner", 4); p.Heat != heat || p.Total != 7 {
		t.Fatalf("October heat %v (total %d), want %v", p.Heat, p.Total, heat)
	}
}

func TestTriggers_HeatmapSameInstantInAucklandAndLosAngeles(t *testing.T) {
	t.Parallel()
	e := newTriggers(t)
	a, b, _ := e.pairIn(t, "Pacific/Auckland", "America/Los_Angeles")
	e.setNow(t, "2027-06-20T00:00:00Z")
	// 2027-06-15T20:00Z is Wednesday 08:00 in Auckland and Tuesday 13:00
	// in Los Angeles.
	ia := e.log(t, a, quick("place", 4, mend.MyPartner, "2027-06-16T08:00"))
	ib := e.log(t, b, quick("place", 6, mend.MyPartner, "2027-06-15T13:00"))
	// Logged now, without "when": the same instant again, by the clock.
	e.setNow(t, "2027-06-15T20:00:00Z")
	na := e.log(t, a, quick("person", 4, mend.MyPartner, ""))
	nb := e.log(t, b, quick("person", 6, mend.MyPartner, ""))
	e.setNow(t, "2027-06-20T00:00:00Z")

	at := map[int64]mend.Trigger{}
	for _, tr := range e.list(t, a, "").Triggers {
		at[tr.ID] = tr
	}
	for _, id := range []int64{ia, ib, na, nb} {
		if !at[id].OccurredAt.Equal(time.Date(2027, 6, 15, 20, 0, 0, 0, time.UTC)) {
			t.Fatalf("trigger %d occurred at %v", id, at[id].OccurredAt)
		}
	}
	for _, id := range []int64{ia, na} {
		if tr := at[id]; tr.LocalDay.Format(time.DateOnly) != "2027-06-16" || tr.LocalWeekday != 2 || tr.LocalHour != 8 {
			t.Fatalf("Auckland trigger: %+v", tr)
		}
	}
	for _, id := range []int64{ib, nb} {
		if tr := at[id]; tr.LocalDay.Format(time.DateOnly) != "2027-06-15" || tr.LocalWeekday != 1 || tr.LocalHour != 13 {
			t.Fatalf("Los Angeles trigger: %+v", tr)
		}
	}
	var heat [7][4]int
	heat[2][1], heat[1][2] = 2, 2
	for _, u := range []*mend.User{a, b} {
		if p := e.patterns(t, u, "", 4); p.Heat != heat || p.HeatMax != 2 || p.Total != 4 {
			t.Fatalf("%s's heat %v, want %v", u.Name, p.Heat, heat)
		}
	}
	var mine [7][4]int
	mine[2][1] = 2
	if p := e.patterns(t, a, "me", 4); p.Heat != mine {
		t.Fatalf("a's own heat %v", p.Heat)
	}
	mine = [7][4]int{}
	mine[1][2] = 2
	if p := e.patterns(t, a, "partner", 4); p.Heat != mine {
		t.Fatalf("a's heat of b %v", p.Heat)
	}
}

// ---- Hard dates ----

func TestTriggers_NextOccurrence(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		date   string
		yearly bool
		today  string
		want   string // "" when none
	}{
		{"2027-03-10", false, "2027-03-10", "2027-03-10"},
		{"2027-03-10", false, "2027-03-11", ""},
		{"2027-03-10", false, "2026-03-11", "2027-03-10"},
		{"2020-03-10", true, "2027-03-10", "2027-03-10"},
		{"2020-03-10", true, "2027-03-11", "2028-03-10"},
		{"2020-03-10", true, "2027-01-01", "2027-03-10"},
		{"2020-02-29", true, "2027-01-15", "2027-02-28"},
		{"2020-02-29", true, "2027-02-28", "2027-02-28"},
		{"2020-02-29", true, "2027-03-01", "2028-02-29"},
		{"2020-02-29", true, "2028-02-28", "2028-02-29"},
		{"2020-02-29", true, "2028-02-29", "2028-02-29"},
		{"2020-02-29", true, "2028-03-01", "2029-02-28"},
		{"2096-02-29", true, "2100-02-01", "2100-02-28"}, // 2100 is no leap year
		{"1996-02-29", true, "2000-02-01", "2000-02-29"}, // 2000 is one
		// A yearly date set in a future year starts in that year.
		{"2030-05-01", true, "2027-04-28", "2030-05-01"},
		{"2019-01-02", true, "2027-12-28", "2028-01-02"},
		{"2019-12-31", true, "2027-12-31", "2027-12-31"},
		{"2019-12-31", true, "2028-01-01", "2028-12-31"},
		{"2028-01-03", false, "2027-12-28", "2028-01-03"},
	} {
		next, ok := service.NextOccurrence(mend.HardDate{Date: mustDate(tc.date), Yearly: tc.yearly}, mustDate(tc.today))
		got := ""
		if ok {
			got = next.Format(time.DateOnly)
		}
		if got != tc.want {
			t.Errorf("%s (yearly %v) on %s: next %q, want %q", tc.date, tc.yearly, tc.today, got, tc.want)
		}
	}
}

func TestTriggers_UpcomingWindow(t *testing.T) {
	t.Parallel()
	d := func(id int64, date string, yearly bool) mend.HardDate {
		return mend.HardDate{ID: id, Label: fmt.Sprint(id), Date: mustDate(date), Yearly: yearly}
	}
	upcoming := func(today string, dates ...mend.HardDate) string {
		var s []string
		for _, u := range service.Upcoming(dates, mustDate(today), service.HardDateNotice) {
			s = append(s, fmt.Sprintf("%d:%s:%d", u.ID, u.Next.Format(time.DateOnly), u.Days))
		}
		return strings.Join(s, " ")
	}
	for _, tc := range []struct {
		today string
		dates []mend.HardDate
		want  string
	}{
		{"2027-03-03", []mend.HardDate{d(1, "2027-03-10", false)}, "1:2027-03-10:7"},
		{"2027-03-02", []mend.HardDate{d(1, "2027-03-10", false)}, ""},
		{"2027-03-10", []mend.HardDate{d(1, "2027-03-10", false)}, "1:2027-03-10:0"},
		{"2027-03-11", []mend.HardDate{d(1, "2027-03-10", false)}, ""},
		{"2027-03-03", []mend.HardDate{d(1, "2019-03-10", true)}, "1:2027-03-10:7"},
		{"2027-03-02", []mend.HardDate{d(1, "2019-03-10", true)}, ""},
		{"2027-03-10", []mend.HardDate{d(1, "2019-03-10", true)}, "1:2027-03-10:0"},
		{"2027-03-11", []mend.HardDate{d(1, "2019-03-10", true)}, ""}, // next year now
		{"2027-02-21", []mend.HardDate{d(1, "2020-02-29", true)}, "1:2027-02-28:7"},
		{"2027-02-20", []mend.HardDate{d(1, "2020-02-29", true)}, ""},
		{"2027-03-01", []mend.HardDate{d(1, "2020-02-29", true)}, ""},
		{"2028-02-22", []mend.HardDate{d(1, "2020-02-29", true)}, "1:2028-02-29:7"},
		{"2028-02-28", []mend.HardDate{d(1, "2020-02-29", true)}, "1:2028-02-29:1"},
		{"2027-12-28", []mend.HardDate{d(1, "2019-01-02", true)}, "1:2028-01-02:5"},
		{"2027-12-28", []mend.HardDate{d(1, "2028-01-04", false)}, "1:2028-01-04:7"},
		{"2027-12-28", []mend.HardDate{d(1, "2028-01-05", false)}, ""},
		{"2027-12-31", []mend.HardDate{d(1, "2027-12-31", false), d(2, "2028-01-01", false), d(3, "2019-01-07", true)}, "1:2027-12-31:0 2:2028-01-01:1 3:2028-01-07:7"},
		// Soonest first, whatever the order given.
		{"2027-06-01", []mend.HardDate{d(1, "2027-06-07", false), d(2, "2010-06-02", true), d(3, "2027-06-05", false), d(4, "2027-06-20", false)}, "2:2027-06-02:1 3:2027-06-05:4 1:2027-06-07:6"},
	} {
		if got := upcoming(tc.today, tc.dates...); got != tc.want {
			t.Errorf("on %s: %q, want %q", tc.today, got, tc.want)
		}
	}
}

func TestTriggers_HardDatesOnBothDashboards(t *testing.T) {
	t.Parallel()
	e := newTriggers(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "Pacific/Auckland", "America/Los_Angeles")
	e.setNow(t, "2027-03-03T12:00:00Z") // Thursday 4 March 01:00 in Auckland, Wednesday 3 March 04:00 in Los Angeles
	if err := e.tr.AddHardDate(ctx, a, "  The day it came to light  ", "2027-03-11", false, ""); err != nil {
		t.Fatal(err)
	}
	if err := e.tr.AddHardDate(ctx, b, "Her birthday", "1990-03-04", true, ""); err != nil {
		t.Fatal(err)
	}
	upcoming := func(u *mend.User) string {
		var s []string
		for _, d := range e.dashboard(t, u).Upcoming {
			s = append(s, fmt.Sprintf("%s:%d", d.Label, d.Days))
		}
		return strings.Join(s, ", ")
	}
	if got := upcoming(a); got != "Her birthday:0, The day it came to light:7" {
		t.Fatalf("a's dashboard: %q", got)
	}
	if got := upcoming(b); got != "Her birthday:1" { // 8 days before in Los Angeles
		t.Fatalf("b's dashboard: %q", got)
	}
	e.setNow(t, "2027-03-05T12:00:00Z")
	if got := upcoming(a); got != "The day it came to light:5" { // the birthday has passed
		t.Fatalf("a's dashboard two days on: %q", got)
	}
	if got := upcoming(b); got != "The day it came to light:6" {
		t.Fatalf("b's dashboard two days on: %q", got)
	}
	e.setNow(t, "2027-03-11T23:00:00Z") // 12 March in Auckland, 11 March in Los Angeles
	if got := upcoming(a); got != "" {
		t.Fatalf("a's dashboard after the day: %q", got)
	}
	if got := upcoming(b); got != "The day it came to light:0" {
		t.Fatalf("b's dashboard on the day: %q", got)
	}
	p, err := e.tr.HardDates(ctx, a)
	if err != nil || len(p.Dates) != 2 {
		t.Fatalf("a's hard dates page: %+v %v", p, err)
	}
	for _, d := range p.Dates {
		switch d.Label {
		case "The day it came to light":
			if d.Days != -1 || d.Yearly {
				t.Fatalf("passed one-off: %+v", d)
			}
		case "Her birthday":
			if d.Next.Format(time.DateOnly) != "2028-03-04" || d.CreatedBy != b.ID {
				t.Fatalf("birthday: %+v", d)
			}
		default:
			t.Fatalf("unexpected %+v", d)
		}
	}
	// Either partner removes one.
	for _, d := range p.Dates {
		if d.Label == "Her birthday" {
			if err := e.tr.RemoveHardDate(ctx, a, d.ID); err != nil {
				t.Fatal(err)
			}
			wantCode(t, e.tr.RemoveHardDate(ctx, b, d.ID), mend.NotFound, "removing it again")
		}
	}
	if n := count(t, e.db, `SELECT count(*) FROM hard_dates`); n != 1 {
		t.Fatalf("%d hard dates left", n)
	}
}

func TestTriggers_HardDateValidationAndFormKey(t *testing.T) {
	t.Parallel()
	e := newTriggers(t)
	ctx := context.Background()
	a, _, coupleID := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-03T12:00:00Z")
	for _, tc := range []struct{ label, date, field string }{
		{"", "2027-03-10", "label"},
		{"   ", "2027-03-10", "label"},
		{strings.Repeat("é", service.MaxHardLabel+1), "2027-03-10", "label"},
		{"Ok", "", "date"},
		{"Ok", "10/03/2027", "date"},
		{"Ok", "2027-02-30", "date"},
		{"Ok", "1899-12-31", "date"},
		{"Ok", "2201-01-01", "date"},
	} {
		fieldRefused(t, e.tr.AddHardDate(ctx, a, tc.label, tc.date, true, ""), tc.field, fmt.Sprintf("%q on %q", tc.label, tc.date))
	}
	if err := e.tr.AddHardDate(ctx, a, strings.Repeat("é", service.MaxHardLabel), "1900-01-01", true, ""); err != nil {
		t.Fatal(err)
	}
	key := service.NewFormKey()
	for range 2 {
		if err := e.tr.AddHardDate(ctx, a, "Twice", "2027-05-01", false, key); err != nil {
			t.Fatal(err)
		}
	}
	if n := count(t, e.db, `SELECT count(*) FROM hard_dates WHERE couple_id = $1`, coupleID); n != 2 {
		t.Fatalf("%d hard dates, want 2", n)
	}
}

// ---- Responses ----

func TestTriggers_OnlyTheOtherPartnerResponds(t *testing.T) {
	t.Parallel()
	e := newTriggers(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	c, _, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-10T12:00:00Z")
	in := quick("place", 7, mend.MyPartner, "")
	in.Need = "Hold my hand"
	shared := e.log(t, a, in)
	ther := e.log(t, a, quick("place", 7, mend.PartnerAndTherapist, ""))
	private := e.log(t, a, quick("place", 7, mend.JustMe, ""))

	wantCode(t, e.tr.Respond(ctx, a, shared, "here", "", ""), mend.NotFound, "the writer answering")
	wantCode(t, e.tr.Respond(ctx, b, private, "here", "", ""), mend.NotFound, "answering a private trigger")
	wantCode(t, e.tr.Respond(ctx, c, shared, "here", "", ""), mend.NotFound, "another couple answering")
	wantCode(t, e.tr.Respond(ctx, b, private+1000, "here", "", ""), mend.NotFound, "answering an unknown trigger")
	if err := e.tr.Respond(ctx, b, shared, "space", "", ""); err != nil {
		t.Fatal(err)
	}
	if err := e.tr.Respond(ctx, b, ther, "", "", "  Made tea  "); err != nil {
		t.Fatal(err)
	}
	if n := count(t, e.db, `SELECT count(*) FROM trigger_responses`); n != 2 {
		t.Fatalf("%d responses stored, want 2", n)
	}
	// The writer sees them, on the list and on the trigger.
	l := e.list(t, a, "")
	if rs := responses(t, l.Triggers, shared); len(rs) != 1 || rs[0].UserID != b.ID || rs[0].Choice != "space" || rs[0].Body != "" || rs[0].At.IsZero() {
		t.Fatalf("a sees %+v", rs)
	}
	if rs := responses(t, l.Triggers, ther); len(rs) != 1 || rs[0].Choice != "" || rs[0].Did != "Made tea" {
		t.Fatalf("a sees %+v", rs)
	}
	if rs := responses(t, l.Triggers, private); len(rs) != 0 {
		t.Fatalf("responses on a private trigger: %+v", rs)
	}
	if tr, err := e.tr.Trigger(ctx, a, shared); err != nil || len(tr.Responses) != 1 {
		t.Fatalf("a's trigger: %+v %v", tr, err)
	}
	// The responder sees their own, and the need.
	if tr, err := e.tr.Trigger(ctx, b, shared); err != nil || len(tr.Responses) != 1 || tr.Responses[0].UserID != b.ID || tr.Need != "Hold my hand" {
		t.Fatalf("b's view of the trigger: %+v %v", tr, err)
	}
}

func TestTriggers_RespondingAgainReplaces(t *testing.T) {
	t.Parallel()
	e := newTriggers(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-10T12:00:00Z")
	id := e.log(t, a, quick("person", 5, mend.MyPartner, ""))
	if err := e.tr.Respond(ctx, b, id, "here", "", ""); err != nil {
		t.Fatal(err)
	}
	if err := e.tr.Respond(ctx, b, id, "space", "I love you.", "Took the kids out"); err != nil {
		t.Fatal(err)
	}
	if n := count(t, e.db, `SELECT count(*) FROM trigger_responses WHERE trigger_id = $1`, id); n != 1 {
		t.Fatalf("%d responses, want 1", n)
	}
	rs := responses(t, e.list(t, a, "").Triggers, id)
	if len(rs) != 1 || rs[0].Choice != "space" || rs[0].Body != "I love you." || rs[0].Did != "Took the kids out" {
		t.Fatalf("a sees %+v", rs)
	}
	// Twenty answers at once still leave one.
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := e.tr.Respond(ctx, b, id, "", fmt.Sprint("words ", i), ""); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := count(t, e.db, `SELECT count(*) FROM trigger_responses WHERE trigger_id = $1`, id); n != 1 {
		t.Fatalf("%d responses after twenty at once, want 1", n)
	}
}

func TestTriggers_ResponseValidation(t *testing.T) {
	t.Parallel()
	e := newTriggers(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-10T12:00:00Z")
	id := e.log(t, a, quick("person", 5, mend.MyPartner, ""))
	long := strings.Repeat("é", service.MaxAck+1)
	for _, tc := range []struct{ choice, body, did, field string }{
		{"", "", "", "response"},
		{"", "   ", " \n ", "response"},
		{"hug", "", "", "response"},           // not one of the choices
		{"talk", "", "", "response"},          // retired until Mend has talk times
		{"talk", "At eight?", "", "response"}, // even with words
		{"", long, "", "response"},
		{"here", "", long, "did"},
	} {
		fieldRefused(t, e.tr.Respond(ctx, b, id, tc.choice, tc.body, tc.did), tc.field, fmt.Sprintf("%+v", tc))
	}
	if n := count(t, e.db, `SELECT count(*) FROM trigger_responses`); n != 0 {
		t.Fatalf("%d responses stored from refused answers", n)
	}
	for _, c := range mend.TriggerChoices {
		if err := e.tr.Respond(ctx, b, id, c.Value, "", ""); err != nil {
			t.Fatalf("choice %s: %v", c.Value, err)
		}
	}
	if err := e.tr.Respond(ctx, b, id, "", strings.Repeat("é", service.MaxAck), ""); err != nil {
		t.Fatal(err)
	}
}

func TestTriggers_AResponseFromAPartnerWhoLeftIsNoLongerShown(t *testing.T) {
	t.Parallel()
	e := newTriggers(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-10T12:00:00Z")
	id := e.log(t, a, quick("place", 6, mend.MyPartner, ""))
	bs := e.log(t, b, quick("media", 3, mend.MyPartner, ""))
	if err := e.tr.Respond(ctx, b, id, "here", "With you", ""); err != nil {
		t.Fatal(err)
	}
	if err := e.tr.Respond(ctx, a, bs, "space", "", ""); err != nil {
		t.Fatal(err)
	}
	if rs := responses(t, e.list(t, a, "").Triggers, id); len(rs) != 1 {
		t.Fatalf("before leaving: %+v", rs)
	}
	if err := e.c.Leave(ctx, b, goodPassword, client); err != nil {
		t.Fatal(err)
	}
	l := e.list(t, a, "")
	if !sameIDs(l.Triggers, id) || len(l.Triggers[0].Responses) != 0 {
		t.Fatalf("after b left, a lists %s", listing(l.Triggers))
	}
	if p := e.patterns(t, a, "", 4); p.Total != 1 {
		t.Fatalf("after b left, a's patterns count %d", p.Total)
	}
	if d := e.dashboard(t, a); len(d.Partners) != 0 {
		t.Fatalf("after b left, a's dashboard %v", ids(d.Partners))
	}
	// A new partner neither sees the old response nor a's earlier trigger.
	c := partnerIn(t, e.acc, "Cal", "UTC")
	e.clk.t = time.Now()
	accept(t, e.c, c, invite(t, e.c, a, mend.InvitePartner))
	e.setNow(t, "2027-03-10T13:00:00Z")
	if l := e.list(t, c, ""); len(l.Triggers) != 0 {
		t.Fatalf("the newcomer lists %s", listing(l.Triggers))
	}
	wantCode(t, e.tr.Respond(ctx, c, id, "here", "", ""), mend.NotFound, "the newcomer answering a trigger from before")
	if rs := responses(t, e.list(t, a, "").Triggers, id); len(rs) != 0 {
		t.Fatalf("with a new partner, a sees %+v", rs)
	}
}

// ---- Lists and the dashboard ----

func TestTriggers_ListPagesNewestFirstByWho(t *testing.T) {
	t.Parallel()
	e := newTriggers(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-10T12:00:00Z")
	var mine []int64
	for i := range 25 {
		mine = append(mine, e.log(t, a, quick("place", i%11, mend.MyPartner, fmt.Sprintf("2027-03-%02dT10:%02d", 1+i/3, i))))
	}
	theirs := e.log(t, b, quick("person", 1, mend.MyPartner, "2027-03-09T08:00"))
	e.log(t, b, quick("person", 1, mend.JustMe, "2027-03-09T09:00"))

	p := e.list(t, b, "partner")
	if p.Who != "partner" || len(p.Triggers) != service.TriggerPage || p.Triggers[0].ID != mine[24] || p.Triggers[19].ID != mine[5] {
		t.Fatalf("first page: %v", ids(p.Triggers))
	}
	if !strings.HasSuffix(p.Next, fmt.Sprintf("_%d", mine[5])) {
		t.Fatalf("next %q", p.Next)
	}
	p2, err := e.tr.List(ctx, b, "partner", p.Next)
	if err != nil || !sameIDs(p2.Triggers, mine[4], mine[3], mine[2], mine[1], mine[0]) || p2.Next != "" {
		t.Fatalf("second page: %v %v, next %v", ids(p2.Triggers), err, p2.Next)
	}
	if p := e.list(t, b, "me"); len(p.Triggers) != 2 || p.Next != "" {
		t.Fatalf("b's own: %v", ids(p.Triggers))
	}
	if p := e.list(t, a, "partner"); !sameIDs(p.Triggers, theirs) {
		t.Fatalf("a's list of b: %v", ids(p.Triggers))
	}
	if p := e.list(t, b, "nonsense"); p.Who != "" || len(p.Triggers) != service.TriggerPage || p.Triggers[0].ID != mine[24] {
		t.Fatalf("unknown who: %q %v", p.Who, ids(p.Triggers))
	}
	if p.Today.Format(time.DateOnly) != "2027-03-10" {
		t.Fatalf("today %v", p.Today)
	}
}

func TestTriggers_DashboardShowsThePartnersLatestThreeOfTheWeek(t *testing.T) {
	t.Parallel()
	e := newTriggers(t)
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-10T12:00:00Z")
	old := e.log(t, a, quick("place", 1, mend.MyPartner, "2027-03-03T11:59"))
	if d := e.dashboard(t, b); len(d.Partners) != 0 {
		t.Fatalf("a trigger older than a week shows: %v", ids(d.Partners))
	}
	t1 := e.log(t, a, quick("place", 2, mend.MyPartner, "2027-03-03T12:01"))
	if d := e.dashboard(t, b); !sameIDs(d.Partners, t1) {
		t.Fatalf("dashboard %v, want [%d]", ids(d.Partners), t1)
	}
	t2 := e.log(t, a, quick("place", 3, mend.PartnerAndTherapist, "2027-03-05T12:00"))
	t3 := e.log(t, a, quick("place", 4, mend.MyPartner, "2027-03-08T12:00"))
	t4 := e.log(t, a, quick("place", 5, mend.MyPartner, "2027-03-09T12:00"))
	e.log(t, a, quick("place", 6, mend.JustMe, "2027-03-10T11:00"))
	e.log(t, b, quick("place", 7, mend.MyPartner, "2027-03-10T11:30"))
	if d := e.dashboard(t, b); !sameIDs(d.Partners, t4, t3, t2) {
		t.Fatalf("dashboard %v, want [%d %d %d]", ids(d.Partners), t4, t3, t2)
	}
	if d := e.dashboard(t, a); len(d.Partners) != 1 || d.Partners[0].UserID != b.ID {
		t.Fatalf("a's dashboard %v", ids(d.Partners))
	}
	_ = old
}

// ---- Patterns arithmetic ----

func TestTriggers_SeriesHasEveryWeekFromMonday(t *testing.T) {
	t.Parallel()
	e := newTriggers(t)
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-06-16T12:00:00Z") // a Wednesday; the week began on Monday 14 June
	e.log(t, a, quick("place", 2, mend.MyPartner, "2027-06-14T00:00"))
	e.log(t, a, quick("place", 6, mend.MyPartner, "2027-06-16T11:00"))
	e.log(t, a, quick("person", 7, mend.MyPartner, "2027-06-13T23:59")) // Sunday: the week before
	e.log(t, a, quick("date", 9, mend.MyPartner, "2027-05-31T08:00"))
	e.log(t, a, quick("date", 1, mend.MyPartner, "2027-05-24T08:00"))  // first day of 4 weeks
	e.log(t, a, quick("date", 1, mend.MyPartner, "2027-05-23T08:00"))  // before them
	e.log(t, a, quick("other", 4, mend.MyPartner, "2026-06-22T08:00")) // first day of 52 weeks
	e.log(t, a, quick("other", 4, mend.MyPartner, "2026-06-21T08:00")) // before them

	for _, tc := range []struct {
		weeks  int
		from   string
		counts string
		total  int
		avg    float64
	}{
		{4, "2027-05-24", "[1 1 1 2]", 5, 25.0 / 5},
		{12, "2027-03-29", "[0 0 0 0 0 0 0 1 1 1 1 2]", 6, 26.0 / 6},
		{52, "2026-06-22", "", 7, 30.0 / 7},
		{5, "2027-05-24", "[1 1 1 2]", 5, 25.0 / 5}, // not a period: 4 weeks
	} {
		for _, p := range []*service.PatternsPage{e.patterns(t, b, "partner", tc.weeks), e.patterns(t, a, "", tc.weeks)} {
			want := tc.weeks
			if want == 5 {
				want = 4
			}
			if p.Weeks != want || len(p.Series) != want || p.From.Format(time.DateOnly) != tc.from || p.To.Format(time.DateOnly) != "2027-06-20" {
				t.Fatalf("%d weeks: %s", tc.weeks, summary(p))
			}
			var counts []int
			for i, w := range p.Series {
				if !w.Week.Equal(p.From.AddDate(0, 0, 7*i)) || w.Week.Weekday() != time.Monday {
					t.Fatalf("%d weeks: week %d is %v", tc.weeks, i, w.Week)
				}
				counts = append(counts, w.Count)
			}
			if tc.counts != "" && fmt.Sprint(counts) != tc.counts {
				t.Fatalf("%d weeks: counts %v, want %s", tc.weeks, counts, tc.counts)
			}
			if p.Total != tc.total || !sameFloat(p.Average, tc.avg) {
				t.Fatalf("%d weeks: total %d average %v, want %d %v", tc.weeks, p.Total, p.Average, tc.total, tc.avg)
			}
		}
	}
	p := e.patterns(t, b, "partner", 4)
	last := p.Series[3]
	if last.Count != 2 || !sameFloat(last.Intensity, 4) || p.Series[2].Intensity != 7 {
		t.Fatalf("series %v", p.Series)
	}
	p52 := e.patterns(t, b, "partner", 52)
	if p52.Series[0].Count != 1 || p52.Series[51].Count != 2 || p52.Series[1].Count != 0 {
		t.Fatalf("52 weeks: %v", p52.Series)
	}
	if p := e.patterns(t, b, "me", 52); p.Total != 0 || !math.IsNaN(p.Average) || len(p.Series) != 52 || p.HeatMax != 0 {
		t.Fatalf("b's own, none: %s", summary(p))
	}
}

func TestTriggers_CategoryCountsAndHeatTotals(t *testing.T) {
	t.Parallel()
	e := newTriggers(t)
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-06-16T12:00:00Z")
	for i, c := range []string{"place", "person", "place", "media", "person", "place", "other"} {
		e.log(t, a, quick(c, 5, mend.MyPartner, fmt.Sprintf("2027-06-%02dT%02d:00", 8+i, i*3)))
	}
	p := e.patterns(t, b, "", 4)
	if fmt.Sprint(p.Cats) != "[{place 3} {person 2} {media 1} {other 1}]" {
		t.Fatalf("categories %v", p.Cats)
	}
	sum := 0
	for _, row := range p.Heat {
		for _, n := range row {
			sum += n
		}
	}
	if sum != p.Total || p.Total != 7 {
		t.Fatalf("heat sums to %d, total %d", sum, p.Total)
	}
	// 8 June is a Tuesday: hours 0, 3, 6, 9, 12, 15, 18 on the days after.
	var heat [7][4]int
	heat[1][0], heat[2][0], heat[3][1], heat[4][1], heat[5][2], heat[6][2], heat[0][3] = 1, 1, 1, 1, 1, 1, 1
	if p.Heat != heat {
		t.Fatalf("heat %v, want %v", p.Heat, heat)
	}
}

func TestTriggers_WordsLeaveOutStopWordsAndShortWords(t *testing.T) {
	t.Parallel()
	e := newTriggers(t)
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-06-16T12:00:00Z")
	for _, h := range []string{
		"Walking. Walking with the dog, and it's a long WALK!",
		"A walk; tea & a hug from him — it's what I'm given",
		"We talked: we really talked about it, calmly.",
		"Tea, tea, tea. Oh ok no go",
		"alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo",
		"Café crème",
	} {
		e.log(t, a, helped(quick("place", 5, mend.MyPartner, "2027-06-15T10:00"), h))
	}
	p := e.patterns(t, b, "partner", 4)
	want := "[{tea 4} {talked 2} {walk 2} {walking 2} {alpha 1} {bravo 1} {café 1} {calmly 1} {charlie 1} {crème 1}]"
	if got := fmt.Sprint(p.Words); got != want {
		t.Fatalf("words %s\nwant  %s", got, want)
	}
	for _, w := range p.Words {
		if len([]rune(w.Key)) <= 2 {
			t.Fatalf("short word %q counted", w.Key)
		}
	}
}

func TestTriggers_ReadingComparesTheLastFourWeeksWithTheFourBefore(t *testing.T) {
	t.Parallel()
	e := newTriggers(t)
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	// The last 4 weeks run to today, Wednesday 16 June: 20 May to 16 June;
	// the 4 before them 22 April to 19 May.
	e.setNow(t, "2027-06-16T12:00:00Z")
	if got := e.patterns(t, b, "partner", 4).Reading; fmt.Sprint(got) != "[No triggers logged in the last 8 weeks.]" {
		t.Fatalf("reading with none: %q", got)
	}
	for _, when := range []string{"2027-04-22T00:00", "2027-05-05T08:00", "2027-05-19T23:59"} {
		e.log(t, a, quick("place", 4, mend.MyPartner, when))
	}
	e.log(t, a, quick("place", 10, mend.MyPartner, "2027-04-21T23:59")) // older than 8 weeks
	e.log(t, a, quick("place", 8, mend.MyPartner, "2027-05-20T00:00"))
	e.log(t, a, quick("place", 8, mend.MyPartner, "2027-06-16T08:00"))
	want := []string{"Fewer triggers than the 4 weeks before (2, was 3).", "More intense this month: 8.0 on average, was 4.0."}
	if got := e.patterns(t, b, "partner", 4).Reading; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("reading %q, want %q", got, want)
	}
	// The reading is the same whatever the period shown.
	if got := e.patterns(t, b, "partner", 52).Reading; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("52-week reading %q", got)
	}
	e.log(t, a, quick("place", 0, mend.MyPartner, "2027-06-01T08:00"))
	e.log(t, a, quick("place", 0, mend.MyPartner, "2027-06-02T08:00"))
	want = []string{"More triggers than the 4 weeks before (4, was 3).", "About as intense as before: 4.0 on average."}
	if got := e.patterns(t, b, "partner", 4).Reading; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("reading %q, want %q", got, want)
	}
	e.log(t, a, quick("place", 0, mend.MyPartner, "2027-06-03T08:00"))
	e.log(t, a, quick("place", 0, mend.MyPartner, "2027-06-04T08:00"))
	want = []string{"More triggers than the 4 weeks before (6, was 3).", "Less intense this month: 2.7 on average, was 4.0."}
	if got := e.patterns(t, b, "partner", 4).Reading; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("reading %q, want %q", got, want)
	}
	// A day on, 20 May moves to the 4 weeks before and 22 April leaves them.
	e.setNow(t, "2027-06-17T12:00:00Z")
	want = []string{"More triggers than the 4 weeks before (5, was 3).", "Less intense this month: 1.6 on average, was 5.3."}
	if got := e.patterns(t, b, "partner", 4).Reading; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("a day on, reading %q, want %q", got, want)
	}
	// b's own reading counts nothing of a's.
	if got := e.patterns(t, b, "me", 4).Reading; fmt.Sprint(got) != "[No triggers logged in the last 8 weeks.]" {
		t.Fatalf("b's own reading %q", got)
	}
}

func TestTriggers_ReadingArithmetic(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		recent   int
		ri       float64
		before   int
		bi       float64
		want     string
		contains string
	}{
		{0, 0, 0, 0, "No triggers logged in the last 8 weeks.", ""},
		{0, 0, 3, 5, "Fewer triggers than the 4 weeks before (0, was 3).", ""},
		{3, 5, 0, 0, "More triggers than the 4 weeks before (3, was 0).", ""},
		{2, 5, 2, 5, "As many triggers as the 4 weeks before (2).", "About as intense as before: 5.0 on average."},
		{2, 5.5, 2, 5, "As many triggers as the 4 weeks before (2).", "More intense this month: 5.5 on average, was 5.0."},
		{2, 5.49, 2, 5, "As many triggers as the 4 weeks before (2).", "About as intense as before"},
		{1, 4.5, 5, 5, "Fewer triggers than the 4 weeks before (1, was 5).", "Less intense this month: 4.5 on average, was 5.0."},
		{5, 4.6, 1, 5, "More triggers than the 4 weeks before (5, was 1).", "About as intense as before: 4.6 on average."},
	} {
		got := service.Reading(tc.recent, tc.ri, tc.before, tc.bi)
		if len(got) == 0 || got[0] != tc.want || (tc.contains == "") != (len(got) == 1) || (tc.contains != "" && !strings.HasPrefix(got[1], tc.contains)) {
			t.Errorf("Reading(%d, %v, %d, %v) = %q", tc.recent, tc.ri, tc.before, tc.bi, got)
		}
		for _, s := range got {
			for _, judging := range []string{"bad", "good", "better", "worse", "fault", "should"} {
				if strings.Contains(strings.ToLower(s), judging) {
					t.Errorf("a judgemental reading: %q", s)
				}
			}
		}
	}
}

func TestTriggers_PagingKeepsTriggersOfTheSameMinute(t *testing.T) {
	t.Parallel()
	e := newTriggers(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-10T12:00:00Z")
	var logged []int64
	for range service.TriggerPage + 3 {
		logged = append(logged, e.log(t, a, quick("place", 5, mend.MyPartner, "2027-03-09T10:00")))
	}
	seen := map[int64]bool{}
	next, pages := "", 0
	for {
		p, err := e.tr.List(ctx, b, "", next)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, tr := range p.Triggers {
			if seen[tr.ID] {
				t.Fatalf("trigger %d listed twice", tr.ID)
			}
			seen[tr.ID] = true
		}
		if next = p.Next; next == "" || pages > 3 {
			break
		}
	}
	if len(seen) != len(logged) || pages != 2 {
		t.Fatalf("%d of %d triggers listed in %d pages", len(seen), len(logged), pages)
	}
	// A cursor that does not parse starts from the newest.
	for _, bad := range []string{"yesterday", "2027-03-09T10:00:00Z", "_5", "2027-03-09T10:00:00Z_x"} {
		if p, err := e.tr.List(ctx, b, "", bad); err != nil || len(p.Triggers) != service.TriggerPage || p.Triggers[0].ID != logged[len(logged)-1] {
			t.Fatalf("before %q: %v %v", bad, ids(p.Triggers), err)
		}
	}
}

func TestTriggers_EditKeepsTheTimeUnlessChanged(t *testing.T) {
	t.Parallel()
	e := newTriggers(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "Europe/Berlin", "UTC")
	e.setNow(t, "2027-03-01T12:00:00Z")
	id := e.log(t, a, quick("place", 5, mend.MyPartner, "2026-03-05T10:00"))
	occurred := func() mend.Trigger {
		tr, err := e.tr.Trigger(ctx, a, id)
		if err != nil {
			t.Fatal(err)
		}
		return *tr
	}
	first := occurred()
	// Three months on the trigger is older than a year; it can still be
	// made private, with the form showing its time, and changed again with
	// no time.
	e.setNow(t, "2027-06-01T12:00:00Z")
	for i, when := range []string{"2026-03-05T10:00", ""} {
		if err := e.tr.Edit(ctx, a, id, quick("place", 5+i, mend.JustMe, when)); err != nil {
			t.Fatalf("edit with when %q: %v", when, err)
		}
		if got := occurred(); !got.OccurredAt.Equal(first.OccurredAt) || !got.LocalDay.Equal(first.LocalDay) || got.LocalHour != 10 || got.Visibility != mend.JustMe {
			t.Fatalf("edit with when %q moved it: %+v", when, got)
		}
	}
	// Another time is judged like a new one.
	fieldRefused(t, e.tr.Edit(ctx, a, id, quick("place", 5, mend.JustMe, "2026-03-05T11:00")), "when", "another time older than a year")
	if err := e.tr.Edit(ctx, a, id, quick("place", 5, mend.MyPartner, "2027-05-31T22:30")); err != nil {
		t.Fatal(err)
	}
	if got := occurred(); got.OccurredAt.UTC().Format(time.RFC3339) != "2027-05-31T20:30:00Z" || got.LocalWeekday != 0 || got.LocalHour != 22 {
		t.Fatalf("moved: %+v", got)
	}
	if n := count(t, e.db, `SELECT count(*) FROM trigger_versions WHERE trigger_id = $1`, id); n != 3 {
		t.Fatalf("%d versions, want 3", n)
	}
	wantCode(t, e.tr.Edit(ctx, b, id, quick("place", 5, mend.MyPartner, "")), mend.NotFound, "the partner editing")
}

func TestTriggers_RejoiningShowsNothingOfTheEarlierPair(t *testing.T) {
	t.Parallel()
	e := newTriggers(t)
	ctx := context.Background()
	a, b, coupleID := e.pairIn(t, "UTC", "UTC")
	th := newTherapist(t, e.acc, "Tess", "Tess Lee")
	link(t, e.c, a, th)
	for _, u := range []*mend.User{a, b} {
		if _, err := e.c.SetDefaults(ctx, u, map[string]bool{mend.KindTriggers: true}); err != nil {
			t.Fatal(err)
		}
	}
	e.setNow(t, "2027-03-10T12:00:00Z")
	aOld := e.log(t, a, quick("place", 5, mend.PartnerAndTherapist, ""))
	bOld := e.log(t, b, quick("person", 5, mend.PartnerAndTherapist, ""))
	if err := e.tr.Respond(ctx, b, aOld, "here", "", ""); err != nil {
		t.Fatal(err)
	}
	if p := e.therapistView(t, th, coupleID, 4); len(p.Triggers) != 2 {
		t.Fatalf("therapist before: %v", ids(p.Triggers))
	}
	if err := e.c.Leave(ctx, b, goodPassword, client); err != nil {
		t.Fatal(err)
	}
	e.clk.t = time.Now()
	accept(t, e.c, b, invite(t, e.c, a, mend.InvitePartner))
	link(t, e.c, a, th)
	for _, u := range []*mend.User{a, b} {
		if _, err := e.c.SetDefaults(ctx, u, map[string]bool{mend.KindTriggers: true}); err != nil {
			t.Fatal(err)
		}
	}
	e.setNow(t, "2027-03-10T13:00:00Z")
	if l := e.list(t, a, "partner"); len(l.Triggers) != 0 {
		t.Fatalf("a sees b's triggers of the earlier pair: %v", ids(l.Triggers))
	}
	if l := e.list(t, b, "partner"); len(l.Triggers) != 0 {
		t.Fatalf("b sees a's triggers of the earlier pair: %v", ids(l.Triggers))
	}
	if rs := responses(t, e.list(t, a, "me").Triggers, aOld); len(rs) != 0 {
		t.Fatalf("a sees the earlier pair's response: %+v", rs)
	}
	if p := e.patterns(t, a, "partner", 4); p.Total != 0 {
		t.Fatalf("a's patterns of b: %s", summary(p))
	}
	wantCode(t, e.tr.Respond(ctx, b, aOld, "here", "", ""), mend.NotFound, "answering a trigger of the earlier pair")
	if p := e.therapistView(t, th, coupleID, 4); len(p.Triggers) != 0 || p.Patterns.Total != 0 {
		t.Fatalf("the therapist sees the earlier pair's: %v", ids(p.Triggers))
	}
	// What each writes now shows as before.
	aNew := e.log(t, a, quick("place", 5, mend.PartnerAndTherapist, ""))
	bNew := e.log(t, b, quick("place", 5, mend.PartnerAndTherapist, ""))
	// (A writer keeps their own, as with check-ins.)
	if l := e.list(t, b, ""); !sameIDs(l.Triggers, bNew, aNew, bOld) {
		t.Fatalf("b lists %v, want [%d %d %d]", ids(l.Triggers), bNew, aNew, bOld)
	}
	if p := e.therapistView(t, th, coupleID, 4); !sameIDs(p.Triggers, bNew, aNew) {
		t.Fatalf("the therapist sees %v", ids(p.Triggers))
	}
}

func TestTriggers_HardDatesAddedBeforeThePartnerJoinedStay(t *testing.T) {
	t.Parallel()
	e := newTriggers(t)
	ctx := context.Background()
	a := partnerIn(t, e.acc, "Ada", "UTC")
	b := partnerIn(t, e.acc, "Ben", "UTC")
	c := partnerIn(t, e.acc, "Cal", "UTC")
	start(t, e.c, a, service.StartInput{CameToLight: "2026-03-12"})
	if err := e.tr.AddHardDate(ctx, a, "The day it came to light", "2026-03-12", true, ""); err != nil {
		t.Fatal(err)
	}
	accept(t, e.c, b, invite(t, e.c, a, mend.InvitePartner))
	e.setNow(t, "2027-03-10T12:00:00Z")
	for _, u := range []*mend.User{a, b} {
		if d := e.dashboard(t, u); len(d.Upcoming) != 1 || d.Upcoming[0].Days != 2 {
			t.Fatalf("%s's dashboard: %+v", u.Name, d.Upcoming)
		}
	}
	if p, err := e.tr.HardDates(ctx, a); err != nil || len(p.Dates) != 1 || p.CameToLight != nil {
		t.Fatalf("a's page once added: %+v %v", p, err)
	}
	// Once b has left, the dates of that pair go.
	if err := e.c.Leave(ctx, b, goodPassword, client); err != nil {
		t.Fatal(err)
	}
	if d := e.dashboard(t, a); len(d.Upcoming) != 0 {
		t.Fatalf("after b left: %+v", d.Upcoming)
	}
	e.clk.t = time.Now()
	accept(t, e.c, c, invite(t, e.c, a, mend.InvitePartner))
	e.setNow(t, "2027-03-10T12:00:00Z")
	if d := e.dashboard(t, c); len(d.Upcoming) != 0 {
		t.Fatalf("the newcomer sees the earlier pair's dates: %+v", d.Upcoming)
	}
}

func TestTriggers_TopWords(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		texts []string
		n     int
		want  string
	}{
		{nil, 10, "[]"},
		{[]string{"Tea. TEA, tea!", "a walk, the walk; it's fine", "'Quoted' words don't count quotes"}, 10, "[{tea 3} {walk 2} {count 1} {don't 1} {fine 1} {quoted 1} {quotes 1} {words 1}]"},
		{[]string{"Ça va, café crème — 咖啡 咖啡咖啡", "go to a zoo"}, 10, "[{café 1} {crème 1} {zoo 1} {咖啡咖啡 1}]"},
		{[]string{"one two three four five six seven eight nine ten eleven twelve three"}, 3, "[{three 2} {eight 1} {eleven 1}]"},
	} {
		if got := fmt.Sprint(service.TopWords(tc.texts, tc.n)); got != tc.want {
			t.Errorf("TopWords(%q, %d) = %s, want %s", tc.texts, tc.n, got, tc.want)
		}
	}
}
