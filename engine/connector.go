package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tinhso/tinhso"
)

// The pure rules of connectors (issue 16): when a connector is due, how rows read from
// a source become values, whether the data changed, when failures raise an alert.

// FailuresToAlert is how many failed runs in a row open the connector's alert.
const FailuresToAlert = 3

// ShouldAlert says whether a connector with failures failed runs in a row is failing.
func ShouldAlert(failures int) bool { return failures >= FailuresToAlert }

// Cron is a parsed five-field cron expression (minute hour day-of-month month
// day-of-week), read in Asia/Ho_Chi_Minh. Fields take *, numbers, ranges a-b, steps
// */n and a-b/n, and lists; day-of-week 0 or 7 is Sunday. As in cron, when both days
// are restricted a time matches either.
type Cron struct {
	min, hour, dom, mon, dow uint64
	domAny, dowAny           bool
}

// ParseCron reads a cron expression; its error names the field.
func ParseCron(expr string) (Cron, error) {
	f := strings.Fields(expr)
	if len(f) != 5 {
		return Cron{}, tinhso.Invalid("schedule.cron", "connectors.err.cron_fields", expr)
	}
	var c Cron
	bounds := [5][2]int{{0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 7}}
	out := [5]*uint64{&c.min, &c.hour, &c.dom, &c.mon, &c.dow}
	for i, s := range f {
		bits, err := cronField(s, bounds[i][0], bounds[i][1])
		if err != nil {
			return Cron{}, tinhso.Invalid("schedule.cron", "connectors.err.cron_field", s, i+1)
		}
		*out[i] = bits
	}
	if c.dow&(1<<7) != 0 {
		c.dow |= 1
	}
	c.domAny, c.dowAny = f[2] == "*", f[4] == "*"
	return c, nil
}

func cronField(s string, lo, hi int) (uint64, error) {
	var bits uint64
	for _, part := range strings.Split(s, ",") {
		step := 1
		if i := strings.IndexByte(part, '/'); i >= 0 {
			n, err := strconv.Atoi(part[i+1:])
			if err != nil || n < 1 {
				return 0, fmt.Errorf("step")
			}
			step, part = n, part[:i]
		}
		a, b := lo, hi
		if part != "*" {
			x, y, ok := strings.Cut(part, "-")
			var err error
			if a, err = strconv.Atoi(x); err != nil {
				return 0, err
			}
			b = a
			if ok {
				if b, err = strconv.Atoi(y); err != nil {
					return 0, err
				}
			} else if step > 1 {
				b = hi
			}
		}
		if a < lo || b > hi || a > b {
			return 0, fmt.Errorf("range")
		}
		for v := a; v <= b; v += step {
			bits |= 1 << v
		}
	}
	return bits, nil
}

// Next returns the first time strictly after t that the expression matches, in Vietnam
// time (which has no daylight saving time), or the zero time when none comes within
// five years (31 February).
func (c Cron) Next(t time.Time) time.Time {
	t = t.In(tinhso.Location).Truncate(time.Minute).Add(time.Minute)
	end := t.AddDate(5, 0, 0)
	for t.Before(end) {
		if c.mon&(1<<int(t.Month())) == 0 {
			t = time.Date(t.Year(), t.Month()+1, 1, 0, 0, 0, 0, tinhso.Location)
			continue
		}
		if !c.dayMatches(t) {
			t = time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, tinhso.Location)
			continue
		}
		if c.hour&(1<<t.Hour()) == 0 {
			t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour()+1, 0, 0, 0, tinhso.Location)
			continue
		}
		if c.min&(1<<t.Minute()) != 0 {
			return t
		}
		t = t.Add(time.Minute)
	}
	return time.Time{}
}

func (c Cron) dayMatches(t time.Time) bool {
	dom, dow := c.dom&(1<<t.Day()) != 0, c.dow&(1<<int(t.Weekday())) != 0
	switch {
	case c.domAny && c.dowAny:
		return true
	case c.domAny:
		return dow
	case c.dowAny:
		return dom
	}
	return dom || dow
}

// NextDue returns when a connector is next due after the due time last (zero: never
// run) seen at now: the first scheduled time after last, but never one already past
// at now (missed times are not caught up: a connector runs once, then waits for the
// next time after now). The zero time means never (no schedule, or disabled).
func NextDue(c *tinhso.Connector, cron *Cron, last, now time.Time) time.Time {
	if !c.Enabled {
		return time.Time{}
	}
	switch {
	case c.Schedule.Every > 0:
		every := time.Duration(c.Schedule.Every)
		if last.IsZero() {
			return now
		}
		next := last.Add(every)
		if next.Before(now) {
			// Keep the phase of the interval, skipping the missed times.
			next = next.Add((now.Sub(next) / every) * every)
			if next.Before(now) {
				next = next.Add(every)
			}
		}
		return next
	case cron != nil:
		from := last
		if from.Before(now.Add(-time.Minute)) {
			from = now.Add(-time.Minute)
		}
		return cron.Next(from)
	}
	return time.Time{}
}

// Row is one row a source read: its number (1-based) or path, and the fields the
// mapping names (missing: the source had no such column or field).
type Row struct {
	N      int
	Path   string
	Fields map[string]any
}

// ParseNumber reads a number as Vietnamese sources write it: "12,5" (decimal comma),
// "1.234,5" and "1 234,5" (grouped), "1,234.5", "12.5", "45%"; JSON numbers as they are.
func ParseNumber(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, !math.IsNaN(x) && !math.IsInf(x, 0)
	case int64:
		return float64(x), true
	case int:
		return float64(x), true
	case int32:
		return float64(x), true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	case string:
		return parseNumberText(x)
	}
	return 0, false
}

func parseNumberText(s string) (float64, bool) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "").Replace(s)
	if s == "" {
		return 0, false
	}
	comma, dot := strings.LastIndexByte(s, ','), strings.LastIndexByte(s, '.')
	switch {
	case comma >= 0 && dot >= 0:
		if comma > dot { // 1.234,5
			s = strings.ReplaceAll(s[:comma], ".", "") + "." + s[comma+1:]
		} else { // 1,234.5
			s = strings.ReplaceAll(s, ",", "")
		}
	case comma >= 0:
		if strings.Count(s, ",") > 1 { // 1,234,567
			s = strings.ReplaceAll(s, ",", "")
		} else {
			s = strings.Replace(s, ",", ".", 1)
		}
	case strings.Count(s, ".") > 1: // 1.234.567
		s = strings.ReplaceAll(s, ".", "")
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// ParseTime reads a time as sources write it, in Vietnam time when it names no zone:
// RFC 3339, yyyy-mm-dd, yyyy-mm-dd hh:mm[:ss], dd/mm/yyyy, dd/mm/yyyy hh:mm[:ss],
// a time.Time (SQL), or epoch seconds or milliseconds.
func ParseTime(v any) (time.Time, bool) {
	switch x := v.(type) {
	case time.Time:
		return x, !x.IsZero()
	case float64, int64, int, json.Number:
		f, ok := ParseNumber(x)
		if !ok || f < 0 {
			return time.Time{}, false
		}
		if f > 1e11 {
			return time.UnixMilli(int64(f)), true
		}
		return time.Unix(int64(f), 0), true
	case string:
		s := strings.TrimSpace(x)
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return t, true
		}
		for _, layout := range []string{"2006-01-02", "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04:05",
			"02/01/2006", "2/1/2006", "02/01/2006 15:04:05", "02/01/2006 15:04", "2/1/2006 15:04"} {
			if t, err := time.ParseInLocation(layout, s, tinhso.Location); err == nil {
				return t, true
			}
		}
	}
	return time.Time{}, false
}

// MapRows turns rows into values as the mapping says: each row's time and value read
// from the fields the mapping names. Every row that fails gives an error (its row or
// path, what was wrong) and no value; the caller writes nothing when there is one. For
// an indicator each value is dated on its period's last day, and of several values of
// one period the latest in time counts (equal times: the later row).
func MapRows(m *tinhso.ConnectorMapping, rows []Row) ([]tinhso.ConnectorValue, []tinhso.ConnectorError) {
	var vals []tinhso.ConnectorValue
	var errs []tinhso.ConnectorError
	fail := func(r *Row, key string, args ...any) {
		errs = append(errs, tinhso.ConnectorError{Row: r.N, Path: r.Path, Message: tinhso.M(key, args...)})
	}
	for i := range rows {
		r := &rows[i]
		tv, okT := r.Fields[m.Time]
		vv, okV := r.Fields[m.Value]
		if !okT {
			fail(r, "connectors.err.missing_field", m.Time)
			continue
		}
		if !okV {
			fail(r, "connectors.err.missing_field", m.Value)
			continue
		}
		t, ok := ParseTime(tv)
		if !ok {
			fail(r, "connectors.err.bad_time", m.Time, fmt.Sprint(tv))
			continue
		}
		if vv == nil {
			fail(r, "connectors.err.null_value", m.Value)
			continue
		}
		v, ok := ParseNumber(vv)
		if !ok {
			fail(r, "connectors.err.bad_number", m.Value, fmt.Sprint(vv))
			continue
		}
		cv := tinhso.ConnectorValue{Row: r.N, Time: t, Value: v}
		if m.Target == tinhso.TargetIndicator {
			sp := tinhso.FeedSpanOf(m.Period, t)
			cv.Date, cv.Period = sp.Date, sp.Label
		}
		vals = append(vals, cv)
	}
	if m.Target == tinhso.TargetIndicator && len(vals) > 1 {
		slices.SortStableFunc(vals, func(a, b tinhso.ConnectorValue) int {
			if c := strings.Compare(a.Date, b.Date); c != 0 {
				return c
			}
			return a.Time.Compare(b.Time)
		})
		out := vals[:0]
		for _, v := range vals {
			if n := len(out); n > 0 && out[n-1].Date == v.Date {
				out[n-1] = v
				continue
			}
			out = append(out, v)
		}
		vals = out
	}
	return vals, errs
}

// Digest is the digest of the values a run read (times in UTC nanoseconds, values as
// their exact bits), so that an unchanged source is recognised whatever its formatting.
func Digest(vals []tinhso.ConnectorValue) string {
	h := sha256.New()
	var b []byte
	for _, v := range vals {
		b = strconv.AppendInt(b[:0], v.Time.UnixNano(), 10)
		b = append(b, ' ')
		b = append(b, v.Date...)
		b = append(b, ' ')
		b = strconv.AppendUint(b, math.Float64bits(v.Value), 16)
		b = append(b, '\n')
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Unchanged says whether a run's data is the last successful run's: then it writes
// nothing.
func Unchanged(c *tinhso.Connector, digest string) bool {
	return c.Digest != "" && c.Digest == digest
}

// FirstErrors keeps the first MaxConnectorErrors errors.
func FirstErrors(errs []tinhso.ConnectorError) []tinhso.ConnectorError {
	if len(errs) > tinhso.MaxConnectorErrors {
		return errs[:tinhso.MaxConnectorErrors]
	}
	return errs
}

// ConnectorRuleKey is the key of the rule of failing connectors, made when a connector
// first fails FailuresToAlert times in a row (an admin may change its severity and
// timings, or disable it, on the rules page).
const ConnectorRuleKey = "connectors.failing"

// ConnectorRule is that rule as first made.
func ConnectorRule() tinhso.AlertRule {
	return tinhso.AlertRule{Key: ConnectorRuleKey, Name: "connectors.rule.name", Kind: tinhso.RuleConnectorFailing,
		Severity: tinhso.SeverityWarning, Enabled: true, EvalInterval: DefaultEvalInterval,
		RepeatInterval: DefaultRepeatInterval, EscalationDelay: DefaultEscalationDelay}
}

// ConnectorFinding is the alert of a connector that failed failures runs in a row, the
// last with its first error.
func ConnectorFinding(r *tinhso.AlertRule, c *tinhso.Connector, failures int, last *tinhso.ConnectorRun) Finding {
	args := map[string]any{"name": short(c.Name), "failures": failures}
	return Finding{Key: AlertKey(r.Key, "connector", c.Name, c.OrgUnit), Rule: r.Key, Kind: r.Kind, Severity: r.Severity,
		OrgUnit: c.OrgUnit, Subject: tinhso.AlertSubject{Kind: "connector", Key: c.Name, Title: short(c.Name)},
		Message: tinhso.M("connectors.alert.failing", args),
		Reasons: []tinhso.Reason{{Class: "connector", Rule: "connectors.alert.failing", Key: "connectors.alert.failing", Args: args}}}
}
