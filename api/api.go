// Package api serves tinhso's JSON API under /api/v1: one file per resource, each with
// the table of its routes (the permission each needs and what the OpenAPI document says
// of it) and named handler methods that parse, call a use-case or the store, and
// answer, or call httpx.Error.
package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/httpx"
)

// API is the JSON API's dependencies.
type API struct {
	cfg    *httpx.Config
	auth   *httpx.Auth
	app    *app.App
	store  tinhso.Store
	blobs  tinhso.BlobStore
	router *httpx.Router
}

// New makes the API over the use-cases; blobs keeps evidence files.
func New(cfg *httpx.Config, auth *httpx.Auth, a *app.App, blobs tinhso.BlobStore) *API {
	return &API{cfg: cfg, auth: auth, app: a, store: a.Store(), blobs: blobs}
}

// Register puts the API's routes on mux, and under /api/ an answer for what no route
// takes: 405 with Allow for a known path, 404 for the rest.
func (a *API) Register(mux *http.ServeMux) {
	a.router = httpx.NewRouter(mux, a.auth)
	for _, routes := range [][]httpx.Route{
		a.healthRoutes(), a.documentRoutes(), a.orgUnitRoutes(), a.indicatorRoutes(), a.taskRoutes(), a.problemRoutes(),
		a.sessionRoutes(), a.userRoutes(), a.tokenRoutes(), a.measureRoutes(), a.reportingRoutes(), a.submissionRoutes(),
		a.formRoutes(), a.proposalRoutes(), a.suggestionRoutes(), a.seriesRoutes(), a.ingestRoutes(), a.alertRoutes(), a.monitoringRoutes(), a.assessmentRoutes(),
		a.seriesFeedRoutes(), a.topicRuleRoutes(), a.directiveRoutes(), a.connectorRoutes(), a.openAPIRoutes(),
	} {
		a.router.Handle(routes...)
	}
	mux.HandleFunc("/api/", a.notFound)
}

// Routes lists "METHOD /path" of every endpoint.
func (a *API) Routes() []string { return a.router.Routes() }

func (a *API) notFound(w http.ResponseWriter, r *http.Request) {
	if allow := a.router.Allowed(r.URL.Path); len(allow) > 0 {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		if r.Method == http.MethodOptions {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		httpx.Error(w, r, tinhso.Errorf("method_not_allowed", "err.api.method", r.URL.Path, r.Method, strings.Join(allow, ", ")))
		return
	}
	httpx.Error(w, r, tinhso.Errorf(tinhso.ENOTFOUND, "err.api.no_endpoint", r.Method, r.URL.Path))
}

// failed answers err, when there is one, and says whether it did.
func failed(w http.ResponseWriter, r *http.Request, err error) bool {
	if err != nil {
		httpx.Error(w, r, err)
		return true
	}
	return false
}

// decode reads a JSON body strictly into v (httpx.Decode within the body limit).
func (a *API) decode(w http.ResponseWriter, r *http.Request, v any, computed map[string]string) error {
	return httpx.Decode(w, r, a.cfg.MaxBodyBytes, v, computed)
}

// actor is the request's context carrying the caller, for the audit log.
func (a *API) actor(r *http.Request) context.Context { return a.auth.ActorCtx(r) }

// caller is the caller the route's guard recognised.
func caller(r *http.Request) *httpx.Caller { return httpx.CallerFrom(r.Context()) }

// user is the user the route's guard recognised.
func user(r *http.Request) *tinhso.User { return httpx.UserFrom(r.Context()) }

type health struct {
	Status   string `json:"status"`
	Database string `json:"database"`
}

func (a *API) healthRoutes() []httpx.Route {
	return []httpx.Route{{Method: "GET", Path: "/healthz", Summary: "Liveness and database reachability", Resp: health{}, Handler: a.health}}
}

func (a *API) health(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := a.store.Ping(ctx); err != nil {
		httpx.WriteJSON(w, http.StatusServiceUnavailable, health{Status: "unavailable", Database: "unreachable"})
		return
	}
	httpx.WriteJSON(w, http.StatusOK, health{Status: "ok", Database: "ok"})
}

func (a *API) openAPIRoutes() []httpx.Route {
	return []httpx.Route{{Method: "GET", Path: "/api/v1/openapi.json", Summary: "This document", Handler: a.openAPI}}
}

func (a *API) openAPI(w http.ResponseWriter, r *http.Request) {
	httpx.WriteJSON(w, http.StatusOK, a.OpenAPI())
}

// OpenAPI is the OpenAPI 3 document of the API, made from its routes.
func (a *API) OpenAPI() map[string]any {
	return a.router.OpenAPI(map[string]any{"title": "tinhso API", "version": "1",
		"description": "tinhso: the plan registry (documents, org units, indicators, tasks, measures, funding, big problems), electronic reporting (regimes, periods, submissions, figures, audit) and accounts. Lists take limit and offset and answer {items, total}. Sign in with POST /api/v1/login (session cookie; unsafe methods then need the X-CSRF-Token header), or send Authorization: Bearer <API token>. Each operation's x-tinhso-action names the permission it needs."},
		map[string]any{
			"bearer":  map[string]any{"type": "http", "scheme": "bearer", "description": "an API token (tsk_…) or the TINHSO_ADMIN_TOKEN"},
			"session": map[string]any{"type": "apiKey", "in": "cookie", "name": "tinhso_session", "description": "from POST /api/v1/login; unsafe methods also need X-CSRF-Token"}})
}
