package engine_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/engine"
)

func quarterly(ind, label, date string, v float64, src string) tinhso.IndicatorFigure {
	return tinhso.IndicatorFigure{Indicator: ind, Period: label, Date: date, Value: &v, Source: src}
}

// TestIndicatorClasses covers every indicator class and the way each is reached, on a
// fixed clock (15 December 2026).
func TestIndicatorClasses(t *testing.T) {
	t.Parallel()
	y := func(vals ...float64) []tinhso.IndicatorFigure { // yearly figures from 2022 on
		var out []tinhso.IndicatorFigure
		for i, v := range vals {
			out = append(out, yearly("i", 2022+i, v))
		}
		return out
	}
	review := &tinhso.IndicatorReview{Indicator: "i", Class: tinhso.IndicatorAtRisk, Reviewer: "nguyen.van.a",
		Reason: "Trung tâm dữ liệu mới hoàn thành giai đoạn 1.", At: time.Date(2026, 11, 3, 16, 0, 0, 0, time.UTC)}
	refs := []tinhso.ReferenceValue{{Indicator: "i", Year: 2025, Value: 16000, Source: "Quyết định 1500/QĐ-TTg"}}
	const refTarget, refUnit = "Không thấp hơn mức dự toán Thủ tướng Chính phủ giao", "triệu đồng"
	for _, c := range []struct {
		name          string
		target, unit  string
		horizon       int
		figures       []tinhso.IndicatorFigure
		review        *tinhso.IndicatorReview
		refs          []tinhso.ReferenceValue
		class, rule   string
		flags         []string
		forecast      bool
		progress      float64 // 0: none
		latest        float64 // 0: none
		latestSource  string
		wantReference bool
	}{
		{name: "achieved", target: "≥ 85", unit: "%", horizon: 2030, figures: y(80, 86),
			class: tinhso.IndicatorAchieved, rule: "indicator.achieved", forecast: true, progress: 86.0 / 85, latest: 86},
		{name: "achieved though falling", target: "≥ 85", unit: "%", horizon: 2030, figures: y(95, 90, 88),
			class: tinhso.IndicatorAchieved, rule: "indicator.achieved", forecast: true, progress: 88.0 / 85, latest: 88},
		{name: "achieved after the horizon", target: "> 40", unit: "%", horizon: 2025, figures: y(30, 35, 38, 41),
			class: tinhso.IndicatorAchieved, rule: "indicator.achieved", forecast: true, progress: 41.0 / 40, latest: 41},
		{name: "on track", target: "≥ 85", unit: "%", horizon: 2030, figures: y(60, 65, 70.5),
			class: tinhso.IndicatorOnTrack, rule: "indicator.on_track.interval", forecast: true, progress: 70.5 / 85, latest: 70.5},
		{name: "at risk: interval crosses the target", target: "≥ 85", unit: "%", horizon: 2027, figures: y(60, 66, 70),
			class: tinhso.IndicatorAtRisk, rule: "indicator.at_risk.interval", forecast: true, progress: 70.0 / 85, latest: 70},
		{name: "at risk: two figures", target: "≥ 85", unit: "%", horizon: 2030, figures: y(60, 65),
			class: tinhso.IndicatorAtRisk, rule: "indicator.at_risk.two_figures", flags: []string{tinhso.FlagLowConfidence},
			forecast: true, progress: 65.0 / 85, latest: 65},
		{name: "off track", target: "≥ 85", unit: "%", horizon: 2030, figures: y(60, 61, 60.5),
			class: tinhso.IndicatorOffTrack, rule: "indicator.off_track.forecast", forecast: true, progress: 60.5 / 85, latest: 60.5},
		{name: "off track: two figures", target: "≥ 85", unit: "%", horizon: 2030, figures: y(60, 59),
			class: tinhso.IndicatorOffTrack, rule: "indicator.off_track.two_figures", flags: []string{tinhso.FlagLowConfidence},
			forecast: true, progress: 59.0 / 85, latest: 59},
		{name: "missed", target: "≥ 85", unit: "%", horizon: 2025, figures: y(60, 70, 80, 84),
			class: tinhso.IndicatorMissed, rule: "indicator.missed", forecast: true, progress: 84.0 / 85, latest: 84},
		{name: "missed with one figure", target: "≥ 85", unit: "%", horizon: 2025, figures: y(60),
			class: tinhso.IndicatorMissed, rule: "indicator.missed", progress: 60.0 / 85, latest: 60},
		{name: "no data", target: "≥ 85", unit: "%", horizon: 2030,
			class: tinhso.IndicatorNoData, rule: "indicator.no_data"},
		{name: "no data: text only for a numeric target", target: "≥ 85", unit: "%", horizon: 2030,
			figures: []tinhso.IndicatorFigure{{Indicator: "i", Date: "2025-12-31", Text: "khoảng 80%", Source: tinhso.FigureReport}},
			class:   tinhso.IndicatorNoData, rule: "indicator.no_data"},
		{name: "cannot judge: one figure short of it", target: "≥ 85", unit: "%", horizon: 2030, figures: y(70),
			class: tinhso.IndicatorCannotJudge, rule: "indicator.cannot_judge.one_figure", progress: 70.0 / 85, latest: 70},
		{name: "cannot judge: no horizon", target: "≥ 85", unit: "%", horizon: 0, figures: y(70, 75, 80),
			class: tinhso.IndicatorCannotJudge, rule: "indicator.cannot_judge.no_horizon", progress: 80.0 / 85, latest: 80},
		{name: "cannot judge: qualitative, not reviewed", target: "Đạt mức tiên tiến của Việt Nam", horizon: 2030,
			class: tinhso.IndicatorCannotJudge, rule: "indicator.cannot_judge.not_reviewed"},
		{name: "qualitative: the reviewer's class", target: "Hoàn thiện Trung tâm giám sát, điều hành đô thị thông minh (IOC) của tỉnh", horizon: 2030,
			figures: []tinhso.IndicatorFigure{{Indicator: "i", Date: "2026-06-30", Text: "Đã vận hành thử", Source: tinhso.FigureReport}},
			review:  review, class: tinhso.IndicatorAtRisk, rule: "indicator.reviewed"},
		{name: "qualitative: a review with no class is no review", target: "Đạt mức tiên tiến của Việt Nam", horizon: 2030,
			review: &tinhso.IndicatorReview{Indicator: "i", Class: "no_data", Reviewer: "x"},
			class:  tinhso.IndicatorCannotJudge, rule: "indicator.cannot_judge.not_reviewed"},
		{name: "cannot judge: no target (a group row)", target: "", horizon: 2030, figures: y(1, 2),
			class: tinhso.IndicatorCannotJudge, rule: "indicator.cannot_judge.no_target", latest: 2},
		{name: "cannot judge: unparsed target", target: "≥ 1.5", unit: "%", horizon: 2030, figures: y(1, 2),
			class: tinhso.IndicatorCannotJudge, rule: "indicator.cannot_judge.unparsed", latest: 2},
		// Yearly targets: the latest year alone.
		{name: "yearly: achieved", target: "15 - 20%/năm", unit: "%/năm", horizon: 2030, figures: y(25, 22, 17),
			class: tinhso.IndicatorAchieved, rule: "indicator.achieved.yearly", forecast: true, progress: 17.0 / 15, latest: 17},
		{name: "yearly: off track on the latest year, trend or not", target: "15 - 20%/năm", unit: "%/năm", horizon: 2030, figures: y(10, 12, 14),
			class: tinhso.IndicatorOffTrack, rule: "indicator.off_track.yearly", forecast: true, progress: 14.0 / 15, latest: 14},
		{name: "yearly: one figure is enough", target: "45", unit: "công trình/năm", horizon: 2030, figures: y(30),
			class: tinhso.IndicatorOffTrack, rule: "indicator.off_track.yearly", progress: 30.0 / 45, latest: 30},
		{name: "yearly: missed after the horizon", target: "16-18", unit: "%/năm", horizon: 2025, figures: y(16, 12),
			class: tinhso.IndicatorMissed, rule: "indicator.missed", forecast: true, progress: 12.0 / 16, latest: 12},
		// Reference targets: the reference value of the latest figure's year.
		{name: "reference: achieved", target: refTarget, unit: refUnit, horizon: 2030, figures: []tinhso.IndicatorFigure{yearly("i", 2025, 16500)},
			refs: refs, class: tinhso.IndicatorAchieved, rule: "indicator.achieved.reference", progress: 16500.0 / 16000, latest: 16500,
			wantReference: true},
		{name: "reference: off track", target: refTarget, unit: refUnit, horizon: 2030, figures: []tinhso.IndicatorFigure{yearly("i", 2024, 17000), yearly("i", 2025, 15000)},
			refs: refs, class: tinhso.IndicatorOffTrack, rule: "indicator.off_track.reference", forecast: true, progress: 15000.0 / 16000, latest: 15000,
			wantReference: true},
		{name: "reference: missing for the latest year", target: refTarget, unit: refUnit, horizon: 2030, figures: []tinhso.IndicatorFigure{yearly("i", 2026, 15000)},
			refs: refs, class: tinhso.IndicatorCannotJudge, rule: "indicator.cannot_judge.no_reference", latest: 15000},
		// Facts about the figures.
		{name: "synthetic figures are flagged", target: "≥ 85", unit: "%", horizon: 2030,
			figures: func() []tinhso.IndicatorFigure { f := y(60, 65, 70.5); f[1].Synthetic = true; return f }(),
			class:   tinhso.IndicatorOnTrack, rule: "indicator.on_track.interval", flags: []string{tinhso.FlagSynthetic},
			forecast: true, progress: 70.5 / 85, latest: 70.5},
		{name: "a bad date is left out and flagged", target: "≥ 85", unit: "%", horizon: 2030,
			figures: append(y(60, 65, 70.5), quarterly("i", "Q5/2026", "2026-13-31", 99, tinhso.FigureReport)),
			class:   tinhso.IndicatorOnTrack, rule: "indicator.on_track.interval", flags: []string{tinhso.FlagIgnoredFigures},
			forecast: true, progress: 70.5 / 85, latest: 70.5},
		{name: "a report beats history on the same day, whatever the order", target: "≥ 85", unit: "%", horizon: 2030,
			figures: []tinhso.IndicatorFigure{quarterly("i", "2025", "2025-12-31", 90, tinhso.FigureReport), yearly("i", 2024, 70),
				yearly("i", 2025, 80)},
			class: tinhso.IndicatorAchieved, rule: "indicator.achieved", forecast: true, progress: 90.0 / 85, latest: 90,
			latestSource: tinhso.FigureReport},
	} {
		ind := indicator("i", c.target, c.unit, c.horizon)
		st := engine.IndicatorStatus(engine.IndicatorFacts{Indicator: ind, Figures: c.figures, Review: c.review, References: c.refs}, dec2026)
		if st.Class != c.class || st.Reasons[0].Rule != c.rule || st.Reasons[0].Class != c.class {
			t.Errorf("%s: %s by %s (%s), want %s by %s", c.name, st.Class, st.Reasons[0].Rule, reasonKeys(st.Status), c.class, c.rule)
		}
		if c.flags == nil {
			c.flags = []string{}
		}
		if !slices.Equal(st.Flags, c.flags) || len(st.Reasons) != 1+len(st.Flags) {
			t.Errorf("%s: flags %v (reasons %s), want %v", c.name, st.Flags, reasonKeys(st.Status), c.flags)
		}
		if (st.Forecast != nil) != c.forecast {
			t.Errorf("%s: forecast %+v, want one: %v", c.name, st.Forecast, c.forecast)
		}
		if c.progress == 0 && st.Progress != nil || c.progress != 0 && (st.Progress == nil || *st.Progress < c.progress-1e-4 || *st.Progress > c.progress+1e-4) {
			t.Errorf("%s: progress %v, want %v", c.name, st.Progress, c.progress)
		}
		switch {
		case c.latest == 0 && st.Latest != nil && st.Latest.Value != nil:
			t.Errorf("%s: latest %+v", c.name, st.Latest)
		case c.latest != 0 && (st.Latest == nil || st.Latest.Value == nil || *st.Latest.Value != c.latest):
			t.Errorf("%s: latest %+v, want %v", c.name, st.Latest, c.latest)
		case c.latestSource != "" && st.Latest.Source != c.latestSource:
			t.Errorf("%s: latest from %s, want %s", c.name, st.Latest.Source, c.latestSource)
		}
		r := st.Reasons[0]
		if !strings.HasPrefix(r.Key, "status.indicator.") {
			t.Errorf("%s: key %q", c.name, r.Key)
		}
		if c.wantReference != (r.Reference != nil) {
			t.Errorf("%s: reference %+v", c.name, r.Reference)
		}
		if c.review != nil && c.class != tinhso.IndicatorCannotJudge {
			if r.Review == nil || r.Args["reviewer"] != "nguyen.van.a" || r.Args["reason"] != review.Reason || r.Args["date"] != "2026-11-03" {
				t.Errorf("%s: review reason %+v", c.name, r)
			}
			if st.Latest == nil || st.Latest.Text != "Đã vận hành thử" {
				t.Errorf("%s: latest text %+v", c.name, st.Latest)
			}
		}
	}
}

// TestIndicatorStatusJSON pins the names independent checks read.
func TestIndicatorStatusJSON(t *testing.T) {
	t.Parallel()
	two := engine.IndicatorStatus(engine.IndicatorFacts{Indicator: indicator("i", "≥ 85", "%", 2030),
		Figures: []tinhso.IndicatorFigure{yearly("i", 2023, 60), yearly("i", 2024, 65)}}, dec2026)
	b, err := json.Marshal(two)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"class", "flags", "reasons", "forecast", "latest", "progress", "goal"} {
		if _, ok := m[k]; !ok {
			t.Errorf("no %q in %s", k, b)
		}
	}
	fc := m["forecast"].(map[string]any)
	for _, k := range []string{"value", "low", "high", "at", "low_confidence"} {
		if _, ok := fc[k]; !ok {
			t.Errorf("no forecast.%s in %s", k, b)
		}
	}
	if fc["low"] != nil || fc["high"] != nil || fc["at"] != "2030-12-31" || fc["low_confidence"] != true {
		t.Errorf("forecast %v", fc)
	}
	r := m["reasons"].([]any)[0].(map[string]any)
	for _, k := range []string{"class", "rule", "key", "args", "forecast", "goal", "figures"} {
		if _, ok := r[k]; !ok {
			t.Errorf("no reasons[0].%s in %s", k, b)
		}
	}
	none, _ := json.Marshal(engine.IndicatorStatus(engine.IndicatorFacts{Indicator: indicator("i", "≥ 85", "%", 2030)}, dec2026))
	if !strings.Contains(string(none), `"flags":[]`) || !strings.Contains(string(none), `"forecast":null`) {
		t.Errorf("no data: %s", none)
	}
}

// TestIndicatorStatuses judges a batch as the app loads it: figures of the province and
// of units in one list, reviews and references in theirs.
func TestIndicatorStatuses(t *testing.T) {
	t.Parallel()
	a := indicator("a", "≥ 85", "%", 2030)
	q := indicator("q", "Đạt mức tiên tiến của Việt Nam", "", 2030)
	e := indicator("e", "≥ 10", "%", 2030)
	unit := func(f tinhso.IndicatorFigure, u string) tinhso.IndicatorFigure { f.OrgUnit = u; return f }
	figures := []tinhso.IndicatorFigure{
		yearly("a", 2024, 86), unit(yearly("a", 2023, 50), "so-x"), yearly("a", 2023, 80),
		unit(yearly("a", 2024, 60), "so-x"), // not grouped: the batch sorts
		yearly("zz", 2024, 1),               // an unknown indicator is skipped
	}
	reviews := []tinhso.IndicatorReview{
		{Indicator: "q", Class: tinhso.IndicatorOffTrack, Reviewer: "a", At: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
		{Indicator: "q", Class: tinhso.IndicatorOnTrack, Reviewer: "b", At: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)},
		{Indicator: "q", OrgUnit: "so-x", Class: tinhso.IndicatorMissed, Reviewer: "c", At: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)},
	}
	got := engine.IndicatorStatuses([]*tinhso.Indicator{a, q, e}, figures, nil, reviews, dec2026)
	want := map[engine.SeriesKey]string{
		{Indicator: "a"}:                  tinhso.IndicatorAchieved,
		{Indicator: "a", OrgUnit: "so-x"}: tinhso.IndicatorAtRisk,
		{Indicator: "q"}:                  tinhso.IndicatorOnTrack, // the latest review
		{Indicator: "e"}:                  tinhso.IndicatorNoData,
	}
	if len(got) != len(want) {
		t.Errorf("%d statuses, want %d: %v", len(got), len(want), got)
	}
	for k, w := range want {
		if got[k].Class != w {
			t.Errorf("%v: %s (%s), want %s", k, got[k].Class, reasonKeys(got[k].Status), w)
		}
	}
	if l := got[engine.SeriesKey{Indicator: "a", OrgUnit: "so-x"}].Latest; l == nil || *l.Value != 60 || l.OrgUnit != "so-x" {
		t.Errorf("unit latest %+v", l)
	}
}
