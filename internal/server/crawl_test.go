package server

import (
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"
	"golang.org/x/net/html"
)

// A crawler for the tests that must cover every page and every form
// without listing them by hand: it follows same-origin links with GET, as
// a person clicking through Mend would, and reads the POST forms it meets.

// crawlPerRoute bounds the pages crawled per route pattern (a calendar's
// "earlier" links would otherwise go back for ever); crawlMax bounds the
// crawl.
const (
	crawlPerRoute = 4
	crawlMax      = 800
)

// crawled is what one person's crawl saw.
type crawled struct {
	b     *browser
	pages map[string]*response // by path and query
	forms []pageForm           // every POST form met, in crawl order
}

// crawl opens starts, then every page linked from a page opened, as b:
// same origin only, GET only, never a static file. It stops at crawlPerRoute
// pages per route pattern.
func (b *browser) crawl(t *testing.T, starts []string) *crawled {
	t.Helper()
	router := b.app.srv.router
	c := &crawled{b: b, pages: map[string]*response{}}
	perRoute := map[string]int{}
	queue := append([]string(nil), starts...)
	seen := map[string]bool{}
	for len(queue) > 0 && len(c.pages) < crawlMax {
		path := queue[0]
		queue = queue[1:]
		if seen[path] {
			continue
		}
		seen[path] = true
		route := routeOf(router, http.MethodGet, path)
		if route == "" || perRoute[route] >= crawlPerRoute {
			continue
		}
		perRoute[route]++
		req, _ := http.NewRequest(http.MethodGet, b.app.ts.URL+path, nil)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		res := b.do(req)
		c.pages[path] = res
		if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
			continue
		}
		if loc := res.Header.Get("Location"); res.StatusCode >= 300 && res.StatusCode < 400 && loc != "" {
			if p := sameOrigin(res.Request.URL, loc); p != "" {
				queue = append(queue, p)
			}
			continue
		}
		d := doc(t, res.body)
		walkElements(d, func(n *html.Node) {
			switch {
			case n.Data == "a" && hasAttr(n, "href"):
				if p := sameOrigin(res.Request.URL, attr(n, "href")); p != "" {
					queue = append(queue, p)
				}
			case n.Data == "form" && strings.EqualFold(attr(n, "method"), "post"):
				action := sameOrigin(res.Request.URL, attr(n, "action"))
				if action == "" {
					return
				}
				c.forms = append(c.forms, pageForm{page: path, action: action,
					route: routeOf(router, http.MethodPost, action), fields: controlsOf(n)})
			}
		})
	}
	return c
}

// routeOf is the route pattern that answers method on path, or "" for none
// (or a static file).
func routeOf(router chi.Router, method, path string) string {
	u, err := url.Parse(path)
	if err != nil || strings.HasPrefix(u.Path, "/static/") {
		return ""
	}
	rctx := chi.NewRouteContext()
	if !router.Match(rctx, method, u.Path) {
		return ""
	}
	return rctx.RoutePattern()
}

// sameOrigin resolves href against base; it returns the path and query of
// a same-origin address, or "" for another origin or scheme.
func sameOrigin(base *url.URL, href string) string {
	u, err := base.Parse(href)
	if err != nil || u.Host != base.Host || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	u.Fragment = ""
	return u.RequestURI()
}

func walkElements(n *html.Node, fn func(*html.Node)) {
	if n.Type == html.ElementNode {
		fn(n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walkElements(c, fn)
	}
}

// pageForm is a POST form as a page offers it.
type pageForm struct {
	page, action, route string
	fields              []formField
}

// formField is one named control of a form (radio buttons and checkboxes
// of one name are one field, with their values as options).
type formField struct {
	name, kind string // kind: the input type, "select", "textarea" or "submit"
	value      string // what the page fills in or has chosen
	options    []string
	required   bool
	maxLength  string
	min        string
	// multi: several checkboxes of one name, all sent when checked.
	multi bool
	// twice: two controls of this name that a browser sends both of
	// (not radio buttons, checkboxes or submit buttons).
	twice bool
}

// controlsOf reads the named controls of form: radio buttons, checkboxes
// and submit buttons of one name make one field with their values as
// options.
func controlsOf(form *html.Node) []formField {
	var fields []formField
	index := map[string]int{}
	walkElements(form, func(n *html.Node) {
		name := attr(n, "name")
		if name == "" || hasAttr(n, "disabled") {
			return
		}
		f := formField{name: name, required: hasAttr(n, "required"), maxLength: attr(n, "maxlength"), min: attr(n, "min")}
		chosen := true
		switch n.Data {
		case "input":
			f.kind, f.value = strings.ToLower(attr(n, "type")), attr(n, "value")
			switch f.kind {
			case "":
				f.kind = "text"
			case "checkbox", "radio":
				if f.value == "" && f.kind == "checkbox" {
					f.value = "on"
				}
				f.options, chosen = []string{f.value}, hasAttr(n, "checked")
			case "submit", "image":
				f.kind, f.options = "submit", []string{f.value}
			case "button", "reset":
				return
			}
		case "textarea":
			f.kind, f.value = "textarea", text(n)
		case "select":
			f.kind = "select"
			walkElements(n, func(o *html.Node) {
				if o.Data != "option" {
					return
				}
				v := attr(o, "value")
				if !hasAttr(o, "value") {
					v = text(o)
				}
				f.options = append(f.options, v)
				if hasAttr(o, "selected") || (f.value == "" && v != "" && !f.required) {
					f.value = v
				}
			})
		case "button":
			if t := attr(n, "type"); t != "" && t != "submit" {
				return
			}
			f.kind, f.value = "submit", attr(n, "value")
			f.options = []string{f.value}
		default:
			return
		}
		if !chosen {
			f.value = ""
		}
		i, ok := index[name]
		if !ok {
			index[name] = len(fields)
			fields = append(fields, f)
			return
		}
		g := &fields[i]
		g.options = append(g.options, f.options...)
		g.multi = g.multi || (g.kind == "checkbox" && f.kind == "checkbox")
		sentAlways := func(kind string) bool { return kind != "radio" && kind != "checkbox" && kind != "submit" }
		g.twice = g.twice || sentAlways(g.kind) || sentAlways(f.kind)
		g.required = g.required || f.required
		if g.value == "" && chosen && g.kind != "submit" {
			g.value = f.value
		}
	})
	return fields
}

// values is the form as a browser sends it with nothing changed: hidden
// values, chosen options, checked boxes, the first submit button.
func (f pageForm) values() url.Values {
	v := url.Values{}
	for _, fd := range f.fields {
		switch {
		case fd.multi:
			// Checked boxes only: the page's own choices are not kept
			// here, so send the first box.
			v[fd.name] = fd.options[:1]
		case fd.kind == "checkbox" && fd.value == "":
		default:
			v.Set(fd.name, fd.value)
		}
	}
	return v
}

// sortedKeys returns m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// crawlAll crawls Mend as each of the world's people who use the couple's
// pages (both partners, their therapist, a stranger with no space, and a
// visitor), from every page without a parameter and every page of the
// couple's seeded records.
func (w *world) crawlAll(t *testing.T) map[string]*crawled {
	t.Helper()
	var starts []string
	params := w.params()
	chi.Walk(w.app.srv.router, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if method != http.MethodGet || strings.Contains(route, "*") || route == "/healthz" {
			return nil
		}
		if path, missing := fillParams(route, params); missing == "" {
			starts = append(starts, path)
		}
		return nil
	})
	return map[string]*crawled{
		"Zelphine": w.as(t, w.ana).crawl(t, starts),
		"Quorrin":  w.as(t, w.ben).crawl(t, starts),
		"Tess":     w.as(t, w.therapist).crawl(t, starts),
		"stranger": w.as(t, w.stranger).crawl(t, starts),
		"visitor":  w.app.browser().crawl(t, starts),
	}
}

// TestCrawl_ReadsFormsAsABrowserSendsThem: the crawler's reading of a form
// is what a browser would send, so the walks over forms test real ones.
func TestCrawl_ReadsFormsAsABrowserSendsThem(t *testing.T) {
	form := find(doc(t, `<form method="post" action="/x">
		<input type="hidden" name="form_key" value="k">
		<input name="title" required maxlength="80">
		<textarea name="body">words</textarea>
		<input type="radio" name="mood" value="1"><input type="radio" name="mood" value="2" checked>
		<input type="checkbox" name="share" value="a" checked><input type="checkbox" name="share" value="b">
		<input type="checkbox" name="yearly">
		<select name="zone"><option value="">none</option><option value="UTC" selected>UTC</option></select>
		<input type="hidden" name="back" value="1"><input type="hidden" name="back" value="2">
		<input name="off" disabled value="x">
		<button name="action" value="keep">Keep</button><button name="action" value="share">Share</button>
	</form>`), func(n *htmlNode) bool { return n.Data == "form" })
	got := map[string]formField{}
	for _, f := range controlsOf(form) {
		got[f.name] = f
	}
	for name, want := range map[string]formField{
		"form_key": {kind: "hidden", value: "k"},
		"title":    {kind: "text", required: true, maxLength: "80"},
		"body":     {kind: "textarea", value: "words"},
		"mood":     {kind: "radio", value: "2", options: []string{"1", "2"}},
		"share":    {kind: "checkbox", value: "a", options: []string{"a", "b"}, multi: true},
		"yearly":   {kind: "checkbox", options: []string{"on"}},
		"zone":     {kind: "select", value: "UTC", options: []string{"", "UTC"}},
		"back":     {kind: "hidden", value: "1", twice: true},
		"action":   {kind: "submit", value: "keep", options: []string{"keep", "share"}},
	} {
		g, ok := got[name]
		if !ok || g.kind != want.kind || g.value != want.value || !slices.Equal(g.options, want.options) ||
			g.required != want.required || g.maxLength != want.maxLength || g.multi != want.multi || g.twice != want.twice {
			t.Errorf("%s: read %+v, want %+v", name, g, want)
		}
	}
	if _, ok := got["off"]; ok || len(got) != 9 {
		t.Errorf("read %d fields (a disabled one: %v)", len(got), ok)
	}
}
