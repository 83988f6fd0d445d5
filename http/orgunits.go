package http

import (
	"net/http"
	"strings"

	"github.com/tinhso/tinhso"
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

func (s *Server) registerOrgUnits() {
	s.handle(route{method: "GET", path: "/api/v1/org-units", summary: "List org units and groups", list: true, resp: tinhso.OrgUnit{},
		query: []param{{"kind", "string", "province, department, district, commune, party, group, other"}, {"parent", "string", "the parent's code"}}},
		func(w http.ResponseWriter, r *http.Request) {
			q := newQuery(r)
			f := tinhso.OrgUnitFilter{Kind: q.oneOf("kind", tinhso.OrgUnitKinds), Parent: q.str("parent"), Page: q.page()}
			if err := q.done(); err != nil {
				Error(w, r, err)
				return
			}
			items, total, err := s.store.FindOrgUnits(r.Context(), f)
			if err != nil {
				Error(w, r, err)
				return
			}
			writeList(w, items, total, f.Page)
		})
	s.handle(route{method: "POST", path: "/api/v1/org-units/import", summary: "Create or update org units from CSV (code,name,kind,parent); all or nothing",
		admin: true, body: "text/csv", resp: importResult{}}, func(w http.ResponseWriter, r *http.Request) {
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") && !strings.HasPrefix(ct, "text/plain") {
			Error(w, r, tinhso.Invalid("Content-Type", "send the file as text/csv, not %q", ct))
			return
		}
		body := http.MaxBytesReader(w, r.Body, 8*s.MaxBodyBytes)
		units, err := orgcsv.Read(body)
		if err != nil {
			Error(w, r, err)
			return
		}
		created, updated, err := s.store.ImportOrgUnits(actorCtx(r), units)
		if err != nil {
			Error(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, importResult{created, updated})
	})
	crud[tinhso.OrgUnit, orgUnitInput]{
		name: "org unit", path: "/api/v1/org-units", refDesc: "id or code",
		find:    s.store.FindOrgUnit,
		id:      func(u *tinhso.OrgUnit) int64 { return u.ID },
		version: func(u *tinhso.OrgUnit) int { return u.Version },
		input: func(u *tinhso.OrgUnit) orgUnitInput {
			return orgUnitInput{u.Code, u.Name, u.Kind, u.ParentCode, u.Aliases, u.Members, u.MemberKind, u.Dissolved, u.Note, u.Synthetic}
		},
		apply: func(in orgUnitInput, u *tinhso.OrgUnit) error {
			u.Code, u.Name, u.Kind, u.ParentCode, u.Aliases, u.Members = in.Code, in.Name, in.Kind, in.Parent, in.Aliases, in.Members
			u.MemberKind, u.Dissolved, u.Note, u.Synthetic = in.MemberKind, in.Dissolved, in.Note, in.Synthetic
			return nil
		},
		create: s.store.CreateOrgUnit, update: s.store.UpdateOrgUnit, delete: s.store.DeleteOrgUnit,
	}.register(s)
	s.handle(route{method: "GET", path: "/api/v1/successions", summary: "Successions (mergers, splits, transfers), all or of one org unit", resp: tinhso.Succession{}, list: true,
		query: []param{{"org_unit", "string", "an org unit's code"}}}, func(w http.ResponseWriter, r *http.Request) {
		q := newQuery(r)
		unit := q.str("org_unit")
		p := q.page()
		if err := q.done(); err != nil {
			Error(w, r, err)
			return
		}
		all, err := s.store.FindSuccessions(r.Context(), unit)
		if err != nil {
			Error(w, r, err)
			return
		}
		writeList(w, pageOf(all, p), len(all), p)
	})
	s.handle(route{method: "POST", path: "/api/v1/successions", summary: "Record a succession, citing the decision it comes from", admin: true,
		body: successionInput{}, resp: tinhso.Succession{}, status: 201}, func(w http.ResponseWriter, r *http.Request) {
		var in successionInput
		if err := s.decode(w, r, &in, nil); err != nil {
			Error(w, r, err)
			return
		}
		sc := &tinhso.Succession{From: in.From, To: in.To, Kind: in.Kind, Effective: in.Effective, Citation: in.Citation, Note: in.Note}
		if err := s.store.CreateSuccession(actorCtx(r), sc); err != nil {
			Error(w, r, err)
			return
		}
		w.Header().Set("Location", "/api/v1/successions/"+itoa(int(sc.ID)))
		writeJSON(w, http.StatusCreated, sc)
	})
	s.handle(route{method: "GET", path: "/api/v1/successions/{id}", summary: "A succession, by id or key", resp: tinhso.Succession{}},
		func(w http.ResponseWriter, r *http.Request) {
			sc, err := s.store.FindSuccession(r.Context(), r.PathValue("id"))
			if err != nil {
				Error(w, r, err)
				return
			}
			writeJSON(w, http.StatusOK, sc)
		})
	s.handle(route{method: "DELETE", path: "/api/v1/successions/{id}", summary: "Delete a succession recorded in error (unit end dates stay)", admin: true, status: 204},
		func(w http.ResponseWriter, r *http.Request) {
			sc, err := s.store.FindSuccession(r.Context(), r.PathValue("id"))
			if err == nil {
				err = s.store.DeleteSuccession(actorCtx(r), sc.ID)
			}
			if err != nil {
				Error(w, r, err)
				return
			}
			w.WriteHeader(http.StatusNoContent)
		})
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

func pageOf[T any](all []T, p tinhso.Page) []T {
	if p.Offset >= len(all) {
		return []T{}
	}
	end := min(len(all), p.Offset+p.Limit)
	return all[p.Offset:end]
}
