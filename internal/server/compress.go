package server

import (
	"net/http"

	"github.com/klauspost/compress/gzhttp"
	"github.com/klauspost/compress/gzip"
)

// compressMinSize is the smallest body worth compressing: below it the
// gzip framing costs more than it saves.
const compressMinSize = 1024

// compressPages gzips pages (and any other text response) for clients that
// accept it: negotiation with q-values, Vary: Accept-Encoding, a minimum
// size, no body for 204/304, and a response that already names its
// Content-Encoding (the precompressed static files) passes through.
// gzhttp (klauspost/compress, already in Mend's module graph) is made for
// exactly this and keeps the dependency set as it was; chi's Compress
// ignores q-values and compresses tiny, 204 and 304 responses.
func compressPages() func(http.Handler) http.Handler {
	wrap, err := gzhttp.NewWrapper(
		gzhttp.MinSize(compressMinSize),
		// Level 1: pages are a few kilobytes, and under load level 6 took
		// about 16% of Mend's CPU for 7-16% fewer bytes (2.1 KB instead of
		// 2.3 KB for Today). Static files are compressed once, at the best
		// level (static.go).
		gzhttp.CompressionLevel(gzip.BestSpeed),
		gzhttp.EnableZstd(false), // gzip and the static files' brotli are enough for every browser
	)
	if err != nil {
		panic(err) // the options above are constant
	}
	return func(next http.Handler) http.Handler {
		compressed := wrap(next)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodHead {
				// net/http drops a HEAD body: compressing it would be wasted work.
				w.Header().Add("Vary", "Accept-Encoding")
				next.ServeHTTP(w, r)
				return
			}
			compressed.ServeHTTP(w, r)
		})
	}
}
