package api

import (
	"net/http"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/httpx"
)

// MQTT topic rules (issue 13): admins map topics other than tinhso/series/{key} to
// series.

var topicRuleComputed = map[string]string{"id": "", "version": "", "created_by": "", "created_at": "", "updated_at": ""}

// topicTest is the body of POST /api/v1/mqtt/topic-rules/test.
type topicTest struct {
	Topic   string `json:"topic"`
	Payload string `json:"payload"`
}

// topicTestResult says what a publish would become.
type topicTestResult struct {
	Matched bool   `json:"matched"`
	Key     string `json:"key,omitempty"`
	// Payload is the point as tinhso/series/{key} takes it.
	Payload string `json:"payload,omitempty"`
}

func (a *API) topicRuleRoutes() []httpx.Route {
	desc := " A rule: pattern (topic levels, + for one level, # last for the rest; not under tinhso/), key_template (the series key, {1}, {2}, … for the pattern's + levels), payload (number, or json with value_path and optionally time_path: field names and array indexes joined by dots), enabled, note. The most specific rule that matches wins (fewest wildcards, then the longest pattern)."
	return []httpx.Route{
		{Method: "GET", Path: "/api/v1/mqtt/topic-rules", Summary: "The MQTT topic rules, by pattern." + desc, Action: tinhso.ActReadSeries,
			List: true, Resp: tinhso.TopicRule{}, Handler: a.listTopicRules},
		{Method: "POST", Path: "/api/v1/mqtt/topic-rules", Summary: "Add an MQTT topic rule; a bad one is refused naming the field." + desc, Action: tinhso.ActManageSeries,
			Body: tinhso.TopicRule{}, Resp: tinhso.TopicRule{}, Status: http.StatusCreated, Handler: a.createTopicRule},
		{Method: "GET", Path: "/api/v1/mqtt/topic-rules/{id}", Summary: "An MQTT topic rule", Action: tinhso.ActReadSeries,
			Resp: tinhso.TopicRule{}, Handler: a.getTopicRule},
		{Method: "PUT", Path: "/api/v1/mqtt/topic-rules/{id}", Summary: "Change an MQTT topic rule (If-Match: its version)", Action: tinhso.ActManageSeries,
			Body: tinhso.TopicRule{}, Resp: tinhso.TopicRule{}, Handler: a.updateTopicRule},
		{Method: "DELETE", Path: "/api/v1/mqtt/topic-rules/{id}", Summary: "Delete an MQTT topic rule", Action: tinhso.ActManageSeries,
			Status: http.StatusNoContent, Handler: a.deleteTopicRule},
		{Method: "POST", Path: "/api/v1/mqtt/topic-rules/test", Summary: "What a publish on a topic would become under the enabled rules: the series key and the point, or the error naming what is wrong", Action: tinhso.ActReadSeries,
			Body: topicTest{}, Resp: topicTestResult{}, Handler: a.testTopicRule},
	}
}

func (a *API) listTopicRules(w http.ResponseWriter, r *http.Request) {
	q := httpx.NewQuery(r)
	p := q.Page()
	if err := q.Done(); failed(w, r, err) {
		return
	}
	list, err := a.app.TopicRules(r.Context())
	if failed(w, r, err) {
		return
	}
	httpx.WriteList(w, httpx.PageOf(list, p), len(list), p)
}

func (a *API) createTopicRule(w http.ResponseWriter, r *http.Request) {
	var rule tinhso.TopicRule
	if err := a.decode(w, r, &rule, topicRuleComputed); failed(w, r, err) {
		return
	}
	rule.ID = 0
	if failed(w, r, a.app.SaveTopicRule(a.actor(r), &rule, 0)) {
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, rule)
}

func (a *API) getTopicRule(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.IDParam(r)
	if failed(w, r, err) {
		return
	}
	rule, err := a.app.TopicRule(r.Context(), id)
	if failed(w, r, err) {
		return
	}
	httpx.WriteJSON(w, http.StatusOK, rule)
}

func (a *API) updateTopicRule(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.IDParam(r)
	if failed(w, r, err) {
		return
	}
	version, err := httpx.IfMatch(r)
	if failed(w, r, err) {
		return
	}
	var rule tinhso.TopicRule
	if err := a.decode(w, r, &rule, topicRuleComputed); failed(w, r, err) {
		return
	}
	rule.ID = id
	if failed(w, r, a.app.SaveTopicRule(a.actor(r), &rule, version)) {
		return
	}
	httpx.WriteJSON(w, http.StatusOK, rule)
}

func (a *API) deleteTopicRule(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.IDParam(r)
	if failed(w, r, err) {
		return
	}
	if failed(w, r, a.app.DeleteTopicRule(a.actor(r), id)) {
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (a *API) testTopicRule(w http.ResponseWriter, r *http.Request) {
	var in topicTest
	if err := a.decode(w, r, &in, nil); failed(w, r, err) {
		return
	}
	rules, err := a.app.TopicRules(r.Context())
	if failed(w, r, err) {
		return
	}
	var enabled []*tinhso.TopicRule
	for _, x := range rules {
		if x.Enabled {
			enabled = append(enabled, x)
		}
	}
	app.OrderTopicRules(enabled)
	key, out, ok, err := app.MapTopicWith(enabled, in.Topic, []byte(in.Payload))
	if failed(w, r, err) {
		return
	}
	res := topicTestResult{Matched: ok, Key: key}
	if ok {
		res.Payload = string(out)
	}
	httpx.WriteJSON(w, http.StatusOK, res)
}
