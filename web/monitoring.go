package web

import (
	"bytes"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/credential"
	"github.com/tinhso/tinhso/engine"
	"github.com/tinhso/tinhso/httpx"
	"github.com/tinhso/tinhso/locale"
)

// Monitoring I on the pages: statuses with their reasons on the task and indicator
// pages, the board's at-a-glance part, the unit board's own classes, and the wall
// screen of the operations room, opened by a read-only display link.

func (u *Web) monitoringRoutes() []route {
	return []route{
		{"GET /wall/{token}", u.wall},
		{"GET /wall/{token}/data", u.wallData},
		{"GET /admin/displays", u.guard(tinhso.ActManageUsers, u.displays)},
		{"POST /admin/displays", u.guard(tinhso.ActManageUsers, u.createDisplay)},
		{"POST /admin/displays/{id}/revoke", u.guard(tinhso.ActManageUsers, u.revokeDisplay)},
	}
}

// Class is a status class's words.
func (v *view) Class(c string) string { return v.T("status.class." + c) }

// PeriodState is a recurring task's period state in words.
func (v *view) PeriodState(s string) string { return v.T("status.period." + s) }

// StatusFlag is an indicator status flag in words.
func (v *view) StatusFlag(f string) string {
	if v.has("status.flag." + f) {
		return v.T("status.flag." + f)
	}
	return v.Class(f)
}

var isoDate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// Reason renders a status reason in the page's language: dates as the language writes
// them, numbers with its separators.
func (v *view) Reason(r tinhso.Reason) string {
	args := make(map[string]any, len(r.Args))
	for k, a := range r.Args {
		switch x := a.(type) {
		case string:
			if isoDate.MatchString(x) {
				args[k] = tinhso.Date(x)
			} else {
				args[k] = x
			}
		case float64:
			args[k] = tinhso.Number(x)
		default:
			args[k] = a
		}
	}
	return locale.For(locale.Lang(v.Lang)).T(r.Key, args)
}

// forecastChart is what app.js draws for an indicator: its figures on a time axis
// (seconds), the target as a band or line, and the forecast line with its 80% band
// from the last figure to the horizon.
type forecastChart struct {
	Name   string    `json:"name"`
	Unit   string    `json:"unit"`
	X      []int64   `json:"x"`
	Values []float64 `json:"values"`
	// FX are the forecast's points: the last figure's date, each year's end, the
	// horizon; FV, FLo, FHi the line and the band there (FLo, FHi empty without one).
	FX      []int64   `json:"fx"`
	FV      []float64 `json:"fv"`
	FLo     []float64 `json:"flo,omitempty"`
	FHi     []float64 `json:"fhi,omitempty"`
	GoalLo  *float64  `json:"goal_low,omitempty"`
	GoalHi  *float64  `json:"goal_high,omitempty"`
	Class   string    `json:"class"`
	Label   string    `json:"label"`
	Small   bool      `json:"small,omitempty"`
	Horizon string    `json:"horizon,omitempty"`
	// VLabels are the figures as the page's language writes them, drawn beside their
	// points; GoalText the target as the line's label; Direction which way is better
	// ("rank" draws the axis with the first place on top).
	VLabels   []string `json:"vlabels"`
	GoalText  string   `json:"goal_text,omitempty"`
	GoalLabel string   `json:"-"`
	Direction string   `json:"direction,omitempty"`
}

func unixOf(date string) (int64, bool) {
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return 0, false
	}
	return t.Unix(), true
}

// newForecastChart makes an indicator's chart from its figures and status; nil when
// it has no numeric figure.
func newForecastChart(v *view, ind *tinhso.Indicator, st *tinhso.IndicatorStatus, figs []tinhso.IndicatorFigure) *forecastChart {
	c := &forecastChart{Name: ind.Code, Unit: ind.Unit}
	if st != nil {
		c.Class = st.Class
		if g := st.Goal; g != nil {
			c.GoalLo, c.GoalHi = g.Low, g.High
		}
	}
	words := []string{}
	for _, f := range figs {
		x, ok := unixOf(f.Date)
		if !ok || f.Value == nil {
			continue
		}
		if n := len(c.X); n > 0 && c.X[n-1] == x {
			c.Values[n-1] = *f.Value // one figure a day, as the statuses count
			continue
		}
		c.X, c.Values = append(c.X, x), append(c.Values, *f.Value)
		c.VLabels = append(c.VLabels, v.Num(*f.Value))
		words = append(words, v.Date(f.Date)+": "+v.Num(*f.Value))
	}
	for i := range c.X { // the figure a day kept is the last one
		c.VLabels[i] = v.Num(c.Values[i])
	}
	if c.GoalLo != nil || c.GoalHi != nil {
		c.GoalText = v.T("w9.chart.goal_line", v.Target(ind.Target))
		c.GoalLabel = v.T("w9.chart.goal", v.Target(ind.Target))
		c.Direction = direction(ind.Target, tinhso.Goal{Low: c.GoalLo, High: c.GoalHi})
	}
	if len(c.X) == 0 {
		return nil
	}
	label := v.T("mon.chart_label", ind.Code, strings.Join(words, "; "))
	if st != nil && st.Forecast != nil {
		fc := st.Forecast
		c.Horizon = fc.At
		last, _ := time.Parse(time.DateOnly, fc.Fit.Last)
		origin, _ := time.Parse(time.DateOnly, fc.Fit.Origin)
		at, _ := time.Parse(time.DateOnly, fc.At)
		points := []time.Time{last}
		for y := last.Year(); y < at.Year(); y++ {
			if e := time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC); e.After(last) {
				points = append(points, e)
			}
		}
		if at.After(points[len(points)-1]) {
			points = append(points, at)
		}
		for _, p := range points {
			x := p.Sub(origin).Hours() / 24 / engine.DaysPerYear
			val, lo, hi, ok := engine.Predict(fc.Fit, x, engine.ForecastLevel)
			c.FX, c.FV = append(c.FX, p.Unix()), append(c.FV, val)
			if ok {
				c.FLo, c.FHi = append(c.FLo, lo), append(c.FHi, hi)
			}
		}
		if fc.Low != nil {
			label += "; " + v.T("mon.chart_forecast", v.Date(fc.At), v.Num(fc.Value), v.Num(*fc.Low), v.Num(*fc.High))
		} else {
			label += "; " + v.T("mon.chart_forecast_line", v.Date(fc.At), v.Num(fc.Value))
		}
	}
	if ind.TargetText != "" {
		label += "; " + v.T("board.trend_target", ind.TargetText)
	}
	c.Label = label
	return c
}

// boardCharts are the board's indicator charts.
type boardChart struct {
	Ind    *tinhso.Indicator
	Status tinhso.IndicatorStatus
	Chart  *forecastChart
}

func newBoardCharts(v *view, mb *app.MonitorBoard) []boardChart {
	var out []boardChart
	for _, c := range mb.Charts {
		st := c.Status
		ch := newForecastChart(v, c.Ind, &st, c.Figures)
		if ch == nil {
			continue
		}
		ch.Small = true
		out = append(out, boardChart{Ind: c.Ind, Status: st, Chart: ch})
	}
	return out
}

// wallData is the wall screen's read model, also its JSON for refreshing itself.
type wallData struct {
	Token     string         `json:"-"`
	Every     int            `json:"-"` // seconds between refreshes
	Name      string         `json:"name"`
	At        string         `json:"at"`
	Tasks     []wallCount    `json:"tasks"`
	TaskTotal int            `json:"task_total"`
	Inds      []wallCount    `json:"indicators"`
	IndTotal  int            `json:"indicator_total"`
	Docs      []wallDoc      `json:"documents"`
	Agencies  []wallAgency   `json:"agencies"`
	Urgent    []wallUrgent   `json:"urgent"`
	Charts    []wallSpark    `json:"charts"`
	Synthetic bool           `json:"synthetic"`
	Texts     map[string]any `json:"-"`
}

type wallCount struct {
	Class string `json:"class"`
	Label string `json:"label"`
	N     int    `json:"n"`
}

type wallDoc struct {
	Name  string      `json:"name"`
	Tasks []wallCount `json:"tasks"`
	Inds  []wallCount `json:"indicators"`
	Total int         `json:"total"`
	IndN  int         `json:"indicator_total"`
}

type wallAgency struct {
	Name    string `json:"name"`
	Overdue int    `json:"overdue"`
	Tasks   int    `json:"tasks"`
}

type wallUrgent struct {
	Kind   string `json:"kind"`
	Title  string `json:"title"`
	Class  string `json:"class"`
	Label  string `json:"label"`
	Owners string `json:"owners"`
	Detail string `json:"detail"`
}

type wallSpark struct {
	Code  string         `json:"code"`
	Name  string         `json:"name"`
	Class string         `json:"class"`
	Label string         `json:"label"`
	Chart *forecastChart `json:"chart"`
}

// displayLink finds the display link of the request's token.
func (u *Web) displayLink(r *http.Request) (*tinhso.DisplayLink, error) {
	tok := r.PathValue("token")
	if len(tok) < 20 {
		return nil, tinhso.Errorf(tinhso.ENOTFOUND, "err.display.not_found")
	}
	return u.store.DisplayLinkByHash(r.Context(), credential.HashToken(tok))
}

func owners(refs []tinhso.AgencyRef) string {
	names := make([]string, 0, len(refs))
	for _, a := range refs {
		n := a.Name
		if n == "" {
			n = a.Code
		}
		names = append(names, n)
	}
	return strings.Join(names, ", ")
}

func (u *Web) wallModel(r *http.Request, v *view, l *tinhso.DisplayLink) (*wallData, error) {
	p, err := u.app.Plan(r.Context())
	if err != nil {
		return nil, err
	}
	m, err := u.app.Monitor(r.Context())
	if err != nil {
		return nil, err
	}
	mb := m.Board(p, p.Resolve(app.PlanFilter{}), 5, 8)
	if len(mb.Agencies) > 6 {
		mb.Agencies = mb.Agencies[:6]
	}
	d := &wallData{Name: l.Name, At: v.Time(m.At), TaskTotal: mb.TaskTotal, IndTotal: mb.IndTotal, Synthetic: mb.Synthetic}
	for _, c := range mb.TaskClasses {
		d.Tasks = append(d.Tasks, wallCount{c.Class, v.Class(c.Class), c.N})
	}
	for _, c := range mb.IndClasses {
		d.Inds = append(d.Inds, wallCount{c.Class, v.Class(c.Class), c.N})
	}
	for _, x := range mb.Docs {
		name := ""
		if x.Doc != nil {
			name = p.DocName(x.Doc.Slug)
		}
		wd := wallDoc{Name: name, Total: x.TaskTotal, IndN: x.IndTotal}
		for _, c := range tinhso.TaskClasses {
			wd.Tasks = append(wd.Tasks, wallCount{c, v.Class(c), x.Tasks[c]})
		}
		for _, c := range tinhso.IndicatorClasses {
			wd.Inds = append(wd.Inds, wallCount{c, v.Class(c), x.Indicators[c]})
		}
		d.Docs = append(d.Docs, wd)
	}
	for _, a := range mb.Agencies {
		d.Agencies = append(d.Agencies, wallAgency{a.Name, a.Overdue, a.Tasks})
	}
	for _, it := range mb.Urgent {
		w := wallUrgent{Class: it.Class, Label: v.Class(it.Class), Owners: owners(it.Owners), Detail: v.Reason(it.Reason)}
		if it.Task != nil {
			w.Kind, w.Title = "task", p.DocName(it.Task.Document)+" · "+it.Task.Number+". "+it.Task.Title
		} else {
			w.Kind, w.Title = "indicator", p.DocName(it.Indicator.Document)+" · "+it.Indicator.Code+". "+it.Indicator.Name
		}
		d.Urgent = append(d.Urgent, w)
	}
	for _, c := range newBoardCharts(v, mb) {
		d.Charts = append(d.Charts, wallSpark{Code: c.Ind.Code, Name: c.Ind.Name, Class: c.Status.Class, Label: v.Class(c.Status.Class), Chart: c.Chart})
	}
	return d, nil
}

// wall is the operations room's screen: read-only, opened by a display link.
func (u *Web) wall(w http.ResponseWriter, r *http.Request) {
	v := u.newView(w, r, "")
	l, err := u.displayLink(r)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	d, err := u.wallModel(r, v, l)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	d.Token, d.Every = r.PathValue("token"), 60
	if n, err := strconv.Atoi(r.URL.Query().Get("refresh")); err == nil && n >= 2 && n <= 3600 {
		d.Every = n
	}
	v.Scripts = []string{"vendor/uPlot.iife.min.js", "app.js", "wall.js"}
	v.Title, v.D = v.T("wall.title"), d
	var buf bytes.Buffer
	if err := u.pages["wall"].ExecuteTemplate(&buf, "wallpage", v); err != nil {
		u.fail(w, r, v, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", v.Lang)
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	w.Write(buf.Bytes())
}

// wallData answers the wall screen's refresh.
func (u *Web) wallData(w http.ResponseWriter, r *http.Request) {
	v := u.newView(w, r, "")
	l, err := u.displayLink(r)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	d, err := u.wallModel(r, v, l)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, http.StatusOK, d)
}

type displaysData struct {
	Links   []*tinhso.DisplayLink
	Created *tinhso.DisplayLink
	URL     string
	Error   string
}

func (u *Web) displays(w http.ResponseWriter, r *http.Request) {
	v := u.newView(w, r, "displays")
	links, err := u.store.FindDisplayLinks(r.Context())
	u.show(w, r, v, "displays", v.T("displays.title"), &displaysData{Links: links}, err)
}

func (u *Web) createDisplay(w http.ResponseWriter, r *http.Request) {
	v := u.newView(w, r, "displays")
	name := strings.TrimSpace(r.PostFormValue("name"))
	d := &displaysData{}
	if name == "" || len(name) > 200 {
		d.Error = v.T("displays.name_required")
	} else {
		tok := "tsd_" + credential.RandomToken(24)
		l := &tinhso.DisplayLink{Name: name, CreatedBy: user(r).Username}
		if err := u.store.CreateDisplayLink(r.Context(), l, credential.HashToken(tok)); err != nil {
			u.fail(w, r, v, err)
			return
		}
		d.Created, d.URL = l, "/wall/"+tok
	}
	links, err := u.store.FindDisplayLinks(r.Context())
	d.Links = links
	u.show(w, r, v, "displays", v.T("displays.title"), d, err)
}

func (u *Web) revokeDisplay(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.IDParam(r)
	if err == nil {
		err = u.store.RevokeDisplayLink(r.Context(), id)
	}
	if err != nil {
		u.fail(w, r, nil, err)
		return
	}
	http.Redirect(w, r, "/admin/displays?done=display_revoked", http.StatusSeeOther)
}
