package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/server"
)

// The generated OpenAPI document is valid OpenAPI 3 as kin-openapi reads it (issue 9:
// a query parameter declared twice went unnoticed).
func TestOpenAPIDocumentValid(t *testing.T) {
	t.Parallel()
	a := mustOpenAPI(t, "sqlite")
	r := a.do(t, "GET", "/api/v1/openapi.json", nil)
	if r.status != 200 {
		t.Fatalf("openapi.json: %d", r.status)
	}
	doc, err := openapi3.NewLoader().LoadFromData(r.body)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("validate: %v", err)
	}
	if n := len(doc.Paths.Map()); n < 50 {
		t.Errorf("the document has %d paths", n)
	}
}

// apiDoc is the OpenAPI document, loaded once per test binary (every test server has
// the same routes), and its router.
var apiDoc = sync.OnceValues(func() (routers.Router, error) {
	srv, err := server.New(app.New(nil, app.Options{}), "", nil, nil)
	if err != nil {
		return nil, err
	}
	body, err := json.Marshal(srv.API.OpenAPI())
	if err != nil {
		return nil, err
	}
	doc, err := openapi3.NewLoader().LoadFromData(body)
	if err != nil {
		return nil, err
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, err
	}
	return legacy.NewRouter(doc)
})

// validateResponses checks every answer of the JSON API against the OpenAPI document
// before the client gets it: a body the document does not describe fails the test that
// made the request. Benchmarks are not checked (it would weigh on what they measure).
func validateResponses(tb testing.TB, h http.Handler) http.Handler {
	if _, bench := tb.(*testing.B); bench {
		return h
	}
	router, err := apiDoc()
	if err != nil {
		tb.Fatalf("the OpenAPI document: %v", err)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		route, params, err := router.FindRoute(r)
		// Event streams do not end: they are not recorded (their errors are).
		stream := strings.HasSuffix(r.URL.Path, "/stream")
		if !strings.HasPrefix(r.URL.Path, "/api/v1/") || err != nil || stream {
			h.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		res := rec.Result()
		body := rec.Body.Bytes()
		in := &openapi3filter.ResponseValidationInput{
			RequestValidationInput: &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route,
				Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}},
			Status: res.StatusCode, Header: res.Header, Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
		}
		in.SetBodyBytes(body)
		if err := openapi3filter.ValidateResponse(r.Context(), in); err != nil {
			tb.Errorf("%s %s answered %d, which the OpenAPI document does not describe: %v\n%s", r.Method, r.URL.RequestURI(), res.StatusCode, err, clip(body))
		}
		for k, v := range res.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(res.StatusCode)
		w.Write(body)
	})
}

// fakeTB records the errors a check reports, to see that the check can fail.
type fakeTB struct {
	testing.TB
	errors []string
}

func (f *fakeTB) Errorf(format string, args ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
}
func (f *fakeTB) Helper() {}

// The response check fails a test whose server answers what the document does not
// describe, and passes answers it describes.
func TestValidateResponsesCatches(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, path, body string
		status           int
		bad              bool
	}{
		{"a task list", "/api/v1/tasks", `{"items":[],"total":0,"limit":50,"offset":0}`, 200, false},
		{"an error", "/api/v1/tasks/1", `{"error":"No task with id 1.","code":"not_found"}`, 404, false},
		{"a list without its total", "/api/v1/tasks", `{"items":[]}`, 200, true},
		{"a task with an unknown field", "/api/v1/tasks/1", `{"id":1,"nonsense":true}`, 200, true},
		{"an error with a number for its text", "/api/v1/tasks/1", `{"error":1,"code":"not_found"}`, 404, true},
	} {
		f := &fakeTB{TB: t}
		h := validateResponses(f, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.WriteHeader(c.status)
			io.WriteString(w, c.body)
		}))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", c.path, nil))
		if rec.Code != c.status || rec.Body.String() != c.body {
			t.Errorf("%s: the client got %d %s", c.name, rec.Code, rec.Body)
		}
		if (len(f.errors) > 0) != c.bad {
			t.Errorf("%s: errors %q, want some: %v", c.name, f.errors, c.bad)
		}
	}
}
