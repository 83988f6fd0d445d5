package engine

import (
	"slices"
	"strings"
	"time"

	"github.com/tinhso/tinhso"
)

// DefaultDueSoonDays is how far ahead a deadline counts as soon.
const DefaultDueSoonDays = 30

// TaskRules are the settings of task statuses.
type TaskRules struct {
	// DueSoonDays: a task is due_soon when its deadline is at most this many days
	// ahead; 0 means DefaultDueSoonDays.
	DueSoonDays int
}

// TaskFacts are what a task's status is computed from; all of it can be loaded in one
// query per kind of fact for every task at once (see TaskStatuses).
type TaskFacts struct {
	// Task is the task as stored: DueDate, Recurrence, Unassigned, and Lead with
	// Exists and Successors resolved for today.
	Task *tinhso.Task
	// Reports are the task's approved progress reports, in any order.
	Reports []tinhso.ProgressReport
	// Periods are the opened periods of the regime that reports the task. A recurring
	// task is judged on them; without them it cannot be late for a period.
	Periods []tinhso.Period
}

// TaskStatus judges a task on a day. The classes, in order of precedence (the first
// that applies is the class, the others are flags):
//
//   - done, done_late: finished (every lead unit that reported says done in its
//     latest report; for a recurring task, in its latest due period), late when the
//     approval that finished it came after the due date (the period's deadline for a
//     recurring task);
//   - unassigned: the document names no owner;
//   - unowned: every lead agency is gone without a successor;
//   - overdue: past the due date and not finished; or, for a recurring task, its
//     latest due period has no approved report;
//   - due_soon: the due date (or the next unreported due period's deadline) is at most
//     DueSoonDays ahead;
//   - in_progress: a lead unit's latest report gives a percent above 0;
//   - not_started: otherwise.
//
// A task with neither a due date nor a recurrence is never overdue nor due soon.
// "Năm 2025 và giai đoạn 2026 - 2030" has both: the due date is judged as a one-off
// deliverable, the recurrence by its periods.
func TaskStatus(f TaskFacts, now time.Time, rules TaskRules) tinhso.TaskStatus {
	return taskStatus(f.Task, f.Reports, preparePeriods(f.Periods), dayOf(now), rules)
}

// periodDays is an opened period with its dates read once: a document's periods are
// shared by all of its tasks.
type periodDays struct {
	p               *tinhso.Period
	start, end, due day
}

// preparePeriods reads the periods' dates and orders them by their end; a period whose
// dates do not parse cannot be judged, and is left out.
func preparePeriods(ps []tinhso.Period) []periodDays {
	out := make([]periodDays, 0, len(ps))
	for i := range ps {
		p := &ps[i]
		s, ok1 := parseDay(p.Start)
		e, ok2 := parseDay(p.End)
		d, ok3 := parseDay(p.Due)
		if ok1 && ok2 && ok3 {
			out = append(out, periodDays{p: p, start: s, end: e, due: d})
		}
	}
	slices.SortStableFunc(out, func(a, b periodDays) int { return int(a.end - b.end) })
	return out
}

// unitState is one lead unit's current word on a task.
type unitState struct {
	unit   string
	latest *tinhso.ProgressReport
	// doneSince is the report from which the unit has said done without a break.
	doneSince *tinhso.ProgressReport
}

// taskStatus judges a task. It reads the reports and changes nothing in them.
func taskStatus(t *tinhso.Task, reports []tinhso.ProgressReport, periods []periodDays, today day, rules TaskRules) tinhso.TaskStatus {
	window := rules.DueSoonDays
	if window <= 0 {
		window = DefaultDueSoonDays
	}
	st := tinhso.TaskStatus{Status: tinhso.Status{Flags: []string{}, Reasons: []tinhso.Reason{}}, Periods: []tinhso.TaskPeriod{}}
	j := taskJudge{st: &st}

	reports = sortReports(reports)
	units := unitStates(reports)

	// The one-off reading: finished when every unit that reported says done now.
	delivered, finish := finished(units)

	var due day
	hasDue := false
	if t.DueDate != "" {
		due, hasDue = parseDay(t.DueDate)
	}

	// The recurring reading, period by period.
	rec := t.Recurrence != nil && len(periods) > 0
	var next *periodDays // the next due period not reported yet
	if rec {
		st.Periods, next = duePeriods(t.Recurrence, periods, reports, today)
	}
	var current *tinhso.TaskPeriod // the latest due period
	if len(st.Periods) > 0 {
		current = &st.Periods[len(st.Periods)-1]
	}

	// Finished, and late?
	var isDone, late bool
	var doneArgs map[string]any
	var doneReports []tinhso.ProgressReport
	switch {
	case rec && current != nil:
		// A recurring task is as done as its latest due period: older periods' "done"
		// says nothing of this one.
		if current.Done {
			isDone = true
			late = current.State == tinhso.PeriodLate
			doneArgs = map[string]any{"period": current.Period, "approved": dayOf(*current.ApprovedAt).String(), "due": current.Due}
			doneReports = reportsOf(reports, current.Period)
		}
	case delivered:
		// A one-off task, or a recurring one before its first due period (the
		// deliverable of "Năm 2025 và giai đoạn 2026 - 2030" for 2025).
		isDone = true
		late = hasDue && dayOf(finish.ApprovedAt) > due
		doneArgs = map[string]any{"period": finish.Period, "approved": dayOf(finish.ApprovedAt).String(), "org_unit": finish.OrgUnit}
		if hasDue {
			doneArgs["due"] = t.DueDate
		}
		doneReports = []tinhso.ProgressReport{*finish}
	}
	if isDone {
		switch {
		case late:
			d, _ := parseDay(doneArgs["due"].(string))
			a, _ := parseDay(doneArgs["approved"].(string))
			doneArgs["days"] = int(a - d)
			j.add(tinhso.TaskDoneLate, "task.done_late", "status.task.done_late", doneArgs, doneReports)
		case doneArgs["due"] != nil:
			j.add(tinhso.TaskDone, "task.done", "status.task.done", doneArgs, doneReports)
		default:
			j.add(tinhso.TaskDone, "task.done.no_deadline", "status.task.done_no_deadline", doneArgs, doneReports)
		}
	}

	// Owners.
	if t.Unassigned || len(t.Lead) == 0 {
		j.add(tinhso.TaskUnassigned, "task.unassigned", "status.task.unassigned", nil, nil)
	} else if gone := goneLeads(t.Lead); len(gone) == len(t.Lead) {
		j.add(tinhso.TaskUnowned, "task.unowned", "status.task.unowned",
			map[string]any{"agencies": strings.Join(gone, ", ")}, nil)
	}

	// Deadlines.
	overdue := false
	if hasDue && today > due && !delivered && !isDone {
		overdue = true
		j.add(tinhso.TaskOverdue, "task.overdue.due_date", "status.task.overdue",
			map[string]any{"due": t.DueDate, "days": int(today - due)}, nil)
	}
	if current != nil && current.State == tinhso.PeriodMissing {
		pd, _ := parseDay(current.Due) // it parsed in preparePeriods
		args := map[string]any{"period": current.Period, "due": current.Due, "days": int(today - pd)}
		if overdue {
			// Both readings say overdue: one class, two reasons.
			st.Reasons = append(st.Reasons, tinhso.Reason{Class: tinhso.TaskOverdue, Rule: "task.overdue.period",
				Key: "status.task.overdue_period", Args: args})
		} else {
			overdue = true
			j.add(tinhso.TaskOverdue, "task.overdue.period", "status.task.overdue_period", args, nil)
		}
	}
	soon := false
	if hasDue && !delivered && !isDone && today <= due && int(due-today) <= window {
		soon = true
		j.add(tinhso.TaskDueSoon, "task.due_soon.due_date", "status.task.due_soon",
			map[string]any{"due": t.DueDate, "days": int(due - today), "window": window}, nil)
	}
	if next != nil {
		if int(next.due-today) <= window {
			args := map[string]any{"period": next.p.Label, "due": next.p.Due, "days": int(next.due - today), "window": window}
			if soon {
				st.Reasons = append(st.Reasons, tinhso.Reason{Class: tinhso.TaskDueSoon, Rule: "task.due_soon.period",
					Key: "status.task.due_soon_period", Args: args})
			} else {
				j.add(tinhso.TaskDueSoon, "task.due_soon.period", "status.task.due_soon_period", args, nil)
			}
		}
	}

	// Work under way: judged on every unit's latest report (an older period's percent
	// still says the work has begun).
	if !isDone {
		var best *tinhso.ProgressReport
		bestPct := 0
		for _, u := range units {
			r := u.latest
			p := 0
			if r.Percent != nil {
				p = *r.Percent
			}
			if r.Done {
				p = 100
			}
			if p > bestPct {
				best, bestPct = r, p
			}
		}
		switch {
		case best != nil:
			j.add(tinhso.TaskInProgress, "task.in_progress", "status.task.in_progress",
				map[string]any{"percent": bestPct, "period": best.Period, "approved": dayOf(best.ApprovedAt).String(), "org_unit": best.OrgUnit},
				[]tinhso.ProgressReport{*best})
		case len(reports) > 0:
			r := reports[len(reports)-1]
			j.add(tinhso.TaskNotStarted, "task.not_started.reported", "status.task.not_started_reported",
				map[string]any{"period": r.Period, "approved": dayOf(r.ApprovedAt).String(), "org_unit": r.OrgUnit}, []tinhso.ProgressReport{r})
		default:
			j.add(tinhso.TaskNotStarted, "task.not_started", "status.task.not_started", nil, nil)
		}
	}
	return st
}

// taskJudge builds a task's status: the first class added is the class, the others
// flags, each with its reason, in the order they are added (the order of precedence).
type taskJudge struct{ st *tinhso.TaskStatus }

func (j taskJudge) add(class, rule, key string, args map[string]any, reports []tinhso.ProgressReport) {
	if j.st.Class == "" {
		j.st.Class = class
	} else {
		j.st.Flags = append(j.st.Flags, class)
	}
	j.st.Reasons = append(j.st.Reasons, tinhso.Reason{Class: class, Rule: rule, Key: key, Args: args, Reports: reports})
}

// sortReports orders reports by their period's end, then by approval: the order in
// which they describe the work. A report without a period end takes its label's. The
// reports usually come in that order from the query, and are then used as they are;
// otherwise a sorted copy is made.
func sortReports(rs []tinhso.ProgressReport) []tinhso.ProgressReport {
	order := func(a, b tinhso.ProgressReport) int {
		if c := strings.Compare(a.PeriodEnd, b.PeriodEnd); c != 0 {
			return c
		}
		return a.ApprovedAt.Compare(b.ApprovedAt)
	}
	ends := true
	for i := range rs {
		if len(rs[i].PeriodEnd) != len(time.DateOnly) {
			ends = false
			break
		}
	}
	if ends && slices.IsSortedFunc(rs, order) {
		return rs
	}
	rs = slices.Clone(rs)
	for i := range rs {
		if _, ok := parseDay(rs[i].PeriodEnd); !ok {
			if e, err := PeriodEnd(rs[i].Period); err == nil {
				rs[i].PeriodEnd = e
			}
		}
	}
	slices.SortStableFunc(rs, order)
	return rs
}

// unitStates is each unit's latest report and since when it has said done, in the
// order the units first reported. A task has one or two lead units: a slice beats a map.
func unitStates(reports []tinhso.ProgressReport) []unitState {
	var units []unitState
	for i := range reports {
		r := &reports[i]
		k := slices.IndexFunc(units, func(u unitState) bool { return u.unit == r.OrgUnit })
		if k < 0 {
			units = append(units, unitState{unit: r.OrgUnit})
			k = len(units) - 1
		}
		u := &units[k]
		u.latest = r
		switch {
		case !r.Done:
			u.doneSince = nil
		case u.doneSince == nil:
			u.doneSince = r
		}
	}
	return units
}

// finished reports whether every unit that reported says done, and the report that
// finished the task: the last of the units' first reports of done.
func finished(units []unitState) (bool, *tinhso.ProgressReport) {
	if len(units) == 0 {
		return false, nil
	}
	var last *tinhso.ProgressReport
	for _, u := range units {
		if u.doneSince == nil {
			return false, nil
		}
		if last == nil || u.doneSince.ApprovedAt.After(last.ApprovedAt) {
			last = u.doneSince
		}
	}
	return true, last
}

// duePeriods lists the due periods of a recurring task, oldest first, and the next
// period not yet due and not yet reported. A period is listed once its deadline has
// passed, or earlier when it is already reported. Periods and reports are both in
// order of their end, so one walk pairs them.
func duePeriods(rec *tinhso.Recurrence, periods []periodDays, reports []tinhso.ProgressReport, today day) ([]tinhso.TaskPeriod, *periodDays) {
	// Sized once: a task of a monthly regime over five years has sixty due periods.
	due := 0
	for i := range periods {
		if isDuePeriod(rec, &periods[i]) {
			due++
		}
	}
	out := make([]tinhso.TaskPeriod, 0, due)
	var next *periodDays
	// The approval times and submission ids of all periods share two slices, one
	// allocation each rather than one per period.
	ats := make([]time.Time, 0, len(periods))
	subs := make([]int64, 0, len(reports))
	r := 0
	for i := range periods {
		pd := &periods[i]
		p := pd.p
		end := p.End
		for r < len(reports) && reports[r].PeriodEnd < end {
			r++
		}
		if !isDuePeriod(rec, pd) {
			continue
		}
		tp := tinhso.TaskPeriod{Period: p.Label, Start: p.Start, End: p.End, Due: p.Due}
		// The first approval decides punctuality: the period was reported then. Done
		// when every unit's last report for the period says so.
		var first *tinhso.ProgressReport
		tp.Done = true
		for k := r; k < len(reports) && reports[k].PeriodEnd == end; k++ {
			x := &reports[k]
			if x.Period != p.Label {
				continue // another regime's period that ends on the same day
			}
			if first == nil || x.ApprovedAt.Before(first.ApprovedAt) {
				first = x
			}
			if !lastOfUnit(reports, k, end, p.Label) {
				continue
			}
			tp.Done = tp.Done && x.Done
			subs = append(subs, x.Submission)
			tp.Submissions = subs[len(subs)-1-len(tp.Submissions) : len(subs) : len(subs)]
		}
		if first == nil {
			tp.Done = false
			if today > pd.due {
				tp.State = tinhso.PeriodMissing
				out = append(out, tp)
			} else if next == nil {
				next = pd
			}
			continue
		}
		ats = append(ats, first.ApprovedAt)
		tp.ApprovedAt = &ats[len(ats)-1]
		if dayOf(first.ApprovedAt) > pd.due {
			tp.State = tinhso.PeriodLate
		} else {
			tp.State = tinhso.PeriodOnTime
		}
		out = append(out, tp)
	}
	return out, next
}

// lastOfUnit reports whether reports[k] is its unit's last report for the period.
func lastOfUnit(reports []tinhso.ProgressReport, k int, end, label string) bool {
	for j := k + 1; j < len(reports) && reports[j].PeriodEnd == end; j++ {
		if reports[j].Period == label && reports[j].OrgUnit == reports[k].OrgUnit {
			return false
		}
	}
	return true
}

// isDuePeriod reports whether a recurring task is due in a period. An ongoing task
// ("Thường xuyên") is due in every period; a yearly one in the period that holds its
// yearly due day: the last day of DueMonth (December when none), YearOffset years
// before the year the deliverable is for ("Tháng 11 của năm trước": the plan for 2027
// is due in November 2026). FromYear and UntilYear bound the years the deliverable is
// for.
func isDuePeriod(rec *tinhso.Recurrence, p *periodDays) bool {
	inYears := func(y int) bool {
		return (rec.FromYear == 0 || y >= rec.FromYear) && (rec.UntilYear == 0 || y <= rec.UntilYear)
	}
	if rec.Freq != tinhso.RecurYearly {
		return inYears(p.p.Year)
	}
	month := rec.DueMonth
	if month == 0 {
		month = 12
	}
	for y := p.start.year(); y <= p.end.year(); y++ {
		dueDay := civilDay(y, month, daysIn(y, month))
		if dueDay >= p.start && dueDay <= p.end && inYears(y-rec.YearOffset) {
			return true
		}
	}
	return false
}

// goneLeads names the lead agencies that no longer exist and have no successor.
func goneLeads(lead []tinhso.AgencyRef) []string {
	var gone []string
	for _, a := range lead {
		if !a.Exists && len(a.Successors) == 0 {
			name := a.Name
			if name == "" {
				name = a.Code
			}
			gone = append(gone, name)
		}
	}
	return gone
}

func reportsOf(reports []tinhso.ProgressReport, period string) []tinhso.ProgressReport {
	var out []tinhso.ProgressReport
	for _, r := range reports {
		if r.Period == period {
			out = append(out, r)
		}
	}
	return out
}
