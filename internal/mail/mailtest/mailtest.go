// Package mailtest runs an SMTP server inside a test process
// (github.com/emersion/go-smtp) and keeps what arrives, for tests of
// Mend's account emails. Only tests import it.
package mailtest

import (
	"crypto/tls"
	"errors"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-smtp"

	"github.com/mend-app/mend/internal/config"
)

// Message is one email the server accepted.
type Message struct {
	From    string
	To      []string
	Subject string
	Body    string // decoded text
	Header  mail.Header
}

// Server is an SMTP server on 127.0.0.1 that accepts every message, or
// refuses the next few with 451 when told to.
type Server struct {
	Addr string
	Port int

	mu       sync.Mutex
	messages []Message
	refuse   int // messages still to refuse with 451
	refused  int
}

// Start runs a server without TLS until the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	return start(t, nil)
}

// StartTLS runs a server that offers STARTTLS with a certificate for
// 127.0.0.1 until the test ends, and returns with it the TLS
// configuration of a client that trusts that certificate.
func StartTLS(t testing.TB) (*Server, *tls.Config) {
	t.Helper()
	// httptest's certificate (for 127.0.0.1) and a client that trusts it.
	hs := httptest.NewUnstartedServer(nil)
	hs.StartTLS()
	cert := hs.TLS.Certificates
	client := hs.Client().Transport.(*http.Transport).TLSClientConfig.Clone()
	hs.Close()
	return start(t, &tls.Config{Certificates: cert}), client
}

func start(t testing.TB, tlsConfig *tls.Config) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Addr: ln.Addr().String(), Port: ln.Addr().(*net.TCPAddr).Port}
	srv := smtp.NewServer(backend{s})
	srv.Domain = "localhost"
	srv.TLSConfig = tlsConfig
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() }) // the test is over
	return s
}

// Config is an SMTP configuration that delivers to s, without TLS.
func (s *Server) Config() config.SMTP {
	return config.SMTP{Host: "127.0.0.1", Port: s.Port, From: "Mend <no-reply@mend.test>", TLS: config.SMTPNoTLS}
}

// Refuse makes the server answer the next n messages with 451 (try again
// later), as a mail server that is struggling does.
func (s *Server) Refuse(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuse = n
}

// Refused returns how many messages the server refused.
func (s *Server) Refused() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refused
}

// Messages returns the messages accepted so far, in order.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

type backend struct{ s *Server }

func (b backend) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{s: b.s}, nil }

type session struct {
	s    *Server
	from string
	to   []string
}

func (x *session) Reset()        { x.from, x.to = "", nil }
func (x *session) Logout() error { return nil }
func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	x.from = from
	return nil
}
func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.to = append(x.to, to)
	return nil
}

func (x *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	x.s.mu.Lock()
	defer x.s.mu.Unlock()
	if x.s.refuse > 0 {
		x.s.refuse--
		x.s.refused++
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Try again later"}
	}
	m, err := parse(raw)
	if err != nil {
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: err.Error()}
	}
	m.From, m.To = x.from, x.to
	x.s.messages = append(x.s.messages, m)
	return nil
}

func parse(raw []byte) (Message, error) {
	msg, err := mail.ReadMessage(strings.NewReader(string(raw)))
	if err != nil {
		return Message{}, err
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		return Message{}, err
	}
	var body io.Reader = msg.Body
	switch strings.ToLower(msg.Header.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		body = quotedprintable.NewReader(msg.Body)
	case "", "7bit", "8bit":
	default:
		return Message{}, errors.New("unexpected transfer encoding " + msg.Header.Get("Content-Transfer-Encoding"))
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return Message{}, err
	}
	return Message{Subject: subject, Body: strings.ReplaceAll(string(b), "\r\n", "\n"), Header: msg.Header}, nil
}
