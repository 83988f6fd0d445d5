package engine_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/engine"
)

func TestCheckItems(t *testing.T) {
	t.Parallel()
	pct := &tinhso.Indicator{Key: "kh/8.3", Code: "8.3", Unit: "%", Target: tinhso.ParseTarget("≥ 80", "%")}
	hh := &tinhso.Indicator{Key: "kh/9", Code: "9", Unit: "%", Aggregation: "weighted_mean", Target: tinhso.ParseTarget("≥ 50", "%")}
	inds := map[string]*tinhso.Indicator{pct.Key: pct, hh.Key: hh}
	s := &tinhso.Submission{ID: 3, Indicators: []string{"kh/8.3", "kh/9"}, Tasks: []string{"kh/t1", "kh/t2"},
		Evidence: []tinhso.Evidence{{Hash: "abc123"}}}
	num := func(f float64) *float64 { return &f }
	percent := func(n int) *int { return &n }
	for _, c := range []struct {
		name     string
		values   []tinhso.IndicatorValue
		progress []tinhso.TaskProgress
		field    string // "" : accepted
	}{
		{"fine", []tinhso.IndicatorValue{{Indicator: "kh/8.3", Number: num(60)}, {Indicator: "kh/9", Number: num(40), Weight: num(1200)}},
			[]tinhso.TaskProgress{{Task: "kh/t1", Percent: percent(40)}, {Task: "kh/t2", Done: true, DeliverableFile: "abc123"}}, ""},
		{"an indicator not expected", []tinhso.IndicatorValue{{Indicator: "kh/14", Number: num(1)}}, nil, "values[0].indicator"},
		{"an indicator twice", []tinhso.IndicatorValue{{Indicator: "kh/8.3", Number: num(1)}, {Indicator: "kh/8.3", Number: num(2)}}, nil, "values[1].indicator"},
		{"a percentage over 100", []tinhso.IndicatorValue{{Indicator: "kh/8.3", Number: num(101)}}, nil, "values[0].number"},
		{"the wrong unit", []tinhso.IndicatorValue{{Indicator: "kh/8.3", Number: num(50), Unit: "người"}}, nil, "values[0].unit"},
		{"a weight of zero", []tinhso.IndicatorValue{{Indicator: "kh/9", Number: num(40), Weight: num(0)}}, nil, "values[0].weight"},
		{"a weight that is not finite", []tinhso.IndicatorValue{{Indicator: "kh/9", Number: num(40), Weight: num(math.Inf(1))}}, nil, "values[0].weight"},
		{"a weight for a mean", []tinhso.IndicatorValue{{Indicator: "kh/8.3", Number: num(40), Weight: num(10)}}, nil, "values[0].weight"},
		{"a task not expected", nil, []tinhso.TaskProgress{{Task: "kh/t9"}}, "progress[0].task"},
		{"a task twice", nil, []tinhso.TaskProgress{{Task: "kh/t1"}, {Task: "kh/t1"}}, "progress[1].task"},
		{"a percent over 100", nil, []tinhso.TaskProgress{{Task: "kh/t1", Percent: percent(101)}}, "progress[0].percent"},
		// A draft may be incomplete: CheckComplete holds it back on submitting.
		{"done without deliverable, in a draft", nil, []tinhso.TaskProgress{{Task: "kh/t1", Done: true}}, ""},
		{"a note without its number, in a draft", []tinhso.IndicatorValue{{Indicator: "kh/8.3", Note: "số liệu đang tổng hợp"}}, nil, ""},
		{"a weighted mean's number before its weight, in a draft", []tinhso.IndicatorValue{{Indicator: "kh/9", Number: num(40)}}, nil, ""},
		{"a NUL in a value's note alone", []tinhso.IndicatorValue{{Indicator: "kh/8.3", Note: "a\x00b"}}, nil, "values[0].note"},
		{"a file not attached", nil, []tinhso.TaskProgress{{Task: "kh/t1", DeliverableFile: "fff"}}, "progress[0].deliverable_file"},
		{"a link that is not http", nil, []tinhso.TaskProgress{{Task: "kh/t1", DeliverableLink: "javascript:alert(1)"}}, "progress[0].deliverable_link"},
		{"a NUL in the note", nil, []tinhso.TaskProgress{{Task: "kh/t1", Note: "a\x00b"}}, "progress[0].note"},
	} {
		err := engine.CheckItems(s, c.values, c.progress, inds)
		var field string
		if e, ok := err.(*tinhso.Error); ok {
			field = e.Field
		} else if err != nil {
			field = err.Error()
		}
		if field != c.field || (err != nil && tinhso.ErrorCode(err) != tinhso.EINVALID) {
			t.Errorf("%s: %v, want field %q", c.name, err, c.field)
		}
	}
}

// What a draft may lack, submitting may not: each incomplete item named, in the
// unit's words (the indicator's code and name, the task's number).
func TestCheckComplete(t *testing.T) {
	t.Parallel()
	pct := &tinhso.Indicator{Key: "kh/8.3", Code: "8.3", Name: "Tỷ lệ hồ sơ trực tuyến", Unit: "%", Target: tinhso.ParseTarget("≥ 80", "%")}
	hh := &tinhso.Indicator{Key: "kh/9", Code: "9", Unit: "%", Aggregation: "weighted_mean", Target: tinhso.ParseTarget("≥ 50", "%")}
	inds := map[string]*tinhso.Indicator{pct.Key: pct, hh.Key: hh}
	num := func(f float64) *float64 { return &f }
	for _, c := range []struct {
		name     string
		values   []tinhso.IndicatorValue
		progress []tinhso.TaskProgress
		field    string
		key      string
		args     []any
	}{
		{"complete", []tinhso.IndicatorValue{{Indicator: "kh/8.3", Number: num(60), Note: "ước tính"}}, []tinhso.TaskProgress{{Task: "kh/t3.6", Done: true, DeliverableLink: "https://x.vn/a"}}, "", "", nil},
		{"nothing yet", nil, nil, "", "", nil},
		{"a note without its number", []tinhso.IndicatorValue{{Indicator: "kh/8.3", Note: "đang tổng hợp"}}, nil, "values[0].number", "err.submit.value_missing", []any{"8.3", "Tỷ lệ hồ sơ trực tuyến"}},
		{"done without deliverable", nil, []tinhso.TaskProgress{{Task: "kh/t1"}, {Task: "kh/t3.6", Done: true}}, "progress[1].done", "err.submit.deliverable", []any{"3.6"}},
		{"a weighted mean without its weight", []tinhso.IndicatorValue{{Indicator: "kh/9", Number: num(40)}}, nil, "values[0].weight", "err.items.weight_missing", []any{"9"}},
	} {
		s := &tinhso.Submission{ID: 3, Indicators: []string{"kh/8.3", "kh/9"}, Values: c.values, Progress: c.progress}
		err := engine.CheckComplete(s, inds)
		if c.field == "" {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
			continue
		}
		e, ok := err.(*tinhso.Error)
		if !ok || e.Field != c.field || e.Key != c.key || tinhso.ErrorCode(err) != tinhso.EINVALID || fmt.Sprint(e.Args) != fmt.Sprint(c.args) {
			t.Errorf("%s: %#v, want %s %s %v", c.name, err, c.field, c.key, c.args)
		}
	}
}
