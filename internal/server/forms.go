package server

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

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
		return fmt.Errorf("%w: %v", errBadFormInput, err)
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

// formProblem says how to show err again on the form that caused it:
// Invalid → 422 with the messages by their fields; Unauthorized (a wrong
// email or password) → 422, Throttled → 429, both with one message for the
// whole form. ok is false for every other error.
func formProblem(w http.ResponseWriter, err error) (fields map[string]string, status int, ok bool) {
	var me *mend.Error
	if !errors.As(err, &me) {
		return nil, 0, false
	}
	switch me.Code {
	case mend.Invalid:
		if me.Fields == nil {
			return map[string]string{"_form": me.Message}, http.StatusUnprocessableEntity, true
		}
		return me.Fields, http.StatusUnprocessableEntity, true
	case mend.Unauthorized:
		return map[string]string{"_form": me.Message}, http.StatusUnprocessableEntity, true
	case mend.Throttled:
		w.Header().Set("Retry-After", "900")
		return map[string]string{"_form": me.Message}, http.StatusTooManyRequests, true
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
