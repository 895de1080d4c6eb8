package server

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/alexedwards/scs/v2"
	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/web"
)

// Session lifetimes. The idle timeout is enforced here rather than by scs:
// scs's IdleTimeout rewrites the session row on every request, while Mend
// records activity at most once per seenEvery, so an ordinary page view
// reads the session and writes nothing; the idle timeout is then exact to
// within seenEvery.
const (
	sessionLifetime = 12 * time.Hour
	idleTimeout     = 30 * time.Minute
	seenEvery       = time.Minute
)

// Session keys.
const (
	keyUserID = mend.SessionUserKey
	keyAuthAt = mend.SessionAuthAtKey // when the person logged in, Unix microseconds
	keySeenAt = mend.SessionSeenAtKey // last recorded activity, Unix seconds
	keyDevice = mend.SessionDeviceKey // the browser and device, in mend.DeviceSummary's words
	keyFlash  = "flash"
)

func newSessionManager(store scs.Store, secure bool, onError func(http.ResponseWriter, *http.Request, error)) *scs.SessionManager {
	sm := scs.New()
	sm.Store = store
	sm.Codec = mend.SessionCodec{}
	sm.Lifetime = sessionLifetime
	sm.HashTokenInStore = true // a leaked sessions table gives no usable tokens
	sm.Cookie.Name = "mend_session"
	if secure {
		// __Host-: only over https, only from this exact host, path /.
		sm.Cookie.Name = "__Host-mend_session"
	}
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = secure
	sm.Cookie.Path = "/"
	// A browser-session cookie: closing the browser on a shared device ends it.
	sm.Cookie.Persist = false
	sm.ErrorFunc = onError
	return sm
}

// startSession logs u in on this request's session, under a new token. The
// session counts as begun no earlier than validAfter (the user's
// SessionsValidAfter), whatever the skew between this clock and the database's.
// The request's User-Agent is kept only as mend.DeviceSummary's few words.
func (s *Server) startSession(r *http.Request, u *mend.User, validAfter time.Time) error {
	ctx := r.Context()
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	authAt := s.now()
	if authAt.Before(validAfter) {
		authAt = validAfter
	}
	s.sessions.Put(ctx, keyUserID, u.ID)
	s.sessions.Put(ctx, keyAuthAt, authAt.UnixMicro())
	s.sessions.Put(ctx, keySeenAt, s.now().Unix())
	s.sessions.Put(ctx, keyDevice, mend.DeviceSummary(r.UserAgent()))
	return nil
}

// loadUser puts the logged-in user, if any, into the request context. A
// session that has been idle too long, or that began before the user's
// password last changed, ends here.
func (s *Server) loadUser(next http.Handler) http.Handler {
	return s.handle(func(w http.ResponseWriter, r *http.Request) error {
		ctx := r.Context()
		id := s.sessions.GetInt64(ctx, keyUserID)
		if id == 0 {
			next.ServeHTTP(w, r)
			return nil
		}
		now := s.now()
		seen := time.Unix(s.sessions.GetInt64(ctx, keySeenAt), 0)
		if now.Sub(seen) > idleTimeout {
			return s.endSession(w, r, next, "You were logged out after 30 minutes without activity. Please log in again.")
		}
		u, err := s.sessionUser(ctx, id)
		if mend.ErrorCode(err) == mend.NotFound {
			return s.endSession(w, r, next, "")
		}
		if err != nil {
			return err
		}
		if s.sessions.GetInt64(ctx, keyAuthAt) < u.SessionsValidAfter.UnixMicro() {
			return s.endSession(w, r, next, "Your password was changed, so you were logged out. Please log in again.")
		}
		if now.Sub(seen) > seenEvery {
			s.sessions.Put(ctx, keySeenAt, now.Unix())
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(ctx, userKey, u)))
		return nil
	})
}

// sessionUser returns user id: the one the session store loaded with the
// session when it has (no further round trip), else from the accounts.
func (s *Server) sessionUser(ctx context.Context, id int64) (*mend.User, error) {
	if slot := mend.SessionUserOf(ctx); slot != nil && slot.User != nil && slot.User.ID == id {
		return slot.User, nil
	}
	return s.accounts.User(ctx, id)
}

// withUserSlot gives the session store a place to leave the session's user.
func withUserSlot(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, _ := mend.WithSessionUser(r.Context())
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// endSession destroys the session and serves the request as a visitor's.
func (s *Server) endSession(w http.ResponseWriter, r *http.Request, next http.Handler, flash string) error {
	if err := s.sessions.Destroy(r.Context()); err != nil {
		return err
	}
	if flash != "" {
		s.sessions.Put(r.Context(), keyFlash, flash)
	}
	s.log.InfoContext(r.Context(), "session ended")
	next.ServeHTTP(w, r)
	return nil
}

// currentUser returns the logged-in user, or nil for a visitor.
func currentUser(r *http.Request) *mend.User {
	u, _ := r.Context().Value(userKey).(*mend.User)
	return u
}

// requireUser sends visitors to the log-in page, then back here.
func (s *Server) requireUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if currentUser(r) == nil {
			s.respondError(w, r, &mend.Error{Code: mend.Unauthorized, Message: "Please log in."})
			return
		}
		next.ServeHTTP(w, r)
	})
}

// sessionError answers when the session itself cannot be loaded or saved.
func (s *Server) sessionError(w http.ResponseWriter, r *http.Request, err error) {
	s.log.LogAttrs(r.Context(), slog.LevelWarn, "session store", slog.String("error", err.Error()))
	s.respondError(w, r, err)
}

// errTherapistWrite answers a therapist's attempt to change a couple's data.
var errTherapistWrite = &mend.Error{Code: mend.Forbidden, Message: "Therapists can read what a couple shares with them, but never change a couple's records."}

// requirePartner keeps therapists out of the partners' pages: a page view
// goes to their caseload (a partner's record by its id is a 404), and any
// change is refused with 403.
func (s *Server) requirePartner(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if currentUser(r).IsTherapist() {
			// A partner's record (a path with an id) is simply not there.
			if rc := chi.RouteContext(r.Context()); rc != nil && len(rc.URLParams.Keys) > 0 && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
				s.respondError(w, r, errNotFound)
				return
			}
			if r.Method == http.MethodGet || r.Method == http.MethodHead {
				seeOther(w, r, "/caseload")
				return
			}
			s.respondError(w, r, errTherapistWrite)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// requireTherapist answers 404 to anyone but a therapist, so that the
// caseload's addresses reveal nothing to others.
func (s *Server) requireTherapist(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !currentUser(r).IsTherapist() {
			s.respondError(w, r, errNotFound)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// sameOriginView guards a therapist's audited pages: a page opened from
// another site's link (Sec-Fetch-Site cross-site or same-site) shows only
// a button to open it, so other sites cannot write the couple's view log.
func (s *Server) sameOriginView(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Header.Get("Sec-Fetch-Site") {
		case "cross-site", "same-site":
			s.render(w, r, http.StatusOK, web.ConfirmViewPage(web.ConfirmViewPageProps{Page: s.page(r, "Open this page?", "caseload"), Path: r.URL.Path}))
			return
		}
		next.ServeHTTP(w, r)
	})
}
