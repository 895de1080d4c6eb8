package server

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"

	"github.com/a-h/templ"
	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/web"
)

// errorView is how one kind of error looks to the person who met it.
type errorView struct {
	status           int
	heading, message string
}

// errorViews maps each domain error code to its status and default words.
// A *mend.Error's own message replaces the default where it has one.
var errorViews = map[mend.Code]errorView{
	mend.Invalid:     {http.StatusUnprocessableEntity, "Please check what you sent", ""},
	mend.NotFound:    {http.StatusNotFound, "Page not found", "There is nothing here. The link may be incomplete, or the page may have moved."},
	mend.Gone:        {http.StatusGone, "This link no longer works", "This link has expired or has been used. Please ask for a new one."},
	mend.Conflict:    {http.StatusConflict, "That changed in the meantime", "Someone changed this while you were looking at it. Please go back, reload the page and try again."},
	mend.Forbidden:   {http.StatusForbidden, "Not allowed", "You cannot do this here. Please go back and use the page's own buttons."},
	mend.Throttled:   {http.StatusTooManyRequests, "Please wait a little", "There have been too many attempts. Please wait 15 minutes and try again."},
	mend.Unavailable: {http.StatusServiceUnavailable, "Mend is taking a moment", "Mend could not load this in time. If you were saving something, it may not have been saved. Please try again in a minute."},
	mend.Internal:    {http.StatusInternalServerError, "Something went wrong on our side", "We are sorry. Nothing you did caused this. Please try again in a moment."},
}

var (
	errTooLarge     = errorView{http.StatusRequestEntityTooLarge, "That was too much to send at once", "Please shorten what you wrote and try again."}
	errBadRequest   = errorView{http.StatusBadRequest, "We could not read that request", "Please go back, reload the page and try again."}
	errNotAllowed   = errorView{http.StatusMethodNotAllowed, "That does not work here", "This address cannot be used that way. Please go back and use the page's own buttons."}
	errBadFormInput = errors.New("malformed form")
)

// renderError answers err with the right status and a page in the site's
// layout. Unexpected errors are logged once, with the request ID, and shown
// only as a reference to that ID.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, err error) {
	var view errorView
	var maxErr *http.MaxBytesError
	code := mend.ErrorCode(err)
	switch {
	case errors.As(err, &maxErr):
		view = errTooLarge
	case errors.Is(err, errBadFormInput):
		view = errBadRequest
	case code == mend.Unauthorized:
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	default:
		view = errorViews[code]
		// Store errors say only "Not found."; the page's own words are kinder.
		if msg := mend.ErrorMessage(err); code != mend.Internal && code != mend.Unavailable && msg != "" && msg != "Not found." {
			view.message = msg
		}
	}
	requestID := ""
	switch view.status {
	case http.StatusInternalServerError:
		requestID = RequestID(r.Context())
		s.log.ErrorContext(r.Context(), "internal error", slog.String("error", err.Error()))
	case http.StatusServiceUnavailable:
		s.log.WarnContext(r.Context(), "database unavailable", slog.String("error", err.Error()))
	case http.StatusTooManyRequests:
		w.Header().Set("Retry-After", "900")
	}
	s.render(w, r, view.status, web.ErrorPage(s.bare(r, view.heading), view.status, view.heading, view.message, requestID))
}

// render writes a page with status.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	// Rendering does no database work, so it must not fail because the
	// request's database deadline has passed (as it has on a 503 page).
	if err := c.Render(context.WithoutCancel(r.Context()), w); err != nil {
		s.log.ErrorContext(r.Context(), "render page", slog.String("error", err.Error()))
	}
}

// handlerFunc is a handler that may fail; handle maps its error to a page.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

func (s *Server) handle(h handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.renderError(w, r, err)
		}
	}
}
