package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"

	"github.com/mend-app/mend/internal/mend"
)

// Export: each user can download what they can see about themselves and
// their space. The store reads each kind with the scopes the pages use, so a
// partner's private entries and earlier versions are in their own export and
// never in the other partner's.

// ExportStore is what an export needs from the database.
type ExportStore interface {
	// ExportPartner writes what partner a, whose today is today, may see.
	ExportPartner(ctx context.Context, a mend.PartnerAccess, today time.Time, w mend.ExportWriter) error
	// ExportTherapist writes a therapist's own notes, suggestions and
	// session dates.
	ExportTherapist(ctx context.Context, userID int64, w mend.ExportWriter) error
	// ExportSafety writes a user's own safety checks and requests to talk
	// to a therapist alone.
	ExportSafety(ctx context.Context, userID int64, w mend.ExportWriter) error
}

// MaxExports is how many exports a user may start in ExportWindow: an
// export reads a whole year, so a few an hour.
const (
	MaxExports   = 3
	ExportWindow = time.Hour
)

const msgExportThrottled = "You have downloaded your data a few times in the last hour. Please wait an hour and try again."

// Exports prepares and writes exports.
type Exports struct {
	Store    ExportStore
	Accounts *Accounts
	Couples  *Couples
	Now      func() time.Time
}

// Export is an export whose password and throttle were checked: nothing is
// read until Write.
type Export struct {
	// Safety adds the user's own safety checks and talk-alone requests.
	// Off unless asked for: they are private even from someone standing
	// beside the person, and a file can be made under pressure.
	Safety bool
	user   *mend.User
	access mend.PartnerAccess
	today  time.Time
	store  ExportStore
}

// Prepare checks u's password pw (wrong ones count towards the log-in
// throttle) and the export throttle, and finds what u may export. Errors:
// Invalid with the field "password", Throttled (for log-in attempts or
// MaxExports exports in ExportWindow).
func (e *Exports) Prepare(ctx context.Context, u *mend.User, pw, client string) (*Export, error) {
	if pw == "" {
		return nil, mend.FieldErrors{"password": msgPasswordMissing}.Err()
	}
	ok, err := e.Accounts.CheckPassword(ctx, u, pw, client)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, mend.FieldErrors{"password": msgWrongCurrent}.Err()
	}
	// Each export counts as an attempt under a key of its own, never
	// ended, so at most MaxExports start in a window.
	key := exportKey(u.ID)
	clientKey := "export:" + hex.EncodeToString(key)
	now := e.Accounts.Now()
	_, throttled, err := e.Accounts.Store.BeginAttempt(ctx, mend.PasswordOf{UserID: u.ID}, key, clientKey, now, now.Add(-ExportWindow), MaxExports, MaxExports)
	if err != nil {
		return nil, err
	}
	if throttled {
		return nil, &mend.Error{Code: mend.Throttled, Message: msgExportThrottled, RetryAfter: ExportWindow}
	}
	x := &Export{user: u, today: mend.Date(e.Now(), u.Location()), store: e.Store}
	if !u.IsTherapist() {
		x.access, err = e.Couples.PartnerAccess(ctx, u)
		if err != nil && err != ErrNoSpace {
			return nil, err
		}
	}
	return x, nil
}

func exportKey(userID int64) []byte {
	sum := sha256.Sum256([]byte("mend-export:" + strconv.FormatInt(userID, 10)))
	return sum[:]
}

// Name is the export's file name without its extension.
func (x *Export) Name() string { return "mend-export-" + x.today.Format(time.DateOnly) }

// Write writes the account, then what the user may see of their space (a
// partner's) or what they wrote (a therapist's), and a partner's own safety
// checks when Safety is set, to w as it is read.
func (x *Export) Write(ctx context.Context, w mend.ExportWriter) error {
	if err := writeAccount(x.user, w); err != nil {
		return err
	}
	var err error
	switch {
	case x.user.IsTherapist():
		err = x.store.ExportTherapist(ctx, x.user.ID, w)
	case !x.access.IsZero():
		err = x.store.ExportPartner(ctx, x.access, x.today, w)
	}
	if err == nil && x.Safety {
		err = x.store.ExportSafety(ctx, x.user.ID, w)
	}
	return err
}

func writeAccount(u *mend.User, w mend.ExportWriter) error {
	err := w.Table(mend.ExportTable{Name: "account", About: "Your account.", Columns: []mend.ExportColumn{
		mend.Col("user_id", "your id (other files use it for what you wrote)"), mend.Col("name", "your name"),
		mend.Col("email", "the email you log in with"), mend.Col("time_zone", "your time zone (your days are its days)"),
		mend.Col("professional_name", "your name as couples read it (therapists only)"), mend.Col("created_at", "when the account was made"),
	}})
	if err != nil {
		return err
	}
	return w.Row([]string{strconv.FormatInt(u.ID, 10), u.Name, u.Email, u.TimeZone, u.ProfessionalName,
		u.CreatedAt.UTC().Format(time.RFC3339Nano)})
}
