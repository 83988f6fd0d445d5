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
	// Codes selects the units of any of these codes.
	Codes []string
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
	// Targeted selects the indicators whose target is written.
	Targeted bool
	ReadFilter
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
	// Keys selects the tasks of any of these keys; ExceptKeys leaves these out.
	Keys, ExceptKeys []string
	// Dated selects tasks with (true) or without (false) a parsed due date; Recurring
	// those that recur (true) or not (false).
	Dated, Recurring *bool
	ReadFilter
	Page
}

// ReadFilter is what the pages' lists add to a filter of tasks or indicators.
type ReadFilter struct {
	// Q selects records whose text holds every word of it, diacritics and case aside.
	Q string
	// AgencyOf selects records that name the org unit (tasks: as lead), directly or as
	// the current successor of a unit named that no longer exists.
	AgencyOf string
	// Groups adds to AgencyOf the groups the unit belongs to, matched directly.
	Groups []string
	// Cooperating matches tasks' cooperating units rather than their leads.
	Cooperating bool
	// Gone selects records naming (tasks: as lead) an org unit that no longer exists.
	Gone bool
	// Sort orders the list by a key ("-key": descending): tasks number, title, due,
	// lead; indicators code, name, horizon, agency. "" or another: document order.
	Sort string
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
	// FindSuccessionSuggestions lists suggested successions in a state ("" : all).
	FindSuccessionSuggestions(ctx context.Context, state string) ([]*SuccessionSuggestion, error)
	// FindSuccessionSuggestion finds one by id or key (ENOTFOUND when none).
	FindSuccessionSuggestion(ctx context.Context, ref string) (*SuccessionSuggestion, error)
	CreateSuccessionSuggestion(ctx context.Context, s *SuccessionSuggestion) error
	// DecideSuccessionSuggestion confirms a suggestion still open, recording the
	// succession it makes (as CreateSuccession does) in the same transaction, or, with
	// confirm false, dismisses it; s's state and decision are what is written.
	DecideSuccessionSuggestion(ctx context.Context, s *SuccessionSuggestion, sc *Succession) error
}

// TaskTally counts the tasks of a document that share a due date (or none), whether
// they recur and whether nobody leads them: the board judges each group's deadline
// state once instead of each task's.
type TaskTally struct {
	Document   string // slug
	DueDate    string // "" for none
	Recurring  bool
	Unassigned bool
	N          int
}

// GoneAgency is an org unit that no longer exists, with how many tasks it leads and
// indicators name it.
type GoneAgency struct {
	Code       string
	Tasks      int
	Indicators int
}

// TaskSection is a section of a document's tasks.
type TaskSection struct {
	Document string // slug
	Section  string
}

// DocumentCounts counts a document's indicators, tasks and big problems.
type DocumentCounts struct {
	Indicators, Tasks, Problems int
}

// ProblemTally counts a province's big problems of a status.
type ProblemTally struct {
	Province, Status string
	N                int
}

// ReadStore is what the pages' read models ask of the store besides the lists: counts
// and tallies made by the database, so that a page costs what it shows rather than
// what the plan holds.
type ReadStore interface {
	// TallyTasks counts the tasks the filter keeps by document (in document order),
	// due date, recurrence and assignment; the filter's page is ignored.
	TallyTasks(ctx context.Context, f TaskFilter) ([]TaskTally, error)
	// CountGoneAgencies counts, per org unit that no longer exists, the tasks it leads
	// among those tf keeps and the indicators naming it among those inf keeps.
	CountGoneAgencies(ctx context.Context, tf TaskFilter, inf IndicatorFilter) ([]GoneAgency, error)
	// TaskSections lists the sections of the tasks of a document (every document's
	// when ""), in document order.
	TaskSections(ctx context.Context, document string) ([]TaskSection, error)
	// CountIndicators counts the indicators the filter keeps per document slug.
	CountIndicators(ctx context.Context, f IndicatorFilter) (map[string]int, error)
	// IndicatorHorizons lists the indicators' horizon years, ascending.
	IndicatorHorizons(ctx context.Context) ([]int, error)
	// CountByDocument counts each document's indicators, tasks and big problems.
	CountByDocument(ctx context.Context) (map[string]DocumentCounts, error)
	// TallyProblems counts the big problems by province (in the order provinces first
	// appear) and status.
	TallyProblems(ctx context.Context) ([]ProblemTally, error)
	// FindFiguresOf returns the figures of the indicators keys in the periods, oldest
	// period first; nil keys: every indicator's.
	FindFiguresOf(ctx context.Context, periods []int64, keys []string) (map[int64][]Figure, error)
	// FindDisagreeingMeasures lists the measures whose targets disagree, by key.
	FindDisagreeingMeasures(ctx context.Context, p Page) ([]*Measure, int, error)
	// FindSubmissionStates lists every submission's id, period, unit (code and name),
	// status and time of submission, and nothing else, in no order.
	FindSubmissionStates(ctx context.Context) ([]*Submission, error)
	// CountSubmissions counts each period's submissions by status.
	CountSubmissions(ctx context.Context) (map[int64]map[string]int, error)
}
