package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/seed"
	"github.com/tinhso/tinhso/sqldb"
)

// provinces name the copies of the plan: copy k is the plan as another province (or
// the same province in a later cycle) would have it, with its own documents, agencies,
// indicators, tasks, problems and reporting.
var provinces = []string{
	"Thái Nguyên", "Lào Cai", "Tuyên Quang", "Cao Bằng", "Lạng Sơn", "Điện Biên", "Lai Châu", "Sơn La",
	"Phú Thọ", "Bắc Ninh", "Hưng Yên", "Ninh Bình", "Quảng Ninh", "Hải Phòng", "Hà Nội", "Thanh Hóa",
	"Nghệ An", "Hà Tĩnh", "Quảng Trị", "Huế", "Đà Nẵng", "Quảng Ngãi", "Gia Lai", "Đắk Lắk",
	"Khánh Hòa", "Lâm Đồng", "Đồng Nai", "Tây Ninh", "Hồ Chí Minh", "Đồng Tháp", "Vĩnh Long", "An Giang",
	"Cần Thơ", "Cà Mau",
}

// copyName names copy k (k ≥ 1): a province and, past the list, a cycle.
func copyName(k int) string {
	p := provinces[k%len(provinces)]
	if c := k / len(provinces); c > 0 {
		return fmt.Sprintf("%s (giai đoạn %d)", p, c+1)
	}
	return p
}

// renamer maps the seed's keys to those of copy k.
type renamer struct {
	k    int
	name string
	sfx  string
}

func newRenamer(k int) renamer {
	return renamer{k: k, name: copyName(k), sfx: fmt.Sprintf("-b%02d", k)}
}

func (r renamer) code(c string) string {
	if c == "" {
		return ""
	}
	return c + r.sfx
}

func (r renamer) codes(cs []string) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = r.code(c)
	}
	return out
}

func (r renamer) refs(cs []string) []tinhso.AgencyRef {
	out := make([]tinhso.AgencyRef, len(cs))
	for i, c := range cs {
		out[i] = tinhso.AgencyRef{Code: r.code(c)}
	}
	return out
}

// key maps "doc/rest" to "doc-bNN/rest".
func (r renamer) key(k string) string {
	doc, rest, ok := strings.Cut(k, "/")
	if !ok {
		return r.code(k)
	}
	return r.code(doc) + "/" + rest
}

// text puts the copy's province where the seed names Thái Nguyên.
func (r renamer) text(s string) string {
	return strings.ReplaceAll(s, "Thái Nguyên", r.name)
}

func (r renamer) number(n string) string {
	if n == "" {
		return ""
	}
	num, rest, ok := strings.Cut(n, "/")
	if !ok {
		return n + "-" + strconv.Itoa(r.k)
	}
	return fmt.Sprintf("%s-%d/%s", num, r.k, rest)
}

func source(s tinhso.Span, text string) *tinhso.Source {
	if s.IsZero() {
		return nil
	}
	return &tinhso.Source{Span: s, Text: text}
}

// growPlan adds copies 1..scale-1 of the seed plan (copy 0 is the seed itself), one
// transaction per copy.
func growPlan(ctx context.Context, db *sqldb.DB, set *seed.Set, scale int, progress func(int)) error {
	for k := 1; k < scale; k++ {
		r := newRenamer(k)
		err := db.InTx(ctx, func(ctx context.Context) error { return addCopy(ctx, db, set, r) })
		if err != nil {
			return fmt.Errorf("copy %d: %w", k, err)
		}
		progress(k)
	}
	return nil
}

func addCopy(ctx context.Context, db *sqldb.DB, s *seed.Set, r renamer) error {
	for _, d := range s.Documents {
		doc := &tinhso.Document{Slug: r.code(d.Slug), Kind: d.Kind, Number: r.number(d.Number), Title: r.text(d.Title) + " — " + r.name,
			Date: d.Date, Issuer: r.text(d.Issuer), Note: d.Note, Source: source(d.Source, d.SourceText)}
		if err := db.CreateDocument(ctx, doc); err != nil {
			return fmt.Errorf("document %s: %w", doc.Slug, err)
		}
	}
	units := make([]*tinhso.OrgUnit, len(s.OrgUnits))
	for i, u := range s.OrgUnits {
		aliases := make([]string, len(u.Aliases))
		for j, a := range u.Aliases {
			aliases[j] = r.text(a) + " (" + r.name + ")"
		}
		units[i] = &tinhso.OrgUnit{Code: r.code(u.Key), Name: r.text(u.Name) + " (" + r.name + ")", Kind: u.Kind, ParentCode: r.code(u.Parent),
			Aliases: aliases, MemberKind: u.MemberKind, Dissolved: u.Dissolved, Note: u.Note}
	}
	if _, _, err := db.ImportOrgUnits(ctx, units, tinhso.OrgUnitImport{}); err != nil {
		return fmt.Errorf("org units: %w", err)
	}
	for i, u := range s.OrgUnits {
		if len(u.Members) == 0 {
			continue
		}
		units[i].Members = r.codes(u.Members)
		if err := db.UpdateOrgUnit(ctx, units[i], 0); err != nil {
			return fmt.Errorf("org unit %s: %w", units[i].Code, err)
		}
	}
	for _, x := range s.Successions {
		sc := &tinhso.Succession{Key: r.key(x.ID), From: r.codes(x.From), To: r.codes(x.To), Kind: x.Kind, Effective: x.Effective,
			Citation: x.Citation, Note: x.Note, Source: source(x.Source, x.SourceText)}
		if err := db.CreateSuccession(ctx, sc); err != nil {
			return fmt.Errorf("succession %s: %w", sc.Key, err)
		}
	}
	for _, x := range s.Indicators {
		ind := &tinhso.Indicator{Key: r.key(x.ID), Document: r.code(x.Document), Code: x.Code, ParentCode: x.ParentCode, Name: x.Name, Unit: x.Unit,
			UnitCell: x.UnitCell, TargetText: x.TargetText, Horizon: x.Horizon, AgenciesText: r.text(x.AgenciesText), Agencies: r.refs(x.Agencies),
			Baseline: x.Baseline, Note: x.Note, Flags: x.Flags, Spans: x.Spans, Source: source(x.Source, x.SourceText)}
		if err := db.CreateIndicator(ctx, ind); err != nil {
			return fmt.Errorf("indicator %s: %w", ind.Key, err)
		}
	}
	for _, m := range s.Measures {
		ms := &tinhso.Measure{Key: r.code(m.Key), Name: m.Name + " (" + r.name + ")", Unit: m.Unit, Note: m.Note}
		for _, k := range m.Indicators {
			ms.Targets = append(ms.Targets, tinhso.MeasureTarget{Key: r.key(k)})
		}
		if err := db.CreateMeasure(ctx, ms); err != nil {
			return fmt.Errorf("measure %s: %w", ms.Key, err)
		}
	}
	for _, x := range s.Tasks {
		t := &tinhso.Task{Key: r.key(x.ID), Document: r.code(x.Document), Number: x.Number, Section: x.Section, SectionTitle: x.SectionTitle,
			Title: r.text(x.Title), LeadText: r.text(x.LeadText), Lead: r.refs(x.Lead), CooperatingText: r.text(x.CooperatingText),
			Cooperating: r.refs(x.Cooperating), Deliverable: x.Deliverable, DeadlineText: x.DeadlineText, Note: x.Note, Flags: x.Flags,
			Spans: x.Spans, Source: source(x.Source, x.SourceText)}
		if err := db.CreateTask(ctx, t); err != nil {
			return fmt.Errorf("task %s: %w", t.Key, err)
		}
	}
	for _, x := range s.Funding {
		l := &tinhso.FundingLine{Key: r.key(x.Key), Document: r.code(x.Document), Parent: r.key(x.Parent), Label: x.Label,
			AmountMillionVND: x.AmountMillionVND, AmountText: x.AmountText, Source: source(x.Source, x.SourceText)}
		if x.Parent == "" {
			l.Parent = ""
		}
		if err := db.CreateFundingLine(ctx, l); err != nil {
			return fmt.Errorf("funding %s: %w", l.Key, err)
		}
	}
	for _, x := range s.Problems {
		n, err := strconv.Atoi(x.Number)
		if err != nil {
			return fmt.Errorf("problem %s: number %q: %w", x.ID, x.Number, err)
		}
		p := &tinhso.Problem{Key: r.key(x.ID), Document: r.code(x.Document), Province: x.Province, Number: n, Title: x.Title, Basis: x.Basis,
			ExpectedResults: x.ExpectedResults, Status: []string{"open", "open", "proposals", "commissioned", "solved"}[(r.k+n)%5], Note: x.Note,
			Spans: x.Spans, Source: source(x.Source, x.SourceText)}
		if !contains(tinhso.ProblemStatuses, p.Status) {
			p.Status = "open"
		}
		if err := db.CreateProblem(ctx, p); err != nil {
			return fmt.Errorf("problem %s: %w", p.Key, err)
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// reportingStats counts what addReporting made.
type reportingStats struct {
	Periods, Submissions, Approved, Submitted, Failed int
	FirstErr, ValueErr                                error
}

// addReporting gives copy k (0: the seed) a quarterly reporting regime on its plan 25
// with the blockers resolved the way an admin would (a commune succeeding the former
// districts), opens the four quarters of 2026 and has the units report: most
// submissions approved (so the province figures exist), some submitted, the rest
// drafts; the first two quarters are then closed.
func addReporting(ctx context.Context, db *sqldb.DB, uc *app.App, k int, rng *rand.Rand, st *reportingStats) error {
	r := newRenamer(k)
	code, key := r.code, r.key
	if k == 0 {
		code = func(c string) string { return c }
		key = code
	}
	ctx = tinhso.WithActor(ctx, tinhso.Actor{Username: "bench", Address: "127.0.0.1"})
	regime := "kh25-quy" + strings.TrimPrefix(r.sfx, "-")
	if k == 0 {
		regime = "kh25-quy"
	}
	prov := r.name
	if k == 0 {
		prov = "Thái Nguyên"
	}
	if err := db.CreateRegime(ctx, &tinhso.Regime{Key: regime, Name: "Báo cáo quý Kế hoạch 25 — " + prov, Document: code("25-kh-ubnd"),
		Receiver: code("so-khoa-hoc-va-cong-nghe"), Frequency: tinhso.FreqQuarterly, CutoffDay: 14, DeadlineDays: 10}); err != nil {
		return fmt.Errorf("regime: %w", err)
	}
	commune := code("mau-phuong-1")
	if _, _, err := db.ImportOrgUnits(ctx, []*tinhso.OrgUnit{{Code: commune, Name: "Phường Trung Tâm (" + prov + ", dữ liệu mẫu)",
		Kind: tinhso.KindCommune, ParentCode: code("ubnd-tinh-thai-nguyen"), Synthetic: true}}, tinhso.OrgUnitImport{}); err != nil {
		return fmt.Errorf("commune: %w", err)
	}
	districts, _, err := db.FindOrgUnits(ctx, tinhso.OrgUnitFilter{Kind: tinhso.KindDistrict, Parent: code("ubnd-tinh-thai-nguyen"), Page: tinhso.Page{Limit: 1000}})
	if err != nil {
		return err
	}
	for _, u := range districts {
		if err := db.CreateSuccession(ctx, &tinhso.Succession{Key: key("bench/s-" + u.Code), From: []string{u.Code}, To: []string{commune}, Kind: "merge",
			Effective: "2025-07-01", Citation: "Nghị quyết sắp xếp đơn vị hành chính cấp xã (dữ liệu mẫu)"}); err != nil {
			return fmt.Errorf("succession of %s: %w", u.Code, err)
		}
	}
	inds := map[string]*tinhso.Indicator{}
	list, _, err := db.FindIndicators(ctx, tinhso.IndicatorFilter{Document: code("25-kh-ubnd"), Page: tinhso.Page{Limit: 1000}})
	if err != nil {
		return err
	}
	for _, ind := range list {
		inds[ind.Key] = ind
	}
	for q := 1; q <= 4; q++ {
		p, err := uc.OpenPeriod(ctx, regime, 2026, q)
		if err != nil {
			return fmt.Errorf("open Q%d: %w", q, err)
		}
		st.Periods++
		subs, _, err := db.FindSubmissions(ctx, tinhso.SubmissionFilter{Period: p.ID, Items: true, Page: tinhso.Page{Limit: 10000}})
		if err != nil {
			return err
		}
		for _, s := range subs {
			st.Submissions++
			roll := rng.IntN(100)
			if roll >= 85 && q >= 3 {
				continue // a draft
			}
			var values []tinhso.IndicatorValue
			for _, ik := range s.Indicators {
				ind := inds[ik]
				if ind == nil {
					continue
				}
				values = append(values, valueFor(ind, rng))
			}
			saved, err := uc.SaveSubmission(ctx, s.ID, values, nil, 0)
			if err != nil && st.ValueErr == nil {
				st.ValueErr = err
			}
			if err != nil {
				// A value the indicator refuses: report without values.
				if saved, err = uc.SaveSubmission(ctx, s.ID, nil, nil, 0); err != nil {
					st.fail(err)
					continue
				}
			}
			if _, err := uc.Transition(ctx, saved.ID, tinhso.TransSubmit, "", 0); err != nil {
				st.fail(err)
				continue
			}
			if roll >= 70 && q >= 3 {
				st.Submitted++
				continue
			}
			if _, err := uc.Transition(ctx, saved.ID, tinhso.TransApprove, "", 0); err != nil {
				st.fail(err)
				continue
			}
			st.Approved++
		}
		if q <= 2 {
			if _, err := uc.ClosePeriod(ctx, p.ID); err != nil {
				return fmt.Errorf("close Q%d: %w", q, err)
			}
		}
	}
	return nil
}

func (st *reportingStats) fail(err error) {
	st.Failed++
	if st.FirstErr == nil {
		st.FirstErr = err
	}
}

// valueFor makes a plausible value of an indicator: near its target when it has a
// number, a short text otherwise.
func valueFor(ind *tinhso.Indicator, rng *rand.Rand) tinhso.IndicatorValue {
	v := tinhso.IndicatorValue{Indicator: ind.Key}
	t := ind.Target
	numeric := t.Value != nil && (t.Kind == tinhso.TargetNumeric || t.Kind == tinhso.TargetRank)
	if !numeric && strings.TrimSpace(ind.Unit) == "" {
		v.Text = "Đã triển khai theo kế hoạch"
		return v
	}
	base := 50.0
	if numeric {
		base = *t.Value
	}
	n := base * (0.6 + 0.5*rng.Float64())
	if t.Kind == tinhso.TargetRank {
		n = float64(1 + rng.IntN(34))
	}
	if strings.Contains(ind.Unit, "%") {
		n = min(n, 100)
	}
	n = float64(int(n*100)) / 100
	v.Number, v.Unit = &n, ind.Unit
	if ind.Aggregation == "weighted_mean" {
		w := float64(100 + rng.IntN(5000))
		v.Weight = &w
	}
	return v
}
