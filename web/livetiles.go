package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/engine"
	"github.com/tinhso/tinhso/httpx"
)

// Live tiles (issue 13): on the operations board, the wall screen and the unit boards,
// a tile per live series (latest value, a sparkline of its last hour, its threshold
// state) that live.js keeps moving over the SSE stream. The pages include the partial
// "livetiles" with (.LiveTiles scope arg): "board", "unit" with the unit's code, or
// "wall" with the display link's token.

// maxTiles bounds the tiles of a page.
const maxTiles = 8

type liveTile struct {
	Key, Name, Unit string
	Has             bool
	Value           float64
	At              time.Time
	// Spark is the sparkline's values (the last hour's minute means), as JSON.
	Spark template.JS
	// Op and Threshold are the first threshold rule watching the series ("": none);
	// State is ok, open or none.
	Op        string
	Threshold float64
	Sign      string
	State     string
}

type liveTiles struct {
	Tiles []liveTile
	// Stream is the URL of the SSE stream of the tiles' points; Thresholds whether the
	// reader may ask the thresholds API (a signed-in reader).
	Stream     string
	Thresholds bool
}

// LiveTiles returns the tiles of a page (nil: none to show).
func (v *view) LiveTiles(scope, arg string) *liveTiles {
	if v.live == nil {
		return nil
	}
	return v.live(scope, arg)
}

// liveTiles reads the tiles of scope: the series of the unit (unit), or any (board,
// wall), the first maxTiles by key.
func (u *Web) liveTiles(r *http.Request, scope, arg string) *liveTiles {
	if scope != "wall" {
		// The board may be public: tiles for those who may read the series.
		if c := httpx.CallerFrom(r.Context()); c == nil || !c.May(tinhso.ActReadSeries) {
			return nil
		}
	}
	ss, err := u.seriesStore()
	if err != nil {
		return nil
	}
	ctx := r.Context()
	f := tinhso.SeriesFilter{Page: tinhso.Page{Limit: maxTiles}}
	if scope == "unit" {
		f.OrgUnit = arg
	}
	list, _, err := ss.FindSeries(ctx, f)
	if err != nil || len(list) == 0 {
		return nil
	}
	keys := make([]string, len(list))
	for i, s := range list {
		keys[i] = s.Key
	}
	latest, err := ss.LatestPoints(ctx, keys)
	if err != nil {
		return nil
	}
	last := map[string]tinhso.LatestPoint{}
	for _, p := range latest {
		last[p.Key] = p
	}
	rules, _ := u.store.FindAlertRules(ctx)
	open := map[string]bool{}
	if alerts, _, err := u.store.FindAlerts(ctx, tinhso.AlertFilter{State: "active", Page: tinhso.Page{Limit: 10000}}); err == nil {
		for _, a := range alerts {
			if a.Subject.Kind == "series" {
				open[a.Subject.Key] = true
			}
		}
	}
	out := &liveTiles{}
	q := url.Values{}
	for _, s := range list {
		t := liveTile{Key: s.Key, Name: s.Name, Unit: s.Unit, State: "none", Spark: template.JS("[]")}
		if t.Name == "" {
			t.Name = s.Key
		}
		if p, ok := last[s.Key]; ok {
			t.Has, t.Value, t.At = true, p.Value, p.Time
			res, err := ss.QueryPoints(ctx, tinhso.PointQuery{Key: s.Key, From: p.Time.Add(-time.Hour), To: p.Time.Add(time.Nanosecond),
				Resolution: tinhso.ResolutionMinute})
			if err == nil {
				vals := make([]string, 0, len(res.Items))
				for _, it := range res.Items {
					vals = append(vals, strconv.FormatFloat(it.Value, 'g', -1, 64))
				}
				t.Spark = template.JS("[" + strings.Join(vals, ",") + "]") // numbers only
			}
		}
		for _, rl := range rules {
			if rl.Enabled && rl.Kind == tinhso.RuleSeriesThreshold && rl.Threshold != nil && engine.SeriesInScope(rl, s) {
				t.Op, t.Threshold, t.State = rl.Op, *rl.Threshold, "ok"
				t.Sign = map[string]string{"lt": "<", "le": "≤", "gt": ">", "ge": "≥"}[rl.Op]
				if open[s.Key] {
					t.State = "open"
				}
				break
			}
		}
		out.Tiles = append(out.Tiles, t)
		q.Add("key", s.Key)
	}
	switch scope {
	case "wall":
		out.Stream = "/wall/" + url.PathEscape(arg) + "/stream?" + q.Encode()
	default:
		out.Stream = "/api/v1/series/stream?" + q.Encode()
		out.Thresholds = true
	}
	return out
}
