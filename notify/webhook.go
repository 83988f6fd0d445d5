package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/locale"
)

// Webhook headers.
const (
	// SignatureHeader carries "t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">".
	SignatureHeader = "X-Tinhso-Signature"
	// DeliveryHeader carries the delivery's id, the same on every retry, so that a
	// receiver can drop a delivery it already has.
	DeliveryHeader = "X-Tinhso-Delivery"
	// EventHeader names what the body is ("notifications", "test").
	EventHeader = "X-Tinhso-Event"
)

// Sign returns the SignatureHeader value for body sent at t with secret.
func Sign(body []byte, secret string, t time.Time) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac(ts, body, secret))
}

func mac(ts string, body []byte, secret string) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(ts))
	m.Write([]byte("."))
	m.Write(body)
	return m.Sum(nil)
}

// Errors of Verify.
var (
	ErrNoSignature        = errors.New("notify: no " + SignatureHeader + " header")
	ErrMalformedSignature = errors.New("notify: the signature header is not t=<unix seconds>,v1=<hex>")
	ErrSignatureExpired   = errors.New("notify: the signature's time is outside the tolerance (a replay, or a clock far off)")
	ErrSignatureMismatch  = errors.New("notify: no v1 signature matches the body and secret")
)

// Verify checks a SignatureHeader value against body and secret, as a receiver would:
// the time must lie within tolerance of now (either way), and one of the v1 values
// (several are allowed, for a secret being rotated) must be the HMAC. Comparisons take
// constant time.
func Verify(header string, body []byte, secret string, tolerance time.Duration) error {
	return VerifyAt(header, body, secret, tolerance, time.Now())
}

// VerifyAt is Verify with the receiver's clock given.
func VerifyAt(header string, body []byte, secret string, tolerance time.Duration, now time.Time) error {
	header = strings.TrimSpace(header)
	if header == "" {
		return ErrNoSignature
	}
	var ts string
	var sigs [][]byte
	for _, part := range strings.Split(header, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return ErrMalformedSignature
		}
		switch k {
		case "t":
			if ts != "" {
				return ErrMalformedSignature
			}
			ts = v
		case "v1":
			b, err := hex.DecodeString(v)
			if err != nil || len(b) != sha256.Size {
				return ErrMalformedSignature
			}
			sigs = append(sigs, b)
		}
		// Other schemes (v2, …) are for later versions: skipped, not refused.
	}
	t, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || len(sigs) == 0 {
		return ErrMalformedSignature
	}
	if d := now.Sub(time.Unix(t, 0)); d > tolerance || -d > tolerance {
		return ErrSignatureExpired
	}
	want := mac(ts, body, secret)
	ok := false
	for _, s := range sigs {
		ok = hmac.Equal(s, want) || ok // no early exit: constant time in the position
	}
	if !ok {
		return ErrSignatureMismatch
	}
	return nil
}

// Endpoint is where a webhook goes.
type Endpoint struct {
	URL    string
	Secret string // opened from storage by the caller; required
}

// Delivery is one body to post.
type Delivery struct {
	ID    string // stable across retries: DeliveryHeader
	Event string // EventHeader
	Body  []byte // JSON
}

// Outcome classifies an attempt.
type Outcome string

// Outcomes.
const (
	Delivered Outcome = "delivered" // 2xx
	Retry     Outcome = "retry"     // worth trying again later
	Failed    Outcome = "failed"    // permanent: retrying cannot help; dead-letter it
)

// Result is what one attempt came to, for the delivery log and the dead-letter list.
type Result struct {
	Outcome Outcome
	Status  int    // the HTTP status, 0 when there was no answer
	Error   string // why it was not delivered, for admins
	// RetryAfter is what the endpoint asked for (Retry-After on 429 or 503); the caller
	// waits at least that long.
	RetryAfter time.Duration
	Response   string // the start of the answer's body
	Duration   time.Duration
}

// Classify says what an HTTP status, or the error of an attempt that got none, means
// for retrying: 2xx delivered; 408, 429 and 5xx retry; other statuses (4xx, and 3xx:
// webhooks do not follow redirects) fail. Errors retry (timeouts, refused
// connections, DNS failures), except tinhso errors with code invalid or forbidden, which
// is how the outbound guard refuses a destination: a refused URL stays refused.
func Classify(status int, err error) Outcome {
	if err != nil {
		switch tinhso.ErrorCode(err) {
		case tinhso.EINVALID, tinhso.EFORBIDDEN:
			return Failed
		}
		return Retry
	}
	switch {
	case status >= 200 && status < 300:
		return Delivered
	case status == http.StatusRequestTimeout, status == http.StatusTooManyRequests, status >= 500:
		return Retry
	}
	return Failed
}

// Webhooks posts signed deliveries.
type Webhooks struct {
	// Client sends the requests: the outbound guard's client (netguard), whose
	// transport refuses loopback, metadata and the like. Its redirects are not
	// followed (a redirect fails the delivery), as GitHub and Stripe do.
	Client *http.Client
	// Now is the clock the signature's time comes from (default time.Now).
	Now func() time.Time
	// UserAgent is sent as User-Agent (default "tinhso-webhook/1").
	UserAgent string
}

// responseSnippet is how much of an answer's body a Result keeps.
const responseSnippet = 512

// Send posts d to e once and says how it went. It never panics on a bad endpoint: every
// failure is in the Result.
func (w *Webhooks) Send(ctx context.Context, e Endpoint, d Delivery) Result {
	now := time.Now
	if w.Now != nil {
		now = w.Now
	}
	if e.Secret == "" {
		return Result{Outcome: Failed, Error: "the webhook has no secret to sign with"}
	}
	if w.Client == nil {
		return Result{Outcome: Failed, Error: "notify: Webhooks.Client is not set"}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.URL, bytes.NewReader(d.Body))
	if err != nil {
		return Result{Outcome: Failed, Error: "the webhook URL cannot be read"}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", cmpOr(w.UserAgent, "tinhso-webhook/1"))
	req.Header.Set(SignatureHeader, Sign(d.Body, e.Secret, now()))
	if d.ID != "" {
		req.Header.Set(DeliveryHeader, d.ID)
	}
	if d.Event != "" {
		req.Header.Set(EventHeader, d.Event)
	}

	c := *w.Client
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	start := time.Now()
	resp, err := c.Do(req)
	r := Result{Duration: time.Since(start)}
	if err != nil {
		r.Outcome = Classify(0, err)
		r.Error = errorText(err)
		return r
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, responseSnippet))
	// Drain a little more so the connection can be reused, not a hostile amount.
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	r.Status = resp.StatusCode
	r.Response = validUTF8(body)
	r.Outcome = Classify(resp.StatusCode, nil)
	switch {
	case r.Outcome == Delivered:
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		r.Error = fmt.Sprintf("the endpoint redirected (%s) to %q; webhooks do not follow redirects: set the final URL", resp.Status, resp.Header.Get("Location"))
	default:
		r.Error = "the endpoint answered " + resp.Status
	}
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
		r.RetryAfter = retryAfter(resp.Header.Get("Retry-After"), now())
	}
	return r
}

// errorText says why an attempt got no answer, without the url.Error around it (the
// URL may carry a token in its query).
func errorText(err error) string {
	if tinhso.ErrorCode(err) != tinhso.EINTERNAL {
		return locale.For(locale.EN).Error(err) // the delivery log is in English
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if isTimeout(err) || errors.Is(err, context.DeadlineExceeded) {
		return "no answer in time: " + err.Error()
	}
	return err.Error()
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

func validUTF8(b []byte) string {
	return strings.ToValidUTF8(string(b), "\uFFFD")
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// RetryPolicy is the back-off schedule of failed deliveries.
type RetryPolicy struct {
	Base        time.Duration // the wait after the first failure
	Max         time.Duration // the longest wait
	MaxAttempts int           // attempts in all; after the last failure, the dead-letter list
	Jitter      float64       // spread, as a fraction of the wait (0.2: ±20 %)
}

// DefaultRetry waits 30 s, 1 min, 2 min, … up to 6 h between attempts, ±20 %, and gives
// up after 10 attempts (about a day and a half in all).
var DefaultRetry = RetryPolicy{Base: 30 * time.Second, Max: 6 * time.Hour, MaxAttempts: 10, Jitter: 0.2}

// Next returns how long to wait after the attempts-th failed attempt (1 after the
// first), or dead = true when no attempt is left. The jitter comes from a hash of key
// (the delivery id) and attempts, not from a random source: the function is pure, so
// every node computes the same time for the same delivery, and deliveries that failed
// together still spread out.
func (p RetryPolicy) Next(attempts int, key string) (wait time.Duration, dead bool) {
	if attempts >= p.MaxAttempts {
		return 0, true
	}
	if attempts < 1 {
		attempts = 1
	}
	d := float64(p.Base) * math.Pow(2, float64(attempts-1))
	if d > float64(p.Max) {
		d = float64(p.Max)
	}
	h := fnv.New64a()
	fmt.Fprintf(h, "%s:%d", key, attempts)
	u := float64(h.Sum64()>>11) / (1 << 53) // uniform in [0, 1)
	d *= 1 + p.Jitter*(2*u-1)
	if d > float64(p.Max) {
		d = float64(p.Max)
	}
	return time.Duration(d), false
}
