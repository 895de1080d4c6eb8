package server

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/web"
)

// parseForm reads the posted form. Values are made safe to store: invalid
// UTF-8 is replaced and NUL bytes (which PostgreSQL text refuses) removed,
// so odd input gets a validation message rather than a 500.
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
				vs[i] = strings.ReplaceAll(strings.ToValidUTF8(v, "\uFFFD"), "\x00", "")
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

// fieldErrors returns err's field messages when it is an Invalid error.
func fieldErrors(err error) (map[string]string, bool) {
	var me *mend.Error
	if errors.As(err, &me) && me.Code == mend.Invalid {
		if me.Fields == nil {
			return map[string]string{"_form": me.Message}, true
		}
		return me.Fields, true
	}
	return nil, false
}

// safeNext returns next when it is a path on this site, else "".
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.ContainsAny(next, "\r\n") || len(next) > 512 {
		return ""
	}
	return next
}
