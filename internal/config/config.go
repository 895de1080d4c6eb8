// Package config reads Mend's configuration from the environment once, at
// start, and says clearly which value is wrong.
package config

import (
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Config is everything Mend reads from the environment.
type Config struct {
	Addr         string     // MEND_ADDR: host:port to listen on
	DatabaseURL  string     // DATABASE_URL: empty means start a local cluster
	MigrateURL   string     // MEND_MIGRATE_URL: where migrations connect; empty means DATABASE_URL
	BaseURL      *url.URL   // MEND_BASE_URL: how people reach Mend
	CookieSecure bool       // MEND_COOKIE_SECURE: auto follows the base URL's scheme
	LogLevel     slog.Level // MEND_LOG_LEVEL
	TrustProxy   bool       // MEND_TRUST_PROXY: believe X-Forwarded-For from the proxy in front
	PGDir        string     // MEND_PG_DIR: the local cluster's folder when DATABASE_URL is empty
	DBTimeout    time.Duration
	// DBMaxConns: MEND_DB_MAX_CONNS, the pool's size; 0 sizes it from the CPUs
	DBMaxConns int32
	// QuickExitURL: MEND_QUICK_EXIT_URL, the neutral site Quick exit opens
	QuickExitURL string
	// SecretKey: MEND_SECRET_KEY, signs device cookies; random for this
	// process when unset (SecretKeyRandom)
	SecretKey       []byte
	SecretKeyRandom bool
	// SignUpLimit: MEND_SIGNUP_LIMIT, sign-ups allowed per client address
	// per hour
	SignUpLimit int
}

// DefaultSignUpLimit is how many sign-ups one address may make in an hour.
const DefaultSignUpLimit = 100

// minSecretKeyLength is the shortest MEND_SECRET_KEY accepted, in bytes.
const minSecretKeyLength = 32

// DefaultQuickExitURL is the neutral site Quick exit opens by default.
const DefaultQuickExitURL = "https://www.bbc.com/weather"

// Var describes one environment variable, for the README and error messages.
type Var struct{ Name, Default, Meaning string }

// Vars lists every variable Load reads.
var Vars = []Var{
	{"MEND_ADDR", "localhost:8080", "Address to listen on (host:port)."},
	{"DATABASE_URL", "(unset)", "PostgreSQL connection URL. Unset: Mend starts its own cluster in MEND_PG_DIR."},
	{"MEND_MIGRATE_URL", "(DATABASE_URL)", "PostgreSQL connection URL for migrations, direct to PostgreSQL when DATABASE_URL goes through a transaction pooler such as PgBouncer."},
	{"MEND_PG_DIR", ".mend/postgres", "Folder of the local cluster used when DATABASE_URL is unset."},
	{"MEND_BASE_URL", "http://localhost:8080", "The address people use to reach Mend (http or https)."},
	{"MEND_COOKIE_SECURE", "auto", "auto, true or false. auto: Secure, __Host- cookies when the base URL is https."},
	{"MEND_LOG_LEVEL", "info", "debug, info, warn or error."},
	{"MEND_TRUST_PROXY", "false", "true when a reverse proxy sets X-Forwarded-For; otherwise that header is ignored."},
	{"MEND_DB_TIMEOUT", "5s", "Longest time one request may spend on database work before a 503 page. A statement waiting for a lock gives up at half of it, any statement at four fifths."},
	{"MEND_DB_MAX_CONNS", "4 per CPU, at least 4", "Most database connections for requests and background work (1 to 1000); the health check has one more of its own."},
	{"MEND_QUICK_EXIT_URL", DefaultQuickExitURL, "The neutral site that Quick exit opens (an absolute http or https URL)."},
	{"MEND_SECRET_KEY", "(random at start)", "A secret of at least 32 characters that signs device cookies; the same for every process. Unset: a new one at each start."},
	{"MEND_SIGNUP_LIMIT", "100", "Sign-ups allowed from one address (IPv6: one /64) per hour (1 to 1000000)."},
}

// Load reads the environment through getenv (os.Getenv in production) and
// returns every problem found, one per line.
func Load(getenv func(string) string) (*Config, error) {
	get := func(name, def string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		return def
	}
	var errs []error
	bad := func(name, value, why string) {
		errs = append(errs, fmt.Errorf("%s=%q: %s", name, value, why))
	}
	c := &Config{
		Addr:        get("MEND_ADDR", "localhost:8080"),
		DatabaseURL: get("DATABASE_URL", ""),
		MigrateURL:  get("MEND_MIGRATE_URL", ""),
		PGDir:       get("MEND_PG_DIR", ".mend/postgres"),
	}

	if _, p, err := net.SplitHostPort(c.Addr); err != nil {
		bad("MEND_ADDR", c.Addr, "want host:port, for example localhost:8080 or :8080")
	} else if n, err := strconv.Atoi(p); err != nil || n < 0 || n > 65535 {
		bad("MEND_ADDR", c.Addr, "the port must be a number from 0 to 65535")
	}

	if c.DatabaseURL != "" {
		if _, err := pgx.ParseConfig(c.DatabaseURL); err != nil {
			// The parse error may echo the password, so say only what is wrong.
			errs = append(errs, errors.New("DATABASE_URL: not a valid PostgreSQL connection string (postgres://user:password@host:5432/dbname)"))
		}
	}
	if c.MigrateURL != "" {
		if c.DatabaseURL == "" {
			errs = append(errs, errors.New("MEND_MIGRATE_URL: set only with DATABASE_URL (the local cluster needs neither)"))
		} else if _, err := pgx.ParseConfig(c.MigrateURL); err != nil {
			errs = append(errs, errors.New("MEND_MIGRATE_URL: not a valid PostgreSQL connection string (postgres://user:password@host:5432/dbname)"))
		}
	}

	raw := get("MEND_BASE_URL", "http://localhost:8080")
	if u, err := url.Parse(raw); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("MEND_BASE_URL", raw, "want an absolute http or https URL, for example https://mend.example.org")
	} else if u.Path != "" && u.Path != "/" {
		bad("MEND_BASE_URL", raw, "Mend must be served at the root of its host, without a path")
	} else {
		u.Path = ""
		c.BaseURL = u
	}

	switch v := strings.ToLower(get("MEND_COOKIE_SECURE", "auto")); v {
	case "auto":
		c.CookieSecure = c.BaseURL != nil && c.BaseURL.Scheme == "https"
	case "true", "1", "yes":
		c.CookieSecure = true
	case "false", "0", "no":
		c.CookieSecure = false
	default:
		bad("MEND_COOKIE_SECURE", v, "want auto, true or false")
	}

	lvl := get("MEND_LOG_LEVEL", "info")
	if err := c.LogLevel.UnmarshalText([]byte(lvl)); err != nil {
		bad("MEND_LOG_LEVEL", lvl, "want debug, info, warn or error")
	}

	tp := get("MEND_TRUST_PROXY", "false")
	if b, err := strconv.ParseBool(tp); err != nil {
		bad("MEND_TRUST_PROXY", tp, "want true or false")
	} else {
		c.TrustProxy = b
	}

	dt := get("MEND_DB_TIMEOUT", "5s")
	if d, err := time.ParseDuration(dt); err != nil || d <= 0 || d > time.Minute {
		bad("MEND_DB_TIMEOUT", dt, "want a duration between 1ms and 1m, for example 5s")
	} else {
		c.DBTimeout = d
	}

	if mc := get("MEND_DB_MAX_CONNS", ""); mc != "" {
		if n, err := strconv.ParseInt(mc, 10, 32); err != nil || n < 1 || n > 1000 {
			bad("MEND_DB_MAX_CONNS", mc, "want a whole number from 1 to 1000, or leave it unset to size the pool from the CPUs")
		} else {
			c.DBMaxConns = int32(n)
		}
	}

	qe := get("MEND_QUICK_EXIT_URL", DefaultQuickExitURL)
	if u, err := url.Parse(qe); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("MEND_QUICK_EXIT_URL", qe, "want an absolute http or https URL of a neutral site, for example https://www.bbc.com/weather")
	} else {
		c.QuickExitURL = u.String()
	}

	if sk := get("MEND_SECRET_KEY", ""); sk == "" {
		c.SecretKey, c.SecretKeyRandom = make([]byte, minSecretKeyLength), true
		_, _ = rand.Read(c.SecretKey)
	} else if len(sk) < minSecretKeyLength {
		// The value itself is never echoed: it is a secret.
		errs = append(errs, fmt.Errorf("MEND_SECRET_KEY: too short; use at least %d random characters, for example from `openssl rand -base64 48`", minSecretKeyLength))
	} else {
		c.SecretKey = []byte(sk)
	}

	sl := get("MEND_SIGNUP_LIMIT", strconv.Itoa(DefaultSignUpLimit))
	if n, err := strconv.Atoi(sl); err != nil || n < 1 || n > 1000000 {
		bad("MEND_SIGNUP_LIMIT", sl, "want a whole number of sign-ups per address per hour, from 1 to 1000000")
	} else {
		c.SignUpLimit = n
	}

	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return c, nil
}

// FromEnv is Load(os.Getenv).
func FromEnv() (*Config, error) { return Load(os.Getenv) }
