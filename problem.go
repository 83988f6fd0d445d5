package tinhso

import (
	"strings"
	"time"
)

// Problem statuses.
var ProblemStatuses = []string{"open", "proposals", "commissioned", "solved", "closed"}

// Problem is a bài toán lớn: a big problem a province asks companies to solve.
type Problem struct {
	ID              int64           `json:"id"`
	Key             string          `json:"key"`
	Document        string          `json:"document"`
	Province        string          `json:"province"`
	Number          int             `json:"number"`
	Title           string          `json:"title"`
	Basis           string          `json:"basis"`
	ExpectedResults string          `json:"expected_results"`
	Status          string          `json:"status"`
	Source          *Source         `json:"source,omitempty"`
	Spans           map[string]Span `json:"spans,omitempty"`
	Note            string          `json:"note,omitempty"`
	Version         int             `json:"version"`
	CreatedAt       time.Time       `json:"created_at"`
	UpdatedAt       time.Time       `json:"updated_at"`
}

// Validate checks a problem before it is stored.
func (p *Problem) Validate() error {
	if p.Document == "" {
		return Invalid("document", "err.text.required", Field("document"))
	}
	if err := validText("province", p.Province, 200, true); err != nil {
		return err
	}
	if p.Number < 1 || p.Number > 100000 {
		return Invalid("number", "err.problem.number")
	}
	for _, f := range []struct {
		name, val string
		max       int
		req       bool
	}{{"title", p.Title, 2000, true}, {"basis", p.Basis, 20000, false}, {"expected_results", p.ExpectedResults, 20000, false}, {"note", p.Note, 5000, false}} {
		if err := validText(f.name, f.val, f.max, f.req); err != nil {
			return err
		}
	}
	if !contains(ProblemStatuses, p.Status) {
		return Invalid("status", "err.field.one_of", Field("status"), strings.Join(ProblemStatuses, ", "))
	}
	return nil
}
