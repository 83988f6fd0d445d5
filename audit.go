package tinhso

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// AuditRecord is one entry of the append-only audit log: who did what, when, from
// where, to which record, with the record before and after. Each entry carries the
// hash of the one before it, so a changed or removed entry breaks the chain.
type AuditRecord struct {
	Seq      int64           `json:"seq"`
	At       time.Time       `json:"at"`
	Actor    string          `json:"actor"`   // username, or "system"
	Address  string          `json:"address"` // the client's address
	Action   string          `json:"action"`  // e.g. "submission.submit"
	Entity   string          `json:"entity"`  // e.g. "submission"
	EntityID string          `json:"entity_id"`
	Before   json.RawMessage `json:"before,omitempty"`
	After    json.RawMessage `json:"after,omitempty"`
	PrevHash string          `json:"prev_hash"`
	Hash     string          `json:"hash"`
}

// ComputeHash returns the hash of the record's content and its predecessor's hash.
func (a *AuditRecord) ComputeHash() string {
	h := sha256.New()
	for _, part := range []string{a.PrevHash, strconv.FormatInt(a.Seq, 10), a.At.UTC().Format(time.RFC3339Nano), a.Actor, a.Address,
		a.Action, a.Entity, a.EntityID, string(a.Before), string(a.After)} {
		// Length-prefixed, so no two different records hash alike by shifting text.
		h.Write([]byte(strconv.Itoa(len(part)) + ":" + part + "\n"))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// VerifyChain checks a run of records in sequence order, starting after prevHash:
// each links to the one before and hashes to what it says. It returns the number of
// records checked and an error naming the first that fails.
func VerifyChain(prevHash string, records []AuditRecord) (int, error) {
	for i, r := range records {
		if r.PrevHash != prevHash {
			return i, Errorf(ECONFLICT, "err.audit.broken", r.Seq, r.Seq-1)
		}
		if r.ComputeHash() != r.Hash {
			return i, Errorf(ECONFLICT, "err.audit.changed", r.Seq)
		}
		prevHash = r.Hash
	}
	return len(records), nil
}

// Clip shortens text for messages.
func Clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n])) + "…"
}
