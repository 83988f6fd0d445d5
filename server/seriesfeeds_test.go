package server_test

import (
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/server"
	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

// waitSeriesFigure polls an indicator's computed figures until the one dated date
// rests on points points.
func waitSeriesFigure(tb testing.TB, a *testAPI, id, date string, points int) map[string]any {
	tb.Helper()
	end := time.Now().Add(10 * time.Second)
	for {
		r := a.admin(tb, "GET", "/api/v1/indicators/"+id+"/series-figures", nil)
		for _, f := range items(tb, r) {
			if f["date"] == date && f["span"].(map[string]any)["points"] == float64(points) {
				return f
			}
		}
		if time.Now().After(end) {
			tb.Fatalf("no figure dated %s of %d points: %s", date, points, r.body)
		}
		time.Sleep(10 * time.Millisecond) // polling the API, as a client would
	}
}

// An indicator fed by a series: points published over MQTT give the figure of their
// period (sum, then mean), which waits for approval unless the feed approves it, is
// then on the one figure path with its series and span, and the indicator page links
// back to the series over that span.
func TestSeriesFedIndicator(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		_, host, port := mustLiveMQTT(t, a, server.LiveOptions{})
		rep := mustUser(t, a, "cam-bien", "reporter", "van-phong-ubnd-tinh")
		tok, _ := mustToken(t, a, rep, tinhso.ActWriteSeries)
		ind := items(t, a.admin(t, "GET", "/api/v1/indicators?limit=1", nil))[0]
		id, key := fmt.Sprint(ind["id"]), ind["key"].(string)
		const series = "dvc.ho-so-truc-tuyen"
		if r := a.admin(t, "POST", "/api/v1/series", map[string]any{"key": series, "name": "Hồ sơ nộp trực tuyến", "unit": "hồ sơ"}); r.status != 201 {
			t.Fatalf("create series: %d %s", r.status, r.body)
		}
		feedPath := "/api/v1/indicators/" + id + "/series-feed"
		// Bad feeds are refused naming the field; nothing is stored.
		for field, body := range map[string]map[string]any{
			"func":   {"series": series, "func": "median", "period": "monthly"},
			"period": {"series": series, "func": "sum", "period": "weekly"},
			"series": {"series": "chua-co", "func": "sum", "period": "monthly"},
		} {
			if r := a.admin(t, "PUT", feedPath, body); r.status != 400 || r.json(t)["field"] != field {
				t.Errorf("feed with a bad %s: %d %s", field, r.status, r.body)
			}
		}
		if r := a.admin(t, "GET", feedPath, nil); r.status != 404 {
			t.Fatalf("a refused feed was stored: %d %s", r.status, r.body)
		}
		if r := a.admin(t, "PUT", feedPath, map[string]any{"series": series, "func": "sum", "period": "monthly"}); r.status != 200 {
			t.Fatalf("put feed: %d %s", r.status, r.body)
		}

		// Points of this month (and one of the month before, another period).
		now := time.Now().In(tinhso.Location)
		month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, tinhso.Location)
		sp := tinhso.FeedSpanOf(tinhso.FreqMonthly, now)
		ms := func(t time.Time) int64 { return t.UnixMilli() }
		pubLines(t, host, port, tok, "tinhso/series/"+series,
			fmt.Sprintf(`{"time": %d, "value": 99}`, ms(month.Add(-time.Hour))),
			fmt.Sprintf(`{"time": %d, "value": 1.1}`, ms(month.Add(time.Minute))),
			fmt.Sprintf(`{"time": %d, "value": 2.2}`, ms(month.Add(25*time.Hour))),
			fmt.Sprintf(`{"time": %d, "value": 3.3}`, ms(now.Add(-time.Second))))
		f := waitSeriesFigure(t, a, id, sp.Date, 3)
		if f["value"] != 6.6 || f["approved"] != false || f["period"] != sp.Label {
			t.Errorf("figure: %v", f)
		}
		span := f["span"].(map[string]any)
		if span["series"] != series || span["func"] != "sum" || span["from"] != sp.From.UTC().Format(time.RFC3339) || span["to"] != sp.To.UTC().Format(time.RFC3339) {
			t.Errorf("span: %v, want %s – %s", span, sp.From.UTC(), sp.To.UTC())
		}
		figures := func() []map[string]any {
			return items(t, a.admin(t, "GET", "/api/v1/figures?source=series&indicator="+key, nil))
		}
		if got := figures(); len(got) != 0 {
			t.Fatalf("a figure waiting for approval is on the figure path: %v", got)
		}
		if r := a.admin(t, "POST", "/api/v1/indicators/"+id+"/series-figures/2026-13-01/approve", nil); r.status != 400 || r.json(t)["field"] != "date" {
			t.Errorf("approve a bad date: %d %s", r.status, r.body)
		}
		if r := a.admin(t, "POST", "/api/v1/indicators/"+id+"/series-figures/"+sp.Date+"/approve", nil); r.status != 204 {
			t.Fatalf("approve: %d %s", r.status, r.body)
		}
		got := figures()
		if len(got) != 1 || got[0]["value"] != 6.6 || got[0]["date"] != sp.Date || got[0]["source"] != "series" ||
			got[0]["span"].(map[string]any)["series"] != series {
			t.Fatalf("figure path after approval: %v", got)
		}
		// The month before is its own period.
		prev := tinhso.FeedSpanOf(tinhso.FreqMonthly, month.Add(-time.Hour))
		if f := waitSeriesFigure(t, a, id, prev.Date, 1); f["value"] != 99.0 {
			t.Errorf("the month before: %v", f)
		}
		// The indicator page shows the figure and links back to the series and span.
		page := a.page(t, "/indicators/"+id, "vi", 200)
		m := regexp.MustCompile(`class="series-span" href="([^"]+)">([^<]+)<`).FindStringSubmatch(page)
		if m == nil {
			t.Fatal("the indicator page does not link the series figure to its series")
		}
		u, err := url.Parse(html.UnescapeString(m[1]))
		if err != nil || u.Path != "/series/"+series || u.Query().Get("from") != sp.From.UTC().Format(time.RFC3339) ||
			u.Query().Get("to") != sp.To.UTC().Format(time.RFC3339) || !strings.Contains(m[2], "tổng của 3 điểm") {
			t.Errorf("the link: %v %q", err, m[0])
		}
		mustUser(t, a, "ld.xem", "leader", "")
		lead := mustLogin(t, a, "ld.xem", testPassword)
		pg := a.do(t, "GET", u.String()+"&lang=vi", nil, "Cookie", "tinhso_session="+lead.cookie)
		if series := string(pg.body); pg.status != 200 || !strings.Contains(series, "Hồ sơ nộp trực tuyến") || !strings.Contains(series, "1,1") {
			t.Errorf("the series page over the span does not show its points: %s", series)
		}

		// Mean, approved by the feed itself: a new point changes the figure.
		if r := a.admin(t, "PUT", feedPath, map[string]any{"series": series, "func": "mean", "period": "monthly", "auto_approve": true}); r.status != 200 {
			t.Fatalf("put feed: %d %s", r.status, r.body)
		}
		pubLines(t, host, port, tok, "tinhso/series/"+series, fmt.Sprintf(`{"time": %d, "value": 5.4}`, ms(now)))
		f = waitSeriesFigure(t, a, id, sp.Date, 4)
		if f["value"] != 3.0 || f["approved"] != true {
			t.Errorf("mean figure: %v", f)
		}
		if got := figures(); len(got) != 2 || got[1]["value"] != 3.0 {
			t.Errorf("figure path with the mean: %v", got)
		}
		if r := a.admin(t, "DELETE", feedPath, nil); r.status != 204 {
			t.Fatalf("delete feed: %d %s", r.status, r.body)
		}
		if got := figures(); len(got) != 0 {
			t.Errorf("figures after the feed went: %v", got)
		}
	})
}
