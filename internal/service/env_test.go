package service_test

import (
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
