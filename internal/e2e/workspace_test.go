package e2e

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/postgres"
	"github.com/mend-app/mend/internal/postgres/pgtest"
	"github.com/mend-app/mend/internal/service"
)

// workspaceCouple is a couple seeded for the therapist's workspace.
type workspaceCouple struct {
	a, b *mend.User
	id   int64
}

// signUpNamed makes an account for name (a therapist when professional is
// set), with the email name@example.org, in London.
func signUpNamed(t *testing.T, svc *service.Services, name, professional string) *mend.User {
	t.Helper()
	return signUpConfirmed(t, svc, service.SignUpInput{Name: name, Email: strings.ToLower(name) + "@example.org",
		Password: couplePassword, TimeZone: "Europe/London", Therapist: professional != "", ProfessionalName: professional})
}

// signUpConfirmed signs up with in and confirms the email with the link
// from the outbox; it returns the account.
func signUpConfirmed(t *testing.T, svc *service.Services, in service.SignUpInput) *mend.User {
	t.Helper()
	_, err := svc.Accounts.SignUp(context.Background(), in, "192.0.2.9")
	must(t, "sign up "+in.Name, err)
	_, token := pgtest.ConfirmLink(t, svc.Accounts.Store.(*postgres.DB), in.Email)
	u, err := svc.Accounts.ConfirmSignUp(context.Background(), token)
	must(t, "confirm "+in.Name, err)
	return u
}

// londonDay is the day n days from today in London, as a form writes it.
func londonDay(n int) string {
	loc, _ := time.LoadLocation("Europe/London")
	return now().In(loc).AddDate(0, 0, n).Format(time.DateOnly)
}

// seedWorkspaceCouple makes nameA and nameB a couple, begun three weeks
// ago, linked to therapist,
// both sharing check-ins and triggers with them: two days of check-ins
// each, a trigger about place marked for the therapist (its words are
// words), a setback shared with the therapist (its note is note), a
// session six days ago and the next one in five.
func seedWorkspaceCouple(t *testing.T, svc *service.Services, db *postgres.DB, therapist *mend.User, nameA, nameB, words, note string) workspaceCouple {
	t.Helper()
	ctx := context.Background()
	a, b := signUpNamed(t, svc, nameA, ""), signUpNamed(t, svc, nameB, "")
	_, err := svc.Couples.Start(ctx, a, service.StartInput{WhatHappened: "affair"})
	must(t, "start", err)
	token, _, err := svc.Couples.CreateInvite(ctx, a, mend.InvitePartner)
	must(t, "invite", err)
	_, err = svc.Couples.Accept(ctx, b, token)
	must(t, "join", err)
	sp, err := svc.Couples.Space(ctx, b)
	must(t, "space", err)
	// The couple began three weeks ago, so the days read have a before.
	_, err = db.Pool.Exec(ctx, `UPDATE couples SET created_at = created_at - interval '21 days' WHERE id = $1`, sp.Access.CoupleID())
	must(t, "start three weeks ago", err)
	_, err = db.Pool.Exec(ctx, `UPDATE couple_members SET joined_at = joined_at - interval '21 days' WHERE couple_id = $1`, sp.Access.CoupleID())
	must(t, "join three weeks ago", err)
	token, _, err = svc.Couples.CreateInvite(ctx, a, mend.InviteTherapist)
	must(t, "invite the therapist", err)
	_, err = svc.Couples.Accept(ctx, therapist, token)
	must(t, "the therapist accepts", err)
	sp, err = svc.Couples.Space(ctx, b)
	must(t, "space", err)
	if sp.PendingLink == nil {
		t.Fatalf("no link waits for %s's agreement", nameB)
	}
	must(t, nameB+" agrees", svc.Couples.AgreeToTherapist(ctx, b, sp.PendingLink.ID))
	for _, u := range []*mend.User{a, b} {
		_, err := svc.Couples.SetDefaults(ctx, u, map[string]bool{mend.KindCheckins: true, mend.KindTriggers: true})
		must(t, "share with the therapist", err)
	}
	shared := string(mend.PartnerAndTherapist)
	for i, c := range []struct {
		u                 *mend.User
		day, mood, closer string
	}{{a, londonDay(-1), "2", "4"}, {a, "", "3", "6"}, {b, londonDay(-1), "3", "5"}, {b, "", "4", "7"}} {
		_, err := svc.Checkins.Save(ctx, c.u, service.CheckinInput{Day: c.day, Mood: c.mood, Connection: c.closer, Visibility: shared})
		must(t, "check-in "+strconv.Itoa(i), err)
	}
	_, err = svc.Triggers.Log(ctx, a, service.TriggerInput{Category: "place", Intensity: "8",
		When: londonDay(-3) + "T19:30", WhatHappened: words, Visibility: shared})
	must(t, "trigger", err)
	must(t, "setback", svc.Progress.AddSetback(ctx, b, service.SetbackInput{Day: londonDay(-2), Note: note, Visibility: shared}))
	must(t, "last session", svc.Therapy.AddSession(ctx, therapist, sp.Access.CoupleID(), londonDay(-6), ""))
	must(t, "next session", svc.Therapy.AddSession(ctx, therapist, sp.Access.CoupleID(), londonDay(5), ""))
	return workspaceCouple{a: a, b: b, id: sp.Access.CoupleID()}
}

// printMedia makes the page lay itself out as it prints ("" undoes it),
// for a system in the colour scheme (light or dark).
func printMedia(media, scheme string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: media,
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}})
		return err
	})
}

// pdfPage matches a page object of a PDF (not the /Pages tree).
var pdfPage = regexp.MustCompile(`/Type\s*/Page[^s]`)

// printPDF prints the open page with Chromium's print to PDF on paper of
// w × h inches, saves it as name and returns it.
func printPDF(t *testing.T, ctx context.Context, name string, w, h float64) []byte {
	t.Helper()
	res, err := chromedp.Call(ctx, page.PrintToPDF, page.PrintToPDFParams{PaperWidth: w, PaperHeight: h})
	must(t, "print "+name, err)
	pdf := res.Data
	must(t, "save "+name, os.WriteFile(filepath.Join(outputDir(t), name), pdf, 0o644))
	if !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Fatalf("%s does not start with %%PDF: %q", name, pdf[:min(len(pdf), 16)])
	}
	if n := len(pdfPage.FindAll(pdf, -1)); n != 1 {
		t.Errorf("%s has %d pages, want one", name, n)
	}
	return pdf
}

// TestBrowser_TherapistCaseloadSummaryPrintAndSuggestion: Dr Penhallow, with
// two couples, opens her caseload, follows one couple's Summary link, sees
// only that couple in it, prints it to one page of A4 and of Letter with no
// navigation, and sends the couple something to talk about; Caspian sees
// it on Today and sets it aside, and it is gone from his Today.
func TestBrowser_TherapistCaseloadSummaryPrintAndSuggestion(t *testing.T) {
	neutral := neutralSite(t)
	base, svc, db := startMendWith(t, map[string]string{"MEND_QUICK_EXIT_URL": neutral})
	isaura := signUpNamed(t, svc, "Isaura", "Dr Isaura Penhallow")
	first := seedWorkspaceCouple(t, svc, db, isaura, "Ysolde", "Caspian", "Walked past the harbour cafe", "A rough evening after the harbour walk")
	other := seedWorkspaceCouple(t, svc, db, isaura, "Brannoc", "Liesel", "Saw the ferry timetable", "Quarrel about the allotment shed")
	otherWords := []string{"Brannoc", "Liesel", "ferry timetable", "allotment shed"}

	ther := newBrowser(t)
	must(t, "phone size", chromedp.Do(ther, chromedp.EmulateViewport(360, 740)))
	logIn(t, ther, base, "isaura@example.org")
	if p := path(t, ther); p != "/caseload" {
		t.Fatalf("after log-in the therapist is at %s", p)
	}
	wantIn(t, ther, "caseload", "main", "Ysolde", "Caspian", "Brannoc", "Liesel", "Next session:")
	firstPath, otherPath := "/caseload/"+strconv.FormatInt(first.id, 10), "/caseload/"+strconv.FormatInt(other.id, 10)
	cards, err := chromedp.Run(ther, chromedp.Evaluate[int](`document.querySelectorAll('ul.caseload > li.card').length`))
	must(t, "count cards", err)
	if cards != 2 {
		t.Errorf("the caseload shows %d cards, want 2", cards)
	}
	shoot(t, ther, "workspace-caseload")

	// The Summary link on the first couple's card.
	summaryLink := `ul.caseload li.card:has(a[href="` + firstPath + `"]) a[href="` + firstPath + `/summary"]`
	wantText(t, ther, "caseload card", summaryLink, "Summary")
	follow(t, ther, summaryLink)
	if p := path(t, ther); p != firstPath+"/summary" {
		t.Fatalf("the Summary link led to %s", p)
	}
	if h1 := text(t, ther, "h1"); !strings.HasPrefix(h1, "Summary, ") {
		t.Errorf("summary h1 = %q", h1)
	}
	wantIn(t, ther, "summary", "main", "Ysolde", "Caspian", "(Caspian): A rough evening after the harbour walk",
		"By what they were about: a place (1).", "8 out of 10", "since your last session", "From what each partner shares with you")
	src := html(t, ther)
	for _, w := range otherWords {
		if strings.Contains(src, w) {
			t.Errorf("the first couple's summary shows the other couple's %q", w)
		}
	}
	if strings.Contains(src, otherPath) {
		t.Errorf("the first couple's summary links to the other couple (%s)", otherPath)
	}
	shoot(t, ther, "workspace-summary")

	// As printed: no navigation, no Quick exit, no range form; black on white.
	must(t, "print media", chromedp.Do(ther, printMedia("print", "dark")))
	printed, err := chromedp.Run(ther, chromedp.Evaluate[string](`document.body.innerText`))
	must(t, "read the printed text", err)
	for _, hidden := range []string{"Log out", "Quick exit", "Caseload", "Show these days", "Skip to content", "Back to "} {
		if strings.Contains(printed, hidden) {
			t.Errorf("the printed summary shows %q", hidden)
		}
	}
	for _, shown := range []string{"Summary, ", "Each partner", "A rough evening after the harbour walk", "Worth a gentle look"} {
		if !strings.Contains(printed, shown) {
			t.Errorf("the printed summary lacks %q", shown)
		}
	}
	colours, err := chromedp.Run(ther, chromedp.Evaluate[string](
		`[getComputedStyle(document.querySelector('.topbar')).display, getComputedStyle(document.body).color, getComputedStyle(document.body).backgroundColor].join(' | ')`))
	must(t, "read the print styles", err)
	if colours != "none | rgb(0, 0, 0) | rgb(255, 255, 255)" {
		t.Errorf("printed in dark mode, topbar display | text | background = %s; want none, black on white", colours)
	}
	// The print layout as an A4 sheet (at 96 px an inch), for people to look at.
	must(t, "A4 width", chromedp.Do(ther, chromedp.EmulateViewport(794, 1123)))
	screenshot(t, ther, "workspace-summary-print.png")
	must(t, "screen media", chromedp.Do(ther, printMedia("", "light")))

	// Chromium's print to PDF: one page on A4 and on Letter, without the
	// Quick exit link (a link would be kept in the PDF as its address).
	for _, paper := range []struct {
		name string
		w, h float64
	}{{"a4", 8.27, 11.69}, {"letter", 8.5, 11}} {
		for _, size := range []struct {
			name string
			w, h int64
		}{{"phone", 360, 740}, {"desktop", 1280, 900}} {
			must(t, "size", chromedp.Do(ther, chromedp.EmulateViewport(size.w, size.h)))
			pdf := printPDF(t, ther, "workspace-summary-"+paper.name+"-"+size.name+".pdf", paper.w, paper.h)
			if bytes.Contains(pdf, []byte(neutral)) || bytes.Contains(pdf, []byte("/logout")) {
				t.Errorf("the %s PDF printed from a %s keeps a link of the navigation", paper.name, size.name)
			}
		}
	}

	// Something to talk about, for both partners' Today.
	must(t, "suggestions", chromedp.Do(ther, chromedp.EmulateViewport(360, 740), chromedp.Navigate(base+firstPath+"/suggestions")))
	tapChoice(t, ther, "kind", string(mend.SuggestTalk))
	fill(t, ther, "title", "Evenings without phones", "body", "Talk about one evening a week without phones, and how it felt.")
	submit(t, ther, `form[action="`+firstPath+`/suggestions"] button[type=submit]`)
	if p := path(t, ther); p != firstPath+"/suggestions" {
		t.Fatalf("after sending the therapist is at %s", p)
	}
	must(t, "flash shown", announced(ther))
	wantIn(t, ther, "suggestions", ".flash", "Sent. Both partners see it on their Today page.")
	wantIn(t, ther, "suggestions", "main", "Evenings without phones")

	// The therapist's sessions page lists both dates.
	must(t, "sessions", chromedp.Do(ther, chromedp.Navigate(base+firstPath+"/sessions")))
	wantIn(t, ther, "sessions", "main", "Ysolde")
	shoot(t, ther, "workspace-therapy-sessions")

	caspian := newPerson(t, ther)
	must(t, "phone size", chromedp.Do(caspian, chromedp.EmulateViewport(360, 740)))
	logIn(t, caspian, base, "caspian@example.org")
	if p := path(t, caspian); p != "/today" {
		t.Fatalf("after log-in Caspian is at %s", p)
	}
	card := `section[aria-labelledby="suggestions-heading"]`
	wantIn(t, caspian, "Caspian's Today", card, "From your therapist", "Evenings without phones", "Set it aside")
	shoot(t, caspian, "workspace-today-suggestion")
	submit(t, caspian, card+` form button[type=submit]`)
	if p := path(t, caspian); p != "/today" {
		t.Fatalf("after Set it aside Caspian is at %s", p)
	}
	if main := text(t, caspian, "main"); strings.Contains(main, "Evenings without phones") || strings.Contains(main, "From your therapist") {
		t.Errorf("after Set it aside Caspian's Today still shows the suggestion:\n%s", main)
	}
	for _, w := range otherWords {
		if strings.Contains(html(t, caspian), w) {
			t.Errorf("Caspian's Today shows the other couple's %q", w)
		}
	}
}

// TestBrowser_ProgressAndSummaryPages: Ysolde opens Our progress, marks a
// setback through its form for her partner and their therapist, sees it
// listed and marked on the charts, and opens her summary; their therapist
// sees the setback on the couple's progress page. Every page is shot at
// phone and desktop width, light and dark, and fits a 360 px phone.
func TestBrowser_ProgressAndSummaryPages(t *testing.T) {
	base, svc, db := startMendWith(t, nil)
	isaura := signUpNamed(t, svc, "Isaura", "Dr Isaura Penhallow")
	couple := seedWorkspaceCouple(t, svc, db, isaura, "Ysolde", "Caspian", "Walked past the harbour cafe", "A rough evening after the harbour walk")

	ys := newBrowser(t)
	must(t, "phone size", chromedp.Do(ys, chromedp.EmulateViewport(360, 740)))
	logIn(t, ys, base, "ysolde@example.org")
	must(t, "progress", chromedp.Do(ys, chromedp.Navigate(base+"/progress")))
	wantText(t, ys, "progress", "h1", "Our progress")
	charts, err := chromedp.Run(ys, chromedp.Evaluate[int](`document.querySelectorAll('main svg').length`))
	must(t, "count charts", err)
	if charts < 1 {
		t.Errorf("the progress page draws %d charts", charts)
	}

	// Mark yesterday as a setback, for Caspian and the therapist too.
	note := "Could not sleep after the quarrel"
	must(t, "choose the day", chromedp.Do(ys, chromedp.SetValue(chromedp.ID("day"), londonDay(-1))))
	fill(t, ys, "note", note)
	must(t, "open who sees it", chromedp.Do(ys, chromedp.Click(chromedp.CSS(`form[action="/progress/setbacks"] details.who-sees summary`))))
	tapChoice(t, ys, "visibility", string(mend.PartnerAndTherapist))
	submit(t, ys, `form[action="/progress/setbacks"] button[type=submit]`)
	if loc, err := chromedp.Run(ys, chromedp.Location()); err != nil || !strings.HasSuffix(loc, "/progress#setbacks") {
		t.Fatalf("after marking a setback Ysolde is at %s (%v)", loc, err)
	}
	wantIn(t, ys, "setbacks", "#setbacks", note, "Marked by you", "A rough evening after the harbour walk")
	markers, err := chromedp.Run(ys, chromedp.Evaluate[int](`document.querySelectorAll('svg line.marker.marker-setback').length`))
	must(t, "count markers", err)
	if markers < 2 {
		t.Errorf("the charts draw %d setback markers, want the two setbacks", markers)
	}
	shoot(t, ys, "workspace-progress")

	follow(t, ys, `main a[href="/progress/summary"]`)
	if h1 := text(t, ys, "h1"); !strings.HasPrefix(h1, "Summary, ") {
		t.Errorf("Ysolde's summary h1 = %q", h1)
	}
	wantIn(t, ys, "Ysolde's summary", "main", note, "Caspian", "Bring it to a session")
	shoot(t, ys, "workspace-progress-summary")

	must(t, "disclosure form", chromedp.Do(ys, chromedp.Navigate(base+"/disclosures/new")))
	shoot(t, ys, "workspace-disclosure-new")
	must(t, "session checks", chromedp.Do(ys, chromedp.Navigate(base+"/sessions/checks")))
	shoot(t, ys, "workspace-session-checks")

	ther := newPerson(t, ys)
	must(t, "phone size", chromedp.Do(ther, chromedp.EmulateViewport(360, 740)))
	logIn(t, ther, base, "isaura@example.org")
	must(t, "therapist progress", chromedp.Do(ther, chromedp.Navigate(base+"/caseload/"+strconv.FormatInt(couple.id, 10)+"/progress")))
	wantIn(t, ther, "therapist's progress", "main", "Ysolde", note, "A rough evening after the harbour walk")
	markers, err = chromedp.Run(ther, chromedp.Evaluate[int](`document.querySelectorAll('svg line.marker.marker-setback').length`))
	must(t, "count markers", err)
	if markers < 2 {
		t.Errorf("the therapist's charts draw %d setback markers", markers)
	}
	shoot(t, ther, "workspace-therapist-progress")
}
