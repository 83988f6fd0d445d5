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
	counts, err := a.store.CountSubmissions(ctx)
	if err != nil {
		return nil, err
	}
	rows := make([]PeriodRow, len(periods))
	for i, p := range periods {
		rows[i] = PeriodRow{P: p, Counts: map[string]int{}}
		for st, n := range counts[p.ID] {
			rows[i].Counts[st] = n
			rows[i].Total += n
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

// PortalView is the public front page's read model: the indicators with a figure of
// the newest period that has any, and how many indicators of each document have a
// target.
type PortalView struct {
	Plan    *Plan
	Period  *tinhso.Period
	Rows    []IndicatorRow
	Targets map[string]int
}

// Portal reads the public front page.
// It is the same for every reader, and kept until the data changes (readcache.go):
// callers must not change it.
func (a *App) Portal(ctx context.Context) (*PortalView, error) {
	return cachedRead(ctx, a, "portal", func() (*PortalView, error) { return a.portal(ctx) })
}

func (a *App) portal(ctx context.Context) (*PortalView, error) {
	p, err := a.PlanFor(ctx)
	if err != nil {
		return nil, err
	}
	d := &PortalView{Plan: p}
	// The same count as the board's and the indicator list's: every indicator of a
	// document, with a written target or not (25/KH-UBND: 42, one without a target).
	if d.Targets, err = a.store.CountIndicators(ctx, tinhso.IndicatorFilter{}); err != nil {
		return nil, err
	}
	figs, period, err := a.LatestFigures(ctx)
	if err != nil {
		return nil, err
	}
	texts, err := a.LatestTexts(ctx)
	if err != nil || len(figs)+len(texts) == 0 {
		return d, err
	}
	if period == nil {
		period, err = a.newestPeriod(ctx)
		if err != nil {
			return nil, err
		}
	}
	d.Period = period
	keys := make([]string, 0, len(figs))
	for k := range figs {
		keys = append(keys, k)
	}
	for k := range texts {
		if _, ok := figs[k]; !ok {
			keys = append(keys, k)
		}
	}
	inds, err := all(func(pg tinhso.Page) ([]*tinhso.Indicator, int, error) {
		return a.store.FindIndicators(ctx, tinhso.IndicatorFilter{Keys: keys, Page: pg})
	})
	if err != nil {
		return nil, err
	}
	for _, ind := range inds {
		row := IndicatorRow{Ind: ind, Texts: texts[ind.Key]}
		if fig, ok := figs[ind.Key]; ok {
			row.Figure = &fig
		}
		d.Rows = append(d.Rows, row)
	}
	return d, nil
}

// newestPeriod is the newest opened period (nil: none).
func (a *App) newestPeriod(ctx context.Context) (*tinhso.Period, error) {
	ps, err := a.store.FindPeriods(ctx, "")
	if err != nil || len(ps) == 0 {
		return nil, err
	}
	return ps[0], nil
}
