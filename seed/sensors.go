package seed

import (
	"context"
	"math"
	"math/rand/v2"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
)

// Demo sensors (serve --demo, issue 13): a few clearly synthetic series, named
// "Cảm biến mô phỏng …" and tagged synthetic=true, whose points a goroutine publishes
// into the ingest path every few seconds, so that a newcomer sees the live tiles
// move; one has a threshold rule with hysteresis, so that its tile opens and closes.

// DemoSensor is one synthetic sensor: a slow wave around Base with noise, and now and
// then a spike.
type DemoSensor struct {
	Key, Name, Unit string
	Base, Wave      float64
	Noise, Spike    float64
	Decimals        int
}

// DemoSensors are the demo's sensors.
var DemoSensors = []DemoSensor{
	{Key: "mo-phong.khong-khi.pm25", Name: "Cảm biến mô phỏng — bụi mịn PM2.5, trạm trung tâm (dữ liệu giả lập)", Unit: "µg/m³",
		Base: 38, Wave: 10, Noise: 2.5, Spike: 30, Decimals: 1},
	{Key: "mo-phong.nuoc.muc-ho", Name: "Cảm biến mô phỏng — mực nước hồ chứa (dữ liệu giả lập)", Unit: "m",
		Base: 12.4, Wave: 0.3, Noise: 0.02, Decimals: 2},
	{Key: "mo-phong.cua-khau.luot-xe", Name: "Cảm biến mô phỏng — lượt xe qua cửa khẩu mỗi phút (dữ liệu giả lập)", Unit: "lượt/phút",
		Base: 14, Wave: 8, Noise: 3, Decimals: 0},
}

// DemoRuleKey is the key of the demo's threshold rule.
const DemoRuleKey = "mo-phong.pm25-cao"

// EnsureDemoSensors registers the demo's series and its threshold rule when missing.
func EnsureDemoSensors(ctx context.Context, st tinhso.SeriesStore, a *app.App) error {
	for _, d := range DemoSensors {
		if _, err := st.FindSeriesByKey(ctx, d.Key); err == nil {
			continue
		} else if tinhso.ErrorCode(err) != tinhso.ENOTFOUND {
			return err
		}
		s := &tinhso.Series{Key: d.Key, Name: d.Name, Unit: d.Unit, Tags: map[string]string{"synthetic": "true"}, RetentionDays: 7,
			Description: "Dữ liệu giả lập của chế độ trình diễn (serve --demo); không phải số liệu đo thật."}
		if err := st.CreateSeries(ctx, s); err != nil && tinhso.ErrorCode(err) != tinhso.ECONFLICT {
			return err
		}
	}
	if _, err := a.Store().FindAlertRule(ctx, DemoRuleKey); err == nil {
		return nil
	}
	th, margin := 50.0, 5.0
	r := &tinhso.AlertRule{Key: DemoRuleKey, Name: "Cảm biến mô phỏng: bụi mịn PM2.5 vượt 50 µg/m³ (dữ liệu giả lập)", Kind: tinhso.RuleSeriesThreshold,
		Severity: tinhso.SeverityInfo, Enabled: true, Subject: DemoSensors[0].Key, Op: "gt", Threshold: &th, ClearMargin: &margin,
		ClearAfter: tinhso.Duration(20 * time.Second)}
	if err := a.SaveAlertRule(ctx, r, 0); err != nil && tinhso.ErrorCode(err) != tinhso.ECONFLICT {
		return err
	}
	return nil
}

// RunDemoSensors publishes a point of each demo sensor every period until ctx ends;
// publish is the ingest path's (a plain number as an MQTT payload takes it).
func RunDemoSensors(ctx context.Context, every time.Duration, publish func(ctx context.Context, key string, v float64) error) {
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 13))
	t := time.NewTicker(every)
	defer t.Stop()
	spike := 0
	for i := 0; ; i++ {
		phase := float64(i) * 2 * math.Pi / 90 // a wave of 90 ticks
		if spike == 0 && rng.IntN(60) == 0 {
			spike = 12 // a spike lasts 12 ticks
		}
		for _, d := range DemoSensors {
			v := d.Base + d.Wave*math.Sin(phase) + d.Noise*(2*rng.Float64()-1)
			if spike > 0 && d.Spike > 0 {
				v += d.Spike
			}
			p := math.Pow(10, float64(d.Decimals))
			v = math.Max(0, math.Round(v*p)/p)
			_ = publish(ctx, d.Key, v) // a full writer drops a demo point: the next comes soon
		}
		if spike > 0 {
			spike--
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
