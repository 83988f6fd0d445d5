package tinhso

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Recurrence frequencies.
const (
	RecurOngoing = "ongoing" // Thường xuyên: judged in every reporting period
	RecurYearly  = "yearly"  // Hằng năm
)

// Recurrence is a deadline that comes back.
type Recurrence struct {
	Freq string `json:"freq"`
	// FromYear and UntilYear bound a yearly recurrence when the text does (0: unbounded).
	FromYear  int `json:"from_year,omitempty"`
	UntilYear int `json:"until_year,omitempty"`
	// DueMonth is the month a yearly deliverable is due in; YearOffset moves it to
	// another year: "Tháng 11 của năm trước" is month 11, offset −1.
	DueMonth   int `json:"due_month,omitempty"`
	YearOffset int `json:"year_offset,omitempty"`
}

// Deadline is a deadline as written and its parsed form: a due date, a recurrence, or
// both ("Năm 2025 và giai đoạn 2026 - 2030").
type Deadline struct {
	Text       string      `json:"text"`
	DueDate    string      `json:"due_date,omitempty"` // yyyy-mm-dd, the last day allowed
	Recurrence *Recurrence `json:"recurrence,omitempty"`
	// Flags: "unparsed" when the text could not be read (it is kept verbatim);
	// "shifted_cell" when a task's wording spilled into the deadline cell.
	Flags []string `json:"flags,omitempty"`
}

// FlagShiftedCell marks a deadline cell that also holds words of another cell.
const FlagShiftedCell = "shifted_cell"

// Years a deadline may name; anything else is a slip.
const (
	minDeadlineYear = 1900
	maxDeadlineYear = 2200
)

var (
	monthYearRe   = regexp.MustCompile(`^tháng\s*(\d{1,2})\s*(?:/|-|năm)\s*(\d{4})$`)
	dayRe         = regexp.MustCompile(`^(?:ngày\s*)?(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})$`)
	yearRe        = regexp.MustCompile(`^(?:năm\s*)?(\d{4})$`)
	yearRangeRe   = regexp.MustCompile(`^(?:năm\s*|giai\s*đoạn\s*)?(\d{4})\s*[-–]\s*(\d{4})$`)
	quarterRe     = regexp.MustCompile(`^quý\s*(iv|i{1,3}|[1-4])\s*(?:/|-|năm)\s*(\d{4})$`)
	halfRe        = regexp.MustCompile(`^6\s*tháng\s*(đầu|cuối)\s*năm\s*(\d{4})$`)
	yearOnwardsRe = regexp.MustCompile(`^(?:từ\s*)?năm\s*(\d{4})\s*(?:và|,)\s*(?:những|các)\s*năm\s*tiếp\s*theo$`)
	yearThenRe    = regexp.MustCompile(`^năm\s*(\d{4})\s*và\s*giai\s*đoạn\s*(\d{4})\s*[-–]\s*(\d{4})$`)
	monthPrevRe   = regexp.MustCompile(`^tháng\s*(\d{1,2})\s*(?:của\s*)?năm\s*trước$`)
)

// ParseDeadline parses a deadline as written. Text it cannot read is kept and flagged;
// an empty text is no deadline.
func ParseDeadline(text string) Deadline {
	d := Deadline{Text: text}
	s := strings.ToLower(strings.Join(strings.Fields(text), " "))
	if s == "" {
		return d
	}
	s = strings.TrimSuffix(s, ".")
	switch {
	case s == "thường xuyên" || s == "nhiệm vụ thường xuyên" || s == "hằng năm, thường xuyên" ||
		s == "hàng năm, thường xuyên":
		d.Recurrence = &Recurrence{Freq: RecurOngoing}
		return d
	case s == "hằng năm" || s == "hàng năm":
		d.Recurrence = &Recurrence{Freq: RecurYearly}
		return d
	case strings.HasPrefix(s, "thường xuyên"):
		// "Thường xuyên rà soát, tham mưu …": a task's wording spilled into the cell;
		// the deadline it states is still "ongoing".
		d.Recurrence = &Recurrence{Freq: RecurOngoing}
		d.Flags = append(d.Flags, FlagShiftedCell)
		return d
	}
	if m := monthYearRe.FindStringSubmatch(s); m != nil {
		if mo, y := digits(m[1]), digits(m[2]); isDeadlineMonth(mo) && isDeadlineYear(y) {
			d.DueDate = lastDayOfMonth(y, mo)
			return d
		}
	}
	if m := dayRe.FindStringSubmatch(s); m != nil {
		if day, mo, y := digits(m[1]), digits(m[2]), digits(m[3]); isDeadlineMonth(mo) && isDeadlineYear(y) && day >= 1 {
			t := time.Date(y, time.Month(mo), day, 0, 0, 0, 0, time.UTC)
			if t.Day() == day { // 31/4 is no date
				d.DueDate = t.Format("2006-01-02")
				return d
			}
		}
	}
	if m := quarterRe.FindStringSubmatch(s); m != nil {
		q := map[string]int{"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}[m[1]]
		if y := digits(m[2]); isDeadlineYear(y) {
			d.DueDate = lastDayOfMonth(y, q*3)
			return d
		}
	}
	if m := halfRe.FindStringSubmatch(s); m != nil {
		if y := digits(m[2]); isDeadlineYear(y) {
			d.DueDate = lastDayOfMonth(y, map[string]int{"đầu": 6, "cuối": 12}[m[1]])
			return d
		}
	}
	if m := yearRe.FindStringSubmatch(s); m != nil {
		if y := digits(m[1]); isDeadlineYear(y) {
			d.DueDate = fmt.Sprintf("%04d-12-31", y)
			return d
		}
	}
	if m := yearRangeRe.FindStringSubmatch(s); m != nil {
		// "Năm 2025 - 2026": the work may go on until the end of the last year.
		if y1, y2 := digits(m[1]), digits(m[2]); isDeadlineYear(y1) && isDeadlineYear(y2) && y1 <= y2 {
			d.DueDate = fmt.Sprintf("%04d-12-31", y2)
			return d
		}
	}
	if m := yearOnwardsRe.FindStringSubmatch(s); m != nil {
		if y := digits(m[1]); isDeadlineYear(y) {
			d.Recurrence = &Recurrence{Freq: RecurYearly, FromYear: y}
			return d
		}
	}
	if m := yearThenRe.FindStringSubmatch(s); m != nil {
		// "Năm 2025 và giai đoạn 2026 - 2030": done in 2025, then again every year.
		y, y1, y2 := digits(m[1]), digits(m[2]), digits(m[3])
		if isDeadlineYear(y) && isDeadlineYear(y1) && isDeadlineYear(y2) && y < y1 && y1 <= y2 {
			d.DueDate = fmt.Sprintf("%04d-12-31", y)
			d.Recurrence = &Recurrence{Freq: RecurYearly, FromYear: y1, UntilYear: y2}
			return d
		}
	}
	if m := monthPrevRe.FindStringSubmatch(s); m != nil {
		if mo := digits(m[1]); isDeadlineMonth(mo) {
			d.Recurrence = &Recurrence{Freq: RecurYearly, DueMonth: mo, YearOffset: -1}
			return d
		}
	}
	d.Flags = append(d.Flags, FlagUnparsed)
	return d
}

// digits reads the digits a pattern matched (at most four, so it cannot fail).
func digits(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func isDeadlineMonth(m int) bool { return m >= 1 && m <= 12 }
func isDeadlineYear(y int) bool  { return y >= minDeadlineYear && y <= maxDeadlineYear }

func lastDayOfMonth(y, m int) string {
	t := time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC)
	return t.Format("2006-01-02")
}
