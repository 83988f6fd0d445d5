package engine

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/tinhso/tinhso"
)

// Assessment scoring: a framework version's tree and each subject's criterion values
// make points per criterion, index, pillar and overall, shares 0–1, and ranks within
// each kind of subject. Pure: the values of data-fed criteria are read by TaskShare and
// IndicatorValue from facts the caller passes.

// Framework is a framework version checked and laid out for scoring many subjects.
type Framework struct {
	Version *tinhso.FrameworkVersion
	nodes   []cnode
	// leaves are the criteria's node indexes; pillars the top level's.
	leaves, pillars []int
}

type cnode struct {
	node   *tinhso.FrameworkNode
	parent int // -1 for a pillar
	leaf   bool
}

// CompileFramework checks a version (points that do not add up are refused, naming the
// node) and lays it out for scoring.
func CompileFramework(v *tinhso.FrameworkVersion) (*Framework, error) {
	if err := v.Validate(); err != nil {
		return nil, err
	}
	f := &Framework{Version: v, nodes: make([]cnode, len(v.Nodes))}
	at := make(map[string]int, len(v.Nodes))
	hasKids := make([]bool, len(v.Nodes))
	for i := range v.Nodes {
		n := &v.Nodes[i]
		at[n.Code] = i
		p := -1
		if pc := n.Parent(); pc != "" {
			p = at[pc] // Validate saw the parent before the child
			hasKids[p] = true
		} else {
			f.pillars = append(f.pillars, i)
		}
		f.nodes[i] = cnode{node: n, parent: p}
	}
	for i := range f.nodes {
		if !hasKids[i] {
			f.nodes[i].leaf = true
			f.leaves = append(f.leaves, i)
		}
	}
	return f, nil
}

// Criteria counts the framework's criteria.
func (f *Framework) Criteria() int { return len(f.leaves) }

// SubjectValues are one subject's criterion values, by criterion code.
type SubjectValues struct {
	Subject *tinhso.Subject
	Values  map[string]tinhso.CriterionValue
}

// Missing reasons of a criterion.
var (
	missingNoValue    = tinhso.M("assessment.missing.no_value")
	missingNoEvidence = tinhso.M("assessment.missing.no_evidence")
	missingDirectives = tinhso.M("assessment.missing.directives")
)

// ScoreCriterion scores one criterion's value under its rule: the points out of the
// node's maximum, or a reason it is missing (and then scored zero).
func ScoreCriterion(n *tinhso.FrameworkNode, v tinhso.CriterionValue) (float64, *tinhso.Message) {
	r := n.Rule
	if r.Kind == tinhso.RuleDirectiveShare && v.Number == nil {
		m := missingDirectives
		if v.Missing != nil {
			m = *v.Missing
		}
		return 0, &m
	}
	if v.Number == nil {
		m := missingNoValue
		if v.Missing != nil {
			m = *v.Missing
		}
		return 0, &m
	}
	x := *v.Number
	var share float64
	switch r.Kind {
	case tinhso.RuleThresholds:
		share = stepShare(r, x)
	case tinhso.RuleLinear:
		share = linearShare(*r.Low, *r.High, x)
	case tinhso.RuleYesNo:
		if x == 1 {
			share = 1
		}
	case tinhso.RuleIndicator:
		if r.Low != nil {
			share = linearShare(*r.Low, *r.High, x)
		} else {
			share = stepShare(r, x)
		}
	case tinhso.RuleTaskShare, tinhso.RuleDirectiveShare:
		// A percentage: 0–100 unless the rule bounds it otherwise.
		lo, hi := 0.0, 100.0
		if r.Low != nil {
			lo, hi = *r.Low, *r.High
		}
		share = linearShare(lo, hi, x)
	case tinhso.RuleManual:
		if v.Evidence < 1 {
			m := missingNoEvidence
			return 0, &m
		}
		return math.Max(0, math.Min(x, n.MaxPoints)), nil
	}
	return share * n.MaxPoints, nil
}

// linearShare is x's place on the line from lo (0) to hi (1), clamped; lo above hi
// means lower is better.
func linearShare(lo, hi, x float64) float64 {
	t := (x - lo) / (hi - lo)
	return math.Max(0, math.Min(1, t))
}

// stepShare is the share of the highest-paying step x reaches.
func stepShare(r *tinhso.Rule, x float64) float64 {
	var share float64
	for _, s := range r.Steps {
		if (!r.Lower && x >= s.From || r.Lower && x <= s.From) && s.Share > share {
			share = s.Share
		}
	}
	return share
}

// Score scores one subject. With detail, Nodes holds every node's score in the tree's
// order; Pillars are always there.
func (f *Framework) Score(sv SubjectValues, detail bool) tinhso.Score {
	return f.score(sv, make([]tinhso.NodeScore, len(f.nodes)), detail)
}

func (f *Framework) score(sv SubjectValues, nodes []tinhso.NodeScore, detail bool) tinhso.Score {
	s := sv.Subject
	out := tinhso.Score{Subject: s.ID, Ref: s.Ref(), Kind: s.Kind, Name: s.Name, OrgUnit: s.OrgUnit, Max: f.Version.Total,
		Pillars: make([]tinhso.NodeScore, 0, len(f.pillars))}
	for i := range f.nodes {
		nodes[i] = tinhso.NodeScore{Code: f.nodes[i].node.Code, Max: f.nodes[i].node.MaxPoints}
	}
	for _, i := range f.leaves {
		n := f.nodes[i].node
		v := sv.Values[n.Code]
		pts, reason := ScoreCriterion(n, v)
		ns := &nodes[i]
		ns.Points, ns.Value, ns.Source, ns.From = pts, v.Number, v.Source, v.From
		if reason != nil {
			ns.Missing, ns.Reason = 1, reason
		}
	}
	// Children come after their parents: adding up from the end reaches every parent
	// after all its children.
	for i := len(f.nodes) - 1; i >= 0; i-- {
		if p := f.nodes[i].parent; p >= 0 {
			nodes[p].Points += nodes[i].Points
			nodes[p].Missing += nodes[i].Missing
		}
	}
	for i := range nodes {
		nodes[i].Share = share(nodes[i].Points, nodes[i].Max)
	}
	for _, i := range f.pillars {
		out.Points += nodes[i].Points
		out.Missing += nodes[i].Missing
		p := nodes[i]
		p.Value, p.Source = nil, ""
		out.Pillars = append(out.Pillars, p)
	}
	out.Index = share(out.Points, out.Max)
	if detail {
		out.Nodes = nodes
	}
	return out
}

func share(points, max float64) float64 {
	if max <= 0 {
		return 0
	}
	return points / max
}

// ScoreRound scores every subject and ranks them within each kind.
func ScoreRound(f *Framework, subjects []SubjectValues, detail bool) []tinhso.Score {
	out := make([]tinhso.Score, len(subjects))
	// One array for every subject's nodes: one allocation instead of one per subject.
	all := make([]tinhso.NodeScore, len(subjects)*len(f.nodes))
	for i, sv := range subjects {
		out[i] = f.score(sv, all[i*len(f.nodes):(i+1)*len(f.nodes):(i+1)*len(f.nodes)], detail)
	}
	Rank(out)
	return out
}

// TiesNote says how Rank ranks ties, for the pages and exports.
var TiesNote = tinhso.M("assessment.ties")

// rankKey is points rounded so that sums of the same points in another order tie.
func rankKey(p float64) int64 { return int64(math.Round(p * 1e6)) }

// Rank orders scores by kind (in SubjectKinds' order), then best first, and ranks each
// kind on its own (competition ranking: equal points share a rank, Tied is set on each,
// and the next rank skips: 1, 2, 2, 4). Tied subjects are listed by name.
func Rank(scores []tinhso.Score) {
	kindOrder := func(k string) int { return slices.Index(tinhso.SubjectKinds, k) }
	slices.SortStableFunc(scores, func(a, b tinhso.Score) int {
		return cmp.Or(cmp.Compare(kindOrder(a.Kind), kindOrder(b.Kind)), cmp.Compare(rankKey(b.Points), rankKey(a.Points)),
			strings.Compare(a.Name, b.Name), strings.Compare(a.Ref, b.Ref))
	})
	start := 0
	for i := range scores {
		scores[i].Tied = false
		if i == 0 || scores[i].Kind != scores[i-1].Kind {
			start = i
			scores[i].Rank = 1
			continue
		}
		if rankKey(scores[i].Points) == rankKey(scores[i-1].Points) {
			scores[i].Rank = scores[i-1].Rank
			scores[i].Tied, scores[i-1].Tied = true, true
			continue
		}
		scores[i].Rank = i + 1 - start
	}
}

// Compare sets each score's change against the previous round's score of the same
// subject (by Ref): Previous, Change and PreviousRank; subjects new to the round get
// none.
func Compare(cur, prev []tinhso.Score) {
	byRef := make(map[string]*tinhso.Score, len(prev))
	for i := range prev {
		byRef[prev[i].Ref] = &prev[i]
	}
	for i := range cur {
		p, ok := byRef[cur[i].Ref]
		if !ok {
			continue
		}
		pi, ch := p.Index, cur[i].Index-p.Index
		cur[i].Previous, cur[i].Change, cur[i].PreviousRank = &pi, &ch, p.Rank
	}
}

// WhatIf is a change to try: values of criteria by subject Ref and criterion code (nil
// removes the value), and new maximum points of nodes by code. A node's new points
// scale its subtree in proportion and its ancestors take the difference, so the tree
// still adds up (the total changes with it).
type WhatIf struct {
	Values map[string]map[string]*float64 `json:"values,omitempty"`
	Points map[string]float64             `json:"points,omitempty"`
}

// TryWhatIf scores a round again with the changes, without changing the inputs: the
// framework version and the values are copied.
func TryWhatIf(v *tinhso.FrameworkVersion, subjects []SubjectValues, w WhatIf) ([]tinhso.Score, error) {
	nv := *v
	nv.Nodes = slices.Clone(v.Nodes)
	for code, pts := range w.Points {
		if err := repoint(&nv, code, pts); err != nil {
			return nil, err
		}
	}
	f, err := CompileFramework(&nv)
	if err != nil {
		return nil, err
	}
	changed := make([]SubjectValues, len(subjects))
	for i, sv := range subjects {
		changed[i] = sv
		vals, ok := w.Values[sv.Subject.Ref()]
		if !ok {
			continue
		}
		m := make(map[string]tinhso.CriterionValue, len(sv.Values)+len(vals))
		for k, x := range sv.Values {
			m[k] = x
		}
		for code, x := range vals {
			n := nv.Node(code)
			if n == nil || n.Rule == nil {
				return nil, tinhso.Invalid("values", "assessment.err.whatif_node", code)
			}
			cv := m[code]
			cv.Number, cv.Source = x, "what-if"
			if n.Rule.Kind == tinhso.RuleManual && cv.Evidence == 0 {
				cv.Evidence = 1 // a what-if of a manual score supposes its evidence
			}
			m[code] = cv
		}
		changed[i].Values = m
	}
	return ScoreRound(f, changed, true), nil
}

// repoint gives node code new maximum points: its subtree scales in proportion, its
// ancestors and the total take the difference.
func repoint(v *tinhso.FrameworkVersion, code string, pts float64) error {
	n := v.Node(code)
	if n == nil {
		return tinhso.Invalid("points", "assessment.err.whatif_node", code)
	}
	if !(pts >= 0) || pts > 1e6 {
		return tinhso.Invalid("points", "assessment.err.node_points", code, tinhso.Number(pts))
	}
	old := n.MaxPoints
	if old == 0 && pts != 0 && !isLeaf(v, code) {
		return tinhso.Invalid("points", "assessment.err.whatif_zero", code)
	}
	diff := pts - old
	for i := range v.Nodes {
		c := &v.Nodes[i]
		switch {
		case c.Code == code:
			c.MaxPoints = pts
		case strings.HasPrefix(c.Code, code+"."):
			c.MaxPoints = c.MaxPoints * pts / old
		case strings.HasPrefix(code, c.Code+"."):
			c.MaxPoints += diff
		}
	}
	v.Total += diff
	return nil
}

func isLeaf(v *tinhso.FrameworkVersion, code string) bool {
	for i := range v.Nodes {
		if strings.HasPrefix(v.Nodes[i].Code, code+".") {
			return false
		}
	}
	return true
}

// TaskShare is the value of a task-share criterion for a unit: the percentage of the
// tasks it leads that were done on time, among those done (on time or late) or overdue
// on the statuses' day; tasks neither done nor due yet do not count. No such task:
// missing.
func TaskShare(tasks []*tinhso.Task, statuses map[string]tinhso.TaskStatus, unit string) tinhso.CriterionValue {
	var onTime, counted int
	for _, t := range tasks {
		if !leads(t, unit) {
			continue
		}
		switch statuses[t.Key].Class {
		case tinhso.TaskDone:
			onTime++
			counted++
		case tinhso.TaskDoneLate, tinhso.TaskOverdue:
			counted++
		}
	}
	if counted == 0 {
		m := tinhso.M("assessment.missing.no_tasks", unit)
		return tinhso.CriterionValue{Source: tinhso.SourceTasks, Missing: &m}
	}
	pct := 100 * float64(onTime) / float64(counted)
	from := tinhso.M("assessment.from.tasks", onTime, counted)
	return tinhso.CriterionValue{Number: &pct, Source: tinhso.SourceTasks, From: &from}
}

func leads(t *tinhso.Task, unit string) bool {
	for _, l := range t.Lead {
		if l.Code == unit {
			return true
		}
	}
	return false
}

// IndicatorValue is the value of an indicator criterion: the latest numeric figure of
// the indicator dated within [start, end] (the round's period). figs are the unit's
// figures of the indicator, by date. None: missing.
func IndicatorValue(indicator string, figs []tinhso.IndicatorFigure, start, end string) tinhso.CriterionValue {
	for i := len(figs) - 1; i >= 0; i-- {
		f := figs[i]
		if f.Value == nil || f.Date < start || f.Date > end {
			continue
		}
		x := *f.Value
		from := tinhso.M("assessment.from.indicator", indicator, tinhso.Date(f.Date), tinhso.M("mon.src."+f.Source))
		return tinhso.CriterionValue{Number: &x, Source: tinhso.SourceIndicator, From: &from}
	}
	m := tinhso.M("assessment.missing.no_figure", indicator, tinhso.Date(start), tinhso.Date(end))
	return tinhso.CriterionValue{Source: tinhso.SourceIndicator, Missing: &m}
}

// AssessmentReminders lists the reminders due on day (yyyy-mm-dd) to the units whose
// self-assessment in an open round is not submitted (draft or returned): one from
// daysBefore days before the round's deadline, one once it has passed. A person's
// reminder goes to the person's unit, which fills it in; businesses have no unit to
// notify and get none. Keys make each reminder unique, so a second run sends nothing.
// rounds must carry their subjects.
func AssessmentReminders(day string, rounds []*tinhso.Round, daysBefore int) []tinhso.Notification {
	var out []tinhso.Notification
	for _, r := range rounds {
		if r.Status != tinhso.RoundOpen {
			continue
		}
		due, err := time.Parse(time.DateOnly, r.Deadline)
		if err != nil {
			continue
		}
		from := due.AddDate(0, 0, -daysBefore).Format(time.DateOnly)
		var kind, key string
		switch {
		case day > r.Deadline:
			kind, key = ReminderOverdue, "assessment.reminder.overdue"
		case day >= from:
			kind, key = ReminderBefore, "assessment.reminder.before"
		default:
			continue
		}
		for _, s := range r.Subjects {
			if s.OrgUnit == "" || s.Kind == tinhso.SubjectBusiness || s.Status != tinhso.SelfDraft && s.Status != tinhso.SelfReturned {
				continue
			}
			out = append(out, tinhso.Notification{Key: fmt.Sprintf("assessment_%s:%d:%d", kind, r.ID, s.ID), OrgUnit: s.OrgUnit, Kind: kind,
				Link: fmt.Sprintf("/assessment/subjects/%d", s.ID), MessageKey: key, MessageArgs: tinhso.Args{r.Name, s.Name, tinhso.Date(r.Deadline)}})
		}
	}
	return out
}
