package tinhso

import (
	"regexp"
	"strings"
	"time"
)

// Roles.
const (
	RoleAdmin    = "admin"    // runs the installation: users, org units, regimes, periods
	RoleReviewer = "reviewer" // the standing agency: reviews submissions, verifies companies
	RoleLeader   = "leader"   // reads everything
	RoleReporter = "reporter" // reports for its own org unit
	RoleBusiness = "business" // a registered company: proposals, self-assessment
)

// Roles lists the roles an account can have. Anonymous visitors are "public".
var Roles = []string{RoleAdmin, RoleReviewer, RoleLeader, RoleReporter, RoleBusiness}

// User is an account.
type User struct {
	ID       int64  `json:"id"`
	Username string `json:"username"`
	Name     string `json:"name"`
	Email    string `json:"email,omitempty"`
	Role     string `json:"role"`
	// OrgUnit is the unit a reporter reports for (and a company's own record later).
	OrgUnit string `json:"org_unit,omitempty"`
	// Verified: a business account the standing agency has checked.
	Verified  bool      `json:"verified"`
	Disabled  bool      `json:"disabled"`
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

var usernameRe = regexp.MustCompile(`^[a-z0-9][a-z0-9._@-]{1,63}$`)

// Validate checks a user before it is stored.
func (u *User) Validate() error {
	if !usernameRe.MatchString(u.Username) {
		return Invalid("username", "username must be 2–64 characters of a-z, 0-9, '.', '_', '@' or '-'")
	}
	if err := validText("name", u.Name, 200, true); err != nil {
		return err
	}
	if err := validText("email", u.Email, 254, false); err != nil {
		return err
	}
	if u.Email != "" && (!strings.Contains(u.Email, "@") || strings.ContainsAny(u.Email, " \n<>")) {
		return Invalid("email", "email is not an address")
	}
	if !contains(Roles, u.Role) {
		return Invalid("role", "role must be one of %s", strings.Join(Roles, ", "))
	}
	if u.Role == RoleReporter && u.OrgUnit == "" {
		return Invalid("org_unit", "a reporter needs the org unit it reports for")
	}
	return nil
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

// Actions checked with Can.
const (
	ActWritePlan       = "plan:write"         // change documents, indicators, tasks, org units, problems
	ActManageUsers     = "users:manage"       // create users, reset passwords
	ActManageReporting = "reporting:manage"   // regimes and periods
	ActReview          = "submissions:review" // return and approve
	ActReadAll         = "submissions:read"   // read every unit's submissions
	ActReport          = "submissions:write"  // fill in one's own unit's submission
	ActReadAudit       = "audit:read"
)

var permissions = map[string][]string{
	ActWritePlan:       {RoleAdmin},
	ActManageUsers:     {RoleAdmin},
	ActManageReporting: {RoleAdmin, RoleReviewer},
	ActReview:          {RoleReviewer},
	ActReadAll:         {RoleAdmin, RoleReviewer, RoleLeader},
	ActReport:          {RoleReporter},
	ActReadAudit:       {RoleAdmin, RoleReviewer},
}
