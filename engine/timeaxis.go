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
	num := func(b string) (int, bool) {
		n := 0
		for i := 0; i < len(b); i++ {
			c := b[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	y, ok1 := num(s[0:4])
	m, ok2 := num(s[5:7])
	d, ok3 := num(s[8:10])
	if !ok1 || !ok2 || !ok3 || m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return 0, false
	}
	return civilDay(y, m, d), true
}

// civilDay counts the days from 1970-01-01 to a date of the proleptic Gregorian
// calendar (H. Hinnant's days_from_civil).
func civilDay(y, m, d int) day {
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

// String shows the day as yyyy-mm-dd.
func (d day) String() string {
	return time.Unix(int64(d)*86400, 0).UTC().Format(time.DateOnly)
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
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
