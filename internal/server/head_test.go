package server

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/postgres/pgtest"
)

// rawHEAD sends a HEAD request over a plain connection and returns the
// status, the headers and every byte the server sent after them, so that
// a body sent by mistake would show (an http.Client never reads one).
func rawHEAD(t *testing.T, b *browser, path string) (int, http.Header, []byte) {
	t.Helper()
	u, _ := url.Parse(b.app.ts.URL)
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	var req strings.Builder
	req.WriteString("HEAD " + path + " HTTP/1.1\r\nHost: " + u.Host + "\r\nConnection: close\r\n")
	for _, c := range b.c.Jar.Cookies(u) {
		req.WriteString("Cookie: " + c.Name + "=" + c.Value + "\r\n")
	}
	req.WriteString("\r\n")
	if _, err := io.WriteString(conn, req.String()); err != nil {
		t.Fatal(err)
	}
	all, err := io.ReadAll(conn)
	if err != nil {
		t.Fatalf("HEAD %s: %v", path, err)
	}
	head, rest, ok := bytes.Cut(all, []byte("\r\n\r\n"))
	if !ok {
		t.Fatalf("HEAD %s: no end of headers in %q", path, all)
	}
	res, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(append(head, "\r\n\r\n"...))), &http.Request{Method: http.MethodHead})
	if err != nil {
		t.Fatalf("HEAD %s: %v", path, err)
	}
	return res.StatusCode, res.Header, rest
}

func TestHEAD_AnswersLikeGETWithoutABody(t *testing.T) {
	t.Parallel()
	logs := &syncBuffer{}
	app := newTestAppLogging(t, pgtest.NewDB(t), nil, logs)
	w := seedWorld(t, app)
	ana, tess := w.as(t, w.ana), w.as(t, w.therapist)
	visitor := app.browser()
	commitment := "/commitments/" + strconv.FormatInt(w.commitment, 10)
	cases := []struct {
		who    string
		b      *browser
		path   string
		status int
	}{
		{"visitor", visitor, "/login", http.StatusOK},
		{"visitor", visitor, "/today", http.StatusSeeOther}, // to the log-in page
		{"ana", ana, "/today", http.StatusOK},
		{"ana", ana, commitment, http.StatusOK},
		{"ana", ana, "/checkins/" + w.day, http.StatusOK},
		{"tess", tess, "/caseload/" + strconv.FormatInt(w.coupleA, 10), http.StatusOK},
		{"ana", ana, "/no-such-page", http.StatusNotFound},
		{"ana", ana, "/commitments/9223372036854775807", http.StatusNotFound},
		{"visitor", visitor, "/logout", http.StatusMethodNotAllowed}, // POST only, as for GET
		{"visitor", visitor, "/healthz", http.StatusOK},
	}
	for _, c := range cases {
		get := c.b.get(c.path)
		if get.StatusCode != c.status {
			t.Fatalf("GET %s as %s: status %d, want %d (the control)", c.path, c.who, get.StatusCode, c.status)
		}
		status, h, body := rawHEAD(t, c.b, c.path)
		if status != get.StatusCode {
			t.Errorf("HEAD %s as %s: status %d, GET gave %d", c.path, c.who, status, get.StatusCode)
		}
		if len(body) != 0 {
			t.Errorf("HEAD %s as %s: %d bytes of body: %.200q", c.path, c.who, len(body), body)
		}
		for _, name := range []string{"Content-Type", "Content-Security-Policy", "Cache-Control", "Location"} {
			if h.Get(name) != get.Header.Get(name) {
				t.Errorf("HEAD %s as %s: %s %q, GET gave %q", c.path, c.who, name, h.Get(name), get.Header.Get(name))
			}
		}
	}

	// The access log names the route of a HEAD request, as for GET, and
	// counts no bytes, as none were sent.
	found := false
	for _, line := range strings.Split(logs.String(), "\n") {
		var e struct {
			Msg, Method, Route string
			Status, Bytes      int
		}
		if json.Unmarshal([]byte(line), &e) != nil || e.Msg != "request" || e.Method != http.MethodHead {
			continue
		}
		if e.Route == "/commitments/{id}" && e.Status == http.StatusOK {
			found = true
		}
		if e.Bytes != 0 {
			t.Errorf("access log of a HEAD request counts %d bytes: %s", e.Bytes, line)
		}
	}
	if !found {
		t.Errorf("no access log line for HEAD /commitments/{id} with status 200:\n%s", logs.String())
	}
}
