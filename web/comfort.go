package web

import (
	"strconv"

	"github.com/a-h/templ"
	"github.com/mend-app/mend/internal/mend"
)

// ComfortFields are the fields of the comfort plan form.
var ComfortFields = []string{"body"}

// ComfortFormValues fills the comfort plan form with the newest version of
// the reader's plan (none: empty).
func ComfortFormValues(mine *mend.ComfortPlans, formKey string) Form {
	f := Form{Values: map[string]string{"form_key": formKey}}
	if cur := mine.Current(); cur != nil {
		f.Values["body"] = cur.Body
	}
	return f
}

// ComfortAgreePath is the address that agrees to plan version id.
func ComfortAgreePath(id int64) templ.SafeURL {
	return templ.SafeURL("/comfort/" + strconv.FormatInt(id, 10) + "/agree")
}

// MinutePath is the address of the minute of help after trigger id.
func MinutePath(id int64) string { return "/triggers/" + strconv.FormatInt(id, 10) + "/minute" }

// comfortSeenBy says who reads a version of the reader's own plan, from
// the same rule as the store's scope: the partner once shared, never the
// therapist.
func comfortSeenBy(sp *mend.Space, p *mend.ComfortPlan) string {
	written := p.CreatedAt
	if p.SharedAt != nil {
		written = *p.SharedAt
	}
	return seenBy(sp, "", sp.Readers(sp.Me.UserID, "", p.Visibility(), written, true))
}

// comfortState says where the reader's own newest version stands.
func comfortState(sp *mend.Space, mine *mend.ComfortPlans, u *mend.User) string {
	cur := mine.Current()
	switch {
	case cur == nil:
		return ""
	case !cur.Shared():
		return "Your newest version is private: only you can read it."
	case cur.Agreed():
		return partnerName(sp) + " agreed to it on " + When(*cur.AgreedAt, u) + "."
	}
	return "Waiting for " + yourPartner(sp) + " to agree."
}

// comfortVersionCount names the versions of the reader's plan.
func comfortVersionCount(c *mend.ComfortPlans) string {
	if n := len(c.Versions); n != 1 {
		return "Every version of your plan (" + strconv.Itoa(n) + ")"
	}
	return "Your plan"
}

// comfortPlanSeenBy says who could read the reader's plan: the widest
// audience of its versions, by comfortSeenBy (a version shared reached
// the partner).
func comfortPlanSeenBy(sp *mend.Space, c *mend.ComfortPlans) string {
	for i := range c.Versions {
		if c.Versions[i].Shared() {
			return comfortSeenBy(sp, &c.Versions[i])
		}
	}
	if cur := c.Current(); cur != nil {
		return comfortSeenBy(sp, cur)
	}
	return "Seen by you only"
}
