package e2e

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// axe-core, the accessibility checker of the page audit: from the npm
// registry, pinned to one version and its published sha512 (npm view
// axe-core@4.14.1 dist.integrity), used by the tests only (MPL-2.0).
const (
	axeVersion   = "4.14.1"
	axeTarball   = "https://registry.npmjs.org/axe-core/-/axe-core-" + axeVersion + ".tgz"
	axeIntegrity = "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
)

// axeTags are the WCAG 2.0, 2.1 and 2.2 levels A and AA that Mend meets.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

// cacheDir is where downloads for the tests are kept between runs:
// $MEND_TEST_CACHE, or .mend/cache at the top of the module.
func cacheDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("MEND_TEST_CACHE")
	if dir == "" {
		wd, _ := os.Getwd()
		for d := wd; d != filepath.Dir(d); d = filepath.Dir(d) {
			if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
				dir = filepath.Join(d, ".mend", "cache")
				break
			}
		}
	}
	if dir == "" {
		t.Fatal("no cache folder: set MEND_TEST_CACHE")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// axeSource returns axe.min.js from the pinned axe-core tarball, fetched
// once into the cache folder and checked against its integrity every time.
// It fails the test (never skips it) when the tarball cannot be had.
func axeSource(t *testing.T) string {
	t.Helper()
	file := filepath.Join(cacheDir(t), "axe-core-"+axeVersion+".tgz")
	tgz, err := os.ReadFile(file)
	if err != nil || integrity(tgz) != axeIntegrity {
		tgz = fetchAxe(t)
		if got := integrity(tgz); got != axeIntegrity {
			t.Fatalf("%s has integrity %s, want the pinned %s", axeTarball, got, axeIntegrity)
		}
		must(t, "cache axe-core", os.WriteFile(file, tgz, 0o644))
	}
	zr, err := gzip.NewReader(bytes.NewReader(tgz))
	must(t, "open the axe-core tarball", err)
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			t.Fatalf("the axe-core tarball has no package/axe.min.js")
		}
		must(t, "read the axe-core tarball", err)
		if h.Name == "package/axe.min.js" {
			js, err := io.ReadAll(tr)
			must(t, "read axe.min.js", err)
			return string(js)
		}
	}
}

// integrity is b's sha512 in npm's "sha512-<base64>" form.
func integrity(b []byte) string {
	sum := sha512.Sum512(b)
	return "sha512-" + base64.StdEncoding.EncodeToString(sum[:])
}

func fetchAxe(t *testing.T) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, axeTarball, nil)
	must(t, "ask for axe-core", err)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("cannot fetch axe-core from %s (the page audit needs it; it is cached in %s once fetched): %v", axeTarball, cacheDir(t), err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("fetching %s: %s", axeTarball, res.Status)
	}
	b, err := io.ReadAll(io.LimitReader(res.Body, 16<<20))
	must(t, "download axe-core", err)
	return b
}

// bypassCSP lets the tab run the checker's script, which Mend's
// Content-Security-Policy (no inline script) would refuse. Set before the
// pages are opened.
func bypassCSP() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Call(ctx, page.SetBypassCSP, page.SetBypassCSPParams{Enabled: true})
		return err
	})
}

// axeViolation is one rule that failed, with the nodes that failed it.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  []any  `json:"target"`
		Summary string `json:"failureSummary"`
	} `json:"nodes"`
}

// runAxe puts axe into the open page (once per document) and returns its
// serious and critical findings against axeTags.
func runAxe(ctx context.Context, src string) ([]axeViolation, error) {
	has, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.axe !== "undefined"`))
	if err != nil {
		return nil, fmt.Errorf("look for axe: %w", err)
	}
	if !has {
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](src)); err != nil {
			return nil, fmt.Errorf("inject axe: %w", err)
		}
	}
	tags, _ := json.Marshal(axeTags)
	res, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](`axe.run(document, {runOnly: {type: "tag", values: `+string(tags)+`}, resultTypes: ["violations"]})
		.then(r => r.violations.filter(v => v.impact === "serious" || v.impact === "critical"))`, chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("run axe: %w", err)
	}
	var vs []axeViolation
	if err := json.Unmarshal(res, &vs); err != nil {
		return nil, fmt.Errorf("read axe's answer: %w", err)
	}
	return vs, nil
}

// String names the rule and its nodes, for a failure message.
func (v axeViolation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "axe %s (%s): %s", v.ID, v.Impact, v.Help)
	for i, n := range v.Nodes {
		if i == 6 {
			fmt.Fprintf(&b, "\n      … and %d more", len(v.Nodes)-i)
			break
		}
		sum := strings.ReplaceAll(strings.TrimSpace(n.Summary), "\n", " ")
		if len(sum) > 240 {
			sum = sum[:240] + "…"
		}
		fmt.Fprintf(&b, "\n      %v: %s", n.Target, sum)
	}
	return b.String()
}
