package server

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// Every redirect follows only Mend's own paths; anything else lands home.
func TestSeeOther_FollowsOnlyLocalPaths(t *testing.T) {
	for path, want := range map[string]string{
		"/today":                      "/today",
		"/checkins/2026-12-01#answer": "/checkins/2026-12-01#answer",
		"/triggers?who=me":            "/triggers?who=me",
		"https://elsewhere.example":   "/",
		"//elsewhere.example/today":   "/",
		"/\\elsewhere.example":        "/",
		"today":                       "/",
		"/today\r\nSet-Cookie: x=1":   "/",
		"":                            "/",
	} {
		w := httptest.NewRecorder()
		seeOther(w, httptest.NewRequest(http.MethodPost, "/x", nil), path)
		if w.Code != http.StatusSeeOther || w.Header().Get("Location") != want {
			t.Errorf("%q: %d to %q, want 303 to %q", path, w.Code, w.Header().Get("Location"), want)
		}
	}
}
