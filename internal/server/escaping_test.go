package server

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/postgres/pgtest"
	"github.com/mend-app/mend/internal/service"
)

// Stored HTML and script payloads render escaped on every page: a couple
// and their therapist write them into every text field of every form they
// meet, then every page reachable by links is read as each of them.

// payloads are the words written everywhere; raw, each would run script.
var payloads = []string{`<script>alert("mend")</script>`, `"><img src=x onerror=alert(1)>`}

// payloadMarks are what must never appear in a page: the payloads' markup,
// unescaped.
var payloadMarks = []string{`<script>alert(`, `<img src=x onerror`}

// writesNothingBack are the forms the payload writers do not send: they
// end, remove or sign out of something, or need a password.
var writesNothingBack = regexp.MustCompile(`/(logout|delete|remove|withdraw|leave|end|step-away|sign-out|sign-out-others|decline|revoke|dismiss|password|email|export|therapist|start|signup|login)(/|$)`)

// payloadPerson signs up a confirmed person whose name (and professional
// name, for a therapist) is a payload.
func payloadPerson(t *testing.T, app *testApp, email, name, professional string) *mend.User {
	t.Helper()
	ctx := context.Background()
	if _, err := app.srv.accounts.SignUp(ctx, service.SignUpInput{Name: name, Email: email, Password: testPassword,
		TimeZone: "UTC", Therapist: professional != "", ProfessionalName: professional}, "192.0.2.201"); err != nil {
		t.Fatalf("sign up %s: %v", email, err)
	}
	_, token := pgtest.ConfirmLink(t, app.db, email)
	u, err := app.srv.accounts.ConfirmSignUp(ctx, token)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// writePayloads sends every form b's crawl met (but writesNothingBack)
// with a payload in every field a person types into; it returns how many
// forms it sent.
func writePayloads(t *testing.T, c *crawled, day string) int {
	t.Helper()
	sent := 0
	for _, f := range c.forms {
		if writesNothingBack.MatchString(f.route) || f.route == "" {
			continue
		}
		v, _ := f.baseValues(day)
		typed := false
		for i, fd := range f.fields {
			if fd.kind == "text" || fd.kind == "textarea" {
				v.Set(fd.name, payloads[i%len(payloads)])
				typed = true
			}
		}
		if !typed {
			continue
		}
		if res := c.b.post(f.action, v); res.StatusCode >= 500 {
			t.Errorf("POST %s with payloads: %d", f.action, res.StatusCode)
		}
		sent++
	}
	return sent
}

func TestEscaping_StoredPayloadsRenderEscapedOnEveryPage(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ctx := context.Background()
	ana := payloadPerson(t, app, "ana@example.org", payloads[0], "")
	ben := payloadPerson(t, app, "ben@example.org", payloads[1], "")
	tess := payloadPerson(t, app, "tess@example.org", "Tess "+payloads[0], payloads[1])
	w := &world{app: app, ana: ana, ben: ben, therapist: tess}
	c := app.srv.couples
	if _, err := c.Start(ctx, ana, service.StartInput{WhatHappened: "affair", Details: payloads[0]}); err != nil {
		t.Fatal(err)
	}
	token, _, err := c.CreateInvite(ctx, ana, mend.InvitePartner)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Accept(ctx, ben, token); err != nil {
		t.Fatal(err)
	}
	w.link(t, ana, ben, tess)
	all := map[string]bool{}
	for _, k := range mend.SharedKinds {
		all[k.Value] = true
	}
	for _, u := range []*mend.User{ana, ben} {
		if _, err := c.SetDefaults(ctx, u, all); err != nil {
			t.Fatal(err)
		}
	}
	people := map[string]*browser{"Ana": w.as(t, ana), "Ben": w.as(t, ben), "Tess": w.as(t, tess)}
	starts := []string{"/today", "/caseload", "/settings", "/more"}
	day := mend.Date(app.srv.now(), time.UTC).Format(time.DateOnly)

	// Two rounds: forms that answer the other's words appear once those
	// words are there.
	sent := 0
	for range 2 {
		for _, who := range []string{"Ana", "Ben", "Tess"} {
			sent += writePayloads(t, people[who].crawl(t, starts), day)
		}
	}

	for _, who := range []string{"Ana", "Ben", "Tess"} {
		crawl := people[who].crawl(t, starts)
		escaped := 0
		for _, path := range sortedKeys(crawl.pages) {
			res := crawl.pages[path]
			if res.StatusCode >= 500 {
				t.Errorf("GET %s as %s: %d", path, who, res.StatusCode)
			}
			for _, mark := range payloadMarks {
				if strings.Contains(res.body, mark) {
					i := strings.Index(res.body, mark)
					t.Errorf("GET %s as %s shows %q raw: …%s…", path, who, mark, res.body[max(0, i-200):min(len(res.body), i+100)])
				}
			}
			if strings.Contains(res.body, "&lt;script&gt;alert(") {
				escaped++
			}
		}
		// The positive control: the payloads were stored, and are shown.
		if escaped < 5 {
			t.Errorf("as %s, only %d of %d pages show a payload (escaped): were they saved?", who, escaped, len(crawl.pages))
		}
		t.Logf("DRILL escaping as %s: %d pages crawled, %d show a payload escaped, none raw", who, len(crawl.pages), escaped)
	}
	t.Logf("DRILL escaping: %d forms sent with payloads in every typed field", sent)
	if sent < 20 {
		t.Errorf("only %d forms sent with payloads", sent)
	}
}
