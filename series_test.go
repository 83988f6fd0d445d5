package tinhso_test

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/tinhso/tinhso"
)

func TestSeriesValidate(t *testing.T) {
	t.Parallel()
	ok := func() tinhso.Series {
		return tinhso.Series{Key: "air,site=hn.pm25", Name: "Bụi mịn PM2.5", Unit: "µg/m³", Tags: map[string]string{"site": "hn"},
			Location: &tinhso.GeoPoint{Lat: 21.59, Lon: 105.84}, RetentionDays: 365}
	}
	good := ok()
	if err := good.Validate(); err != nil {
		t.Fatalf("a good series: %v", err)
	}
	for _, c := range []struct {
		field string
		edit  func(*tinhso.Series)
	}{
		{"key", func(s *tinhso.Series) { s.Key = "" }},
		{"key", func(s *tinhso.Series) { s.Key = "khí" }},
		{"key", func(s *tinhso.Series) { s.Key = "a/b" }},
		{"key", func(s *tinhso.Series) { s.Key = "a b" }},
		{"key", func(s *tinhso.Series) { s.Key = strings.Repeat("k", 201) }},
		{"name", func(s *tinhso.Series) { s.Name = " " }},
		{"name", func(s *tinhso.Series) { s.Name = strings.Repeat("n", 301) }},
		{"unit", func(s *tinhso.Series) { s.Unit = strings.Repeat("u", 51) }},
		{"description", func(s *tinhso.Series) { s.Description = "a\x00b" }},
		{"location.lat", func(s *tinhso.Series) { s.Location.Lat = 90.5 }},
		{"location.lat", func(s *tinhso.Series) { s.Location.Lat = math.NaN() }},
		{"location.lon", func(s *tinhso.Series) { s.Location.Lon = -180.01 }},
		{"retention_days", func(s *tinhso.Series) { s.RetentionDays = -1 }},
		{"retention_days", func(s *tinhso.Series) { s.RetentionDays = 40000 }},
		{"tags", func(s *tinhso.Series) { s.Tags = map[string]string{"": "x"} }},
		{"tags", func(s *tinhso.Series) { s.Tags = map[string]string{"k": strings.Repeat("v", 201)} }},
	} {
		s := ok()
		c.edit(&s)
		err := s.Validate()
		var e *tinhso.Error
		if err == nil || !asError(err, &e) || e.Code != tinhso.EINVALID || e.Field != c.field {
			t.Errorf("%+v: %v, want invalid %s", s, err, c.field)
		}
	}
	// Keys at the edges of the rule.
	for _, k := range []string{"a", "A-Z_0.9", "m,t=v.f", strings.Repeat("k", 200)} {
		if err := tinhso.ValidSeriesKey(k); err != nil {
			t.Errorf("%q: %v", k, err)
		}
	}
}

func asError(err error, e **tinhso.Error) bool {
	x, ok := err.(*tinhso.Error)
	*e = x
	return ok
}

// The answer of a query: raw items have time and value only; rollups add min, max,
// count and last; times keep their nanoseconds.
func TestPointResultJSON(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 12, 1, 8, 0, 0, 1, time.UTC)
	raw, _ := json.Marshal(tinhso.PointResult{Key: "a", Resolution: "raw", Items: []tinhso.PointItem{{Time: at, Value: 0.1, Count: 1}}})
	if string(raw) != `{"key":"a","resolution":"raw","items":[{"time":"2026-12-01T08:00:00.000000001Z","value":0.1}]}` {
		t.Errorf("raw: %s", raw)
	}
	b, _ := json.Marshal(tinhso.PointResult{Key: "a", Resolution: "1m", Items: []tinhso.PointItem{{Time: at.In(tinhso.Location), Value: 2.5, Min: -1, Max: 6, Count: 2, Last: 6}}})
	if string(b) != `{"key":"a","resolution":"1m","items":[{"time":"2026-12-01T08:00:00.000000001Z","value":2.5,"min":-1,"max":6,"count":2,"last":6}]}` {
		t.Errorf("1m: %s", b)
	}
	var back struct {
		Items []struct {
			Time  time.Time
			Value float64
		}
	}
	if err := json.Unmarshal(b, &back); err != nil || !back.Items[0].Time.Equal(at) {
		t.Errorf("read back: %+v %v", back, err)
	}
}
