package engine

import (
	"math"

	"github.com/tinhso/tinhso"
)

// Aggregate makes the province figure of an indicator from the approved values of the
// units, as the indicator declares: sum, mean, weighted_mean, latest, min, max. Values
// must be in approval order (for latest). weighted_mean weighs each value by its
// weight (weights[i] belongs to values[i]: what the unit's number is a share or average
// of, such as its households); values without a positive weight are left out. ok is
// false without values (or, for weighted_mean, without weight).
func Aggregate(method string, values, weights []float64) (figure float64, ok bool) {
	if len(values) == 0 {
		return 0, false
	}
	switch method {
	case "sum":
		for _, v := range values {
			figure += v
		}
	case "", "mean":
		for _, v := range values {
			figure += v
		}
		figure /= float64(len(values))
	case "weighted_mean":
		var w float64
		for i, v := range values {
			if i >= len(weights) || !(weights[i] > 0) || math.IsInf(weights[i], 0) {
				continue
			}
			figure += v * weights[i]
			w += weights[i]
		}
		if w == 0 {
			return 0, false
		}
		figure /= w
	case "latest":
		figure = values[len(values)-1]
	case "min":
		figure = values[0]
		for _, v := range values {
			figure = math.Min(figure, v)
		}
	case "max":
		figure = values[0]
		for _, v := range values {
			figure = math.Max(figure, v)
		}
	default:
		return 0, false
	}
	return figure, true
}

// Figures makes the province figures of indicators (keys, in their order) from the
// approved values of a period (in approval order): one per indicator that has values
// the aggregation can use. A figure counts and names the submissions it came from.
func Figures(keys []string, indicators map[string]*tinhso.Indicator, values []tinhso.ApprovedValue) []tinhso.Figure {
	byKey := map[string][]tinhso.ApprovedValue{}
	for _, v := range values {
		byKey[v.Indicator] = append(byKey[v.Indicator], v)
	}
	var out []tinhso.Figure
	for _, key := range keys {
		ind, ok := indicators[key]
		if !ok {
			continue
		}
		agg := ind.Aggregation
		if agg == "" {
			agg = "mean"
		}
		var nums, weights []float64
		var subs []int64
		for _, v := range byKey[key] {
			w := 1.0
			if agg == "weighted_mean" {
				if v.Weight == nil || !(*v.Weight > 0) {
					continue // a value without its weight says nothing of the whole
				}
				w = *v.Weight
			}
			nums, weights, subs = append(nums, v.Number), append(weights, w), append(subs, v.Submission)
		}
		fig, ok := Aggregate(agg, nums, weights)
		if !ok {
			continue
		}
		out = append(out, tinhso.Figure{Indicator: key, Code: ind.Code, Name: ind.Name, Unit: ind.Unit, Aggregation: agg,
			Value: fig, Count: len(nums), Submissions: subs, Target: ind.Target})
	}
	return out
}
