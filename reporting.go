package tinhso

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

// Frequencies of a reporting regime (chế độ báo cáo), per Nghị định 09/2019/NĐ-CP.
const (
	FreqMonthly    = "monthly"
	FreqQuarterly  = "quarterly"
	FreqHalfYearly = "half_yearly"
	FreqNineMonths = "nine_months"
	FreqYearly     = "yearly"
)

// Frequencies lists the valid frequencies.
var Frequencies = []string{FreqMonthly, FreqQuarterly, FreqHalfYearly, FreqNineMonths, FreqYearly}

// Regime is a reporting regime: what is reported, by whom, to whom, how often, the
// data-closing window and the submission deadline.
type Regime struct {
	ID       int64  `json:"id"`
	Key      string `json:"key"`
	Name     string `json:"name"`
	Content  string `json:"content"`
	Document string `json:"document"` // the plan whose indicators and tasks are reported
	// Reporters are org units or groups; empty: the lead agencies of the document's
	// indicators and tasks.
	Reporters []string `json:"reporters"`
	Receiver  string   `json:"receiver"` // the org unit that receives (the standing agency)
	Frequency string   `json:"frequency"`
	// CutoffDay is the day of the month the data window closes on (Điều 12: 14; the
	// window opens the day after, in the month before the period).
	CutoffDay int `json:"cutoff_day"`
	// DeadlineDays is how many days after the window closes a submission is due.
	DeadlineDays int       `json:"deadline_days"`
	Version      int       `json:"version"`
	CreatedAt    time.Time `json:"created_at"`
}

// Validate checks a regime before it is stored.
func (r *Regime) Validate() error {
	if !slugRe.MatchString(r.Key) {
		return Invalid("key", "err.regime.key")
	}
	if err := validText("name", r.Name, 500, true); err != nil {
		return err
	}
	if err := validText("content", r.Content, 5000, false); err != nil {
		return err
	}
	if r.Document == "" {
		return Invalid("document", "err.text.required", Field("document"))
	}
	if !contains(Frequencies, r.Frequency) {
		return Invalid("frequency", "err.field.one_of", Field("frequency"), strings.Join(Frequencies, ", "))
	}
	if r.CutoffDay < 1 || r.CutoffDay > 28 {
		return Invalid("cutoff_day", "err.regime.cutoff_day")
	}
	if r.DeadlineDays < 0 || r.DeadlineDays > 120 {
		return Invalid("deadline_days", "err.regime.deadline_days")
	}
	return nil
}

// Period is one reporting period of a regime: its label, its data window and deadline.
type Period struct {
	ID     int64  `json:"id"`
	Regime string `json:"regime"`
	Label  string `json:"label"` // "Q1/2026", "T3/2026", "6T/2026", "9T/2026", "2026"
	Year   int    `json:"year"`
	Number int    `json:"number"` // month, quarter, or 1 for the longer periods
	// Start and End are the period itself (calendar); DataFrom and DataTo the
	// data-closing window; Due the submission deadline. All yyyy-mm-dd.
	Start    string    `json:"start"`
	End      string    `json:"end"`
	DataFrom string    `json:"data_from"`
	DataTo   string    `json:"data_to"`
	Due      string    `json:"due"`
	Status   string    `json:"status"` // open, closed
	OpenedAt time.Time `json:"opened_at"`
}

// PeriodOf computes the period of a regime for a year and number (month 1–12, quarter
// 1–4, 1 for half-year, nine months and year), with the data window of Điều 12
// Nghị định 09/2019/NĐ-CP: from the day after the cutoff day of the month before the
// period's first month to the cutoff day of its last month.
func PeriodOf(r *Regime, year, number int) (Period, error) {
	if year < 2000 || year > 2100 {
		return Period{}, Invalid("year", "err.period.year")
	}
	var first, last int // months
	var label string
	switch r.Frequency {
	case FreqMonthly:
		if number < 1 || number > 12 {
			return Period{}, Invalid("number", "err.period.month")
		}
		first, last, label = number, number, fmt.Sprintf("T%d/%d", number, year)
	case FreqQuarterly:
		if number < 1 || number > 4 {
			return Period{}, Invalid("number", "err.period.quarter")
		}
		first, last, label = 3*number-2, 3*number, fmt.Sprintf("Q%d/%d", number, year)
	case FreqHalfYearly:
		first, last, label, number = 1, 6, fmt.Sprintf("6T/%d", year), 1
	case FreqNineMonths:
		first, last, label, number = 1, 9, fmt.Sprintf("9T/%d", year), 1
	case FreqYearly:
		first, last, label, number = 1, 12, fmt.Sprintf("%d", year), 1
	default:
		return Period{}, Invalid("frequency", "err.period.frequency", r.Frequency)
	}
	start := time.Date(year, time.Month(first), 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(year, time.Month(last)+1, 0, 0, 0, 0, 0, time.UTC)
	dataFrom := time.Date(year, time.Month(first)-1, r.CutoffDay+1, 0, 0, 0, 0, time.UTC)
	dataTo := time.Date(year, time.Month(last), r.CutoffDay, 0, 0, 0, 0, time.UTC)
	due := dataTo.AddDate(0, 0, r.DeadlineDays)
	const d = "2006-01-02"
	return Period{Regime: r.Key, Label: label, Year: year, Number: number, Start: start.Format(d), End: end.Format(d),
		DataFrom: dataFrom.Format(d), DataTo: dataTo.Format(d), Due: due.Format(d), Status: "open"}, nil
}

// Submission states.
const (
	StatusDraft     = "draft"
	StatusSubmitted = "submitted"
	StatusReturned  = "returned"
	StatusApproved  = "approved"
)

// Transitions a submission can take, and who takes them.
const (
	TransSubmit  = "submit"  // reporter: draft or returned → submitted
	TransReturn  = "return"  // reviewer: submitted → returned, with a reason
	TransApprove = "approve" // reviewer: submitted → approved
)

// Next returns the status a transition leads to from a status, or an error saying why
// it cannot be taken.
func Next(status, transition string) (string, error) {
	switch {
	case transition == TransSubmit && (status == StatusDraft || status == StatusReturned):
		return StatusSubmitted, nil
	case transition == TransReturn && status == StatusSubmitted:
		return StatusReturned, nil
	case transition == TransApprove && status == StatusSubmitted:
		return StatusApproved, nil
	}
	key := map[string]string{TransSubmit: "err.submission.cannot_submit", TransReturn: "err.submission.cannot_return",
		TransApprove: "err.submission.cannot_approve"}[transition]
	if key == "" {
		return "", Errorf(ECONFLICT, "err.submission.transition", transition)
	}
	return "", Errorf(ECONFLICT, key, M("word.submission."+status))
}

// Submission is one org unit's report for one period.
type Submission struct {
	ID       int64  `json:"id"`
	Period   int64  `json:"period_id"`
	Label    string `json:"period"`
	OrgUnit  string `json:"org_unit"`
	UnitName string `json:"org_unit_name"`
	Status   string `json:"status"`
	// Resubmitted counts how often it came back after a return.
	Resubmitted  int    `json:"resubmitted"`
	ReturnReason string `json:"return_reason,omitempty"`
	// Indicators and Tasks are the keys the unit is expected to report on.
	Indicators  []string         `json:"indicators"`
	Tasks       []string         `json:"tasks"`
	Values      []IndicatorValue `json:"values"`
	Progress    []TaskProgress   `json:"progress"`
	Evidence    []Evidence       `json:"evidence"`
	Version     int              `json:"version"`
	SubmittedAt *time.Time       `json:"submitted_at,omitempty"`
	ApprovedAt  *time.Time       `json:"approved_at,omitempty"`
	UpdatedAt   time.Time        `json:"updated_at"`
}

// IndicatorValue is a reported value of an indicator: a number (with the indicator's
// unit) or, for a qualitative target, text.
type IndicatorValue struct {
	Indicator string   `json:"indicator"` // key
	Number    *float64 `json:"number,omitempty"`
	Unit      string   `json:"unit,omitempty"`
	Text      string   `json:"text,omitempty"`
	Note      string   `json:"note,omitempty"`
	// Weight is what the number is a share or average of in the unit (its households,
	// enterprises, population…): a weighted_mean indicator's province figure weighs
	// each unit's number by it, and only such an indicator takes one.
	Weight *float64 `json:"weight,omitempty"`
}

// TaskProgress is a reported state of a task. The task's status is computed from it,
// never typed.
type TaskProgress struct {
	Task            string `json:"task"` // key
	Percent         *int   `json:"percent,omitempty"`
	Done            bool   `json:"done"`
	DeliverableLink string `json:"deliverable_link,omitempty"`
	DeliverableFile string `json:"deliverable_file,omitempty"` // an evidence hash
	Note            string `json:"note,omitempty"`
}

// Evidence is a file attached to a submission, stored by content hash.
type Evidence struct {
	Hash       string    `json:"hash"`
	Name       string    `json:"name"`
	MediaType  string    `json:"media_type"`
	Size       int64     `json:"size"`
	UploadedBy string    `json:"uploaded_by"`
	UploadedAt time.Time `json:"uploaded_at"`
}

// ValidateDraftValue checks a value as a draft may keep it: a note alone, without its
// number yet, is kept (ValidateValue checks it on submitting); whatever is given must
// be right for the indicator.
func ValidateDraftValue(field string, v IndicatorValue, ind *Indicator) error {
	if v.Number == nil && v.Text == "" {
		return validText(field+".note", v.Note, 5000, false)
	}
	return ValidateValue(field, v, ind)
}

// ValidateValue checks a reported value against its indicator: a number in the
// indicator's unit (when it gives one) and within sense, or text for a qualitative
// target. field names the value for the error ("values[3]").
func ValidateValue(field string, v IndicatorValue, ind *Indicator) error {
	if err := validText(field+".text", v.Text, 5000, false); err != nil {
		return err
	}
	if err := validText(field+".note", v.Note, 5000, false); err != nil {
		return err
	}
	qualitative := ind.Target.Kind == TargetQualitative || ind.Target.Kind == TargetNone && ind.Unit == ""
	if v.Number == nil {
		if v.Text == "" {
			if qualitative {
				return Invalid(field, "err.value.number_or_text", ind.Code)
			}
			return Invalid(field, "err.value.number", ind.Code)
		}
		if !qualitative {
			return Invalid(field+".text", "err.value.not_text", ind.Code, ind.Unit)
		}
		return nil
	}
	if !qualitative && v.Text != "" {
		return Invalid(field+".text", "err.value.words_in_note", ind.Code, ind.Unit)
	}
	n := *v.Number
	if math.IsNaN(n) || math.IsInf(n, 0) {
		return Invalid(field+".number", "err.value.not_finite", ind.Code)
	}
	if v.Unit != "" && !sameUnit(v.Unit, ind.Unit) {
		return Invalid(field+".unit", "err.value.unit", ind.Code, ind.Unit, v.Unit)
	}
	if n < 0 && !strings.Contains(ind.Unit, "%/năm") {
		return Invalid(field+".number", "err.value.negative", ind.Code)
	}
	if strings.HasPrefix(strings.TrimSpace(ind.Unit), "%") && !strings.Contains(ind.Unit, "/năm") && n > 100 {
		return Invalid(field+".number", "err.value.over_100", ind.Code, Number(n))
	}
	if math.Abs(n) > 1e15 {
		return Invalid(field+".number", "err.value.range", ind.Code, Number(n))
	}
	return nil
}

func sameUnit(a, b string) bool {
	norm := func(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), "")) }
	return norm(a) == norm(b)
}

// Figure is the province figure of an indicator in a period, with the submissions it
// came from.
type Figure struct {
	Indicator   string  `json:"indicator"`
	Code        string  `json:"code"`
	Name        string  `json:"name"`
	Unit        string  `json:"unit"`
	Period      string  `json:"period"`
	Aggregation string  `json:"aggregation"`
	Value       float64 `json:"value"`
	Count       int     `json:"count"`
	Submissions []int64 `json:"submissions"`
	Target      Target  `json:"target"`
}

// SortFigures orders figures by indicator key.
func SortFigures(f []Figure) {
	sort.Slice(f, func(i, j int) bool { return f[i].Indicator < f[j].Indicator })
}

// SubmissionFilter selects submissions.
type SubmissionFilter struct {
	Period  int64
	OrgUnit string
	Status  string
	// Items: with values, progress, evidence and the expected indicators and tasks.
	Items bool
	Page
}

// AuditFilter selects audit records.
type AuditFilter struct {
	Entity   string
	EntityID string
	Page
}

// Notification is an in-app message to an org unit's users (a reminder, for now).
type Notification struct {
	ID      int64  `json:"id"`
	Key     string `json:"key"`
	OrgUnit string `json:"org_unit"`
	Kind    string `json:"kind"`
	// MessageKey and MessageArgs are what it says, rendered in the reader's language
	// when it is shown or sent (Text).
	MessageKey  string `json:"message_key,omitempty"`
	MessageArgs Args   `json:"message_args,omitempty"`
	// Message is the text of a notification stored before they had keys (in
	// Vietnamese); the API fills it with Text in the reader's language.
	Message   string     `json:"message"`
	Link      string     `json:"link"`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at,omitempty"`
}

// Text returns what the notification says as a message: its key and arguments, or,
// for one stored with text only, that text (a message without a key).
func (n *Notification) Text() Message {
	if n.MessageKey == "" {
		return Message{Args: Args{n.Message}}
	}
	return Message{Key: n.MessageKey, Args: n.MessageArgs}
}

// ReportingStore keeps reporting regimes, periods, submissions, figures, the audit log
// and notifications. The workflows that change periods and submissions (app) run in
// one of its write transactions (WriteTx), which records them in the audit log.
type ReportingStore interface {
	CreateRegime(ctx context.Context, r *Regime) error
	FindRegimes(ctx context.Context) ([]*Regime, error)
	FindRegime(ctx context.Context, ref string) (*Regime, error)
	// PeriodFacts reads what opening a period of a regime (id or key) is judged on.
	PeriodFacts(ctx context.Context, regime string) (*PeriodFacts, error)
	FindPeriods(ctx context.Context, regime string) ([]*Period, error)
	FindPeriod(ctx context.Context, id int64) (*Period, error)
	// ApprovedProgress reads the approved progress reports of tasks (keys; none: of
	// every task), ordered by task, period end and approval. A report of 100% with
	// its deliverable counts as done, as one that says done.
	ApprovedProgress(ctx context.Context, tasks []string) ([]ProgressReport, error)

	// FindSubmissions lists submissions; with f.Items, each with its values, progress,
	// evidence and expected items, read for the whole page at once.
	FindSubmissions(ctx context.Context, f SubmissionFilter) ([]*Submission, int, error)
	FindSubmission(ctx context.Context, id int64) (*Submission, error)

	FindFigures(ctx context.Context, period int64) ([]Figure, error)
	FindAudit(ctx context.Context, f AuditFilter) ([]AuditRecord, int, error)
	// VerifyAudit checks the whole audit chain and returns how many records it holds.
	VerifyAudit(ctx context.Context) (int, error)

	// Notify stores a notification unless one with its key exists; it reports whether
	// it stored it.
	Notify(ctx context.Context, n *Notification) (bool, error)
	FindNotifications(ctx context.Context, orgUnit string, p Page) ([]*Notification, int, error)
	// MarkNotificationRead marks a notification of the org unit ("" : any) read.
	MarkNotificationRead(ctx context.Context, id int64, orgUnit string) error

	// WriteTx runs fn in one write transaction: it commits when fn returns nil, and
	// nothing fn did is kept when it returns an error.
	WriteTx(ctx context.Context, fn func(tx ReportingTx) error) error
}
