package sqldb

import (
	"context"
	"encoding/json"

	"github.com/tinhso/tinhso"
)

const suggestionCols = `id, key, kind, effective, citation, note, from_codes, to_codes, evidence, state, decision, decision_date,
	succession_key, decided_by, decided_at, created_at`

func scanSuggestion(sc scanner) (*tinhso.SuccessionSuggestion, error) {
	s := &tinhso.SuccessionSuggestion{}
	var from, to, evidence, decidedAt, created string
	if err := sc.Scan(&s.ID, &s.Key, &s.Kind, &s.Effective, &s.Citation, &s.Note, &from, &to, &evidence, &s.State, &s.Decision,
		&s.DecisionDate, &s.Succession, &s.DecidedBy, &decidedAt, &created); err != nil {
		return nil, err
	}
	for _, f := range []struct {
		text string
		dst  any
	}{{from, &s.From}, {to, &s.To}, {evidence, &s.Evidence}} {
		if err := json.Unmarshal([]byte(f.text), f.dst); err != nil {
			return nil, err
		}
	}
	if s.To == nil {
		s.To = []string{}
	}
	if decidedAt != "" {
		t := parseStamp(decidedAt)
		s.DecidedAt = &t
	}
	s.CreatedAt = parseStamp(created)
	return s, nil
}

// FindSuccessionSuggestions lists suggested successions in a state ("" : all), oldest
// first.
func (db *DB) FindSuccessionSuggestions(ctx context.Context, state string) ([]*tinhso.SuccessionSuggestion, error) {
	var out []*tinhso.SuccessionSuggestion
	err := db.readTx(ctx, func(tx *Tx) error {
		var w where
		if state != "" {
			w.add("state = ?", state)
		}
		var err error
		out, err = queryAll(ctx, tx, scanSuggestion, `SELECT `+suggestionCols+` FROM succession_suggestions`+w.String()+` ORDER BY id`, w.args...)
		return err
	})
	if out == nil {
		out = []*tinhso.SuccessionSuggestion{}
	}
	return out, err
}

// FindSuccessionSuggestion finds a suggested succession by id or key.
func (db *DB) FindSuccessionSuggestion(ctx context.Context, ref string) (*tinhso.SuccessionSuggestion, error) {
	var out *tinhso.SuccessionSuggestion
	err := db.readTx(ctx, func(tx *Tx) error {
		var err error
		out, err = findSuggestion(ctx, tx, ref)
		return err
	})
	return out, err
}

func findSuggestion(ctx context.Context, tx *Tx, ref string) (*tinhso.SuccessionSuggestion, error) {
	list, err := queryAll(ctx, tx, scanSuggestion, `SELECT `+suggestionCols+` FROM succession_suggestions WHERE key = ? OR CAST(id AS TEXT) = ?`, ref, ref)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, tinhso.Errorf(tinhso.ENOTFOUND, "err.suggestion.not_found", ref)
	}
	return list[0], nil
}

// CreateSuccessionSuggestion stores a suggested succession, open.
func (db *DB) CreateSuccessionSuggestion(ctx context.Context, s *tinhso.SuccessionSuggestion) error {
	if err := s.Validate(); err != nil {
		return err
	}
	s.State = tinhso.SuggestionOpen
	return db.writeTx(ctx, func(tx *Tx) error {
		from, _ := json.Marshal(s.From)
		to, _ := json.Marshal(s.To)
		ev, _ := json.Marshal(s.Evidence)
		s.CreatedAt = tx.now
		id, err := tx.insert(ctx, `INSERT INTO succession_suggestions (key, kind, effective, citation, note, from_codes, to_codes, evidence, state, created_at)
			VALUES (`+placeholders(10)+`)`, s.Key, s.Kind, s.Effective, s.Citation, s.Note, string(from), string(to), string(ev), s.State, tx.stamp())
		if err != nil {
			return tx.db.dialect.mapError(err, tinhso.M("what.suggestion.key", s.Key))
		}
		s.ID = id
		tx.audit(ctx, "succession_suggestion.create", "succession_suggestion", s.Key, nil, s)
		return nil
	})
}

// DecideSuccessionSuggestion confirms (sc != nil: the succession it records, stored as
// CreateSuccession stores one) or dismisses a suggestion that is still open, in one
// transaction; s carries the decision. A suggestion decided before is refused.
func (db *DB) DecideSuccessionSuggestion(ctx context.Context, s *tinhso.SuccessionSuggestion, sc *tinhso.Succession) error {
	if sc != nil {
		if err := sc.Validate(); err != nil {
			return err
		}
	}
	return db.writeTx(ctx, func(tx *Tx) error {
		before, err := findSuggestion(ctx, tx, s.Key)
		if err != nil {
			return err
		}
		if before.State != tinhso.SuggestionOpen {
			return tinhso.Errorf(tinhso.ECONFLICT, "err.suggestion.decided", s.Key, tinhso.SuggestionStateWord(before.State))
		}
		if sc != nil {
			if err := createSuccession(ctx, tx, sc); err != nil {
				return err
			}
			s.Succession = sc.Key
		}
		now := tx.now
		s.DecidedAt, s.DecidedBy = &now, tinhso.ActorFrom(ctx).Username
		res, err := tx.exec(ctx, `UPDATE succession_suggestions SET state = ?, decision = ?, decision_date = ?, succession_key = ?, decided_by = ?, decided_at = ?
			WHERE id = ? AND state = ?`, s.State, s.Decision, s.DecisionDate, s.Succession, s.DecidedBy, tx.stamp(), before.ID, tinhso.SuggestionOpen)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n != 1 {
			return tinhso.Errorf(tinhso.ECONFLICT, "err.suggestion.decided", s.Key, tinhso.SuggestionStateWord(tinhso.SuggestionConfirmed))
		}
		tx.audit(ctx, "succession_suggestion."+s.State, "succession_suggestion", s.Key, before, s)
		return nil
	})
}
