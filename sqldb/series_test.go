package sqldb_test

import (
	"context"
	"maps"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/sqldb"
	"github.com/tinhso/tinhso/sqldb/sqldbtest"
	"github.com/tinhso/tinhso/tsdb"
)

func mustCreateSeries(tb testing.TB, db *sqldb.DB, key string) *tinhso.Series {
	tb.Helper()
	s := &tinhso.Series{Key: key, Name: "Chuỗi " + key, Unit: "µg/m³"}
	if err := db.CreateSeries(context.Background(), s); err != nil {
		tb.Fatal(err)
	}
	return s
}

// The registry: create, find, update with versions, keys that never change, delete.
func TestSeriesRegistry(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		db := mustOpenDB(t, engine)
		mustCreateUnit(t, db, "stttt", "department")
		s := &tinhso.Series{Key: "air,site=hn.pm25", Name: "Bụi PM2.5 Hà Nội", Unit: "µg/m³", Tags: map[string]string{"site": "hn"},
			OrgUnit: "stttt", Location: &tinhso.GeoPoint{Lat: 21.59, Lon: 105.84}, RetentionDays: 30}
		if err := db.CreateSeries(ctx, s); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateSeries(ctx, &tinhso.Series{Key: s.Key, Name: "x"}); tinhso.ErrorCode(err) != tinhso.ECONFLICT {
			t.Errorf("duplicate key: %v", err)
		}
		got, err := db.FindSeriesByKey(ctx, s.Key)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != s.Name || got.OrgUnit != "stttt" || got.Location == nil || got.Location.Lat != 21.59 || got.Tags["site"] != "hn" || got.Version != 1 || got.RetentionDays != 30 {
			t.Errorf("read back %+v", got)
		}
		got.Name = "PM2.5"
		if err := db.UpdateSeries(ctx, got, 1); err != nil {
			t.Fatal(err)
		}
		if got.Version != 2 || got.Name != "PM2.5" {
			t.Errorf("after update %+v", got)
		}
		if err := db.UpdateSeries(ctx, got, 1); tinhso.ErrorCode(err) != tinhso.EPRECONDITION {
			t.Errorf("stale version: %v", err)
		}
		moved := *got
		moved.Key = "other"
		if err := db.UpdateSeries(ctx, &moved, 0); tinhso.ErrorCode(err) != tinhso.EINVALID {
			t.Errorf("key change: %v", err)
		}
		for _, bad := range []tinhso.Series{
			{Key: "có dấu", Name: "x"},
			{Key: "a/b", Name: "x"},
			{Key: "ok", Name: "x", Location: &tinhso.GeoPoint{Lat: 91}},
			{Key: "ok", Name: "x", Location: &tinhso.GeoPoint{Lon: -181}},
			{Key: "ok", Name: "x", RetentionDays: -1},
			{Key: "ok", Name: "x", OrgUnit: "NOPE"},
		} {
			if err := db.CreateSeries(ctx, &bad); tinhso.ErrorCode(err) != tinhso.EINVALID {
				t.Errorf("%+v: %v", bad, err)
			}
		}
		list, total, err := db.FindSeries(ctx, tinhso.SeriesFilter{Prefix: "air,"})
		if err != nil || total != 1 || len(list) != 1 {
			t.Errorf("find by prefix: %v %d %v", list, total, err)
		}
		ids, err := db.SeriesIDs(ctx, []string{s.Key, "new.one"}, false)
		if err != nil || ids[0] != s.ID || ids[1] != 0 {
			t.Errorf("ids without create: %v %v", ids, err)
		}
		ids, err = db.SeriesIDs(ctx, []string{s.Key, "new.one"}, true)
		if err != nil || ids[0] != s.ID || ids[1] == 0 {
			t.Errorf("ids with create: %v %v", ids, err)
		}
		if err := db.WritePoints(ctx, &tinhso.PointWrite{Series: []tinhso.SeriesPoints{{SeriesID: ids[1], Points: []tinhso.Point{{T: 1e18, V: 1}}}}}); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteSeries(ctx, ids[1], 0); err != nil {
			t.Fatal(err)
		}
		if _, err := db.FindSeriesByKey(ctx, "new.one"); tinhso.ErrorCode(err) != tinhso.ENOTFOUND {
			t.Errorf("deleted: %v", err)
		}
		if sz, _ := db.StoredSize(ctx); sz.Points != 0 {
			t.Errorf("points of a deleted series remain: %+v", sz)
		}
	})
}

// model is the reference: for each time the last value written.
type model map[int64]float64

func (m model) points(from, to int64) []tsdb.Point {
	var out []tsdb.Point
	for _, t := range slices.Sorted(maps.Keys(m)) {
		if t >= from && t < to {
			out = append(out, tsdb.Point{T: t, V: m[t]})
		}
	}
	return out
}

// Points written in batches that overlap, out of order and with duplicates, read back
// as the last write of each time, raw and at every rollup resolution, before and after
// the head is folded, and the latest point is the greatest time.
func TestPointsLastWriteWins(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		db := mustOpenDB(t, engine)
		a, b := mustCreateSeries(t, db, "a"), mustCreateSeries(t, db, "b")
		ref := map[int64]model{a.ID: {}, b.ID: {}}
		r := rand.New(rand.NewPCG(1, 2))
		base := time.Date(2026, 3, 1, 16, 0, 0, 0, time.UTC).UnixNano()
		span := int64(3 * 24 * time.Hour)
		for batch := range 40 {
			w := &tinhso.PointWrite{}
			for _, id := range []int64{a.ID, b.ID} {
				var pts []tinhso.Point
				for range 50 + r.IntN(100) {
					// Times on a 10 s grid, so that duplicates are frequent; a few at
					// nanosecond precision.
					t := base + r.Int64N(span/10e9)*10e9
					if r.IntN(10) == 0 {
						t += r.Int64N(10e9)
					}
					v := float64(r.IntN(10000)) / 100
					if r.IntN(20) == 0 {
						v = r.NormFloat64() * 1e6
					}
					pts = append(pts, tinhso.Point{T: t, V: v})
					ref[id][t] = v
				}
				w.Series = append(w.Series, tinhso.SeriesPoints{SeriesID: id, Points: pts})
			}
			if err := db.WritePoints(ctx, w); err != nil {
				t.Fatal(err)
			}
			if batch%7 == 6 {
				if _, err := db.Compact(ctx, 0, batch%2 == 0); err != nil {
					t.Fatal(err)
				}
			}
		}
		check := func(stage string) {
			l := db.Layout()
			for key, id := range map[string]int64{"a": a.ID, "b": b.ID} {
				want := ref[id].points(base, base+span)
				got, err := db.QueryPoints(ctx, tinhso.PointQuery{Key: key, From: time.Unix(0, base), To: time.Unix(0, base+span), Resolution: "raw"})
				if err != nil {
					t.Fatal(err)
				}
				if len(got.Items) != len(want) {
					t.Fatalf("%s %s raw: %d points, want %d", stage, key, len(got.Items), len(want))
				}
				for i, p := range want {
					if it := got.Items[i]; it.Time.UnixNano() != p.T || it.Value != p.V {
						t.Fatalf("%s %s raw[%d]: %v %v, want %d %v", stage, key, i, it.Time.UnixNano(), it.Value, p.T, p.V)
					}
				}
				for _, res := range []tsdb.Resolution{tsdb.Minute, tsdb.Hour, tsdb.Day} {
					// The whole days around the data, so that every bucket is complete.
					from := l.BucketStart(tsdb.Day, base)
					to := l.NextBucket(tsdb.Day, l.BucketStart(tsdb.Day, base+span))
					wantB := l.Rollup(res, ref[id].points(from, to))
					got, err := db.QueryPoints(ctx, tinhso.PointQuery{Key: key, From: time.Unix(0, from), To: time.Unix(0, to), Resolution: res.String()})
					if err != nil {
						t.Fatal(err)
					}
					if len(got.Items) != len(wantB) {
						t.Fatalf("%s %s %s: %d buckets, want %d", stage, key, res, len(got.Items), len(wantB))
					}
					for i, w := range wantB {
						it := got.Items[i]
						if it.Time.UnixNano() != w.Start || it.Count != w.Count || it.Min != w.Min || it.Max != w.Max || it.Last != w.Last || it.Value != w.Mean() {
							t.Fatalf("%s %s %s[%d]: %+v, want %+v", stage, key, res, i, it, w)
						}
					}
				}
			}
			latest, err := db.LatestPoints(ctx, nil)
			if err != nil || len(latest) != 2 {
				t.Fatalf("latest: %v %v", latest, err)
			}
			for _, lp := range latest {
				pts := ref[lp.SeriesID].points(0, 1<<62)
				if p := pts[len(pts)-1]; lp.Time.UnixNano() != p.T || lp.Value != p.V {
					t.Errorf("%s latest %s: %v %v, want %v", stage, lp.Key, lp.Time, lp.Value, p)
				}
			}
		}
		check("with head")
		if _, err := db.Compact(ctx, 0, true); err != nil {
			t.Fatal(err)
		}
		if sz, _ := db.StoredSize(ctx); sz.HeadBytes != 0 {
			t.Errorf("head left after compacting all: %+v", sz)
		}
		check("folded")
		// A late point into folded blocks, then the head again.
		late := tinhso.Point{T: base + 5e9, V: 42}
		ref[a.ID][late.T] = late.V
		if err := db.WritePoints(ctx, &tinhso.PointWrite{Series: []tinhso.SeriesPoints{{SeriesID: a.ID, Points: []tinhso.Point{late}}}}); err != nil {
			t.Fatal(err)
		}
		check("late point")
	})
}

// Retention cuts at a local midnight: nothing before the cutoff stays, everything after
// it does, and the rollups agree with the points that remain.
func TestRetention(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		db := mustOpenDB(t, engine)
		now := time.Date(2026, 3, 10, 9, 0, 0, 0, tinhso.Location)
		db.Now = func() time.Time { return now }
		s := &tinhso.Series{Key: "kept", Name: "x", RetentionDays: 2}
		if err := db.CreateSeries(ctx, s); err != nil {
			t.Fatal(err)
		}
		var pts []tinhso.Point
		start := now.Add(-5 * 24 * time.Hour).UnixNano()
		for t := start; t < now.UnixNano(); t += int64(time.Minute) {
			pts = append(pts, tinhso.Point{T: t, V: float64(t/int64(time.Minute)%100) / 10})
		}
		if err := db.WritePoints(ctx, &tinhso.PointWrite{Series: []tinhso.SeriesPoints{{SeriesID: s.ID, Points: pts}}}); err != nil {
			t.Fatal(err)
		}
		if n, err := db.ApplyRetention(ctx, now); err != nil || n != 1 {
			t.Fatalf("retention: %d %v", n, err)
		}
		cutoff := time.Date(2026, 3, 8, 0, 0, 0, 0, tinhso.Location).UnixNano()
		raw, err := db.QueryPoints(ctx, tinhso.PointQuery{Key: "kept", From: time.Unix(0, start), To: now, Resolution: "raw"})
		if err != nil {
			t.Fatal(err)
		}
		var want []tinhso.Point
		for _, p := range pts {
			if p.T >= cutoff {
				want = append(want, p)
			}
		}
		if len(raw.Items) != len(want) || raw.Items[0].Time.UnixNano() != cutoff {
			t.Fatalf("after the cut: %d points from %v, want %d from %v", len(raw.Items), raw.Items[0].Time, len(want), time.Unix(0, cutoff).UTC())
		}
		for _, res := range []string{"1m", "1h", "1d"} {
			got, err := db.QueryPoints(ctx, tinhso.PointQuery{Key: "kept", From: time.Unix(0, start), To: now, Resolution: res})
			if err != nil {
				t.Fatal(err)
			}
			var n int64
			for _, it := range got.Items {
				if it.Time.UnixNano() < cutoff {
					t.Fatalf("%s bucket %v before the cutoff", res, it.Time)
				}
				n += it.Count
			}
			if n != int64(len(want)) {
				t.Errorf("%s counts %d points, want %d", res, n, len(want))
			}
		}
	})
}

// Ingest statistics: the rate over the last full minute, the total, the last error.
func TestIngestStats(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		db := mustOpenDB(t, engine)
		now := time.Date(2026, 3, 10, 9, 0, 30, 0, time.UTC)
		db.Now = func() time.Time { return now }
		s := mustCreateSeries(t, db, "rate")
		if err := db.RecordIngest(ctx, []tinhso.SeriesCount{{SeriesID: s.ID, Points: 600, At: now.Add(-time.Minute)}}); err != nil {
			t.Fatal(err)
		}
		if err := db.RecordIngest(ctx, []tinhso.SeriesCount{{SeriesID: s.ID, Points: 60, At: now}}); err != nil {
			t.Fatal(err)
		}
		if err := db.RecordIngestError(ctx, s.ID, "line 3: not a number", now); err != nil {
			t.Fatal(err)
		}
		st, err := db.IngestStats(ctx, []string{"rate"})
		if err != nil || len(st) != 1 {
			t.Fatal(st, err)
		}
		if st[0].Rate != 10 || st[0].Total != 660 || st[0].LastError != "line 3: not a number" || st[0].LastWrite == nil || !st[0].LastWrite.Equal(now) {
			t.Errorf("stats %+v", st[0])
		}
	})
}

// mergeChunks is tsdb.MergeHeads.
func TestMergeChunksIsMergeHeads(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(3, 4))
	for range 500 {
		var chunks [][]tsdb.Point
		for range r.IntN(8) {
			var c []tsdb.Point
			for range r.IntN(20) {
				c = append(c, tsdb.Point{T: r.Int64N(40), V: float64(r.IntN(1000))})
			}
			chunks = append(chunks, tsdb.Normalize(c))
		}
		want := tsdb.MergeHeads(chunks...)
		got := sqldb.MergeChunks(chunks...)
		if len(got) != len(want) {
			t.Fatalf("%v: %v, want %v", chunks, got, want)
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("%v: %v, want %v", chunks, got, want)
			}
		}
	}
}

// On SQLite a quiet series whose one point sits in an old log row is folded once the
// log grows past its pressure, so that the log can be cut; nothing is lost, and a
// reopened store replays what is left.
func TestLogPressure(t *testing.T) {
	ctx := context.Background()
	sqldb.SetLogPressure(4096)
	defer sqldb.SetLogPressure(64 << 20)
	cfg := sqldbtest.Config(t, "sqlite")
	db, err := sqldb.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	quiet, busy := mustCreateSeries(t, db, "quiet"), mustCreateSeries(t, db, "busy")
	write := func(id int64, pts ...tinhso.Point) {
		t.Helper()
		if err := db.WritePoints(ctx, &tinhso.PointWrite{Series: []tinhso.SeriesPoints{{SeriesID: id, Points: pts}}}); err != nil {
			t.Fatal(err)
		}
	}
	write(quiet.ID, tinhso.Point{T: 1e18, V: 1})
	var want []tinhso.Point
	for i := range 40 {
		var pts []tinhso.Point
		for j := range 20 {
			pts = append(pts, tinhso.Point{T: 1e18 + int64(i*20+j)*1e9, V: float64(j)})
		}
		want = append(want, pts...)
		write(busy.ID, pts...)
	}
	before, _ := db.StoredSize(ctx)
	if _, err := db.Compact(ctx, 0, false); err != nil {
		t.Fatal(err)
	}
	after, _ := db.StoredSize(ctx)
	if before.HeadBytes <= 4096 || after.HeadBytes > 4096 {
		t.Errorf("log %d bytes before, %d after", before.HeadBytes, after.HeadBytes)
	}
	write(busy.ID, tinhso.Point{T: 2e18, V: 5})
	want = append(want, tinhso.Point{T: 2e18, V: 5})
	db.Close()
	db, err = sqldb.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for key, pts := range map[string][]tinhso.Point{"quiet": {{T: 1e18, V: 1}}, "busy": want} {
		got, err := db.QueryPoints(ctx, tinhso.PointQuery{Key: key, From: time.Unix(0, 0), To: time.Unix(0, 3e18), Resolution: "raw"})
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Items) != len(pts) {
			t.Fatalf("%s: %d points after reopening, want %d", key, len(got.Items), len(pts))
		}
		for i, p := range pts {
			if got.Items[i].Time.UnixNano() != p.T || got.Items[i].Value != p.V {
				t.Fatalf("%s[%d]: %+v, want %+v", key, i, got.Items[i], p)
			}
		}
	}
}

// Queries running while writes and folds go on never miss a point written before they
// started: a fold's commit and the removal of the head it folded are one step for them.
func TestQueriesDuringFolds(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		db := mustOpenDB(t, engine)
		s := mustCreateSeries(t, db, "busy")
		base := int64(1_767_200_400e9)
		var written atomic.Int64 // points acknowledged so far
		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(2)
		go func() { // the writer
			defer wg.Done()
			defer close(stop)
			for i := range 150 {
				pts := make([]tinhso.Point, 20)
				for j := range pts {
					pts[j] = tinhso.Point{T: base + int64(i*20+j)*1e9, V: float64(j)}
				}
				if err := db.WritePoints(ctx, &tinhso.PointWrite{Series: []tinhso.SeriesPoints{{SeriesID: s.ID, Points: pts}}}); err != nil {
					t.Error(err)
					return
				}
				written.Store(int64(i*20 + 20))
			}
		}()
		go func() { // the folder
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := db.Compact(ctx, 0, true); err != nil {
					t.Error(err)
					return
				}
			}
		}()
		queries := 0
		for done := false; !done; queries++ {
			select {
			case <-stop:
				done = true
			default:
			}
			want := written.Load()
			res, err := db.QueryPoints(ctx, tinhso.PointQuery{Key: "busy", From: time.Unix(0, base), To: time.Unix(0, base+1e13), Resolution: "raw"})
			if err != nil {
				t.Fatal(err)
			}
			if int64(len(res.Items)) < want {
				t.Fatalf("query %d saw %d points, %d were written before it", queries, len(res.Items), want)
			}
			m, err := db.QueryPoints(ctx, tinhso.PointQuery{Key: "busy", From: time.Unix(0, base), To: time.Unix(0, base+1e13), Resolution: "1h"})
			if err != nil {
				t.Fatal(err)
			}
			var n int64
			for _, it := range m.Items {
				n += it.Count
			}
			if n < want {
				t.Fatalf("query %d counted %d points in rollups, %d were written before it", queries, n, want)
			}
		}
		wg.Wait()
		t.Logf("%s: %d queries during 150 writes and their folds", engine, queries)
	})
}
