package mend

// SafetyResult is what the page after a check shows its taker.
type SafetyResult struct {
	Check   *SafetyCheck // nil before the first check
	InSpace bool         // u is a partner in a couple space
	// Therapist is the couple's active therapist link, nil when none: the
	// flag can be sent only to it.
	Therapist *TherapistLink
	Flag      *TherapistFlag // u's own open flag to that therapist
}
