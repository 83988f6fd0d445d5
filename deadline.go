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
	// Flags: "unparsed" when the text could not be read (it is kept verbatim).
	Flags []string `json:"flags,omitempty"`
}

var (
	monthYearRe   = regexp.MustCompile(`^tháng\s*(\d{1,2})\s*(?:/|năm)\s*(\d{4})$`)
	yearRe        = regexp.MustCompile(`^(?:năm\s*)?(\d{4})$`)
	yearRangeRe   = regexp.MustCompile(`^(?:năm\s*)?(\d{4})\s*[-–]\s*(\d{4})$`)
	quarterRe     = regexp.MustCompile(`^quý\s*(i{1,3}|iv|[1-4])\s*(?:/|năm)\s*(\d{4})$`)
	yearOnwardsRe = regexp.MustCompile(`^(?:từ\s*)?năm\s*(\d{4})\s*và\s*(?:những|các)\s*năm\s*tiếp\s*theo$`)
	yearThenRe    = regexp.MustCompile(`^năm\s*(\d{4})\s*và\s*giai\s*đoạn\s*(\d{4})\s*[-–]\s*(\d{4})$`)
	monthPrevRe   = regexp.MustCompile(`^tháng\s*(\d{1,2})\s*(?:của\s*)?năm\s*trước$`)
)

// ParseDeadline parses a deadline as written. Text it cannot read is kept and flagged.
func ParseDeadline(text string) Deadline {
	d := Deadline{Text: text}
	s := strings.ToLower(strings.Join(strings.Fields(text), " "))
	s = strings.TrimSuffix(s, ".")
	switch {
	case s == "":
		return d
	case s == "thường xuyên" || s == "nhiệm vụ thường xuyên" || s == "hằng năm, thường xuyên":
		d.Recurrence = &Recurrence{Freq: RecurOngoing}
		return d
	case s == "hằng năm" || s == "hàng năm":
		d.Recurrence = &Recurrence{Freq: RecurYearly}
		return d
	case strings.HasPrefix(s, "thường xuyên"):
		// "Thường xuyên rà soát, tham mưu …": a task's wording spilled into the cell;
		// the deadline it states is still "ongoing".
		d.Recurrence = &Recurrence{Freq: RecurOngoing}
		d.Flags = append(d.Flags, "shifted_cell")
		return d
	}
	if m := monthYearRe.FindStringSubmatch(s); m != nil {
		mo, _ := strconv.Atoi(m[1])
		y, _ := strconv.Atoi(m[2])
		if mo >= 1 && mo <= 12 {
			d.DueDate = lastDayOfMonth(y, mo)
			return d
		}
	}
	if m := quarterRe.FindStringSubmatch(s); m != nil {
		q := map[string]int{"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}[m[1]]
		y, _ := strconv.Atoi(m[2])
		d.DueDate = lastDayOfMonth(y, q*3)
		return d
	}
	if m := yearRe.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		d.DueDate = fmt.Sprintf("%04d-12-31", y)
		return d
	}
	if m := yearRangeRe.FindStringSubmatch(s); m != nil {
		y1, _ := strconv.Atoi(m[1])
		y2, _ := strconv.Atoi(m[2])
		if y1 <= y2 {
			d.DueDate = fmt.Sprintf("%04d-12-31", y2)
			return d
		}
	}
	if m := yearOnwardsRe.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		d.Recurrence = &Recurrence{Freq: RecurYearly, FromYear: y}
		return d
	}
	if m := yearThenRe.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		y2, _ := strconv.Atoi(m[3])
		d.DueDate = fmt.Sprintf("%04d-12-31", y)
		d.Recurrence = &Recurrence{Freq: RecurYearly, FromYear: y + 1, UntilYear: y2}
		return d
	}
	if m := monthPrevRe.FindStringSubmatch(s); m != nil {
		mo, _ := strconv.Atoi(m[1])
		if mo >= 1 && mo <= 12 {
			d.Recurrence = &Recurrence{Freq: RecurYearly, DueMonth: mo, YearOffset: -1}
			return d
		}
	}
	d.Flags = append(d.Flags, "unparsed")
	return d
}

func lastDayOfMonth(y, m int) string {
	t := time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC)
	return t.Format("2006-01-02")
}
