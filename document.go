package tinhso

import (
	"regexp"
	"strings"
	"time"
)

// Document kinds.
var DocumentKinds = []string{"plan", "decision", "scheme", "strategy", "letter", "catalogue", "resolution", "other"}

// Document is a plan, decision, scheme or other paper that indicators, tasks, problems
// and funding belong to.
type Document struct {
	ID     int64  `json:"id"`
	Slug   string `json:"slug"`
	Kind   string `json:"kind"`
	Number string `json:"number"` // số hiệu as written, "" when it has none
	Title  string `json:"title"`
	// Date is when it was issued: a date, or a month or year when only that is known.
	Date string `json:"date"`
	// IssuedAfter is, for a document whose text gives no date (the Scheme), the
	// latest date its own text gives for its making (yyyy-mm-dd): it was adopted
	// after that day. IssuedAfterText is the passage that says so, as written.
	IssuedAfter     string    `json:"issued_after,omitempty"`
	IssuedAfterText string    `json:"issued_after_text,omitempty"`
	Issuer          string    `json:"issuer"`
	Note            string    `json:"note,omitempty"`
	Source          *Source   `json:"source,omitempty"`
	Version         int       `json:"version"`
	CreatedAt       time.Time `json:"created_at"`
	UpdatedAt       time.Time `json:"updated_at"`
}

var slugRe = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,79}$`)

// Validate checks a document before it is stored.
func (d *Document) Validate() error {
	if !slugRe.MatchString(d.Slug) || !hasLetter(d.Slug) {
		return Invalid("slug", "err.document.slug")
	}
	if err := trimmed("number", d.Number); err != nil {
		return err
	}
	if !contains(DocumentKinds, d.Kind) {
		return Invalid("kind", "err.field.one_of", Field("kind"), strings.Join(DocumentKinds, ", "))
	}
	if err := validText("number", d.Number, 100, false); err != nil {
		return err
	}
	if err := validText("title", d.Title, 2000, true); err != nil {
		return err
	}
	if d.Date != "" && !ValidPartialDate(d.Date) {
		return Invalid("date", "err.field.partial_date", Field("date"))
	}
	if d.IssuedAfter != "" && (len(d.IssuedAfter) != 10 || !ValidPartialDate(d.IssuedAfter)) {
		return Invalid("issued_after", "w9.err.issued_after")
	}
	if err := validText("issued_after_text", d.IssuedAfterText, 5000, false); err != nil {
		return err
	}
	if err := validText("issuer", d.Issuer, 500, false); err != nil {
		return err
	}
	return validText("note", d.Note, 5000, false)
}
