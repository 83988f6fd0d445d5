// Package pagemsgs reads the pages' messages from the map[string][2]string literals the
// web layer still keeps them in (Vietnamese, then English) and writes them as catalogue
// TOML. It serves locale/gen_pages.go and the test that keeps the catalogues in step
// with those maps until phase 2 of issue 8 deletes them, and this package with them.
package pagemsgs

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Msg is one message of the pages: its key, its Vietnamese and English texts and the
// file it is written in.
type Msg struct {
	Key, VI, EN, File string
}

// Find returns the messages of every map[string][2]string literal in the non-test Go
// files under root, file by file in path order and in their order in each file.
func Find(root string) ([]Msg, error) {
	var files []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "vendor" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var out []Msg
	fset := token.NewFileSet()
	for _, path := range files {
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		var bad error
		ast.Inspect(f, func(n ast.Node) bool {
			cl, ok := n.(*ast.CompositeLit)
			if !ok || !isPairMap(cl.Type) {
				return true
			}
			for _, el := range cl.Elts {
				m, ok := entry(el)
				if !ok {
					bad = errors.New(fset.Position(el.Pos()).String() + ": a message that is not three string literals")
					return false
				}
				m.File = filepath.ToSlash(path)
				out = append(out, m)
			}
			return false
		})
		if bad != nil {
			return nil, bad
		}
	}
	return out, nil
}

// isPairMap reports whether a type is map[string][2]string.
func isPairMap(t ast.Expr) bool {
	mt, ok := t.(*ast.MapType)
	if !ok || !isIdent(mt.Key, "string") {
		return false
	}
	at, ok := mt.Value.(*ast.ArrayType)
	if !ok || at.Len == nil || !isIdent(at.Elt, "string") {
		return false
	}
	l, ok := at.Len.(*ast.BasicLit)
	return ok && l.Value == "2"
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}

func entry(el ast.Expr) (Msg, bool) {
	kv, ok := el.(*ast.KeyValueExpr)
	if !ok {
		return Msg{}, false
	}
	key, ok1 := str(kv.Key)
	pair, ok2 := kv.Value.(*ast.CompositeLit)
	if !ok1 || !ok2 || len(pair.Elts) != 2 {
		return Msg{}, false
	}
	vi, ok1 := str(pair.Elts[0])
	en, ok2 := str(pair.Elts[1])
	return Msg{Key: key, VI: vi, EN: en}, ok1 && ok2
}

func str(e ast.Expr) (string, bool) {
	l, ok := e.(*ast.BasicLit)
	if !ok || l.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(l.Value)
	return s, err == nil
}

// Format is a page text as the catalogues hold it: a fmt format. The maps' texts were
// formats only when given arguments, so a text without verbs gets its lone percent
// signs doubled ("Tỷ lệ (%)" → "Tỷ lệ (%%)").
func Format(text string) string {
	if hasVerb(text) {
		return text
	}
	var b strings.Builder
	for i := 0; i < len(text); i++ {
		if text[i] == '%' {
			if i+1 < len(text) && text[i+1] == '%' {
				b.WriteString("%%")
				i++
				continue
			}
			b.WriteString("%%")
			continue
		}
		b.WriteByte(text[i])
	}
	return b.String()
}

func hasVerb(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		if s[i] != '%' {
			continue
		}
		if s[i+1] == '%' {
			i++
			continue
		}
		if strings.IndexByte("sdvqxXfgeET+-#0123456789.[ ", s[i+1]) >= 0 {
			return true
		}
	}
	return false
}

// Begin and End mark the part of a catalogue the pages' messages are written in.
const (
	Begin = "# BEGIN pages: written by locale/gen_pages.go from the web layer's message maps; edit the maps, then run it."
	End   = "# END pages"
)

// TOML writes the messages in one language (0 Vietnamese, 1 English) between the
// markers: keys without a dot first, then a [section] for each first part of the keys,
// in the order the sections first appear.
func TOML(msgs []Msg, lang int) string {
	var b strings.Builder
	b.WriteString(Begin + "\n")
	text := func(m Msg) string {
		if lang == 0 {
			return Format(m.VI)
		}
		return Format(m.EN)
	}
	var order []string
	bySection := map[string][]Msg{}
	for _, m := range msgs {
		sec, _, ok := strings.Cut(m.Key, ".")
		if !ok {
			b.WriteString(Key(m.Key) + " = " + Quote(text(m)) + "\n")
			continue
		}
		if _, seen := bySection[sec]; !seen {
			order = append(order, sec)
		}
		bySection[sec] = append(bySection[sec], m)
	}
	for _, sec := range order {
		b.WriteString("\n[" + Key(sec) + "]\n")
		for _, m := range bySection[sec] {
			rest := strings.TrimPrefix(m.Key, sec+".")
			parts := strings.Split(rest, ".")
			for i, p := range parts {
				parts[i] = Key(p)
			}
			b.WriteString(strings.Join(parts, ".") + " = " + Quote(text(m)) + "\n")
		}
	}
	b.WriteString(End + "\n")
	return b.String()
}

// Key writes one part of a key: bare when TOML allows, else quoted.
func Key(k string) string {
	if k != "" && strings.Trim(k, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == "" {
		return k
	}
	return Quote(k)
}

// Quote writes a TOML basic string.
func Quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			b.WriteString(`\u` + strconv.FormatInt(int64(0x10000+r), 16)[1:])
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// Replace puts region in place of the part of doc between the markers; a doc without
// them gets the region at its start, after its first lines of comments.
func Replace(doc, region string) (string, error) {
	i := strings.Index(doc, Begin)
	j := strings.Index(doc, End)
	switch {
	case i >= 0 && j > i:
		end := j + len(End)
		if end < len(doc) && doc[end] == '\n' {
			end++
		}
		return doc[:i] + region + doc[end:], nil
	case i >= 0 || j >= 0:
		return "", errors.New("only one of the page markers is there")
	}
	// After the opening comment block.
	at := 0
	for at < len(doc) && strings.HasPrefix(doc[at:], "#") {
		nl := strings.IndexByte(doc[at:], '\n')
		if nl < 0 {
			at = len(doc)
			break
		}
		at += nl + 1
	}
	return doc[:at] + "\n" + region + doc[at:], nil
}
