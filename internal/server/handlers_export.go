package server

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/a-h/templ"
	"github.com/mend-app/mend/web"
)

// exportTimeout bounds the database work of one export, which streams to
// the person as it is read: longer than a page's deadline, shorter than
// the server's write timeout.
const exportTimeout = 25 * time.Second

// exportData sends everything the user may see, as a ZIP of CSV files or
// one JSON file, after their password. A wrong password draws Settings
// again (422); too many exports, 429. Once the file has begun, an error can
// only cut it short: it is logged and the connection is aborted, so the
// download fails rather than looking complete.
func (s *Server) exportData(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	format := r.PostFormValue("format")
	if format != "json" {
		format = "zip"
	}
	u := currentUser(r)
	x, err := s.exports.Prepare(r.Context(), u, r.PostFormValue("password"), s.clientKey(r))
	if err != nil {
		return redraw(err, func(problems map[string]string) (templ.Component, error) {
			if msg, ok := problems["password"]; ok {
				delete(problems, "password")
				problems["export-password"] = msg
			}
			return s.settingsPage(r, web.SettingsPageProps{Export: web.Form{Errors: problems}})
		})
	}
	x.Safety = r.PostFormValue("safety") == "on"
	at := s.now()
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	var f exportFile
	if format == "json" {
		h.Set("Content-Type", "application/json; charset=utf-8")
		f = newJSONExport(w, at)
	} else {
		h.Set("Content-Type", "application/zip")
		f = newZipExport(w, at)
	}
	h.Set("Content-Disposition", `attachment; filename="`+x.Name()+"."+format+`"`)
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), exportTimeout)
	defer cancel()
	err = x.Write(ctx, f)
	if err == nil {
		err = f.Close()
	}
	if err != nil {
		s.log.ErrorContext(r.Context(), "export cut short", "user_id", u.ID, slog.String("error", err.Error()))
		panic(http.ErrAbortHandler)
	}
	s.log.InfoContext(r.Context(), "data exported", "user_id", u.ID, "format", format)
	return nil
}
