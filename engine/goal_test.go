package engine_test

import (
	"testing"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/engine"
)

// TestMeets covers every comparator target.go parses, read from the written forms.
func TestMeets(t *testing.T) {
	t.Parallel()
	type check struct {
		v    float64
		meet bool
	}
	for _, c := range []struct {
		target, unit string
		rule         string
		checks       []check
	}{
		// ≥ and > as written.
		{"≥ 85", "%", "ge", []check{{84.9, false}, {85, true}, {85.0000000001, true}, {84.99999999999, true}, {100, true}}},
		{"tối thiểu 10.000", "doanh nghiệp", "ge", []check{{9999, false}, {10000, true}}},
		{"> 55", "%", "gt", []check{{55, false}, {55.01, true}, {55.00000000001, false}}},
		{"đạt trên 0,80", "", "gt", []check{{0.8, false}, {0.81, true}}},
		// ≤ and < the other way.
		{"không quá 5%", "%", "le", []check{{5, true}, {4, true}, {5.1, false}}},
		{"< 2", "%", "lt", []check{{2, false}, {1.99, true}}},
		// "=" is met when reached: 100% by 100%, and more reaches it too.
		{"100", "%", "eq_reached", []check{{99.9, false}, {100, true}, {99.99999999999, true}}},
		{"70", "doanh nghiệp", "eq_reached", []check{{69, false}, {70, true}, {75, true}}},
		// A range is met inside it.
		{"8-10", "%", "range", []check{{7.99, false}, {8, true}, {9, true}, {10, true}, {10.01, false}}},
		{"15 - 20%/năm", "%/năm", "range", []check{{14, false}, {15, true}, {20, true}, {21, false}}},
		// Ranks: lower is better.
		{"≤ 10 các tỉnh, thành trên cả nước", "Thứ bậc", "rank", []check{{10, true}, {1, true}, {11, false}}},
		{"đạt top 10 cả nước", "thứ bậc", "rank", []check{{6, true}, {16, false}}},
		{"10", "Thứ bậc", "rank", []check{{10, true}, {9, true}, {12, false}}},
		{"≤ n10", "Thứ bậc", "rank", []check{{8, true}, {16, false}}}, // the seed's slip, read as ≤ 10
		{"< 20", "Thứ bậc", "rank_lt", []check{{20, false}, {19, true}}},
		{"8-10", "Thứ bậc", "rank_range", []check{{5, true}, {10, true}, {11, false}}},
	} {
		tg := tinhso.ParseTarget(c.target, c.unit)
		g, ok := engine.GoalOf(tg, nil)
		if !ok {
			t.Errorf("%q: no goal from %+v", c.target, tg)
			continue
		}
		if g.Rule != c.rule {
			t.Errorf("%q: rule %s, want %s", c.target, g.Rule, c.rule)
		}
		for _, k := range c.checks {
			if got := engine.Meets(g, k.v); got != k.meet {
				t.Errorf("%q: Meets(%v) = %v, want %v", c.target, k.v, got, k.meet)
			}
		}
	}
}

func TestGoalOfReferenceAndOthers(t *testing.T) {
	t.Parallel()
	ref := tinhso.ParseTarget("Không thấp hơn mức dự toán Thủ tướng Chính phủ giao", "triệu đồng")
	if _, ok := engine.GoalOf(ref, nil); ok {
		t.Error("a reference target without its value has a goal")
	}
	v := 16303827.0
	g, ok := engine.GoalOf(ref, &v)
	if !ok || g.Rule != "reference_ge" || !engine.Meets(g, 16303827) || engine.Meets(g, 16303826) {
		t.Errorf("reference goal %+v", g)
	}
	above := tinhso.ParseTarget("Cao hơn mức bình quân cả nước", "")
	if g, _ := engine.GoalOf(above, &v); g.Rule != "reference_gt" || engine.Meets(g, v) {
		t.Errorf("reference gt %+v", g)
	}
	for _, text := range []string{"Đạt mức tiên tiến của Việt Nam", "", "≥ 1.5"} {
		if g, ok := engine.GoalOf(tinhso.ParseTarget(text, "%"), &v); ok {
			t.Errorf("%q: goal %+v", text, g)
		}
	}
}

func TestMeetsAllAndProgress(t *testing.T) {
	t.Parallel()
	rng, _ := engine.GoalOf(tinhso.ParseTarget("16-18", "%/năm"), nil)
	for _, c := range []struct {
		lo, hi float64
		want   bool
	}{{16, 18, true}, {16.5, 17.5, true}, {15.9, 17, false}, {17, 18.1, false}, {15, 19, false}} {
		if got := engine.MeetsAll(rng, c.lo, c.hi); got != c.want {
			t.Errorf("MeetsAll(16-18, %v, %v) = %v", c.lo, c.hi, got)
		}
	}
	for _, c := range []struct {
		target, unit string
		v, want      float64
		ok           bool
	}{
		{"≥ 80", "%", 60, 0.75, true},
		{"đạt 0,8", "", 0.79, 0.9875, true},
		{"≤ 10", "Thứ bậc", 16, 0.625, true}, // 10th place sought, 16th held
		{"≤ 10", "Thứ bậc", 0, 0, false},
		{"≥ 0", "%", 5, 0, false}, // a share of 0 means nothing
		{"16-18", "%/năm", 8, 0.5, true},
	} {
		g, _ := engine.GoalOf(tinhso.ParseTarget(c.target, c.unit), nil)
		got, ok := engine.Progress(g, c.v)
		if ok != c.ok || ok && !(got > c.want-1e-12 && got < c.want+1e-12) {
			t.Errorf("Progress(%q, %v) = %v, %v; want %v, %v", c.target, c.v, got, ok, c.want, c.ok)
		}
	}
}

func TestIsYearlyTarget(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		target, unit string
		want         bool
	}{
		{"15 - 20%/năm", "%/năm", true},
		{"16-18", "%/năm", true},
		{"45", "công trình/năm", true},
		{"từ 350", "bài báo/năm", true},
		{"từ 350", "bài báo / Năm", true},
		{"10", "năm", false},
		{"≥ 85", "%", false},
		{"đạt 13 người/01 vạn dân", "người/01 vạn dân", false},
	} {
		if got := engine.IsYearlyTarget(tinhso.ParseTarget(c.target, c.unit), c.unit); got != c.want {
			t.Errorf("IsYearlyTarget(%q, %q) = %v", c.target, c.unit, got)
		}
	}
}
