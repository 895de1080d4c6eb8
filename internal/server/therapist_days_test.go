package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// On the therapist's pages of check-ins, commitments and triggers, chosen
// days list what was shared in them; days that cannot be shown draw the
// page again, 422, with the message beside the field and what was typed.
func TestTherapistPages_ChosenDaysAreListedAndBadDaysExplained(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	w := seedWorld(t, app)
	tess := w.as(t, w.therapist)
	base := "/caseload/" + strconv.FormatInt(w.coupleA, 10)
	today, err := time.Parse(time.DateOnly, w.day)
	if err != nil {
		t.Fatal(err)
	}
	day := func(n int) string { return today.AddDate(0, 0, n).Format(time.DateOnly) }
	query := func(from, to string) string { return "?" + url.Values{"from": {from}, "to": {to}}.Encode() }
	for _, pg := range []struct {
		path  string
		shown string // on the page when today is chosen
		none  string // on the page when days long ago are chosen
	}{
		{"/checkins", "Zelphine worries about the lake house", "Nothing shared with you in these days."},
		{"/commitments", "1 logged: 1 kept.", "It did not apply in these days."},
		{"/triggers", "Drove past the lake house", "Nothing shared with you in these days."},
	} {
		res := tess.get(base + pg.path + query(w.day, w.day))
		wantStatus(t, res, http.StatusOK)
		if !strings.Contains(res.body, pg.shown) {
			t.Errorf("%s, today: no %q:\n%s", pg.path, pg.shown, res.body)
		}
		res = tess.get(base + pg.path + query("2000-01-01", "2000-12-31"))
		wantStatus(t, res, http.StatusOK)
		if !strings.Contains(res.body, pg.none) || (pg.path != "/commitments" && strings.Contains(res.body, pg.shown)) {
			t.Errorf("%s, days long ago: want %q:\n%s", pg.path, pg.none, res.body)
		}
		for _, bad := range []struct{ from, to, field, want string }{
			{"not a day", "", "from", "Enter the first day as a date"},
			{day(-3), day(-5), "to", "The last day is before the first"},
			{"", day(3), "to", "This day is still to come"},
			{day(-400), w.day, "from", "These days span more than a year"},
		} {
			res := tess.get(base + pg.path + query(bad.from, bad.to))
			wantStatus(t, res, http.StatusUnprocessableEntity)
			d := doc(t, res.body)
			if got := text(find(d, byID(bad.field+"-error"))); !strings.Contains(got, bad.want) {
				t.Errorf("%s?from=%s&to=%s: the message beside %s is %q, want %q", pg.path, bad.from, bad.to, bad.field, got, bad.want)
			}
			if !strings.Contains(attr(find(d, byID(bad.field)), "aria-describedby"), bad.field+"-error") || find(d, byID("form-error")) == nil {
				t.Errorf("%s: the message is not tied to its field:\n%s", pg.path, res.body)
			}
			if got := attr(find(d, byID("from")), "value"); bad.from != "" && got != bad.from {
				t.Errorf("%s: the first day typed is not kept: %q, want %q", pg.path, got, bad.from)
			}
			if got := attr(find(d, byID("to")), "value"); bad.to != "" && got != bad.to {
				t.Errorf("%s: the last day typed is not kept: %q, want %q", pg.path, got, bad.to)
			}
			// The page of its own days is drawn below.
			if want := map[string]string{"/commitments": "How it is kept"}[pg.path]; want == "" && !strings.Contains(res.body, pg.shown) ||
				want != "" && !strings.Contains(res.body, want) {
				t.Errorf("%s: the page's own days are not drawn:\n%s", pg.path, res.body)
			}
		}
	}
	// Choosing days keeps the weeks of the charts, and the weeks keep the days.
	res := tess.get(base + "/checkins?weeks=12&" + query(day(-7), w.day)[1:])
	wantStatus(t, res, http.StatusOK)
	d := doc(t, res.body)
	if find(d, func(n *htmlNode) bool { return attr(n, "name") == "weeks" && attr(n, "value") == "12" }) == nil ||
		!strings.Contains(res.body, "from="+day(-7)+"&amp;to="+w.day+"&amp;weeks=52") {
		t.Errorf("the weeks and the days do not keep each other:\n%s", res.body)
	}
}
