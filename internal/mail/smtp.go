package mail

import (
	"context"
	"crypto/tls"
	"fmt"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/mend-app/mend/internal/config"
	"github.com/mend-app/mend/internal/mend"
)

// SMTP delivers emails to a mail server with github.com/wneessen/go-mail,
// one connection per email (account emails are few).
type SMTP struct {
	cfg config.SMTP
	// TLSConfig, when set, replaces the default (tests trust their own
	// server's certificate with it).
	TLSConfig *tls.Config
	// Timeout bounds one delivery (default 30s).
	Timeout time.Duration
}

// NewSMTP returns a deliverer to the server cfg names.
func NewSMTP(cfg config.SMTP) *SMTP { return &SMTP{cfg: cfg} }

// Deliver sends e as a plain-text email. Its error says what failed and
// what the server answered, never the message.
func (s *SMTP) Deliver(ctx context.Context, e mend.Email) error {
	m := gomail.NewMsg()
	if err := m.From(s.cfg.From); err != nil {
		return fmt.Errorf("sender address: %w", err)
	}
	if err := m.To(e.To); err != nil {
		return fmt.Errorf("recipient address not valid")
	}
	m.Subject(e.Subject)
	m.SetDate()
	m.SetMessageID()
	if e.UnsubscribeURL != "" {
		// One-click unsubscribe (RFC 8058): mail clients POST to the link.
		m.SetGenHeader(gomail.HeaderListUnsubscribe, "<"+e.UnsubscribeURL+">")
		m.SetGenHeader(gomail.HeaderListUnsubscribePost, "List-Unsubscribe=One-Click")
	}
	m.SetBodyString(gomail.TypeTextPlain, e.Body)

	opts := []gomail.Option{gomail.WithPort(s.cfg.Port), gomail.WithTimeout(or(s.Timeout, 30*time.Second))}
	switch s.cfg.TLS {
	case config.SMTPTLS:
		opts = append(opts, gomail.WithSSL())
	case config.SMTPNoTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if s.TLSConfig != nil {
		tc := s.TLSConfig.Clone()
		if tc.ServerName == "" {
			tc.ServerName = s.cfg.Host
		}
		opts = append(opts, gomail.WithTLSConfig(tc))
	}
	if s.cfg.User != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(s.cfg.User), gomail.WithPassword(s.cfg.Password))
	}
	c, err := gomail.NewClient(s.cfg.Host, opts...)
	if err != nil {
		return fmt.Errorf("smtp client: %w", err)
	}
	if err := c.DialAndSendWithContext(ctx, m); err != nil {
		return fmt.Errorf("smtp %s:%d: %w", s.cfg.Host, s.cfg.Port, err)
	}
	return nil
}
