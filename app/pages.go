package app

import (
	"context"
	"sort"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/engine"
)

// The read models of the reporting and administration pages.

// ReportingList is the reporting page: a reporter's own unit's submissions (open
// periods first), or for readers of all one period's (the newest open one by default)
// with a status filter.
type ReportingList struct {
	Reporter bool
	Unit     string
	UnitName string
	Open     []SubmissionRow
	Past     []SubmissionRow
	Periods  []*tinhso.Period
	Period   int64
	Status   string
	Statuses []string
}

// Reporting reads the reporting page for u on today; period and status are what the
// page asks for (0 and "": the defaults).
func (a *App) Reporting(ctx context.Context, u *tinhso.User, period int64, status, today string) (*ReportingList, error) {
	periods, err := a.store.FindPeriods(ctx, "")
	if err != nil {
		return nil, err
	}
	byID := map[int64]*tinhso.Period{}
	for _, p := range periods {
		byID[p.ID] = p
	}
	d := &ReportingList{Reporter: !u.Can(tinhso.ActReadAll), Unit: u.OrgUnit, Periods: periods, Statuses: SubmissionStatuses}
	f := tinhso.SubmissionFilter{Page: tinhso.Page{Limit: 100000}}
	if d.Reporter {
		f.OrgUnit, d.UnitName = u.OrgUnit, u.OrgUnit
		if o, err := a.store.FindOrgUnit(ctx, u.OrgUnit); err == nil {
			d.UnitName = o.Name
		}
	} else {
		d.Period = period
		if _, ok := byID[d.Period]; !ok {
			d.Period = 0
			for _, p := range periods {
				if p.Status == "open" {
					d.Period = p.ID
					break
				}
			}
		}
		if contains(SubmissionStatuses, status) {
			d.Status = status
		}
		f.Period, f.Status = d.Period, d.Status
		if d.Period == 0 {
			return d, nil
		}
	}
	subs, _, err := a.store.FindSubmissions(ctx, f)
	if err != nil {
		return nil, err
	}
	for _, s := range subs {
		p := byID[s.Period]
		row := SubmissionRow{S: s, P: p, Punct: engine.Punctuality(s, p, today)}
		if p != nil && p.Status == "open" {
			d.Open = append(d.Open, row)
		} else {
			d.Past = append(d.Past, row)
		}
	}
	sort.SliceStable(d.Open, func(i, j int) bool { return TextCmp(d.Open[i].S.UnitName, d.Open[j].S.UnitName) < 0 })
	return d, nil
}

// PeriodRow is a period with its submissions counted by status.
type PeriodRow struct {
	P      *tinhso.Period
	Counts map[string]int
	Total  int
}

// Periods lists every period, newest first, with its submissions counted by status.
func (a *App) Periods(ctx context.Context) ([]PeriodRow, error) {
	periods, err := a.store.FindPeriods(ctx, "")
	if err != nil {
		return nil, err
	}
	subs, _, err := a.store.FindSubmissions(ctx, tinhso.SubmissionFilter{Page: tinhso.Page{Limit: 1 << 30}})
	if err != nil {
		return nil, err
	}
	rows := make([]PeriodRow, len(periods))
	at := map[int64]int{}
	for i, p := range periods {
		rows[i] = PeriodRow{P: p, Counts: map[string]int{}}
		at[p.ID] = i
	}
	for _, s := range subs {
		if i, ok := at[s.Period]; ok {
			rows[i].Counts[s.Status]++
			rows[i].Total++
		}
	}
	return rows, nil
}

// UserQuery selects accounts on the users page.
type UserQuery struct {
	Q, Role, OrgUnit string
}

// Users lists the accounts the query keeps (role, unit, search over username, name,
// email and unit name), by username.
func (a *App) Users(ctx context.Context, p *Plan, q UserQuery) ([]*tinhso.User, error) {
	list, err := a.AllUsers(ctx)
	if err != nil {
		return nil, err
	}
	m := NewMatcher(q.Q)
	var out []*tinhso.User
	for _, x := range list {
		if q.Role != "" && x.Role != q.Role || q.OrgUnit != "" && x.OrgUnit != q.OrgUnit {
			continue
		}
		if !m.Match(x.Username, x.Name, x.Email, p.UnitName(x.OrgUnit)) {
			continue
		}
		out = append(out, x)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Username < out[j].Username })
	return out, nil
}
