package service_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
)

// TestToday_PageShowsWhatEachPartShows reads Today in one go and compares
// it with each part read on its own: the same check-ins, commitments,
// triggers, hard dates and safety offer, for each partner.
func TestToday_PageShowsWhatEachPartShows(t *testing.T) {
	t.Parallel()
	e := newSpaceEnv(t, "Ada", "Ben")
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "Pacific/Auckland")
	ci, co, tr, sa := service.NewCheckins(e.db, e.c), service.NewCommitments(e.db, e.c), service.NewTriggers(e.db, e.c), service.NewSafety(e.db, e.c)
	ci.Now, co.Now, tr.Now, sa.Now = e.clk.now, e.clk.now, e.clk.now, e.clk.now
	today := &service.Today{Store: e.db, Couples: e.c, Checkins: ci, Commitments: co, Triggers: tr, Safety: sa}
	e.setNow(t, "2027-03-10T09:00:00Z")

	if _, err := ci.Save(ctx, a, entry("", 3, mend.MyPartner)); err != nil {
		t.Fatal(err)
	}
	if _, err := ci.Save(ctx, b, entry("", 4, mend.JustMe)); err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Log(ctx, b, quick("place", 6, mend.MyPartner, "")); err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Log(ctx, a, quick("person", 2, mend.MyPartner, "")); err != nil {
		t.Fatal(err)
	}
	if err := tr.AddHardDate(ctx, a, "The day it came out", "2027-03-14", false, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := co.Propose(ctx, a, promise("I call if I am late", "2027-04-29")); err != nil {
		t.Fatal(err)
	}
	if err := sa.Dismiss(ctx, b); err != nil {
		t.Fatal(err)
	}

	for _, u := range []*mend.User{a, b} {
		p, err := today.Page(ctx, u)
		if err != nil {
			t.Fatalf("%s's Today: %v", u.Name, err)
		}
		sp := space(t, e.c, u)
		if !reflect.DeepEqual(p.Space, sp) {
			t.Errorf("%s's Today space = %+v, want %+v", u.Name, p.Space, sp)
		}
		checkins, err := ci.Dashboard(ctx, u, sp)
		if err != nil {
			t.Fatal(err)
		}
		commitments, err := co.Dashboard(ctx, u, sp)
		if err != nil {
			t.Fatal(err)
		}
		triggers, err := tr.Dashboard(ctx, u, sp)
		if err != nil {
			t.Fatal(err)
		}
		due, err := sa.OfferDue(ctx, u, sp)
		if err != nil {
			t.Fatal(err)
		}
		if dump(p.Checkins) != dump(checkins) {
			t.Errorf("%s's Today check-ins = %+v, want %+v", u.Name, p.Checkins, checkins)
		}
		if dump(p.Commitments) != dump(commitments) {
			t.Errorf("%s's Today commitments = %+v, want %+v", u.Name, p.Commitments, commitments)
		}
		if dump(p.Triggers) != dump(triggers) {
			t.Errorf("%s's Today triggers = %+v, want %+v", u.Name, p.Triggers, triggers)
		}
		if p.SafetyDue != due || due != (u == a) {
			t.Errorf("%s's Today offers the safety check: %v, its part says %v", u.Name, p.SafetyDue, due)
		}
		if len(p.Triggers.Partners) != 1 || p.Triggers.Partners[0].UserID == u.ID || len(p.Triggers.Upcoming) != 1 {
			t.Errorf("%s's Today triggers = %+v", u.Name, p.Triggers)
		}
	}
	// A partner's private check-in stays theirs on Today too.
	if p, err := today.Page(ctx, a); err != nil || p.Checkins.Partners != nil {
		t.Fatalf("Ada's Today shows Ben's private check-in: %+v (%v)", p.Checkins.Partners, err)
	}

	lone := partnerIn(t, e.acc, "Cy", "UTC")
	th := newTherapist(t, e.acc, "Tess", "Tess Lee")
	for _, u := range []*mend.User{lone, th} {
		if _, err := today.Page(ctx, u); !errors.Is(err, service.ErrNoSpace) {
			t.Errorf("%s's Today: %v, want ErrNoSpace", u.Name, err)
		}
	}
}

// dump prints v with the values pointers point to, so that two results read
// separately compare equal when they say the same (NaN included).
func dump(v any) string { return dumpValue(reflect.ValueOf(v)) }

func dumpValue(v reflect.Value) string {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return "nil"
		}
		return "&" + dumpValue(v.Elem())
	case reflect.Struct:
		if v.Type().PkgPath() != "" && v.Type().Name() == "Time" {
			return fmt.Sprint(v.Interface())
		}
		s := v.Type().Name() + "{"
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				s += v.Type().Field(i).Name + ":" + dumpValue(v.Field(i)) + " "
			}
		}
		return s + "}"
	case reflect.Slice, reflect.Array:
		s := "["
		for i := range v.Len() {
			s += dumpValue(v.Index(i)) + " "
		}
		return s + "]"
	case reflect.Map:
		return fmt.Sprint(v.Interface())
	}
	return fmt.Sprint(v.Interface())
}
