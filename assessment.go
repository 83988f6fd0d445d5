package tinhso

import (
	"context"
	"errors"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Digital-transformation assessment (đánh giá, xếp hạng mức độ chuyển đổi số, Plan
// 25/KH-UBND tasks 5, 56, 62): a Framework (bộ tiêu chí) is a tree of pillars, main
// indexes and criteria kept as versions; a published version is frozen and an
// assessment Round always refers to one. Each Subject of a round self-assesses, the
// standing agency reviews every criterion, approves and publishes. Scores are
// computed (engine.ScoreRound), never typed.

// Actions on assessments, checked with Can.
const (
	ActManageAssessment = "assessment:manage" // frameworks, versions, people, opening rounds
	ActReviewAssessment = "assessment:review" // review criteria, approve and publish rounds
	ActSelfAssess       = "assessment:self"   // fill in one's own subject's self-assessment
	ActReadAssessment   = "assessment:read"   // read every round, subject and score
)

// Subject kinds: rankings compare like with like, so a subject is ranked among the
// subjects of its kind in a round.
const (
	SubjectDepartment = "department" // sở, ban, ngành
	SubjectCommune    = "commune"    // UBND xã/phường
	SubjectAgencyHead = "agency_head"
	SubjectOfficial   = "official"
	SubjectBusiness   = "business"
)

// SubjectKinds lists the kinds of subjects.
var SubjectKinds = []string{SubjectDepartment, SubjectCommune, SubjectAgencyHead, SubjectOfficial, SubjectBusiness}

// IsPersonKind reports whether subjects of a kind are people, whose individual results
// are never public.
func IsPersonKind(kind string) bool { return kind == SubjectAgencyHead || kind == SubjectOfficial }

// Scoring rules of a criterion.
const (
	// RuleThresholds: a number the subject reports; the share of the points is that of
	// the highest step the number reaches (at least From; at most From when Lower).
	RuleThresholds = "thresholds"
	// RuleLinear: a number the subject reports; no points at Low, all at High, a
	// straight line between (Low above High: lower is better), clamped.
	RuleLinear = "linear"
	// RuleYesNo: yes gives all the points, no none.
	RuleYesNo = "yes_no"
	// RuleIndicator: the indicator's figure of the subject's unit for the round's
	// period, scored on Low–High (or Steps); filled by the system, never typed.
	RuleIndicator = "indicator"
	// RuleTaskShare: the share of the subject's tasks (it leads) done on time among
	// those done or due, from Monitoring I's statuses; filled by the system.
	RuleTaskShare = "task_share"
	// RuleDirectiveShare: the share of the directive tasks a unit leads, due in the
	// round's period, completed on time (engine.DirectiveShare); filled by the system.
	RuleDirectiveShare = "directive_share"
	// RuleManual: points the subject proposes and the reviewer accepts or adjusts;
	// they count only with at least one evidence file.
	RuleManual = "manual"
)

// ScoringRules lists the scoring rules.
var ScoringRules = []string{RuleThresholds, RuleLinear, RuleYesNo, RuleIndicator, RuleTaskShare, RuleDirectiveShare, RuleManual}

// DataFed reports whether a rule's value comes from the system's data, not the subject.
func DataFed(kind string) bool {
	return kind == RuleIndicator || kind == RuleTaskShare || kind == RuleDirectiveShare
}

// Step is one step of a thresholds rule: reaching From earns Share of the points.
type Step struct {
	From  float64 `json:"from"`
	Share float64 `json:"share"`
}

// Rule is how a criterion is scored.
type Rule struct {
	Kind string `json:"kind"`
	// Steps of RuleThresholds (and optionally of RuleIndicator); Lower: a number at or
	// below From reaches the step (lower is better).
	Steps []Step `json:"steps,omitempty"`
	Lower bool   `json:"lower,omitempty"`
	// Low and High bound RuleLinear (and RuleIndicator, RuleTaskShare when set).
	Low  *float64 `json:"low,omitempty"`
	High *float64 `json:"high,omitempty"`
	// Indicator is the key of RuleIndicator's indicator.
	Indicator string `json:"indicator,omitempty"`
	// Unit is what the number counts (%, hồ sơ …), shown beside the field.
	Unit string `json:"unit,omitempty"`
}

// Node levels, by depth in the tree.
const (
	LevelPillar    = "pillar"    // trụ cột (top level)
	LevelIndex     = "index"     // chỉ số chính / thành phần
	LevelCriterion = "criterion" // tiêu chí: a leaf, with a rule
)

// MaxNodeDepth bounds a framework tree: pillar, main index, component index, criterion.
const MaxNodeDepth = 4

// FrameworkNode is a node of a framework's tree. Code is its place ("1", "1.2",
// "1.2.3"): the parent's code and a dot. Leaves are criteria and carry a rule; inner
// nodes add up their children's points.
type FrameworkNode struct {
	Code      string  `json:"code"`
	Name      string  `json:"name"`
	MaxPoints float64 `json:"max_points"`
	Rule      *Rule   `json:"rule,omitempty"`
	Note      string  `json:"note,omitempty"`
}

// Parent is the code of the node's parent ("" for a pillar).
func (n *FrameworkNode) Parent() string {
	i := strings.LastIndexByte(n.Code, '.')
	if i < 0 {
		return ""
	}
	return n.Code[:i]
}

// Depth is the node's depth: 1 for a pillar.
func (n *FrameworkNode) Depth() int { return strings.Count(n.Code, ".") + 1 }

// Framework is a criteria set (bộ tiêu chí) the standing agency keeps: its versions
// hold the trees.
type Framework struct {
	ID          int64  `json:"id"`
	Slug        string `json:"slug"`
	Name        string `json:"name"`
	Description string `json:"description"`
	// SubjectKind is who it assesses (department, commune, …, business).
	SubjectKind string `json:"subject_kind"`
	// Template marks a shipped starting point to adapt, not anyone's official method.
	Template  bool                `json:"template"`
	Versions  []*FrameworkVersion `json:"versions,omitempty"`
	CreatedAt time.Time           `json:"created_at"`
	UpdatedAt time.Time           `json:"updated_at"`
}

// Framework version statuses: a draft is edited; a published version is frozen.
const (
	VersionDraft     = "draft"
	VersionPublished = "published"
)

// FrameworkVersion is one version of a framework's tree.
type FrameworkVersion struct {
	ID        int64  `json:"id"`
	Framework string `json:"framework"` // slug
	Number    int    `json:"number"`
	Status    string `json:"status"`
	// Total is the whole tree's points (1,000 in the DTI); the pillars add up to it.
	Total       float64         `json:"total"`
	Nodes       []FrameworkNode `json:"nodes"`
	Note        string          `json:"note,omitempty"`
	PublishedAt *time.Time      `json:"published_at,omitempty"`
	PublishedBy string          `json:"published_by,omitempty"`
	Version     int             `json:"version"`
}

var frameworkSlugRe = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,79}$`)
var nodeCodeRe = regexp.MustCompile(`^[0-9]{1,3}(\.[0-9]{1,3}){0,3}$`)

// Validate checks a framework's own fields (its versions are checked on their own).
func (f *Framework) Validate() error {
	if !frameworkSlugRe.MatchString(f.Slug) {
		return Invalid("slug", "assessment.err.slug", f.Slug)
	}
	if err := validText("name", f.Name, 300, true); err != nil {
		return err
	}
	if err := validText("description", f.Description, 5000, false); err != nil {
		return err
	}
	if !contains(SubjectKinds, f.SubjectKind) {
		return Invalid("subject_kind", "err.field.one_of", Field("subject_kind"), strings.Join(SubjectKinds, ", "))
	}
	return nil
}

// Limits of a framework's tree.
const (
	MaxFrameworkNodes = 2000
	maxPoints         = 1e6
)

// Validate checks a version's tree: codes, names, rules, and that every node's
// children's points add up to its own and the pillars' to Total. An error names the
// node (field nodes[i].…, the node's code in the message).
func (v *FrameworkVersion) Validate() error {
	if !(v.Total > 0) || v.Total > maxPoints || math.IsNaN(v.Total) {
		return Invalid("total", "assessment.err.total", Number(v.Total))
	}
	if len(v.Nodes) == 0 {
		return Invalid("nodes", "assessment.err.no_nodes")
	}
	if len(v.Nodes) > MaxFrameworkNodes {
		return Invalid("nodes", "assessment.err.too_many_nodes", len(v.Nodes), MaxFrameworkNodes)
	}
	if err := validText("note", v.Note, 5000, false); err != nil {
		return err
	}
	index := make(map[string]int, len(v.Nodes))
	children := map[string][]int{}
	for i := range v.Nodes {
		n := &v.Nodes[i]
		f := "nodes[" + strconv.Itoa(i) + "]"
		if !nodeCodeRe.MatchString(n.Code) {
			return Invalid(f+".code", "assessment.err.node_code", n.Code)
		}
		if _, dup := index[n.Code]; dup {
			return Invalid(f+".code", "assessment.err.node_duplicate", n.Code)
		}
		index[n.Code] = i
		if err := validText(f+".name", n.Name, 500, true); err != nil {
			return err
		}
		if err := validText(f+".note", n.Note, 2000, false); err != nil {
			return err
		}
		if !(n.MaxPoints >= 0) || n.MaxPoints > maxPoints {
			return Invalid(f+".max_points", "assessment.err.node_points", n.Code, Number(n.MaxPoints))
		}
		if p := n.Parent(); p != "" {
			if _, ok := index[p]; !ok {
				return Invalid(f+".code", "assessment.err.node_parent", n.Code, p)
			}
		}
		children[n.Parent()] = append(children[n.Parent()], i)
	}
	for i := range v.Nodes {
		n := &v.Nodes[i]
		f := "nodes[" + strconv.Itoa(i) + "]"
		kids := children[n.Code]
		if len(kids) == 0 {
			if n.Depth() == 1 {
				return Invalid(f, "assessment.err.pillar_leaf", n.Code)
			}
			if n.Rule == nil {
				return Invalid(f+".rule", "assessment.err.no_rule", n.Code)
			}
			if err := n.Rule.validate(f+".rule", n.Code); err != nil {
				return err
			}
			continue
		}
		if n.Rule != nil {
			return Invalid(f+".rule", "assessment.err.inner_rule", n.Code)
		}
		var sum float64
		for _, k := range kids {
			sum += v.Nodes[k].MaxPoints
		}
		if !samePoints(sum, n.MaxPoints) {
			return Invalid(f+".max_points", "assessment.err.points_sum", n.Code, Number(n.MaxPoints), Number(sum))
		}
	}
	var sum float64
	for _, k := range children[""] {
		sum += v.Nodes[k].MaxPoints
	}
	if !samePoints(sum, v.Total) {
		return Invalid("total", "assessment.err.total_sum", Number(v.Total), Number(sum))
	}
	return nil
}

// samePoints compares sums of points written with at most a few decimals.
func samePoints(a, b float64) bool { return math.Abs(a-b) < 1e-6*math.Max(1, math.Abs(b)) }

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

func (r *Rule) validate(f, code string) error {
	if !contains(ScoringRules, r.Kind) {
		return Invalid(f+".kind", "assessment.err.rule_kind", code, r.Kind, strings.Join(ScoringRules, ", "))
	}
	if err := validText(f+".unit", r.Unit, 50, false); err != nil {
		return err
	}
	if (r.Low == nil) != (r.High == nil) {
		return Invalid(f, "assessment.err.rule_bounds", code)
	}
	if r.Low != nil && (!finite(*r.Low) || !finite(*r.High) || *r.Low == *r.High) {
		return Invalid(f, "assessment.err.rule_bounds", code)
	}
	for i, s := range r.Steps {
		if !finite(s.From) || !(s.Share >= 0 && s.Share <= 1) {
			return Invalid(f+".steps["+strconv.Itoa(i)+"]", "assessment.err.rule_step", code, i+1)
		}
	}
	switch r.Kind {
	case RuleThresholds:
		if len(r.Steps) == 0 {
			return Invalid(f+".steps", "assessment.err.rule_steps", code)
		}
	case RuleLinear:
		if r.Low == nil {
			return Invalid(f, "assessment.err.rule_bounds", code)
		}
	case RuleIndicator:
		if strings.TrimSpace(r.Indicator) == "" {
			return Invalid(f+".indicator", "assessment.err.rule_indicator", code)
		}
		if r.Low == nil && len(r.Steps) == 0 {
			return Invalid(f, "assessment.err.rule_bounds", code)
		}
	}
	if r.Kind != RuleIndicator && r.Indicator != "" {
		return Invalid(f+".indicator", "assessment.err.rule_indicator_only", code)
	}
	return nil
}

// Criteria returns the version's leaves (criteria), in tree order.
func (v *FrameworkVersion) Criteria() []*FrameworkNode {
	parents := map[string]bool{}
	for i := range v.Nodes {
		parents[v.Nodes[i].Parent()] = true
	}
	var out []*FrameworkNode
	for i := range v.Nodes {
		if !parents[v.Nodes[i].Code] {
			out = append(out, &v.Nodes[i])
		}
	}
	return out
}

// Node returns the node of a code, nil when there is none.
func (v *FrameworkVersion) Node(code string) *FrameworkNode {
	for i := range v.Nodes {
		if v.Nodes[i].Code == code {
			return &v.Nodes[i]
		}
	}
	return nil
}

// Round statuses: open (subjects self-assess), reviewing (the deadline has passed or
// the agency closed self-assessment), approved (results final), published (public).
const (
	RoundOpen      = "open"
	RoundReviewing = "reviewing"
	RoundApproved  = "approved"
	RoundPublished = "published"
)

// Round is one assessment round: a year, a published framework version, the subjects.
type Round struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	Year      int    `json:"year"`
	Framework string `json:"framework"`
	VersionID int64  `json:"version_id"`
	// VersionNumber is the framework version's number (read, not written).
	VersionNumber int `json:"version_number"`
	// Deadline is the last day of self-assessment (yyyy-mm-dd).
	Deadline    string     `json:"deadline"`
	Status      string     `json:"status"`
	Subjects    []*Subject `json:"subjects,omitempty"`
	ApprovedAt  *time.Time `json:"approved_at,omitempty"`
	PublishedAt *time.Time `json:"published_at,omitempty"`
	Version     int        `json:"version"`
	CreatedAt   time.Time  `json:"created_at"`
}

// PeriodStart and PeriodEnd bound the round's period (its year): an indicator's
// figure within it feeds the round.
func (r *Round) PeriodStart() string { return strconv.Itoa(r.Year) + "-01-01" }

// PeriodEnd is the last day of the round's year.
func (r *Round) PeriodEnd() string { return strconv.Itoa(r.Year) + "-12-31" }

// Validate checks a round before it is opened.
func (r *Round) Validate() error {
	if err := validText("name", r.Name, 300, true); err != nil {
		return err
	}
	if r.Year < 2000 || r.Year > 2100 {
		return Invalid("year", "assessment.err.year", r.Year)
	}
	if r.VersionID < 1 {
		return Invalid("version_id", "assessment.err.version_id")
	}
	if _, err := time.Parse(time.DateOnly, r.Deadline); err != nil {
		return Invalid("deadline", "assessment.err.deadline", r.Deadline)
	}
	if len(r.Subjects) == 0 {
		return Invalid("subjects", "assessment.err.no_subjects")
	}
	seen := map[string]bool{}
	for i, s := range r.Subjects {
		if err := s.Validate(); err != nil {
			var e *Error
			if errors.As(err, &e) {
				e.Field = "subjects[" + strconv.Itoa(i) + "]." + e.Field
			}
			return err
		}
		if seen[s.Ref()] {
			return Invalid("subjects["+strconv.Itoa(i)+"]", "assessment.err.subject_twice", s.Ref())
		}
		seen[s.Ref()] = true
	}
	return nil
}

// Subject is who a round assesses: an org unit (department, commune), a person of an
// org unit (a record kept by the unit's admin: name, position), or a business (its
// account).
type Subject struct {
	ID    int64  `json:"id"`
	Round int64  `json:"round_id"`
	Kind  string `json:"kind"`
	// OrgUnit is the unit assessed, or the person's unit.
	OrgUnit string `json:"org_unit,omitempty"`
	// Person is the person record's id (people only).
	Person int64 `json:"person_id,omitempty"`
	// Business is the business account's user id (businesses only).
	Business int64  `json:"business_id,omitempty"`
	Name     string `json:"name"`
	Position string `json:"position,omitempty"`
	// Status is its self-assessment's (read, not written).
	Status string `json:"status,omitempty"`
}

// Ref is the subject's key within a round: "unit:so-a", "person:12", "business:7".
func (s *Subject) Ref() string {
	switch {
	case IsPersonKind(s.Kind):
		return "person:" + strconv.FormatInt(s.Person, 10)
	case s.Kind == SubjectBusiness:
		return "business:" + strconv.FormatInt(s.Business, 10)
	}
	return "unit:" + s.OrgUnit
}

// Validate checks a subject's reference to its record.
func (s *Subject) Validate() error {
	if !contains(SubjectKinds, s.Kind) {
		return Invalid("kind", "err.field.one_of", Field("kind"), strings.Join(SubjectKinds, ", "))
	}
	switch {
	case IsPersonKind(s.Kind):
		if s.Person < 1 {
			return Invalid("person_id", "assessment.err.subject_person")
		}
	case s.Kind == SubjectBusiness:
		if s.Business < 1 {
			return Invalid("business_id", "assessment.err.subject_business")
		}
	default:
		if s.OrgUnit == "" {
			return Invalid("org_unit", "assessment.err.subject_unit")
		}
	}
	return nil
}

// Person is a head of an agency or an official as a record of their org unit, kept by
// the unit's admin; an account is optional.
type Person struct {
	ID       int64  `json:"id"`
	OrgUnit  string `json:"org_unit"`
	Name     string `json:"name"`
	Position string `json:"position"`
	Kind     string `json:"kind"` // agency_head or official
	UserID   int64  `json:"user_id,omitempty"`
}

// Validate checks a person record.
func (p *Person) Validate() error {
	if p.OrgUnit == "" {
		return Invalid("org_unit", "assessment.err.subject_unit")
	}
	if err := validText("name", p.Name, 200, true); err != nil {
		return err
	}
	if err := validText("position", p.Position, 200, false); err != nil {
		return err
	}
	if !IsPersonKind(p.Kind) {
		return Invalid("kind", "err.field.one_of", Field("kind"), SubjectAgencyHead+", "+SubjectOfficial)
	}
	return nil
}

// Self-assessment statuses: draft → submitted → returned (a criterion sent back) →
// submitted → approved.
const (
	SelfDraft     = "draft"
	SelfSubmitted = "submitted"
	SelfReturned  = "returned"
	SelfApproved  = "approved"
)

// Review decisions on a criterion.
const (
	DecisionAccept = "accept"
	DecisionAdjust = "adjust" // with the reviewed value and a reason
	DecisionReturn = "return" // with a reason: the subject corrects and submits again
)

// Decisions lists the review decisions.
var Decisions = []string{DecisionAccept, DecisionAdjust, DecisionReturn}

// SelfAssessment is a subject's answers in a round, one per subject (Subject is its
// key), with the review of each criterion.
type SelfAssessment struct {
	Subject     int64        `json:"subject_id"`
	Round       int64        `json:"round_id"`
	Status      string       `json:"status"`
	Entries     []Entry      `json:"entries"`
	Evidence    []EvidenceOf `json:"evidence"`
	SubmittedAt *time.Time   `json:"submitted_at,omitempty"`
	ApprovedAt  *time.Time   `json:"approved_at,omitempty"`
	// Returns counts how many times it was sent back.
	Returns   int       `json:"returns"`
	Version   int       `json:"version"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Entry returns the entry of a criterion, nil when there is none.
func (s *SelfAssessment) Entry(criterion string) *Entry {
	for i := range s.Entries {
		if s.Entries[i].Criterion == criterion {
			return &s.Entries[i]
		}
	}
	return nil
}

// EvidenceCount counts the evidence files of a criterion.
func (s *SelfAssessment) EvidenceCount(criterion string) int {
	n := 0
	for _, e := range s.Evidence {
		if e.Criterion == criterion {
			n++
		}
	}
	return n
}

// EvidenceOf is an evidence file attached to one criterion of a self-assessment.
type EvidenceOf struct {
	Criterion string `json:"criterion"`
	Evidence
}

// Entry is a subject's answer to one criterion, and the review of it.
type Entry struct {
	Criterion string   `json:"criterion"`
	Value     *float64 `json:"value"`
	Note      string   `json:"note,omitempty"`
	// Decision is the reviewer's (accept, adjust, return), "" before review; Reviewed
	// the value an adjustment gives; Reason why it was adjusted or returned.
	Decision   string   `json:"decision,omitempty"`
	Reviewed   *float64 `json:"reviewed,omitempty"`
	Reason     string   `json:"reason,omitempty"`
	ReviewedBy string   `json:"reviewed_by,omitempty"`
}

// MaxEntryNote bounds a note or a reason.
const MaxEntryNote = 4000

// ValidEntryValue checks a value a subject gives a criterion under its rule.
func ValidEntryValue(field string, n *FrameworkNode, v *float64) error {
	if v == nil {
		return nil
	}
	if !finite(*v) {
		return Invalid(field, "assessment.err.value_number", n.Code)
	}
	switch n.Rule.Kind {
	case RuleYesNo:
		if *v != 0 && *v != 1 {
			return Invalid(field, "assessment.err.value_yes_no", n.Code)
		}
	case RuleManual:
		if *v < 0 || *v > n.MaxPoints {
			return Invalid(field, "assessment.err.value_manual", n.Code, Number(n.MaxPoints))
		}
	}
	if DataFed(n.Rule.Kind) {
		return Invalid(field, "assessment.err.value_data_fed", n.Code)
	}
	return nil
}

// CriterionValue is what a criterion is scored on: the number (the subject's, the
// reviewer's adjustment, or the system's figure), how many evidence files back it, and
// where it came from.
type CriterionValue struct {
	Number *float64 `json:"number"`
	// Evidence counts the evidence files.
	Evidence int `json:"evidence"`
	// Source: self, review, indicator, tasks.
	Source string `json:"source,omitempty"`
	// From says where a data-fed value was read (indicator 8.1's figure of a date; 12 of
	// 15 tasks); Missing why a data-fed value is absent.
	From    *Message `json:"from,omitempty"`
	Missing *Message `json:"missing,omitempty"`
}

// Value sources.
const (
	SourceSelf      = "self"
	SourceReview    = "review"
	SourceIndicator = "indicator"
	SourceTasks     = "tasks"
	// SourceDirectives: the directive tasks a unit leads (issue 15).
	SourceDirectives = "directives"
)

// NodeScore is a subject's score at one node: points out of the node's maximum, the
// share (0–1), and, for criteria, the value and whether it was missing (scored zero,
// shown as missing, never hidden).
type NodeScore struct {
	Code   string   `json:"code"`
	Points float64  `json:"points"`
	Max    float64  `json:"max"`
	Share  float64  `json:"share"`
	Value  *float64 `json:"value,omitempty"`
	Source string   `json:"source,omitempty"`
	// Missing counts missing criteria under the node (for a criterion: 0 or 1).
	Missing int      `json:"missing"`
	Reason  *Message `json:"reason,omitempty"`
	From    *Message `json:"from,omitempty"`
}

// Score is a subject's result in a round.
type Score struct {
	Subject int64  `json:"subject_id"`
	Ref     string `json:"ref"`
	Kind    string `json:"kind"`
	Name    string `json:"name"`
	OrgUnit string `json:"org_unit,omitempty"`
	// Points out of Max; Index is their share (0–1), the DTI-style figure.
	Points float64 `json:"points"`
	Max    float64 `json:"max"`
	Index  float64 `json:"index"`
	// Pillars are the pillars' scores (normalised 0–1 each), Nodes every node's.
	Pillars []NodeScore `json:"pillars"`
	Nodes   []NodeScore `json:"nodes,omitempty"`
	Missing int         `json:"missing"`
	// Rank among the round's subjects of the same kind (1 is best); Tied: the rank is
	// shared with others of the same points (who then share the rank and the next rank
	// is skipped: 1, 2, 2, 4).
	Rank int  `json:"rank"`
	Tied bool `json:"tied"`
	// Previous is the index of the same subject in the previous round of the
	// framework, Change the difference (Index − Previous); PreviousRank its rank then.
	Previous     *float64 `json:"previous,omitempty"`
	Change       *float64 `json:"change,omitempty"`
	PreviousRank int      `json:"previous_rank,omitempty"`
}

// Ranking is a round's scores, ranked within each kind of subject.
type Ranking struct {
	Round  int64   `json:"round_id"`
	Status string  `json:"status"`
	Scores []Score `json:"scores"`
	// Ties states how ties are ranked, as a message.
	Ties Message `json:"ties"`
}

// RoundFilter selects rounds.
type RoundFilter struct {
	Framework string
	Status    string
	// Subject narrows to rounds with a subject of that Ref ("unit:so-a", "business:7").
	Subject string
}

// RoundFacts are what scoring a round reads in one snapshot: the round with its
// subjects, the framework version, every self-assessment, and the previous published
// round of the same framework (nil when none) with its stored results.
type RoundFacts struct {
	Round       *Round
	Version     *FrameworkVersion
	Assessments map[int64]*SelfAssessment // by subject id
	Previous    *Round
	PrevResults *Ranking
}

// AssessmentStore keeps frameworks, their versions, rounds, subjects, self-assessments
// and the results of approved rounds. Writes go through AssessmentTx (the use-cases of
// app); changes are audited in the same transaction.
type AssessmentStore interface {
	// FindFrameworks lists frameworks with their versions (trees included), by slug.
	FindFrameworks(ctx context.Context) ([]*Framework, error)
	FindFramework(ctx context.Context, slug string) (*Framework, error)
	FindFrameworkVersion(ctx context.Context, id int64) (*FrameworkVersion, error)
	// FindRounds lists rounds, newest year first.
	FindRounds(ctx context.Context, f RoundFilter) ([]*Round, error)
	// FindRound returns a round with its subjects.
	FindRound(ctx context.Context, id int64) (*Round, error)
	FindSubject(ctx context.Context, id int64) (*Subject, error)
	FindSelfAssessment(ctx context.Context, subject int64) (*SelfAssessment, error)
	// RoundFacts reads a round's scoring facts in one read transaction.
	RoundFacts(ctx context.Context, round int64) (*RoundFacts, error)
	// RoundResults returns the results stored when the round was approved (ENOTFOUND
	// before).
	RoundResults(ctx context.Context, round int64) (*Ranking, error)
	// FindPeople lists the person records of a unit ("" : every unit).
	FindPeople(ctx context.Context, unit string) ([]*Person, error)
	CreatePerson(ctx context.Context, p *Person) error
	AssessmentTx(ctx context.Context, fn func(tx AssessmentTx) error) error
}

// AssessmentTx is one write transaction of the assessment workflows.
type AssessmentTx interface {
	Now() time.Time
	FindFramework(ctx context.Context, slug string) (*Framework, error)
	FindFrameworkVersion(ctx context.Context, id int64) (*FrameworkVersion, error)
	FindRound(ctx context.Context, id int64) (*Round, error)
	FindSubject(ctx context.Context, id int64) (*Subject, error)
	FindSelfAssessment(ctx context.Context, subject int64) (*SelfAssessment, error)
	RoundFacts(ctx context.Context, round int64) (*RoundFacts, error)
	// CreateFramework stores a framework (ECONFLICT for a slug taken).
	CreateFramework(ctx context.Context, f *Framework) error
	// CreateVersion stores a draft version numbered after the framework's last.
	CreateVersion(ctx context.Context, v *FrameworkVersion) error
	// UpdateVersion replaces a draft's tree, total and note at version (0: any).
	UpdateVersion(ctx context.Context, v *FrameworkVersion, version int) error
	// PublishVersion freezes a version, published now by the context's actor.
	PublishVersion(ctx context.Context, id int64) error
	// ResolveSubjects checks that each subject's record exists (a unit of the right
	// kind, a person, a business account) and fills in its name and position.
	ResolveSubjects(ctx context.Context, subjects []*Subject) error
	// CreateRound stores an open round with its subjects, each with an empty draft.
	CreateRound(ctx context.Context, r *Round) error
	// SetRoundStatus moves a round at version (0: any); results are stored with an
	// approval, and the stamps of approval and publication set.
	SetRoundStatus(ctx context.Context, id int64, status string, results *Ranking, version int) error
	// SaveSelfAssessment writes a self-assessment's entries, status, stamps and return
	// count at version (0: any), as its next version.
	SaveSelfAssessment(ctx context.Context, s *SelfAssessment, version int) error
	// PutAssessmentEvidence attaches a stored file to a criterion.
	PutAssessmentEvidence(ctx context.Context, subject int64, e EvidenceOf) error
	Audit(ctx context.Context, action, entity, id string, before, after any) error
}
