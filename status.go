package tinhso

import "time"

// Task status classes, in their order of precedence: the first that applies to a task
// is its class, every other that applies is one of its flags.
const (
	TaskDone       = "done"        // approved progress said done, on time
	TaskDoneLate   = "done_late"   // approved progress said done, approved after the due date
	TaskUnassigned = "unassigned"  // the document names no owner
	TaskUnowned    = "unowned"     // its owners no longer exist and have no successor
	TaskOverdue    = "overdue"     // past its due date, or its latest due period has no report
	TaskDueSoon    = "due_soon"    // due within the window (30 days by default)
	TaskInProgress = "in_progress" // reported percent above 0
	TaskNotStarted = "not_started" // nothing above applies
)

// TaskClasses lists the task classes in their order of precedence.
var TaskClasses = []string{TaskDone, TaskDoneLate, TaskUnassigned, TaskUnowned, TaskOverdue, TaskDueSoon,
	TaskInProgress, TaskNotStarted}

// Indicator status classes.
const (
	IndicatorAchieved    = "achieved"     // the latest figure meets the target
	IndicatorOnTrack     = "on_track"     // the whole forecast interval at the horizon meets it
	IndicatorAtRisk      = "at_risk"      // the point forecast meets it, the interval does not (or 2 figures only)
	IndicatorOffTrack    = "off_track"    // the point forecast misses it
	IndicatorMissed      = "missed"       // the horizon has passed without the target met
	IndicatorNoData      = "no_data"      // no figure
	IndicatorCannotJudge = "cannot_judge" // one figure short of it, no review, no reference value, no target
)

// IndicatorClasses lists the indicator classes, best first.
var IndicatorClasses = []string{IndicatorAchieved, IndicatorOnTrack, IndicatorAtRisk, IndicatorOffTrack,
	IndicatorMissed, IndicatorNoData, IndicatorCannotJudge}

// ReviewClasses are the classes a reviewer may give a qualitative indicator: the judged
// ones (a reviewer who cannot judge simply does not review).
var ReviewClasses = []string{IndicatorAchieved, IndicatorOnTrack, IndicatorAtRisk, IndicatorOffTrack, IndicatorMissed}

// Indicator status flags, besides the class.
const (
	FlagLowConfidence  = "low_confidence"  // the forecast rests on two figures: a line, no interval
	FlagSynthetic      = "synthetic"       // some figure is clearly synthetic (demo history)
	FlagIgnoredFigures = "ignored_figures" // some figure had a date that does not parse, and was left out
)

// States of a recurring task's due period.
const (
	PeriodOnTime  = "on_time" // an approved report, approved by the period's deadline
	PeriodLate    = "late"    // an approved report, approved after it
	PeriodMissing = "missing" // the deadline has passed without an approved report
)

// Sources of an indicator's figure: one path for all of them.
const (
	FigureReport    = "report"    // approved submissions
	FigureHistory   = "history"   // imported, with its citation
	FigureSeries    = "series"    // computed from a live series
	FigureConnector = "connector" // fetched from another system
	FigureComputed  = "computed"  // a formula of other indicators
)

// FigureSources lists the sources of figures, the one that wins a tie on the same date
// first: an approved report is the province's own word, an imported history only fills
// the years before tinhso.
var FigureSources = []string{FigureReport, FigureComputed, FigureConnector, FigureSeries, FigureHistory}

// Status is a computed judgement of a task or an indicator: its class, the other
// classes that also apply, and why. Statuses are computed, never typed.
type Status struct {
	Class string `json:"class"`
	// Flags are the other classes (tasks) or conditions (indicators) that apply, in
	// order of precedence; never null.
	Flags []string `json:"flags"`
	// Reasons explain the class first, then each flag; never null.
	Reasons []Reason `json:"reasons"`
}

// Reason is why a class or flag applies, as data: the rule applied, a message key and
// its arguments (rendered in the reader's language at the edge), and the facts it rests
// on. Arguments are strings (dates as yyyy-mm-dd, period labels, names), numbers, or
// lists of strings.
type Reason struct {
	// Class is the class or flag it explains.
	Class string `json:"class"`
	// Rule names the rule applied, stable for scripts: "task.overdue.due_date",
	// "indicator.on_track.interval", …
	Rule string         `json:"rule"`
	Key  string         `json:"key"`
	Args map[string]any `json:"args,omitempty"`
	// Figures are the figures the reason rests on (the latest, for most).
	Figures []IndicatorFigure `json:"figures,omitempty"`
	// Reports are the progress reports it rests on.
	Reports []ProgressReport `json:"reports,omitempty"`
	// Forecast is the forecast it rests on.
	Forecast *Forecast `json:"forecast,omitempty"`
	// Goal is how the target was read, for an indicator's reason.
	Goal *Goal `json:"goal,omitempty"`
	// Reference is the reference value a reference target was compared with.
	Reference *ReferenceValue `json:"reference,omitempty"`
	// Review is the reviewer's judgement a qualitative indicator's class is.
	Review *IndicatorReview `json:"review,omitempty"`
}

// Goal is a target read as the set of values that meet it: from Low to High, each end
// included unless strict, null for no bound. Every comparator of a parsed target is
// such an interval (ranks too: "≤ 10" is places up to 10), so a whole forecast interval
// meets a target when both of its ends do.
type Goal struct {
	Low        *float64 `json:"low"`
	High       *float64 `json:"high"`
	LowStrict  bool     `json:"low_strict,omitempty"`
	HighStrict bool     `json:"high_strict,omitempty"`
	// Rule names how the target was read: ge, gt, le, lt, eq_reached, range, rank,
	// rank_lt, rank_range; reference_… for a reference target.
	Rule string `json:"rule"`
}

// TaskStatus is a task's computed status.
type TaskStatus struct {
	Status
	// Periods lists each due period of a recurring task, oldest first; empty for others.
	Periods []TaskPeriod `json:"periods"`
}

// TaskPeriod is one due period of a recurring task and how it was reported.
type TaskPeriod struct {
	Period string `json:"period"` // the label: "Q1/2026", "2026"
	Start  string `json:"start"`
	End    string `json:"end"`
	Due    string `json:"due"`   // the submission deadline
	State  string `json:"state"` // on_time, late, missing
	// ApprovedAt is the first approval of a report for the period; Done whether every
	// unit that reported it said done.
	ApprovedAt  *time.Time `json:"approved_at,omitempty"`
	Submissions []int64    `json:"submissions,omitempty"`
	Done        bool       `json:"done"`
}

// IndicatorStatus is an indicator's computed status: the class, the latest figure,
// progress toward the target and the forecast at the horizon.
type IndicatorStatus struct {
	Status
	// Latest is the latest figure (numeric, or the latest text of a qualitative one).
	Latest *IndicatorFigure `json:"latest"`
	// Progress is the latest figure as a share of the target (1 = reached): latest ÷
	// target for targets to reach or exceed (the lower bound of a range), target ÷
	// latest for targets to stay under and ranks. Null when it has no meaning.
	Progress *float64 `json:"progress"`
	// Forecast is the forecast at the horizon; null with fewer than two figures or no
	// horizon.
	Forecast *Forecast `json:"forecast"`
	// Goal is the target as a band a chart can draw; null when the target is no
	// comparison with a number (or its reference value is missing).
	Goal *Goal `json:"goal"`
}

// Forecast is the value a straight line through an indicator's figures gives at the
// horizon, with an 80% prediction interval when there are 3 figures or more.
type Forecast struct {
	Value float64 `json:"value"`
	// Low and High bound the prediction interval; null without one (two figures).
	Low  *float64 `json:"low"`
	High *float64 `json:"high"`
	// At is the horizon: 31 December of the target's horizon year (yyyy-mm-dd).
	At string `json:"at"`
	// LowConfidence: two figures only, a line without an interval.
	LowConfidence bool `json:"low_confidence"`
	// Level is the interval's coverage (0.8); 0 without an interval.
	Level float64 `json:"level"`
	// Fit is the line itself, so that a chart can draw the band and a reader redo
	// the arithmetic.
	Fit Fit `json:"fit"`
}

// Fit is an ordinary-least-squares line of value on time in years: x is the days since
// the first figure (Origin) ÷ 365.25, value = Intercept + Slope·x. MeanX, Sxx (the sum
// of squared deviations of x), ResidualSE (s, the residual standard error on DF = N − 2
// degrees of freedom) and TQuantile give the interval at any x0:
// value ± TQuantile·s·√(1 + 1/N + (x0 − MeanX)²/Sxx).
type Fit struct {
	N          int     `json:"n"`
	Origin     string  `json:"origin"`
	Last       string  `json:"last"` // the date of the last figure
	Intercept  float64 `json:"intercept"`
	Slope      float64 `json:"slope"` // per year
	MeanX      float64 `json:"mean_x"`
	Sxx        float64 `json:"sxx"`
	ResidualSE float64 `json:"residual_se"`
	DF         int     `json:"df"`
	// TQuantile is Student's t at (1 + Level)/2 with DF degrees of freedom (0 without
	// an interval).
	TQuantile float64 `json:"t_quantile"`
	// X is the horizon on the same axis.
	X float64 `json:"x"`
}

// IndicatorFigure is one figure of an indicator on the time axis, with where it came
// from. A period's figure is dated on the period's last day (Q1/2026 → 2026-03-31,
// 2024 → 2024-12-31); a dated figure (a measurement, a history row) on its date.
type IndicatorFigure struct {
	Indicator string `json:"indicator"`
	// OrgUnit is the unit the figure is of; "" for the province's figure.
	OrgUnit string `json:"org_unit,omitempty"`
	Period  string `json:"period,omitempty"`
	Date    string `json:"date"`
	// Value is the number; Text the words of a qualitative indicator.
	Value  *float64 `json:"value"`
	Text   string   `json:"text,omitempty"`
	Source string   `json:"source"`
	// Citation is where a history figure was found ("Đề án …, chú thích 7").
	Citation string `json:"citation,omitempty"`
	// Submissions are the approved submissions a report figure was made from.
	Submissions []int64 `json:"submissions,omitempty"`
	// Synthetic marks a figure from a clearly synthetic history (the demo's).
	Synthetic bool `json:"synthetic,omitempty"`
	// Span is the series and span a series figure was computed from.
	Span *FigureSpan `json:"span,omitempty"`
}

// ProgressReport is one approved report of a task's progress: what one unit said of
// it in a period, and when that was approved.
type ProgressReport struct {
	Task      string `json:"task"`
	OrgUnit   string `json:"org_unit"`
	Period    string `json:"period"`
	PeriodEnd string `json:"period_end"`
	Percent   *int   `json:"percent,omitempty"`
	Done      bool   `json:"done"`
	// Submission is the approved submission that holds the report.
	Submission int64     `json:"submission"`
	ApprovedAt time.Time `json:"approved_at"`
}

// ReferenceValue is the outside figure a reference target compares with ("mức dự
// toán Thủ tướng Chính phủ giao"), entered by an admin for one year, with its source.
type ReferenceValue struct {
	Indicator string    `json:"indicator"`
	Year      int       `json:"year"`
	Value     float64   `json:"value"`
	Source    string    `json:"source"`
	EnteredBy string    `json:"entered_by,omitempty"`
	EnteredAt time.Time `json:"entered_at,omitzero"`
}

// IndicatorReview is a reviewer's judgement of a qualitative indicator: the class, who
// gave it and why.
type IndicatorReview struct {
	Indicator string `json:"indicator"`
	// OrgUnit is the unit judged; "" for the province.
	OrgUnit  string    `json:"org_unit,omitempty"`
	Class    string    `json:"class"`
	Reviewer string    `json:"reviewer"`
	Reason   string    `json:"reason"`
	At       time.Time `json:"at"`
}
