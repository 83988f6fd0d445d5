package tinhso

import "context"

// Page bounds a list: Offset rows skipped, at most Limit returned.
type Page struct {
	Offset int
	Limit  int
}

// OrgUnitFilter selects org units.
type OrgUnitFilter struct {
	Kind   string
	Parent string
	Page
}

// DocumentFilter selects documents.
type DocumentFilter struct {
	Kind string
	Page
}

// IndicatorFilter selects indicators. Document is an id, slug or number; Agency an
// org-unit code.
type IndicatorFilter struct {
	Document string
	Agency   string
	Horizon  int
	Measure  string
	Key      string
	// Keys selects the indicators of any of these keys.
	Keys []string
	Page
}

// TaskFilter selects tasks. DueBefore/DueAfter are yyyy-mm-dd bounds on the parsed due
// date, inclusive.
type TaskFilter struct {
	Document   string
	Section    string
	Lead       string
	DueBefore  string
	DueAfter   string
	Unassigned *bool
	Key        string
	// Keys selects the tasks of any of these keys.
	Keys []string
	Page
}

// ProblemFilter selects big problems.
type ProblemFilter struct {
	Province string
	Document string
	Status   string
	Page
}

// PlanStore is the plan registry's storage: documents, org units, indicators, tasks,
// measures, funding, problems and successions. Update methods take the version the
// caller last saw (0: any) and fail with EPRECONDITION when the row has moved on, and
// so do Delete methods; Delete fails with ECONFLICT, listing the referrers, when other
// rows refer to the row.
type PlanStore interface {
	FindDocuments(ctx context.Context, f DocumentFilter) ([]*Document, int, error)
	FindDocument(ctx context.Context, ref string) (*Document, error)
	CreateDocument(ctx context.Context, d *Document) error
	UpdateDocument(ctx context.Context, d *Document, version int) error
	DeleteDocument(ctx context.Context, id int64, version int) error

	FindOrgUnits(ctx context.Context, f OrgUnitFilter) ([]*OrgUnit, int, error)
	FindOrgUnit(ctx context.Context, ref string) (*OrgUnit, error)
	CreateOrgUnit(ctx context.Context, u *OrgUnit) error
	UpdateOrgUnit(ctx context.Context, u *OrgUnit, version int) error
	DeleteOrgUnit(ctx context.Context, id int64, version int) error
	// ImportOrgUnits creates units by code in one transaction, all or nothing; a unit
	// whose code exists is refused unless opt.Update, and then each change is audited
	// with before and after.
	ImportOrgUnits(ctx context.Context, units []*OrgUnit, opt OrgUnitImport) (created, updated int, err error)

	FindIndicators(ctx context.Context, f IndicatorFilter) ([]*Indicator, int, error)
	FindIndicator(ctx context.Context, id int64) (*Indicator, error)
	CreateIndicator(ctx context.Context, ind *Indicator) error
	UpdateIndicator(ctx context.Context, ind *Indicator, version int) error
	DeleteIndicator(ctx context.Context, id int64, version int) error

	FindTasks(ctx context.Context, f TaskFilter) ([]*Task, int, error)
	FindTask(ctx context.Context, id int64) (*Task, error)
	CreateTask(ctx context.Context, t *Task) error
	UpdateTask(ctx context.Context, t *Task, version int) error
	DeleteTask(ctx context.Context, id int64, version int) error

	FindProblems(ctx context.Context, f ProblemFilter) ([]*Problem, int, error)
	FindProblem(ctx context.Context, id int64) (*Problem, error)
	CreateProblem(ctx context.Context, p *Problem) error
	UpdateProblem(ctx context.Context, p *Problem, version int) error
	DeleteProblem(ctx context.Context, id int64, version int) error

	FindMeasures(ctx context.Context, p Page) ([]*Measure, int, error)
	FindMeasure(ctx context.Context, ref string) (*Measure, error)
	CreateMeasure(ctx context.Context, m *Measure) error

	FindFunding(ctx context.Context, document string) ([]*FundingLine, error)

	FindSuccessions(ctx context.Context, orgUnit string) ([]*Succession, error)
	FindSuccession(ctx context.Context, ref string) (*Succession, error)
	// CreateSuccession records a succession; a merger, split or abolition also ends the
	// units it takes from (their dissolved date becomes its effective date).
	CreateSuccession(ctx context.Context, s *Succession) error
	DeleteSuccession(ctx context.Context, id int64) error
}
