package server

import (
	"errors"
	"net/http"

	"github.com/a-h/templ"
	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
	"github.com/mend-app/mend/web"
)

// The safety check's handlers log nothing, and their routes are marked
// private (see privateLog): no log line says who took a check, what they
// answered, or whether an answer was worrying.

func (s *Server) showSafety(w http.ResponseWriter, r *http.Request) error {
	s.render(w, r, http.StatusOK, web.SafetyPage(web.SafetyPageProps{Page: s.page(r, "Safety and help", "")}))
	return nil
}

func (s *Server) showSafetyCheck(w http.ResponseWriter, r *http.Request) error {
	f := web.Form{Values: map[string]string{"form_key": service.NewFormKey()}}
	page, err := s.safetyCheckPage(r, f)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, page)
	return nil
}

// safetyCheckPage draws the private check with the partner's last answers'
// date, if any.
func (s *Server) safetyCheckPage(r *http.Request, f web.Form) (templ.Component, error) {
	last, err := s.safety.Last(r.Context(), currentUser(r))
	if err != nil && mend.ErrorCode(err) != mend.NotFound {
		return nil, err
	}
	p := s.page(r, "A private check", "")
	if f.Errors != nil {
		p = p.WithErrors()
	}
	return web.SafetyCheckPage(web.SafetyCheckPageProps{Page: p, Form: f, Last: last}), nil
}

// takeSafetyCheck answers every check the same way, worrying or not: a
// redirect to the result page, which shows help first when it should.
func (s *Server) takeSafetyCheck(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := formOf(r, append([]string{"form_key"}, mend.SafetyKeys()...)...)
	answers := map[string]string{}
	for _, k := range mend.SafetyKeys() {
		answers[k] = f.Get(k)
	}
	if _, err := s.safety.Take(r.Context(), currentUser(r), answers, f.Get("form_key")); err != nil {
		return redraw(err, func(problems map[string]string) (templ.Component, error) {
			f.Errors = problems
			return s.safetyCheckPage(r, f)
		})
	}
	seeOther(w, r, "/safety/check/result")
	return nil
}

func (s *Server) showSafetyResult(w http.ResponseWriter, r *http.Request) error {
	res, err := s.safety.Result(r.Context(), currentUser(r))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.SafetyResultPage(web.SafetyResultPageProps{Page: s.page(r, "Your safety check", ""), SafetyResult: res}))
	return nil
}

func (s *Server) dismissSafetyCheck(w http.ResponseWriter, r *http.Request) error {
	if err := s.safety.Dismiss(r.Context(), currentUser(r)); err != nil {
		return err
	}
	s.flash(r, "Set aside for a month. It is always in Safety and help.")
	seeOther(w, r, "/today")
	return nil
}

// sendFlag asks the therapist for a talk alone. A Conflict (no therapist
// linked now) is an answer, not a failure: it is said on the result page.
func (s *Server) sendFlag(w http.ResponseWriter, r *http.Request) error {
	err := s.safety.SendFlag(r.Context(), currentUser(r))
	var me *mend.Error
	switch {
	case errors.As(err, &me) && me.Code == mend.Conflict:
		s.flash(r, me.Message)
	case err != nil:
		return err
	default:
		s.flash(r, "Sent. Your therapist sees only that you would like to talk alone.")
	}
	seeOther(w, r, "/safety/check/result#flag-heading")
	return nil
}

func (s *Server) markFlagDone(w http.ResponseWriter, r *http.Request) error {
	coupleID, err := coupleParam(r)
	if err != nil {
		return err
	}
	flagID, err := idParam(r, "flagID")
	if err != nil {
		return err
	}
	if err := s.safety.FlagDone(r.Context(), currentUser(r), coupleID, flagID); err != nil {
		return err
	}
	s.flash(r, "Marked as done.")
	seeOther(w, r, string(web.CouplePath(coupleID, "")))
	return nil
}

// showLoggedOut is where logging out lands: a neutral page that says
// nothing of couples or betrayal, so the last page in a shared browser is
// plain.
func (s *Server) showLoggedOut(w http.ResponseWriter, r *http.Request) error {
	if u := currentUser(r); u != nil {
		seeOther(w, r, web.HomeFor(u))
		return nil
	}
	s.render(w, r, http.StatusOK, web.LoggedOutPage(web.LoggedOutPageProps{Page: s.page(r, "Logged out", "")}))
	return nil
}
