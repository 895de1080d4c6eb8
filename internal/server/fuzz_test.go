package server

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"
	"github.com/mend-app/mend/internal/mend"
)

// Fuzz tests of the HTTP layer's decoders: the form every handler reads,
// the ids in paths, the invite token in a pasted link and the page to go
// back to. `make fuzz` runs each for a while; plain `go test` runs the
// seeds here and in testdata/fuzz.

// FuzzParseForm: any body either reads as a form every handler may trust
// (text only, no field twice but the multi-valued, every choice field one
// of its choices, every line break LF) or is refused with a 400 page of its
// own — never a panic, never another error.
func FuzzParseForm(f *testing.F) {
	for _, seed := range []string{
		"", "a=1", "body=hello+world&visibility=partner", "a=%zz", "a=%00", "a=%ff%fe", "%ff=1", "a=1&a=2",
		"share=checkins&share=journal", "share=on&share=x", "action=send", "action=delete", "yearly=on", "yearly=yes",
		"note=line%0D%0Anext", "format=json&role=therapist&confirmed=yes", strings.Repeat("x=y&", 100),
	} {
		f.Add(seed, "day=2026-11-30")
	}
	f.Fuzz(func(t *testing.T, body, query string) {
		r := httptest.NewRequest(http.MethodPost, "/form", strings.NewReader(body))
		r.URL.RawQuery = query
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		err := parseForm(r, "share")
		if err != nil {
			var re *requestError
			if !errors.As(err, &re) || re.status != http.StatusBadRequest || re.message == "" {
				t.Fatalf("parseForm(%q) = %v, want a 400 with words", body, err)
			}
			return
		}
		for _, vals := range []url.Values{r.Form, r.PostForm} {
			for k, vs := range vals {
				if !isText(k) {
					t.Fatalf("accepted name %q", k)
				}
				for _, v := range vs {
					if !utf8.ValidString(v) || strings.ContainsRune(v, 0) || strings.ContainsRune(v, '\r') {
						t.Fatalf("accepted %s=%q", k, v)
					}
				}
			}
		}
		for k, vs := range r.PostForm {
			if len(vs) > 1 && k != "share" {
				t.Fatalf("accepted %q %d times", k, len(vs))
			}
			if choices, ok := choiceFields[k]; ok {
				for _, v := range vs {
					if !slices.Contains(choices, v) {
						t.Fatalf("accepted %s=%q, not one of its choices", k, v)
					}
				}
			}
		}
		// What was accepted reads the same once sent again.
		again := httptest.NewRequest(http.MethodPost, "/form", strings.NewReader(r.PostForm.Encode()))
		again.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if err := parseForm(again, "share"); err != nil {
			t.Fatalf("the accepted form %q is refused once encoded again: %v", r.PostForm.Encode(), err)
		}
		for k, vs := range r.PostForm {
			if !slices.Equal(again.PostForm[k], vs) {
				t.Fatalf("%s: %q, then %q", k, vs, again.PostForm[k])
			}
		}
	})
}

// FuzzIDParam: an id in a path is a positive number, written as
// strconv writes it or with a sign or leading zeros; anything else is a
// plain 404 (NotFound), never another error or a panic.
func FuzzIDParam(f *testing.F) {
	for _, seed := range []string{"1", "42", "0", "-1", "+7", "007", "9223372036854775807", "9223372036854775808",
		"99999999999999999999", "1e3", " 1", "0x10", "", "١٢"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		rctx := chi.NewRouteContext()
		rctx.URLParams.Add("id", s)
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r = r.WithContext(context.WithValue(r.Context(), chi.RouteCtxKey, rctx))
		id, err := idParam(r, "id")
		if err != nil {
			if mend.ErrorCode(err) != mend.NotFound || id != 0 {
				t.Fatalf("idParam(%q) = %d, %v; want 0 and NotFound", s, id, err)
			}
			return
		}
		if id <= 0 {
			t.Fatalf("idParam(%q) = %d", s, id)
		}
		if n, perr := strconv.ParseInt(s, 10, 64); perr != nil || n != id {
			t.Fatalf("idParam(%q) = %d, but it reads as %d (%v)", s, id, n, perr)
		}
		// Its own writing reads back.
		rctx.URLParams = chi.RouteParams{}
		rctx.URLParams.Add("id", strconv.FormatInt(id, 10))
		if back, err := idParam(r, "id"); err != nil || back != id {
			t.Fatalf("%d does not round-trip: %d, %v", id, back, err)
		}
	})
}

// tokenAlphabet is the alphabet of invite tokens (base64url).
const tokenAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// FuzzTokenFromLink: the invite token found in anything pasted is "" or
// 20 to 100 characters of the token alphabet; a token found reads the same
// bare, and inside a link to /join/.
func FuzzTokenFromLink(f *testing.F) {
	for _, seed := range []string{
		"https://mend.example/join/abcdefghijklmnopqrstuvwxyz012345", "abcdefghijklmnopqrstuv", "short",
		"/join/" + strings.Repeat("a", 101), "https://mend.example/join/abc def ghi jkl mno pqr", "%zz", "http://[::1",
		"https://evil.example/join/abcdefghijklmnopqrstuvwxyz?x=1#frag", "join/\x00abcdefghijklmnopqrstuvwxyz", "",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		token := tokenFromLink(raw)
		if token == "" {
			return
		}
		if len(token) < 20 || len(token) > 100 || strings.Trim(token, tokenAlphabet) != "" {
			t.Fatalf("tokenFromLink(%q) = %q", raw, token)
		}
		if again := tokenFromLink(token); again != token {
			t.Fatalf("token %q read bare is %q", token, again)
		}
		if inLink := tokenFromLink("https://mend.example/join/" + token); inLink != token {
			t.Fatalf("token %q read in a link is %q", token, inLink)
		}
	})
}

// FuzzSafeNext: a page to go back to is "" or a path on this site that no
// browser reads as another site's: it starts with one "/", has no
// backslash or control character, and parses with no scheme or host.
func FuzzSafeNext(f *testing.F) {
	for _, seed := range []string{"/today", "/commitments/1?x=y#z", "//evil.example", "/\\evil.example", "/\t/evil.example",
		"https://evil.example", "/%2F%2Fevil.example", "", "today", "/caf\u00e9", "/\x7f", "/" + strings.Repeat("a", 600)} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, next string) {
		got := safeNext(next)
		if got == "" {
			return
		}
		if got != next {
			t.Fatalf("safeNext(%q) = %q: it changed the path", next, got)
		}
		if !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") || strings.ContainsRune(got, '\\') {
			t.Fatalf("safeNext(%q) let it through", next)
		}
		for _, c := range got {
			if c < 0x20 || c == 0x7f {
				t.Fatalf("safeNext(%q) let a control character through", next)
			}
		}
		u, err := url.Parse(got)
		if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
			t.Fatalf("safeNext(%q) let through %+v (%v)", next, u, err)
		}
	})
}
