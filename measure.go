package tinhso

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

// CompareTargets fills Diffs and Disagree from Targets.
func (m *Measure) CompareTargets() {
	m.Diffs, m.Disagree = nil, false
	for i := 0; i < len(m.Targets); i++ {
		for j := i + 1; j < len(m.Targets); j++ {
			a, b := m.Targets[i], m.Targets[j]
			var in []string
			if a.Target.Kind != b.Target.Kind {
				in = append(in, "kind")
			}
			if a.Target.Comparator != b.Target.Comparator {
				in = append(in, "comparator")
			}
			if !sameNumber(a.Target.Value, b.Target.Value) || !sameNumber(a.Target.Upper, b.Target.Upper) ||
				a.Target.Reference != b.Target.Reference {
				in = append(in, "value")
			}
			if a.Target.Kind == TargetQualitative && b.Target.Kind == TargetQualitative && a.Target.Text != b.Target.Text {
				in = append(in, "value")
			}
			if a.Horizon != b.Horizon {
				in = append(in, "horizon")
			}
			if len(in) == 0 {
				continue
			}
			d := TargetDiff{Left: a.Key, Right: b.Key, In: in, Disagreement: a.Horizon == b.Horizon}
			m.Diffs = append(m.Diffs, d)
			if d.Disagreement {
				m.Disagree = true
			}
		}
	}
	if m.Diffs == nil {
		m.Diffs = []TargetDiff{}
	}
}

func sameNumber(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}
