package server

import (
	"net/http"
	"strconv"

	"github.com/a-h/templ"
	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
	"github.com/mend-app/mend/web"
)

func (s *Server) showJournal(w http.ResponseWriter, r *http.Request) error {
	n := 1
	if q := r.URL.Query().Get("page"); q != "" {
		var err error
		if n, err = strconv.Atoi(q); err != nil {
			return errNotFound
		}
	}
	v, err := s.journal.Page(r.Context(), currentUser(r), n)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.JournalPage(web.JournalPageProps{Page: s.page(r, "Your journal", "prompts"), JournalPage: v,
		Form: web.JournalFormValues(service.NewFormKey())}))
	return nil
}

func (s *Server) writeJournal(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := formOf(r, append(web.JournalFields, "form_key")...)
	in := service.JournalInput{Body: f.Get("body"), Visibility: f.Get("visibility"), FormKey: f.Get("form_key")}
	if err := s.journal.Write(r.Context(), currentUser(r), in); err != nil {
		return redraw(recordNotFound(err), func(problems map[string]string) (templ.Component, error) {
			f.Errors = problems
			v, err := s.journal.Page(r.Context(), currentUser(r), 1)
			if err != nil {
				return nil, err
			}
			return web.JournalPage(web.JournalPageProps{Page: s.page(r, "Your journal", "prompts").WithErrors(), JournalPage: v, Form: f}), nil
		})
	}
	s.flash(r, "Saved.")
	seeOther(w, r, "/journal")
	return nil
}

// journalItem reads the kind and id of a journal item from the path.
func journalItem(r *http.Request) (string, int64, error) {
	if id, err := idParam(r, "entryID"); err == nil {
		return mend.JournalEntry, id, nil
	}
	id, err := idParam(r, "answerID")
	return mend.JournalAnswer, id, err
}

// confirmDeleteJournalItem asks the writer to confirm deleting their
// journal entry or answer to a prompt.
func (s *Server) confirmDeleteJournalItem(w http.ResponseWriter, r *http.Request) error {
	kind, id, err := journalItem(r)
	if err != nil {
		return err
	}
	sp, it, err := s.journal.Mine(r.Context(), currentUser(r), kind, id)
	if err != nil {
		return recordNotFound(err)
	}
	s.render(w, r, http.StatusOK, web.JournalDeletePage(web.JournalDeletePageProps{Page: s.page(r, "Delete what you wrote", "prompts"),
		Space: sp, Item: it}))
	return nil
}

// deleteJournalItem deletes the writer's journal entry or answer.
func (s *Server) deleteJournalItem(w http.ResponseWriter, r *http.Request) error {
	kind, id, err := journalItem(r)
	if err != nil {
		return err
	}
	if err := s.journal.Delete(r.Context(), currentUser(r), kind, id); err != nil {
		return recordNotFound(err)
	}
	s.flash(r, "Deleted.")
	seeOther(w, r, "/journal")
	return nil
}

func (s *Server) showTherapistJournal(w http.ResponseWriter, r *http.Request) error {
	id, err := coupleParam(r)
	if err != nil {
		return err
	}
	n := 1
	if q := r.URL.Query().Get("page"); q != "" {
		if n, err = strconv.Atoi(q); err != nil {
			return errNotFound
		}
	}
	v, err := s.journal.ForTherapist(r.Context(), currentUser(r), id, n)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.TherapistJournalPage(web.TherapistJournalPageProps{
		Page: s.page(r, "Journal and prompt answers of "+web.Names(web.MemberNames(v.Members)), "caseload"), TherapistJournalPage: v}))
	return nil
}
