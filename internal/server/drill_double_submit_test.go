package server

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/mend-app/mend/internal/postgres/pgtest"
)

// submits is how many times each form is sent at the same moment.
const submits = 20

// Every create form, sent 20 times at the same moment with one form key (a
// double tap, a retry on a slow phone, a browser resending): exactly one
// record results, no answer is a 5xx, and every answer lands the person in
// the same place: the same redirect, or, for a page shown in place (an
// invite link, an export), the same page.
func TestDrill_DoubleSubmitMakesOneRecord(t *testing.T) {
	t.Parallel()
	app := newTestAppOn(t, pgtest.NewDB(t), nil)
	d := newDrillWorld(t, app)
	made := 0
	for _, c := range createForms {
		t.Run(c.name, func(t *testing.T) {
			if c.setup != nil {
				c.setup(t, d)
			}
			b := d.as(t, c.who)
			form := d.form(t, c, 0)
			before := 0
			if c.count != "" {
				before = d.records(t, c)
			}
			pages := map[string]string{}
			answers := sendAtOnce(b, d.path(t, c.action), form, submits)
			first := answers[0]
			landed := map[string]int{} // each distinct answer, with how many got it
			for i, a := range answers {
				if a.err != nil {
					t.Fatalf("submission %d: %v", i, a.err)
				}
				if a.status >= 500 {
					t.Errorf("submission %d: %d\n%.1500s", i, a.status, a.body)
				}
				key := strconv.Itoa(a.status) + " " + a.location
				if a.status == http.StatusOK && c.count != "" {
					key += " page#" + strconv.Itoa(len(landed)) // told apart below
					for k := range landed {
						if strings.HasPrefix(k, strconv.Itoa(a.status)+" ") && pages[k] == pageOf(a.body) {
							key = k
						}
					}
					pages[key] = pageOf(a.body)
				}
				landed[key]++
			}
			// An answer sent to log in (its session token was renewed by
			// the press that won) must find the person logged in, with the
			// cookie that press set: log-in then leads home, not to its form.
			for _, a := range answers {
				if strings.HasPrefix(a.location, "/login") {
					if res := b.get(a.location); res.StatusCode != http.StatusSeeOther {
						t.Errorf("after the press that won, %s answers %d: the person is logged out", a.location, res.StatusCode)
					}
					break
				}
			}
			if c.known != "" {
				t.Logf("known: %s; answers: %v", c.known, landed)
			} else if len(landed) != 1 {
				t.Errorf("the %d answers land in %d places: %v", submits, len(landed), landed)
			}
			taken := 0
			for _, a := range answers {
				if a.status == http.StatusOK || a.status == http.StatusSeeOther && !strings.HasPrefix(a.location, "/login") {
					taken++
				}
			}
			if taken == 0 {
				t.Errorf("the form was not taken: %d %q\n%.2000s", first.status, first.location, first.body)
			}
			if c.count == "" {
				t.Logf("%d submits: %d %q", submits, first.status, first.location)
				return
			}
			if got := d.records(t, c) - before; got != 1 {
				t.Errorf("%d submissions at once made %d records, want 1", submits, got)
			}
			made++
			t.Logf("%d submits: 1 record; each answer %d %q", submits, first.status, first.location)
		})
	}
	t.Logf("DRILL double submit: %d forms × %d submits at once: %d records made", len(createForms), submits, made)
}

// pageOf is a page's main content, without what changes on every answer
// (the form keys of fresh forms, the CSP nonce).
func pageOf(body string) string {
	if i := strings.Index(body, "<main"); i >= 0 {
		body = body[i:]
	}
	if i := strings.Index(body, "</main>"); i >= 0 {
		body = body[:i]
	}
	return formKeyRE.ReplaceAllString(body, `name="form_key" value=""`)
}
