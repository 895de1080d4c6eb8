package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// scanModules are wapiti's attacks on what Mend's code decides: injection
// (SQL, blind SQL, commands, files), cross-site scripting (reflected and
// stored), header injection and open redirects. The header modules judge
// the plain-HTTP test server rather than Mend, and the SSRF module needs the
// internet.
const scanModules = "sql,blindsql,exec,file,xss,permanentxss,crlf,redirect"

// withheld are the forms the scanner may not send: they would end its
// session (log-out, sign-outs, a new password or email) or remove what it
// crawls (the account, the space, the therapist's link, entries).
func withheld(r *http.Request) bool {
	if r.Method != http.MethodPost {
		return false
	}
	p := r.URL.Path
	switch p {
	case "/logout", "/settings/password", "/settings/email", "/settings/delete", "/couple/leave", "/sharing/end":
		return true
	}
	for _, end := range []string{"/delete", "/withdraw", "/end", "/remove", "/sign-out", "/sign-out-others"} {
		if strings.HasSuffix(p, end) {
			return true
		}
	}
	return false
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

// Drill: a real scanner, wapiti from Debian, crawls and attacks a running
// Mend as a logged-in partner whose space is full (the page audit's
// couple), through a proxy that keeps the session alive. Wapiti finds no
// vulnerability and no server error, no response is a 5xx, and the crawl
// did see the partner's own pages. Minutes long: `make drills` runs it
// (MEND_DRILLS=1), not `make test`.
func TestDrill_ScannerFindsNoInjectionAsALoggedInPartner(t *testing.T) {
	if os.Getenv("MEND_DRILLS") != "1" {
		t.Skip("a drill of minutes: `make drills` runs it")
	}
	wapiti, err := exec.LookPath("wapiti")
	if err != nil {
		t.Fatal("wapiti is not installed (apt-get install wapiti; .ci/run installs it)")
	}
	base, svc, db := startMendWith(t, nil)
	seedAudit(t, svc, db)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.PostForm(base+"/login", url.Values{"email": {"maren@example.org"}, "password": {couplePassword}})
	if err != nil || res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/today" {
		t.Fatalf("log in: %v %v", res, err)
	}
	res.Body.Close()
	target, _ := url.Parse(base)
	var cookies []string
	for _, ck := range jar.Cookies(target) {
		cookies = append(cookies, ck.Name+"="+ck.Value)
	}

	var mu sync.Mutex
	statuses, paths, kept := map[int]int{}, map[string]bool{}, 0
	var serverErrors []string
	proxy := httputil.NewSingleHostReverseProxy(target)
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if withheld(r) {
			mu.Lock()
			kept++
			mu.Unlock()
			http.Error(w, "withheld by the drill", http.StatusForbidden)
			return
		}
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		proxy.ServeHTTP(rec, r)
		mu.Lock()
		defer mu.Unlock()
		statuses[rec.status]++
		if rec.status == http.StatusOK {
			paths[r.URL.Path] = true
		}
		if rec.status >= 500 {
			serverErrors = append(serverErrors, fmt.Sprintf("%s %s: %d", r.Method, r.URL, rec.status))
		}
	}))
	defer front.Close()

	dir := t.TempDir()
	report := filepath.Join(dir, "report.json")
	args := []string{"-u", front.URL + "/", "-H", "Cookie: " + strings.Join(cookies, "; "), "-m", scanModules,
		"--flush-session", "--store-session", filepath.Join(dir, "session"), "--store-config", filepath.Join(dir, "config"),
		"-f", "json", "-o", report, "--max-scan-time", "100", "--max-attack-time", "15", "-t", "10", "--no-bugreport"}
	for _, start := range []string{"/today", "/checkins", "/triggers", "/commitments", "/talk", "/prompts", "/journal", "/statement", "/settings"} {
		args = append(args, "-s", front.URL+start)
	}
	// #nosec G204 -- the scanner from Debian's package, with the drill's own arguments
	cmd := exec.Command("timeout", append([]string{"-s", "KILL", "600", wapiti}, args...)...)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	took := time.Since(start)
	if err != nil {
		t.Fatalf("wapiti: %v\n%s", err, out)
	}
	raw, err := os.ReadFile(report)
	if err != nil {
		t.Fatalf("no report: %v\n%s", err, out)
	}
	var rep struct {
		Vulnerabilities map[string][]struct {
			Method, Path, Info, Parameter string
		}
		Anomalies map[string][]struct {
			Method, Path, Info, Parameter string
		}
	}
	if err := json.Unmarshal(raw, &rep); err != nil {
		t.Fatal(err)
	}
	found := 0
	for kind, list := range rep.Vulnerabilities {
		for _, v := range list {
			found++
			t.Errorf("wapiti found %s: %s %s (%s) %s", kind, v.Method, v.Path, v.Parameter, v.Info)
		}
	}
	anomalies := 0
	for kind, list := range rep.Anomalies {
		for _, v := range list {
			anomalies++
			t.Errorf("wapiti saw an anomaly, %s: %s %s (%s) %s", kind, v.Method, v.Path, v.Parameter, v.Info)
		}
	}
	for _, e := range serverErrors {
		t.Errorf("a server error: %s", e)
	}
	// The session held: the partner's own pages were crawled, not the log-in page.
	for _, p := range []string{"/today", "/checkins", "/triggers", "/talk", "/statement"} {
		if !paths[p] {
			t.Errorf("the scan never opened %s as the logged-in partner", p)
		}
	}
	var seen []string
	for p := range paths {
		seen = append(seen, p)
	}
	sort.Strings(seen)
	requests := 0
	for _, n := range statuses {
		requests += n
	}
	t.Logf("DRILL scanner: wapiti 3.0.4 (%s) as a logged-in partner for %v: %d requests through the proxy (by status %v; %d forms withheld), %d pages crawled; %d vulnerabilities, %d anomalies, %d server errors",
		scanModules, took.Round(time.Second), requests, statuses, kept, len(seen), found, anomalies, len(serverErrors))
}
