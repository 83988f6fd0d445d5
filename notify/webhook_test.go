package notify_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/notify"
)

const whSecret = "whsec_thái-nguyên-2026"

func TestSignVerify(t *testing.T) {
	t.Parallel()
	body := []byte(`{"type":"notifications","items":[{"text":"Nhiệm vụ 12 quá hạn"}]}`)
	at := time.Unix(1_780_000_000, 0)
	h := notify.Sign(body, whSecret, at)
	if !strings.HasPrefix(h, "t=1780000000,v1=") || len(h) != len("t=1780000000,v1=")+64 {
		t.Fatalf("header %q", h)
	}
	ok := func(now time.Time) error { return notify.VerifyAt(h, body, whSecret, 5*time.Minute, now) }
	if err := ok(at.Add(4 * time.Minute)); err != nil {
		t.Fatalf("valid: %v", err)
	}
	cases := []struct {
		name   string
		header string
		body   []byte
		secret string
		now    time.Time
		want   error
	}{
		{"body changed", h, append([]byte(nil), append(body, ' ')...), whSecret, at, notify.ErrSignatureMismatch},
		{"wrong secret", h, body, "other", at, notify.ErrSignatureMismatch},
		{"too old", h, body, whSecret, at.Add(6 * time.Minute), notify.ErrSignatureExpired},
		{"from the future", h, body, whSecret, at.Add(-6 * time.Minute), notify.ErrSignatureExpired},
		{"time changed", strings.Replace(h, "t=1780000000", "t=1780000001", 1), body, whSecret, at, notify.ErrSignatureMismatch},
		{"empty", "", body, whSecret, at, notify.ErrNoSignature},
		{"no time", h[strings.Index(h, "v1="):], body, whSecret, at, notify.ErrMalformedSignature},
		{"no v1", "t=1780000000", body, whSecret, at, notify.ErrMalformedSignature},
		{"short v1", "t=1780000000,v1=abcd", body, whSecret, at, notify.ErrMalformedSignature},
		{"two times", "t=1,t=2," + h[strings.Index(h, "v1="):], body, whSecret, at, notify.ErrMalformedSignature},
		{"garbage", "signature", body, whSecret, at, notify.ErrMalformedSignature},
	}
	for _, tc := range cases {
		if err := notify.VerifyAt(tc.header, tc.body, tc.secret, 5*time.Minute, tc.now); !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, err, tc.want)
		}
	}
	// While a secret is rotated, a sender may sign with both; either verifies.
	old := notify.Sign(body, "old secret", at)
	both := h + "," + old[strings.Index(old, "v1="):] + ",v2=future-scheme"
	if err := notify.VerifyAt(both, body, "old secret", time.Minute, at); err != nil {
		t.Errorf("two signatures: %v", err)
	}
	// The signature is over "<t>.<body>", as documented: a receiver in any language can
	// compute it from the header alone.
	if err := notify.Verify(notify.Sign(body, whSecret, time.Now()), body, whSecret, time.Minute); err != nil {
		t.Errorf("Verify now: %v", err)
	}
}

// receiver is a webhook endpoint on loopback that verifies what it gets.
type receiver struct {
	*httptest.Server
	got      atomic.Int64
	verified atomic.Int64
	status   atomic.Int64
	header   atomic.Value // http.Header of the last request
}

func newReceiver(t *testing.T, handler func(w http.ResponseWriter, r *http.Request)) *receiver {
	t.Helper()
	rc := &receiver{}
	rc.status.Store(200)
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc.got.Add(1)
		body, _ := io.ReadAll(r.Body)
		rc.header.Store(r.Header.Clone())
		if notify.Verify(r.Header.Get(notify.SignatureHeader), body, whSecret, time.Minute) == nil {
			rc.verified.Add(1)
		}
		if handler != nil {
			handler(w, r)
			return
		}
		w.WriteHeader(int(rc.status.Load()))
		io.WriteString(w, "đã nhận")
	}))
	t.Cleanup(rc.Close)
	return rc
}

func TestWebhookSend(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, nil)
	w := &notify.Webhooks{Client: rc.Client()}
	d := notify.Delivery{ID: "d-42", Event: "notifications", Body: []byte(`{"count":1}`)}
	r := w.Send(context.Background(), notify.Endpoint{URL: rc.URL + "/hook", Secret: whSecret}, d)
	if r.Outcome != notify.Delivered || r.Status != 200 || r.Response != "đã nhận" || r.Error != "" {
		t.Fatalf("%+v", r)
	}
	if rc.verified.Load() != 1 {
		t.Fatal("the receiver could not verify the signature")
	}
	h := rc.header.Load().(http.Header)
	for k, v := range map[string]string{"Content-Type": "application/json", notify.DeliveryHeader: "d-42", notify.EventHeader: "notifications", "User-Agent": "tinhso-webhook/1"} {
		if h.Get(k) != v {
			t.Errorf("%s: %q, want %q", k, h.Get(k), v)
		}
	}

	for _, tc := range []struct {
		status int
		want   notify.Outcome
	}{
		{204, notify.Delivered}, {500, notify.Retry}, {502, notify.Retry}, {503, notify.Retry},
		{408, notify.Retry}, {429, notify.Retry}, {400, notify.Failed}, {401, notify.Failed},
		{404, notify.Failed}, {410, notify.Failed}, {422, notify.Failed},
	} {
		rc.status.Store(int64(tc.status))
		r := w.Send(context.Background(), notify.Endpoint{URL: rc.URL, Secret: whSecret}, d)
		if r.Outcome != tc.want || r.Status != tc.status {
			t.Errorf("status %d: %+v, want %s", tc.status, r, tc.want)
		}
		if tc.want != notify.Delivered && !strings.Contains(r.Error, fmt.Sprint(tc.status)) {
			t.Errorf("status %d: error %q does not say it", tc.status, r.Error)
		}
	}

	if r := w.Send(context.Background(), notify.Endpoint{URL: rc.URL}, d); r.Outcome != notify.Failed || rc.got.Load() != 12 {
		t.Errorf("without a secret: %+v (requests %d)", r, rc.got.Load())
	}
}

func TestWebhookRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	rc := newReceiver(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/date" {
			w.Header().Set("Retry-After", now.Add(90*time.Second).Format(http.TimeFormat))
			w.WriteHeader(503)
			return
		}
		w.Header().Set("Retry-After", "120")
		w.WriteHeader(429)
	})
	w := &notify.Webhooks{Client: rc.Client(), Now: func() time.Time { return now }}
	r := w.Send(context.Background(), notify.Endpoint{URL: rc.URL, Secret: whSecret}, notify.Delivery{Body: []byte("{}")})
	if r.Outcome != notify.Retry || r.RetryAfter != 2*time.Minute {
		t.Errorf("seconds: %+v", r)
	}
	r = w.Send(context.Background(), notify.Endpoint{URL: rc.URL + "/date", Secret: whSecret}, notify.Delivery{Body: []byte("{}")})
	if r.Outcome != notify.Retry || r.RetryAfter != 90*time.Second {
		t.Errorf("date: %+v", r)
	}
}

func TestWebhookNoRedirect(t *testing.T) {
	t.Parallel()
	final := newReceiver(t, nil)
	rc := newReceiver(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, final.URL, http.StatusTemporaryRedirect)
	})
	w := &notify.Webhooks{Client: rc.Client()}
	r := w.Send(context.Background(), notify.Endpoint{URL: rc.URL, Secret: whSecret}, notify.Delivery{Body: []byte("{}")})
	if r.Outcome != notify.Failed || r.Status != 307 || !strings.Contains(r.Error, final.URL) {
		t.Errorf("%+v", r)
	}
	if final.got.Load() != 0 {
		t.Error("the redirect was followed")
	}
}

func TestWebhookNoAnswer(t *testing.T) {
	t.Parallel()
	stop := make(chan struct{})
	slow := newReceiver(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-stop:
		case <-r.Context().Done():
		}
	})
	t.Cleanup(func() { close(stop) })
	c := slow.Client()
	c.Timeout = 100 * time.Millisecond
	w := &notify.Webhooks{Client: c}
	r := w.Send(context.Background(), notify.Endpoint{URL: slow.URL, Secret: whSecret}, notify.Delivery{Body: []byte("{}")})
	if r.Outcome != notify.Retry || r.Status != 0 || !strings.Contains(r.Error, "no answer in time") {
		t.Errorf("timeout: %+v", r)
	}

	closed := httptest.NewServer(http.NotFoundHandler())
	url := closed.URL
	closed.Close() // nothing listens there now: the connection is refused
	r = (&notify.Webhooks{Client: http.DefaultClient}).Send(context.Background(), notify.Endpoint{URL: url, Secret: whSecret}, notify.Delivery{Body: []byte("{}")})
	if r.Outcome != notify.Retry || r.Error == "" {
		t.Errorf("connection refused: %+v", r)
	}
}

// refusingTransport stands for the outbound guard: it refuses as netguard does, with a
// *tinhso.Error of code forbidden.
type refusingTransport struct{}

func (refusingTransport) RoundTrip(*http.Request) (*http.Response, error) {
	return nil, &tinhso.Error{Code: tinhso.EFORBIDDEN, Key: "netguard.refused.loopback", Args: tinhso.Args{map[string]any{"host": "127.0.0.1", "addr": "127.0.0.1"}}}
}

func TestWebhookRefusedByGuard(t *testing.T) {
	t.Parallel()
	w := &notify.Webhooks{Client: &http.Client{Transport: refusingTransport{}}}
	r := w.Send(context.Background(), notify.Endpoint{URL: "http://127.0.0.1/", Secret: whSecret}, notify.Delivery{Body: []byte("{}")})
	if r.Outcome != notify.Failed || !strings.HasPrefix(r.Error, "Refused to connect to 127.0.0.1") {
		t.Errorf("%+v", r)
	}
	if r := w.Send(context.Background(), notify.Endpoint{URL: "http://[::1", Secret: whSecret}, notify.Delivery{}); r.Outcome != notify.Failed {
		t.Errorf("bad URL: %+v", r)
	}
}

func TestClassify(t *testing.T) {
	t.Parallel()
	cases := []struct {
		status int
		err    error
		want   notify.Outcome
	}{
		{200, nil, notify.Delivered}, {201, nil, notify.Delivered}, {299, nil, notify.Delivered},
		{301, nil, notify.Failed}, {304, nil, notify.Failed}, {400, nil, notify.Failed}, {403, nil, notify.Failed},
		{408, nil, notify.Retry}, {429, nil, notify.Retry}, {499, nil, notify.Failed},
		{500, nil, notify.Retry}, {504, nil, notify.Retry}, {599, nil, notify.Retry},
		{0, context.DeadlineExceeded, notify.Retry}, {0, errors.New("connection refused"), notify.Retry},
		{0, tinhso.Errorf(tinhso.EFORBIDDEN, "refused"), notify.Failed},
		{0, fmt.Errorf("Post: %w", tinhso.Errorf(tinhso.EINVALID, "scheme")), notify.Failed},
	}
	for _, tc := range cases {
		if got := notify.Classify(tc.status, tc.err); got != tc.want {
			t.Errorf("Classify(%d, %v) = %s, want %s", tc.status, tc.err, got, tc.want)
		}
	}
}

func TestRetryPolicy(t *testing.T) {
	t.Parallel()
	p := notify.RetryPolicy{Base: 30 * time.Second, Max: time.Hour, MaxAttempts: 9}
	want := []time.Duration{30 * time.Second, time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 16 * time.Minute, 32 * time.Minute, time.Hour}
	for i, w := range want {
		got, dead := p.Next(i+1, "d-1")
		if dead || got != w {
			t.Errorf("after attempt %d: %s (dead %v), want %s", i+1, got, dead, w)
		}
	}
	if _, dead := p.Next(9, "d-1"); !dead {
		t.Error("the ninth failure of nine is not dead")
	}

	j := notify.DefaultRetry
	var total time.Duration
	spread := map[time.Duration]bool{}
	for n := 1; n < j.MaxAttempts; n++ {
		base := min(j.Base<<(n-1), j.Max)
		d, dead := j.Next(n, "delivery-7")
		if dead {
			t.Fatalf("dead after %d", n)
		}
		again, _ := j.Next(n, "delivery-7")
		if d != again {
			t.Errorf("attempt %d: %s then %s: not pure", n, d, again)
		}
		lo, hi := time.Duration(float64(base)*(1-j.Jitter)), min(time.Duration(float64(base)*(1+j.Jitter)), j.Max)
		if d < lo || d > hi {
			t.Errorf("attempt %d: %s outside [%s, %s]", n, d, lo, hi)
		}
		total += d
	}
	for k := range 50 {
		d, _ := j.Next(3, fmt.Sprint("delivery-", k))
		spread[d] = true
	}
	if len(spread) < 40 {
		t.Errorf("50 deliveries failing together wait only %d distinct times", len(spread))
	}
	if _, dead := j.Next(j.MaxAttempts, "x"); !dead {
		t.Error("the last attempt is not dead")
	}
	t.Logf("DefaultRetry: %d attempts over %s", j.MaxAttempts, total.Round(time.Minute))
}
