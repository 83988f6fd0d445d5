package engine

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/tinhso/tinhso"
)

// DaysPerYear turns days into years on the forecast's time axis: the mean Julian year,
// so that a leap day does not bend the line.
const DaysPerYear = 365.25

// Today is the calendar day of an instant in the province's time zone, as yyyy-mm-dd:
// deadlines are judged on Vietnamese days, whatever the server's zone.
func Today(now time.Time) string {
	return now.In(tinhso.Location).Format(time.DateOnly)
}

// day is a date as a number of days since 1970-01-01, so that date arithmetic over
// millions of figures is integer arithmetic, not time.Parse.
type day int

// parseDay reads a yyyy-mm-dd date. It is written by hand because it runs once per
// figure: the benchmark's 1.8 million figures would spend most of their time in
// time.Parse.
func parseDay(s string) (day, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, false
	}
	// Bytes below '0' wrap around to large values, so one comparison checks a digit.
	d0, d1, d2, d3, m0, m1, a0, a1 := s[0]-'0', s[1]-'0', s[2]-'0', s[3]-'0', s[5]-'0', s[6]-'0', s[8]-'0', s[9]-'0'
	if d0 > 9 || d1 > 9 || d2 > 9 || d3 > 9 || m0 > 9 || m1 > 9 || a0 > 9 || a1 > 9 {
		return 0, false
	}
	y := int(d0)*1000 + int(d1)*100 + int(d2)*10 + int(d3)
	m, d := int(m0)*10+int(m1), int(a0)*10+int(a1)
	if m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return 0, false
	}
	return civilDay(y, m, d), true
}

// civilDay counts the days from 1970-01-01 to a date of the proleptic Gregorian
// calendar: from a table for the years a plan names (it runs once per figure), by H.
// Hinnant's days_from_civil for the others.
func civilDay(y, m, d int) day {
	if y >= tableFrom && y < tableFrom+len(yearStart) {
		leap := 0
		if m > 2 && isLeap(y) {
			leap = 1
		}
		return yearStart[y-tableFrom] + monthStart[m-1] + day(leap+d-1)
	}
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return day(era*146097 + doe - 719468)
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// tableFrom is the first year of yearStart.
const tableFrom = 1900

// monthStart is the day of the year each month starts on, in a common year.
var monthStart = [12]day{0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334}

// yearStart is the day 1 January of each year from 1900 to 2199 falls on. Computed
// once, never changed.
var yearStart = func() (t [300]day) {
	d := day(-25567) // 1900-01-01
	for i := range t {
		t[i] = d
		d += 365
		if isLeap(tableFrom + i) {
			d++
		}
	}
	return t
}()

// civil is the date of a day (H. Hinnant's civil_from_days), the inverse of civilDay.
func (d day) civil() (y, m, dd int) {
	z := int(d) + 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	dd = doy - (153*mp+2)/5 + 1
	m = mp + 3
	if m > 12 {
		m -= 12
	}
	y = yoe + era*400
	if m <= 2 {
		y++
	}
	return y, m, dd
}

func (d day) year() int { y, _, _ := d.civil(); return y }

// String shows the day as yyyy-mm-dd, by hand for the same reason as parseDay.
func (d day) String() string {
	y, m, dd := d.civil()
	if y < 0 || y > 9999 {
		return time.Unix(int64(d)*86400, 0).UTC().Format(time.DateOnly)
	}
	b := [10]byte{byte('0' + y/1000), byte('0' + y/100%10), byte('0' + y/10%10), byte('0' + y%10), '-',
		byte('0' + m/10), byte('0' + m%10), '-', byte('0' + dd/10), byte('0' + dd%10)}
	return string(b[:])
}

// dayOf is the Vietnamese calendar day of an instant.
func dayOf(t time.Time) day {
	y, m, d := t.In(tinhso.Location).Date()
	return civilDay(y, int(m), d)
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if isLeap(y) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// PeriodEnd is the date a period's figure sits on: the period's last day. It reads the
// labels of reporting periods ("T3/2026", "Q1/2026", "6T/2026", "9T/2026", "2026") and
// yyyy-mm-dd dates, which are their own day.
func PeriodEnd(label string) (string, error) {
	s := strings.TrimSpace(label)
	if _, ok := parseDay(s); ok {
		return s, nil
	}
	bad := fmt.Errorf("engine: %q is not a period label (T3/2026, Q1/2026, 6T/2026, 9T/2026, 2026) nor a date", label)
	year := func(t string) (int, bool) {
		y, err := strconv.Atoi(t)
		return y, err == nil && len(t) == 4 && y >= 1900
	}
	end := func(y, m int) string { return fmt.Sprintf("%04d-%02d-%02d", y, m, daysIn(y, m)) }
	prefix, yearText, found := strings.Cut(s, "/")
	if !found {
		if y, ok := year(s); ok {
			return end(y, 12), nil
		}
		return "", bad
	}
	y, ok := year(yearText)
	if !ok {
		return "", bad
	}
	switch p := strings.ToUpper(prefix); {
	case p == "6T":
		return end(y, 6), nil
	case p == "9T":
		return end(y, 9), nil
	case len(p) == 2 && p[0] == 'Q' && p[1] >= '1' && p[1] <= '4':
		return end(y, 3*int(p[1]-'0')), nil
	case len(p) >= 2 && p[0] == 'T':
		if m, err := strconv.Atoi(p[1:]); err == nil && m >= 1 && m <= 12 {
			return end(y, m), nil
		}
	}
	return "", bad
}
