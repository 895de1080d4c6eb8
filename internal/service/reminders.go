package service

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/mend-app/mend/internal/mend"
)

// ReminderStore is what email reminders need from the database.
type ReminderStore interface {
	ReminderSettings(ctx context.Context, userID int64) (mend.ReminderSettings, error)
	SaveReminderSettings(ctx context.Context, userID int64, s mend.ReminderSettings, at time.Time) error
	TurnOffReminder(ctx context.Context, userID int64, setting mend.ReminderSetting, at time.Time) error
	QueueReminders(ctx context.Context, kind mend.ReminderKind, now time.Time, write func(mend.ReminderDue) mend.Email) (int, error)
	DeleteRemindersSentBefore(ctx context.Context, day time.Time) (int64, error)
}

// Reminder tuning.
const (
	// ReminderEvery is how often the reminder loop looks for due reminders.
	ReminderEvery = time.Minute
	// HardDateNoticeDays is how many days before a hard date its notice goes.
	HardDateNoticeDays = 3
	// UnsubscribePath is where an unsubscribe link leads; the token follows.
	UnsubscribePath = "/unsubscribe/"
	// reminderKeep is how long the record of sent reminders is kept.
	reminderKeep = 8 * 24 * time.Hour
)

// reminderKinds are written in this order each pass.
var reminderKinds = []mend.ReminderKind{mend.RemindCheckin, mend.RemindPartnerCommitment,
	mend.RemindPartnerAnswer, mend.RemindPartnerTrigger, mend.RemindHardDate}

// ErrUnsubscribeInvalid answers an unsubscribe link that is not one.
var ErrUnsubscribeInvalid = &mend.Error{Code: mend.NotFound,
	Message: "This link does not work. You can turn reminders off in Settings."}

const msgReminderTime = "Enter a time such as 20:00."

// Reminders keeps each person's email reminders and writes the due ones to
// the outbox. Emails never carry entry text: a name and a link at most.
type Reminders struct {
	Store ReminderStore
	Now   func() time.Time
	// Key signs unsubscribe links (derived from MEND_SECRET_KEY).
	Key []byte
	// BaseURL is how people reach Mend, for the links in the emails.
	BaseURL string
}

// NewReminders returns the reminders on store, with the real clock.
func NewReminders(store ReminderStore) *Reminders {
	return &Reminders{Store: store, Now: time.Now}
}

// Settings returns the reminders u asked for (every one off by default).
func (r *Reminders) Settings(ctx context.Context, u *mend.User) (mend.ReminderSettings, error) {
	return r.Store.ReminderSettings(ctx, u.ID)
}

// ReminderInput is the reminders form: three tick boxes and a time.
type ReminderInput struct {
	Checkin   bool
	CheckinAt string // "15:04" (seconds, if a browser sends them, are dropped)
	Partner   bool
	HardDates bool
}

// SaveSettings stores u's reminders. Errors: Invalid with Fields
// ("checkin_at") for a time that is not one.
func (r *Reminders) SaveSettings(ctx context.Context, u *mend.User, in ReminderInput) (mend.ReminderSettings, error) {
	s := mend.ReminderSettings{Checkin: in.Checkin, Partner: in.Partner, HardDates: in.HardDates}
	fe := mend.FieldErrors{}
	at := strings.TrimSpace(in.CheckinAt)
	switch t, ok := parseTimeOfDay(at); {
	case ok:
		s.CheckinAt = t
	case at == "" && !in.Checkin:
		s.CheckinAt = mend.DefaultReminderTime
	case at == "":
		fe.Add("checkin_at", "Choose the time of the reminder, such as 20:00.")
	default:
		fe.Add("checkin_at", msgReminderTime)
	}
	if err := fe.Err(); err != nil {
		return s, err
	}
	return s, r.Store.SaveReminderSettings(ctx, u.ID, s, r.Now())
}

// parseTimeOfDay reads "15:04" or "15:04:05" and returns it as "15:04".
func parseTimeOfDay(s string) (string, bool) {
	for _, layout := range []string{"15:04", "15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil && len(s) == len(layout) {
			return t.Format("15:04"), true
		}
	}
	return "", false
}

// QueueDue writes every reminder due now to the outbox, at most one of a
// kind per person and local day, and returns how many it wrote (wake the
// sender when it is more than none). Safe to run from several processes
// at once.
func (r *Reminders) QueueDue(ctx context.Context) (int, error) {
	now := r.Now()
	total := 0
	var errs []error
	// One kind failing does not hold back the others.
	for _, kind := range reminderKinds {
		n, err := r.Store.QueueReminders(ctx, kind, now, func(d mend.ReminderDue) mend.Email {
			return r.email(kind, d)
		})
		total += n
		if err != nil {
			errs = append(errs, fmt.Errorf("%s reminders: %w", kind, err))
		}
	}
	return total, errors.Join(errs...)
}

// Run writes due reminders every ReminderEvery until ctx ends, and at once
// when it starts (so reminders due while Mend was down go out, on their
// day). wake is called after reminders were written.
func (r *Reminders) Run(ctx context.Context, wake func(), log *slog.Logger) {
	t := time.NewTicker(ReminderEvery)
	defer t.Stop()
	lastForget := time.Time{}
	for {
		n, err := r.QueueDue(ctx)
		if err != nil && ctx.Err() == nil {
			log.Warn("write reminders", "error", err)
		}
		if n > 0 {
			log.Info("reminders written to the outbox", "count", n)
			if wake != nil {
				wake()
			}
		}
		if now := r.Now(); now.Sub(lastForget) > time.Hour {
			lastForget = now
			if _, err := r.Store.DeleteRemindersSentBefore(ctx, now.Add(-reminderKeep)); err != nil && ctx.Err() == nil {
				log.Warn("forget sent reminders", "error", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// email is the reminder of kind for d: a short plain-text message with a
// link, naming at most the partner, and the way to turn it off.
func (r *Reminders) email(kind mend.ReminderKind, d mend.ReminderDue) mend.Email {
	base := strings.TrimRight(r.BaseURL, "/")
	unsub := r.UnsubscribeURL(d.UserID, kind.Setting())
	var subject, text, link string
	switch kind {
	case mend.RemindCheckin:
		subject, text, link = "Your daily check-in in Mend", "This is your reminder to check in today. It takes about two minutes.", "/checkin"
	case mend.RemindHardDate:
		subject, text, link = "A date you marked is coming up in Mend", "A date you marked in Mend is three days away. You can see it, and any plan you made for it, in Mend.", "/today"
	case mend.RemindPartnerCommitment:
		subject, link = d.PartnerName+" proposed a commitment in Mend", "/commitments"
	case mend.RemindPartnerAnswer:
		subject, link = d.PartnerName+" answered you in Mend", "/today"
	case mend.RemindPartnerTrigger:
		subject, link = d.PartnerName+" responded to you in Mend", "/today"
	}
	if text == "" {
		text = subject + "."
	}
	body := text + "\n\nOpen Mend: " + base + link + "\n\n" +
		"You get this because you turned on " + kind.Setting().Name() + " in Settings. Turn it off: " + unsub + "\n"
	return mend.Email{UserID: d.UserID, To: d.Email, Subject: subject, Body: body, UnsubscribeURL: unsub}
}

// UnsubscribeURL returns the one-click link that turns setting off for the
// person userID: the id and setting signed under Key.
func (r *Reminders) UnsubscribeURL(userID int64, setting mend.ReminderSetting) string {
	return strings.TrimRight(r.BaseURL, "/") + UnsubscribePath + r.unsubscribeToken(userID, setting)
}

func (r *Reminders) unsubscribeToken(userID int64, setting mend.ReminderSetting) string {
	id := strconv.FormatInt(userID, 10)
	return id + "." + string(setting) + "." + base64.RawURLEncoding.EncodeToString(r.unsubscribeMAC(id, setting))
}

func (r *Reminders) unsubscribeMAC(id string, setting mend.ReminderSetting) []byte {
	h := hmac.New(sha256.New, r.Key)
	h.Write([]byte("mend-unsubscribe\x00" + id + "\x00" + string(setting)))
	return h.Sum(nil)
}

// CheckUnsubscribe returns the setting an unsubscribe token turns off.
// Errors: ErrUnsubscribeInvalid for a token Mend did not sign.
func (r *Reminders) CheckUnsubscribe(token string) (mend.ReminderSetting, error) {
	_, setting, err := r.parseUnsubscribe(token)
	return setting, err
}

func (r *Reminders) parseUnsubscribe(token string) (int64, mend.ReminderSetting, error) {
	if len(token) > 200 {
		return 0, "", ErrUnsubscribeInvalid
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return 0, "", ErrUnsubscribeInvalid
	}
	id, err := strconv.ParseInt(parts[0], 10, 64)
	setting := mend.ReminderSetting(parts[1])
	// Only the signature as Mend writes it: the decoder would also skip
	// line breaks and ignore stray low bits, so one link could be written
	// many ways.
	mac, err2 := base64.RawURLEncoding.DecodeString(parts[2])
	if err2 == nil && base64.RawURLEncoding.EncodeToString(mac) != parts[2] {
		err2 = ErrUnsubscribeInvalid
	}
	if err != nil || err2 != nil || id <= 0 || strconv.FormatInt(id, 10) != parts[0] ||
		(setting != mend.SettingCheckin && setting != mend.SettingPartner && setting != mend.SettingHardDates) ||
		len(r.Key) == 0 || !hmac.Equal(mac, r.unsubscribeMAC(parts[0], setting)) {
		return 0, "", ErrUnsubscribeInvalid
	}
	return id, setting, nil
}

// Unsubscribe turns off the setting a signed token names, for the person
// it names: no session needed (mail clients post it). It returns the
// setting. Errors: ErrUnsubscribeInvalid.
func (r *Reminders) Unsubscribe(ctx context.Context, token string) (mend.ReminderSetting, error) {
	id, setting, err := r.parseUnsubscribe(token)
	if err != nil {
		return "", err
	}
	return setting, r.Store.TurnOffReminder(ctx, id, setting, r.Now())
}
