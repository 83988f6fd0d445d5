package tsdb

import (
	"encoding/binary"
	"math/bits"
)

// bitWriter appends bits, most significant first, to a byte slice. Bits gather in a
// 64-bit accumulator so that a write is a shift and an or, and a full accumulator is
// one 8-byte append.
type bitWriter struct {
	buf []byte
	acc uint64 // pending bits, left-aligned
	n   uint   // number of pending bits, < 64
}

// write appends the low nb bits of v (nb ≤ 64).
func (w *bitWriter) write(v uint64, nb uint) {
	if nb == 0 {
		return
	}
	v <<= 64 - nb // left-align, dropping any bits above nb
	w.acc |= v >> w.n
	if w.n+nb < 64 {
		w.n += nb
		return
	}
	w.buf = binary.BigEndian.AppendUint64(w.buf, w.acc)
	spill := w.n + nb - 64
	if spill > 0 {
		w.acc = v << (nb - spill)
	} else {
		w.acc = 0
	}
	w.n = spill
}

// finish flushes the pending bits, padding the last byte with zeros, and returns the
// buffer.
func (w *bitWriter) finish() []byte {
	for w.n > 0 {
		w.buf = append(w.buf, byte(w.acc>>56))
		w.acc <<= 8
		if w.n >= 8 {
			w.n -= 8
		} else {
			w.n = 0
		}
	}
	w.acc = 0
	return w.buf
}

// bitReader reads what bitWriter wrote. Reading past the end yields zeros and sets
// bad, so that decoding loops stay branch-light and the caller checks once at the end.
type bitReader struct {
	src []byte
	pos int    // next byte of src to load
	acc uint64 // available bits, left-aligned; bits below n are zero
	n   uint   // number of available bits
	bad bool   // a read went past the end
}

func newBitReader(src []byte) bitReader {
	return bitReader{src: src}
}

// refill loads bytes until at least 57 bits are available or the input is exhausted.
func (r *bitReader) refill() {
	if r.pos+8 <= len(r.src) {
		// Load 8 bytes at once and keep as many whole bytes as fit.
		v := binary.BigEndian.Uint64(r.src[r.pos:])
		take := (64 - r.n) / 8
		r.acc |= v >> r.n
		if take < 8 {
			r.acc &^= (^uint64(0)) >> (r.n + take*8) // clear the bits of bytes not taken
		}
		r.n += take * 8
		r.pos += int(take)
		return
	}
	for r.n <= 56 && r.pos < len(r.src) {
		r.acc |= uint64(r.src[r.pos]) << (56 - r.n)
		r.n += 8
		r.pos++
	}
}

// read returns the next nb bits (nb ≤ 56) as the low bits of the result. It is small
// enough to inline; a shift by 64 yields 0 in Go, so nb = 0 needs no branch.
func (r *bitReader) read(nb uint) uint64 {
	if r.n < nb {
		r.more(nb)
	}
	acc := r.acc
	r.acc = acc << nb
	r.n -= nb
	return acc >> (64 - nb)
}

// more refills for a read of nb bits; at the end of the input it marks the reader bad
// and lets the read yield zeros.
//
//go:noinline
func (r *bitReader) more(nb uint) {
	r.refill()
	if r.n < nb {
		r.bad = true
		r.acc, r.n = 0, 64
	}
}

// read64 returns the next nb bits for any nb ≤ 64.
func (r *bitReader) read64(nb uint) uint64 {
	if nb <= 56 {
		return r.read(nb)
	}
	hi := r.read(nb - 32)
	return hi<<32 | r.read(32)
}

// ones counts the 1 bits before the next 0, up to max (≤ 8), consuming them and the
// terminating 0 if there is one before max. It is the prefix of the bucket codes.
func (r *bitReader) ones(max uint) uint {
	if r.n <= max {
		r.refill()
	}
	// Bits below n are zero, so ^acc has a one there: k ≤ n.
	k := uint(bits.LeadingZeros64(^r.acc))
	c := k + 1
	if k >= max {
		k, c = max, max
	}
	if r.n < c {
		r.bad = true
		r.acc, r.n = 0, 64
		return k
	}
	r.acc <<= c
	r.n -= c
	return k
}

// rest reports the number of unread bits and whether all of them are zero: a well-formed
// column ends with fewer than 8 bits of zero padding.
func (r *bitReader) rest() (n int, zero bool) {
	n = int(r.n) + 8*(len(r.src)-r.pos)
	zero = r.acc == 0
	for _, b := range r.src[r.pos:] {
		zero = zero && b == 0
	}
	return n, zero
}
