package server

import "time"

// SetClock makes the server read now instead of the real clock, for tests
// that fix or move time (with service.Services.SetClock, so both agree).
// Call it before the server handles any request.
func (s *Server) SetClock(now func() time.Time) { s.now = now }
