package server

import (
	"crypto/hmac"
	"crypto/sha256"
	"net/http"
	"time"

	"github.com/mend-app/mend/internal/config"
	"github.com/mend-app/mend/internal/service"
)

// deviceCookieAge is how long a device cookie lasts after the log-in that
// set it (each good log-in sets a new one).
const deviceCookieAge = 365 * 24 * time.Hour

// deviceCookieName is the device cookie's name: __Host- over https, as for
// the session cookie.
func deviceCookieName(secure bool) string {
	if secure {
		return "__Host-mend_device"
	}
	return "mend_device"
}

// configureAccounts hands the account service what the configuration says
// about it: the key that signs device cookies (derived from
// MEND_SECRET_KEY, so the secret itself can sign other things under other
// labels) and the sign-up limit. A server without the account service
// (some tests) has nothing to configure.
func configureAccounts(a *service.Accounts, cfg *config.Config) {
	if a == nil {
		return
	}
	h := hmac.New(sha256.New, cfg.SecretKey)
	h.Write([]byte("mend device cookies"))
	a.DeviceKey = h.Sum(nil)
	a.SignUpsPerWindow = cfg.SignUpLimit
	a.BaseURL = cfg.BaseURL.String()
}

// deviceToken returns the request's device cookie value, "" for none.
func (s *Server) deviceToken(r *http.Request) string {
	c, err := r.Cookie(deviceCookieName(s.cfg.CookieSecure))
	if err != nil {
		return ""
	}
	return c.Value
}

// setDeviceCookie marks this browser as one where the person logged in:
// its later log-in attempts have an allowance of their own (see
// service.Accounts.LogInWithDevice).
func (s *Server) setDeviceCookie(w http.ResponseWriter, token string) {
	// #nosec G124 -- HttpOnly and SameSite always; Secure as MEND_COOKIE_SECURE says (off only for plain-HTTP local use)
	http.SetCookie(w, &http.Cookie{
		Name:     deviceCookieName(s.cfg.CookieSecure),
		Value:    token,
		Path:     "/",
		MaxAge:   int(deviceCookieAge / time.Second),
		HttpOnly: true,
		Secure:   s.cfg.CookieSecure,
		SameSite: http.SameSiteLaxMode,
	})
}
