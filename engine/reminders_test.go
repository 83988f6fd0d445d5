package engine_test

import (
	"testing"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/engine"
	"github.com/tinhso/tinhso/locale"
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
	// What a reminder says is a key and arguments, rendered when it is shown; the
	// Vietnamese text stored until then says the same as the catalogue.
	for _, c := range []struct {
		day, key, vi, en string
	}{
		{"2026-03-25", "reminder.overdue", "Báo cáo kỳ Q1/2026 đã quá hạn (hạn nộp 24/03/2026); đơn vị chưa nộp.",
			"The report for period Q1/2026 is overdue (it was due on 24/03/2026); the unit has not submitted it."},
		{"2026-03-22", "reminder.before", "Báo cáo kỳ Q1/2026 hết hạn nộp ngày 24/03/2026; đơn vị chưa nộp.",
			"The report for period Q1/2026 is due on 24/03/2026; the unit has not submitted it."},
	} {
		n := engine.Reminders(c.day, periods, subs, 3)[0]
		if n.MessageKey != c.key || len(n.MessageArgs) != 2 || n.MessageArgs[0] != "Q1/2026" || n.MessageArgs[1] != tinhso.Date("2026-03-24") {
			t.Errorf("%s: %s %v", c.day, n.MessageKey, n.MessageArgs)
		}
		if got := locale.For(locale.VI).Message(n.Text()); got != c.vi || n.Message != "" {
			t.Errorf("%s: in Vietnamese %q, text %q; want %q and no text (a key)", c.day, got, n.Message, c.vi)
		}
		if got := locale.For(locale.EN).Message(n.Text()); got != c.en {
			t.Errorf("%s: in English %q; want %q", c.day, got, c.en)
		}
	}
}
