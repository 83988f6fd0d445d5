package sqldb_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

// BenchmarkWritePoints writes 40 points to each of 1,000 series per durable write, as
// eight HTTP batches of 5,000 points make one group commit.
func BenchmarkWritePoints(b *testing.B) {
	for _, engine := range sqldbtest.Engines() {
		b.Run(engine, func(b *testing.B) {
			ctx := context.Background()
			db := sqldbtest.Open(b, engine)
			keys := make([]string, 1000)
			for i := range keys {
				keys[i] = fmt.Sprintf("s%d", i)
			}
			ids, err := db.SeriesIDs(ctx, keys, true)
			if err != nil {
				b.Fatal(err)
			}
			t0 := int64(1_767_200_400e9)
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				w := &tinhso.PointWrite{Series: make([]tinhso.SeriesPoints, len(ids))}
				for s, id := range ids {
					pts := make([]tinhso.Point, 40)
					for j := range pts {
						pts[j] = tinhso.Point{T: t0 + int64(i*40+j)*10e9, V: float64(s+j) / 100}
					}
					w.Series[s] = tinhso.SeriesPoints{SeriesID: id, Points: pts}
				}
				if err := db.WritePoints(ctx, w); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*40_000)/b.Elapsed().Seconds(), "points/s")
		})
	}
}

// BenchmarkCompact folds heads of 2,000 points in each of 1,000 series (written as 50
// writes of 40 points each) into blocks and rollups.
func BenchmarkCompact(b *testing.B) {
	for _, engine := range sqldbtest.Engines() {
		b.Run(engine, func(b *testing.B) {
			ctx := context.Background()
			db := sqldbtest.Open(b, engine)
			keys := make([]string, 1000)
			for i := range keys {
				keys[i] = fmt.Sprintf("s%d", i)
			}
			ids, err := db.SeriesIDs(ctx, keys, true)
			if err != nil {
				b.Fatal(err)
			}
			t0 := int64(1_767_200_400e9)
			k := 0
			b.ReportAllocs()
			for range b.N {
				b.StopTimer()
				for range 50 {
					w := &tinhso.PointWrite{Series: make([]tinhso.SeriesPoints, len(ids))}
					for s, id := range ids {
						pts := make([]tinhso.Point, 40)
						for j := range pts {
							pts[j] = tinhso.Point{T: t0 + int64(k*40+j)*10e9, V: float64(s+j%7) / 100}
						}
						w.Series[s] = tinhso.SeriesPoints{SeriesID: id, Points: pts}
					}
					k++
					if err := db.WritePoints(ctx, w); err != nil {
						b.Fatal(err)
					}
				}
				b.StartTimer()
				if _, err := db.Compact(ctx, 0, true); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*2_000_000)/b.Elapsed().Seconds(), "points/s")
		})
	}
}
