package tinhso

import (
	"context"
	"time"
)

// Store is all tinhso keeps, as one interface: the storage adapter (sqldb) implements
// it, and the use-cases (app) and the web layer are built on it.
type Store interface {
	PlanStore
	ReadStore
	ReportingStore
	UserStore
	ProposalStore
	MonitoringStore
	AlertStore
	AssessmentStore
	DirectiveStore
	// Exclusive runs fn in one write transaction that holds a named lock, so that nodes
	// sharing a database do one-time work (the first admin) once: store calls made with
	// the context fn gets join the transaction.
	Exclusive(ctx context.Context, lock string, fn func(ctx context.Context) error) error
	// Ping checks that the database answers.
	Ping(ctx context.Context) error
}

// PeriodFacts are what opening a period of a regime is judged on: the regime, every
// org unit with the successions, and the indicators and tasks of the regime's document.
type PeriodFacts struct {
	Regime     *Regime
	Org        *Org
	Indicators []*Indicator
	Tasks      []*Task
}

// SubmissionState is the part of a submission its workflow changes.
type SubmissionState struct {
	Status       string
	ReturnReason string
	Resubmitted  int
	SubmittedAt  *time.Time
	ApprovedAt   *time.Time
}

// ApprovedValue is a number an approved submission holds for an indicator, with its
// weight when it gave one.
type ApprovedValue struct {
	Submission int64
	Indicator  string // key
	Number     float64
	Weight     *float64
}

// ReportingTx is one write transaction of the reporting workflows: the use-cases read
// the facts their rules need and write the outcome through it, and all of it commits
// together or not at all. Methods that change a submission or period leave the audit
// log to Audit, which records in the same transaction.
type ReportingTx interface {
	// Now is the transaction's clock: the time it stamps on what it writes.
	Now() time.Time

	PeriodFacts(ctx context.Context, regime string) (*PeriodFacts, error)
	FindPeriod(ctx context.Context, id int64) (*Period, error)
	FindSubmission(ctx context.Context, id int64) (*Submission, error)
	// FindIndicatorsByKey returns indicators by key; keys that name none are left out.
	FindIndicatorsByKey(ctx context.Context, keys []string) (map[string]*Indicator, error)
	// ApprovedValues returns, in one query, the numbers the approved submissions of a
	// period hold for the indicators, in the order they were approved.
	ApprovedValues(ctx context.Context, period int64, indicators []string) ([]ApprovedValue, error)

	// CreatePeriod stores a period of the regime, opened now, with one draft submission
	// per planned unit expecting its indicators and tasks; it sets p.ID and p.OpenedAt.
	// A period the regime has opened before is refused with ECONFLICT.
	CreatePeriod(ctx context.Context, regime *Regime, p *Period, units []PlannedUnit) error
	SetPeriodStatus(ctx context.Context, id int64, status string) error
	// ClaimSubmission moves a submission to its next version; EPRECONDITION when
	// version (0: any) is no longer the current one.
	ClaimSubmission(ctx context.Context, id int64, version int) error
	SetSubmissionState(ctx context.Context, id int64, st SubmissionState) error
	// ReplaceItems replaces a submission's values and progress.
	ReplaceItems(ctx context.Context, id int64, values []IndicatorValue, progress []TaskProgress) error
	// PutEvidence attaches a stored file (replacing one of the same hash).
	PutEvidence(ctx context.Context, id int64, e Evidence) error
	// ReplaceFigures replaces a period's figures of the indicators by figs (indicators
	// without a figure in figs have none afterwards).
	ReplaceFigures(ctx context.Context, period int64, indicators []string, figs []Figure) error
	// AnswerNotifications marks the unread notifications of keys read.
	AnswerNotifications(ctx context.Context, keys []string) error
	// Audit records a change in the audit log, by the actor the context carries.
	Audit(ctx context.Context, action, entity, id string, before, after any) error
}
