package engine_test

import (
	"testing"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/engine"
)

func TestReminders(t *testing.T) {
	periods := []*tinhso.Period{{ID: 1, Label: "Q1/2026", Due: "2026-03-24", Status: "open"}, {ID: 2, Label: "Q4/2025", Due: "2025-12-24", Status: "closed"}}
	subs := []*tinhso.Submission{
		{ID: 10, Period: 1, OrgUnit: "so-a", Status: tinhso.StatusDraft},
		{ID: 11, Period: 1, OrgUnit: "so-b", Status: tinhso.StatusSubmitted},
		{ID: 12, Period: 1, OrgUnit: "so-c", Status: tinhso.StatusReturned},
		{ID: 13, Period: 1, OrgUnit: "so-d", Status: tinhso.StatusApproved},
		{ID: 14, Period: 2, OrgUnit: "so-a", Status: tinhso.StatusDraft}, // closed period
	}
	for _, c := range []struct {
		day  string
		want []string
	}{
		{"2026-03-20", nil},
		{"2026-03-21", []string{"reminder_before:1:so-a", "reminder_before:1:so-c"}},
		{"2026-03-24", []string{"reminder_before:1:so-a", "reminder_before:1:so-c"}},
		{"2026-03-25", []string{"reminder_overdue:1:so-a", "reminder_overdue:1:so-c"}},
	} {
		got := engine.Reminders(c.day, periods, subs, 3)
		var keys []string
		for _, n := range got {
			keys = append(keys, n.Key)
		}
		if len(keys) != len(c.want) {
			t.Errorf("%s: %v, want %v", c.day, keys, c.want)
			continue
		}
		for i := range keys {
			if keys[i] != c.want[i] {
				t.Errorf("%s: %v, want %v", c.day, keys, c.want)
			}
		}
	}
	if n := engine.Reminders("2026-03-25", periods, subs, 3)[0]; n.Message != "Báo cáo kỳ Q1/2026 đã quá hạn (hạn nộp 24/03/2026); đơn vị chưa nộp." {
		t.Errorf("message: %q", n.Message)
	}
}
