package sqldb

import (
	"context"
	"database/sql"
	"errors"

	"github.com/tinhso/tinhso"
)

// MQTT topic rules (migration 0011).

var _ tinhso.TopicRuleStore = (*DB)(nil)

const topicRuleCols = `id, pattern, key_template, payload, value_path, time_path, enabled, note, version, created_by, created_at, updated_at`

func scanTopicRule(s scanner) (*tinhso.TopicRule, error) {
	r := &tinhso.TopicRule{}
	var en int
	var ca, ua string
	if err := s.Scan(&r.ID, &r.Pattern, &r.KeyTemplate, &r.Payload, &r.ValuePath, &r.TimePath, &en, &r.Note, &r.Version, &r.CreatedBy, &ca, &ua); err != nil {
		return nil, err
	}
	r.Enabled, r.CreatedAt, r.UpdatedAt = en != 0, parseStamp(ca), parseStamp(ua)
	return r, nil
}

// FindTopicRules lists the rules by pattern.
func (db *DB) FindTopicRules(ctx context.Context) ([]*tinhso.TopicRule, error) {
	var out []*tinhso.TopicRule
	err := db.readTx(ctx, func(tx *Tx) error {
		var err error
		out, err = queryAll(ctx, tx, scanTopicRule, `SELECT `+topicRuleCols+` FROM mqtt_topic_rules ORDER BY `+db.dialect.byteOrder("pattern"))
		return err
	})
	return out, err
}

// FindTopicRule finds a rule by id.
func (db *DB) FindTopicRule(ctx context.Context, id int64) (*tinhso.TopicRule, error) {
	var r *tinhso.TopicRule
	err := db.readTx(ctx, func(tx *Tx) error {
		var err error
		r, err = scanTopicRule(tx.queryRow(ctx, `SELECT `+topicRuleCols+` FROM mqtt_topic_rules WHERE id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return tinhso.Errorf(tinhso.ENOTFOUND, "err.db.not_found", tinhso.M("live2.what.topic_rule", id))
		}
		return err
	})
	return r, err
}

// CreateTopicRule stores a rule; a pattern in use is ECONFLICT.
func (db *DB) CreateTopicRule(ctx context.Context, r *tinhso.TopicRule) error {
	return db.writeTx(ctx, func(tx *Tx) error {
		r.CreatedBy = tinhso.ActorFrom(ctx).Username
		id, err := tx.insert(ctx, `INSERT INTO mqtt_topic_rules (pattern, key_template, payload, value_path, time_path, enabled, note, created_by,
			created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.Pattern, r.KeyTemplate, r.Payload, r.ValuePath, r.TimePath,
			boolInt(r.Enabled), r.Note, r.CreatedBy, tx.stamp(), tx.stamp())
		if err != nil {
			return db.dialect.mapError(err, tinhso.M("live2.what.topic_pattern", r.Pattern))
		}
		r.ID, r.Version, r.CreatedAt, r.UpdatedAt = id, 1, tx.now, tx.now
		tx.audit(ctx, "create", "mqtt_topic_rule", r.Pattern, nil, r)
		return nil
	})
}

// UpdateTopicRule writes a rule's fields.
func (db *DB) UpdateTopicRule(ctx context.Context, r *tinhso.TopicRule, version int) error {
	return db.writeTx(ctx, func(tx *Tx) error {
		if err := claimVersion(ctx, tx, "mqtt_topic_rules", r.ID, version, tinhso.M("live2.what.topic_rule", r.ID)); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE mqtt_topic_rules SET pattern = ?, key_template = ?, payload = ?, value_path = ?, time_path = ?, enabled = ?,
			note = ? WHERE id = ?`, r.Pattern, r.KeyTemplate, r.Payload, r.ValuePath, r.TimePath, boolInt(r.Enabled), r.Note, r.ID); err != nil {
			return db.dialect.mapError(err, tinhso.M("live2.what.topic_pattern", r.Pattern))
		}
		tx.audit(ctx, "update", "mqtt_topic_rule", r.Pattern, nil, r)
		return tx.queryRow(ctx, `SELECT version, created_by, created_at, updated_at FROM mqtt_topic_rules WHERE id = ?`, r.ID).Scan(&r.Version, &r.CreatedBy, new(string), new(string))
	})
}

// DeleteTopicRule deletes a rule.
func (db *DB) DeleteTopicRule(ctx context.Context, id int64) error {
	return db.writeTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `DELETE FROM mqtt_topic_rules WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return tinhso.Errorf(tinhso.ENOTFOUND, "err.db.not_found", tinhso.M("live2.what.topic_rule", id))
		}
		tx.audit(ctx, "delete", "mqtt_topic_rule", "", nil, id)
		return nil
	})
}
