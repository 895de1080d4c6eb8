package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/mend-app/mend/internal/mend"
)

// Suggestions a therapist sends a couple. Once sent they are the couple's:
// both current partners see them on Today until each sets them aside for
// themselves, also after the therapist's link ends (they were sent to the
// two of them, and what was suggested does not stop being worth a look);
// a partner who joins later does not see what was sent to an earlier pair.

const sendSuggestionSQL = lockedLink + `,
s AS (INSERT INTO suggestions (couple_id, therapist_id, kind, title, body) SELECT $1, $2, $4, $5, $6 WHERE ` + linkFresh + `)
SELECT ` + linkedFormResult

// SendSuggestion records therapist a's suggestion s to a's couple, in one
// round trip. NotFound when a's link is no longer active; mend.ErrFormUsed,
// recording nothing, when formKey was used already.
func (db *DB) SendSuggestion(ctx context.Context, a mend.TherapistAccess, s mend.Suggestion, formKey []byte) error {
	var linked, fresh bool
	err := db.Pool.QueryRow(ctx, sendSuggestionSQL, a.CoupleID(), a.UserID(), keyArg(formKey), string(s.Kind), s.Title, s.Body).Scan(&linked, &fresh)
	return lockedFormErr(err, linked, fresh)
}

// suggestionScope is what partner $2 of couple $1 sees: suggestions sent
// since both current partners joined.
const suggestionScope = `FROM suggestions s LEFT JOIN users u ON u.id = s.therapist_id
WHERE s.couple_id = $1 AND ` + guardPartner + ` AND s.created_at >= ` + bothJoined

const suggestionCols = `s.id, s.kind, s.title, s.body, coalesce(u.name, ''), s.created_at`

// queueOpenSuggestions queues the latest limit suggestions partner a sees
// and has not set aside, newest first; sending b fills the list.
func queueOpenSuggestions(b *batch, a mend.PartnerAccess, limit int) *[]mend.Suggestion {
	b.Queue(`SELECT `+suggestionCols+` `+suggestionScope+`
		AND NOT EXISTS (SELECT 1 FROM suggestion_dismissals d WHERE d.couple_id = $1 AND d.suggestion_id = s.id AND d.user_id = $2)
		ORDER BY s.created_at DESC, s.id DESC LIMIT $3`, a.CoupleID(), a.UserID(), limit)
	return collectSuggestions(b)
}

func collectSuggestions(b *batch) *[]mend.Suggestion {
	ss := &[]mend.Suggestion{}
	b.then(func(res pgx.BatchResults) error {
		rows, err := res.Query()
		if err != nil {
			return err
		}
		*ss, err = pgx.CollectRows(rows, pgx.RowToStructByPos[mend.Suggestion])
		return err
	})
	return ss
}

const dismissSuggestionSQL = `WITH s AS (SELECT s.id ` + suggestionScope + ` AND s.id = $3),
d AS (INSERT INTO suggestion_dismissals (couple_id, suggestion_id, user_id) SELECT $1, id, $2 FROM s
  ON CONFLICT (couple_id, suggestion_id, user_id) DO NOTHING)
SELECT EXISTS (SELECT 1 FROM s)`

// DismissSuggestion sets suggestion id aside for partner a alone (again is
// no change). mend.ErrNoSuggestion when a does not see it.
func (db *DB) DismissSuggestion(ctx context.Context, a mend.PartnerAccess, id int64) error {
	var found bool
	if err := db.Pool.QueryRow(ctx, dismissSuggestionSQL, a.CoupleID(), a.UserID(), id).Scan(&found); err != nil {
		return mapErr(err)
	}
	if !found {
		return mend.ErrNoSuggestion
	}
	return nil
}

// TherapistSuggestionsPage reads, in one round trip, the partners of
// therapist a's couple and the suggestions a sent them, newest first.
// Whether a partner set one aside is theirs alone: it is not read.
func (db *DB) TherapistSuggestionsPage(ctx context.Context, a mend.TherapistAccess) (*mend.SuggestionsPage, error) {
	b := &batch{}
	ms := queueMembers(b, a)
	b.Queue(`SELECT `+suggestionCols+` FROM suggestions s LEFT JOIN users u ON u.id = s.therapist_id
		WHERE s.couple_id = $1 AND s.therapist_id = $2 AND `+guardTherapist+`
		ORDER BY s.created_at DESC, s.id DESC LIMIT 200`, a.CoupleID(), a.UserID())
	ss := collectSuggestions(b)
	if err := db.send(ctx, b); err != nil {
		return nil, err
	}
	return &mend.SuggestionsPage{Access: a, Members: *ms, Suggestions: *ss}, nil
}
