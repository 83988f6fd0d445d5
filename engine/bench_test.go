package engine_test

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/engine"
)

// benchTargets are targets of every kind the engine reads, as written in the seed.
var benchTargets = []struct{ text, unit string }{
	{"≥ 85", "%"}, {"> 55", "%"}, {"đạt 0,8", ""}, {"100", "%"}, {"8-10", "%"}, {"≤ 10", "Thứ bậc"},
	{"không quá 5%", "%"}, {"15 - 20%/năm", "%/năm"}, {"tối thiểu 10.000", "doanh nghiệp"},
	{"Không thấp hơn mức dự toán Thủ tướng Chính phủ giao", "triệu đồng"},
}

// benchFacts makes 300 indicators and, for each of 100 units, 5 years of monthly
// figures (2022–2026): 1.8 million figures, ordered as a query would give them
// (indicator, unit, date).
func benchFacts(units, indicators, months int) ([]*tinhso.Indicator, []tinhso.IndicatorFigure, []tinhso.ReferenceValue) {
	rng := rand.New(rand.NewPCG(1, 2))
	var inds []*tinhso.Indicator
	var refs []tinhso.ReferenceValue
	for i := 0; i < indicators; i++ {
		bt := benchTargets[i%len(benchTargets)]
		key := fmt.Sprintf("bench/%d", i)
		inds = append(inds, indicator(key, bt.text, bt.unit, 2030))
		for y := 2022; y <= 2026; y++ {
			refs = append(refs, tinhso.ReferenceValue{Indicator: key, Year: y, Value: 1000 + 50*float64(y-2022), Source: "dự toán"})
		}
	}
	dates := make([]string, months)
	for m := range months {
		dates[m] = time.Date(2022, time.Month(2+m), 0, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
	}
	figures := make([]tinhso.IndicatorFigure, 0, units*indicators*months)
	values := make([]float64, units*indicators*months)
	for _, ind := range inds {
		for u := 0; u < units; u++ {
			unit := fmt.Sprintf("unit-%03d", u)
			// A line from half to nine tenths of the target's value in 2022 to 0.7–1.3
			// times it in 2030, with noise of 2% of it: every class turns up.
			tv := 1100.0 // the reference values
			if ind.Target.Value != nil {
				tv = *ind.Target.Value
			}
			base, end := tv*(0.5+0.4*rng.Float64()), tv*(0.7+0.6*rng.Float64())
			slope := (end - base) / 9
			for m := range months {
				v := &values[len(figures)]
				*v = base + slope*float64(m)/12 + 0.02*tv*rng.NormFloat64()
				figures = append(figures, tinhso.IndicatorFigure{Indicator: ind.Key, OrgUnit: unit, Date: dates[m], Value: v,
					Source: tinhso.FigureReport})
			}
		}
	}
	return inds, figures, refs
}

// BenchmarkIndicatorStatuses computes every status and forecast for 100 units × 300
// indicators × 5 years of monthly figures, with the facts in memory (aim: < 100 ms).
func BenchmarkIndicatorStatuses(b *testing.B) {
	inds, figures, refs := benchFacts(100, 300, 60)
	now := time.Date(2026, 12, 15, 9, 0, 0, 0, tinhso.Location)
	b.ReportAllocs()
	b.ResetTimer()
	var n int
	cpu := cpuTime()
	for b.Loop() {
		n = len(engine.IndicatorStatuses(inds, figures, refs, nil, now))
	}
	b.StopTimer()
	b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N)/1e6, "cpu-ms/op")
	if n != 100*300+300 {
		b.Fatalf("%d statuses", n)
	}
	b.ReportMetric(float64(len(figures)), "figures")
}

// TestBenchFactsClasses makes sure the benchmark's facts reach the forecast, not a
// short cut: most series are judged by their forecast.
func TestBenchFactsClasses(t *testing.T) {
	t.Parallel()
	inds, figures, refs := benchFacts(5, 30, 60)
	got := engine.IndicatorStatuses(inds, figures, refs, nil, dec2026)
	counts := map[string]int{}
	forecasts := 0
	for _, st := range got {
		counts[st.Class]++
		if st.Forecast != nil && !math.IsNaN(st.Forecast.Value) && st.Forecast.Low != nil {
			forecasts++
		}
	}
	if forecasts != 5*30 {
		t.Errorf("%d forecasts with an interval, want %d", forecasts, 5*30)
	}
	for _, c := range []string{tinhso.IndicatorAchieved, tinhso.IndicatorOnTrack, tinhso.IndicatorAtRisk, tinhso.IndicatorOffTrack} {
		if counts[c] == 0 {
			t.Errorf("no %s among %v", c, counts)
		}
	}
}

// BenchmarkTaskStatuses computes the status of 26,000 tasks (the plan grown 100×), a
// third of them recurring, each with 20 quarterly reports over 5 years.
func BenchmarkTaskStatuses(b *testing.B) {
	deadlines := []string{"Tháng 7/2025", "Năm 2025", "Năm 2026", "2025 - 2026", "Thường xuyên", "Hằng năm",
		"Tháng 11 của năm trước", "Năm 2025 và giai đoạn 2026 - 2030", ""}
	ps := periods(tinhso.FreqQuarterly, 2022, 2023, 2024, 2025, 2026)
	var tasks []*tinhso.Task
	var reports []tinhso.ProgressReport
	for i := 0; i < 26000; i++ {
		t := task(deadlines[i%len(deadlines)])
		t.Key = fmt.Sprintf("doc/t%d", i)
		tasks = append(tasks, t)
		for q, p := range ps {
			if (i+q)%7 == 0 {
				continue // some periods missing
			}
			reports = append(reports, tinhso.ProgressReport{Task: t.Key, OrgUnit: "so-a", Period: p.Label, PeriodEnd: p.End,
				Percent: pct(5 * q), Done: q == len(ps)-1 && i%2 == 0, ApprovedAt: vn(p.Year, 3*p.Number, 20+(i%10), 9)})
		}
	}
	now := time.Date(2026, 12, 15, 9, 0, 0, 0, tinhso.Location)
	byDoc := map[string][]tinhso.Period{"doc": ps}
	b.ReportAllocs()
	b.ResetTimer()
	cpu := cpuTime()
	for b.Loop() {
		engine.TaskStatuses(tasks, reports, byDoc, now, engine.TaskRules{})
	}
	b.StopTimer()
	b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N)/1e6, "cpu-ms/op")
	b.ReportMetric(float64(len(reports)), "reports")
}

// TestIndicatorStatusesSplit: a batch big enough to be shared among the cores gives
// each series the status it gets alone, whatever the stretch each core took.
func TestIndicatorStatusesSplit(t *testing.T) {
	t.Parallel()
	inds, figures, refs := benchFacts(40, 30, 60) // 72,000 figures: up to 3 stretches
	got := engine.IndicatorStatuses(inds, figures, refs, nil, dec2026)
	byKey := map[string]*tinhso.Indicator{}
	for _, ind := range inds {
		byKey[ind.Key] = ind
	}
	n := 0
	for i := 0; i < len(figures); i += 60 {
		f := figures[i : i+60]
		k := engine.SeriesKey{Indicator: f[0].Indicator, OrgUnit: f[0].OrgUnit}
		var rs []tinhso.ReferenceValue
		for _, r := range refs {
			if r.Indicator == k.Indicator {
				rs = append(rs, r)
			}
		}
		alone := engine.IndicatorStatus(engine.IndicatorFacts{Indicator: byKey[k.Indicator], OrgUnit: k.OrgUnit, Figures: f, References: rs}, dec2026)
		a, _ := json.Marshal(alone)
		b, _ := json.Marshal(got[k])
		if string(a) != string(b) {
			t.Fatalf("%v: batch\n%s\nalone\n%s", k, b, a)
		}
		n++
	}
	if n != 40*30 || len(got) != 40*30+30 {
		t.Errorf("%d series, %d statuses", n, len(got))
	}
	// The same figures, shuffled by series: the batch sorts a copy and agrees.
	shuffled := append([]tinhso.IndicatorFigure{}, figures[60:]...)
	shuffled = append(shuffled, figures[:60]...)
	shuffled[0], shuffled[len(shuffled)-1] = shuffled[len(shuffled)-1], shuffled[0]
	again := engine.IndicatorStatuses(inds, shuffled, refs, nil, dec2026)
	for k, st := range got {
		if again[k].Class != st.Class {
			t.Errorf("%v: %s shuffled, %s in order", k, again[k].Class, st.Class)
		}
	}
}
