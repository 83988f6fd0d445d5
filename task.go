package tinhso

import (
	"regexp"
	"strings"
	"time"
)

// Task is a nhiệm vụ: something a document asks an agency to deliver by a deadline.
type Task struct {
	ID              int64       `json:"id"`
	Key             string      `json:"key"`
	Document        string      `json:"document"`
	Number          string      `json:"number"`
	Section         string      `json:"section"`
	SectionTitle    string      `json:"section_title,omitempty"`
	Title           string      `json:"title"`
	LeadText        string      `json:"lead_text"`
	Lead            []AgencyRef `json:"lead"`
	CooperatingText string      `json:"cooperating_text"`
	Cooperating     []AgencyRef `json:"cooperating"`
	Deliverable     string      `json:"deliverable"`
	DeadlineText    string      `json:"deadline_text"`
	// DueDate and Recurrence are parsed from DeadlineText, never typed.
	DueDate    string      `json:"due_date,omitempty"`
	Recurrence *Recurrence `json:"recurrence,omitempty"`
	// Unassigned: the document names no owner (annual plans will).
	Unassigned bool            `json:"unassigned"`
	Source     *Source         `json:"source,omitempty"`
	Spans      map[string]Span `json:"spans,omitempty"`
	Flags      []string        `json:"flags,omitempty"`
	Note       string          `json:"note,omitempty"`
	Version    int             `json:"version"`
	CreatedAt  time.Time       `json:"created_at"`
	UpdatedAt  time.Time       `json:"updated_at"`
	// Status is computed (the API fills it in), never stored nor typed.
	Status *TaskStatus `json:"status,omitempty"`
}

var taskNumberRe = regexp.MustCompile(`^[\p{L}\p{N}][\p{L}\p{N}._-]{0,39}$`)

// Validate checks a task before it is stored.
func (t *Task) Validate() error {
	if t.Document == "" {
		return Invalid("document", "err.text.required", Field("document"))
	}
	if !taskNumberRe.MatchString(t.Number) {
		return Invalid("number", "err.task.number")
	}
	for _, f := range []struct {
		name, val string
		max       int
		req       bool
	}{{"section", t.Section, 40, false}, {"section_title", t.SectionTitle, 2000, false}, {"title", t.Title, 5000, true},
		{"lead_text", t.LeadText, 2000, false}, {"cooperating_text", t.CooperatingText, 2000, false},
		{"deliverable", t.Deliverable, 2000, false}, {"deadline_text", t.DeadlineText, 500, false},
		{"note", t.Note, 5000, false}} {
		if err := validText(f.name, f.val, f.max, f.req); err != nil {
			return err
		}
	}
	for _, list := range [][]AgencyRef{t.Lead, t.Cooperating} {
		for _, a := range list {
			if !codeRe.MatchString(a.Code) {
				return Invalid("lead", "err.task.agencies")
			}
		}
	}
	if err := noDuplicates("lead", codesOfRefs(t.Lead)); err != nil {
		return err
	}
	return noDuplicates("cooperating", codesOfRefs(t.Cooperating))
}

// ApplyDeadline sets DueDate and Recurrence from DeadlineText, and carries the parser's
// flags into the task's as "deadline_<flag>", so an unreadable deadline shows.
func (t *Task) ApplyDeadline() {
	d := ParseDeadline(t.DeadlineText)
	t.DueDate, t.Recurrence = d.DueDate, d.Recurrence
	kept := t.Flags[:0:0]
	for _, f := range t.Flags {
		if !strings.HasPrefix(f, "deadline_") {
			kept = append(kept, f)
		}
	}
	for _, f := range d.Flags {
		kept = append(kept, "deadline_"+f)
	}
	t.Flags = kept
}
