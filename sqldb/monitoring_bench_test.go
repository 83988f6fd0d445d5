package sqldb_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/engine"
	"github.com/tinhso/tinhso/sqldb"
	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

// monitoringFixture stores 300 indicators and, for each of 100 units, 5 years of
// monthly approved figures (2022–2026, 1.8 million indicator values in 6,000 approved
// submissions), the scale for Monitoring I.
func monitoringFixture(b *testing.B, db *sqldb.DB, units, indicators, months int) {
	ctx := context.Background()
	doc := &tinhso.Document{Slug: "bench", Kind: "plan", Number: "BENCH", Title: "Bench"}
	if err := db.CreateDocument(ctx, doc); err != nil {
		b.Fatal(err)
	}
	var ous []*tinhso.OrgUnit
	for u := range units {
		ous = append(ous, &tinhso.OrgUnit{Code: fmt.Sprintf("bench-u%03d", u), Name: fmt.Sprintf("Đơn vị %d", u), Kind: "department"})
	}
	if _, _, err := db.ImportOrgUnits(ctx, ous, tinhso.OrgUnitImport{}); err != nil {
		b.Fatal(err)
	}
	targets := []string{"≥ 85", "> 55", "đạt 0,8", "100", "8-10", "≤ 10", "không quá 5%", "tối thiểu 10.000"}
	for i := range indicators {
		ind := &tinhso.Indicator{Document: "bench", Code: fmt.Sprintf("b%d", i), Name: fmt.Sprintf("Chỉ tiêu %d", i), Unit: "%",
			TargetText: targets[i%len(targets)], Horizon: 2030}
		if err := db.CreateIndicator(ctx, ind); err != nil {
			b.Fatal(err)
		}
	}
	if err := db.CreateRegime(ctx, &tinhso.Regime{Key: "bench-m", Name: "Bench", Document: "bench", Frequency: tinhso.FreqMonthly, CutoffDay: 14, DeadlineDays: 5}); err != nil {
		b.Fatal(err)
	}
	must := func(q string, args ...any) {
		if err := db.Exec(q, args...); err != nil {
			b.Fatal(err)
		}
	}
	now := time.Now().UTC().Format(time.RFC3339Nano)
	for m := range months {
		y, mo := 2022+m/12, m%12+1
		end := time.Date(y, time.Month(mo)+1, 0, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
		start := time.Date(y, time.Month(mo), 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
		must(`INSERT INTO periods (regime_id, label, year, number, start_date, end_date, data_from, data_to, due, status, opened_at)
			SELECT id, ?, ?, ?, ?, ?, ?, ?, ?, 'closed', ? FROM regimes WHERE key = 'bench-m'`,
			fmt.Sprintf("T%d/%d", mo, y), y, mo, start, end, start, end, end, now)
	}
	must(`INSERT INTO submissions (period_id, org_unit_id, status, submitted_at, approved_at, created_at, updated_at)
		SELECT p.id, u.id, 'approved', p.end_date || 'T01:00:00Z', p.end_date || 'T02:00:00Z', ?, ? FROM periods p, org_units u
		WHERE u.code LIKE 'bench-u%' AND p.regime_id = (SELECT id FROM regimes WHERE key = 'bench-m')`, now, now)
	// The values: a line from half to nine tenths of 100 toward 0.7–1.3 times it, with
	// noise, per indicator and unit; inserted by indicator, all units and months at once.
	for i := range indicators {
		var sb strings.Builder
		sb.WriteString(`INSERT INTO indicator_values (submission_id, indicator_id, number)
			SELECT s.id, i.id, `)
		// A deterministic value from the ids, without random functions that differ
		// between the engines.
		sb.WriteString(fmt.Sprintf(`50 + (s.org_unit_id %% 40) + (s.period_id %% 60) * 0.5 + ((s.id * 7 + %d) %% 11) * 0.3`, i))
		sb.WriteString(` FROM submissions s, indicators i WHERE i.key = ?`)
		must(sb.String(), fmt.Sprintf("bench/b%d", i))
	}
}

// BenchmarkMonitoringWithLoading loads every fact of the statuses from each engine and
// computes every status and forecast: 100 units × 300 indicators × 60 monthly figures
// (aim: under 1 s). The seed plan's 262 tasks and 150 indicators come along.
func BenchmarkMonitoringWithLoading(b *testing.B) {
	for _, eng := range sqldbtest.Engines() {
		b.Run(eng, func(b *testing.B) {
			db := sqldbtest.OpenSeeded(b, eng)
			t0 := time.Now()
			monitoringFixture(b, db, 100, 300, 60)
			b.Logf("%s: fixture stored in %v", eng, time.Since(t0).Round(time.Millisecond))
			ctx := context.Background()
			now := time.Date(2026, 12, 15, 9, 0, 0, 0, tinhso.Location)
			b.ReportAllocs()
			b.ResetTimer()
			var figures, statuses int
			var load, judge time.Duration
			for b.Loop() {
				t1 := time.Now()
				f, err := db.MonitoringFacts(ctx)
				if err != nil {
					b.Fatal(err)
				}
				t2 := time.Now()
				m := app.MonitorOf(f, now)
				judge += time.Since(t2)
				load += t2.Sub(t1)
				figures, statuses = len(f.Figures), len(m.Indicators)+len(m.Tasks)
			}
			b.StopTimer()
			b.ReportMetric(float64(load.Milliseconds())/float64(b.N), "load-ms/op")
			b.ReportMetric(float64(judge.Milliseconds())/float64(b.N), "judge-ms/op")
			b.ReportMetric(float64(figures), "figures")
			b.ReportMetric(float64(statuses), "statuses")
			if figures < 100*300*60 {
				b.Fatalf("%d figures loaded", figures)
			}
			_ = engine.SeriesKey{}
		})
	}
}
