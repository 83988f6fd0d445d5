package http

import (
	"net/http"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/tinhso/tinhso"
)

// route is an endpoint and what the OpenAPI document says of it. Every handler is
// registered through one, so the document cannot miss an endpoint.
type route struct {
	method, path string
	summary      string
	admin        bool   // shorthand for action ActWritePlan
	action       string // what the caller must be allowed to do; "" for the public
	query        []param
	body         any // a value of the request body's type
	resp         any // a value of the response body's type
	list         bool
	status       int
}

type param struct {
	name, typ, desc string
}

var pageParams = []param{
	{"limit", "integer", "at most this many items: 1–1000, default 50"},
	{"offset", "integer", "skip this many items"},
}

func (s *Server) handle(rt route, h http.HandlerFunc) {
	if rt.admin && rt.action == "" {
		rt.action = tinhso.ActWritePlan
	}
	if rt.action != "" {
		h = s.require(rt.action, h)
	}
	if rt.status == 0 {
		rt.status = http.StatusOK
	}
	s.routes = append(s.routes, rt)
	s.mux.HandleFunc(rt.method+" "+rt.path, h)
}

// Routes lists "METHOD /path" of every registered endpoint.
func (s *Server) Routes() []string {
	var out []string
	for _, rt := range s.routes {
		out = append(out, rt.method+" "+rt.path)
	}
	return out
}

func (s *Server) registerOpenAPI() {
	s.handle(route{method: "GET", path: "/api/v1/openapi.json", summary: "This document"}, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, s.OpenAPI())
	})
}

// OpenAPI builds the OpenAPI 3 document from the routes and the Go types they use.
func (s *Server) OpenAPI() map[string]any {
	schemas := map[string]any{}
	paths := map[string]map[string]any{}
	for _, rt := range s.routes {
		op := map[string]any{"summary": rt.summary, "operationId": operationID(rt)}
		var params []any
		for _, name := range pathParams(rt.path) {
			params = append(params, map[string]any{"name": name, "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
		}
		q := rt.query
		if rt.list {
			q = append(append([]param{}, q...), pageParams...)
		}
		for _, p := range q {
			params = append(params, map[string]any{"name": p.name, "in": "query", "description": p.desc, "schema": map[string]any{"type": p.typ}})
		}
		if rt.method == "PUT" || rt.method == "PATCH" || rt.method == "DELETE" {
			if len(pathParams(rt.path)) > 0 && !strings.HasPrefix(rt.path, "/api/v1/successions") {
				params = append(params, map[string]any{"name": "If-Match", "in": "header", "description": "the ETag last seen; 412 when the record has changed since", "schema": map[string]any{"type": "string"}})
			}
		}
		if len(params) > 0 {
			op["parameters"] = params
		}
		if rt.body != nil {
			ct := "application/json"
			var schema any
			if str, ok := rt.body.(string); ok {
				ct, schema = str, map[string]any{"type": "string"}
			} else {
				schema = schemaRef(reflect.TypeOf(rt.body), schemas)
			}
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{ct: map[string]any{"schema": schema}}}
		}
		responses := map[string]any{}
		ok := map[string]any{"description": "success"}
		if rt.resp != nil {
			schema := schemaRef(reflect.TypeOf(rt.resp), schemas)
			if rt.list {
				schema = map[string]any{"type": "object", "required": []string{"items", "total", "limit", "offset"}, "properties": map[string]any{
					"items": map[string]any{"type": "array", "items": schema}, "total": map[string]any{"type": "integer"},
					"limit": map[string]any{"type": "integer"}, "offset": map[string]any{"type": "integer"}}}
			}
			ok["content"] = map[string]any{"application/json": map[string]any{"schema": schema}}
		}
		responses[itoa(rt.status)] = ok
		responses["default"] = map[string]any{"description": "an error", "content": map[string]any{"application/json": map[string]any{"schema": schemaRef(reflect.TypeOf(errorBody{}), schemas)}}}
		op["responses"] = responses
		if rt.action != "" {
			op["security"] = []any{map[string]any{"bearer": []any{}}, map[string]any{"session": []any{}}}
			op["x-tinhso-action"] = rt.action
		}
		if paths[rt.path] == nil {
			paths[rt.path] = map[string]any{}
		}
		paths[rt.path][strings.ToLower(rt.method)] = op
	}
	return map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{"title": "tinhso API", "version": "1",
			"description": "tinhso: the plan registry (documents, org units, indicators, tasks, measures, funding, big problems), electronic reporting (regimes, periods, submissions, figures, audit) and accounts. Lists take limit and offset and answer {items, total}. Sign in with POST /api/v1/login (session cookie; unsafe methods then need the X-CSRF-Token header), or send Authorization: Bearer <API token>. Each operation's x-tinhso-action names the permission it needs."},
		"paths": paths,
		"components": map[string]any{"schemas": schemas, "securitySchemes": map[string]any{
			"bearer":  map[string]any{"type": "http", "scheme": "bearer", "description": "an API token (tsk_…) or the TINHSO_ADMIN_TOKEN"},
			"session": map[string]any{"type": "apiKey", "in": "cookie", "name": "tinhso_session", "description": "from POST /api/v1/login; unsafe methods also need X-CSRF-Token"}}},
	}
}

func operationID(rt route) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(rt.method))
	for _, seg := range strings.Split(strings.TrimPrefix(rt.path, "/api/v1/"), "/") {
		seg = strings.Trim(seg, "{}")
		for _, part := range strings.FieldsFunc(seg, func(r rune) bool { return r == '-' || r == '.' || r == '_' }) {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}

func pathParams(path string) []string {
	var out []string
	for _, seg := range strings.Split(path, "/") {
		if strings.HasPrefix(seg, "{") {
			out = append(out, strings.Trim(seg, "{}."))
		}
	}
	return out
}

var timeType = reflect.TypeOf(time.Time{})

// schemaRef returns the schema of t, adding named structs to schemas as components.
func schemaRef(t reflect.Type, schemas map[string]any) map[string]any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case t.Kind() == reflect.String:
		return map[string]any{"type": "string"}
	case t.Kind() == reflect.Bool:
		return map[string]any{"type": "boolean"}
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64:
		return map[string]any{"type": "integer"}
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		return map[string]any{"type": "number"}
	case t.Kind() == reflect.Slice:
		return map[string]any{"type": "array", "items": schemaRef(t.Elem(), schemas)}
	case t.Kind() == reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": schemaRef(t.Elem(), schemas)}
	case t.Kind() == reflect.Struct:
		name := schemaName(t)
		if _, ok := schemas[name]; !ok {
			schemas[name] = map[string]any{} // placeholder against recursion
			props := map[string]any{}
			var required []string
			for _, f := range jsonFields(t) {
				props[f.name] = schemaRef(f.typ, schemas)
				if !f.omitempty {
					required = append(required, f.name)
				}
			}
			sort.Strings(required)
			sc := map[string]any{"type": "object", "properties": props, "additionalProperties": false}
			if strings.HasSuffix(name, "Input") {
				// Writes: PATCH sends any subset; the API names what a POST lacks.
				required = nil
				sc["description"] = "Fields to write. POST and PUT: fields left out are empty; PATCH: fields left out stay; null empties a field."
			}
			if len(required) > 0 {
				sc["required"] = required
			}
			schemas[name] = sc
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}
	}
	return map[string]any{}
}

func schemaName(t reflect.Type) string {
	n := t.Name()
	if n == "" {
		n = "Anonymous"
	}
	if strings.HasSuffix(t.PkgPath(), "/http") {
		return strings.ToUpper(n[:1]) + n[1:]
	}
	return n
}

type jsonField struct {
	name      string
	typ       reflect.Type
	omitempty bool
}

// jsonFields lists the JSON fields of a struct as encoding/json sees them (embedded
// structs flattened).
func jsonFields(t reflect.Type) []jsonField {
	var out []jsonField
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			out = append(out, jsonFields(ft)...)
			continue
		}
		if name == "" {
			name = f.Name
		}
		out = append(out, jsonField{name: name, typ: f.Type, omitempty: strings.Contains(opts, "omitempty")})
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }
