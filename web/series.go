package web

import (
	"context"
	"encoding/json"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/httpx"
)

// Live data pages: the series list, a series with its chart at a resolution, and the
// ingest tokens (API tokens of the scope series:write) with how to send points.

func (u *Web) seriesRoutes() []route {
	return []route{
		{"GET /series", u.guard(tinhso.ActReadSeries, u.seriesList)},
		{"GET /series/{key}", u.guard(tinhso.ActReadSeries, u.seriesPage)},
		{"GET /admin/ingest-tokens", u.guard(tinhso.ActManageTokens, u.ingestTokens)},
		{"POST /admin/ingest-tokens", u.guard(tinhso.ActManageTokens, u.createIngestToken)},
		{"POST /series/settings", u.guard(tinhso.ActManageSeries, u.saveIngestSettings)},
	}
}

// seriesStore is the store's live-data part.
func (u *Web) seriesStore() (tinhso.SeriesStore, error) {
	if ss, ok := u.store.(tinhso.SeriesStore); ok {
		return ss, nil
	}
	return nil, errors.New("web: the store keeps no live series")
}

// seriesRow is a series as the pages show it.
type seriesRow struct {
	S      *tinhso.Series
	Latest *tinhso.LatestPoint
	Stats  *tinhso.IngestStats
}

// Href is the series page's address.
func (s seriesRow) Href() string { return seriesHref(s.S.Key) }

func seriesHref(key string) string { return "/series/" + url.PathEscape(key) }

// seriesRows adds the latest points and ingest statistics to series, the last errors
// in the page's language.
func seriesRows(ctx context.Context, v *view, ss tinhso.SeriesStore, list []*tinhso.Series) ([]seriesRow, error) {
	rows := make([]seriesRow, len(list))
	keys := make([]string, len(list))
	at := map[string]int{}
	for i, s := range list {
		rows[i].S, keys[i], at[s.Key] = s, s.Key, i
	}
	if len(list) == 0 {
		return rows, nil
	}
	latest, err := ss.LatestPoints(ctx, keys)
	if err != nil {
		return nil, err
	}
	for i := range latest {
		if j, ok := at[latest[i].Key]; ok {
			rows[j].Latest = &latest[i]
		}
	}
	stats, err := ss.IngestStats(ctx, keys)
	if err != nil {
		return nil, err
	}
	for i := range stats {
		if j, ok := at[stats[i].Key]; ok {
			if stats[i].LastError != "" {
				stats[i].LastError = v.printer().Message(tinhso.IngestErrorMessage(stats[i].LastError))
			}
			rows[j].Stats = &stats[i]
		}
	}
	return rows, nil
}

type seriesListData struct {
	Rows  []seriesRow
	Pager pager
	F     struct{ Q string }
	// Policy is the unknown-series setting; MayTokens whether the reader may make
	// ingest tokens.
	Policy    string
	MayTokens bool
	// MayManage whether the reader may change the setting.
	MayManage bool
	// MayConnectors whether the reader may manage the connectors (a link to them).
	MayConnectors bool
}

// seriesList lists the series, by key, with their latest value, rate and last error.
func (u *Web) seriesList(w http.ResponseWriter, r *http.Request) {
	v := u.newView(w, r, "series")
	ss, err := u.seriesStore()
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	d := &seriesListData{Policy: u.unknownSeriesPolicy(r.Context())}
	d.F.Q = strings.TrimSpace(r.URL.Query().Get("q"))
	c := httpx.CallerFrom(r.Context())
	d.MayTokens = c.May(tinhso.ActManageTokens) && c.User.Can(tinhso.ActWriteSeries) && c.User.ID != 0
	d.MayManage = c.May(tinhso.ActManageSeries)
	d.MayConnectors = c.May(tinhso.ActManageConnectors)
	// The total first, for the pager; then the page.
	_, total, err := ss.FindSeries(r.Context(), tinhso.SeriesFilter{Prefix: d.F.Q, Page: tinhso.Page{Limit: 1}})
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	d.Pager = paginate(r, total)
	var list []*tinhso.Series
	if total > 0 {
		list, _, err = ss.FindSeries(r.Context(), tinhso.SeriesFilter{Prefix: d.F.Q, Page: tinhso.Page{Limit: perPage, Offset: d.Pager.From}})
	}
	if err == nil {
		d.Rows, err = seriesRows(r.Context(), v, ss, list)
	}
	u.show(w, r, v, "series_list", v.T("live.list.title"), d, err)
}

// unknownSeriesPolicy reads the stored unknown-series setting (create when unset).
func (u *Web) unknownSeriesPolicy(ctx context.Context) string {
	if st, ok := u.store.(interface {
		Setting(ctx context.Context, name string) (string, bool, error)
	}); ok {
		if v, ok, err := st.Setting(ctx, tinhso.SettingUnknownSeries); err == nil && ok && v == tinhso.UnknownSeriesRefuse {
			return v
		}
	}
	return tinhso.UnknownSeriesCreate
}

// The spans the series page offers, and the resolutions.
var (
	seriesSpans = []struct {
		Name string
		D    time.Duration
	}{{"1h", time.Hour}, {"6h", 6 * time.Hour}, {"1d", 24 * time.Hour}, {"7d", 7 * 24 * time.Hour}, {"30d", 30 * 24 * time.Hour}, {"365d", 365 * 24 * time.Hour}}
	seriesResolutions = []string{tinhso.ResolutionAuto, tinhso.ResolutionRaw, tinhso.ResolutionMinute, tinhso.ResolutionHour, tinhso.ResolutionDay}
)

// switchLink is a choice of the resolution or span switch.
type switchLink struct {
	Name, Label, Href string
	Current           bool
}

// The words of the switches' choices.
var (
	spanKeys = map[string]string{"1h": "live.span.1h", "6h": "live.span.6h", "1d": "live.span.1d", "7d": "live.span.7d", "30d": "live.span.30d", "365d": "live.span.365d"}
	resKeys  = map[string]string{tinhso.ResolutionAuto: "live.res.auto", tinhso.ResolutionRaw: "live.res.raw", tinhso.ResolutionMinute: "live.res.1m",
		tinhso.ResolutionHour: "live.res.1h", tinhso.ResolutionDay: "live.res.1d"}
)

type seriesPageData struct {
	seriesRow
	Span, Res string
	Spans     []switchLink
	Ress      []switchLink
	From, To  time.Time
	// Answered names the resolution answered (auto resolved).
	Answered string
	Result   *tinhso.PointResult
	// Error is why the points could not be shown (a span too long for raw points).
	Error string
	Chart template.JS
	// Recent are the newest items of the answer, newest first, for the table.
	Recent []tinhso.PointItem
	Tags   []string
}

// seriesPage shows a series: its description, latest value, ingest rate and last
// error, and its points over a span at a resolution, as a chart and a table.
func (u *Web) seriesPage(w http.ResponseWriter, r *http.Request) {
	v := u.newView(w, r, "series")
	ss, err := u.seriesStore()
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	key := r.PathValue("key")
	s, err := ss.FindSeriesByKey(r.Context(), key)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	rows, err := seriesRows(r.Context(), v, ss, []*tinhso.Series{s})
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	d := &seriesPageData{seriesRow: rows[0], Span: "1d", Res: tinhso.ResolutionAuto}
	q := r.URL.Query()
	span := 24 * time.Hour
	for _, sp := range seriesSpans {
		if q.Get("span") == sp.Name {
			d.Span, span = sp.Name, sp.D
		}
	}
	if x := q.Get("res"); slices.Contains(seriesResolutions, x) {
		d.Res = x
	}
	for _, sp := range seriesSpans {
		d.Spans = append(d.Spans, switchLink{sp.Name, v.T(spanKeys[sp.Name]), v.Href(seriesHref(key), "span", sp.Name, "res", d.Res), sp.Name == d.Span})
	}
	for _, x := range seriesResolutions {
		d.Ress = append(d.Ress, switchLink{x, v.T(resKeys[x]), v.Href(seriesHref(key), "span", d.Span, "res", x), x == d.Res})
	}
	for k, val := range s.Tags {
		d.Tags = append(d.Tags, k+"="+val)
	}
	slices.Sort(d.Tags)
	// The span ends at the latest point when the series has stopped, else now.
	d.To = u.cfg.Now()
	if d.Latest != nil && d.Latest.Time.Before(d.To.Add(-span)) {
		d.To = d.Latest.Time.Add(time.Nanosecond)
	}
	d.From = d.To.Add(-span)
	// A span given by its ends (a figure computed from the series links here so).
	if f, err1 := time.Parse(time.RFC3339, q.Get("from")); err1 == nil {
		if t, err2 := time.Parse(time.RFC3339, q.Get("to")); err2 == nil && t.After(f) {
			d.From, d.To, d.Span = f, t, ""
		}
	}
	res, err := ss.QueryPoints(r.Context(), tinhso.PointQuery{Key: key, From: d.From, To: d.To, Resolution: d.Res})
	switch {
	case err == nil:
		d.Result, d.Answered = res, v.T(resKeys[res.Resolution])
		d.Chart, err = seriesChart(s, res, v)
		if err != nil {
			u.fail(w, r, v, err)
			return
		}
		n := min(len(res.Items), 50)
		for i := len(res.Items) - 1; i >= len(res.Items)-n; i-- {
			d.Recent = append(d.Recent, res.Items[i])
		}
		if len(res.Items) > 0 {
			v.Scripts = []string{"vendor/uPlot.iife.min.js", "series.js"}
		}
	case tinhso.ErrorCode(err) == tinhso.EINVALID:
		d.Error = v.printer().Error(err)
	default:
		u.fail(w, r, v, err)
		return
	}
	title := s.Name
	if title == "" {
		title = s.Key
	}
	u.show(w, r, v, "series", title, d, nil)
}

// seriesChartData is what series.js draws with uPlot: times in seconds, the values
// (means at rollup resolutions) and, for rollups, the minima and maxima.
type seriesChartData struct {
	T     []float64 `json:"t"`
	V     []float64 `json:"v"`
	Min   []float64 `json:"min,omitempty"`
	Max   []float64 `json:"max,omitempty"`
	Name  string    `json:"name"`
	Unit  string    `json:"unit"`
	Names [2]string `json:"names"` // of the min and max lines
	Res   string    `json:"res"`
}

func seriesChart(s *tinhso.Series, res *tinhso.PointResult, v *view) (template.JS, error) {
	c := seriesChartData{Name: s.Name, Unit: s.Unit, Res: res.Resolution, Names: [2]string{v.T("live.chart.min"), v.T("live.chart.max")}}
	if c.Name == "" {
		c.Name = s.Key
	}
	raw := res.Resolution == tinhso.ResolutionRaw
	for _, it := range res.Items {
		c.T = append(c.T, float64(it.Time.UnixNano())/1e9)
		c.V = append(c.V, it.Value)
		if !raw {
			c.Min = append(c.Min, it.Min)
			c.Max = append(c.Max, it.Max)
		}
	}
	b, err := json.Marshal(c)
	// The JSON sits in a <script type="application/json">: no "</" may close it.
	return template.JS(strings.ReplaceAll(string(b), "</", `<\/`)), err
}

type ingestTokensData struct {
	Tokens  []*tinhso.APIToken
	Name    string
	Expires string
	Error   string
	Created *tinhso.APIToken
	// Token is the new token itself, shown this once.
	Token string
	// Base is the address clients send to.
	Base string
}

// ingestTokens lists one's own tokens that may send points, with the form for a new
// one and how collectors use it.
func (u *Web) ingestTokens(w http.ResponseWriter, r *http.Request) {
	u.renderIngestTokens(w, r, http.StatusOK, &ingestTokensData{})
}

func (u *Web) renderIngestTokens(w http.ResponseWriter, r *http.Request, status int, d *ingestTokensData) {
	me := user(r)
	v := u.newView(w, r, "series")
	v.Title = v.T("live.tokens.title")
	if !me.Can(tinhso.ActWriteSeries) || me.ID == 0 {
		u.forbidden(w, r, "")
		return
	}
	all, err := u.store.FindAPITokens(r.Context(), me.ID)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	for _, t := range all {
		if t.Allows(tinhso.ActWriteSeries) {
			d.Tokens = append(d.Tokens, t)
		}
	}
	// The examples are for the signed-in reader's own terminal: without --public-url they
	// name the address this browser reached (shown only to the one who sent it).
	if d.Base = u.baseURL(); d.Base == "" {
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		d.Base = scheme + "://" + r.Host
	}
	v.D = d
	u.render(w, r, status, "ingest_tokens", v)
}

// createIngestToken makes a token of one's own with the scope series:write only,
// shown once.
func (u *Web) createIngestToken(w http.ResponseWriter, r *http.Request) {
	c := httpx.CallerFrom(r.Context())
	if err := u.parseForm(w, r); err != nil {
		u.fail(w, r, nil, err)
		return
	}
	d := &ingestTokensData{Name: formValue(r, "name"), Expires: formValue(r, "expires")}
	nt := app.NewToken{Owner: c.User, Name: d.Name, Scopes: []string{tinhso.ActWriteSeries}, Via: c.Token, Now: u.cfg.Now()}
	var err error
	if d.Expires != "" {
		day, perr := time.ParseInLocation("2006-01-02", d.Expires, tinhso.Location)
		if perr != nil {
			err = tinhso.Invalid("expires_at", "err.live_api.expiry_date")
		} else {
			exp := day.AddDate(0, 0, 1)
			nt.ExpiresAt = &exp
		}
	}
	var t *tinhso.APIToken
	var token string
	if err == nil && c.User.ID != 0 && c.User.Can(tinhso.ActWriteSeries) {
		t, token, err = u.app.CreateToken(r.Context(), nt)
	}
	if err != nil {
		if tinhso.ErrorCode(err) == tinhso.EINTERNAL {
			u.fail(w, r, nil, err)
			return
		}
		v := u.newView(w, r, "series")
		d.Error = v.printer().Error(err)
		u.renderIngestTokens(w, r, httpx.Status(err), d)
		return
	}
	u.renderIngestTokens(w, r, http.StatusCreated, &ingestTokensData{Created: t, Token: token})
}

// saveIngestSettings stores the unknown-series setting from the series list's form (in
// force within a second), and goes back to the list.
func (u *Web) saveIngestSettings(w http.ResponseWriter, r *http.Request) {
	if err := u.parseForm(w, r); err != nil {
		u.fail(w, r, nil, err)
		return
	}
	policy := formValue(r, "unknown_series")
	st, ok := u.store.(interface {
		SetSetting(ctx context.Context, name, value string) error
	})
	var err error
	switch {
	case !ok:
		err = errors.New("web: the store keeps no settings")
	case policy != tinhso.UnknownSeriesCreate && policy != tinhso.UnknownSeriesRefuse:
		err = tinhso.Invalid("unknown_series", "err.live_api.unknown_series", policy)
	default:
		err = st.SetSetting(r.Context(), tinhso.SettingUnknownSeries, policy)
	}
	if err != nil {
		u.fail(w, r, nil, err)
		return
	}
	http.Redirect(w, r, "/series#unknown-policy", http.StatusSeeOther)
}
