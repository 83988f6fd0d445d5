package api

import (
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/httpx"
	"github.com/tinhso/tinhso/locale"
)

// Live series: the registry (list, create, read, change, delete) and their points at a
// resolution. Points come in through the ingest endpoints (package ingest).

// seriesInput is the writable part of a series. The key is given on creation and
// never changes.
type seriesInput struct {
	Key         string            `json:"key"`
	Name        string            `json:"name"`
	Unit        string            `json:"unit"`
	Description string            `json:"description"`
	Tags        map[string]string `json:"tags"`
	OrgUnit     string            `json:"org_unit"`
	Location    *tinhso.GeoPoint  `json:"location"`
	// RetentionDays keeps points this many days (0: forever).
	RetentionDays int `json:"retention_days"`
}

// seriesItem is a series as the API shows it: the registry's fields, its latest point
// and how it is fed.
type seriesItem struct {
	*tinhso.Series
	Latest *latestValue        `json:"latest,omitempty"`
	Ingest *tinhso.IngestStats `json:"ingest,omitempty"`
}

// latestValue is the latest point of a series.
type latestValue struct {
	Time  time.Time `json:"time"`
	Value float64   `json:"value"`
}

// pointsAnswer documents the answer of a points query (tinhso.PointResult marshals
// itself so).
type pointsAnswer struct {
	Key string `json:"key"`
	// Resolution is the one answered: raw, 1m, 1h or 1d (auto resolved).
	Resolution string        `json:"resolution"`
	Items      []pointAnswer `json:"items"`
}

// pointAnswer is a raw point (time and value), or a bucket starting at time with the
// mean as value and min, max, count and last alongside.
type pointAnswer struct {
	Time  time.Time `json:"time"`
	Value float64   `json:"value"`
	Min   float64   `json:"min,omitempty"`
	Max   float64   `json:"max,omitempty"`
	Count int64     `json:"count,omitempty"`
	Last  float64   `json:"last,omitempty"`
}

// seriesStore is the store's live-data part, when the store keeps series.
func (a *API) seriesStore() (tinhso.SeriesStore, error) {
	if ss, ok := a.store.(tinhso.SeriesStore); ok {
		return ss, nil
	}
	return nil, errors.New("api: the store keeps no live series")
}

func (a *API) seriesRoutes() []httpx.Route {
	item := "/api/v1/series/{key}"
	return []httpx.Route{
		{Method: "GET", Path: "/api/v1/series", Summary: "List the live series (with key, latest point and ingest statistics on each)", Action: tinhso.ActReadSeries,
			List: true, Resp: seriesItem{}, Query: []httpx.Param{{Name: "prefix", Type: "string", Desc: "keys starting with this"}, {Name: "org_unit", Type: "string", Desc: "the owning org unit's code"}},
			Handler: a.listSeries},
		{Method: "POST", Path: "/api/v1/series", Summary: "Register a series (key: letters, digits and _ . - , =)", Action: tinhso.ActManageSeries,
			Body: seriesInput{}, Resp: tinhso.Series{}, Status: 201, Handler: a.createSeries},
		{Method: "GET", Path: item, Summary: "A series, by key, with its latest point and ingest statistics", Action: tinhso.ActReadSeries, Resp: seriesItem{}, Handler: a.getSeries},
		{Method: "PUT", Path: item, Summary: "Replace a series' description (the key stays; If-Match: its version)", Action: tinhso.ActManageSeries,
			Body: seriesInput{}, Resp: tinhso.Series{}, Handler: a.putSeries},
		{Method: "PATCH", Path: item, Summary: "Change some fields of a series (If-Match: its version)", Action: tinhso.ActManageSeries,
			Body: seriesInput{}, Resp: tinhso.Series{}, Handler: a.patchSeries},
		{Method: "DELETE", Path: item, Summary: "Delete a series and every point of it", Action: tinhso.ActManageSeries, Status: 204, Handler: a.deleteSeries},
		{Method: "GET", Path: item + "/points", Summary: "Points of a series in [from, to): raw, or rollups (value is the mean; min, max, count, last alongside)",
			Action: tinhso.ActReadSeries, Resp: pointsAnswer{}, Query: []httpx.Param{
				{Name: "from", Type: "string", Desc: "RFC 3339, included; default: to minus 24 hours"},
				{Name: "to", Type: "string", Desc: "RFC 3339, excluded; default: now"},
				{Name: "resolution", Type: "string", Desc: "raw, 1m, 1h, 1d or auto (the default: raw up to 3 hours, 1m up to 2 days, 1h up to 90 days, then 1d)"}},
			Handler: a.seriesPoints},
	}
}

func (a *API) listSeries(w http.ResponseWriter, r *http.Request) {
	q := httpx.NewQuery(r)
	f := tinhso.SeriesFilter{Prefix: q.Str("prefix"), OrgUnit: q.Str("org_unit"), Page: q.Page()}
	if err := q.Done(); failed(w, r, err) {
		return
	}
	ss, err := a.seriesStore()
	if failed(w, r, err) {
		return
	}
	list, total, err := ss.FindSeries(r.Context(), f)
	if failed(w, r, err) {
		return
	}
	items, err := a.seriesItems(r, ss, list)
	if failed(w, r, err) {
		return
	}
	httpx.WriteList(w, items, total, f.Page)
}

// seriesItems adds the latest point and the ingest statistics to series, the last
// errors in the request's language.
func (a *API) seriesItems(r *http.Request, ss tinhso.SeriesStore, list []*tinhso.Series) ([]seriesItem, error) {
	ctx := r.Context()
	items := make([]seriesItem, len(list))
	if len(list) == 0 {
		return items, nil
	}
	keys := make([]string, len(list))
	at := make(map[string]int, len(list))
	for i, s := range list {
		keys[i], at[s.Key] = s.Key, i
		items[i].Series = s
	}
	latest, err := ss.LatestPoints(ctx, keys)
	if err != nil {
		return nil, err
	}
	for _, l := range latest {
		if i, ok := at[l.Key]; ok {
			items[i].Latest = &latestValue{Time: l.Time.UTC(), Value: l.Value}
		}
	}
	stats, err := ss.IngestStats(ctx, keys)
	if err != nil {
		return nil, err
	}
	p := locale.For(locale.FromRequest(r, locale.EN))
	for i := range stats {
		if j, ok := at[stats[i].Key]; ok {
			if stats[i].LastError != "" {
				stats[i].LastError = p.Message(tinhso.IngestErrorMessage(stats[i].LastError))
			}
			items[j].Ingest = &stats[i]
		}
	}
	return items, nil
}

// seriesLocation is a series' URL.
func seriesLocation(key string) string { return "/api/v1/series/" + url.PathEscape(key) }

func (in seriesInput) apply(s *tinhso.Series) {
	s.Name, s.Unit, s.Description, s.Tags, s.OrgUnit, s.Location, s.RetentionDays =
		in.Name, in.Unit, in.Description, in.Tags, in.OrgUnit, in.Location, in.RetentionDays
	if s.Tags == nil {
		s.Tags = map[string]string{}
	}
}

func seriesInputOf(s *tinhso.Series) seriesInput {
	return seriesInput{Key: s.Key, Name: s.Name, Unit: s.Unit, Description: s.Description, Tags: s.Tags, OrgUnit: s.OrgUnit, Location: s.Location, RetentionDays: s.RetentionDays}
}

func (a *API) createSeries(w http.ResponseWriter, r *http.Request) {
	ss, err := a.seriesStore()
	if failed(w, r, err) {
		return
	}
	var in seriesInput
	if err := a.decode(w, r, &in, nil); failed(w, r, err) {
		return
	}
	s := &tinhso.Series{Key: in.Key}
	in.apply(s)
	if s.Name == "" {
		s.Name = s.Key
	}
	if err := ss.CreateSeries(a.actor(r), s); failed(w, r, err) {
		return
	}
	w.Header().Set("Location", seriesLocation(s.Key))
	httpx.WriteVersioned(w, http.StatusCreated, s.Version, s)
}

func (a *API) getSeries(w http.ResponseWriter, r *http.Request) {
	ss, err := a.seriesStore()
	if failed(w, r, err) {
		return
	}
	s, err := ss.FindSeriesByKey(r.Context(), r.PathValue("key"))
	if failed(w, r, err) {
		return
	}
	items, err := a.seriesItems(r, ss, []*tinhso.Series{s})
	if failed(w, r, err) {
		return
	}
	httpx.WriteVersioned(w, http.StatusOK, s.Version, items[0])
}

func (a *API) putSeries(w http.ResponseWriter, r *http.Request)   { a.changeSeries(w, r, false) }
func (a *API) patchSeries(w http.ResponseWriter, r *http.Request) { a.changeSeries(w, r, true) }

// changeSeries replaces a series' description (PUT: fields left out are empty) or
// changes some of it (PATCH: fields left out stay). The key cannot change.
func (a *API) changeSeries(w http.ResponseWriter, r *http.Request, patch bool) {
	ss, err := a.seriesStore()
	if failed(w, r, err) {
		return
	}
	version, err := httpx.IfMatch(r)
	if failed(w, r, err) {
		return
	}
	s, err := ss.FindSeriesByKey(r.Context(), r.PathValue("key"))
	if failed(w, r, err) {
		return
	}
	before := seriesInputOf(s)
	var in seriesInput
	if patch {
		in = seriesInputOf(s)
	}
	if err := a.decode(w, r, &in, nil); failed(w, r, err) {
		return
	}
	if in.Key != "" && in.Key != s.Key {
		httpx.Error(w, r, tinhso.Invalid("key", "err.series.key_fixed", s.Key))
		return
	}
	in.Key = s.Key
	if in.Name == "" {
		in.Name = s.Key
	}
	if in.Tags == nil {
		in.Tags = map[string]string{}
	}
	if before.Tags == nil {
		before.Tags = map[string]string{}
	}
	if reflect.DeepEqual(in, before) {
		if version != 0 && version != s.Version {
			httpx.Error(w, r, tinhso.Errorf(tinhso.EPRECONDITION, "err.live_api.changed", version, s.Version))
			return
		}
		httpx.WriteVersioned(w, http.StatusOK, s.Version, s)
		return
	}
	in.apply(s)
	if err := ss.UpdateSeries(a.actor(r), s, version); failed(w, r, err) {
		return
	}
	httpx.WriteVersioned(w, http.StatusOK, s.Version, s)
}

func (a *API) deleteSeries(w http.ResponseWriter, r *http.Request) {
	ss, err := a.seriesStore()
	if failed(w, r, err) {
		return
	}
	version, err := httpx.IfMatch(r)
	if failed(w, r, err) {
		return
	}
	s, err := ss.FindSeriesByKey(r.Context(), r.PathValue("key"))
	if err == nil {
		err = ss.DeleteSeries(a.actor(r), s.ID, version)
	}
	if failed(w, r, err) {
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// parseInstant reads an RFC 3339 time of a query parameter.
func parseInstant(q *httpx.Query, name string) (time.Time, error) {
	s := strings.TrimSpace(q.Str(name))
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, tinhso.Invalid(name, "err.live_api.param_time", name, s)
	}
	return t, nil
}

func (a *API) seriesPoints(w http.ResponseWriter, r *http.Request) {
	ss, err := a.seriesStore()
	if failed(w, r, err) {
		return
	}
	q := httpx.NewQuery(r)
	from, err := parseInstant(q, "from")
	if failed(w, r, err) {
		return
	}
	to, err := parseInstant(q, "to")
	if failed(w, r, err) {
		return
	}
	res := q.OneOf("resolution", []string{tinhso.ResolutionRaw, tinhso.ResolutionMinute, tinhso.ResolutionHour, tinhso.ResolutionDay, tinhso.ResolutionAuto})
	if err := q.Done(); failed(w, r, err) {
		return
	}
	if to.IsZero() {
		to = a.cfg.Now()
		if !from.IsZero() && !to.After(from) {
			to = from.Add(24 * time.Hour)
		}
	}
	if from.IsZero() {
		from = to.Add(-24 * time.Hour)
	}
	out, err := ss.QueryPoints(r.Context(), tinhso.PointQuery{Key: r.PathValue("key"), From: from, To: to, Resolution: res})
	if failed(w, r, err) {
		return
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}
