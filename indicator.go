package tinhso

import (
	"regexp"
	"strings"
	"time"
)

// Aggregations: how a province figure is made from the units' reported values.
var Aggregations = []string{"", "sum", "mean", "weighted_mean", "latest", "min", "max"}

// AgencyRef is an org unit named by an indicator or task: the unit, whether it still
// exists, and its current successors when it does not.
type AgencyRef struct {
	Code string `json:"code"`
	Name string `json:"name,omitempty"`
	Kind string `json:"kind,omitempty"`
	// Exists is false for a unit dissolved by today; Successors then names who carries
	// its work now, and is empty when no successor is known.
	Exists     bool     `json:"exists"`
	Dissolved  string   `json:"dissolved,omitempty"`
	Successors []string `json:"successors,omitempty"`
}

// Indicator is a chỉ tiêu: a quantity a document sets a target for.
type Indicator struct {
	ID         int64  `json:"id"`
	Key        string `json:"key"`
	Document   string `json:"document"` // the document's slug
	Code       string `json:"code"`
	ParentCode string `json:"parent_code"`
	Name       string `json:"name"`
	Unit       string `json:"unit"`
	// UnitCell keeps a unit cell that held something other than a unit.
	UnitCell   string `json:"unit_cell,omitempty"`
	TargetText string `json:"target_text"`
	Target     Target `json:"target"`
	Horizon    int    `json:"horizon"`
	// AgenciesText is the monitoring-agency cell as written; Agencies the units it names.
	AgenciesText string          `json:"agencies_text"`
	Agencies     []AgencyRef     `json:"agencies"`
	Measure      string          `json:"measure"`
	Baseline     string          `json:"baseline,omitempty"`
	Aggregation  string          `json:"aggregation,omitempty"`
	Source       *Source         `json:"source,omitempty"`
	Spans        map[string]Span `json:"spans,omitempty"`
	Flags        []string        `json:"flags,omitempty"`
	Note         string          `json:"note,omitempty"`
	Version      int             `json:"version"`
	CreatedAt    time.Time       `json:"created_at"`
	UpdatedAt    time.Time       `json:"updated_at"`
	// Status is computed (the API fills it in), never stored nor typed.
	Status *IndicatorStatus `json:"status,omitempty"`
}

var indicatorCodeRe = regexp.MustCompile(`^[\p{L}\p{N}][\p{L}\p{N}.()_-]{0,39}$`)

// Validate checks an indicator before it is stored.
func (ind *Indicator) Validate() error {
	if ind.Document == "" {
		return Invalid("document", "err.text.required", Field("document"))
	}
	if !indicatorCodeRe.MatchString(ind.Code) {
		return Invalid("code", "err.indicator.code")
	}
	if ind.ParentCode != "" && !indicatorCodeRe.MatchString(ind.ParentCode) {
		return Invalid("parent_code", "err.indicator.parent_code")
	}
	if ind.ParentCode == ind.Code {
		return Invalid("parent_code", "err.indicator.own_parent")
	}
	for _, f := range []struct {
		name, val string
		max       int
		req       bool
	}{{"name", ind.Name, 2000, true}, {"unit", ind.Unit, 100, false}, {"unit_cell", ind.UnitCell, 500, false},
		{"target_text", ind.TargetText, 2000, false}, {"agencies_text", ind.AgenciesText, 2000, false},
		{"baseline", ind.Baseline, 500, false}, {"note", ind.Note, 5000, false}} {
		if err := validText(f.name, f.val, f.max, f.req); err != nil {
			return err
		}
	}
	if ind.Horizon != 0 && (ind.Horizon < 2000 || ind.Horizon > 2100) {
		return Invalid("horizon", "err.indicator.horizon")
	}
	if !contains(Aggregations, ind.Aggregation) {
		return Invalid("aggregation", "err.field.one_of", Field("aggregation"), strings.Join(Aggregations[1:], ", "))
	}
	for _, a := range ind.Agencies {
		if !codeRe.MatchString(a.Code) {
			return Invalid("agencies", "err.field.unit_codes", Field("agencies"))
		}
	}
	return noDuplicates("agencies", codesOfRefs(ind.Agencies))
}

func codesOfRefs(refs []AgencyRef) []string {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = r.Code
	}
	return out
}

// IndicatorKey is the stable key of an indicator: its document's slug and its code.
func IndicatorKey(doc, code string) string { return doc + "/" + code }
