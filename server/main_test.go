package server_test

import (
	"os"
	"testing"

	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

func TestMain(m *testing.M) { os.Exit(sqldbtest.Main(m)) }
