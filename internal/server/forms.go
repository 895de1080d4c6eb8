package server

import (
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/a-h/templ"
	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/web"
)

// parseForm reads the posted form, and refuses (400, with a page that says
// why) a form no page of Mend sends: a value that is not text (invalid
// UTF-8, or a NUL byte, which PostgreSQL text refuses too), or a field
// sent twice that is not one of multi, the form's groups of checkboxes
// (which value was meant?), or a choice no form offers (see choiceFields).
// Browsers send a text area's line breaks as CRLF but count them as one
// character against maxlength: they are stored as LF (see lineBreaks), so
// limits agree.
func parseForm(r *http.Request, multi ...string) error {
	if err := r.ParseForm(); err != nil {
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			return err
		}
		return badRequest(err)
	}
	if err := checkForm(r.Form, r.PostForm, multi); err != nil {
		return err
	}
	for _, vals := range []map[string][]string{r.Form, r.PostForm} {
		for _, vs := range vals {
			for i, v := range vs {
				vs[i] = lineBreaks.Replace(v)
			}
		}
	}
	return nil
}

// lineBreaks turns every line break into LF: CRLF, and a lone CR (which
// browsers send as CRLF), so "\r\r\n" is two breaks, as a browser counts it.
var lineBreaks = strings.NewReplacer("\r\n", "\n", "\r", "\n")

// on is what a browser sends for a checked box without a value.
var on = []string{"on"}

// choiceFields are the fields that carry one of a few values on every form
// that has them: checkboxes, the buttons named action (what to do with
// what was written) and format (of an export), the log's "I saw this" and
// the role chosen on signing up. Any other value is refused, as no page of
// Mend sends it; the hostile form walk checks that every page's choices
// are here.
var choiceFields = map[string][]string{
	"format": {"zip", "json"}, "role": {"partner", "therapist"}, "confirmed": {"yes"},
	"action": {"keep", "share", "draft", "send", "park", "write", "talk", "pause", "resume", "complete"},
	"yearly": on, "safety": on, "discreet_titles": on, "checkin": on, "partner": on, "hard_dates": on,
	"weekday0": on, "weekday1": on, "weekday2": on, "weekday3": on, "weekday4": on, "weekday5": on, "weekday6": on,
	"share": shareChoices(),
}

// shareChoices are the values of a share box: one entry's ("on"), or a
// kind of entries on the sharing page.
func shareChoices() []string {
	c := []string{"on"}
	for _, k := range mend.SharedKinds {
		c = append(c, k.Value)
	}
	return c
}

// checkForm refuses values that are not text in the query or the form, a
// field of the form sent twice unless it is one of multi, and a value of a
// choice field that is not one of its choices.
func checkForm(query, form url.Values, multi []string) error {
	for _, vals := range []url.Values{query, form} {
		for k, vs := range vals {
			if !isText(k) {
				return errNotText
			}
			for _, v := range vs {
				if !isText(v) {
					return errNotText
				}
			}
		}
	}
	for k, vs := range form {
		if len(vs) > 1 && !slices.Contains(multi, k) {
			return &requestError{errorView: errTwice.errorView, cause: fmt.Errorf("field %q sent %d times", k, len(vs))}
		}
		if choices, ok := choiceFields[k]; ok {
			for _, v := range vs {
				if !slices.Contains(choices, v) {
					return &requestError{errorView: errNoSuchChoice.errorView, cause: fmt.Errorf("field %q: no choice %q", k, v)}
				}
			}
		}
	}
	return nil
}

// isText reports whether v is valid UTF-8 without NUL bytes.
func isText(v string) bool { return utf8.ValidString(v) && !strings.ContainsRune(v, 0) }

// formOf returns the named fields of the posted form, to show them again.
func formOf(r *http.Request, fields ...string) web.Form {
	f := web.Form{Values: map[string]string{}, Errors: map[string]string{}}
	for _, name := range fields {
		f.Values[name] = r.PostFormValue(name)
	}
	return f
}

// drawForm draws a form's page again, with problems (messages by field
// name; "_form" for the form as a whole) beside the user's input. It may
// read what the page needs; its error is answered like a handler's.
type drawForm func(problems map[string]string) (templ.Component, error)

// formError is an error from a posted form, carrying the way to draw that
// form again. Handlers return redraw(err, draw); respondError shows the
// form when the error is one the person can act on there:
//
//   - Invalid: 422, the messages beside their fields (or for the form);
//   - Unauthorized (a wrong password): 422, one message for the form;
//   - Throttled: 429 with Retry-After, one message for the form;
//   - Conflict: the message on the form, 409 (see the options).
//
// Any other error (not found, forbidden, unavailable…) is answered as if
// the handler had returned it alone.
type formError struct {
	err  error
	draw drawForm
	// conflictField is where a Conflict's message goes; conflictStatus is
	// its status.
	conflictField  string
	conflictStatus int
}

func (e *formError) Error() string { return e.err.Error() }
func (e *formError) Unwrap() error { return e.err }

// formOption changes how a Conflict shows on one form.
type formOption func(*formError)

// conflictOn puts a Conflict's message beside field rather than above the
// form.
func conflictOn(field string) formOption {
	return func(e *formError) { e.conflictField = field }
}

// conflictAsInvalid shows a Conflict as an invalid answer (422): on forms
// about a record that changes while the form is open, where a Conflict
// says "not possible now", and the form and what was typed in it stay.
func conflictAsInvalid(e *formError) { e.conflictStatus = http.StatusUnprocessableEntity }

// redraw returns err with the way to draw its form again; nil for nil.
func redraw(err error, draw drawForm, opts ...formOption) error {
	if err == nil {
		return nil
	}
	e := &formError{err: err, draw: draw, conflictField: formWide, conflictStatus: http.StatusConflict}
	for _, o := range opts {
		o(e)
	}
	return e
}

// formWide is the problems key of a message for the whole form.
const formWide = "_form"

// problems says how e shows on its form: the messages by field and the
// status; ok is false when e is not the form's to show.
func (e *formError) problems() (fields map[string]string, status int, ok bool) {
	var me *mend.Error
	if !errors.As(e.err, &me) {
		return nil, 0, false
	}
	msg := me.Message
	if msg == "" {
		msg = errorViews[me.Code].message
	}
	switch me.Code {
	case mend.Invalid:
		if me.Fields != nil {
			return maps.Clone(me.Fields), http.StatusUnprocessableEntity, true
		}
		return map[string]string{formWide: msg}, http.StatusUnprocessableEntity, true
	case mend.Unauthorized:
		return map[string]string{formWide: msg}, http.StatusUnprocessableEntity, true
	case mend.Throttled:
		return map[string]string{formWide: msg}, http.StatusTooManyRequests, true
	case mend.Conflict:
		return map[string]string{e.conflictField: msg}, e.conflictStatus, true
	}
	return nil, 0, false
}

// safeNext returns next when it is a path on this site, else "". Control
// characters and backslashes are refused outright: browsers drop tabs and
// newlines and read "\\" as "/", which would turn "/\t/evil.example" into
// the off-site "//evil.example".
func safeNext(next string) string {
	if len(next) > 512 || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") {
		return ""
	}
	for _, c := range next {
		if c < 0x20 || c == 0x7f || c == '\\' {
			return ""
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return ""
	}
	return next
}
