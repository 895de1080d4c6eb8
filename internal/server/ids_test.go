package server

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
)

// idParams are the path parameters that carry a record's id. Every other
// path parameter is named in otherParams, so a new id route cannot slip
// past TestIDs_OutOfRangeNonNumericOrUnknownAre404.
var (
	idParams = map[string]bool{"id": true, "logID": true, "triggerID": true, "dateID": true, "coupleID": true, "flagID": true, "linkID": true,
		"sessionID": true, "noteID": true, "suggestionID": true, "setbackID": true, "draftID": true, "disclosureID": true,
		"loginID": true, "versionID": true, "planID": true, "entryID": true, "answerID": true,
		"togetherID": true, "talkTimeID": true, "topicID": true, "questionID": true, "promptID": true}
	otherParams = map[string]bool{"day": true, "token": true}
)

// badIDs are ids no record has: past int32 (ids are bigint), the largest
// int64, past int64, zero and negative (never made by a sequence), and no
// number at all.
var badIDs = []string{"2147483648", "9223372036854775807", "9223372036854775808", "-1", "0", "abc"}

// validForm passes the validation of every form posted to an id route, so
// that each request reaches the record's lookup rather than stopping at an
// empty field.
func validForm() url.Values {
	return url.Values{
		// commitment: answer, review, log, edit a log, respond to a log, change it
		"answer": {"agree"}, "action": {"keep"}, "review_on": {time.Now().AddDate(0, 1, 0).Format(time.DateOnly)},
		"status": {"kept"}, "note": {"a note"}, "confirmed": {"yes"}, "response": {"Thank you"},
		"for": {"me"}, "title": {"A walk together every evening"}, "rhythm": {"daily"},
		// trigger: change it, respond to it
		"category": {"place"}, "intensity": {"5"}, "what_happened": {"A song on the radio"}, "did": {"Held hands"},
		"visibility": {"partner"},
		// a therapist's note, changed; a disclosure's draft, changed or answered
		"body": {"Something to tell"},
		"how":  {"told"}, "decision": {"agree"}, "topic": {"slip"}, "day": {time.Now().AddDate(0, 0, -1).Format(time.DateOnly)},
		// the answers to a statement's parts
		"answer-did": {"lands"}, "answer-impact": {"lands"}, "answer-regret": {"more"}, "answer-changing": {"lands"},
	}
}

func TestIDs_OutOfRangeNonNumericOrUnknownAre404(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	w := seedWorld(t, app)
	// Each route is asked by the person it is for: partner routes by Ana,
	// the caseload by Tess, the couple's therapist.
	ana, tess := w.as(t, w.ana), w.as(t, w.therapist)
	real := w.params()
	form := validForm().Encode()
	requests := 0
	err := chi.Walk(app.srv.router, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if !strings.Contains(route, "{") {
			return nil
		}
		var names []string
		for _, m := range paramRE.FindAllStringSubmatch(route, -1) {
			switch {
			case idParams[m[1]]:
				names = append(names, m[1])
			case !otherParams[m[1]]:
				t.Errorf("route %s %s: parameter {%s} is neither in idParams nor in otherParams", method, route, m[1])
			}
		}
		if len(names) == 0 {
			return nil
		}
		b := ana
		if strings.HasPrefix(route, "/caseload/") {
			b = tess
		}
		// Each id parameter bad in turn with the others real, then all bad.
		var sets []map[string]string
		for _, bad := range badIDs {
			for _, name := range names {
				p := map[string]string{}
				for k, v := range real {
					p[k] = v
				}
				p[name] = bad
				sets = append(sets, p)
			}
			if len(names) > 1 {
				p := map[string]string{}
				for _, name := range names {
					p[name] = bad
				}
				sets = append(sets, p)
			}
		}
		for _, p := range sets {
			path, _ := fillParams(route, p)
			req, _ := http.NewRequest(method, app.ts.URL+path, nil)
			if method == http.MethodPost {
				req, _ = http.NewRequest(method, app.ts.URL+path, strings.NewReader(form))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("Sec-Fetch-Site", "same-origin")
			}
			res := b.do(req)
			requests++
			if res.StatusCode != http.StatusNotFound {
				t.Errorf("%s %s: status %d, want 404\n%.300s", method, path, res.StatusCode, res.body)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if requests < 100 {
		t.Fatalf("only %d requests: the walk found too few id routes", requests)
	}
	t.Logf("%d requests", requests)
}

// TestIDs_RecordsPastInt32Work seeds the couple with every id past 2^31
// (each table's sequence in its own range) and walks every route with a
// path parameter, outsiders and owners: ids are bigint everywhere, and no
// query may take one for an integer.
func TestIDs_RecordsPastInt32Work(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ctx := context.Background()
	rows, err := app.db.Pool.Query(ctx, `SELECT schemaname || '.' || sequencename FROM pg_sequences WHERE max_value > 2147483647 ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	var seqs []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		seqs = append(seqs, s)
	}
	if rows.Err() != nil || len(seqs) < 5 {
		t.Fatalf("sequences: %v %v", seqs, rows.Err())
	}
	for i, s := range seqs {
		start := int64(1)<<31 + int64(i)*1_000_000_000
		if _, err := app.db.Pool.Exec(ctx, `SELECT setval($1::regclass, $2, false)`, s, start); err != nil {
			t.Fatalf("setval %s: %v", s, err)
		}
	}
	w := seedWorld(t, app)
	for name, v := range w.params() {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && n < 1<<31 {
			t.Fatalf("seeded {%s} = %d, want an id past 2^31", name, n)
		}
	}
	w.walk(t, w.outsiders(t), true)
}
