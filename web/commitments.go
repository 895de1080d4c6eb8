package web

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/mend-app/mend/internal/mend"
)

// CommitmentFields are the commitment form's fields in page order.
var CommitmentFields = []string{"for", "title", "details", "rhythm", "weekdays", "starts_on", "review_on", "visibility"}

// CommitmentForms are the forms of a commitment's page, each with its
// input and messages when it was sent back.
type CommitmentForms struct {
	Answer  Form
	Review  Form
	Log     Form
	LogID   int64 // the log whose edit or answer form is in Entry
	Entry   Form
	FormKey string
	// Withdraw is the withdrawal of what the reader proposed, with its own
	// key: the log form's key stays unused when it is sent.
	Withdraw    Form
	WithdrawKey string
}

// CommitmentPath is a partner's page of commitment id.
func CommitmentPath(id int64, rest string) templ.SafeURL {
	return templ.SafeURL("/commitments/" + strconv.FormatInt(id, 10) + rest)
}

// LogPath is the address of a log's edit or answer form.
func LogPath(id, logID int64, rest string) templ.SafeURL {
	return templ.SafeURL("/commitments/" + strconv.FormatInt(id, 10) + "/logs/" + strconv.FormatInt(logID, 10) + rest)
}

// CommitmentFormValues starts the form from terms (nil for a new one).
func CommitmentFormValues(v *mend.CommitmentVersion, today time.Time, visibility mend.Visibility, formKey string) Form {
	f := Form{Values: map[string]string{"form_key": formKey, "starts_on": DateValue(today),
		"review_on": DateValue(today.AddDate(0, 0, mend.ReviewAfterDays)), "visibility": string(visibility), "for": "me"}}
	if v != nil {
		f.Values["title"], f.Values["details"], f.Values["rhythm"] = v.Title, v.Details, string(v.Rhythm)
		f.Values["starts_on"] = DateValue(laterDay(v.StartsOn, today))
		f.Values["review_on"] = DateValue(laterDay(v.ReviewOn, today.AddDate(0, 0, 1)))
		f.Values["visibility"] = string(v.Visibility)
		for i := range 7 {
			if v.Weekdays&(1<<i) != 0 {
				f.Values["weekday"+strconv.Itoa(i)] = "on"
			}
		}
	}
	return f
}

func laterDay(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// rhythmWords says when a commitment applies: "Every day", "On Mondays and
// Thursdays".
func rhythmWords(v *mend.CommitmentVersion) string {
	switch v.Rhythm {
	case mend.Weekdays:
		var days []string
		for i, d := range mend.WeekdayNames {
			if v.Weekdays&(1<<i) != 0 {
				days = append(days, d+"s")
			}
		}
		return "On " + Names(days)
	}
	return Label(mend.Rhythms, string(v.Rhythm))
}

// commitmentStates names the states for a therapist.
var commitmentStates = []Choice{
	{string(mend.Proposed), "Proposed"}, {string(mend.Active), "Agreed"}, {string(mend.Paused), "Paused"},
	{string(mend.Completed), "Completed"}, {string(mend.Declined), "Declined"}, {string(mend.Withdrawn), "Withdrawn"},
}

// stateWords is a commitment's state in words, from the reader's side.
func stateWords(c *mend.Commitment, reader int64, partner string) string {
	switch {
	case c.State == mend.Proposed && c.ChangesAsked && c.Proposal != nil && c.Proposal.ProposedBy == reader:
		return partner + " asked for a change"
	case c.State == mend.Proposed && c.ChangesAsked:
		return "Waiting for " + partner + " to change it"
	case c.State == mend.Proposed && c.Proposal != nil && c.Proposal.ProposedBy == reader:
		return "Waiting for " + partner + " to agree"
	case c.State == mend.Proposed:
		return "Waiting for your answer"
	case c.State == mend.Active:
		return "Agreed"
	case c.State == mend.Paused:
		return "Paused"
	case c.State == mend.Completed:
		return "Completed"
	case c.State == mend.Declined:
		return "Declined"
	case c.State == mend.Withdrawn:
		return "Withdrawn"
	}
	return ""
}

// ownerWords names who keeps a commitment from the reader's side.
func ownerWords(c *mend.Commitment, sp *mend.Space) string {
	if c.OwnerID == sp.Me.UserID {
		return "You keep this"
	}
	return partnerName(sp) + " keeps this"
}

// whoName names a person of the couple from the reader's side.
// inSentence is a name from whoName within a sentence: "you", "Ben".
func inSentence(name string) string {
	switch name {
	case "You":
		return "you"
	case "A former partner":
		return "a former partner"
	}
	return name
}

func whoName(sp *mend.Space, userID int64) string {
	switch {
	case userID == sp.Me.UserID:
		return "You"
	case sp.Partner != nil && userID == sp.Partner.UserID:
		return sp.Partner.Name
	}
	return "A former partner"
}

// consistencyFigure is a window's figure for its big number: the
// percentage once at least mend.PercentFrom occurrences were due, counts
// ("1 of 1 kept") before that, "—" when nothing was due.
func consistencyFigure(c mend.Consistency) string {
	switch {
	case c.Counted == 0:
		return "—"
	case !c.ShowsPercent():
		return keptCounts(c.Tally())
	}
	return strconv.Itoa(int(math.Round(c.Percent))) + "%"
}

func sameCounts(a, b mend.Consistency) bool {
	return a.Counted == b.Counted && a.Kept == b.Kept && a.Partly == b.Partly && a.Missed == b.Missed && a.NotLogged == b.NotLogged
}

// consistencyStat is one figure of the "How it is kept" list and the
// windows it covers.
type consistencyStat struct {
	Figure, Days string
	Counts       bool // counts rather than a percentage: a sentence, in text size
}

// consistencyStats are the figures of the windows in stats: windows that
// show the same counts (the same few occurrences) share one figure, so
// that one kept day reads once, not three times.
func consistencyStats(stats []mend.Consistency) []consistencyStat {
	var out []consistencyStat
	var days []string
	for i, st := range stats {
		days = append(days, itoa(st.Days))
		if i+1 < len(stats) && !st.ShowsPercent() && sameCounts(st, stats[i+1]) {
			continue
		}
		out = append(out, consistencyStat{consistencyFigure(st), "last " + joinAnd(days) + " days", !st.ShowsPercent()})
		days = nil
	}
	return out
}

// consistencyWords reads a consistency figure in words: counts ("1 kept
// of 1 due") while few were due, with the percentage once there are
// enough (mend.PercentFrom).
func consistencyWords(c mend.Consistency) string {
	if c.Counted == 0 {
		return fmt.Sprintf("Nothing was due in the last %d days.", c.Days)
	}
	if !c.ShowsPercent() {
		return fmt.Sprintf("Over the last %d days: %s.", c.Days, keptCounts(c.Tally()))
	}
	return fmt.Sprintf("%s kept over the last %d days: %s.", consistencyFigure(c), c.Days, keptCounts(c.Tally()))
}

// statusWords names a log's status; an owned miss is honesty, not failure.
func statusWords(status string) string {
	switch status {
	case mend.Kept:
		return "Kept"
	case mend.Partly:
		return "Partly kept"
	case mend.Missed:
		return "Owned miss"
	}
	return status
}

func actionWords(e mend.CommitmentEvent) string {
	switch e.Action {
	case mend.ActProposed:
		return "proposed it"
	case mend.ActAgreed:
		if e.Version == 1 {
			return "agreed to it"
		}
		return "agreed to version " + strconv.Itoa(e.Version)
	case mend.ActAskedChange:
		return "asked for a change"
	case mend.ActRevised:
		return "wrote version " + strconv.Itoa(e.Version)
	case mend.ActDeclined:
		return "declined version " + strconv.Itoa(e.Version)
	case mend.ActKept:
		return "kept it at the review"
	case mend.ActPaused:
		return "paused it"
	case mend.ActResumed:
		return "resumed it"
	case mend.ActCompleted:
		return "marked it completed"
	case mend.ActWithdrawn:
		if e.Version == 1 {
			return "withdrew the proposal"
		}
		return "withdrew version " + strconv.Itoa(e.Version)
	}
	return e.Action
}

// stripClass is the CSS class of a day in the calendar strip.
func stripClass(d mend.StripDay) string {
	switch {
	case d.Status != "":
		return "strip-" + d.Status
	case d.Due:
		return "strip-none"
	}
	return "strip-off"
}

// stripSymbol marks a day by shape as well as colour.
func stripSymbol(d mend.StripDay) string {
	switch d.Status {
	case mend.Kept:
		return "●"
	case mend.Partly:
		return "◐"
	case mend.Missed:
		return "○"
	case "open":
		return "·"
	}
	if d.Due {
		return "–"
	}
	return ""
}

// stripSummary reads the strip in words.
func stripSummary(days []mend.StripDay) string {
	period := "The last 12 weeks"
	if len(days) < 7*12 {
		period = "Since it started"
	}
	var kept, partly, missed, none int
	for _, d := range days {
		switch {
		case d.Status == mend.Kept:
			kept++
		case d.Status == mend.Partly:
			partly++
		case d.Status == mend.Missed:
			missed++
		case d.Due && d.Status == "":
			none++
		}
	}
	misses := "owned misses"
	if missed == 1 {
		misses = "owned miss"
	}
	return fmt.Sprintf("%s: %d kept, %d partly, %d %s, %d not logged.", period, kept, partly, missed, misses, none)
}

// changeAsked is the request for a change to the pending version of v,
// with who asked and their note; nil when no change is asked.
func changeAsked(v *mend.CommitmentView) *mend.CommitmentEvent {
	if !v.ChangesAsked || v.Proposal == nil {
		return nil
	}
	for i := len(v.Events) - 1; i >= 0; i-- {
		if e := v.Events[i]; e.Action == mend.ActAskedChange && e.Version == v.Pending {
			return &v.Events[i]
		}
	}
	return nil
}

// pendingIsChange reports whether the proposal changes a commitment that
// is already in force (rather than proposing a new one).
func pendingIsChange(c *mend.Commitment) bool { return c.Proposal != nil && c.Current != nil }

func weekdayChecked(f Form, i int) bool { return f.Get("weekday"+strconv.Itoa(i)) != "" }

func itoa(i int) string { return strconv.Itoa(i) }

// recent reports whether a log is from the last week: those can still be
// changed or answered on the page; older ones are for reading.
func recent(v *mend.CommitmentPage, l mend.CommitmentLog) bool {
	return !l.OccursOn.Before(v.View.OwnerToday.AddDate(0, 0, -mend.EditWindowDays))
}

// colonIf is ":" when a note follows.
func colonIf(note string) string {
	if note == "" {
		return ""
	}
	return ":"
}

// HasErrors reports whether any of the forms is shown again with messages.
func (f CommitmentForms) HasErrors() bool {
	return len(f.Answer.Errors)+len(f.Review.Errors)+len(f.Log.Errors)+len(f.Entry.Errors)+len(f.Withdraw.Errors) > 0
}

// dayLogWords counts logs by status: "3 logged: 2 kept, 1 owned miss."
// Counts, not a percentage: the days chosen may be few.
func dayLogWords(logs []mend.CommitmentLog) string {
	var kept, partly, missed int
	for _, l := range logs {
		switch l.Status {
		case mend.Kept:
			kept++
		case mend.Partly:
			partly++
		case mend.Missed:
			missed++
		}
	}
	var parts []string
	if kept > 0 {
		parts = append(parts, strconv.Itoa(kept)+" kept")
	}
	if partly > 0 {
		parts = append(parts, strconv.Itoa(partly)+" partly kept")
	}
	switch {
	case missed == 1:
		parts = append(parts, "1 owned miss")
	case missed > 1:
		parts = append(parts, strconv.Itoa(missed)+" owned misses")
	}
	return strconv.Itoa(len(logs)) + " logged: " + strings.Join(parts, ", ") + "."
}
