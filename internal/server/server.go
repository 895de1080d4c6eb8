// Package server is Mend's HTTP layer: the routes, middleware, sessions and
// handlers. Handlers decode forms, call the service layer and render pages
// from web; they never touch SQL.
package server

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/mend-app/mend/internal/config"
	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
)

// Server serves Mend over HTTP.
type Server struct {
	cfg *config.Config
	log *slog.Logger
	// health reports whether the database answers (the /healthz check).
	health      func(context.Context) error
	accounts    *service.Accounts
	couples     *service.Couples
	checkins    *service.Checkins
	commitments *service.Commitments
	triggers    *service.Triggers
	disclosures *service.Disclosures
	talk        *service.Talk
	safety      *service.Safety
	today       *service.Today
	progress    *service.Progress
	therapy     *service.Therapy
	exports     *service.Exports
	resets      *service.Resets
	reminders   *service.Reminders
	statements  *service.Statements
	comfort     *service.Comfort
	guidance    *service.Guidance
	prompts     *service.Prompts
	journal     *service.Journal
	together    *service.TimeTogether
	sessions    *scs.SessionManager
	router      chi.Router
	now         func() time.Time
	// wakeMail asks the outbox's sender to send at once (see SetMail).
	wakeMail func()
	// devOutbox lists the emails written to the log, for GET /dev/outbox
	// (see SetMail); nil: no such page.
	devOutbox func() []mend.Email
}

// New wires a server on the services, a session store (sessions should be
// a scs.CtxStore, so that loading one is bounded by the request) and a
// health check of the database. It gives the account service the device
// cookie key and sign-up limit from cfg, and the reminders the key that
// signs unsubscribe links and the base URL of their emails: services are
// configured by the server made on them.
func New(cfg *config.Config, log *slog.Logger, svc *service.Services, sessions scs.Store, health func(context.Context) error) *Server {
	configureAccounts(svc.Accounts, cfg)
	configureReminders(svc.Reminders, cfg)
	s := &Server{cfg: cfg, log: log, health: health, accounts: svc.Accounts, couples: svc.Couples, checkins: svc.Checkins,
		commitments: svc.Commitments, triggers: svc.Triggers, disclosures: svc.Disclosures, talk: svc.Talk, safety: svc.Safety, today: svc.Today,
		therapy: svc.Therapy, progress: svc.Progress, exports: svc.Exports, resets: svc.Resets, reminders: svc.Reminders, prompts: svc.Prompts, journal: svc.Journal, together: svc.Together, now: time.Now}
	s.statements = svc.Statements
	s.comfort, s.guidance = svc.Comfort, svc.Guidance
	s.sessions = newSessionManager(sessions, cfg.CookieSecure, s.sessionError)
	s.router = s.routes()
	return s
}

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
	// HEAD is answered by the GET route, headers only (net/http sends no
	// body); a path with a HEAD route of its own (static files) keeps it.
	r.Use(requestID, s.accessLog, compressPages(), s.recoverPanic, s.securityHeaders, s.limitBody, middleware.GetHead)
	// Error pages know who is logged in, so the layout stays the same.
	withSession := func(h http.Handler) http.HandlerFunc {
		return s.dbDeadline(withUserSlot(s.sessions.LoadAndSave(s.loadUser(h)))).ServeHTTP
	}
	r.NotFound(withSession(s.handle(func(w http.ResponseWriter, r *http.Request) error { return errNotFound })))
	r.MethodNotAllowed(withSession(s.handle(func(w http.ResponseWriter, r *http.Request) error { return errNotAllowed })))

	// No session, no cross-origin check: safe methods only.
	r.Get("/healthz", s.healthz)
	files := s.static(webStatic())
	static := http.StripPrefix("/static/", files)
	r.Method(http.MethodGet, "/static/*", static)
	r.Method(http.MethodHead, "/static/*", static)
	// The few files browsers ask for at the root: the icon of old and the
	// manifest that makes Mend installable.
	root := http.StripPrefix("/", files)
	for _, name := range []string{"/favicon.ico", "/manifest.webmanifest"} {
		r.Method(http.MethodGet, name, root)
		r.Method(http.MethodHead, name, root)
	}

	// One-click unsubscribe (RFC 8058): mail clients POST the link from
	// elsewhere, with no session; the signed token is the authority, so
	// no cross-origin check and no session.
	r.Group(func(r chi.Router) {
		r.Use(s.dbDeadline, withUserSlot)
		r.Get("/unsubscribe/{token}", s.handle(s.showUnsubscribe))
		r.Post("/unsubscribe/{token}", s.handle(s.unsubscribe))
	})

	r.Group(func(r chi.Router) {
		r.Use(s.crossOrigin, s.dbDeadline, withUserSlot, s.sessions.LoadAndSave, s.loadUser)
		r.Get("/", s.handle(s.showLanding))
		r.Get("/safety", s.handle(s.showSafety))
		r.Get("/signup", s.handle(s.showSignUpForm))
		r.Post("/signup", s.handle(s.signUp))
		r.Get("/signup/check-email", s.handle(s.showCheckEmail))
		r.Get("/signup/confirm/{token}", s.handle(s.showConfirmSignUp))
		r.Post("/signup/confirm/{token}", s.handle(s.confirmSignUp))
		r.Get("/login", s.handle(s.showLogInForm))
		r.Post("/login", s.handle(s.logIn))
		r.Post("/logout", s.handle(s.logOut))
		r.Get("/password/forgot", s.handle(s.showForgotForm))
		r.Post("/password/forgot", s.handle(s.requestReset))
		if s.cfg.DevOutbox {
			r.Get("/dev/outbox", s.handle(s.showDevOutbox))
		}
		r.Get("/password/reset/{token}", s.handle(s.showResetForm))
		r.Post("/password/reset/{token}", s.handle(s.resetPassword))
		r.Get("/logged-out", s.handle(s.showLoggedOut))
		r.Get("/account-deleted", s.handle(s.showAccountDeleted))
		// Invite links work for visitors too: they lead through sign-up.
		r.Get("/join/{token}", s.handle(s.showInvitation))
		r.Post("/join/{token}", s.handle(s.acceptInvitation))

		r.Group(func(r chi.Router) {
			r.Use(s.requireUser)
			r.Get("/settings", s.handle(s.showSettings))
			r.Post("/settings/profile", s.handle(s.updateProfile))
			r.Post("/settings/password", s.handle(s.changePassword))
			r.Post("/settings/email", s.handle(s.changeEmail))
			r.Post("/settings/professional-name", s.handle(s.changeProfessionalName))
			r.Post("/settings/therapist", s.handle(s.becomeTherapist))
			r.Post("/settings/privacy", s.handle(s.updatePrivacy))
			r.Post("/settings/reminders", s.handle(s.saveReminders))
			r.Post("/settings/export", s.handle(s.exportData))
			r.Get("/settings/delete", s.handle(s.showDeleteAccount))
			r.Post("/settings/delete", s.handle(s.deleteAccount))
			r.Get("/settings/sessions", s.handle(s.showSessions))
			r.Post("/settings/sessions/sign-out-others", s.handle(s.signOutOtherSessions))
			r.Post("/settings/sessions/{loginID}/sign-out", s.handle(s.signOutSession))
		})

		// A partner's private safety check, keyed by the person alone (a
		// partner who has left a space, or not joined one, may take it too).
		// The access log names none of these routes.
		r.Group(func(r chi.Router) {
			r.Use(s.privateLog, s.requireUser, s.requirePartner)
			r.Get("/safety/check", s.handle(s.showSafetyCheck))
			r.Post("/safety/check", s.handle(s.takeSafetyCheck))
			r.Post("/safety/check/dismiss", s.handle(s.dismissSafetyCheck))
			r.Get("/safety/check/result", s.handle(s.showSafetyResult))
			r.Post("/safety/flag", s.handle(s.sendFlag))
		})

		// A partner's own couple space: the couple is always the caller's
		// own, found from their membership, never from the URL or a form.
		r.Group(func(r chi.Router) {
			r.Use(s.requireUser, s.requirePartner)
			r.Get("/today", s.handle(s.showToday))
			r.Get("/more", s.handle(s.showMore))
			r.Get("/join", s.handle(s.openPastedInvite))
			r.Get("/couple/start", s.handle(s.showStartForm))
			r.Post("/couple/start", s.handle(s.startSpace))
			r.Get("/couple", s.handle(s.showCouple))
			r.Get("/couple/context", s.handle(s.showContextForm))
			r.Post("/couple/context", s.handle(s.saveContext))
			r.Post("/couple/leave", s.handle(s.leaveSpace))
			r.Get("/couple/invite", s.handle(s.showInvite))
			r.Post("/couple/invite", s.handle(s.createInvite))
			r.Post("/couple/invite/revoke", s.handle(s.revokeInvite))
			r.Get("/sharing", s.handle(s.showSharing))
			r.Post("/sharing/defaults", s.handle(s.saveSharingDefaults))
			r.Post("/sharing/invite", s.handle(s.createTherapistInvite))
			r.Post("/sharing/invite/revoke", s.handle(s.revokeTherapistInvite))
			r.Post("/sharing/end", s.handle(s.endTherapistLink))
			r.Post("/sharing/agree", s.handle(s.agreeToTherapist))
			r.Post("/sharing/decline", s.handle(s.declineTherapist))
			r.Get("/checkin", s.handle(s.showCheckinForm))
			r.Post("/checkin", s.handle(s.saveCheckin))
			r.Get("/checkins", s.handle(s.listCheckins))
			r.Get("/checkins/trends", s.handle(s.showCheckinTrends))
			r.Get("/checkins/{day}", s.handle(s.showCheckinDay))
			r.Post("/checkins/{day}/ack", s.handle(s.answerCheckin))
			r.Post("/checkins/{day}/ack/delete", s.handle(s.deleteCheckinAnswer))
			r.Get("/checkins/{day}/delete", s.handle(s.confirmDeleteCheckin))
			r.Post("/checkins/{day}/delete", s.handle(s.deleteCheckin))
			r.Get("/commitments", s.handle(s.listCommitments))
			r.Post("/commitments", s.handle(s.proposeCommitment))
			r.Get("/commitments/new", s.handle(s.showNewCommitmentForm))
			r.Get("/commitments/{id}", s.handle(s.showCommitment))
			r.Get("/commitments/{id}/edit", s.handle(s.showEditCommitmentForm))
			r.Post("/commitments/{id}/edit", s.handle(s.reviseCommitment))
			r.Post("/commitments/{id}/answer", s.handle(s.answerCommitment))
			r.Post("/commitments/{id}/withdraw", s.handle(s.withdrawCommitment))
			r.Post("/commitments/{id}/review", s.handle(s.reviewCommitment))
			r.Post("/commitments/{id}/log", s.handle(s.logCommitment))
			r.Post("/commitments/{id}/logs/{logID}", s.handle(s.editCommitmentLog))
			r.Post("/commitments/{id}/logs/{logID}/respond", s.handle(s.respondToCommitmentLog))
			r.Get("/triggers", s.handle(s.listTriggers))
			r.Post("/triggers", s.handle(s.logTrigger))
			r.Get("/triggers/new", s.handle(s.showTriggerForm))
			r.Get("/triggers/patterns", s.handle(s.showTriggerPatterns))
			r.Get("/triggers/{triggerID}/edit", s.handle(s.showEditTriggerForm))
			r.Post("/triggers/{triggerID}/edit", s.handle(s.editTrigger))
			r.Post("/triggers/{triggerID}/respond", s.handle(s.respondToTrigger))
			r.Post("/triggers/{triggerID}/respond/delete", s.handle(s.deleteTriggerResponse))
			r.Get("/triggers/{triggerID}/delete", s.handle(s.confirmDeleteTrigger))
			r.Post("/triggers/{triggerID}/delete", s.handle(s.deleteTrigger))
			r.Get("/triggers/{triggerID}/minute", s.handle(s.showTriggerMinute))
			r.Get("/comfort", s.handle(s.showComfort))
			r.Post("/comfort", s.handle(s.writeComfort))
			r.Get("/comfort/delete", s.handle(s.confirmDeleteComfort))
			r.Post("/comfort/delete", s.handle(s.deleteComfort))
			r.Post("/comfort/{planID}/agree", s.handle(s.agreeComfort))
			r.Post("/guidance/dismiss", s.handle(s.dismissGuidance))
			r.Get("/progress", s.handle(s.showProgress))
			r.Get("/progress/summary", s.handle(s.showSummary))
			r.Post("/progress/setbacks", s.handle(s.addSetback))
			r.Post("/progress/setbacks/{setbackID}/remove", s.handle(s.removeSetback))
			r.Get("/hard-dates", s.handle(s.listHardDates))
			r.Post("/hard-dates", s.handle(s.addHardDate))
			r.Post("/hard-dates/{dateID}/remove", s.handle(s.removeHardDate))
			r.Post("/hard-dates/{dateID}/plan", s.handle(s.setHardDatePlan))
			r.Post("/suggestions/{suggestionID}/done", s.handle(s.setSuggestionAside))
			r.Get("/sessions/checks", s.handle(s.listSessionChecks))
			r.Get("/sessions/{day}/check", s.handle(s.showSessionCheck))
			r.Post("/sessions/{day}/check", s.handle(s.saveSessionCheck))
			r.Get("/disclosures", s.handle(s.listDisclosures))
			r.Post("/disclosures", s.handle(s.writeDisclosure))
			r.Get("/disclosures/new", s.handle(s.showDisclosureForm))
			r.Get("/disclosures/drafts/{draftID}/edit", s.handle(s.showEditDisclosureForm))
			r.Post("/disclosures/drafts/{draftID}/edit", s.handle(s.editDisclosure))
			r.Post("/disclosures/drafts/{draftID}/send", s.handle(s.sendDisclosure))
			r.Post("/disclosures/{disclosureID}/answer", s.handle(s.answerDisclosure))
			r.Post("/disclosures/{disclosureID}/answer/delete", s.handle(s.deleteDisclosureAnswers))
			r.Get("/disclosures/{disclosureID}/delete", s.handle(s.confirmDeleteDisclosure))
			r.Post("/disclosures/{disclosureID}/delete", s.handle(s.deleteDisclosure))
			r.Get("/statement", s.handle(s.showStatement))
			r.Post("/statement", s.handle(s.saveStatement))
			r.Post("/statement/versions/{versionID}/answer", s.handle(s.answerStatement))
			r.Post("/statement/versions/{versionID}/answer/delete", s.handle(s.deleteStatementAnswers))
			r.Get("/statement/delete", s.handle(s.confirmDeleteStatement))
			r.Post("/statement/delete", s.handle(s.deleteStatement))
			r.Post("/statement/share", s.handle(s.shareStatement))
			r.Get("/prompts", s.handle(s.showPrompts))
			r.Post("/prompts/answer", s.handle(s.answerPrompt))
			r.Post("/prompts/skip", s.handle(s.skipPrompt))
			r.Post("/prompts/own", s.handle(s.addOwnPrompt))
			r.Get("/prompts/own/{promptID}/delete", s.handle(s.confirmDeleteOwnPrompt))
			r.Post("/prompts/own/{promptID}/delete", s.handle(s.deleteOwnPrompt))
			r.Get("/journal", s.handle(s.showJournal))
			r.Post("/journal", s.handle(s.writeJournal))
			r.Get("/journal/entries/{entryID}/delete", s.handle(s.confirmDeleteJournalItem))
			r.Post("/journal/entries/{entryID}/delete", s.handle(s.deleteJournalItem))
			r.Get("/journal/answers/{answerID}/delete", s.handle(s.confirmDeleteJournalItem))
			r.Post("/journal/answers/{answerID}/delete", s.handle(s.deleteJournalItem))
			r.Get("/time-together", s.handle(s.showTogether))
			r.Post("/time-together", s.handle(s.logTogether))
			r.Post("/time-together/{togetherID}/note", s.handle(s.noteTogether))
			r.Get("/time-together/{togetherID}/delete", s.handle(s.confirmDeleteTogether))
			r.Post("/time-together/{togetherID}/delete", s.handle(s.deleteTogether))
			r.Get("/talk", s.handle(s.showTalk))
			r.Post("/talk/times", s.handle(s.proposeTalkTime))
			r.Post("/talk/times/{talkTimeID}/answer", s.handle(s.decideTalkTime("")))
			r.Post("/talk/times/{talkTimeID}/withdraw", s.handle(s.decideTalkTime("withdraw")))
			r.Post("/talk/times/{talkTimeID}/end", s.handle(s.decideTalkTime("end")))
			r.Post("/talk/topics", s.handle(s.parkTopic))
			r.Post("/talk/topics/{topicID}/talked", s.handle(s.markTalked))
			r.Post("/talk/topics/{topicID}/share", s.handle(s.shareTopic))
			r.Get("/talk/topics/{topicID}/delete", s.handle(s.confirmDeleteTopic))
			r.Post("/talk/topics/{topicID}/delete", s.handle(s.deleteTopic))
			r.Get("/talk/questions", s.handle(s.showQuestions))
			r.Post("/talk/questions", s.handle(s.askQuestion))
			r.Post("/talk/questions/{questionID}/answer", s.handle(s.answerQuestion))
			r.Get("/talk/questions/{questionID}/delete", s.handle(s.confirmDeleteQuestion))
			r.Post("/talk/questions/{questionID}/delete", s.handle(s.deleteQuestion))
			r.Post("/talk/questions/{questionID}/share", s.handle(s.shareQuestion))
		})

		// A therapist's caseload: every couple route checks an active link
		// (both partners agreed); a pending one is addressed by its own id.
		r.Group(func(r chi.Router) {
			r.Use(s.requireUser, s.requireTherapist)
			r.Get("/caseload", s.handle(s.showCaseload))
			r.With(s.sameOriginView).Get("/caseload/{coupleID}", s.handle(s.showCoupleOverview))
			r.Post("/caseload/{coupleID}/step-away", s.handle(s.stepAway))
			r.Post("/caseload/invitations/{linkID}/withdraw", s.handle(s.withdrawInvitation))
			r.With(s.sameOriginView).Get("/caseload/{coupleID}/progress", s.handle(s.showTherapistProgress))
			r.With(s.sameOriginView).Get("/caseload/{coupleID}/summary", s.handle(s.showTherapistSummary))
			r.With(s.sameOriginView).Get("/caseload/{coupleID}/checkins", s.handle(s.showTherapistCheckins))
			r.With(s.sameOriginView).Get("/caseload/{coupleID}/commitments", s.handle(s.showTherapistCommitments))
			r.With(s.sameOriginView).Get("/caseload/{coupleID}/triggers", s.handle(s.showTherapistTriggers))
			r.With(s.sameOriginView).Get("/caseload/{coupleID}/disclosures", s.handle(s.showTherapistDisclosures))
			r.With(s.sameOriginView).Get("/caseload/{coupleID}/session-checks", s.handle(s.showTherapistSessionChecks))
			r.With(s.sameOriginView).Get("/caseload/{coupleID}/questions", s.handle(s.showTherapistQuestions))
			r.With(s.sameOriginView).Get("/caseload/{coupleID}/statement", s.handle(s.showTherapistStatement))
			r.With(s.sameOriginView).Get("/caseload/{coupleID}/journal", s.handle(s.showTherapistJournal))
			r.With(s.privateLog).Post("/caseload/{coupleID}/flags/{flagID}/done", s.handle(s.markFlagDone))
			// The therapist's own records: session dates, private notes and
			// suggestions to the couple. Opening a page is a logged view;
			// writing is not.
			r.With(s.sameOriginView).Get("/caseload/{coupleID}/sessions", s.handle(s.showTherapySessions))
			r.Post("/caseload/{coupleID}/sessions", s.handle(s.addTherapySession))
			r.Post("/caseload/{coupleID}/sessions/{sessionID}/remove", s.handle(s.removeTherapySession))
			r.Post("/caseload/{coupleID}/notes", s.handle(s.addTherapistNote))
			r.With(s.sameOriginView).Get("/caseload/{coupleID}/notes/{noteID}/edit", s.handle(s.showEditNote))
			r.Post("/caseload/{coupleID}/notes/{noteID}/edit", s.handle(s.editTherapistNote))
			r.With(s.sameOriginView).Get("/caseload/{coupleID}/suggestions", s.handle(s.showSuggestions))
			r.Post("/caseload/{coupleID}/suggestions", s.handle(s.sendSuggestion))
		})
	})
	return r
}

// healthz answers 200 when the database answers within two seconds.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := s.health(ctx); err != nil {
		s.log.WarnContext(ctx, "health check failed", slog.String("error", err.Error()))
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("database unavailable\n"))
		return
	}
	_, _ = w.Write([]byte("ok\n"))
}
