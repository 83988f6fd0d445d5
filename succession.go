package tinhso

import (
	"sort"
	"strings"
)

// Succession kinds.
var SuccessionKinds = []string{"merge", "split", "transfer", "abolish", "rename"}

// Succession records that org units ceased or handed over their work to others on a
// date that may be known only to the month or year. Many-to-many: several units merged
// into one, one split among several.
type Succession struct {
	ID        int64    `json:"id"`
	Key       string   `json:"key"`
	From      []string `json:"from"`
	To        []string `json:"to"`
	Kind      string   `json:"kind"`
	Effective string   `json:"effective"`
	// Citation names the decision or passage it comes from.
	Citation string  `json:"citation"`
	Note     string  `json:"note,omitempty"`
	Source   *Source `json:"source,omitempty"`
}

// Validate checks a succession before it is stored.
func (s *Succession) Validate() error {
	if len(s.From) == 0 {
		return Invalid("from", "err.succession.from")
	}
	if !contains(SuccessionKinds, s.Kind) {
		return Invalid("kind", "err.field.one_of", Field("kind"), strings.Join(SuccessionKinds, ", "))
	}
	if s.Kind != "abolish" && len(s.To) == 0 {
		return Invalid("to", "err.succession.to")
	}
	if !ValidPartialDate(s.Effective) {
		return Invalid("effective", "err.field.partial_date", Field("effective"))
	}
	for _, side := range []struct {
		name  string
		codes []string
	}{{"from", s.From}, {"to", s.To}} {
		seen := map[string]bool{}
		for _, c := range side.codes {
			if seen[c] {
				return Invalid(side.name, "err.field.twice", Field(side.name), c)
			}
			seen[c] = true
		}
	}
	if len(s.From) == len(s.To) && len(s.From) == 1 && s.From[0] == s.To[0] {
		return Invalid("to", "err.succession.itself")
	}
	if err := validText("citation", s.Citation, 1000, true); err != nil {
		return err
	}
	for _, c := range append(append([]string{}, s.From...), s.To...) {
		if !codeRe.MatchString(c) {
			return Invalid("from", "err.succession.codes")
		}
	}
	return validText("note", s.Note, 5000, false)
}

// Ends reports whether the succession ends its from-units (those not also in To): a
// merger, split or abolition does; a transfer of work does not.
func (s *Succession) Ends() bool { return s.Kind != "transfer" && s.Kind != "rename" }

// CurrentSuccessors follows successions from code, as of day (yyyy-mm-dd), to the units
// that carry its work now. It returns nil when the unit exists or no successor is known.
// exists tells whether a unit exists on a day.
func CurrentSuccessors(code, day string, succ []*Succession, exists func(code string) bool) []string {
	seen := map[string]bool{code: true}
	var out []string
	var walk func(c string, depth int)
	walk = func(c string, depth int) {
		for _, s := range succ {
			if PartialDateStart(s.Effective) > day || !contains(s.From, c) {
				continue
			}
			for _, t := range s.To {
				if seen[t] || depth > 20 {
					continue
				}
				seen[t] = true
				if exists(t) {
					out = append(out, t)
				} else {
					walk(t, depth+1)
				}
			}
		}
	}
	walk(code, 0)
	sort.Strings(out)
	return out
}
