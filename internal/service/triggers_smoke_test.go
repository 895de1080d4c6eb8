package service_test

import (
	"context"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
)

func TestTriggers_Smoke(t *testing.T) {
	t.Parallel()
	c, acc, db, clk := newCouples(t)
	clk.t = time.Date(2027, 3, 1, 10, 0, 0, 0, time.UTC)
	s := service.NewTriggers(db, c)
	s.Now = clk.now
	ctx := context.Background()
	ana, ben, _ := pair(t, c, acc, "Ana", "Ben")
	id, err := s.Log(ctx, ana, service.TriggerInput{Category: "place", Intensity: "7", Helped: "A walk together by the river", Visibility: "partner"})
	if err != nil || id == 0 {
		t.Fatal(id, err)
	}
	if err := s.Respond(ctx, ben, id, "here", "", ""); err != nil {
		t.Fatal(err)
	}
	l, err := s.List(ctx, ana, "", "")
	if err != nil || len(l.Triggers) != 1 || len(l.Triggers[0].Responses) != 1 {
		t.Fatalf("%+v %v", l, err)
	}
	p, err := s.Patterns(ctx, ben, "partner", 4)
	if err != nil || p.Total != 1 || len(p.Words) == 0 {
		t.Fatalf("%+v %v", p, err)
	}
	if err := s.AddHardDate(ctx, ana, "The day", "2026-03-05", true, ""); err != nil {
		t.Fatal(err)
	}
	d, err := s.Dashboard(ctx, ben, mustSpace(t, c, ben))
	if err != nil || len(d.Upcoming) != 1 || len(d.Partners) != 1 {
		t.Fatalf("%+v %v", d, err)
	}
	t.Logf("%+v %v", p.Words, p.Reading)
}

func mustSpace(t *testing.T, c *service.Couples, u *mend.User) *mend.Space {
	t.Helper()
	sp, err := c.Space(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	return sp
}
