package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/locale"
	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

// API errors keep code and field, carry the message's key and arguments for scripts,
// and give the message in the reader's language: the lang parameter, else
// Accept-Language, else English.
func TestAPIErrorsInReadersLanguage(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		en, vi := locale.For(locale.EN), locale.For(locale.VI)
		limit := en.T("err.http.limit", "abc")
		tests := []struct {
			name, path string
			headers    []string
			want       string
		}{
			{"no language asked", "/api/v1/tasks?limit=abc", nil, limit},
			{"Accept-Language vi", "/api/v1/tasks?limit=abc", []string{"Accept-Language", "vi-VN,vi;q=0.9,en;q=0.8"}, vi.T("err.http.limit", "abc")},
			{"Accept-Language prefers en", "/api/v1/tasks?limit=abc", []string{"Accept-Language", "en-GB, vi;q=0.5"}, limit},
			{"lang=vi", "/api/v1/tasks?limit=abc&lang=vi", nil, vi.T("err.http.limit", "abc")},
			{"lang=en over Accept-Language vi", "/api/v1/tasks?limit=abc&lang=en", []string{"Accept-Language", "vi"}, limit},
			{"an unknown language", "/api/v1/tasks?limit=abc", []string{"Accept-Language", "fr"}, limit},
		}
		for _, tt := range tests {
			r := a.do(t, "GET", tt.path, nil, tt.headers...)
			if r.status != 400 {
				t.Fatalf("%s: %d %s", tt.name, r.status, r.body)
			}
			var body struct {
				Error, Code, Field, Key string
				Args                    tinhso.Args
			}
			if err := json.Unmarshal(r.body, &body); err != nil {
				t.Fatal(err)
			}
			if body.Code != "invalid" || body.Field != "limit" || body.Key != "err.http.limit" || !reflect.DeepEqual(body.Args, tinhso.Args{"abc"}) {
				t.Errorf("%s: %s", tt.name, r.body)
			}
			if body.Error != tt.want {
				t.Errorf("%s: error %q, want %q", tt.name, body.Error, tt.want)
			}
		}
		if vi.T("err.http.limit", "abc") == limit || strings.Contains(limit, "??") {
			t.Fatalf("the texts are not those of two languages: %q", limit)
		}

		// A domain error with a typed argument: the field's label in the reader's
		// language, the argument as {"field": …} in JSON.
		r := a.admin(t, "POST", "/api/v1/documents", map[string]any{"slug": "van-ban-moi", "kind": "thu-tay"}, "Accept-Language", "vi")
		if r.status != 400 {
			t.Fatalf("a document of an unknown kind: %d %s", r.status, r.body)
		}
		var body struct {
			Error, Field, Key string
			Args              tinhso.Args
		}
		if err := json.Unmarshal(r.body, &body); err != nil {
			t.Fatal(err)
		}
		if body.Field != "kind" || body.Key != "err.field.one_of" || len(body.Args) != 2 || body.Args[0] != tinhso.Field("kind") ||
			!strings.Contains(string(r.body), `"args":[{"field":"kind"},`) || body.Error != vi.T("err.field.one_of", body.Args...) ||
			!strings.Contains(body.Error, "“"+vi.T("field.kind")+"”") {
			t.Errorf("a document of an unknown kind: %s", r.body)
		}

		// An unknown endpoint, a method not taken, no credentials: all keyed.
		for _, c := range []struct {
			method, path string
			status       int
			key          string
		}{
			{"GET", "/api/v1/no-such-thing", 404, "err.api.no_endpoint"},
			{"DELETE", "/api/v1/openapi.json", 405, "err.api.method"},
			{"GET", "/api/v1/session", 401, "err.http.sign_in"},
		} {
			r := a.do(t, c.method, c.path, nil, "Accept-Language", "vi")
			m := r.json(t)
			if r.status != c.status || m["key"] != c.key || m["error"] == "" || strings.Contains(m["error"].(string), "??") {
				t.Errorf("%s %s: %d %s", c.method, c.path, r.status, r.body)
			}
		}
	})
}

// The OpenAPI document describes the error body's key and args.
func TestOpenAPIErrorBody(t *testing.T) {
	t.Parallel()
	a := mustOpenAPI(t, "sqlite")
	doc := a.do(t, "GET", "/api/v1/openapi.json", nil).json(t)
	sc := doc["components"].(map[string]any)["schemas"].(map[string]any)["ErrorBody"].(map[string]any)
	props := sc["properties"].(map[string]any)
	for _, name := range []string{"error", "code", "field", "key", "args", "details"} {
		if props[name] == nil {
			t.Errorf("the error schema lacks %s: %v", name, props)
		}
	}
	if props["args"].(map[string]any)["type"] != "array" {
		t.Errorf("args: %v", props["args"])
	}
}

// Spreadsheets in the reader's language: the API's form and consolidated report in
// English by default and in Vietnamese when asked; a form filled in one language is
// read whatever the reader's, and its problems come back in the reader's language.
func TestSpreadsheetsInReadersLanguage(t *testing.T) {
	t.Parallel()
	a := mustOpenAPI(t, "sqlite")
	period := setUpQ1(t, a)
	mustUser(t, a, "tc.baocao", "reporter", "so-tai-chinh")
	tc := mustLogin(t, a, "tc.baocao", testPassword)
	id := fmt.Sprint(mySubmission(t, tc, period)["id"])
	sheets := func(b []byte) []string {
		t.Helper()
		f, err := excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		return f.GetSheetList()
	}
	en := tc.do(t, "GET", "/api/v1/submissions/"+id+"/form.xlsx", nil)
	vi := tc.do(t, "GET", "/api/v1/submissions/"+id+"/form.xlsx", nil, "Accept-Language", "vi-VN,vi;q=0.9")
	if en.status != 200 || vi.status != 200 {
		t.Fatalf("forms: %d %d", en.status, vi.status)
	}
	if s := sheets(en.body); !contains(s, "Indicators") || contains(s, "Chỉ tiêu") {
		t.Errorf("the form by default has the sheets %q", s)
	}
	if s := sheets(vi.body); !contains(s, "Chỉ tiêu") {
		t.Errorf("the form in Vietnamese has the sheets %q", s)
	}
	for lang, want := range map[string]string{"": "Province figures", "?lang=vi": "Tổng hợp chỉ tiêu"} {
		r := a.admin(t, "GET", fmt.Sprintf("/api/v1/periods/%d/report.xlsx%s", period, lang), nil)
		if r.status != 200 {
			t.Fatalf("report%s: %d %s", lang, r.status, clip(r.body))
		}
		if s := sheets(r.body); !strings.Contains(strings.Join(s, "|"), want) {
			t.Errorf("the report%s has the sheets %q, want one with %q", lang, s, want)
		}
	}

	// A Vietnamese form with a word in a number cell, sent by an English reader and by
	// a Vietnamese one.
	bad := fillForm(t, vi.body, map[string]any{"25-kh-ubnd/8.3": "nhiều", "25-kh-ubnd/8.4": 70})
	bad = withWordInNumber(t, bad)
	for _, c := range []struct {
		lang string
		p    *locale.Printer
	}{{"en", locale.For(locale.EN)}, {"vi", locale.For(locale.VI)}} {
		r := tc.do(t, "PUT", "/api/v1/submissions/"+id+"/form.xlsx?lang="+c.lang, bad, "Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		var body struct {
			Error, Key string
			Args       tinhso.Args
			Details    []string
		}
		if err := json.Unmarshal(r.body, &body); err != nil || r.status != 400 {
			t.Fatalf("%s: %d %s", c.lang, r.status, clip(r.body))
		}
		if body.Key != "err.xlsx.problems" || body.Error != c.p.T("err.xlsx.problems", body.Args...) || len(body.Details) == 0 {
			t.Errorf("%s: %s", c.lang, r.body)
		}
		for _, d := range body.Details {
			if !strings.HasPrefix(d, "Chỉ tiêu!") {
				t.Errorf("%s: a problem not at a cell of the form's sheet: %q", c.lang, d)
			}
		}
		if c.lang == "vi" && !strings.Contains(strings.Join(body.Details, "\n"), "phải là số") {
			t.Errorf("vi: the problems are not in Vietnamese: %q", body.Details)
		}
		if c.lang == "en" && !strings.Contains(strings.Join(body.Details, "\n"), "must be a number") {
			t.Errorf("en: the problems are not in English: %q", body.Details)
		}
	}
}
