package service

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/mend-app/mend/internal/mend"
)

// StatementStore is what Statements needs from the database.
type StatementStore interface {
	StatementsOf(ctx context.Context, a mend.PartnerAccess) (*mend.Space, []mend.StatementVersion, []mend.StatementCommitment, error)
	SaveStatement(ctx context.Context, a mend.PartnerAccess, v mend.StatementVersion, send bool, formKey []byte) (int64, error)
	AnswerStatement(ctx context.Context, a mend.PartnerAccess, id int64, answers []mend.StatementAnswer, formKey []byte) error
	DeleteStatement(ctx context.Context, a mend.PartnerAccess) error
	DeleteStatementAnswers(ctx context.Context, a mend.PartnerAccess, id int64) error
	ShareStatement(ctx context.Context, a mend.PartnerAccess, share bool) error
	OpenTherapistView(ctx context.Context, therapistID, coupleID int64, kind string) (mend.TherapistAccess, error)
	TherapistStatementPage(ctx context.Context, a mend.TherapistAccess) ([]mend.Member, []mend.StatementVersion, error)
}

// Statements runs the accountability statement: written in four parts by
// a partner the starting words name as rebuilding trust, kept as a private
// draft until sent, answered part by part by the other partner, and
// revised. Every sent version and every answer is kept.
type Statements struct {
	Store   StatementStore
	Couples *Couples
	Now     func() time.Time
}

// NewStatements returns Statements on store with the real clock.
func NewStatements(store StatementStore, couples *Couples) *Statements {
	return &Statements{Store: store, Couples: couples, Now: time.Now}
}

// StatementInput is the form that writes the statement.
type StatementInput struct {
	// Parts maps each part's key (mend.PartDid…) to its words.
	Parts map[string]string
	// Commitments are the ids, as sent, of the commitments linked.
	Commitments []string
	FormKey     string
	// Send sends it as a new version; otherwise it is kept as the draft.
	Send bool
	// Share shares the statement, every sent version with its answers,
	// with the therapist (while the writer shares the kind "statement").
	Share bool
}

// StatementAnswerInput is one part's answer: "lands" or "more", and a note.
type StatementAnswerInput struct {
	Choice, Note string
}

// Page returns u's statement page: u's statement with its draft, the
// other partner's sent versions, every answer either may see, and whether
// u may write. ErrNoSpace without a space.
func (s *Statements) Page(ctx context.Context, u *mend.User) (*mend.StatementPage, error) {
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return nil, noSpace(err)
	}
	sp, vs, cs, err := s.Store.StatementsOf(ctx, a)
	if err != nil {
		return nil, noSpace(err)
	}
	p := &mend.StatementPage{Space: sp, Commitments: cs, MayWrite: sp.RebuildingTrust(sp.Me.UserID)}
	for i := range vs {
		v := vs[i]
		st := &p.Theirs
		if v.UserID == sp.Me.UserID {
			st = &p.Mine
		}
		if *st == nil {
			*st = &mend.Statement{ID: v.StatementID, UserID: v.UserID, Shared: v.Shared}
		}
		if v.Draft() {
			(*st).Draft = &v
			continue
		}
		v.Number = len((*st).Versions) + 1
		(*st).Versions = append((*st).Versions, v)
	}
	return p, nil
}

// Save keeps u's statement as their private draft, or sends it as a new
// version when in.Send. A form sent twice saves once (the id is then 0).
// Errors: Invalid with Fields; Conflict (mend.ErrNotNamed) when the
// starting words u can see do not name u as rebuilding trust; NotFound
// without a space.
func (s *Statements) Save(ctx context.Context, u *mend.User, in StatementInput) (int64, error) {
	p, err := s.Page(ctx, u)
	if err != nil {
		return 0, err
	}
	if !p.MayWrite {
		return 0, mend.ErrNotNamed
	}
	v, err := statementVersion(p, in)
	if err != nil {
		return 0, err
	}
	id, err := s.Store.SaveStatement(ctx, p.Space.Access, v, in.Send, FormKeyHash(in.FormKey))
	if errors.Is(err, mend.ErrFormUsed) {
		return 0, nil
	}
	return id, err
}

// statementVersion validates in against the reader's page.
func statementVersion(p *mend.StatementPage, in StatementInput) (mend.StatementVersion, error) {
	fe := mend.FieldErrors{}
	v := mend.StatementVersion{Did: strings.TrimSpace(in.Parts[mend.PartDid]), Impact: strings.TrimSpace(in.Parts[mend.PartImpact]),
		Regret: strings.TrimSpace(in.Parts[mend.PartRegret]), Changing: strings.TrimSpace(in.Parts[mend.PartChanging]), Shared: in.Share}
	empty := true
	for _, part := range mend.StatementParts {
		text := v.Text(part.Key)
		if text != "" {
			empty = false
			mend.LimitStatementPart.Check(fe, part.Key, text)
		} else if in.Send {
			fe.Add(part.Key, "Write this part before you send it. A few honest sentences are enough.")
		}
	}
	if empty && !in.Send {
		fe.Add(mend.PartDid, "Write at least one part to keep a draft.")
	}
	linkable := map[int64]bool{}
	for _, c := range p.Linkable() {
		linkable[c.ID] = true
	}
	seen := map[int64]bool{}
	for _, raw := range in.Commitments {
		id, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 64)
		if err != nil || !linkable[id] {
			fe.Add("commitments", "Choose among your agreed commitments; one of these is not among them any more.")
			continue
		}
		if !seen[id] {
			seen[id] = true
			v.CommitmentIDs = append(v.CommitmentIDs, id)
		}
	}
	if len(v.CommitmentIDs) > mend.MaxStatementLinks {
		fe.Add("commitments", "Please link at most "+strconv.Itoa(mend.MaxStatementLinks)+" commitments.")
	}
	return v, fe.Err()
}

// Answer records u's answer to each part of version id of their partner's
// statement: every part "lands" or "more", each with an optional note. A
// form sent twice answers once. Errors: Invalid on the parts' fields
// ("answer-did", "note-did"…); NotFound (mend.ErrNoStatement) for u's own,
// a draft, an older version, one answered already, or one u may not see.
func (s *Statements) Answer(ctx context.Context, u *mend.User, id int64, in map[string]StatementAnswerInput, formKey string) error {
	fe := mend.FieldErrors{}
	var answers []mend.StatementAnswer
	for _, part := range mend.StatementParts {
		ans := in[part.Key]
		note := strings.TrimSpace(ans.Note)
		switch ans.Choice {
		case "lands", "more":
		default:
			fe.Add("answer-"+part.Key, "Choose “This lands” or “I need more here”.")
		}
		mend.LimitStatementNote.Check(fe, "note-"+part.Key, note)
		answers = append(answers, mend.StatementAnswer{Part: part.Key, Lands: ans.Choice == "lands", Note: note})
	}
	if err := fe.Err(); err != nil {
		return err
	}
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	err = s.Store.AnswerStatement(ctx, a, id, answers, FormKeyHash(formKey))
	if errors.Is(err, mend.ErrFormUsed) {
		return nil
	}
	return err
}

// Delete deletes u's own statement for good: every version, the draft,
// and every answer to it. NotFound when u has none.
func (s *Statements) Delete(ctx context.Context, u *mend.User) error {
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	return inWords(s.Store.DeleteStatement(ctx, a), errNoStatementOfMine)
}

var errNoStatementOfMine = &mend.Error{Code: mend.NotFound, Message: "You have no statement to delete."}

// DeleteAnswers deletes u's own answers to every part of version id of
// their partner's statement; the version stays, for both of them. NotFound
// when u has none to it (the writer never has).
func (s *Statements) DeleteAnswers(ctx context.Context, u *mend.User, id int64) error {
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	return inWords(s.Store.DeleteStatementAnswers(ctx, a, id), errNoStatementAnswer)
}

var errNoStatementAnswer = &mend.Error{Code: mend.NotFound, Message: "You have not answered that version."}

// Share sets whether u's own statement, its sent versions with their
// answers, is shared with the therapist (who reads it only while u also
// shares the kind "statement"). NotFound when u has none.
func (s *Statements) Share(ctx context.Context, u *mend.User, share bool) error {
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	return inWords(s.Store.ShareStatement(ctx, a, share), errNoStatementToShare)
}

var errNoStatementToShare = &mend.Error{Code: mend.NotFound, Message: "You have no statement to share. Keep a draft or send it first."}

// ForTherapist returns the statement versions of coupleID shared with
// therapist u, with their answers, after recording the view in the
// couple's log. NotFound without an active, agreed link.
func (s *Statements) ForTherapist(ctx context.Context, u *mend.User, coupleID int64) (*mend.TherapistStatementPage, error) {
	a, err := openView(ctx, s.Store, u, coupleID, mend.KindStatement)
	if err != nil {
		return nil, err
	}
	ms, vs, err := s.Store.TherapistStatementPage(ctx, a)
	if err != nil {
		return nil, err
	}
	counts := map[int64]int{}
	for i := range vs {
		// Numbered among the versions the therapist reads.
		counts[vs[i].StatementID]++
		vs[i].Number = counts[vs[i].StatementID]
	}
	return &mend.TherapistStatementPage{Access: a, Members: ms, Versions: vs}, nil
}
