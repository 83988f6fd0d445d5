package tinhso

import (
	"strings"
	"unicode"
)

// Measure is a chỉ số: the quantity several indicators in different documents measure
// alike. It shows their targets side by side and whether they disagree.
type Measure struct {
	ID      int64           `json:"id"`
	Key     string          `json:"key"`
	Name    string          `json:"name"`
	Unit    string          `json:"unit"`
	Note    string          `json:"note,omitempty"`
	Targets []MeasureTarget `json:"targets"`
	Diffs   []TargetDiff    `json:"differences"`
	// Disagree is true when two documents set different targets for the same horizon.
	Disagree bool `json:"disagree"`
}

// MeasureTarget is one indicator's target for a measure.
type MeasureTarget struct {
	Indicator int64  `json:"indicator_id"`
	Key       string `json:"indicator"`
	Document  string `json:"document"`
	Code      string `json:"code"`
	Name      string `json:"name"`
	Horizon   int    `json:"horizon"`
	Target    Target `json:"target"`
}

// TargetDiff says how two targets of a measure differ.
type TargetDiff struct {
	A, B  string `json:"-"`
	Left  string `json:"a"`
	Right string `json:"b"`
	// In lists what differs: "value", "comparator", "horizon", "kind".
	In []string `json:"in"`
	// Disagreement is false when only the horizon differs (≥ 40 by 2030, ≥ 50 by 2045).
	Disagreement bool `json:"disagreement"`
}

// CompareTargets fills Diffs and Disagree from Targets. Two targets disagree when, for
// the same horizon, they ask for different numbers or compare differently. A bare
// number in a plan's table ("80") asks to reach it, as "đạt 80%" and "tối thiểu 80%" do,
// so "=" counts as "≥" here. Qualitative targets are worded differently by every
// document; their wording is listed as a difference, not a disagreement.
func (m *Measure) CompareTargets() {
	m.Diffs, m.Disagree = nil, false
	for i := 0; i < len(m.Targets); i++ {
		for j := i + 1; j < len(m.Targets); j++ {
			a, b := m.Targets[i], m.Targets[j]
			var in []string
			disagree := false
			qa, qb := a.Target.Kind == TargetQualitative, b.Target.Kind == TargetQualitative
			switch {
			case qa && qb:
				if !sameWording(a.Target.Text, b.Target.Text) {
					in = append(in, "wording")
				}
			case qa != qb:
				in = append(in, "kind")
				disagree = true
			default:
				if a.Target.Kind != b.Target.Kind {
					in = append(in, "kind")
					disagree = true
				}
				if atLeast(a.Target.Comparator) != atLeast(b.Target.Comparator) {
					in = append(in, "comparator")
					disagree = true
				}
				if !sameNumber(a.Target.Value, b.Target.Value) || !sameNumber(a.Target.Upper, b.Target.Upper) ||
					a.Target.Reference != b.Target.Reference {
					in = append(in, "value")
					disagree = true
				}
			}
			if a.Horizon != b.Horizon {
				in = append(in, "horizon")
				disagree = false // a later horizon may ask for more
			}
			if len(in) == 0 {
				continue
			}
			m.Diffs = append(m.Diffs, TargetDiff{Left: a.Key, Right: b.Key, In: in, Disagreement: disagree})
			m.Disagree = m.Disagree || disagree
		}
	}
	if m.Diffs == nil {
		m.Diffs = []TargetDiff{}
	}
}

func atLeast(cmp string) string {
	if cmp == CmpEQ {
		return CmpGE
	}
	return cmp
}

// sameWording compares texts ignoring case, punctuation and spacing.
func sameWording(a, b string) bool {
	norm := func(s string) string {
		var out []rune
		for _, r := range strings.ToLower(s) {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				out = append(out, r)
			}
		}
		return string(out)
	}
	return norm(a) == norm(b)
}

func sameNumber(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}
