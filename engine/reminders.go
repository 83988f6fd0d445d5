// Package engine holds tinhso's pure rules: functions of stored facts and a clock, with
// no I/O, tested with tables: tasks' deadline states, reporting punctuality, the
// submission workflow's rules and checks, province figures, reminders. Status,
// forecasts, alerts and assessment scores join them.
package engine

import (
	"fmt"
	"time"

	"github.com/tinhso/tinhso"
)

// Reminder kinds.
const (
	ReminderBefore  = "reminder_before"  // the deadline is near and the unit has not submitted
	ReminderOverdue = "reminder_overdue" // the deadline has passed and the unit has not submitted
)

// Reminders lists the reminders due on day (yyyy-mm-dd) to units that have not
// submitted (draft or returned) in open periods: one before the deadline, from
// daysBefore days ahead, and one once it has passed. Keys make each reminder unique,
// so running this again sends nothing twice.
func Reminders(day string, periods []*tinhso.Period, subs []*tinhso.Submission, daysBefore int) []tinhso.Notification {
	byID := map[int64]*tinhso.Period{}
	for _, p := range periods {
		if p.Status == "open" {
			byID[p.ID] = p
		}
	}
	var out []tinhso.Notification
	for _, s := range subs {
		p, ok := byID[s.Period]
		if !ok || (s.Status != tinhso.StatusDraft && s.Status != tinhso.StatusReturned) {
			continue
		}
		due, err := time.Parse("2006-01-02", p.Due)
		if err != nil {
			continue
		}
		from := due.AddDate(0, 0, -daysBefore).Format("2006-01-02")
		link := fmt.Sprintf("/reporting/%d", s.ID)
		// What it says is a key with the period's label and deadline, rendered in the
		// reader's language when it is shown or sent.
		var kind, key string
		switch {
		case day > p.Due:
			kind, key = ReminderOverdue, "reminder.overdue"
		case day >= from:
			kind, key = ReminderBefore, "reminder.before"
		default:
			continue
		}
		n := tinhso.Notification{Key: reminderKey(kind, p.ID, s.OrgUnit), OrgUnit: s.OrgUnit, Kind: kind, Link: link,
			MessageKey: key, MessageArgs: tinhso.Args{p.Label, tinhso.Date(p.Due)}}
		out = append(out, n)
	}
	return out
}

// ReminderKeys are the keys of every reminder a unit can get for a period: what a
// submission answers.
func ReminderKeys(period int64, orgUnit string) []string {
	return []string{reminderKey(ReminderBefore, period, orgUnit), reminderKey(ReminderOverdue, period, orgUnit)}
}

func reminderKey(kind string, period int64, orgUnit string) string {
	return fmt.Sprintf("%s:%d:%s", kind, period, orgUnit)
}

// ShowDate shows a yyyy-mm-dd date as dd/mm/yyyy.
func ShowDate(d string) string {
	t, err := time.Parse("2006-01-02", d)
	if err != nil {
		return d
	}
	return t.Format("02/01/2006")
}
