package engine

import (
	"time"

	"github.com/tinhso/tinhso"
)

// Series thresholds (issue 13): a rule of kind series_threshold watches the latest
// value of live series. It opens as soon as the value is beyond the threshold (Op
// Threshold) and, so that a noisy sensor does not open and close alerts every second,
// closes only with hysteresis: once the value is back past the threshold by the rule's
// ClearMargin and has stayed back for its ClearAfter. A value that leaves the clear
// zone again (into the band between the threshold and the margin, or beyond the
// threshold) restarts the wait. Time is the points' own time, so that the rule is the
// same whether points arrive live or in a late batch.

// ThresholdState is where a series threshold stands for one series.
type ThresholdState struct {
	Open bool
	// OpenedAt and OpenValue are the point that opened it.
	OpenedAt  time.Time
	OpenValue float64
	// ClearingSince is the time of the first point of the current run back in the clear
	// zone while open (zero: not clearing).
	ClearingSince time.Time
	// LastAt is the time of the last point stepped: older points are ignored.
	LastAt time.Time
}

// Threshold transitions.
const (
	ThresholdKept   = 0
	ThresholdOpened = 1
	ThresholdClosed = 2
)

// StepThreshold applies one point (value v at at) of a series to the state of a
// series threshold rule and returns the new state and what happened. A point older
// than the last one stepped changes nothing.
func StepThreshold(r *tinhso.AlertRule, s ThresholdState, v float64, at time.Time) (ThresholdState, int) {
	if r.Threshold == nil || !s.LastAt.IsZero() && at.Before(s.LastAt) {
		return s, ThresholdKept
	}
	s.LastAt = at
	if !s.Open {
		if compare(v, r.Op, *r.Threshold) {
			return ThresholdState{Open: true, OpenedAt: at, OpenValue: v, LastAt: at}, ThresholdOpened
		}
		return s, ThresholdKept
	}
	if !thresholdCleared(r, v) {
		s.ClearingSince = time.Time{}
		return s, ThresholdKept
	}
	if s.ClearingSince.IsZero() {
		s.ClearingSince = at
	}
	if at.Sub(s.ClearingSince) >= r.ClearAfter.D() {
		return ThresholdState{LastAt: at}, ThresholdClosed
	}
	return s, ThresholdKept
}

// thresholdCleared reports whether v is back past the threshold by the margin: for
// "above" rules (gt, ge) at most threshold − margin (below it for ge), for "below"
// rules (lt, le) at least threshold + margin (above it for le). Without a margin it is
// simply that the condition no longer holds.
func thresholdCleared(r *tinhso.AlertRule, v float64) bool {
	t := *r.Threshold
	if r.ClearMargin != nil {
		switch r.Op {
		case "gt", "ge":
			t -= *r.ClearMargin
		case "lt", "le":
			t += *r.ClearMargin
		}
	}
	return !compare(v, r.Op, t)
}

// SeriesInScope reports whether a series threshold rule watches a series: its subject
// names the series (none: every series), its org unit owns it (none: any).
func SeriesInScope(r *tinhso.AlertRule, s *tinhso.Series) bool {
	return (r.Subject == "" || r.Subject == s.Key) && (r.OrgUnit == "" || r.OrgUnit == s.OrgUnit)
}

// SeriesFinding is the finding of an open series threshold: an alert of the series'
// unit, saying which value opened it.
func SeriesFinding(r *tinhso.AlertRule, s *tinhso.Series, st ThresholdState) Finding {
	title := s.Name
	if title == "" {
		title = s.Key
	}
	args := map[string]any{"name": short(title), "key": s.Key, "value": tinhso.Number(st.OpenValue), "unit": s.Unit,
		"op": opSign(r.Op), "threshold": tinhso.Number(*r.Threshold),
		"time": st.OpenedAt.In(tinhso.Location).Format("02/01/2006 15:04:05")}
	return Finding{Key: AlertKey(r.Key, "series", s.Key, s.OrgUnit), Rule: r.Key, Kind: r.Kind, Severity: r.Severity,
		OrgUnit: s.OrgUnit, Subject: tinhso.AlertSubject{Kind: "series", Key: s.Key, Title: short(title)},
		Message: tinhso.M("live2.alert.series_threshold", args),
		Reasons: []tinhso.Reason{{Class: "threshold", Rule: "live2.alert.series_threshold", Key: "live2.alert.series_threshold", Args: args}}}
}
