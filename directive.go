package tinhso

import (
	"context"
	"strings"
	"time"
)

// Directives (ý kiến chỉ đạo): a leader, or the standing agency on a leader's behalf,
// records an instruction from a source (a meeting, a conclusion notice, a document) and
// assigns it as tasks to lead units, each with co-operating units, a deadline and an
// expected product, on the Scheme's model "địa chỉ – thời hạn – sản phẩm – giám sát".

// Kinds of a directive's source.
const (
	SourceMeeting    = "meeting"    // a meeting (cuộc họp)
	SourceConclusion = "conclusion" // a conclusion notice (thông báo kết luận)
	SourceDocument   = "document"   // a document (văn bản)
)

// SourceKinds lists the kinds of a directive's source.
var SourceKinds = []string{SourceMeeting, SourceConclusion, SourceDocument}

// Stages of a directive task's workflow, as stored. What a reader sees is its status
// (engine.DirectiveTaskStatus): the stage, or DirectiveLate when the deadline has
// passed with nothing submitted.
const (
	DirectiveAssigned         = "assigned"
	DirectiveAcknowledged     = "acknowledged"
	DirectiveInProgress       = "in_progress"
	DirectiveExtensionAsked   = "extension_asked"
	DirectiveExtensionGranted = "extension_granted"
	DirectiveExtensionRefused = "extension_refused"
	DirectiveSubmitted        = "submitted"
	DirectiveConfirmed        = "confirmed"
	DirectiveReturned         = "returned"
	DirectiveLate             = "late" // a status only: never stored
)

// DirectiveStatuses lists the statuses a directive task can show.
var DirectiveStatuses = []string{DirectiveAssigned, DirectiveAcknowledged, DirectiveInProgress, DirectiveExtensionAsked,
	DirectiveExtensionGranted, DirectiveExtensionRefused, DirectiveSubmitted, DirectiveConfirmed, DirectiveReturned, DirectiveLate}

// Steps of a directive task: the lead unit's and the leader's.
const (
	StepAcknowledge = "acknowledge" // unit
	StepProgress    = "progress"    // unit: a progress note
	StepExtension   = "extension"   // unit: asks for a new deadline, with a reason
	StepSubmit      = "submit"      // unit: hands in the product
	StepGrant       = "grant"       // leader: grants the extension, with the new date
	StepRefuse      = "refuse"      // leader: refuses the extension
	StepConfirm     = "confirm"     // leader: confirms completion
	StepReturn      = "return"      // leader: sends the product back, with the reason
)

// UnitSteps are the steps the lead unit takes; the others are the leader's.
var UnitSteps = []string{StepAcknowledge, StepProgress, StepExtension, StepSubmit}

// Actions on directives, checked with Can. Acting on a task is further checked where
// the task is known: a unit only on its own tasks, a leader only on its own directives
// (the standing agency on any leader's behalf).
const (
	ActIssueDirectives  = "directives:issue"  // issue directives, decide extensions, confirm or return
	ActAnswerDirectives = "directives:answer" // a lead unit acknowledges, reports, asks, submits
	ActReadDirectives   = "directives:read"   // read directives (a unit: its own tasks only)
)

// Limits of a directive's fields, in characters.
const (
	MaxDirectiveText  = 5000
	MaxDirectiveNote  = 5000
	MaxDirectiveTasks = 50
)

// DirectiveSource is where a directive was given.
type DirectiveSource struct {
	Kind   string `json:"kind"`
	Number string `json:"number,omitempty"`
	Date   string `json:"date"`
	Signer string `json:"signer,omitempty"`
}

// Directive is a leader's instruction and the tasks it was assigned as.
type Directive struct {
	ID     int64           `json:"id"`
	Source DirectiveSource `json:"source"`
	Text   string          `json:"text"`
	// Leader is the username of the leader whose directive it is; IssuedBy who recorded
	// it (the leader, or the standing agency on the leader's behalf).
	Leader    string           `json:"leader"`
	IssuedBy  string           `json:"issued_by"`
	Tasks     []*DirectiveTask `json:"tasks"`
	Version   int              `json:"version"`
	CreatedAt time.Time        `json:"created_at"`
}

// DirectiveTask is one unit's share of a directive.
type DirectiveTask struct {
	ID        int64  `json:"id"`
	Directive int64  `json:"directive_id"`
	Leader    string `json:"leader"`
	// Text is the directive's text (read from it, for lists).
	Text        string   `json:"text,omitempty"`
	Lead        string   `json:"lead"`
	CoOperating []string `json:"co_operating"`
	// Deadline is the deadline in force (moved by a granted extension); Original the
	// one first given.
	Deadline string `json:"deadline"`
	Original string `json:"original_deadline"`
	Product  string `json:"product"`
	Stage    string `json:"stage"`
	// Status is computed at the reader's clock (engine.DirectiveTaskStatus).
	Status          string     `json:"status"`
	Progress        string     `json:"progress,omitempty"`
	AcknowledgedAt  *time.Time `json:"acknowledged_at,omitempty"`
	ExtensionReason string     `json:"extension_reason,omitempty"`
	ExtensionDate   string     `json:"extension_date,omitempty"`
	Extensions      int        `json:"extensions"`
	ProductNote     string     `json:"product_note,omitempty"`
	SubmittedAt     *time.Time `json:"submitted_at,omitempty"`
	ConfirmedAt     *time.Time `json:"confirmed_at,omitempty"`
	ReturnReason    string     `json:"return_reason,omitempty"`
	// OnTime: confirmed with the product submitted by the deadline in force (nil
	// until confirmed).
	OnTime    *bool     `json:"on_time,omitempty"`
	Version   int       `json:"version"`
	UpdatedAt time.Time `json:"updated_at"`
}

// ValidDate reports whether s is a date yyyy-mm-dd.
func ValidDate(s string) bool {
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}

// Validate checks a directive and its tasks before they are stored: the field of an
// error names the task by its place (tasks[1].deadline).
func (d *Directive) Validate() error {
	if !contains(SourceKinds, d.Source.Kind) {
		return Invalid("source.kind", "err.field.one_of", Field("source.kind"), strings.Join(SourceKinds, ", "))
	}
	if !ValidDate(d.Source.Date) {
		return Invalid("source.date", "steering.err.date", Field("source.date"), Clip(d.Source.Date, 40))
	}
	for _, f := range []struct {
		name, val string
		max       int
		req       bool
	}{
		{"source.number", d.Source.Number, 100, d.Source.Kind != SourceMeeting},
		{"source.signer", d.Source.Signer, 200, false},
		{"text", d.Text, MaxDirectiveText, true},
		{"leader", d.Leader, 64, true},
	} {
		if err := validText(f.name, f.val, f.max, f.req); err != nil {
			return err
		}
	}
	if len(d.Tasks) == 0 {
		return Invalid("tasks", "steering.err.no_tasks")
	}
	if len(d.Tasks) > MaxDirectiveTasks {
		return Invalid("tasks", "steering.err.too_many_tasks", MaxDirectiveTasks)
	}
	leads := map[string]bool{}
	for i, t := range d.Tasks {
		at := "tasks[" + itoa(i) + "]."
		if err := validText(at+"lead", t.Lead, 100, true); err != nil {
			return err
		}
		if leads[t.Lead] {
			return Invalid(at+"lead", "steering.err.lead_twice", t.Lead)
		}
		leads[t.Lead] = true
		for j, c := range t.CoOperating {
			if err := validText(at+"co_operating["+itoa(j)+"]", c, 100, true); err != nil {
				return err
			}
			if c == t.Lead {
				return Invalid(at+"co_operating["+itoa(j)+"]", "steering.err.co_is_lead", c)
			}
		}
		if !ValidDate(t.Deadline) {
			return Invalid(at+"deadline", "steering.err.date", Field("deadline"), Clip(t.Deadline, 40))
		}
		if t.Deadline < d.Source.Date {
			return Invalid(at+"deadline", "steering.err.deadline_before_source", Date(t.Deadline), Date(d.Source.Date))
		}
		if err := validText(at+"product", t.Product, 2000, true); err != nil {
			return err
		}
	}
	return nil
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}

// DirectiveFilter selects directives. Unit, when set, narrows to the directives with a
// task led by or co-operated on by the unit (and their tasks to those); Leader to one
// leader's directives.
type DirectiveFilter struct {
	Unit   string
	Leader string
	Page
}

// DirectiveStore keeps directives. Changes are recorded in the audit log with the
// actor the context carries, in the same transaction.
type DirectiveStore interface {
	// CreateDirective stores a directive and its tasks (assigned, at now): the leader
	// must be a leader's account, the units must exist.
	CreateDirective(ctx context.Context, d *Directive, now time.Time) error
	FindDirectives(ctx context.Context, f DirectiveFilter) ([]*Directive, int, error)
	FindDirective(ctx context.Context, id int64) (*Directive, error)
	// FindDirectiveTasks lists the tasks of the filter's directives, by deadline.
	FindDirectiveTasks(ctx context.Context, f DirectiveFilter) ([]*DirectiveTask, error)
	// DirectiveTx runs fn in one write transaction: it commits when fn returns nil.
	DirectiveTx(ctx context.Context, fn func(tx DirectiveTx) error) error
}

// DirectiveTx is one write transaction of the directive workflow.
type DirectiveTx interface {
	FindDirectiveTask(ctx context.Context, id int64) (*DirectiveTask, error)
	// UpdateDirectiveTask writes a task's workflow fields at version (0: any):
	// EPRECONDITION when it has moved on.
	UpdateDirectiveTask(ctx context.Context, t *DirectiveTask, version int) error
	Audit(ctx context.Context, action, entity, id string, before, after any) error
}

// CheckText checks a free text of a workflow step: valid UTF-8, no control characters,
// at most max characters.
func CheckText(field, s string, max int) error { return validText(field, s, max, false) }
