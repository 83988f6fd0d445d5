package tsdb_test

import (
	"errors"
	"math"
	"testing"

	"github.com/tinhso/tinhso/tsdb"
	"github.com/tinhso/tinhso/tsdb/internal/synth"
)

// sameBits reports whether a and b hold the same times and the same value bit patterns.
func sameBits(a, b []tsdb.Point) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].T != b[i].T || math.Float64bits(a[i].V) != math.Float64bits(b[i].V) {
			return false
		}
	}
	return true
}

func mustRoundTrip(t *testing.T, pts []tsdb.Point) []byte {
	t.Helper()
	enc, err := tsdb.EncodeBlock(pts)
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	got, err := tsdb.DecodeBlock(enc)
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	if !sameBits(got, pts) {
		for i := range min(len(got), len(pts)) {
			if got[i] != pts[i] {
				t.Fatalf("point %d: got %v (%x), want %v (%x)", i, got[i], math.Float64bits(got[i].V), pts[i], math.Float64bits(pts[i].V))
			}
		}
		t.Fatalf("got %d points, want %d", len(got), len(pts))
	}
	n, first, err := tsdb.BlockInfo(enc)
	if err != nil || n != len(pts) || first != pts[0].T {
		t.Fatalf("BlockInfo = %d, %d, %v; want %d, %d", n, first, err, len(pts), pts[0].T)
	}
	return enc
}

func TestBlockRoundTrip(t *testing.T) {
	t.Parallel()
	const s = int64(1e9)
	negZero := math.Copysign(0, -1)
	nan := math.Float64frombits(0x7ff8_dead_beef_0001)
	tests := []struct {
		name string
		pts  []tsdb.Point
	}{
		{"one point", []tsdb.Point{{T: 1_767_200_400 * s, V: 21.37}}},
		{"one point at zero", []tsdb.Point{{T: 0, V: 0}}},
		{"two points", []tsdb.Point{{T: 10 * s, V: 1}, {T: 20 * s, V: 2}}},
		{"before 1970", []tsdb.Point{{T: -86400 * 365 * 20 * s, V: 1.5}, {T: -1, V: 2.25}, {T: 0, V: -3}, {T: 1, V: 4}}},
		{"extremes of int64", []tsdb.Point{{T: math.MinInt64, V: 1}, {T: math.MinInt64 + 1, V: 2}, {T: 0, V: 3}, {T: math.MaxInt64 - 1, V: 4}, {T: math.MaxInt64, V: 5}}},
		{"huge gaps", []tsdb.Point{{T: 0, V: 1}, {T: 1, V: 1}, {T: 1 << 62, V: 1}, {T: 1<<62 + 1, V: 1}, {T: math.MaxInt64, V: 1}}},
		{"negative zero", []tsdb.Point{{T: 1, V: 0}, {T: 2, V: negZero}, {T: 3, V: 0}, {T: 4, V: negZero}}},
		{"negative zero in a trend (delta-of-delta mode)", []tsdb.Point{{T: 1, V: 0}, {T: 2, V: 0}, {T: 3, V: 0.02}, {T: 4, V: 0.04}, {T: 5, V: negZero}}},
		{"negative zero first and last", []tsdb.Point{{T: 1, V: negZero}, {T: 2, V: 0.5}, {T: 3, V: negZero}}},
		{"negative zeros among decimals", func() []tsdb.Point {
			p := synth.Target(9, synth.Start, 720)
			for i := 0; i < len(p); i += 50 {
				p[i].V = negZero
			}
			return p
		}()},
		{"NaN payload and infinities", []tsdb.Point{{T: 1, V: nan}, {T: 2, V: math.Inf(1)}, {T: 3, V: math.Inf(-1)}, {T: 4, V: math.NaN()}}},
		{"extreme floats", []tsdb.Point{{T: 1, V: math.MaxFloat64}, {T: 2, V: math.SmallestNonzeroFloat64}, {T: 3, V: -math.MaxFloat64}, {T: 4, V: 5e-324}, {T: 5, V: 1e308}}},
		{"large exact integers", []tsdb.Point{{T: 1, V: 1 << 53}, {T: 2, V: -(1 << 53)}, {T: 3, V: 0}, {T: 4, V: 1<<53 - 1}}},
		{"beyond exact integers", []tsdb.Point{{T: 1, V: 1 << 54}, {T: 2, V: 1<<54 + 4}}},
		{"decimals with nine places", []tsdb.Point{{T: 1, V: 0.123456789}, {T: 2, V: 0.123456788}, {T: 3, V: 1}}},
		{"decimals with ten places", []tsdb.Point{{T: 1, V: 0.1234567891}, {T: 2, V: 0.1}}},
		{"a linear trend", func() []tsdb.Point {
			var pts []tsdb.Point
			for i := range 500 {
				pts = append(pts, tsdb.Point{T: int64(i) * 60 * s, V: float64(1000+7*i) / 100})
			}
			return pts
		}()},
		{"jittered millisecond times", synth.Jittered(1, synth.Start, 720)},
		{"target", synth.Target(1, synth.Start, 720)},
		{"random walk", synth.RandomWalk(1, synth.Start, 720)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mustRoundTrip(t, tt.pts)
		})
	}
}

// TestNegativeZeroStaysDecimal: a "-0.0" among two-decimal values costs a few bytes,
// not the block's decimal mode.
func TestNegativeZeroStaysDecimal(t *testing.T) {
	t.Parallel()
	in := synth.Target(9, synth.Start, 720)
	plain := len(mustRoundTrip(t, in))
	in[100].V = math.Copysign(0, -1)
	in[500].V = math.Copysign(0, -1)
	if got := len(mustRoundTrip(t, in)); got > plain+32 {
		t.Errorf("two negative zeros: %d bytes, %d without", got, plain)
	}
}

func TestBlockRefusesDisorder(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		pts   []tsdb.Point
		index int
	}{
		{"equal timestamps", []tsdb.Point{{T: 1, V: 1}, {T: 2, V: 2}, {T: 2, V: 3}}, 2},
		{"out of order", []tsdb.Point{{T: 5, V: 1}, {T: 4, V: 2}}, 1},
		{"out of order at the extremes", []tsdb.Point{{T: math.MaxInt64, V: 1}, {T: math.MinInt64, V: 2}}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := tsdb.EncodeBlock(tt.pts)
			var oe *tsdb.OrderError
			if !errors.As(err, &oe) || oe.Index != tt.index {
				t.Fatalf("err = %v, want an OrderError at %d", err, tt.index)
			}
		})
	}
	if _, err := tsdb.EncodeBlock(nil); !errors.Is(err, tsdb.ErrEmpty) {
		t.Fatalf("no points: err = %v, want ErrEmpty", err)
	}
}

func TestBlockDecodeRefusesDamage(t *testing.T) {
	t.Parallel()
	enc := mustRoundTrip(t, synth.Target(3, synth.Start, 720))
	// Every truncation and every single-byte change either fails with ErrCorrupt or
	// decodes to well-formed points; none panics.
	for n := range len(enc) {
		if _, err := tsdb.DecodeBlock(enc[:n]); !errors.Is(err, tsdb.ErrCorrupt) {
			t.Fatalf("truncated to %d bytes: err = %v, want ErrCorrupt", n, err)
		}
	}
	for i := range enc {
		for _, x := range []byte{0x01, 0x80, 0xff} {
			b := append([]byte(nil), enc...)
			b[i] ^= x
			pts, err := tsdb.DecodeBlock(b)
			if err != nil {
				if !errors.Is(err, tsdb.ErrCorrupt) {
					t.Fatalf("byte %d ^ %#x: err = %v, want ErrCorrupt", i, x, err)
				}
				continue
			}
			if err := tsdb.CheckOrder(pts); err != nil {
				t.Fatalf("byte %d ^ %#x: decoded points out of order: %v", i, x, err)
			}
		}
	}
	if _, err := tsdb.DecodeBlock(append(enc, 0)); !errors.Is(err, tsdb.ErrCorrupt) {
		t.Fatalf("trailing byte: err = %v, want ErrCorrupt", err)
	}
}

// bytesPerPoint encodes each series in blocks of span points and returns the mean size.
func bytesPerPoint(t testing.TB, series [][]tsdb.Point, span int) float64 {
	var size, n int
	for _, pts := range series {
		for i := 0; i < len(pts); i += span {
			enc, err := tsdb.EncodeBlock(pts[i:min(i+span, len(pts))])
			if err != nil {
				t.Fatal(err)
			}
			size += len(enc)
		}
		n += len(pts)
	}
	return float64(size) / float64(n)
}

// TestBytesPerPoint holds the codec to the aim: at most 2 bytes per point for
// the target data (1,000 series, one point every 10 s, two decimals varying slowly),
// in blocks of 2 h.
func TestBytesPerPoint(t *testing.T) {
	t.Parallel()
	const perBlock = 720 // 2 h at 10 s
	gen := func(f func(uint64, int64, int) []tsdb.Point) [][]tsdb.Point {
		var ss [][]tsdb.Point
		for i := range 1000 {
			ss = append(ss, f(uint64(i), synth.Start, perBlock*4))
		}
		return ss
	}
	target := bytesPerPoint(t, gen(synth.Target), perBlock)
	jittered := bytesPerPoint(t, gen(synth.Jittered), perBlock)
	walk := bytesPerPoint(t, gen(synth.RandomWalk), perBlock)
	t.Logf("bytes/point: target %.3f, jittered ms times %.3f, random-walk floats %.3f", target, jittered, walk)
	if target > 2 {
		t.Errorf("target data: %.3f bytes/point, want ≤ 2", target)
	}
	if walk > 8.5 {
		t.Errorf("random walk: %.3f bytes/point, want ≤ 8.5 (raw is 16)", walk)
	}
}
