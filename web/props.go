package web

import (
	"strconv"
	"strings"

	"github.com/a-h/templ"
	"github.com/mend-app/mend/internal/mend"
)

// Page is what the layout needs on every page.
type Page struct {
	Title   string     // the page's own title; the layout adds "· Mend"
	User    *mend.User // nil for a visitor
	Section string     // the current navigation item ("today", "settings")
	Flash   string     // a quiet confirmation, shown once
	// Invalid marks a form shown again with errors: the title then starts
	// with "Error:", the first thing a screen reader announces.
	Invalid bool
}

// WithErrors returns p marked as a form shown again with errors.
func (p Page) WithErrors() Page {
	p.Invalid = true
	return p
}

// QuickExitURL is a neutral site that the quick-exit control opens.
const QuickExitURL = "https://www.bbc.com/weather"

// Form carries a form's submitted values back to the page, with messages
// for the fields that need attention.
type Form struct {
	Values map[string]string
	Errors map[string]string
}

// Get returns the submitted value of field.
func (f Form) Get(field string) string { return f.Values[field] }

// Err returns the message for field, or "".
func (f Form) Err(field string) string { return f.Errors[field] }

// Problem is one field's message in a form's summary of errors.
type Problem struct{ Field, Message string }

// Problems lists the messages of fields, in the order given.
func (f Form) Problems(fields ...string) []Problem {
	var ps []Problem
	for _, field := range fields {
		if msg := f.Errors[field]; msg != "" {
			ps = append(ps, Problem{field, msg})
		}
	}
	return ps
}

// Input describes one labelled input with its hint and error.
type Input struct {
	Name, Label, Type, Value string
	Hint, Error              string
	Autocomplete             string
	MaxLength                int
	Required                 bool
	// FormError marks the input invalid because of the form-wide message
	// (a wrong email or password), which it then points to.
	FormError bool
}

// attrs returns the input's optional attributes, tying the hint and the
// error to the input for screen readers.
func (in Input) attrs() templ.Attributes {
	a := templ.Attributes{}
	described := ""
	if in.Hint != "" {
		described = in.Name + "-hint"
	}
	if in.Error != "" {
		described += " " + in.Name + "-error"
		a["aria-invalid"] = "true"
	} else if in.FormError {
		described += " form-error"
		a["aria-invalid"] = "true"
	}
	if described != "" {
		a["aria-describedby"] = strings.TrimSpace(described)
	}
	if in.Autocomplete != "" {
		a["autocomplete"] = in.Autocomplete
	}
	if in.MaxLength > 0 {
		a["maxlength"] = strconv.Itoa(in.MaxLength)
	}
	if in.Required {
		a["required"] = true
	}
	return a
}

// navItem is one entry in the top bar.
type navItem struct{ Section, Label, Href string }

func navFor(u *mend.User) []navItem {
	if u == nil {
		return nil
	}
	return []navItem{
		{"today", "Today", "/today"},
		{"settings", "Settings", "/settings"},
	}
}

// currentAttr marks the current section's link for screen readers.
func currentAttr(current, section string) templ.Attributes {
	if current == section {
		return templ.Attributes{"aria-current": "page"}
	}
	return nil
}
