package server

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/mend-app/mend/web"
	"golang.org/x/net/html"
)

// firstLoadBudget is what a first visit may cost on the wire: a page with
// the CSS and JS it references, compressed.
const firstLoadBudget = 30 << 10

// rawGet fetches path with b's cookies and the given Accept-Encoding ("" for
// none), without the transport's own gzip handling, and returns the
// response with its body as sent.
func rawGet(t *testing.T, b *browser, path, acceptEncoding string) (*http.Response, []byte) {
	t.Helper()
	c := &http.Client{Jar: b.c.Jar, Transport: &http.Transport{DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, _ := http.NewRequest(http.MethodGet, b.app.ts.URL+path, nil)
	if acceptEncoding != "" {
		req.Header.Set("Accept-Encoding", acceptEncoding)
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, body
}

// decode undoes a response's Content-Encoding.
func decode(t *testing.T, encoding string, body []byte) []byte {
	t.Helper()
	var r io.Reader
	switch encoding {
	case "br":
		r = brotli.NewReader(bytes.NewReader(body))
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	default:
		t.Fatalf("Content-Encoding %q, want br or gzip", encoding)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("decode %s: %v", encoding, err)
	}
	return out
}

// assets returns the stylesheet and script URLs a page references.
func assets(t *testing.T, page []byte) []string {
	t.Helper()
	var urls []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "link" && attr(n, "rel") == "stylesheet" {
			urls = append(urls, attr(n, "href"))
		}
		if n.Type == html.ElementNode && n.Data == "script" && attr(n, "src") != "" {
			urls = append(urls, attr(n, "src"))
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc(t, string(page)))
	return urls
}

// firstLoad fetches page and what it references compressed and plain,
// checks that both say the same, and returns the compressed bytes.
func firstLoad(t *testing.T, b *browser, page string) int {
	t.Helper()
	total := 0
	res, body := rawGet(t, b, page, "br, gzip")
	urls := assets(t, decode(t, res.Header.Get("Content-Encoding"), body))
	if len(urls) < 2 {
		t.Fatalf("%s references %v, want the CSS and the JS", page, urls)
	}
	for _, u := range append([]string{page}, urls...) {
		res, body := rawGet(t, b, u, "br, gzip")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", u, res.StatusCode)
		}
		if !strings.Contains(res.Header.Get("Vary"), "Accept-Encoding") {
			t.Errorf("GET %s: Vary %q", u, res.Header.Get("Vary"))
		}
		got := decode(t, res.Header.Get("Content-Encoding"), body)
		plainRes, plain := rawGet(t, b, u, "")
		if ce := plainRes.Header.Get("Content-Encoding"); ce != "" {
			t.Errorf("GET %s without Accept-Encoding: Content-Encoding %q", u, ce)
		}
		if !bytes.Equal(got, plain) {
			t.Errorf("GET %s: decoded body (%d bytes) differs from the plain one (%d bytes)", u, len(got), len(plain))
		}
		t.Logf("%s: %s %d bytes (plain %d)", u, res.Header.Get("Content-Encoding"), len(body), len(plain))
		total += len(body)
	}
	return total
}

func TestCompression_FirstLoadFitsIn30KB(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	visitor := app.browser()
	if n := firstLoad(t, visitor, "/"); n > firstLoadBudget {
		t.Errorf("landing page first load: %d compressed bytes, budget %d", n, firstLoadBudget)
	} else {
		t.Logf("landing page first load: %d compressed bytes", n)
	}

	ana := app.browser()
	ana.signUp("Ana", "ana@example.org")
	ana.get("/today") // takes the welcome flash, so that both loads below match
	if n := firstLoad(t, ana, "/today"); n > firstLoadBudget {
		t.Errorf("/today first load: %d compressed bytes, budget %d", n, firstLoadBudget)
	} else {
		t.Logf("/today first load: %d compressed bytes", n)
	}
}

func TestCompression_NegotiatesAndSkipsWhatItShould(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	b := app.browser()
	css := web.Asset("app.css")
	cases := []struct {
		path, accept, want string
	}{
		{"/", "gzip", "gzip"},
		{"/", "br;q=1, gzip;q=0", ""}, // pages: gzip only, and it is refused
		{"/", "gzip;q=0", ""},
		{"/", "identity", ""},
		{"/healthz", "gzip", ""}, // too small to gain
		{css, "br, gzip", "br"},
		{css, "gzip, br;q=0.5", "gzip"},
		{css, "br;q=0, gzip;q=0", ""},
		{css, "*", "br"},
		{css, "deflate", ""},
	}
	for _, c := range cases {
		res, body := rawGet(t, b, c.path, c.accept)
		if got := res.Header.Get("Content-Encoding"); got != c.want {
			t.Errorf("GET %s with %q: Content-Encoding %q, want %q", c.path, c.accept, got, c.want)
		}
		if cl := res.Header.Get("Content-Length"); cl != "" && cl != itoa(len(body)) {
			t.Errorf("GET %s with %q: Content-Length %s for %d bytes", c.path, c.accept, cl, len(body))
		}
		if res.Header.Get("No-Gzip-Compression") != "" {
			t.Errorf("GET %s: internal header leaked", c.path)
		}
	}
	// HEAD: headers only, never a compressed body.
	req, _ := http.NewRequest(http.MethodHead, app.ts.URL+"/", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	res, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if ce := res.Header.Get("Content-Encoding"); ce != "" {
		t.Errorf("HEAD /: Content-Encoding %q", ce)
	}
}

func TestStatic_CompressedOnceAtStartNotPerRequest(t *testing.T) {
	// Not parallel: the counter is shared by every server in the package.
	app := newTestApp(t, nil)
	b := app.browser()
	css := web.Asset("app.css")
	before := staticCompressions.Load()
	first := map[string][]byte{}
	for range 3 {
		for _, enc := range []string{"br", "gzip", ""} {
			res, body := rawGet(t, b, css, enc)
			if got := res.Header.Get("Content-Encoding"); got != enc {
				t.Fatalf("Accept-Encoding %q: Content-Encoding %q", enc, got)
			}
			if prev, ok := first[enc]; ok && !bytes.Equal(prev, body) {
				t.Fatalf("Accept-Encoding %q: a different body the second time", enc)
			}
			first[enc] = body
		}
	}
	if n := staticCompressions.Load() - before; n != 0 {
		t.Fatalf("serving static files compressed %d times; they must be compressed once at start", n)
	}

	// The variants keep their own ETags, and a conditional request is answered 304.
	res, _ := rawGet(t, b, css, "br")
	etag := res.Header.Get("ETag")
	req, _ := http.NewRequest(http.MethodGet, app.ts.URL+css, nil)
	req.Header.Set("Accept-Encoding", "br")
	req.Header.Set("If-None-Match", etag)
	res2, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	res2.Body.Close()
	if res2.StatusCode != http.StatusNotModified {
		t.Fatalf("If-None-Match %s: %d, want 304", etag, res2.StatusCode)
	}
	if plain, _ := rawGet(t, b, css, ""); plain.Header.Get("ETag") == etag {
		t.Fatal("plain and brotli bytes share an ETag")
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
