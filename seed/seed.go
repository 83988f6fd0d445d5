// Package seed is the data set tinhso carries from its first start: the plan, targets,
// tasks, funding, org units, successions and big problems extracted from the Vietnamese
// documents in sources/, each record pointing back at the passage it came from. See
// FORMAT.md.
package seed

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"

	"github.com/tinhso/tinhso"
)

//go:embed data/*.json sources/*.txt
var files embed.FS

// Name identifies this seed data set in the store; Load adds it once.
const Name = "plan-2025-v1"

// Record fields shared by every kind of record.
type record struct {
	ID         string                 `json:"id"`
	Source     tinhso.Span            `json:"source"`
	SourceText string                 `json:"source_text"`
	Spans      map[string]tinhso.Span `json:"spans"`
	Flags      []string               `json:"flags"`
	Note       string                 `json:"note"`
}

func (r record) source() *tinhso.Source {
	if r.Source.IsZero() {
		return nil
	}
	return &tinhso.Source{Span: r.Source, Text: r.SourceText}
}

// Document is a documents.json record.
type Document struct {
	record
	Slug   string `json:"slug"`
	Kind   string `json:"kind"`
	Number string `json:"number"`
	Title  string `json:"title"`
	Date   string `json:"date"`
	Issuer string `json:"issuer"`
	// IssuedAfter and IssuedAfterText: a document without a date, adopted after the
	// date its own passage gives (tinhso.Document).
	IssuedAfter     string `json:"issued_after"`
	IssuedAfterText string `json:"issued_after_text"`
}

// OrgUnit is an org_units*.json record.
type OrgUnit struct {
	Key        string   `json:"key"`
	Name       string   `json:"name"`
	Kind       string   `json:"kind"`
	Parent     string   `json:"parent"`
	Aliases    []string `json:"aliases"`
	Members    []string `json:"members"`
	MemberKind string   `json:"member_kind"`
	Dissolved  string   `json:"dissolved"`
	Note       string   `json:"note"`
}

// Indicator is an indicators_*.json record.
type Indicator struct {
	record
	Document     string   `json:"document"`
	Code         string   `json:"code"`
	ParentCode   string   `json:"parent_code"`
	Name         string   `json:"name"`
	Unit         string   `json:"unit"`
	UnitCell     string   `json:"unit_cell"`
	TargetText   string   `json:"target_text"`
	Horizon      int      `json:"horizon"`
	AgenciesText string   `json:"agencies_text"`
	Agencies     []string `json:"agencies"`
	Measure      string   `json:"measure"`
	Baseline     string   `json:"baseline"`
}

// Task is a tasks_*.json record.
type Task struct {
	record
	Document        string   `json:"document"`
	Number          string   `json:"number"`
	Section         string   `json:"section"`
	SectionTitle    string   `json:"section_title"`
	Title           string   `json:"title"`
	LeadText        string   `json:"lead_text"`
	Lead            []string `json:"lead"`
	CooperatingText string   `json:"cooperating_text"`
	Cooperating     []string `json:"cooperating"`
	Deliverable     string   `json:"deliverable"`
	DeadlineText    string   `json:"deadline_text"`
}

// Measure is a measures.json record.
type Measure struct {
	Key        string   `json:"key"`
	Name       string   `json:"name"`
	Unit       string   `json:"unit"`
	Indicators []string `json:"indicators"`
	Note       string   `json:"note"`
}

// FundingLine is a funding.json record.
type FundingLine struct {
	record
	Key              string `json:"key"`
	Document         string `json:"document"`
	Parent           string `json:"parent"`
	Label            string `json:"label"`
	AmountMillionVND int64  `json:"amount_million_vnd"`
	AmountText       string `json:"amount_text"`
}

// Problem is a problems.json record.
type Problem struct {
	record
	Document string `json:"document"`
	Province string `json:"province"`
	Number   string `json:"number"` // as written

	Title           string `json:"title"`
	Basis           string `json:"basis"`
	ExpectedResults string `json:"expected_results"`
}

// Succession is a successions.json record.
type Succession struct {
	record
	From      []string `json:"from"`
	To        []string `json:"to"`
	Kind      string   `json:"kind"`
	Effective string   `json:"effective"`
	Citation  string   `json:"citation"`
}

// Coverage is a coverage_*.json file: the sections whose items must all be accounted for.
type Coverage struct {
	Sections []struct {
		File        string `json:"file"`
		Name        string `json:"name"`
		StartLine   int    `json:"start_line"`
		EndLine     int    `json:"end_line"`
		ItemPattern string `json:"item_pattern"`
	} `json:"sections"`
	Exclusions []struct {
		File   string `json:"file"`
		Line   int    `json:"line"`
		Reason string `json:"reason"`
	} `json:"exclusions"`
}

// Set is the whole seed data set.
type Set struct {
	Documents   []Document
	OrgUnits    []OrgUnit
	Indicators  []Indicator
	Tasks       []Task
	Measures    []Measure
	Funding     []FundingLine
	Problems    []Problem
	Successions []Succession
	// Suggestions are successions the sources point at but do not decide: stored as
	// suggested, for an admin to confirm with the decision (succession_suggestions.json).
	Suggestions []Succession
	Coverage    []Coverage
	// History is the figures of the indicators' past the sources give, with the
	// passages they are found in (loaded by LoadHistory).
	History []tinhso.HistoryFigure
	// Checksum identifies the data files' content.
	Checksum string
}

// Read parses the embedded data set. Unknown fields are errors, so a typo in a data
// file cannot pass silently.
func Read() (*Set, error) {
	s := &Set{}
	names, err := fs.Glob(files, "data/*.json")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	h := sha256.New()
	for _, name := range names {
		b, err := files.ReadFile(name)
		if err != nil {
			return nil, err
		}
		h.Write(b)
		base := strings.TrimSuffix(strings.TrimPrefix(name, "data/"), ".json")
		var dst any
		switch {
		case base == "documents":
			dst = &s.Documents
		case strings.HasPrefix(base, "org_units"):
			var list []OrgUnit
			if err := decodeStrict(b, &list); err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			s.OrgUnits = append(s.OrgUnits, list...)
			continue
		case strings.HasPrefix(base, "indicators_"):
			var list []Indicator
			if err := decodeStrict(b, &list); err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			s.Indicators = append(s.Indicators, list...)
			continue
		case strings.HasPrefix(base, "tasks_"):
			var list []Task
			if err := decodeStrict(b, &list); err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			s.Tasks = append(s.Tasks, list...)
			continue
		case strings.HasPrefix(base, "coverage_"):
			var c Coverage
			if err := decodeStrict(b, &c); err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			s.Coverage = append(s.Coverage, c)
			continue
		case base == "measures":
			dst = &s.Measures
		case base == "funding":
			dst = &s.Funding
		case base == "problems":
			dst = &s.Problems
		case base == "successions":
			dst = &s.Successions
		case base == "history":
			dst = &s.History
		case base == "succession_suggestions":
			dst = &s.Suggestions
		default:
			return nil, fmt.Errorf("%s: unknown seed file", name)
		}
		if err := decodeStrict(b, dst); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	s.Checksum = hex.EncodeToString(h.Sum(nil))
	return s, nil
}

func decodeStrict(b []byte, v any) error {
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// SourceLines returns the lines of a source file.
func SourceLines(file string) ([]string, error) {
	b, err := files.ReadFile("sources/" + file)
	if err != nil {
		return nil, err
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n"), nil
}

// SourceFiles lists the source documents' file names.
func SourceFiles() []string {
	names, _ := fs.Glob(files, "sources/*.txt")
	for i, n := range names {
		names[i] = strings.TrimPrefix(n, "sources/")
	}
	return names
}

// Store is what loading needs of storage.
type Store interface {
	tinhso.PlanStore
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	Lock(ctx context.Context, name string) error
	SeedLoaded(ctx context.Context, name string) (bool, error)
	MarkSeedLoaded(ctx context.Context, name, checksum string) error
	CreateFundingLine(ctx context.Context, l *tinhso.FundingLine) error
}

// Load adds the seed data set to the store unless it was added before, in one
// transaction: after a failure nothing of it is stored. It reports whether it loaded.
func Load(ctx context.Context, st Store) (bool, error) {
	set, err := Read()
	if err != nil {
		return false, err
	}
	loaded := false
	err = st.InTx(ctx, func(ctx context.Context) error {
		// Nodes starting together on one PostgreSQL database load the seed once.
		if err := st.Lock(ctx, "tinhso-seed"); err != nil {
			return err
		}
		if done, err := st.SeedLoaded(ctx, Name); err != nil || done {
			return err
		}
		if err := set.load(ctx, st); err != nil {
			return err
		}
		loaded = true
		return st.MarkSeedLoaded(ctx, Name, set.Checksum)
	})
	return loaded, err
}

func (s *Set) load(ctx context.Context, st Store) error {
	for _, d := range s.Documents {
		doc := &tinhso.Document{Slug: d.Slug, Kind: d.Kind, Number: d.Number, Title: d.Title, Date: d.Date, IssuedAfter: d.IssuedAfter, IssuedAfterText: d.IssuedAfterText, Issuer: d.Issuer, Note: d.Note, Source: d.source()}
		if err := st.CreateDocument(ctx, doc); err != nil {
			return fmt.Errorf("document %s: %w", d.Slug, err)
		}
	}
	// Org units go in twice: first plain, then with parents and members, so order in
	// the files does not matter.
	units := make([]*tinhso.OrgUnit, len(s.OrgUnits))
	for i, u := range s.OrgUnits {
		units[i] = &tinhso.OrgUnit{Code: u.Key, Name: u.Name, Kind: u.Kind, ParentCode: u.Parent, Aliases: u.Aliases,
			MemberKind: u.MemberKind, Dissolved: u.Dissolved, Note: u.Note}
	}
	if _, _, err := st.ImportOrgUnits(ctx, units, tinhso.OrgUnitImport{Update: true}); err != nil {
		return fmt.Errorf("org units: %w", err)
	}
	for i, u := range s.OrgUnits {
		if len(u.Members) == 0 {
			continue
		}
		units[i].Members = u.Members
		if err := st.UpdateOrgUnit(ctx, units[i], 0); err != nil {
			return fmt.Errorf("org unit %s: %w", u.Key, err)
		}
	}
	for _, x := range s.Successions {
		sc := &tinhso.Succession{Key: x.ID, From: x.From, To: x.To, Kind: x.Kind, Effective: x.Effective, Citation: x.Citation, Note: x.Note, Source: x.source()}
		if err := st.CreateSuccession(ctx, sc); err != nil {
			return fmt.Errorf("succession %s: %w", x.ID, err)
		}
	}
	for _, x := range s.Suggestions {
		sg := &tinhso.SuccessionSuggestion{Key: x.ID, From: x.From, To: x.To, Kind: x.Kind, Effective: x.Effective, Citation: x.Citation, Note: x.Note,
			Evidence: []tinhso.Source{*x.source()}}
		if err := st.CreateSuccessionSuggestion(ctx, sg); err != nil {
			return fmt.Errorf("suggested succession %s: %w", x.ID, err)
		}
	}
	for _, x := range s.Indicators {
		ind := &tinhso.Indicator{Key: x.ID, Document: x.Document, Code: x.Code, ParentCode: x.ParentCode, Name: x.Name, Unit: x.Unit,
			UnitCell: x.UnitCell, TargetText: x.TargetText, Horizon: x.Horizon, AgenciesText: x.AgenciesText, Agencies: refs(x.Agencies),
			Baseline: x.Baseline, Note: x.Note, Flags: x.Flags, Spans: x.Spans, Source: x.source()}
		if err := st.CreateIndicator(ctx, ind); err != nil {
			return fmt.Errorf("indicator %s: %w", x.ID, err)
		}
	}
	for _, m := range s.Measures {
		ms := &tinhso.Measure{Key: m.Key, Name: m.Name, Unit: m.Unit, Note: m.Note}
		for _, k := range m.Indicators {
			ms.Targets = append(ms.Targets, tinhso.MeasureTarget{Key: k})
		}
		if err := st.CreateMeasure(ctx, ms); err != nil {
			return fmt.Errorf("measure %s: %w", m.Key, err)
		}
	}
	for _, x := range s.Tasks {
		t := &tinhso.Task{Key: x.ID, Document: x.Document, Number: x.Number, Section: x.Section, SectionTitle: x.SectionTitle, Title: x.Title,
			LeadText: x.LeadText, Lead: refs(x.Lead), CooperatingText: x.CooperatingText, Cooperating: refs(x.Cooperating),
			Deliverable: x.Deliverable, DeadlineText: x.DeadlineText, Note: x.Note, Flags: x.Flags, Spans: x.Spans, Source: x.source()}
		if err := st.CreateTask(ctx, t); err != nil {
			return fmt.Errorf("task %s: %w", x.ID, err)
		}
	}
	for _, x := range s.Funding {
		l := &tinhso.FundingLine{Key: x.Key, Document: x.Document, Parent: x.Parent, Label: x.Label, AmountMillionVND: x.AmountMillionVND,
			AmountText: x.AmountText, Source: x.source()}
		if err := st.CreateFundingLine(ctx, l); err != nil {
			return fmt.Errorf("funding %s: %w", x.Key, err)
		}
	}
	for _, x := range s.Problems {
		n, err := strconv.Atoi(x.Number)
		if err != nil {
			return fmt.Errorf("problem %s: number %q: %w", x.ID, x.Number, err)
		}
		p := &tinhso.Problem{Key: x.ID, Document: x.Document, Province: x.Province, Number: n, Title: x.Title, Basis: x.Basis,
			ExpectedResults: x.ExpectedResults, Status: "open", Note: x.Note, Spans: x.Spans, Source: x.source()}
		if err := st.CreateProblem(ctx, p); err != nil {
			return fmt.Errorf("problem %s: %w", x.ID, err)
		}
	}
	return nil
}

func refs(codes []string) []tinhso.AgencyRef {
	out := make([]tinhso.AgencyRef, len(codes))
	for i, c := range codes {
		out[i] = tinhso.AgencyRef{Code: c}
	}
	return out
}
