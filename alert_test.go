package tinhso_test

import (
	"testing"
	"time"

	"github.com/tinhso/tinhso"
)

func TestDurationText(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		d    time.Duration
		text string
	}{{0, "0s"}, {15 * time.Minute, "15m"}, {time.Hour, "1h"}, {90 * time.Minute, "1h30m"}, {24 * time.Hour, "1d"}, {72 * time.Hour, "3d"},
		{90 * time.Second, "1m30s"}, {36 * time.Hour, "36h"}} {
		if got := tinhso.Duration(c.d).String(); got != c.text {
			t.Errorf("%v: %q, want %q", c.d, got, c.text)
		}
		if back, err := tinhso.ParseDuration(c.text); err != nil || back.D() != c.d {
			t.Errorf("%q reads back as %v %v", c.text, back.D(), err)
		}
	}
	if _, err := tinhso.ParseDuration("-5m"); err == nil {
		t.Error("a negative duration was read")
	}
}
