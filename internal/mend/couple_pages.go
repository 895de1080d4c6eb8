package mend

// SharingPage is what a partner's sharing page shows.
type SharingPage struct {
	Space *Space
	*Sharing
}

// Shares reports whether userID shares kind with the therapist by default.
func (p *SharingPage) Shares(userID int64, kind string) bool { return p.Defaults[userID][kind] }

// InvitePage is what the partner invite page shows.
type InvitePage struct {
	Space  *Space
	Invite *Invite // the open invite; nil when there is none
}

// TherapistOverview is what a linked therapist sees of a couple for now.
type TherapistOverview struct {
	Access   TherapistAccess
	Members  []Member
	Link     *TherapistLink
	Defaults Defaults
	// Flags are the partners' open requests to talk to the therapist alone.
	Flags []TherapistFlag
}

// Shares reports whether userID shares kind with the therapist by default.
func (o *TherapistOverview) Shares(userID int64, kind string) bool { return o.Defaults[userID][kind] }
