package config

import (
	"log/slog"
	"strings"
	"testing"
	"time"
)

func load(env map[string]string) (*Config, error) {
	return Load(func(k string) string { return env[k] })
}

func TestConfig_Defaults(t *testing.T) {
	c, err := load(nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "localhost:8080" || c.DatabaseURL != "" || c.BaseURL.String() != "http://localhost:8080" ||
		c.CookieSecure || c.LogLevel != slog.LevelInfo || c.TrustProxy || c.PGDir != ".mend/postgres" || c.DBTimeout != 5*time.Second ||
		c.QuickExitURL != "https://www.bbc.com/weather" || c.DBMaxConns != 0 || c.SignUpLimit != 100 {
		t.Fatalf("defaults: %+v", c)
	}
}

func TestConfig_HTTPSBaseURLMakesCookiesSecure(t *testing.T) {
	c, err := load(map[string]string{"MEND_BASE_URL": "https://mend.example.org/"})
	if err != nil || !c.CookieSecure {
		t.Fatalf("https base URL: secure=%v err=%v", c != nil && c.CookieSecure, err)
	}
	c, err = load(map[string]string{"MEND_BASE_URL": "https://mend.example.org", "MEND_COOKIE_SECURE": "false"})
	if err != nil || c.CookieSecure {
		t.Fatal("MEND_COOKIE_SECURE=false should win")
	}
}

func TestConfig_EveryBadValueIsNamed(t *testing.T) {
	_, err := load(map[string]string{
		"MEND_ADDR": "8080", "DATABASE_URL": "postgres://u:secret@host:notaport/db", "MEND_BASE_URL": "ftp://x",
		"MEND_COOKIE_SECURE": "sometimes", "MEND_LOG_LEVEL": "chatty", "MEND_TRUST_PROXY": "perhaps", "MEND_DB_TIMEOUT": "forever",
		"MEND_QUICK_EXIT_URL": "javascript:alert(1)", "MEND_DB_MAX_CONNS": "lots",
		"MEND_MIGRATE_URL": "postgres://u:secret@host:notaport/db",
		"MEND_SECRET_KEY":  "short", "MEND_SIGNUP_LIMIT": "0",
		"MEND_SMTP_HOST": "mail.example.org", "MEND_SMTP_PORT": "x", "MEND_SMTP_USER": "mend", "MEND_SMTP_FROM": "not an address",
		"MEND_SMTP_TLS": "maybe",
	})
	if err == nil {
		t.Fatal("bad configuration accepted")
	}
	msg := err.Error()
	for _, v := range Vars {
		if v.Name == "MEND_PG_DIR" || v.Name == "MEND_SMTP_HOST" {
			continue // any folder or host name is acceptable
		}
		if !strings.Contains(msg, v.Name) {
			t.Errorf("no message for %s", v.Name)
		}
	}
	if strings.Contains(msg, "secret") {
		t.Error("the database password was echoed")
	}
	if n := strings.Count(msg, "\n") + 1; n != 16 {
		t.Errorf("want one line per bad value (16), got %d:\n%s", n, msg)
	}
}

func TestConfig_QuickExitURL(t *testing.T) {
	c, err := load(map[string]string{"MEND_QUICK_EXIT_URL": "http://127.0.0.1:9999/weather"})
	if err != nil || c.QuickExitURL != "http://127.0.0.1:9999/weather" {
		t.Fatalf("quick exit URL: %+v %v", c, err)
	}
	for _, bad := range []string{"/weather", "ftp://example.org", "https://", "javascript:alert(1)"} {
		if _, err := load(map[string]string{"MEND_QUICK_EXIT_URL": bad}); err == nil || !strings.Contains(err.Error(), "MEND_QUICK_EXIT_URL") {
			t.Errorf("MEND_QUICK_EXIT_URL=%q accepted: %v", bad, err)
		}
	}
}

func TestConfig_DBMaxConns(t *testing.T) {
	for v, want := range map[string]int32{"": 0, "1": 1, " 24 ": 24, "1000": 1000} {
		c, err := load(map[string]string{"MEND_DB_MAX_CONNS": v})
		if err != nil || c.DBMaxConns != want {
			t.Errorf("MEND_DB_MAX_CONNS=%q: %v %v, want %d", v, c, err, want)
		}
	}
	for _, bad := range []string{"0", "-4", "1001", "4294967297", "eight", "4.5"} {
		if _, err := load(map[string]string{"MEND_DB_MAX_CONNS": bad}); err == nil || !strings.Contains(err.Error(), "MEND_DB_MAX_CONNS") {
			t.Errorf("MEND_DB_MAX_CONNS=%q accepted: %v", bad, err)
		}
	}
}

func TestConfig_MigrateURLNeedsDatabaseURL(t *testing.T) {
	if _, err := load(map[string]string{"MEND_MIGRATE_URL": "postgres://localhost/mend"}); err == nil || !strings.Contains(err.Error(), "MEND_MIGRATE_URL") {
		t.Fatalf("MEND_MIGRATE_URL without DATABASE_URL: err = %v", err)
	}
	c, err := load(map[string]string{"DATABASE_URL": "postgres://localhost:6432/mend", "MEND_MIGRATE_URL": "postgres://localhost:5432/mend"})
	if err != nil || c.MigrateURL != "postgres://localhost:5432/mend" {
		t.Fatalf("c = %+v, err = %v", c, err)
	}
}

// Without MEND_SECRET_KEY each start makes a random key of its own; a key
// given is used as it is, and one too short is refused without echoing it.
func TestConfig_SecretKey(t *testing.T) {
	a, errA := load(nil)
	b, errB := load(nil)
	if errA != nil || errB != nil || len(a.SecretKey) < 32 || !a.SecretKeyRandom || string(a.SecretKey) == string(b.SecretKey) {
		t.Fatalf("random keys: %v %v", errA, errB)
	}
	key := "a long and random secret of more than 32 characters"
	c, err := load(map[string]string{"MEND_SECRET_KEY": key})
	if err != nil || string(c.SecretKey) != key || c.SecretKeyRandom {
		t.Fatalf("given key: %v", err)
	}
	_, err = load(map[string]string{"MEND_SECRET_KEY": "hunter2-too-short"})
	if err == nil || !strings.Contains(err.Error(), "MEND_SECRET_KEY") || strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("short key: %v", err)
	}
}

func TestConfig_SignUpLimit(t *testing.T) {
	for v, want := range map[string]int{"": 100, "1": 1, " 250 ": 250, "1000000": 1000000} {
		c, err := load(map[string]string{"MEND_SIGNUP_LIMIT": v})
		if err != nil || c.SignUpLimit != want {
			t.Errorf("MEND_SIGNUP_LIMIT=%q: %v, want %d", v, err, want)
		}
	}
	for _, bad := range []string{"0", "-5", "lots", "1000001", "2.5"} {
		if _, err := load(map[string]string{"MEND_SIGNUP_LIMIT": bad}); err == nil || !strings.Contains(err.Error(), "MEND_SIGNUP_LIMIT") {
			t.Errorf("MEND_SIGNUP_LIMIT=%q accepted: %v", bad, err)
		}
	}
}

func TestConfig_SMTP(t *testing.T) {
	c, err := load(nil)
	if err != nil || c.SMTP.Configured() || c.SMTP.TLS != SMTPStartTLS || c.SMTP.Port != 587 {
		t.Fatalf("default SMTP: %+v, %v", c.SMTP, err)
	}
	c, err = load(map[string]string{"MEND_SMTP_HOST": "mail.example.org", "MEND_SMTP_TLS": "TLS", "MEND_SMTP_FROM": "Mend <no-reply@example.org>",
		"MEND_SMTP_USER": "mend", "MEND_SMTP_PASSWORD": "hunter2-secret"})
	if err != nil || !c.SMTP.Configured() || c.SMTP.Port != 465 || c.SMTP.TLS != SMTPTLS || c.SMTP.User != "mend" {
		t.Fatalf("SMTP: %+v, %v", c.SMTP, err)
	}
	_, err = load(map[string]string{"MEND_SMTP_HOST": "mail.example.org", "MEND_SMTP_PORT": "0", "MEND_SMTP_TLS": "maybe",
		"MEND_SMTP_PASSWORD": "hunter2-secret"})
	if err == nil {
		t.Fatal("bad SMTP settings accepted")
	}
	for _, want := range []string{"MEND_SMTP_PORT", "MEND_SMTP_TLS", "MEND_SMTP_FROM: required", "set both or neither"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not name %s:\n%v", want, err)
		}
	}
	if strings.Contains(err.Error(), "hunter2") {
		t.Error("the error shows the password")
	}
	if _, err := load(map[string]string{"MEND_SMTP_FROM": "no-reply@example.org"}); err == nil || !strings.Contains(err.Error(), "only with MEND_SMTP_HOST") {
		t.Fatalf("MEND_SMTP_FROM without a host: %v", err)
	}
}

func TestConfig_DevOutboxOnlyOnThisMachineWithoutSMTP(t *testing.T) {
	for env, want := range map[string]bool{
		"": true, "MEND_BASE_URL=http://127.0.0.1:8080": true, "MEND_BASE_URL=http://[::1]:8080": true,
		"MEND_BASE_URL=https://mend.example.org": false, "MEND_BASE_URL=http://192.168.1.20:8080": false,
		"MEND_BASE_URL=https://localhost:8443": false, "MEND_SMTP_HOST=localhost": false,
	} {
		m := map[string]string{"MEND_SMTP_FROM": "no-reply@example.org"}
		if k, v, ok := strings.Cut(env, "="); ok {
			m[k] = v
		}
		if m["MEND_SMTP_HOST"] == "" {
			delete(m, "MEND_SMTP_FROM")
		}
		c, err := load(m)
		if err != nil {
			t.Fatal(err)
		}
		if c.DevOutbox != want {
			t.Errorf("%s: DevOutbox %v, want %v", env, c.DevOutbox, want)
		}
	}
}
