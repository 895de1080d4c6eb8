package service_test

import (
	"context"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
)

func TestCommitments_Smoke(t *testing.T) {
	t.Parallel()
	c, acc, db, clk := newCouples(t)
	clk.t = time.Date(2027, 3, 1, 10, 0, 0, 0, time.UTC)
	s := service.NewCommitments(db, c)
	s.Now = clk.now
	ctx := context.Background()
	ana, ben, _ := pair(t, c, acc, "Ana", "Ben")
	id, err := s.Propose(ctx, ana, service.CommitmentInput{For: "me", Title: "Home by 7 or I call", Rhythm: "daily",
		ReviewOn: "2027-03-29", Visibility: "partner", FormKey: service.NewFormKey()})
	if err != nil || id == 0 {
		t.Fatal(id, err)
	}
	if err := s.Agree(ctx, ana, id, ""); mend.ErrorCode(err) != mend.Forbidden {
		t.Fatalf("the proposer agreed: %v", err)
	}
	if err := s.Agree(ctx, ben, id, "Yes"); err != nil {
		t.Fatal(err)
	}
	if err := s.Log(ctx, ana, id, service.LogInput{Status: "missed", Note: "Stuck at work, I should have called"}); err != nil {
		t.Fatal(err)
	}
	p, err := s.Detail(ctx, ben, id, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.View.Logs) != 1 || p.View.OwnedMisses != 1 || p.View.State != mend.Active {
		t.Fatalf("%+v", p.View)
	}
	if err := s.Respond(ctx, ben, id, p.View.Logs[0].ID, true, "Thank you for telling me"); err != nil {
		t.Fatal(err)
	}
	if err := s.EditLog(ctx, ana, id, p.View.Logs[0].ID, "partly", ""); mend.ErrorCode(err) != mend.Conflict {
		t.Fatalf("edit after answer: %v", err)
	}
	clk.t = clk.t.AddDate(0, 0, 3)
	l, err := s.List(ctx, ana)
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Active) != 1 || len(l.DueToday) != 1 {
		t.Fatalf("%+v", l)
	}
	st := l.Active[0].Stat(30)
	t.Logf("%+v", st)
}
