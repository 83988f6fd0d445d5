package tsdb

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/bits"
)

// The block format, version 1. All integers are unsigned LEB128 varints unless said.
//
//	block   = version(1 byte = 1) count(uvarint ≥ 1) times values
//	times   = scale(1 byte e, 0…18) s0(zigzag varint) len(uvarint) bits[len]
//	values  = mode(1 byte) [k(1 byte) m0(zigzag varint)] len(uvarint) bits[len]
//
// Times: every timestamp of the block is a multiple of 10^e (the largest such e ≤ 18 is
// chosen), and s_i = t_i / 10^e. The bit stream holds count-1 codes, each the zigzag of
// the delta of delta of s (the first delta is taken against a previous delta of zero),
// in the buckets of timeBuckets. Arithmetic wraps modulo 2^64, so any strictly
// increasing int64 sequence round-trips, even one spanning the whole range.
//
// Values, mode xor (0): the first value's 64 bits, then for each further value the
// Gorilla code of its XOR with the previous value: 0 when equal; 10 and the meaningful
// bits when they fit the previous window; 11, 5 bits of leading zeros (capped at 31), 6
// bits of meaningful length (64 written as 0) and the meaningful bits. Any bit pattern
// round-trips, NaN payloads and -0 included.
//
// Values, mode decimal delta (1) and decimal delta-of-delta (2): every value is exactly
// float64(m)/10^k for an integer |m| ≤ 2^53 and the one k (0…9) of the block, checked by
// computing it back. The bit stream holds count-1 codes, each the zigzag of the delta (or
// delta of delta) of m, in the buckets of decimalBuckets. Decoding computes
// float64(m)/10^k, one correctly rounded IEEE division, so it is exact everywhere.
const (
	blockVersion = 1

	modeXOR         = 0
	modeDecimal     = 1 // deltas of m
	modeDecimalDoD  = 2 // deltas of deltas of m
	maxDecimalScale = 9
	maxTimeScale    = 18
	maxExactInt     = 1 << 53
)

// ErrCorrupt is wrapped by every error of a decoder given bytes that no encoder wrote.
var ErrCorrupt = errors.New("tsdb: corrupt data")

func corrupt(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrCorrupt, fmt.Sprintf(format, args...))
}

// A bucket code: prefix ones then a zero (the last bucket has no zero), then width bits
// holding z - lo.
type bucket struct {
	lo    uint64
	width uint
}

// timeBuckets suit delta-of-delta of timestamps: 0 for a regular series costs one bit.
var timeBuckets = makeBuckets(7, 12, 20, 32)

// decimalBuckets suit changes of a slowly varying decimal: ±1 and ±2 cost four bits.
var decimalBuckets = makeBuckets(2, 4, 8, 16, 32)

// buckets lists the payload widths after the zero bucket; a last bucket of 64 bits
// holds anything.
type buckets struct {
	b   []bucket // b[0] is the zero bucket (width 0)
	max uint     // number of prefix ones that selects the last bucket
}

func makeBuckets(widths ...uint) buckets {
	bs := buckets{b: []bucket{{lo: 0, width: 0}}}
	lo := uint64(1)
	for _, w := range widths {
		bs.b = append(bs.b, bucket{lo: lo, width: w})
		lo += 1 << w
	}
	bs.b = append(bs.b, bucket{lo: 0, width: 64})
	bs.max = uint(len(bs.b) - 1)
	return bs
}

// put writes z in the first bucket that holds it.
func (bs *buckets) put(w *bitWriter, z uint64) {
	if z == 0 {
		w.write(0, 1)
		return
	}
	last := len(bs.b) - 1
	for i := 1; i < last; i++ {
		b := bs.b[i]
		if z-b.lo < 1<<b.width {
			// i ones, a zero, then the payload: at most 7+32 bits, one write.
			prefix := uint64(1)<<i - 1
			w.write(prefix<<(b.width+1)|(z-b.lo), uint(i)+1+b.width)
			return
		}
	}
	w.write(uint64(1)<<last-1, uint(last))
	w.write(z, 64)
}

// size is the number of bits put writes for z.
func (bs *buckets) size(z uint64) int {
	if z == 0 {
		return 1
	}
	last := len(bs.b) - 1
	for i := 1; i < last; i++ {
		b := bs.b[i]
		if z-b.lo < 1<<b.width {
			return i + 1 + int(b.width)
		}
	}
	return last + 64
}

func (bs *buckets) get(r *bitReader) uint64 {
	i := r.ones(bs.max)
	b := bs.b[i]
	if b.width == 64 {
		return r.read64(64)
	}
	return b.lo + r.read(b.width)
}

func zigzag(x int64) uint64   { return uint64(x<<1) ^ uint64(x>>63) }
func unzigzag(z uint64) int64 { return int64(z>>1) ^ -int64(z&1) }

// pow10 holds the powers of ten that are exact in float64 and int64.
var pow10f = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9}
var pow10i = [...]int64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
	1e13, 1e14, 1e15, 1e16, 1e17, 1e18}

// OrderError is returned by the encoder when timestamps do not strictly increase.
type OrderError struct {
	Index      int   // index of the offending point
	Prev, Time int64 // its predecessor's time and its time
}

func (e *OrderError) Error() string {
	if e.Prev == e.Time {
		return fmt.Sprintf("tsdb: point %d repeats timestamp %d", e.Index, e.Time)
	}
	return fmt.Sprintf("tsdb: point %d at %d is before its predecessor at %d", e.Index, e.Time, e.Prev)
}

// ErrEmpty is returned when encoding no points: a block holds at least one.
var ErrEmpty = errors.New("tsdb: a block holds at least one point")

// CheckOrder reports an *OrderError unless the timestamps of pts strictly increase.
func CheckOrder(pts []Point) error {
	for i := 1; i < len(pts); i++ {
		if pts[i].T <= pts[i-1].T {
			return &OrderError{Index: i, Prev: pts[i-1].T, Time: pts[i].T}
		}
	}
	return nil
}

// AppendBlock appends the encoding of pts to dst. The timestamps must strictly
// increase (Normalize makes any batch so, last write winning); values may be any
// float64 bit pattern. The value mode is chosen per block: decimal when every value is
// an exact short decimal, else XOR.
func AppendBlock(dst []byte, pts []Point) ([]byte, error) {
	if len(pts) == 0 {
		return dst, ErrEmpty
	}
	if err := CheckOrder(pts); err != nil {
		return dst, err
	}
	dst = append(dst, blockVersion)
	dst = binary.AppendUvarint(dst, uint64(len(pts)))
	dst = appendTimes(dst, pts)
	dst = appendValues(dst, pts)
	return dst, nil
}

// EncodeBlock returns the encoding of pts; see AppendBlock.
func EncodeBlock(pts []Point) ([]byte, error) {
	return AppendBlock(nil, pts)
}

func appendTimes(dst []byte, pts []Point) []byte {
	// The largest power of ten dividing every timestamp: timestamps sent at second or
	// millisecond precision then cost no more than if they were stored in those units.
	e := maxTimeScale
	for _, p := range pts {
		for e > 0 && p.T%pow10i[e] != 0 {
			e--
		}
		if e == 0 {
			break
		}
	}
	scale := pow10i[e]
	s0 := pts[0].T / scale
	dst = append(dst, byte(e))
	dst = binary.AppendVarint(dst, s0)

	w := bitWriter{buf: make([]byte, 0, len(pts)/4+16)}
	prev, prevDelta := uint64(s0), uint64(0)
	for _, p := range pts[1:] {
		s := uint64(p.T / scale)
		delta := s - prev
		timeBuckets.put(&w, zigzag(int64(delta-prevDelta)))
		prev, prevDelta = s, delta
	}
	col := w.finish()
	dst = binary.AppendUvarint(dst, uint64(len(col)))
	return append(dst, col...)
}

// decimalScale returns the smallest k ≤ maxDecimalScale such that every value is
// exactly float64(m)/10^k with |m| ≤ 2^53, or -1.
func decimalScale(pts []Point) int {
	k := 0
	for _, p := range pts {
		for !isDecimal(p.V, k) {
			k++
			if k > maxDecimalScale {
				return -1
			}
		}
	}
	return k
}

// isDecimal reports whether v is float64(m)/10^k for an integer m with |m| ≤ 2^53.
func isDecimal(v float64, k int) bool {
	m := math.Round(v * pow10f[k])
	if !(math.Abs(m) <= maxExactInt) { // also false for NaN
		return false
	}
	return math.Float64bits(float64(int64(m))/pow10f[k]) == math.Float64bits(v)
}

func appendValues(dst []byte, pts []Point) []byte {
	k := decimalScale(pts)
	if k < 0 {
		return appendXOR(dst, pts)
	}
	dec, ok := appendDecimal(nil, pts, k)
	if !ok {
		return appendXOR(dst, pts)
	}
	if k > 4 {
		// Long decimals may do better as floats; keep the shorter encoding.
		if x := appendXOR(nil, pts); len(x) < len(dec) {
			return append(dst, x...)
		}
	}
	return append(dst, dec...)
}

func appendDecimal(dst []byte, pts []Point, k int) ([]byte, bool) {
	ms := make([]int64, len(pts))
	for i, p := range pts {
		m := math.Round(p.V * pow10f[k])
		if !(math.Abs(m) <= maxExactInt) || math.Float64bits(float64(int64(m))/pow10f[k]) != math.Float64bits(p.V) {
			return nil, false
		}
		ms[i] = int64(m)
	}
	// Deltas suit a random walk, deltas of deltas a trend: count both, keep the shorter.
	var sizeD, sizeDD int
	var prevD int64
	for i := 1; i < len(ms); i++ {
		d := ms[i] - ms[i-1]
		sizeD += decimalBuckets.size(zigzag(d))
		sizeDD += decimalBuckets.size(zigzag(d - prevD))
		prevD = d
	}
	mode := byte(modeDecimal)
	if sizeDD < sizeD {
		mode = modeDecimalDoD
	}
	dst = append(dst, mode, byte(k))
	dst = binary.AppendVarint(dst, ms[0])
	w := bitWriter{buf: make([]byte, 0, min(sizeD, sizeDD)/8+8)}
	prevD = 0
	for i := 1; i < len(ms); i++ {
		d := ms[i] - ms[i-1]
		if mode == modeDecimal {
			decimalBuckets.put(&w, zigzag(d))
		} else {
			decimalBuckets.put(&w, zigzag(d-prevD))
		}
		prevD = d
	}
	col := w.finish()
	dst = binary.AppendUvarint(dst, uint64(len(col)))
	return append(dst, col...), true
}

func appendXOR(dst []byte, pts []Point) []byte {
	dst = append(dst, modeXOR)
	w := bitWriter{buf: make([]byte, 0, len(pts)*2+16)}
	prev := math.Float64bits(pts[0].V)
	w.write(prev, 64)
	lead, trail := uint(65), uint(0) // no window yet
	for _, p := range pts[1:] {
		v := math.Float64bits(p.V)
		x := v ^ prev
		prev = v
		if x == 0 {
			w.write(0, 1)
			continue
		}
		l := uint(bits.LeadingZeros64(x))
		t := uint(bits.TrailingZeros64(x))
		if l > 31 {
			l = 31
		}
		if lead <= 64 && l >= lead && t >= trail {
			sig := 64 - lead - trail
			w.write(0b10, 2)
			w.write(x>>trail, sig)
			continue
		}
		sig := 64 - l - t
		w.write(0b11, 2)
		w.write(uint64(l), 5)
		w.write(uint64(sig&63), 6) // 64 is written as 0
		w.write(x>>t, sig)
		lead, trail = l, t
	}
	col := w.finish()
	dst = binary.AppendUvarint(dst, uint64(len(col)))
	return append(dst, col...)
}

// BlockInfo reads the header of a block: its number of points and first timestamp.
func BlockInfo(src []byte) (count int, first int64, err error) {
	d := decoder{src: src}
	n := d.header()
	e := int(d.byte())
	s0 := d.varint()
	if d.err != nil {
		return 0, 0, d.err
	}
	if e > maxTimeScale {
		return 0, 0, corrupt("time scale %d", e)
	}
	t0 := s0 * pow10i[e]
	if t0/pow10i[e] != s0 {
		return 0, 0, corrupt("first time overflows")
	}
	return n, t0, nil
}

// DecodeBlock returns the points of a block.
func DecodeBlock(src []byte) ([]Point, error) {
	return AppendDecodeBlock(nil, src)
}

// AppendDecodeBlock appends the points of a block to dst. It returns an error wrapping
// ErrCorrupt, never panics, for bytes that AppendBlock did not write.
func AppendDecodeBlock(dst []Point, src []byte) ([]Point, error) {
	d := decoder{src: src}
	n := d.header()
	if d.err != nil {
		return dst, d.err
	}
	// Each point after the first takes at least one bit in each column: a count beyond
	// that is corrupt, and checking it first bounds the allocation by the input size.
	if n-1 > 8*(len(src)-d.pos) {
		return dst, corrupt("count %d exceeds the data", n)
	}
	start := len(dst)
	dst = append(dst, make([]Point, n)...)
	pts := dst[start:]
	if err := d.times(pts); err != nil {
		return dst[:start], err
	}
	if err := d.values(pts); err != nil {
		return dst[:start], err
	}
	if d.pos != len(src) {
		return dst[:start], corrupt("%d bytes after the block", len(src)-d.pos)
	}
	return dst, nil
}

type decoder struct {
	src []byte
	pos int
	err error
}

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = corrupt(format, args...)
	}
}

func (d *decoder) byte() byte {
	if d.err != nil {
		return 0
	}
	if d.pos >= len(d.src) {
		d.fail("truncated at byte %d", d.pos)
		return 0
	}
	b := d.src[d.pos]
	d.pos++
	return b
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.src[d.pos:])
	if n <= 0 {
		d.fail("bad varint at byte %d", d.pos)
		return 0
	}
	d.pos += n
	return v
}

func (d *decoder) varint() int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.src[d.pos:])
	if n <= 0 {
		d.fail("bad varint at byte %d", d.pos)
		return 0
	}
	d.pos += n
	return v
}

// column returns the next length-prefixed bit stream.
func (d *decoder) column() []byte {
	n := d.uvarint()
	if d.err != nil {
		return nil
	}
	if n > uint64(len(d.src)-d.pos) {
		d.fail("column of %d bytes exceeds the data", n)
		return nil
	}
	col := d.src[d.pos : d.pos+int(n)]
	d.pos += int(n)
	return col
}

func (d *decoder) header() int {
	if v := d.byte(); d.err == nil && v != blockVersion {
		d.fail("unknown block version %d", v)
	}
	n := d.uvarint()
	if d.err == nil && (n == 0 || n > math.MaxInt32) {
		d.fail("count %d", n)
	}
	return int(n)
}

// finishColumn checks that a column's bit stream was consumed up to its zero padding.
func finishColumn(r *bitReader, name string) error {
	if r.bad {
		return corrupt("%s column truncated", name)
	}
	if n, zero := r.rest(); n >= 8 || !zero {
		return corrupt("%s column has %d bits left", name, n)
	}
	return nil
}

func (d *decoder) times(pts []Point) error {
	e := int(d.byte())
	s0 := d.varint()
	col := d.column()
	if d.err != nil {
		return d.err
	}
	if e > maxTimeScale {
		return corrupt("time scale %d", e)
	}
	scale := pow10i[e]
	if len(pts)-1 > 8*len(col) {
		return corrupt("times column too short")
	}
	r := newBitReader(col)
	t0 := s0 * scale
	if t0/scale != s0 {
		return corrupt("time overflows")
	}
	pts[0].T = t0
	prev, prevDelta := uint64(s0), uint64(0)
	for i := 1; i < len(pts); i++ {
		delta := prevDelta + uint64(unzigzag(timeBuckets.get(&r)))
		s := prev + delta
		t := int64(s) * scale
		if t/scale != int64(s) || t <= pts[i-1].T {
			if r.bad {
				break
			}
			return corrupt("time %d out of order or range", i)
		}
		pts[i].T = t
		prev, prevDelta = s, delta
	}
	return finishColumn(&r, "times")
}

func (d *decoder) values(pts []Point) error {
	mode := d.byte()
	if d.err != nil {
		return d.err
	}
	switch mode {
	case modeXOR:
		return d.xor(pts)
	case modeDecimal, modeDecimalDoD:
		return d.decimal(pts, mode)
	}
	return corrupt("unknown value mode %d", mode)
}

func (d *decoder) xor(pts []Point) error {
	col := d.column()
	if d.err != nil {
		return d.err
	}
	if 64+len(pts)-1 > 8*len(col) {
		return corrupt("values column too short")
	}
	r := newBitReader(col)
	prev := r.read64(64)
	pts[0].V = math.Float64frombits(prev)
	lead, trail := uint(65), uint(0)
	for i := 1; i < len(pts); i++ {
		switch r.ones(2) {
		case 0:
		case 1:
			if lead > 64 {
				return corrupt("value %d reuses a window before one is set", i)
			}
			sig := 64 - lead - trail
			prev ^= r.read64(sig) << trail
		default:
			l := uint(r.read(5))
			sig := uint(r.read(6))
			if sig == 0 {
				sig = 64
			}
			if l+sig > 64 {
				return corrupt("value %d: window of %d+%d bits", i, l, sig)
			}
			t := 64 - l - sig
			prev ^= r.read64(sig) << t
			lead, trail = l, t
		}
		if r.bad {
			break
		}
		pts[i].V = math.Float64frombits(prev)
	}
	return finishColumn(&r, "values")
}

func (d *decoder) decimal(pts []Point, mode byte) error {
	k := int(d.byte())
	m := d.varint()
	col := d.column()
	if d.err != nil {
		return d.err
	}
	if k > maxDecimalScale {
		return corrupt("decimal scale %d", k)
	}
	if len(pts)-1 > 8*len(col) {
		return corrupt("values column too short")
	}
	p := pow10f[k]
	r := newBitReader(col)
	var delta int64
	for i := range pts {
		if i > 0 {
			z := unzigzag(decimalBuckets.get(&r))
			if mode == modeDecimal {
				delta = z
			} else {
				delta += z
			}
			m += delta
		}
		if m > maxExactInt || m < -maxExactInt {
			if r.bad {
				break
			}
			return corrupt("value %d out of range", i)
		}
		pts[i].V = float64(m) / p
	}
	return finishColumn(&r, "values")
}
