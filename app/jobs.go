package app

import (
	"context"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/engine"
)

// The periodic jobs; the command schedules them.

// SendReminders sends the reminders due at now to units that have not submitted, once
// each (the notification key makes a second run send nothing): the first daysBefore
// days before a deadline, another once it has passed. It returns how many it sent.
func (a *App) SendReminders(ctx context.Context, now time.Time, daysBefore int) (int, error) {
	periods, err := a.store.FindPeriods(ctx, "")
	if err != nil {
		return 0, err
	}
	var subs []*tinhso.Submission
	for _, p := range periods {
		if p.Status != "open" {
			continue
		}
		list, _, err := a.store.FindSubmissions(ctx, tinhso.SubmissionFilter{Period: p.ID, Page: tinhso.Page{Limit: 1 << 30}})
		if err != nil {
			return 0, err
		}
		subs = append(subs, list...)
	}
	day := now.In(tinhso.Location).Format("2006-01-02")
	sent := 0
	for _, n := range engine.Reminders(day, periods, subs, daysBefore) {
		stored, err := a.store.Notify(ctx, &n)
		if err != nil {
			return sent, err
		}
		if stored {
			sent++
		}
	}
	// The self-assessments of open assessment rounds are reminded the same way.
	n, err := a.SendAssessmentReminders(ctx, now, daysBefore)
	return sent + n, err
}

// SweepSessions deletes the sessions that expired before now; it returns how many.
func (a *App) SweepSessions(ctx context.Context, now time.Time) (int, error) {
	return a.store.DeleteExpiredSessions(ctx, now)
}
