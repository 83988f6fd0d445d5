package server

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/bus"
	"github.com/tinhso/tinhso/httpx"
	"github.com/tinhso/tinhso/ingest"
)

// The live streams (issue 13): GET /api/v1/series/{key}/stream and
// GET /api/v1/series/stream?key=a&key=b, server-sent events of the points the writer
// commits, fed from the bus's live subject.
//
// A hub numbers every committed point (one sequence per process) and keeps the last
// ringSize of them in a ring of fixed size; a stream reads the ring from its cursor
// when the hub wakes it. So memory does not grow with subscribers or with a slow one:
// a stream that falls more than the ring behind, or resumes from a Last-Event-ID the
// ring no longer holds (or of an earlier process), gets a "reset" event and reloads
// the series through the points API.
const ringSize = 1 << 16

type livePoint struct {
	series int64
	t      int64
	v      float64
}

type hub struct {
	epoch string
	mu    sync.RWMutex
	ring  [ringSize]livePoint
	next  uint64 // the sequence the next point gets; the first is 1
	subs  map[chan struct{}]struct{}
}

func newHub() *hub {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return &hub{epoch: fmt.Sprintf("%08x", binary.BigEndian.Uint32(b[:])), next: 1, subs: map[chan struct{}]struct{}{}}
}

// run takes the writer's broadcasts until ctx ends.
func (h *hub) run(ctx context.Context, b bus.Bus) {
	ch, cancel := b.Subscribe(ingest.SubjectLive, 1024)
	defer cancel()
	var series []tinhso.SeriesPoints
	for {
		select {
		case <-ctx.Done():
			return
		case data := <-ch:
			var err error
			if series, err = ingest.DecodeBatch(series[:0], data); err != nil {
				continue
			}
			h.mu.Lock()
			for _, s := range series {
				for _, p := range s.Points {
					h.ring[h.next%ringSize] = livePoint{s.SeriesID, p.T, p.V}
					h.next++
				}
			}
			for c := range h.subs {
				select {
				case c <- struct{}{}:
				default:
				}
			}
			h.mu.Unlock()
		}
	}
}

func (h *hub) subscribe() (chan struct{}, func()) {
	c := make(chan struct{}, 1)
	h.mu.Lock()
	h.subs[c] = struct{}{}
	h.mu.Unlock()
	return c, func() {
		h.mu.Lock()
		delete(h.subs, c)
		h.mu.Unlock()
	}
}

// read appends to dst the points of ids after sequence cursor, at most max, and
// returns them with the new cursor; lost is true when the ring no longer holds what
// follows cursor.
func (h *hub) read(dst []seqPoint, cursor uint64, ids map[int64]string, max int) (_ []seqPoint, next uint64, lost bool) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	if cursor >= h.next {
		return dst, h.next - 1, cursor > h.next-1 && cursor != 0
	}
	oldest := uint64(1)
	if h.next > ringSize {
		oldest = h.next - ringSize
	}
	if cursor+1 < oldest {
		return dst, h.next - 1, true
	}
	seq := cursor + 1
	for ; seq < h.next && len(dst) < max; seq++ {
		p := h.ring[seq%ringSize]
		if _, ok := ids[p.series]; ok {
			dst = append(dst, seqPoint{seq, p})
		}
	}
	return dst, seq - 1, false
}

type seqPoint struct {
	seq uint64
	livePoint
}

func (h *hub) last() uint64 {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.next - 1
}

// parseEventID reads "epoch-seq"; ok is false for another process's id or a malformed one.
func (h *hub) parseEventID(id string) (uint64, bool) {
	ep, s, found := strings.Cut(id, "-")
	if !found || ep != h.epoch {
		return 0, false
	}
	n, err := strconv.ParseUint(s, 10, 64)
	return n, err == nil
}

// maxStreamKeys bounds the series of one stream.
const maxStreamKeys = 100

func (l *Live) streamRoutes(store tinhso.SeriesStore) []httpx.Route {
	desc := " Server-sent events: \"point\" {series, time, value} for each committed point, id epoch-sequence; " +
		"a reconnection with Last-Event-ID resumes after it, or gets \"reset\" when the server no longer holds what followed (reload the points then); \"ready\" first, with the current id."
	return []httpx.Route{
		{Method: "GET", Path: "/api/v1/series/{key}/stream", Summary: "Live points of a series." + desc, Action: tinhso.ActReadSeries,
			Resp: "text/event-stream", Handler: func(w http.ResponseWriter, r *http.Request) {
				l.serveStream(w, r, store, []string{r.PathValue("key")})
			}},
		{Method: "GET", Path: "/api/v1/series/stream", Summary: "Live points of several series (key repeated, at most 100)." + desc, Action: tinhso.ActReadSeries,
			Query: []httpx.Param{{Name: "key", Type: "string", Desc: "a series key; repeat it for more series"}},
			Resp:  "text/event-stream", Handler: func(w http.ResponseWriter, r *http.Request) {
				l.serveStream(w, r, store, r.URL.Query()["key"])
			}},
	}
}

func (l *Live) serveStream(w http.ResponseWriter, r *http.Request, store tinhso.SeriesStore, keys []string) {
	ctx := r.Context()
	for name := range r.URL.Query() {
		if name != "key" && name != "lang" {
			httpx.Error(w, r, tinhso.Invalid(name, "err.stream.param", name))
			return
		}
	}
	if len(keys) == 0 {
		httpx.Error(w, r, tinhso.Invalid("key", "err.stream.no_key"))
		return
	}
	if len(keys) > maxStreamKeys {
		httpx.Error(w, r, tinhso.Invalid("key", "err.stream.too_many", len(keys), maxStreamKeys))
		return
	}
	ids := map[int64]string{}
	for _, k := range keys {
		s, err := store.FindSeriesByKey(ctx, k)
		if err != nil {
			httpx.Error(w, r, err)
			return
		}
		ids[s.ID] = s.Key
	}
	h := l.hub
	wake, cancel := h.subscribe()
	defer cancel()
	cursor := h.last()
	reset := false
	if id := r.Header.Get("Last-Event-ID"); id != "" {
		if c, ok := h.parseEventID(id); ok && c <= cursor {
			cursor = c
		} else {
			reset = true
		}
	}
	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	var buf []byte
	flush := func() bool {
		_ = rc.SetWriteDeadline(time.Now().Add(30 * time.Second))
		if _, err := w.Write(buf); err != nil {
			return false
		}
		buf = buf[:0]
		return rc.Flush() == nil
	}
	event := func(name string, seq uint64, data []byte) {
		buf = fmt.Appendf(buf, "id: %s-%d\nevent: %s\ndata: %s\n\n", h.epoch, seq, name, data)
	}
	buf = append(buf, "retry: 2000\n"...)
	if reset {
		event("reset", cursor, []byte(`{"reason":"the points after Last-Event-ID are no longer held; reload them"}`))
	} else {
		event("ready", cursor, []byte(`{}`))
	}
	if !flush() {
		return
	}
	keepalive := time.NewTicker(15 * time.Second)
	defer keepalive.Stop()
	var pts []seqPoint
	for {
		for {
			var lost bool
			pts, cursor, lost = h.read(pts[:0], cursor, ids, 1024)
			if lost {
				event("reset", cursor, []byte(`{"reason":"the stream fell behind; reload the points"}`))
			}
			for _, p := range pts {
				d, _ := json.Marshal(struct {
					Series string  `json:"series"`
					Time   string  `json:"time"`
					Value  float64 `json:"value"`
				}{ids[p.series], time.Unix(0, p.t).UTC().Format(time.RFC3339Nano), p.v})
				event("point", p.seq, d)
			}
			if len(buf) > 0 && !flush() {
				return
			}
			if len(pts) < 1024 && !lost {
				break
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-wake:
		case <-keepalive.C:
			buf = append(buf, ": keepalive\n\n"...)
			if !flush() {
				return
			}
		}
	}
}
