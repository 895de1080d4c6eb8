package mend

import (
	"math"
	"time"
)

// Trend is each partner's mood and connection over some weeks, day by day.
type Trend struct {
	Weeks    int
	From, To time.Time // first and last day shown
	Lines    []TrendLine
}

// Days returns how many days the trend covers.
func (t *Trend) Days() int { return int(t.To.Sub(t.From).Hours()/24) + 1 }

// Line returns the line of userID, or nil.
func (t *Trend) Line(userID int64) *TrendLine {
	for i := range t.Lines {
		if t.Lines[i].UserID == userID {
			return &t.Lines[i]
		}
	}
	return nil
}

// TrendLine is one partner's measures.
type TrendLine struct {
	UserID           int64
	Mood, Connection Measure
}

// Measure is one score of one partner over the trend's days. Days without
// a check-in are NaN: gaps, never zeros.
type Measure struct {
	Daily   []float64 // one value per day from From to To
	Rolling []float64 // the average of the check-ins of the 7 days ending that day
	// Average is over the trend's days; Previous over the same number of
	// weeks before them. NaN when there was no check-in, and Previous NaN
	// too when those weeks are not wholly inside the space's life.
	Average, Previous float64
	Count             int // check-ins in the trend's days
}

// BuildTrend turns points into a trend from from to to for each of ids, in
// that order. Points before from count for the rolling averages and the
// previous period; points of other people or after to are left out. The
// previous period is compared only when it lies wholly inside the space's
// life, which began on started (zero: no limit).
func BuildTrend(points []Point, ids []int64, from, to, started time.Time, weeks int) *Trend {
	t := &Trend{Weeks: weeks, From: from, To: to}
	days := t.Days()
	prevFrom := from.AddDate(0, 0, -7*weeks)
	before := DayIndex(prevFrom, from)
	for _, id := range ids {
		// Each score by day, counted from prevFrom; NaN without a check-in.
		mood, connection := nanSlice(before+days), nanSlice(before+days)
		for _, p := range points {
			if i := DayIndex(prevFrom, p.Day); p.UserID == id && i >= 0 && i < len(mood) {
				mood[i], connection[i] = float64(p.Mood), float64(p.Connection)
			}
		}
		l := TrendLine{UserID: id, Mood: measure(mood, before), Connection: measure(connection, before)}
		if prevFrom.Before(started) {
			l.Mood.Previous, l.Connection.Previous = math.NaN(), math.NaN()
		}
		t.Lines = append(t.Lines, l)
	}
	return t
}

// DayIndex counts the days from start to day (both midnight UTC).
func DayIndex(start, day time.Time) int {
	return int(day.Sub(start).Round(time.Hour).Hours()) / 24
}

func nanSlice(n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = math.NaN()
	}
	return s
}

// measure reads values (one per day, the trend's days after the first
// before ones) into a Measure.
func measure(values []float64, before int) Measure {
	n := len(values)
	days := n - before
	// Prefix sums and counts of the days with a check-in.
	sum, count := make([]float64, n+1), make([]int, n+1)
	for i, v := range values {
		sum[i+1], count[i+1] = sum[i], count[i]
		if !math.IsNaN(v) {
			sum[i+1] += v
			count[i+1]++
		}
	}
	// mean of the days [lo, hi); NaN when none.
	mean := func(lo, hi int) float64 {
		lo = max(lo, 0)
		if c := count[hi] - count[lo]; c > 0 {
			return (sum[hi] - sum[lo]) / float64(c)
		}
		return math.NaN()
	}
	m := Measure{Daily: values[before:], Rolling: make([]float64, days)}
	for i := range days {
		j := before + i
		m.Rolling[i] = mean(j-6, j+1)
	}
	m.Count = count[n] - count[before]
	m.Average = mean(before, n)
	m.Previous = mean(0, before)
	return m
}
