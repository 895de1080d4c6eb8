package web

import (
	"strings"
	"time"

	"github.com/a-h/templ"

	"github.com/mend-app/mend/internal/mend"
)

// AnswerFields are the fields of the answer form, in page order.
var AnswerFields = []string{"body", "visibility"}

// OwnPromptFields are the fields of the form that adds an own prompt.
var OwnPromptFields = []string{"category", "mode", "text"}

// AnswerFormID names the answer form of a prompt of a day, so a redrawn
// page shows the problems beside the right one.
func AnswerFormID(day time.Time, key string) string { return DateValue(day) + "/" + key }

// AnswerFormValues fills the answer form of d: the reader's answer when
// there is one; else empty, to be read by the partner for a talk-together
// prompt and by the reader alone for one to write alone.
func AnswerFormValues(d *mend.PromptDay, formKey string) Form {
	f := Form{Values: map[string]string{"form_key": formKey, "visibility": string(mend.JustMe)}}
	if d.Prompt.Together() {
		f.Values["visibility"] = string(mend.MyPartner)
	}
	if d.Mine != nil {
		f.Values["body"], f.Values["visibility"] = d.Mine.Body, string(d.Mine.Visibility)
	}
	return f
}

// promptTags are a prompt's category and mode, in words.
func promptTags(p mend.Prompt) (string, string) {
	cat := mend.Label(mend.PromptCategories, p.Category)
	if p.Own {
		cat = "Your own: " + lowerFirst(cat)
	}
	return cat, mend.Label(mend.PromptModes, p.Mode)
}

// promptWords is a prompt's text, or why it has none.
func promptWords(p mend.Prompt) string {
	if p.Text == "" {
		return "A prompt that is no longer in your space."
	}
	return p.Text
}

// answerSeenBy says who can read the reader's own answer a now: the
// partner, for a talk-together prompt, once they have shared an answer too.
func answerSeenBy(sp *mend.Space, d *mend.PromptDay) string {
	return audienceWords(sp, sp.AnswerReaders(d.Mine, d.Theirs != nil || d.TheyAnswered))
}

// answerChoiceSeenBy says who would read an answer with visibility v
// written now.
func answerChoiceSeenBy(sp *mend.Space, d *mend.PromptDay, v string) string {
	a := mend.PromptAnswer{UserID: sp.Me.UserID, Mode: d.Prompt.Mode, Visibility: mend.Visibility(v), CreatedAt: sp.Latest()}
	if d.Mine != nil {
		a.CreatedAt = d.Mine.CreatedAt
	}
	return audienceWords(sp, sp.AnswerReaders(&a, d.Theirs != nil || d.TheyAnswered))
}

// audienceWords is seenBy for entries kept between the partners, with
// their own words for a talk-together answer that waits for the partner's.
func audienceWords(sp *mend.Space, r mend.Readers) string {
	if r.PartnerWait == mend.WaitReveal {
		r.PartnerWait = ""
		return seenBy(sp, mend.KindPrompts, r) + ". " + partnerName(sp) + " reads it once they have shared an answer too"
	}
	return seenBy(sp, mend.KindPrompts, r)
}

// answerFormOf is the answer form of the prompt id: the one shown again with
// its problems, or its fresh one.
func answerFormOf(f Form, formFor, id string, fresh Form) Form {
	if formFor == id && f.Values != nil {
		return f
	}
	return fresh
}

// answerLabel labels the answer box by what the prompt asks for.
func answerLabel(d *mend.PromptDay) string {
	switch {
	case d.Mine != nil:
		return "Your answer"
	case d.Prompt.Together():
		return "Your answer, to talk about together"
	}
	return "Your words, written alone"
}

// fieldID is the element id of field on one of several forms of a page:
// its plain name on the form shown again with problems, which the summary
// at its top links to, else made unique with id.
func fieldID(f Form, field, id string) string {
	if len(f.Errors) > 0 {
		return field
	}
	return field + "-" + id
}

// OwnPromptPath is the address of the couple's own prompt with key
// ("own-" and its id), with rest.
func OwnPromptPath(key, rest string) templ.SafeURL {
	return templ.SafeURL("/prompts/own/" + strings.TrimPrefix(key, "own-") + rest)
}

// ownPromptSeenBy says who could read one of the couple's own prompts:
// both partners in the space, never the therapist.
func ownPromptSeenBy(sp *mend.Space) string {
	if sp.Partner == nil {
		return "Seen by you only, and by your partner once they join"
	}
	return "Seen by you and " + sp.Partner.Name
}
