package web

import (
	"slices"
	"strings"
)

// zoneGroup is one region of the time-zone picker: an <optgroup>.
type zoneGroup struct {
	Label string // "" for the zones that stand alone (UTC)
	Zones []zoneOption
}

// zoneOption is one time zone: its IANA name and the words shown.
type zoneOption struct{ Value, Label string }

// regionLabels names regions whose IANA name reads oddly on its own.
var regionLabels = map[string]string{
	"America":  "Americas",
	"Atlantic": "Atlantic Ocean",
	"Indian":   "Indian Ocean",
	"Pacific":  "Pacific Ocean",
}

// zoneLabel is how a zone reads in the picker: the city without
// underscores ("America/New_York" → "New York"), with any middle part in
// brackets ("America/Argentina/Buenos_Aires" → "Buenos Aires (Argentina)").
func zoneLabel(zone string) string {
	parts := strings.Split(strings.ReplaceAll(zone, "_", " "), "/")
	if len(parts) == 1 {
		return parts[0]
	}
	city := parts[len(parts)-1]
	if middle := parts[1 : len(parts)-1]; len(middle) > 0 {
		city += " (" + strings.Join(middle, ", ") + ")"
	}
	return city
}

// zoneRegion is the part of a zone's name before the first "/", as shown.
func zoneRegion(zone string) string {
	region, _, ok := strings.Cut(zone, "/")
	if !ok {
		return ""
	}
	if l, ok := regionLabels[region]; ok {
		return l
	}
	return region
}

// groupZones groups zones by region, in the order regions first appear;
// zones without a region come first, ungrouped. Within a region the zones
// are in the order of their labels.
func groupZones(zones []string) []zoneGroup {
	var groups []zoneGroup
	at := map[string]int{}
	for _, z := range zones {
		r := zoneRegion(z)
		i, ok := at[r]
		if !ok {
			i = len(groups)
			at[r] = i
			groups = append(groups, zoneGroup{Label: r})
		}
		groups[i].Zones = append(groups[i].Zones, zoneOption{Value: z, Label: zoneLabel(z)})
	}
	for _, g := range groups {
		slices.SortStableFunc(g.Zones, func(a, b zoneOption) int { return strings.Compare(a.Label, b.Label) })
	}
	slices.SortStableFunc(groups, func(a, b zoneGroup) int {
		switch {
		case a.Label == "" && b.Label != "":
			return -1
		case b.Label == "" && a.Label != "":
			return 1
		}
		return strings.Compare(a.Label, b.Label)
	})
	return groups
}
