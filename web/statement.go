package web

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/a-h/templ"
	"github.com/mend-app/mend/internal/mend"
)

// StatementFields are the fields of the statement form, in page order.
var StatementFields = []string{mend.PartDid, mend.PartImpact, mend.PartRegret, mend.PartChanging, "commitments"}

// StatementAnswerFields are the fields of the answer form, in page order.
func StatementAnswerFields() []string {
	var fs []string
	for _, part := range mend.StatementParts {
		fs = append(fs, "answer-"+part.Key, "note-"+part.Key)
	}
	return fs
}

// StatementFormValues fills the statement form: from the reader's draft,
// or else from their latest sent version (to revise it), or empty.
func StatementFormValues(p *mend.StatementPage, formKey string) Form {
	f := Form{Values: map[string]string{"form_key": formKey}}
	var v *mend.StatementVersion
	if p.Mine != nil {
		v = p.Mine.Draft
		if v == nil {
			v = p.Mine.Latest()
		}
	}
	if p.Mine != nil && p.Mine.Shared {
		f.Values["share"] = "on"
	}
	if v != nil {
		for _, part := range mend.StatementParts {
			f.Values[part.Key] = v.Text(part.Key)
		}
		for _, id := range v.CommitmentIDs {
			f.Values[linkField(id)] = "on"
		}
	}
	return f
}

// linkField is the form's field of a linked commitment.
func linkField(id int64) string { return "commitment-" + strconv.FormatInt(id, 10) }

// partTitle is a part's title for the reader: "What I did" for the
// writer, "What Ben did" for the other partner.
func partTitle(sp *mend.Space, part mend.StatementPart, writer int64) string {
	if writer == sp.Me.UserID {
		return part.Mine
	}
	return fmt.Sprintf(part.Theirs, writerName(sp, writer))
}

// writerName names the other partner who wrote a statement.
func writerName(sp *mend.Space, writer int64) string {
	if sp.Partner != nil && sp.Partner.UserID == writer {
		return sp.Partner.Name
	}
	return "a former partner"
}

// statementTitle is "Your statement" or "Ben's statement".
func statementTitle(sp *mend.Space, writer int64) string {
	if writer == sp.Me.UserID {
		return "Your statement"
	}
	if sp.Partner != nil && sp.Partner.UserID == writer {
		return sp.Partner.Name + "’s statement"
	}
	return "A former partner’s statement"
}

// statementSeenBy says who can read the reader's own version v, computed
// from the store's rule (Space.StatementReaders): a draft only the reader
// (and whom it reaches once sent), a sent version the two partners, and
// the therapist when the reader shares the statement with them.
func statementSeenBy(sp *mend.Space, v *mend.StatementVersion) string {
	if v.Draft() {
		return "Only you can see this draft until you send it. Once sent: " +
			lowerFirst(draftSeenBy(sp, mend.KindStatement, string(statementVisibility(v.Shared)), zeroTime))
	}
	return seenBy(sp, mend.KindStatement, sp.StatementReaders(v))
}

// theirStatementSeenBy says who reads the other partner's version v, by
// the same rule: both of them, and the therapist when they read it (with
// the reader's answers).
func theirStatementSeenBy(sp *mend.Space, v *mend.StatementVersion) string {
	if sp.StatementReaders(v).Therapist {
		return "Seen by both of you and " + therapistName(sp) + ", with your answers"
	}
	return "Seen by both of you"
}

// statementVisibility is the visibility the writer's choice gives.
func statementVisibility(shared bool) mend.Visibility {
	if shared {
		return mend.PartnerAndTherapist
	}
	return mend.MyPartner
}

// statementDraftWords says who sees the draft being written.
func statementDraftWords(p *mend.StatementPage) string {
	if p.Mine != nil && p.Mine.Draft != nil {
		return statementSeenBy(p.Space, p.Mine.Draft)
	}
	return "Only you can see this until you send it. Once sent: " +
		lowerFirst(draftSeenBy(p.Space, mend.KindStatement, string(statementVisibility(p.Mine != nil && p.Mine.Shared)), zeroTime))
}

// shareStatementWords is the button that changes whether the therapist
// may read the reader's statement.
func shareStatementWords(sp *mend.Space, st *mend.Statement) string {
	if st.Shared {
		return "Stop sharing my statement with " + therapistName(sp)
	}
	return "Share my statement and its answers with " + therapistName(sp)
}

// shareStatementHint says what sharing the statement does.
func shareStatementHint(sp *mend.Space, st *mend.Statement) string {
	if st.Shared {
		return "You share your statement with " + therapistName(sp) + ": every version you sent, with the answers. Never your draft."
	}
	return "Your statement stays between the two of you unless you share it. Sharing lets " + therapistName(sp) +
		" read every version you sent, with the answers, while you also share the accountability statement on the Sharing page. Never your draft."
}

// statementIntro says, by the same rule as each version's label, who
// reads the statements on the page now.
func statementIntro(p *mend.StatementPage) string {
	therapist := false
	for _, st := range []*mend.Statement{p.Mine, p.Theirs} {
		if v := st.Latest(); v != nil && p.Space.StatementReaders(v).Therapist {
			therapist = true
		}
	}
	if therapist {
		return "Seen by the two of you and " + therapistName(p.Space) + ", who reads a statement its writer shares. Drafts are seen by their writer alone."
	}
	if p.Space.Therapist != "" {
		return "Seen by the two of you only: " + therapistName(p.Space) + " reads a statement only when its writer shares it. Drafts are seen by their writer alone."
	}
	return "Seen by the two of you only. Drafts are seen by their writer alone."
}

// shareStatementOffered reports whether the reader may change the sharing
// of their statement: while a therapist is linked, or shared already.
func shareStatementOffered(sp *mend.Space, st *mend.Statement) bool {
	return st != nil && (sp.Therapist != "" || st.Shared)
}

// statementAnswerWords is an answer's choice in words.
func statementAnswerWords(a *mend.StatementAnswer) string {
	if a.Lands {
		return "This lands"
	}
	return "I need more here"
}

// StatementAnswerChoices are the two answers to a part.
var StatementAnswerChoices = []Choice{{Value: "lands", Label: "This lands"}, {Value: "more", Label: "I need more here"}}

// versionWords is "Version 2, sent 1 Dec 2026, 20:15".
func versionWords(v *mend.StatementVersion, u *mend.User) string {
	return "Version " + strconv.Itoa(v.Number) + ", sent " + When(*v.SentAt, u)
}

// newestFirst returns the sent versions of st, newest first.
func newestFirst(st *mend.Statement) []*mend.StatementVersion {
	var vs []*mend.StatementVersion
	for i := len(st.Versions) - 1; i >= 0; i-- {
		vs = append(vs, &st.Versions[i])
	}
	return vs
}

// waitsForMe reports whether the latest version of the partner's
// statement waits for the reader's answer.
func waitsForMe(p *mend.StatementPage) bool {
	v := p.Theirs.Latest()
	return v != nil && p.Space.Partner != nil && v.UserID == p.Space.Partner.UserID && !v.AnsweredBy(p.Space.Me.UserID)
}

// StatementVersionPath is the address of version id's pages.
func StatementVersionPath(id int64, rest string) templ.SafeURL {
	return templ.SafeURL("/statement/versions/" + strconv.FormatInt(id, 10) + rest)
}

// answerValues is the answer form: the one shown again with its problems,
// or a fresh one with its key.
func answerValues(f Form, key string) Form {
	if f.Values != nil {
		return f
	}
	return Form{Values: map[string]string{"form_key": key}}
}

// sendWords names the button that sends the statement.
func sendWords(sp *mend.Space) string {
	if sp.Partner == nil {
		return "Send it"
	}
	return "Send to " + sp.Partner.Name
}

// versionCount is "1 version sent" or "2 versions sent".
func versionCount(st *mend.Statement) string {
	return plural(len(st.Versions), "version") + " sent"
}

// answerCount is "4 answers" or "1 answer".
func answerCount(st *mend.Statement) string {
	n := 0
	for _, v := range st.Versions {
		n += len(v.Answers)
	}
	return plural(n, "answer")
}

// answeredVersion reports whether the reader answered version v.
func answeredVersion(v *mend.StatementVersion, userID int64) bool {
	for _, a := range v.Answers {
		if a.UserID == userID {
			return true
		}
	}
	return false
}

// deleteAnswersHint says what deleting the reader's answers to v does:
// they go for good, the version stays, and the latest version can be
// answered again.
func deleteAnswersHint(p *mend.StatementPage, v *mend.StatementVersion) string {
	if l := p.Theirs.Latest(); l != nil && l.ID == v.ID {
		return "Deleting your answers removes them from Mend for good. " + writerName(p.Space, v.UserID) + "’s version stays, and you can answer it again."
	}
	return "Deleting your answers removes them from Mend for good. " + writerName(p.Space, v.UserID) + "’s version stays."
}

// partGuide is a part's guide for its writer, with the partner's name
// where the guide says "your partner".
func partGuide(sp *mend.Space, part mend.StatementPart) string {
	return strings.ReplaceAll(part.Guide, "your partner", yourPartner(sp))
}

// therapistPartTitle is a part's title for the therapist: "What Ben did",
// "The impact Ben understands it had on Ana".
func therapistPartTitle(ms []mend.Member, part mend.StatementPart, writer int64) string {
	names := memberNameMap(ms)
	writerName := names[writer]
	if writerName == "" {
		writerName = "a former partner"
	}
	t := fmt.Sprintf(part.Theirs, writerName)
	if !strings.HasSuffix(t, " on you") {
		return t
	}
	for _, m := range ms {
		if m.UserID != writer {
			return strings.TrimSuffix(t, "you") + m.Name
		}
	}
	return strings.TrimSuffix(t, " on you")
}

// notAnsweredWords says, for its reader, that nobody answered version v.
func notAnsweredWords(sp *mend.Space, v *mend.StatementVersion) string {
	if v.UserID == sp.Me.UserID {
		if sp.Partner == nil {
			return "Not answered."
		}
		return sp.Partner.Name + " has not answered this version yet."
	}
	return "You have not answered this version."
}
