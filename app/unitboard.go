package app

import (
	"context"
	"sort"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/engine"
)

// A unit's own board: the operations board scoped to the tasks it leads or works on,
// the indicators it monitors (directly, as the successor of a dissolved unit, or as a
// member of a named group), its submissions and its reporting punctuality.

// unitMatch says how a unit is named among an item's agencies: "direct", "successor"
// (it carries on a dissolved unit's work), "group" (a group it belongs to), or "".
func unitMatch(refs []tinhso.AgencyRef, code string, groups map[string]bool) string {
	via := ""
	for _, a := range refs {
		switch {
		case a.Code == code:
			return "direct"
		case contains(a.Successors, code):
			via = "successor"
		case groups[a.Code] && via == "":
			via = "group"
		}
	}
	return via
}

// UnitTaskRow is a task a unit leads, with its deadline state and how it is named.
type UnitTaskRow struct {
	T     *tinhso.Task
	State string
	Via   string
	// Class is the task's computed status class.
	Class string
}

// UnitIndicatorRow is an indicator a unit monitors, with the province figure and the
// unit's own latest approved value (Own, from Sub).
type UnitIndicatorRow struct {
	Ind    *tinhso.Indicator
	Via    string
	Figure *tinhso.Figure
	Own    *tinhso.IndicatorValue
	Sub    *tinhso.Submission
}

// UnitBoard is a unit's board.
type UnitBoard struct {
	P            *Plan
	U            *tinhso.OrgUnit
	Groups       []*tinhso.OrgUnit
	Predecessors []string
	States       []string
	Counts       map[string]int
	// Classes counts the unit's lead tasks by computed status class; TaskClasses
	// lists the classes in order.
	Classes     map[string]int
	TaskClasses []string
	Lead        []UnitTaskRow
	Cooperating int
	Indicators  []UnitIndicatorRow
	Period      *tinhso.Period
	Subs        []SubmissionRow
	Punct       map[string]int
	Due         int // submissions of periods whose deadline has passed
	OnTime      int // of those, submitted on time
	Rate        int // percent of those on time
}

// UnitBoard reads the board of the org unit code on today, for u: readers of all see
// any unit's, a reporter its own (another unit's is "not found").
// The board of a unit and day is kept until the data changes (readcache.go): callers
// must not change it.
func (a *App) UnitBoard(ctx context.Context, u *tinhso.User, code, today string) (*UnitBoard, error) {
	if !u.Can(tinhso.ActReadAll) && u.OrgUnit != code {
		return nil, tinhso.Errorf(tinhso.ENOTFOUND, "err.unitboard.no_board", code)
	}
	return cachedRead(ctx, a, "unitboard\x00"+code+"\x00"+today, func() (*UnitBoard, error) { return a.unitBoard(ctx, code, today) })
}

func (a *App) unitBoard(ctx context.Context, code, today string) (*UnitBoard, error) {
	p, err := a.PlanFor(ctx)
	if err != nil {
		return nil, err
	}
	unit, err := a.store.FindOrgUnit(ctx, code)
	if err != nil || unit.Code != code {
		return nil, tinhso.Errorf(tinhso.ENOTFOUND, "err.unitboard.no_unit", code)
	}
	d := &UnitBoard{P: p, U: unit, States: engine.DeadlineStates, Counts: map[string]int{}, Punct: map[string]int{}}
	groups := map[string]bool{}
	allGroups, err := all(func(pg tinhso.Page) ([]*tinhso.OrgUnit, int, error) {
		return a.store.FindOrgUnits(ctx, tinhso.OrgUnitFilter{Kind: tinhso.KindGroup, Page: pg})
	})
	if err != nil {
		return nil, err
	}
	var groupCodes []string
	for _, g := range allGroups {
		if contains(g.Members, code) || g.MemberKind != "" && g.MemberKind == unit.Kind {
			groups[g.Code] = true
			groupCodes = append(groupCodes, g.Code)
			d.Groups = append(d.Groups, g)
		}
	}
	succ, err := a.store.FindSuccessions(ctx, code)
	if err != nil {
		return nil, err
	}
	for _, sc := range succ {
		if contains(sc.To, code) {
			for _, f := range sc.From {
				if f != code && !contains(d.Predecessors, f) {
					d.Predecessors = append(d.Predecessors, f)
				}
			}
		}
	}
	if err := p.Need(ctx, append(append([]string{code}, d.Predecessors...), groupCodes...)...); err != nil {
		return nil, err
	}
	// The tasks it leads (directly, as a successor, through a group), and how many
	// more it works on.
	named := tinhso.ReadFilter{AgencyOf: code, Groups: groupCodes}
	tasks, err := a.AllTasks(ctx, tinhso.TaskFilter{ReadFilter: named})
	if err != nil {
		return nil, err
	}
	keys := make([]string, len(tasks))
	for i, t := range tasks {
		keys[i] = t.Key
	}
	progress := map[string][]tinhso.ProgressReport{}
	if len(keys) > 0 {
		if progress, err = a.TaskProgress(ctx, keys); err != nil {
			return nil, err
		}
	}
	m, err := a.Monitor(ctx)
	if err != nil {
		return nil, err
	}
	d.Classes, d.TaskClasses = map[string]int{}, tinhso.TaskClasses
	dl := engine.DeadlinesOn(today)
	both := 0
	for _, t := range tasks {
		if via := unitMatch(t.Lead, code, groups); via != "" {
			st := dl.StateOf(t, progress[t.Key])
			class := m.Tasks[t.Key].Class
			d.Lead = append(d.Lead, UnitTaskRow{T: t, State: st, Via: via, Class: class})
			d.Counts[st]++
			d.Classes[class]++
			if unitMatch(t.Cooperating, code, groups) != "" {
				both++
			}
		}
	}
	coop := named
	coop.Cooperating = true
	if _, n, err := a.store.FindTasks(ctx, tinhso.TaskFilter{ReadFilter: coop, Page: tinhso.Page{Limit: 1}}); err != nil {
		return nil, err
	} else {
		d.Cooperating = n - both
	}
	sort.SliceStable(d.Lead, func(i, j int) bool {
		a, b := d.Lead[i], d.Lead[j]
		if a.State != b.State {
			return indexOf(engine.DeadlineStates, a.State) < indexOf(engine.DeadlineStates, b.State)
		}
		return a.T.DueDate < b.T.DueDate
	})
	inds, err := a.AllIndicators(ctx, tinhso.IndicatorFilter{ReadFilter: tinhso.ReadFilter{AgencyOf: code, Groups: groupCodes}})
	if err != nil {
		return nil, err
	}
	figs, period, err := a.LatestFigures(ctx)
	if err != nil {
		return nil, err
	}
	d.Period = period
	// With their values: the unit's own latest approved value of each indicator.
	subs, _, err := a.store.FindSubmissions(ctx, tinhso.SubmissionFilter{OrgUnit: code, Items: true, Page: tinhso.Page{Limit: 100000}})
	if err != nil {
		return nil, err
	}
	byID, err := a.periodsByID(ctx)
	if err != nil {
		return nil, err
	}
	// Submissions come newest period first.
	own := map[string]int{} // indicator key → index in subs
	for i, s := range subs {
		pr := byID[s.Period]
		row := SubmissionRow{S: s, P: pr, Punct: engine.Punctuality(s, pr, today)}
		d.Subs = append(d.Subs, row)
		d.Punct[row.Punct]++
		if s.Status == tinhso.StatusApproved {
			for _, x := range s.Values {
				if _, ok := own[x.Indicator]; !ok {
					own[x.Indicator] = i
				}
			}
		}
	}
	sort.SliceStable(d.Subs, func(i, j int) bool {
		a, b := d.Subs[i].P, d.Subs[j].P
		return a != nil && b != nil && a.Start > b.Start
	})
	// The rate counts the periods that are due: "100% on time" of a period still
	// open to reports would claim what is not known yet.
	for _, row := range d.Subs {
		if engine.Counts(row.Punct, row.P, today) {
			d.Due++
			if row.Punct == engine.PunctOnTime {
				d.OnTime++
			}
		}
	}
	if d.Due > 0 {
		d.Rate = engine.Percent(d.OnTime, d.Due)
	}
	for _, ind := range inds {
		via := unitMatch(ind.Agencies, code, groups)
		if via == "" {
			continue
		}
		row := UnitIndicatorRow{Ind: ind, Via: via}
		if f, ok := figs[ind.Key]; ok {
			row.Figure = &f
		}
		if i, ok := own[ind.Key]; ok {
			for _, x := range subs[i].Values {
				if x.Indicator == ind.Key {
					x := x
					row.Own, row.Sub = &x, subs[i]
				}
			}
		}
		d.Indicators = append(d.Indicators, row)
	}
	return d, nil
}
