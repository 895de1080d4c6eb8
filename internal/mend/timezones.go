package mend

import (
	_ "embed"
	"strings"
	"sync"
	_ "time/tzdata" // time zones work even where the system has no tzdata
)

// timezones.txt is UTC followed by the zones of the IANA database's zone.tab
// (one or more per country), sorted: the list people choose from.
//
//go:embed timezones.txt
var timezoneList string

// TimeZones returns the time zone names offered on forms.
var TimeZones = sync.OnceValue(func() []string {
	return strings.Fields(timezoneList)
})
