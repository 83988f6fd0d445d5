package seed

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
)

// HistoryName names the seed's history in the seed log: loaded once, apart from the
// plan, so that databases seeded before the history existed get it too.
const HistoryName = "history-2026-v1"

// DemoName names the demo data (serve --demo) in the seed log.
const DemoName = "demo-2026-v1"

// DemoHistoryFile is the synthetic history of the demo, in seed/examples.
//
//go:embed examples/history-demo.csv
var DemoHistoryFile []byte

// HistoryStore is what loading the history needs of storage.
type HistoryStore interface {
	Store
	ImportHistory(ctx context.Context, figs []tinhso.HistoryFigure) (int, error)
}

// LoadHistory adds the seed's history (the figures the source documents give of the
// indicators' past, each with its passage) unless it was added before. It reports
// whether it loaded.
func LoadHistory(ctx context.Context, st HistoryStore) (bool, error) {
	set, err := Read()
	if err != nil {
		return false, err
	}
	return once(ctx, st, HistoryName, func(ctx context.Context) error {
		_, err := st.ImportHistory(ctx, set.History)
		return err
	})
}

func once(ctx context.Context, st Store, name string, fn func(ctx context.Context) error) (bool, error) {
	loaded := false
	err := st.InTx(ctx, func(ctx context.Context) error {
		if err := st.Lock(ctx, "tinhso-seed"); err != nil {
			return err
		}
		if done, err := st.SeedLoaded(ctx, name); err != nil || done {
			return err
		}
		if err := fn(ctx); err != nil {
			return err
		}
		loaded = true
		return st.MarkSeedLoaded(ctx, name, name)
	})
	return loaded, err
}

// DemoDocument is the demo's own, clearly synthetic document: its indicators have a
// horizon that has passed, so that the board shows every class (missed too).
var DemoDocument = tinhso.Document{Slug: "minh-hoa", Kind: "other", Number: "MINH-HOA",
	Title:  "Dữ liệu minh họa (tổng hợp, không phải số liệu thực tế)",
	Issuer: "tinhso — dữ liệu minh họa", Note: "Tạo bởi tinhso serve --demo; mọi số liệu của văn bản này là giả định."}

// DemoIndicators are the demo document's indicators.
var DemoIndicators = []tinhso.Indicator{
	{Document: "minh-hoa", Code: "MH.1", Name: "Tỷ lệ hồ sơ minh họa được xử lý đúng hạn (giả định)", Unit: "%", TargetText: "≥ 95", Horizon: 2025},
	{Document: "minh-hoa", Code: "MH.2", Name: "Mức độ hài lòng minh họa (định tính, giả định)", TargetText: "Đạt mức tốt", Horizon: 2030},
}

// LoadDemo adds the demo data unless it was added before: the demo document and the
// synthetic history of seed/examples/history-demo.csv, every figure marked synthetic.
func LoadDemo(ctx context.Context, st HistoryStore, a *app.App) (bool, error) {
	loaded, err := once(ctx, st, DemoName, func(ctx context.Context) error {
		d := DemoDocument
		if err := st.CreateDocument(ctx, &d); err != nil {
			return fmt.Errorf("demo document: %w", err)
		}
		for _, x := range DemoIndicators {
			ind := x
			if err := st.CreateIndicator(ctx, &ind); err != nil {
				return fmt.Errorf("demo indicator %s: %w", x.Code, err)
			}
		}
		return nil
	})
	if err != nil || !loaded {
		return loaded, err
	}
	if _, err := a.ImportHistory(ctx, bytes.NewReader(DemoHistoryFile), app.HistoryCSV, true); err != nil {
		return true, fmt.Errorf("demo history: %w", err)
	}
	return true, nil
}
