package app

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/engine"
)

// Monitoring I: every task's and indicator's status, computed from the stored facts and
// the clock (engine.TaskStatuses, engine.IndicatorStatuses) in one pass, kept while the
// facts and the day stay: the store's data version (moved on by every committed change,
// from whichever process) and the province's date key the snapshot; changes the
// use-cases publish (approvals, periods, imports) and Invalidate drop it at once too.

// Monitor is the statuses of one moment, with the facts they were computed from.
type Monitor struct {
	At    time.Time
	Today string
	// Version is the store's data version the facts are at least as new as.
	Version int64
	Facts   *tinhso.MonitoringFacts
	// Tasks are the task statuses by key; Indicators the indicator statuses of the
	// province (OrgUnit "") and of each unit with figures.
	Tasks      map[string]tinhso.TaskStatus
	Indicators map[engine.SeriesKey]tinhso.IndicatorStatus
	// Synthetic: some figure is from a synthetic (demo) history.
	Synthetic bool

	taskByKey map[string]*tinhso.Task
	indByKey  map[string]*tinhso.Indicator
	figures   map[engine.SeriesKey][]tinhso.IndicatorFigure
}

// TaskStatus is a task's status (nil for a task it does not know).
func (m *Monitor) TaskStatus(key string) *tinhso.TaskStatus {
	st, ok := m.Tasks[key]
	if !ok {
		return nil
	}
	return &st
}

// IndicatorStatus is an indicator's status for the province (unit "") or a unit; nil
// when the unit has no figure of it.
func (m *Monitor) IndicatorStatus(key, unit string) *tinhso.IndicatorStatus {
	st, ok := m.Indicators[engine.SeriesKey{Indicator: key, OrgUnit: unit}]
	if !ok {
		return nil
	}
	return &st
}

// Figures are an indicator's figures, of the province (unit "") or a unit, by date.
func (m *Monitor) Figures(key, unit string) []tinhso.IndicatorFigure {
	return m.figures[engine.SeriesKey{Indicator: key, OrgUnit: unit}]
}

// Task is the task of a key, as the statuses saw it.
func (m *Monitor) Task(key string) *tinhso.Task { return m.taskByKey[key] }

// Indicator is the indicator of a key.
func (m *Monitor) Indicator(key string) *tinhso.Indicator { return m.indByKey[key] }

// monitorCache keeps the latest statuses.
type monitorCache struct {
	mu   sync.Mutex
	snap *Monitor
	gen  uint64 // bumped by every change; a snapshot computed under an older one is stale
	at   uint64 // the generation snap was computed under
	// computing serialises computations: concurrent readers wait for one.
	computing sync.Mutex
}

func (c *monitorCache) invalidate() {
	c.mu.Lock()
	c.gen++
	c.mu.Unlock()
}

// Invalidate says that facts of the statuses changed (a plan record written outside
// the use-cases): the next read computes them again.
func (a *App) Invalidate() { a.mon.invalidate() }

// Now is the use-cases' clock.
func (a *App) Now() time.Time { return a.clock() }

// Monitor returns the statuses of now, computing them when a fact changed since (the
// data version moved on, or a change was published) or the day changed.
func (a *App) Monitor(ctx context.Context) (*Monitor, error) {
	now := a.clock()
	today := engine.Today(now)
	ver, err := a.store.DataVersion(ctx)
	if err != nil {
		return nil, err
	}
	fresh := func() *Monitor {
		a.mon.mu.Lock()
		defer a.mon.mu.Unlock()
		s := a.mon.snap
		if s != nil && a.mon.at == a.mon.gen && s.Today == today && s.Version >= ver && !now.Before(s.At) {
			return s
		}
		return nil
	}
	if s := fresh(); s != nil {
		return s, nil
	}
	a.mon.computing.Lock()
	defer a.mon.computing.Unlock()
	if s := fresh(); s != nil {
		return s, nil
	}
	a.mon.mu.Lock()
	gen := a.mon.gen
	a.mon.mu.Unlock()
	// The version is read before the facts, so the facts are at least as new as it: a
	// change committed in between moves it on again, and the next read computes anew.
	s, err := a.computeMonitor(ctx, now)
	if err != nil {
		return nil, err
	}
	s.Version = ver
	a.mon.mu.Lock()
	a.mon.snap, a.mon.at = s, gen
	a.mon.mu.Unlock()
	return s, nil
}

// ComputeMonitor computes the statuses of a moment from the stored facts, without the
// cache: for tests with a fixed clock and for benchmarks.
func (a *App) ComputeMonitor(ctx context.Context, now time.Time) (*Monitor, error) {
	return a.computeMonitor(ctx, now)
}

func (a *App) computeMonitor(ctx context.Context, now time.Time) (*Monitor, error) {
	f, err := a.store.MonitoringFacts(ctx)
	if err != nil {
		return nil, err
	}
	return MonitorOf(f, now), nil
}

// MonitorOf computes the statuses of facts at a moment.
func MonitorOf(f *tinhso.MonitoringFacts, now time.Time) *Monitor {
	m := &Monitor{At: now, Today: engine.Today(now), Facts: f, taskByKey: make(map[string]*tinhso.Task, len(f.Tasks)),
		indByKey: make(map[string]*tinhso.Indicator, len(f.Indicators)), figures: map[engine.SeriesKey][]tinhso.IndicatorFigure{}}
	for _, t := range f.Tasks {
		m.taskByKey[t.Key] = t
	}
	for _, ind := range f.Indicators {
		m.indByKey[ind.Key] = ind
	}
	for i := 0; i < len(f.Figures); {
		j := i + 1
		for j < len(f.Figures) && f.Figures[j].Indicator == f.Figures[i].Indicator && f.Figures[j].OrgUnit == f.Figures[i].OrgUnit {
			j++
		}
		k := engine.SeriesKey{Indicator: f.Figures[i].Indicator, OrgUnit: f.Figures[i].OrgUnit}
		if _, ok := m.figures[k]; ok {
			m.figures[k] = append(m.figures[k], f.Figures[i:j]...) // a series that came back
		} else {
			m.figures[k] = f.Figures[i:j:j]
		}
		for _, x := range f.Figures[i:j] {
			m.Synthetic = m.Synthetic || x.Synthetic
		}
		i = j
	}
	m.Tasks = engine.TaskStatuses(f.Tasks, f.Reports, f.Periods, now, engine.TaskRules{})
	m.Indicators = engine.IndicatorStatuses(f.Indicators, f.Figures, f.References, f.Reviews, now)
	return m
}

// ClassCount is how many records have a class.
type ClassCount struct {
	Class string
	N     int
}

// UrgentItem is an item of "overdue and at risk": a task or an indicator, with its
// status, the owners who must act and how late it is.
type UrgentItem struct {
	Task      *tinhso.Task
	Indicator *tinhso.Indicator
	Class     string
	Reason    tinhso.Reason
	Owners    []tinhso.AgencyRef
	Days      int // days late (tasks)
	Forecast  *tinhso.Forecast
}

// AgencyRank is an agency's standing on the board: its overdue tasks among those it
// leads.
type AgencyRank struct {
	Code, Name string
	Overdue    int
	Tasks      int
}

// DocClasses counts a document's tasks and indicators by class.
type DocClasses struct {
	Doc        *tinhso.Document
	Tasks      map[string]int
	Indicators map[string]int
	TaskTotal  int
	IndTotal   int
}

// IndicatorChart is an indicator's figures with its status, for a chart of the figures,
// the target band and the forecast.
type IndicatorChart struct {
	Ind     *tinhso.Indicator
	Status  tinhso.IndicatorStatus
	Figures []tinhso.IndicatorFigure
}

// MonitorBoard is the board's at-a-glance part: classes, what is urgent, who is behind,
// and charts of the indicators with a forecast.
type MonitorBoard struct {
	At          time.Time
	TaskClasses []ClassCount
	TaskTotal   int
	IndClasses  []ClassCount
	IndTotal    int
	Urgent      []UrgentItem
	UrgentMore  int
	Agencies    []AgencyRank
	// Docs are the first documents (BoardDocuments with tasks, and as many with
	// indicators only) in the plan's order; DocsMore counts those beyond.
	Docs      []DocClasses
	DocsMore  int
	Charts    []IndicatorChart
	Synthetic bool
}

// BoardUrgentRows and BoardCharts bound the board's lists.
const (
	BoardUrgentRows = 12
	BoardAgencyRows = 10
	BoardCharts     = 12
)

// MonitorBoard reads the board's at-a-glance part for the records the filter keeps.
func (a *App) MonitorBoard(ctx context.Context, p *Plan, f PlanFilter) (*MonitorBoard, error) {
	m, err := a.Monitor(ctx)
	if err != nil {
		return nil, err
	}
	key := fmt.Sprintf("monitor-board\x00%s\x00%d\x00%q\x00%v", m.Today, m.Version, []string{f.Document, f.Section, f.Agency, f.State, f.Q, f.Class},
		[]any{f.Unassigned, f.Gone, f.Horizon})
	return cachedRead(ctx, a, key, func() (*MonitorBoard, error) { return m.Board(p, f, BoardUrgentRows, BoardCharts), nil })
}

// Board summarises the statuses of the records the filter keeps.
func (m *Monitor) Board(p *Plan, f PlanFilter, urgentRows, charts int) *MonitorBoard {
	b := &MonitorBoard{At: m.At, Synthetic: m.Synthetic}
	taskN, indN := map[string]int{}, map[string]int{}
	docs := map[string]*DocClasses{}
	doc := func(slug string) *DocClasses {
		d, ok := docs[slug]
		if !ok {
			d = &DocClasses{Doc: p.docBySlug[slug], Tasks: map[string]int{}, Indicators: map[string]int{}}
			docs[slug] = d
		}
		return d
	}
	agencies := map[string]*AgencyRank{}
	var urgent []UrgentItem
	for _, t := range m.Facts.Tasks {
		if !f.KeepTask(t) {
			continue
		}
		st := m.Tasks[t.Key]
		taskN[st.Class]++
		b.TaskTotal++
		d := doc(t.Document)
		d.Tasks[st.Class]++
		d.TaskTotal++
		for _, l := range t.Lead {
			r, ok := agencies[l.Code]
			if !ok {
				r = &AgencyRank{Code: l.Code, Name: l.Name}
				if r.Name == "" {
					r.Name = l.Code
				}
				agencies[l.Code] = r
			}
			r.Tasks++
			if st.Class == tinhso.TaskOverdue {
				r.Overdue++
			}
		}
		if st.Class == tinhso.TaskOverdue {
			it := UrgentItem{Task: t, Class: st.Class, Owners: t.Lead}
			if len(st.Reasons) > 0 {
				it.Reason = st.Reasons[0]
				if d, ok := it.Reason.Args["days"].(int); ok {
					it.Days = d
				}
			}
			urgent = append(urgent, it)
		}
	}
	for _, ind := range m.Facts.Indicators {
		if !f.KeepIndicator(ind) {
			continue
		}
		st := m.Indicators[engine.SeriesKey{Indicator: ind.Key}]
		indN[st.Class]++
		b.IndTotal++
		d := doc(ind.Document)
		d.Indicators[st.Class]++
		d.IndTotal++
		switch st.Class {
		case tinhso.IndicatorMissed, tinhso.IndicatorOffTrack, tinhso.IndicatorAtRisk:
			it := UrgentItem{Indicator: ind, Class: st.Class, Owners: ind.Agencies, Forecast: st.Forecast}
			if len(st.Reasons) > 0 {
				it.Reason = st.Reasons[0]
			}
			urgent = append(urgent, it)
		}
		if st.Forecast != nil && len(b.Charts) < 1<<30 {
			b.Charts = append(b.Charts, IndicatorChart{Ind: ind, Status: st, Figures: m.Figures(ind.Key, "")})
		}
	}
	for _, c := range tinhso.TaskClasses {
		b.TaskClasses = append(b.TaskClasses, ClassCount{c, taskN[c]})
	}
	for _, c := range tinhso.IndicatorClasses {
		b.IndClasses = append(b.IndClasses, ClassCount{c, indN[c]})
	}
	// The most urgent first: missed and off-track indicators and the longest overdue
	// tasks, then those at risk.
	rank := func(it UrgentItem) int {
		switch it.Class {
		case tinhso.IndicatorMissed:
			return 0
		case tinhso.TaskOverdue, tinhso.IndicatorOffTrack:
			return 1
		}
		return 2
	}
	slices.SortStableFunc(urgent, func(x, y UrgentItem) int {
		return cmp.Or(cmp.Compare(rank(x), rank(y)), cmp.Compare(y.Days, x.Days))
	})
	if len(urgent) > urgentRows {
		b.UrgentMore = len(urgent) - urgentRows
		urgent = urgent[:urgentRows]
	}
	b.Urgent = urgent
	for _, r := range agencies {
		if r.Overdue > 0 {
			b.Agencies = append(b.Agencies, *r)
		}
	}
	slices.SortFunc(b.Agencies, func(x, y AgencyRank) int {
		return cmp.Or(cmp.Compare(y.Overdue, x.Overdue), cmp.Compare(y.Tasks, x.Tasks), cmp.Compare(x.Code, y.Code))
	})
	if len(b.Agencies) > BoardAgencyRows {
		b.Agencies = b.Agencies[:BoardAgencyRows]
	}
	withTasks, indOnly := 0, 0
	for _, d := range p.docs {
		x, ok := docs[d.Slug]
		switch {
		case !ok:
		case x.TaskTotal > 0 && withTasks < BoardDocuments:
			withTasks++
			b.Docs = append(b.Docs, *x)
		case x.TaskTotal == 0 && indOnly < BoardDocuments:
			indOnly++
			b.Docs = append(b.Docs, *x)
		default:
			b.DocsMore++
		}
	}
	// Charts: the indicators judged by their forecast, the urgent ones first.
	order := func(c string) int { return slices.Index(tinhso.IndicatorClasses, c) }
	slices.SortStableFunc(b.Charts, func(x, y IndicatorChart) int {
		return cmp.Compare(-order(x.Status.Class), -order(y.Status.Class))
	})
	if len(b.Charts) > charts {
		b.Charts = b.Charts[:charts]
	}
	return b
}
