// Package server is Mend's HTTP layer: the routes, middleware, sessions and
// handlers. Handlers decode forms, call the service layer and render pages
// from web; they never touch SQL.
package server

import (
	"context"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/go-chi/chi/v5"
	"github.com/mend-app/mend/internal/config"
	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/postgres"
	"github.com/mend-app/mend/internal/service"
	"github.com/mend-app/mend/web"
)

// Server serves Mend over HTTP.
type Server struct {
	cfg      *config.Config
	log      *slog.Logger
	db       *postgres.DB
	accounts *service.Accounts
	couples  *service.Couples
	checkins *service.Checkins
	// commitmentsSvc: the handler for the list is called commitments.
	commitmentsSvc *service.Commitments
	triggers       *service.Triggers
	safetySvc      *service.Safety
	sessions       *scs.SessionManager
	store          *postgres.SessionStore
	router         chi.Router
	now            func() time.Time
}

// New wires a server. Call Close when done to stop the session cleanup.
func New(cfg *config.Config, log *slog.Logger, db *postgres.DB, svc *service.Services) *Server {
	s := &Server{cfg: cfg, log: log, db: db, accounts: svc.Accounts, couples: svc.Couples, checkins: svc.Checkins,
		commitmentsSvc: svc.Commitments, triggers: svc.Triggers, safetySvc: svc.Safety, now: time.Now}
	s.store = db.NewSessionStore(10*time.Minute, log)
	s.sessions = newSessionManager(s.store, cfg.CookieSecure, s.sessionError)
	s.router = s.routes()
	return s
}

// Close stops background work.
func (s *Server) Close() { s.store.StopCleanup() }

// ServeHTTP makes Server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.router.ServeHTTP(w, r) }

// Router exposes the routes, for tests that walk them.
func (s *Server) Router() chi.Router { return s.router }

// HTTPServer returns an http.Server for handler with every timeout set.
func HTTPServer(addr string, handler http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    32 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

func (s *Server) routes() chi.Router {
	r := chi.NewRouter()
	r.Use(requestID, s.accessLog, s.recoverPanic, s.securityHeaders, s.limitBody)
	// Error pages know who is logged in, so the layout stays the same.
	withSession := func(h http.Handler) http.HandlerFunc {
		return s.dbDeadline(s.sessions.LoadAndSave(s.loadUser(h))).ServeHTTP
	}
	r.NotFound(withSession(s.handle(func(w http.ResponseWriter, r *http.Request) error {
		return &mend.Error{Code: mend.NotFound}
	})))
	r.MethodNotAllowed(withSession(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.render(w, r, errNotAllowed.status, web.ErrorPage(s.bare(r, errNotAllowed.heading), errNotAllowed.status, errNotAllowed.heading, errNotAllowed.message, ""))
	})))

	// No session, no cross-origin check: safe methods only.
	r.Get("/healthz", s.healthz)
	static := http.StripPrefix("/static/", s.static(web.Static))
	r.Method(http.MethodGet, "/static/*", static)
	r.Method(http.MethodHead, "/static/*", static)

	r.Group(func(r chi.Router) {
		r.Use(s.crossOrigin, s.dbDeadline, s.sessions.LoadAndSave, s.loadUser)
		r.Get("/", s.handle(s.landing))
		r.Get("/safety", s.handle(s.safety))
		r.Get("/signup", s.handle(s.signUpForm))
		r.Post("/signup", s.handle(s.signUp))
		r.Get("/login", s.handle(s.logInForm))
		r.Post("/login", s.handle(s.logIn))
		r.Post("/logout", s.handle(s.logOut))
		r.Get("/logged-out", s.handle(s.loggedOut))
		// Invite links work for visitors too: they lead through sign-up.
		r.Get("/join/{token}", s.handle(s.joinPage))
		r.Post("/join/{token}", s.handle(s.accept))

		r.Group(func(r chi.Router) {
			r.Use(s.requireUser)
			r.Get("/settings", s.handle(s.settings))
			r.Post("/settings/profile", s.handle(s.updateProfile))
			r.Post("/settings/password", s.handle(s.changePassword))
			r.Post("/settings/therapist", s.handle(s.becomeTherapist))
			r.Post("/settings/privacy", s.handle(s.updatePrivacy))
		})

		// A partner's private safety check, keyed by the person alone (a
		// partner who has left a space, or not joined one, may take it too).
		// The access log names none of these routes.
		r.Group(func(r chi.Router) {
			r.Use(s.privateLog, s.requireUser, s.requirePartner)
			r.Get("/safety/check", s.handle(s.safetyCheckForm))
			r.Post("/safety/check", s.handle(s.takeSafetyCheck))
			r.Post("/safety/check/dismiss", s.handle(s.dismissSafetyCheck))
			r.Get("/safety/check/result", s.handle(s.safetyResult))
			r.Post("/safety/flag", s.handle(s.sendFlag))
		})

		// A partner's own couple space: the couple is always the caller's
		// own, found from their membership, never from the URL or a form.
		r.Group(func(r chi.Router) {
			r.Use(s.requireUser, s.requirePartner)
			r.Get("/today", s.handle(s.today))
			r.Get("/join", s.handle(s.joinCode))
			r.Get("/couple/start", s.handle(s.startForm))
			r.Post("/couple/start", s.handle(s.start))
			r.Get("/couple", s.handle(s.couplePage))
			r.Get("/couple/context", s.handle(s.contextForm))
			r.Post("/couple/context", s.handle(s.saveContext))
			r.Post("/couple/leave", s.handle(s.leave))
			r.Get("/couple/invite", s.handle(s.invitePage))
			r.Post("/couple/invite", s.handle(s.createInvite))
			r.Post("/couple/invite/revoke", s.handle(s.revokeInvite))
			r.Get("/sharing", s.handle(s.sharing))
			r.Post("/sharing/defaults", s.handle(s.setDefaults))
			r.Post("/sharing/invite", s.handle(s.createTherapistInvite))
			r.Post("/sharing/invite/revoke", s.handle(s.revokeTherapistInvite))
			r.Post("/sharing/end", s.handle(s.endTherapistLink))
			r.Post("/sharing/agree", s.handle(s.agreeToTherapist))
			r.Post("/sharing/decline", s.handle(s.declineTherapist))
			r.Get("/checkin", s.handle(s.checkinForm))
			r.Post("/checkin", s.handle(s.saveCheckin))
			r.Get("/checkins", s.handle(s.checkinHistory))
			r.Get("/checkins/trends", s.handle(s.checkinTrends))
			r.Get("/checkins/{day}", s.handle(s.checkinDay))
			r.Post("/checkins/{day}/ack", s.handle(s.acknowledge))
			r.Get("/commitments", s.handle(s.commitments))
			r.Post("/commitments", s.handle(s.proposeCommitment))
			r.Get("/commitments/new", s.handle(s.newCommitment))
			r.Get("/commitments/{id}", s.handle(s.commitment))
			r.Get("/commitments/{id}/edit", s.handle(s.editCommitmentForm))
			r.Post("/commitments/{id}/edit", s.handle(s.editCommitment))
			r.Post("/commitments/{id}/answer", s.handle(s.answerCommitment))
			r.Post("/commitments/{id}/review", s.handle(s.reviewCommitment))
			r.Post("/commitments/{id}/log", s.handle(s.logCommitment))
			r.Post("/commitments/{id}/logs/{logID}", s.handle(s.editLog))
			r.Post("/commitments/{id}/logs/{logID}/respond", s.handle(s.respondToLog))
			r.Get("/triggers", s.handle(s.triggerList))
			r.Post("/triggers", s.handle(s.logTrigger))
			r.Get("/triggers/new", s.handle(s.triggerForm))
			r.Get("/triggers/patterns", s.handle(s.triggerPatterns))
			r.Get("/triggers/{triggerID}/edit", s.handle(s.editTriggerForm))
			r.Post("/triggers/{triggerID}/edit", s.handle(s.editTrigger))
			r.Post("/triggers/{triggerID}/respond", s.handle(s.respondToTrigger))
			r.Get("/hard-dates", s.handle(s.hardDates))
			r.Post("/hard-dates", s.handle(s.addHardDate))
			r.Post("/hard-dates/{dateID}/remove", s.handle(s.removeHardDate))
		})

		// A therapist's caseload: every couple route checks an active link
		// (both partners agreed); a pending one is addressed by its own id.
		r.Group(func(r chi.Router) {
			r.Use(s.requireUser, s.requireTherapist)
			r.Get("/caseload", s.handle(s.caseload))
			r.With(s.sameOriginView).Get("/caseload/{coupleID}", s.handle(s.overview))
			r.Post("/caseload/{coupleID}/step-away", s.handle(s.stepAway))
			r.Post("/caseload/invitations/{linkID}/withdraw", s.handle(s.withdrawInvitation))
			r.With(s.sameOriginView).Get("/caseload/{coupleID}/checkins", s.handle(s.therapistCheckins))
			r.With(s.sameOriginView).Get("/caseload/{coupleID}/commitments", s.handle(s.therapistCommitments))
			r.With(s.sameOriginView).Get("/caseload/{coupleID}/triggers", s.handle(s.therapistTriggers))
			r.With(s.privateLog).Post("/caseload/{coupleID}/flags/{flagID}/done", s.handle(s.flagDone))
		})
	})
	return r
}

// healthz answers 200 when the database answers within two seconds.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := s.db.Ping(ctx); err != nil {
		s.log.WarnContext(ctx, "health check failed", slog.String("error", err.Error()))
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("database unavailable\n"))
		return
	}
	_, _ = w.Write([]byte("ok\n"))
}

// static serves embedded files. A URL carrying the file's current content
// hash (web.Asset) may be cached for a year.
func (s *Server) static(fsys fs.FS) http.Handler {
	files := http.FileServerFS(fsys)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "" || strings.HasSuffix(r.URL.Path, "/") {
			s.renderError(w, r, &mend.Error{Code: mend.NotFound}) // no folder listings
			return
		}
		if v := r.URL.Query().Get("v"); v != "" && v == web.AssetVersion(r.URL.Path) {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "no-cache")
		}
		files.ServeHTTP(w, r)
	})
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
