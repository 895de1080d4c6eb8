package web

import (
	"strings"
	"testing"

	"github.com/mend-app/mend/internal/mend"
)

func TestHelp_CountryGuessedFromTheTimeZone(t *testing.T) {
	for zone, want := range map[string]string{
		"America/New_York": "us", "America/Los_Angeles": "us", "America/Indiana/Indianapolis": "us", "America/Kentucky/Louisville": "us",
		"America/North_Dakota/Center": "us", "America/Anchorage": "us", "Pacific/Honolulu": "us", "America/Puerto_Rico": "us",
		"Europe/London": "uk", "Europe/Dublin": "ie", "Australia/Sydney": "au", "Australia/Perth": "au", "Australia/Lord_Howe": "au",
		// America/* is not all the United States.
		"America/Toronto": "", "America/Mexico_City": "", "America/Sao_Paulo": "", "America/Bogota": "", "America/Havana": "",
		"Europe/Berlin": "", "Pacific/Auckland": "", "UTC": "", "": "",
	} {
		if got := CountryFor(zone); got != want {
			t.Errorf("CountryFor(%q) = %q, want %q", zone, got, want)
		}
	}
	// Every zone Mend offers gets an answer without a panic, and every
	// listed country has a crisis line, an abuse line and an emergency number.
	for _, z := range mend.TimeZones() {
		CountryFor(z)
	}
	for _, c := range Countries {
		if len(c.Crisis) == 0 || len(c.Abuse) == 0 || c.Emergency == "" || !strings.HasPrefix(c.In, "in ") {
			t.Errorf("%s lacks a line", c.Name)
		}
		for _, l := range append(c.Crisis, c.Abuse...) {
			if strings.Trim(l.Tel, "+0123456789") != "" || (l.SMS != "" && strings.Trim(l.SMS, "0123456789") != "") {
				t.Errorf("%s: %q / %q are not dialable", l.Name, l.Tel, l.SMS)
			}
		}
	}
}

func TestHelp_FooterPutsThePersonsCountryFirst(t *testing.T) {
	where := func(tz string) string {
		var w []string
		for _, f := range footerLines(&mend.User{TimeZone: tz}) {
			w = append(w, f.Where)
		}
		return strings.Join(w, ", ")
	}
	for tz, want := range map[string]string{
		"America/Chicago": "US, UK and Ireland, Australia", "Europe/Dublin": "UK and Ireland, US, Australia",
		"Australia/Hobart": "Australia, US, UK and Ireland", "Asia/Tokyo": "US, UK and Ireland, Australia",
	} {
		if got := where(tz); got != want {
			t.Errorf("%s: %s, want %s", tz, got, want)
		}
	}
	if len(footerLines(nil)) != 3 {
		t.Fatal("a visitor's footer lacks lines")
	}
}
