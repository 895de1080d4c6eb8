package mend

import "time"

// ReminderSettings are the emails a person asked for; all are off until
// they turn one on.
type ReminderSettings struct {
	// Checkin: a daily reminder, at CheckinAt on their own clock, on a day
	// they have not checked in yet.
	Checkin bool
	// CheckinAt is the local time of day of the check-in reminder, "15:04".
	CheckinAt string
	// Partner: a notice when the partner proposes a commitment, answers
	// them, or responds to their trigger.
	Partner bool
	// HardDates: a notice a few days before a hard date.
	HardDates bool
}

// DefaultReminderTime is the check-in reminder's time until one is chosen.
const DefaultReminderTime = "20:00"

// ReminderKind names one kind of reminder email: at most one of each goes
// to a person on each of their local days.
type ReminderKind string

// The kinds of reminder email.
const (
	RemindCheckin           ReminderKind = "checkin"
	RemindPartnerCommitment ReminderKind = "partner_commitment"
	RemindPartnerAnswer     ReminderKind = "partner_answer"
	RemindPartnerTrigger    ReminderKind = "partner_trigger"
	RemindHardDate          ReminderKind = "hard_date"
)

// ReminderSetting names the setting that turns a kind of email on or off,
// as an unsubscribe link names it.
type ReminderSetting string

// The settings an unsubscribe link can turn off.
const (
	SettingCheckin   ReminderSetting = "checkin"
	SettingPartner   ReminderSetting = "partner"
	SettingHardDates ReminderSetting = "hard_dates"
)

// Name is how an email or a page names the emails of setting s.
func (s ReminderSetting) Name() string {
	switch s {
	case SettingCheckin:
		return "the daily check-in reminder"
	case SettingPartner:
		return "notes when your partner proposes a commitment or answers you"
	default:
		return "notes before a date you marked as hard"
	}
}

// Setting returns the setting that turns k on or off.
func (k ReminderKind) Setting() ReminderSetting {
	switch k {
	case RemindCheckin:
		return SettingCheckin
	case RemindHardDate:
		return SettingHardDates
	default:
		return SettingPartner
	}
}

// ReminderDue is one reminder the store claimed for a person's local Day:
// who gets it, and for partner notices the partner's name (nothing of
// what they wrote).
type ReminderDue struct {
	UserID      int64
	Email       string
	Day         time.Time
	PartnerName string
}
