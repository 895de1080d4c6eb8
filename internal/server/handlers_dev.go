package server

import (
	"net"
	"net/http"
	"net/netip"

	"github.com/mend-app/mend/web"
)

// showDevOutbox lists the emails written to the log, newest first. The
// route exists only with config.DevOutbox (no SMTP server, a base URL on
// this machine), and answers only requests from this machine: the emails
// carry reset links.
func (s *Server) showDevOutbox(w http.ResponseWriter, r *http.Request) error {
	if !fromLoopback(r) {
		return errNotFound
	}
	p := web.DevOutboxPageProps{Page: s.page(r, "Outbox (development)", "")}
	if s.devOutbox != nil {
		p.Emails = s.devOutbox()
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, web.DevOutboxPage(p))
	return nil
}

// fromLoopback reports whether the connection comes from this machine
// (X-Forwarded-For is not believed here).
func fromLoopback(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.IsLoopback()
}
