package tinhso

import (
	"sort"
	"strings"
	"time"
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

// Suggestion states: a suggested succession waits for an admin, who confirms it with the
// decision that made it (it then becomes a Succession) or dismisses it.
const (
	SuggestionOpen      = "suggested"
	SuggestionConfirmed = "confirmed"
	SuggestionDismissed = "dismissed"
)

// SuggestionStates lists the states of a suggested succession.
var SuggestionStates = []string{SuggestionOpen, SuggestionConfirmed, SuggestionDismissed}

// SuccessionSuggestion is a succession the documents point at but no decision in them
// makes (the seed's 2025 reorganisations): it changes nothing until an admin confirms it
// with the decision that made it. Evidence holds the passages it was read from, exactly
// as the documents write them.
type SuccessionSuggestion struct {
	ID        int64    `json:"id"`
	Key       string   `json:"key"`
	From      []string `json:"from"`
	To        []string `json:"to"`
	Kind      string   `json:"kind"`
	Effective string   `json:"effective"`
	// Citation names the passages that point at it.
	Citation string   `json:"citation"`
	Note     string   `json:"note,omitempty"`
	Evidence []Source `json:"evidence"`
	State    string   `json:"state"`
	// Decision and DecisionDate are what the admin confirmed it with (or the reason
	// of a dismissal, in Decision); Succession is the key of the succession recorded.
	Decision     string     `json:"decision,omitempty"`
	DecisionDate string     `json:"decision_date,omitempty"`
	Succession   string     `json:"succession,omitempty"`
	DecidedBy    string     `json:"decided_by,omitempty"`
	DecidedAt    *time.Time `json:"decided_at,omitempty"`
	CreatedAt    time.Time  `json:"created_at"`
}

// Confirmed is the succession the suggestion records once confirmed with d.
func (s *SuccessionSuggestion) Confirmed(d SuggestionDecision) *Succession {
	eff := s.Effective
	if d.Effective != "" {
		eff = d.Effective
	}
	return &Succession{Key: s.Key, From: s.From, To: s.To, Kind: s.Kind, Effective: eff,
		Citation: d.Decision + " (" + d.DecisionDate + "); " + s.Citation, Note: s.Note}
}

// Validate checks a suggestion before it is stored: as a succession, with evidence.
func (s *SuccessionSuggestion) Validate() error {
	sc := &Succession{From: s.From, To: s.To, Kind: s.Kind, Effective: s.Effective, Citation: s.Citation, Note: s.Note}
	if err := sc.Validate(); err != nil {
		return err
	}
	if len(s.Evidence) == 0 {
		return Invalid("evidence", "err.suggestion.evidence")
	}
	return nil
}

// SuggestionDecision is what an admin confirms a suggested succession with: the
// decision that made it (its number and title, as written) and its date, and the date
// the succession took effect when the suggestion knows only the year.
type SuggestionDecision struct {
	Decision     string `json:"decision"`
	DecisionDate string `json:"decision_date"`
	Effective    string `json:"effective,omitempty"`
}

// Validate checks a decision before a suggestion is confirmed with it.
func (d SuggestionDecision) Validate() error {
	if err := validText("decision", d.Decision, 500, true); err != nil {
		return err
	}
	if len(d.DecisionDate) != 10 || !ValidPartialDate(d.DecisionDate) {
		return Invalid("decision_date", "err.suggestion.decision_date")
	}
	if d.Effective != "" && !ValidPartialDate(d.Effective) {
		return Invalid("effective", "err.field.partial_date", Field("effective"))
	}
	return nil
}

// SuggestionStateWord is a suggestion's state as a word inside a sentence.
func SuggestionStateWord(state string) Message {
	switch state {
	case SuggestionConfirmed:
		return M("word.suggestion.confirmed")
	case SuggestionDismissed:
		return M("word.suggestion.dismissed")
	}
	return M("word.suggestion.suggested")
}
