package tsdb_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/tinhso/tinhso/tsdb"
	"github.com/tinhso/tinhso/tsdb/internal/synth"
)

// pointsFrom makes a strictly increasing series out of arbitrary bytes, mixing
// regular and irregular times, raw float bit patterns and short decimals, so that the
// fuzzer reaches every bucket and both value modes.
func pointsFrom(data []byte) []tsdb.Point {
	next := func(n int) uint64 {
		var b [8]byte
		k := copy(b[8-n:], data)
		data = data[k:]
		return binary.BigEndian.Uint64(b[:])
	}
	t := int64(next(8))
	v := 0.0
	var out []tsdb.Point
	for i := 0; len(data) > 0 && i < 5000; i++ {
		c := byte(next(1))
		if i > 0 {
			var d uint64
			switch c & 3 {
			case 0:
				d = 10e9 // regular
			case 1:
				d = 1 + next(1)
			case 2:
				d = 1 + next(3)*1e6
			default:
				d = 1 + next(8)>>(next(1)&63)
			}
			if t+int64(d) <= t || int64(d) <= 0 {
				break
			}
			t += int64(d)
		}
		switch (c >> 2) & 3 {
		case 0:
			v = math.Float64frombits(next(8))
		case 1:
			k := int(next(1)) % 10
			m := int64(next(7)) >> (next(1) & 63)
			if next(1)&1 == 1 {
				m = -m
			}
			v = float64(m) / math.Pow10(k)
		case 2: // unchanged, or a negative zero
			if c&0x40 != 0 {
				v = math.Copysign(0, -1)
			}
		default:
			v = math.Round(v*100+float64(int8(next(1)))) / 100
		}
		out = append(out, tsdb.Point{T: t, V: v})
	}
	return out
}

func seedBlocks(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 1, 4, 0x40, 0x35, 0x5e, 0xb8, 0x51, 0xeb, 0x85, 0x1f})
	f.Add(bytes.Repeat([]byte{0x0c, 1}, 400))
	f.Add(bytes.Repeat([]byte{0x0c, 1, 0x48, 0x0c, 2}, 100))
	f.Add(bytes.Repeat([]byte{0x07, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 50))
	f.Add(bytes.Repeat([]byte{0x01, 0xff, 0x00, 0x80, 0, 0, 0, 0, 0, 0, 0x80}, 50))
}

// FuzzBlockRoundTrip: decode(encode(x)) = x, times and value bits.
func FuzzBlockRoundTrip(f *testing.F) {
	seedBlocks(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		in := pointsFrom(data)
		enc, err := tsdb.EncodeBlock(in)
		if len(in) == 0 {
			if !errors.Is(err, tsdb.ErrEmpty) {
				t.Fatalf("no points: %v", err)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		got, err := tsdb.DecodeBlock(enc)
		if err != nil {
			t.Fatal(err)
		}
		if !sameBits(got, in) {
			t.Fatalf("round trip differs:\n got %v\nwant %v", got, in)
		}
		if n, first, err := tsdb.BlockInfo(enc); err != nil || n != len(in) || first != in[0].T {
			t.Fatalf("BlockInfo = %d, %d, %v", n, first, err)
		}
		head, err := tsdb.AppendHead(nil, in)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := tsdb.DecodeHead(head); err != nil || !sameBits(got, in) {
			t.Fatalf("head round trip: %v", err)
		}
	})
}

// FuzzDecodeBlock: arbitrary bytes never panic the decoder; what it accepts is a
// well-formed block that round-trips.
func FuzzDecodeBlock(f *testing.F) {
	for _, in := range [][]tsdb.Point{
		synth.Target(1, synth.Start, 100), synth.RandomWalk(1, synth.Start, 100), synth.Jittered(1, synth.Start, 100),
		{{T: math.MinInt64, V: 1}, {T: math.MaxInt64, V: math.NaN()}},
	} {
		enc, _ := tsdb.EncodeBlock(in)
		f.Add(enc)
	}
	f.Add([]byte{1, 1, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		pts, err := tsdb.DecodeBlock(data)
		if err != nil {
			if !errors.Is(err, tsdb.ErrCorrupt) {
				t.Fatalf("error not ErrCorrupt: %v", err)
			}
			return
		}
		if len(pts) == 0 {
			t.Fatal("a block of no points")
		}
		if err := tsdb.CheckOrder(pts); err != nil {
			t.Fatal(err)
		}
		enc, err := tsdb.EncodeBlock(pts)
		if err != nil {
			t.Fatal(err)
		}
		again, err := tsdb.DecodeBlock(enc)
		if err != nil || !sameBits(again, pts) {
			t.Fatalf("re-encoded block differs: %v", err)
		}
	})
}

// FuzzDecodePage: the same for rollup pages.
func FuzzDecodePage(f *testing.F) {
	l, err := tsdb.NewLayout(2*time.Hour, vietnam)
	if err != nil {
		f.Fatal(err)
	}
	for res := tsdb.Minute; res <= tsdb.Day; res++ {
		enc, _ := tsdb.AppendPage(nil, l.Rollup(res, synth.Target(1, synth.Start, 300)))
		f.Add(enc)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		bs, err := tsdb.DecodePage(data)
		if err != nil {
			if !errors.Is(err, tsdb.ErrCorrupt) {
				t.Fatalf("error not ErrCorrupt: %v", err)
			}
			return
		}
		enc, err := tsdb.AppendPage(nil, bs)
		if err != nil {
			t.Fatalf("a decoded page does not encode: %v", err)
		}
		again, err := tsdb.DecodePage(enc)
		if err != nil || len(again) != len(bs) {
			t.Fatalf("re-encoded page differs: %v", err)
		}
		for i := range bs {
			a, b := again[i], bs[i]
			if a.Start != b.Start || a.Count != b.Count || math.Float64bits(a.Sum) != math.Float64bits(b.Sum) ||
				math.Float64bits(a.Min) != math.Float64bits(b.Min) || math.Float64bits(a.Max) != math.Float64bits(b.Max) ||
				math.Float64bits(a.Last) != math.Float64bits(b.Last) {
				t.Fatalf("bucket %d: %v, want %v", i, a, b)
			}
		}
	})
}

// FuzzDecodeHead: arbitrary bytes never panic the head decoder.
func FuzzDecodeHead(f *testing.F) {
	enc, _ := tsdb.AppendHead(nil, synth.Target(1, synth.Start, 10))
	f.Add(enc)
	f.Fuzz(func(t *testing.T, data []byte) {
		pts, err := tsdb.DecodeHead(data)
		if err != nil {
			if !errors.Is(err, tsdb.ErrCorrupt) {
				t.Fatalf("error not ErrCorrupt: %v", err)
			}
			return
		}
		if err := tsdb.CheckOrder(pts); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzParseLines: any body is either taken whole, every sample well-formed, or
// refused whole, each error naming a line of the body.
func FuzzParseLines(f *testing.F) {
	for _, s := range []string{
		"temp value=21.37 1772366400000000000\n",
		"air,site=hn,dev=a1 pm25=12,value=3i 1772366400\n# c\n\nx value=NaN\n",
		"x note=\"a\nb\" 1\ny value=-Inf\nz,t=a\\ b value=1\n",
		"m,a=1,a=2 f=1,f=2 -1\r\nq v=1e400 99999999999999999999\n",
		"  lead value=1\n\tx value=1\n",
	} {
		f.Add([]byte(s))
	}
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, body []byte) {
		batch, err := tsdb.ParseLines(body, tsdb.ParseOptions{Now: now, Unit: time.Second})
		lines := bytes.Count(body, []byte{'\n'}) + 1
		if err != nil {
			var be *tsdb.BatchError
			if !errors.As(err, &be) {
				t.Fatalf("not a BatchError: %v", err)
			}
			if batch != nil || be.Total < len(be.Lines) || len(be.Lines) == 0 {
				t.Fatalf("refusal: %v, %v", batch, be)
			}
			prev := 0
			for _, l := range be.Lines {
				if l.Line < 1 || l.Line > lines || l.Line < prev || l.Key == "" || l.Args["line"] != l.Line {
					t.Fatalf("line error %+v in a body of %d lines", l, lines)
				}
				prev = l.Line
			}
			return
		}
		for _, key := range batch.Series {
			if err := tsdb.ValidKey(key); err != nil {
				t.Fatal(err)
			}
		}
		for _, s := range batch.Points {
			if s.Series < 0 || int(s.Series) >= len(batch.Series) {
				t.Fatalf("sample %v names no series", s)
			}
			if math.IsNaN(s.V) || math.IsInf(s.V, 0) {
				t.Fatalf("sample %v is not finite", s)
			}
			if s.T < 0 || s.T > now.Add(24*time.Hour).UnixNano() {
				t.Fatalf("sample %v out of the time range", s)
			}
		}
	})
}
