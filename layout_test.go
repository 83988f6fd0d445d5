package tinhso_test

import (
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"sort"
	"strings"
	"testing"
)

// The packages of the module and what each may import of the others (README,
// "Packages"). Adapters depend on the domain and the use-cases, never on each other;
// the root and engine on nothing of ours but the root. A package not listed here
// fails the test until it is given a role.
var layout = map[string]string{
	"":                "root",
	"engine":          "core",
	"app":             "app",
	"credential":      "leaf",
	"orgcsv":          "leaf",
	"inmem":           "leaf",
	"xlsx":            "leaf",
	"locale":          "messages",
	"tsdb":            "leaf",
	"netguard":        "leaf",
	"secret":          "leaf",
	"docx":            "leaf",
	"bus":             "leaf",
	"sqldb":           "adapter",
	"blob":            "adapter",
	"seed":            "adapter",
	"httpx":           "adapter",
	"api":             "adapter",
	"web":             "adapter",
	"notify":          "adapter",
	"ingest":          "adapter",
	"mqtt":            "adapter",
	"connector":       "adapter",
	"server":          "composition",
	"cmd/tinhso":      "cmd",
	"sqldb/sqldbtest": "testing",

	// Programs beside the product: benchmarks, generators, a test server. They may
	// bring the parts together as cmd does, and nothing imports them.
	"scripts/bench-ingest":         "tool",
	"scripts/bench-pages":          "tool",
	"tsdb/cmd/tsdbbench":           "tool",
	"ingest/internal/ingestserver": "testing",
	"tsdb/internal/synth":          "testing",
}

// httpxUsers are the adapters that may import httpx: the two halves of the web layer.
var httpxUsers = map[string]bool{"api": true, "web": true}

const module = "github.com/tinhso/tinhso"

type goPackage struct {
	ImportPath   string
	Imports      []string
	TestImports  []string
	XTestImports []string
}

// ours returns the packages of the module in list, relative to it ("" for the root).
func ours(list []string) []string {
	var out []string
	for _, p := range list {
		if p == module {
			out = append(out, "")
		} else if rel, ok := strings.CutPrefix(p, module+"/"); ok {
			out = append(out, rel)
		}
	}
	return out
}

// allowed says whether package from (of role) may import package to in its own code.
func allowed(from, to string) bool {
	role, target := layout[from], layout[to]
	switch role {
	case "root":
		return false
	case "core", "messages":
		return target == "root"
	case "leaf":
		// Codecs write and read what people see (spreadsheet headers), in their language.
		return target == "root" || target == "messages"
	case "app":
		return target == "root" || target == "core" || target == "leaf" || target == "messages"
	case "adapter":
		switch target {
		case "root", "core", "app", "leaf", "messages":
			return true
		case "adapter":
			return to == "httpx" && httpxUsers[from]
		}
		return false
	case "composition":
		return target != "cmd" && target != "testing" && target != "composition"
	case "cmd":
		return target != "cmd" && target != "tool" && target != "testing"
	case "tool":
		return target != "cmd" && target != "tool"
	case "testing":
		return target != "cmd" && target != "testing" && target != "composition"
	}
	return false
}

func TestImportRules(t *testing.T) {
	out, err := exec.Command("go", "list", "-json", "./...").Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("go list: %v\n%s", err, ee.Stderr)
		}
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	var problems []string
	seen := 0
	for {
		var p goPackage
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		seen++
		rel := ours([]string{p.ImportPath})[0]
		if _, ok := layout[rel]; !ok {
			problems = append(problems, "package "+p.ImportPath+" has no role in layout_test.go (and the README's package map)")
			continue
		}
		for _, to := range ours(p.Imports) {
			if _, ok := layout[to]; ok && !allowed(rel, to) {
				problems = append(problems, p.ImportPath+" ("+layout[rel]+") imports "+module+"/"+to+" ("+layout[to]+")")
			}
		}
		// Tests may bring the parts together, but nothing imports the command, and
		// nothing but tests imports the test helpers.
		for _, to := range ours(append(p.TestImports, p.XTestImports...)) {
			if layout[to] == "cmd" || layout[to] == "tool" {
				problems = append(problems, "the tests of "+p.ImportPath+" import the command "+to)
			}
		}
	}
	if seen < 10 {
		t.Fatalf("go list found %d packages", seen)
	}
	sort.Strings(problems)
	for _, p := range problems {
		t.Error(p)
	}
}

// The rules themselves, on cases that must fail: a test that cannot fail checks nothing.
func TestImportRulesRefuse(t *testing.T) {
	for _, c := range []struct {
		from, to string
		ok       bool
	}{
		{"", "engine", false},
		{"engine", "", true},
		{"engine", "app", false},
		{"app", "sqldb", false},
		{"app", "engine", true},
		{"sqldb", "app", true},
		{"sqldb", "api", false},
		{"api", "web", false},
		{"web", "api", false},
		{"api", "httpx", true},
		{"sqldb", "httpx", false},
		{"api", "xlsx", true},
		{"xlsx", "sqldb", false},
		{"server", "api", true},
		{"server", "cmd/tinhso", false},
		{"web", "server", false},
		{"cmd/tinhso", "server", true},
		{"api", "sqldb/sqldbtest", false},
	} {
		if got := allowed(c.from, c.to); got != c.ok {
			t.Errorf("%q importing %q: allowed %v, want %v", c.from, c.to, got, c.ok)
		}
	}
}
