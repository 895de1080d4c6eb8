package server

import (
	"errors"
	"maps"
	"net/http"
	"net/url"
	"strings"

	"github.com/a-h/templ"
	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/web"
)

// parseForm reads the posted form. Values are made safe to store: invalid
// UTF-8 is replaced and NUL bytes (which PostgreSQL text refuses) removed,
// so odd input gets a validation message rather than a 500. Browsers send
// a text area's line breaks as CRLF but count them as one character
// against maxlength: they are stored as LF, so limits agree.
func parseForm(r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			return err
		}
		return badRequest(err)
	}
	for _, vals := range []map[string][]string{r.Form, r.PostForm} {
		for k, vs := range vals {
			for i, v := range vs {
				v = strings.ReplaceAll(strings.ToValidUTF8(v, "\uFFFD"), "\x00", "")
				vs[i] = strings.ReplaceAll(v, "\r\n", "\n")
			}
			vals[k] = vs
		}
	}
	return nil
}

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
