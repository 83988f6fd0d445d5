package locale_test

import (
	"testing"

	"github.com/tinhso/tinhso/locale"
	"github.com/tinhso/tinhso/locale/internal/pagemsgs"
)

// TestPagesInStep fails when the pages' message maps, which the web layer still reads
// (http/ui_messages*.go), and the catalogues disagree: after changing a map, run
// `go run locale/gen_pages.go`. Phase 2 of issue 8 deletes the maps; this test then
// finds none and has nothing to compare.
func TestPagesInStep(t *testing.T) {
	t.Parallel()
	msgs, err := pagemsgs.Find("..")
	if err != nil {
		t.Fatal(err)
	}
	c := locale.Default()
	seen := map[string]bool{}
	for _, m := range msgs {
		if seen[m.Key] {
			t.Errorf("%s: %s is defined twice", m.File, m.Key)
		}
		seen[m.Key] = true
		for _, x := range []struct {
			lang locale.Lang
			text string
		}{{locale.VI, m.VI}, {locale.EN, m.EN}} {
			if got, ok := c.Text(x.lang, m.Key); !ok || got != pagemsgs.Format(x.text) {
				t.Errorf("%s: %s is %q there and %q in %s.toml; run go run locale/gen_pages.go", m.File, m.Key, x.text, got, x.lang)
			}
		}
	}
	if len(msgs) > 0 && len(msgs) < 500 {
		t.Errorf("only %d page messages found", len(msgs))
	}
}
