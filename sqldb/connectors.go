package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/tinhso/tinhso"
)

// Connectors, their runs and the indicator figures they wrote (migration 0017).

var _ tinhso.ConnectorStore = (*DB)(nil)

// connectorDef is what the definition column holds.
type connectorDef struct {
	Source   tinhso.ConnectorSource   `json:"source"`
	Schedule tinhso.ConnectorSchedule `json:"schedule"`
	Timeout  tinhso.Duration          `json:"timeout"`
	Mapping  tinhso.ConnectorMapping  `json:"mapping"`
}

const connectorCols = `c.id, c.name, c.enabled, c.org_unit, c.definition, c.secret <> '', c.failures, c.digest, c.version, c.created_at, c.updated_at`

func scanConnector(s scanner) (*tinhso.Connector, error) {
	c := &tinhso.Connector{}
	var enabled int
	var def, created, updated string
	if err := s.Scan(&c.ID, &c.Name, &enabled, &c.OrgUnit, &def, &c.HasSecret, &c.Failures, &c.Digest, &c.Version, &created, &updated); err != nil {
		return nil, err
	}
	var d connectorDef
	if err := json.Unmarshal([]byte(def), &d); err != nil {
		return nil, err
	}
	c.Enabled, c.Source, c.Schedule, c.Timeout, c.Mapping = enabled != 0, d.Source, d.Schedule, d.Timeout, d.Mapping
	c.CreatedAt, c.UpdatedAt = parseStamp(created), parseStamp(updated)
	return c, nil
}

func connectorWhat(name any) tinhso.Message { return tinhso.M("connectors.what", name) }

// lastRuns fills each connector's last run.
func lastRuns(ctx context.Context, tx *Tx, list []*tinhso.Connector) error {
	if len(list) == 0 {
		return nil
	}
	runs, err := queryAll(ctx, tx, scanRun, `SELECT `+runCols+` FROM connector_runs r
		WHERE r.id IN (SELECT MAX(id) FROM connector_runs GROUP BY connector_id)`)
	if err != nil {
		return err
	}
	by := map[int64]*tinhso.ConnectorRun{}
	for _, r := range runs {
		by[r.Connector] = r
	}
	for _, c := range list {
		c.LastRun = by[c.ID]
	}
	return nil
}

// FindConnectors lists the connectors by name, each with its last run.
func (db *DB) FindConnectors(ctx context.Context) ([]*tinhso.Connector, error) {
	var out []*tinhso.Connector
	err := db.readTx(ctx, func(tx *Tx) error {
		var err error
		if out, err = queryAll(ctx, tx, scanConnector, `SELECT `+connectorCols+` FROM connectors c ORDER BY `+db.dialect.byteOrder("c.name")); err != nil {
			return err
		}
		return lastRuns(ctx, tx, out)
	})
	return out, err
}

func (db *DB) findConnector(ctx context.Context, cond string, arg any) (*tinhso.Connector, error) {
	var c *tinhso.Connector
	err := db.readTx(ctx, func(tx *Tx) error {
		var err error
		c, err = scanConnector(tx.queryRow(ctx, `SELECT `+connectorCols+` FROM connectors c WHERE `+cond, arg))
		if errors.Is(err, sql.ErrNoRows) {
			return tinhso.Errorf(tinhso.ENOTFOUND, "err.db.not_found", connectorWhat(arg))
		}
		if err != nil {
			return err
		}
		return lastRuns(ctx, tx, []*tinhso.Connector{c})
	})
	return c, err
}

// FindConnector returns a connector by id.
func (db *DB) FindConnector(ctx context.Context, id int64) (*tinhso.Connector, error) {
	return db.findConnector(ctx, `c.id = ?`, id)
}

// FindConnectorByName returns a connector by name.
func (db *DB) FindConnectorByName(ctx context.Context, name string) (*tinhso.Connector, error) {
	return db.findConnector(ctx, `c.name = ?`, name)
}

// SaveConnector creates or updates a connector.
func (db *DB) SaveConnector(ctx context.Context, c *tinhso.Connector, sealed string, clear bool, version int) error {
	def, err := json.Marshal(connectorDef{Source: c.Source, Schedule: c.Schedule, Timeout: c.Timeout, Mapping: c.Mapping})
	if err != nil {
		return err
	}
	err = db.writeTx(ctx, func(tx *Tx) error {
		if c.ID == 0 {
			id, err := tx.insert(ctx, `INSERT INTO connectors (name, enabled, org_unit, definition, secret, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, c.Name, boolInt(c.Enabled), c.OrgUnit, string(def), sealed, tx.stamp(), tx.stamp())
			if err != nil {
				return err
			}
			c.ID, c.Version, c.CreatedAt, c.UpdatedAt, c.HasSecret = id, 1, tx.now, tx.now, sealed != ""
			tx.audit(ctx, "create", "connector", jsonText(id), nil, c)
			return nil
		}
		if err := claimVersion(ctx, tx, "connectors", c.ID, version, connectorWhat(c.ID)); err != nil {
			return err
		}
		// A changed definition reads again: the digest of the old one no longer says
		// the data is unchanged.
		if _, err := tx.exec(ctx, `UPDATE connectors SET name = ?, enabled = ?, org_unit = ?, digest = CASE WHEN definition = ? THEN digest ELSE '' END,
			definition = ? WHERE id = ?`, c.Name, boolInt(c.Enabled), c.OrgUnit, string(def), string(def), c.ID); err != nil {
			return err
		}
		if sealed != "" || clear {
			if _, err := tx.exec(ctx, `UPDATE connectors SET secret = ? WHERE id = ?`, sealed, c.ID); err != nil {
				return err
			}
		}
		tx.audit(ctx, "update", "connector", jsonText(c.ID), nil, c)
		var created, updated string
		if err := tx.queryRow(ctx, `SELECT version, secret <> '', failures, created_at, updated_at FROM connectors WHERE id = ?`, c.ID).
			Scan(&c.Version, &c.HasSecret, &c.Failures, &created, &updated); err != nil {
			return err
		}
		c.CreatedAt, c.UpdatedAt = parseStamp(created), parseStamp(updated)
		return nil
	})
	return db.dialect.mapError(err, connectorWhat(c.Name))
}

// DeleteConnector deletes a connector, its runs and the figures it wrote.
func (db *DB) DeleteConnector(ctx context.Context, id int64) error {
	return db.writeTx(ctx, func(tx *Tx) error {
		for _, q := range []string{`DELETE FROM connector_figures WHERE connector_id = ?`, `DELETE FROM connector_runs WHERE connector_id = ?`} {
			if _, err := tx.exec(ctx, q, id); err != nil {
				return err
			}
		}
		res, err := tx.exec(ctx, `DELETE FROM connectors WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return tinhso.Errorf(tinhso.ENOTFOUND, "err.db.not_found", connectorWhat(id))
		}
		tx.audit(ctx, "delete", "connector", jsonText(id), nil, nil)
		return nil
	})
}

// ConnectorSecret returns a connector's sealed secret.
func (db *DB) ConnectorSecret(ctx context.Context, id int64) (string, error) {
	var s string
	err := db.readTx(ctx, func(tx *Tx) error {
		err := tx.queryRow(ctx, `SELECT secret FROM connectors WHERE id = ?`, id).Scan(&s)
		if errors.Is(err, sql.ErrNoRows) {
			return tinhso.Errorf(tinhso.ENOTFOUND, "err.db.not_found", connectorWhat(id))
		}
		return err
	})
	return s, err
}

const runCols = `r.id, r.connector_id, r.trigger_kind, r.outcome, r.started_at, r.ended_at, r.rows_read, r.written, r.errors, r.digest`

func scanRun(s scanner) (*tinhso.ConnectorRun, error) {
	r := &tinhso.ConnectorRun{}
	var start, end, errs string
	if err := s.Scan(&r.ID, &r.Connector, &r.Trigger, &r.Outcome, &start, &end, &r.RowsRead, &r.Written, &errs, &r.Digest); err != nil {
		return nil, err
	}
	r.Start, r.End = parseStamp(start), parseStamp(end)
	if err := json.Unmarshal([]byte(errs), &r.Errors); err != nil {
		return nil, err
	}
	if r.Errors == nil {
		r.Errors = []tinhso.ConnectorError{}
	}
	return r, nil
}

// RecordConnectorRun stores a run, its figures and the connector's state.
func (db *DB) RecordConnectorRun(ctx context.Context, r *tinhso.ConnectorRun, figs []tinhso.ConnectorFigure) error {
	errs, err := json.Marshal(r.Errors)
	if err != nil {
		return err
	}
	if r.Errors == nil {
		errs = []byte("[]")
	}
	return db.writeTx(ctx, func(tx *Tx) error {
		id, err := tx.insert(ctx, `INSERT INTO connector_runs (connector_id, trigger_kind, outcome, started_at, ended_at, rows_read, written, errors, digest)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.Connector, r.Trigger, r.Outcome, r.Start.UTC().Format(timeFormat), r.End.UTC().Format(timeFormat),
			r.RowsRead, r.Written, string(errs), r.Digest)
		if err != nil {
			return db.dialect.mapError(err, connectorWhat(r.Connector))
		}
		r.ID = id
		ids := map[string]int64{}
		for i := range figs {
			g := &figs[i]
			ind, ok := ids[g.Indicator]
			if !ok {
				if ind, err = indicatorID(ctx, tx, g.Indicator); err != nil {
					return err
				}
				ids[g.Indicator] = ind
			}
			g.Run, g.Connector = id, r.Connector
			// An upsert: two connectors may write the same indicator's period at once.
			if _, err := tx.exec(ctx, `INSERT INTO connector_figures (indicator_id, date, period, value, connector_id, run_id, approved, written_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (indicator_id, date) DO UPDATE SET period = excluded.period, value = excluded.value,
				connector_id = excluded.connector_id, run_id = excluded.run_id, approved = excluded.approved, written_at = excluded.written_at`,
				ind, g.Date, g.Period, g.Value, g.Connector, id, boolInt(g.Approved), tx.stamp()); err != nil {
				return err
			}
		}
		switch r.Outcome {
		case tinhso.RunFailed:
			_, err = tx.exec(ctx, `UPDATE connectors SET failures = failures + 1 WHERE id = ?`, r.Connector)
		case tinhso.RunOK, tinhso.RunUnchanged:
			_, err = tx.exec(ctx, `UPDATE connectors SET failures = 0, digest = ? WHERE id = ?`, r.Digest, r.Connector)
		}
		return err
	})
}

// FindConnectorRuns lists a connector's runs, newest first.
func (db *DB) FindConnectorRuns(ctx context.Context, connector int64, limit int) ([]*tinhso.ConnectorRun, error) {
	if limit <= 0 {
		limit = 50
	}
	var out []*tinhso.ConnectorRun
	err := db.readTx(ctx, func(tx *Tx) error {
		var err error
		out, err = queryAll(ctx, tx, scanRun, `SELECT `+runCols+` FROM connector_runs r WHERE r.connector_id = ? ORDER BY r.id DESC LIMIT ?`, connector, limit)
		return err
	})
	return out, err
}

// FindConnectorFigures lists the figures connectors wrote for an indicator, by date.
func (db *DB) FindConnectorFigures(ctx context.Context, indicator string) ([]tinhso.ConnectorFigure, error) {
	var out []tinhso.ConnectorFigure
	err := db.readTx(ctx, func(tx *Tx) error {
		var err error
		out, err = queryAll(ctx, tx, func(s scanner) (tinhso.ConnectorFigure, error) {
			var g tinhso.ConnectorFigure
			var ap int
			err := s.Scan(&g.Indicator, &g.Date, &g.Period, &g.Value, &g.Connector, &g.Run, &ap)
			g.Approved = ap != 0
			return g, err
		}, `SELECT i.key, g.date, g.period, g.value, g.connector_id, g.run_id, g.approved FROM connector_figures g
			JOIN indicators i ON i.id = g.indicator_id WHERE i.key = ? ORDER BY g.date`, indicator)
		return err
	})
	return out, err
}

// connectorFigures reads the approved connector figures for the figure path, with the
// run that wrote each.
func connectorFigures(ctx context.Context, tx *Tx, cond string, args []any) ([]tinhso.IndicatorFigure, error) {
	return queryAll(ctx, tx, func(s scanner) (tinhso.IndicatorFigure, error) {
		var x tinhso.IndicatorFigure
		var v float64
		var tr tinhso.FigureRun
		err := s.Scan(&x.Indicator, &x.Date, &x.Period, &v, &tr.Connector, &tr.Run)
		x.Value, x.Source, x.Run = &v, tinhso.FigureConnector, &tr
		return x, err
	}, `SELECT i.key, g.date, g.period, g.value, c.name, g.run_id FROM connector_figures g JOIN indicators i ON i.id = g.indicator_id
		JOIN connectors c ON c.id = g.connector_id WHERE g.approved = 1`+cond+` ORDER BY `+tx.db.dialect.byteOrder("i.key")+`, g.date`, args...)
}
