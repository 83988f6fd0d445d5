package ingest

import (
	"encoding/binary"
	"errors"
	"math"

	"github.com/tinhso/tinhso"
)

// Subjects of the bus.
const (
	// SubjectPoints carries accepted batches from the receivers to the writer.
	SubjectPoints = "ingest.points"
	// SubjectLive carries the points of each committed write to live subscribers (the
	// SSE streams of Live data II), in the same encoding.
	SubjectLive = "live.points"
)

// A batch on the bus is binary, so that it crosses to NATS unchanged: the version byte
// 1, the number of series (uvarint), then per series its id (uvarint), its number of
// points (uvarint) and the points as 16 bytes each (time, value bits; little-endian).
// Series are named by registry id: receivers resolve keys (creating or refusing
// unknown series) before they publish, so a batch on the bus is always writable.
const messageVersion = 1

// EncodeBatch appends the encoding of a write's points to dst.
func EncodeBatch(dst []byte, series []tinhso.SeriesPoints) []byte {
	n := 1 + binary.MaxVarintLen64
	for _, s := range series {
		n += 2*binary.MaxVarintLen64 + 16*len(s.Points)
	}
	dst = slicesGrow(dst, n)
	dst = append(dst, messageVersion)
	dst = binary.AppendUvarint(dst, uint64(len(series)))
	for _, s := range series {
		dst = binary.AppendUvarint(dst, uint64(s.SeriesID))
		dst = binary.AppendUvarint(dst, uint64(len(s.Points)))
		for _, p := range s.Points {
			dst = binary.LittleEndian.AppendUint64(dst, uint64(p.T))
			dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(p.V))
		}
	}
	return dst
}

func slicesGrow(b []byte, n int) []byte {
	if cap(b)-len(b) < n {
		nb := make([]byte, len(b), len(b)+n)
		copy(nb, b)
		return nb
	}
	return b
}

var errBadMessage = errors.New("ingest: malformed batch message")

// DecodeBatch decodes a batch message, appending its series to dst.
func DecodeBatch(dst []tinhso.SeriesPoints, src []byte) ([]tinhso.SeriesPoints, error) {
	if len(src) < 1 || src[0] != messageVersion {
		return dst, errBadMessage
	}
	src = src[1:]
	ns, k := binary.Uvarint(src)
	if k <= 0 || ns > uint64(len(src)) {
		return dst, errBadMessage
	}
	src = src[k:]
	for range ns {
		id, k := binary.Uvarint(src)
		if k <= 0 {
			return dst, errBadMessage
		}
		src = src[k:]
		np, k := binary.Uvarint(src)
		if k <= 0 || np > uint64(len(src))/16 {
			return dst, errBadMessage
		}
		src = src[k:]
		pts := make([]tinhso.Point, np)
		for i := range pts {
			pts[i] = tinhso.Point{T: int64(binary.LittleEndian.Uint64(src)), V: math.Float64frombits(binary.LittleEndian.Uint64(src[8:]))}
			src = src[16:]
		}
		dst = append(dst, tinhso.SeriesPoints{SeriesID: int64(id), Points: pts})
	}
	if len(src) != 0 {
		return dst, errBadMessage
	}
	return dst, nil
}

func appendUvarint(b []byte, x uint64) []byte { return binary.AppendUvarint(b, x) }

func putPoint(b []byte, t int64, v float64) {
	binary.LittleEndian.PutUint64(b, uint64(t))
	binary.LittleEndian.PutUint64(b[8:], math.Float64bits(v))
}
