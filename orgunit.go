package tinhso

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Org unit kinds.
const (
	KindProvince   = "province"   // the province's People's Committee (UBND tỉnh)
	KindDepartment = "department" // sở, ban, ngành and other provincial agencies
	KindDistrict   = "district"   // UBND huyện/thành phố: the level abolished in 2025
	KindCommune    = "commune"    // UBND xã/phường
	KindParty      = "party"      // Tỉnh ủy and its bodies
	KindGroup      = "group"      // a named set of units: "Các Sở, ban, ngành"
	KindOther      = "other"      // universities, enterprises, central bodies
)

// OrgUnitKinds lists the valid kinds.
var OrgUnitKinds = []string{KindProvince, KindDepartment, KindDistrict, KindCommune, KindParty, KindGroup, KindOther}

// OrgUnit is an agency, a local government, or a group of them.
type OrgUnit struct {
	ID         int64  `json:"id"`
	Code       string `json:"code"`
	Name       string `json:"name"`
	Kind       string `json:"kind"`
	ParentCode string `json:"parent,omitempty"`
	// Aliases are the spellings the documents use for it, typos included.
	Aliases []string `json:"aliases"`
	// Members of a group, and the kind a group takes all units of ("commune": every commune).
	Members    []string `json:"members,omitempty"`
	MemberKind string   `json:"member_kind,omitempty"`
	// Dissolved is when it ceased to exist: a date, a month or a year ("2025-07").
	Dissolved string    `json:"dissolved,omitempty"`
	Note      string    `json:"note,omitempty"`
	Synthetic bool      `json:"synthetic,omitempty"` // example data, never real
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

var codeRe = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,99}$`)

// Validate checks an org unit before it is stored.
func (u *OrgUnit) Validate() error {
	if !codeRe.MatchString(u.Code) || !hasLetter(u.Code) {
		return Invalid("code", "err.orgunit.code")
	}
	if err := validText("name", u.Name, 500, true); err != nil {
		return err
	}
	if !contains(OrgUnitKinds, u.Kind) {
		return Invalid("kind", "err.field.one_of", Field("kind"), strings.Join(OrgUnitKinds, ", "))
	}
	if u.ParentCode == u.Code {
		return Invalid("parent", "err.orgunit.own_parent")
	}
	if u.Kind != KindGroup && (len(u.Members) > 0 || u.MemberKind != "") {
		return Invalid("members", "err.orgunit.members")
	}
	if u.MemberKind != "" && !contains(OrgUnitKinds, u.MemberKind) {
		return Invalid("member_kind", "err.field.one_of", Field("member_kind"), strings.Join(OrgUnitKinds, ", "))
	}
	if u.Dissolved != "" && !ValidPartialDate(u.Dissolved) {
		return Invalid("dissolved", "err.field.partial_date", Field("dissolved"))
	}
	if len(u.Aliases) > 100 || len(u.Members) > 10000 {
		return Invalid("aliases", "err.orgunit.too_many", 100, 10000)
	}
	for _, a := range u.Aliases {
		if err := validText("aliases", a, 500, true); err != nil {
			return err
		}
	}
	if err := noDuplicates("aliases", u.Aliases); err != nil {
		return err
	}
	if err := noDuplicates("members", u.Members); err != nil {
		return err
	}
	return validText("note", u.Note, 5000, false)
}

// Exists reports whether the unit still exists on the given day (yyyy-mm-dd).
func (u *OrgUnit) Exists(day string) bool {
	return u.Dissolved == "" || PartialDateStart(u.Dissolved) > day
}

var partialDateRe = regexp.MustCompile(`^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$`)

// ValidPartialDate reports whether s is a date known to the day, month or year.
func ValidPartialDate(s string) bool {
	if !partialDateRe.MatchString(s) {
		return false
	}
	if len(s) == 10 {
		_, err := time.Parse("2006-01-02", s)
		return err == nil
	}
	return true
}

// PartialDateStart is the first day a partial date can mean: "2025-07" → "2025-07-01".
func PartialDateStart(s string) string {
	switch len(s) {
	case 4:
		return s + "-01-01"
	case 7:
		return s + "-01"
	}
	return s
}

func hasLetter(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return r >= 'a' && r <= 'z' }) >= 0
}

// noDuplicates refuses a list that names something twice.
func noDuplicates(field string, list []string) error {
	seen := map[string]bool{}
	for _, x := range list {
		if seen[x] {
			return Invalid(field, "err.field.twice", Field(field), x)
		}
		seen[x] = true
	}
	return nil
}

// trimmed refuses an identifier with spaces around it, which would look the same as
// another and never match it.
func trimmed(field, s string) error {
	if strings.TrimSpace(s) != s {
		return Invalid(field, "err.text.spaces", Field(field))
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// validText checks a text field: valid UTF-8, no control characters but newlines and
// tabs, at most max runes, and present when required.
func validText(field, s string, max int, required bool) error {
	if !utf8.ValidString(s) {
		return Invalid(field, "err.text.not_utf8", Field(field))
	}
	if required && strings.TrimSpace(s) == "" {
		return Invalid(field, "err.text.required", Field(field))
	}
	if n := utf8.RuneCountInString(s); n > max {
		return Invalid(field, "err.text.too_long", Field(field), n, max)
	}
	for _, r := range s {
		if r < 0x20 && r != '\n' && r != '\t' && r != '\r' || r == 0x7f {
			return Invalid(field, "err.text.control", Field(field), r)
		}
	}
	return nil
}

// OrgUnitImport says how an import of org units treats the codes that exist already.
type OrgUnitImport struct {
	// Update lets the import change the units whose code exists (their name, kind,
	// parent and aliases); without it, such a row refuses the whole import, so that a
	// file of new units cannot rename or re-kind existing ones by mistake.
	Update bool
	// FirstRow is the row number of the first unit in the file it came from (2 for a
	// CSV file with its header), for the messages; 0 counts the units from 1.
	FirstRow int
}

// Row is the number messages give the i-th unit (from 0) of an import.
func (o OrgUnitImport) Row(i int) int {
	if o.FirstRow == 0 {
		return i + 1
	}
	return o.FirstRow + i
}
