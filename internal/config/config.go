// Package config reads Mend's configuration from the environment once, at
// start, and says clearly which value is wrong.
package config

import (
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
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
	// SecretKey: MEND_SECRET_KEY, signs device cookies and unsubscribe links; random for this
	// process when unset (SecretKeyRandom)
	SecretKey       []byte
	SecretKeyRandom bool
	// SignUpLimit: MEND_SIGNUP_LIMIT, sign-ups allowed per client address
	// per hour
	SignUpLimit int
	// SMTP is where account emails go; a zero Host means none is
	// configured, and emails are written to the log instead.
	SMTP SMTP
	// DevOutbox: no SMTP server and a base URL on this machine (localhost,
	// 127.0.0.1 or ::1), so GET /dev/outbox lists the emails written to the
	// log (reset links included) to requests from this machine.
	DevOutbox bool
}

// DefaultSignUpLimit is how many sign-ups one address may make in an hour.
const DefaultSignUpLimit = 100

// minSecretKeyLength is the shortest MEND_SECRET_KEY accepted, in bytes.
const minSecretKeyLength = 32

// SMTP is the mail server account emails are delivered to.
type SMTP struct {
	Host     string // MEND_SMTP_HOST: empty means write emails to the log
	Port     int    // MEND_SMTP_PORT
	User     string // MEND_SMTP_USER: empty means no authentication
	Password string // MEND_SMTP_PASSWORD
	From     string // MEND_SMTP_FROM: the sender's address
	TLS      string // MEND_SMTP_TLS: starttls, tls or none
}

// Configured reports whether emails go to an SMTP server.
func (s SMTP) Configured() bool { return s.Host != "" }

// SMTP TLS modes.
const (
	SMTPStartTLS = "starttls" // plain connection upgraded with STARTTLS, required
	SMTPTLS      = "tls"      // TLS from the first byte (implicit TLS, port 465)
	SMTPNoTLS    = "none"     // no encryption: only for a relay on the same host
)

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
	{"MEND_SECRET_KEY", "(random at start)", "A secret of at least 32 characters that signs device cookies and unsubscribe links; the same for every process. Unset: a new one at each start."},
	{"MEND_SIGNUP_LIMIT", "100", "Sign-ups allowed from one address (IPv6: one /64) per hour (1 to 1000000)."},
	{"MEND_SMTP_HOST", "(unset)", "Mail server for account emails (password reset). Unset: emails are written to the log instead."},
	{"MEND_SMTP_PORT", "587 (465 with MEND_SMTP_TLS=tls)", "Port of the mail server."},
	{"MEND_SMTP_USER", "(unset)", "User name for the mail server; unset: no authentication."},
	{"MEND_SMTP_PASSWORD", "(unset)", "Password for the mail server (never logged)."},
	{"MEND_SMTP_FROM", "(required with MEND_SMTP_HOST)", "The address account emails come from, for example Mend <no-reply@mend.example.org>."},
	{"MEND_SMTP_TLS", "starttls", "starttls (required STARTTLS), tls (TLS from the start) or none (only for a relay on the same host)."},
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
	errs = append(errs, loadSMTP(c, get)...)
	c.DevOutbox = !c.SMTP.Configured() && c.BaseURL != nil && c.BaseURL.Scheme == "http" && isLoopbackHost(c.BaseURL.Hostname())

	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return c, nil
}

// loadSMTP reads the MEND_SMTP_ variables into c.SMTP.
func loadSMTP(c *Config, get func(name, def string) string) []error {
	var errs []error
	bad := func(name, value, why string) {
		errs = append(errs, fmt.Errorf("%s=%q: %s", name, value, why))
	}
	s := SMTP{Host: get("MEND_SMTP_HOST", ""), User: get("MEND_SMTP_USER", ""), Password: get("MEND_SMTP_PASSWORD", ""),
		From: get("MEND_SMTP_FROM", ""), TLS: strings.ToLower(get("MEND_SMTP_TLS", SMTPStartTLS))}
	switch s.TLS {
	case SMTPStartTLS, SMTPTLS, SMTPNoTLS:
	default:
		bad("MEND_SMTP_TLS", s.TLS, "want starttls, tls or none")
	}
	def := "587"
	if s.TLS == SMTPTLS {
		def = "465"
	}
	p := get("MEND_SMTP_PORT", def)
	if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
		bad("MEND_SMTP_PORT", p, "the port must be a number from 1 to 65535")
	} else {
		s.Port = n
	}
	if s.Host == "" {
		for _, name := range []string{"MEND_SMTP_USER", "MEND_SMTP_PASSWORD", "MEND_SMTP_FROM"} {
			if get(name, "") != "" {
				errs = append(errs, fmt.Errorf("%s: set only with MEND_SMTP_HOST", name))
			}
		}
	} else {
		if s.From == "" {
			errs = append(errs, errors.New("MEND_SMTP_FROM: required with MEND_SMTP_HOST, for example Mend <no-reply@mend.example.org>"))
		} else if _, err := mail.ParseAddress(s.From); err != nil {
			bad("MEND_SMTP_FROM", s.From, "want an email address, for example Mend <no-reply@mend.example.org>")
		}
		if (s.User == "") != (s.Password == "") {
			errs = append(errs, errors.New("MEND_SMTP_USER and MEND_SMTP_PASSWORD: set both or neither"))
		}
	}
	c.SMTP = s
	return errs
}

// isLoopbackHost reports whether host names this machine.
func isLoopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// FromEnv is Load(os.Getenv).
func FromEnv() (*Config, error) { return Load(os.Getenv) }
