package web

import (
	"time"

	"github.com/mend-app/mend/internal/mend"
)

// Who can read an entry, in words for the person reading the page. Every
// sentence here comes from mend.Space.Readers, which follows the rules of
// the store's queries: a label never promises more privacy, nor more
// sharing, than the database gives.

// seenBy says who can read an entry the reader wrote: "Seen by you and
// Ben", then why it does not reach someone it is marked for.
func seenBy(sp *mend.Space, kind string, r mend.Readers) string {
	var names []string
	if r.Partner {
		names = append(names, partnerName(sp))
	}
	if r.Therapist {
		names = append(names, therapistName(sp))
	}
	s := "Seen by you only"
	switch len(names) {
	case 1:
		s = "Seen by you and " + names[0]
	case 2:
		s = "Seen by you, " + names[0] + " and " + names[1]
	}
	switch r.PartnerWait {
	case mend.WaitNoPartner:
		s += " (your partner has not joined yet)"
	case mend.WaitBeforeJoin:
		s += " (written before " + joinedName(sp) + " joined)"
	case mend.WaitReveal:
		s += ". " + partnerName(sp) + " reads it after sharing a check-in for this day"
	}
	if w := therapistWait(sp, kind, r.TherapistWait, sp.Me.UserID); w != "" {
		s += ". " + w
	}
	return s
}

// therapistWait explains why an entry marked for the therapist does not
// reach the therapist, for a reader who is (or is not) the writer.
func therapistWait(sp *mend.Space, kind string, w mend.Wait, writer int64) string {
	who := "your therapist"
	if sp.Therapist != "" {
		who = therapistName(sp)
	}
	switch w {
	case mend.WaitNoTherapist:
		if sp.PendingLink != nil {
			return "Marked for " + sp.PendingLink.TherapistName + ", who sees nothing of your space until both of you have agreed on the Sharing page"
		}
		return "Marked for your therapist, but no therapist is linked to your space"
	case mend.WaitNotShared:
		sharer := "you share "
		if writer != sp.Me.UserID {
			sharer = partnerName(sp) + " shares "
		}
		return "Marked for " + who + ", who sees it once " + sharer + kindWords(kind) + " on the Sharing page"
	case mend.WaitNotAgreed:
		return "Marked for " + who + ", who sees it once the two of you have agreed to it"
	case mend.WaitEarlierPair:
		return capitalize(who) + " does not see what was written before " + joinedName(sp) + " joined"
	}
	return ""
}

// joinedName names the partner a "written before … joined" is about.
func joinedName(sp *mend.Space) string {
	if sp.Partner == nil {
		return "your partner"
	}
	return sp.Partner.Name
}

func kindWords(kind string) string { return mend.KindWords(kind) }

// entrySeenBy is seenBy for a saved entry of the reader's own.
func entrySeenBy(sp *mend.Space, kind string, v mend.Visibility, written time.Time) string {
	return seenBy(sp, kind, sp.Readers(sp.Me.UserID, kind, v, written, true))
}

// draftSeenBy is who would read the reader's entry of kind, first saved at
// written, with visibility v; a new one (written zero) is written now,
// after everyone in the space joined.
func draftSeenBy(sp *mend.Space, kind, v string, written time.Time) string {
	if written.IsZero() {
		written = sp.Latest()
	}
	return seenBy(sp, kind, sp.Readers(sp.Me.UserID, kind, mend.Visibility(v), written, true))
}

// commitmentSeenBy says who can read a version of a commitment, for either
// partner: both always; the therapist only an agreed version marked for
// them while its owner shares commitments.
func commitmentSeenBy(sp *mend.Space, c *mend.Commitment, v *mend.CommitmentVersion, agreed bool) string {
	r := sp.Readers(c.OwnerID, mend.KindCommitments, v.Visibility, c.CreatedAt, agreed)
	s := "The two of you"
	if r.Therapist {
		s += " and " + therapistName(sp)
	}
	if w := therapistWait(sp, mend.KindCommitments, r.TherapistWait, c.OwnerID); w != "" {
		s += ". " + w
	}
	return s
}

// visibilityHint explains the therapist's part of the choice of who sees
// an entry of kind.
func visibilityHint(sp *mend.Space, kind string) string {
	many, one := markedWords(kind)
	switch {
	case sp.Therapist == "" && sp.PendingLink != nil:
		return sp.PendingLink.TherapistName + " sees nothing of your space until both of you have agreed on the Sharing page. After that, you can also share " + one + " with your therapist."
	case sp.Therapist == "":
		return "No therapist is linked to your space. Once one is (on the Sharing page), you can also share " + one + " with your therapist."
	case kind != mend.KindSetbacks && !sp.Shares[sp.Me.UserID][kind]:
		return therapistName(sp) + " sees only " + many + " marked for your therapist, and only while you share " + kindWords(kind) + " on the Sharing page. You do not share " + kindWords(kind) + " now."
	}
	return therapistName(sp) + " sees only " + many + " marked for your therapist."
}

// markedWords names what of kind a reader marks for the therapist, many
// and one: the journal kind holds prompt answers as well as entries.
func markedWords(kind string) (many, one string) {
	if kind == mend.KindJournal {
		return "the journal entries and prompt answers", "an entry or an answer"
	}
	return "entries", "an entry"
}

// checkinSeenBy is who can read the reader's own check-in c on a day page:
// the partner reads it once reveal together allows (DayPage.PartnerReads).
func checkinSeenBy(v *mend.DayPage, c *mend.Checkin) string {
	r := v.Space.Readers(v.Space.Me.UserID, mend.KindCheckins, c.Visibility, c.CreatedAt, true)
	if r.Partner && !v.PartnerReads {
		r.PartnerWait = mend.WaitReveal
	}
	return seenBy(v.Space, mend.KindCheckins, r)
}

// checkinWritten is when the check-in on the form was first saved; zero
// for a new one.
func checkinWritten(v *mend.CheckinForm) time.Time {
	if v.Existing == nil {
		return time.Time{}
	}
	return v.Existing.CreatedAt
}

// versionAudience is whom an earlier version of a commitment was marked for.
func versionAudience(v *mend.CommitmentVersion) string {
	if v.Visibility == mend.PartnerAndTherapist {
		return "The two of you and your therapist"
	}
	return "The two of you"
}

// commitmentVisibilities are the choices of who sees a commitment: never
// private; the therapist too only while one can read the couple's entries
// (or when the commitment is marked for them already).
func commitmentVisibilities(sp *mend.Space, current string) []Choice {
	cs := []Choice{{string(mend.MyPartner), "The two of us"}}
	if sp.Therapist != "" || current == string(mend.PartnerAndTherapist) {
		cs = append(cs, Choice{string(mend.PartnerAndTherapist), "The two of us and our therapist"})
	}
	return cs
}

func commitmentVisibilityHint(sp *mend.Space) string {
	s := "Commitments are never private: they involve you both."
	switch {
	case sp.Therapist == "" && sp.PendingLink != nil:
		s += " " + sp.PendingLink.TherapistName + " sees nothing of your space until both of you have agreed on the Sharing page."
	case sp.Therapist == "":
		s += " No therapist is linked to your space; once one is, you can share a commitment with your therapist too."
	case !sp.Shares[sp.Me.UserID][mend.KindCommitments]:
		s += " " + therapistName(sp) + " sees a commitment marked for your therapist once it is agreed, and only while the one who keeps it shares commitments on the Sharing page."
	default:
		s += " " + therapistName(sp) + " sees a commitment marked for your therapist once it is agreed."
	}
	return s
}

// noViewsWords is the empty record of a therapist's views, true to whether
// a therapist is or was linked.
func noViewsWords(v SharingPageProps) string {
	switch {
	case v.Link != nil:
		return v.Link.TherapistName + " has not opened anything about you yet."
	case len(v.Links) == 0:
		return "No therapist has been linked to your space, so nobody has opened anything."
	}
	return "No therapist has opened anything about you."
}

// checkinIntro opens the check-in form with how reveal together works.
func checkinIntro(sp *mend.Space) string {
	if sp.Partner == nil {
		return "Two scales and, if you like, a few words. Your partner has not joined yet, and will see only the check-ins written after joining."
	}
	return "Two scales and, if you like, a few words. " + sp.Partner.Name + " reads yours after sharing one for the day, and you read " + Possessive(sp.Partner.Name) + " after sharing yours."
}

// therapistName is the name of the therapist who can read the couple's
// entries now, for a sentence: their own name, not the professional one.
func therapistName(sp *mend.Space) string {
	if sp.TherapistName != "" {
		return sp.TherapistName
	}
	return sp.Therapist
}

// capitalize starts s with a capital letter, for a name or phrase at the
// start of a sentence ("your therapist" → "Your therapist").
func capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// deleteWords say what deleting an entry does, and what it cannot undo.
const deleteWords = "Deleting removes it from Mend for good, from every page and every export from now on. It cannot be undone, and what someone already read or exported stays with them."

// checkinAnswerTo is the partner's answer to the reader's check-in on the
// day, as the day page shows it, or nil.
func checkinAnswerTo(v *mend.DayPage) *mend.Ack {
	if v.Mine == nil || v.Space.Partner == nil {
		return nil
	}
	return v.AckFor(v.Mine.ID, v.Space.Partner.UserID)
}
