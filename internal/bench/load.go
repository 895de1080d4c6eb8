package bench

import (
	"context"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Page is one page under load: the name in the table and, for each
// worker, the URL it requests and the session cookie it sends (empty: none).
type Page struct {
	Name   string
	Target string // which target the page is held to: "default", "52w" or "" (the baseline)
	URLs   []string
	Cookie []string
}

// Counter counts the database round trips of the requests it served: the
// load resets it before a page and reads it after.
type Counter interface {
	Reset() int64
}

// Load is a load generator: Workers connections, each making one request
// at a time, for Duration per page per round.
type Load struct {
	Client   *http.Client
	Workers  int
	Duration time.Duration
	Trips    Counter
}

// Round is one page's measure in one round.
type Round struct {
	Requests  int
	Errors    int
	Elapsed   time.Duration
	Latencies []time.Duration
	Bytes     int64 // body bytes as sent, over every 2xx answer
	OK        int   // 2xx answers
	Encoded   int   // 2xx answers with a Content-Encoding
	Trips     int64
	RSS       int64 // resident memory at the end of the round, in bytes (-1: unknown)
}

// RPS is the requests answered per second, errors included.
func (r Round) RPS() float64 { return float64(r.Requests) / r.Elapsed.Seconds() }

// Run loads p for l.Duration and returns the measure.
func (l *Load) Run(ctx context.Context, p Page) Round {
	if l.Trips != nil {
		l.Trips.Reset()
	}
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		out      Round
		deadline = time.Now().Add(l.Duration)
		requests atomic.Int64
	)
	start := time.Now()
	for w := 0; w < l.Workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			url, cookie := p.URLs[w%len(p.URLs)], ""
			if len(p.Cookie) > 0 {
				cookie = p.Cookie[w%len(p.Cookie)]
			}
			var my Round
			for time.Now().Before(deadline) && ctx.Err() == nil {
				t0 := time.Now()
				status, n, encoded, err := l.get(ctx, url, cookie)
				my.Latencies = append(my.Latencies, time.Since(t0))
				my.Requests++
				requests.Add(1)
				if err != nil || status < 200 || status > 299 {
					my.Errors++
					continue
				}
				my.OK++
				my.Bytes += n
				if encoded {
					my.Encoded++
				}
			}
			mu.Lock()
			out.Requests += my.Requests
			out.Errors += my.Errors
			out.OK += my.OK
			out.Bytes += my.Bytes
			out.Encoded += my.Encoded
			out.Latencies = append(out.Latencies, my.Latencies...)
			mu.Unlock()
		}(w)
	}
	wg.Wait()
	out.Elapsed = time.Since(start)
	out.RSS = ResidentBytes()
	if l.Trips != nil {
		out.Trips = l.Trips.Reset()
	}
	slices.Sort(out.Latencies)
	return out
}

// get makes one request as a browser that accepts compression would, and
// reads the body as sent (Go's transport does not decompress a response to
// a request that names its own Accept-Encoding).
func (l *Load) get(ctx context.Context, url, cookie string) (status int, n int64, encoded bool, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, 0, false, err
	}
	req.Header.Set("Accept-Encoding", "gzip, br")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	res, err := l.Client.Do(req)
	if err != nil {
		return 0, 0, false, err
	}
	defer res.Body.Close()
	n, err = io.Copy(io.Discard, res.Body)
	return res.StatusCode, n, res.Header.Get("Content-Encoding") != "", err
}

// Percentile returns the p-th percentile (0–100) of sorted latencies.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted)-1) * p / 100)
	return sorted[i]
}
