package mend

import (
	"strings"
	"time"
)

// LoginSession is one browser where a person is logged in, as their
// sessions page shows it. ID is an opaque handle, never the session token.
type LoginSession struct {
	ID        int64
	Device    string // DeviceSummary's words; "" when unknown
	StartedAt time.Time
	SeenAt    time.Time
	Current   bool // the session of the request that reads the list
}

// maxUserAgent bounds how much of a User-Agent DeviceSummary reads.
const maxUserAgent = 512

// DeviceSummary returns a short, fixed description of the browser and
// device a User-Agent names ("Firefox on Android", "Safari on iPhone",
// "Chrome on Windows"), the browser or the device alone when only one is
// known, and "" when neither is. It returns only its own words, never part
// of the User-Agent.
func DeviceSummary(userAgent string) string {
	ua := userAgent
	if len(ua) > maxUserAgent {
		ua = ua[:maxUserAgent]
	}
	browser, device := browserOf(ua), deviceOf(ua)
	switch {
	case browser != "" && device != "":
		return browser + " on " + device
	case browser != "":
		return browser
	}
	return device
}

// browserOf names the browser; the order matters, as most browsers also
// name the engines of others ("Chrome/… Safari/…" in Edge's).
func browserOf(ua string) string {
	has := func(s string) bool { return strings.Contains(ua, s) }
	switch {
	case has("Edg/") || has("EdgA/") || has("EdgiOS/") || has("Edge/"):
		return "Edge"
	case has("OPR/") || has("Opera"):
		return "Opera"
	case has("SamsungBrowser/"):
		return "Samsung Internet"
	case has("Firefox/") || has("FxiOS/"):
		return "Firefox"
	case has("Chrome/") || has("CriOS/") || has("Chromium/"):
		return "Chrome"
	case has("Safari/") && (has("Version/") || has("iPhone") || has("iPad") || has("Macintosh")):
		return "Safari"
	}
	return ""
}

// deviceOf names the device or its system.
func deviceOf(ua string) string {
	has := func(s string) bool { return strings.Contains(ua, s) }
	switch {
	case has("iPhone"):
		return "iPhone"
	case has("iPad"):
		return "iPad"
	case has("iPod"):
		return "iPod"
	case has("Android"):
		return "Android"
	case has("Windows"):
		return "Windows"
	case has("CrOS"):
		return "ChromeOS"
	case has("Macintosh") || has("Mac OS X"):
		return "Mac"
	case has("Linux"):
		return "Linux"
	}
	return ""
}
