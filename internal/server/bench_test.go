package server

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

// BenchmarkPages compares Mend's pages with a bare page served from the same
// database in the same run: one SELECT 1 and a few bytes of HTML, with no
// middleware, session or template. Report each page as a ratio of the bare
// page's time (later issues hold pages to ≥ 0.6× the bare throughput).
func BenchmarkPages(b *testing.B) {
	app := newTestApp(b, nil)
	bare := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var one int
		if err := app.db.Pool.QueryRow(r.Context(), `SELECT 1`).Scan(&one); err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		fmt.Fprintf(w, "<!doctype html><title>bare</title><p>%d</p>", one)
	}))
	b.Cleanup(bare.Close)

	member := app.browser()
	res := member.post("/signup", url.Values{"name": {"Bench"}, "email": {"bench@example.org"}, "password": {testPassword}, "time_zone": {"UTC"}})
	if res.StatusCode != http.StatusSeeOther {
		b.Fatalf("sign up: %d", res.StatusCode)
	}
	key := attr(find(doc(b, member.get("/couple/start").body), func(n *htmlNode) bool { return attr(n, "name") == "form_key" }), "value")
	if res := member.post("/couple/start", url.Values{"form_key": {key}, "what_happened": {"lying"}}); res.StatusCode != http.StatusSeeOther {
		b.Fatalf("start space: %d", res.StatusCode)
	}
	member.get("/today") // take the flash
	visitor := &http.Client{}

	cases := []struct {
		name   string
		client *http.Client
		url    string
	}{
		{"bare", visitor, bare.URL},
		{"landing", visitor, app.ts.URL + "/"},
		{"today", member.c, app.ts.URL + "/today"},
		{"settings", member.c, app.ts.URL + "/settings"},
		{"couple", member.c, app.ts.URL + "/couple"},
		{"sharing", member.c, app.ts.URL + "/sharing"},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				req, _ := http.NewRequestWithContext(context.Background(), "GET", c.url, nil)
				res, err := c.client.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != http.StatusOK {
					b.Fatalf("%s: %d", c.name, res.StatusCode)
				}
			}
		})
	}
}
