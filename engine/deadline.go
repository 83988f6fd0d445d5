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

// Select narrows a task filter to the tasks State judges in state, so that the store
// finds them by their due dates: the same rule, as bounds. An unknown state selects
// nothing but what f already selects.
func (d Deadlines) Select(f tinhso.TaskFilter, state string) tinhso.TaskFilter {
	yes, no := true, false
	switch state {
	case DeadlineOverdue:
		f.Dated, f.DueBefore = &yes, addDays(d.Today, -1)
	case DeadlineSoon:
		f.Dated, f.DueAfter, f.DueBefore = &yes, d.Today, d.Soon
	case DeadlineLater:
		f.Dated, f.DueAfter = &yes, addDays(d.Soon, 1)
	case DeadlineRecurring:
		f.Dated, f.Recurring = &no, &yes
	case DeadlineNone:
		f.Dated, f.Recurring = &no, &no
	}
	return f
}

// Tally judges a group of tasks counted together (see tinhso.TaskTally).
func (d Deadlines) Tally(t tinhso.TaskTally) string {
	task := tinhso.Task{DueDate: t.DueDate}
	if t.Recurring {
		task.Recurrence = &tinhso.Recurrence{}
	}
	return d.State(&task)
}

func addDays(day string, n int) string {
	t, err := time.Parse("2006-01-02", day)
	if err != nil {
		return day
	}
	return t.AddDate(0, 0, n).Format("2006-01-02")
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
