package service

import (
	"time"

	"github.com/mend-app/mend/internal/postgres"
)

// Services are all of Mend's services on one database.
type Services struct {
	Accounts    *Accounts
	Couples     *Couples
	Checkins    *Checkins
	Commitments *Commitments
	Triggers    *Triggers
	Safety      *Safety
}

// New wires every service on db with the real clock.
func New(db *postgres.DB) *Services {
	accounts := NewAccounts(db)
	couples := NewCouples(db, accounts)
	return &Services{Accounts: accounts, Couples: couples, Checkins: NewCheckins(db, couples),
		Commitments: NewCommitments(db, couples), Triggers: NewTriggers(db, couples), Safety: NewSafety(db, couples)}
}

// SetClock makes every service read now, for tests that move time.
func (s *Services) SetClock(now func() time.Time) {
	s.Accounts.Now, s.Couples.Now, s.Checkins.Now, s.Commitments.Now, s.Triggers.Now, s.Safety.Now = now, now, now, now, now, now
}
