package server

import "github.com/mend-app/mend/internal/mend"

// SetMail hands the server the outbox's sender: wake asks it to send at
// once after an action wrote an email; devOutbox, when no SMTP server is
// configured, lists the emails written to the log instead (nil otherwise).
// Call it before the server handles any request.
func (s *Server) SetMail(wake func(), devOutbox func() []mend.Email) {
	s.wakeMail, s.devOutbox = wake, devOutbox
}
