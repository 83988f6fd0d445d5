package http

import (
	"context"
	"net/http"

	"github.com/tinhso/tinhso"
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

func (s *Server) registerTasks() {
	s.handle(route{method: "GET", path: "/api/v1/tasks", summary: "List tasks with parsed deadlines", list: true, resp: tinhso.Task{},
		query: []param{{"document", "string", "a document's id, slug or number"}, {"section", "string", "e.g. III"},
			{"lead", "string", "a lead org unit's code"}, {"due_before", "string", "yyyy-mm-dd, inclusive"}, {"due_after", "string", "yyyy-mm-dd, inclusive"},
			{"unassigned", "boolean", "true: only tasks no agency owns"}, {"key", "string", "a task key, e.g. 25-kh-ubnd/t12"}}},
		func(w http.ResponseWriter, r *http.Request) {
			q := newQuery(r)
			f := tinhso.TaskFilter{Document: q.str("document"), Section: q.str("section"), Lead: q.str("lead"), DueBefore: q.date("due_before"),
				DueAfter: q.date("due_after"), Unassigned: q.boolean("unassigned"), Key: q.str("key"), Page: q.page()}
			if err := q.done(); err != nil {
				Error(w, r, err)
				return
			}
			items, total, err := s.store.FindTasks(r.Context(), f)
			if err != nil {
				Error(w, r, err)
				return
			}
			writeList(w, items, total, f.Page)
		})
	crud[tinhso.Task, taskInput]{
		name: "task", path: "/api/v1/tasks", refDesc: "id", computed: taskComputed,
		find: byIDOrKey(s.store.FindTask, func(ctx context.Context, key string) (int64, error) {
			list, _, err := s.store.FindTasks(ctx, tinhso.TaskFilter{Key: key, Page: tinhso.Page{Limit: 1}})
			if err != nil || len(list) == 0 {
				return 0, tinhso.Errorf(tinhso.ENOTFOUND, "No task with key %q.", key)
			}
			return list[0].ID, nil
		}),
		id:      func(t *tinhso.Task) int64 { return t.ID },
		version: func(t *tinhso.Task) int { return t.Version },
		input: func(t *tinhso.Task) taskInput {
			return taskInput{t.Document, t.Number, t.Section, t.SectionTitle, t.Title, t.LeadText, agencyCodes(t.Lead), t.CooperatingText,
				agencyCodes(t.Cooperating), t.Deliverable, t.DeadlineText, t.Note}
		},
		prepare: func(ctx context.Context, in *taskInput) error { return s.resolveDocument(ctx, &in.Document) },
		apply: func(in taskInput, t *tinhso.Task) error {
			if err := sameDocument(t.Document, in.Document); err != nil {
				return err
			}
			if t.Document == "" {
				t.Document = in.Document
			}
			t.Number, t.Section, t.SectionTitle, t.Title, t.LeadText, t.Lead = in.Number, in.Section, in.SectionTitle, in.Title, in.LeadText, agencyRefs(in.Lead)
			t.CooperatingText, t.Cooperating, t.Deliverable, t.DeadlineText, t.Note = in.CooperatingText, agencyRefs(in.Cooperating), in.Deliverable, in.DeadlineText, in.Note
			return nil
		},
		create: s.store.CreateTask, update: s.store.UpdateTask, delete: s.store.DeleteTask,
	}.register(s)
}
