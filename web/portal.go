package web

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/engine"
	"github.com/tinhso/tinhso/httpx"
)

type portalData struct {
	P       *app.Plan
	Period  *tinhso.Period
	Rows    []portalRow
	Targets map[string]int // indicators with a target, per document
	Docs    []*tinhso.Document
	// Bars are the rows whose figure compares with a number: progress toward the
	// target as labelled bars. Scale is the share of the target the bars' full width
	// stands for (a little more than the target, more when a figure is past it, at
	// most 1.5), GoalX where the target's line is (percent of the width).
	Bars  []portalRow
	Scale float64
	GoalX float64
	// Classes counts each document's indicators by status class.
	Classes []portalDocClasses
}

// portalRow is an indicator with its latest approved figure, its status class, and its
// progress toward the target.
type portalRow struct {
	app.IndicatorRow
	Class string
	// Share is the figure as a share of the target (1 = reached), nil when the target
	// is no number to compare with; Width is the bar's width in percent of the chart.
	Share *float64
	Width float64
	// Direction says which way is better: "higher", "lower" (a ceiling, ≤ or <),
	// "range", or "rank" (a place in a ranking: lower is better).
	Direction string
	// Goal is the target as read (≤ 10, 16–18), with its unit when a percent.
	Goal string
}

// portalDocClasses is a document's indicators counted by status class, in the order
// of tinhso.IndicatorClasses (the classes with none left out).
type portalDocClasses struct {
	Doc     *tinhso.Document
	Total   int
	Classes []app.ClassCount
}

func (u *Web) portalRoutes() []route {
	return []route{
		{"GET /portal", u.portal},
		{"GET /portal/problems", u.portalProblems},
		{"GET /portal/data", u.portalData},
		{"GET /portal/data/catalog.json", u.catalog},
		{"GET /portal/data/{file}", u.download},
	}
}

// portal is the public front page: progress against the province's targets from
// approved figures, as labelled bars (value, target, share of the target reached) with
// the same in a table, each indicator's status class, the classes counted per
// document, and an honest empty state before any figure.
func (u *Web) portal(w http.ResponseWriter, r *http.Request) {
	v := u.newView(w, r, "portal")
	v.Public = true
	v.Title = v.T("portal.title")
	ctx := r.Context()
	pd, err := u.app.Portal(ctx)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	m, err := u.app.Monitor(ctx)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	d := &portalData{P: pd.Plan, Period: pd.Period, Targets: pd.Targets, Docs: pd.Plan.Docs(), Scale: 1.1}
	for _, row := range pd.Rows {
		pr := portalRow{IndicatorRow: row, Class: tinhso.IndicatorNoData}
		st := m.IndicatorStatus(row.Ind.Key, "")
		if st != nil {
			pr.Class = st.Class
		}
		if row.Figure != nil {
			var g tinhso.Goal
			ok := false
			if st != nil && st.Goal != nil {
				g, ok = *st.Goal, true // with a reference target's value
			} else {
				g, ok = engine.GoalOf(row.Ind.Target, nil)
			}
			if share, has := engine.Progress(g, row.Figure.Value); ok && has {
				pr.Share = &share
				pr.Direction = direction(row.Ind.Target, g)
				pr.Goal = goalText(v, row.Ind.Target, g)
				d.Scale = max(d.Scale, min(share*1.1, 1.5)) // room past the target's line
			}
		}
		d.Rows = append(d.Rows, pr)
	}
	for _, pr := range d.Rows {
		if pr.Share != nil {
			pr.Width = math.Round(min(*pr.Share, d.Scale)/d.Scale*1000) / 10
			d.Bars = append(d.Bars, pr)
		}
	}
	d.GoalX = math.Round(1000/d.Scale) / 10
	mb := m.Board(pd.Plan, pd.Plan.Resolve(app.PlanFilter{}), 0, 0)
	for _, doc := range mb.Docs {
		if doc.Doc == nil || doc.IndTotal == 0 {
			continue
		}
		dc := portalDocClasses{Doc: doc.Doc, Total: doc.IndTotal}
		for _, c := range tinhso.IndicatorClasses {
			if n := doc.Indicators[c]; n > 0 {
				dc.Classes = append(dc.Classes, app.ClassCount{Class: c, N: n})
			}
		}
		d.Classes = append(d.Classes, dc)
	}
	v.D = d
	u.render(w, r, http.StatusOK, "portal", v)
}

// goalText is a target as read, short: "≤ 10", "= 100%", "16–18"; a reference
// target by its reference value.
func goalText(v *view, t tinhso.Target, g tinhso.Goal) string {
	unit := ""
	if strings.HasPrefix(t.Unit, "%") {
		unit = "%"
	}
	switch {
	case t.Kind == tinhso.TargetReference && g.Low != nil:
		return cmpSymbol(t.Comparator) + " " + v.Num(*g.Low) + unit
	case t.Kind == tinhso.TargetReference && g.High != nil:
		return cmpSymbol(t.Comparator) + " " + v.Num(*g.High) + unit
	case t.Value == nil:
		return v.Target(t)
	case t.Comparator == tinhso.CmpRange && t.Upper != nil:
		return v.Num(*t.Value) + "–" + v.Num(*t.Upper) + unit
	}
	return cmpSymbol(t.Comparator) + " " + v.Num(*t.Value) + unit
}

// direction is which way is better for a target: a place in a ranking and a ceiling
// are better lower, a range inside it, anything else higher.
func direction(t tinhso.Target, g tinhso.Goal) string {
	switch {
	case t.Kind == tinhso.TargetRank:
		return "rank"
	case g.Low != nil && g.High != nil:
		return "range"
	case g.Low == nil && g.High != nil:
		return "lower"
	}
	return "higher"
}

// portalProblems is the public catalogue of big problems.
func (u *Web) portalProblems(w http.ResponseWriter, r *http.Request) {
	fill := u.problemList(r)
	u.list(w, r, "portal-problems", "portal_problems", "portal.problems", func(v *view, d *listData) error {
		v.Public = true
		return fill(v, d)
	})
}

// dataset is an open dataset of the plan, downloadable as CSV and JSON.
type dataset struct {
	ID            string
	TitleVI       string
	TitleEN       string
	DescriptionVI string
	DescriptionEN string
}

var datasets = []dataset{
	{"indicators", "Chỉ tiêu của kế hoạch", "Plan indicators",
		"Các chỉ tiêu của các văn bản (Kế hoạch 25/KH-UBND, Quyết định 1893/QĐ-UBND, Đề án 2026–2030): mã, tên, đơn vị tính, chỉ tiêu như văn bản ghi và dạng đã phân tích, năm đích, cơ quan chủ trì.",
		"The indicators of the plan's documents (Plan 25/KH-UBND, Decision 1893/QĐ-UBND, the 2026–2030 Scheme): code, name, unit, target as written and parsed, horizon year, agency in charge."},
	{"tasks", "Nhiệm vụ của kế hoạch", "Plan tasks",
		"Các nhiệm vụ: số thứ tự, mục, nội dung, cơ quan chủ trì và phối hợp, sản phẩm, thời gian hoàn thành như văn bản ghi và dạng đã phân tích.",
		"The tasks: number, section, title, lead and cooperating agencies, deliverable, deadline as written and parsed."},
	{"figures", "Số liệu đã được phê duyệt", "Approved figures",
		"Số liệu cấp tỉnh của từng chỉ tiêu theo kỳ báo cáo, tổng hợp từ các báo cáo đã được phê duyệt: giá trị, cách tổng hợp, số báo cáo, chỉ tiêu giao.",
		"The province figure of each indicator per reporting period, aggregated from approved submissions: value, aggregation, number of submissions, target."},
	{"problems", "Danh mục bài toán lớn", "Big problems catalogue",
		"Các bài toán lớn của Thái Nguyên và Lạng Sơn: tiêu đề, căn cứ, kết quả cần đạt được, trạng thái.",
		"The big problems of Thái Nguyên and Lạng Sơn: title, basis, expected results, status."},
	assessmentDataset,
}

type portalDataView struct {
	Datasets []dataset
	Docs     []*tinhso.Document
}

// portalData lists the open datasets.
func (u *Web) portalData(w http.ResponseWriter, r *http.Request) {
	v := u.newView(w, r, "portal-data")
	v.Public = true
	p, err := u.app.PlanFor(r.Context())
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	u.show(w, r, v, "portal_data", v.T("portal.data"), &portalDataView{Datasets: datasets, Docs: p.Docs()}, nil)
}

// License is the licence the open datasets are published under.
const openDataLicense = "https://creativecommons.org/licenses/by/4.0/"

// catalog is the DCAT catalogue of the open datasets, in JSON-LD, at a stable URL.
func (u *Web) catalog(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	base := u.baseURL()
	modified, err := u.modified(ctx)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	lang := func(vi, en string) []map[string]string {
		return []map[string]string{{"@language": "vi", "@value": vi}, {"@language": "en", "@value": en}}
	}
	var ds []map[string]any
	for _, d := range datasets {
		var dist []map[string]any
		for _, f := range []struct{ ext, mt string }{{"csv", "text/csv"}, {"json", "application/json"}} {
			dist = append(dist, map[string]any{
				"@type":            "dcat:Distribution",
				"dct:title":        lang(d.TitleVI+" ("+strings.ToUpper(f.ext)+")", d.TitleEN+" ("+strings.ToUpper(f.ext)+")"),
				"dcat:downloadURL": map[string]string{"@id": base + "/portal/data/" + d.ID + "." + f.ext},
				"dcat:accessURL":   map[string]string{"@id": base + "/portal/data"},
				"dcat:mediaType":   "https://www.iana.org/assignments/media-types/" + f.mt,
				"dct:format":       f.mt,
				"dct:license":      map[string]string{"@id": openDataLicense},
			})
		}
		ds = append(ds, map[string]any{
			"@type":             "dcat:Dataset",
			"@id":               base + "/portal/data#" + d.ID,
			"dct:identifier":    d.ID,
			"dct:title":         lang(d.TitleVI, d.TitleEN),
			"dct:description":   lang(d.DescriptionVI, d.DescriptionEN),
			"dct:license":       map[string]string{"@id": openDataLicense},
			"dct:modified":      modified[d.ID],
			"dct:language":      []string{"vi"},
			"dcat:keyword":      []string{"khoa học công nghệ", "đổi mới sáng tạo", "chuyển đổi số"},
			"dct:publisher":     map[string]any{"@type": "foaf:Agent", "foaf:name": "UBND tỉnh Thái Nguyên"},
			"dcat:distribution": dist,
		})
	}
	cat := map[string]any{
		"@context": map[string]string{
			"dcat": "http://www.w3.org/ns/dcat#",
			"dct":  "http://purl.org/dc/terms/",
			"foaf": "http://xmlns.com/foaf/0.1/",
		},
		"@type":           "dcat:Catalog",
		"@id":             base + "/portal/data/catalog.json",
		"dct:title":       lang("Dữ liệu mở về khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số", "Open data on science, technology, innovation and digital transformation"),
		"dct:description": lang("Kế hoạch, chỉ tiêu, nhiệm vụ và bài toán lớn do tinhso quản lý.", "The plan, indicators, tasks and big problems tinhso keeps."),
		"dct:language":    []string{"vi", "en"},
		"dct:license":     map[string]string{"@id": openDataLicense},
		"dcat:dataset":    ds,
	}
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Header().Set("Cache-Control", "no-cache")
	body, _ := json.MarshalIndent(cat, "", "  ")
	w.Header().Set("Content-Type", "application/ld+json; charset=utf-8")
	w.Write(body)
}

// modified returns each dataset's last change (yyyy-mm-dd in the province).
func (u *Web) modified(ctx context.Context) (map[string]string, error) {
	tasks, err := u.app.AllTasks(ctx, tinhso.TaskFilter{})
	if err != nil {
		return nil, err
	}
	inds, err := u.app.AllIndicators(ctx, tinhso.IndicatorFilter{})
	if err != nil {
		return nil, err
	}
	probs, err := u.app.AllProblems(ctx, tinhso.ProblemFilter{})
	if err != nil {
		return nil, err
	}
	latest := func(ts []time.Time) string {
		var m time.Time
		for _, t := range ts {
			if t.After(m) {
				m = t
			}
		}
		if m.IsZero() {
			return ""
		}
		return m.In(tinhso.Location).Format("2006-01-02")
	}
	var a, b, c []time.Time
	for _, x := range inds {
		a = append(a, x.UpdatedAt)
	}
	for _, x := range tasks {
		b = append(b, x.UpdatedAt)
	}
	for _, x := range probs {
		c = append(c, x.UpdatedAt)
	}
	var d []time.Time
	if periods, err := u.store.FindPeriods(ctx, ""); err == nil && len(periods) > 0 {
		d = append(d, periods[0].OpenedAt)
	}
	figures := latest(d)
	if figures == "" {
		figures = latest(a) // no period yet: the dataset is as old as the indicators it will hold
	}
	var e []time.Time
	if rounds, err := u.app.PublicRounds(ctx); err == nil {
		for _, x := range rounds {
			if x.PublishedAt != nil {
				e = append(e, *x.PublishedAt)
			}
		}
	}
	results := latest(e)
	if results == "" {
		results = latest(a) // no published round yet: as for the figures
	}
	return map[string]string{"indicators": latest(a), "tasks": latest(b), "problems": latest(c), "figures": figures, assessmentDataset.ID: results}, nil
}

// baseURL is what the catalogue's links start with: the configured public address, or
// nothing, so that they are relative to the catalogue's own address (JSON-LD resolves
// them against it). The request's Host header is never used: anyone can send one, and a
// cache would hand the links it made to everyone.
func (u *Web) baseURL() string {
	return strings.TrimSuffix(u.cfg.PublicURL, "/")
}

// download serves a dataset as CSV (UTF-8 with BOM, so Excel reads Vietnamese) or JSON
// (the records as the API gives them). ?document= limits it to one document.
func (u *Web) download(w http.ResponseWriter, r *http.Request) {
	name, ext, _ := strings.Cut(r.PathValue("file"), ".")
	if ext != "csv" && ext != "json" {
		httpx.Error(w, r, tinhso.Errorf(tinhso.ENOTFOUND, "err.web.dataset_file", r.PathValue("file")))
		return
	}
	ctx := r.Context()
	doc := r.URL.Query().Get("document")
	var header []string
	var rows [][]string
	var records any
	var err error
	switch name {
	case "tasks":
		var list []*tinhso.Task
		list, err = u.app.AllTasks(ctx, tinhso.TaskFilter{Document: doc})
		records = list
		header = []string{"key", "document", "number", "section", "section_title", "title", "lead_text", "lead", "cooperating_text",
			"cooperating", "deliverable", "deadline_text", "due_date", "recurrence", "unassigned", "source_file", "source_line", "source_end_line"}
		for _, t := range list {
			rec := ""
			if t.Recurrence != nil {
				rec = t.Recurrence.Freq
			}
			sf, sl, se := sourceCols(t.Source)
			rows = append(rows, []string{t.Key, t.Document, t.Number, t.Section, t.SectionTitle, t.Title, t.LeadText, refCodes(t.Lead),
				t.CooperatingText, refCodes(t.Cooperating), t.Deliverable, t.DeadlineText, t.DueDate, rec, strconv.FormatBool(t.Unassigned), sf, sl, se})
		}
	case "indicators":
		var list []*tinhso.Indicator
		list, err = u.app.AllIndicators(ctx, tinhso.IndicatorFilter{Document: doc})
		records = list
		header = []string{"key", "document", "code", "parent_code", "name", "unit", "target_text", "target_kind", "comparator", "value",
			"upper", "horizon", "agencies_text", "agencies", "measure", "baseline", "source_file", "source_line", "source_end_line"}
		for _, x := range list {
			sf, sl, se := sourceCols(x.Source)
			hz := ""
			if x.Horizon != 0 {
				hz = strconv.Itoa(x.Horizon)
			}
			rows = append(rows, []string{x.Key, x.Document, x.Code, x.ParentCode, x.Name, x.Unit, x.TargetText, x.Target.Kind, x.Target.Comparator,
				floatCol(x.Target.Value), floatCol(x.Target.Upper), hz, x.AgenciesText, refCodes(x.Agencies), x.Measure, x.Baseline, sf, sl, se})
		}
	case "figures":
		// Approved figures of every period, newest period first: what is official.
		header = []string{"period", "regime", "indicator", "document", "code", "name", "unit", "value", "aggregation", "submissions", "target_text"}
		var all []tinhso.Figure
		periods, perr := u.store.FindPeriods(ctx, "")
		err = perr
		for _, p := range periods {
			figs, ferr := u.store.FindFigures(ctx, p.ID)
			if ferr != nil {
				err = ferr
				break
			}
			for _, f := range figs {
				docSlug, _, _ := strings.Cut(f.Indicator, "/")
				if doc != "" && doc != docSlug {
					continue
				}
				all = append(all, f)
				rows = append(rows, []string{f.Period, p.Regime, f.Indicator, docSlug, f.Code, f.Name, f.Unit,
					strconv.FormatFloat(f.Value, 'f', -1, 64), f.Aggregation, strconv.Itoa(f.Count), f.Target.Text})
			}
		}
		records = all
	case "problems":
		var list []*tinhso.Problem
		list, err = u.app.AllProblems(ctx, tinhso.ProblemFilter{Document: doc})
		records = list
		header = []string{"key", "document", "province", "number", "title", "basis", "expected_results", "status", "source_file", "source_line", "source_end_line"}
		for _, x := range list {
			sf, sl, se := sourceCols(x.Source)
			rows = append(rows, []string{x.Key, x.Document, x.Province, strconv.Itoa(x.Number), x.Title, x.Basis, x.ExpectedResults, x.Status, sf, sl, se})
		}
	case assessmentDataset.ID:
		header, rows, records, err = u.assessmentData(ctx, r.URL.Query().Get("round"))
	default:
		httpx.Error(w, r, tinhso.Errorf(tinhso.ENOTFOUND, "err.web.dataset", name))
		return
	}
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	fname := "tinhso-" + name
	if doc != "" {
		fname += "-" + safeName(doc)
	}
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Header().Set("Cache-Control", "no-cache")
	if ext == "json" {
		w.Header().Set("Content-Disposition", `attachment; filename="`+fname+`.json"`)
		if rows == nil {
			records = []any{}
		}
		httpx.WriteJSON(w, http.StatusOK, records)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+fname+`.csv"`)
	w.Write([]byte("\uFEFF"))
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	cw.Write(header)
	for _, row := range rows {
		for i := range row {
			row[i] = csvSafe(row[i])
		}
		cw.Write(row)
	}
	cw.Flush()
}

// csvSafe keeps a spreadsheet from reading a cell as a formula: a cell starting with
// = + - @ (or their full-width forms, a tab or a carriage return) gets a leading
// apostrophe, unless it is a plain negative number (a negative figure stays a number;
// "+1" does not, Excel reads it as a formula).
func csvSafe(s string) string {
	if s == "" {
		return s
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil && s[0] == '-' && !strings.ContainsAny(s, "xXpPnN_") {
		return s // -1.5 is a number, not a formula ("-0x1p-2" and "-Inf" are not let through)
	}
	r, _ := utf8.DecodeRuneInString(s)
	if strings.ContainsRune("=+-@\t\r＝＋－＠", r) {
		return "'" + s
	}
	return s
}

func sourceCols(s *tinhso.Source) (string, string, string) {
	if s == nil || s.Span.IsZero() {
		return "", "", ""
	}
	return s.Span.File, strconv.Itoa(s.Span.Line), strconv.Itoa(s.Span.EndLine)
}

func refCodes(refs []tinhso.AgencyRef) string {
	codes := make([]string, len(refs))
	for i, a := range refs {
		codes[i] = a.Code
	}
	return strings.Join(codes, ";")
}

func floatCol(f *float64) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(*f, 'f', -1, 64)
}

func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		return '-'
	}, s)
}
