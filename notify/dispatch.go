package notify

import (
	"context"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/locale"
)

// Dispatcher sends the use-cases' digests (tinhso.Dispatch) as signed webhooks and
// email: the tinhso.Dispatcher the alerts are wired with. Its parts come from the
// command: the outbound guard's client, dialer and URL check.
type Dispatcher struct {
	// Client posts webhooks (the guard's); Check is the guard's check of a URL; Dial
	// connects to the SMTP server (the guard's DialContext; nil: a plain dialer).
	Client *http.Client
	Check  func(ctx context.Context, url string) error
	Dial   func(ctx context.Context, network, addr string) (net.Conn, error)
	// Retry is the back-off of failed deliveries (DefaultRetry when zero).
	Retry RetryPolicy
	// Options says where links point.
	Options RenderOptions
	// Now is the clock of signatures and dates (default time.Now).
	Now func() time.Time
}

var _ tinhso.Dispatcher = (*Dispatcher)(nil)

func (d *Dispatcher) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now()
}

// translator renders keys in a language, named arguments as the catalogues take them.
func translator(lang string) Translate {
	l, ok := locale.Parse(lang)
	if !ok {
		l = locale.VI
	}
	p := locale.For(l)
	return func(key string, args map[string]any) string {
		if args == nil {
			return p.T(key)
		}
		return p.T(key, args)
	}
}

// items turns the outbox rows into notify's items.
func items(d tinhso.Dispatch) []Item {
	out := make([]Item, len(d.Items))
	for i, o := range d.Items {
		var args map[string]any
		if len(o.Message.Args) == 1 {
			args, _ = o.Message.Args[0].(map[string]any)
		}
		out[i] = Item{ID: o.ID, Recipient: d.Recipient, Channel: Channel(d.Channel), Severity: Severity(o.Severity),
			Message: Message{Key: o.Message.Key, Args: args}, Link: o.Link, CreatedAt: o.CreatedAt}
	}
	return out
}

// Dispatch sends one digest and says how it went.
func (d *Dispatcher) Dispatch(ctx context.Context, dp tinhso.Dispatch) tinhso.DispatchResult {
	tr := translator(dp.Lang)
	switch dp.Channel {
	case tinhso.ChannelWebhook:
		g := Group(items(dp))
		if len(g) != 1 {
			return tinhso.DispatchResult{Outcome: string(Failed), Error: "nothing to send"}
		}
		body, err := RenderWebhook(g[0], tr, d.Options)
		if err != nil {
			return tinhso.DispatchResult{Outcome: string(Failed), Error: err.Error()}
		}
		w := &Webhooks{Client: d.Client, Now: d.now}
		r := w.Send(ctx, Endpoint{URL: dp.To, Secret: dp.Secret},
			Delivery{ID: "tinhso-" + strconv.FormatInt(dp.Delivery, 10), Event: "notifications", Body: body})
		return tinhso.DispatchResult{Outcome: string(r.Outcome), Status: r.Status, Error: r.Error, RetryAfter: r.RetryAfter}
	case tinhso.ChannelEmail, "email_test":
		m, err := NewMailer(d.smtpConfig(dp))
		if err != nil {
			return tinhso.DispatchResult{Outcome: string(Failed), Error: locale.For(locale.EN).Error(err)}
		}
		m.Now = d.now
		if dp.Channel == "email_test" {
			if err := m.SendTest(ctx, dp.To, dp.Recipient, tr); err != nil {
				return tinhso.DispatchResult{Outcome: string(Failed), Error: locale.For(locale.EN).Error(err)}
			}
			return tinhso.DispatchResult{Outcome: string(Delivered)}
		}
		g := Group(items(dp))
		if len(g) != 1 {
			return tinhso.DispatchResult{Outcome: string(Failed), Error: "nothing to send"}
		}
		r := RenderEmail(g[0], tr, d.Options)
		err = m.Send(ctx, Email{To: []string{dp.To}, Subject: r.Subject, Text: r.Text, HTML: r.HTML})[0]
		res := tinhso.DispatchResult{Outcome: string(EmailOutcome(err))}
		if err != nil {
			res.Error = strings.TrimSpace(err.Error())
		}
		return res
	}
	return tinhso.DispatchResult{Outcome: string(Failed), Error: "no channel " + dp.Channel}
}

func (d *Dispatcher) smtpConfig(dp tinhso.Dispatch) SMTPConfig {
	s := dp.SMTP
	if s == nil {
		s = &tinhso.SMTPSettings{}
	}
	return SMTPConfig{Host: s.Host, Port: s.Port, TLS: TLSMode(s.TLS), Auth: AuthMethod(s.Auth), Username: s.Username, Password: dp.Password,
		From: s.From, FromName: s.FromName, Dial: d.Dial}
}

// Backoff is the retry policy's wait after the attempts-th failure.
func (d *Dispatcher) Backoff(attempts int, key string) (time.Duration, bool) {
	p := d.Retry
	if p.MaxAttempts == 0 {
		p = DefaultRetry
	}
	return p.Next(attempts, key)
}

// CheckURL is the outbound guard's check of a webhook URL.
func (d *Dispatcher) CheckURL(ctx context.Context, url string) error {
	if d.Check == nil {
		return nil
	}
	return d.Check(ctx, url)
}
