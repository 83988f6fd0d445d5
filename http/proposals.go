package http

import (
	"errors"
	"math"
	"net/http"
	"strconv"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
)

// Proposals: verified companies propose solutions to big problems; reviewers publish
// or reject them; the public reads the published ones. Proposing is rate-limited per
// company and per client address (counted in each node's memory, like sign-in
// failures).

// ProposalLimits bound how many proposals are accepted (app.ProposalLimits).
type ProposalLimits = app.ProposalLimits

// DefaultProposalLimits are the limits a server starts with.
var DefaultProposalLimits = app.DefaultProposalLimits

// ProposalLimits returns the server's proposal limits.
func (s *Server) ProposalLimits() ProposalLimits { return s.app.ProposalLimits() }

// SetProposalLimits changes the server's proposal limits (DefaultProposalLimits until
// then); counts made so far stay.
func (s *Server) SetProposalLimits(l ProposalLimits) { s.app.SetProposalLimits(l) }

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

// tooManyProposals answers 429 with Retry-After.
func tooManyProposals(w http.ResponseWriter, e *app.LimitError) {
	w.Header().Set("Retry-After", strconv.Itoa(e.Seconds()))
	writeJSON(w, http.StatusTooManyRequests, errorBody{Code: "too_many_requests", Error: e.Error()})
}

// propose stores a proposal of the caller to a problem (app.Propose), counted for the
// caller's company and address.
func (s *Server) propose(r *http.Request, problem int64, in proposalInput) (*tinhso.Proposal, error) {
	return s.app.Propose(actorCtx(r), userFrom(r.Context()), problem,
		app.ProposalDraft{Title: in.Title, Summary: in.Summary, Approach: in.Approach, ContactEmail: in.ContactEmail}, s.clientAddr(r), s.Now())
}

// proposalReader is who reads proposals: the user (nil: the public), and whether it
// may read every proposal. A session that ended or must change its password reads as
// the public; credentials that are wrong are an error.
func (s *Server) proposalReader(w http.ResponseWriter, r *http.Request) (*tinhso.User, bool, error) {
	c, err := s.identify(r)
	if err == errSessionEnded {
		s.clearSessionCookie(w, r)
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	if c == nil || c.session != nil && c.user.MustChangePassword {
		return nil, false, nil
	}
	return c.user, c.user.Can(tinhso.ActModerate) && (c.token == nil || c.token.Allows(tinhso.ActModerate)), nil
}

// shownTo is a proposal as a reader sees it: the company's contact, account and the
// moderation details only to the company itself and to moderators.
func shownTo(x *tinhso.Proposal, u *tinhso.User, moderator bool) *tinhso.Proposal {
	if moderator || u != nil && u.ID == x.UserID {
		return x
	}
	c := *x
	c.ContactEmail, c.SubmittedBy, c.RejectReason, c.ModeratedBy = "", "", "", ""
	return &c
}

// visible reports whether a reader may see a proposal at all.
func visible(x *tinhso.Proposal, u *tinhso.User, moderator bool) bool {
	return moderator || x.Status == tinhso.ProposalPublished || x.Status == tinhso.ProposalCommissioned || u != nil && u.ID == x.UserID
}

func (s *Server) registerProposals() {
	store := s.store

	s.handle(route{method: "POST", path: "/api/v1/problems/{id}/proposals",
		summary: "Propose a solution to a big problem (a verified company's account); it is published after moderation. Rate-limited per company and per address (429 with Retry-After)",
		action:  tinhso.ActPropose, body: proposalInput{}, resp: tinhso.Proposal{}, status: 201},
		func(w http.ResponseWriter, r *http.Request) {
			id, err := idParam(r)
			if err != nil {
				Error(w, r, err)
				return
			}
			var in proposalInput
			if err := s.decode(w, r, &in, nil); err != nil {
				Error(w, r, err)
				return
			}
			x, err := s.propose(r, id, in)
			var le *app.LimitError
			if errors.As(err, &le) {
				tooManyProposals(w, le)
				return
			} else if err != nil {
				Error(w, r, err)
				return
			}
			w.Header().Set("Location", "/api/v1/proposals/"+strconv.FormatInt(x.ID, 10))
			writeVersioned(w, http.StatusCreated, x.Version, x)
		})

	s.handle(route{method: "GET", path: "/api/v1/problems/{id}/proposals",
		summary: "A big problem's proposals: the published ones (a company also sees its own; reviewers and admins every one, by status)",
		list:    true, resp: tinhso.Proposal{}, query: append([]param{{"status", "string", "submitted, published, rejected, commissioned"}}, pageParams...)},
		func(w http.ResponseWriter, r *http.Request) {
			id, err := idParam(r)
			if err != nil {
				Error(w, r, err)
				return
			}
			q := newQuery(r)
			f := tinhso.ProposalFilter{Problem: id, Status: q.oneOf("status", tinhso.ProposalStatuses), Page: q.page()}
			if err := q.done(); err != nil {
				Error(w, r, err)
				return
			}
			u, moderator, err := s.proposalReader(w, r)
			if err != nil {
				Error(w, r, err)
				return
			}
			switch {
			case moderator:
			case u != nil && u.Role == tinhso.RoleBusiness:
				f.Viewer = u.ID
			case f.Status == "":
				f.Status = tinhso.ProposalPublished
			case f.Status != tinhso.ProposalPublished && f.Status != tinhso.ProposalCommissioned:
				Error(w, r, tinhso.Errorf(tinhso.EFORBIDDEN, "Only reviewers and admins read %s proposals.", f.Status))
				return
			}
			if _, err := s.store.FindProblem(r.Context(), id); err != nil {
				Error(w, r, err)
				return
			}
			list, total, err := store.FindProposals(r.Context(), f)
			if err != nil {
				Error(w, r, err)
				return
			}
			for i, x := range list {
				list[i] = shownTo(x, u, moderator)
			}
			writeList(w, list, total, f.Page)
		})

	s.handle(route{method: "GET", path: "/api/v1/proposals", summary: "The moderation queue: proposals by status (default submitted, oldest first; status=all for every one)",
		action: tinhso.ActModerate, list: true, resp: tinhso.Proposal{},
		query: append([]param{{"status", "string", "submitted (default), published, rejected, commissioned, all"}, {"problem", "integer", "a problem's id"}}, pageParams...)},
		func(w http.ResponseWriter, r *http.Request) {
			q := newQuery(r)
			f := tinhso.ProposalFilter{Status: q.oneOf("status", append([]string{"all"}, tinhso.ProposalStatuses...)), Problem: int64(q.int("problem", 1, math.MaxInt32)), Page: q.page()}
			if err := q.done(); err != nil {
				Error(w, r, err)
				return
			}
			switch f.Status {
			case "":
				f.Status = tinhso.ProposalSubmitted
			case "all":
				f.Status = ""
			}
			list, total, err := store.FindProposals(r.Context(), f)
			if err != nil {
				Error(w, r, err)
				return
			}
			writeList(w, list, total, f.Page)
		})

	s.handle(route{method: "GET", path: "/api/v1/proposals/{id}", summary: "A proposal: published ones for everyone, the company's own, every one for reviewers and admins",
		resp: tinhso.Proposal{}},
		func(w http.ResponseWriter, r *http.Request) {
			id, err := idParam(r)
			if err != nil {
				Error(w, r, err)
				return
			}
			u, moderator, err := s.proposalReader(w, r)
			if err != nil {
				Error(w, r, err)
				return
			}
			x, err := store.FindProposal(r.Context(), id)
			if err == nil && !visible(x, u, moderator) {
				// An unpublished proposal is not there for others: its id reveals nothing.
				err = tinhso.Errorf(tinhso.ENOTFOUND, "No proposal with id %d.", id)
			}
			if err != nil {
				Error(w, r, err)
				return
			}
			writeVersioned(w, http.StatusOK, x.Version, shownTo(x, u, moderator))
		})

	moderate := func(transition string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			id, err := idParam(r)
			if err != nil {
				Error(w, r, err)
				return
			}
			version, err := ifMatch(r)
			if err != nil {
				Error(w, r, err)
				return
			}
			var in rejectInput
			if transition == tinhso.TransReject {
				if err := s.decode(w, r, &in, nil); err != nil {
					Error(w, r, err)
					return
				}
			}
			x, err := store.ModerateProposal(actorCtx(r), id, transition, in.Reason, version)
			if err != nil {
				Error(w, r, err)
				return
			}
			writeVersioned(w, http.StatusOK, x.Version, x)
		}
	}
	s.handle(route{method: "POST", path: "/api/v1/proposals/{id}/publish",
		summary: "Publish a proposal (reviewer or admin); the first published proposal of an open problem moves it to \"proposals\"",
		action:  tinhso.ActModerate, resp: tinhso.Proposal{}}, moderate(tinhso.TransPublish))
	s.handle(route{method: "POST", path: "/api/v1/proposals/{id}/reject", summary: "Reject a proposal, or take a published one down, with the reason the company reads (reviewer or admin)",
		action: tinhso.ActModerate, body: rejectInput{}, resp: tinhso.Proposal{}}, moderate(tinhso.TransReject))

	s.registerProposalPages()
}
