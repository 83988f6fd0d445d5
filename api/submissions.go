package api

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/httpx"
)

// Submissions: a unit's report of a period, its workflow and its evidence files.

// submissionInput is what a reporter fills in.
type submissionInput struct {
	Values   []tinhso.IndicatorValue `json:"values"`
	Progress []tinhso.TaskProgress   `json:"progress"`
}

// returnInput is a reviewer's reason for returning a submission.
type returnInput struct {
	Reason string `json:"reason"`
}

func (a *API) submissionRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "GET", Path: "/api/v1/submissions", Summary: "Submissions; a reporter sees its own unit's", List: true, Action: tinhso.ActReadOwn,
			Resp: tinhso.Submission{}, Query: []httpx.Param{{Name: "period", Type: "integer", Desc: "a period id"}, {Name: "org_unit", Type: "string", Desc: "an org unit's code"},
				{Name: "status", Type: "string", Desc: "draft, submitted, returned, approved"}}, Handler: a.listSubmissions},
		{Method: "GET", Path: "/api/v1/submissions/{id}", Summary: "A submission with its values, progress and evidence", Action: tinhso.ActReadOwn,
			Resp: tinhso.Submission{}, Handler: a.getSubmission},
		{Method: "PUT", Path: "/api/v1/submissions/{id}", Summary: "Save a draft or returned submission's values and progress (the unit's reporter)",
			Action: tinhso.ActReport, Body: submissionInput{}, Resp: tinhso.Submission{}, Handler: a.saveSubmission},
		{Method: "POST", Path: "/api/v1/submissions/{id}/submit", Summary: "Submit (the unit's reporter)", Action: tinhso.ActReport, Resp: tinhso.Submission{}, Handler: a.submit},
		{Method: "POST", Path: "/api/v1/submissions/{id}/return", Summary: "Return with a reason (the reviewer)", Action: tinhso.ActReview,
			Body: returnInput{}, Resp: tinhso.Submission{}, Handler: a.returnSubmission},
		{Method: "POST", Path: "/api/v1/submissions/{id}/approve", Summary: "Approve: the values become official (the reviewer)", Action: tinhso.ActReview,
			Resp: tinhso.Submission{}, Handler: a.approve},
		{Method: "POST", Path: "/api/v1/submissions/{id}/evidence", Summary: "Attach an evidence file: PDF, image or office document (multipart field \"file\", or the raw body with ?name=)",
			Action: tinhso.ActReport, Body: "application/octet-stream", Resp: tinhso.Submission{}, Status: 201, Handler: a.uploadEvidence},
		{Method: "GET", Path: "/api/v1/submissions/{id}/evidence/{hash}", Summary: "Download an evidence file", Action: tinhso.ActReadOwn, Handler: a.downloadEvidence},
	}
}

// readable finds the submission of the {id} path parameter that the caller may see.
func (a *API) readable(r *http.Request) (*tinhso.Submission, error) {
	id, err := httpx.IDParam(r)
	if err != nil {
		return nil, err
	}
	return a.app.ReadableSubmission(r.Context(), user(r), id)
}

// own finds the submission of the {id} path parameter that the caller's unit reports.
func (a *API) own(r *http.Request) (*tinhso.Submission, error) {
	id, err := httpx.IDParam(r)
	if err != nil {
		return nil, err
	}
	return a.app.OwnSubmission(r.Context(), user(r), id)
}

func (a *API) listSubmissions(w http.ResponseWriter, r *http.Request) {
	q := httpx.NewQuery(r)
	f := tinhso.SubmissionFilter{Period: int64(q.Int("period", 1, 1<<31-1)), OrgUnit: q.Str("org_unit"),
		Status: q.OneOf("status", []string{tinhso.StatusDraft, tinhso.StatusSubmitted, tinhso.StatusReturned, tinhso.StatusApproved}), Page: q.Page()}
	if err := q.Done(); failed(w, r, err) {
		return
	}
	if u := user(r); !u.Can(tinhso.ActReadAll) {
		if f.OrgUnit != "" && f.OrgUnit != u.OrgUnit {
			httpx.WriteList(w, []*tinhso.Submission{}, 0, f.Page)
			return
		}
		f.OrgUnit = u.OrgUnit
	}
	items, total, err := a.store.FindSubmissions(r.Context(), f)
	if failed(w, r, err) {
		return
	}
	httpx.WriteList(w, items, total, f.Page)
}

func (a *API) getSubmission(w http.ResponseWriter, r *http.Request) {
	sub, err := a.readable(r)
	if failed(w, r, err) {
		return
	}
	httpx.WriteVersioned(w, http.StatusOK, sub.Version, sub)
}

func (a *API) saveSubmission(w http.ResponseWriter, r *http.Request) {
	version, err := httpx.IfMatch(r)
	if failed(w, r, err) {
		return
	}
	sub, err := a.own(r)
	if failed(w, r, err) {
		return
	}
	var in submissionInput
	if err := a.decode(w, r, &in, nil); failed(w, r, err) {
		return
	}
	out, err := a.app.SaveSubmission(a.actor(r), sub.ID, in.Values, in.Progress, version)
	if failed(w, r, err) {
		return
	}
	httpx.WriteVersioned(w, http.StatusOK, out.Version, out)
}

func (a *API) submit(w http.ResponseWriter, r *http.Request) {
	a.transition(w, r, tinhso.TransSubmit)
}

func (a *API) returnSubmission(w http.ResponseWriter, r *http.Request) {
	a.transition(w, r, tinhso.TransReturn)
}

func (a *API) approve(w http.ResponseWriter, r *http.Request) {
	a.transition(w, r, tinhso.TransApprove)
}

// transition takes a submission a step: submit (its unit's reporter), return with a
// reason or approve (a reviewer).
func (a *API) transition(w http.ResponseWriter, r *http.Request, name string) {
	version, err := httpx.IfMatch(r)
	if failed(w, r, err) {
		return
	}
	var sub *tinhso.Submission
	if name == tinhso.TransSubmit {
		sub, err = a.own(r)
	} else {
		sub, err = a.readable(r)
	}
	if failed(w, r, err) {
		return
	}
	var in returnInput
	if name == tinhso.TransReturn {
		if err := a.decode(w, r, &in, nil); failed(w, r, err) {
			return
		}
	}
	out, err := a.app.Transition(a.actor(r), sub.ID, name, in.Reason, version)
	if failed(w, r, err) {
		return
	}
	httpx.WriteVersioned(w, http.StatusOK, out.Version, out)
}

func (a *API) downloadEvidence(w http.ResponseWriter, r *http.Request) {
	sub, err := a.readable(r)
	if failed(w, r, err) {
		return
	}
	for _, e := range sub.Evidence {
		if e.Hash == r.PathValue("hash") && a.blobs != nil {
			rc, err := a.blobs.Open(r.Context(), e.Hash)
			if failed(w, r, err) {
				return
			}
			defer rc.Close()
			w.Header().Set("Content-Type", e.MediaType)
			w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": e.Name}))
			w.Header().Set("Content-Length", strconv.FormatInt(e.Size, 10))
			io.Copy(w, rc)
			return
		}
	}
	httpx.Error(w, r, tinhso.Errorf(tinhso.ENOTFOUND, "err.api.no_file"))
}

// uploadEvidence stores a file by content and attaches it. The name is kept for
// display only, cut to its last element and cleaned; the content decides the type.
func (a *API) uploadEvidence(w http.ResponseWriter, r *http.Request) {
	sub, err := a.own(r)
	if failed(w, r, err) {
		return
	}
	e, ok := a.receiveFile(w, r)
	if !ok {
		return
	}
	out, err := a.app.AddEvidence(a.actor(r), sub.ID, e)
	if failed(w, r, err) {
		return
	}
	httpx.WriteVersioned(w, http.StatusCreated, out.Version, out)
}

// receiveFile stores an uploaded evidence file by content (the multipart field "file",
// or the raw body with ?name=) and returns it as evidence; ok is false when it answered
// an error.
func (a *API) receiveFile(w http.ResponseWriter, r *http.Request) (tinhso.Evidence, bool) {
	if a.blobs == nil {
		httpx.Error(w, r, errors.New("api: no blob store"))
		return tinhso.Evidence{}, false
	}
	if r.ContentLength > app.MaxEvidenceBytes+1<<20 {
		httpx.Error(w, r, tinhso.Errorf(tinhso.ETOOLARGE, "err.api.file_large", app.MaxEvidenceBytes>>20))
		return tinhso.Evidence{}, false
	}
	body := http.MaxBytesReader(w, r.Body, app.MaxEvidenceBytes+1<<20)
	var src io.Reader = body
	name := r.URL.Query().Get("name")
	if r.MultipartForm != nil {
		// The CSRF check read the form already (a browser's form post).
		f, hdr, err := r.FormFile("file")
		if err != nil {
			httpx.Error(w, r, tinhso.Invalid("file", "err.api.file_field"))
			return tinhso.Evidence{}, false
		}
		defer f.Close()
		src, name = f, hdr.Filename
	} else if ct, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "multipart/form-data" {
		mr, err := (&http.Request{Header: http.Header{"Content-Type": {r.Header.Get("Content-Type")}}, Body: body}).MultipartReader()
		if err != nil || params["boundary"] == "" {
			httpx.Error(w, r, tinhso.Invalid("file", "err.api.multipart"))
			return tinhso.Evidence{}, false
		}
		for {
			part, err := mr.NextPart()
			if err != nil {
				httpx.Error(w, r, tinhso.Invalid("file", "err.api.file_field"))
				return tinhso.Evidence{}, false
			}
			if part.FormName() == "file" {
				src, name = part, part.FileName()
				break
			}
		}
	}
	b, err := a.blobs.Put(r.Context(), src, app.MaxEvidenceBytes)
	if failed(w, r, err) {
		return tinhso.Evidence{}, false
	}
	return tinhso.Evidence{Hash: b.Hash, Name: app.EvidenceName(name, b.MediaType), MediaType: b.MediaType, Size: b.Size}, true
}
