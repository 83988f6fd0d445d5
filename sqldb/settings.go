package sqldb

import (
	"context"
	"database/sql"
	"errors"

	"github.com/tinhso/tinhso"
)

// Setting reads a stored setting; ok is false when it is not set.
func (db *DB) Setting(ctx context.Context, name string) (value string, ok bool, err error) {
	err = db.readTx(ctx, func(tx *Tx) error {
		return tx.queryRow(ctx, `SELECT value FROM settings WHERE name = ?`, name).Scan(&value)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	return value, err == nil, err
}

// SetSetting stores a setting, replacing any value it had.
func (db *DB) SetSetting(ctx context.Context, name, value string) error {
	return db.writeTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `DELETE FROM settings WHERE name = ?`, name); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `INSERT INTO settings (name, value) VALUES (?, ?)`, name, value)
		return err
	})
}

// SeedLoaded reports whether the named seed data set was loaded already.
func (db *DB) SeedLoaded(ctx context.Context, name string) (bool, error) {
	var n int
	err := db.readTx(ctx, func(tx *Tx) error {
		return tx.queryRow(ctx, `SELECT COUNT(*) FROM seed_loads WHERE name = ?`, name).Scan(&n)
	})
	return n > 0, err
}

// MarkSeedLoaded records that a seed data set was loaded; call it in the load's transaction.
func (db *DB) MarkSeedLoaded(ctx context.Context, name, checksum string) error {
	return db.writeTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `INSERT INTO seed_loads (name, checksum, loaded_at) VALUES (?, ?, ?)`, name, checksum, tx.stamp())
		return tx.db.dialect.mapError(err, tinhso.M("what.seed", name))
	})
}
