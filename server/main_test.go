package server_test

import (
	"os"
	"testing"

	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

func TestMain(m *testing.M) {
	code := sqldbtest.Main(m)
	closeBrowser()
	os.Exit(code)
}
