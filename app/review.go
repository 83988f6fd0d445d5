package app

import (
	"context"
	"sort"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/engine"
)

// SubmissionRow is a submission in a list, with its period and its punctuality.
type SubmissionRow struct {
	S     *tinhso.Submission
	P     *tinhso.Period
	Punct string
}

// ReviewQueue is the reviewer's queue on today (yyyy-mm-dd): every submitted report,
// with what it holds, oldest submission first. The submissions and their items are
// read in one batch.
func (a *App) ReviewQueue(ctx context.Context, today string) ([]SubmissionRow, error) {
	subs, _, err := a.store.FindSubmissions(ctx, tinhso.SubmissionFilter{Status: tinhso.StatusSubmitted, Items: true, Page: tinhso.Page{Limit: 100000}})
	if err != nil {
		return nil, err
	}
	periods, err := a.periodsByID(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]SubmissionRow, 0, len(subs))
	for _, s := range subs {
		p := periods[s.Period]
		out = append(out, SubmissionRow{S: s, P: p, Punct: engine.Punctuality(s, p, today)})
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].S.SubmittedAt, out[j].S.SubmittedAt
		return a != nil && b != nil && a.Before(*b)
	})
	return out, nil
}

// periodsByID reads every period, by id.
func (a *App) periodsByID(ctx context.Context) (map[int64]*tinhso.Period, error) {
	periods, err := a.store.FindPeriods(ctx, "")
	if err != nil {
		return nil, err
	}
	out := make(map[int64]*tinhso.Period, len(periods))
	for _, p := range periods {
		out[p.ID] = p
	}
	return out, nil
}
