package service_test

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/postgres"
	"github.com/mend-app/mend/internal/service"
)

// Spy stores: the real store, with the order of some calls noted.

// orderCommitmentStore notes the order in which ForTherapist uses the store.
type orderCommitmentStore struct {
	service.CommitmentStore
	mu       sync.Mutex
	calls    []string
	failView bool
}

func (s *orderCommitmentStore) note(call string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, call)
}

func (s *orderCommitmentStore) OpenTherapistView(ctx context.Context, therapistID, coupleID int64, kind string) (mend.TherapistAccess, error) {
	s.note("view " + kind)
	if s.failView {
		return mend.TherapistAccess{}, errors.New("audit log unavailable")
	}
	return s.CommitmentStore.OpenTherapistView(ctx, therapistID, coupleID, kind)
}

// TherapistCommitmentsPage reads the partners and the commitments, in this
// order, in one batch.
func (s *orderCommitmentStore) TherapistCommitmentsPage(ctx context.Context, a mend.TherapistAccess, logsFrom, listFrom, listTo time.Time) ([]mend.Member, *mend.CommitmentSet, map[int64][]mend.CommitmentLog, error) {
	s.note("members")
	s.note("commitments")
	return s.CommitmentStore.TherapistCommitmentsPage(ctx, a, logsFrom, listFrom, listTo)
}

// orderStore notes whether the view was recorded before each read.
type orderStore struct {
	*postgres.DB
	mu     sync.Mutex
	calls  []string
	failOn string
}

func (s *orderStore) note(t string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, t)
	if t == s.failOn {
		return errors.New("store failed")
	}
	return nil
}

// OpenTherapistView is where the view is recorded: noted as RecordView.
func (s *orderStore) OpenTherapistView(ctx context.Context, therapistID, coupleID int64, kind string) (mend.TherapistAccess, error) {
	if err := s.note("RecordView"); err != nil {
		return mend.TherapistAccess{}, err
	}
	return s.DB.OpenTherapistView(ctx, therapistID, coupleID, kind)
}

// TherapistOverview reads the partners, the link, the defaults and the
// flags in one batch.
func (s *orderStore) TherapistOverview(ctx context.Context, a mend.TherapistAccess) (*mend.TherapistOverview, error) {
	if err := s.note("TherapistOverview"); err != nil {
		return nil, err
	}
	return s.DB.TherapistOverview(ctx, a)
}

// meetStore lets calls of SetConsent go to the database together (or after
// a second at most), as two requests sent at the same moment would: each
// reads the choices and writes the changes under its lock, so only the
// first to take it records a change.
type meetStore struct {
	*postgres.DB
	arrived chan struct{}
}

func (s *meetStore) SetConsent(ctx context.Context, a mend.PartnerAccess, kinds []string, shared map[string]bool) (int, error) {
	s.arrived <- struct{}{}
	deadline := time.After(time.Second)
	for len(s.arrived) < cap(s.arrived) {
		select {
		case <-deadline:
			return s.DB.SetConsent(ctx, a, kinds, shared)
		case <-time.After(time.Millisecond):
		}
	}
	return s.DB.SetConsent(ctx, a, kinds, shared)
}

// orderCheckinStore notes the order in which ForTherapist uses the store.
type orderCheckinStore struct {
	service.CheckinStore
	mu       sync.Mutex
	calls    []string
	failView bool
}

func (s *orderCheckinStore) note(call string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, call)
}

func (s *orderCheckinStore) OpenTherapistView(ctx context.Context, therapistID, coupleID int64, kind string) (mend.TherapistAccess, error) {
	s.note("view " + kind)
	if s.failView {
		return mend.TherapistAccess{}, errors.New("audit log unavailable")
	}
	return s.CheckinStore.OpenTherapistView(ctx, therapistID, coupleID, kind)
}

// TherapistCheckinsPage reads the partners and the check-ins, in this
// order, in one batch.
func (s *orderCheckinStore) TherapistCheckinsPage(ctx context.Context, a mend.TherapistAccess, from, to, listFrom, listTo time.Time) ([]mend.Member, []mend.Checkin, []mend.Checkin, error) {
	s.note("members")
	s.note("checkins")
	return s.CheckinStore.TherapistCheckinsPage(ctx, a, from, to, listFrom, listTo)
}
