package tinhso

import (
	"context"
	"time"
)

// FigureFilter selects figures on the one figure path (MonitoringStore.IndicatorFigures).
type FigureFilter struct {
	// Indicators are indicator keys; none selects every indicator.
	Indicators []string
	// Sources are figure sources (FigureReport, FigureHistory, …); none selects all.
	Sources []string
	// Province: only the province's figures, not the units'.
	Province bool
}

// HistoryFigure is one imported figure of an indicator's past: dated on the time
// axis, with the citation it was found in. Imports replace a figure of the same
// indicator and date.
type HistoryFigure struct {
	Indicator string   `json:"indicator"` // key
	Date      string   `json:"date"`
	Value     *float64 `json:"value"`
	Text      string   `json:"text,omitempty"`
	Source    string   `json:"source"`
	Synthetic bool     `json:"synthetic,omitempty"`
}

// DisplayLink is a read-only link to the wall screen: the operations room's display
// opens it without anyone's sign-in. Only the token's hash is stored; the token is
// shown once, when the link is made.
type DisplayLink struct {
	ID        int64      `json:"id"`
	Name      string     `json:"name"`
	CreatedBy string     `json:"created_by"`
	CreatedAt time.Time  `json:"created_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
}

// MonitoringFacts are every fact the statuses are computed from, read in one snapshot.
type MonitoringFacts struct {
	Tasks []*Task
	// Reports are the approved progress reports, ordered by task, period end, approval.
	Reports []ProgressReport
	// Periods are the opened periods of each document's regimes, by document slug.
	Periods    map[string][]Period
	Indicators []*Indicator
	// Figures are the figures of every source, ordered by indicator, unit, date.
	Figures    []IndicatorFigure
	References []ReferenceValue
	Reviews    []IndicatorReview
}

// TextValue is a unit's approved result in words of an indicator in a period.
type TextValue struct {
	Indicator, OrgUnit, UnitName, Period, PeriodEnd, Text string
}

// MonitoringStore keeps what monitoring judges besides the plan and the reports: the
// one path every figure takes, whatever its source, imported histories, reference
// values, reviews of qualitative indicators and the wall screen's display links.
type MonitoringStore interface {
	// MonitoringFacts reads every fact of the statuses in one read transaction.
	MonitoringFacts(ctx context.Context) (*MonitoringFacts, error)
	// DataVersion is a number that every committed change of the plan, the reporting or
	// the figures moves on, by whichever process: read models computed from them are
	// kept while it stays.
	DataVersion(ctx context.Context) (int64, error)
	// TextValues lists the approved results in words (values of qualitative indicators)
	// of every unit and period, in no order.
	TextValues(ctx context.Context) ([]TextValue, error)
	// IndicatorFigures returns figures of every source the filter selects, ordered by
	// indicator key, unit ("" first: the province) and date.
	IndicatorFigures(ctx context.Context, f FigureFilter) ([]IndicatorFigure, error)
	// ImportHistory stores history figures in one transaction, all or nothing,
	// replacing figures of the same indicator and date; it returns how many it stored.
	ImportHistory(ctx context.Context, figs []HistoryFigure) (int, error)
	// PutReferenceValue stores the reference value of an indicator for a year.
	PutReferenceValue(ctx context.Context, r *ReferenceValue) error
	// AddIndicatorReview stores a reviewer's class of a qualitative indicator.
	AddIndicatorReview(ctx context.Context, r *IndicatorReview) error

	// CreateDisplayLink stores a display link with its token's hash.
	CreateDisplayLink(ctx context.Context, l *DisplayLink, tokenHash string) error
	FindDisplayLinks(ctx context.Context) ([]*DisplayLink, error)
	// DisplayLinkByHash finds a link that is not revoked; ENOTFOUND otherwise.
	DisplayLinkByHash(ctx context.Context, tokenHash string) (*DisplayLink, error)
	RevokeDisplayLink(ctx context.Context, id int64) error
}
