package httpx

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/tinhso/tinhso"
)

// Reads bounds how many pages and JSON reads are worked on at once: each holds its
// read model and its answer in memory while it is made, so a thousand readers at once
// would hold a thousand of them (the server's memory grows with the crowd, not with the
// data) and share the cores no faster. The others wait their turn, in the order the
// runtime wakes them; one that waits longer than the wait is answered 503 with
// Retry-After (a last resort: a queue that long means the server cannot keep up).
//
// Not bounded: what is cheap or long-lived (static assets, health, streams, live-data
// writes) and every write (they have their own limits and must not starve).
type Reads struct {
	slots chan struct{}
	wait  time.Duration
}

// NewReads allows n reads at once, each waiting at most wait for its turn.
func NewReads(n int, wait time.Duration) *Reads {
	return &Reads{slots: make(chan struct{}, max(n, 1)), wait: wait}
}

// bounded says whether a request takes a slot.
func bounded(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	p := r.URL.Path
	switch {
	case strings.HasPrefix(p, "/assets/"), p == "/healthz", p == "/metrics", strings.HasSuffix(p, "/stream"),
		strings.HasPrefix(p, "/api/v2/"), p == "/write", p == "/favicon.ico":
		return false
	}
	return true
}

// Wrap bounds the reads of h.
func (l *Reads) Wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !bounded(r) {
			h.ServeHTTP(w, r)
			return
		}
		select {
		case l.slots <- struct{}{}:
		default:
			ctx, cancel := context.WithTimeout(r.Context(), l.wait)
			defer cancel()
			select {
			case l.slots <- struct{}{}:
			case <-ctx.Done():
				if r.Context().Err() != nil {
					return // the client went away
				}
				w.Header().Set("Retry-After", "5")
				body := Body(r, tinhso.Errorf("unavailable", "err.perf.busy"))
				body.Code = "unavailable"
				WriteJSON(w, http.StatusServiceUnavailable, body)
				return
			}
		}
		defer func() { <-l.slots }()
		h.ServeHTTP(w, r)
	})
}
