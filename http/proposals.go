package http

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/tinhso/tinhso"
)

// Proposals: verified companies propose solutions to big problems; reviewers publish
// or reject them; the public reads the published ones. Proposing is rate-limited per
// company and per client address (counted in each node's memory, like sign-in
// failures).

// ProposalLimits bound how many proposals are accepted within Window: PerCompany from
// one business account, PerAddress from one client address (offices share one). Zero
// or less: no limit.
type ProposalLimits struct {
	PerCompany int
	PerAddress int
	Window     time.Duration
}

// DefaultProposalLimits are the limits a server starts with.
var DefaultProposalLimits = ProposalLimits{PerCompany: 5, PerAddress: 20, Window: 24 * time.Hour}

// proposalDesk is a server's proposal handling: its store, limits and counts.
type proposalDesk struct {
	s      *Server
	store  tinhso.ProposalStore
	mu     sync.Mutex
	limits ProposalLimits
	quota  *quota
}

func (s *Server) proposalDesk() *proposalDesk { return s.proposals }

// ProposalLimits returns the server's proposal limits.
func (s *Server) ProposalLimits() ProposalLimits {
	d := s.proposalDesk()
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.limits
}

// SetProposalLimits changes the server's proposal limits (DefaultProposalLimits until
// then); counts made so far stay.
func (s *Server) SetProposalLimits(l ProposalLimits) {
	d := s.proposalDesk()
	d.mu.Lock()
	defer d.mu.Unlock()
	d.limits = l
}

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

// limitError refuses a proposal over a limit: Wait is how long until one more fits.
type limitError struct {
	Wait    time.Duration
	Company bool // the company's limit (else the address's)
	Limit   int
	Window  time.Duration
}

func (e *limitError) Error() string {
	who := "this address"
	if e.Company {
		who = "your company"
	}
	return fmt.Sprintf("At most %d proposals from %s are accepted in %s; try again in %s.", e.Limit, who, windowText(e.Window), waitText(e.Wait))
}

func (e *limitError) seconds() int { return max(1, int(math.Ceil(e.Wait.Seconds()))) }

func windowText(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		if n := int(d / (24 * time.Hour)); n != 1 {
			return strconv.Itoa(n) + " days"
		}
		return "a day"
	}
	return d.String()
}

func waitText(d time.Duration) string {
	if m := int(math.Ceil(d.Minutes())); m < 120 {
		return strconv.Itoa(max(m, 1)) + " minute(s)"
	}
	return strconv.Itoa(int(math.Ceil(d.Hours()))) + " hour(s)"
}

// tooManyProposals answers 429 with Retry-After.
func tooManyProposals(w http.ResponseWriter, e *limitError) {
	w.Header().Set("Retry-After", strconv.Itoa(e.seconds()))
	writeJSON(w, http.StatusTooManyRequests, errorBody{Code: "too_many_requests", Error: e.Error()})
}

// propose checks and stores a proposal of u to a problem: a verified business account,
// valid text, within the limits. A refused proposal stores and counts nothing.
func (d *proposalDesk) propose(r *http.Request, u *tinhso.User, problem int64, in proposalInput) (*tinhso.Proposal, error) {
	if u == nil || u.Role != tinhso.RoleBusiness {
		return nil, tinhso.Errorf(tinhso.EFORBIDDEN, "Only a registered company's account may propose.")
	}
	if !u.Verified {
		return nil, tinhso.Errorf(tinhso.EFORBIDDEN, "Your company's account is not verified yet: the standing agency (Sở Khoa học và Công nghệ) verifies business accounts before they may propose.")
	}
	if in.ContactEmail == "" {
		in.ContactEmail = u.Email
	}
	x := &tinhso.Proposal{Problem: problem, UserID: u.ID, Company: u.Name, Title: in.Title, Summary: in.Summary, Approach: in.Approach,
		ContactEmail: in.ContactEmail, Status: tinhso.ProposalSubmitted}
	if err := x.Validate(); err != nil {
		return nil, err
	}
	d.mu.Lock()
	lim := d.limits
	d.mu.Unlock()
	now := d.s.Now()
	keys := []string{"company:" + strconv.FormatInt(u.ID, 10), "address:" + d.s.clientAddr(r)}
	wait, which := d.quota.take(now, lim.Window, keys, []int{lim.PerCompany, lim.PerAddress})
	if wait > 0 {
		limit := lim.PerCompany
		if which == 1 {
			limit = lim.PerAddress
		}
		return nil, &limitError{Wait: wait, Company: which == 0, Limit: limit, Window: lim.Window}
	}
	if err := d.store.CreateProposal(actorCtx(r), x); err != nil {
		d.quota.give(now, keys)
		return nil, err
	}
	return x, nil
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
	store, ok := s.store.(tinhso.ProposalStore)
	if !ok {
		panic("http: the store does not keep proposals (tinhso.ProposalStore)")
	}
	d := &proposalDesk{s: s, store: store, limits: DefaultProposalLimits, quota: newQuota()}
	s.proposals = d

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
			x, err := d.propose(r, userFrom(r.Context()), id, in)
			var le *limitError
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

	s.registerProposalPages(d)
}

// quota counts recent uses per key (a company, an address) in memory.
type quota struct {
	mu   sync.Mutex
	used map[string][]time.Time
}

func newQuota() *quota { return &quota{used: map[string][]time.Time{}} }

// take records one use of every key at now, unless a key has had its limit of uses
// within window; then it records nothing and returns how long until that key has room,
// and which key it is. A limit of zero or less is no limit.
func (q *quota) take(now time.Time, window time.Duration, keys []string, limits []int) (time.Duration, int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for i, k := range keys {
		u := q.prune(k, now, window)
		if limits[i] > 0 && len(u) >= limits[i] {
			return u[len(u)-limits[i]].Add(window).Sub(now), i
		}
	}
	for _, k := range keys {
		q.used[k] = append(q.used[k], now)
	}
	if len(q.used) > 100000 {
		for k := range q.used {
			q.prune(k, now, window)
		}
	}
	return 0, -1
}

// give takes back the uses take recorded at now, for a proposal that was not stored.
func (q *quota) give(now time.Time, keys []string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, k := range keys {
		u := q.used[k]
		for i := len(u) - 1; i >= 0; i-- {
			if u[i].Equal(now) {
				q.used[k] = append(u[:i:i], u[i+1:]...)
				break
			}
		}
		if len(q.used[k]) == 0 {
			delete(q.used, k)
		}
	}
}

// prune drops key's uses older than window; call with mu held.
func (q *quota) prune(key string, now time.Time, window time.Duration) []time.Time {
	u := q.used[key]
	i := 0
	for i < len(u) && !u[i].Add(window).After(now) {
		i++
	}
	if i == len(u) {
		delete(q.used, key)
		return nil
	}
	u = u[i:]
	q.used[key] = u
	return u
}
