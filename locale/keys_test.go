package locale_test

import (
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/tinhso/tinhso/locale"
)

// dynamicPrefixes are the keys the code makes by joining a prefix and a value
// ("status." + a problem's status). A key under one counts as used when the rest of it
// appears as a string literal in the code (the values are constants or literals there).
// Keep this list short: every other key must appear in the code as it is.
var dynamicPrefixes = []string{
	// The domain.
	"field.",            // labels of tinhso.Field arguments: the fields' names
	"word.problem.",     // a problem's status inside a sentence (sqldb/proposals.go)
	"word.proposal.",    // a proposal's status (tinhso.ProposalNext)
	"word.submission.",  // a submission's status (tinhso.Next)
	"xlsx.status.",      // a submission's status in the consolidated report
	"xlsx.agg.",         // an indicator's aggregation in the consolidated report
	"netguard.refused.", // netguard.RefusedError.Key(): its Reason
	"status.class.",     // a task's or indicator's computed status (status.go), for the pages
	"status.flag.",      // a status's flags (status.go)
	"status.period.",    // a period's state in a status (status.go)
	// The pages (templates: {{.T (print "kind." .Kind)}}).
	"board.sub.", "diff.", "doc.", "freq.", "kind.", "progress.", "pstatus.",
	"punct.", "role.", "scope.", "sort.", "state.", "status.", "substatus.", "succ.", "via.",
	"notif.",           // a notification's kind (engine.ReminderBefore, …)
	"flash.",           // ?done=<name> after a form is sent
	"flag.",            // a record's import flags (seed/data/*.json: "page_break", "duplicate_of:…")
	"flag.deadline_",   // tinhso.Task.ApplyDeadline: "deadline_" + the deadline parser's flag
	"notify.severity.", // an alert's severity in a digest (notify.KeySeverity + info, warning, critical)
	// Monitoring I (web/monitoring.go): a status class, period state, status flag, or
	// figure source joined to its prefix.
	"mon.src.", // status.class., status.period., status.flag.: listed above
	// Assessment (issue 14): a round's or self-assessment's status, a rule's kind, a
	// subject's kind, a decision.
	"assessment.status.", "assessment.rule.", "assessment.kind.", "assessment.decision.", "assessment.source.", "assessment.done.", "assessment.vstatus.",
	// Live data II (web/html/indicator.html): a series feed's function.
	"live2.func.",
	// Steering (issue 15): a directive task's status and a step's name.
	"steering.status.", "steering.step.",
}

// code is what the module's code says: its string literals, the literals it passes
// where a key belongs, and the prefixes it joins keys from.
type code struct {
	literals map[string]bool
	// keys are the literals passed where a message key belongs, with where.
	keys map[string]string
	// prefixes are the literals a template joins a key from: (print "kind." .Kind).
	prefixes map[string]string
}

// readCode reads the module's code once for the tests that need it.
func readCode(t *testing.T) code {
	t.Helper()
	c, err := theCode()
	if err != nil {
		t.Fatal(err)
	}
	if len(c.keys) < 100 {
		t.Fatalf("only %d keys found in the code", len(c.keys))
	}
	return c
}

var theCode = sync.OnceValues(func() (code, error) {
	root, err := filepath.Abs("..")
	if err != nil {
		return code{}, err
	}
	c := code{literals: map[string]bool{}, keys: map[string]string{}, prefixes: map[string]string{}}
	fset := token.NewFileSet()
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		switch {
		case strings.HasSuffix(rel, ".go") && !strings.HasSuffix(rel, "_test.go"):
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			c.goLiterals(fset, src)
			return c.goKeys(fset, rel, src)
		case strings.HasSuffix(rel, ".html"):
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			c.templateKeys(rel, string(src))
		case strings.HasPrefix(rel, "seed/data/") && strings.HasSuffix(rel, ".json"):
			// The import flags the pages name in words ("flag." + name).
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for _, m := range quotedRe.FindAllStringSubmatch(string(src), -1) {
				c.literals[m[1]] = true
			}
		}
		return nil
	})
	return c, err
})

// words are the parts of a literal a key may be joined from: the literal, and its
// pieces between characters no key has ("?done=form_uploaded" gives "form_uploaded",
// "duplicate_of:1893/t7" gives "duplicate_of").
func words(lit string) []string {
	out := []string{lit}
	for _, w := range strings.FieldsFunc(lit, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '.')
	}) {
		out = append(out, w)
	}
	return out
}

// goLiterals collects every string literal of a Go file.
func (c code) goLiterals(fset *token.FileSet, src []byte) {
	var s scanner.Scanner
	s.Init(fset.AddFile("", fset.Base(), len(src)), src, nil, 0)
	for {
		_, tok, lit := s.Scan()
		if tok == token.EOF {
			return
		}
		if tok == token.STRING {
			if v, err := strconv.Unquote(lit); err == nil {
				c.literals[v] = true
			}
		}
	}
}

// keyArg tells which argument of a call is a message key: T(key, …), M(key, …),
// Invalid(field, key, …), Errorf(code, key, …), the spreadsheet reader's
// problem(sheet, cell, key, …), the upload check's refuse(key, …).
var keyArg = map[string]int{"T": 0, "M": 0, "Invalid": 1, "Errorf": 1, "problem": 2, "refuse": 0}

// goKeys collects the literals a Go file passes where a key belongs.
func (c code) goKeys(fset *token.FileSet, rel string, src []byte) error {
	f, err := parser.ParseFile(fset, rel, src, parser.SkipObjectResolution)
	if err != nil {
		return err
	}
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		var name string
		switch fn := call.Fun.(type) {
		case *ast.Ident:
			name = fn.Name
		case *ast.SelectorExpr:
			name = fn.Sel.Name
			if x, ok := fn.X.(*ast.Ident); ok && (x.Name == "fmt" || x.Name == "errors") {
				return true // fmt.Errorf
			}
		}
		i, ok := keyArg[name]
		if !ok || len(call.Args) <= i {
			return true
		}
		if lit, ok := call.Args[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
			if v, err := strconv.Unquote(lit.Value); err == nil {
				c.keys[v] = fset.Position(lit.Pos()).String()
			}
		}
		return true
	})
	return nil
}

var (
	templateKeyRe    = regexp.MustCompile(`\bT\s+"([^"]+)"`)
	templatePrefixRe = regexp.MustCompile(`\bT(?:Or)?\s+\(print\s+"([^"]+)"`)
	actionRe         = regexp.MustCompile(`(?s)\{\{(.*?)\}\}`)
	quotedRe         = regexp.MustCompile(`"((?:[^"\\]|\\.)*)"`)
)

// templateKeys collects the literals of a template's actions, the keys it passes to T
// and the prefixes it joins keys from (with T or TOr).
func (c code) templateKeys(rel, src string) {
	for _, a := range actionRe.FindAllStringSubmatch(src, -1) {
		for _, m := range quotedRe.FindAllStringSubmatch(a[1], -1) {
			c.literals[m[1]] = true
		}
	}
	for _, m := range templateKeyRe.FindAllStringSubmatch(src, -1) {
		c.keys[m[1]] = rel
	}
	for _, m := range templatePrefixRe.FindAllStringSubmatch(src, -1) {
		c.prefixes[m[1]] = rel
	}
}

// TestKeysUsedExist fails on a key the code uses that a catalogue lacks, and on a
// template that joins keys from a prefix this test does not list.
func TestKeysUsedExist(t *testing.T) {
	t.Parallel()
	c := readCode(t)
	cat := locale.Default()
	for k, where := range c.keys {
		if strings.HasSuffix(k, ".") && isDynamic(k) {
			continue // M("word.proposal."+status): a prefix
		}
		for _, l := range locale.Langs() {
			if !cat.Has(l, k) {
				t.Errorf("%s: key %q is not in %s.toml", where, k, l)
			}
		}
	}
	for p, where := range c.prefixes {
		if !isDynamic(p) {
			t.Errorf("%s: keys are made from the prefix %q, which dynamicPrefixes does not list", where, p)
		}
	}
}

// TestKeysUsed fails on a catalogue key the code does not use: neither as a literal,
// nor (for a plural's forms) by its base, nor as a listed prefix and a word of a
// literal.
func TestKeysUsed(t *testing.T) {
	t.Parallel()
	c := readCode(t)
	parts := map[string]bool{}
	for lit := range c.literals {
		for _, w := range words(lit) {
			parts[w] = true
		}
	}
	for _, k := range locale.Default().Keys(locale.VI) {
		base, _ := locale.PluralBase(k)
		used := c.literals[k] || c.literals[base]
		for _, p := range dynamicPrefixes {
			for _, key := range []string{k, base} { // "doc.other" is a document kind, not a plural
				if rest, ok := strings.CutPrefix(key, p); ok && parts[rest] {
					used = true
				}
			}
		}
		if !used {
			t.Errorf("%s is in the catalogues but not used in the code", k)
		}
	}
}

func isDynamic(prefix string) bool {
	for _, p := range dynamicPrefixes {
		if p == prefix {
			return true
		}
	}
	return false
}
