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

func (s *orderCommitmentStore) RecordView(ctx context.Context, a mend.TherapistAccess, kind string) error {
	s.note("view " + kind)
	if s.failView {
		return errors.New("audit log unavailable")
	}
	return s.CommitmentStore.RecordView(ctx, a, kind)
}

func (s *orderCommitmentStore) Members(ctx context.Context, a mend.Reader) ([]mend.Member, error) {
	s.note("members")
	return s.CommitmentStore.Members(ctx, a)
}

func (s *orderCommitmentStore) Commitments(ctx context.Context, a mend.Reader, id int64, logsFrom time.Time) (*mend.CommitmentSet, error) {
	s.note("commitments")
	return s.CommitmentStore.Commitments(ctx, a, id, logsFrom)
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

func (s *orderStore) RecordView(ctx context.Context, a mend.TherapistAccess, kind string) error {
	if err := s.note("RecordView"); err != nil {
		return err
	}
	return s.DB.RecordView(ctx, a, kind)
}

func (s *orderStore) Members(ctx context.Context, a mend.Reader) ([]mend.Member, error) {
	s.note("Members")
	return s.DB.Members(ctx, a)
}

func (s *orderStore) ActiveLink(ctx context.Context, a mend.Reader) (*mend.TherapistLink, error) {
	s.note("ActiveLink")
	return s.DB.ActiveLink(ctx, a)
}

func (s *orderStore) SharingDefaults(ctx context.Context, a mend.Reader) (mend.Defaults, error) {
	s.note("SharingDefaults")
	return s.DB.SharingDefaults(ctx, a)
}

// meetStore lets two calls of SharingDefaults return together (or after a
// second at most), as two requests sent at the same moment would.
type meetStore struct {
	*postgres.DB
	arrived chan struct{}
}

func (s *meetStore) SharingDefaults(ctx context.Context, a mend.Reader) (mend.Defaults, error) {
	d, err := s.DB.SharingDefaults(ctx, a)
	s.arrived <- struct{}{}
	deadline := time.After(time.Second)
	for len(s.arrived) < cap(s.arrived) {
		select {
		case <-deadline:
			return d, err
		case <-time.After(time.Millisecond):
		}
	}
	return d, err
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

func (s *orderCheckinStore) RecordView(ctx context.Context, a mend.TherapistAccess, kind string) error {
	s.note("view " + kind)
	if s.failView {
		return errors.New("audit log unavailable")
	}
	return s.CheckinStore.RecordView(ctx, a, kind)
}

func (s *orderCheckinStore) Members(ctx context.Context, a mend.Reader) ([]mend.Member, error) {
	s.note("members")
	return s.CheckinStore.Members(ctx, a)
}

func (s *orderCheckinStore) TherapistCheckins(ctx context.Context, a mend.TherapistAccess, from, to time.Time) ([]mend.Checkin, error) {
	s.note("checkins")
	return s.CheckinStore.TherapistCheckins(ctx, a, from, to)
}
