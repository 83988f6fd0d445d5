package tinhso

import (
	"context"
	"time"
)

// Kinds of events the use-cases publish once their transaction has committed.
const (
	EventPeriodOpened        = "period.opened"
	EventPeriodClosed        = "period.closed"
	EventSubmissionSubmitted = "submission.submitted"
	EventSubmissionReturned  = "submission.returned"
	EventSubmissionApproved  = "submission.approved"
)

// Event is something that happened, for whatever reacts to it (alerts, live pages,
// notifications): what, to which record, when and by whom, and the record as it is now.
type Event struct {
	Kind   string
	Entity string
	ID     string
	At     time.Time
	Actor  string
	Data   any
}

// Publisher delivers events. Publishing never fails the change that caused it: the
// change is committed already, and a publisher reports its own troubles.
type Publisher interface {
	Publish(ctx context.Context, e Event)
}
