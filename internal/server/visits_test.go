package server

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// Several pages opened in a row are one line on both partners' Sharing
// pages, naming each page once, in the order opened.
func TestSharing_OneVisitIsOneLine(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	w := seedWorld(t, app)
	tess := w.as(t, w.therapist)
	couple := "/caseload/" + strconv.FormatInt(w.coupleA, 10)
	for _, p := range []string{"", "/progress", "/checkins", ""} {
		wantStatus(t, tess.get(couple+p), http.StatusOK)
	}
	for _, b := range []*browser{w.as(t, w.ana), w.as(t, w.ben)} {
		section := find(doc(t, b.get("/sharing").body), byID("views-heading")).Parent
		var lines []string
		for li := find(section, func(n *html.Node) bool { return n.Data == "ul" }).FirstChild; li != nil; li = li.NextSibling {
			if li.Type == html.ElementNode {
				lines = append(lines, text(li))
			}
		}
		want := "Tess looked at your overview, your progress and your shared check-ins"
		if len(lines) != 1 || !strings.HasPrefix(lines[0], want) || !strings.HasSuffix(lines[0], "(4 pages)") {
			t.Fatalf("view log %q, want one line %q … (4 pages)", lines, want)
		}
	}
}
