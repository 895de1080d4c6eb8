package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"
)

// Hostile forms: every POST form Mend offers, found by crawling it as each
// kind of person, is sent with one field made hostile at a time: invalid
// UTF-8, a NUL byte, 1 MB, more than its maxlength, negative and huge
// numbers, impossible dates, an unknown choice, two values for one name,
// and each required field left out. Each answer must be a 4xx with words
// for the person (a page, or the form again with its problems and what was
// typed), never a 5xx; and nothing of any of them may be saved.

// hostileNoForm names the POST routes no crawl of the seeded world meets a
// form with fields for, and why; a POST route that is neither crawled nor
// here fails the test. Routes whose form has fields are in hostileByHand.
var hostileNoForm = map[string]string{
	"/caseload/invitations/{linkID}/withdraw":       "one button, on a therapist's pending link",
	"/checkins/{day}/ack/delete":                    "one button, on an answer to a check-in",
	"/commitments/{id}/withdraw":                    "one button, on a proposal waiting for an answer",
	"/couple/invite":                                "one button, while no partner has joined",
	"/couple/invite/revoke":                         "one button, on a waiting invite",
	"/disclosures/{disclosureID}/answer/delete":     "one button, on one's answers",
	"/join/{token}":                                 "one button, on a valid invite link",
	"/safety/flag":                                  "one button, on the safety page with a linked therapist",
	"/sharing/invite":                               "one button, with no therapist linked",
	"/sharing/invite/revoke":                        "one button, on a waiting therapist invite",
	"/signup/confirm/{token}":                       "one button (and the next page, a path checked by safeNext), on a valid confirmation link",
	"/statement/versions/{versionID}/answer/delete": "one button, on one's answers",
	"/talk/times/{talkTimeID}/withdraw":             "one button, on one's own proposal",
	"/talk/topics/{topicID}/talked":                 "one button, at the talk time",
	"/triggers/{triggerID}/respond/delete":          "one button, on one's response",
	"/unsubscribe/{token}":                          "one-click unsubscribe (RFC 8058): its body is ignored",
}

// hostileLenient names the cases where a form takes what it is sent on
// purpose, by "route field case".
var hostileLenient = map[string]string{
	// A preset answer is a shortcut for typing its words: any words may be
	// sent instead, as in the text field beside it.
	"/checkins/{day}/ack preset unknown choice":                "free words",
	"/disclosures/{disclosureID}/answer preset unknown choice": "free words",
	// A professional name is read only from a therapist signing up.
	"/signup professional_name over maxlength": "not read",
	// A commitment starts today, and a setback is today's, unless the
	// form says otherwise.
	"/commitments starts_on missing field":           "today",
	"/commitments/{id}/edit starts_on missing field": "today",
	"/progress/setbacks day missing field":           "today",
}

// hostileByHand are forms with fields that the seeded world shows nobody
// at crawl time (their record is in another state), written as their
// pages write them.
func (w *world) hostileByHand() []pageForm {
	p := w.params()
	path := func(route string) string { s, _ := fillParams(route, p); return s }
	return []pageForm{
		{page: "Zelphine", action: path("/commitments/{id}/answer"), fields: []formField{
			{name: "note", kind: "textarea", maxLength: "500"},
			{name: "answer", kind: "submit", value: "agree", options: []string{"agree", "change", "decline"}}}},
		{page: "Zelphine", action: path("/commitments/{id}/log"), fields: []formField{
			{name: "form_key", kind: "hidden", value: "hand-written-key-1"},
			{name: "day", kind: "hidden", value: w.day},
			{name: "status", kind: "radio", value: "kept", options: []string{"kept", "partly", "missed"}},
			{name: "note", kind: "textarea", maxLength: "500"}}},
		{page: "Zelphine", action: path("/talk/times/{talkTimeID}/answer"), fields: []formField{
			{name: "decision", kind: "submit", value: "agree", options: []string{"agree", "decline"}}}},
		{page: "Zelphine", action: "/sharing/agree", fields: []formField{{name: "link", kind: "hidden", value: p["linkID"]}}},
		{page: "Zelphine", action: "/sharing/decline", fields: []formField{{name: "link", kind: "hidden", value: p["linkID"]}}},
		{page: "visitor", action: "/password/reset/not-a-reset-token", fields: []formField{
			{name: "new", kind: "password", required: true}, {name: "confirm", kind: "password", required: true}}},
	}
}

// hostileCase is one hostile change to a form.
type hostileCase struct {
	name, field string
	change      func(url.Values)
	// tooLarge: the body limit may answer (413).
	tooLarge bool
}

var (
	intRE  = regexp.MustCompile(`^-?[0-9]+$`)
	dateRE = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)
)

// numeric reports whether a field holds a number: a number input, or a
// choice or hidden value whose every value is an integer.
func (fd formField) numeric() bool {
	if fd.kind == "number" || fd.kind == "range" {
		return true
	}
	if fd.kind == "hidden" {
		return intRE.MatchString(fd.value)
	}
	n := 0
	for _, o := range fd.options {
		if o == "" {
			continue
		}
		if !intRE.MatchString(o) {
			return false
		}
		n++
	}
	return n > 0
}

func (fd formField) textual() bool {
	switch fd.kind {
	case "text", "textarea", "email", "password", "hidden", "search", "tel", "url":
		return true
	}
	return false
}

func (fd formField) choice() bool {
	switch fd.kind {
	case "radio", "select", "submit", "checkbox":
		return len(fd.options) > 0
	}
	return false
}

// hostileCases are the hostile changes to f, one field at a time.
func hostileCases(f pageForm) []hostileCase {
	var cases []hostileCase
	set := func(name, value string) func(url.Values) { return func(v url.Values) { v.Set(name, value) } }
	large := false
	for _, fd := range f.fields {
		add := func(name, value string) {
			cases = append(cases, hostileCase{name: name, field: fd.name, change: set(fd.name, value)})
		}
		if fd.textual() || fd.kind == "date" || fd.kind == "time" || fd.kind == "datetime-local" || fd.choice() {
			add("invalid UTF-8", "kind words \xff\xfe\xfd")
			add("NUL byte", "kind\x00words")
		}
		if fd.textual() && !large {
			large = true
			cases = append(cases, hostileCase{name: "1 MB", field: fd.name, change: set(fd.name, strings.Repeat("a", 1<<20)), tooLarge: true})
		}
		if n, err := strconv.Atoi(fd.maxLength); err == nil && fd.textual() {
			add("over maxlength", strings.Repeat("é", n+1))
		}
		switch {
		case fd.numeric():
			if fd.min == "" || !strings.HasPrefix(fd.min, "-") {
				add("negative number", "-1")
			}
			add("huge number", "99999999999999999999")
		case fd.kind == "date" || (fd.kind == "hidden" && dateRE.MatchString(fd.value)):
			add("impossible date", "2026-02-30")
			add("huge date", "99999999-12-31")
		case fd.kind == "time":
			add("impossible time", "25:61")
		case fd.kind == "datetime-local":
			add("impossible time", "2026-02-30T25:61")
		}
		if fd.choice() && !fd.numeric() {
			add("unknown choice", "not-a-choice")
		}
		if !fd.multi {
			other := "other words"
			for _, o := range fd.options {
				if o != fd.value && o != "" {
					other = o
					break
				}
			}
			name := fd.name
			cases = append(cases, hostileCase{name: "repeated field", field: name, change: func(v url.Values) {
				v[name] = []string{v.Get(name), other}
			}})
		}
		if fd.required {
			name := fd.name
			cases = append(cases, hostileCase{name: "missing field", field: name, change: func(v url.Values) { v.Del(name) }})
		}
	}
	if !large && len(f.fields) > 0 {
		// No field to type in: a choice of 1 MB then.
		name := f.fields[0].name
		cases = append(cases, hostileCase{name: "1 MB", field: name, change: set(name, strings.Repeat("a", 1<<20)), tooLarge: true})
	}
	return cases
}

// baseValues is the form as a person would fill it in: what the page
// filled or chose, and plain words, today's date or the first choice where
// it left a field empty. Words it fills in are returned by field, to find
// them on a form drawn again.
func (f pageForm) baseValues(day string) (url.Values, map[string]string) {
	v := f.values()
	typed := map[string]string{}
	for i, fd := range f.fields {
		if v.Get(fd.name) != "" || fd.multi {
			continue
		}
		switch fd.kind {
		case "text", "textarea":
			typed[fd.name] = fmt.Sprintf("Kept words %d", i)
			v.Set(fd.name, typed[fd.name])
		case "email":
			v.Set(fd.name, fmt.Sprintf("kept-%d@example.org", i))
		case "password":
			v.Set(fd.name, testPassword)
		case "date":
			v.Set(fd.name, day)
		case "time":
			v.Set(fd.name, "19:00")
		case "radio", "select":
			for _, o := range fd.options {
				if o != "" {
					v.Set(fd.name, o)
					break
				}
			}
		}
	}
	return v, typed
}

// hostileForms are the distinct forms the crawls met, by route and field
// names, each with the browser of the person who met it first, then the
// forms written by hand.
func (w *world) hostileForms(t *testing.T, crawls map[string]*crawled) (forms []pageForm, by []*browser) {
	t.Helper()
	seen := map[string]bool{}
	for _, who := range []string{"Zelphine", "Quorrin", "Tess", "stranger", "visitor"} {
		c := crawls[who]
		for _, f := range c.forms {
			var names []string
			for _, fd := range f.fields {
				names = append(names, fd.name)
			}
			slices.Sort(names)
			key := f.route + " " + strings.Join(names, ",")
			if seen[key] || len(f.fields) == 0 {
				continue
			}
			seen[key] = true
			f.page = who + " " + f.page
			forms, by = append(forms, f), append(by, c.b)
		}
	}
	for _, f := range w.hostileByHand() {
		f.route = routeOf(w.app.srv.router, http.MethodPost, f.action)
		b := crawls[f.page].b
		f.page = f.page + " (by hand)"
		forms, by = append(forms, f), append(by, b)
	}
	return forms, by
}

// rowCounts counts the rows of every table, but those that record
// attempts, sessions and views (which refused requests may write).
func (w *world) rowCounts(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	var tables []string
	rows, err := w.app.db.Pool.Query(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = 'public'
		AND tablename NOT IN ('sessions', 'login_failures', 'therapist_views', 'signup_attempts', 'reset_requests', 'goose_db_version')
		ORDER BY tablename`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name string
		rows.Scan(&name)
		tables = append(tables, name)
	}
	var sb strings.Builder
	for _, table := range tables {
		var n int
		if err := w.app.db.Pool.QueryRow(ctx, `SELECT count(*) FROM `+table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&sb, "%s=%d ", table, n)
	}
	return sb.String()
}

func TestHostile_EveryFormRefusesHostileInputWithA4xxAndSavesNothing(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	w := seedWorld(t, app)
	crawls := w.crawlAll(t)
	forms, by := w.hostileForms(t, crawls)

	// Every POST route has a form here, or a reason why not.
	covered := map[string]bool{}
	for _, f := range forms {
		covered[f.route] = true
	}
	for _, c := range crawls {
		for _, f := range c.forms {
			covered[f.route] = true // forms without fields: one button
		}
	}
	posts := 0
	chi.Walk(app.srv.router, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if method != http.MethodPost {
			return nil
		}
		posts++
		if !covered[route] && hostileNoForm[route] == "" {
			t.Errorf("POST %s: no crawl met its form; add it to hostileByHand (or, for one button, to hostileNoForm)", route)
		}
		if covered[route] && hostileNoForm[route] != "" {
			t.Errorf("POST %s is crawled now: remove it from hostileNoForm", route)
		}
		return nil
	})

	// No page sends a field twice (Mend refuses that), but a group of
	// checkboxes its handler reads as one (parseForm's multi).
	for _, c := range crawls {
		for _, f := range c.forms {
			for _, fd := range f.fields {
				if fd.twice {
					t.Errorf("the form to %s on %s sends %q twice", f.route, f.page, fd.name)
				}
			}
		}
	}

	// Every choice a page offers in a choice field is one parseForm takes.
	for _, c := range crawls {
		for _, f := range c.forms {
			for _, fd := range f.fields {
				for _, o := range fd.options {
					if choices, ok := choiceFields[fd.name]; ok && !slices.Contains(choices, o) {
						t.Errorf("the form to %s on %s offers %s=%q, which choiceFields refuses", f.route, f.page, fd.name, o)
					}
				}
			}
		}
	}

	requests := 0
	counts := map[string]int{}
	for i, f := range forms {
		b := by[i]
		before, beforeRows := w.snapshot(t), w.rowCounts(t)
		base, typed := f.baseValues(w.day)
		for _, c := range hostileCases(f) {
			if hostileLenient[f.route+" "+c.field+" "+c.name] != "" {
				continue
			}
			v := url.Values{}
			for k, vs := range base {
				v[k] = slices.Clone(vs)
			}
			c.change(v)
			res := b.post(f.action, v)
			requests++
			counts[c.name]++
			what := fmt.Sprintf("%s (form on %s), %s in %q", f.route, f.page, c.name, c.field)
			switch {
			case res.StatusCode == http.StatusRequestEntityTooLarge && c.tooLarge:
			case res.StatusCode < 400 || res.StatusCode >= 500:
				t.Errorf("%s: status %d, want 4xx\n%.600s", what, res.StatusCode, res.body)
				continue
			}
			if !strings.Contains(res.Header.Get("Content-Type"), "text/html") || !hasMessage(t, res.body) {
				t.Errorf("%s: %d without a message for the person\n%.600s", what, res.StatusCode, res.body)
			}
			// A form written by hand is not on the page drawn again: its
			// record is in another state.
			if res.StatusCode == http.StatusUnprocessableEntity && !strings.HasSuffix(f.page, "(by hand)") {
				for name, words := range typed {
					if name != c.field && !strings.Contains(res.body, words) {
						t.Errorf("%s: the form drawn again lost what was typed in %q", what, name)
					}
				}
			}
		}
		if after := w.snapshot(t); withoutViews(after) != withoutViews(before) {
			t.Errorf("%s (form on %s): refused requests changed the couple's rows", f.route, f.page)
		}
		if after := w.rowCounts(t); after != beforeRows {
			t.Errorf("%s (form on %s): refused requests added or removed rows:\n%s\n%s", f.route, f.page, beforeRows, after)
		}
	}
	routes := map[string]bool{}
	for _, f := range forms {
		routes[f.route] = true
	}
	t.Logf("DRILL hostile: %d forms with fields (on %d of %d POST routes; the others are one button), %d hostile requests; by case: %v",
		len(forms), len(routes), posts, requests, counts)
}

// withoutViews is a snapshot without the therapist's view log: a form
// drawn again on a caseload page is a page the therapist looked at.
func withoutViews(snapshot string) string {
	return regexp.MustCompile(`therapist_views=\S* `).ReplaceAllString(snapshot, "")
}

// hasMessage reports whether a page has words for the person: an error
// page's heading and text, or a form's alert or field error.
func hasMessage(t *testing.T, body string) bool {
	d := doc(t, body)
	if alert := find(d, func(n *htmlNode) bool { return attr(n, "role") == "alert" || attr(n, "class") == "error" }); text(alert) != "" {
		return true
	}
	h1 := find(d, func(n *htmlNode) bool { return n.Data == "h1" })
	main := find(d, func(n *htmlNode) bool { return n.Data == "main" })
	return text(h1) != "" && len(text(main)) > len(text(h1))+20
}
