package tinhso

import "sort"

// Actions checked with Can.
const (
	ActWritePlan       = "plan:write"         // change documents, indicators, tasks, org units, problems
	ActManageUsers     = "users:manage"       // create users, reset passwords
	ActManageReporting = "reporting:manage"   // regimes and periods
	ActReview          = "submissions:review" // return and approve
	ActReadAll         = "submissions:read"   // read every unit's submissions
	ActReport          = "submissions:write"  // fill in one's own unit's submission
	// ActReadOwn lets a reporter read its own unit's submissions, reminders and forms,
	// and the roles that read everything read them too.
	ActReadOwn        = "submissions:read-own"
	ActReadAudit      = "audit:read"
	ActVerifyBusiness = "users:verify"  // mark a business account verified
	ActSignedIn       = "session"       // any signed-in user: own session, sign out, own password
	ActManageTokens   = "tokens:manage" // own API tokens
	// Alerts: read and answer (a reporter: its own unit's), manage rules and silences,
	// manage delivery (webhooks, SMTP, the dead-letter list, supervising leaders).
	ActReadAlerts     = "alerts:read"
	ActAckAlerts      = "alerts:ack"
	ActManageAlerts   = "alerts:manage"
	ActManageDelivery = "delivery:manage"
	// ActManageConnectors: read, edit, run and test the connectors (issue 16).
	ActManageConnectors = "connectors:manage"
)

// ScopeAll is the API-token scope that stands for every action the user's role allows.
const ScopeAll = "all"

// permissions is the one table of who may do what: each action and the roles allowed
// it. Scope-specific checks (a reporter's own unit, a verified company) are made where
// the record is known.
var permissions = map[string][]string{
	ActWritePlan:       {RoleAdmin},
	ActManageUsers:     {RoleAdmin},
	ActManageReporting: {RoleAdmin, RoleReviewer},
	ActReview:          {RoleReviewer},
	ActReadAll:         {RoleAdmin, RoleReviewer, RoleLeader},
	ActReport:          {RoleReporter},
	ActReadOwn:         {RoleAdmin, RoleReviewer, RoleLeader, RoleReporter},
	ActReadAudit:       {RoleAdmin, RoleReviewer},
	ActVerifyBusiness:  {RoleAdmin, RoleReviewer},
	ActSignedIn:        Roles,
	ActManageTokens:    Roles,
	ActPropose:         {RoleBusiness},
	ActModerate:        {RoleAdmin, RoleReviewer},
	// Sector systems push points with a token of a reporter of their own unit, or of an
	// admin; every signed-in official reads live data.
	ActWriteSeries:    {RoleAdmin, RoleReporter},
	ActManageSeries:   {RoleAdmin},
	ActReadSeries:     {RoleAdmin, RoleReviewer, RoleLeader, RoleReporter},
	ActReadAlerts:     {RoleAdmin, RoleReviewer, RoleLeader, RoleReporter},
	ActAckAlerts:      {RoleAdmin, RoleReviewer, RoleLeader, RoleReporter},
	ActManageAlerts:   {RoleAdmin, RoleReviewer},
	ActManageDelivery: {RoleAdmin},
	// Assessment: the standing agency (and admins) keep frameworks, people and rounds;
	// only the standing agency reviews, approves and publishes; units (their reporters)
	// and business accounts self-assess, each only its own subject (checked where the
	// subject is known); officials who read everything read every round.
	ActManageAssessment: {RoleAdmin, RoleReviewer},
	ActReviewAssessment: {RoleReviewer},
	ActSelfAssess:       {RoleReporter, RoleBusiness},
	ActReadAssessment:   {RoleAdmin, RoleReviewer, RoleLeader},
	// Directives (issue 15): leaders issue them, and the standing agency on a leader's
	// behalf; a lead unit's accounts answer its own tasks; every official reads them
	// (a unit only its own tasks, checked where the task is known).
	ActIssueDirectives:  {RoleLeader, RoleReviewer},
	ActAnswerDirectives: {RoleReporter},
	ActReadDirectives:   {RoleAdmin, RoleReviewer, RoleLeader, RoleReporter},
	// Connectors hold other systems' credentials: admins only.
	ActManageConnectors: {RoleAdmin},
}

// Can reports whether the user may do an action; scope-specific checks (a reporter's
// own unit) are made where the record is known.
func (u *User) Can(action string) bool {
	if u == nil || u.Disabled {
		return false
	}
	allowed, ok := permissions[action]
	return ok && contains(allowed, u.Role)
}

// Allowed lists the roles allowed an action (nil for an unknown action).
func Allowed(action string) []string {
	return append([]string(nil), permissions[action]...)
}

// Actions lists every action, sorted: what an API token's scopes may name.
func Actions() []string {
	out := make([]string, 0, len(permissions))
	for a := range permissions {
		out = append(out, a)
	}
	sort.Strings(out)
	return out
}
