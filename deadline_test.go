package tinhso_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/seed"
)

func fmtTarget(kind, cmp string, value, upper any, unit, ref string, flags []string) string {
	return fmt.Sprintf("{kind %q cmp %q value %v upper %v unit %q ref %q flags %q}", kind, cmp, value, upper, unit, ref, flags)
}

type deadlineCase struct {
	text  string
	due   string
	recur *tinhso.Recurrence
	flags []string
}

const (
	ongoing = tinhso.RecurOngoing
	yearly  = tinhso.RecurYearly
)

// seedDeadlines holds every deadline_text of seed/data/tasks_*.json, each read by hand.
// TestSeedDeadlinesCovered fails when the seed gains one that is not here.
var seedDeadlines = []deadlineCase{
	{text: ""}, // no deadline written (the Strategy and the Scheme give none per task)
	{text: "2025 - 2026", due: "2026-12-31"},
	{text: "Năm 2025- 2026", due: "2026-12-31"},
	{text: "Năm 2025", due: "2025-12-31"},
	{text: "Năm 2026", due: "2026-12-31"},
	{text: "Năm 2030", due: "2030-12-31"},
	{text: "Tháng 4/2025", due: "2025-04-30"},
	{text: "Tháng 7/2025", due: "2025-07-31"},
	{text: "Tháng 07/2025", due: "2025-07-31"},
	{text: "Tháng 8/2025", due: "2025-08-31"},
	{text: "Tháng 10/2025", due: "2025-10-31"},
	{text: "Tháng 12/2025", due: "2025-12-31"},
	{text: "Tháng 01/2026", due: "2026-01-31"},
	{text: "Tháng 02/2026", due: "2026-02-28"},
	{text: "Tháng 4/2026", due: "2026-04-30"},
	{text: "Tháng 01/2027", due: "2027-01-31"},
	{text: "Tháng 10/2027", due: "2027-10-31"},
	{text: "Tháng 01/2029", due: "2029-01-31"},
	{text: "Thường xuyên", recur: &tinhso.Recurrence{Freq: ongoing}},
	{text: "Nhiệm vụ thường xuyên", recur: &tinhso.Recurrence{Freq: ongoing}},
	{text: "Hằng năm", recur: &tinhso.Recurrence{Freq: yearly}},
	// The plan for year N is due in November of year N−1.
	{text: "Tháng 11 của năm trước", recur: &tinhso.Recurrence{Freq: yearly, DueMonth: 11, YearOffset: -1}},
	{text: "Năm 2025 và những năm tiếp theo", recur: &tinhso.Recurrence{Freq: yearly, FromYear: 2025}},
	{text: "Từ năm 2025 và các năm tiếp theo", recur: &tinhso.Recurrence{Freq: yearly, FromYear: 2025}},
	// Done in 2025, then every year of 2026–2030.
	{text: "Năm 2025 và giai đoạn 2026 - 2030", due: "2025-12-31",
		recur: &tinhso.Recurrence{Freq: yearly, FromYear: 2026, UntilYear: 2030}},
}

// edgeDeadlines are written forms the seed does not hold (yet).
var edgeDeadlines = []deadlineCase{
	{text: "Tháng 13/2025", flags: unparsed},
	{text: "Tháng 0/2025", flags: unparsed},
	{text: "Tháng 11 của năm trước nữa", flags: unparsed},
	{text: "Tháng 13 của năm trước", flags: unparsed},
	{text: "Quý II/2025", due: "2025-06-30"},
	{text: "Quý I/2026", due: "2026-03-31"},
	{text: "Quý III năm 2025", due: "2025-09-30"},
	{text: "Quý IV/2025", due: "2025-12-31"},
	{text: "Quý 4/2025", due: "2025-12-31"},
	{text: "Quý V/2025", flags: unparsed},
	{text: "Tháng 2/2024", due: "2024-02-29"},
	{text: "tháng 7 năm 2025", due: "2025-07-31"},
	{text: "Tháng 7/2025.", due: "2025-07-31"},
	{text: "  Tháng   7 / 2025 ", due: "2025-07-31"},
	{text: "Ngày 15/7/2025", due: "2025-07-15"},
	{text: "30/6/2026", due: "2026-06-30"},
	{text: "31/4/2026", flags: unparsed},
	{text: "6 tháng đầu năm 2026", due: "2026-06-30"},
	{text: "năm 2025 – 2026", due: "2026-12-31"},
	{text: "Giai đoạn 2026 - 2030", due: "2030-12-31"},
	{text: "2026 - 2025", flags: unparsed},
	{text: "Năm 0025", flags: unparsed},
	{text: "Hàng năm", recur: &tinhso.Recurrence{Freq: yearly}},
	{text: "HẰNG NĂM", recur: &tinhso.Recurrence{Freq: yearly}},
	{text: "Hằng năm, thường xuyên", recur: &tinhso.Recurrence{Freq: ongoing}},
	{text: "Thường xuyên rà soát, tham mưu", recur: &tinhso.Recurrence{Freq: ongoing}, flags: []string{"shifted_cell"}},
	{text: "Năm 2025, các năm tiếp theo", recur: &tinhso.Recurrence{Freq: yearly, FromYear: 2025}},
	{text: "Năm 2025 và giai đoạn 2027 - 2030", due: "2025-12-31",
		recur: &tinhso.Recurrence{Freq: yearly, FromYear: 2027, UntilYear: 2030}},
	{text: "Năm 2025 và giai đoạn 2030 - 2026", flags: unparsed},
	{text: "Sớm nhất có thể", flags: unparsed},
	{text: "Khi có yêu cầu", flags: unparsed},
	{text: "   "},
	{text: " .", flags: unparsed},
}

func TestParseDeadline(t *testing.T) {
	for _, group := range []struct {
		name  string
		cases []deadlineCase
	}{{"seed", seedDeadlines}, {"edge", edgeDeadlines}} {
		for _, c := range group.cases {
			got := tinhso.ParseDeadline(c.text)
			exp := tinhso.Deadline{Text: c.text, DueDate: c.due, Recurrence: c.recur, Flags: c.flags}
			if !reflect.DeepEqual(got, exp) {
				t.Errorf("%s: ParseDeadline(%q)\n got  due %q recur %+v flags %q\n want due %q recur %+v flags %q",
					group.name, c.text, got.DueDate, got.Recurrence, got.Flags, exp.DueDate, exp.Recurrence, exp.Flags)
			}
		}
	}
}

// TestSeedDeadlinesCovered makes every deadline of the seed data a case of
// TestParseDeadline, so a new seed string cannot go untested.
func TestSeedDeadlinesCovered(t *testing.T) {
	set, err := seed.Read()
	if err != nil {
		t.Fatal(err)
	}
	table := map[string]bool{}
	for _, c := range seedDeadlines {
		if table[c.text] {
			t.Errorf("seedDeadlines lists %q twice", c.text)
		}
		table[c.text] = true
	}
	used := map[string]bool{}
	for _, task := range set.Tasks {
		used[task.DeadlineText] = true
		if !table[task.DeadlineText] {
			t.Errorf("task %s/%s: deadline %q is not in seedDeadlines", task.Document, task.Number, task.DeadlineText)
		}
	}
	for _, c := range seedDeadlines {
		if !used[c.text] {
			t.Errorf("seedDeadlines lists %q, which no seed task has: move it to edgeDeadlines", c.text)
		}
	}
	if len(set.Tasks) == 0 {
		t.Fatal("no seed tasks")
	}
}

func TestTaskApplyDeadline(t *testing.T) {
	task := &tinhso.Task{DeadlineText: "Năm 2025 và giai đoạn 2026 - 2030"}
	task.ApplyDeadline()
	want := &tinhso.Recurrence{Freq: yearly, FromYear: 2026, UntilYear: 2030}
	if task.DueDate != "2025-12-31" || !reflect.DeepEqual(task.Recurrence, want) {
		t.Errorf("ApplyDeadline: due %q recur %+v", task.DueDate, task.Recurrence)
	}
	task = &tinhso.Task{DeadlineText: "Không rõ", DueDate: "2020-01-01", Recurrence: want}
	task.ApplyDeadline()
	if task.DueDate != "" || task.Recurrence != nil {
		t.Errorf("ApplyDeadline of an unreadable text keeps an old due date: %q %+v", task.DueDate, task.Recurrence)
	}
}

// FuzzParseDeadline checks that any text is kept and either read or flagged.
func FuzzParseDeadline(f *testing.F) {
	for _, c := range append(append([]deadlineCase{}, seedDeadlines...), edgeDeadlines...) {
		f.Add(c.text)
	}
	f.Fuzz(func(t *testing.T, text string) {
		d := tinhso.ParseDeadline(text)
		if d.Text != text {
			t.Fatalf("Text %q, want %q", d.Text, text)
		}
		blank := len(strings.Fields(text)) == 0
		read := d.DueDate != "" || d.Recurrence != nil
		if !blank && !read && len(d.Flags) == 0 {
			t.Fatalf("ParseDeadline(%q) neither read nor flagged", text)
		}
		if d.DueDate != "" {
			if _, err := time.Parse("2006-01-02", d.DueDate); err != nil {
				t.Fatalf("ParseDeadline(%q): due date %q: %v", text, d.DueDate, err)
			}
		}
	})
}
