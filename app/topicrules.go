package app

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/tinhso/tinhso"
)

// MQTT topic rules (issue 13): the admins' rules mapping topics other than
// tinhso/series/{key} to series, and the mapping the broker asks for each publish.

// topicCache keeps the enabled rules, most specific first, for a second at most (or
// until a rule is saved on this node).
type topicCache struct {
	mu    sync.Mutex
	rules []*tinhso.TopicRule
	at    time.Time
}

func (c *topicCache) invalidate() {
	c.mu.Lock()
	c.at = time.Time{}
	c.mu.Unlock()
}

func (a *App) topicStore() (tinhso.TopicRuleStore, error) {
	ts, ok := a.store.(tinhso.TopicRuleStore)
	if !ok {
		return nil, tinhso.Errorf(tinhso.EINTERNAL, "err.internal")
	}
	return ts, nil
}

// TopicRules lists the rules by pattern.
func (a *App) TopicRules(ctx context.Context) ([]*tinhso.TopicRule, error) {
	ts, err := a.topicStore()
	if err != nil {
		return nil, err
	}
	return ts.FindTopicRules(ctx)
}

// TopicRule finds a rule.
func (a *App) TopicRule(ctx context.Context, id int64) (*tinhso.TopicRule, error) {
	ts, err := a.topicStore()
	if err != nil {
		return nil, err
	}
	return ts.FindTopicRule(ctx, id)
}

// SaveTopicRule validates and stores a rule (ID 0: a new one); a pattern another rule
// has is refused, naming the pattern.
func (a *App) SaveTopicRule(ctx context.Context, r *tinhso.TopicRule, version int) error {
	ts, err := a.topicStore()
	if err != nil {
		return err
	}
	r.Pattern, r.KeyTemplate = strings.TrimSpace(r.Pattern), strings.TrimSpace(r.KeyTemplate)
	r.ValuePath, r.TimePath = strings.TrimSpace(r.ValuePath), strings.TrimSpace(r.TimePath)
	if err := r.Validate(); err != nil {
		return err
	}
	all, err := ts.FindTopicRules(ctx)
	if err != nil {
		return err
	}
	for _, o := range all {
		if o.Pattern == r.Pattern && o.ID != r.ID {
			return tinhso.Invalid("pattern", "live2.err.topic_exists", r.Pattern)
		}
	}
	if r.ID == 0 && len(all) >= tinhso.MaxTopicRules {
		return tinhso.Invalid("pattern", "live2.err.topic_many", tinhso.MaxTopicRules)
	}
	defer a.topics.invalidate()
	if r.ID == 0 {
		return ts.CreateTopicRule(ctx, r)
	}
	return ts.UpdateTopicRule(ctx, r, version)
}

// DeleteTopicRule deletes a rule.
func (a *App) DeleteTopicRule(ctx context.Context, id int64) error {
	ts, err := a.topicStore()
	if err != nil {
		return err
	}
	defer a.topics.invalidate()
	return ts.DeleteTopicRule(ctx, id)
}

// wildcards counts a pattern's wildcard levels (# counts more than +).
func wildcards(p string) int {
	n := strings.Count(p, "+")
	if strings.HasSuffix(p, "#") {
		n += 100
	}
	return n
}

// MapTopic maps a publish on a topic of its own to a series by the first enabled rule
// that matches it, most specific first (fewest wildcards, then the longest pattern):
// the series key and the payload as tinhso/series/{key} takes it. ok is false when no
// rule matches; err says what is wrong with the payload for the rule.
func (a *App) MapTopic(ctx context.Context, topic string, payload []byte) (key string, out []byte, ok bool, err error) {
	rules, err := a.enabledTopicRules(ctx)
	if err != nil {
		return "", nil, false, err
	}
	return MapTopicWith(rules, topic, payload)
}

// MapTopicWith is MapTopic over rules already ordered.
func MapTopicWith(rules []*tinhso.TopicRule, topic string, payload []byte) (string, []byte, bool, error) {
	for _, r := range rules {
		key, ok := r.Match(topic)
		if !ok {
			continue
		}
		if err := tinhso.ValidSeriesKey(key); err != nil {
			return "", nil, true, tinhso.Invalid("topic", "live2.err.topic_key", topic, r.Pattern, key)
		}
		out, err := r.Extract(payload)
		return key, out, true, err
	}
	return "", nil, false, nil
}

// OrderTopicRules orders rules as MapTopic tries them.
func OrderTopicRules(rules []*tinhso.TopicRule) {
	slices.SortStableFunc(rules, func(x, y *tinhso.TopicRule) int {
		return cmp.Or(cmp.Compare(wildcards(x.Pattern), wildcards(y.Pattern)), cmp.Compare(len(y.Pattern), len(x.Pattern)),
			strings.Compare(x.Pattern, y.Pattern))
	})
}

func (a *App) enabledTopicRules(ctx context.Context) ([]*tinhso.TopicRule, error) {
	c := &a.topics
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.at.IsZero() && time.Since(c.at) < time.Second {
		return c.rules, nil
	}
	ts, err := a.topicStore()
	if err != nil {
		return nil, err
	}
	all, err := ts.FindTopicRules(ctx)
	if err != nil {
		return nil, err
	}
	var rules []*tinhso.TopicRule
	for _, r := range all {
		if r.Enabled {
			rules = append(rules, r)
		}
	}
	OrderTopicRules(rules)
	c.rules, c.at = rules, time.Now()
	return rules, nil
}
