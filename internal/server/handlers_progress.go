package server

import (
	"net/http"

	"github.com/a-h/templ"
	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
	"github.com/mend-app/mend/web"
)

func (s *Server) showProgress(w http.ResponseWriter, r *http.Request) error {
	f := web.Form{Values: map[string]string{"form_key": service.NewFormKey(), "visibility": string(mend.MyPartner)}}
	page, err := s.progressPage(r, f)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, page)
	return nil
}

// progressPage draws the progress page with the setback form f.
func (s *Server) progressPage(r *http.Request, f web.Form) (templ.Component, error) {
	v, err := s.progress.Page(r.Context(), currentUser(r), weeksParam(r))
	if err != nil {
		return nil, err
	}
	p := s.page(r, "Our progress", "progress")
	p.Wide = true
	if f.Errors != nil {
		p = p.WithErrors()
	}
	if f.Values["day"] == "" {
		f.Values["day"] = web.DateValue(v.Progress.To)
	}
	return web.ProgressPage(web.ProgressPageProps{Page: p, ProgressPage: v, Form: f}), nil
}

func (s *Server) addSetback(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := formOf(r, "day", "note", "visibility", "form_key")
	err := s.progress.AddSetback(r.Context(), currentUser(r), service.SetbackInput{
		Day: f.Get("day"), Note: f.Get("note"), Visibility: f.Get("visibility"), FormKey: f.Get("form_key")})
	if err != nil {
		return redraw(err, func(problems map[string]string) (templ.Component, error) {
			f.Errors = problems
			return s.progressPage(r, f)
		})
	}
	s.flash(r, "Marked. It shows on every chart; nothing starts over.")
	seeOther(w, r, "/progress#setbacks")
	return nil
}

func (s *Server) removeSetback(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r, "setbackID")
	if err != nil {
		return err
	}
	if err := s.progress.RemoveSetback(r.Context(), currentUser(r), id); err != nil {
		return err
	}
	s.flash(r, "Removed.")
	seeOther(w, r, "/progress#setbacks")
	return nil
}

func (s *Server) showTherapistProgress(w http.ResponseWriter, r *http.Request) error {
	id, err := coupleParam(r)
	if err != nil {
		return err
	}
	v, err := s.progress.ForTherapist(r.Context(), currentUser(r), id, weeksParam(r))
	if err != nil {
		return err
	}
	title := "Progress of " + web.Names(web.MemberNames(v.Members))
	p := s.page(r, title, "caseload")
	p.Wide = true
	s.render(w, r, http.StatusOK, web.TherapistProgressPage(web.TherapistProgressPageProps{Page: p, TherapistProgressPage: v}))
	return nil
}

// showSummary is a partner's summary of their own space.
func (s *Server) showSummary(w http.ResponseWriter, r *http.Request) error {
	return s.summary(w, r, "progress", func(in service.SummaryRange) (*mend.SummaryPage, error) {
		return s.progress.Summary(r.Context(), currentUser(r), in)
	})
}

// showTherapistSummary is a therapist's pre-session summary of a couple.
func (s *Server) showTherapistSummary(w http.ResponseWriter, r *http.Request) error {
	id, err := coupleParam(r)
	if err != nil {
		return err
	}
	return s.summary(w, r, "caseload", func(in service.SummaryRange) (*mend.SummaryPage, error) {
		return s.progress.TherapistSummary(r.Context(), currentUser(r), id, in)
	})
}

// summary draws the summary of the days asked for; days that cannot be
// summed up draw the default days, with the message beside the field and
// what was typed kept (422).
func (s *Server) summary(w http.ResponseWriter, r *http.Request, section string, read func(service.SummaryRange) (*mend.SummaryPage, error)) error {
	q := r.URL.Query()
	in := service.SummaryRange{From: q.Get("from"), To: q.Get("to")}
	f := web.Form{Values: map[string]string{"from": in.From, "to": in.To}}
	v, err := read(in)
	if err != nil {
		return redraw(err, func(problems map[string]string) (templ.Component, error) {
			v, err := read(service.SummaryRange{})
			if err != nil {
				return nil, err
			}
			f.Errors = problems
			return web.SummaryPage(web.SummaryPageProps{Page: s.page(r, "Summary", section).WithErrors(), SummaryPage: v, Form: f}), nil
		})
	}
	f.Values["from"], f.Values["to"] = web.DateValue(v.Summary.From), web.DateValue(v.Summary.To)
	s.render(w, r, http.StatusOK, web.SummaryPage(web.SummaryPageProps{Page: s.page(r, "Summary", section), SummaryPage: v, Form: f}))
	return nil
}
