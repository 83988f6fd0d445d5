package sqldb_test

import (
	"context"
	"testing"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

// TestDataVersion: every committed change of the plan moves the data version on, one
// made through another connection (as another process would) too, and reads do not.
func TestDataVersion(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		db := sqldbtest.OpenSeeded(t, engine)
		version := func() int64 {
			t.Helper()
			n, err := db.DataVersion(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		v0 := version()
		if _, _, err := db.FindTasks(ctx, tinhso.TaskFilter{Page: tinhso.Page{Limit: 10}}); err != nil {
			t.Fatal(err)
		}
		if v := version(); v != v0 {
			t.Fatalf("a read moved the version from %d to %d", v0, v)
		}
		if err := db.CreateDocument(ctx, &tinhso.Document{Slug: "dv-thu", Kind: "plan", Number: "9/KH-DV", Title: "Kế hoạch thử"}); err != nil {
			t.Fatal(err)
		}
		v1 := version()
		if v1 <= v0 {
			t.Fatalf("creating a document left the version at %d (was %d)", v1, v0)
		}
		// A raw statement, as another process would write, moves it too.
		if err := db.Exec(`UPDATE documents SET title = 'Kế hoạch đổi tên' WHERE slug = 'dv-thu'`); err != nil {
			t.Fatal(err)
		}
		if v := version(); v <= v1 {
			t.Fatalf("an update left the version at %d (was %d)", v, v1)
		}
	})
}
