package ingest

import (
	"math"
	"testing"
	"time"

	"github.com/tinhso/tinhso/tsdb"
)

// The fast path returns what tsdb.ParseLines returns, or nothing.
func FuzzFastLines(f *testing.F) {
	for _, s := range []string{
		"temp value=21.5 1767200400\n",
		"air,kind=pm,site=hn pm25=12,pm10=30.25 1767200400\nair,kind=pm,site=hn pm25=13\n",
		"a value=-0.0\n\nb value=007.50 0\n",
		"a value=1,value=2 1\n",
		"a,z=1,b=2 value=1 1\n",
		"a value=1e5 1\n",
		"a value=1i 1\n",
		"a value=-9007199254740992i,b=9007199254740993i 1\n",
		"a value=12u 1\n",
		"a value=-0i 1\n",
		"a value=NaN 1\n",
		"a value=1 99999999999999999999\n",
		"a value=1 1\r\n",
		"# comment\na value=1\n",
		"a value=1. 1\n",
		"a value=.5 1\n",
		"a,t=x value=1 1 \n",
		"a  value=1 1\n",
		"-a value=1 1\n",
		"a value=1 -1\n",
		"a f1=1,f2=2,f3=3,f4=4,f5=5,f6=6,f7=7,f8=8,f9=9 1\n",
	} {
		f.Add([]byte(s), int64(time.Second))
	}
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, body []byte, unit int64) {
		switch unit {
		case 1, int64(time.Microsecond), int64(time.Millisecond), int64(time.Second), int64(time.Minute), int64(time.Hour):
		default:
			unit = 1
		}
		opt := tsdb.ParseOptions{Unit: time.Duration(unit), Now: now, MaxPoints: 50}
		fast, ok := parseLinesFast(body, opt)
		if !ok {
			return
		}
		slow, err := tsdb.ParseLines(body, opt)
		if err != nil {
			t.Fatalf("%q: the fast path took it, ParseLines refused: %v", body, err)
		}
		if len(fast.Series) != len(slow.Series) || len(fast.Points) != len(slow.Points) {
			t.Fatalf("%q: fast %v %v, slow %v %v", body, fast.Series, fast.Points, slow.Series, slow.Points)
		}
		for i := range fast.Series {
			if fast.Series[i] != slow.Series[i] {
				t.Fatalf("%q: series %d: fast %q, slow %q", body, i, fast.Series[i], slow.Series[i])
			}
		}
		for i, p := range fast.Points {
			q := slow.Points[i]
			if p.Series != q.Series || p.T != q.T || math.Float64bits(p.V) != math.Float64bits(q.V) {
				t.Fatalf("%q: point %d: fast %+v, slow %+v", body, i, p, q)
			}
		}
	})
}

// The lines collectors send go the fast way.
func TestFastLinesTaken(t *testing.T) {
	for _, s := range []string{
		"temp value=21.5 1767200400\n",
		"air,kind=pm,site=hn pm25=12,pm10=30.25 1767200400\nair,kind=pm,site=hn pm25=13",
		"sensor_42 value=-0.01 1767200400\n\n",
		"cpu,host=a usage_idle=98.5,uptime=12345i 1767200400",
	} {
		if _, ok := parseLinesFast([]byte(s), tsdb.ParseOptions{Unit: time.Second, Now: time.Unix(1767200400, 0)}); !ok {
			t.Errorf("%q went the slow way", s)
		}
	}
}
