package api

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/httpx"
	"github.com/tinhso/tinhso/orgcsv"
)

// orgUnitInput is the writable part of an org unit.
type orgUnitInput struct {
	Code       string   `json:"code"`
	Name       string   `json:"name"`
	Kind       string   `json:"kind"`
	Parent     string   `json:"parent"`
	Aliases    []string `json:"aliases"`
	Members    []string `json:"members"`
	MemberKind string   `json:"member_kind"`
	Dissolved  string   `json:"dissolved"`
	Note       string   `json:"note"`
	Synthetic  bool     `json:"synthetic"`
}

// importResult answers an org-unit import.
type importResult struct {
	Created int `json:"created"`
	Updated int `json:"updated"`
}

// successionInput is the writable part of a succession.
type successionInput struct {
	From      []string `json:"from"`
	To        []string `json:"to"`
	Kind      string   `json:"kind"`
	Effective string   `json:"effective"`
	Citation  string   `json:"citation"`
	Note      string   `json:"note"`
}

func (a *API) orgUnitRoutes() []httpx.Route {
	routes := []httpx.Route{
		{Method: "GET", Path: "/api/v1/org-units", Summary: "List org units and groups", List: true, Resp: tinhso.OrgUnit{},
			Query:   []httpx.Param{{Name: "kind", Type: "string", Desc: "province, department, district, commune, party, group, other"}, {Name: "parent", Type: "string", Desc: "the parent's code"}},
			Handler: a.listOrgUnits},
		{Method: "POST", Path: "/api/v1/org-units/import", Summary: "Create org units from CSV (code,name,kind,parent[,aliases][,synthetic]), at most 1 MiB and 5,000 rows (413 beyond); all or nothing. A row whose code exists is refused (409, naming the row and code) unless update=true, which updates it and audits each change with before and after",
			Action: tinhso.ActWritePlan, Body: "text/csv", Resp: importResult{}, Query: []httpx.Param{{Name: "update", Type: "boolean", Desc: "update the units whose code exists (default false: refuse the import)"}}, Handler: a.importOrgUnits},
	}
	routes = append(routes, crud[tinhso.OrgUnit, orgUnitInput]{rec: orgUnits{a}, decode: a.decode, actor: a.actor,
		name: "org unit", path: "/api/v1/org-units", refDesc: "id or code"}.routes()...)
	return append(routes,
		httpx.Route{Method: "GET", Path: "/api/v1/successions", Summary: "Successions (mergers, splits, transfers), all or of one org unit", Resp: tinhso.Succession{}, List: true,
			Query: []httpx.Param{{Name: "org_unit", Type: "string", Desc: "an org unit's code"}}, Handler: a.listSuccessions},
		httpx.Route{Method: "POST", Path: "/api/v1/successions", Summary: "Record a succession, citing the decision it comes from", Action: tinhso.ActWritePlan,
			Body: successionInput{}, Resp: tinhso.Succession{}, Status: 201, Handler: a.createSuccession},
		httpx.Route{Method: "GET", Path: "/api/v1/successions/{id}", Summary: "A succession, by id or key", Resp: tinhso.Succession{}, Handler: a.getSuccession},
		httpx.Route{Method: "DELETE", Path: "/api/v1/successions/{id}", Summary: "Delete a succession recorded in error (unit end dates stay)", Action: tinhso.ActWritePlan,
			Status: 204, Handler: a.deleteSuccession},
	)
}

func (a *API) listOrgUnits(w http.ResponseWriter, r *http.Request) {
	q := httpx.NewQuery(r)
	f := tinhso.OrgUnitFilter{Kind: q.OneOf("kind", tinhso.OrgUnitKinds), Parent: q.Str("parent"), Page: q.Page()}
	if err := q.Done(); failed(w, r, err) {
		return
	}
	items, total, err := a.store.FindOrgUnits(r.Context(), f)
	if failed(w, r, err) {
		return
	}
	httpx.WriteList(w, items, total, f.Page)
}

func (a *API) importOrgUnits(w http.ResponseWriter, r *http.Request) {
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") && !strings.HasPrefix(ct, "text/plain") {
		httpx.Error(w, r, tinhso.Invalid("Content-Type", "err.api.csv_type", ct))
		return
	}
	q := httpx.NewQuery(r)
	update := q.Bool("update")
	if err := q.Done(); failed(w, r, err) {
		return
	}
	upd := update != nil && *update
	// The import's own limit (orgcsv.MaxBytes), not the body limit of other requests;
	// orgcsv says it when a file goes over.
	body := http.MaxBytesReader(w, r.Body, orgcsv.MaxBytes+1)
	units, err := orgcsv.Read(body)
	if failed(w, r, err) {
		return
	}
	created, updated, err := a.store.ImportOrgUnits(a.actor(r), units, tinhso.OrgUnitImport{Update: upd, FirstRow: 2})
	if failed(w, r, err) {
		return
	}
	httpx.WriteJSON(w, http.StatusOK, importResult{created, updated})
}

func (a *API) listSuccessions(w http.ResponseWriter, r *http.Request) {
	q := httpx.NewQuery(r)
	unit := q.Str("org_unit")
	p := q.Page()
	if err := q.Done(); failed(w, r, err) {
		return
	}
	all, err := a.store.FindSuccessions(r.Context(), unit)
	if failed(w, r, err) {
		return
	}
	httpx.WriteList(w, httpx.PageOf(all, p), len(all), p)
}

func (a *API) createSuccession(w http.ResponseWriter, r *http.Request) {
	var in successionInput
	if err := a.decode(w, r, &in, nil); failed(w, r, err) {
		return
	}
	sc := &tinhso.Succession{From: in.From, To: in.To, Kind: in.Kind, Effective: in.Effective, Citation: in.Citation, Note: in.Note}
	if err := a.store.CreateSuccession(a.actor(r), sc); failed(w, r, err) {
		return
	}
	w.Header().Set("Location", "/api/v1/successions/"+strconv.FormatInt(sc.ID, 10))
	httpx.WriteJSON(w, http.StatusCreated, sc)
}

func (a *API) getSuccession(w http.ResponseWriter, r *http.Request) {
	sc, err := a.store.FindSuccession(r.Context(), r.PathValue("id"))
	if failed(w, r, err) {
		return
	}
	httpx.WriteJSON(w, http.StatusOK, sc)
}

func (a *API) deleteSuccession(w http.ResponseWriter, r *http.Request) {
	sc, err := a.store.FindSuccession(r.Context(), r.PathValue("id"))
	if err == nil {
		err = a.store.DeleteSuccession(a.actor(r), sc.ID)
	}
	if failed(w, r, err) {
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// orgUnits are org units as records of the generic handlers.
type orgUnits struct{ a *API }

func (o orgUnits) find(ctx context.Context, ref string) (*tinhso.OrgUnit, error) {
	return o.a.store.FindOrgUnit(ctx, ref)
}
func (orgUnits) id(x *tinhso.OrgUnit) int64    { return x.ID }
func (orgUnits) version(x *tinhso.OrgUnit) int { return x.Version }
func (orgUnits) input(u *tinhso.OrgUnit) orgUnitInput {
	return orgUnitInput{u.Code, u.Name, u.Kind, u.ParentCode, u.Aliases, u.Members, u.MemberKind, u.Dissolved, u.Note, u.Synthetic}
}
func (orgUnits) prepare(context.Context, *orgUnitInput) error { return nil }
func (orgUnits) apply(in orgUnitInput, u *tinhso.OrgUnit) error {
	u.Code, u.Name, u.Kind, u.ParentCode, u.Aliases, u.Members = in.Code, in.Name, in.Kind, in.Parent, in.Aliases, in.Members
	u.MemberKind, u.Dissolved, u.Note, u.Synthetic = in.MemberKind, in.Dissolved, in.Note, in.Synthetic
	return nil
}
func (o orgUnits) create(ctx context.Context, x *tinhso.OrgUnit) error {
	return o.a.store.CreateOrgUnit(ctx, x)
}
func (o orgUnits) update(ctx context.Context, x *tinhso.OrgUnit, version int) error {
	return o.a.store.UpdateOrgUnit(ctx, x, version)
}
func (o orgUnits) remove(ctx context.Context, id int64, version int) error {
	return o.a.store.DeleteOrgUnit(ctx, id, version)
}
