package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/httpx"
)

// The admins' MQTT topic rules (issue 13): the list, a form for a new rule (refused
// naming the field), delete, and a try-out of a topic and payload.

func (u *Web) topicRuleRoutes() []route {
	return []route{
		{"GET /admin/mqtt-topics", u.guard(tinhso.ActManageSeries, u.topicRules)},
		{"POST /admin/mqtt-topics", u.guard(tinhso.ActManageSeries, u.createTopicRule)},
		{"POST /admin/mqtt-topics/{id}/delete", u.guard(tinhso.ActManageSeries, u.deleteTopicRule)},
	}
}

type topicRulesData struct {
	Rules []*tinhso.TopicRule
	// Form is the rule being written; Error and Field say why it was refused.
	Form  tinhso.TopicRule
	Error string
	Field string
	Saved string
}

func (u *Web) topicRules(w http.ResponseWriter, r *http.Request) {
	d := &topicRulesData{Form: tinhso.TopicRule{Payload: tinhso.PayloadNumber, Enabled: true}}
	switch r.URL.Query().Get("done") {
	case "saved":
		d.Saved = "live2.topics.saved"
	case "deleted":
		d.Saved = "live2.topics.deleted"
	}
	u.renderTopicRules(w, r, http.StatusOK, d)
}

func (u *Web) renderTopicRules(w http.ResponseWriter, r *http.Request, status int, d *topicRulesData) {
	v := u.newView(w, r, "series")
	v.Title = v.T("live2.topics.title")
	rules, err := u.app.TopicRules(r.Context())
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	d.Rules = rules
	v.D = d
	u.render(w, r, status, "topic_rules", v)
}

func (u *Web) createTopicRule(w http.ResponseWriter, r *http.Request) {
	if err := u.parseForm(w, r); err != nil {
		u.fail(w, r, nil, err)
		return
	}
	d := &topicRulesData{Form: tinhso.TopicRule{Pattern: formValue(r, "pattern"), KeyTemplate: formValue(r, "key_template"),
		Payload: formValue(r, "payload"), ValuePath: formValue(r, "value_path"), TimePath: formValue(r, "time_path"),
		Enabled: formValue(r, "enabled") != "", Note: formValue(r, "note")}}
	rule := d.Form
	if err := u.app.SaveTopicRule(u.auth.ActorCtx(r), &rule, 0); err != nil {
		if tinhso.ErrorCode(err) == tinhso.EINTERNAL {
			u.fail(w, r, nil, err)
			return
		}
		v := u.newView(w, r, "series")
		d.Error, d.Field = v.printer().Error(err), errorField(err)
		u.renderTopicRules(w, r, httpx.Status(err), d)
		return
	}
	http.Redirect(w, r, "/admin/mqtt-topics?done=saved", http.StatusSeeOther)
}

func (u *Web) deleteTopicRule(w http.ResponseWriter, r *http.Request) {
	if err := u.parseForm(w, r); err != nil {
		u.fail(w, r, nil, err)
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err == nil {
		err = u.app.DeleteTopicRule(u.auth.ActorCtx(r), id)
	}
	if err != nil {
		u.fail(w, r, nil, err)
		return
	}
	http.Redirect(w, r, "/admin/mqtt-topics?done=deleted", http.StatusSeeOther)
}

// errorField is the field an error names ("" for none).
func errorField(err error) string {
	var e *tinhso.Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}
