package tinhso

import (
	"context"
	"strings"
	"time"
)

// Proposal statuses. A company's proposal is moderated before anyone else sees it:
// submitted → published or rejected (with the reason); a moderator may change their
// mind (a published proposal taken down is rejected, a rejected one published); a
// published proposal may later be commissioned (đặt hàng), and then stays.
const (
	ProposalSubmitted    = "submitted"
	ProposalPublished    = "published"
	ProposalRejected     = "rejected"
	ProposalCommissioned = "commissioned"
)

// ProposalStatuses lists the statuses a proposal can have.
var ProposalStatuses = []string{ProposalSubmitted, ProposalPublished, ProposalRejected, ProposalCommissioned}

// Moderation transitions of a proposal.
const (
	TransPublish = "publish" // reviewer: submitted or rejected → published
	TransReject  = "reject"  // reviewer: submitted or published → rejected, with a reason
)

// Actions on proposals, checked with Can. A business account must also be Verified to
// propose: that is checked where the proposal is made.
const (
	ActPropose  = "proposals:write"    // a company proposes a solution to a big problem
	ActModerate = "proposals:moderate" // publish or reject proposals; read every one
)

// Limits of a proposal's fields, in characters.
const (
	MaxProposalTitle    = 300
	MaxProposalSummary  = 3000
	MaxProposalApproach = 20000
	MaxRejectReason     = 2000
)

// Proposal is a company's proposed solution (đề xuất) to a big problem.
type Proposal struct {
	ID         int64  `json:"id"`
	Problem    int64  `json:"problem_id"`
	ProblemKey string `json:"problem_key"`
	// UserID is the business account that proposed; Company its name when it did.
	UserID  int64  `json:"-"`
	Company string `json:"company"`
	// SubmittedBy is the account's username; shown to the company and moderators only.
	SubmittedBy string `json:"submitted_by,omitempty"`
	Title       string `json:"title"`
	Summary     string `json:"summary"`
	Approach    string `json:"approach"`
	// ContactEmail is where the province reaches the company; shown to the company and
	// moderators only.
	ContactEmail string     `json:"contact_email,omitempty"`
	Status       string     `json:"status"`
	RejectReason string     `json:"reject_reason,omitempty"`
	ModeratedBy  string     `json:"moderated_by,omitempty"`
	ModeratedAt  *time.Time `json:"moderated_at,omitempty"`
	Version      int        `json:"version"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
}

// Validate checks a proposal before it is stored.
func (p *Proposal) Validate() error {
	if p.Problem < 1 {
		return Invalid("problem_id", "err.proposal.problem")
	}
	for _, f := range []struct {
		name, val string
		max       int
		req       bool
	}{
		{"company", p.Company, 200, true},
		{"title", p.Title, MaxProposalTitle, true},
		{"summary", p.Summary, MaxProposalSummary, true},
		{"approach", p.Approach, MaxProposalApproach, false},
		{"contact_email", p.ContactEmail, 254, true},
	} {
		if err := validText(f.name, f.val, f.max, f.req); err != nil {
			return err
		}
	}
	if strings.ContainsAny(p.Title, "\n\r\t") {
		return Invalid("title", "err.proposal.title_line")
	}
	if !emailLike(p.ContactEmail) {
		return Invalid("contact_email", "err.proposal.email", Clip(p.ContactEmail, 60))
	}
	if p.Status != "" && !contains(ProposalStatuses, p.Status) {
		return Invalid("status", "err.field.one_of", Field("status"), strings.Join(ProposalStatuses, ", "))
	}
	return nil
}

// ValidRejectReason checks the reason a moderator gives for rejecting a proposal: the
// company reads it, so it must say something.
func ValidRejectReason(reason string) error {
	if err := validText("reason", reason, MaxRejectReason, true); err != nil {
		if strings.TrimSpace(reason) == "" {
			return Invalid("reason", "err.proposal.reason")
		}
		return err
	}
	return nil
}

// emailLike reports whether s has the shape of an address: one @ with text either side,
// a dot in the domain, no spaces or angle brackets.
func emailLike(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	return ok && local != "" && strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".") &&
		!strings.Contains(domain, "@") && !strings.ContainsAny(s, " \t\r\n<>,;\"")
}

// ProposalNext returns the status a moderation transition leads to from a status, or an
// error saying why it cannot be taken.
func ProposalNext(status, transition string) (string, error) {
	switch {
	case transition == TransPublish && (status == ProposalSubmitted || status == ProposalRejected):
		return ProposalPublished, nil
	case transition == TransReject && (status == ProposalSubmitted || status == ProposalPublished):
		return ProposalRejected, nil
	case transition != TransPublish && transition != TransReject:
		return "", Invalid("transition", "err.proposal.transition", transition)
	}
	key := map[string]string{TransPublish: "err.proposal.cannot_publish", TransReject: "err.proposal.cannot_reject"}[transition]
	return "", Errorf(ECONFLICT, key, M("word.proposal."+status))
}

// TakesProposals reports whether a problem with a status accepts new proposals: only
// while it is open or already taking them.
func TakesProposals(problemStatus string) bool {
	return problemStatus == "open" || problemStatus == "proposals"
}

// ProposalFilter selects proposals. Viewer, when set, narrows to what that business
// account may read: the published ones and its own.
type ProposalFilter struct {
	Problem int64
	Status  string
	UserID  int64
	Viewer  int64
	Page
}

// ProposalStore keeps proposals. Changes are recorded in the audit log with the actor
// the context carries (WithActor), in the same transaction.
type ProposalStore interface {
	// CreateProposal stores a submitted proposal of p.UserID to p.Problem; a problem
	// that no longer takes proposals refuses it with ECONFLICT.
	CreateProposal(ctx context.Context, p *Proposal) error
	// FindProposals lists proposals in the order they came.
	FindProposals(ctx context.Context, f ProposalFilter) ([]*Proposal, int, error)
	FindProposal(ctx context.Context, id int64) (*Proposal, error)
	// ProposalTx runs fn in one write transaction of the proposal workflows (the
	// moderation of app): it commits when fn returns nil.
	ProposalTx(ctx context.Context, fn func(tx ProposalTx) error) error
}

// ProposalTx is one write transaction of the proposal workflows.
type ProposalTx interface {
	FindProposal(ctx context.Context, id int64) (*Proposal, error)
	// Moderate writes a proposal's moderation (status, reason, the context's actor,
	// now) at version (0: any): EPRECONDITION when the proposal has moved on.
	Moderate(ctx context.Context, id int64, status, reason string, version int) error
	// ProblemStatus reads a problem's status.
	ProblemStatus(ctx context.Context, problem int64) (string, error)
	// SetProblemStatus changes a problem's status, as a new version.
	SetProblemStatus(ctx context.Context, problem int64, status string) error
	// Audit records a change in the audit log, by the actor the context carries.
	Audit(ctx context.Context, action, entity, id string, before, after any) error
}
