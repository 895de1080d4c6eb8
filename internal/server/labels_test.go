package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/mend-app/mend/internal/mend"
)

// The sentences that say who can read an entry are checked against who can
// actually read it: the partner's and the therapist's own pages, which run
// the store's queries. For every visibility × therapist linked or not ×
// sharing on or off, on every page that shows an entry with its label.

// linkTherapist has inviter invite a therapist, Dr Tess Lee, who accepts;
// unless pending, partner agrees. It returns the therapist's browser and,
// once agreed, the couple's path on her caseload.
func linkTherapist(t *testing.T, app *testApp, inviter, partner *browser, pending bool) (*browser, string) {
	t.Helper()
	res := inviter.post("/sharing/invite", nil)
	wantStatus(t, res, http.StatusOK)
	link := inviteLinkOn(t, res.body)
	tess := app.browser()
	tess.signUpWith(url.Values{"name": {"Tess"}, "email": {"tess@example.org"}, "password": {testPassword},
		"time_zone": {"UTC"}, "role": {"therapist"}, "professional_name": {"Dr Tess Lee"}}, "/caseload")
	wantStatus(t, tess.post(pathOf(link), nil), http.StatusSeeOther)
	if pending {
		return tess, ""
	}
	agree := attr(find(doc(t, partner.get("/sharing").body), func(n *htmlNode) bool { return attr(n, "name") == "link" }), "value")
	wantStatus(t, partner.post("/sharing/agree", url.Values{"link": {agree}}), http.StatusSeeOther)
	path := attr(find(doc(t, tess.get("/caseload").body), func(n *htmlNode) bool {
		return n.Data == "a" && strings.HasPrefix(attr(n, "href"), "/caseload/")
	}), "href")
	if path == "" {
		t.Fatal("the couple is not on Tess's caseload after both agreed")
	}
	return tess, path
}

// seenClause is the part of a label that names who can read the entry:
// "Seen by you and Ben" of "Seen by you and Ben. Marked for …".
func seenClause(label string) string {
	if i := strings.IndexAny(label, ".("); i >= 0 {
		label = label[:i]
	}
	return strings.TrimSpace(label)
}

// checkLabel compares a label with who can read the entry: the partner is
// named as Ben, or as one of "the two of you" on a commitment.
func checkLabel(t *testing.T, where, label string, v mend.Visibility, partnerReads, therapistReads bool) {
	t.Helper()
	clause := seenClause(label)
	if label == "" {
		t.Errorf("%s: no label", where)
		return
	}
	if got := strings.Contains(clause, "Ben") || strings.HasPrefix(clause, "The two of you"); got != partnerReads {
		t.Errorf("%s: %q names Ben: %v, but Ben reads it: %v", where, label, got, partnerReads)
	}
	if got := strings.Contains(clause, "Tess"); got != therapistReads {
		t.Errorf("%s: %q names the therapist: %v, but she reads it: %v", where, label, got, therapistReads)
	}
	if !partnerReads && !therapistReads && clause != "Seen by you only" {
		t.Errorf("%s: %q, but nobody else reads it", where, label)
	}
	marked := v == mend.PartnerAndTherapist && !therapistReads
	if got := strings.Contains(label, "Marked for"); got != marked {
		t.Errorf("%s: %q says it is marked for a therapist who cannot read it: %v, want %v", where, label, got, marked)
	}
}

// elementText returns the text of the first element matching match inside
// the first element matching within (the whole page when within is nil).
func elementText(t *testing.T, body string, within, match func(*htmlNode) bool) string {
	t.Helper()
	n := doc(t, body)
	if within != nil {
		if n = find(n, within); n == nil {
			return ""
		}
	}
	return text(find(n, match))
}

func hasClass(class string) func(*htmlNode) bool {
	return func(n *htmlNode) bool { return strings.Contains(" "+attr(n, "class")+" ", " "+class+" ") }
}

// whoSeesLine is the line of the choice v above Save on a form page.
func whoSeesLine(t *testing.T, body string, v mend.Visibility) string {
	t.Helper()
	return elementText(t, body, hasClass("who-sees"), func(n *htmlNode) bool {
		return hasClass("who-sees-line")(n) && attr(n, "data-for") == string(v)
	})
}

// ddAfter is the text of the dd that follows the first dt reading term.
func ddAfter(t *testing.T, body, term string) string {
	t.Helper()
	dt := find(doc(t, body), func(n *htmlNode) bool { return n.Data == "dt" && text(n) == term })
	for n := dt; n != nil; n = n.NextSibling {
		if n.Data == "dd" {
			return text(n)
		}
	}
	return ""
}

func TestHTTP_EveryLabelSaysWhoCanReadTheEntry(t *testing.T) {
	t.Parallel()
	for _, therapist := range []string{"none", "pending", "linked"} {
		for _, sharing := range []bool{false, true} {
			t.Run(fmt.Sprintf("therapist=%s,sharing=%v", therapist, sharing), func(t *testing.T) {
				t.Parallel()
				labelsScenario(t, therapist, sharing)
			})
		}
	}
}

// labelsScenario: therapist is "none", "pending" (invited by Ana, accepted,
// not yet agreed by Ben) or "linked".
func labelsScenario(t *testing.T, therapist string, sharing bool) {
	app := newTestApp(t, nil)
	ana, ben := pairUp(t, app)
	linked := therapist == "linked"
	var tess *browser
	var casePath string
	if therapist != "none" {
		tess, casePath = linkTherapist(t, app, ana, ben, therapist == "pending")
	}
	if sharing {
		wantStatus(t, ana.post("/sharing/defaults", url.Values{"share": {"checkins", "commitments", "triggers", "disclosures"}}), http.StatusSeeOther)
	}
	therapistSees := func(path, secret string) bool {
		if tess == nil {
			return false
		}
		if casePath == "" { // pending: not even the couple is on her caseload
			if body := tess.get("/caseload").body; strings.Contains(body, secret) || strings.Contains(body, "Ben") {
				t.Errorf("a pending therapist's caseload shows the couple:\n%s", body)
			}
			return false
		}
		res := tess.get(casePath + path)
		wantStatus(t, res, http.StatusOK)
		return strings.Contains(res.body, secret)
	}

	// The forms offer the therapist only while one is linked, and their
	// line for each choice is the label the saved entry gets.
	for _, form := range []string{"/checkin", "/triggers/new"} {
		page := ana.get(form).body
		if got := whoSeesLine(t, page, mend.PartnerAndTherapist) != ""; got != linked {
			t.Errorf("%s offers the therapist: %v, linked: %v", form, got, linked)
		}
		if !strings.Contains(text(find(doc(t, page), byID("visibility-hint"))), map[string]string{"none": "No therapist is linked", "pending": "until both of you have agreed", "linked": "Tess sees only"}[therapist]) {
			t.Errorf("%s: the hint does not say whether a therapist is linked:\n%s", form, page)
		}
	}

	// Ben checks in first and shares it, so reveal together lets him read
	// Ana's whatever its visibility allows.
	wantStatus(t, checkIn(t, ben, "", url.Values{"mood": {"3"}, "connection": {"5"}}), http.StatusSeeOther)
	day := "/checkins/" + berlinToday(app)
	for _, v := range []mend.Visibility{mend.JustMe, mend.MyPartner, mend.PartnerAndTherapist} {
		secret := "check-in words " + string(v)
		formLine := whoSeesLine(t, ana.get("/checkin?day="+berlinToday(app)).body, v)
		wantStatus(t, checkIn(t, ana, "", url.Values{"mood": {"4"}, "connection": {"6"}, "feel": {secret}, "visibility": {string(v)}}), http.StatusSeeOther)
		label := elementText(t, ana.get(day).body, byID("main"), hasClass("visibility"))
		partner := strings.Contains(ben.get(day).body, secret)
		reads := therapistSees("/checkins", secret)
		checkLabel(t, "check-in "+string(v), label, v, partner, reads)
		if v != mend.PartnerAndTherapist || linked {
			if formLine != label {
				t.Errorf("check-in %s: the form said %q, the saved check-in says %q", v, formLine, label)
			}
		}
		if want := v == mend.PartnerAndTherapist && linked && sharing; reads != want {
			t.Errorf("check-in %s: the therapist reads it: %v, want %v", v, reads, want)
		}
	}

	for _, v := range []mend.Visibility{mend.JustMe, mend.MyPartner, mend.PartnerAndTherapist} {
		secret := "trigger words " + string(v)
		formLine := whoSeesLine(t, ana.get("/triggers/new").body, v)
		wantStatus(t, quickLog(t, ana, url.Values{"category": {"place"}, "intensity": {"5"}, "what_happened": {secret}, "visibility": {string(v)}}), http.StatusSeeOther)
		mine := ana.get("/triggers?who=me").body
		card := func(n *htmlNode) bool { return n.Data == "li" && strings.Contains(text(n), secret) }
		label := elementText(t, mine, card, func(n *htmlNode) bool { return n.Data == "span" && strings.HasPrefix(text(n), "Seen by") })
		partner := strings.Contains(ben.get("/triggers").body, secret)
		reads := therapistSees("/triggers", secret)
		checkLabel(t, "trigger "+string(v), label, v, partner, reads)
		if (v != mend.PartnerAndTherapist || linked) && formLine != label {
			t.Errorf("trigger %s: the form said %q, the saved trigger says %q", v, formLine, label)
		}
		if id := strings.TrimPrefix(attr(find(doc(t, mine), card), "id"), "trigger-"); id != "" {
			edit := ana.get("/triggers/" + id + "/edit").body
			if got := whoSeesLine(t, edit, v); got != label {
				t.Errorf("trigger %s: its edit form says %q, its card %q", v, got, label)
			}
		}
	}

	for _, v := range []mend.Visibility{mend.MyPartner, mend.PartnerAndTherapist} {
		for _, send := range []bool{false, true} {
			secret := fmt.Sprintf("disclosure words %s %v", v, send)
			page := ana.get("/disclosures/new").body
			formLine := elementText(t, page, func(n *htmlNode) bool {
				return n.Data == "label" && find(n, func(c *htmlNode) bool { return attr(c, "name") == "visibility" && attr(c, "value") == string(v) }) != nil
			}, hasClass("hint"))
			if got := formLine != ""; got != (v == mend.MyPartner || linked) {
				t.Errorf("the disclosure form offers %s: %v, linked: %v", v, got, linked)
			}
			action := map[bool]string{false: "draft", true: "send"}[send]
			wantStatus(t, disclose(t, ana, url.Values{"topic": {"slip"}, "body": {secret}, "visibility": {string(v)}, "action": {action}}), http.StatusSeeOther)
			card := func(n *htmlNode) bool { return n.Data == "li" && strings.Contains(text(n), secret) }
			label := elementText(t, ana.get("/disclosures").body, card, func(n *htmlNode) bool {
				return n.Data == "span" && (strings.HasPrefix(text(n), "Seen by") || strings.HasPrefix(text(n), "Only you"))
			})
			partner := strings.Contains(ben.get("/disclosures").body, secret)
			reads := therapistSees("/disclosures", secret)
			where := fmt.Sprintf("disclosure %s sent=%v", v, send)
			if !send {
				if partner || reads || !strings.HasPrefix(label, "Only you can see this until you send it. Once sent: seen by") {
					t.Errorf("%s: %q, Ben reads it: %v, the therapist: %v", where, label, partner, reads)
				}
				continue
			}
			checkLabel(t, where, label, v, partner, reads)
			if (v == mend.MyPartner || linked) && formLine != label {
				t.Errorf("%s: the form said %q, the sent one says %q", where, formLine, label)
			}
			if want := v == mend.PartnerAndTherapist && linked && sharing; reads != want {
				t.Errorf("%s: the therapist reads it: %v, want %v", where, reads, want)
			}
		}
	}

	for _, v := range []mend.Visibility{mend.MyPartner, mend.PartnerAndTherapist} {
		title := "Commitment for " + string(v)
		res := ana.post("/commitments", proposeForm(t, ana, url.Values{"title": {title}, "visibility": {string(v)}}))
		wantStatus(t, res, http.StatusSeeOther)
		path := res.Header.Get("Location")
		// A proposal is never the therapist's to read.
		for who, b := range map[string]*browser{"Ana": ana, "Ben": ben} {
			checkLabel(t, who+"'s proposal "+string(v), ddAfter(t, b.get(path).body, "Seen by"), v, true, therapistSees("/commitments", title))
		}
		wantStatus(t, ben.post(path+"/answer", url.Values{"answer": {"agree"}}), http.StatusSeeOther)
		reads := therapistSees("/commitments", title)
		for who, b := range map[string]*browser{"Ana": ana, "Ben": ben} {
			checkLabel(t, who+"'s commitment "+string(v), ddAfter(t, b.get(path).body, "Seen by"), v, strings.Contains(ben.get(path).body, title), reads)
		}
		if want := v == mend.PartnerAndTherapist && linked && sharing; reads != want {
			t.Errorf("commitment %s: the therapist reads it: %v, want %v", v, reads, want)
		}
	}
}

// Entries written before the partner joined stay the writer's, and the
// labels say so; a check-in waits for reveal together, and says for whom.
func TestHTTP_LabelsOfEntriesFromBeforeThePartnerAndBeforeReveal(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ana := startSpace(t, app, "Ana")
	if line := whoSeesLine(t, ana.get("/triggers/new").body, mend.MyPartner); line != "Seen by you only (your partner has not joined yet)" {
		t.Errorf("the quick log before anyone joined: %q", line)
	}
	wantStatus(t, quickLog(t, ana, url.Values{"category": {"date"}, "intensity": {"7"}, "what_happened": {"Before Ben came"}, "visibility": {"partner"}}), http.StatusSeeOther)
	wantStatus(t, checkIn(t, ana, "", url.Values{"mood": {"2"}, "connection": {"3"}, "feel": {"Alone in here"}}), http.StatusSeeOther)
	ben := app.browser()
	ben.signUp("Ben", "ben@example.org")
	wantStatus(t, ben.post(pathOf(invite(t, ana)), nil), http.StatusSeeOther)
	wantStatus(t, checkIn(t, ben, "", url.Values{"mood": {"3"}, "connection": {"5"}}), http.StatusSeeOther)

	label := elementText(t, ana.get("/triggers?who=me").body, nil, func(n *htmlNode) bool { return n.Data == "span" && strings.HasPrefix(text(n), "Seen by") })
	partner := strings.Contains(ben.get("/triggers").body, "Before Ben came")
	checkLabel(t, "a trigger from before Ben joined", label, mend.MyPartner, partner, false)
	if !strings.Contains(label, "written before Ben joined") {
		t.Errorf("the label does not say why Ben cannot read it: %q", label)
	}
	day := "/checkins/" + berlinToday(app)
	label = elementText(t, ana.get(day).body, byID("main"), hasClass("visibility"))
	checkLabel(t, "a check-in from before Ben joined", label, mend.MyPartner, strings.Contains(ben.get(day).body, "Alone in here"), false)

	// A check-in Ben cannot read yet: he has not shared his for the day.
	app2 := newTestApp(t, nil)
	ana2, ben2 := pairUp(t, app2)
	wantStatus(t, checkIn(t, ana2, "", url.Values{"mood": {"4"}, "connection": {"6"}, "feel": {"Waiting for you"}}), http.StatusSeeOther)
	day2 := "/checkins/" + berlinToday(app2)
	label = elementText(t, ana2.get(day2).body, byID("main"), hasClass("visibility"))
	if strings.Contains(ben2.get(day2).body, "Waiting for you") || !strings.Contains(label, "Ben reads it after sharing a check-in for this day") {
		t.Errorf("before Ben shares his: %q", label)
	}
	wantStatus(t, checkIn(t, ben2, "", url.Values{"mood": {"3"}, "connection": {"5"}, "visibility": {"private"}}), http.StatusSeeOther)
	label = elementText(t, ana2.get(day2).body, byID("main"), hasClass("visibility"))
	if strings.Contains(ben2.get(day2).body, "Waiting for you") || !strings.Contains(label, "after sharing a check-in") {
		t.Errorf("a private check-in of Ben's does not unlock Ana's: %q", label)
	}
	wantStatus(t, checkIn(t, ben2, "", url.Values{"mood": {"3"}, "connection": {"5"}, "visibility": {"partner"}}), http.StatusSeeOther)
	label = elementText(t, ana2.get(day2).body, byID("main"), hasClass("visibility"))
	checkLabel(t, "a check-in Ben has unlocked", label, mend.MyPartner, strings.Contains(ben2.get(day2).body, "Waiting for you"), false)
}
