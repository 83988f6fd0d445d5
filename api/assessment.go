package api

import (
	"bytes"
	"context"
	"io"
	"mime"
	"net/http"
	"strconv"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/engine"
	"github.com/tinhso/tinhso/httpx"
	"github.com/tinhso/tinhso/locale"
	"github.com/tinhso/tinhso/xlsx"
)

// Assessment (issue 14): frameworks and their versions, rounds, rankings, a subject's
// self-assessment and its review. The public reads the frameworks' published versions
// and the published rounds' results, people's excepted.

// frameworkInput is a new framework with its first version's tree.
type frameworkInput struct {
	Slug        string                 `json:"slug"`
	Name        string                 `json:"name"`
	Description string                 `json:"description"`
	SubjectKind string                 `json:"subject_kind"`
	Total       float64                `json:"total"`
	Nodes       []tinhso.FrameworkNode `json:"nodes"`
	Note        string                 `json:"note"`
}

// versionInput is a draft version's tree.
type versionInput struct {
	Total float64                `json:"total"`
	Nodes []tinhso.FrameworkNode `json:"nodes"`
	Note  string                 `json:"note"`
}

// roundInput opens a round.
type roundInput struct {
	Name      string            `json:"name"`
	Year      int               `json:"year"`
	VersionID int64             `json:"version_id"`
	Deadline  string            `json:"deadline"`
	Subjects  []*tinhso.Subject `json:"subjects"`
}

// entriesInput is a subject's answers.
type entriesInput struct {
	Entries []app.EntryInput `json:"entries"`
}

// assessmentReviewInput is a reviewer's decisions.
type assessmentReviewInput struct {
	Decisions []app.Decision `json:"decisions"`
}

func (a *API) assessmentRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "GET", Path: "/api/v1/frameworks", Summary: "Assessment frameworks (bộ tiêu chí), the shipped templates among them (template: true), with their versions' trees: the published versions for everyone, drafts too for the standing agency",
			List: true, Resp: tinhso.Framework{}, Handler: a.listFrameworks},
		{Method: "POST", Path: "/api/v1/frameworks", Summary: "Create a framework with its first version as a draft (children's points must add up to their parent's, the pillars' to total)",
			Action: tinhso.ActManageAssessment, Body: frameworkInput{}, Resp: tinhso.Framework{}, Status: 201, Handler: a.createFramework},
		{Method: "GET", Path: "/api/v1/frameworks/{slug}", Summary: "A framework with its versions", Resp: tinhso.Framework{}, Handler: a.getFramework},
		{Method: "POST", Path: "/api/v1/frameworks/{slug}/versions", Summary: "Start a new draft version from a copy of the latest (published versions stay frozen)",
			Action: tinhso.ActManageAssessment, Resp: tinhso.FrameworkVersion{}, Status: 201, Handler: a.newVersion},
		{Method: "GET", Path: "/api/v1/framework-versions/{id}", Summary: "A framework version's tree", Resp: tinhso.FrameworkVersion{}, Handler: a.getVersion},
		{Method: "PUT", Path: "/api/v1/framework-versions/{id}", Summary: "Replace a draft version's tree (a published version is frozen: 409)",
			Action: tinhso.ActManageAssessment, Body: versionInput{}, Resp: tinhso.FrameworkVersion{}, Handler: a.saveVersion},
		{Method: "POST", Path: "/api/v1/framework-versions/{id}/publish", Summary: "Publish (freeze) a draft version",
			Action: tinhso.ActManageAssessment, Resp: tinhso.FrameworkVersion{}, Handler: a.publishVersion},
		{Method: "GET", Path: "/api/v1/rounds", Summary: "Assessment rounds, newest first: the published ones for everyone; every one for those who read assessments; a unit's or business's own rounds for it",
			List: true, Resp: tinhso.Round{}, Query: []httpx.Param{{Name: "framework", Type: "string", Desc: "a framework's slug"}}, Handler: a.listRounds},
		{Method: "POST", Path: "/api/v1/rounds", Summary: "Open a round for a published framework version and a set of subjects (departments, communes, people, businesses)",
			Action: tinhso.ActManageAssessment, Body: roundInput{}, Resp: tinhso.Round{}, Status: 201, Handler: a.openRound},
		{Method: "GET", Path: "/api/v1/rounds/{id}", Summary: "A round with its subjects and their self-assessments' status (people's records not public)",
			Resp: tinhso.Round{}, Handler: a.getRound},
		{Method: "GET", Path: "/api/v1/rounds/{id}/ranking", Summary: "A round's scores per criterion, index, pillar and overall (0–1), ranked within each kind of subject, ties stated, change against the previous round: published results for everyone (people's never), provisional ones for those who read assessments",
			Resp: tinhso.Ranking{}, Handler: a.ranking},
		{Method: "POST", Path: "/api/v1/rounds/{id}/what-if", Summary: "Score the round again with changed criterion values (by subject ref and criterion code) or node points, storing nothing",
			Action: tinhso.ActReadAssessment, Body: engine.WhatIf{}, Resp: tinhso.Ranking{}, Handler: a.whatIf},
		{Method: "POST", Path: "/api/v1/rounds/{id}/close", Summary: "End self-assessment early (the standing agency)",
			Action: tinhso.ActReviewAssessment, Resp: tinhso.Round{}, Handler: a.closeRound},
		{Method: "POST", Path: "/api/v1/rounds/{id}/approve", Summary: "Approve a round's results (none may wait for review): the scores are stored as they are now",
			Action: tinhso.ActReviewAssessment, Resp: tinhso.Round{}, Handler: a.approveRound},
		{Method: "POST", Path: "/api/v1/rounds/{id}/publish", Summary: "Publish an approved round on the portal and in open data (people's results stay private)",
			Action: tinhso.ActReviewAssessment, Resp: tinhso.Round{}, Handler: a.publishRound},
		{Method: "GET", Path: "/api/v1/rounds/{id}/export.xlsx", Summary: "A round's results as a spreadsheet, one sheet per level",
			Action: tinhso.ActReadAssessment, Handler: a.exportRound},
		{Method: "GET", Path: "/api/v1/subjects/{id}/self-assessment", Summary: "A subject's self-assessment: its own unit or business always, the standing agency once it is submitted",
			Action: tinhso.ActSignedIn, Resp: tinhso.SelfAssessment{}, Handler: a.getSelfAssessment},
		{Method: "PUT", Path: "/api/v1/subjects/{id}/self-assessment", Summary: "Write one's own self-assessment's values and notes while it is a draft or returned, before the deadline",
			Action: tinhso.ActSelfAssess, Body: entriesInput{}, Resp: tinhso.SelfAssessment{}, Handler: a.saveSelfAssessment},
		{Method: "POST", Path: "/api/v1/subjects/{id}/evidence", Summary: "Attach an evidence file to a criterion (?criterion=; multipart field \"file\", or the raw body with ?name=)",
			Action: tinhso.ActSelfAssess, Query: []httpx.Param{{Name: "criterion", Type: "string", Desc: "the criterion's code"}, {Name: "name", Type: "string", Desc: "the file's name (raw body)"}},
			Body: "application/octet-stream", Resp: tinhso.SelfAssessment{}, Status: 201, Handler: a.addAssessmentEvidence},
		{Method: "GET", Path: "/api/v1/subjects/{id}/evidence/{hash}", Summary: "Download an evidence file of a self-assessment",
			Action: tinhso.ActSignedIn, Handler: a.downloadAssessmentEvidence},
		{Method: "POST", Path: "/api/v1/subjects/{id}/submit", Summary: "Submit one's own self-assessment for review (manual scores need evidence)",
			Action: tinhso.ActSelfAssess, Resp: tinhso.SelfAssessment{}, Handler: a.submitSelfAssessment},
		{Method: "POST", Path: "/api/v1/subjects/{id}/review", Summary: "Review a submitted self-assessment's criteria: accept, adjust (value and reason) or return (reason); a return sends it back, decisions on every criterion approve it",
			Action: tinhso.ActReviewAssessment, Body: assessmentReviewInput{}, Resp: tinhso.SelfAssessment{}, Handler: a.reviewSelfAssessment},
		{Method: "GET", Path: "/api/v1/people", Summary: "People (heads of agencies, officials) as records of their unit", Action: tinhso.ActManageAssessment,
			List: true, Resp: tinhso.Person{}, Query: []httpx.Param{{Name: "org_unit", Type: "string", Desc: "a unit's code"}}, Handler: a.listPeople},
		{Method: "POST", Path: "/api/v1/people", Summary: "Add a person record to a unit", Action: tinhso.ActManageAssessment,
			Body: tinhso.Person{}, Resp: tinhso.Person{}, Status: 201, Handler: a.createPerson},
	}
}

// viewer is who reads: the caller (nil for the public). A session that ended reads as
// the public; wrong credentials are an error.
func (a *API) viewer(w http.ResponseWriter, r *http.Request) (*httpx.Caller, error) {
	c, err := a.auth.Identify(r)
	if err == httpx.ErrSessionEnded {
		a.auth.ClearSessionCookie(w, r)
		return nil, nil
	}
	if err != nil || c == nil || c.Session != nil && c.User.MustChangePassword {
		return nil, err
	}
	return c, nil
}

func mayRead(c *httpx.Caller) bool {
	return c.May(tinhso.ActReadAssessment) || c.May(tinhso.ActManageAssessment)
}

func (a *API) listFrameworks(w http.ResponseWriter, r *http.Request) {
	q := httpx.NewQuery(r)
	page := q.Page()
	if err := q.Done(); failed(w, r, err) {
		return
	}
	c, err := a.viewer(w, r)
	if failed(w, r, err) {
		return
	}
	list, err := a.store.FindFrameworks(r.Context())
	if failed(w, r, err) {
		return
	}
	var out []*tinhso.Framework
	for _, f := range list {
		if f = frameworkShown(f, mayRead(c)); f != nil {
			out = append(out, f)
		}
	}
	total := len(out)
	lim := page.Limit
	if lim <= 0 {
		lim = 50
	}
	out = out[min(page.Offset, total):min(page.Offset+lim, total)]
	httpx.WriteList(w, out, total, page)
}

// frameworkShown is a framework as a reader sees it: the public its published versions
// only (none: not at all).
func frameworkShown(f *tinhso.Framework, all bool) *tinhso.Framework {
	if all {
		return f
	}
	c := *f
	c.Versions = nil
	for _, v := range f.Versions {
		if v.Status == tinhso.VersionPublished {
			c.Versions = append(c.Versions, v)
		}
	}
	if len(c.Versions) == 0 {
		return nil
	}
	return &c
}

func (a *API) createFramework(w http.ResponseWriter, r *http.Request) {
	var in frameworkInput
	if err := a.decode(w, r, &in, nil); failed(w, r, err) {
		return
	}
	f, err := a.app.CreateFramework(a.actor(r), &tinhso.Framework{Slug: in.Slug, Name: in.Name, Description: in.Description, SubjectKind: in.SubjectKind},
		&tinhso.FrameworkVersion{Total: in.Total, Nodes: in.Nodes, Note: in.Note})
	if failed(w, r, err) {
		return
	}
	w.Header().Set("Location", "/api/v1/frameworks/"+f.Slug)
	httpx.WriteJSON(w, http.StatusCreated, f)
}

func (a *API) getFramework(w http.ResponseWriter, r *http.Request) {
	c, err := a.viewer(w, r)
	if failed(w, r, err) {
		return
	}
	f, err := a.store.FindFramework(r.Context(), r.PathValue("slug"))
	if err == nil {
		if f = frameworkShown(f, mayRead(c)); f == nil {
			err = tinhso.Errorf(tinhso.ENOTFOUND, "assessment.err.framework_not_found", r.PathValue("slug"))
		}
	}
	if failed(w, r, err) {
		return
	}
	httpx.WriteJSON(w, http.StatusOK, f)
}

func (a *API) newVersion(w http.ResponseWriter, r *http.Request) {
	v, err := a.app.NewFrameworkVersion(a.actor(r), r.PathValue("slug"))
	if failed(w, r, err) {
		return
	}
	w.Header().Set("Location", "/api/v1/framework-versions/"+strconv.FormatInt(v.ID, 10))
	httpx.WriteVersioned(w, http.StatusCreated, v.Version, v)
}

func (a *API) getVersion(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.IDParam(r)
	if failed(w, r, err) {
		return
	}
	c, err := a.viewer(w, r)
	if failed(w, r, err) {
		return
	}
	v, err := a.store.FindFrameworkVersion(r.Context(), id)
	if err == nil && v.Status != tinhso.VersionPublished && !mayRead(c) {
		err = tinhso.Errorf(tinhso.ENOTFOUND, "assessment.err.version_not_found", id)
	}
	if failed(w, r, err) {
		return
	}
	httpx.WriteVersioned(w, http.StatusOK, v.Version, v)
}

func (a *API) saveVersion(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.IDParam(r)
	if failed(w, r, err) {
		return
	}
	version, err := httpx.IfMatch(r)
	if failed(w, r, err) {
		return
	}
	var in versionInput
	if err := a.decode(w, r, &in, nil); failed(w, r, err) {
		return
	}
	v, err := a.app.SaveFrameworkVersion(a.actor(r), id, &tinhso.FrameworkVersion{Total: in.Total, Nodes: in.Nodes, Note: in.Note}, version)
	if failed(w, r, err) {
		return
	}
	httpx.WriteVersioned(w, http.StatusOK, v.Version, v)
}

func (a *API) publishVersion(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.IDParam(r)
	if failed(w, r, err) {
		return
	}
	version, err := httpx.IfMatch(r)
	if failed(w, r, err) {
		return
	}
	v, err := a.app.PublishFrameworkVersion(a.actor(r), id, version)
	if failed(w, r, err) {
		return
	}
	httpx.WriteVersioned(w, http.StatusOK, v.Version, v)
}

// ownRef is the subject ref a caller assesses as: its unit or its business ("" none).
func ownRef(c *httpx.Caller) string {
	if c == nil || c.User == nil {
		return ""
	}
	switch c.User.Role {
	case tinhso.RoleReporter:
		return "unit:" + c.User.OrgUnit
	case tinhso.RoleBusiness:
		return "business:" + strconv.FormatInt(c.User.ID, 10)
	}
	return ""
}

func (a *API) listRounds(w http.ResponseWriter, r *http.Request) {
	q := httpx.NewQuery(r)
	f := tinhso.RoundFilter{Framework: q.Str("framework")}
	page := q.Page()
	if err := q.Done(); failed(w, r, err) {
		return
	}
	c, err := a.viewer(w, r)
	if failed(w, r, err) {
		return
	}
	list, err := a.store.FindRounds(r.Context(), f)
	if failed(w, r, err) {
		return
	}
	var own map[int64]bool
	if ref := ownRef(c); ref != "" && !mayRead(c) {
		mine, err := a.store.FindRounds(r.Context(), tinhso.RoundFilter{Framework: f.Framework, Subject: ref})
		if failed(w, r, err) {
			return
		}
		own = map[int64]bool{}
		for _, x := range mine {
			own[x.ID] = true
		}
	}
	var out []*tinhso.Round
	for _, x := range list {
		if mayRead(c) || x.Status == tinhso.RoundPublished || own[x.ID] {
			out = append(out, x)
		}
	}
	total := len(out)
	lim := page.Limit
	if lim <= 0 {
		lim = 50
	}
	out = out[min(page.Offset, total):min(page.Offset+lim, total)]
	httpx.WriteList(w, out, total, page)
}

func (a *API) openRound(w http.ResponseWriter, r *http.Request) {
	var in roundInput
	if err := a.decode(w, r, &in, nil); failed(w, r, err) {
		return
	}
	x, err := a.app.OpenRound(a.actor(r), &tinhso.Round{Name: in.Name, Year: in.Year, VersionID: in.VersionID, Deadline: in.Deadline, Subjects: in.Subjects})
	if failed(w, r, err) {
		return
	}
	w.Header().Set("Location", "/api/v1/rounds/"+strconv.FormatInt(x.ID, 10))
	httpx.WriteVersioned(w, http.StatusCreated, x.Version, x)
}

// roundFor reads a round as the caller may see it: every round and subject for those
// who read assessments; a published one for the public, without people; a round with
// its own subject for a unit or business, with that subject only besides the published
// view.
func (a *API) roundFor(w http.ResponseWriter, r *http.Request) (*tinhso.Round, *httpx.Caller, bool) {
	id, err := httpx.IDParam(r)
	if failed(w, r, err) {
		return nil, nil, false
	}
	c, err := a.viewer(w, r)
	if failed(w, r, err) {
		return nil, nil, false
	}
	x, err := a.store.FindRound(r.Context(), id)
	if failed(w, r, err) {
		return nil, nil, false
	}
	if mayRead(c) {
		return x, c, true
	}
	ref := ownRef(c)
	var subjects []*tinhso.Subject
	mine := false
	for _, s := range x.Subjects {
		switch {
		case ref != "" && s.Ref() == ref:
			mine = true
			subjects = append(subjects, s)
		case x.Status == tinhso.RoundPublished && !tinhso.IsPersonKind(s.Kind):
			cp := *s
			cp.Status = ""
			subjects = append(subjects, &cp)
		}
	}
	if x.Status != tinhso.RoundPublished && !mine {
		httpx.Error(w, r, tinhso.Errorf(tinhso.ENOTFOUND, "assessment.err.round_not_found", id))
		return nil, nil, false
	}
	x.Subjects = subjects
	return x, c, true
}

func (a *API) getRound(w http.ResponseWriter, r *http.Request) {
	x, _, ok := a.roundFor(w, r)
	if !ok {
		return
	}
	httpx.WriteVersioned(w, http.StatusOK, x.Version, x)
}

func (a *API) ranking(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.IDParam(r)
	if failed(w, r, err) {
		return
	}
	c, err := a.viewer(w, r)
	if failed(w, r, err) {
		return
	}
	var res *tinhso.Ranking
	if mayRead(c) {
		res, err = a.app.RoundRanking(r.Context(), id)
	} else {
		_, res, err = a.app.PublicRanking(r.Context(), id)
	}
	if failed(w, r, err) {
		return
	}
	httpx.WriteJSON(w, http.StatusOK, res)
}

func (a *API) whatIf(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.IDParam(r)
	if failed(w, r, err) {
		return
	}
	var in engine.WhatIf
	if err := a.decode(w, r, &in, nil); failed(w, r, err) {
		return
	}
	res, err := a.app.WhatIfRound(r.Context(), id, in)
	if failed(w, r, err) {
		return
	}
	httpx.WriteJSON(w, http.StatusOK, res)
}

func (a *API) closeRound(w http.ResponseWriter, r *http.Request) {
	a.moveRound(w, r, a.app.CloseSelfAssessment)
}
func (a *API) approveRound(w http.ResponseWriter, r *http.Request) {
	a.moveRound(w, r, a.app.ApproveRound)
}
func (a *API) publishRound(w http.ResponseWriter, r *http.Request) {
	a.moveRound(w, r, a.app.PublishRound)
}

func (a *API) moveRound(w http.ResponseWriter, r *http.Request, step func(ctx context.Context, id int64, version int) (*tinhso.Round, error)) {
	id, err := httpx.IDParam(r)
	if failed(w, r, err) {
		return
	}
	version, err := httpx.IfMatch(r)
	if failed(w, r, err) {
		return
	}
	x, err := step(a.actor(r), id, version)
	if failed(w, r, err) {
		return
	}
	httpx.WriteVersioned(w, http.StatusOK, x.Version, x)
}

func (a *API) exportRound(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.IDParam(r)
	if failed(w, r, err) {
		return
	}
	x, err := a.store.FindRound(r.Context(), id)
	if failed(w, r, err) {
		return
	}
	v, err := a.store.FindFrameworkVersion(r.Context(), x.VersionID)
	if failed(w, r, err) {
		return
	}
	res, err := a.app.RoundRanking(r.Context(), id)
	if failed(w, r, err) {
		return
	}
	var b bytes.Buffer
	if err := xlsx.WriteRound(&b, locale.FromRequest(r, locale.EN), x, v, res); failed(w, r, err) {
		return
	}
	attachment(w, "danh-gia-"+strconv.FormatInt(id, 10)+"-"+strconv.Itoa(x.Year)+".xlsx", b.Bytes())
}

// subjectFor reads a subject and checks that the caller may see its self-assessment.
func (a *API) subjectFor(r *http.Request) (*tinhso.Subject, error) {
	id, err := httpx.IDParam(r)
	if err != nil {
		return nil, err
	}
	s, err := a.store.FindSubject(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if !app.MaySee(user(r), s) {
		// Someone else's self-assessment is not there for the caller.
		return nil, tinhso.Errorf(tinhso.ENOTFOUND, "assessment.err.subject_not_found", id)
	}
	return s, nil
}

func (a *API) getSelfAssessment(w http.ResponseWriter, r *http.Request) {
	s, err := a.subjectFor(r)
	if failed(w, r, err) {
		return
	}
	sa, err := a.store.FindSelfAssessment(r.Context(), s.ID)
	if failed(w, r, err) {
		return
	}
	httpx.WriteVersioned(w, http.StatusOK, sa.Version, sa)
}

func (a *API) saveSelfAssessment(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.IDParam(r)
	if failed(w, r, err) {
		return
	}
	version, err := httpx.IfMatch(r)
	if failed(w, r, err) {
		return
	}
	var in entriesInput
	if err := a.decode(w, r, &in, nil); failed(w, r, err) {
		return
	}
	sa, err := a.app.SaveSelfAssessment(a.actor(r), user(r), id, in.Entries, version)
	if failed(w, r, err) {
		return
	}
	httpx.WriteVersioned(w, http.StatusOK, sa.Version, sa)
}

func (a *API) addAssessmentEvidence(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.IDParam(r)
	if failed(w, r, err) {
		return
	}
	s, err := a.store.FindSubject(r.Context(), id)
	if err == nil && !app.MayAssess(user(r), s) {
		err = tinhso.Errorf(tinhso.EFORBIDDEN, "assessment.err.not_yours")
	}
	if failed(w, r, err) {
		return
	}
	criterion := r.URL.Query().Get("criterion")
	if criterion == "" {
		httpx.Error(w, r, tinhso.Invalid("criterion", "assessment.err.no_criterion", ""))
		return
	}
	e, ok := a.receiveFile(w, r)
	if !ok {
		return
	}
	sa, err := a.app.AddAssessmentEvidence(a.actor(r), user(r), id, criterion, e)
	if failed(w, r, err) {
		return
	}
	httpx.WriteVersioned(w, http.StatusCreated, sa.Version, sa)
}

func (a *API) downloadAssessmentEvidence(w http.ResponseWriter, r *http.Request) {
	s, err := a.subjectFor(r)
	if failed(w, r, err) {
		return
	}
	sa, err := a.store.FindSelfAssessment(r.Context(), s.ID)
	if failed(w, r, err) {
		return
	}
	for _, e := range sa.Evidence {
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

func (a *API) submitSelfAssessment(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.IDParam(r)
	if failed(w, r, err) {
		return
	}
	version, err := httpx.IfMatch(r)
	if failed(w, r, err) {
		return
	}
	sa, err := a.app.SubmitSelfAssessment(a.actor(r), user(r), id, version)
	if failed(w, r, err) {
		return
	}
	httpx.WriteVersioned(w, http.StatusOK, sa.Version, sa)
}

func (a *API) reviewSelfAssessment(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.IDParam(r)
	if failed(w, r, err) {
		return
	}
	version, err := httpx.IfMatch(r)
	if failed(w, r, err) {
		return
	}
	var in assessmentReviewInput
	if err := a.decode(w, r, &in, nil); failed(w, r, err) {
		return
	}
	sa, err := a.app.ReviewSelfAssessment(a.actor(r), id, in.Decisions, version)
	if failed(w, r, err) {
		return
	}
	httpx.WriteVersioned(w, http.StatusOK, sa.Version, sa)
}

func (a *API) listPeople(w http.ResponseWriter, r *http.Request) {
	q := httpx.NewQuery(r)
	unit := q.Str("org_unit")
	page := q.Page()
	if err := q.Done(); failed(w, r, err) {
		return
	}
	list, err := a.store.FindPeople(r.Context(), unit)
	if failed(w, r, err) {
		return
	}
	total := len(list)
	lim := page.Limit
	if lim <= 0 {
		lim = 50
	}
	httpx.WriteList(w, list[min(page.Offset, total):min(page.Offset+lim, total)], total, page)
}

func (a *API) createPerson(w http.ResponseWriter, r *http.Request) {
	var p tinhso.Person
	if err := a.decode(w, r, &p, map[string]string{"id": "computed"}); failed(w, r, err) {
		return
	}
	p.ID = 0
	if err := a.store.CreatePerson(a.actor(r), &p); failed(w, r, err) {
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, p)
}
