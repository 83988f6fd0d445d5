package engine

import (
	"math"
	"strings"

	"github.com/tinhso/tinhso"
)

// eps is how close to a bound a figure may fall and still be on it: figures made by
// aggregation (a mean of units) carry rounding noise, and 100% must reach 100%.
func eps(bound float64) float64 { return 1e-9 * math.Max(1, math.Abs(bound)) }

// Meets reports whether a value meets a goal.
func Meets(g tinhso.Goal, v float64) bool {
	if math.IsNaN(v) {
		return false
	}
	if g.Low != nil {
		lo := *g.Low
		if g.LowStrict && !(v > lo+eps(lo)) || !g.LowStrict && v < lo-eps(lo) {
			return false
		}
	}
	if g.High != nil {
		hi := *g.High
		if g.HighStrict && !(v < hi-eps(hi)) || !g.HighStrict && v > hi+eps(hi) {
			return false
		}
	}
	return true
}

// MeetsAll reports whether every value from lo to hi meets a goal: a goal is an
// interval, so both ends do.
func MeetsAll(g tinhso.Goal, lo, hi float64) bool { return Meets(g, lo) && Meets(g, hi) }

// Progress is a value as a share of a goal (1 = reached): value ÷ the lower bound for
// goals to reach, the upper bound ÷ value for goals to stay under (ranks among them).
// ok is false when that share has no meaning (a bound of 0, a value of 0 under an upper
// bound).
func Progress(g tinhso.Goal, v float64) (float64, bool) {
	switch {
	case g.Low != nil && *g.Low > 0:
		return v / *g.Low, true
	case g.Low == nil && g.High != nil && v > 0 && *g.High > 0:
		return *g.High / v, true
	}
	return 0, false
}

// GoalOf reads a parsed target as a goal. ref is the reference value of a reference
// target (ignored for the others). ok is false for targets that are no comparison with a
// number (qualitative, none, unparsed) and for a reference target without its value.
//
// How each comparator is read:
//   - ≥ and > as written; ≤ and < the other way;
//   - "=" is met when reached: 100% is reached by 100%, and 110 enterprises reach 100
//     (every "=" target of the seed is a level to reach, none a level to stay at);
//   - a range [lo, hi] is met inside it;
//   - a rank (lower is better): "≤ 10", "top 10", "10" are 10th place or better; a
//     range of places is met by its upper place or better; "<" as written;
//   - a reference target compares, with its comparator, with the reference value.
func GoalOf(t tinhso.Target, ref *float64) (tinhso.Goal, bool) {
	return goalOf(t, ref, new([2]float64))
}

// goalOf reads a goal whose bounds point into b: a batch gives each status one
// allocation for everything it points to.
func goalOf(t tinhso.Target, ref *float64, b *[2]float64) (tinhso.Goal, bool) {
	v, up := &b[0], &b[1]
	switch t.Kind {
	case tinhso.TargetNumeric, tinhso.TargetRank:
		if t.Value == nil {
			return tinhso.Goal{}, false
		}
		*v = *t.Value
		if t.Upper != nil {
			*up = *t.Upper
		}
	case tinhso.TargetReference:
		if ref == nil {
			return tinhso.Goal{}, false
		}
		*v = *ref
	default:
		return tinhso.Goal{}, false
	}
	var g tinhso.Goal
	if t.Kind == tinhso.TargetRank {
		switch t.Comparator {
		case tinhso.CmpLT:
			g.High, g.HighStrict, g.Rule = v, true, "rank_lt"
		case tinhso.CmpRange:
			if t.Upper == nil {
				return tinhso.Goal{}, false
			}
			g.High, g.Rule = up, "rank_range"
		default:
			// "≤ 10", "top 10", "10", "= 10": that place or a better (lower) one.
			g.High, g.Rule = v, "rank"
		}
		return g, true
	}
	switch t.Comparator {
	case tinhso.CmpGE:
		g.Low, g.Rule = v, "ge"
	case tinhso.CmpGT:
		g.Low, g.LowStrict, g.Rule = v, true, "gt"
	case tinhso.CmpLE:
		g.High, g.Rule = v, "le"
	case tinhso.CmpLT:
		g.High, g.HighStrict, g.Rule = v, true, "lt"
	case tinhso.CmpEQ:
		g.Low, g.Rule = v, "eq_reached"
	case tinhso.CmpRange:
		if t.Kind != tinhso.TargetNumeric || t.Upper == nil {
			return tinhso.Goal{}, false
		}
		g.Low, g.High, g.Rule = v, up, "range"
	default:
		return tinhso.Goal{}, false
	}
	if t.Kind == tinhso.TargetReference {
		g.Rule = "reference_" + g.Rule
	}
	return g, true
}

// IsYearlyTarget reports whether a target holds for each year on its own ("15 - 20%/năm",
// "45 công trình/năm"): such a target is judged on the latest year's figure alone, since
// a trend of yearly rates says nothing about reaching them.
func IsYearlyTarget(t tinhso.Target, indicatorUnit string) bool {
	return perYear(t.Unit) || perYear(indicatorUnit)
}

// perYear reports whether a unit ends in "/năm", spaces and case aside ("%/năm",
// "bài báo / Năm"), without allocating: it runs for every series of a batch.
func perYear(u string) bool {
	const year = "năm"
	u = strings.TrimRight(u, " ")
	if len(u) < len(year) || !strings.EqualFold(u[len(u)-len(year):], year) {
		return false
	}
	return strings.HasSuffix(strings.TrimRight(u[:len(u)-len(year)], " "), "/")
}
