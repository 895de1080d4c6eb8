package server

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/a-h/templ"
	"github.com/mend-app/mend/web"
)

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

// page returns the layout props for a page, taking the flash message.
func (s *Server) page(r *http.Request, title, section string) web.Page {
	return web.Page{Title: title, User: currentUser(r), Section: section,
		Flash: s.sessions.PopString(r.Context(), keyFlash), QuickExit: s.cfg.QuickExitURL}
}

// bare returns layout props without touching the session, for error pages
// that may be shown when the session could not be loaded.
func (s *Server) bare(r *http.Request, title string) web.Page {
	return web.Page{Title: title, User: currentUser(r), QuickExit: s.cfg.QuickExitURL}
}

// flash stores a quiet confirmation for the next page.
func (s *Server) flash(r *http.Request, msg string) {
	s.sessions.Put(r.Context(), keyFlash, msg)
}

// editedFlash confirms an edit of an entry that keeps its versions: an
// edit that changed nothing kept no version, and says so.
func editedFlash(changed bool) string {
	if changed {
		return "Saved. The earlier version is kept."
	}
	return "Nothing changed, so nothing new was saved."
}

// seeOther answers 303 See Other to path, one of Mend's own pages. Every
// redirect goes through here, and only a local path is followed (see
// safeNext): anything else, say a scheme, a host or "//", lands on the
// home page instead.
func seeOther(w http.ResponseWriter, r *http.Request, path string) {
	if safeNext(path) == "" {
		path = "/"
	}
	http.Redirect(w, r, path, http.StatusSeeOther) // #nosec G710 -- safeNext above lets through only Mend's own paths
}
