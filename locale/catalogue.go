package locale

import (
	_ "embed"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/pelletier/go-toml/v2"
)

var (
	//go:embed vi.toml
	viTOML []byte
	//go:embed en.toml
	enTOML []byte
)

// Catalogue holds the texts of every language by key.
type Catalogue struct {
	texts map[Lang]map[string]string
}

// Load reads catalogues, one TOML document per language.
func Load(docs map[Lang][]byte) (*Catalogue, error) {
	c := &Catalogue{texts: map[Lang]map[string]string{}}
	for l, doc := range docs {
		var tree map[string]any
		if err := toml.Unmarshal(doc, &tree); err != nil {
			return nil, fmt.Errorf("locale: %s.toml: %w", l, err)
		}
		texts := map[string]string{}
		if err := flatten("", tree, texts); err != nil {
			return nil, fmt.Errorf("locale: %s.toml: %w", l, err)
		}
		c.texts[l] = texts
	}
	return c, nil
}

func flatten(prefix string, tree map[string]any, out map[string]string) error {
	for k, v := range tree {
		key := k
		if prefix != "" {
			key = prefix + "." + k
		}
		switch x := v.(type) {
		case string:
			out[key] = x
		case map[string]any:
			if err := flatten(key, x, out); err != nil {
				return err
			}
		default:
			return fmt.Errorf("%s: a text must be a string, not %T", key, v)
		}
	}
	return nil
}

var defaultCatalogue = sync.OnceValue(func() *Catalogue {
	c, err := Load(map[Lang][]byte{VI: viTOML, EN: enTOML})
	if err != nil {
		// The embedded catalogues are checked by the tests; a broken one is a bug.
		panic(err)
	}
	return c
})

// Default returns the embedded catalogues (vi.toml, en.toml), read once.
func Default() *Catalogue { return defaultCatalogue() }

// For returns a printer of the embedded catalogues in a language.
func For(l Lang) *Printer { return Default().Printer(l) }

// Keys lists the keys of a language, sorted.
func (c *Catalogue) Keys(l Lang) []string {
	out := make([]string, 0, len(c.texts[l]))
	for k := range c.texts[l] {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Text returns the text of a key as written in a language's catalogue.
func (c *Catalogue) Text(l Lang, key string) (string, bool) {
	s, ok := c.texts[l][key]
	return s, ok
}

// Has reports whether a language has a key, or a plural key of that name.
func (c *Catalogue) Has(l Lang, key string) bool {
	if _, ok := c.texts[l][key]; ok {
		return true
	}
	_, ok := c.texts[l][key+".other"]
	return ok
}

// PluralBase returns the key a plural form belongs to ("x.one" → "x") and whether key
// is a plural form.
func PluralBase(key string) (string, bool) {
	for _, form := range []string{".one", ".other"} {
		if strings.HasSuffix(key, form) {
			return strings.TrimSuffix(key, form), true
		}
	}
	return key, false
}
