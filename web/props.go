package web

import (
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/mend-app/mend/internal/mend"
)

// Page is what the layout needs on every page.
type Page struct {
	Title   string     // the page's own title; the layout adds "· Mend"
	User    *mend.User // nil for a visitor
	Section string     // the current navigation item ("today", "settings")
	Flash   string     // a quiet confirmation, shown once
	// Invalid marks a form shown again with errors: the title then starts
	// with "Error:", the first thing a screen reader announces.
	Invalid bool
	// QuickExit is the neutral site Quick exit opens; "" means
	// DefaultQuickExitURL.
	QuickExit string
	// Wide lets the page use a wider column on a desktop (charts side by
	// side); text inside keeps its reading width.
	Wide bool
}

// WithErrors returns p marked as a form shown again with errors.
func (p Page) WithErrors() Page {
	p.Invalid = true
	return p
}

// DefaultQuickExitURL is the neutral site Quick exit opens when the page
// names none.
const DefaultQuickExitURL = "https://www.bbc.com/weather"

// quickExitURL is where this page's Quick exit goes.
func (p Page) quickExitURL() templ.SafeURL {
	if p.QuickExit != "" {
		return templ.SafeURL(p.QuickExit)
	}
	return templ.SafeURL(DefaultQuickExitURL)
}

// title is the page's <title>: just "Mend" for a person who chose discreet
// titles, so that tabs and history say nothing of what they did.
func (p Page) title() string {
	switch {
	case p.User != nil && p.User.DiscreetTitles:
		return "Mend"
	case p.Title == "" && p.Invalid:
		return "Error: Mend"
	case p.Title == "":
		return "Mend"
	case p.Invalid:
		return "Error: " + p.Title + " · Mend"
	}
	return p.Title + " · Mend"
}

// Form carries a form's submitted values back to the page, with messages
// for the fields that need attention.
type Form struct {
	Values map[string]string
	Errors map[string]string
}

// Get returns the submitted value of field.
func (f Form) Get(field string) string { return f.Values[field] }

// Err returns the message for field, or "".
func (f Form) Err(field string) string { return f.Errors[field] }

// Problem is one field's message in a form's summary of errors.
type Problem struct{ Field, Message string }

// Problems lists the messages of fields, in the order given.
func (f Form) Problems(fields ...string) []Problem {
	var ps []Problem
	for _, field := range fields {
		if msg := f.Errors[field]; msg != "" {
			ps = append(ps, Problem{field, msg})
		}
	}
	return ps
}

// Input describes one labelled input with its hint and error.
type Input struct {
	Name, Label, Type, Value string
	// ID is the element's id when a page has several inputs of one name;
	// it defaults to Name.
	ID           string
	Hint, Error  string
	Autocomplete string
	MaxLength    int
	Required     bool
	// FormError marks the input invalid because of the form-wide message
	// (a wrong email or password), which it then points to.
	FormError bool
}

// attrs returns the input's optional attributes, tying the hint and the
// error to the input for screen readers.
// id is the input's element id.
func (in Input) id() string {
	if in.ID != "" {
		return in.ID
	}
	return in.Name
}

func (in Input) attrs() templ.Attributes {
	a := templ.Attributes{}
	described := ""
	if in.Hint != "" {
		described = in.id() + "-hint"
	}
	if in.Error != "" {
		described += " " + in.id() + "-error"
		a["aria-invalid"] = "true"
	} else if in.FormError {
		described += " form-error"
		a["aria-invalid"] = "true"
	}
	if described != "" {
		a["aria-describedby"] = strings.TrimSpace(described)
	}
	if in.Autocomplete != "" {
		a["autocomplete"] = in.Autocomplete
	}
	if in.MaxLength > 0 {
		a["maxlength"] = strconv.Itoa(in.MaxLength)
	}
	if in.Required {
		a["required"] = true
	}
	return a
}

// navItem is one entry in the main navigation.
type navItem struct{ Section, Label, Href string }

// tabs are a partner's main sections: a row of tabs at the foot of a phone's
// screen and in the header on a desktop. Everything else is one tap away
// under More, so every place is reachable without scrolling sideways.
var tabs = []navItem{
	{"today", "Today", "/today"},
	{"checkin", "Check-in", "/checkin"},
	{"commitments", "Commitments", "/commitments"},
	{"triggers", "Triggers", "/triggers"},
	{"more", "More", "/more"},
}

func navFor(u *mend.User) []navItem {
	switch {
	case u == nil:
		return nil
	case u.IsTherapist():
		return []navItem{
			{"caseload", "Caseload", "/caseload"},
			{"settings", "Settings", "/settings"},
		}
	}
	return tabs
}

// navSection is the navigation entry that holds the page's section: a
// partner's section that is not a tab of its own is under More.
func navSection(p Page) string {
	if p.User == nil || p.User.IsTherapist() || p.Section == "" {
		return p.Section
	}
	for _, t := range tabs {
		if t.Section == p.Section {
			return p.Section
		}
	}
	return "more"
}

// MoreLinks are the places under More, in the order the page lists them.
// NeedsSpace marks the places that open only in a couple space.
var MoreLinks = []struct {
	Section, Label, Hint, Href string
	NeedsSpace                 bool
}{
	{"progress", "Our progress", "Your trends side by side, setbacks, and a summary to print", "/progress", true},
	{"couple", "Our space", "Your partner, your starting words, and things told or discovered", "/couple", true},
	{"statement", "Accountability statement", "Written in four parts by the partner rebuilding trust, answered part by part", "/statement", true},
	{"sharing", "Sharing", "Your therapist, what you share, and each time your therapist looked", "/sharing", true},
	{"prompts", "Prompts", "A prompt of the day for you both, to talk about or write alone", "/prompts", true},
	{"journal", "Your journal", "Your answers to prompts and your own entries", "/journal", true},
	{"together", "Time together", "What you did together, a note from each of you, and a few ideas", "/time-together", true},
	{"talk", "Talk times", "When you talk about what happened, topics parked for it, and questions", "/talk", true},
	{"hard-dates", "Hard dates", "Days that are hard, announced a week ahead", "/hard-dates", true},
	{"settings", "Settings", "Your name, password and privacy", "/settings", false},
	{"safety", "Safety and help", "A private check, and people to talk to now", "/safety", false},
}

// HomeFor is where a person's home is: the brand link, and where they land
// after logging in.
func HomeFor(u *mend.User) string {
	switch {
	case u == nil:
		return "/"
	case u.IsTherapist():
		return "/caseload"
	}
	return "/today"
}

// currentAttr marks the current section's link for screen readers.
func currentAttr(current, section string) templ.Attributes {
	if current == section {
		return templ.Attributes{"aria-current": "page"}
	}
	return nil
}

// When formats an instant for u, in u's time zone: "3 Nov 2026, 14:05".
func When(t time.Time, u *mend.User) string {
	return t.In(u.Location()).Format("2 Jan 2006, 15:04")
}

// Day formats an instant's date for u, in u's time zone: "3 Nov 2026".
func Day(t time.Time, u *mend.User) string {
	return t.In(u.Location()).Format("2 Jan 2006")
}

// Names joins partner names for a heading: "Ana and Ben".
func Names(names []string) string {
	switch len(names) {
	case 0:
		return "A couple"
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// Label returns the label of value among options, or value itself.
func Label(options []struct{ Value, Label string }, value string) string {
	if l := mend.Label(options, value); l != "" {
		return l
	}
	return value
}

// InviteView is the partner invite page, or the therapist part of the
// sharing page.
type InviteView struct {
	Invite *mend.Invite // the open invite, nil when there is none
	Link   string       // the invite's link, only right after it was made
	// FormKey is the key of the form that makes a link: the same form sent
	// again shows the same link.
	FormKey string
}

// JoinPageProps is the page an invite link opens.
type JoinPageProps struct {
	Page
	Token       string
	Kind        mend.InviteKind
	InviterName string
	// Therapist is the couple's linked therapist's professional name, if any;
	// while TherapistPending, that therapist waits for both partners to agree.
	Therapist        string
	TherapistPending bool
	// Blocked explains why this person cannot accept; empty when they can.
	Blocked string
}

// SharingPageProps is a partner's sharing page.
type SharingPageProps struct {
	Page
	Space    *mend.Space
	Link     *mend.TherapistLink // the active therapist link, or nil
	Pending  *mend.TherapistLink // a link waiting for the other partner's agreement, or nil
	Links    []mend.TherapistLink
	Invite   InviteView
	Defaults map[int64]map[string]bool
	History  []mend.ConsentEvent
	// Visits are the therapist's recent visits, newest first; OlderVisits
	// says that older ones are kept but not listed.
	Visits      []mend.Visit
	OlderVisits bool
	LinkNames   map[int64]string // user id → name, for who ended a link
}

// OverviewPageProps is a therapist's page about one couple.
type OverviewPageProps struct {
	Page
	CoupleID int64
	Members  []mend.Member
	Since    time.Time
	Defaults map[int64]map[string]bool
	Flags    []mend.TherapistFlag // partners who would like to talk alone
}

// CouplePath is the therapist's page about coupleID.
func CouplePath(coupleID int64, rest string) templ.SafeURL {
	return templ.SafeURL("/caseload/" + strconv.FormatInt(coupleID, 10) + rest)
}

// rebuildingWords says who is rebuilding trust, as the author of c said it,
// from the reader's side: "me" in Ana's words is "You" on her page and
// "Ana" on Ben's.
func rebuildingWords(s *mend.Space, c *mend.CoupleContext) string {
	partner := "Your partner"
	if s.Partner != nil {
		partner = s.Partner.Name
	}
	mine := c.AuthorID == s.Me.UserID
	switch {
	case mine && c.Earlier && c.Rebuilding == "both":
		return "You and your partner at the time"
	case mine && c.Earlier && c.Rebuilding == "partner":
		return "Your partner at the time"
	case c.Rebuilding == "both":
		return "Both of you"
	case (c.Rebuilding == "me") == mine:
		return "You"
	}
	return partner
}

func inviter(v JoinPageProps) string {
	if v.InviterName == "" {
		return "Someone"
	}
	return v.InviterName
}

// Possessive is "Ana's" (or "Jess'"), and "your partner's" for no name.
func Possessive(name string) string {
	if name == "" {
		return "your partner's"
	}
	if strings.HasSuffix(name, "s") {
		return name + "'"
	}
	return name + "'s"
}

func signUpFor(v JoinPageProps) string {
	u := "/signup?next=/join/" + v.Token
	if v.Kind == mend.InviteTherapist {
		u += "&as=therapist"
	}
	return u
}

func lower(s string) string { return strings.ToLower(s) }

func theirWords(shared bool) string {
	if shared {
		return "shared with your therapist by default"
	}
	return "not shared by default"
}

// who names the person behind an event from the reader's side.
func who(reader *mend.User, userID int64, name string) string {
	if userID == reader.ID {
		return "You"
	}
	return name
}

func consentWords(e mend.ConsentEvent) string {
	kind := mend.KindWords(e.Kind)
	if e.Shared {
		return "started sharing " + kind + " with the therapist by default"
	}
	return "stopped sharing " + kind + " with the therapist by default"
}

// endedWords says how an agreed link ended, from the reader's side: "You
// ended Tess' access", "Tess stepped away".
func endedWords(reader *mend.User, v SharingPageProps, l mend.TherapistLink) string {
	access := Possessive(l.TherapistName) + " access"
	switch {
	case l.TherapistID == 0:
		return "Their account is deleted, so their access ended"
	case l.EndedBy == nil:
	case *l.EndedBy == reader.ID:
		return "You ended " + access
	case *l.EndedBy == l.TherapistID:
		return l.TherapistName + " stepped away"
	case v.Space.Partner != nil && *l.EndedBy == v.Space.Partner.UserID:
		return v.Space.Partner.Name + " ended " + access
	}
	return capitalize(access) + " ended"
}

func sharedKinds(d map[string]bool) string {
	var kinds []string
	for _, k := range mend.SharedKinds {
		if d[k.Value] {
			kinds = append(kinds, strings.ToLower(k.Label))
		}
	}
	return strings.Join(kinds, ", ")
}

func roleOf(f Form) string {
	if f.Get("role") == "therapist" {
		return "therapist"
	}
	return "partner"
}

// withNext adds a return path to a log-in or sign-up link.
func withNext(path, next string) string {
	if next == "" {
		return path
	}
	return path + "?next=" + url.QueryEscape(next)
}

// historyItem is one line of the sharing history.
type historyItem struct {
	At   time.Time
	Text string
}

// history merges consent choices and therapist links, newest first.
func history(reader *mend.User, v SharingPageProps) []historyItem {
	var items []historyItem
	for _, e := range v.History {
		items = append(items, historyItem{e.At, who(reader, e.UserID, e.Name) + " " + consentWords(e)})
	}
	for _, l := range v.Links {
		items = append(items, linkEvents(reader, v, l)...)
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].At.After(items[j].At) })
	return items
}

// MemberNames lists the partners' names.
func MemberNames(ms []mend.Member) []string {
	names := make([]string, len(ms))
	for i, m := range ms {
		names[i] = m.Name
	}
	return names
}
