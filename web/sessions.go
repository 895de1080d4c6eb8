package web

import (
	"strconv"

	"github.com/a-h/templ"
)

// deviceWords names a session's browser and device for the page.
func deviceWords(device string) string {
	if device == "" {
		return "An unknown browser"
	}
	return device
}

// loginSessionPath is where one session's Sign out form posts.
func loginSessionPath(id int64) templ.SafeURL {
	return templ.SafeURL("/settings/sessions/" + strconv.FormatInt(id, 10) + "/sign-out")
}
