// Package httpx is what the JSON API (api) and the pages (web) share: recognising
// callers (sessions, API tokens, CSRF), the route table that carries each route's
// permission and makes the OpenAPI document, JSON errors and answers, strict request
// decoding and query parsing, and the middleware around every request.
package httpx

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/tinhso/tinhso"
)

// Config is the settings the API and the pages share, one value for both; set it
// before serving (tests change Now and TrustProxy on a running server).
type Config struct {
	// Now is the clock of sign-ins, sessions, tokens and today's date on the pages.
	Now func() time.Time
	// MaxBodyBytes bounds request bodies.
	MaxBodyBytes int64
	// PublicURL, when set, is the address the open-data catalogue's links use instead
	// of the request's Host (which a client chooses).
	PublicURL string
	// PublicBoard: the operations board (/) is open to anonymous visitors, for
	// provinces that publish it; by default it needs sign-in (the public portal is
	// the public face).
	PublicBoard bool
	// TrustProxy: the server is behind a reverse proxy that sets X-Forwarded-Proto and
	// X-Forwarded-For; only then are they believed.
	TrustProxy bool
	Log        *slog.Logger
}

// NewConfig returns the default settings.
func NewConfig(log *slog.Logger) *Config {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Config{Now: time.Now, MaxBodyBytes: 1 << 20, Log: log}
}

// Today is the date in the province (yyyy-mm-dd) by the config's clock.
func (c *Config) Today() string { return c.Now().In(tinhso.Location).Format("2006-01-02") }

// Wrap puts the middleware of every request around h: panic recovery, logging of
// failures (of everything at debug level), nosniff, and refusal of a path or query
// that is not valid UTF-8 or holds control characters; the path and query values are
// put into NFC.
func Wrap(h http.Handler, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rw := &statusWriter{ResponseWriter: w, status: 200}
		defer func() {
			if v := recover(); v != nil {
				log.Error("panic", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(v))
				Error(rw, r, fmt.Errorf("panic: %v", v))
			}
			if log.Enabled(r.Context(), slog.LevelDebug) || rw.status >= 500 {
				log.Log(r.Context(), levelFor(rw.status), "request", "method", r.Method, "path", r.URL.Path, "status", rw.status,
					"duration_ms", float64(time.Since(start).Microseconds())/1000)
			}
		}()
		rw.Header().Set("X-Content-Type-Options", "nosniff")
		if err := checkURL(r); err != nil {
			Error(rw, r, err)
			return
		}
		normalizeURL(r)
		h.ServeHTTP(rw, r)
	})
}

// checkURL refuses a path or query that is not valid UTF-8 or holds control
// characters: no record has such a key, and PostgreSQL would refuse a NUL.
func checkURL(r *http.Request) error {
	for _, part := range []struct{ name, val string }{{"path", r.URL.Path}, {"query", r.URL.RawQuery}} {
		val := part.val
		if part.name == "query" {
			if q, err := url.QueryUnescape(val); err == nil {
				val = q
			} else {
				return tinhso.Invalid("query", "err.http.query", err)
			}
		}
		if !utf8.ValidString(val) {
			return tinhso.Invalid(part.name, "err.http.part_utf8", part.name)
		}
		for _, c := range val {
			if c < 0x20 || c == 0x7f {
				return tinhso.Invalid(part.name, "err.http.part_control", part.name, c)
			}
		}
	}
	return nil
}

// normalizeURL puts the path and query values into NFC, so a decomposed "Thái Nguyên"
// finds what the composed one does.
func normalizeURL(r *http.Request) {
	if !norm.NFC.IsNormalString(r.URL.Path) {
		r.URL.Path = norm.NFC.String(r.URL.Path)
		r.URL.RawPath = ""
	}
	if q := r.URL.RawQuery; q != "" {
		if dq, err := url.QueryUnescape(q); err == nil && !norm.NFC.IsNormalString(dq) {
			vals := r.URL.Query()
			for k, vs := range vals {
				for i := range vs {
					vs[i] = norm.NFC.String(vs[i])
				}
				vals[k] = vs
			}
			r.URL.RawQuery = vals.Encode()
		}
	}
}

func levelFor(status int) slog.Level {
	if status >= 500 {
		return slog.LevelError
	}
	return slog.LevelDebug
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController and MaxBytesReader reach the connection.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// NoStoreWriter keeps a signed-in page (its CSRF token, a one-time password) out of
// caches: whatever Cache-Control was set, the answer goes out with no-store.
type NoStoreWriter struct{ http.ResponseWriter }

// WriteHeader sets no-store and writes the status.
func (w *NoStoreWriter) WriteHeader(code int) {
	w.Header().Set("Cache-Control", "no-store")
	w.ResponseWriter.WriteHeader(code)
}

func (w *NoStoreWriter) Write(b []byte) (int, error) { return w.ResponseWriter.Write(b) }

// Unwrap lets http.ResponseController and MaxBytesReader reach the connection.
func (w *NoStoreWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
