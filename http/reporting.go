package http

import (
	"context"
	"io"
	"mime"
	"net"
	"net/http"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tinhso/tinhso"
)

// regimeInput is the writable part of a regime.
type regimeInput struct {
	Key          string   `json:"key"`
	Name         string   `json:"name"`
	Content      string   `json:"content"`
	Document     string   `json:"document"`
	Reporters    []string `json:"reporters"`
	Receiver     string   `json:"receiver"`
	Frequency    string   `json:"frequency"`
	CutoffDay    int      `json:"cutoff_day"`
	DeadlineDays int      `json:"deadline_days"`
}

// periodInput names a period to open.
type periodInput struct {
	Year   int `json:"year"`
	Number int `json:"number"`
}

// submissionInput is what a reporter fills in.
type submissionInput struct {
	Values   []tinhso.IndicatorValue `json:"values"`
	Progress []tinhso.TaskProgress   `json:"progress"`
}

// returnInput is a reviewer's reason for returning a submission.
type returnInput struct {
	Reason string `json:"reason"`
}

// verifyAnswer answers an audit-chain check.
type verifyAnswer struct {
	Records int    `json:"records"`
	Intact  bool   `json:"intact"`
	Error   string `json:"error,omitempty"`
}

// actorCtx carries the caller and its address into the store, for the audit log.
func actorCtx(r *http.Request) context.Context {
	if a := tinhso.ActorFrom(r.Context()); a.Username != "system" {
		return r.Context() // set by require, with the address a trusted proxy gives
	}
	name := "anonymous"
	if u := userFrom(r.Context()); u != nil {
		name = u.Username
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return tinhso.WithActor(r.Context(), tinhso.Actor{Username: name, Address: host})
}

// mySubmission finds a submission the caller may see: everything for readers of all,
// their own unit's for a reporter; anything else is "not found", so that ids of other
// units' submissions reveal nothing.
func (s *Server) mySubmission(r *http.Request) (*tinhso.Submission, error) {
	id, err := idParam(r)
	if err != nil {
		return nil, err
	}
	sub, err := s.store.FindSubmission(r.Context(), id)
	if err != nil {
		return nil, err
	}
	u := userFrom(r.Context())
	if u.Can(tinhso.ActReadAll) || (u.Role == tinhso.RoleReporter && u.OrgUnit == sub.OrgUnit) {
		return sub, nil
	}
	return nil, tinhso.Errorf(tinhso.ENOTFOUND, "No submission with id %d.", id)
}

// ownSubmission is mySubmission for writes: only the unit's reporter.
func (s *Server) ownSubmission(r *http.Request) (*tinhso.Submission, error) {
	sub, err := s.mySubmission(r)
	if err != nil {
		return nil, err
	}
	if u := userFrom(r.Context()); u.Role != tinhso.RoleReporter || u.OrgUnit != sub.OrgUnit {
		return nil, tinhso.Errorf(tinhso.EFORBIDDEN, "Only a reporter of %s may change its submission.", sub.UnitName)
	}
	return sub, nil
}

func (s *Server) registerReporting() {
	s.handle(route{method: "GET", path: "/api/v1/regimes", summary: "Reporting regimes (chế độ báo cáo)", list: true, resp: tinhso.Regime{}},
		func(w http.ResponseWriter, r *http.Request) {
			q := newQuery(r)
			p := q.page()
			if err := q.done(); err != nil {
				Error(w, r, err)
				return
			}
			all, err := s.store.FindRegimes(r.Context())
			if err != nil {
				Error(w, r, err)
				return
			}
			writeList(w, pageOf(all, p), len(all), p)
		})
	s.handle(route{method: "POST", path: "/api/v1/regimes", summary: "Create a reporting regime (defaults of Nghị định 09/2019: cutoff day 14)",
		action: tinhso.ActManageReporting, body: regimeInput{}, resp: tinhso.Regime{}, status: 201}, func(w http.ResponseWriter, r *http.Request) {
		in := regimeInput{CutoffDay: 14, DeadlineDays: 10}
		if err := s.decode(w, r, &in, nil); err != nil {
			Error(w, r, err)
			return
		}
		rg := &tinhso.Regime{Key: in.Key, Name: in.Name, Content: in.Content, Document: in.Document, Reporters: in.Reporters, Receiver: in.Receiver,
			Frequency: in.Frequency, CutoffDay: in.CutoffDay, DeadlineDays: in.DeadlineDays}
		if err := s.store.CreateRegime(actorCtx(r), rg); err != nil {
			Error(w, r, err)
			return
		}
		w.Header().Set("Location", "/api/v1/regimes/"+rg.Key)
		writeJSON(w, http.StatusCreated, rg)
	})
	s.handle(route{method: "GET", path: "/api/v1/regimes/{id}", summary: "A regime, by id or key", resp: tinhso.Regime{}}, func(w http.ResponseWriter, r *http.Request) {
		rg, err := s.store.FindRegime(r.Context(), r.PathValue("id"))
		if err != nil {
			Error(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, rg)
	})
	s.handle(route{method: "GET", path: "/api/v1/regimes/{id}/plan", summary: "Who would report what in a period, and what blocks opening it",
		action: tinhso.ActManageReporting, resp: tinhso.PeriodPlan{}, query: []param{{"year", "integer", "e.g. 2026"}, {"number", "integer", "month, quarter, or 1"}}},
		func(w http.ResponseWriter, r *http.Request) {
			q := newQuery(r)
			year, number := q.int("year", 2000, 2100), q.int("number", 1, 12)
			if err := q.done(); err != nil {
				Error(w, r, err)
				return
			}
			plan, err := s.app.PlanPeriod(r.Context(), r.PathValue("id"), year, number)
			if err != nil {
				Error(w, r, err)
				return
			}
			writeJSON(w, http.StatusOK, plan)
		})
	s.handle(route{method: "POST", path: "/api/v1/regimes/{id}/periods", summary: "Open a period: one expected submission per responsible unit (409 listing blockers)",
		action: tinhso.ActManageReporting, body: periodInput{}, resp: tinhso.Period{}, status: 201}, func(w http.ResponseWriter, r *http.Request) {
		var in periodInput
		if err := s.decode(w, r, &in, nil); err != nil {
			Error(w, r, err)
			return
		}
		p, err := s.app.OpenPeriod(actorCtx(r), r.PathValue("id"), in.Year, in.Number)
		if err != nil {
			Error(w, r, err)
			return
		}
		w.Header().Set("Location", "/api/v1/periods/"+strconv.FormatInt(p.ID, 10))
		writeJSON(w, http.StatusCreated, p)
	})
	s.handle(route{method: "GET", path: "/api/v1/periods", summary: "Reporting periods, newest first", list: true, resp: tinhso.Period{},
		query: []param{{"regime", "string", "a regime's key"}}}, func(w http.ResponseWriter, r *http.Request) {
		q := newQuery(r)
		regime := q.str("regime")
		p := q.page()
		if err := q.done(); err != nil {
			Error(w, r, err)
			return
		}
		all, err := s.store.FindPeriods(r.Context(), regime)
		if err != nil {
			Error(w, r, err)
			return
		}
		writeList(w, pageOf(all, p), len(all), p)
	})
	s.handle(route{method: "GET", path: "/api/v1/periods/{id}", summary: "A period", resp: tinhso.Period{}}, func(w http.ResponseWriter, r *http.Request) {
		id, err := idParam(r)
		if err != nil {
			Error(w, r, err)
			return
		}
		p, err := s.store.FindPeriod(r.Context(), id)
		if err != nil {
			Error(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, p)
	})
	s.handle(route{method: "POST", path: "/api/v1/periods/{id}/close", summary: "Close a period: no more reminders; its submissions stay as they are",
		action: tinhso.ActManageReporting, resp: tinhso.Period{}}, func(w http.ResponseWriter, r *http.Request) {
		id, err := idParam(r)
		if err != nil {
			Error(w, r, err)
			return
		}
		p, err := s.app.ClosePeriod(actorCtx(r), id)
		if err != nil {
			Error(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, p)
	})
	s.handle(route{method: "POST", path: "/api/v1/notifications/{id}/read", summary: "Mark a notification read", action: tinhso.ActReadOwn, status: 204},
		func(w http.ResponseWriter, r *http.Request) {
			id, err := idParam(r)
			if err != nil {
				Error(w, r, err)
				return
			}
			unit := ""
			if u := userFrom(r.Context()); !u.Can(tinhso.ActReadAll) {
				unit = u.OrgUnit
			}
			if err := s.store.MarkNotificationRead(r.Context(), id, unit); err != nil {
				Error(w, r, err)
				return
			}
			w.WriteHeader(http.StatusNoContent)
		})
	s.handle(route{method: "GET", path: "/api/v1/periods/{id}/figures", summary: "The province figures of a period from approved submissions, each with the submissions it came from",
		action: tinhso.ActReadAll, list: true, resp: tinhso.Figure{}}, func(w http.ResponseWriter, r *http.Request) {
		id, err := idParam(r)
		if err != nil {
			Error(w, r, err)
			return
		}
		q := newQuery(r)
		p := q.page()
		if err := q.done(); err != nil {
			Error(w, r, err)
			return
		}
		if _, err := s.store.FindPeriod(r.Context(), id); err != nil {
			Error(w, r, err)
			return
		}
		figs, err := s.store.FindFigures(r.Context(), id)
		if err != nil {
			Error(w, r, err)
			return
		}
		writeList(w, pageOf(figs, p), len(figs), p)
	})
	s.handle(route{method: "GET", path: "/api/v1/submissions", summary: "Submissions; a reporter sees its own unit's", list: true, action: tinhso.ActReadOwn,
		resp: tinhso.Submission{}, query: []param{{"period", "integer", "a period id"}, {"org_unit", "string", "an org unit's code"},
			{"status", "string", "draft, submitted, returned, approved"}}}, func(w http.ResponseWriter, r *http.Request) {
		q := newQuery(r)
		f := tinhso.SubmissionFilter{Period: int64(q.int("period", 1, 1<<31-1)), OrgUnit: q.str("org_unit"),
			Status: q.oneOf("status", []string{tinhso.StatusDraft, tinhso.StatusSubmitted, tinhso.StatusReturned, tinhso.StatusApproved}), Page: q.page()}
		if err := q.done(); err != nil {
			Error(w, r, err)
			return
		}
		if u := userFrom(r.Context()); !u.Can(tinhso.ActReadAll) {
			if f.OrgUnit != "" && f.OrgUnit != u.OrgUnit {
				writeList(w, []*tinhso.Submission{}, 0, f.Page)
				return
			}
			f.OrgUnit = u.OrgUnit
		}
		items, total, err := s.store.FindSubmissions(r.Context(), f)
		if err != nil {
			Error(w, r, err)
			return
		}
		writeList(w, items, total, f.Page)
	})
	s.handle(route{method: "GET", path: "/api/v1/submissions/{id}", summary: "A submission with its values, progress and evidence", action: tinhso.ActReadOwn,
		resp: tinhso.Submission{}}, func(w http.ResponseWriter, r *http.Request) {
		sub, err := s.mySubmission(r)
		if err != nil {
			Error(w, r, err)
			return
		}
		writeVersioned(w, http.StatusOK, sub.Version, sub)
	})
	s.handle(route{method: "PUT", path: "/api/v1/submissions/{id}", summary: "Save a draft or returned submission's values and progress (the unit's reporter)",
		action: tinhso.ActReport, body: submissionInput{}, resp: tinhso.Submission{}}, func(w http.ResponseWriter, r *http.Request) {
		version, err := ifMatch(r)
		if err != nil {
			Error(w, r, err)
			return
		}
		sub, err := s.ownSubmission(r)
		if err != nil {
			Error(w, r, err)
			return
		}
		var in submissionInput
		if err := s.decode(w, r, &in, nil); err != nil {
			Error(w, r, err)
			return
		}
		out, err := s.app.SaveSubmission(actorCtx(r), sub.ID, in.Values, in.Progress, version)
		if err != nil {
			Error(w, r, err)
			return
		}
		writeVersioned(w, http.StatusOK, out.Version, out)
	})
	transition := func(name, action string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			version, err := ifMatch(r)
			if err != nil {
				Error(w, r, err)
				return
			}
			var sub *tinhso.Submission
			if name == tinhso.TransSubmit {
				sub, err = s.ownSubmission(r)
			} else {
				sub, err = s.mySubmission(r)
			}
			if err != nil {
				Error(w, r, err)
				return
			}
			var in returnInput
			if name == tinhso.TransReturn {
				if err := s.decode(w, r, &in, nil); err != nil {
					Error(w, r, err)
					return
				}
			}
			out, err := s.app.Transition(actorCtx(r), sub.ID, name, in.Reason, version)
			if err != nil {
				Error(w, r, err)
				return
			}
			writeVersioned(w, http.StatusOK, out.Version, out)
		}
	}
	s.handle(route{method: "POST", path: "/api/v1/submissions/{id}/submit", summary: "Submit (the unit's reporter)", action: tinhso.ActReport, resp: tinhso.Submission{}},
		transition(tinhso.TransSubmit, tinhso.ActReport))
	s.handle(route{method: "POST", path: "/api/v1/submissions/{id}/return", summary: "Return with a reason (the reviewer)", action: tinhso.ActReview,
		body: returnInput{}, resp: tinhso.Submission{}}, transition(tinhso.TransReturn, tinhso.ActReview))
	s.handle(route{method: "POST", path: "/api/v1/submissions/{id}/approve", summary: "Approve: the values become official (the reviewer)", action: tinhso.ActReview,
		resp: tinhso.Submission{}}, transition(tinhso.TransApprove, tinhso.ActReview))
	s.handle(route{method: "POST", path: "/api/v1/submissions/{id}/evidence", summary: "Attach an evidence file: PDF, image or office document (multipart field \"file\", or the raw body with ?name=)",
		action: tinhso.ActReport, body: "application/octet-stream", resp: tinhso.Submission{}, status: 201}, s.uploadEvidence)
	s.handle(route{method: "GET", path: "/api/v1/submissions/{id}/evidence/{hash}", summary: "Download an evidence file", action: tinhso.ActReadOwn},
		func(w http.ResponseWriter, r *http.Request) {
			sub, err := s.mySubmission(r)
			if err != nil {
				Error(w, r, err)
				return
			}
			for _, e := range sub.Evidence {
				if e.Hash == r.PathValue("hash") && s.Blobs != nil {
					rc, err := s.Blobs.Open(r.Context(), e.Hash)
					if err != nil {
						Error(w, r, err)
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
			Error(w, r, tinhso.Errorf(tinhso.ENOTFOUND, "No such file in this submission."))
		})
	s.handle(route{method: "GET", path: "/api/v1/notifications", summary: "In-app notifications (reminders); a reporter's are its unit's", list: true,
		action: tinhso.ActReadOwn, resp: tinhso.Notification{}}, func(w http.ResponseWriter, r *http.Request) {
		q := newQuery(r)
		p := q.page()
		if err := q.done(); err != nil {
			Error(w, r, err)
			return
		}
		unit := ""
		if u := userFrom(r.Context()); !u.Can(tinhso.ActReadAll) {
			unit = u.OrgUnit
		}
		items, total, err := s.store.FindNotifications(r.Context(), unit, p)
		if err != nil {
			Error(w, r, err)
			return
		}
		writeList(w, items, total, p)
	})
	s.handle(route{method: "GET", path: "/api/v1/audit", summary: "The audit log, newest first", list: true, action: tinhso.ActReadAudit, resp: tinhso.AuditRecord{},
		query: []param{{"entity", "string", "e.g. submission"}, {"entity_id", "string", "the record's id"}}}, func(w http.ResponseWriter, r *http.Request) {
		q := newQuery(r)
		f := tinhso.AuditFilter{Entity: q.str("entity"), EntityID: q.str("entity_id"), Page: q.page()}
		if err := q.done(); err != nil {
			Error(w, r, err)
			return
		}
		items, total, err := s.store.FindAudit(r.Context(), f)
		if err != nil {
			Error(w, r, err)
			return
		}
		writeList(w, items, total, f.Page)
	})
	s.handle(route{method: "GET", path: "/api/v1/audit/verify", summary: "Check the audit log's hash chain", action: tinhso.ActReadAudit, resp: verifyAnswer{}},
		func(w http.ResponseWriter, r *http.Request) {
			n, err := s.store.VerifyAudit(r.Context())
			if err != nil && tinhso.ErrorCode(err) != tinhso.ECONFLICT {
				Error(w, r, err)
				return
			}
			ans := verifyAnswer{Records: n, Intact: err == nil}
			if err != nil {
				ans.Error = tinhso.ErrorMessage(err)
			}
			writeJSON(w, http.StatusOK, ans)
		})
}

// MaxEvidenceBytes bounds an evidence file.
const MaxEvidenceBytes = 50 << 20

// uploadEvidence stores a file by content and attaches it. The name is kept for
// display only, cut to its last element and cleaned; the content decides the type.
func (s *Server) uploadEvidence(w http.ResponseWriter, r *http.Request) {
	sub, err := s.ownSubmission(r)
	if err != nil {
		Error(w, r, err)
		return
	}
	if s.Blobs == nil {
		Error(w, r, tinhso.Errorf(tinhso.EINTERNAL, "no blob store"))
		return
	}
	if r.ContentLength > MaxEvidenceBytes+1<<20 {
		Error(w, r, tinhso.Errorf(tinhso.ETOOLARGE, "The file is larger than %d MB.", MaxEvidenceBytes>>20))
		return
	}
	body := http.MaxBytesReader(w, r.Body, MaxEvidenceBytes+1<<20)
	var src io.Reader = body
	name := r.URL.Query().Get("name")
	if r.MultipartForm != nil {
		// The CSRF check read the form already (a browser's form post).
		f, hdr, err := r.FormFile("file")
		if err != nil {
			Error(w, r, tinhso.Invalid("file", "the form has no field \"file\""))
			return
		}
		defer f.Close()
		src, name = f, hdr.Filename
	} else if ct, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "multipart/form-data" {
		mr, err := (&http.Request{Header: http.Header{"Content-Type": {r.Header.Get("Content-Type")}}, Body: body}).MultipartReader()
		if err != nil || params["boundary"] == "" {
			Error(w, r, tinhso.Invalid("file", "the multipart body could not be read"))
			return
		}
		for {
			part, err := mr.NextPart()
			if err != nil {
				Error(w, r, tinhso.Invalid("file", "the form has no field \"file\""))
				return
			}
			if part.FormName() == "file" {
				src, name = part, part.FileName()
				break
			}
		}
	}
	name = cleanFileName(name)
	b, err := s.Blobs.Put(r.Context(), src, MaxEvidenceBytes)
	if err != nil {
		Error(w, r, err)
		return
	}
	out, err := s.app.AddEvidence(actorCtx(r), sub.ID, tinhso.Evidence{Hash: b.Hash, Name: nameForType(name, b.MediaType), MediaType: b.MediaType, Size: b.Size})
	if err != nil {
		Error(w, r, err)
		return
	}
	writeVersioned(w, http.StatusCreated, out.Version, out)
}

// cleanFileName keeps a display name safe: the last path element, no control
// characters, at most 200 characters; "tệp" when nothing is left.
func cleanFileName(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	name = path.Base(name)
	var b strings.Builder
	for _, r := range name {
		if r >= 0x20 && r != 0x7f && r != '"' && utf8.ValidRune(r) {
			b.WriteRune(r)
		}
	}
	name = strings.TrimSpace(b.String())
	if name == "" || name == "." || name == ".." || name == "/" {
		name = "tệp"
	}
	return tinhso.Clip(name, 200)
}

// extensions are the file-name endings each evidence type may carry.
var extensions = map[string][]string{
	"application/pdf": {".pdf"}, "image/png": {".png"}, "image/jpeg": {".jpg", ".jpeg"}, "image/gif": {".gif"},
	"image/webp": {".webp"}, "image/tiff": {".tif", ".tiff"},
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document":   {".docx"},
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":         {".xlsx"},
	"application/vnd.openxmlformats-officedocument.presentationml.presentation": {".pptx"},
	"application/vnd.oasis.opendocument.text":                                   {".odt"},
	"application/vnd.oasis.opendocument.spreadsheet":                            {".ods"},
	"application/vnd.oasis.opendocument.presentation":                           {".odp"},
}

// nameForType makes a file's name end as its content is: a PDF sent as "setup.exe" is
// kept as "setup.exe.pdf", so a download never carries a misleading extension.
func nameForType(name, mediaType string) string {
	exts, ok := extensions[mediaType]
	if !ok {
		return name
	}
	lower := strings.ToLower(name)
	for _, e := range exts {
		if strings.HasSuffix(lower, e) {
			return name
		}
	}
	return name + exts[0]
}
