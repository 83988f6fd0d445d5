package ingest

import (
	"math"
	"strconv"
	"time"

	"github.com/tinhso/tinhso/tsdb"
)

// parseLinesFast parses the plain line protocol that collectors send —
// `name[,tag=value…] field=number[,field=number…] [timestamp]`, names of letters,
// digits and _ . -, tags in sorted order, floats without exponent and integers (`12i`)
// — straight from the bytes, and gives up (ok false) at the first thing it does not
// know: escapes, quotes, comments, unsigned integers, exponents, unsorted or repeated
// tags, repeated fields, any error. tsdb.ParseLines then parses the body, and says
// what is wrong if anything is. What it returns is exactly what tsdb.ParseLines
// returns for the same body (the fuzz test FuzzFastLines holds it to that); it exists
// because the general decoder costs about twice as much per point, and these lines
// are nearly all the traffic.
func parseLinesFast(body []byte, opt tsdb.ParseOptions) (*tsdb.Batch, bool) {
	unit := int64(opt.Unit)
	if unit <= 0 {
		unit = 1
	}
	ahead := opt.MaxAhead
	if ahead <= 0 {
		ahead = 24 * time.Hour
	}
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	now := opt.Now.UnixNano()
	limit := now + int64(ahead)
	if limit < now {
		return nil, false
	}
	nowT := now - ((now%unit)+unit)%unit
	b := &tsdb.Batch{Points: make([]tsdb.SeriesPoint, 0, len(body)/24+1)}
	keys := map[string]int32{}
	var key []byte
	var names [8][]byte
	i := 0
	for i < len(body) {
		if body[i] == '\n' {
			i++
			continue // an empty line
		}
		// The measurement and the tags, as the key's base.
		start := i
		for i < len(body) && nameByte(body[i]) {
			i++
		}
		if i == start || i >= len(body) {
			return nil, false
		}
		var lastTag []byte
		for body[i] == ',' {
			i++
			ks := i
			for i < len(body) && nameByte(body[i]) {
				i++
			}
			if i == ks || i >= len(body) || body[i] != '=' {
				return nil, false
			}
			k := body[ks:i]
			if lastTag != nil && string(k) <= string(lastTag) {
				return nil, false // unsorted or repeated: the general parser sorts
			}
			lastTag = k
			i++
			vs := i
			for i < len(body) && nameByte(body[i]) {
				i++
			}
			if i == vs || i >= len(body) {
				return nil, false
			}
		}
		base := body[start:i]
		if body[i] != ' ' {
			return nil, false
		}
		i++
		// The fields.
		first := len(b.Points)
		nf := 0
		for {
			ks := i
			for i < len(body) && nameByte(body[i]) {
				i++
			}
			if i == ks || i >= len(body) || body[i] != '=' {
				return nil, false
			}
			name := body[ks:i]
			if nf < len(names) {
				for _, n := range names[:nf] {
					if string(n) == string(name) {
						return nil, false
					}
				}
				names[nf] = name
			} else {
				return nil, false
			}
			nf++
			i++
			vs := i
			if i < len(body) && body[i] == '-' {
				i++
			}
			ds := i
			for i < len(body) && body[i] >= '0' && body[i] <= '9' {
				i++
			}
			if i == ds {
				return nil, false
			}
			var v float64
			if i < len(body) && body[i] == 'i' {
				// An integer: taken within ±2^53, where a float64 holds it exactly.
				n, err := strconv.ParseInt(bstr(body[vs:i]), 10, 64)
				if err != nil || n > 1<<53 || n < -(1<<53) {
					return nil, false
				}
				v = float64(n)
				i++
			} else {
				if i < len(body) && body[i] == '.' {
					i++
					fs := i
					for i < len(body) && body[i] >= '0' && body[i] <= '9' {
						i++
					}
					if i == fs {
						return nil, false
					}
				}
				var err error
				if v, err = strconv.ParseFloat(bstr(body[vs:i]), 64); err != nil || math.IsInf(v, 0) {
					return nil, false
				}
			}
			key = append(key[:0], base...)
			if string(name) != "value" {
				key = append(key, '.')
				key = append(key, name...)
			}
			idx, ok := keys[string(key)]
			if !ok {
				if len(key) > tsdb.MaxKeyLen {
					return nil, false
				}
				k := string(key)
				idx = int32(len(b.Series))
				keys[k] = idx
				b.Series = append(b.Series, k)
			}
			b.Points = append(b.Points, tsdb.SeriesPoint{Series: idx, Point: tsdb.Point{V: v}})
			if i >= len(body) || body[i] != ',' {
				break
			}
			i++
		}
		// The time, or the server's clock.
		t := nowT
		if i < len(body) && body[i] == ' ' {
			i++
			ds := i
			var u uint64
			for i < len(body) && body[i] >= '0' && body[i] <= '9' {
				if u > (math.MaxInt64-9)/10 {
					return nil, false
				}
				u = u*10 + uint64(body[i]-'0')
				i++
			}
			if i == ds || u > uint64(math.MaxInt64/unit) {
				return nil, false
			}
			t = int64(u) * unit
			if t > limit {
				return nil, false
			}
		}
		if i < len(body) && body[i] != '\n' {
			return nil, false
		}
		for j := first; j < len(b.Points); j++ {
			b.Points[j].T = t
		}
		if opt.MaxPoints > 0 && len(b.Points) > opt.MaxPoints {
			return nil, false
		}
	}
	return b, true
}

func nameByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '.' || c == '-'
}
