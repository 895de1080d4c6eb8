package web

import (
	"strconv"

	"github.com/a-h/templ"

	"github.com/mend-app/mend/internal/mend"
)

// The therapist link as each partner reads it: who invited, who agreed,
// and how it ended, in the sharing history and the therapist section.

// linkEvents are the history lines of one therapist link, from the
// reader's side.
func linkEvents(reader *mend.User, v SharingPageProps, l mend.TherapistLink) []historyItem {
	name := l.TherapistName
	var items []historyItem
	if l.InvitedBy == 0 {
		// A link from before agreement was asked: it began agreed.
		items = append(items, historyItem{l.StartedAt, name + " was linked as your therapist"})
	} else {
		items = append(items, historyItem{l.StartedAt, name + " accepted " + whoseInvitation(reader, v, l.InvitedBy)})
		if l.AgreedAt != nil {
			items = append(items, historyItem{*l.AgreedAt, partnerWho(reader, v, l.AgreedBy) + " agreed: " + name + " was linked as your therapist"})
		}
	}
	if l.EndedAt != nil {
		if l.Pending() {
			items = append(items, historyItem{*l.EndedAt, endedBeforeAgreed(reader, v, l)})
		} else {
			items = append(items, historyItem{*l.EndedAt, endedWords(reader, v, l)})
		}
	}
	return items
}

// whoseInvitation is "your invitation", "Ana's invitation" or "an
// invitation" (from a partner no longer in the space).
func whoseInvitation(reader *mend.User, v SharingPageProps, userID int64) string {
	switch {
	case userID == reader.ID:
		return "your invitation"
	case v.Space.Partner != nil && userID == v.Space.Partner.UserID:
		return Possessive(v.Space.Partner.Name) + " invitation"
	}
	return "an invitation"
}

// partnerWho is "You", the partner's name, or "Your partner".
func partnerWho(reader *mend.User, v SharingPageProps, userID int64) string {
	switch {
	case userID == reader.ID:
		return "You"
	case v.Space.Partner != nil && userID == v.Space.Partner.UserID:
		return v.Space.Partner.Name
	}
	return "Your partner"
}

// endedBeforeAgreed says how a link ended before both partners agreed: the
// partner who did not invite declined it, the one who did withdrew it.
func endedBeforeAgreed(reader *mend.User, v SharingPageProps, l mend.TherapistLink) string {
	name := l.TherapistName
	by := int64(0)
	if l.EndedBy != nil {
		by = *l.EndedBy
	}
	partner := v.Space.Partner != nil && by == v.Space.Partner.UserID
	switch {
	case l.TherapistID == 0:
		return "The invitation ended: the therapist has since deleted their account"
	case by != 0 && by == l.TherapistID:
		return name + " withdrew before it was agreed"
	case (by == reader.ID || partner) && by == l.InvitedBy:
		return partnerWho(reader, v, by) + " withdrew the invitation to " + name
	case by == reader.ID || partner:
		return partnerWho(reader, v, by) + " declined " + name
	}
	// Ended by a partner who has left since (leaving ends the link).
	return "The invitation to " + name + " ended before it was agreed"
}

// pendingInviter is the name of the partner who invited the pending
// therapist, from the reader's side: "You" or the partner's name.
func pendingInviter(reader *mend.User, sp *mend.Space, l *mend.TherapistLink) string {
	if l.InvitedBy == reader.ID {
		return "You"
	}
	if sp.Partner != nil && l.InvitedBy == sp.Partner.UserID {
		return sp.Partner.Name
	}
	return "Your partner"
}

// LinkID is a link's id as a form value.
func LinkID(l *mend.TherapistLink) string { return strconv.FormatInt(l.ID, 10) }

// PendingPath is the address of a therapist's pending link linkID: it
// carries no couple id, since a pending link gives nothing of the couple.
func PendingPath(linkID int64, rest string) templ.SafeURL {
	return templ.SafeURL("/caseload/invitations/" + strconv.FormatInt(linkID, 10) + rest)
}

// inviterOf names who invited the therapist to a pending link.
func inviterOf(c mend.CaseloadCouple) string {
	if c.Inviter == "" {
		return "A partner"
	}
	return c.Inviter
}
