package bench

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// Targets every page is held to, against the baseline of the same round.
const (
	MinRatio     = 0.5  // requests/s of a page at its default view
	MinRatio52w  = 0.25 // requests/s of a 52-week view
	MaxP99Ratio  = 2.0  // p99 latency of a page
	MaxResident  = 100 << 20
	pageBaseline = 0 // the baseline is the first page of every round
)

// Table writes the measures as one Markdown table: rounds[r][i] is page i
// in round r, page 0 the baseline. Requests/s and its ratio are medians
// over the rounds (each ratio against the baseline of its own round);
// latencies are percentiles over every request of every round.
func Table(w io.Writer, pages []Page, rounds [][]Round, inProcess bool) {
	encoded, ok := 0, 0
	for _, round := range rounds {
		for _, m := range round[1:] {
			encoded += m.Encoded
			ok += m.OK
		}
	}
	bytesHead := "HTML bytes (compressed)"
	if encoded < ok {
		bytesHead = fmt.Sprintf("HTML bytes as sent (%d of %d answers compressed)", encoded, ok)
	}
	rssHead := "server RSS at end (MB)"
	if inProcess {
		rssHead = "RSS at end (MB, bench process: server and load in one)"
	}
	fmt.Fprintf(w, "| page | req/s | × baseline | p50 ms | p99 ms | p99 × baseline | round trips/req | %s | errors | %s | target |\n", bytesHead, rssHead)
	fmt.Fprintln(w, "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|")
	var baseP99 time.Duration
	for i, p := range pages {
		var rps, ratios []float64
		var lat []time.Duration
		var requests, errs, okN int
		var trips, bytes, rss int64
		for _, round := range rounds {
			m := round[i]
			rps = append(rps, m.RPS())
			ratios = append(ratios, m.RPS()/round[pageBaseline].RPS())
			lat = append(lat, m.Latencies...)
			requests += m.Requests
			errs += m.Errors
			okN += m.OK
			trips += m.Trips
			bytes += m.Bytes
			rss = m.RSS
		}
		slices.Sort(lat)
		p50, p99 := Percentile(lat, 50), Percentile(lat, 99)
		if i == pageBaseline {
			baseP99 = p99
		}
		ratio, p99x := median(ratios), float64(p99)/float64(max(baseP99, 1))
		fmt.Fprintf(w, "| %s | %.0f | %.2f | %.1f | %.1f | %.1f | %.2f | %d | %d | %.0f | %s |\n",
			p.Name, median(rps), ratio, ms(p50), ms(p99), p99x,
			float64(trips)/float64(max(requests, 1)), bytes/int64(max(okN, 1)), errs,
			float64(rss)/(1<<20), verdict(p, ratio, p99x, errs, rss))
	}
}

// verdict says whether a page meets its target, and where it falls short.
func verdict(p Page, ratio, p99x float64, errs int, rss int64) string {
	var short []string
	switch p.Target {
	case "":
		return "baseline"
	case "52w":
		if ratio < MinRatio52w {
			short = append(short, fmt.Sprintf("req/s < %.2f×", MinRatio52w))
		}
	default:
		if ratio < MinRatio {
			short = append(short, fmt.Sprintf("req/s < %.2f×", MinRatio))
		}
		if p99x > MaxP99Ratio {
			short = append(short, fmt.Sprintf("p99 > %.0f×", MaxP99Ratio))
		}
	}
	if errs > 0 {
		short = append(short, "errors")
	}
	if rss > MaxResident {
		short = append(short, "RSS > 100 MB")
	}
	if len(short) == 0 {
		return "met"
	}
	return "**short**: " + strings.Join(short, ", ")
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
