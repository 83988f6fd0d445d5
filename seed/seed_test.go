package seed_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/seed"
	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

// The copies in sources/ are the shared seed documents, byte for byte.
func TestSourcesAreTheSharedSeeds(t *testing.T) {
	shared := filepath.Join("..", "..", "shared", "seeds")
	if _, err := os.Stat(shared); err != nil {
		t.Skip("shared/seeds is not beside the repository")
	}
	for _, f := range seed.SourceFiles() {
		want, err := os.ReadFile(filepath.Join(shared, f))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		got, _ := os.ReadFile(filepath.Join("sources", f))
		if string(got) != string(want) {
			t.Errorf("sources/%s differs from shared/seeds/%s", f, f)
		}
	}
}

type spanned struct {
	id         string
	source     tinhso.Span
	sourceText string
	spans      map[string]tinhso.Span
	fields     map[string]string
	flags      []string
}

func allRecords(s *seed.Set) []spanned {
	var out []spanned
	add := func(id string, src tinhso.Span, text string, spans map[string]tinhso.Span, flags []string, fields map[string]string) {
		out = append(out, spanned{id, src, text, spans, fields, flags})
	}
	for _, d := range s.Documents {
		add("document "+d.Slug, d.Source, d.SourceText, d.Spans, d.Flags, map[string]string{"slug": d.Slug, "number": d.Number, "title": d.Title, "date": d.Date, "issuer": d.Issuer})
	}
	for _, x := range s.Indicators {
		add(x.ID, x.Source, x.SourceText, x.Spans, x.Flags, map[string]string{"code": x.Code, "parent_code": x.ParentCode, "name": x.Name, "unit": x.Unit,
			"unit_cell": x.UnitCell, "target_text": x.TargetText, "agencies_text": x.AgenciesText, "baseline": x.Baseline})
	}
	for _, x := range s.Tasks {
		add(x.ID, x.Source, x.SourceText, x.Spans, x.Flags, map[string]string{"number": x.Number, "section": x.Section, "section_title": x.SectionTitle,
			"title": x.Title, "lead_text": x.LeadText, "cooperating_text": x.CooperatingText, "deliverable": x.Deliverable, "deadline_text": x.DeadlineText})
	}
	for _, x := range s.Funding {
		add("funding "+x.Key, x.Source, x.SourceText, x.Spans, x.Flags, map[string]string{"label": x.Label, "amount_text": x.AmountText})
	}
	for _, x := range s.Problems {
		add(x.ID, x.Source, x.SourceText, x.Spans, x.Flags, map[string]string{"number": x.Number, "province": x.Province, "title": x.Title, "basis": x.Basis, "expected_results": x.ExpectedResults})
	}
	for _, x := range append(append([]seed.Succession{}, s.Successions...), s.Suggestions...) {
		add(x.ID, x.Source, x.SourceText, nil, x.Flags, nil)
	}
	return out
}

func mustLines(t *testing.T, cache map[string][]string, file string) []string {
	t.Helper()
	if l, ok := cache[file]; ok {
		return l
	}
	l, err := seed.SourceLines(file)
	if err != nil {
		t.Fatalf("source file %q: %v", file, err)
	}
	cache[file] = l
	return l
}

// Every record's source span holds exactly its source text, and every spanned field
// exactly its value.
func TestSpans(t *testing.T) {
	set, err := seed.Read()
	if err != nil {
		t.Fatal(err)
	}
	cache := map[string][]string{}
	n := 0
	for _, r := range allRecords(set) {
		if r.source.IsZero() {
			t.Errorf("%s: no source span", r.id)
			continue
		}
		got, ok := r.source.Text(mustLines(t, cache, r.source.File))
		if !ok || got != r.sourceText {
			t.Errorf("%s: source span %+v holds %q, want %q", r.id, r.source, got, r.sourceText)
		}
		n++
		for field, sp := range r.spans {
			want, known := r.fields[field]
			if !known {
				t.Errorf("%s: span for unknown field %q", r.id, field)
				continue
			}
			got, ok := sp.Text(mustLines(t, cache, sp.File))
			if !ok || got != want {
				t.Errorf("%s: span of %s %+v holds %q, want %q", r.id, field, sp, got, want)
			}
			n++
		}
	}
	t.Logf("%d spans checked", n)
	if n < 1000 {
		t.Errorf("only %d spans checked; the data set is incomplete", n)
	}
}

// Every Phụ lục row, numbered item and bullet of the covered sections maps to records
// or to one exclusion with its reason, never both, never neither.
func TestCoverage(t *testing.T) {
	set, err := seed.Read()
	if err != nil {
		t.Fatal(err)
	}
	cache := map[string][]string{}
	starts := map[string]int{} // file:line → records starting there
	for _, r := range allRecords(set) {
		starts[r.source.File+":"+itoa(r.source.Line)]++
	}
	excluded := map[string]int{}
	for _, c := range set.Coverage {
		for _, e := range c.Exclusions {
			if strings.TrimSpace(e.Reason) == "" {
				t.Errorf("exclusion %s:%d has no reason", e.File, e.Line)
			}
			excluded[e.File+":"+itoa(e.Line)]++
		}
	}
	items := 0
	for _, c := range set.Coverage {
		for _, sec := range c.Sections {
			re, err := regexp.Compile(sec.ItemPattern)
			if err != nil {
				t.Errorf("section %q: bad pattern: %v", sec.Name, err)
				continue
			}
			lines := mustLines(t, cache, sec.File)
			for n := sec.StartLine; n <= sec.EndLine && n <= len(lines); n++ {
				if !re.MatchString(lines[n-1]) {
					continue
				}
				items++
				k := sec.File + ":" + itoa(n)
				switch r, e := starts[k], excluded[k]; {
				case r > 0 && e > 0:
					t.Errorf("%s (%s): both a record and an exclusion", k, sec.Name)
				case r == 0 && e == 0:
					t.Errorf("%s (%s): item %q maps to no record and no exclusion", k, sec.Name, clip(lines[n-1]))
				case e > 1:
					t.Errorf("%s: excluded %d times", k, e)
				}
			}
		}
	}
	t.Logf("%d items covered", items)
}

func clip(s string) string {
	if r := []rune(s); len(r) > 60 {
		return string(r[:60]) + "…"
	}
	return s
}

func itoa(n int) string { return strings.TrimSpace(strings.Repeat(" ", 0) + fmtInt(n)) }

func fmtInt(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}

// The references between records resolve, and the counts are the documents'.
func TestReferencesAndCounts(t *testing.T) {
	set, err := seed.Read()
	if err != nil {
		t.Fatal(err)
	}
	units := map[string]seed.OrgUnit{}
	for _, u := range set.OrgUnits {
		if _, dup := units[u.Key]; dup {
			t.Errorf("org unit %s twice", u.Key)
		}
		units[u.Key] = u
	}
	all := ""
	for _, f := range seed.SourceFiles() {
		l, _ := seed.SourceLines(f)
		all += strings.Join(l, "\n")
	}
	for _, u := range set.OrgUnits {
		for _, a := range u.Aliases {
			if !strings.Contains(all, a) {
				t.Errorf("org unit %s: alias %q occurs in no source", u.Key, a)
			}
		}
		for _, m := range u.Members {
			if _, ok := units[m]; !ok {
				t.Errorf("org unit %s: member %s unknown", u.Key, m)
			}
		}
	}
	check := func(id string, codes []string) {
		for _, c := range codes {
			if _, ok := units[c]; !ok {
				t.Errorf("%s: unknown org unit %s", id, c)
			}
		}
	}
	perDoc := map[string]int{}
	for _, x := range set.Indicators {
		check(x.ID, x.Agencies)
	}
	for _, x := range set.Tasks {
		check(x.ID, x.Lead)
		check(x.ID, x.Cooperating)
		perDoc[x.Document]++
	}
	for _, x := range append(append([]seed.Succession{}, set.Successions...), set.Suggestions...) {
		check(x.ID, x.From)
		check(x.ID, x.To)
	}
	if len(set.Suggestions) != 3 {
		t.Errorf("%d suggested successions, want the three 2025 reorganisations", len(set.Suggestions))
	}
	if perDoc["25-kh-ubnd"] != 68 {
		t.Errorf("plan 25/KH-UBND has %d tasks, want 68", perDoc["25-kh-ubnd"])
	}
	provinces := map[string]int{}
	for _, p := range set.Problems {
		provinces[p.Province]++
	}
	if want := map[string]int{"Thái Nguyên": 13, "Lạng Sơn": 10}; !reflect.DeepEqual(provinces, want) {
		t.Errorf("problems per province = %v, want %v", provinces, want)
	}
	// Funding: every parent is the sum of its children.
	roots := tinhso.FundingTree(fundingLines(set))
	var walk func(l *tinhso.FundingLine)
	walk = func(l *tinhso.FundingLine) {
		if !l.Balanced {
			t.Errorf("funding %s: %d ≠ sum of parts %d", l.Key, l.AmountMillionVND, l.ChildrenSum)
		}
		for _, c := range l.Children {
			walk(c)
		}
	}
	for _, r := range roots {
		walk(r)
	}
	if len(roots) != 1 || roots[0].AmountMillionVND != 16303827 {
		t.Errorf("funding should be one tree of 16.303.827 million đồng, got %d roots", len(roots))
	}
}

func fundingLines(s *seed.Set) []*tinhso.FundingLine {
	var out []*tinhso.FundingLine
	for _, f := range s.Funding {
		out = append(out, &tinhso.FundingLine{Key: f.Key, Parent: f.Parent, AmountMillionVND: f.AmountMillionVND})
	}
	return out
}

// Loading into a real SQLite file adds everything once; a second load adds nothing.
func TestLoadOnce(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		db := sqldbtest.Open(t, engine)
		loaded, err := seed.Load(ctx, db)
		if err != nil || !loaded {
			t.Fatalf("first load: loaded=%v err=%v", loaded, err)
		}
		_, tasks1, _ := db.FindTasks(ctx, tinhso.TaskFilter{})
		loaded, err = seed.Load(ctx, db)
		if err != nil || loaded {
			t.Fatalf("second load: loaded=%v err=%v", loaded, err)
		}
		_, tasks2, _ := db.FindTasks(ctx, tinhso.TaskFilter{})
		set, _ := seed.Read()
		if tasks1 != len(set.Tasks) || tasks2 != tasks1 {
			t.Errorf("tasks after loads: %d then %d, want %d", tasks1, tasks2, len(set.Tasks))
		}
	})
}
