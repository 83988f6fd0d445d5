package web_test

import (
	"strings"
	"testing"

	"github.com/tinhso/tinhso/web"
)

// Every message is translated both ways.
func TestUIMessages(t *testing.T) {
	t.Parallel()
	for key, m := range web.Messages {
		if strings.TrimSpace(m[0]) == "" || strings.TrimSpace(m[1]) == "" {
			t.Errorf("message %s is not translated: %q", key, m)
		}
		if strings.Count(m[0], "%") != strings.Count(m[1], "%") {
			t.Errorf("message %s: the languages fill different numbers of values", key)
		}
	}
}
