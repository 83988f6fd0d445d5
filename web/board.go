package web

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
)

// The operations board (Bảng điều hành): where the plan stands today, useful before
// any report arrives, and as reports arrive. Every figure links to the records it
// counts. Who reported what is shown to those who may read every unit's submissions
// (as GET /api/v1/submissions decides); the figures, as everywhere on the board, to all.

// boardData is the board's read model with each indicator's small chart.
type boardData struct {
	*app.Board
	Groups []boardGroup
	// Mon is the at-a-glance part (statuses), Charts its indicator charts.
	Mon    *app.MonitorBoard
	Charts []boardChart
}

// boardGroup is a document's indicators on the board.
type boardGroup struct {
	Doc   *tinhso.Document
	Items []boardIndicator
	Total int // the document's indicators the filter keeps, shown or not
}

// boardIndicator is an indicator's row: its latest figure and trend chart.
type boardIndicator struct {
	Ind    *tinhso.Indicator
	Figure *tinhso.Figure
	// Trend is the indicator's approved figures over the periods, for a small chart
	// (nil when it has none).
	Trend *boardTrend
	// Texts are a qualitative indicator's approved results in words.
	Texts []app.TextResult
}

// boardPage is the operations board behind sign-in, or open to all when the province
// publishes it (Config.PublicBoard, read at each request).
func (u *Web) boardPage(w http.ResponseWriter, r *http.Request) {
	if u.cfg.PublicBoard {
		u.board(w, r)
		return
	}
	u.guard(tinhso.ActSignedIn, u.board)(w, r)
}

// boardTrend is what an indicator's small chart shows, and says in words.
type boardTrend struct {
	Chart *chartData
	Label string // the chart's accessible name: every figure and the target
	Last  app.TrendPoint
	N     int
}

func (u *Web) board(w http.ResponseWriter, r *http.Request) {
	v := u.newView(w, r, "board")
	reports := u.mayReadAll(r, v)
	// The board's content is the same for every reader of one question (the filter, the
	// language, the day, whether they read every unit's reports, and the unit of one who
	// does not), and costs most to render: it is kept, rendered, until the data changes.
	who := "public"
	if v.Me != nil && v.Me.User != nil {
		who = "user\x00" + v.Me.User.OrgUnit
	}
	key := strings.Join([]string{"board", v.Lang, v.Today, r.URL.RawQuery, strconv.FormatBool(reports), who}, "\x00")
	x, err := u.app.Keep(r.Context(), key, func() (any, error) { return u.boardContent(r, v, reports) })
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	c := x.(*renderedBoard)
	v.Title, v.Pre, v.Scripts = v.T("board.title"), c.HTML, c.Scripts
	u.render(w, r, http.StatusOK, "board", v)
}

// renderedBoard is the board's content, rendered, with the scripts it needs.
type renderedBoard struct {
	HTML    template.HTML
	Scripts []string
}

func (u *Web) boardContent(r *http.Request, v *view, reports bool) (*renderedBoard, error) {
	b, err := u.app.Board(r.Context(), app.BoardQuery{Filter: planFilter(r), Today: v.Today, Reports: reports,
		PunctAll: r.URL.Query().Get("punct") == "all"})
	if err != nil {
		return nil, err
	}
	d := &boardData{Board: b}
	if d.Mon, err = u.app.MonitorBoard(r.Context(), b.P, b.F); err != nil {
		return nil, err
	}
	cv := *v
	if d.Charts = newBoardCharts(&cv, d.Mon); len(d.Charts) > 0 {
		cv.Scripts = chartScripts
	}
	for _, g := range b.Groups {
		bg := boardGroup{Doc: g.Doc, Total: g.Total}
		for _, it := range g.Items {
			row := boardIndicator{Ind: it.Ind, Figure: it.Figure, Texts: it.Texts}
			if len(it.Trend) > 0 {
				row.Trend = newBoardTrend(&cv, it.Ind, it.Trend)
				cv.Scripts = chartScripts
			}
			bg.Items = append(bg.Items, row)
		}
		d.Groups = append(d.Groups, bg)
	}
	cv.D = d
	var buf bytes.Buffer
	if err := u.pages["board"].ExecuteTemplate(&buf, "content", &cv); err != nil {
		return nil, fmt.Errorf("render board: %w", err)
	}
	return &renderedBoard{HTML: template.HTML(buf.String()), Scripts: cv.Scripts}, nil
}

// mayReadAll says whether the caller may read every unit's submissions, as the JSON API
// decides for GET /api/v1/submissions (the role, and a token's scopes).
func (u *Web) mayReadAll(r *http.Request, v *view) bool {
	if v.Me == nil || v.Me.User == nil || !v.Me.User.Can(tinhso.ActReadAll) {
		return false
	}
	return u.auth.Caller(r).May(tinhso.ActReadAll)
}

// numericTarget is a target a chart can draw as a line.
func numericTarget(t tinhso.Target) bool {
	return t.Value != nil && (t.Kind == tinhso.TargetNumeric || t.Kind == tinhso.TargetRank)
}

func newBoardTrend(v *view, ind *tinhso.Indicator, pts []app.TrendPoint) *boardTrend {
	c := &chartData{Unit: ind.Unit, Name: ind.Code}
	if numericTarget(ind.Target) {
		c.Target = ind.Target.Value
		if ind.Target.Comparator == tinhso.CmpRange {
			c.Upper = ind.Target.Upper
		}
	}
	words := make([]string, len(pts))
	for i, p := range pts {
		c.Labels = append(c.Labels, p.P.Label)
		c.Values = append(c.Values, p.F.Value)
		c.X = append(c.X, float64(i))
		words[i] = p.P.Label + ": " + v.Num(p.F.Value)
	}
	label := v.T("board.trend_label", ind.Code, strings.Join(words, "; "))
	if numericTarget(ind.Target) {
		label += "; " + v.T("board.trend_target", v.Target(ind.Target))
	}
	return &boardTrend{Chart: c, Label: label, Last: pts[len(pts)-1], N: len(pts)}
}
