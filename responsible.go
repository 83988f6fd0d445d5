package tinhso

import (
	"sort"
)

// Org is what resolving responsibility needs to know of the org units: each unit by
// code, and the successions between them.
type Org struct {
	Units       map[string]*OrgUnit
	Successions []*Succession
}

// Exists reports whether a unit exists on a day (yyyy-mm-dd).
func (o *Org) Exists(code, day string) bool {
	u, ok := o.Units[code]
	return ok && u.Exists(day)
}

// Responsible turns an agency named by a plan into the units that answer for it on a
// day: itself while it exists; its current successors once it does not; every member
// of a group (named members, and every existing unit of its member kind). A unit gone
// without a known successor, and a group without members, are returned as blockers:
// nobody can be asked to report for them until an admin resolves them.
func (o *Org) Responsible(code, day string) (units []string, blockers []Blocker) {
	seen := map[string]bool{}
	var walk func(code string, depth int)
	walk = func(code string, depth int) {
		if seen[code] || depth > 20 {
			return
		}
		seen[code] = true
		u, ok := o.Units[code]
		if !ok {
			blockers = append(blockers, Blocker{Cause: BlockUnknown, Unit: code, Name: code})
			return
		}
		if !u.Exists(day) {
			next := CurrentSuccessors(code, day, o.Successions, func(c string) bool { return o.Exists(c, day) })
			if len(next) == 0 {
				// A successor that is itself a group may exist without being a unit.
				for _, s := range o.Successions {
					if PartialDateStart(s.Effective) <= day && contains(s.From, code) {
						next = append(next, s.To...)
					}
				}
			}
			if len(next) == 0 {
				blockers = append(blockers, Blocker{Cause: BlockGone, Unit: code, Name: u.Name, Since: u.Dissolved})
				return
			}
			for _, n := range next {
				walk(n, depth+1)
			}
			return
		}
		if u.Kind == KindGroup {
			members := append([]string{}, u.Members...)
			if u.MemberKind != "" {
				for c, m := range o.Units {
					if m.Kind == u.MemberKind && m.Exists(day) {
						members = append(members, c)
					}
				}
			}
			if len(members) == 0 {
				blockers = append(blockers, Blocker{Cause: BlockEmptyGroup, Unit: code, Name: u.Name, MemberKind: u.MemberKind})
				return
			}
			sort.Strings(members)
			for _, m := range members {
				walk(m, depth+1)
			}
			return
		}
		units = append(units, code)
	}
	walk(code, 0)
	sort.Strings(units)
	return units, blockers
}

// PeriodPlan says who reports what in a period, before it is opened.
type PeriodPlan struct {
	Period Period        `json:"period"`
	Units  []PlannedUnit `json:"units"`
	// Blockers must be resolved (add a succession, import members) before opening:
	// each as a message (rendered in the reader's language), once per unit and item
	// that names it.
	Blockers []Message `json:"blockers"`
	// Causes are the same blockers once per unit, with the items that name it: what
	// the pages group by cause and link to their remedy.
	Causes []Blocker `json:"causes"`
}

// Causes of a blocker.
const (
	BlockUnknown    = "unknown_unit" // the plan names a code that is no org unit
	BlockGone       = "gone"         // a unit that no longer exists, without a known successor
	BlockEmptyGroup = "empty_group"  // a group without members (communes not imported yet)
)

// Blocker is one unit the plan names that nobody can be asked to report for, and why.
type Blocker struct {
	Cause string `json:"cause"`
	Unit  string `json:"unit"`
	Name  string `json:"name"`
	// Since is when a gone unit ceased; MemberKind the kind of unit an empty group takes.
	Since      string `json:"since,omitempty"`
	MemberKind string `json:"member_kind,omitempty"`
	// Indicators and Tasks are the codes and numbers of the items that name the unit;
	// both empty when the regime's reporters name it.
	Indicators []string `json:"indicators"`
	Tasks      []string `json:"tasks"`
}

// String says the blocker in English, for logs.
func (b Blocker) String() string { return b.Message().String() }

// Message says the blocker, as the API's details list it.
func (b Blocker) Message() Message {
	switch b.Cause {
	case BlockUnknown:
		return M("blocker.no_unit", b.Unit)
	case BlockGone:
		return M("blocker.gone", b.Name, b.Unit, Date(b.Since))
	}
	return M("blocker.empty_group", b.Name, b.Unit)
}

// PlannedUnit is one expected submission: the unit and the indicators and tasks it
// reports on, with how it came to be responsible.
type PlannedUnit struct {
	Code       string   `json:"code"`
	Name       string   `json:"name"`
	Indicators []string `json:"indicators"`
	Tasks      []string `json:"tasks"`
}

// PlanPeriod works out the expected submissions of a period: for each indicator, its
// monitoring agencies; for each task, its lead agencies; each resolved on the period's
// first day. reporters, when not empty, limits the units to those it resolves to.
func (o *Org) PlanPeriod(p Period, indicators []*Indicator, tasks []*Task, reporters []string) PeriodPlan {
	plan := PeriodPlan{Period: p, Units: []PlannedUnit{}, Blockers: []Message{}, Causes: []Blocker{}}
	byUnit := map[string]*PlannedUnit{}
	blocked := map[string]bool{}
	cause := map[string]int{} // cause and unit → index in plan.Causes
	note := func(b Blocker, kind, code string) {
		k := b.Cause + " " + b.Unit
		i, ok := cause[k]
		if !ok {
			i = len(plan.Causes)
			cause[k] = i
			b.Indicators, b.Tasks = []string{}, []string{}
			plan.Causes = append(plan.Causes, b)
		}
		c := &plan.Causes[i]
		switch kind {
		case "indicator":
			c.Indicators = append(c.Indicators, code)
		case "task":
			c.Tasks = append(c.Tasks, code)
		}
	}
	var allowed map[string]bool
	if len(reporters) > 0 {
		allowed = map[string]bool{}
		for _, r := range reporters {
			us, bs := o.Responsible(r, p.Start)
			for _, u := range us {
				allowed[u] = true
			}
			for _, b := range bs {
				note(b, "", "")
				if s := b.String(); !blocked[s] {
					blocked[s] = true
					plan.Blockers = append(plan.Blockers, b.Message())
				}
			}
		}
	}
	add := func(agencies []AgencyRef, kind, code string, put func(pu *PlannedUnit)) {
		by := "blocker.by_task"
		if kind == "indicator" {
			by = "blocker.by_indicator"
		}
		for _, a := range agencies {
			us, bs := o.Responsible(a.Code, p.Start)
			for _, b := range bs {
				note(b, kind, code)
				m := M(by, b.Message(), code)
				if s := m.String(); !blocked[s] {
					blocked[s] = true
					plan.Blockers = append(plan.Blockers, m)
				}
			}
			for _, code := range us {
				if allowed != nil && !allowed[code] {
					continue
				}
				pu, ok := byUnit[code]
				if !ok {
					pu = &PlannedUnit{Code: code, Name: o.Units[code].Name, Indicators: []string{}, Tasks: []string{}}
					byUnit[code] = pu
				}
				put(pu)
			}
		}
	}
	for _, ind := range indicators {
		if ind.TargetText == "" && ind.Unit == "" {
			continue // a group row: its sub-indicators are reported
		}
		key := ind.Key
		add(ind.Agencies, "indicator", ind.Code, func(pu *PlannedUnit) {
			if len(pu.Indicators) == 0 || pu.Indicators[len(pu.Indicators)-1] != key {
				pu.Indicators = append(pu.Indicators, key)
			}
		})
	}
	for _, t := range tasks {
		key := t.Key
		add(t.Lead, "task", t.Number, func(pu *PlannedUnit) {
			if len(pu.Tasks) == 0 || pu.Tasks[len(pu.Tasks)-1] != key {
				pu.Tasks = append(pu.Tasks, key)
			}
		})
	}
	for _, pu := range byUnit {
		plan.Units = append(plan.Units, *pu)
	}
	sort.Slice(plan.Units, func(i, j int) bool { return plan.Units[i].Code < plan.Units[j].Code })
	return plan
}
