package mend

import "time"

// TriggerCategories are what can remind a partner of the betrayal, in the
// order the quick-log form shows them.
var TriggerCategories = []struct{ Value, Label string }{
	{"place", "A place"},
	{"person", "A person"},
	{"date", "A date or anniversary"},
	{"behaviour", "A behaviour"},
	{"media", "Media or content"},
	{"time", "A time of day"},
	{"other", "Something else"},
}

// Trigger is one logged moment.
type Trigger struct {
	ID           int64
	CoupleID     int64
	UserID       int64
	OccurredAt   time.Time
	LocalDay     time.Time // the writer's date at the time, as midnight UTC
	LocalWeekday int       // 0 is Monday
	LocalHour    int
	Category     string
	Intensity    int // 0–10
	WhatHappened string
	Felt         string
	Helped       string
	Need         string
	Visibility   Visibility
	CreatedAt    time.Time
	UpdatedAt    time.Time
	Responses    []TriggerResponse
}

// Edited reports whether the trigger was changed after it was logged.
func (t *Trigger) Edited() bool { return t.UpdatedAt.After(t.CreatedAt) }

// Response choices: gentle answers in one tap.
var TriggerChoices = []struct{ Value, Label string }{
	{"here", "I'm here"},
	{"space", "I'll give you space"},
}

// TalkTriggerChoice is the answer offered only while the couple has an
// agreed talk time; it links to the next one.
var TalkTriggerChoice = struct{ Value, Label string }{"talk", "Let's talk at our talk time"}

// TriggerChoiceLabel returns the words of a saved response choice; "" for
// none.
func TriggerChoiceLabel(choice string) string {
	if choice == TalkTriggerChoice.Value {
		return TalkTriggerChoice.Label
	}
	return Label(TriggerChoices, choice)
}

// TriggerResponse is the other partner's answer to a trigger.
type TriggerResponse struct {
	TriggerID int64
	UserID    int64
	Choice    string
	Body      string
	Did       string // something they did in response
	At        time.Time
}

// HardDate is a date that is hard for the couple.
type HardDate struct {
	ID        int64
	Label     string
	Date      time.Time // midnight UTC
	Yearly    bool
	CreatedBy int64
	CreatedAt time.Time
	Plan      string // a short plan for the day, by either partner; "" for none
}

// WeekStat is one week of triggers.
type WeekStat struct {
	Week      time.Time // its Monday
	Count     int
	Intensity float64 // average
}

// Count is a number of triggers of one kind.
type Count struct {
	Key   string
	Count int
}

// HeatCell is the number of triggers on one weekday (0 Monday) in one band
// of the day (0 night, 1 morning, 2 afternoon, 3 evening).
type HeatCell struct {
	Weekday, Band, Count int
}

// Patterns is the aggregates of the triggers a reader may see.
type Patterns struct {
	Weeks      []WeekStat
	Categories []Count // most first
	Heat       []HeatCell
	Helped     []string // the texts of what helped, newest first
	// Started is when the space began: a reading compares only periods
	// inside its life.
	Started time.Time
	// Recent is the last 4 weeks, Before the 4 weeks before them.
	Recent, Before struct {
		Count     int
		Intensity float64 // NaN-free: 0 when Count is 0
	}
}
