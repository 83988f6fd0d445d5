package engine_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/engine"
	"github.com/tinhso/tinhso/locale"
)

// readCatalogue reads the status keys of the catalogues (locale/vi.toml, en.toml).
func readCatalogue(t *testing.T) map[string]map[string]string {
	t.Helper()
	cat := map[string]map[string]string{}
	for _, l := range locale.Langs() {
		cat[string(l)] = map[string]string{}
		for _, k := range locale.Default().Keys(l) {
			if strings.HasPrefix(k, "status.") {
				text, _ := locale.Default().Text(l, k)
				if !norm.NFC.IsNormalString(text) {
					t.Errorf("%s.toml: %s is not NFC", l, k)
				}
				cat[string(l)][k] = text
			}
		}
	}
	if len(cat["vi"]) < 40 {
		t.Fatalf("only %d status keys in vi.toml", len(cat["vi"]))
	}
	return cat
}

// TestMessages: every key a status gives is in both catalogues, every placeholder of
// its texts has an argument, and every status key of the catalogues is given by some
// status.
func TestMessages(t *testing.T) {
	t.Parallel()
	cat := readCatalogue(t)
	for k := range cat["vi"] {
		if _, ok := cat["en"][k]; !ok {
			t.Errorf("%s: no English text", k)
		}
	}
	for k := range cat["en"] {
		if _, ok := cat["vi"][k]; !ok {
			t.Errorf("%s: no Vietnamese text", k)
		}
	}

	var reasons []tinhso.Reason
	addTask := func(tk *tinhso.Task, reports []tinhso.ProgressReport, ps []tinhso.Period, now time.Time) {
		reasons = append(reasons, engine.TaskStatus(engine.TaskFacts{Task: tk, Reports: reports, Periods: ps}, now, engine.TaskRules{}).Reasons...)
	}
	addInd := func(ind *tinhso.Indicator, figs []tinhso.IndicatorFigure, review *tinhso.IndicatorReview, refs []tinhso.ReferenceValue, now time.Time) {
		reasons = append(reasons, engine.IndicatorStatus(engine.IndicatorFacts{Indicator: ind, Figures: figs, Review: review, References: refs}, now).Reasons...)
	}
	done := []tinhso.ProgressReport{report("Q3/2025", 100, true, vn(2025, 9, 20, 9))}
	q := periods(tinhso.FreqQuarterly, 2025, 2026)
	addTask(task("Năm 2025"), done, nil, jan2026)
	addTask(task(""), done, nil, jan2026)
	addTask(task("Tháng 7/2025"), done, nil, jan2026)
	unassigned := task("Năm 2025")
	unassigned.Lead = nil
	addTask(unassigned, nil, nil, jan2026)
	gone := task("Tháng 01/2026")
	gone.Lead = []tinhso.AgencyRef{{Code: "so-cu", Name: "Sở Cũ"}}
	addTask(gone, []tinhso.ProgressReport{report("Q4/2025", 0, false, vn(2025, 12, 20, 9))}, nil, jan2026)
	addTask(task("Năm 2025"), []tinhso.ProgressReport{report("Q4/2025", 50, false, vn(2025, 12, 20, 9))}, nil, jan2026)
	addTask(task("Thường xuyên"), nil, q, vn(2026, 3, 20, 9))

	y := func(vals ...float64) []tinhso.IndicatorFigure {
		var out []tinhso.IndicatorFigure
		for i, v := range vals {
			out = append(out, yearly("i", 2022+i, v))
		}
		return out
	}
	syn := y(60, 65, 70.5)
	syn[0].Synthetic = true
	syn = append(syn, tinhso.IndicatorFigure{Indicator: "i", Date: "2026-02-30", Value: new(float64)})
	const refT, refU = "Không thấp hơn mức dự toán Thủ tướng Chính phủ giao", "triệu đồng"
	refs := []tinhso.ReferenceValue{{Year: 2025, Value: 100, Source: "QĐ"}}
	for _, c := range []struct {
		target, unit string
		horizon      int
		figs         []tinhso.IndicatorFigure
		review       *tinhso.IndicatorReview
		refs         []tinhso.ReferenceValue
	}{
		{"≥ 85", "%", 2030, y(80, 86), nil, nil},
		{"≥ 85", "%", 2030, syn, nil, nil},
		{"≥ 85", "%", 2027, y(60, 66, 70), nil, nil},
		{"≥ 85", "%", 2030, y(60, 65), nil, nil},
		{"≥ 85", "%", 2030, y(60, 61, 60.5), nil, nil},
		{"≥ 85", "%", 2030, y(60, 59), nil, nil},
		{"≥ 85", "%", 2025, y(60, 70), nil, nil},
		{"≥ 85", "%", 2030, nil, nil, nil},
		{"≥ 85", "%", 2030, y(60), nil, nil},
		{"≥ 85", "%", 0, y(60, 70), nil, nil},
		{"15 - 20%/năm", "%/năm", 2030, y(17), nil, nil},
		{"15 - 20%/năm", "%/năm", 2030, y(12), nil, nil},
		{refT, refU, 2030, y(0, 0, 0, 120), nil, refs},
		{refT, refU, 2030, y(0, 0, 0, 80), nil, refs},
		{refT, refU, 2030, y(0, 0, 0, 0, 80), nil, refs},
		{"Đạt mức tiên tiến của Việt Nam", "", 2030, nil, nil, nil},
		{"Đạt mức tiên tiến của Việt Nam", "", 2030, nil,
			&tinhso.IndicatorReview{Class: tinhso.IndicatorOnTrack, Reviewer: "a", Reason: "Đúng lộ trình.", At: jan2026}, nil},
		{"", "", 2030, y(1), nil, nil},
		{"≥ 1.5", "%", 2030, y(1), nil, nil},
	} {
		addInd(indicator("i", c.target, c.unit, c.horizon), c.figs, c.review, c.refs, dec2026)
	}

	placeholder := regexp.MustCompile(`\{(\w+)\}`)
	given := map[string]bool{}
	for _, r := range reasons {
		given[r.Key] = true
		for _, lang := range []string{"vi", "en"} {
			text, ok := cat[lang][r.Key]
			if !ok {
				t.Errorf("%s: not in the %s catalogue", r.Key, lang)
				continue
			}
			for _, m := range placeholder.FindAllStringSubmatch(text, -1) {
				if _, ok := r.Args[m[1]]; !ok {
					t.Errorf("%s (%s, rule %s): no argument %q in %v", r.Key, lang, r.Rule, m[1], r.Args)
				}
			}
		}
	}
	for k := range cat["vi"] {
		if (strings.HasPrefix(k, "status.task.") || strings.HasPrefix(k, "status.indicator.")) && !given[k] {
			t.Errorf("%s: in the catalogue, given by no status here", k)
		}
	}
	for _, c := range append(append([]string{}, tinhso.TaskClasses...), tinhso.IndicatorClasses...) {
		if _, ok := cat["vi"]["status.class."+c]; !ok {
			t.Errorf("class %s has no label", c)
		}
	}
}
