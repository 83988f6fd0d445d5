package server_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

// boardClock sets the clock of the server and of the store's writes (submission times)
// at once; set it before the first request.
type boardClock struct{ ns atomic.Int64 }

func newBoardClock(a *testAPI, start time.Time) *boardClock {
	c := &boardClock{}
	c.ns.Store(start.UnixNano())
	now := func() time.Time { return time.Unix(0, c.ns.Load()).UTC() }
	a.cfg.Now, a.db.Now = now, now
	return c
}

// set moves the clock to 10:00 of a day (yyyy-mm-dd) in the province plus some days.
func (c *boardClock) set(t *testing.T, day string, plusDays int) {
	t.Helper()
	d, err := time.ParseInLocation("2006-01-02", day, tinhso.Location)
	if err != nil {
		t.Fatal(err)
	}
	c.ns.Store(d.AddDate(0, 0, plusDays).Add(10 * time.Hour).UnixNano())
}

// reportAs saves a value of 8.3 in a unit's submission and submits it.
func reportAs(t *testing.T, a *testAPI, username string, period int, value float64) string {
	t.Helper()
	b := mustLogin(t, a, username, testPassword)
	id := fmt.Sprint(mySubmission(t, b, period)["id"])
	if r := b.do(t, "PUT", "/api/v1/submissions/"+id, map[string]any{"values": []map[string]any{{"indicator": "25-kh-ubnd/8.3", "number": value, "unit": "%"}}}); r.status != 200 {
		t.Fatalf("save %s: %d %s", username, r.status, r.body)
	}
	if r := b.do(t, "POST", "/api/v1/submissions/"+id+"/submit", nil); r.status != 200 {
		t.Fatalf("submit %s: %d %s", username, r.status, r.body)
	}
	return id
}

// unitRow finds an open period's row of a unit on the board.
func unitRow(board, code string) string {
	m := regexp.MustCompile(`(?s)<tr data-unit="` + regexp.QuoteMeta(code) + `" data-status="[a-z]+" data-punct="[a-z_]+">.*?</tr>`).FindString(board)
	return m
}

// statCount reads the count of an open period's status on the board.
func statCount(t *testing.T, board string, period int, status string) string {
	t.Helper()
	m := regexp.MustCompile(fmt.Sprintf(`id="rep-%d-%s" href="[^"]*"><span class="n">([0-9.,]+)</span>`, period, status)).FindStringSubmatch(board)
	if m == nil {
		t.Fatalf("the board shows no count of %s submissions of period %d", status, period)
	}
	return m[1]
}

// As reports arrive the board shows who reported in the open period (counts by status,
// each unit with its status, time and punctuality), a trend chart of each indicator's
// approved figures with its target, and each unit's punctuality over the periods; to
// those who may read every unit's submissions, with unit names escaped, in both
// languages.
func TestBoardReporting(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		a.cfg.PublicBoard = true // what this test reads on the board, as a province that publishes it shows it to all
		clock := newBoardClock(a, time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC))
		mustUser(t, a, "tc.baocao", "reporter", "so-tai-chinh")
		mustUser(t, a, "nv.baocao", "reporter", "so-noi-vu")
		mustUser(t, a, "khcn.thamdinh", "reviewer", "so-khoa-hoc-va-cong-nghe")
		mustUser(t, a, "lanh.dao", "leader", "")
		leader := mustLogin(t, a, "lanh.dao", testPassword)
		boardAs := func(b *browser, lang string, query ...string) string {
			t.Helper()
			p := "/?lang=" + lang
			if len(query) > 0 {
				p += "&" + query[0]
			}
			r := b.do(t, "GET", p, nil)
			if r.status != 200 {
				t.Fatalf("GET %s: %d %s", p, r.status, clip(r.body))
			}
			body := string(r.body)
			if m := missingRe.FindString(body); m != "" {
				t.Errorf("the board (%s) has an untranslated message %s", lang, m)
			}
			if strings.Contains(body, "<th>") {
				t.Errorf("the board (%s) has a table header without scope", lang)
			}
			return body
		}

		// No period yet: the empty state.
		if b := boardAs(leader, "vi"); !strings.Contains(b, `id="reporting-none"`) || !strings.Contains(b, "Chưa mở kỳ báo cáo nào") {
			t.Errorf("with no open period the board does not say so")
		}
		if b := boardAs(leader, "en"); !strings.Contains(b, "No reporting period is open") {
			t.Errorf("with no open period the English board does not say so")
		}

		period := setUpQ1(t, a)
		due := fmt.Sprint(a.admin(t, "GET", fmt.Sprintf("/api/v1/periods/%d", period), nil).json(t)["due"])

		// A name with markup, as an administrator might type it.
		evil := `Sở Nội vụ <script>alert("x")</script> & <b>đậm</b>`
		if r := a.admin(t, "PATCH", "/api/v1/org-units/so-noi-vu", map[string]any{"name": evil}); r.status != 200 {
			t.Fatalf("rename so-noi-vu: %d %s", r.status, r.body)
		}

		// Sở Tài chính reports on the due date and is approved; Sở Nội vụ reports ten
		// days late and waits for review.
		clock.set(t, due, 0)
		idTC := reportAs(t, a, "tc.baocao", period, 72.5)
		rv := mustLogin(t, a, "khcn.thamdinh", testPassword)
		if r := rv.do(t, "POST", "/api/v1/submissions/"+idTC+"/approve", nil); r.status != 200 {
			t.Fatalf("approve: %d %s", r.status, r.body)
		}
		clock.set(t, due, 10)
		idNV := reportAs(t, a, "nv.baocao", period, 80)

		all := items(t, a.admin(t, "GET", fmt.Sprintf("/api/v1/submissions?period=%d&limit=1000", period), nil))
		total := len(all)
		if total < 3 {
			t.Fatalf("Q1/2026 has %d submissions", total)
		}

		leader = mustLogin(t, a, "lanh.dao", testPassword) // the clock moved past the session's life
		vi := boardAs(leader, "vi")
		if !strings.Contains(vi, `<h2 id="h-reporting">Báo cáo kỳ này</h2>`) {
			t.Fatalf("the board has no section Báo cáo kỳ này")
		}
		for st, want := range map[string]int{"approved": 1, "submitted": 1, "returned": 0, "draft": total - 2, "total": total} {
			if got := statCount(t, vi, period, st); got != fmt.Sprint(want) {
				t.Errorf("the board counts %s submissions of Q1/2026 as %s, want %d", st, got, want)
			}
		}
		if !strings.Contains(vi, fmt.Sprintf(`id="rep-%d-approved" href="/reporting?period=%d&amp;status=approved"`, period, period)) {
			t.Errorf("the count of approved submissions does not link to them")
		}
		tc := unitRow(vi, "so-tai-chinh")
		if !strings.Contains(tc, `data-status="approved" data-punct="on_time"`) || !strings.Contains(tc, `href="/units/so-tai-chinh/board"`) ||
			!strings.Contains(tc, `href="/reporting/`+idTC+`">Đã phê duyệt</a>`) || !strings.Contains(tc, "Đúng hạn") || !strings.Contains(tc, formatDay(due)+" 10:00") {
			t.Errorf("Sở Tài chính's row: %s", tc)
		}
		nv := unitRow(vi, "so-noi-vu")
		if !strings.Contains(nv, `data-status="submitted" data-punct="late"`) || !strings.Contains(nv, `href="/reporting/`+idNV+`">Chờ thẩm định</a>`) ||
			!strings.Contains(nv, "Nộp muộn") || !strings.Contains(nv, `href="/units/so-noi-vu/board"`) {
			t.Errorf("Sở Nội vụ's row: %s", nv)
		}
		if !strings.Contains(vi, `data-status="draft" data-punct="overdue"`) {
			t.Errorf("the units that did not report after the due date are not shown overdue")
		}

		// Escaped, everywhere the name shows.
		for _, b := range []string{vi, boardAs(leader, "en"), boardAs(leader, "vi", "punct=all")} {
			if strings.Contains(b, `<script>alert("x")</script>`) || strings.Contains(b, "<b>đậm</b>") {
				t.Fatalf("a unit's name is written into the board as HTML")
			}
			if !strings.Contains(b, `Sở Nội vụ &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;đậm&lt;/b&gt;`) {
				t.Errorf("the unit's name is not shown as text")
			}
		}

		// The trend chart of 8.3: the approved figure, the target line, an accessible
		// name, the scripts that draw it; the latest value as text.
		chart := regexp.MustCompile(`(?s)<div class="chart spark" data-chart="spark" role="img" aria-label="([^"]*)"><script type="application/json">(.*?)</script></div>\s*<a class="trend-text" href="(/indicators/\d+#h-figures)" data-trend="25-kh-ubnd/8.3">`).FindStringSubmatch(vi)
		if chart == nil {
			t.Fatalf("the board draws no trend chart of 8.3")
		}
		if !strings.Contains(chart[2], `"labels":["Q1/2026"]`) || !strings.Contains(chart[2], `"values":[72.5]`) || !strings.Contains(chart[2], `"target":100`) {
			t.Errorf("the chart of 8.3 holds %s", chart[2])
		}
		if !strings.Contains(chart[1], "8.3") || !strings.Contains(chart[1], "Q1/2026: 72,5") || !strings.Contains(chart[1], "mục tiêu") {
			t.Errorf("the chart of 8.3 is named %q", chart[1])
		}
		if !strings.Contains(vi, "<strong>72,5</strong></a> <span class=\"muted\">(Q1/2026)</span>") {
			t.Errorf("the board does not write the latest value of 8.3 as text")
		}
		if !regexp.MustCompile(`src="/assets/vendor/uPlot\.iife\.min\.[0-9a-f]{12}\.js"`).MatchString(vi) || !regexp.MustCompile(`src="/assets/app\.[0-9a-f]{12}\.js"`).MatchString(vi) {
			t.Errorf("the board does not load the chart scripts")
		}
		if r := a.do(t, "GET", chart[3], nil); r.status != 200 {
			t.Errorf("the chart links to %s: %d", chart[3], r.status)
		}

		// Punctuality over every period, worst first: one not reported at all before
		// the late one, both before the one on time.
		punct := vi[strings.Index(vi, `id="h-punctuality"`):]
		punct = punct[:strings.Index(punct, "</section>")]
		rows := regexp.MustCompile(`<tr data-unit="([^"]+)"><th scope="row">`).FindAllStringSubmatch(punct, -1)
		if len(rows) == 0 || len(rows) > 20 {
			t.Fatalf("the punctuality summary has %d rows, want 1 to 20", len(rows))
		}
		if total > 20 {
			if !strings.Contains(punct, `id="punct-all" href="/?punct=all#punctuality"`) {
				t.Errorf("the punctuality summary of %d units does not link to the full list", total)
			}
			punct = boardAs(leader, "vi", "punct=all")
			punct = punct[strings.Index(punct, `id="h-punctuality"`):]
			punct = punct[:strings.Index(punct, "</section>")]
			rows = regexp.MustCompile(`<tr data-unit="([^"]+)"><th scope="row">`).FindAllStringSubmatch(punct, -1)
		}
		if len(rows) != total {
			t.Fatalf("the full punctuality summary has %d rows, want %d", len(rows), total)
		}
		at := map[string]int{}
		for i, r := range rows {
			at[r[1]] = i
		}
		if at["so-noi-vu"] <= 0 || at["so-noi-vu"] >= at["so-tai-chinh"] || at["so-tai-chinh"] != len(rows)-1 {
			t.Errorf("punctuality is not worst first: Sở Nội vụ at %d, Sở Tài chính at %d of %d", at["so-noi-vu"], at["so-tai-chinh"], len(rows))
		}
		rowTC := regexp.MustCompile(`(?s)<tr data-unit="so-tai-chinh">.*?</tr>`).FindString(punct)
		if !strings.Contains(rowTC, `<a href="/units/so-tai-chinh/board#h-submissions"><strong>100%</strong></a>`) {
			t.Errorf("Sở Tài chính's punctuality: %s", rowTC)
		}
		rowNV := regexp.MustCompile(`(?s)<tr data-unit="so-noi-vu">.*?</tr>`).FindString(punct)
		if !strings.Contains(rowNV, `<strong>0%</strong>`) {
			t.Errorf("Sở Nội vụ's punctuality: %s", rowNV)
		}
		if !strings.Contains(vi, fmt.Sprintf("Toàn tỉnh: 1/%d báo cáo đúng hạn", total)) {
			t.Errorf("the board does not give the province's on-time count")
		}

		// English.
		en := boardAs(leader, "en")
		if !strings.Contains(en, "Reporting this period") || !strings.Contains(en, "Units&#39; reporting punctuality") ||
			!strings.Contains(unitRow(en, "so-tai-chinh"), ">Approved</a>") || !strings.Contains(unitRow(en, "so-tai-chinh"), "On time") ||
			!strings.Contains(unitRow(en, "so-noi-vu"), ">Awaiting review</a>") || !strings.Contains(unitRow(en, "so-noi-vu"), "Late") ||
			!strings.Contains(en, "Q1/2026: 72.5") || !strings.Contains(en, `"values":[72.5]`) {
			t.Errorf("the English board does not show the reporting in English")
		}

		// The public and a reporter see the figures and the chart, not who reported.
		for who, body := range map[string]string{
			"the public":   a.page(t, "/", "vi", 200),
			"a reporter":   boardAs(mustLogin(t, a, "tc.baocao", testPassword), "vi"),
			"the reporter": boardAs(mustLogin(t, a, "nv.baocao", testPassword), "en"),
		} {
			if strings.Contains(body, `data-unit="`) || strings.Contains(body, fmt.Sprintf(`id="rep-%d-`, period)) {
				t.Errorf("%s sees which units reported", who)
			}
			if !strings.Contains(body, `"values":[72.5]`) || !strings.Contains(body, `id="h-reporting"`) {
				t.Errorf("%s does not see the trend chart of 8.3 or the reporting section", who)
			}
		}
		if b := boardAs(mustLogin(t, a, "tc.baocao", testPassword), "vi"); !strings.Contains(b, `href="/units/so-tai-chinh/board"`) {
			t.Errorf("a reporter's board does not point to its unit's board")
		}
	})
}

// formatDay writes yyyy-mm-dd as the pages do, dd/mm/yyyy.
func formatDay(s string) string {
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		return s
	}
	return d.Format("02/01/2006")
}

// BenchmarkBoardReporting times the board of a reader of every report with an open
// period, an approved and a submitted submission (the reporting sections and charts).
func BenchmarkBoardReporting(b *testing.B) {
	a := mustOpenAPI(b, "sqlite")
	period := openQ1(b, a)
	for _, lang := range []string{"vi", "en"} {
		b.Run(lang, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				r := a.admin(b, "GET", "/?lang="+lang, nil)
				if r.status != 200 || !strings.Contains(string(r.body), fmt.Sprintf(`id="rep-%d-approved"`, period)) {
					b.Fatalf("board: %d", r.status)
				}
			}
		})
	}
}

// openQ1 opens Q1/2026 through the store, as TestUIFigures does, with Sở Tài chính's
// report approved and Sở Nội vụ's submitted.
func openQ1(tb testing.TB, a *testAPI) int64 {
	tb.Helper()
	ctx := tinhso.WithActor(context.Background(), tinhso.Actor{Username: "bench", Address: "127.0.0.1"})
	db := a.db
	if err := db.CreateRegime(ctx, &tinhso.Regime{Key: "kh25-quy", Name: "Báo cáo quý KH 25", Document: "25/KH-UBND", Receiver: "so-khoa-hoc-va-cong-nghe",
		Frequency: tinhso.FreqQuarterly, CutoffDay: 14, DeadlineDays: 10}); err != nil {
		tb.Fatal(err)
	}
	if _, _, err := db.ImportOrgUnits(ctx, []*tinhso.OrgUnit{
		{Code: "mau-phuong-1", Name: "Phường Mẫu Một (dữ liệu mẫu)", Kind: tinhso.KindCommune, ParentCode: "ubnd-tinh-thai-nguyen", Synthetic: true},
	}, tinhso.OrgUnitImport{}); err != nil {
		tb.Fatal(err)
	}
	units, _, _ := db.FindOrgUnits(ctx, tinhso.OrgUnitFilter{Kind: tinhso.KindDistrict, Page: tinhso.Page{Limit: 100}})
	for _, u := range units {
		if err := db.CreateSuccession(ctx, &tinhso.Succession{From: []string{u.Code}, To: []string{"mau-phuong-1"}, Kind: "merge", Effective: "2025-07-01",
			Citation: "Kiểm thử"}); err != nil {
			tb.Fatal(err)
		}
	}
	p, err := a.app.OpenPeriod(ctx, "kh25-quy", 2026, 1)
	if err != nil {
		tb.Fatal(err)
	}
	for i, unit := range []string{"so-tai-chinh", "so-noi-vu"} {
		subs, _, _ := db.FindSubmissions(ctx, tinhso.SubmissionFilter{Period: p.ID, OrgUnit: unit})
		if len(subs) != 1 {
			tb.Fatalf("%s: %d submissions", unit, len(subs))
		}
		v := 70.0 + float64(i)
		s, err := a.app.SaveSubmission(ctx, subs[0].ID, []tinhso.IndicatorValue{{Indicator: "25-kh-ubnd/8.3", Number: &v, Unit: "%"}}, nil, 0)
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := a.app.Transition(ctx, s.ID, tinhso.TransSubmit, "", s.Version); err != nil {
			tb.Fatal(err)
		}
		if i == 0 {
			if _, err := a.app.Transition(ctx, s.ID, tinhso.TransApprove, "", 0); err != nil {
				tb.Fatal(err)
			}
		}
	}
	return p.ID
}

// In the browser, a leader's board with an open period: the reporting sections pass the
// accessibility check at desktop and phone width, and the trend chart of 8.3 is drawn
// (a canvas) inside a container named in words.
func TestBrowserBoardReporting(t *testing.T) {
	t.Parallel()
	a := mustOpenAPI(t, "sqlite")
	c := newChrome(t, a)
	period := setUpQ1(t, a)
	mustUser(t, a, "tc.baocao", "reporter", "so-tai-chinh")
	mustUser(t, a, "nv.baocao", "reporter", "so-noi-vu")
	mustUser(t, a, "khcn.thamdinh", "reviewer", "so-khoa-hoc-va-cong-nghe")
	mustUser(t, a, "lanh.dao", "leader", "")
	idTC := reportAs(t, a, "tc.baocao", period, 72.5)
	if r := mustLogin(t, a, "khcn.thamdinh", testPassword).do(t, "POST", "/api/v1/submissions/"+idTC+"/approve", nil); r.status != 200 {
		t.Fatalf("approve: %d %s", r.status, r.body)
	}
	reportAs(t, a, "nv.baocao", period, 80)

	signIn(c, "lanh.dao")
	c.open("/")
	if !c.has(fmt.Sprintf("#rep-%d-approved", period)) || !c.has(`tr[data-unit="so-noi-vu"][data-status="submitted"]`) {
		t.Fatalf("the leader's board does not show who reported")
	}
	spark := `div[data-chart="spark"]:has(+ a[data-trend="25-kh-ubnd/8.3"])`
	if !eval[bool](c, fmt.Sprintf(`(function () { var e = document.querySelector(%q); return !!e && e.getAttribute("data-drawn") === "1" && !!e.querySelector("canvas"); })()`, spark)) {
		t.Errorf("the trend chart of 8.3 is not drawn")
	}
	if name := eval[string](c, fmt.Sprintf(`document.querySelector(%q).getAttribute("aria-label")`, spark)); !strings.Contains(name, "Q1/2026: 72,5") {
		t.Errorf("the trend chart of 8.3 is named %q", name)
	}
	c.checkPage("board-reporting")
}
