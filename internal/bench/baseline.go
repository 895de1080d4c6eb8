// Package bench loads Mend's pages against a baseline served from the same
// database, and reports the result as one Markdown table. BenchmarkSeededYear
// (run by `make bench`) drives it against a seeded year.
package bench

import (
	"net/http"
	"strconv"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

const baselineSQL = `
SELECT to_char(day, 'YYYY-MM-DD') AS day, mood, feel
FROM checkins
WHERE couple_id = $1
ORDER BY checkins.day DESC
LIMIT 12`

// Baseline is the bare page every Mend page is measured against: one
// indexed query (a couple's latest dozen check-ins) and a small templ
// table, with no session, middleware or layout. The couple is the query
// parameter c. It answers 500 on a database error.
func Baseline(pool *pgxpool.Pool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		couple, err := strconv.ParseInt(r.URL.Query().Get("c"), 10, 64)
		if err != nil {
			http.Error(w, "c: a couple id", http.StatusBadRequest)
			return
		}
		rows, err := pool.Query(r.Context(), baselineSQL, couple)
		if err != nil {
			http.Error(w, "database", http.StatusInternalServerError)
			return
		}
		list, err := pgx.CollectRows(rows, pgx.RowToStructByName[Row])
		if err != nil {
			http.Error(w, "database", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_ = BaselinePage(list).Render(r.Context(), w)
	})
}
