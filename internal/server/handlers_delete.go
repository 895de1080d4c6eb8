package server

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"
	"github.com/mend-app/mend/web"
)

// Deleting one's own entries: a page that says what goes and who could
// read it, then one POST; one's own answers go with one POST.

// confirmDeleteCheckin asks the writer to confirm deleting their check-in
// of a day.
func (s *Server) confirmDeleteCheckin(w http.ResponseWriter, r *http.Request) error {
	v, err := s.checkins.DeletePage(r.Context(), currentUser(r), chi.URLParam(r, "day"))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.CheckinDeletePage(web.CheckinDeletePageProps{Page: s.page(r, "Delete your check-in", "checkin"), DayPage: v}))
	return nil
}

// deleteCheckin deletes the writer's check-in of a day and opens the day.
func (s *Server) deleteCheckin(w http.ResponseWriter, r *http.Request) error {
	day := chi.URLParam(r, "day")
	if err := s.checkins.Delete(r.Context(), currentUser(r), day); err != nil {
		return err
	}
	s.flash(r, "Deleted.")
	seeOther(w, r, "/checkins/"+day)
	return nil
}

// deleteCheckinAnswer deletes the reader's answer to the partner's
// check-in of a day.
func (s *Server) deleteCheckinAnswer(w http.ResponseWriter, r *http.Request) error {
	day := chi.URLParam(r, "day")
	if err := s.checkins.DeleteAck(r.Context(), currentUser(r), day); err != nil {
		return err
	}
	s.flash(r, "Deleted.")
	seeOther(w, r, "/checkins/"+day+"#answer")
	return nil
}

// confirmDeleteTrigger asks the writer to confirm deleting their trigger.
func (s *Server) confirmDeleteTrigger(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r, "triggerID")
	if err != nil {
		return err
	}
	sp, t, err := s.triggers.Mine(r.Context(), currentUser(r), id)
	if err != nil {
		return recordNotFound(err)
	}
	s.render(w, r, http.StatusOK, web.TriggerDeletePage(web.TriggerDeletePageProps{Page: s.page(r, "Delete a trigger", "triggers"), Space: sp, Trigger: t}))
	return nil
}

// deleteTrigger deletes the writer's trigger and opens their triggers.
func (s *Server) deleteTrigger(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r, "triggerID")
	if err != nil {
		return err
	}
	if err := s.triggers.Delete(r.Context(), currentUser(r), id); err != nil {
		return recordNotFound(err)
	}
	s.flash(r, "Deleted.")
	seeOther(w, r, "/triggers?who=me")
	return nil
}

// deleteTriggerResponse deletes the reader's response to the partner's
// trigger.
func (s *Server) deleteTriggerResponse(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r, "triggerID")
	if err != nil {
		return err
	}
	if err := s.triggers.DeleteResponse(r.Context(), currentUser(r), id); err != nil {
		return recordNotFound(err)
	}
	s.flash(r, "Deleted.")
	seeOther(w, r, "/triggers?who=partner#trigger-"+strconv.FormatInt(id, 10))
	return nil
}

// confirmDeleteDisclosure asks the writer to confirm deleting their
// disclosure, sent or a draft.
func (s *Server) confirmDeleteDisclosure(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r, "disclosureID")
	if err != nil {
		return err
	}
	sp, d, err := s.disclosures.Mine(r.Context(), currentUser(r), id)
	if err != nil {
		return recordNotFound(err)
	}
	s.render(w, r, http.StatusOK, web.DisclosureDeletePage(web.DisclosureDeletePageProps{Page: s.page(r, "Delete what you wrote", "couple"), Space: sp, Disclosure: d}))
	return nil
}

// deleteDisclosure deletes the writer's disclosure and opens the list.
func (s *Server) deleteDisclosure(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r, "disclosureID")
	if err != nil {
		return err
	}
	if err := s.disclosures.Delete(r.Context(), currentUser(r), id); err != nil {
		return recordNotFound(err)
	}
	s.flash(r, "Deleted.")
	seeOther(w, r, "/disclosures")
	return nil
}

// deleteDisclosureAnswers deletes the reader's answers to the partner's
// disclosure.
func (s *Server) deleteDisclosureAnswers(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r, "disclosureID")
	if err != nil {
		return err
	}
	if err := s.disclosures.DeleteAnswers(r.Context(), currentUser(r), id); err != nil {
		return recordNotFound(err)
	}
	s.flash(r, "Deleted.")
	seeOther(w, r, "/disclosures#disclosure-"+strconv.FormatInt(id, 10))
	return nil
}
