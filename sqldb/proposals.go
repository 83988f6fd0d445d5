package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"strconv"

	"github.com/tinhso/tinhso"
)

// Proposals from companies against big problems (migration 0004).

const proposalCols = `x.id, x.problem_id, p.key, x.user_id, x.company, u.username, x.title, x.summary, x.approach, x.contact_email,
	x.status, x.reject_reason, x.moderated_by, x.moderated_at, x.version, x.created_at, x.updated_at`
const proposalFrom = ` FROM proposals x JOIN problems p ON p.id = x.problem_id JOIN users u ON u.id = x.user_id`

func scanProposal(s interface{ Scan(...any) error }) (*tinhso.Proposal, error) {
	x := &tinhso.Proposal{}
	var moderated sql.NullString
	var ca, ua string
	if err := s.Scan(&x.ID, &x.Problem, &x.ProblemKey, &x.UserID, &x.Company, &x.SubmittedBy, &x.Title, &x.Summary, &x.Approach, &x.ContactEmail,
		&x.Status, &x.RejectReason, &x.ModeratedBy, &moderated, &x.Version, &ca, &ua); err != nil {
		return nil, err
	}
	x.ModeratedAt = scanNullStamp(moderated)
	x.CreatedAt, x.UpdatedAt = parseStamp(ca), parseStamp(ua)
	return x, nil
}

func findProposal(ctx context.Context, tx *Tx, id int64) (*tinhso.Proposal, error) {
	x, err := scanProposal(tx.queryRow(ctx, `SELECT `+proposalCols+proposalFrom+` WHERE x.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tinhso.Errorf(tinhso.ENOTFOUND, "err.proposal.not_found", id)
	}
	return x, err
}

// CreateProposal stores a new proposal as submitted, and records it in the audit log.
func (db *DB) CreateProposal(ctx context.Context, x *tinhso.Proposal) error {
	x.Status = tinhso.ProposalSubmitted
	if err := x.Validate(); err != nil {
		return err
	}
	return db.writeTx(ctx, func(tx *Tx) error {
		var status string
		if err := tx.queryRow(ctx, `SELECT status FROM problems WHERE id = ?`, x.Problem).Scan(&status); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return tinhso.Errorf(tinhso.ENOTFOUND, "err.problem.not_found", x.Problem)
			}
			return err
		}
		if !tinhso.TakesProposals(status) {
			return tinhso.Errorf(tinhso.ECONFLICT, "err.proposal.closed", tinhso.M("word.problem."+status))
		}
		var role string
		var verified int
		if err := tx.queryRow(ctx, `SELECT role, verified FROM users WHERE id = ?`, x.UserID).Scan(&role, &verified); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return tinhso.Errorf(tinhso.ENOTFOUND, "err.user.not_found", x.UserID)
			}
			return err
		}
		// The handler checks this too; the store keeps the rule whoever calls it.
		if role != tinhso.RoleBusiness || verified == 0 {
			return tinhso.Errorf(tinhso.EFORBIDDEN, "err.proposal.unverified")
		}
		now := authStamp(tx.now)
		id, err := tx.insert(ctx, `INSERT INTO proposals (problem_id, user_id, company, title, summary, approach, contact_email, status,
			version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
			x.Problem, x.UserID, x.Company, x.Title, x.Summary, x.Approach, x.ContactEmail, x.Status, now, now)
		if err != nil {
			return db.dialect.mapError(err, tinhso.M("what.the_proposal"))
		}
		stored, err := findProposal(ctx, tx, id)
		if err != nil {
			return err
		}
		*x = *stored
		return appendAudit(ctx, tx, "proposal.create", "proposal", strconv.FormatInt(id, 10), nil, x)
	})
}

// FindProposals lists proposals in the order they came.
func (db *DB) FindProposals(ctx context.Context, f tinhso.ProposalFilter) ([]*tinhso.Proposal, int, error) {
	var out []*tinhso.Proposal
	var total int
	err := db.readTx(ctx, func(tx *Tx) error {
		var w where
		if f.Problem != 0 {
			w.add("x.problem_id = ?", f.Problem)
		}
		if f.Status != "" {
			w.add("x.status = ?", f.Status)
		}
		if f.UserID != 0 {
			w.add("x.user_id = ?", f.UserID)
		}
		if f.Viewer != 0 {
			w.add("(x.status = ? OR x.user_id = ?)", tinhso.ProposalPublished, f.Viewer)
		}
		if err := tx.queryRow(ctx, `SELECT COUNT(*)`+proposalFrom+w.String(), w.args...).Scan(&total); err != nil {
			return err
		}
		lim, largs := limitClause(f.Page)
		list, err := queryAll(ctx, tx, scanProposal, `SELECT `+proposalCols+proposalFrom+w.String()+` ORDER BY x.id`+lim, append(w.args, largs...)...)
		out = list
		return err
	})
	return out, total, err
}

// FindProposal returns a proposal by id.
func (db *DB) FindProposal(ctx context.Context, id int64) (*tinhso.Proposal, error) {
	var x *tinhso.Proposal
	err := db.readTx(ctx, func(tx *Tx) error {
		var err error
		x, err = findProposal(ctx, tx, id)
		return err
	})
	return x, err
}

// ProposalTx runs fn in one write transaction (the context's, when it carries one).
func (db *DB) ProposalTx(ctx context.Context, fn func(tx tinhso.ProposalTx) error) error {
	return db.writeTx(ctx, func(tx *Tx) error { return fn(proposalTx{tx}) })
}

// proposalTx is a write transaction as the proposal workflows see it.
type proposalTx struct{ tx *Tx }

func (p proposalTx) FindProposal(ctx context.Context, id int64) (*tinhso.Proposal, error) {
	return findProposal(ctx, p.tx, id)
}

func (p proposalTx) Moderate(ctx context.Context, id int64, status, reason string, version int) error {
	tx := p.tx
	now, actor := authStamp(tx.now), tinhso.ActorFrom(ctx).Username
	q, args := `UPDATE proposals SET status = ?, reject_reason = ?, moderated_by = ?, moderated_at = ?, version = version + 1, updated_at = ? WHERE id = ?`,
		[]any{status, reason, actor, now, now, id}
	if version != 0 {
		q, args = q+` AND version = ?`, append(args, version)
	}
	res, err := tx.exec(ctx, q, args...)
	if err != nil {
		return tx.db.dialect.mapError(err, tinhso.M("what.the_proposal"))
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != 1 {
		if err := checkVersion(ctx, tx, "proposals", id, version, tinhso.M("what.proposal")); err != nil {
			return err
		}
		return tinhso.Errorf(tinhso.ECONFLICT, "err.db.retry")
	}
	return nil
}

func (p proposalTx) ProblemStatus(ctx context.Context, problem int64) (string, error) {
	var status string
	err := p.tx.queryRow(ctx, `SELECT status FROM problems WHERE id = ?`, problem).Scan(&status)
	return status, err
}

func (p proposalTx) SetProblemStatus(ctx context.Context, problem int64, status string) error {
	if err := claimVersion(ctx, p.tx, "problems", problem, 0, tinhso.M("what.problem")); err != nil {
		return err
	}
	_, err := p.tx.exec(ctx, `UPDATE problems SET status = ? WHERE id = ?`, status, problem)
	return err
}

func (p proposalTx) Audit(ctx context.Context, action, entity, id string, before, after any) error {
	return appendAudit(ctx, p.tx, action, entity, id, before, after)
}
