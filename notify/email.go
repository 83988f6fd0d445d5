package notify

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/mail"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/tinhso/tinhso"
)

// TLSMode says how the SMTP connection is encrypted.
type TLSMode string

// TLS modes.
const (
	// TLSMandatory: STARTTLS, and no mail if the server does not offer it (port 587).
	TLSMandatory TLSMode = "mandatory"
	// TLSOpportunistic: STARTTLS when offered, in the clear otherwise (port 587). The
	// password is still never sent in the clear, except to a server on loopback.
	TLSOpportunistic TLSMode = "opportunistic"
	// TLSOff: never encrypt (port 25); for a relay on the same machine or network.
	TLSOff TLSMode = "off"
	// TLSImplicit: TLS from the first byte, "SMTPS" (port 465).
	TLSImplicit TLSMode = "implicit"
)

// AuthMethod is how tinhso signs in to the SMTP server.
type AuthMethod string

// Authentication methods.
const (
	AuthNone  AuthMethod = ""
	AuthPlain AuthMethod = "plain"
	AuthLogin AuthMethod = "login"
)

// SMTPConfig is the SMTP settings an admin edits. Printing it or logging it shows the
// password as "***".
type SMTPConfig struct {
	Host     string
	Port     int     // 0: 587, 465 (implicit) or 25 (off)
	TLS      TLSMode // "" is mandatory
	Auth     AuthMethod
	Username string
	Password string // opened from storage by the caller
	From     string // the sender's address
	FromName string // the sender's name, e.g. "Trung tâm IOC tỉnh Thái Nguyên"
	// HELO is the name tinhso gives the server (default: this machine's host name).
	HELO string
	// Timeout bounds connecting and each command (default 30 s).
	Timeout time.Duration
	// TLSConfig replaces the default (the system's roots, the host as server name),
	// e.g. to trust a private CA.
	TLSConfig *tls.Config
	// Dial connects to the server; give the outbound guard's DialContext so that an
	// admin cannot point SMTP at tinhso's own ports (default: a plain dialer).
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
}

func (c SMTPConfig) redacted() map[string]any {
	pw := "(not set)"
	if c.Password != "" {
		pw = "***"
	}
	return map[string]any{"host": c.Host, "port": c.Port, "tls": c.TLS, "auth": c.Auth, "username": c.Username, "password": pw, "from": c.From}
}

// String shows the settings, the password as "***".
func (c SMTPConfig) String() string { return fmt.Sprint(c.redacted()) }

// Format shows String for every verb.
func (c SMTPConfig) Format(f fmt.State, _ rune) { io.WriteString(f, c.String()) }

// LogValue logs the settings, the password as "***".
func (c SMTPConfig) LogValue() slog.Value {
	r := c.redacted()
	return slog.GroupValue(
		slog.String("host", c.Host), slog.Int("port", c.Port), slog.String("tls", string(c.TLS)),
		slog.String("auth", string(c.Auth)), slog.String("username", c.Username),
		slog.String("password", r["password"].(string)), slog.String("from", c.From))
}

// Validate checks the settings together, naming the field that is wrong.
func (c SMTPConfig) Validate() error {
	if strings.TrimSpace(c.Host) == "" {
		return tinhso.Invalid("host", "err.notify.host")
	}
	if c.Port < 0 || c.Port > 65535 {
		return tinhso.Invalid("port", "err.notify.port")
	}
	switch c.TLS {
	case "", TLSMandatory, TLSOpportunistic, TLSOff, TLSImplicit:
	default:
		return tinhso.Invalid("tls", "err.notify.tls", c.TLS)
	}
	switch c.Auth {
	case AuthNone:
	case AuthPlain, AuthLogin:
		if c.Username == "" {
			return tinhso.Invalid("username", "err.notify.username", strings.ToUpper(string(c.Auth)))
		}
	default:
		return tinhso.Invalid("auth", "err.notify.auth", c.Auth)
	}
	if a, err := mail.ParseAddress(c.From); err != nil || a.Address != strings.TrimSpace(c.From) {
		return tinhso.Invalid("from", "err.notify.from", c.From)
	}
	return nil
}

// Email is one message: a plain-text body and, optionally, an HTML alternative.
type Email struct {
	To      []string
	Subject string
	Text    string
	HTML    string
}

// Mailer sends email over SMTP with go-mail.
type Mailer struct {
	cfg SMTPConfig
	// Now dates the messages (default time.Now).
	Now func() time.Time
}

// NewMailer checks cfg and returns a mailer for it.
func NewMailer(cfg SMTPConfig) (*Mailer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.TLS == "" {
		cfg.TLS = TLSMandatory
	}
	if cfg.Port == 0 {
		cfg.Port = map[TLSMode]int{TLSMandatory: 587, TLSOpportunistic: 587, TLSOff: 25, TLSImplicit: 465}[cfg.TLS]
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	return &Mailer{cfg: cfg}, nil
}

func (m *Mailer) client() (*gomail.Client, error) {
	c := m.cfg
	tlsConf := &tls.Config{MinVersion: tls.VersionTLS12}
	if c.TLSConfig != nil {
		tlsConf = c.TLSConfig.Clone()
	}
	if tlsConf.ServerName == "" {
		tlsConf.ServerName = c.Host
	}
	dial := c.Dial
	if dial == nil {
		d := &net.Dialer{Timeout: c.Timeout}
		dial = d.DialContext
	}
	if c.TLS == TLSImplicit {
		// go-mail wraps TLS itself only with its own dialer; with ours, we do.
		plain := dial
		dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
			conn, err := plain(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			tc := tls.Client(conn, tlsConf)
			if err := tc.HandshakeContext(ctx); err != nil {
				conn.Close()
				return nil, err
			}
			return tc, nil
		}
	}
	opts := []gomail.Option{
		gomail.WithPort(c.Port),
		gomail.WithTimeout(c.Timeout),
		gomail.WithTLSConfig(tlsConf),
		gomail.WithDialContextFunc(dial),
	}
	switch c.TLS {
	case TLSMandatory:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case TLSOpportunistic:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	case TLSOff:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL(), gomail.WithTLSPolicy(gomail.NoTLS))
	}
	switch c.Auth {
	// The encrypted-only variants: go-mail refuses to send the password over a
	// connection that is not encrypted, unless the server is on loopback.
	case AuthPlain:
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthPlain), gomail.WithUsername(c.Username), gomail.WithPassword(c.Password))
	case AuthLogin:
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthLogin), gomail.WithUsername(c.Username), gomail.WithPassword(c.Password))
	}
	if c.HELO != "" {
		opts = append(opts, gomail.WithHELO(c.HELO))
	}
	return gomail.NewClient(c.Host, opts...)
}

func (m *Mailer) message(e Email) (*gomail.Msg, error) {
	msg := gomail.NewMsg(gomail.WithCharset(gomail.CharsetUTF8), gomail.WithEncoding(gomail.EncodingQP), gomail.WithNoDefaultUserAgent())
	if err := msg.FromFormat(m.cfg.FromName, m.cfg.From); err != nil {
		return nil, tinhso.Invalid("from", "err.notify.from", m.cfg.From)
	}
	if len(e.To) == 0 {
		return nil, tinhso.Invalid("to", "err.notify.to")
	}
	if err := msg.To(e.To...); err != nil {
		return nil, tinhso.Invalid("to", "err.notify.recipient", err)
	}
	// A header is one line: a newline in a rendered subject would start a new header.
	msg.Subject(strings.Join(strings.Fields(e.Subject), " "))
	now := time.Now
	if m.Now != nil {
		now = m.Now
	}
	msg.SetDateWithValue(now().In(tinhso.Location))
	msg.SetMessageID()
	msg.SetUserAgent("tinhso")
	msg.SetBodyString(gomail.TypeTextPlain, e.Text)
	if e.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, e.HTML)
	}
	return msg, nil
}

// Send sends the emails over one connection and returns, for each, nil or why it was
// not sent (an email that cannot be built, a recipient refused, a failed connection).
func (m *Mailer) Send(ctx context.Context, emails ...Email) []error {
	errs := make([]error, len(emails))
	var msgs []*gomail.Msg
	var idx []int
	for i, e := range emails {
		msg, err := m.message(e)
		if err != nil {
			errs[i] = err
			continue
		}
		msgs = append(msgs, msg)
		idx = append(idx, i)
	}
	if len(msgs) == 0 {
		return errs
	}
	c, err := m.client()
	if err != nil {
		for _, i := range idx {
			errs[i] = err
		}
		return errs
	}
	err = c.DialAndSendWithContext(ctx, msgs...)
	for k, msg := range msgs {
		switch {
		case msg.HasSendError():
			errs[idx[k]] = msg.SendError()
		case err != nil && !msg.IsDelivered():
			errs[idx[k]] = err
		}
	}
	return errs
}

// EmailOutcome classifies what Send said of one email: nil delivered; a temporary
// refusal (4xx), a failed connection or a timeout retry; a permanent refusal (5xx: no
// such mailbox, authentication failed), a refused destination or an email that cannot
// be built fail.
func EmailOutcome(err error) Outcome {
	if err == nil {
		return Delivered
	}
	switch tinhso.ErrorCode(err) {
	case tinhso.EINVALID, tinhso.EFORBIDDEN:
		return Failed
	}
	var se *gomail.SendError
	if errors.As(err, &se) {
		if se.IsTemp() {
			return Retry
		}
		if se.ErrorCode() >= 500 {
			return Failed
		}
	}
	if code := smtpCode(err); code >= 500 {
		return Failed
	} else if code >= 400 {
		return Retry
	}
	return Retry
}

// smtpCode finds a reply code ("535 5.7.8 …") in an error go-mail returned.
func smtpCode(err error) int {
	for e := err; e != nil; e = errors.Unwrap(e) {
		var code interface{ ErrorCode() int }
		if errors.As(e, &code) && code.ErrorCode() > 0 {
			return code.ErrorCode()
		}
	}
	msg := err.Error()
	for _, f := range strings.FieldsFunc(msg, func(r rune) bool { return r == ' ' || r == ':' }) {
		if len(f) == 3 && (f[0] == '4' || f[0] == '5') {
			if n, err := strconv.Atoi(f); err == nil {
				return n
			}
		}
	}
	return 0
}

// Message keys of the test email (locale/vi.toml, locale/en.toml).
const (
	KeyTestSubject = "notify.test_email.subject" // {host}
	KeyTestBody    = "notify.test_email.body"    // {user} {time} {host}
)

// SendTest sends the email of the "send a test email" button to `to`, in the language
// tr renders, saying who asked for it and when. Its error is a *tinhso.Error (code
// invalid) whose message says what went wrong, for the admin who pressed the button.
func (m *Mailer) SendTest(ctx context.Context, to, requestedBy string, tr Translate) error {
	now := time.Now
	if m.Now != nil {
		now = m.Now
	}
	args := map[string]any{"user": requestedBy, "time": formatTime(now()), "host": m.cfg.Host}
	e := Email{To: []string{to}, Subject: tr(KeyTestSubject, args), Text: tr(KeyTestBody, args)}
	err := m.Send(ctx, e)[0]
	if err == nil {
		return nil
	}
	if c := tinhso.ErrorCode(err); c == tinhso.EINVALID || c == tinhso.EFORBIDDEN {
		return err
	}
	return tinhso.Invalid("smtp", "err.notify.test", err)
}
