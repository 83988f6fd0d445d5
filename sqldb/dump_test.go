package sqldb_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/sqldb"
	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

func mustExport(t *testing.T, db *sqldb.DB) []byte {
	t.Helper()
	d, err := db.Export(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := sqldb.WriteDump(&b, d); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func mustImport(t *testing.T, db *sqldb.DB, dump []byte) {
	t.Helper()
	d, err := sqldb.ReadDump(bytes.NewReader(dump))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Import(context.Background(), d); err != nil {
		t.Fatal(err)
	}
}

// A whole instance moves from SQLite to every engine and back; each export equals the
// first, byte for byte.
func TestExportImportRoundTrip(t *testing.T) {
	ctx := context.Background()
	src := sqldbtest.OpenSeeded(t, "sqlite")
	// A child created before its parent exercises the self-reference.
	if _, _, err := src.ImportOrgUnits(ctx, []*tinhso.OrgUnit{
		{Code: "xa-con", Name: "Xã Con", Kind: tinhso.KindCommune, ParentCode: "huyen-cha"},
		{Code: "huyen-cha", Name: "Cha", Kind: tinhso.KindOther},
	}, tinhso.OrgUnitImport{}); err != nil {
		t.Fatal(err)
	}
	first := mustExport(t, src)
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			dst := sqldbtest.Open(t, engine)
			mustImport(t, dst, first)
			if again := mustExport(t, dst); !bytes.Equal(first, again) {
				t.Fatalf("export after import into %s differs (%d vs %d bytes)", engine, len(first), len(again))
			}
			// And back into a fresh SQLite.
			back := sqldbtest.Open(t, "sqlite")
			mustImport(t, back, mustExport(t, dst))
			if third := mustExport(t, back); !bytes.Equal(first, third) {
				t.Fatalf("export after the way back differs")
			}
			// The imported database takes new rows with new ids.
			d := &tinhso.Document{Slug: "moi", Kind: "plan", Title: "Mới"}
			if err := dst.CreateDocument(ctx, d); err != nil || d.ID != 6 {
				t.Errorf("new document after import: id %d, %v", d.ID, err)
			}
			// Importing into a database that holds data is refused, and changes nothing.
			before := mustExport(t, dst)
			dump, _ := sqldb.ReadDump(bytes.NewReader(first))
			if err := dst.Import(ctx, dump); tinhso.ErrorCode(err) != tinhso.ECONFLICT {
				t.Errorf("import into a non-empty database: %v", err)
			}
			if after := mustExport(t, dst); !bytes.Equal(before, after) {
				t.Errorf("a refused import changed the database")
			}
		})
	}
}
