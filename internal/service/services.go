package service

import "time"

// Services are all of Mend's services on one database.
type Services struct {
	Accounts    *Accounts
	Couples     *Couples
	Checkins    *Checkins
	Commitments *Commitments
	Triggers    *Triggers
	Disclosures *Disclosures
	Talk        *Talk
	Safety      *Safety
	Today       *Today
	Progress    *Progress
	Therapy     *Therapy
	Exports     *Exports
	Resets      *Resets
	Reminders   *Reminders
	Statements  *Statements
	Comfort     *Comfort
	Guidance    *Guidance
	Prompts     *Prompts
	Journal     *Journal
	Together    *TimeTogether
}

// Store is everything the services need from the database, in Mend's own
// terms; cmd/mend hands in the PostgreSQL store.
type Store interface {
	AccountStore
	CoupleStore
	CheckinStore
	CommitmentStore
	TriggerStore
	DisclosureStore
	TalkStore
	SafetyStore
	TodayStore
	ProgressStore
	TherapyStore
	ExportStore
	ResetStore
	ReminderStore
	StatementStore
	ComfortStore
	GuidanceStore
	PromptStore
	JournalStore
	TogetherStore
}

// New wires every service on db with the real clock.
func New(db Store) *Services {
	accounts := NewAccounts(db)
	couples := NewCouples(db, accounts)
	s := &Services{Accounts: accounts, Couples: couples, Checkins: NewCheckins(db, couples),
		Commitments: NewCommitments(db, couples), Triggers: NewTriggers(db, couples), Disclosures: NewDisclosures(db, couples), Talk: NewTalk(db, couples),
		Safety: NewSafety(db, couples), Therapy: NewTherapy(db, couples), Resets: &Resets{Store: db, Now: time.Now},
		Reminders: NewReminders(db), Comfort: NewComfort(db, couples), Guidance: NewGuidance(db), Prompts: NewPrompts(db, couples),
		Journal: &Journal{Store: db, Couples: couples}, Together: &TimeTogether{Store: db, Couples: couples, Now: time.Now}}
	s.Triggers.Talk = s.Talk
	s.Progress = NewProgress(db, couples)
	s.Statements = NewStatements(db, couples)
	s.Exports = &Exports{Store: db, Accounts: accounts, Couples: couples, Now: time.Now}
	s.Today = &Today{Store: db, Couples: couples, Checkins: s.Checkins, Commitments: s.Commitments, Triggers: s.Triggers, Safety: s.Safety, Talk: s.Talk}
	return s
}

// SetClock makes every service read now, for tests that move time.
func (s *Services) SetClock(now func() time.Time) {
	s.Accounts.Now, s.Couples.Now, s.Checkins.Now, s.Commitments.Now, s.Triggers.Now, s.Safety.Now, s.Therapy.Now, s.Progress.Now = now, now, now, now, now, now, now, now
	s.Disclosures.Now, s.Exports.Now, s.Resets.Now, s.Reminders.Now, s.Guidance.Now = now, now, now, now, now
	s.Statements.Now, s.Prompts.Now, s.Together.Now, s.Talk.Now = now, now, now, now
}
