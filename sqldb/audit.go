package sqldb

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/tinhso/tinhso"
)

// appendAudit writes one audit record in the transaction, chained to the last one. The
// named lock keeps two writers from taking the same sequence number on PostgreSQL;
// SQLite has one writer.
func appendAudit(ctx context.Context, tx *Tx, action, entity, entityID string, before, after any) error {
	if err := tx.db.dialect.lock(ctx, tx, "tinhso-audit"); err != nil {
		return err
	}
	// The chain continues from its kept head, not from what the table holds last: a
	// record cut from the end stays a gap the next check finds.
	var seq int64
	var prev, head string
	if err := tx.queryRow(ctx, `SELECT value FROM settings WHERE name = 'audit_head'`).Scan(&head); err == nil {
		n, h, _ := strings.Cut(head, ":")
		seq, _ = strconv.ParseInt(n, 10, 64)
		prev = h
	} else if err := tx.queryRow(ctx, `SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&seq, &prev); err != nil {
		seq, prev = 0, ""
	}
	actor := tinhso.ActorFrom(ctx)
	rec := tinhso.AuditRecord{Seq: seq + 1, At: tx.now, Actor: actor.Username, Address: actor.Address, Action: action,
		Entity: entity, EntityID: entityID, Before: rawJSON(before), After: rawJSON(after), PrevHash: prev}
	rec.Hash = rec.ComputeHash()
	if _, err := tx.exec(ctx, `INSERT INTO audit_log (seq, at, actor, address, action, entity, entity_id, before, after, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, rec.Seq, rec.At.Format(timeFormat), rec.Actor, rec.Address, rec.Action, rec.Entity, rec.EntityID,
		string(rec.Before), string(rec.After), rec.PrevHash, rec.Hash); err != nil {
		return err
	}
	// The head of the chain is kept apart from the log, so records cut from its end
	// (or the whole log emptied) show.
	if _, err := tx.exec(ctx, `DELETE FROM settings WHERE name = 'audit_head'`); err != nil {
		return err
	}
	_, err := tx.exec(ctx, `INSERT INTO settings (name, value) VALUES ('audit_head', ?)`, strconv.FormatInt(rec.Seq, 10)+":"+rec.Hash)
	return err
}

func rawJSON(v any) json.RawMessage {
	if v == nil {
		return json.RawMessage("null")
	}
	b, err := json.Marshal(v)
	if err != nil {
		return json.RawMessage("null")
	}
	return b
}

func scanAudit(s interface{ Scan(...any) error }) (tinhso.AuditRecord, error) {
	var r tinhso.AuditRecord
	var at, before, after string
	err := s.Scan(&r.Seq, &at, &r.Actor, &r.Address, &r.Action, &r.Entity, &r.EntityID, &before, &after, &r.PrevHash, &r.Hash)
	r.At, r.Before, r.After = parseStamp(at), json.RawMessage(before), json.RawMessage(after)
	return r, err
}

const auditCols = "seq, at, actor, address, action, entity, entity_id, before, after, prev_hash, hash"

// FindAudit lists audit records, newest first.
func (db *DB) FindAudit(ctx context.Context, f tinhso.AuditFilter) ([]tinhso.AuditRecord, int, error) {
	var out []tinhso.AuditRecord
	var total int
	err := db.readTx(ctx, func(tx *Tx) error {
		var w where
		if f.Entity != "" {
			w.add("entity = ?", f.Entity)
		}
		if f.EntityID != "" {
			w.add("entity_id = ?", f.EntityID)
		}
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM audit_log`+w.String(), w.args...).Scan(&total); err != nil {
			return err
		}
		lim, largs := limitClause(f.Page)
		list, err := queryAll(ctx, tx, scanAudit, `SELECT `+auditCols+` FROM audit_log`+w.String()+` ORDER BY seq DESC`+lim, append(w.args, largs...)...)
		out = list
		return err
	})
	return out, total, err
}

// VerifyAudit reads the whole chain in order, in pages, and checks every link.
func (db *DB) VerifyAudit(ctx context.Context) (int, error) {
	checked := 0
	err := db.readTx(ctx, func(tx *Tx) error {
		prev := ""
		var after int64
		for {
			rows, err := tx.query(ctx, `SELECT `+auditCols+` FROM audit_log WHERE seq > ? ORDER BY seq LIMIT 1000`, after)
			if err != nil {
				return err
			}
			var batch []tinhso.AuditRecord
			for rows.Next() {
				r, err := scanAudit(rows)
				if err != nil {
					rows.Close()
					return err
				}
				batch = append(batch, r)
			}
			rows.Close()
			if len(batch) == 0 {
				return checkHead(ctx, tx, int64(checked), prev)
			}
			for i, r := range batch {
				if r.Seq != int64(checked+i+1) {
					checked += i
					return tinhso.Errorf(tinhso.ECONFLICT, "err.audit.missing", checked+1)
				}
			}
			n, err := tinhso.VerifyChain(prev, batch)
			checked += n
			if err != nil {
				return err
			}
			prev, after = batch[len(batch)-1].Hash, batch[len(batch)-1].Seq
		}
	})
	return checked, err
}

// checkHead compares the end of the chain with the head kept apart from it.
func checkHead(ctx context.Context, tx *Tx, last int64, lastHash string) error {
	var head string
	if err := tx.queryRow(ctx, `SELECT value FROM settings WHERE name = 'audit_head'`).Scan(&head); err != nil {
		if last == 0 {
			return nil // nothing was ever audited
		}
		return tinhso.Errorf(tinhso.ECONFLICT, "err.audit.no_head")
	}
	want := strconv.FormatInt(last, 10) + ":" + lastHash
	if head != want {
		seq, _, _ := strings.Cut(head, ":")
		return tinhso.Errorf(tinhso.ECONFLICT, "err.audit.head", last, seq)
	}
	return nil
}
