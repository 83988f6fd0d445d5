package api

import (
	"errors"
	"math"
	"net/http"
	"strconv"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/httpx"
)

// Proposals: verified companies propose solutions to big problems; reviewers publish
// or reject them; the public reads the published ones. Proposing is rate-limited per
// company and per client address (app.ProposalLimits).

// proposalInput is what a company writes. contact_email defaults to the account's email.
type proposalInput struct {
	Title        string `json:"title"`
	Summary      string `json:"summary"`
	Approach     string `json:"approach"`
	ContactEmail string `json:"contact_email"`
}

// rejectInput is a moderator's reason for rejecting a proposal.
type rejectInput struct {
	Reason string `json:"reason"`
}

func (a *API) proposalRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "POST", Path: "/api/v1/problems/{id}/proposals",
			Summary: "Propose a solution to a big problem (a verified company's account); it is published after moderation. Rate-limited per company and per address (429 with Retry-After)",
			Action:  tinhso.ActPropose, Body: proposalInput{}, Resp: tinhso.Proposal{}, Status: 201, Handler: a.propose},
		{Method: "GET", Path: "/api/v1/problems/{id}/proposals",
			Summary: "A big problem's proposals: the published ones (a company also sees its own; reviewers and admins every one, by status)",
			List:    true, Resp: tinhso.Proposal{}, Query: []httpx.Param{{Name: "status", Type: "string", Desc: "submitted, published, rejected, commissioned"}},
			Handler: a.problemProposals},
		{Method: "GET", Path: "/api/v1/proposals", Summary: "The moderation queue: proposals by status (default submitted, oldest first; status=all for every one)",
			Action: tinhso.ActModerate, List: true, Resp: tinhso.Proposal{},
			Query:   []httpx.Param{{Name: "status", Type: "string", Desc: "submitted (default), published, rejected, commissioned, all"}, {Name: "problem", Type: "integer", Desc: "a problem's id"}},
			Handler: a.moderationQueue},
		{Method: "GET", Path: "/api/v1/proposals/{id}", Summary: "A proposal: published ones for everyone, the company's own, every one for reviewers and admins",
			Resp: tinhso.Proposal{}, Handler: a.getProposal},
		{Method: "POST", Path: "/api/v1/proposals/{id}/publish",
			Summary: "Publish a proposal (reviewer or admin); the first published proposal of an open problem moves it to \"proposals\"",
			Action:  tinhso.ActModerate, Resp: tinhso.Proposal{}, Handler: a.publish},
		{Method: "POST", Path: "/api/v1/proposals/{id}/reject", Summary: "Reject a proposal, or take a published one down, with the reason the company reads (reviewer or admin)",
			Action: tinhso.ActModerate, Body: rejectInput{}, Resp: tinhso.Proposal{}, Handler: a.reject},
	}
}

func (a *API) propose(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.IDParam(r)
	if failed(w, r, err) {
		return
	}
	var in proposalInput
	if err := a.decode(w, r, &in, nil); failed(w, r, err) {
		return
	}
	x, err := a.app.Propose(a.actor(r), user(r), id, app.ProposalDraft{Title: in.Title, Summary: in.Summary, Approach: in.Approach, ContactEmail: in.ContactEmail},
		a.auth.ClientAddr(r), a.cfg.Now())
	var le *app.LimitError
	if errors.As(err, &le) {
		m := le.Message()
		httpx.TooManyRequests(w, r, le.Seconds(), tinhso.Errorf("too_many_requests", m.Key, m.Args...))
		return
	} else if failed(w, r, err) {
		return
	}
	w.Header().Set("Location", "/api/v1/proposals/"+strconv.FormatInt(x.ID, 10))
	httpx.WriteVersioned(w, http.StatusCreated, x.Version, x)
}

// reader is who reads proposals: the user (nil: the public), and whether it may read
// every proposal. A session that ended or must change its password reads as the
// public; credentials that are wrong are an error.
func (a *API) reader(w http.ResponseWriter, r *http.Request) (*tinhso.User, bool, error) {
	c, err := a.auth.Identify(r)
	if err == httpx.ErrSessionEnded {
		a.auth.ClearSessionCookie(w, r)
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	if c == nil || c.Session != nil && c.User.MustChangePassword {
		return nil, false, nil
	}
	return c.User, c.May(tinhso.ActModerate), nil
}

func (a *API) problemProposals(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.IDParam(r)
	if failed(w, r, err) {
		return
	}
	q := httpx.NewQuery(r)
	f := tinhso.ProposalFilter{Problem: id, Status: q.OneOf("status", tinhso.ProposalStatuses), Page: q.Page()}
	if err := q.Done(); failed(w, r, err) {
		return
	}
	u, moderator, err := a.reader(w, r)
	if failed(w, r, err) {
		return
	}
	switch {
	case moderator:
	case u != nil && u.Role == tinhso.RoleBusiness:
		f.Viewer = u.ID
	case f.Status == "":
		f.Status = tinhso.ProposalPublished
	case f.Status != tinhso.ProposalPublished && f.Status != tinhso.ProposalCommissioned:
		httpx.Error(w, r, tinhso.Errorf(tinhso.EFORBIDDEN, "err.api.proposals_read", f.Status))
		return
	}
	if _, err := a.store.FindProblem(r.Context(), id); err != nil {
		httpx.Error(w, r, err)
		return
	}
	list, total, err := a.store.FindProposals(r.Context(), f)
	if failed(w, r, err) {
		return
	}
	for i, x := range list {
		list[i] = app.ProposalShownTo(x, u, moderator)
	}
	httpx.WriteList(w, list, total, f.Page)
}

func (a *API) moderationQueue(w http.ResponseWriter, r *http.Request) {
	q := httpx.NewQuery(r)
	f := tinhso.ProposalFilter{Status: q.OneOf("status", append([]string{"all"}, tinhso.ProposalStatuses...)), Problem: int64(q.Int("problem", 1, math.MaxInt32)), Page: q.Page()}
	if err := q.Done(); failed(w, r, err) {
		return
	}
	switch f.Status {
	case "":
		f.Status = tinhso.ProposalSubmitted
	case "all":
		f.Status = ""
	}
	list, total, err := a.store.FindProposals(r.Context(), f)
	if failed(w, r, err) {
		return
	}
	httpx.WriteList(w, list, total, f.Page)
}

func (a *API) getProposal(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.IDParam(r)
	if failed(w, r, err) {
		return
	}
	u, moderator, err := a.reader(w, r)
	if failed(w, r, err) {
		return
	}
	x, err := a.store.FindProposal(r.Context(), id)
	if err == nil && !app.ProposalVisible(x, u, moderator) {
		// An unpublished proposal is not there for others: its id reveals nothing.
		err = tinhso.Errorf(tinhso.ENOTFOUND, "err.proposal.not_found", id)
	}
	if failed(w, r, err) {
		return
	}
	httpx.WriteVersioned(w, http.StatusOK, x.Version, app.ProposalShownTo(x, u, moderator))
}

func (a *API) publish(w http.ResponseWriter, r *http.Request) { a.moderate(w, r, tinhso.TransPublish) }
func (a *API) reject(w http.ResponseWriter, r *http.Request)  { a.moderate(w, r, tinhso.TransReject) }

// moderate publishes or rejects (with the reason) a proposal.
func (a *API) moderate(w http.ResponseWriter, r *http.Request, transition string) {
	id, err := httpx.IDParam(r)
	if failed(w, r, err) {
		return
	}
	version, err := httpx.IfMatch(r)
	if failed(w, r, err) {
		return
	}
	var in rejectInput
	if transition == tinhso.TransReject {
		if err := a.decode(w, r, &in, nil); failed(w, r, err) {
			return
		}
	}
	x, err := a.app.ModerateProposal(a.actor(r), id, transition, in.Reason, version)
	if failed(w, r, err) {
		return
	}
	httpx.WriteVersioned(w, http.StatusOK, x.Version, x)
}
