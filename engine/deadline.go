package engine

import (
	"time"

	"github.com/tinhso/tinhso"
)

// Deadline states of a task, judged from its parsed deadline and a day in the province.
const (
	DeadlineOverdue   = "overdue"   // due date before today
	DeadlineSoon      = "soon"      // due within 30 days
	DeadlineLater     = "later"     // due later
	DeadlineRecurring = "recurring" // ongoing or yearly, no single due date
	DeadlineNone      = "none"      // no deadline
	// A task its approved progress says is finished: on time, or after its due date.
	DeadlineDone     = "done"
	DeadlineDoneLate = "done_late"
)

// DeadlineStates lists the states, most urgent first, the finished last.
var DeadlineStates = []string{DeadlineOverdue, DeadlineSoon, DeadlineLater, DeadlineRecurring, DeadlineNone, DeadlineDone, DeadlineDoneLate}

// SoonDays is how far ahead a due date counts as soon.
const SoonDays = 30

// Deadlines judges tasks' deadlines on one day.
type Deadlines struct {
	Today string // yyyy-mm-dd in the province
	Soon  string // the last day "due soon" covers
}

// DeadlinesOn returns the judge of deadlines on today (yyyy-mm-dd).
func DeadlinesOn(today string) Deadlines {
	return Deadlines{Today: today, Soon: SoonDay(today)}
}

// SoonDay is the last day "due within 30 days" covers, from today (yyyy-mm-dd).
func SoonDay(today string) string {
	d, err := time.Parse("2006-01-02", today)
	if err != nil {
		return today
	}
	return d.AddDate(0, 0, SoonDays).Format("2006-01-02")
}

// State judges a task's deadline. A task with a due date is judged by it even when it
// also recurs ("Năm 2025 và giai đoạn 2026 - 2030").
func (d Deadlines) State(t *tinhso.Task) string {
	switch {
	case t.DueDate != "" && t.DueDate < d.Today:
		return DeadlineOverdue
	case t.DueDate != "" && t.DueDate <= d.Soon:
		return DeadlineSoon
	case t.DueDate != "":
		return DeadlineLater
	case t.Recurrence != nil:
		return DeadlineRecurring
	}
	return DeadlineNone
}

// StateOf judges a task's deadline with what its approved progress reports say
// (ordered by period end and approval, as the store reads them): once every lead unit
// that reported says done (done, or 100% with its deliverable, approved), the task is
// done, or done late when the approval that finished it came after its due date;
// otherwise State judges it. A task finished is never overdue.
func (d Deadlines) StateOf(t *tinhso.Task, reports []tinhso.ProgressReport) string {
	if ok, last := finished(unitStates(reports)); ok {
		if due, has := parseDay(t.DueDate); has && dayOf(last.ApprovedAt) > due {
			return DeadlineDoneLate
		}
		return DeadlineDone
	}
	return d.State(t)
}
