package api

import (
	"context"
	"net/http"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/httpx"
)

// taskInput is the writable part of a task; lead and cooperating are org-unit codes.
// The due date and recurrence are parsed from deadline_text, never sent.
type taskInput struct {
	Document        string   `json:"document"`
	Number          string   `json:"number"`
	Section         string   `json:"section"`
	SectionTitle    string   `json:"section_title"`
	Title           string   `json:"title"`
	LeadText        string   `json:"lead_text"`
	Lead            []string `json:"lead"`
	CooperatingText string   `json:"cooperating_text"`
	Cooperating     []string `json:"cooperating"`
	Deliverable     string   `json:"deliverable"`
	DeadlineText    string   `json:"deadline_text"`
	Note            string   `json:"note"`
}

var taskComputed = map[string]string{"due_date": "deadline_text", "recurrence": "deadline_text", "unassigned": "lead", "key": "document and number"}

func (a *API) taskRoutes() []httpx.Route {
	return append([]httpx.Route{
		{Method: "GET", Path: "/api/v1/tasks", Summary: "List tasks with parsed deadlines and computed statuses", List: true, Resp: tinhso.Task{},
			Query: []httpx.Param{{Name: "document", Type: "string", Desc: "a document's id, slug or number"}, {Name: "section", Type: "string", Desc: "e.g. III"},
				{Name: "lead", Type: "string", Desc: "a lead org unit's code"}, {Name: "due_before", Type: "string", Desc: "yyyy-mm-dd, inclusive"}, {Name: "due_after", Type: "string", Desc: "yyyy-mm-dd, inclusive"},
				{Name: "unassigned", Type: "boolean", Desc: "true: only tasks no agency owns"}, {Name: "key", Type: "string", Desc: "a task key, e.g. 25-kh-ubnd/t12"}},
			Handler: a.listTasks},
	}, crud[tinhso.Task, taskInput]{rec: tasks{a}, decode: a.decode, actor: a.actor,
		name: "task", path: "/api/v1/tasks", refDesc: "id", computed: taskComputed, decorate: a.taskStatus, changed: a.app.Invalidate}.routes()...)
}

func (a *API) listTasks(w http.ResponseWriter, r *http.Request) {
	q := httpx.NewQuery(r)
	f := tinhso.TaskFilter{Document: q.Str("document"), Section: q.Str("section"), Lead: q.Str("lead"), DueBefore: q.Date("due_before"),
		DueAfter: q.Date("due_after"), Unassigned: q.Bool("unassigned"), Key: q.Str("key"), Page: q.Page()}
	if err := q.Done(); failed(w, r, err) {
		return
	}
	items, total, err := a.store.FindTasks(r.Context(), f)
	if failed(w, r, err) {
		return
	}
	if err := a.taskStatuses(r.Context(), items); failed(w, r, err) {
		return
	}
	httpx.WriteList(w, items, total, f.Page)
}

// tasks are tasks as records of the generic handlers.
type tasks struct{ a *API }

func (t tasks) find(ctx context.Context, ref string) (*tinhso.Task, error) {
	return byIDOrKey(ctx, ref, t.a.store.FindTask, func(ctx context.Context, key string) (int64, error) {
		list, _, err := t.a.store.FindTasks(ctx, tinhso.TaskFilter{Key: key, Page: tinhso.Page{Limit: 1}})
		if err != nil || len(list) == 0 {
			return 0, tinhso.Errorf(tinhso.ENOTFOUND, "err.api.task_key", key)
		}
		return list[0].ID, nil
	})
}
func (tasks) id(x *tinhso.Task) int64    { return x.ID }
func (tasks) version(x *tinhso.Task) int { return x.Version }
func (tasks) input(t *tinhso.Task) taskInput {
	return taskInput{t.Document, t.Number, t.Section, t.SectionTitle, t.Title, t.LeadText, agencyCodes(t.Lead), t.CooperatingText,
		agencyCodes(t.Cooperating), t.Deliverable, t.DeadlineText, t.Note}
}
func (t tasks) prepare(ctx context.Context, in *taskInput) error {
	return t.a.resolveDocument(ctx, &in.Document)
}
func (tasks) apply(in taskInput, t *tinhso.Task) error {
	if err := sameDocument(t.Document, in.Document); err != nil {
		return err
	}
	if t.Document == "" {
		t.Document = in.Document
	}
	t.Number, t.Section, t.SectionTitle, t.Title, t.LeadText, t.Lead = in.Number, in.Section, in.SectionTitle, in.Title, in.LeadText, agencyRefs(in.Lead)
	t.CooperatingText, t.Cooperating, t.Deliverable, t.DeadlineText, t.Note = in.CooperatingText, agencyRefs(in.Cooperating), in.Deliverable, in.DeadlineText, in.Note
	return nil
}
func (t tasks) create(ctx context.Context, x *tinhso.Task) error { return t.a.store.CreateTask(ctx, x) }
func (t tasks) update(ctx context.Context, x *tinhso.Task, version int) error {
	return t.a.store.UpdateTask(ctx, x, version)
}
func (t tasks) remove(ctx context.Context, id int64, version int) error {
	return t.a.store.DeleteTask(ctx, id, version)
}
