package web

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/mend-app/mend/internal/mend"
)

func TestTimeZones_LabelsWithoutUnderscores(t *testing.T) {
	for zone, want := range map[string]string{
		"UTC":                            "UTC",
		"America/New_York":               "New York",
		"America/Los_Angeles":            "Los Angeles",
		"Europe/Lisbon":                  "Lisbon",
		"America/Argentina/Buenos_Aires": "Buenos Aires (Argentina)",
		"America/North_Dakota/New_Salem": "New Salem (North Dakota)",
	} {
		if got := zoneLabel(zone); got != want {
			t.Errorf("zoneLabel(%q) = %q, want %q", zone, got, want)
		}
	}
	for _, z := range mend.TimeZones() {
		if strings.Contains(zoneLabel(z), "_") || strings.Contains(zoneLabel(z), "/") {
			t.Errorf("label of %s: %q", z, zoneLabel(z))
		}
	}
}

func TestTimeZones_GroupedByRegion(t *testing.T) {
	zones := mend.TimeZones()
	groups := groupZones(zones)
	if groups[0].Label != "" || len(groups[0].Zones) != 1 || groups[0].Zones[0].Value != "UTC" {
		t.Fatalf("first group = %+v, want UTC alone", groups[0])
	}
	n := 0
	seen := map[string]bool{}
	for _, g := range groups {
		if seen[g.Label] {
			t.Errorf("region %q twice", g.Label)
		}
		seen[g.Label] = true
		for _, z := range g.Zones {
			if g.Label != "" && zoneRegion(z.Value) != g.Label {
				t.Errorf("%s in region %q", z.Value, g.Label)
			}
			n++
		}
	}
	if n != len(zones) {
		t.Fatalf("%d zones grouped, want %d", n, len(zones))
	}
	for _, want := range []string{"Africa", "Americas", "Asia", "Europe", "Pacific Ocean"} {
		if !seen[want] {
			t.Errorf("no region %q", want)
		}
	}
}

func TestTimeZones_PickerKeepsTheChosenZone(t *testing.T) {
	render := func(f Form) string {
		var b bytes.Buffer
		if err := TimeZoneSelect(f, mend.TimeZones()).Render(context.Background(), &b); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	html := render(Form{Values: map[string]string{"time_zone": "America/New_York"}})
	if !strings.Contains(html, `<optgroup label="Americas">`) || !strings.Contains(html, `<option value="America/New_York" selected>New York</option>`) {
		t.Fatalf("chosen zone not kept in its region:\n%.2000s", html)
	}
	if strings.Contains(html, "data-detect-time-zone") {
		t.Error("a chosen zone would be replaced by the detected one")
	}
	html = render(Form{Values: map[string]string{}})
	if !strings.Contains(html, "data-detect-time-zone") || !strings.Contains(html, `<option value="UTC" selected>UTC</option>`) {
		t.Fatalf("an unset zone: UTC until the browser's is found:\n%.2000s", html)
	}
}
