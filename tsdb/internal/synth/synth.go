// Package synth makes the synthetic series that the tests and benchmarks of tsdb
// measure against. Every generator is deterministic for a seed.
package synth

import (
	"math/rand/v2"

	"github.com/tinhso/tinhso/tsdb"
)

// Interval is the spacing of the target data: one point every 10 s.
const Interval = int64(10e9)

// Start is the first timestamp of the generated data: 2026-01-01T00:00:00+07:00.
const Start = int64(1767200400) * 1e9

// Target returns n points of one series of the target data: one point every
// 10 s from start, values with two decimals varying slowly (a random walk in
// hundredths: unchanged half of the time, ±0.01 30 %, ±0.02 15 %, ±0.03…±0.05 5 %),
// around a level between 10 and 100 chosen by the seed. Values are float64(m)/100,
// exactly what parsing "21.37" gives.
func Target(seed uint64, start int64, n int) []tsdb.Point {
	r := rand.New(rand.NewPCG(seed, 0x7475))
	m := 1000 + r.Int64N(9000)
	pts := make([]tsdb.Point, n)
	for i := range pts {
		pts[i] = tsdb.Point{T: start + int64(i)*Interval, V: float64(m) / 100}
		u := r.Float64()
		var step int64
		switch {
		case u < 0.5:
		case u < 0.8:
			step = 1
		case u < 0.95:
			step = 2
		default:
			step = 3 + r.Int64N(3)
		}
		if r.IntN(2) == 0 {
			step = -step
		}
		m += step
	}
	return pts
}

// RandomWalk returns n points every 10 s whose values are a random walk of full
// float64 precision (steps from a standard normal): the worst case for the codec,
// where no value mode helps and XOR does what it can.
func RandomWalk(seed uint64, start int64, n int) []tsdb.Point {
	r := rand.New(rand.NewPCG(seed, 0x7277))
	v := 50 + r.Float64()*50
	pts := make([]tsdb.Point, n)
	for i := range pts {
		pts[i] = tsdb.Point{T: start + int64(i)*Interval, V: v}
		v += r.NormFloat64()
	}
	return pts
}

// Jittered returns n points about every 10 s, each time off by up to ±500 ms at
// millisecond precision, as a client stamping readings with its own clock sends them;
// values as in Target.
func Jittered(seed uint64, start int64, n int) []tsdb.Point {
	r := rand.New(rand.NewPCG(seed, 0x6a69))
	pts := Target(seed, start, n)
	for i := range pts {
		pts[i].T += (r.Int64N(1001) - 500) * 1e6
	}
	return pts
}
