package service_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/postgres"
)

// Assertions and small readers shared by the service tests.

// idsOf lists the ids of vs, in order.
func idsOf(vs []mend.CommitmentView) []int64 {
	out := []int64{}
	for _, v := range vs {
		out = append(out, v.ID)
	}
	return out
}

func wantIDs(t *testing.T, got []mend.CommitmentView, what string, want ...int64) {
	t.Helper()
	if want == nil {
		want = []int64{}
	}
	if g := idsOf(got); !slices.Equal(g, want) {
		t.Fatalf("%s = %v, want %v", what, g, want)
	}
}

// decisions writes the history of v as "action version actor, …".
func decisions(v mend.CommitmentView, people ...*mend.User) string {
	var out []string
	for _, ev := range v.Events {
		who := fmt.Sprint(ev.ActorID)
		for _, p := range people {
			if p.ID == ev.ActorID {
				who = p.Name
			}
		}
		out = append(out, fmt.Sprintf("%s %d %s", ev.Action, ev.Version, who))
	}
	return strings.Join(out, ", ")
}

// titles lists the versions of v as "number:title".
func titles(v mend.CommitmentView) string {
	var out []string
	for _, ver := range v.Versions {
		out = append(out, fmt.Sprintf("%d:%s", ver.Version, ver.Title))
	}
	return strings.Join(out, ", ")
}

// wantOnly fails unless err is Invalid with a message on field and no other.
func wantOnly(t *testing.T, err error, field, what string) {
	t.Helper()
	fieldRefused(t, err, field, what)
	var me *mend.Error
	if errors.As(err, &me) && len(me.Fields) != 1 {
		t.Errorf("%s: messages on other fields too: %v", what, me.Fields)
	}
}

// wantMessage fails unless err is a *mend.Error with code and message.
func wantMessage(t *testing.T, err error, code mend.Code, msg, what string) {
	t.Helper()
	var me *mend.Error
	if !errors.As(err, &me) || me.Code != code || me.Message != msg {
		t.Fatalf("%s: want %s %q, got %v", what, code, msg, err)
	}
}

// statOf is v's consistency over days.
func statOf(v mend.CommitmentView, days int) mend.Consistency { return v.Stat(days) }

// stat is what a Consistency should count.
type stat struct{ counted, kept, partly, missed, notLogged int }

func wantStat(t *testing.T, got mend.Consistency, days int, want stat, percent float64, what string) {
	t.Helper()
	g := stat{got.Counted, got.Kept, got.Partly, got.Missed, got.NotLogged}
	if got.Days != days || g != want || !sameFloat(got.Percent, percent) {
		t.Errorf("%s: got %d days %+v %v%%, want %d days %+v %v%%", what, got.Days, g, got.Percent, days, want, percent)
	}
	if got.Counted != got.Kept+got.Partly+got.Missed+got.NotLogged {
		t.Errorf("%s: counted %d is not the sum of %+v", what, got.Counted, g)
	}
}

// ver is one version of a commitment, for the pure functions.
func ver(n int, r mend.Rhythm, weekdays uint8, starts string) *mend.CommitmentVersion {
	return &mend.CommitmentVersion{Version: n, Rhythm: r, Weekdays: weekdays, StartsOn: mustDate(starts), ReviewOn: mustDate(starts).AddDate(0, 0, 28)}
}

func event(action string, version int, day string) mend.CommitmentEvent {
	return mend.CommitmentEvent{Action: action, Version: version, OnDay: mustDate(day)}
}

func versions(vs ...*mend.CommitmentVersion) map[int]*mend.CommitmentVersion {
	m := map[int]*mend.CommitmentVersion{}
	for _, v := range vs {
		m[v.Version] = v
	}
	return m
}

// logged makes logs from entries like "2027-03-01 kept".
func logged(entries ...string) []mend.CommitmentLog {
	var ls []mend.CommitmentLog
	for _, s := range entries {
		day, status, _ := strings.Cut(s, " ")
		ls = append(ls, mend.CommitmentLog{OccursOn: mustDate(day), Status: status})
	}
	return ls
}

// periodsString writes periods as "from–until rhythm/weekdays, …".
func periodsString(ps []mend.Period) string {
	var out []string
	for _, p := range ps {
		until := "open"
		if !p.Until.IsZero() {
			until = p.Until.Format(time.DateOnly)
		}
		out = append(out, fmt.Sprintf("%s–%s %s/%d", p.From.Format(time.DateOnly), until, p.Rhythm, p.Weekdays))
	}
	return strings.Join(out, ", ")
}

// Mondays, Wednesdays and Fridays as a weekday set (bit 0 is Monday).
const monWedFri = 1<<0 | 1<<2 | 1<<4

func wantCode(t *testing.T, err error, code mend.Code, what string) {
	t.Helper()
	if err == nil || mend.ErrorCode(err) != code {
		t.Fatalf("%s: want a %s error, got %v", what, code, err)
	}
}

func wantErr(t *testing.T, err error, want *mend.Error, what string) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("%s: want %q, got %v", what, want.Message, err)
	}
}

func count(t *testing.T, db *postgres.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.Pool.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// ids lists the ids of ts in order.
func ids(ts []mend.Trigger) []int64 {
	out := []int64{}
	for _, t := range ts {
		out = append(out, t.ID)
	}
	return out
}

func sameIDs(got []mend.Trigger, want ...int64) bool {
	return fmt.Sprint(ids(got)) == fmt.Sprint(append([]int64{}, want...))
}

// summary is everything a patterns page shows, as text (NaN compares
// equal to NaN this way).
func summary(p *mend.PatternsPage) string {
	return fmt.Sprintf("who=%s weeks=%d from=%s to=%s series=%v total=%d avg=%.6f cats=%v heat=%v max=%d words=%v reading=%q",
		p.Who, p.Weeks, p.From.Format(time.DateOnly), p.To.Format(time.DateOnly), p.Series, p.Total, p.Average,
		p.Cats, p.Heat, p.HeatMax, p.Words, p.Reading)
}

// listing is what a list of triggers shows, responses included.
func listing(ts []mend.Trigger) string {
	var b strings.Builder
	for _, t := range ts {
		fmt.Fprintf(&b, "%d/%d/%s/%d/%s/%s/%v;", t.ID, t.UserID, t.Category, t.Intensity, t.Helped, t.Visibility, t.Responses)
	}
	return b.String()
}

func responses(t *testing.T, ts []mend.Trigger, id int64) []mend.TriggerResponse {
	t.Helper()
	for _, tr := range ts {
		if tr.ID == id {
			return tr.Responses
		}
	}
	t.Fatalf("trigger %d not listed", id)
	return nil
}

// storedDays lists the days of userID's check-ins as stored, oldest first.
func storedDays(t *testing.T, db *postgres.DB, userID int64) []string {
	t.Helper()
	rows, err := db.Pool.Query(context.Background(), `SELECT day::text FROM checkins WHERE user_id = $1 ORDER BY day`, userID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var days []string
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			t.Fatal(err)
		}
		days = append(days, d)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return days
}

// wantUnrevealed fails unless c is a check-in shown as existing only.
func wantUnrevealed(t *testing.T, c *mend.Checkin, what string) {
	t.Helper()
	if c == nil {
		t.Fatalf("%s: the partner's check-in does not show as existing", what)
	}
	if c.Revealed || c.Mood != 0 || c.Connection != 0 || c.Feel != "" || c.Need != "" || c.Worry != "" || c.Appreciate != "" {
		t.Fatalf("%s: an unrevealed check-in shows its content: %+v", what, c)
	}
}

// wantRevealed fails unless c is revealed with the content entry(…, mood, …) gave it.
func wantRevealed(t *testing.T, c *mend.Checkin, mood int, what string) {
	t.Helper()
	if c == nil {
		t.Fatalf("%s: no check-in", what)
	}
	m := string(rune('0' + mood))
	if !c.Revealed || c.Mood != mood || c.Connection != mood || c.Feel != "feel "+m || c.Need != "need "+m ||
		c.Worry != "worry "+m || c.Appreciate != "appreciate "+m {
		t.Fatalf("%s: want revealed with mood %d, got %+v", what, mood, c)
	}
}

// fieldRefused fails unless err is Invalid with a message on field.
func fieldRefused(t *testing.T, err error, field, what string) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: accepted", what)
	}
	if msg := fieldErr(t, err, field); msg == "" {
		t.Fatalf("%s: no message on %q in %v", what, field, err)
	}
}

// historyDay returns the day of h, failing the test when it is not there.
func historyDay(t *testing.T, h *mend.HistoryPage, day string) *mend.HistoryDay {
	t.Helper()
	for i := range h.Days {
		if h.Days[i].Day.Equal(mustDate(day)) {
			return &h.Days[i]
		}
	}
	t.Fatalf("no %s in the history", day)
	return nil
}

// pointAt returns the value of daily on day of trend tr.
func pointAt(tr *mend.Trend, daily []float64, day string) float64 {
	return daily[int(mustDate(day).Sub(tr.From).Hours()/24)]
}

// sameFloats compares two series, NaN equal to NaN.
func sameFloats(got, want []float64) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if !sameFloat(got[i], want[i]) {
			return false
		}
	}
	return true
}

func sameFloat(got, want float64) bool {
	if math.IsNaN(want) {
		return math.IsNaN(got)
	}
	return math.Abs(got-want) < 1e-9
}

// errOf is the error of an edit that also says whether it changed anything.
func errOf(_ bool, err error) error { return err }

// errOfView is the error of opening a therapist's page.
func errOfView(_ mend.TherapistAccess, err error) error { return err }
