package service_test

import (
	"reflect"
	"testing"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/postgres"
	"github.com/mend-app/mend/internal/service"
)

// The PostgreSQL store is the services' store: its methods have exactly
// the signatures below, so what this test reads of service.Store holds for
// the store too.
var _ service.Store = (*postgres.DB)(nil)

// TestStore_OnlyAPartnersAccessWrites reads the access each store method
// takes. A therapist's access reaches only the reads shared with them and
// their own actions (the audit log, their flags, stepping away, their
// session dates, notes and suggestions); a method
// either kind may call takes a mend.Reader and only reads; everything else
// on couple data — every write — takes a partner's access, so a therapist
// cannot write is a fact the compiler checks.
func TestStore_OnlyAPartnersAccessWrites(t *testing.T) {
	therapist := map[string]bool{"FlagDone": true, "StepAway": true,
		"TherapistOverview": true, "TherapistCheckinsPage": true, "TherapistCommitmentsPage": true, "TherapistTriggersPage": true,
		"TherapistProgress": true, "TherapistSummary": true,
		// The therapist's own records about the couple: session dates,
		// private notes and suggestions (never a partner's record).
		"AddTherapySession": true, "RemoveTherapySession": true, "SessionDates": true, "TherapySessionsPage": true,
		"AddNote": true, "EditNote": true, "SendSuggestion": true, "TherapistSuggestionsPage": true,
		"TherapistDisclosuresPage": true, "TherapistSessionChecks": true, "TherapistQuestionsPage": true,
		"TherapistStatementPage": true, "TherapistJournalPage": true}
	either := map[string]bool{"ActiveLink": true, "Commitments": true, "Triggers": true, "Patterns": true, "DisclosureMarks": true,
		// A partner's own session checks, or those shared with the therapist.
		"SessionChecks": true}
	partnerOnly := map[string]bool{
		// Writes.
		"SetContext": true, "Leave": true, "CreateInvite": true, "RevokeInvites": true, "SetConsent": true, "EndLink": true,
		"AgreeToLink": true, "DeclineLink": true, "SaveCheckin": true, "SaveAck": true, "DeleteCheckin": true, "DeleteAck": true, "ProposeCommitment": true,
		"DecideCommitmentOnce": true, "LogOccurrence": true, "EditLog": true, "Respond": true,
		"LogTrigger": true, "EditTrigger": true, "RespondToTrigger": true, "DeleteTrigger": true, "DeleteTriggerResponse": true, "AddHardDate": true, "RemoveHardDate": true, "SetHardDatePlan": true, "SendFlag": true,
		"DismissSuggestion": true, "AddSetback": true, "RemoveSetback": true,
		"WriteDisclosure": true, "EditDraft": true, "SendDraft": true, "AnswerDisclosure": true, "DeleteDisclosure": true, "DeleteDisclosureAnswers": true,
		"SaveSessionCheck": true,
		"SaveStatement":    true, "AnswerStatement": true, "DeleteStatement": true, "DeleteStatementAnswers": true, "StatementsOf": true, "ShareStatement": true,
		"WriteComfortPlan": true, "ShareComfortPlan": true, "AgreeComfortPlan": true, "DeleteComfortPlan": true,
		// Comfort plans are between the partners, never the therapist's.
		"ComfortPage": true, "TriggerFeed": true, "TriggerMinute": true,
		"ShowPrompt": true, "AnswerPrompt": true, "AddPrompt": true, "DeleteOwnPrompt": true,
		"WriteJournal": true, "DeleteJournalItem": true, "LogTogether": true, "NoteTogether": true, "DeleteTogether": true,
		"ProposeTalkTime": true, "DecideTalkTime": true, "ReopenTopics": true, "ParkTopic": true, "MarkTalked": true, "ShareTopic": true,
		"DeleteTopic": true, "Ask": true, "AnswerQuestion": true, "DeleteQuestion": true, "ShareQuestion": true,
		// Reads of what only the partners see.
		"OpenInvite": true, "Sharing": true, "CheckinDay": true, "CheckinHistory": true,
		"CheckinPoints": true, "HardDates": true, "OpenFlag": true, "TodayOf": true, "SafetyResult": true,
		"ProgressOf": true, "SummaryOf": true, "DisclosuresOf": true, "SessionCheckReads": true,
		"PromptsOf": true, "JournalOf": true, "TogetherOf": true,
		// Talk times, topics and questions are never a therapist's.
		"TalkOf": true, "QuestionsOf": true, "TalkTimes": true, "SpaceWithTalkTimes": true,
		// A partner's export: what their own pages show them.
		"ExportPartner": true,
	}
	partnerT := reflect.TypeFor[mend.PartnerAccess]()
	therapistT := reflect.TypeFor[mend.TherapistAccess]()
	readerT := reflect.TypeFor[mend.Reader]()
	seen := map[string]bool{}
	st := reflect.TypeFor[service.Store]()
	for i := range st.NumMethod() {
		m := st.Method(i)
		for j := range m.Type.NumIn() {
			var want reflect.Type
			switch in := m.Type.In(j); in {
			case partnerT, therapistT, readerT:
				switch {
				case partnerOnly[m.Name]:
					want = partnerT
				case therapist[m.Name]:
					want = therapistT
				case either[m.Name]:
					want = readerT
				default:
					t.Errorf("%s takes a %s but is in no list of this test", m.Name, in)
					continue
				}
				seen[m.Name] = true
				if in != want {
					t.Errorf("%s takes a %s, want %s", m.Name, in, want)
				}
			}
		}
	}
	for _, list := range []map[string]bool{therapist, either, partnerOnly} {
		for name := range list {
			if !seen[name] {
				t.Errorf("the store has no %s taking an access", name)
			}
		}
	}
	if partnerT.AssignableTo(therapistT) || therapistT.AssignableTo(partnerT) {
		t.Error("one kind of access can stand for the other")
	}
}
