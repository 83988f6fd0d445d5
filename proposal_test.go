package tinhso_test

import (
	"testing"

	"github.com/tinhso/tinhso"
)

// Moderation moves a proposal only along its arrows; a commissioned one stays.
func TestProposalNext(t *testing.T) {
	for _, c := range []struct {
		from, trans, want, code string
	}{
		{tinhso.ProposalSubmitted, tinhso.TransPublish, tinhso.ProposalPublished, ""},
		{tinhso.ProposalSubmitted, tinhso.TransReject, tinhso.ProposalRejected, ""},
		{tinhso.ProposalRejected, tinhso.TransPublish, tinhso.ProposalPublished, ""},
		{tinhso.ProposalPublished, tinhso.TransReject, tinhso.ProposalRejected, ""},
		{tinhso.ProposalPublished, tinhso.TransPublish, "", tinhso.ECONFLICT},
		{tinhso.ProposalRejected, tinhso.TransReject, "", tinhso.ECONFLICT},
		{tinhso.ProposalCommissioned, tinhso.TransReject, "", tinhso.ECONFLICT},
		{tinhso.ProposalCommissioned, tinhso.TransPublish, "", tinhso.ECONFLICT},
		{tinhso.ProposalSubmitted, "approve", "", tinhso.EINVALID},
	} {
		got, err := tinhso.ProposalNext(c.from, c.trans)
		if got != c.want || tinhso.ErrorCode(err) != c.code {
			t.Errorf("%s --%s--> %q %v, want %q %s", c.from, c.trans, got, err, c.want, c.code)
		}
	}
}

// Only a company proposes; only reviewers and admins moderate.
func TestProposalPermissions(t *testing.T) {
	for _, role := range tinhso.Roles {
		u := &tinhso.User{Role: role}
		if got := u.Can(tinhso.ActPropose); got != (role == tinhso.RoleBusiness) {
			t.Errorf("%s may propose: %v", role, got)
		}
		if got := u.Can(tinhso.ActModerate); got != (role == tinhso.RoleAdmin || role == tinhso.RoleReviewer) {
			t.Errorf("%s may moderate: %v", role, got)
		}
	}
	if (&tinhso.User{Role: tinhso.RoleBusiness, Disabled: true}).Can(tinhso.ActPropose) {
		t.Errorf("a disabled company may propose")
	}
}

// Contact addresses must look like addresses.
func TestProposalEmail(t *testing.T) {
	for email, ok := range map[string]bool{"lienhe@cong-ty.vn": true, "a.b+c@d.com.vn": true, "a@b": false, "@b.vn": false, "a@.vn": false,
		"a b@c.vn": false, "<a@b.vn>": false, "a@b.vn, c@d.vn": false, "a@b@c.vn": false, "a@b.vn.": false} {
		p := tinhso.Proposal{Problem: 1, Company: "C", Title: "T", Summary: "S", ContactEmail: email}
		if err := p.Validate(); (err == nil) != ok {
			t.Errorf("%q: %v", email, err)
		}
	}
}
