package server

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// clientKey identifies the client for the log-in throttle: its address, or
// the /64 network for IPv6 (one subscriber usually holds a whole /64).
// X-Forwarded-For is believed only when MEND_TRUST_PROXY says a proxy sets
// it, and then only its last entry (the one our proxy added); otherwise a
// client could reset its count by sending a new header each time.
func (s *Server) clientKey(r *http.Request) string {
	raw := r.RemoteAddr
	if host, _, err := net.SplitHostPort(raw); err == nil {
		raw = host
	}
	if s.cfg.TrustProxy {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			parts := strings.Split(xff[len(xff)-1], ",")
			if last := strings.TrimSpace(parts[len(parts)-1]); last != "" {
				raw = last
			}
		}
	}
	addr, err := netip.ParseAddr(raw)
	if err != nil {
		return raw
	}
	addr = addr.Unmap()
	if addr.Is6() {
		p, _ := addr.Prefix(64)
		return p.String()
	}
	return addr.String()
}
