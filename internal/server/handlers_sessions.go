package server

import (
	"net/http"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/web"
)

// currentSessionID is the opaque id of the request's own session, as the
// session store found it (0 when it found none).
func currentSessionID(r *http.Request) int64 {
	if slot := mend.SessionUserOf(r.Context()); slot != nil {
		return slot.SessionID
	}
	return 0
}

// showSessions lists the browsers where the reader is logged in.
func (s *Server) showSessions(w http.ResponseWriter, r *http.Request) error {
	list, err := s.accounts.Sessions(r.Context(), currentUser(r), currentSessionID(r), s.now().Add(-idleTimeout))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.SessionsPage(web.SessionsPageProps{Page: s.page(r, "Your sessions", "settings"), Sessions: list}))
	return nil
}

// signOutSession ends one of the reader's sessions, by its opaque id;
// another person's id is a 404. Their own current one is a log-out.
func (s *Server) signOutSession(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r, "loginID")
	if err != nil {
		return err
	}
	if id == currentSessionID(r) {
		return s.logOut(w, r)
	}
	if err := s.accounts.EndSession(r.Context(), currentUser(r), id); err != nil {
		return err
	}
	s.flash(r, "Signed out.")
	seeOther(w, r, "/settings/sessions")
	return nil
}

// signOutOtherSessions ends every session of the reader's but this one.
func (s *Server) signOutOtherSessions(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.accounts.EndOtherSessions(r.Context(), currentUser(r), currentSessionID(r)); err != nil {
		return err
	}
	s.flash(r, "Signed out everywhere else.")
	seeOther(w, r, "/settings/sessions")
	return nil
}
