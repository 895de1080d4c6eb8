package mend

import "time"

// How a disclosure came to be: told by its writer, or discovered by them.
// The two mean opposite things for trust and are kept apart wherever they
// are counted.
const (
	Told       = "told"
	Discovered = "discovered"
)

// DisclosureHows are the two ways, in the order the form shows them.
var DisclosureHows = []struct{ Value, Label string }{
	{Told, "I want to tell you something"},
	{Discovered, "I found out about something"},
}

// DisclosureTopics are what a disclosure is about, in the order the form
// shows them.
var DisclosureTopics = []struct{ Value, Label string }{
	{"contact", "Contact from the affair partner"},
	{"temptation", "A temptation"},
	{"slip", "A slip"},
	{"remembered", "Something remembered"},
	{"other", "Something else"},
}

// DisclosureVisibilities are whom a disclosure can reach once sent. There
// is no "just me": until it is sent, a disclosure is a draft only its
// writer sees.
var DisclosureVisibilities = []struct{ Value, Label string }{
	{string(MyPartner), "My partner"},
	{string(PartnerAndTherapist), "My partner and our therapist"},
}

// Limits of a disclosure.
const (
	MaxDisclosureText = 1000
	// DisclosureList bounds how many disclosures a list shows.
	DisclosureList = 200
)

// LimitDisclosureText is the limit of a disclosure's words.
var LimitDisclosureText = Limit{MaxDisclosureText, "Please keep this to %[1]d characters (it is %[2]d now). You can send more than one."}

// Disclosure is "something I need to tell you": what a partner told, or
// what the partner who was hurt discovered.
type Disclosure struct {
	ID         int64
	CoupleID   int64
	UserID     int64  // the writer
	How        string // Told or Discovered
	Topic      string
	HappenedOn time.Time // the writer's local day, as midnight UTC
	Body       string
	Visibility Visibility // MyPartner or PartnerAndTherapist, once sent
	SentAt     *time.Time // nil for a draft
	CreatedAt  time.Time
	UpdatedAt  time.Time
	Answers    []DisclosureAnswer
}

// Draft reports whether it has not been sent yet.
func (d *Disclosure) Draft() bool { return d.SentAt == nil }

// DisclosureAnswer is the other partner's answer to a sent disclosure.
type DisclosureAnswer struct {
	DisclosureID int64
	UserID       int64
	Body         string
	At           time.Time
}

// DisclosureMark is one sent disclosure on a chart or in a summary, with
// no words: when, whose, told or discovered, and about what. Drafts never
// make a mark.
type DisclosureMark struct {
	Day    time.Time // HappenedOn
	UserID int64     // the writer
	How    string    // Told or Discovered
	Topic  string
}

// DisclosuresPage is what a partner sees of the couple's disclosures.
type DisclosuresPage struct {
	Space  *Space
	Drafts []Disclosure // the reader's own, unsent
	Told   []Disclosure // sent, newest day first
	Found  []Disclosure // sent, discovered, newest day first
	Today  time.Time
}

// TherapistDisclosuresPage is what a linked therapist sees of a couple's
// disclosures between From and To.
type TherapistDisclosuresPage struct {
	Access   TherapistAccess
	Members  []Member
	From, To time.Time
	Told     []Disclosure
	Found    []Disclosure
}

// ErrNoDisclosure: no disclosure the reader may act on.
var ErrNoDisclosure = &Error{Code: NotFound, Message: "This is not among the things told and discovered in your space."}

// ErrNoDraft: the draft was sent already, or is not the reader's.
var ErrNoDraft = &Error{Code: NotFound, Message: "There is no such draft. It may have been sent already, and once sent it cannot be changed."}

// DisclosureReaders is who besides its writer can read d now, by the rules
// of the store's disclosure scopes: nobody while it is a draft; once sent,
// Readers for KindDisclosures with its sending as the time it was written
// (the partner reads what was sent while both current partners were in
// the space; the therapist what is marked for them, sent in the writer's
// current membership and the current pair, while the writer shares
// disclosures).
func (s *Space) DisclosureReaders(d *Disclosure) Readers {
	if d.SentAt == nil {
		return Readers{}
	}
	return s.Readers(d.UserID, KindDisclosures, d.Visibility, *d.SentAt, true)
}
