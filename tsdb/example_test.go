package tsdb_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/tinhso/tinhso/tsdb"
)

func ExampleParseLines() {
	body := []byte("temp value=21.37 1772366400\n" +
		"air,site=hn,dev=a1 pm25=12i,value=3.5 1772366400\n")
	b, err := tsdb.ParseLines(body, tsdb.ParseOptions{Unit: time.Second, Now: time.Unix(1772366400, 0)})
	if err != nil {
		panic(err)
	}
	for i, p := range b.Points {
		fmt.Println(b.Key(i), time.Unix(0, p.T).UTC().Format(time.RFC3339), p.V)
	}

	_, err = tsdb.ParseLines([]byte("ok value=1\nbad value=NaN\nworse on=true\n"), tsdb.ParseOptions{})
	var be *tsdb.BatchError
	if errors.As(err, &be) {
		for _, l := range be.Lines {
			fmt.Println(l.Line, l.Key)
		}
	}
	// Output:
	// temp 2026-03-01T12:00:00Z 21.37
	// air,dev=a1,site=hn.pm25 2026-03-01T12:00:00Z 12
	// air,dev=a1,site=hn 2026-03-01T12:00:00Z 3.5
	// 2 ingest.line.not_finite
	// 3 ingest.line.wrong_type
}

func ExampleLayout_FoldHead() {
	l, _ := tsdb.NewLayout(tsdb.DefaultBlockSpan, vietnam)
	h := int64(time.Hour)
	stored := map[int64][]tsdb.Point{0: {{T: 10, V: 1}, {T: 20, V: 2}}}
	// Two batches: a late point, a duplicate (the later write wins), a new block.
	head := tsdb.MergeHeads(
		tsdb.Normalize([]tsdb.Point{{T: 20, V: 5}, {T: 15, V: 4}}),
		tsdb.Normalize([]tsdb.Point{{T: 20, V: 6}, {T: 3 * h, V: 7}}),
	)
	blocks, _ := l.FoldHead(head, func(start int64) ([]tsdb.Point, error) { return stored[start], nil })
	for _, b := range blocks {
		fmt.Println(b.Start/h, b.Points)
	}
	// Output:
	// 0 [{10 1} {15 4} {20 6}]
	// 2 [{10800000000000 7}]
}
