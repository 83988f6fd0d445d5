package sqldb

import "context"

// MergeChunks exposes mergeChunks to the black-box tests.
var MergeChunks = mergeChunks

// SetLogPressure sets the size of ts_log past which old chunks are folded.
func SetLogPressure(n int64) { logPressure = n }

// Exec runs one statement in its own write transaction, for tests that build large
// fixtures faster than the store's one-record methods can.
func (db *DB) Exec(q string, args ...any) error {
	return db.writeTx(context.Background(), func(tx *Tx) error {
		_, err := tx.exec(context.Background(), q, args...)
		return err
	})
}
