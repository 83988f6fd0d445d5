package api

import (
	"net/http"
	"strconv"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/engine"
	"github.com/tinhso/tinhso/httpx"
)

// Directives (ý kiến chỉ đạo): leaders, and the standing agency on a leader's behalf,
// issue them as tasks of lead units; the units answer; the leader decides.

// directiveInput is a directive as issued. leader: the leader's username (the standing
// agency names it; a leader issues its own).
type directiveInput struct {
	Source tinhso.DirectiveSource `json:"source"`
	Text   string                 `json:"text"`
	Leader string                 `json:"leader"`
	Tasks  []directiveTaskInput   `json:"tasks"`
}

// directiveTaskInput is one unit's task of a directive.
type directiveTaskInput struct {
	Lead        string   `json:"lead"`
	CoOperating []string `json:"co_operating"`
	Deadline    string   `json:"deadline"`
	Product     string   `json:"product"`
}

// stepInput is what a step brings: note (progress, the product, a reason) and date
// (the deadline an extension asks for or grants).
type stepInput struct {
	Note string `json:"note"`
	Date string `json:"date"`
}

// directiveSteps are the steps' paths under /api/v1/directive-tasks/{id}/.
var directiveSteps = []struct{ path, step, summary string }{
	{"acknowledge", tinhso.StepAcknowledge, "The lead unit acknowledges its task"},
	{"progress", tinhso.StepProgress, "The lead unit reports progress (note)"},
	{"extension", tinhso.StepExtension, "The lead unit asks for an extension: the new deadline (date, not in the past, later than the one in force) and the reason (note)"},
	{"extension/grant", tinhso.StepGrant, "The leader (or the standing agency on the leader's behalf) grants the extension asked, or another later date (date)"},
	{"extension/refuse", tinhso.StepRefuse, "The leader refuses the extension (note: the reason, optional)"},
	{"submit", tinhso.StepSubmit, "The lead unit submits the product (note)"},
	{"confirm", tinhso.StepConfirm, "The leader confirms completion"},
	{"return", tinhso.StepReturn, "The leader sends the product back (note: the reason)"},
}

func (a *API) directiveRoutes() []httpx.Route {
	out := []httpx.Route{
		{Method: "POST", Path: "/api/v1/directives",
			Summary: "Issue a directive (a leader's own, or the standing agency's on a leader's behalf) as tasks of lead units, each with a deadline and a product",
			Action:  tinhso.ActIssueDirectives, Body: directiveInput{}, Resp: tinhso.Directive{}, Status: 201, Handler: a.issueDirective},
		{Method: "GET", Path: "/api/v1/directives",
			Summary: "Directives, newest first, with their tasks' statuses today (a unit's account: the directives with its tasks, and those only)",
			Action:  tinhso.ActReadDirectives, List: true, Resp: tinhso.Directive{},
			Query:   []httpx.Param{{Name: "leader", Type: "string", Desc: "a leader's username"}},
			Handler: a.listDirectives},
		{Method: "GET", Path: "/api/v1/directives/mine",
			Summary: "A leader's own list: the tasks asked for, the late ones, those waiting for the leader's confirmation or decision (the standing agency: of the leader named)",
			Action:  tinhso.ActIssueDirectives, Resp: engine.LeaderView{},
			Query:   []httpx.Param{{Name: "leader", Type: "string", Desc: "a leader's username (the standing agency only)"}},
			Handler: a.myDirectives},
		{Method: "GET", Path: "/api/v1/directives/{id}", Summary: "A directive with its tasks (a unit's account: its own tasks)",
			Action: tinhso.ActReadDirectives, Resp: tinhso.Directive{}, Handler: a.getDirective},
	}
	for _, s := range directiveSteps {
		step := s.step
		action := tinhso.ActAnswerDirectives
		if !contains(tinhso.UnitSteps, step) {
			action = tinhso.ActIssueDirectives
		}
		out = append(out, httpx.Route{Method: "POST", Path: "/api/v1/directive-tasks/{id}/" + s.path, Summary: s.summary + " (If-Match: the task's version)",
			Action: action, Body: stepInput{}, Resp: tinhso.DirectiveTask{},
			Handler: func(w http.ResponseWriter, r *http.Request) { a.directiveStep(w, r, step) }})
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (a *API) issueDirective(w http.ResponseWriter, r *http.Request) {
	var in directiveInput
	if err := a.decode(w, r, &in, nil); failed(w, r, err) {
		return
	}
	d := &tinhso.Directive{Source: in.Source, Text: in.Text, Leader: in.Leader}
	for _, t := range in.Tasks {
		d.Tasks = append(d.Tasks, &tinhso.DirectiveTask{Lead: t.Lead, CoOperating: t.CoOperating, Deadline: t.Deadline, Product: t.Product})
	}
	if err := a.app.IssueDirective(a.actor(r), user(r), d, a.cfg.Now()); failed(w, r, err) {
		return
	}
	w.Header().Set("Location", "/api/v1/directives/"+strconv.FormatInt(d.ID, 10))
	httpx.WriteVersioned(w, http.StatusCreated, d.Version, d)
}

func (a *API) listDirectives(w http.ResponseWriter, r *http.Request) {
	q := httpx.NewQuery(r)
	f := tinhso.DirectiveFilter{Leader: q.Str("leader"), Page: q.Page()}
	if err := q.Done(); failed(w, r, err) {
		return
	}
	list, total, err := a.app.Directives(r.Context(), user(r), f, a.cfg.Now())
	if failed(w, r, err) {
		return
	}
	httpx.WriteList(w, list, total, f.Page)
}

func (a *API) myDirectives(w http.ResponseWriter, r *http.Request) {
	q := httpx.NewQuery(r)
	leader := q.Str("leader")
	if err := q.Done(); failed(w, r, err) {
		return
	}
	v, err := a.app.LeaderDirectives(r.Context(), user(r), leader, a.cfg.Now())
	if failed(w, r, err) {
		return
	}
	httpx.WriteJSON(w, http.StatusOK, v)
}

func (a *API) getDirective(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.IDParam(r)
	if failed(w, r, err) {
		return
	}
	d, err := a.app.Directive(r.Context(), user(r), id, a.cfg.Now())
	if failed(w, r, err) {
		return
	}
	httpx.WriteVersioned(w, http.StatusOK, d.Version, d)
}

func (a *API) directiveStep(w http.ResponseWriter, r *http.Request, step string) {
	id, err := httpx.IDParam(r)
	if failed(w, r, err) {
		return
	}
	version, err := httpx.IfMatch(r)
	if failed(w, r, err) {
		return
	}
	var in stepInput
	if r.ContentLength != 0 {
		if err := a.decode(w, r, &in, nil); failed(w, r, err) {
			return
		}
	}
	t, err := a.app.DirectiveStep(a.actor(r), user(r), id, step, engine.StepInput{Note: in.Note, Date: in.Date}, version, a.cfg.Now())
	if failed(w, r, err) {
		return
	}
	httpx.WriteVersioned(w, http.StatusOK, t.Version, t)
}
