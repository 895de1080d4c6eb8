package mend

import (
	_ "embed"
	"fmt"
	"hash/fnv"
	"sort"
	"strings"
	"sync"
	"time"
)

// prompts.txt is Mend's own library of conversation starters and
// journaling prompts, one a line: id, category, mode and words, separated
// by tabs. An id never changes meaning, so a couple's history survives
// reordering and new prompts.
//
//go:embed prompts.txt
var promptList string

// Prompt modes: talked about together, or written alone.
const (
	Talk  = "talk"
	Write = "write"
)

// PromptModes are the two modes, in the order forms show them.
var PromptModes = []struct{ Value, Label string }{
	{Talk, "Talk together"},
	{Write, "Write alone"},
}

// PromptCategories are the categories of prompts, in the order shown.
var PromptCategories = []struct{ Value, Label string }{
	{"reconnecting", "Reconnecting"},
	{"understanding", "Understanding what happened"},
	{"accountability", "Accountability"},
	{"needs", "Needs and boundaries"},
	{"future", "The future"},
	{"fun", "Fun"},
}

// Limits of prompts and answers.
const (
	MaxPromptText = 300
	MaxAnswerText = 2000
	// PromptRepeatDays is how long a prompt shown to a couple stays out of
	// the rotation.
	PromptRepeatDays = 60
	// OwnPromptList bounds how many of a couple's own prompts join the
	// rotation and the list.
	OwnPromptList = 200
)

// LimitPromptText and LimitAnswerText are the limits of a couple's own
// prompt and of an answer.
var (
	LimitPromptText = Limit{MaxPromptText, "Please keep a prompt to %[1]d characters (it is %[2]d now)."}
	LimitAnswerText = Limit{MaxAnswerText, "Please keep this to %[1]d characters (it is %[2]d now)."}
)

// Prompt is a conversation starter or journaling prompt: one of Mend's
// library (Key is its id) or one a partner added (Key "own-" and its row
// id; Own is then set).
type Prompt struct {
	Key      string
	Category string
	Mode     string
	Text     string
	Own      bool
	AddedBy  int64 // the partner who added an own prompt
	Added    time.Time
}

// Together reports whether it is to talk about together.
func (p *Prompt) Together() bool { return p.Mode == Talk }

// OwnPromptKey is the key of a couple's own prompt id.
func OwnPromptKey(id int64) string { return fmt.Sprintf("own-%d", id) }

// Library returns Mend's prompts in file order.
var Library = sync.OnceValue(func() []Prompt {
	var ps []Prompt
	for line := range strings.SplitSeq(promptList, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 4 {
			panic("prompts.txt: a line without four fields: " + line)
		}
		ps = append(ps, Prompt{Key: f[0], Category: f[1], Mode: f[2], Text: f[3]})
	}
	return ps
})

// LibraryPrompt returns the library prompt with key, if there is one.
func LibraryPrompt(key string) (Prompt, bool) {
	for _, p := range Library() {
		if p.Key == key {
			return p, true
		}
	}
	return Prompt{}, false
}

// ChoosePrompt picks the prompt of day (seq: how many were skipped before
// it that day) for couple among candidates: those not in recent (keys shown
// to the couple in the last PromptRepeatDays days or today, the day's skipped ones
// included) when there are any, else the one shown longest ago (lastShown
// gives the day each key was last shown). The choice depends only on its
// arguments, never on their order, so both partners are offered the same.
func ChoosePrompt(couple int64, day time.Time, seq int, candidates []Prompt, lastShown map[string]time.Time) (Prompt, bool) {
	if len(candidates) == 0 {
		return Prompt{}, false
	}
	// Shown on day D, a prompt rests through D + PromptRepeatDays.
	cutoff := day.AddDate(0, 0, -PromptRepeatDays)
	var fresh []Prompt
	for _, p := range candidates {
		if at, ok := lastShown[p.Key]; !ok || at.Before(cutoff) {
			fresh = append(fresh, p)
		}
	}
	if len(fresh) == 0 {
		// Everything was shown lately: the longest ago comes back.
		oldest := candidates[0]
		for _, p := range candidates[1:] {
			a, b := lastShown[p.Key], lastShown[oldest.Key]
			if a.Before(b) || (a.Equal(b) && p.Key < oldest.Key) {
				oldest = p
			}
		}
		return oldest, true
	}
	sort.Slice(fresh, func(i, j int) bool { return fresh[i].Key < fresh[j].Key })
	h := fnv.New64a()
	fmt.Fprintf(h, "%d/%s/%d", couple, day.Format(time.DateOnly), seq)
	return fresh[h.Sum64()%uint64(len(fresh))], true
}

// PromptDay is a day's prompt for a couple, as one partner sees it.
type PromptDay struct {
	Day    time.Time // the couple's day (see CoupleDay)
	Seq    int       // how many were skipped before it that day
	Prompt Prompt
	Mine   *PromptAnswer // the reader's answer, nil until written
	// Theirs is the partner's answer when the reader may read it now:
	// for a talk-together prompt only once the reader has answered.
	Theirs *PromptAnswer
	// TheyAnswered reports that the partner answered a talk-together prompt
	// for the reader, who reads it once they answer too.
	TheyAnswered bool
}

// PromptAnswer is one partner's answer to a prompt of a day.
type PromptAnswer struct {
	ID         int64
	UserID     int64
	Key        string
	Mode       string
	Day        time.Time
	Body       string
	Visibility Visibility // JustMe, MyPartner or PartnerAndTherapist
	CreatedAt  time.Time
	UpdatedAt  time.Time
	// Revealed is false for the partner's talk-together answer while the
	// reader has not shared one of their own for that prompt: Body is then
	// blank.
	Revealed bool
	Prompt   Prompt // filled in by the service; Text "" when it was removed
}

// PromptShown is a prompt shown to a couple on one of their days.
type PromptShown struct {
	Day time.Time
	Seq int
	Key string
}

// PromptData is what the store reads for the prompts page: the couple's
// own prompts, the prompts shown lately and the answers around them.
type PromptData struct {
	Own     []Prompt
	Shown   []PromptShown // oldest first
	Answers []PromptAnswer
}

// AnswerVisibilities are whom an answer (or a journal entry) can reach:
// the therapist too, while its writer shares KindJournal.
var AnswerVisibilities = Visibilities

// AnswerReaders is who besides its writer can read answer a now: the
// partner when it is marked for them and was written while both current
// partners were in the space; for a talk-together prompt, once they have
// answered too (known is false until then, as the page shows it).
func (s *Space) AnswerReaders(a *PromptAnswer, partnerAnswered bool) Readers {
	r := s.Readers(a.UserID, KindPrompts, a.Visibility, a.CreatedAt, false)
	if r.Partner && a.Mode == Talk && !partnerAnswered {
		r.Partner, r.PartnerWait = false, WaitReveal
	}
	return r
}

// KindPrompts is the kind of prompt answers and journal entries, for
// Space.Readers: the sharing kind KindJournal.
const KindPrompts = KindJournal

// CoupleDay is the couple's day at now: the local day of the partner who
// joined the space first (the one who made it), so that both partners
// share one prompt of the day wherever they are.
func (s *Space) CoupleDay(now time.Time) time.Time {
	first := s.Me
	if s.Partner != nil && (s.Partner.JoinedAt.Before(first.JoinedAt) ||
		(s.Partner.JoinedAt.Equal(first.JoinedAt) && s.Partner.UserID < first.UserID)) {
		first = *s.Partner
	}
	return Date(now, first.Location())
}

// ErrNoPrompt: not a prompt of the couple's days.
var ErrNoPrompt = &Error{Code: NotFound, Message: "This prompt is not among your space's prompts."}

// PromptsPage is the prompt of the day with its answers, the couple's own
// prompts and the last days' prompts.
type PromptsPage struct {
	Space  *Space
	Today  PromptDay
	Recent []PromptDay // the days before, newest first
	Own    []Prompt
}

// OwnPromptPage is a couple's own prompt as the partner who added it reads
// it before removing it.
type OwnPromptPage struct {
	Space  *Space
	Prompt Prompt
	// Today: it is the prompt of the couple's day, which another then
	// replaces for both partners.
	Today bool
}

// TodayPrompt is a prompt of a couple's day as Today reads it: OwnText is
// the words of a couple's own prompt ("" for the library's); Answered is
// whether the reader has answered it that day.
type TodayPrompt struct {
	Day      time.Time
	Seq      int
	Key      string
	OwnText  string
	OwnMode  string
	Answered bool
}

// TodaysPrompt is the prompt of day among ps (the last skip wins), or nil,
// and whether the reader has answered it.
func TodaysPrompt(ps []TodayPrompt, day time.Time) (*Prompt, bool) {
	var found *Prompt
	answered := false
	seq := -1
	for _, t := range ps {
		if !t.Day.Equal(day) || t.Seq < seq {
			continue
		}
		seq = t.Seq
		p, ok := LibraryPrompt(t.Key)
		if !ok {
			p = Prompt{Key: t.Key, Mode: t.OwnMode, Text: t.OwnText, Own: true}
		}
		found, answered = &p, t.Answered
	}
	return found, answered
}

// Journal item kinds: an answer to a prompt, or a free journal entry.
const (
	JournalAnswer = "answer"
	JournalEntry  = "entry"
)

// Limits of the journal.
const (
	MaxJournalText = 4000
	// JournalPageSize is how many items a page of the journal lists.
	JournalPageSize = 20
)

// LimitJournalText is the limit of a journal entry.
var LimitJournalText = Limit{MaxJournalText, "Please keep an entry to %[1]d characters (it is %[2]d now). You can write another."}

// JournalItem is one item of the journal: the reader's answer to a prompt,
// or a journal entry (the reader's, or the partner's shared with them).
type JournalItem struct {
	Kind       string // JournalAnswer or JournalEntry
	ID         int64
	UserID     int64
	Body       string
	Visibility Visibility
	CreatedAt  time.Time
	// For an answer: the prompt's day, key, mode and words ("" for the
	// library's: see Prompt), and whether the partner shared an answer to
	// it (which opens a talk-together answer to them).
	Day           *time.Time
	Key, Mode     string
	OwnText       string
	PartnerShared bool
	Prompt        Prompt // filled in by the service
}

// JournalReaders is who besides its writer can read item now.
func (s *Space) JournalReaders(item *JournalItem) Readers {
	if item.Kind == JournalAnswer {
		return s.AnswerReaders(&PromptAnswer{UserID: item.UserID, Mode: item.Mode, Visibility: item.Visibility, CreatedAt: item.CreatedAt},
			item.PartnerShared)
	}
	return s.Readers(item.UserID, KindPrompts, item.Visibility, item.CreatedAt, false)
}

// JournalPage is a page of the journal, newest first.
type JournalPage struct {
	Space *Space
	Items []JournalItem
	Page  int  // 1 for the newest
	More  bool // an older page follows
}

// ErrNoJournalItem: not an item of the reader's own journal.
var ErrNoJournalItem = &Error{Code: NotFound, Message: "There is no such entry of yours in the journal."}

// TherapistJournalPage is what a linked therapist reads of a couple's
// journal: the entries and answers to prompts shared with them, newest
// first, a page at a time.
type TherapistJournalPage struct {
	Access  TherapistAccess
	Members []Member
	Items   []JournalItem
	Page    int  // 1 for the newest
	More    bool // an older page follows
}
