package mend

import "time"

// The four parts of an accountability statement, in the order it is
// written and read.
const (
	PartDid      = "did"
	PartImpact   = "impact"
	PartRegret   = "regret"
	PartChanging = "changing"
)

// StatementPart is one part of the statement with its guide: what to say,
// one example of a sincere part and one of a part that shifts the blame.
type StatementPart struct {
	Key string
	// Mine is the part's title for its writer; Theirs is a format for
	// the other partner's screen, with the writer's name ("What Ben did").
	Mine, Theirs string
	Guide        string
	Sincere      string
	Shifting     string
	// Why says what goes wrong in the blame-shifting example.
	Why string
}

// StatementParts are the four parts, in order.
var StatementParts = []StatementPart{
	{Key: PartDid, Mine: "What I did", Theirs: "What %s did",
		Guide:    "Name what you did, plainly and specifically. No reasons and no “but”: your partner needs to hear you own it, not understand it away.",
		Sincere:  "For eight months I met Sam in secret, and I lied about where I was, even on the night of your birthday.",
		Shifting: "I made some mistakes, but we had stopped talking and I felt alone.",
		Why:      "The “but” hands part of the weight to the two of you. What you did was your choice."},
	{Key: PartImpact, Mine: "The impact I understand it had on you", Theirs: "The impact %s understands it had on you",
		Guide:    "Say what you understand it did to your partner: to their trust, their days and nights, the way they look back. You are not telling them how they feel; you are showing you have listened.",
		Sincere:  "You have told me you go over that year again and again, wondering what else was untrue. I understand that I took away your sense of being safe at home.",
		Shifting: "I know you are upset, but it was not as big as you are making it.",
		Why:      "It measures their pain instead of owning what caused it."},
	{Key: PartRegret, Mine: "What I regret", Theirs: "What %s regrets",
		Guide:    "Say what you regret about your own choices, not about being found out.",
		Sincere:  "I regret that I chose to lie to you again and again, and that when you asked, I let you doubt yourself.",
		Shifting: "I am sorry you feel hurt.",
		Why:      "It is sorry about their feelings, not about what you did."},
	{Key: PartChanging, Mine: "What I am changing", Theirs: "What %s is changing",
		Guide:    "Say what you are doing differently, in ways your partner can see. Link the commitments you have agreed to; they show the change day by day.",
		Sincere:  "I have ended all contact. I show you my phone without being asked, and I see a counsellor every Tuesday.",
		Shifting: "I will change once you stop bringing it up.",
		Why:      "It makes your change depend on them."},
}

// Limits of a statement.
const (
	MaxStatementPart = 2000
	MaxStatementNote = 1000
	// MaxStatementLinks bounds the commitments one version links to.
	MaxStatementLinks = 20
)

var (
	LimitStatementPart = Limit{MaxStatementPart, "Please keep this part to %[1]d characters (it is %[2]d now)."}
	LimitStatementNote = Limit{MaxStatementNote, "Please keep the note to %[1]d characters (it is %[2]d now)."}
)

// StatementVersion is one version of a statement: sent (kept for good) or
// the one draft its writer alone sees.
type StatementVersion struct {
	ID          int64
	StatementID int64
	UserID      int64 // the writer
	Number      int   // 1 for the first sent version; 0 for the draft
	Did         string
	Impact      string
	Regret      string
	Changing    string
	// CommitmentIDs are the writer's agreed commitments the last part
	// links to.
	CommitmentIDs []int64
	SentAt        *time.Time // nil for the draft
	// Shared is the writer's choice, on the whole statement: the
	// therapist may read its sent versions with their answers (see
	// Space.StatementReaders).
	Shared    bool
	CreatedAt time.Time
	UpdatedAt time.Time
	Answers   []StatementAnswer
}

// Draft reports whether the version has not been sent.
func (v *StatementVersion) Draft() bool { return v.SentAt == nil }

// Text returns the words of part.
func (v *StatementVersion) Text(part string) string {
	switch part {
	case PartDid:
		return v.Did
	case PartImpact:
		return v.Impact
	case PartRegret:
		return v.Regret
	case PartChanging:
		return v.Changing
	}
	return ""
}

// Answer returns userID's answer to part, or nil.
func (v *StatementVersion) Answer(userID int64, part string) *StatementAnswer {
	for i := range v.Answers {
		if v.Answers[i].UserID == userID && v.Answers[i].Part == part {
			return &v.Answers[i]
		}
	}
	return nil
}

// AnsweredBy reports whether userID answered the version.
func (v *StatementVersion) AnsweredBy(userID int64) bool {
	for _, a := range v.Answers {
		if a.UserID == userID {
			return true
		}
	}
	return false
}

// StatementAnswer is the other partner's answer to one part of a sent
// version.
type StatementAnswer struct {
	VersionID int64
	UserID    int64
	Part      string
	Lands     bool // true: this lands; false: I need more here
	Note      string
	At        time.Time
}

// Statement is one partner's accountability statement: its sent versions,
// oldest first, and the writer's draft (only ever the reader's own).
type Statement struct {
	ID     int64
	UserID int64
	// Shared is the writer's choice to share it with the therapist.
	Shared   bool
	Versions []StatementVersion
	Draft    *StatementVersion
}

// Latest returns the latest sent version, or nil.
func (s *Statement) Latest() *StatementVersion {
	if s == nil || len(s.Versions) == 0 {
		return nil
	}
	return &s.Versions[len(s.Versions)-1]
}

// StatementCommitment is an agreed commitment a statement can link to.
type StatementCommitment struct {
	ID      int64
	OwnerID int64
	State   CommitmentState
	Title   string
}

// StatementPage is what a partner sees of the statements in their space.
type StatementPage struct {
	Space *Space
	// Mine is the reader's statement, Theirs the other partner's as far as
	// the reader may see it (sent versions only); nil when there is none.
	Mine, Theirs *Statement
	// MayWrite says the starting words the reader can see name them as
	// rebuilding trust (see Space.RebuildingTrust).
	MayWrite bool
	// Commitments are the agreed commitments of the pair, for the links.
	Commitments []StatementCommitment
}

// Linkable are the reader's own agreed commitments in force, which a
// statement may link to.
func (p *StatementPage) Linkable() []StatementCommitment {
	var cs []StatementCommitment
	for _, c := range p.Commitments {
		if c.OwnerID == p.Space.Me.UserID && (c.State == Active || c.State == Paused) {
			cs = append(cs, c)
		}
	}
	return cs
}

// Linked returns the commitments v links to that are still there.
func (p *StatementPage) Linked(v *StatementVersion) []StatementCommitment {
	var cs []StatementCommitment
	for _, id := range v.CommitmentIDs {
		for _, c := range p.Commitments {
			if c.ID == id && c.OwnerID == v.UserID {
				cs = append(cs, c)
			}
		}
	}
	return cs
}

// RebuildingTrust reports whether the starting words the reader can see
// name userID as rebuilding trust: userID's own words say "Me" or "Both
// of us", or the other partner's words, when the reader may see them, say
// "My partner" or "Both of us". Either partner may be named; when both
// are, each may write their own statement.
func (s *Space) RebuildingTrust(userID int64) bool {
	for _, c := range s.Contexts {
		if c.Earlier {
			continue
		}
		switch {
		case c.Rebuilding == "both":
			return true
		case c.AuthorID == userID && c.Rebuilding == "me":
			return true
		case c.AuthorID != userID && c.Rebuilding == "partner":
			return true
		}
	}
	return false
}

// StatementReaders is who besides its writer can read version v now, by
// the rules of the store's scopes: nobody while it is a draft; once sent,
// the other partner of the current pair when it was sent while both were
// in the space, and the therapist when the writer chose to share the
// statement, shares the kind "statement", and sent it in their current
// membership and pair.
func (s *Space) StatementReaders(v *StatementVersion) Readers {
	if v.SentAt == nil {
		return Readers{}
	}
	vis := MyPartner
	if v.Shared {
		vis = PartnerAndTherapist
	}
	return s.Readers(v.UserID, KindStatement, vis, *v.SentAt, true)
}

// TherapistStatementPage is what a linked therapist reads of a couple's
// statements: the sent versions their writers share with them, oldest
// first, with the answers.
type TherapistStatementPage struct {
	Access   TherapistAccess
	Members  []Member
	Versions []StatementVersion
}

// Errors of the statement.
var (
	ErrNoStatement = &Error{Code: NotFound, Message: "There is no such statement to answer. It may have a newer version, or you answered this one already."}
	ErrNotNamed    = &Error{Code: Conflict, Message: "A statement is written by the partner your starting words name as rebuilding trust. Say who that is on Our space first."}
)
