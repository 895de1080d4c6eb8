package mend

import "time"

// MaxComfortPlan is the length of a comfort plan, in characters.
const MaxComfortPlan = 600

// LimitComfortPlan is the limit of a comfort plan's words.
var LimitComfortPlan = Limit{MaxComfortPlan, "Please keep your plan to %[1]d characters (it is %[2]d now). A few lines are enough."}

// ComfortPlan is one version of what helps a partner when they are
// triggered. Writing the plan again adds a version; every version is kept.
// A version is its writer's alone until shared; the other partner then
// agrees to it. A change needs agreeing again.
type ComfortPlan struct {
	ID        int64
	UserID    int64 // the writer
	Body      string
	SharedAt  *time.Time // nil: only its writer sees it
	AgreedAt  *time.Time // when the other partner agreed to this version
	CreatedAt time.Time
}

// Shared reports whether the writer shared this version with the other
// partner.
func (p *ComfortPlan) Shared() bool { return p.SharedAt != nil }

// Agreed reports whether the other partner agreed to this version.
func (p *ComfortPlan) Agreed() bool { return p.AgreedAt != nil }

// Visibility is who the version reaches: the partner once shared.
func (p *ComfortPlan) Visibility() Visibility {
	if p.Shared() {
		return MyPartner
	}
	return JustMe
}

// ComfortPlans is one partner's plan as a reader may see it: the versions
// the reader may read, newest first.
type ComfortPlans struct {
	UserID   int64
	Versions []ComfortPlan
}

// Current is the newest version the reader may see, or nil.
func (c *ComfortPlans) Current() *ComfortPlan {
	if len(c.Versions) == 0 {
		return nil
	}
	return &c.Versions[0]
}

// Agreed is the newest version the other partner agreed to, or nil: the
// plan the couple agreed, until a newer version is agreed too.
func (c *ComfortPlans) Agreed() *ComfortPlan {
	for i := range c.Versions {
		if c.Versions[i].Agreed() {
			return &c.Versions[i]
		}
	}
	return nil
}

// Waiting is the newest version when it is shared and not agreed yet: the
// one the other partner is asked to agree to; nil otherwise.
func (c *ComfortPlans) Waiting() *ComfortPlan {
	if cur := c.Current(); cur != nil && cur.Shared() && !cur.Agreed() {
		return cur
	}
	return nil
}

// ComfortPage is the comfort plans page: the reader's own plan, every
// version, and the other partner's as shared with the reader.
type ComfortPage struct {
	Space   *Space
	Mine    ComfortPlans
	Partner ComfortPlans
}

// ErrNoComfortPlan: there is no shared plan version of the other partner's
// to agree to, or it was agreed, or a newer version replaced it.
var ErrNoComfortPlan = &Error{Code: NotFound, Message: "There is no plan waiting for your agreement. It may have been changed since; have a look at the latest version."}

// TriggerMinute is the minute of help after a trigger is saved: the
// writer's own trigger, what helped them before, their agreed comfort plan,
// and whether to show the help lines.
type TriggerMinute struct {
	Space   *Space
	Trigger Trigger
	// HelpedBefore are the writer's own earlier "what helped" words,
	// distinct, newest first, at most MinuteHelped.
	HelpedBefore []string
	// Plan is the writer's plan: its agreed version, or what waits.
	Plan ComfortPlans
	// InHour is how many triggers the writer logged in the hour up to and
	// including this one.
	InHour int
}

// MinuteHelped is how many earlier "what helped" words the minute shows.
const MinuteHelped = 3

// HelpLinesRule: the help lines are offered quietly after a trigger of
// intensity HelpLinesIntensity or more, or when it is the writer's
// HelpLinesInHour-th trigger (or later) within one hour.
const (
	HelpLinesIntensity = 9
	HelpLinesInHour    = 3
)

// ShowHelpLines reports whether the minute offers the help lines.
func (m *TriggerMinute) ShowHelpLines() bool {
	return m.Trigger.Intensity >= HelpLinesIntensity || m.InHour >= HelpLinesInHour
}
