package httpx

import (
	"encoding/json"
	"net/http"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Route is an endpoint of the JSON API: what it answers, the permission it needs and
// what the OpenAPI document says of it. Every handler is registered through one, so
// the document cannot miss an endpoint, nor an endpoint its guard.
type Route struct {
	Method, Path string
	Summary      string
	// Action is what the caller must be allowed to do (tinhso.Act…); "" for the public.
	Action string
	Query  []Param
	Body   any // a value of the request body's type, or its media type as a string
	Resp   any // a value of the response body's type, or its media type as a string
	List   bool
	Status int // of success; 200 when 0
	// Handler answers the route, behind Action's guard.
	Handler http.HandlerFunc
}

// Param is a query parameter of a route.
type Param struct {
	Name, Type, Desc string
}

// PageParams are the parameters of every list.
var PageParams = []Param{
	{"limit", "integer", "at most this many items: 1–1000, default 50"},
	{"offset", "integer", "skip this many items"},
}

// Router puts routes on a mux, each behind the guard of its action, and keeps them for
// the OpenAPI document and for answering which methods a path takes.
type Router struct {
	mux    *http.ServeMux
	auth   *Auth
	routes []Route
}

// NewRouter returns a router onto mux.
func NewRouter(mux *http.ServeMux, auth *Auth) *Router { return &Router{mux: mux, auth: auth} }

// Handle registers routes. A route that names a query parameter twice (a list's limit
// and offset come with List) is a mistake in the code: Handle panics.
func (rt *Router) Handle(routes ...Route) {
	for _, r := range routes {
		seen := map[string]bool{}
		q := r.Query
		if r.List {
			q = append(append([]Param{}, q...), PageParams...)
		}
		for _, p := range q {
			if seen[p.Name] {
				panic("httpx: " + r.Method + " " + r.Path + " declares the query parameter " + p.Name + " twice")
			}
			seen[p.Name] = true
		}
		h := r.Handler
		if r.Action != "" {
			h = rt.auth.Require(r.Action, h)
		}
		if r.Status == 0 {
			r.Status = http.StatusOK
		}
		rt.routes = append(rt.routes, r)
		rt.mux.HandleFunc(r.Method+" "+r.Path, h)
	}
}

// Routes lists "METHOD /path" of every registered endpoint.
func (rt *Router) Routes() []string {
	var out []string
	for _, r := range rt.routes {
		out = append(out, r.Method+" "+r.Path)
	}
	return out
}

// Allowed lists the methods the routes take on a path.
func (rt *Router) Allowed(path string) []string {
	var out []string
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for _, r := range rt.routes {
		ps := strings.Split(strings.Trim(r.Path, "/"), "/")
		if len(ps) != len(segs) {
			continue
		}
		match := true
		for i := range ps {
			if !strings.HasPrefix(ps[i], "{") && ps[i] != segs[i] || segs[i] == "" {
				match = false
				break
			}
		}
		if match && !contains(out, r.Method) {
			out = append(out, r.Method)
		}
	}
	if len(out) > 0 && contains(out, "GET") {
		out = append(out, "HEAD")
	}
	return out
}

// OpenAPI builds the OpenAPI 3 document of the routes and the Go types they use;
// info is its info object, securitySchemes its components' schemes.
func (rt *Router) OpenAPI(info, securitySchemes map[string]any) map[string]any {
	schemas := map[string]any{}
	paths := map[string]map[string]any{}
	for _, r := range rt.routes {
		op := map[string]any{"summary": r.Summary, "operationId": operationID(r)}
		var params []any
		for _, name := range pathParams(r.Path) {
			params = append(params, map[string]any{"name": name, "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
		}
		q := r.Query
		if r.List {
			q = append(append([]Param{}, q...), PageParams...)
		}
		for _, p := range q {
			params = append(params, map[string]any{"name": p.Name, "in": "query", "description": p.Desc, "schema": map[string]any{"type": p.Type}})
		}
		if r.Method == "PUT" || r.Method == "PATCH" || r.Method == "DELETE" {
			if len(pathParams(r.Path)) > 0 && !strings.HasPrefix(r.Path, "/api/v1/successions") {
				params = append(params, map[string]any{"name": "If-Match", "in": "header", "description": "the ETag last seen; 412 when the record has changed since", "schema": map[string]any{"type": "string"}})
			}
		}
		if len(params) > 0 {
			op["parameters"] = params
		}
		if r.Body != nil {
			ct := "application/json"
			var schema any
			if str, ok := r.Body.(string); ok {
				ct, schema = str, map[string]any{"type": "string"}
			} else {
				schema = schemaRef(reflect.TypeOf(r.Body), schemas)
			}
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{ct: map[string]any{"schema": schema}}}
		}
		responses := map[string]any{}
		ok := map[string]any{"description": "success"}
		if ct, isType := r.Resp.(string); isType { // a media type, such as text/event-stream
			ok["content"] = map[string]any{ct: map[string]any{"schema": map[string]any{"type": "string"}}}
		} else if r.Resp != nil {
			schema := schemaRef(reflect.TypeOf(r.Resp), schemas)
			if r.List {
				schema = map[string]any{"type": "object", "required": []string{"items", "total", "limit", "offset"}, "properties": map[string]any{
					"items": map[string]any{"type": "array", "items": schema}, "total": map[string]any{"type": "integer"},
					"limit": map[string]any{"type": "integer"}, "offset": map[string]any{"type": "integer"}}}
			}
			ok["content"] = map[string]any{"application/json": map[string]any{"schema": schema}}
		}
		responses[strconv.Itoa(r.Status)] = ok
		responses["default"] = map[string]any{"description": "an error", "content": map[string]any{"application/json": map[string]any{"schema": schemaRef(reflect.TypeOf(ErrorBody{}), schemas)}}}
		op["responses"] = responses
		if r.Action != "" {
			op["security"] = []any{map[string]any{"bearer": []any{}}, map[string]any{"session": []any{}}}
			op["x-tinhso-action"] = r.Action
		}
		if paths[r.Path] == nil {
			paths[r.Path] = map[string]any{}
		}
		paths[r.Path][strings.ToLower(r.Method)] = op
	}
	return map[string]any{
		"openapi":    "3.0.3",
		"info":       info,
		"paths":      paths,
		"components": map[string]any{"schemas": schemas, "securitySchemes": securitySchemes},
	}
}

func operationID(r Route) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(r.Method))
	for _, seg := range strings.Split(strings.TrimPrefix(r.Path, "/api/v1/"), "/") {
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

var (
	timeType = reflect.TypeOf(time.Time{})
	rawType  = reflect.TypeOf(json.RawMessage{})
)

// schemaRef returns the schema of t, adding named structs to schemas as components.
func schemaRef(t reflect.Type, schemas map[string]any) map[string]any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if sc, ok := reflect.Zero(t).Interface().(interface{ OpenAPISchema() map[string]any }); ok {
		return sc.OpenAPISchema() // a type that writes itself otherwise than its kind (tinhso.Duration: "15m")
	}
	switch {
	case t == timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case t == rawType:
		// JSON as it was stored (an audit record's before and after): any value.
		return map[string]any{"nullable": true, "description": "any JSON value"}
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
				if f.typ.Kind() == reflect.Pointer && !f.omitempty {
					// A pointer without omitempty is null when unset (a status's
					// forecast, a figure's value).
					if ref, ok := props[f.name].(map[string]any)["$ref"]; ok {
						props[f.name] = map[string]any{"nullable": true, "allOf": []any{map[string]any{"$ref": ref}}}
					} else {
						props[f.name].(map[string]any)["nullable"] = true
					}
				}
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

// schemaName names a struct's schema: its Go name, capitalised (the API's own input
// and answer types are unexported).
func schemaName(t reflect.Type) string {
	n := t.Name()
	if n == "" {
		return "Anonymous"
	}
	r := []rune(n)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
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
