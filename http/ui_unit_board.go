package http

import (
	"net/http"
	"sort"

	"github.com/tinhso/tinhso"
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
		case containsString(a.Successors, code):
			via = "successor"
		case groups[a.Code] && via == "":
			via = "group"
		}
	}
	return via
}

type unitTaskRow struct {
	T     *tinhso.Task
	State string
	Via   string
}

type unitIndicatorRow struct {
	Ind    *tinhso.Indicator
	Via    string
	Figure *tinhso.Figure
	// Own is the unit's latest approved value, and Sub the submission it is from.
	Own *tinhso.IndicatorValue
	Sub *tinhso.Submission
}

type unitBoardData struct {
	P            *plan
	U            *tinhso.OrgUnit
	Groups       []*tinhso.OrgUnit
	Predecessors []string
	States       []string
	Counts       map[string]int
	Lead         []unitTaskRow
	Cooperating  int
	Indicators   []unitIndicatorRow
	Period       *tinhso.Period
	Subs         []subRow
	Punct        map[string]int
	Due          int // submissions whose deadline has passed or that were submitted
	Rate         int // percent of those on time
}

// unitBoard is /units/{code}/board: for those who read everything any unit's, for a
// reporter its own (another unit's is "not found").
func (u *ui) unitBoard(w http.ResponseWriter, r *http.Request) {
	me := userFrom(r.Context())
	code := r.PathValue("code")
	v := u.newView(w, r, "")
	ctx := r.Context()
	if !me.Can(tinhso.ActReadAll) && me.OrgUnit != code {
		u.fail(w, r, v, tinhso.Errorf(tinhso.ENOTFOUND, "No board of org unit %q.", code))
		return
	}
	if me.OrgUnit == code {
		v.Nav = "unit-board"
	}
	p, err := u.loadPlan(ctx)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	unit, ok := p.units[code]
	if !ok {
		u.fail(w, r, v, tinhso.Errorf(tinhso.ENOTFOUND, "No org unit %q.", code))
		return
	}
	v.Title = v.T("unitboard.title", unit.Name)
	d := &unitBoardData{P: p, U: unit, States: deadlineStates, Counts: map[string]int{}, Punct: map[string]int{}}
	groups := map[string]bool{}
	for _, g := range p.unitList {
		if g.Kind == tinhso.KindGroup && (containsString(g.Members, code) || g.MemberKind != "" && g.MemberKind == unit.Kind) {
			groups[g.Code] = true
			d.Groups = append(d.Groups, g)
		}
	}
	succ, err := u.s.store.FindSuccessions(ctx, code)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	for _, sc := range succ {
		if containsString(sc.To, code) {
			for _, f := range sc.From {
				if f != code && !containsString(d.Predecessors, f) {
					d.Predecessors = append(d.Predecessors, f)
				}
			}
		}
	}
	tasks, err := u.allTasks(ctx, tinhso.TaskFilter{})
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	soon := soonDay(v.Today)
	for _, t := range tasks {
		if via := unitMatch(t.Lead, code, groups); via != "" {
			st := deadlineState(t, v.Today, soon)
			d.Lead = append(d.Lead, unitTaskRow{T: t, State: st, Via: via})
			d.Counts[st]++
		} else if unitMatch(t.Cooperating, code, groups) != "" {
			d.Cooperating++
		}
	}
	sort.SliceStable(d.Lead, func(i, j int) bool {
		a, b := d.Lead[i], d.Lead[j]
		if a.State != b.State {
			return indexOf(deadlineStates, a.State) < indexOf(deadlineStates, b.State)
		}
		return a.T.DueDate < b.T.DueDate
	})
	inds, err := u.allIndicators(ctx, tinhso.IndicatorFilter{})
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	figs, period, err := u.latestFigures(ctx)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	d.Period = period
	subs, _, err := u.s.store.FindSubmissions(ctx, tinhso.SubmissionFilter{OrgUnit: code, Page: tinhso.Page{Limit: 100000}})
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	periods, err := u.s.store.FindPeriods(ctx, "")
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	byID := map[int64]*tinhso.Period{}
	for _, pr := range periods {
		byID[pr.ID] = pr
	}
	// The unit's own latest approved values: submissions come newest period first.
	own := map[string]int{} // indicator key → index in subs
	for i, s := range subs {
		pr := byID[s.Period]
		row := subRow{S: s, P: pr, Punct: punctuality(s, pr, v.Today)}
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
	d.Due = d.Punct[punctOnTime] + d.Punct[punctLate] + d.Punct[punctOverdue]
	if d.Due > 0 {
		d.Rate = percentOf(d.Punct[punctOnTime], d.Due)
	}
	for _, ind := range inds {
		via := unitMatch(ind.Agencies, code, groups)
		if via == "" {
			continue
		}
		row := unitIndicatorRow{Ind: ind, Via: via}
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
	v.D = d
	u.render(w, r, http.StatusOK, "unit_board", v)
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return len(list)
}

func percentOf(n, of int) int {
	if of == 0 {
		return 0
	}
	return (n*100 + of/2) / of
}
