package tinhso

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// MQTT topic rules (issue 13): sensors and city platforms publish on topics of their
// own (sensors/phong-hop/temp), not on tinhso/series/{key}. An admin maps such topics
// to series with rules: a topic pattern whose levels are words, + (any one level) or,
// last, # (any rest); a key template naming the + levels as {1}, {2}, …; and how the
// payload carries the value: a plain number, or a JSON document with the value (and
// optionally the time) at a path of field names and array indexes ("data.temp",
// "readings.0.value").

// Payload kinds of a topic rule.
const (
	PayloadNumber = "number"
	PayloadJSON   = "json"
)

// TopicRulePrefix is the topic tinhso reads itself: rules may not cover it.
const TopicRulePrefix = "tinhso/"

// Limits of topic rules.
const (
	MaxTopicRuleLen = 200
	MaxTopicRules   = 1000
)

// TopicRule maps MQTT topics to a series.
type TopicRule struct {
	ID          int64     `json:"id"`
	Pattern     string    `json:"pattern"`
	KeyTemplate string    `json:"key_template"`
	Payload     string    `json:"payload"`
	ValuePath   string    `json:"value_path,omitempty"`
	TimePath    string    `json:"time_path,omitempty"`
	Enabled     bool      `json:"enabled"`
	Note        string    `json:"note,omitempty"`
	Version     int       `json:"version"`
	CreatedBy   string    `json:"created_by,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Validate checks a rule: each error names its field.
func (r *TopicRule) Validate() error {
	p := r.Pattern
	switch {
	case p == "":
		return Invalid("pattern", "live2.err.topic_required")
	case len(p) > MaxTopicRuleLen:
		return Invalid("pattern", "live2.err.topic_long", MaxTopicRuleLen)
	case strings.HasPrefix(p, TopicRulePrefix) || p == "tinhso" || p == "#" || strings.HasPrefix(p, "+/") || p == "+":
		return Invalid("pattern", "live2.err.topic_reserved", p)
	case strings.HasPrefix(p, "$") || strings.ContainsAny(p, "\x00 "):
		return Invalid("pattern", "live2.err.topic_char", p)
	}
	levels := strings.Split(p, "/")
	plus := 0
	for i, l := range levels {
		switch {
		case l == "+":
			plus++
		case l == "#":
			if i != len(levels)-1 {
				return Invalid("pattern", "live2.err.topic_hash", p)
			}
		case strings.ContainsAny(l, "+#"):
			return Invalid("pattern", "live2.err.topic_wildcard", p, i+1)
		case l == "":
			return Invalid("pattern", "live2.err.topic_empty_level", p, i+1)
		}
	}
	if err := checkTemplate(r.KeyTemplate, plus); err != nil {
		return err
	}
	switch r.Payload {
	case PayloadNumber:
		if r.ValuePath != "" || r.TimePath != "" {
			return Invalid("value_path", "live2.err.topic_path_unused")
		}
	case PayloadJSON:
		if r.ValuePath == "" {
			return Invalid("value_path", "live2.err.topic_value_path")
		}
		for _, f := range []struct{ name, v string }{{"value_path", r.ValuePath}, {"time_path", r.TimePath}} {
			if f.v == "" {
				continue
			}
			if len(f.v) > MaxTopicRuleLen || strings.HasPrefix(f.v, ".") || strings.HasSuffix(f.v, ".") || strings.Contains(f.v, "..") {
				return Invalid(f.name, "live2.err.topic_path", f.v)
			}
		}
	default:
		return Invalid("payload", "live2.err.topic_payload", r.Payload)
	}
	return validText("note", r.Note, 1000, false)
}

// checkTemplate checks a key template against a pattern with plus + levels.
func checkTemplate(t string, plus int) error {
	if t == "" {
		return Invalid("key_template", "live2.err.template_required")
	}
	if len(t) > MaxTopicRuleLen {
		return Invalid("key_template", "live2.err.template_long", MaxTopicRuleLen)
	}
	sample := t
	for i := 0; i < len(t); i++ {
		if t[i] != '{' {
			continue
		}
		j := strings.IndexByte(t[i:], '}')
		if j < 0 {
			return Invalid("key_template", "live2.err.template_brace", t)
		}
		n, err := strconv.Atoi(t[i+1 : i+j])
		if err != nil || n < 1 || n > plus {
			return Invalid("key_template", "live2.err.template_level", t[i:i+j+1], plus)
		}
		i += j
	}
	for n := plus; n >= 1; n-- {
		sample = strings.ReplaceAll(sample, "{"+strconv.Itoa(n)+"}", "x")
	}
	if err := ValidSeriesKey(sample); err != nil {
		return Invalid("key_template", "live2.err.template_key", t)
	}
	return nil
}

// Match reports whether topic matches the rule's pattern, and the series key it maps
// to (which may still not be a valid key: a level may hold any character).
func (r *TopicRule) Match(topic string) (string, bool) {
	pl := strings.Split(r.Pattern, "/")
	tl := strings.Split(topic, "/")
	var caps []string
	for i, p := range pl {
		if p == "#" {
			break // the rest, or nothing (as MQTT's #: sensors/# matches sensors)
		}
		if i >= len(tl) {
			return "", false
		}
		switch p {
		case "+":
			caps = append(caps, tl[i])
		default:
			if p != tl[i] {
				return "", false
			}
		}
		if i == len(pl)-1 && len(tl) != len(pl) {
			return "", false
		}
	}
	key := r.KeyTemplate
	for n := len(caps); n >= 1; n-- {
		key = strings.ReplaceAll(key, "{"+strconv.Itoa(n)+"}", caps[n-1])
	}
	return key, true
}

// Extract turns a payload into the form tinhso/series/{key} takes: the number itself,
// or {"time", "value"} read from the rule's paths.
func (r *TopicRule) Extract(payload []byte) ([]byte, error) {
	if r.Payload == PayloadNumber {
		return payload, nil
	}
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, Invalid("payload", "live2.err.payload_json", err.Error())
	}
	v, ok := jsonAt(doc, r.ValuePath)
	if !ok {
		return nil, Invalid("payload", "live2.err.payload_no_value", r.ValuePath)
	}
	out := map[string]any{}
	switch x := v.(type) {
	case json.Number:
		out["value"] = x
	case string:
		if _, err := strconv.ParseFloat(strings.TrimSpace(x), 64); err != nil {
			return nil, Invalid("payload", "live2.err.payload_value", r.ValuePath, x)
		}
		out["value"] = json.Number(strings.TrimSpace(x))
	default:
		return nil, Invalid("payload", "live2.err.payload_value", r.ValuePath, compactJSON(v))
	}
	if r.TimePath != "" {
		if t, ok := jsonAt(doc, r.TimePath); ok && t != nil {
			out["time"] = t
		}
	}
	return json.Marshal(out)
}

func compactJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// jsonAt walks a path of field names and array indexes.
func jsonAt(doc any, path string) (any, bool) {
	cur := doc
	for _, seg := range strings.Split(path, ".") {
		switch x := cur.(type) {
		case map[string]any:
			v, ok := x[seg]
			if !ok {
				return nil, false
			}
			cur = v
		case []any:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(x) {
				return nil, false
			}
			cur = x[i]
		default:
			return nil, false
		}
	}
	return cur, true
}

// TopicRuleStore keeps the topic rules.
type TopicRuleStore interface {
	FindTopicRules(ctx context.Context) ([]*TopicRule, error)
	FindTopicRule(ctx context.Context, id int64) (*TopicRule, error)
	CreateTopicRule(ctx context.Context, r *TopicRule) error
	// UpdateTopicRule writes a rule; EPRECONDITION when its version is no longer version.
	UpdateTopicRule(ctx context.Context, r *TopicRule, version int) error
	DeleteTopicRule(ctx context.Context, id int64) error
}
