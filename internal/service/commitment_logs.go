package service

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/mend-app/mend/internal/mend"
)

const msgLogStatus = "Choose kept, partly or missed."

// LogInput is the owner's log of one occurrence.
type LogInput struct {
	Day     string // today or yesterday; "" for today
	Status  string
	Note    string
	FormKey string
}

// Log records the owner's log of commitment id for the occurrence on the
// day given. For a rhythmic commitment a second log of the same occurrence
// changes the first (keeping its earlier version) until the partner has
// answered it. Errors: Invalid with Fields; NotFound for anyone but the
// owner.
func (s *Commitments) Log(ctx context.Context, u *mend.User, id int64, in LogInput) error {
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	today := s.today(u)
	// A week back: the occurrence of yesterday's log of a weekly
	// commitment began up to six days before it.
	err = s.Store.LogOccurrence(ctx, a, id, today.AddDate(0, 0, -7), FormKeyHash(in.FormKey), func(set *mend.CommitmentSet) (*mend.OccurrenceLog, error) {
		return s.logEntry(u, set, today, in)
	})
	if errors.Is(err, mend.ErrFormUsed) {
		return nil
	}
	return inWords(err, errOnlyOwnerLogs)
}

var errOnlyOwnerLogs = &mend.Error{Code: mend.NotFound, Message: "Only the partner who keeps a commitment logs it."}

// logEntry checks u's log of the commitment in set, read under its lock,
// against u's today.
func (s *Commitments) logEntry(u *mend.User, set *mend.CommitmentSet, today time.Time, in LogInput) (*mend.OccurrenceLog, error) {
	if len(set.Commitments) == 0 || set.Commitments[0].OwnerID != u.ID {
		return nil, errOnlyOwnerLogs
	}
	c := &set.Commitments[0]
	fe := mend.FieldErrors{}
	day := today
	if d := strings.TrimSpace(in.Day); d != "" {
		if parsed, err := mend.ParseDate(d); err != nil || parsed.After(today) || parsed.Before(today.AddDate(0, 0, -1)) {
			fe.Add("day", "You can log today or yesterday.")
		} else {
			day = parsed
		}
	}
	if !mend.IsLogStatus(in.Status) {
		fe.Add("status", msgLogStatus)
	}
	msg := strings.TrimSpace(in.Note)
	mend.LimitLogNote.Check(fe, mend.FieldNote, msg)
	// Due by the periods in force, whatever the state now: a pause or a
	// completion takes effect at the end of its day, which stays due.
	periods := mend.Periods(set.Events[c.ID], set.Versions[c.ID])
	occurs, due := mend.Occurrence(periods, day)
	if _, ok := fe["day"]; !ok && !due {
		fe.Add("day", "This commitment is not due on that day.")
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	p := mend.InForce(periods, day)
	// Late: logged after its occurrence could be kept (for a week, after
	// the week ended).
	late := day.Before(today)
	if now, ok := mend.Occurrence(periods, today); ok && now.Equal(occurs) {
		late = false
	}
	return &mend.OccurrenceLog{OccursOn: occurs, Status: in.Status, Note: msg, Late: late, One: p.Rhythm != mend.EachTime}, nil
}

// EditLog changes the owner's log logID, keeping its earlier version,
// until the partner answers it and for EditWindowDays after its day (then
// Conflict). changed is false when it already said this.
func (s *Commitments) EditLog(ctx context.Context, u *mend.User, id, logID int64, status, msg string) (changed bool, err error) {
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return false, err
	}
	fe := mend.FieldErrors{}
	if !mend.IsLogStatus(status) {
		fe.Add("status", msgLogStatus)
	}
	msg = strings.TrimSpace(msg)
	mend.LimitLogNote.Check(fe, mend.FieldNote, msg)
	if err := fe.Err(); err != nil {
		return false, err
	}
	return s.Store.EditLog(ctx, a, id, logID, status, msg, s.today(u).AddDate(0, 0, -mend.EditWindowDays))
}

// Respond records u's confirmation ("I saw this") and short answer to a log
// of their partner's commitment. Errors: Invalid on field "response";
// NotFound for the owner or anyone who may not see it.
func (s *Commitments) Respond(ctx context.Context, u *mend.User, id, logID int64, confirmed bool, body string) error {
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	body = strings.TrimSpace(body)
	fe := mend.FieldErrors{}
	if body == "" && !confirmed {
		fe.Add(mend.FieldResponse, "Write a few words, or confirm that you saw it.")
	}
	mend.LimitAck.Check(fe, mend.FieldResponse, body)
	if err := fe.Err(); err != nil {
		return err
	}
	return s.Store.Respond(ctx, a, id, logID, confirmed, body)
}
