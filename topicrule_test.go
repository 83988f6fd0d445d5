package tinhso_test

import (
	"errors"
	"testing"

	"github.com/tinhso/tinhso"
)

func TestTopicRuleMatch(t *testing.T) {
	t.Parallel()
	r := &tinhso.TopicRule{Pattern: "sensors/+/temp", KeyTemplate: "cam-bien.{1}.nhiet-do", Payload: "number"}
	hash := &tinhso.TopicRule{Pattern: "city/+/lights/#", KeyTemplate: "den.{1}", Payload: "number"}
	for _, c := range []struct {
		rule  *tinhso.TopicRule
		topic string
		key   string
		ok    bool
	}{
		{r, "sensors/phong-hop/temp", "cam-bien.phong-hop.nhiet-do", true},
		{r, "sensors/phong-hop/humidity", "", false},
		{r, "sensors/a/b/temp", "", false},
		{r, "sensors/temp", "", false},
		{r, "sensors/x/temp/more", "", false},
		{hash, "city/lang-son/lights", "den.lang-son", true},
		{hash, "city/lang-son/lights/1/2", "den.lang-son", true},
		{hash, "city/lang-son/roads", "", false},
	} {
		key, ok := c.rule.Match(c.topic)
		if key != c.key || ok != c.ok {
			t.Errorf("%s on %s: %q %v, want %q %v", c.rule.Pattern, c.topic, key, ok, c.key, c.ok)
		}
	}
}

func TestTopicRuleValidateAndExtract(t *testing.T) {
	t.Parallel()
	ok := tinhso.TopicRule{Pattern: "sensors/+/+/data", KeyTemplate: "{1}.{2}", Payload: "json", ValuePath: "readings.0.value", TimePath: "ts"}
	for _, c := range []struct {
		edit  func(r *tinhso.TopicRule)
		field string
	}{
		{func(r *tinhso.TopicRule) {}, ""},
		{func(r *tinhso.TopicRule) { r.Pattern = "" }, "pattern"},
		{func(r *tinhso.TopicRule) { r.Pattern = "tinhso/series/+" }, "pattern"},
		{func(r *tinhso.TopicRule) { r.Pattern = "#" }, "pattern"},
		{func(r *tinhso.TopicRule) { r.Pattern = "a/#/b" }, "pattern"},
		{func(r *tinhso.TopicRule) { r.Pattern = "a/b+/c" }, "pattern"},
		{func(r *tinhso.TopicRule) { r.Pattern = "a//c" }, "pattern"},
		{func(r *tinhso.TopicRule) { r.KeyTemplate = "{3}" }, "key_template"},
		{func(r *tinhso.TopicRule) { r.KeyTemplate = "nhiệt độ.{1}" }, "key_template"},
		{func(r *tinhso.TopicRule) { r.KeyTemplate = "{1" }, "key_template"},
		{func(r *tinhso.TopicRule) { r.ValuePath = "" }, "value_path"},
		{func(r *tinhso.TopicRule) { r.TimePath = "a..b" }, "time_path"},
		{func(r *tinhso.TopicRule) { r.Payload = "xml" }, "payload"},
		{func(r *tinhso.TopicRule) { r.Payload = "number" }, "value_path"},
	} {
		r := ok
		c.edit(&r)
		err := r.Validate()
		got := ""
		var e *tinhso.Error
		if errors.As(err, &e) {
			got = e.Field
		}
		if got != c.field || (err == nil) != (c.field == "") {
			t.Errorf("%+v: %v (field %q), want field %q", r, err, got, c.field)
		}
	}
	for _, c := range []struct{ payload, out, err string }{
		{`{"readings": [{"value": 21.5}], "ts": 1700000000000}`, `{"time":1700000000000,"value":21.5}`, ""},
		{`{"readings": [{"value": "7"}]}`, `{"value":7}`, ""},
		{`{"readings": []}`, "", "live2.err.payload_no_value"},
		{`{"readings": [{"value": true}]}`, "", "live2.err.payload_value"},
		{`nope`, "", "live2.err.payload_json"},
	} {
		out, err := ok.Extract([]byte(c.payload))
		if string(out) != c.out || tinhso.ErrorKey(err) != c.err && !(c.err == "" && err == nil) {
			t.Errorf("%s: %s %v, want %s %s", c.payload, out, err, c.out, c.err)
		}
	}
}
