package engine

import (
	"math"
	"net/url"
	"strconv"
	"strings"

	"github.com/tinhso/tinhso"
)

// CheckItems checks the values and progress a unit saves in its draft: each value of
// an indicator the submission expects, once, valid for the indicator as far as it is
// given (inds, by key: the submission's indicators; a note without a number yet is
// kept) and with the weight a weighted mean needs; each progress of a task it expects,
// once, with a percentage from 0 to 100, a file attached to the submission, an http(s)
// link. A draft may be incomplete: CheckComplete says what a submission still lacks.
// The first problem is the error, naming its field ("values[2].number").
func CheckItems(s *tinhso.Submission, values []tinhso.IndicatorValue, progress []tinhso.TaskProgress, inds map[string]*tinhso.Indicator) error {
	expected := map[string]bool{}
	for _, k := range s.Indicators {
		expected[k] = true
	}
	seen := map[string]bool{}
	for i, v := range values {
		field := "values[" + strconv.Itoa(i) + "]"
		if !expected[v.Indicator] {
			return tinhso.Invalid(field+".indicator", "err.items.indicator_unexpected", field, v.Indicator)
		}
		if seen[v.Indicator] {
			return tinhso.Invalid(field+".indicator", "err.items.indicator_twice", field, v.Indicator)
		}
		seen[v.Indicator] = true
		ind, ok := inds[v.Indicator]
		if !ok {
			return tinhso.Errorf(tinhso.EINTERNAL, "err.items.indicator_unknown", v.Indicator, s.ID)
		}
		if err := tinhso.ValidateDraftValue(field, v, ind); err != nil {
			return err
		}
		if err := checkWeight(field, v, ind, false); err != nil {
			return err
		}
	}
	tasks := map[string]bool{}
	for _, k := range s.Tasks {
		tasks[k] = true
	}
	files := map[string]bool{}
	for _, e := range s.Evidence {
		files[e.Hash] = true
	}
	seen = map[string]bool{}
	for i, p := range progress {
		field := "progress[" + strconv.Itoa(i) + "]"
		switch {
		case !tasks[p.Task]:
			return tinhso.Invalid(field+".task", "err.items.task_unexpected", field, p.Task)
		case seen[p.Task]:
			return tinhso.Invalid(field+".task", "err.items.task_twice", field, p.Task)
		case p.Percent != nil && (*p.Percent < 0 || *p.Percent > 100):
			return tinhso.Invalid(field+".percent", "err.items.percent", field, *p.Percent)
		case p.DeliverableFile != "" && !files[p.DeliverableFile]:
			return tinhso.Invalid(field+".deliverable_file", "err.items.file", field, tinhso.Clip(p.DeliverableFile, 20))
		}
		if p.DeliverableLink != "" {
			u, err := url.Parse(p.DeliverableLink)
			if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(p.DeliverableLink) > 2000 {
				return tinhso.Invalid(field+".deliverable_link", "err.items.link", field)
			}
		}
		if len([]rune(p.Note)) > 5000 || strings.ContainsRune(p.Note, 0) {
			return tinhso.Invalid(field+".note", "err.items.note", field)
		}
		seen[p.Task] = true
	}
	return nil
}

// CheckComplete says what a saved submission still lacks before it can be submitted,
// naming the item: a value given without its number (or words, for a qualitative
// indicator), a task claimed done without its deliverable. inds holds the
// submission's indicators by key.
func CheckComplete(s *tinhso.Submission, inds map[string]*tinhso.Indicator) error {
	for i, v := range s.Values {
		field := "values[" + strconv.Itoa(i) + "]"
		ind, ok := inds[v.Indicator]
		if !ok {
			return tinhso.Errorf(tinhso.EINTERNAL, "err.items.indicator_unknown", v.Indicator, s.ID)
		}
		if v.Number == nil && v.Text == "" {
			return tinhso.Invalid(field+".number", "err.submit.value_missing", ind.Code, tinhso.Clip(ind.Name, 80))
		}
		if err := tinhso.ValidateValue(field, v, ind); err != nil {
			return err
		}
		if err := checkWeight(field, v, ind, true); err != nil {
			return err
		}
	}
	for i, p := range s.Progress {
		if p.Done && p.DeliverableLink == "" && p.DeliverableFile == "" {
			return tinhso.Invalid("progress["+strconv.Itoa(i)+"].done", "err.submit.deliverable", TaskNumber(p.Task))
		}
	}
	return nil
}

// TaskNumber is a task's number in its plan, from its key ("25-kh-ubnd/t3.6" → "3.6").
func TaskNumber(key string) string {
	if i := strings.LastIndex(key, "/t"); i >= 0 {
		return key[i+2:]
	}
	return key
}

// checkWeight checks a value's weight: a weighted_mean indicator's number needs one (a
// positive number), and no other value takes one. A draft (complete false) may hold
// the number or the weight before the other.
func checkWeight(field string, v tinhso.IndicatorValue, ind *tinhso.Indicator, complete bool) error {
	weighted := ind.Aggregation == "weighted_mean"
	switch {
	case v.Weight != nil && !weighted:
		return tinhso.Invalid(field+".weight", "err.items.weight_not_taken", ind.Code)
	case complete && v.Weight != nil && v.Number == nil:
		return tinhso.Invalid(field+".weight", "err.items.weight_without_number", ind.Code)
	case complete && weighted && v.Number != nil && v.Weight == nil:
		return tinhso.Invalid(field+".weight", "err.items.weight_missing", ind.Code)
	case v.Weight != nil && (math.IsNaN(*v.Weight) || math.IsInf(*v.Weight, 0) || *v.Weight <= 0 || *v.Weight > 1e15):
		return tinhso.Invalid(field+".weight", "err.items.weight_positive", ind.Code)
	}
	return nil
}
