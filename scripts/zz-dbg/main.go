package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/sqldb"
)

func main() {
	ctx := context.Background()
	db, err := sqldb.Open(ctx, sqldb.Config{Path: os.Args[1], URL: os.Getenv("DBURL")})
	if err != nil {
		panic(err)
	}
	t := func(name string, f func() error) {
		t0 := time.Now()
		err := f()
		fmt.Printf("%-30s %8.1f ms %v\n", name, float64(time.Since(t0).Microseconds())/1000, err)
	}
	for i := 0; i < 2; i++ {
		t("FindTasks50", func() error { _, _, err := db.FindTasks(ctx, tinhso.TaskFilter{Page: tinhso.Page{Limit: 50}}); return err })
		t("FindIndicators50", func() error { _, _, err := db.FindIndicators(ctx, tinhso.IndicatorFilter{Page: tinhso.Page{Limit: 50}}); return err })
		t("FindMeasures50", func() error { _, _, err := db.FindMeasures(ctx, tinhso.Page{Limit: 50}); return err })
		t("FindOrgUnits1", func() error { _, _, err := db.FindOrgUnits(ctx, tinhso.OrgUnitFilter{Page: tinhso.Page{Limit: 1}}); return err })
		t("FindDocuments", func() error { _, _, err := db.FindDocuments(ctx, tinhso.DocumentFilter{Page: tinhso.Page{Limit: 1000}}); return err })
		t("TallyTasks", func() error { _, err := db.TallyTasks(ctx, tinhso.TaskFilter{}); return err })
		t("TaskSections", func() error { _, err := db.TaskSections(ctx, ""); return err })
		t("CountGone", func() error { _, err := db.CountGoneAgencies(ctx, tinhso.TaskFilter{}, tinhso.IndicatorFilter{}); return err })
		t("CountIndicators", func() error { _, err := db.CountIndicators(ctx, tinhso.IndicatorFilter{}); return err })
		t("FindPeriods", func() error { _, err := db.FindPeriods(ctx, ""); return err })
		t("SubmissionStates", func() error { _, err := db.FindSubmissionStates(ctx); return err })
		t("ApprovedProgress", func() error { _, err := db.ApprovedProgress(ctx, nil); return err })
		t("Disagreeing", func() error { _, _, err := db.FindDisagreeingMeasures(ctx, tinhso.Page{Limit: 10}); return err })
		t("TallyProblems", func() error { _, err := db.TallyProblems(ctx); return err })
		t("Successions", func() error { _, err := db.FindSuccessions(ctx, ""); return err })
		t("Regimes", func() error { _, err := db.FindRegimes(ctx); return err })
		t("CountByDocument", func() error { _, err := db.CountByDocument(ctx); return err })
	}
}
