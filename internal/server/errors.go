package server

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
	"github.com/mend-app/mend/web"
)

// Handlers return errors; respondError is the one place that turns an
// error into a response. Its rules, in order:
//
//  1. The client went away (the request's context was canceled): nothing
//     to answer, logged quietly.
//  2. A form error (redraw) whose code belongs on the form: the form again,
//     with the input kept and the messages beside their fields.
//  3. service.ErrNoSpace on a GET: the page asked for says that there is
//     no couple space yet, and offers to start or join one.
//  4. Unauthorized: a redirect to the log-in page, and back.
//  5. Everything else: the status and words of its code (errorViews), with
//     the error's own message where it has one. Internal errors are logged
//     with the request ID and shown only as that ID.

// errorView is how one kind of error looks to the person who met it.
type errorView struct {
	status           int
	heading, message string
}

// errorViews maps each domain error code to its status and default words.
// A *mend.Error's own message replaces the default where it has one.
var errorViews = map[mend.Code]errorView{
	mend.Invalid:     {http.StatusUnprocessableEntity, "Please check what you sent", "Something in it cannot be kept as it is. Please check it and try again."},
	mend.NotFound:    {http.StatusNotFound, "Page not found", "There is nothing here. The link may be incomplete, or the page may have moved."},
	mend.Gone:        {http.StatusGone, "This link no longer works", "This link has expired or has been used. Please ask for a new one."},
	mend.Conflict:    {http.StatusConflict, "That changed in the meantime", "Someone changed this while you were looking at it. Please go back, reload the page and try again."},
	mend.Forbidden:   {http.StatusForbidden, "Not allowed", "You cannot do this here. Please go back and use the page's own buttons."},
	mend.Throttled:   {http.StatusTooManyRequests, "Please wait a little", "There have been too many attempts. Please wait 15 minutes and try again."},
	mend.Unavailable: {http.StatusServiceUnavailable, "Mend is taking a moment", "Mend could not load this in time. If you were saving something, it may not have been saved. Please try again in a minute."},
	mend.Internal:    {http.StatusInternalServerError, "Something went wrong on our side", "We are sorry. Nothing you did caused this. Please try again in a moment."},
}

// requestError is a request refused before it reaches a service: too
// large, unreadable, or a method the address does not take.
type requestError struct {
	errorView
	cause error
}

func (e *requestError) Error() string {
	if e.cause != nil {
		return e.heading + ": " + e.cause.Error()
	}
	return e.heading
}

func (e *requestError) Unwrap() error { return e.cause }

var (
	tooLarge      = errorView{http.StatusRequestEntityTooLarge, "That was too much to send at once", "Please shorten what you wrote and try again."}
	errBadRequest = &requestError{errorView: errorView{http.StatusBadRequest, "We could not read that request", "Please go back, reload the page and try again."}}
	errNotText    = &requestError{errorView: errorView{http.StatusBadRequest, "We could not read that form",
		"Something in it was not text Mend can keep (invalid characters, or a NUL byte). Please go back, reload the page and type it again."}}
	errTwice = &requestError{errorView: errorView{http.StatusBadRequest, "We could not read that form",
		"It gave one answer twice, so Mend cannot tell which was meant. Please go back, reload the page and try again."}}
	errNoSuchChoice = &requestError{errorView: errorView{http.StatusBadRequest, "We could not read that form",
		"It held an answer that is not one of the form's choices. Please go back, reload the page and try again."}}
	errNotAllowed = &requestError{errorView: errorView{http.StatusMethodNotAllowed, "That does not work here", "This address cannot be used that way. Please go back and use the page's own buttons."}}
	errNotFound   = &mend.Error{Code: mend.NotFound}
)

// badRequest is an unreadable request (a malformed form): 400.
func badRequest(cause error) error {
	return &requestError{errorView: errBadRequest.errorView, cause: cause}
}

// retryAfter is what a throttled answer asks the client to wait, in
// seconds: the window of the throttle that refused err (the log-in
// throttle's 15 minutes unless the error names another).
func retryAfter(err error) string {
	if d := mend.RetryAfter(err); d > 0 {
		return strconv.Itoa(int(d / time.Second))
	}
	return strconv.Itoa(int(service.ThrottleWindow / time.Second))
}

// statusClientClosed is logged for a request whose client hung up before
// the answer was ready (nginx's convention); nothing is sent.
const statusClientClosed = 499

// respondError answers err (see the rules above).
func (s *Server) respondError(w http.ResponseWriter, r *http.Request, err error) {
	ctx := r.Context()
	if errors.Is(ctx.Err(), context.Canceled) {
		s.log.DebugContext(ctx, "client went away", slog.String("error", err.Error()))
		w.WriteHeader(statusClientClosed)
		return
	}
	var fe *formError
	if errors.As(err, &fe) {
		if fields, status, ok := fe.problems(); ok {
			page, derr := fe.draw(fields)
			if derr != nil {
				s.respondError(w, r, derr)
				return
			}
			if status == http.StatusTooManyRequests {
				w.Header().Set("Retry-After", retryAfter(err))
			}
			s.render(w, r, status, page)
			return
		}
	}
	code := mend.ErrorCode(err)
	var view errorView
	var reqErr *requestError
	var maxErr *http.MaxBytesError
	switch {
	case errors.Is(err, service.ErrNoSpace) && (r.Method == http.MethodGet || r.Method == http.MethodHead):
		// Not an error of theirs: say why the page is empty, and how to
		// begin, in the place they asked for.
		title, section := spacePage(r.URL.Path)
		p := s.bare(r, title)
		p.Section = section
		s.render(w, r, http.StatusOK, web.NoSpacePage(p))
		return
	case errors.As(err, &maxErr):
		view = tooLarge
	case errors.As(err, &reqErr):
		view = reqErr.errorView
	case code == mend.Unauthorized:
		seeOther(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()))
		return
	default:
		view = errorViews[code]
		// A message of its own replaces the default words; the message of
		// an Internal or Unavailable error is for the log only.
		if msg := mend.ErrorMessage(err); code != mend.Internal && code != mend.Unavailable && msg != "" {
			view.message = msg
		}
	}
	requestID := ""
	switch view.status {
	case http.StatusInternalServerError:
		requestID = RequestID(ctx)
		s.log.ErrorContext(ctx, "internal error", slog.String("error", err.Error()))
	case http.StatusServiceUnavailable:
		s.log.WarnContext(ctx, "database unavailable", slog.String("error", err.Error()))
	case http.StatusTooManyRequests:
		w.Header().Set("Retry-After", retryAfter(err))
	}
	s.render(w, r, view.status, web.ErrorPage(web.ErrorPageProps{Page: s.bare(r, view.heading), Status: view.status,
		Heading: view.heading, Message: view.message, RequestID: requestID}))
}

// handlerFunc is a handler that may fail; handle gives its error to
// respondError.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

func (s *Server) handle(h handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.respondError(w, r, err)
		}
	}
}

// spacePage is the title and navigation section of a partner's page that
// needs a couple space, from its path.
func spacePage(path string) (title, section string) {
	for _, p := range []struct{ prefix, title, section string }{
		{"/checkin", "Check-in", "checkin"},
		{"/commitments", "Commitments", "commitments"},
		{"/triggers", "Triggers", "triggers"},
		{"/hard-dates", "Hard dates", "triggers"},
		{"/progress", "Our progress", "progress"},
		{"/sharing", "Sharing", "sharing"},
		{"/disclosures", "Things told or discovered", "couple"},
		{"/sessions", "After your sessions", "couple"},
	} {
		if strings.HasPrefix(path, p.prefix) {
			return p.title, p.section
		}
	}
	return "Our space", "couple"
}
