//go:build ignore

// gen_pages copies the pages' messages, still kept as map[string][2]string literals in
// the web layer's Go files (http/ui_messages*.go, http/ui_account_messages.go), into
// the catalogues: it rewrites the part of vi.toml and en.toml between the lines
// "# BEGIN pages" and "# END pages" and leaves the rest as it is. Run it from the
// repository's root after changing those maps:
//
//	go run locale/gen_pages.go
//
// Phase 2 of issue 8 moves the pages to the catalogues and deletes the maps, and this
// program with them.
package main

import (
	"fmt"
	"os"

	"github.com/tinhso/tinhso/locale/internal/pagemsgs"
)

func main() {
	msgs, err := pagemsgs.Find(".")
	if err != nil {
		fail(err)
	}
	if len(msgs) == 0 {
		fail(fmt.Errorf("no map[string][2]string message literals found under %s", "."))
	}
	for i, lang := range []string{"vi", "en"} {
		path := "locale/" + lang + ".toml"
		old, err := os.ReadFile(path)
		if err != nil {
			fail(err)
		}
		out, err := pagemsgs.Replace(string(old), pagemsgs.TOML(msgs, i))
		if err != nil {
			fail(fmt.Errorf("%s: %w", path, err))
		}
		if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
			fail(err)
		}
	}
	fmt.Printf("%d page messages written to locale/vi.toml and locale/en.toml\n", len(msgs))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "gen_pages:", err)
	os.Exit(1)
}
