// Package ingest takes points in: the HTTP receivers (InfluxDB line protocol on the
// paths of InfluxDB 2.x and 1.x and of tinhso, and a JSON batch), which check a batch
// whole, resolve its series and publish it on the bus, and the batching writer, which
// takes batches from the bus into the store, many per transaction, and acknowledges
// them once durable. A receiver answers only then.
//
// Limits keep memory bounded whatever the clients do: a body is read up to
// MaxBodyBytes (after gzip), the bodies being read and parsed at once share
// MaxInflightBytes, and the bus's stream holds at most its Limits of accepted batches
// waiting for the writer; past any of them a client gets 429 with Retry-After (413
// for a body over the cap) and nothing is taken.
package ingest

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/influxdata/line-protocol/v2/lineprotocol"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/bus"
	"github.com/tinhso/tinhso/locale"
	"github.com/tinhso/tinhso/tsdb"
)

// TokenResolver resolves an API token to the user it belongs to and its scopes. It
// fails with EUNAUTHORIZED (or ENOTFOUND) for a token that is unknown, revoked or
// expired, and with EFORBIDDEN for a user who may not act (disabled).
type TokenResolver interface {
	ResolveToken(ctx context.Context, token string) (*tinhso.User, []string, error)
}

// Registry is what the receivers need of the store: the ids of series keys, and a
// place for the last error of a series.
type Registry interface {
	SeriesIDs(ctx context.Context, keys []string, create bool) ([]int64, error)
	RecordIngestError(ctx context.Context, seriesID int64, message string, at time.Time) error
}

// Config configures the receivers. Zero fields take the defaults.
type Config struct {
	Bus      bus.Bus
	Registry Registry
	Auth     TokenResolver
	// UnknownSeries returns the policy for keys the registry does not hold:
	// tinhso.UnknownSeriesCreate (the default, also when nil) or UnknownSeriesRefuse.
	UnknownSeries func(ctx context.Context) string
	// MaxBodyBytes caps a body after decompression (default 32 MiB); MaxPoints the
	// points of one batch (default 1,000,000); MaxInflightBytes the bodies held at
	// once by all requests (default 128 MiB; their parses take about as much again,
	// until the batch is on the bus, whose Limits bound the rest).
	MaxBodyBytes     int64
	MaxPoints        int
	MaxInflightBytes int64
	// MaxAhead is how far after the server's clock a point may be (default 24 h).
	MaxAhead time.Duration
	// Timeout bounds the wait for durability (default 30 s); past it the client gets
	// 503 and may send the batch again (writing a point twice changes nothing).
	Timeout time.Duration
	// RetryAfter is what 429 and 503 answers tell clients to wait (default 1 s).
	RetryAfter time.Duration
	Logger     *slog.Logger
	Now        func() time.Time
}

// Handlers are the HTTP receivers. Each is a plain http.Handler for the route table.
type Handlers struct {
	cfg      Config
	inflight atomic.Int64
	ids      idCache // of PublishPoint
}

// New returns the receivers of cfg.
func New(cfg Config) *Handlers {
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 32 << 20
	}
	if cfg.MaxPoints <= 0 {
		cfg.MaxPoints = 1_000_000
	}
	if cfg.MaxInflightBytes <= 0 {
		cfg.MaxInflightBytes = 128 << 20
	}
	if cfg.MaxAhead <= 0 {
		cfg.MaxAhead = 24 * time.Hour
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.RetryAfter <= 0 {
		cfg.RetryAfter = time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Handlers{cfg: cfg}
}

// Register adds the four routes to mux (for tests and until the route table takes
// them): POST /api/v2/write, POST /write, POST /api/v1/write, POST /api/v1/ingest.
func (h *Handlers) Register(mux *http.ServeMux) {
	mux.Handle("POST /api/v2/write", h.WriteV2())
	mux.Handle("POST /write", h.WriteV1())
	mux.Handle("POST /api/v1/write", h.Write())
	mux.Handle("POST /api/v1/ingest", h.JSON())
}

// flavour is whose error bodies and conventions an endpoint follows.
type flavour int

const (
	influx flavour = iota // {"code","message"} with InfluxDB's codes
	native                // tinhso's {"error","code"}
)

// WriteV2 is InfluxDB 2.x's POST /api/v2/write?org=…&bucket=…&precision=ns|us|ms|s
// with "Authorization: Token <token>", as influxdb-client-go and Telegraf's
// influxdb_v2 output send it. bucket is required as InfluxDB requires it; org and
// bucket are not used otherwise (series keys are the installation's). 204 on success.
func (h *Handlers) WriteV2() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if q.Get("bucket") == "" {
			h.fail(w, r, influx, tinhso.Invalid("bucket", "err.ingest.bucket"))
			return
		}
		unit, err := tsdb.ParsePrecisionV2(q.Get("precision"))
		if err != nil {
			h.fail(w, r, influx, tinhso.Invalid("precision", "err.ingest.precision2"))
			return
		}
		h.lineProtocol(w, r, influx, tokenV2(r), unit)
	})
}

// WriteV1 is InfluxDB 1.x's POST /write?db=…&precision=n|u|ms|s|m|h, as Telegraf's
// influxdb output sends it: the token as the password (query parameter p, or basic
// auth), or "Authorization: Token <token>". db is required; rp and the user name are
// not used.
func (h *Handlers) WriteV1() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if q.Get("db") == "" {
			h.fail(w, r, influx, tinhso.Invalid("db", "err.ingest.db"))
			return
		}
		unit, err := tsdb.ParsePrecisionV1(q.Get("precision"))
		if err != nil {
			h.fail(w, r, influx, tinhso.Invalid("precision", "err.ingest.precision1"))
			return
		}
		tok := q.Get("p")
		if _, pw, ok := r.BasicAuth(); ok && tok == "" {
			tok = pw
		}
		if tok == "" {
			tok = tokenV2(r)
		}
		h.lineProtocol(w, r, influx, tok, unit)
	})
}

// Write is tinhso's POST /api/v1/write?precision=ns|us|ms|s (the 1.x names n, u, m,
// h too) with "Authorization: Bearer <token>": line protocol.
func (h *Handlers) Write() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		unit, err := tsdb.ParsePrecisionV1(r.URL.Query().Get("precision"))
		if err != nil {
			h.fail(w, r, native, tinhso.Invalid("precision", "err.ingest.precision"))
			return
		}
		h.lineProtocol(w, r, native, bearer(r), unit)
	})
}

// JSON is tinhso's POST /api/v1/ingest with "Authorization: Bearer <token>":
// {"points": [{"series", "time", "value", "tags"}]}, time as RFC 3339 or epoch
// milliseconds (the server's clock when absent), tags joined to the series as line
// protocol's are.
func (h *Handlers) JSON() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.serve(w, r, native, bearer(r), func(body []byte) (*tsdb.Batch, error) {
			return ParseJSON(body, h.parseOptions(0))
		}, nil)
	})
}

func (h *Handlers) parseOptions(unit time.Duration) tsdb.ParseOptions {
	return tsdb.ParseOptions{Unit: unit, Now: h.cfg.Now(), MaxAhead: h.cfg.MaxAhead, MaxPoints: h.cfg.MaxPoints, MaxErrors: 100}
}

func (h *Handlers) lineProtocol(w http.ResponseWriter, r *http.Request, f flavour, token string, unit time.Duration) {
	h.serve(w, r, f, token, func(body []byte) (*tsdb.Batch, error) {
		opt := h.parseOptions(unit)
		if b, ok := parseLinesFast(body, opt); ok {
			return b, nil
		}
		return tsdb.ParseLines(body, opt)
	}, func(body []byte, unknown map[string]bool) []*tsdb.LineError {
		return linesOfKeys(body, unit, h.cfg.Now(), unknown)
	})
}

func tokenV2(r *http.Request) string {
	a := r.Header.Get("Authorization")
	for _, p := range []string{"Token ", "Bearer "} {
		if len(a) > len(p) && strings.EqualFold(a[:len(p)], p) {
			return strings.TrimSpace(a[len(p):])
		}
	}
	return ""
}

func bearer(r *http.Request) string {
	a := r.Header.Get("Authorization")
	if len(a) > 7 && strings.EqualFold(a[:7], "Bearer ") {
		return strings.TrimSpace(a[7:])
	}
	return ""
}

// serve is the path of every batch: authorise, read, parse, resolve, publish, wait.
func (h *Handlers) serve(w http.ResponseWriter, r *http.Request, f flavour, token string,
	parse func([]byte) (*tsdb.Batch, error), lines func([]byte, map[string]bool) []*tsdb.LineError) {
	ctx := r.Context()
	if err := h.authorize(ctx, token); err != nil {
		h.fail(w, r, f, err)
		return
	}
	body, release, err := h.readBody(r)
	defer release()
	if err != nil {
		h.fail(w, r, f, err)
		return
	}
	batch, err := parse(body)
	if err != nil {
		if lines != nil { // line protocol: a line names its series
			h.recordErrors(ctx, body, err)
		}
		h.fail(w, r, f, err)
		return
	}
	if batch.Len() == 0 {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	create := h.cfg.UnknownSeries == nil || h.cfg.UnknownSeries(ctx) != tinhso.UnknownSeriesRefuse
	ids, err := h.cfg.Registry.SeriesIDs(ctx, batch.Series, create)
	if err != nil {
		h.fail(w, r, f, err)
		return
	}
	if unknown := unknownKeys(batch.Series, ids); len(unknown) > 0 {
		var les []*tsdb.LineError
		if lines != nil {
			les = lines(body, unknown)
		} else {
			les = pointsOfKeys(batch, unknown)
		}
		h.fail(w, r, f, &tsdb.BatchError{Lines: les, Total: len(les)})
		return
	}
	data := encodeBatch(batch, ids)
	n := batch.Len()
	body, batch = nil, nil
	release() // the body and the parse are done with: only the message stays
	rc, err := h.cfg.Bus.Publish(ctx, bus.Message{Subject: SubjectPoints, Data: data, Points: n})
	if err != nil {
		if errors.Is(err, bus.ErrFull) {
			h.fail(w, r, f, errBusy("The writer is behind: the queue of accepted batches is full. Nothing was stored; send the batch again after Retry-After."))
			return
		}
		h.fail(w, r, f, err)
		return
	}
	wctx, cancel := context.WithTimeout(ctx, h.cfg.Timeout)
	defer cancel()
	if err := rc.Wait(wctx); err != nil {
		if ctx.Err() != nil {
			return // the client went away; the batch is still written
		}
		h.fail(w, r, f, errUnavailable("The batch was accepted but is not yet durable; send it again after Retry-After (points written twice keep their value)."))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handlers) authorize(ctx context.Context, token string) error {
	if token == "" {
		return tinhso.Errorf(tinhso.EUNAUTHORIZED, "err.ingest.no_token")
	}
	u, scopes, err := h.cfg.Auth.ResolveToken(ctx, token)
	if err != nil {
		switch tinhso.ErrorCode(err) {
		case tinhso.EFORBIDDEN:
			return err
		case tinhso.EINTERNAL:
			return err
		}
		return tinhso.Errorf(tinhso.EUNAUTHORIZED, "err.ingest.token_unknown")
	}
	if !slices.Contains(scopes, tinhso.ActWriteSeries) && !slices.Contains(scopes, tinhso.ScopeAll) {
		return tinhso.Errorf(tinhso.EFORBIDDEN, "err.ingest.scope", strings.Join(scopes, " "), tinhso.ActWriteSeries)
	}
	if !u.Can(tinhso.ActWriteSeries) {
		return tinhso.Errorf(tinhso.EFORBIDDEN, "err.ingest.account", u.Username, u.Role)
	}
	return nil
}

// errBody is a refusal; its status is chosen by code.
type errBody struct {
	status  int
	code    string
	message string
}

func (e *errBody) Error() string { return e.message }

func errBusy(msg string) error { return &errBody{http.StatusTooManyRequests, "too many requests", msg} }
func errUnavailable(msg string) error {
	return &errBody{http.StatusServiceUnavailable, "unavailable", msg}
}

// readBody reads the body (gunzipped when sent so) within the caps, holding its bytes
// against MaxInflightBytes until release.
func (h *Handlers) readBody(r *http.Request) (body []byte, release func(), err error) {
	var held int64
	release = func() {
		h.inflight.Add(-held)
		held = 0
	}
	hold := func(n int64) bool {
		if h.inflight.Add(n) > h.cfg.MaxInflightBytes {
			h.inflight.Add(-n)
			return false
		}
		held += n
		return true
	}
	max := h.cfg.MaxBodyBytes
	var src io.Reader = http.MaxBytesReader(nil, r.Body, max)
	switch enc := strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
	case "gzip":
		zr, err := gzip.NewReader(src)
		if err != nil {
			return nil, release, tinhso.Invalid("body", "err.ingest.gzip", err)
		}
		defer zr.Close()
		src = zr
	default:
		return nil, release, &errBody{http.StatusUnsupportedMediaType, "unsupported media type", "Content-Encoding " + strconv.Quote(enc) + " is not supported; send gzip or nothing."}
	}
	size := int64(64 << 10)
	if r.ContentLength > 0 && r.Header.Get("Content-Encoding") == "" {
		size = min(r.ContentLength+1, max+1)
	}
	if !hold(size) {
		return nil, release, errBusy("The server is reading too many batches at once; send this one again after Retry-After.")
	}
	buf := make([]byte, 0, size)
	for {
		if len(buf) == cap(buf) {
			grow := min(int64(cap(buf)), max+1-int64(cap(buf)))
			if grow <= 0 {
				return nil, release, tooLarge(max)
			}
			if !hold(grow) {
				return nil, release, errBusy("The server is reading too many batches at once; send this one again after Retry-After.")
			}
			nb := make([]byte, len(buf), int64(cap(buf))+grow)
			copy(nb, buf)
			buf = nb
		}
		n, err := src.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > max {
			return nil, release, tooLarge(max)
		}
		if err == io.EOF {
			return buf, release, nil
		}
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return nil, release, tooLarge(max)
			}
			if errors.Is(err, gzip.ErrChecksum) || errors.Is(err, gzip.ErrHeader) || errors.Is(err, io.ErrUnexpectedEOF) {
				return nil, release, tinhso.Invalid("body", "err.ingest.gzip_damaged", err)
			}
			return nil, release, tinhso.Invalid("body", "err.ingest.read", err)
		}
	}
}

func tooLarge(max int64) error {
	return &errBody{http.StatusRequestEntityTooLarge, "request too large", fmt.Sprintf("The body is larger than %d bytes (after decompression); send smaller batches. Nothing was stored.", max)}
}

func unknownKeys(keys []string, ids []int64) map[string]bool {
	var out map[string]bool
	for i, id := range ids {
		if id == 0 {
			if out == nil {
				out = map[string]bool{}
			}
			out[keys[i]] = true
		}
	}
	return out
}

// encodeBatch writes the batch message straight from the parse: each series' points in
// the order of the body, grouped, without an intermediate slice per series.
func encodeBatch(b *tsdb.Batch, ids []int64) []byte {
	counts := make([]int, len(b.Series))
	for _, p := range b.Points {
		counts[p.Series]++
	}
	var hdr []byte
	size := 1 + 10 + 16*len(b.Points) + 20*len(b.Series)
	buf := make([]byte, 0, size)
	buf = append(buf, messageVersion)
	buf = appendUvarint(buf, uint64(len(b.Series)))
	pos := make([]int, len(b.Series))
	for i, n := range counts {
		hdr = appendUvarint(hdr[:0], uint64(ids[i]))
		hdr = appendUvarint(hdr, uint64(n))
		buf = append(buf, hdr...)
		pos[i] = len(buf)
		buf = buf[:len(buf)+16*n]
	}
	for _, p := range b.Points {
		o := pos[p.Series]
		putPoint(buf[o:], p.T, p.V)
		pos[p.Series] = o + 16
	}
	return buf
}

// linesOfKeys names the lines of a body that write the given (unknown) keys, parsing
// each line alone: only when a batch is refused.
func linesOfKeys(body []byte, unit time.Duration, now time.Time, keys map[string]bool) []*tsdb.LineError {
	var out []*tsdb.LineError
	for n, line := range bytes.Split(body, []byte{'\n'}) {
		b, err := tsdb.ParseLines(line, tsdb.ParseOptions{Unit: unit, Now: now, MaxAhead: 1 << 62})
		if err != nil || b == nil {
			continue
		}
		for _, k := range b.Series {
			if keys[k] {
				out = append(out, unknownSeries(n+1, k, "line"))
				break
			}
		}
		if len(out) >= 100 {
			break
		}
	}
	return out
}

// pointsOfKeys names the points of a JSON batch that write the given keys.
func pointsOfKeys(b *tsdb.Batch, keys map[string]bool) []*tsdb.LineError {
	var out []*tsdb.LineError
	for i, p := range b.Points {
		if k := b.Series[p.Series]; keys[k] {
			le := unknownSeries(0, k, "point")
			le.Key = KeyUnknownSeriesPoint
			le.Args["point"] = i
			le.Detail = fmt.Sprintf("points[%d]: %s", i, le.Detail)
			out = append(out, le)
			if len(out) >= 100 {
				break
			}
		}
	}
	return out
}

func unknownSeries(line int, key, what string) *tsdb.LineError {
	args := map[string]any{"series": key}
	if line > 0 {
		args["line"] = line
	}
	return &tsdb.LineError{Line: line, Key: KeyUnknownSeries, Args: args,
		Detail: fmt.Sprintf("series %q is not in the registry, and this installation refuses unknown series; register it first", key)}
}

// recordErrors notes a refused batch as the last error of the registered series its
// offending lines name (best effort: a line too broken to name a series is only
// answered).
func (h *Handlers) recordErrors(ctx context.Context, body []byte, err error) {
	var be *tsdb.BatchError
	if !errors.As(err, &be) || len(be.Lines) == 0 {
		return
	}
	keyOf := map[string]string{}
	lines := bytes.Split(body, []byte{'\n'})
	for i, le := range be.Lines {
		if i == 20 || le.Line <= 0 || le.Line > len(lines) {
			break
		}
		field, _ := le.Args["field"].(string)
		if field == "" {
			field = "value"
		}
		if k := lineKey(lines[le.Line-1], field); k != "" {
			if _, ok := keyOf[k]; !ok {
				keyOf[k] = tinhso.IngestErrorText(tinhso.M(le.Key, le.Args), le.Detail)
			}
		}
	}
	if len(keyOf) == 0 {
		return
	}
	keys := make([]string, 0, len(keyOf))
	for k := range keyOf {
		keys = append(keys, k)
	}
	ids, err := h.cfg.Registry.SeriesIDs(ctx, keys, false)
	if err != nil {
		return
	}
	now := h.cfg.Now()
	for i, id := range ids {
		if id != 0 {
			if err := h.cfg.Registry.RecordIngestError(ctx, id, keyOf[keys[i]], now); err != nil {
				h.cfg.Logger.Warn("ingest: recording an error failed", "error", err)
			}
		}
	}
}

// lineKey returns the series key a line of line protocol writes with field, or "".
func lineKey(line []byte, field string) string {
	dec := lineprotocol.NewDecoderWithBytes(line)
	if !dec.Next() {
		return ""
	}
	m, err := dec.Measurement()
	if err != nil {
		return ""
	}
	tags := map[string]string{}
	for {
		k, v, err := dec.NextTag()
		if err != nil {
			return ""
		}
		if k == nil {
			break
		}
		tags[string(k)] = string(v)
	}
	key, err := tsdb.SeriesKey(string(m), tags, field)
	if err != nil {
		return ""
	}
	return key
}

// lineJSON is one offending line in an error body.
type lineJSON struct {
	Line    int            `json:"line,omitempty"`
	Point   *int           `json:"point,omitempty"`
	Key     string         `json:"key"`
	Args    map[string]any `json:"args"`
	Message string         `json:"message"`
}

// fail answers an error in the endpoint's flavour. Batch errors list each offending
// line with its message key and arguments, for the catalogues.
func (h *Handlers) fail(w http.ResponseWriter, r *http.Request, f flavour, err error) {
	status, code, msg := http.StatusInternalServerError, "internal error", "Internal error."
	var lines []lineJSON
	total := 0
	var be *tsdb.BatchError
	var tm *tsdb.TooManyPointsError
	var eb *errBody
	switch {
	case errors.As(err, &be):
		status, code, total = http.StatusBadRequest, "invalid", be.Total
		var b strings.Builder
		fmt.Fprintf(&b, "The batch was refused whole (nothing was stored): %d offending line(s)", be.Total)
		for i, le := range be.Lines {
			if i < 5 {
				b.WriteString("; ")
				if le.Line > 0 && !strings.HasPrefix(le.Detail, "points[") {
					fmt.Fprintf(&b, "line %d: ", le.Line)
				}
				b.WriteString(le.Detail)
			}
			lj := lineJSON{Line: le.Line, Key: le.Key, Args: le.Args, Message: le.Detail}
			if p, ok := le.Args["point"].(int); ok {
				lj.Point = &p
			}
			lines = append(lines, lj)
		}
		if be.Total > 5 {
			b.WriteString("; …")
		}
		msg = b.String() + "."
	case errors.As(err, &tm):
		status, code = http.StatusRequestEntityTooLarge, "request too large"
		msg = fmt.Sprintf("The batch has more than %d points; send smaller batches. Nothing was stored.", tm.Max)
		lines = []lineJSON{{Key: tsdb.KeyTooManyPoints, Args: map[string]any{"max": tm.Max}, Message: msg}}
	case errors.As(err, &eb):
		status, code, msg = eb.status, eb.code, eb.message
	default:
		switch tinhso.ErrorCode(err) {
		case tinhso.EINVALID:
			status, code = http.StatusBadRequest, "invalid"
		case tinhso.EUNAUTHORIZED:
			status, code = http.StatusUnauthorized, "unauthorized"
		case tinhso.EFORBIDDEN:
			status, code = http.StatusForbidden, "forbidden"
		case tinhso.ENOTFOUND:
			status, code = http.StatusNotFound, "not found"
		case tinhso.ECONFLICT:
			status, code = http.StatusConflict, "conflict"
		}
		if status != http.StatusInternalServerError {
			msg = locale.For(locale.FromRequest(r, locale.EN)).Error(err)
		} else if errors.Is(err, bus.ErrClosed) {
			status, code, msg = http.StatusServiceUnavailable, "unavailable", "The server is shutting down; send the batch again after Retry-After."
		} else {
			h.cfg.Logger.Error("ingest: internal error", "path", r.URL.Path, "error", err)
		}
	}
	if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", strconv.Itoa(int(max(1, h.cfg.RetryAfter.Round(time.Second)/time.Second))))
	}
	if status == http.StatusUnauthorized && f == influx && r.URL.Path == "/write" {
		w.Header().Set("WWW-Authenticate", `Basic realm="tinhso"`)
	}
	var body any
	if f == influx {
		b := struct {
			Code    string     `json:"code"`
			Message string     `json:"message"`
			Line    int        `json:"line,omitempty"`
			Lines   []lineJSON `json:"lines,omitempty"`
			Total   int        `json:"total,omitempty"`
		}{Code: code, Message: msg, Lines: lines, Total: total}
		if len(lines) > 0 {
			b.Line = lines[0].Line
		}
		body = b
	} else {
		nc := map[string]string{"invalid": tinhso.EINVALID, "unauthorized": tinhso.EUNAUTHORIZED, "forbidden": tinhso.EFORBIDDEN,
			"not found": tinhso.ENOTFOUND, "conflict": tinhso.ECONFLICT, "request too large": tinhso.ETOOLARGE,
			"too many requests": "too_many_requests", "unavailable": "unavailable", "unsupported media type": "unsupported_media_type"}[code]
		if nc == "" {
			nc = tinhso.EINTERNAL
		}
		body = struct {
			Error string     `json:"error"`
			Code  string     `json:"code"`
			Lines []lineJSON `json:"lines,omitempty"`
			Total int        `json:"total,omitempty"`
		}{Error: msg, Code: nc, Lines: lines, Total: total}
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}
