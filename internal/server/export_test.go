package server

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
)

// exportOf posts the export form of b's Settings with pw and format.
func exportOf(t *testing.T, b *browser, pw, format string) *response {
	t.Helper()
	return b.post("/settings/export", url.Values{"password": {pw}, "format": {format}})
}

// unzipCSVs opens a ZIP export and parses each CSV file, checking that its
// first row is the header; README.txt comes back as text.
func unzipCSVs(t *testing.T, res *response) (files map[string][][]string, readme string) {
	t.Helper()
	wantStatus(t, res, http.StatusOK)
	zr, err := zip.NewReader(strings.NewReader(res.body), int64(len(res.body)))
	if err != nil {
		t.Fatalf("the ZIP does not open: %v", err)
	}
	files = map[string][][]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		if f.Name == "README.txt" {
			readme = string(b)
			continue
		}
		rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
		if err != nil {
			t.Fatalf("%s does not parse: %v", f.Name, err)
		}
		if len(rows) == 0 {
			t.Fatalf("%s has no header row", f.Name)
		}
		files[strings.TrimSuffix(f.Name, ".csv")] = rows
	}
	if readme == "" {
		t.Fatal("no README.txt in the ZIP")
	}
	for name, rows := range files {
		if !strings.Contains(readme, name+".csv") {
			t.Errorf("README.txt does not explain %s.csv", name)
		}
		for _, c := range rows[0] {
			if !strings.Contains(readme, "- "+c+": ") {
				t.Errorf("README.txt does not explain column %s of %s.csv", c, name)
			}
		}
	}
	return files, readme
}

type jsonExportDoc struct {
	ExportedAt string `json:"exported_at"`
	Kinds      []struct {
		Name    string `json:"name"`
		Columns []struct{ Name string }
		Rows    []map[string]string `json:"rows"`
	} `json:"kinds"`
}

// Ana's export holds her private check-in and the earlier version of her
// shared one; Ben's holds Ana's shared check-in as it is now and neither of
// the others. Both files parse; CSV cells that a spreadsheet would run as
// formulas are escaped.
func TestExport_PartnersSeeWhatThePagesShowThem(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ana, ben := pairUp(t, app)

	wantStatus(t, checkIn(t, ana, "", url.Values{"mood": {"3"}, "connection": {"5"}, "feel": {"ana-first-words"}}), http.StatusSeeOther)
	wantStatus(t, checkIn(t, ana, "", url.Values{"mood": {"4"}, "connection": {"6"}, "feel": {"ana-shared-words"}}), http.StatusSeeOther)
	wantStatus(t, checkIn(t, ben, "", url.Values{"mood": {"3"}, "connection": {"5"}, "feel": {"ben-words"}}), http.StatusSeeOther)
	app.advance(24 * time.Hour)
	wantStatus(t, ana.logIn("ana@example.org", testPassword), http.StatusSeeOther)
	wantStatus(t, ben.logIn("ben@example.org", testPassword), http.StatusSeeOther)
	wantStatus(t, checkIn(t, ana, "", url.Values{"mood": {"2"}, "connection": {"4"}, "feel": {"ana-private-words"},
		"need": {"=HYPERLINK(\"x\")"}, "visibility": {"private"}}), http.StatusSeeOther)
	// A comfort plan Ana keeps to herself, and one Ben shares.
	wantStatus(t, ana.post("/comfort", url.Values{"form_key": {formKeyOn(t, ana.get("/comfort").body)}, "body": {"ana-private-plan"}, "action": {"keep"}}), http.StatusSeeOther)
	wantStatus(t, ben.post("/comfort", url.Values{"form_key": {formKeyOn(t, ben.get("/comfort").body)}, "body": {"ben-shared-plan"}, "action": {"share"}}), http.StatusSeeOther)

	// Ana's ZIP.
	files, _ := unzipCSVs(t, exportOf(t, ana, testPassword, "zip"))
	for _, kind := range []string{"account", "people", "checkins", "checkin_versions", "checkin_answers", "triggers",
		"trigger_responses", "commitments", "commitment_versions", "commitment_events", "commitment_logs", "commitment_responses",
		"hard_dates", "setbacks", "disclosures", "disclosure_answers", "session_checks", "starting_words", "sharing_choices", "therapist_views",
		"comfort_plans", "guidance_set_aside"} {
		if files[kind] == nil {
			t.Errorf("Ana's ZIP has no %s.csv", kind)
		}
	}
	all := func(files map[string][][]string) string {
		var sb strings.Builder
		for _, rows := range files {
			for _, r := range rows {
				sb.WriteString(strings.Join(r, "|") + "\n")
			}
		}
		return sb.String()
	}
	anas := all(files)
	for _, want := range []string{"ana-private-words", "ana-shared-words", "ana-first-words", "ben-words", "ana-private-plan", "ben-shared-plan", "'=HYPERLINK(\"x\")", "ana@example.org"} {
		if !strings.Contains(anas, want) {
			t.Errorf("Ana's export lacks %q:\n%s", want, anas)
		}
	}
	if strings.Contains(anas, "|=HYPERLINK") {
		t.Error("a cell starting with = is not escaped")
	}
	if !strings.Contains(strings.Join(files["checkin_versions"][len(files["checkin_versions"])-1], "|"), "ana-first-words") {
		t.Errorf("Ana's earlier version is not in checkin_versions.csv: %v", files["checkin_versions"])
	}

	// Ben's ZIP and JSON.
	bens := all(must(unzipCSVs(t, exportOf(t, ben, testPassword, "zip"))))
	res := exportOf(t, ben, testPassword, "json")
	wantStatus(t, res, http.StatusOK)
	if ct, cd := res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"); !strings.HasPrefix(ct, "application/json") ||
		!strings.HasPrefix(cd, `attachment; filename="mend-export-`) || !strings.HasSuffix(cd, `.json"`) {
		t.Errorf("JSON export headers: %q, %q", ct, cd)
	}
	if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q", cc)
	}
	var d jsonExportDoc
	if err := json.Unmarshal([]byte(res.body), &d); err != nil {
		t.Fatalf("the JSON does not parse: %v\n%s", err, res.body)
	}
	if len(d.Kinds) < 10 || d.Kinds[0].Name != "account" || d.Kinds[0].Rows[0]["email"] != "ben@example.org" {
		t.Errorf("Ben's JSON: %+v", d.Kinds)
	}
	for name, text := range map[string]string{"ZIP": bens, "JSON": res.body} {
		if !strings.Contains(text, "ana-shared-words") || !strings.Contains(text, "ben-words") {
			t.Errorf("Ben's %s lacks Ana's shared check-in or his own", name)
		}
		for _, never := range []string{"ana-private-words", "ana-first-words", "HYPERLINK", "ana-private-plan"} {
			if strings.Contains(text, never) {
				t.Errorf("Ben's %s holds %q, which only Ana may see", name, never)
			}
		}
	}
}

func must[T, U any](a T, _ U) T { return a }

// A wrong password draws Settings again with the message beside the field,
// and sends no file; past MaxExports exports the form answers 429.
func TestExport_PasswordAndThrottle(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ana, _ := pairUp(t, app)

	res := exportOf(t, ana, "not my password", "zip")
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if res.Header.Get("Content-Disposition") != "" || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Errorf("a wrong password sent a file: %q", res.Header.Get("Content-Disposition"))
	}
	if !strings.Contains(res.body, `id="export-password-error"`) || !strings.Contains(res.body, "That is not your current password.") {
		t.Errorf("no message beside the export's password field:\n%s", res.body)
	}
	for range 3 {
		wantStatus(t, exportOf(t, ana, testPassword, "json"), http.StatusOK)
	}
	res = exportOf(t, ana, testPassword, "zip")
	wantStatus(t, res, http.StatusTooManyRequests)
	if res.Header.Get("Content-Disposition") != "" {
		t.Error("a throttled export sent a file")
	}
	if res.Header.Get("Retry-After") != "3600" || !strings.Contains(res.body, "in the last hour") {
		t.Errorf("throttled export: Retry-After %q, want an hour's 3600, and the hour in the message", res.Header.Get("Retry-After"))
	}
	// The log-in throttle's 15 minutes are not the export's hour.
	// (Steps under the session's 30 idle minutes.)
	app.advance(16 * time.Minute)
	wantStatus(t, exportOf(t, ana, testPassword, "zip"), http.StatusTooManyRequests)
	app.advance(25 * time.Minute)
	wantStatus(t, exportOf(t, ana, testPassword, "zip"), http.StatusTooManyRequests)
	app.advance(20 * time.Minute)
	wantStatus(t, exportOf(t, ana, testPassword, "zip"), http.StatusOK)
}

// A therapist's export is their account and what they wrote.
func TestExport_TherapistsOwnData(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	tess := app.browser()
	tess.signUp("Tess", "tess@example.org")
	wantStatus(t, tess.post("/settings/therapist", url.Values{"professional_name": {"Tess Therapist"}}), http.StatusSeeOther)
	files, _ := unzipCSVs(t, exportOf(t, tess, testPassword, "zip"))
	for _, kind := range []string{"account", "notes", "suggestions", "therapy_sessions"} {
		if files[kind] == nil {
			t.Errorf("no %s.csv in a therapist's export", kind)
		}
	}
	if files["checkins"] != nil {
		t.Error("a therapist's export has check-ins")
	}
	if got := strings.Join(files["account"][1], "|"); !strings.Contains(got, "Tess Therapist") {
		t.Errorf("account: %s", got)
	}
}

func TestCSVCell_EscapesFormulas(t *testing.T) {
	for in, want := range map[string]string{
		"=1+1": "'=1+1", "+1": "'+1", "-2": "'-2", "@SUM(A1)": "'@SUM(A1)", "\tx": "'\tx", "\rx": "'\rx",
		"": "", "plain": "plain", "a=b": "a=b", "'quoted": "'quoted",
	} {
		if got := csvCell(in); got != want {
			t.Errorf("csvCell(%q) = %q, want %q", in, got, want)
		}
	}
}

// A partner's export holds the earlier versions of their own triggers and
// commitment logs (never the other's), the therapist's suggestions with
// whether they set each aside, and their own safety checks and requests to
// talk alone only when they tick the box; the other partner's safety never.
func TestExport_VersionsSuggestionsAndSafetyWhenAsked(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	w := seedWorld(t, app)
	ctx := context.Background()
	if _, err := app.srv.triggers.Edit(ctx, w.ana, w.trigger, service.TriggerInput{Category: "place", Intensity: "5",
		WhatHappened: "Drove past the old road", Visibility: string(mend.PartnerAndTherapist)}); err != nil {
		t.Fatal(err)
	}
	if err := app.srv.commitments.Log(ctx, w.ana, w.commitment, service.LogInput{Status: mend.Partly, Note: "Zelphine went out once"}); err != nil {
		t.Fatal(err)
	}
	if err := app.srv.safety.Dismiss(ctx, w.ana); err != nil {
		t.Fatal(err)
	}
	if _, err := app.srv.safety.Take(ctx, w.ben, map[string]string{"afraid": "often", "harmed": "unsure", "safe_home": "no", "ending_life": "no"}, ""); err != nil {
		t.Fatal(err)
	}
	if err := app.srv.therapy.SetAside(ctx, w.ana, w.suggestion); err != nil {
		t.Fatal(err)
	}
	ana, ben := w.as(t, w.ana), w.as(t, w.ben)
	wantStatus(t, ana.post("/settings/reminders", url.Values{"checkin": {"on"}, "checkin_at": {"21:15"}}), http.StatusSeeOther)
	export := func(b *browser, safety bool) map[string][][]string {
		t.Helper()
		form := url.Values{"password": {testPassword}, "format": {"zip"}}
		if safety {
			form.Set("safety", "on")
		}
		files, _ := unzipCSVs(t, b.post("/settings/export", form))
		return files
	}
	column := func(rows [][]string, name string) []string {
		t.Helper()
		i := slices.Index(rows[0], name)
		if i < 0 {
			t.Fatalf("no column %s in %v", name, rows[0])
		}
		var out []string
		for _, r := range rows[1:] {
			out = append(out, r[i])
		}
		return out
	}

	anas := export(ana, false)
	if got := column(anas["trigger_versions"], "what_happened"); !slices.Equal(got, []string{"Drove past the lake house"}) {
		t.Errorf("Ana's trigger_versions: %q, want the words before her change", got)
	}
	if got := column(anas["commitment_log_versions"], "note"); !slices.Equal(got, []string{"Zelphine stayed home"}) {
		t.Errorf("Ana's commitment_log_versions: %q, want the note before her change", got)
	}
	if got := column(anas["suggestions"], "title"); !slices.Equal(got, []string{tessSuggestion}) ||
		column(anas["suggestions"], "set_aside")[0] != "true" {
		t.Errorf("Ana's suggestions: %v", anas["suggestions"])
	}
	if got := column(anas["email_reminders"], "checkin_at"); !slices.Equal(got, []string{"21:15"}) {
		t.Errorf("Ana's email_reminders: %v", anas["email_reminders"])
	}
	for _, kind := range []string{"safety_checks", "talk_alone_requests"} {
		if anas[kind] != nil {
			t.Errorf("Ana's export holds %s.csv though she did not ask for it", kind)
		}
	}
	anasSafety := export(ana, true)
	if got := column(anasSafety["safety_checks"], "set_aside"); !slices.Equal(got, []string{"true"}) {
		t.Errorf("Ana's safety_checks when asked: %v, want her one set-aside check and not Ben's", anasSafety["safety_checks"])
	}
	if rows := anasSafety["talk_alone_requests"]; len(rows) != 1 {
		t.Errorf("Ana's talk_alone_requests: %v, want only the header (Ben's request is his)", rows)
	}

	bens := export(ben, true)
	for _, kind := range []string{"trigger_versions", "commitment_log_versions"} {
		if rows := bens[kind]; len(rows) != 1 {
			t.Errorf("Ben's %s.csv holds Ana's earlier versions: %v", kind, rows)
		}
	}
	if rows := bens["email_reminders"]; len(rows) != 1 {
		t.Errorf("Ben's email_reminders holds Ana's: %v", rows)
	}
	if got := column(bens["suggestions"], "set_aside"); !slices.Equal(got, []string{"false"}) {
		t.Errorf("Ben's suggestions: set_aside %q, want false (Ana set it aside, not he)", got)
	}
	if got := column(bens["safety_checks"], "afraid"); !slices.Equal(got, []string{"often"}) {
		t.Errorf("Ben's own safety check: %v", bens["safety_checks"])
	}
	if rows := bens["talk_alone_requests"]; len(rows) != 2 || rows[1][0] != strconv.FormatInt(w.coupleA, 10) {
		t.Errorf("Ben's talk_alone_requests: %v", rows)
	}
}
