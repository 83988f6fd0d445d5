package engine

import "github.com/tinhso/tinhso"

// Punctuality of a submission against its period's deadline.
const (
	PunctOnTime  = "on_time" // submitted by the due date
	PunctLate    = "late"    // submitted after it
	PunctOverdue = "overdue" // not submitted, and the due date has passed
	PunctPending = "pending" // not submitted, still in time
)

// Punctuality judges a submission on a day (yyyy-mm-dd in the province) by its latest
// submission time; without its period it is pending.
func Punctuality(s *tinhso.Submission, p *tinhso.Period, today string) string {
	if p == nil {
		return PunctPending
	}
	if s.SubmittedAt != nil && s.Status != tinhso.StatusDraft {
		if s.SubmittedAt.In(tinhso.Location).Format("2006-01-02") <= p.Due {
			return PunctOnTime
		}
		return PunctLate
	}
	if today > p.Due {
		return PunctOverdue
	}
	return PunctPending
}

// Due reports whether a punctuality counts towards a unit's on-time rate: the
// submission was made, or should have been.
func Due(punct string) bool {
	return punct == PunctOnTime || punct == PunctLate || punct == PunctOverdue
}

// Counts reports whether a submission's punctuality counts towards its unit's on-time
// rate on today: its period is due (the due date has passed), and it was made or
// should have been. A submission made early in a period not due yet proves nothing
// of the unit's punctuality so far.
func Counts(punct string, p *tinhso.Period, today string) bool {
	return p != nil && today > p.Due && Due(punct)
}

// Percent is n of total as a whole percentage, rounded half up; 0 of nothing.
func Percent(n, total int) int {
	if total == 0 {
		return 0
	}
	return (n*100 + total/2) / total
}
