package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/mend-app/mend/web"
)

// Mend is installable: the icon at /favicon.ico, the manifest with its
// icons, and the head of every page pointing at them, each served with its
// content type and, where it helps, compressed once like the other static
// files.
func TestHTTP_InstallableIconsAndManifest(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	b := app.browser()
	fetch := func(path, wantType string) []byte {
		t.Helper()
		res, body := rawGet(t, b, path, "br")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", path, res.StatusCode)
		}
		if got := res.Header.Get("Content-Type"); !strings.HasPrefix(got, wantType) {
			t.Errorf("%s: Content-Type %q, want %q", path, got, wantType)
		}
		if res.Header.Get("ETag") == "" {
			t.Errorf("%s: no ETag", path)
		}
		switch res.Header.Get("Content-Encoding") {
		case "br":
			plain, err := readAllBrotli(body)
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			body = plain
		case "":
		default:
			t.Errorf("%s: Content-Encoding %q", path, res.Header.Get("Content-Encoding"))
		}
		if len(body) == 0 {
			t.Fatalf("%s: empty", path)
		}
		return body
	}

	if ico := fetch("/favicon.ico", "image/vnd.microsoft.icon"); !bytes.HasPrefix(ico, []byte{0, 0, 1, 0}) {
		t.Errorf("/favicon.ico is not an icon file")
	}
	var m struct {
		Name            string `json:"name"`
		ShortName       string `json:"short_name"`
		StartURL        string `json:"start_url"`
		Display         string `json:"display"`
		BackgroundColor string `json:"background_color"`
		ThemeColor      string `json:"theme_color"`
		Icons           []struct{ Src, Sizes, Type string }
	}
	raw := fetch("/manifest.webmanifest", "application/manifest+json")
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("manifest: %v", err)
	}
	if m.Name != "Mend" || m.ShortName == "" || m.StartURL != "/today" || m.Display != "standalone" ||
		m.BackgroundColor == "" || m.ThemeColor == "" {
		t.Errorf("manifest: %+v", m)
	}
	sizes := map[string]bool{}
	for _, icon := range m.Icons {
		fetch(icon.Src, icon.Type)
		sizes[icon.Sizes] = true
	}
	if !sizes["192x192"] || !sizes["512x512"] {
		t.Errorf("manifest icons %v, want 192 and 512 px for home screens", sizes)
	}
	fetch(web.Asset("icon.svg"), "image/svg+xml")
	fetch(web.Asset("icon-192.png"), "image/png")

	res := b.get("/login")
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "manifest-src 'self'") {
		t.Errorf("CSP %q does not let the browser read the manifest", csp)
	}
	page := res.body
	for _, want := range []string{
		`<link rel="manifest" href="/manifest.webmanifest">`,
		`<link rel="icon" href="/favicon.ico"`,
		`<link rel="apple-touch-icon" href="` + web.Asset("icon-192.png") + `"`,
		`<meta name="theme-color" content="#f8f5f0" media="(prefers-color-scheme: light)">`,
		`<meta name="theme-color" content="#171513" media="(prefers-color-scheme: dark)">`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page's head lacks %s", want)
		}
	}
}

func readAllBrotli(b []byte) ([]byte, error) {
	var out bytes.Buffer
	_, err := out.ReadFrom(brotli.NewReader(bytes.NewReader(b)))
	return out.Bytes(), err
}
