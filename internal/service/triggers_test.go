package service_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
)

// The service clock is set freely below (to instants in 2027 and later);
// the era rules (who joined when) compare the database's own timestamps,
// which follow the real order of the calls.

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
	long := strings.Repeat("é", mend.MaxTriggerText+1)
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
	max := strings.Repeat("é", mend.MaxTriggerText)
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
	if err != nil || id != first {
		t.Fatalf("second send: id %d, %v; want the first's, %d", id, err, first)
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
			mu.Lock()
			logged = append(logged, id)
			mu.Unlock()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("a send failed: %v", err)
	}
	// Each send reports the one trigger, so each lands on it.
	if slices.Sort(logged); len(logged) != 20 || logged[0] == 0 || logged[0] != logged[19] {
		t.Fatalf("the 20 sends report %v, want the one trigger's id each time", logged)
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
	if err := errOf(e.tr.Edit(ctx, a, id, in2)); err != nil {
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
	if err := errOf(e.tr.Edit(ctx, a, id, in3)); err != nil {
		t.Fatal(err)
	}
	if vs := versions(); fmt.Sprint(vs) != fmt.Sprint([]version{{"place", "", "partner", 7}, {"person", "Calling my sister", "therapist", 4}}) {
		t.Fatalf("versions after two edits: %+v", vs)
	}

	// Only the writer edits: the partner who sees it finds nothing to edit.
	wantCode(t, errOf(e.tr.Edit(ctx, b, id, quick("other", 1, mend.MyPartner, ""))), mend.NotFound, "the partner editing")
	wantCode(t, errOf(e.tr.Edit(ctx, a, id+1000, in3)), mend.NotFound, "editing an unknown trigger")
	bid := e.log(t, b, quick("date", 5, mend.MyPartner, ""))
	wantCode(t, errOf(e.tr.Edit(ctx, a, bid, in3)), mend.NotFound, "editing the partner's trigger")
	// A refused edit changes nothing and keeps no version.
	in3.Intensity = "12"
	fieldRefused(t, errOf(e.tr.Edit(ctx, a, id, in3)), "intensity", "an edit to 12")
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
			for _, w := range mend.TrendWeeks {
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
	if strings.Contains(strings.ToLower(strings.Join(after.pats, " ")), "zebrafish") || strings.Contains(after.lists, "Zebrafish") {
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
	if mine.Words[0] != (mend.Count{Key: "Zebrafish lanterns, zebrafish origami and marmalade", Count: 5}) {
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
	if err := errOf(e.tr.Edit(ctx, a, shared, helped(quick("place", 6, mend.JustMe, "2027-06-18T09:00"), "Walking by the river together"))); err != nil {
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
	if err := errOf(e.tr.Edit(ctx, a, shared, helped(quick("place", 6, mend.MyPartner, "2027-06-18T09:00"), "Walking by the river together"))); err != nil {
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
	if p.Patterns.Total != 1 || fmt.Sprint(p.Patterns.Cats) != "[{place 1}]" || fmt.Sprint(p.Patterns.Words) != "[{Grounding exercise 1}]" ||
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
	_, err = e.tr.ForTherapist(ctx, other, coupleID, 4, "", "")
	wantCode(t, err, mend.NotFound, "an unlinked therapist")
	_, err = e.tr.ForTherapist(ctx, a, coupleID, 4, "", "")
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
	for _, w := range mend.TrendWeeks {
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
	if err := errOf(e.tr.Edit(ctx, a, early, quick("place", 9, mend.MyPartner, "2027-03-10T12:00"))); err != nil {
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
		wantCode(t, errOf(e.tr.Edit(ctx, u, id, quick("other", 1, mend.JustMe, ""))), mend.NotFound, u.Name+" editing another couple's trigger")
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
	long := strings.Repeat("é", mend.MaxAck+1)
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
	if err := e.tr.Respond(ctx, b, id, "", strings.Repeat("é", mend.MaxAck), ""); err != nil {
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
	if p.Who != "partner" || len(p.Triggers) != mend.TriggerPage || p.Triggers[0].ID != mine[24] || p.Triggers[19].ID != mine[5] {
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
	if p := e.list(t, b, "nonsense"); p.Who != "" || len(p.Triggers) != mend.TriggerPage || p.Triggers[0].ID != mine[24] {
		t.Fatalf("unknown who: %q %v", p.Who, ids(p.Triggers))
	}
	if p.Today.Format(time.DateOnly) != "2027-03-10" {
		t.Fatalf("today %v", p.Today)
	}
}

func TestTriggers_DashboardShowsThePartnersLatestThreeOfTheDay(t *testing.T) {
	t.Parallel()
	e := newTriggers(t)
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-10T12:00:00Z")
	old := e.log(t, a, quick("place", 1, mend.MyPartner, "2027-03-09T11:59"))
	if d := e.dashboard(t, b); len(d.Partners) != 0 {
		t.Fatalf("a trigger older than a day shows: %v", ids(d.Partners))
	}
	t1 := e.log(t, a, quick("place", 2, mend.MyPartner, "2027-03-09T12:01"))
	if d := e.dashboard(t, b); !sameIDs(d.Partners, t1) {
		t.Fatalf("dashboard %v, want [%d]", ids(d.Partners), t1)
	}
	t2 := e.log(t, a, quick("place", 3, mend.PartnerAndTherapist, "2027-03-09T18:00"))
	t3 := e.log(t, a, quick("place", 4, mend.MyPartner, "2027-03-10T08:00"))
	t4 := e.log(t, a, quick("place", 5, mend.MyPartner, "2027-03-10T10:00"))
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

// ---- Paging, edits and eras ----

func TestTriggers_PagingKeepsTriggersOfTheSameMinute(t *testing.T) {
	t.Parallel()
	e := newTriggers(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-10T12:00:00Z")
	var logged []int64
	for range mend.TriggerPage + 3 {
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
		if p, err := e.tr.List(ctx, b, "", bad); err != nil || len(p.Triggers) != mend.TriggerPage || p.Triggers[0].ID != logged[len(logged)-1] {
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
		if err := errOf(e.tr.Edit(ctx, a, id, quick("place", 5+i, mend.JustMe, when))); err != nil {
			t.Fatalf("edit with when %q: %v", when, err)
		}
		if got := occurred(); !got.OccurredAt.Equal(first.OccurredAt) || !got.LocalDay.Equal(first.LocalDay) || got.LocalHour != 10 || got.Visibility != mend.JustMe {
			t.Fatalf("edit with when %q moved it: %+v", when, got)
		}
	}
	// Another time is judged like a new one.
	fieldRefused(t, errOf(e.tr.Edit(ctx, a, id, quick("place", 5, mend.JustMe, "2026-03-05T11:00"))), "when", "another time older than a year")
	if err := errOf(e.tr.Edit(ctx, a, id, quick("place", 5, mend.MyPartner, "2027-05-31T22:30"))); err != nil {
		t.Fatal(err)
	}
	if got := occurred(); got.OccurredAt.UTC().Format(time.RFC3339) != "2027-05-31T20:30:00Z" || got.LocalWeekday != 0 || got.LocalHour != 22 {
		t.Fatalf("moved: %+v", got)
	}
	if n := count(t, e.db, `SELECT count(*) FROM trigger_versions WHERE trigger_id = $1`, id); n != 3 {
		t.Fatalf("%d versions, want 3", n)
	}
	wantCode(t, errOf(e.tr.Edit(ctx, b, id, quick("place", 5, mend.MyPartner, ""))), mend.NotFound, "the partner editing")
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
