package app

import (
	"context"
	"math"
	"strconv"
	"time"

	"github.com/tinhso/tinhso"
)

// Proposals: verified companies propose solutions to big problems, within limits per
// company and per client address.

// ProposalLimits bound how many proposals are accepted within Window: PerCompany from
// one business account, PerAddress from one client address (offices share one). Zero
// or less: no limit.
type ProposalLimits struct {
	PerCompany int
	PerAddress int
	Window     time.Duration
}

// DefaultProposalLimits are the limits an App starts with.
var DefaultProposalLimits = ProposalLimits{PerCompany: 5, PerAddress: 20, Window: 24 * time.Hour}

// ProposalLimits returns the proposal limits.
func (a *App) ProposalLimits() ProposalLimits {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.limits
}

// SetProposalLimits changes the proposal limits; counts made so far stay.
func (a *App) SetProposalLimits(l ProposalLimits) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.limits = l
}

// LimitError refuses a proposal over a limit: Wait is how long until one more fits.
type LimitError struct {
	Wait    time.Duration
	Company bool // the company's limit (else the address's)
	Limit   int
	Window  time.Duration
}

func (e *LimitError) Error() string { return e.Message().String() }

// Message says the limit and when to try again: the window in hours, the wait in
// minutes (at least one).
func (e *LimitError) Message() tinhso.Message {
	key := "err.proposing.limit_address"
	if e.Company {
		key = "err.proposing.limit_company"
	}
	return tinhso.M(key, e.Limit, int(math.Round(e.Window.Hours())), max(1, int(math.Ceil(e.Wait.Minutes()))))
}

// Seconds is Wait in whole seconds, at least 1 (for Retry-After).
func (e *LimitError) Seconds() int { return max(1, int(math.Ceil(e.Wait.Seconds()))) }

// ProposalDraft is what a company writes; ContactEmail defaults to the account's email.
type ProposalDraft struct {
	Title, Summary, Approach, ContactEmail string
}

// Propose checks and stores a proposal of u to a problem: a verified business account,
// valid text, within the limits (*LimitError) counted at now for u and address. A
// refused proposal stores and counts nothing.
func (a *App) Propose(ctx context.Context, u *tinhso.User, problem int64, in ProposalDraft, address string, now time.Time) (*tinhso.Proposal, error) {
	if u == nil || u.Role != tinhso.RoleBusiness {
		return nil, tinhso.Errorf(tinhso.EFORBIDDEN, "err.proposing.company_only")
	}
	if !u.Verified {
		return nil, tinhso.Errorf(tinhso.EFORBIDDEN, "err.proposing.not_verified")
	}
	if in.ContactEmail == "" {
		in.ContactEmail = u.Email
	}
	x := &tinhso.Proposal{Problem: problem, UserID: u.ID, Company: u.Name, Title: in.Title, Summary: in.Summary, Approach: in.Approach,
		ContactEmail: in.ContactEmail, Status: tinhso.ProposalSubmitted}
	if err := x.Validate(); err != nil {
		return nil, err
	}
	lim := a.ProposalLimits()
	keys := []string{"company:" + strconv.FormatInt(u.ID, 10), "address:" + address}
	wait, which, err := a.quota.Take(ctx, now, lim.Window, keys, []int{lim.PerCompany, lim.PerAddress})
	if err != nil {
		return nil, err
	}
	if wait > 0 {
		limit := lim.PerCompany
		if which == 1 {
			limit = lim.PerAddress
		}
		return nil, &LimitError{Wait: wait, Company: which == 0, Limit: limit, Window: lim.Window}
	}
	if err := a.store.CreateProposal(ctx, x); err != nil {
		if gerr := a.quota.Give(ctx, now, keys); gerr != nil {
			a.log.Warn("give back a proposal's quota", "error", gerr)
		}
		return nil, err
	}
	return x, nil
}

// ProposalShownTo is a proposal as a reader sees it: the company's contact, account
// and the moderation details only to the company itself and to moderators.
func ProposalShownTo(x *tinhso.Proposal, u *tinhso.User, moderator bool) *tinhso.Proposal {
	if moderator || u != nil && u.ID == x.UserID {
		return x
	}
	c := *x
	c.ContactEmail, c.SubmittedBy, c.RejectReason, c.ModeratedBy = "", "", "", ""
	return &c
}

// ProposalVisible reports whether a reader may see a proposal at all.
func ProposalVisible(x *tinhso.Proposal, u *tinhso.User, moderator bool) bool {
	return moderator || x.Status == tinhso.ProposalPublished || x.Status == tinhso.ProposalCommissioned || u != nil && u.ID == x.UserID
}

// ModerateProposal publishes or rejects (with the reason the company reads) a proposal
// at version (0: any). Publishing the first proposal of an open problem moves the
// problem to "proposals"; a problem past that keeps its status. Both are audited.
func (a *App) ModerateProposal(ctx context.Context, id int64, transition, reason string, version int) (*tinhso.Proposal, error) {
	var out *tinhso.Proposal
	err := a.store.ProposalTx(ctx, func(tx tinhso.ProposalTx) error {
		before, err := tx.FindProposal(ctx, id)
		if err != nil {
			return err
		}
		next, err := tinhso.ProposalNext(before.Status, transition)
		if err != nil {
			return err
		}
		if transition == tinhso.TransReject {
			if err := tinhso.ValidRejectReason(reason); err != nil {
				return err
			}
		} else {
			reason = ""
		}
		if err := tx.Moderate(ctx, id, next, reason, version); err != nil {
			return err
		}
		if next == tinhso.ProposalPublished {
			status, err := tx.ProblemStatus(ctx, before.Problem)
			if err != nil {
				return err
			}
			if status == "open" {
				if err := tx.SetProblemStatus(ctx, before.Problem, "proposals"); err != nil {
					return err
				}
				if err := tx.Audit(ctx, "problem.status", "problem", strconv.FormatInt(before.Problem, 10),
					map[string]any{"status": status}, map[string]any{"status": "proposals", "reason": "first proposal published"}); err != nil {
					return err
				}
			}
		}
		if out, err = tx.FindProposal(ctx, id); err != nil {
			return err
		}
		return tx.Audit(ctx, "proposal."+transition, "proposal", strconv.FormatInt(id, 10),
			map[string]any{"status": before.Status, "version": before.Version},
			map[string]any{"status": next, "reason": reason, "version": out.Version})
	})
	return out, err
}
