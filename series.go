package tinhso

import (
	"context"
	"encoding/json"
	"math"
	"sort"
	"strconv"
	"time"
)

// Actions of live data. The ingest scope is ActWriteSeries: an API token that sends
// points (line protocol, JSON, MQTT) needs it in its scopes (or "all"), and its user a
// role that allows it.
const (
	ActWriteSeries  = "series:write"  // send points of series
	ActManageSeries = "series:manage" // create, change and delete series in the registry
	ActReadSeries   = "series:read"   // read series and their points
)

// Limits of a series' fields.
const (
	MaxSeriesKey         = 200 // bytes, as tsdb.MaxKeyLen
	MaxSeriesName        = 300 // characters
	MaxSeriesUnit        = 50
	MaxSeriesDescription = 5000
	MaxSeriesTags        = 32
	MaxSeriesTagLen      = 200 // characters of a tag's name or value
	MaxRetentionDays     = 36500
)

// Unknown-series policies: what ingest does with a point of a key the registry does not
// hold.
const (
	UnknownSeriesCreate = "create" // register the series (name = key) and take the point
	UnknownSeriesRefuse = "refuse" // refuse the whole batch, naming the lines
)

// SettingUnknownSeries is the name of the stored setting holding the unknown-series
// policy (UnknownSeriesCreate when unset).
const SettingUnknownSeries = "ingest.unknown_series"

// Series is a live time series: its identity and description in the registry. Its points
// are kept by the SeriesStore.
type Series struct {
	ID int64 `json:"id"`
	// Key names the series in ingest (line protocol, JSON, MQTT topics) and in URLs:
	// letters, digits and _ . - , = only (see ValidSeriesKey).
	Key         string            `json:"key"`
	Name        string            `json:"name"`
	Unit        string            `json:"unit"`
	Description string            `json:"description"`
	Tags        map[string]string `json:"tags"`
	// OrgUnit is the code of the org unit that owns the series ("" : none).
	OrgUnit string `json:"org_unit,omitempty"`
	// Location is where the sensor stands, when it stands somewhere.
	Location *GeoPoint `json:"location,omitempty"`
	// RetentionDays keeps points for this many days (0: forever); older ones are cut at
	// a local midnight.
	RetentionDays int       `json:"retention_days"`
	Version       int       `json:"version"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// GeoPoint is a WGS 84 position in degrees.
type GeoPoint struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

// ValidSeriesKey reports whether key is a series key: 1 to MaxSeriesKey bytes of ASCII
// letters, digits and _ . - , = (safe in a URL path segment and an MQTT topic level).
// It is the rule of tsdb.ValidKey, which the root cannot import.
func ValidSeriesKey(key string) error {
	if key == "" {
		return Invalid("key", "err.series.key_required")
	}
	if len(key) > MaxSeriesKey {
		return Invalid("key", "err.series.key_long", len(key), MaxSeriesKey)
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '.' || c == '-' || c == ',' || c == '=') {
			return Invalid("key", "err.series.key_char", key, c, i+1)
		}
	}
	return nil
}

// Validate checks a series before it is stored.
func (s *Series) Validate() error {
	if err := ValidSeriesKey(s.Key); err != nil {
		return err
	}
	for _, f := range []struct {
		name, val string
		max       int
	}{{"name", s.Name, MaxSeriesName}, {"unit", s.Unit, MaxSeriesUnit}, {"description", s.Description, MaxSeriesDescription}, {"org_unit", s.OrgUnit, 50}} {
		if err := validText(f.name, f.val, f.max, f.name == "name"); err != nil {
			return err
		}
	}
	if len(s.Tags) > MaxSeriesTags {
		return Invalid("tags", "err.series.tags_many", len(s.Tags), MaxSeriesTags)
	}
	names := make([]string, 0, len(s.Tags))
	for k := range s.Tags {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if err := validText("tags", k, MaxSeriesTagLen, true); err != nil {
			return Invalid("tags", "err.series.tag_name", k, err)
		}
		if err := validText("tags", s.Tags[k], MaxSeriesTagLen, false); err != nil {
			return Invalid("tags", "err.series.tag_value", k, err)
		}
	}
	if l := s.Location; l != nil {
		if math.IsNaN(l.Lat) || l.Lat < -90 || l.Lat > 90 {
			return Invalid("location.lat", "err.series.lat", l.Lat)
		}
		if math.IsNaN(l.Lon) || l.Lon < -180 || l.Lon > 180 {
			return Invalid("location.lon", "err.series.lon", l.Lon)
		}
	}
	if s.RetentionDays < 0 || s.RetentionDays > MaxRetentionDays {
		return Invalid("retention_days", "err.series.retention", MaxRetentionDays)
	}
	return nil
}

// Point is one measurement of a series: T in nanoseconds since 1970-01-01 UTC (the
// unit of line protocol's default precision, so a point comes back exactly as sent), V
// its value, a finite float64.
type Point struct {
	T int64
	V float64
}

// Time returns the point's time in UTC.
func (p Point) Time() time.Time { return time.Unix(0, p.T).UTC() }

// SeriesPoints are points of one series, in the order they were written: of points
// with equal times the last wins.
type SeriesPoints struct {
	SeriesID int64
	Points   []Point
}

// PointWrite is what one durable write stores: the points of several series, taken
// whole or not at all.
type PointWrite struct {
	Series []SeriesPoints
	// Consumer and Seq, when Consumer is set, record in the same transaction that the
	// bus message Seq of that durable consumer is applied, so that a redelivery after a
	// crash is recognised (see IngestOffset).
	Consumer string
	Seq      uint64
}

// Len returns the number of points of the write.
func (w *PointWrite) Len() int {
	n := 0
	for _, s := range w.Series {
		n += len(s.Points)
	}
	return n
}

// SeriesFilter selects series.
type SeriesFilter struct {
	OrgUnit string
	// Prefix selects keys starting with it.
	Prefix string
	Page
}

// Resolutions of a points query, as the API names them.
const (
	ResolutionAuto   = "auto"
	ResolutionRaw    = "raw"
	ResolutionMinute = "1m"
	ResolutionHour   = "1h"
	ResolutionDay    = "1d"
)

// PointQuery asks for the points of a series in [From, To) at a resolution.
type PointQuery struct {
	Key        string
	From, To   time.Time
	Resolution string // auto, raw, 1m, 1h, 1d; "" : auto
}

// PointItem is one item of a query's answer: a raw point (Value only, Count 1), or a
// bucket starting at Time with the mean as Value and its min, max, count and last.
//
// The tags say what PointResult.MarshalJSON writes (the OpenAPI document is made from
// them): min, max, count and last only at rollup resolutions.
type PointItem struct {
	Time  time.Time `json:"time"`
	Value float64   `json:"value"`
	Min   float64   `json:"min,omitempty"`
	Max   float64   `json:"max,omitempty"`
	Count int64     `json:"count,omitempty"`
	Last  float64   `json:"last,omitempty"`
}

// PointResult is the answer to a PointQuery.
type PointResult struct {
	Key string `json:"key"`
	// Resolution is the one answered (auto resolved).
	Resolution string      `json:"resolution"`
	Items      []PointItem `json:"items"`
}

// MarshalJSON writes the items as the API shows them: {"time","value"} for raw points,
// with "min","max","count","last" at rollup resolutions. Times are RFC 3339 in UTC
// with as many fraction digits as they need, so a point reads back exactly.
func (r PointResult) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 64+len(r.Items)*96)
	b = append(b, `{"key":`...)
	b = strconv.AppendQuote(b, r.Key)
	b = append(b, `,"resolution":`...)
	b = strconv.AppendQuote(b, r.Resolution)
	b = append(b, `,"items":[`...)
	raw := r.Resolution == ResolutionRaw
	for i, it := range r.Items {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"time":"`...)
		b = it.Time.UTC().AppendFormat(b, time.RFC3339Nano)
		b = append(b, `","value":`...)
		b = appendJSONFloat(b, it.Value)
		if !raw {
			b = append(b, `,"min":`...)
			b = appendJSONFloat(b, it.Min)
			b = append(b, `,"max":`...)
			b = appendJSONFloat(b, it.Max)
			b = append(b, `,"count":`...)
			b = strconv.AppendInt(b, it.Count, 10)
			b = append(b, `,"last":`...)
			b = appendJSONFloat(b, it.Last)
		}
		b = append(b, '}')
	}
	return append(b, "]}"...), nil
}

// appendJSONFloat writes the shortest decimal that reads back as f (stored values are
// finite; a mean of an empty bucket never reaches here).
func appendJSONFloat(b []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(b, "null"...)
	}
	return strconv.AppendFloat(b, f, 'g', -1, 64)
}

// LatestPoint is the latest point of a series (the greatest time written).
type LatestPoint struct {
	SeriesID int64     `json:"-"`
	Key      string    `json:"key"`
	Time     time.Time `json:"time"`
	Value    float64   `json:"value"`
}

// IngestStats tells how a series is fed: its recent rate and its last error. Rates are
// counted by the writer of this node and stored every few seconds, so they survive a
// restart but may miss the last seconds before a crash.
type IngestStats struct {
	Key string `json:"key"`
	// Rate is points per second over the last full minute.
	Rate float64 `json:"rate"`
	// Total is every point written since the series was created.
	Total       int64      `json:"total"`
	LastWrite   *time.Time `json:"last_write,omitempty"`
	LastError   string     `json:"last_error,omitempty"`
	LastErrorAt *time.Time `json:"last_error_at,omitempty"`
}

// MaxIngestError is the most bytes of a stored last error.
const MaxIngestError = 1000

// IngestErrorText is how a series' last error is stored: the message in JSON, so that
// each reader sees it in its language, or english when the JSON would not fit.
func IngestErrorText(m Message, english string) string {
	b, err := json.Marshal(m)
	if err != nil || len(b) > MaxIngestError {
		return english
	}
	return string(b)
}

// IngestErrorMessage reads a stored last error (IngestErrorText): the message, or a
// text stored as it is (by an older version, or too long), as a message without a key,
// which renders as the text.
func IngestErrorMessage(stored string) Message {
	var m Message
	if len(stored) > 0 && stored[0] == '{' && json.Unmarshal([]byte(stored), &m) == nil && m.Key != "" {
		return m
	}
	return Message{Args: Args{stored}}
}

// SeriesCount is a number of points written to a series, for the ingest statistics.
type SeriesCount struct {
	SeriesID int64
	Points   int64
	At       time.Time // the write's time
}

// StoredSize is what the raw points of the store take.
type StoredSize struct {
	Points     int64 // in blocks and head
	BlockBytes int64 // bytes of encoded blocks
	HeadBytes  int64
	Rollup     int64 // bytes of rollup pages
}

// SeriesStore keeps the series registry and their points. Update and Delete take the
// version the caller last saw (0: any) and fail with EPRECONDITION when the row has
// moved on. Keys never change: a series is found by key or id.
type SeriesStore interface {
	FindSeries(ctx context.Context, f SeriesFilter) ([]*Series, int, error)
	// FindSeriesByKey returns a series by key (ENOTFOUND when none).
	FindSeriesByKey(ctx context.Context, key string) (*Series, error)
	CreateSeries(ctx context.Context, s *Series) error
	UpdateSeries(ctx context.Context, s *Series, version int) error
	// DeleteSeries deletes a series and every point of it.
	DeleteSeries(ctx context.Context, id int64, version int) error

	// SeriesIDs returns the ids of keys (0 for a key the registry does not hold); with
	// create it registers the missing ones first (name = key) and returns every id.
	SeriesIDs(ctx context.Context, keys []string, create bool) ([]int64, error)
	// WritePoints stores a write durably: when it returns nil the points survive a
	// crash of the process or the machine (SQLite: the commit is fsynced; PostgreSQL:
	// committed with synchronous_commit on). Per series and time the last write wins.
	WritePoints(ctx context.Context, w *PointWrite) error
	// IngestOffset returns the last bus sequence recorded for a durable consumer.
	IngestOffset(ctx context.Context, consumer string) (uint64, error)
	// Compact folds the recent points of series whose head is due into compressed blocks
	// and rollups; all folds every head. It returns how many series it folded; it is
	// off the acknowledgement path and changes no answer of a query.
	Compact(ctx context.Context, max int, all bool) (int, error)

	// QueryPoints answers a query; Resolution auto picks by the span.
	QueryPoints(ctx context.Context, q PointQuery) (*PointResult, error)
	// LatestPoints returns the latest point of each key (all series when keys is empty);
	// series with no point are left out.
	LatestPoints(ctx context.Context, keys []string) ([]LatestPoint, error)
	// ApplyRetention cuts, for each series with a retention, the points and rollups
	// before its cutoff at now; it returns how many series it cut.
	ApplyRetention(ctx context.Context, now time.Time) (int, error)

	// RecordIngest adds written points to the statistics; RecordIngestError notes the
	// last error of a series' ingest. IngestStats reads them.
	RecordIngest(ctx context.Context, counts []SeriesCount) error
	RecordIngestError(ctx context.Context, seriesID int64, message string, at time.Time) error
	IngestStats(ctx context.Context, keys []string) ([]IngestStats, error)
	// StoredSize measures the stored points.
	StoredSize(ctx context.Context) (StoredSize, error)
}
