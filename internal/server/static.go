package server

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/gzhttp"
	"github.com/mend-app/mend/web"
)

// staticCompressions counts the compressions of static files, so that a
// test can tell they happen once at start and never per request.
var staticCompressions atomic.Int64

// staticFile is one embedded file with its precompressed variants (nil
// when compressing would not make it smaller).
type staticFile struct {
	contentType string
	etag        string // of the plain bytes; variants add a suffix
	plain       []byte
	br, gz      []byte
}

// staticTypes are the content types Mend sets itself, not leaving them to
// the host's mime.types (which may not know them).
var staticTypes = map[string]string{
	".webmanifest": "application/manifest+json",
	".ico":         "image/vnd.microsoft.icon",
	".svg":         "image/svg+xml",
	".png":         "image/png",
}

// loadStatic reads every file of fsys and compresses each once, with
// brotli and gzip at their best levels. It panics on an unreadable
// embedded file, which only a broken build can cause.
func loadStatic(fsys fs.FS) map[string]*staticFile {
	files := map[string]*staticFile{}
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		f := &staticFile{plain: b, etag: hex.EncodeToString(sum[:])[:16]}
		if f.contentType = staticTypes[path.Ext(name)]; f.contentType == "" {
			f.contentType = mime.TypeByExtension(path.Ext(name))
		}
		if f.contentType == "" {
			f.contentType = http.DetectContentType(b)
		}
		if len(b) >= compressMinSize {
			f.br = smaller(b, compressBrotli(b))
			f.gz = smaller(b, compressGzip(b))
		}
		files[name] = f
		return nil
	})
	if err != nil {
		panic("static files: " + err.Error())
	}
	return files
}

func compressBrotli(b []byte) []byte {
	staticCompressions.Add(1)
	var buf bytes.Buffer
	w := brotli.NewWriterLevel(&buf, brotli.BestCompression)
	_, _ = w.Write(b) // writes to a bytes.Buffer do not fail
	_ = w.Close()
	return buf.Bytes()
}

func compressGzip(b []byte) []byte {
	staticCompressions.Add(1)
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	_, _ = w.Write(b)
	_ = w.Close()
	return buf.Bytes()
}

// smaller returns packed if it is smaller than plain, else nil.
func smaller(plain, packed []byte) []byte {
	if len(packed) < len(plain) {
		return packed
	}
	return nil
}

// webStatic is web.Static read and compressed once per process: every
// Server serves the same files, and tests start hundreds of Servers.
var webStatic = sync.OnceValue(func() map[string]*staticFile { return loadStatic(web.Static) })

// static serves embedded files, each compressed once at start: a client
// that accepts brotli or gzip gets those bytes, others the plain ones,
// through http.ServeContent (ETag per variant, Range, conditional
// requests). A URL carrying the file's current content hash (web.Asset)
// may be cached for a year.
func (s *Server) static(files map[string]*staticFile) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, ok := files[r.URL.Path]
		if !ok {
			s.respondError(w, r, errNotFound) // nor folder listings
			return
		}
		h := w.Header()
		if v := r.URL.Query().Get("v"); v != "" && v == web.AssetVersion(r.URL.Path) {
			h.Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			h.Set("Cache-Control", "no-cache")
		}
		h.Set("Content-Type", f.contentType)
		body, etag := f.plain, f.etag
		if f.br != nil || f.gz != nil {
			if !slices.Contains(h.Values("Vary"), "Accept-Encoding") { // gzhttp may have said it
				h.Add("Vary", "Accept-Encoding")
			}
			switch pickEncoding(r.Header.Values("Accept-Encoding"), f.br != nil, f.gz != nil) {
			case "br":
				body, etag = f.br, etag+"-br"
				h.Set("Content-Encoding", "br")
			case "gzip":
				body, etag = f.gz, etag+"-gz"
				h.Set("Content-Encoding", "gzip")
			}
		}
		if h.Get("Content-Encoding") == "" && r.Method != http.MethodHead {
			h.Set(gzhttp.HeaderNoCompression, "1") // plain on purpose: never compress per request
		}
		h.Set("ETag", `"`+etag+`"`)
		http.ServeContent(w, r, r.URL.Path, time.Time{}, bytes.NewReader(body))
	})
}

// pickEncoding chooses "br", "gzip" or "" (identity) from Accept-Encoding
// values by their q-values; brotli wins a tie, and "*" stands for any
// coding not named.
func pickEncoding(accept []string, br, gz bool) string {
	q := map[string]float64{}
	for _, v := range accept {
		for item := range strings.SplitSeq(v, ",") {
			name, params, _ := strings.Cut(item, ";")
			name = strings.ToLower(strings.TrimSpace(name))
			if name == "" {
				continue
			}
			weight := 1.0
			for p := range strings.SplitSeq(params, ";") {
				k, val, _ := strings.Cut(strings.TrimSpace(p), "=")
				if strings.EqualFold(k, "q") {
					if f, err := strconv.ParseFloat(strings.TrimSpace(val), 64); err == nil {
						weight = f
					} else {
						weight = 0
					}
				}
			}
			q[name] = weight
		}
	}
	weight := func(name string) float64 {
		if w, ok := q[name]; ok {
			return w
		}
		return q["*"]
	}
	best, bestQ := "", 0.0
	if br && weight("br") > bestQ {
		best, bestQ = "br", weight("br")
	}
	if gz && weight("gzip") > bestQ {
		best = "gzip"
	}
	return best
}
