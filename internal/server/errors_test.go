package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/a-h/templ"
	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
)

// adapterServer is a server with no database, for respondError alone; its
// log, at debug level, goes to out.
func adapterServer(t *testing.T, out *bytes.Buffer) *Server {
	t.Helper()
	log := slog.New(NewLogHandler(slog.NewJSONHandler(out, &slog.HandlerOptions{Level: slog.LevelDebug})))
	return New(testConfig(t, nil), log, &service.Services{}, nil, func(context.Context) error { return nil })
}

// answer runs respondError for err on a request of method.
func answer(t *testing.T, s *Server, method string, err error) *httptest.ResponseRecorder {
	t.Helper()
	w := httptest.NewRecorder()
	s.respondError(w, httptest.NewRequest(method, "/somewhere", nil), err)
	return w
}

func TestRespondError_StatusAndWordsFromTheCode(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	s := adapterServer(t, &logs)
	for code, view := range errorViews {
		if code == mend.Unauthorized {
			continue
		}
		// No message: the default words. A message of its own replaces them,
		// except for Internal and Unavailable, whose messages are for the log.
		w := answer(t, s, http.MethodGet, fmt.Errorf("wrapped: %w", &mend.Error{Code: code}))
		if w.Code != view.status || !strings.Contains(w.Body.String(), templ.EscapeString(view.heading)) ||
			!strings.Contains(w.Body.String(), templ.EscapeString(view.message)) {
			t.Errorf("%s without a message: %d, want %d with %q", code, w.Code, view.status, view.message)
		}
		w = answer(t, s, http.MethodGet, &mend.Error{Code: code, Message: "Words of its own."})
		shown := strings.Contains(w.Body.String(), "Words of its own.")
		if want := code != mend.Internal && code != mend.Unavailable; shown != want {
			t.Errorf("%s with a message: shown %v, want %v", code, shown, want)
		}
	}
	w := answer(t, s, http.MethodGet, errors.New("a bug"))
	if w.Code != http.StatusInternalServerError || strings.Contains(w.Body.String(), "a bug") {
		t.Errorf("an unexpected error: %d\n%s", w.Code, w.Body)
	}
	if w := answer(t, s, http.MethodGet, &mend.Error{Code: mend.Unauthorized}); w.Code != http.StatusSeeOther ||
		w.Header().Get("Location") != "/login?next=%2Fsomewhere" {
		t.Errorf("unauthorized: %d %q", w.Code, w.Header().Get("Location"))
	}
	if w := answer(t, s, http.MethodGet, &mend.Error{Code: mend.Throttled}); w.Header().Get("Retry-After") != "900" {
		t.Errorf("throttled: Retry-After %q, want the log-in throttle's 900", w.Header().Get("Retry-After"))
	}
	if w := answer(t, s, http.MethodGet, &mend.Error{Code: mend.Throttled, RetryAfter: time.Hour}); w.Header().Get("Retry-After") != "3600" {
		t.Errorf("throttled for an hour: Retry-After %q, want 3600", w.Header().Get("Retry-After"))
	}
	for err, want := range map[error]int{
		&http.MaxBytesError{Limit: 1}:      http.StatusRequestEntityTooLarge,
		badRequest(errors.New("bad %-ss")): http.StatusBadRequest,
		errNotAllowed:                      http.StatusMethodNotAllowed,
		errNotFound:                        http.StatusNotFound,
	} {
		if w := answer(t, s, http.MethodPost, err); w.Code != want {
			t.Errorf("%v: %d, want %d", err, w.Code, want)
		}
	}
}

// TestRespondError_NoSpaceSaysWhyAndOffersToBegin: a partner's page without
// a couple space says so where it was asked for, with start and join.
func TestRespondError_NoSpaceSaysWhyAndOffersToBegin(t *testing.T) {
	t.Parallel()
	s := adapterServer(t, &bytes.Buffer{})
	err := fmt.Errorf("list: %w", service.ErrNoSpace)
	if w := answer(t, s, http.MethodGet, err); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "You are not in a couple space yet") ||
		!strings.Contains(w.Body.String(), `href="/couple/start"`) || !strings.Contains(w.Body.String(), `href="/join"`) {
		t.Errorf("GET without a space: %d\n%s", w.Code, w.Body.String())
	}
	if w := answer(t, s, http.MethodPost, err); w.Code != http.StatusNotFound {
		t.Errorf("POST without a space: %d, want 404", w.Code)
	}
	if w := answer(t, s, http.MethodGet, recordNotFound(err)); w.Code != http.StatusNotFound {
		t.Errorf("a record's page without a space: %d, want 404", w.Code)
	}
}

func TestRespondError_FormsAreDrawnAgain(t *testing.T) {
	t.Parallel()
	s := adapterServer(t, &bytes.Buffer{})
	var got map[string]string
	draw := func(problems map[string]string) (templ.Component, error) {
		got = problems
		return templ.Raw("the form again"), nil
	}
	cases := []struct {
		name   string
		err    error
		opts   []formOption
		status int
		want   map[string]string
	}{
		{"invalid fields", &mend.Error{Code: mend.Invalid, Message: "Check.", Fields: map[string]string{"title": "Too long."}}, nil,
			http.StatusUnprocessableEntity, map[string]string{"title": "Too long."}},
		{"invalid form", &mend.Error{Code: mend.Invalid, Message: "Choose one."}, nil,
			http.StatusUnprocessableEntity, map[string]string{formWide: "Choose one."}},
		{"wrong password", &mend.Error{Code: mend.Unauthorized, Message: "Wrong."}, nil,
			http.StatusUnprocessableEntity, map[string]string{formWide: "Wrong."}},
		{"throttled", &mend.Error{Code: mend.Throttled, Message: "Wait."}, nil,
			http.StatusTooManyRequests, map[string]string{formWide: "Wait."}},
		{"conflict", fmt.Errorf("save: %w", &mend.Error{Code: mend.Conflict, Message: "Changed."}), nil,
			http.StatusConflict, map[string]string{formWide: "Changed."}},
		{"conflict beside a field", &mend.Error{Code: mend.Conflict, Message: "Leave first."}, []formOption{conflictOn("name")},
			http.StatusConflict, map[string]string{"name": "Leave first."}},
		{"conflict as invalid", &mend.Error{Code: mend.Conflict, Message: "Not now."}, []formOption{conflictAsInvalid},
			http.StatusUnprocessableEntity, map[string]string{formWide: "Not now."}},
		{"conflict without words", &mend.Error{Code: mend.Conflict}, nil,
			http.StatusConflict, map[string]string{formWide: errorViews[mend.Conflict].message}},
	}
	for _, c := range cases {
		got = nil
		w := answer(t, s, http.MethodPost, redraw(c.err, draw, c.opts...))
		if w.Code != c.status || w.Body.String() != "the form again" || fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%s: %d %q with %v, want %d with %v", c.name, w.Code, w.Body, got, c.status, c.want)
		}
		if throttled := w.Header().Get("Retry-After") == "900"; throttled != (c.status == http.StatusTooManyRequests) {
			t.Errorf("%s: Retry-After %q", c.name, w.Header().Get("Retry-After"))
		}
	}
	// Errors that are not the form's are answered as they are.
	got = nil
	if w := answer(t, s, http.MethodPost, redraw(&mend.Error{Code: mend.NotFound}, draw)); w.Code != http.StatusNotFound || got != nil {
		t.Errorf("not found on a form: %d, drawn %v", w.Code, got != nil)
	}
	// A form that cannot be drawn again answers the drawing's error.
	failing := func(map[string]string) (templ.Component, error) { return nil, &mend.Error{Code: mend.Unavailable} }
	if w := answer(t, s, http.MethodPost, redraw(&mend.Error{Code: mend.Invalid}, failing)); w.Code != http.StatusServiceUnavailable {
		t.Errorf("drawing failed: %d, want 503", w.Code)
	}
	if redraw(nil, draw) != nil {
		t.Error("redraw(nil) is not nil")
	}
}

func TestRespondError_DatabaseAwayIs503AndAClientGoneIsQuiet(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	s := adapterServer(t, &logs)
	away := &mend.Error{Code: mend.Unavailable, Err: errors.New("terminating connection due to administrator command")}
	if w := answer(t, s, http.MethodGet, away); w.Code != http.StatusServiceUnavailable {
		t.Errorf("database away: %d, want 503", w.Code)
	}
	if !strings.Contains(logs.String(), `"level":"WARN","msg":"database unavailable"`) {
		t.Errorf("database away is not logged as such:\n%s", logs.String())
	}

	logs.Reset()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	w := httptest.NewRecorder()
	gone := &mend.Error{Code: mend.Unavailable, Err: fmt.Errorf("query: %w", context.Canceled)}
	s.respondError(w, httptest.NewRequest(http.MethodGet, "/today", nil).WithContext(ctx), gone)
	if strings.Contains(logs.String(), "database unavailable") || strings.Contains(logs.String(), `"level":"WARN"`) ||
		strings.Contains(logs.String(), `"level":"ERROR"`) {
		t.Errorf("a client that went away is logged loudly:\n%s", logs.String())
	}
	if w.Code != statusClientClosed || w.Body.Len() != 0 {
		t.Errorf("a client that went away: %d with %d bytes", w.Code, w.Body.Len())
	}
}
