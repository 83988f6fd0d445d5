package tinhso

// ActReadOwn lets a reporter read its own unit's submissions, reminders and forms, and
// the roles that read everything read them too.
const ActReadOwn = "submissions:read-own"

func init() {
	permissions[ActReadOwn] = []string{RoleAdmin, RoleReviewer, RoleLeader, RoleReporter}
}
