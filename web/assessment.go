package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/engine"
	"github.com/tinhso/tinhso/httpx"
)

// The signed-in assessment pages (issue 14): the hub (frameworks, rounds, one's own
// self-assessments), a framework's tree with the draft editor, a round with its
// subjects, ranking and steps, a subject's self-assessment form or review form, the
// review queue, a subject's scorecard, and the what-if. Every change goes through the
// use-cases of app/assessment.go.

func (u *Web) assessmentRoutes() []route {
	return []route{
		{"GET /assessment", u.guard(tinhso.ActSignedIn, u.assessmentHub)},
		{"POST /assessment/frameworks", u.guard(tinhso.ActManageAssessment, u.createFrameworkPost)},
		{"GET /assessment/frameworks/{slug}", u.guard(tinhso.ActSignedIn, u.frameworkPage)},
		{"POST /assessment/frameworks/{slug}/versions", u.guard(tinhso.ActManageAssessment, u.newVersionPost)},
		{"POST /assessment/versions/{id}", u.guard(tinhso.ActManageAssessment, u.saveVersionPost)},
		{"POST /assessment/versions/{id}/publish", u.guard(tinhso.ActManageAssessment, u.publishVersionPost)},
		{"POST /assessment/rounds", u.guard(tinhso.ActManageAssessment, u.openRoundPost)},
		{"GET /assessment/rounds/{id}", u.guard(tinhso.ActSignedIn, u.roundPage)},
		{"POST /assessment/rounds/{id}/{step}", u.guard(tinhso.ActReviewAssessment, u.roundStepPost)},
		{"GET /assessment/rounds/{id}/what-if", u.guard(tinhso.ActReadAssessment, u.whatIfPage)},
		{"GET /assessment/review", u.guard(tinhso.ActReviewAssessment, u.assessmentQueue)},
		{"GET /assessment/subjects/{id}", u.guard(tinhso.ActSignedIn, u.selfAssessmentPage)},
		{"POST /assessment/subjects/{id}", u.guard(tinhso.ActSelfAssess, u.selfAssessmentPost)},
		{"POST /assessment/subjects/{id}/evidence", u.guardUpload(tinhso.ActSelfAssess, u.assessmentEvidencePost)},
		{"POST /assessment/subjects/{id}/review", u.guard(tinhso.ActReviewAssessment, u.assessmentReviewPost)},
		{"GET /assessment/subjects/{id}/scorecard", u.guard(tinhso.ActSignedIn, u.scorecardPage)},
	}
}

// mayReadAll reports whether the page's user reads every round and subject.
func mayReadAll(r *http.Request) bool {
	c := httpx.CallerFrom(r.Context())
	return c.May(tinhso.ActReadAssessment) || c.May(tinhso.ActManageAssessment)
}

// assessmentDone are the actions the pages report done (?done=, the catalogue's
// assessment.done.<name>).
var assessmentDone = []string{"created", "version", "saved", "published", "opened", "close", "approve", "publish", "submitted", "uploaded",
	"review_submitted", "review_returned", "review_approved"}

// pageNotice is a page's notice: a done action (?done=) or a refused form's error.
type pageNotice struct {
	Done  string // assessment.done.<name>
	Error string
	Items []string
}

func notice(r *http.Request, v *view, err error) pageNotice {
	n := pageNotice{}
	if d := r.URL.Query().Get("done"); slices.Contains(assessmentDone, d) {
		n.Done = "assessment.done." + d
	}
	if err != nil {
		n.Error, n.Items = errText(r, err), errItems(r, err)
	}
	return n
}

// hubData is the assessment hub's.
type hubData struct {
	Notice     pageNotice
	Frameworks []*tinhso.Framework
	Rounds     []*tinhso.Round
	// Mine are the caller's own subjects in open rounds, with their round.
	Mine      []mySubject
	Manage    bool
	Review    bool
	Published []*tinhso.FrameworkVersion
	Units     []*tinhso.OrgUnit
	Kinds     []string
	Year      int
}

type mySubject struct {
	Round   *tinhso.Round
	Subject *tinhso.Subject
}

func (u *Web) assessmentHub(w http.ResponseWriter, r *http.Request) {
	u.renderHub(w, r, http.StatusOK, nil)
}

func (u *Web) renderHub(w http.ResponseWriter, r *http.Request, status int, formErr error) {
	v := u.newView(w, r, "assessment")
	v.Title = v.T("assessment.hub.title")
	ctx := r.Context()
	c := httpx.CallerFrom(ctx)
	d := &hubData{Notice: notice(r, v, formErr), Manage: c.May(tinhso.ActManageAssessment), Review: c.May(tinhso.ActReviewAssessment),
		Kinds: tinhso.SubjectKinds, Year: u.cfg.Now().In(tinhso.Location).Year()}
	all := mayReadAll(r)
	fws, err := u.store.FindFrameworks(ctx)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	for _, f := range fws {
		if g := frameworkShownPage(f, all); g != nil {
			d.Frameworks = append(d.Frameworks, g)
			for _, ver := range g.Versions {
				if ver.Status == tinhso.VersionPublished {
					d.Published = append(d.Published, ver)
				}
			}
		}
	}
	rounds, err := u.store.FindRounds(ctx, tinhso.RoundFilter{})
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	me := c.User
	for _, x := range rounds {
		if all {
			d.Rounds = append(d.Rounds, x)
			continue
		}
		full, err := u.store.FindRound(ctx, x.ID)
		if err != nil {
			u.fail(w, r, v, err)
			return
		}
		for _, s := range full.Subjects {
			if app.MayAssess(me, s) {
				d.Mine = append(d.Mine, mySubject{Round: full, Subject: s})
			}
		}
	}
	if d.Manage {
		units, _, err := u.store.FindOrgUnits(ctx, tinhso.OrgUnitFilter{Page: tinhso.Page{Limit: 100000}})
		if err != nil {
			u.fail(w, r, v, err)
			return
		}
		for _, x := range units {
			if (x.Kind == tinhso.KindDepartment || x.Kind == tinhso.KindCommune) && x.Dissolved == "" {
				d.Units = append(d.Units, x)
			}
		}
	}
	v.D = d
	u.render(w, r, status, "assessment", v)
}

// frameworkShownPage is frameworkShown of the API for pages: published versions only
// for those who do not read every round.
func frameworkShownPage(f *tinhso.Framework, all bool) *tinhso.Framework {
	if all {
		return f
	}
	c := *f
	c.Versions = nil
	for _, x := range f.Versions {
		if x.Status == tinhso.VersionPublished {
			c.Versions = append(c.Versions, x)
		}
	}
	if len(c.Versions) == 0 {
		return nil
	}
	return &c
}

// createFrameworkPost makes a framework from a copy of a template's (or any
// framework's) latest version: the editor then adapts the draft.
func (u *Web) createFrameworkPost(w http.ResponseWriter, r *http.Request) {
	if err := u.parseForm(w, r); err != nil {
		u.renderHub(w, r, http.StatusBadRequest, err)
		return
	}
	ctx := r.Context()
	from, err := u.store.FindFramework(ctx, r.PostForm.Get("from"))
	if err != nil {
		u.renderHub(w, r, http.StatusBadRequest, tinhso.Invalid("from", "assessment.err.framework_not_found", r.PostForm.Get("from")))
		return
	}
	last := from.Versions[len(from.Versions)-1]
	f := &tinhso.Framework{Slug: strings.TrimSpace(r.PostForm.Get("slug")), Name: strings.TrimSpace(r.PostForm.Get("name")),
		Description: strings.TrimSpace(r.PostForm.Get("description")), SubjectKind: r.PostForm.Get("subject_kind")}
	if f.SubjectKind == "" {
		f.SubjectKind = from.SubjectKind
	}
	nv := &tinhso.FrameworkVersion{Total: last.Total, Nodes: append([]tinhso.FrameworkNode(nil), last.Nodes...), Note: last.Note}
	if _, err := u.app.CreateFramework(u.auth.ActorCtx(r), f, nv); err != nil {
		u.renderHub(w, r, httpx.StatusOf(tinhso.ErrorCode(err)), err)
		return
	}
	http.Redirect(w, r, "/assessment/frameworks/"+f.Slug+"?done=created", http.StatusSeeOther)
}

// frameworkData is a framework's page: a version's tree, and the draft's editor.
type frameworkData struct {
	Notice  pageNotice
	F       *tinhso.Framework
	V       *tinhso.FrameworkVersion
	Tree    []treeNode
	Manage  bool
	Editing bool
	// Rows are the editor's rows: the draft's nodes, what was typed when refused, and
	// blank rows to add nodes.
	Rows  []editRow
	Total string
	Note  string
	Rules []string
}

// treeNode is a node of the tree view, with its children.
type treeNode struct {
	tinhso.FrameworkNode
	Depth int
	Kids  []treeNode
}

// editRow is one row of the editor.
type editRow struct {
	Code, Name, Points, Rule, Low, High, Steps, Indicator, Unit, Note string
}

func buildTree(nodes []tinhso.FrameworkNode) []treeNode {
	var build func(parent string) []treeNode
	build = func(parent string) []treeNode {
		var out []treeNode
		for _, n := range nodes {
			if n.Parent() == parent {
				out = append(out, treeNode{FrameworkNode: n, Depth: n.Depth(), Kids: build(n.Code)})
			}
		}
		return out
	}
	return build("")
}

func numText(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

func rowsOf(nodes []tinhso.FrameworkNode) []editRow {
	var out []editRow
	for _, n := range nodes {
		row := editRow{Code: n.Code, Name: n.Name, Points: numText(n.MaxPoints), Note: n.Note}
		if rl := n.Rule; rl != nil {
			row.Rule, row.Indicator, row.Unit = rl.Kind, rl.Indicator, rl.Unit
			if rl.Low != nil {
				row.Low, row.High = numText(*rl.Low), numText(*rl.High)
			}
			var steps []string
			for _, s := range rl.Steps {
				steps = append(steps, numText(s.From)+":"+numText(s.Share))
			}
			row.Steps = strings.Join(steps, "; ")
			if rl.Lower {
				row.Steps = "≤ " + row.Steps
			}
		}
		out = append(out, row)
	}
	return out
}

func (u *Web) frameworkPage(w http.ResponseWriter, r *http.Request) {
	u.renderFramework(w, r, http.StatusOK, nil, nil, "")
}

func (u *Web) renderFramework(w http.ResponseWriter, r *http.Request, status int, formErr error, typed []editRow, typedTotal string) {
	v := u.newView(w, r, "assessment")
	ctx := r.Context()
	f, err := u.store.FindFramework(ctx, r.PathValue("slug"))
	if err == nil {
		if f = frameworkShownPage(f, mayReadAll(r)); f == nil {
			err = tinhso.Errorf(tinhso.ENOTFOUND, "assessment.err.framework_not_found", r.PathValue("slug"))
		}
	}
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	d := &frameworkData{Notice: notice(r, v, formErr), F: f, V: f.Versions[len(f.Versions)-1], Rules: tinhso.ScoringRules,
		Manage: httpx.CallerFrom(ctx).May(tinhso.ActManageAssessment)}
	if n, err := strconv.Atoi(r.URL.Query().Get("version")); err == nil {
		for _, x := range f.Versions {
			if x.Number == n {
				d.V = x
			}
		}
	}
	d.Tree = buildTree(d.V.Nodes)
	d.Editing = d.Manage && d.V.Status == tinhso.VersionDraft
	if d.Editing {
		d.Rows, d.Total, d.Note = rowsOf(d.V.Nodes), numText(d.V.Total), d.V.Note
		if typed != nil {
			d.Rows, d.Total = typed, typedTotal
		}
		for range 5 {
			d.Rows = append(d.Rows, editRow{})
		}
	}
	v.Title = f.Name
	v.D = d
	u.render(w, r, status, "assessment_framework", v)
}

func (u *Web) newVersionPost(w http.ResponseWriter, r *http.Request) {
	nv, err := u.app.NewFrameworkVersion(u.auth.ActorCtx(r), r.PathValue("slug"))
	if err != nil {
		u.renderFramework(w, r, httpx.StatusOf(tinhso.ErrorCode(err)), err, nil, "")
		return
	}
	http.Redirect(w, r, "/assessment/frameworks/"+r.PathValue("slug")+"?version="+strconv.Itoa(nv.Number)+"&done=version", http.StatusSeeOther)
}

// asNumber reads a number as people type it: a decimal comma or point.
func asNumber(s string) (*float64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, true
	}
	x, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", "."), 64)
	if err != nil {
		return nil, false
	}
	return &x, true
}

// parseRows reads the editor's rows into nodes; rows without a code are left out.
func parseRows(form map[string][]string) ([]editRow, []tinhso.FrameworkNode, error) {
	get := func(name string, i int) string {
		if vs := form[name]; i < len(vs) {
			return strings.TrimSpace(vs[i])
		}
		return ""
	}
	var rows []editRow
	var nodes []tinhso.FrameworkNode
	var firstErr error
	for i := range form["code"] {
		row := editRow{Code: get("code", i), Name: get("name", i), Points: get("points", i), Rule: get("rule", i), Low: get("low", i),
			High: get("high", i), Steps: get("steps", i), Indicator: get("indicator", i), Unit: get("unit", i), Note: get("note", i)}
		if row.Code == "" && row.Name == "" {
			continue
		}
		rows = append(rows, row)
		f := "nodes[" + strconv.Itoa(len(nodes)) + "]"
		n := tinhso.FrameworkNode{Code: row.Code, Name: row.Name, Note: row.Note}
		pts, ok := asNumber(row.Points)
		if !ok || pts == nil {
			if firstErr == nil {
				firstErr = tinhso.Invalid(f+".max_points", "assessment.err.node_points", row.Code, tinhso.Number(0))
			}
		} else {
			n.MaxPoints = *pts
		}
		if row.Rule != "" {
			rl := &tinhso.Rule{Kind: row.Rule, Indicator: row.Indicator, Unit: row.Unit}
			lo, ok1 := asNumber(row.Low)
			hi, ok2 := asNumber(row.High)
			if !ok1 || !ok2 {
				if firstErr == nil {
					firstErr = tinhso.Invalid(f+".rule", "assessment.err.rule_bounds", row.Code)
				}
			}
			rl.Low, rl.High = lo, hi
			steps := row.Steps
			if rest, ok := strings.CutPrefix(steps, "≤"); ok {
				rl.Lower, steps = true, strings.TrimSpace(rest)
			}
			for j, part := range strings.FieldsFunc(steps, func(r rune) bool { return r == ';' }) {
				from, share, ok := strings.Cut(strings.TrimSpace(part), ":")
				a, okA := asNumber(from)
				b, okB := asNumber(share)
				if !ok || !okA || !okB || a == nil || b == nil {
					if firstErr == nil {
						firstErr = tinhso.Invalid(f+".rule.steps["+strconv.Itoa(j)+"]", "assessment.err.rule_step", row.Code, j+1)
					}
					continue
				}
				rl.Steps = append(rl.Steps, tinhso.Step{From: *a, Share: *b})
			}
			n.Rule = rl
		}
		nodes = append(nodes, n)
	}
	return rows, nodes, firstErr
}

// versionForm reads the framework version of the path and the posted form; on failure
// it has answered.
func (u *Web) versionForm(w http.ResponseWriter, r *http.Request) (int64, *tinhso.FrameworkVersion, bool) {
	id, err := httpx.IDParam(r)
	if err != nil {
		u.fail(w, r, nil, err)
		return 0, nil, false
	}
	ver, err := u.store.FindFrameworkVersion(r.Context(), id)
	if err != nil {
		u.fail(w, r, nil, err)
		return 0, nil, false
	}
	r.SetPathValue("slug", ver.Framework)
	if err := u.parseForm(w, r); err != nil {
		u.renderFramework(w, r, http.StatusBadRequest, err, nil, "")
		return 0, nil, false
	}
	return id, ver, true
}

func (u *Web) saveVersionPost(w http.ResponseWriter, r *http.Request) {
	id, ver, ok := u.versionForm(w, r)
	if !ok {
		return
	}
	version, err := formVersion(r)
	if err != nil {
		u.renderFramework(w, r, http.StatusPreconditionFailed, err, nil, "")
		return
	}
	rows, nodes, err := parseRows(r.PostForm)
	total, ok := asNumber(r.PostForm.Get("total"))
	if err == nil && (!ok || total == nil) {
		err = tinhso.Invalid("total", "assessment.err.total", tinhso.Number(0))
	}
	if err == nil {
		_, err = u.app.SaveFrameworkVersion(u.auth.ActorCtx(r), id, &tinhso.FrameworkVersion{Total: *total, Nodes: nodes, Note: r.PostForm.Get("note_version")}, version)
	}
	if err != nil {
		u.renderFramework(w, r, httpx.StatusOf(tinhso.ErrorCode(err)), err, rows, r.PostForm.Get("total"))
		return
	}
	http.Redirect(w, r, "/assessment/frameworks/"+ver.Framework+"?version="+strconv.Itoa(ver.Number)+"&done=saved", http.StatusSeeOther)
}

func (u *Web) publishVersionPost(w http.ResponseWriter, r *http.Request) {
	id, ver, ok := u.versionForm(w, r)
	if !ok {
		return
	}
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	if _, err := u.app.PublishFrameworkVersion(u.auth.ActorCtx(r), id, version); err != nil {
		u.renderFramework(w, r, httpx.StatusOf(tinhso.ErrorCode(err)), err, nil, "")
		return
	}
	http.Redirect(w, r, "/assessment/frameworks/"+ver.Framework+"?version="+strconv.Itoa(ver.Number)+"&done=published", http.StatusSeeOther)
}

// openRoundPost opens a round over a published version for the units ticked (or
// every department, every commune).
func (u *Web) openRoundPost(w http.ResponseWriter, r *http.Request) {
	if err := u.parseForm(w, r); err != nil {
		u.renderHub(w, r, http.StatusBadRequest, err)
		return
	}
	ctx := r.Context()
	f := r.PostForm
	year, _ := strconv.Atoi(f.Get("year"))
	vid, _ := strconv.ParseInt(f.Get("version_id"), 10, 64)
	round := &tinhso.Round{Name: strings.TrimSpace(f.Get("name")), Year: year, VersionID: vid, Deadline: f.Get("deadline")}
	units, _, err := u.store.FindOrgUnits(ctx, tinhso.OrgUnitFilter{Page: tinhso.Page{Limit: 100000}})
	if err != nil {
		u.fail(w, r, nil, err)
		return
	}
	picked := map[string]bool{}
	for _, c := range f["unit"] {
		picked[c] = true
	}
	for _, x := range units {
		if x.Dissolved != "" || x.Kind != tinhso.KindDepartment && x.Kind != tinhso.KindCommune {
			continue
		}
		if picked[x.Code] || f.Get("all_"+x.Kind) != "" {
			round.Subjects = append(round.Subjects, &tinhso.Subject{Kind: x.Kind, OrgUnit: x.Code})
		}
	}
	out, err := u.app.OpenRound(u.auth.ActorCtx(r), round)
	if err != nil {
		u.renderHub(w, r, httpx.StatusOf(tinhso.ErrorCode(err)), err)
		return
	}
	http.Redirect(w, r, "/assessment/rounds/"+strconv.FormatInt(out.ID, 10)+"?done=opened", http.StatusSeeOther)
}

// roundData is a round's page.
type roundData struct {
	Notice   pageNotice
	Round    *tinhso.Round
	Version  *tinhso.FrameworkVersion
	Subjects []*tinhso.Subject
	Ranking  *rankingData
	Final    bool
	Review   bool
	All      bool
}

func (u *Web) roundPage(w http.ResponseWriter, r *http.Request) {
	u.renderRound(w, r, http.StatusOK, nil)
}

func (u *Web) renderRound(w http.ResponseWriter, r *http.Request, status int, formErr error) {
	v := u.newView(w, r, "assessment")
	ctx := r.Context()
	id, err := httpx.IDParam(r)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	round, err := u.store.FindRound(ctx, id)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	all := mayReadAll(r)
	d := &roundData{Notice: notice(r, v, formErr), Round: round, All: all, Review: httpx.CallerFrom(ctx).May(tinhso.ActReviewAssessment),
		Final: round.Status == tinhso.RoundApproved || round.Status == tinhso.RoundPublished}
	me := user(r)
	for _, s := range round.Subjects {
		if all || app.MayAssess(me, s) {
			d.Subjects = append(d.Subjects, s)
		}
	}
	if !all && len(d.Subjects) == 0 {
		u.fail(w, r, v, tinhso.Errorf(tinhso.ENOTFOUND, "assessment.err.round_not_found", id))
		return
	}
	if d.Version, err = u.store.FindFrameworkVersion(ctx, round.VersionID); err != nil {
		u.fail(w, r, v, err)
		return
	}
	if all {
		res, err := u.app.RoundRanking(ctx, id)
		if err != nil {
			u.fail(w, r, v, err)
			return
		}
		d.Ranking = rankingOf(round, d.Version, res, "/assessment/subjects/")
	}
	v.Title = round.Name
	v.D = d
	u.render(w, r, status, "assessment_round", v)
}

func (u *Web) roundStepPost(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.IDParam(r)
	if err != nil {
		u.fail(w, r, nil, err)
		return
	}
	if err := u.parseForm(w, r); err != nil {
		u.renderRound(w, r, http.StatusBadRequest, err)
		return
	}
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	ctx := u.auth.ActorCtx(r)
	step := r.PathValue("step")
	switch step {
	case "close":
		_, err = u.app.CloseSelfAssessment(ctx, id, version)
	case "approve":
		_, err = u.app.ApproveRound(ctx, id, version)
	case "publish":
		_, err = u.app.PublishRound(ctx, id, version)
	default:
		err = tinhso.Errorf(tinhso.ENOTFOUND, "err.page.not_found", r.URL.Path)
	}
	if err != nil {
		u.renderRound(w, r, httpx.StatusOf(tinhso.ErrorCode(err)), err)
		return
	}
	http.Redirect(w, r, "/assessment/rounds/"+strconv.FormatInt(id, 10)+"?done="+step, http.StatusSeeOther)
}

// queueRow is a self-assessment waiting for review.
type queueRow struct {
	Round   *tinhso.Round
	Subject *tinhso.Subject
}

func (u *Web) assessmentQueue(w http.ResponseWriter, r *http.Request) {
	v := u.newView(w, r, "assessment-review")
	ctx := r.Context()
	rounds, err := u.store.FindRounds(ctx, tinhso.RoundFilter{})
	var rows []queueRow
	for _, x := range rounds {
		if err != nil || x.Status == tinhso.RoundApproved || x.Status == tinhso.RoundPublished {
			continue
		}
		var full *tinhso.Round
		if full, err = u.store.FindRound(ctx, x.ID); err != nil {
			break
		}
		for _, s := range full.Subjects {
			if s.Status == tinhso.SelfSubmitted {
				rows = append(rows, queueRow{Round: full, Subject: s})
			}
		}
	}
	u.show(w, r, v, "assessment_queue", v.T("assessment.queue.title"), rows, err)
}

// selfData is a subject's page: the self-assessment form (its own, while editable),
// or the read view with the review form (the standing agency, once submitted).
type selfData struct {
	Notice   pageNotice
	Round    *tinhso.Round
	Subject  *tinhso.Subject
	SA       *tinhso.SelfAssessment
	Criteria []criterionRow
	Edit     bool
	Review   bool
}

// criterionRow is a criterion on the form.
type criterionRow struct {
	Node     tinhso.FrameworkNode
	Path     string // the names of its pillar and index
	DataFed  bool
	Entry    tinhso.Entry
	Value    string // as typed, or the stored value
	Evidence []tinhso.EvidenceOf
}

func (u *Web) selfAssessmentPage(w http.ResponseWriter, r *http.Request) {
	u.renderSelf(w, r, http.StatusOK, nil, nil)
}

func (u *Web) subjectRead(r *http.Request) (*tinhso.Subject, error) {
	id, err := httpx.IDParam(r)
	if err != nil {
		return nil, err
	}
	s, err := u.store.FindSubject(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if !app.MaySee(user(r), s) {
		return nil, tinhso.Errorf(tinhso.ENOTFOUND, "assessment.err.subject_not_found", id)
	}
	return s, nil
}

func (u *Web) renderSelf(w http.ResponseWriter, r *http.Request, status int, formErr error, typed map[string]string) {
	v := u.newView(w, r, "assessment")
	ctx := r.Context()
	s, err := u.subjectRead(r)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	round, err := u.store.FindRound(ctx, s.Round)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	ver, err := u.store.FindFrameworkVersion(ctx, round.VersionID)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	sa, err := u.store.FindSelfAssessment(ctx, s.ID)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	me := user(r)
	d := &selfData{Notice: notice(r, v, formErr), Round: round, Subject: s, SA: sa,
		Edit:   app.MayAssess(me, s) && round.Status == tinhso.RoundOpen && (sa.Status == tinhso.SelfDraft || sa.Status == tinhso.SelfReturned),
		Review: httpx.CallerFrom(ctx).May(tinhso.ActReviewAssessment) && sa.Status == tinhso.SelfSubmitted}
	names := map[string]string{}
	for _, n := range ver.Nodes {
		names[n.Code] = n.Name
	}
	for _, n := range ver.Criteria() {
		row := criterionRow{Node: *n, DataFed: tinhso.DataFed(n.Rule.Kind)}
		var path []string
		for p := n.Parent(); p != ""; p = (&tinhso.FrameworkNode{Code: p}).Parent() {
			path = append([]string{names[p]}, path...)
		}
		row.Path = strings.Join(path, " › ")
		if e := sa.Entry(n.Code); e != nil {
			row.Entry = *e
			if e.Value != nil {
				row.Value = numText(*e.Value)
			}
		}
		if t, ok := typed["v."+n.Code]; ok {
			row.Value = t
			row.Entry.Note = typed["n."+n.Code]
		}
		for _, e := range sa.Evidence {
			if e.Criterion == n.Code {
				row.Evidence = append(row.Evidence, e)
			}
		}
		d.Criteria = append(d.Criteria, row)
	}
	v.Title = s.Name
	v.D = d
	u.render(w, r, status, "assessment_subject", v)
}

func (u *Web) selfAssessmentPost(w http.ResponseWriter, r *http.Request) {
	if err := u.parseForm(w, r); err != nil {
		u.renderSelf(w, r, http.StatusBadRequest, err, nil)
		return
	}
	id, err := httpx.IDParam(r)
	if err != nil {
		u.fail(w, r, nil, err)
		return
	}
	version, err := formVersion(r)
	if err != nil {
		u.renderSelf(w, r, http.StatusPreconditionFailed, err, nil)
		return
	}
	typed := map[string]string{}
	var entries []app.EntryInput
	for key, vals := range r.PostForm {
		code, ok := strings.CutPrefix(key, "v.")
		if !ok || len(vals) == 0 {
			continue
		}
		typed[key], typed["n."+code] = vals[0], r.PostForm.Get("n."+code)
		x, ok := asNumber(vals[0])
		if !ok {
			u.renderSelf(w, r, http.StatusBadRequest, tinhso.Invalid("entries."+code, "assessment.err.value_number", code), typed)
			return
		}
		entries = append(entries, app.EntryInput{Criterion: code, Value: x, Note: strings.TrimSpace(r.PostForm.Get("n." + code))})
	}
	ctx := u.auth.ActorCtx(r)
	me := user(r)
	sa, err := u.app.SaveSelfAssessment(ctx, me, id, entries, version)
	done := "saved"
	if err == nil && r.PostForm.Get("action") == "submit" {
		_, err = u.app.SubmitSelfAssessment(ctx, me, id, sa.Version)
		done = "submitted"
	}
	if err != nil {
		u.renderSelf(w, r, httpx.StatusOf(tinhso.ErrorCode(err)), err, typed)
		return
	}
	http.Redirect(w, r, "/assessment/subjects/"+strconv.FormatInt(id, 10)+"?done="+done, http.StatusSeeOther)
}

func (u *Web) assessmentEvidencePost(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.IDParam(r)
	if err != nil {
		u.fail(w, r, nil, err)
		return
	}
	part, fields, err := u.uploadPart(w, r, app.MaxEvidenceBytes)
	if err == errUploadCSRF {
		u.csrfRefused(w, r)
		return
	}
	if err == nil && u.blobs == nil {
		err = errors.New("web: no blob store")
	}
	if err == nil {
		var b tinhso.Blob
		if b, err = u.blobs.Put(r.Context(), part, app.MaxEvidenceBytes); err == nil {
			_, err = u.app.AddAssessmentEvidence(u.auth.ActorCtx(r), user(r), id, fields.Get("criterion"),
				tinhso.Evidence{Hash: b.Hash, Name: app.EvidenceName(part.FileName(), b.MediaType), MediaType: b.MediaType, Size: b.Size})
		}
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		err = tinhso.Errorf(tinhso.ETOOLARGE, "err.api.file_large", app.MaxEvidenceBytes>>20)
	}
	if err != nil {
		if code := tinhso.ErrorCode(err); code == tinhso.EINTERNAL || code == tinhso.ENOTFOUND {
			u.fail(w, r, nil, err)
			return
		}
		u.renderSelf(w, r, httpx.StatusOf(tinhso.ErrorCode(err)), err, nil)
		return
	}
	http.Redirect(w, r, "/assessment/subjects/"+strconv.FormatInt(id, 10)+"?done=uploaded#c-"+fields.Get("criterion"), http.StatusSeeOther)
}

func (u *Web) assessmentReviewPost(w http.ResponseWriter, r *http.Request) {
	if err := u.parseForm(w, r); err != nil {
		u.renderSelf(w, r, http.StatusBadRequest, err, nil)
		return
	}
	id, err := httpx.IDParam(r)
	if err != nil {
		u.fail(w, r, nil, err)
		return
	}
	version, err := formVersion(r)
	if err != nil {
		u.renderSelf(w, r, http.StatusPreconditionFailed, err, nil)
		return
	}
	var decisions []app.Decision
	for key, vals := range r.PostForm {
		code, ok := strings.CutPrefix(key, "d.")
		if !ok || len(vals) == 0 || vals[0] == "" {
			continue
		}
		d := app.Decision{Criterion: code, Decision: vals[0], Reason: strings.TrimSpace(r.PostForm.Get("r." + code))}
		if vals[0] == tinhso.DecisionAdjust {
			x, ok := asNumber(r.PostForm.Get("a." + code))
			if !ok {
				u.renderSelf(w, r, http.StatusBadRequest, tinhso.Invalid("decisions."+code, "assessment.err.value_number", code), nil)
				return
			}
			d.Value = x
		}
		decisions = append(decisions, d)
	}
	// The same order whatever the browser sent: the criteria's.
	slices.SortFunc(decisions, func(x, y app.Decision) int { return strings.Compare(x.Criterion, y.Criterion) })
	sa, err := u.app.ReviewSelfAssessment(u.auth.ActorCtx(r), id, decisions, version)
	if err != nil {
		u.renderSelf(w, r, httpx.StatusOf(tinhso.ErrorCode(err)), err, nil)
		return
	}
	http.Redirect(w, r, "/assessment/subjects/"+strconv.FormatInt(id, 10)+"?done=review_"+sa.Status, http.StatusSeeOther)
}

func (u *Web) scorecardPage(w http.ResponseWriter, r *http.Request) {
	v := u.newView(w, r, "assessment")
	ctx := r.Context()
	s, err := u.subjectRead(r)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	round, err := u.store.FindRound(ctx, s.Round)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	ver, err := u.store.FindFrameworkVersion(ctx, round.VersionID)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	res, err := u.app.RoundRanking(ctx, round.ID)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	sa, err := u.store.FindSelfAssessment(ctx, s.ID)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	d, err := u.scorecard(r, round, ver, res, s.ID, sa)
	u.show(w, r, v, "assessment_scorecard", s.Name, d, err)
}

// whatIfData is the what-if page: the form and, once asked, the ranking it gives.
type whatIfData struct {
	Notice   pageNotice
	Round    *tinhso.Round
	Version  *tinhso.FrameworkVersion
	Subjects []*tinhso.Subject
	Subject  string
	Criteria []*tinhso.FrameworkNode
	Pillars  []tinhso.FrameworkNode
	Values   map[string]string
	Points   map[string]string
	Result   *rankingData
	Before   *rankingData
}

// whatIfPage shows the round's ranking with a subject's criterion values or the
// pillars' points changed (GET: nothing is stored).
func (u *Web) whatIfPage(w http.ResponseWriter, r *http.Request) {
	v := u.newView(w, r, "assessment")
	ctx := r.Context()
	id, err := httpx.IDParam(r)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	round, err := u.store.FindRound(ctx, id)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	ver, err := u.store.FindFrameworkVersion(ctx, round.VersionID)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	q := r.URL.Query()
	d := &whatIfData{Round: round, Version: ver, Subjects: round.Subjects, Subject: q.Get("subject"), Criteria: ver.Criteria(),
		Values: map[string]string{}, Points: map[string]string{}}
	for _, n := range ver.Nodes {
		if n.Depth() == 1 {
			d.Pillars = append(d.Pillars, n)
		}
	}
	var wi engine.WhatIf
	var formErr error
	for key, vals := range q {
		if code, ok := strings.CutPrefix(key, "v."); ok && vals[0] != "" && d.Subject != "" {
			d.Values[code] = vals[0]
			x, ok := asNumber(vals[0])
			if !ok {
				formErr = tinhso.Invalid(key, "assessment.err.value_number", code)
				continue
			}
			if wi.Values == nil {
				wi.Values = map[string]map[string]*float64{d.Subject: {}}
			}
			wi.Values[d.Subject][code] = x
		}
		if code, ok := strings.CutPrefix(key, "p."); ok && vals[0] != "" {
			d.Points[code] = vals[0]
			x, ok := asNumber(vals[0])
			if !ok || x == nil {
				formErr = tinhso.Invalid(key, "assessment.err.node_points", code, tinhso.Number(0))
				continue
			}
			if wi.Points == nil {
				wi.Points = map[string]float64{}
			}
			wi.Points[code] = *x
		}
	}
	before, err := u.app.RoundRanking(ctx, id)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	d.Before = rankingOf(round, ver, before, "/assessment/subjects/")
	if formErr == nil && (wi.Values != nil || wi.Points != nil) {
		res, err := u.app.WhatIfRound(ctx, id, wi)
		if err != nil {
			formErr = err
		} else {
			d.Result = rankingOf(round, ver, res, "/assessment/subjects/")
		}
	}
	d.Notice = notice(r, v, formErr)
	v.Title = v.T("assessment.whatif.title", round.Name)
	v.D = d
	u.render(w, r, http.StatusOK, "assessment_whatif", v)
}
