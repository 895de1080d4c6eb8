package web

import "github.com/mend-app/mend/internal/mend"

// Each partner's starting words, as each reader reads them.

// contextVisibilities are who may see a partner's starting words: never a
// therapist. sp is nil at the start of a space.
func contextVisibilities(sp *mend.Space) []Choice {
	partner := "My partner and me"
	if sp != nil && sp.Partner != nil {
		partner = sp.Partner.Name + " and me"
	}
	return []Choice{{string(mend.MyPartner), partner}, {string(mend.JustMe), "Just me"}}
}

// myContextHeading names the reader's own words: about this pair, or an
// earlier one.
func myContextHeading(sp *mend.Space, c *mend.CoupleContext) string {
	if c.Earlier {
		return "What you wrote earlier"
	}
	return "What you said at the start"
}

// myContextSeenBy says who can read the reader's own words now, from the
// same rule the query uses: the author; the partner they were about, when
// shared; a partner who joins later, when written alone and shared.
func myContextSeenBy(sp *mend.Space, c *mend.CoupleContext) string {
	switch {
	case c.Earlier:
		return "Seen only by you: you wrote it about a partner who has since left the space."
	case c.Visibility == mend.JustMe:
		return "Seen only by you."
	case sp.Partner == nil:
		return "Your partner will see it on joining the space. Never a therapist."
	}
	return "Seen by you and " + sp.Partner.Name + ". Never a therapist."
}

func myContextAction(c *mend.CoupleContext) string {
	if c.Earlier {
		return "Write new words"
	}
	return "Change what you said"
}

// ContextForm fills the starting-words form with c (nil for none).
func ContextForm(c *mend.CoupleContext) Form {
	f := Form{Values: map[string]string{"visibility": string(mend.MyPartner)}}
	if c == nil {
		return f
	}
	f.Values["what_happened"], f.Values["details"], f.Values["rebuilding"] = c.WhatHappened, c.Details, c.Rebuilding
	f.Values["visibility"] = string(c.Visibility)
	if c.CameToLight != nil {
		f.Values["came_to_light"] = DateValue(*c.CameToLight)
	}
	return f
}

// yourPartner is the partner's name, or "your partner", in a sentence.
func yourPartner(sp *mend.Space) string {
	if sp == nil || sp.Partner == nil {
		return "your partner"
	}
	return sp.Partner.Name
}
