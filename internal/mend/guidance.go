package mend

import "time"

// Guidance cards: short words for each partner, shown one at a time on the
// pages where they matter, in Mend's own words. Roles are never labels on
// screen: a card speaks to "you".

// Guidance roles: whom a card is for.
const (
	RoleRebuilding = "rebuilding" // the partner rebuilding trust
	RoleHurt       = "hurt"       // the partner who was hurt
	RoleBoth       = "both"       // either of them
)

// Guidance phases: the time since the space began.
const (
	PhaseFirstWeeks = "first-weeks" // under 30 days
	PhaseMonths     = "months"      // from 30 days to six months
	PhaseLater      = "later"       // six months and more
)

// Guidance places: the pages that show a card.
const (
	PlaceToday       = "today"
	PlaceCommitments = "commitments" // the form that proposes or asks for one
	PlaceMinute      = "minute"      // the minute of help after a trigger
)

// GuidanceCard is one card.
type GuidanceCard struct {
	Key    string // stable: dismissals name it
	Role   string
	Phases []string // when it is shown; all phases when empty
	Places []string // where it is shown
	Title  string
	Body   string
}

var (
	allPhases   []string
	earlyPhases = []string{PhaseFirstWeeks, PhaseMonths}
	laterPhases = []string{PhaseMonths, PhaseLater}
)

// GuidanceCards are every card, in the order they are offered: a page
// shows the first one for the reader that they have not set aside.
var GuidanceCards = []GuidanceCard{
	// For the partner rebuilding trust.
	{Key: "rebuilding-pace", Role: RoleRebuilding, Phases: earlyPhases, Places: []string{PlaceToday},
		Title: "Let healing take the time it takes",
		Body:  "Your partner's hurt has its own pace, and it is not yours to set. Asking whether you are past it yet tends to push it further away. Staying steady each time it comes back is what helps."},
	{Key: "rebuilding-listen", Role: RoleRebuilding, Phases: earlyPhases, Places: []string{PlaceToday},
		Title: "Listen before you explain",
		Body:  "When your partner is hurting, a defence, even a true one, can sound like \"your pain is wrong\". Listen first and say back what you heard. Your side can wait for a calmer time, if it is needed at all."},
	{Key: "rebuilding-consistency", Role: RoleRebuilding, Phases: allPhases, Places: []string{PlaceCommitments, PlaceToday},
		Title: "Consistency is the message",
		Body:  "Small promises kept every day say more than any big gesture. A slip you own straight away still says it. Trust grows from what your partner sees you do, again and again."},
	{Key: "rebuilding-no-thanks", Role: RoleRebuilding, Phases: laterPhases, Places: []string{PlaceCommitments, PlaceToday},
		Title: "Not a favour to be thanked for",
		Body:  "Telling the truth and keeping your word are the ground you are rebuilding on, not gifts. Thanks may come one day, on its own. Keep going either way."},
	{Key: "rebuilding-upkeep", Role: RoleRebuilding, Phases: []string{PhaseLater}, Places: []string{PlaceToday},
		Title: "Trust needs upkeep",
		Body:  "Months in, it can feel as if the work is done. The habits that brought you here (openness, keeping your word, checking in) are what keep trust alive. Keep them going."},

	// For the partner who was hurt.
	{Key: "hurt-valid", Role: RoleHurt, Phases: earlyPhases, Places: []string{PlaceMinute, PlaceToday},
		Title: "Your pain is valid",
		Body:  "What you feel is a natural answer to being hurt, not an overreaction. It can come back in waves, long after you thought it had passed. You do not have to justify it."},
	{Key: "hurt-needs", Role: RoleHurt, Phases: allPhases, Places: []string{PlaceToday, PlaceCommitments},
		Title: "Put your needs on the table",
		Body:  "Saying plainly what you need (reassurance, time alone, a question answered) is not asking too much. Your partner cannot meet a need they do not know about. A commitment is one place to write it down."},
	{Key: "hurt-worth", Role: RoleHurt, Phases: allPhases, Places: []string{PlaceToday, PlaceMinute},
		Title: "Your worth is intact",
		Body:  "What happened says something about choices your partner made, not about what you are worth. Look after yourself too: sleep, people you trust, things that are yours."},
	{Key: "hurt-waves", Role: RoleHurt, Phases: []string{PhaseLater}, Places: []string{PlaceMinute, PlaceToday},
		Title: "Healing is not a straight line",
		Body:  "A hard day after good months is not a failure, and not a sign that nothing changed. Notice how far you have come, and say what you need today."},

	// For both.
	{Key: "both-first-weeks", Role: RoleBoth, Phases: []string{PhaseFirstWeeks}, Places: []string{PlaceToday, PlaceMinute, PlaceCommitments},
		Title: "One day at a time",
		Body:  "The first weeks are often the hardest: sleep, work and feelings can be all over the place. You do not have to decide everything now. Small steps, like a check-in a day, are enough."},
	{Key: "both-triggers", Role: RoleBoth, Phases: allPhases, Places: []string{PlaceMinute},
		Title: "A trigger is not a setback",
		Body:  "Reminders bring the hurt back, and that is normal. Logging one is a way of looking after yourself, and of letting your partner help."},
	{Key: "both-rehashing", Role: RoleBoth, Phases: laterPhases, Places: []string{PlaceToday},
		Title: "Keep the past in its place",
		Body:  "Bringing what happened into every disagreement keeps both of you stuck. Talk about it at a time you choose together, and let other disagreements be about what they are about."},
	{Key: "both-monitoring", Role: RoleBoth, Phases: laterPhases, Places: []string{PlaceCommitments, PlaceToday},
		Title: "Openness, not watching",
		Body:  "Checking phones and locations can bring calm in the first weeks. As a way of life it keeps you both in the moment of finding out. Agree together how openness can grow and checking can shrink."},
	{Key: "both-referees", Role: RoleBoth, Phases: allPhases, Places: []string{PlaceToday},
		Title: "Friends for support, not as referees",
		Body:  "Talking to someone you trust helps. Asking friends and family to take sides makes repair harder, and stays with them long after you two have moved on. A counsellor can hold both of your stories."},
}

// GuidancePhase is the phase of a space begun at started, at now.
func GuidancePhase(started, now time.Time) string {
	days := now.Sub(started).Hours() / 24
	switch {
	case days < 30:
		return PhaseFirstWeeks
	case now.Before(started.AddDate(0, 6, 0)):
		return PhaseMonths
	}
	return PhaseLater
}

// GuidanceRole is the reader's role as their starting words and their
// partner's (shared with them) say it: RoleRebuilding, RoleHurt, or
// RoleBoth when nobody said, when they said both, or when the two
// disagree.
func GuidanceRole(sp *Space) string {
	var says []string
	if c := sp.MyContext(); c != nil && !c.Earlier {
		switch c.Rebuilding {
		case "me":
			says = append(says, RoleRebuilding)
		case "partner":
			says = append(says, RoleHurt)
		case "both":
			says = append(says, RoleBoth)
		}
	}
	if c := sp.PartnerContext(); c != nil {
		switch c.Rebuilding {
		case "me":
			says = append(says, RoleHurt)
		case "partner":
			says = append(says, RoleRebuilding)
		case "both":
			says = append(says, RoleBoth)
		}
	}
	if len(says) == 0 || (len(says) == 2 && says[0] != says[1]) {
		return RoleBoth
	}
	return says[0]
}

// NextGuidance is the card a reader of role sees on place in phase: the
// first for their role or for both that they have not dismissed; nil when
// none is left.
func NextGuidance(role, phase, place string, dismissed map[string]bool) *GuidanceCard {
	for i := range GuidanceCards {
		c := &GuidanceCards[i]
		if (c.Role == role || c.Role == RoleBoth) && has(c.Places, place) && (len(c.Phases) == 0 || has(c.Phases, phase)) && !dismissed[c.Key] {
			return c
		}
	}
	return nil
}

// GuidanceByKey returns the card named key, or nil.
func GuidanceByKey(key string) *GuidanceCard {
	for i := range GuidanceCards {
		if GuidanceCards[i].Key == key {
			return &GuidanceCards[i]
		}
	}
	return nil
}

func has(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
