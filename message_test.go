package tinhso_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tinhso/tinhso"
)

func TestErrors(t *testing.T) {
	t.Parallel()
	e := tinhso.Invalid("name", "err.text.required", tinhso.Field("name"))
	if e.Code != tinhso.EINVALID || e.Field != "name" || e.Key != "err.text.required" || len(e.Args) != 1 {
		t.Fatalf("keyed: %#v", e)
	}
	if got := e.Error(); got != "tinhso error: code=invalid field=name key=err.text.required message=name is required" {
		t.Errorf("Error() %q", got)
	}
	if got := tinhso.ErrorKey(fmt.Errorf("wrapped: %w", e)); got != "err.text.required" {
		t.Errorf("ErrorKey %q", got)
	}
	// A key the catalogues lack stays the key: logs show it with its arguments.
	odd := tinhso.Errorf(tinhso.ENOTFOUND, "No task with key %q.", "x/1")
	if odd.Key != "No task with key %q." || !reflect.DeepEqual(odd.Msg(), tinhso.M("No task with key %q.", "x/1")) || !strings.Contains(odd.Error(), "(x/1)") {
		t.Errorf("not a key: %#v %s", odd, odd.Error())
	}
	if tinhso.ErrorKey(errors.New("x")) != tinhso.KeyInternal {
		t.Errorf("an internal error: %q", tinhso.ErrorKey(errors.New("x")))
	}
	w := tinhso.Errorf(tinhso.ECONFLICT, "err.task.referred").With(tinhso.M("ref.task_submissions", 3))
	if len(w.Items) != 1 || w.Items[0].String() != "submissions that report on it: 3" {
		t.Errorf("With: %q", w.Items)
	}
	if got := tinhso.M("err.xlsx.problems", 1).String(); !strings.HasPrefix(got, "The form has 1 problem;") {
		t.Errorf("plural one: %q", got)
	}
	if got := tinhso.M("no.such.key", 1, "a").String(); got != "no.such.key (1, a)" {
		t.Errorf("an unknown key: %q", got)
	}
}

// TestValidateKeys checks that validation speaks in keys with the facts as arguments.
func TestValidateKeys(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, field, key string
		err              error
	}{
		{"org unit code", "code", "err.orgunit.code", (&tinhso.OrgUnit{Code: "123", Name: "X", Kind: "other"}).Validate()},
		{"kind", "kind", "err.field.one_of", (&tinhso.OrgUnit{Code: "x", Name: "X", Kind: "tỉnh"}).Validate()},
		{"name", "name", "err.text.required", (&tinhso.OrgUnit{Code: "x", Name: " ", Kind: "other"}).Validate()},
		{"password", "password", "err.password.short", tinhso.CheckPassword("a", "short")},
		{"percentage", "v.number", "err.value.over_100", tinhso.ValidateValue("v", tinhso.IndicatorValue{Number: ptr(120.0)},
			&tinhso.Indicator{Code: "8.1", Unit: "%", Target: tinhso.Target{Kind: tinhso.TargetNumeric}})},
		{"transition", "", "err.submission.cannot_approve", func() error { _, err := tinhso.Next(tinhso.StatusDraft, tinhso.TransApprove); return err }()},
		{"proposal", "", "err.proposal.cannot_publish", func() error {
			_, err := tinhso.ProposalNext(tinhso.ProposalCommissioned, tinhso.TransPublish)
			return err
		}()},
	} {
		var e *tinhso.Error
		if !errors.As(c.err, &e) || e.Key != c.key || e.Field != c.field {
			t.Errorf("%s: %v; want key %s, field %q", c.name, c.err, c.key, c.field)
		}
	}
	_, err := tinhso.Next(tinhso.StatusDraft, tinhso.TransApprove)
	if got := err.(*tinhso.Error).Msg().String(); got != "Cannot approve a draft submission." {
		t.Errorf("Next: %q", got)
	}
}

func TestArgsJSON(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 18, 9, 30, 0, 0, time.UTC)
	m := tinhso.M("x", "Q1/2026", tinhso.Date("2026-03-24"), tinhso.Number(12.5), tinhso.Field("name"), 3, 2.5, true, at,
		tinhso.M("word.submission.draft"), tinhso.Invalid("name", "err.text.required", tinhso.Field("name")),
		map[string]any{"line": 3, "due": tinhso.Date("2026-03-24")})
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"key":"x","args":["Q1/2026",{"date":"2026-03-24"},{"number":12.5},{"field":"name"},3,2.5,true,{"time":"2026-03-18T09:30:00Z"},{"key":"word.submission.draft"},{"key":"err.text.required","args":[{"field":"name"}]},{"named":{"due":{"date":"2026-03-24"},"line":3}}]}`
	if string(b) != want {
		t.Fatalf("JSON\n got %s\nwant %s", b, want)
	}
	var back tinhso.Message
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	wantBack := tinhso.M("x", "Q1/2026", tinhso.Date("2026-03-24"), tinhso.Number(12.5), tinhso.Field("name"), int64(3), 2.5, true, at,
		tinhso.M("word.submission.draft"), tinhso.M("err.text.required", tinhso.Field("name")),
		map[string]any{"line": int64(3), "due": tinhso.Date("2026-03-24")})
	if !reflect.DeepEqual(back, wantBack) {
		t.Errorf("read back\n got %#v\nwant %#v", back, wantBack)
	}
	if err := json.Unmarshal([]byte(`{"key":"x","args":[{"colour":"red"}]}`), &back); err == nil {
		t.Errorf("an unknown object argument was read")
	}
}

func ptr[T any](v T) *T { return &v }
