package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"strconv"
	"sync"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/bus"
	"github.com/tinhso/tinhso/tsdb"
)

// MaxPayloadBytes caps the payload of one point (a number or {"time","value"}).
const MaxPayloadBytes = 1024

// Authorize checks an ingest token as the HTTP receivers do: known, not revoked or
// expired, with the scope series:write (or all), of a user allowed to write series.
// The MQTT broker calls it at CONNECT.
func (h *Handlers) Authorize(ctx context.Context, token string) error {
	return h.authorize(ctx, token)
}

// PublishPoint takes one point of the series key, its payload a plain number (the
// server's clock gives the time) or the JSON object {"time", "value"} (time as RFC
// 3339 or epoch milliseconds, optional), and publishes it on the bus as the HTTP
// receivers publish a batch: the Receipt completes once the point is durable. The
// token is checked by the caller (Authorize, once per connection). It refuses with
// EINVALID naming what is wrong, with the unknown-series policy's refusal, or with
// bus.ErrFull when the writer is behind (nothing taken: try again later).
func (h *Handlers) PublishPoint(ctx context.Context, key string, payload []byte) (*bus.Receipt, error) {
	if err := tsdb.ValidKey(key); err != nil {
		return nil, tinhso.Invalid("topic", "err.mqtt.key", key, err.Error())
	}
	t, v, err := h.parsePayload(payload)
	if err != nil {
		return nil, err
	}
	id, err := h.seriesID(ctx, key)
	if err != nil {
		return nil, err
	}
	data := EncodeBatch(make([]byte, 0, 32), []tinhso.SeriesPoints{{SeriesID: id, Points: []tinhso.Point{{T: t, V: v}}}})
	return h.cfg.Bus.Publish(ctx, bus.Message{Subject: SubjectPoints, Data: data, Points: 1})
}

// parsePayload reads a point's payload.
func (h *Handlers) parsePayload(payload []byte) (int64, float64, error) {
	now := h.cfg.Now()
	if len(payload) > MaxPayloadBytes {
		return 0, 0, tinhso.Invalid("payload", "err.mqtt.too_large", len(payload), MaxPayloadBytes)
	}
	p := bytes.TrimSpace(payload)
	if len(p) == 0 {
		return 0, 0, tinhso.Invalid("payload", "err.mqtt.empty")
	}
	t := now.UnixNano()
	var rawValue []byte
	if p[0] == '{' {
		var obj map[string]json.RawMessage
		dec := json.NewDecoder(bytes.NewReader(p))
		dec.UseNumber()
		if err := dec.Decode(&obj); err != nil || dec.More() {
			detail := "trailing data"
			if err != nil {
				detail = err.Error()
			}
			return 0, 0, tinhso.Invalid("payload", "err.mqtt.json", detail)
		}
		for name := range obj {
			if name != "time" && name != "value" {
				return 0, 0, tinhso.Invalid("payload", "err.mqtt.field", name)
			}
		}
		var ok bool
		if rawValue, ok = obj["value"]; !ok {
			return 0, 0, tinhso.Invalid("payload", "err.mqtt.no_value")
		}
		if rt, ok := obj["time"]; ok && string(rt) != "null" {
			var s string
			if json.Unmarshal(rt, &s) == nil {
				tm, err := time.Parse(time.RFC3339Nano, s)
				if err != nil || tm.Year() < 1678 || tm.Year() > 2261 {
					return 0, 0, tinhso.Invalid("payload", "err.mqtt.time", string(rt))
				}
				t = tm.UnixNano()
			} else if ms, ok := epochMillis(rt); ok {
				t = ms
			} else {
				return 0, 0, tinhso.Invalid("payload", "err.mqtt.time", string(rt))
			}
		}
	} else {
		rawValue = p
	}
	v, err := parseNumber(rawValue)
	if err != nil {
		return 0, 0, err
	}
	if t < 0 {
		return 0, 0, tinhso.Invalid("payload", "err.mqtt.before_1970", time.Unix(0, t).UTC().Format(time.RFC3339))
	}
	if t > now.UnixNano()+int64(h.cfg.MaxAhead) {
		return 0, 0, tinhso.Invalid("payload", "err.mqtt.ahead", time.Unix(0, t).UTC().Format(time.RFC3339), h.cfg.MaxAhead.String())
	}
	return t, v, nil
}

// parseNumber takes a JSON number: digits with an optional sign, fraction and exponent
// (no NaN, Inf, hexadecimal or underscores, which strconv would take), finite.
func parseNumber(b []byte) (float64, error) {
	s := string(b)
	if len(s) > 64 || !jsonNumber(s) {
		if len(s) > 40 {
			s = s[:40] + "…"
		}
		return 0, tinhso.Invalid("payload", "err.mqtt.value", s)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, tinhso.Invalid("payload", "err.mqtt.value", s)
	}
	return v, nil
}

func jsonNumber(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	digits := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i, digits = i+1, digits+1
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i, digits = i+1, digits+1
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '-' || s[i] == '+') {
			i++
		}
		ed := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i, ed = i+1, ed+1
		}
		if ed == 0 {
			return false
		}
	}
	return i == len(s)
}

// idCache keeps the registry ids of the keys single points name (an MQTT message is one
// point: a registry read per message would cost more than the write). Ids do not
// change; an entry is dropped after a while so that a removed series is seen.
type idCache struct {
	mu  sync.Mutex
	ids map[string]cachedID
}

type cachedID struct {
	id      int64
	expires time.Time
}

func (h *Handlers) seriesID(ctx context.Context, key string) (int64, error) {
	now := time.Now()
	c := &h.ids
	c.mu.Lock()
	e, ok := c.ids[key]
	c.mu.Unlock()
	if ok && now.Before(e.expires) {
		return e.id, nil
	}
	create := h.cfg.UnknownSeries == nil || h.cfg.UnknownSeries(ctx) != tinhso.UnknownSeriesRefuse
	ids, err := h.cfg.Registry.SeriesIDs(ctx, []string{key}, create)
	if err != nil {
		return 0, err
	}
	if len(ids) != 1 || ids[0] == 0 {
		return 0, tinhso.Errorf(tinhso.ENOTFOUND, "err.mqtt.unknown_series", key)
	}
	c.mu.Lock()
	if c.ids == nil || len(c.ids) >= 100_000 {
		c.ids = map[string]cachedID{}
	}
	c.ids[key] = cachedID{ids[0], now.Add(10 * time.Second)}
	c.mu.Unlock()
	return ids[0], nil
}
