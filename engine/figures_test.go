package engine_test

import (
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/engine"
)

func ptr[T any](v T) *T { return &v }

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	at, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return at
}

func TestAggregate(t *testing.T) {
	t.Parallel()
	vals := []float64{60, 80, 70}
	for _, c := range []struct {
		method  string
		values  []float64
		weights []float64
		want    float64
		ok      bool
	}{
		{"sum", vals, nil, 210, true},
		{"mean", vals, nil, 70, true},
		{"", vals, nil, 70, true},
		{"latest", vals, nil, 70, true},
		{"min", vals, nil, 60, true},
		{"max", vals, nil, 80, true},
		// 60 % of 1,000 households and 80 % of 3,000: 75 % of the 4,000.
		{"weighted_mean", []float64{60, 80}, []float64{1000, 3000}, 75, true},
		{"weighted_mean", []float64{60, 80}, []float64{0, 3000}, 80, true}, // no weight: left out
		{"weighted_mean", []float64{60}, []float64{0}, 0, false},
		{"median", vals, nil, 0, false},
		{"sum", nil, nil, 0, false},
	} {
		got, ok := engine.Aggregate(c.method, c.values, c.weights)
		if ok != c.ok || math.Abs(got-c.want) > 1e-9 {
			t.Errorf("%s %v %v: %v %v, want %v %v", c.method, c.values, c.weights, got, ok, c.want, c.ok)
		}
	}
}

func TestFigures(t *testing.T) {
	t.Parallel()
	inds := map[string]*tinhso.Indicator{
		"kh/1": {Key: "kh/1", Code: "1", Name: "Tỷ lệ hộ có tài khoản", Unit: "%", Aggregation: "weighted_mean"},
		"kh/2": {Key: "kh/2", Code: "2", Name: "Số doanh nghiệp số", Unit: "doanh nghiệp", Aggregation: "sum"},
		"kh/3": {Key: "kh/3", Code: "3", Name: "Chỉ số", Unit: "điểm"},
	}
	values := []tinhso.ApprovedValue{
		{Submission: 7, Indicator: "kh/1", Number: 60, Weight: ptr(1000.0)},
		{Submission: 7, Indicator: "kh/2", Number: 12},
		{Submission: 9, Indicator: "kh/1", Number: 80, Weight: ptr(3000.0)},
		{Submission: 9, Indicator: "kh/2", Number: 30},
		{Submission: 9, Indicator: "kh/3", Number: 4},
		{Submission: 11, Indicator: "kh/1", Number: 10}, // approved before weights were asked for
	}
	got := engine.Figures([]string{"kh/1", "kh/2", "kh/3", "kh/4"}, inds, values)
	want := []tinhso.Figure{
		{Indicator: "kh/1", Code: "1", Name: "Tỷ lệ hộ có tài khoản", Unit: "%", Aggregation: "weighted_mean", Value: 75, Count: 2, Submissions: []int64{7, 9}},
		{Indicator: "kh/2", Code: "2", Name: "Số doanh nghiệp số", Unit: "doanh nghiệp", Aggregation: "sum", Value: 42, Count: 2, Submissions: []int64{7, 9}},
		{Indicator: "kh/3", Code: "3", Name: "Chỉ số", Unit: "điểm", Aggregation: "mean", Value: 4, Count: 1, Submissions: []int64{9}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("figures:\n%+v\nwant\n%+v", got, want)
	}
}
