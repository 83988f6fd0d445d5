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
//	values  = mode(1 byte) [k(1 byte) m0(zigzag varint) [negzeros]] len(uvarint) bits[len]
//	negzeros = count(uvarint ≥ 1) gap(uvarint)…  (present when mode has bit 0x80)
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
// -0 has m = 0 and is listed among the negative zeros (indexes, as gaps less one), so
// that a client sending "-0.0" does not push its block into XOR mode.
const (
	blockVersion = 1

	modeXOR         = 0
	modeDecimal     = 1    // deltas of m
	modeDecimalDoD  = 2    // deltas of deltas of m
	flagNegZeros    = 0x80 // with a decimal mode: a list of the points that are -0
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
	if i == 0 {
		return 0
	}
	b := bs.b[i]
	if b.width == 64 {
		return r.read64(64)
	}
	return b.lo + r.read(b.width)
}

// codes decodes len(out) codes: get unrolled over a column with the reader's state in
// locals, where the decoders spend most of their time.
func (bs *buckets) codes(r *bitReader, out []uint64) {
	acc, n := r.acc, r.n
	for i := range out {
		if n < 48 {
			r.acc, r.n = acc, n
			r.refill()
			acc, n = r.acc, r.n
		}
		k := uint(bits.LeadingZeros64(^acc))
		var c uint
		switch {
		case k == 0:
			out[i], c = 0, 1
		case k < bs.max:
			b := bs.b[k]
			c = k + 1 + b.width
			out[i] = b.lo + (acc<<(k+1))>>(64-b.width)
		default:
			r.acc, r.n = acc, n
			out[i] = bs.get(r)
			if r.bad {
				return
			}
			acc, n = r.acc, r.n
			continue
		}
		if n < c {
			r.bad = true
			r.acc, r.n = 0, 64
			return
		}
		acc <<= c
		n -= c
	}
	r.acc, r.n = acc, n
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

// Error implements error.
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
		for e > 0 && !divisible(p.T, e) {
			e--
		}
		if e == 0 {
			break
		}
	}
	s0 := pts[0].T / pow10i[e]
	dst = append(dst, byte(e))
	dst = binary.AppendVarint(dst, s0)

	// t / 10^e, exact since 10^e divides t: shift out 2^e, then multiply by the inverse
	// of 5^e modulo 2^64, which is exact division without a divide instruction.
	shift, inv := uint(e), inverse5[e]
	dst, start := beginColumn(dst)
	w := bitWriter{buf: dst}
	prev, prevDelta := uint64(s0), uint64(0)
	for _, p := range pts[1:] {
		s := uint64(p.T>>shift) * inv
		delta := s - prev
		if delta == prevDelta {
			w.write(0, 1)
		} else {
			timeBuckets.put(&w, zigzag(int64(delta-prevDelta)))
		}
		prev, prevDelta = s, delta
	}
	return endColumn(w.finish(), start)
}

// inverse5[e] is the inverse of 5^e modulo 2^64.
var inverse5 = func() (inv [maxTimeScale + 1]uint64) {
	x := uint64(1)
	for e := range inv {
		y := x // Newton's iteration doubles the correct low bits: 5 steps reach 64.
		for range 6 {
			y *= 2 - x*y
		}
		inv[e] = y
		x *= 5
	}
	return inv
}()

// beginColumn reserves room for the length of a column about to be appended and
// returns where its bits start; endColumn writes the length and closes the gap, so
// that columns are written in place.
func beginColumn(dst []byte) ([]byte, int) {
	dst = append(dst, 0, 0, 0, 0, 0)
	return dst, len(dst)
}

func endColumn(dst []byte, start int) []byte {
	var lb [binary.MaxVarintLen64]byte
	l := binary.PutUvarint(lb[:], uint64(len(dst)-start))
	gap := 5 - l
	copy(dst[start-5:], lb[:l])
	copy(dst[start-gap:], dst[start:])
	return dst[:len(dst)-gap]
}

// divisible reports whether 10^e divides t, with constant divisors that compile to
// multiplications rather than divisions.
func divisible(t int64, e int) bool {
	switch e {
	case 1:
		return t%10 == 0
	case 2:
		return t%100 == 0
	case 3:
		return t%1e3 == 0
	case 4:
		return t%1e4 == 0
	case 5:
		return t%1e5 == 0
	case 6:
		return t%1e6 == 0
	case 7:
		return t%1e7 == 0
	case 8:
		return t%1e8 == 0
	case 9:
		return t%1e9 == 0
	case 10:
		return t%1e10 == 0
	case 11:
		return t%1e11 == 0
	case 12:
		return t%1e12 == 0
	case 13:
		return t%1e13 == 0
	case 14:
		return t%1e14 == 0
	case 15:
		return t%1e15 == 0
	case 16:
		return t%1e16 == 0
	case 17:
		return t%1e17 == 0
	case 18:
		return t%1e18 == 0
	}
	return true
}

// decimalInts returns the smallest k ≤ maxDecimalScale such that every value is
// exactly float64(m)/10^k with |m| ≤ 2^53, and the integers m, appended to ms; or -1.
// When k grows, the integers found so far are multiplied by 10: float64(10m)/10^(k+1)
// is the same correctly rounded quotient of the same real number, so they stay exact.
func decimalInts(pts []Point, ms []int64) ([]int64, []int, int) {
	k, p := 0, 1.0
	var negZeros []int
	for i, pt := range pts {
		if pt.V == 0 {
			// -0 is an integer zero and an entry in the list of negative zeros: clients
			// printing -0.04 with one decimal send "-0.0".
			if math.Signbit(pt.V) {
				negZeros = append(negZeros, i)
			}
			ms = append(ms, 0)
			continue
		}
		m := math.Round(pt.V * p)
		for !(math.Abs(m) <= maxExactInt) || math.Float64bits(float64(int64(m))/p) != math.Float64bits(pt.V) {
			if k++; k > maxDecimalScale {
				return ms, nil, -1
			}
			p = pow10f[k]
			for j := range ms {
				if ms[j] *= 10; ms[j] > maxExactInt || ms[j] < -maxExactInt {
					return ms, nil, -1
				}
			}
			m = math.Round(pt.V * p)
		}
		ms = append(ms, int64(m))
	}
	return ms, negZeros, k
}

func appendValues(dst []byte, pts []Point) []byte {
	var ms []int64
	if len(pts) <= 1024 {
		ms = make([]int64, 0, 1024) // on the stack
	}
	ms, negZeros, k := decimalInts(pts, ms)
	if k < 0 {
		return appendXOR(dst, pts)
	}
	if k <= 4 && len(negZeros) < len(pts)/8 {
		return appendDecimal(dst, ms, negZeros, k)
	}
	// Long decimals, or many negative zeros, may do better as floats: keep the shorter.
	n := len(dst)
	dst = appendDecimal(dst, ms, negZeros, k)
	if x := appendXOR(nil, pts); len(x) < len(dst)-n {
		return append(dst[:n], x...)
	}
	return dst
}

func appendDecimal(dst []byte, ms []int64, negZeros []int, k int) []byte {
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
	flags := byte(0)
	if len(negZeros) > 0 {
		flags = flagNegZeros
	}
	dst = append(dst, mode|flags, byte(k))
	dst = binary.AppendVarint(dst, ms[0])
	if len(negZeros) > 0 {
		dst = binary.AppendUvarint(dst, uint64(len(negZeros)))
		prev := -1
		for _, i := range negZeros {
			dst = binary.AppendUvarint(dst, uint64(i-prev-1))
			prev = i
		}
	}
	dst, start := beginColumn(dst)
	w := bitWriter{buf: dst}
	prevD = 0
	for i := 1; i < len(ms); i++ {
		d := ms[i] - ms[i-1]
		z := d
		if mode == modeDecimalDoD {
			z = d - prevD
		}
		if z == 0 {
			w.write(0, 1)
		} else {
			decimalBuckets.put(&w, zigzag(z))
		}
		prevD = d
	}
	return endColumn(w.finish(), start)
}

func appendXOR(dst []byte, pts []Point) []byte {
	dst = append(dst, modeXOR)
	dst, start := beginColumn(dst)
	w := bitWriter{buf: dst}
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
	return endColumn(w.finish(), start)
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
	var buf [256]uint64
	for i := 1; i < len(pts); {
		codes := buf[:min(len(buf), len(pts)-i)]
		timeBuckets.codes(&r, codes)
		if r.bad {
			break
		}
		for _, z := range codes {
			delta := prevDelta + uint64(unzigzag(z))
			s := prev + delta
			t := int64(s) * scale
			if t/scale != int64(s) || t <= pts[i-1].T {
				return corrupt("time %d out of order or range", i)
			}
			pts[i].T = t
			prev, prevDelta = s, delta
			i++
		}
	}
	return finishColumn(&r, "times")
}

func (d *decoder) values(pts []Point) error {
	mode := d.byte()
	if d.err != nil {
		return d.err
	}
	switch mode &^ flagNegZeros {
	case modeXOR:
		if mode == modeXOR {
			return d.xor(pts)
		}
	case modeDecimal, modeDecimalDoD:
		return d.decimal(pts, mode&^flagNegZeros, mode&flagNegZeros != 0)
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

func (d *decoder) decimal(pts []Point, mode byte, hasNegZeros bool) error {
	k := int(d.byte())
	m := d.varint()
	var negZeros []int
	if hasNegZeros {
		c := d.uvarint()
		if d.err == nil && (c == 0 || c > uint64(len(pts))) {
			return corrupt("%d negative zeros in %d points", c, len(pts))
		}
		prev := -1
		for range c {
			gap := d.uvarint()
			if d.err != nil {
				return d.err
			}
			if gap >= uint64(len(pts)-prev-1) {
				return corrupt("negative zero beyond the block")
			}
			prev += int(gap) + 1
			negZeros = append(negZeros, prev)
		}
	}
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
	if m > maxExactInt || m < -maxExactInt {
		return corrupt("value 0 out of range")
	}
	pts[0].V = float64(m) / p
	var delta int64
	var buf [256]uint64
	for i := 1; i < len(pts); {
		codes := buf[:min(len(buf), len(pts)-i)]
		decimalBuckets.codes(&r, codes)
		if r.bad {
			break
		}
		for _, z := range codes {
			if mode == modeDecimal {
				delta = unzigzag(z)
			} else {
				delta += unzigzag(z)
			}
			m += delta
			if m > maxExactInt || m < -maxExactInt {
				return corrupt("value %d out of range", i)
			}
			pts[i].V = float64(m) / p
			i++
		}
	}
	if r.bad {
		return corrupt("values column truncated")
	}
	for _, i := range negZeros {
		if math.Float64bits(pts[i].V) != 0 {
			return corrupt("negative zero at %d is not zero", i)
		}
		pts[i].V = math.Copysign(0, -1)
	}
	return finishColumn(&r, "values")
}
