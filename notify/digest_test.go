package notify_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tinhso/tinhso/notify"
)

// catalogue holds the texts of the catalogues (notify.*) that the tests use, and two
// alert texts standing for those the alert rules will have.
var catalogue = map[string]map[string]string{
	"vi": {
		"notify.digest.subject_one":  "[tinhso] {text}",
		"notify.digest.subject_many": "[tinhso] {count} thông báo mới",
		"notify.digest.intro_one":    "Có 1 thông báo mới lúc {from}:",
		"notify.digest.intro_many":   "Có {count} thông báo mới từ {from} đến {to}:",
		"notify.digest.open":         "Xem: {url}",
		"notify.digest.footer":       "Bạn nhận thư này vì đã chọn nhận thông báo qua thư điện tử. Thay đổi lựa chọn tại {settings_url}",
		"notify.severity.info":       "Thông tin",
		"notify.severity.warning":    "Cảnh báo",
		"notify.severity.critical":   "Nghiêm trọng",
		"notify.test_email.subject":  "[tinhso] Thư thử nghiệm từ máy chủ {host}",
		"notify.test_email.body":     "Đây là thư thử nghiệm do {user} gửi lúc {time} từ trang cài đặt thư điện tử của tinhso, qua máy chủ SMTP {host}.\n\nNếu bạn đọc được thư này, cài đặt thư điện tử đã đúng; không cần trả lời.",
		"alert.task_overdue":         "Nhiệm vụ {task} của {unit} đã quá hạn {days} ngày",
		"alert.indicator_off_track":  "Chỉ tiêu {indicator} có nguy cơ không đạt: dự báo {forecast} so với mục tiêu {target}",
	},
	"en": {
		"notify.digest.subject_one":  "[tinhso] {text}",
		"notify.digest.subject_many": "[tinhso] {count} new notifications",
		"notify.digest.intro_one":    "1 new notification at {from}:",
		"notify.digest.intro_many":   "{count} new notifications from {from} to {to}:",
		"notify.digest.open":         "Open: {url}",
		"notify.severity.info":       "Info",
		"notify.severity.warning":    "Warning",
		"notify.severity.critical":   "Critical",
		"alert.task_overdue":         "Task {task} of {unit} is {days} days overdue",
		"alert.indicator_off_track":  "Indicator {indicator} is off track: forecast {forecast} against target {target}",
	},
}

func translator(t *testing.T, lang string) notify.Translate {
	return func(key string, args map[string]any) string {
		text, ok := catalogue[lang][key]
		if !ok {
			t.Errorf("no %s text for %q", lang, key)
			return key
		}
		for k, v := range args {
			text = strings.ReplaceAll(text, "{"+k+"}", fmt.Sprint(v))
		}
		return text
	}
}

var t0 = time.Date(2026, 12, 1, 1, 0, 0, 0, time.UTC) // 08:00 in Asia/Ho_Chi_Minh

func overdue(id int64, to string, ch notify.Channel, sev notify.Severity, minutes int) notify.Item {
	return notify.Item{
		ID: id, Recipient: to, Channel: ch, Severity: sev,
		Message:   notify.Message{Key: "alert.task_overdue", Args: map[string]any{"task": fmt.Sprint(id), "unit": "Sở Khoa học và Công nghệ", "days": 3}},
		Link:      fmt.Sprintf("/alerts/%d", id),
		CreatedAt: t0.Add(time.Duration(minutes) * time.Minute),
	}
}

func TestGroupTenIntoOne(t *testing.T) {
	t.Parallel()
	var items []notify.Item
	for i := range 10 {
		items = append(items, overdue(int64(i+1), "user:7", notify.ChannelEmail, notify.Warning, i))
	}
	ds := notify.Group(items)
	if len(ds) != 1 || len(ds[0].Items) != 10 {
		t.Fatalf("ten alerts for one recipient made %d digests", len(ds))
	}
	d := ds[0]
	if !d.From.Equal(t0) || !d.To.Equal(t0.Add(9*time.Minute)) || d.Recipient != "user:7" || d.Channel != notify.ChannelEmail {
		t.Errorf("digest %+v", d)
	}
	r := notify.RenderEmail(d, translator(t, "vi"), notify.RenderOptions{BaseURL: "https://ioc.thainguyen.example.vn/", SettingsPath: "/settings/notifications"})
	if r.Subject != "[tinhso] 10 thông báo mới" {
		t.Errorf("subject %q", r.Subject)
	}
	if !strings.HasPrefix(r.Text, "Có 10 thông báo mới từ 01/12/2026 08:00 đến 01/12/2026 08:09:\n\n1. [Cảnh báo] Nhiệm vụ 1 của Sở Khoa học và Công nghệ đã quá hạn 3 ngày\n   01/12/2026 08:00 · Xem: https://ioc.thainguyen.example.vn/alerts/1\n") {
		t.Errorf("text:\n%s", r.Text)
	}
	for i := 1; i <= 10; i++ {
		line := fmt.Sprintf("%d. [Cảnh báo] Nhiệm vụ %d của", i, i)
		if !strings.Contains(r.Text, line) || !strings.Contains(r.HTML, fmt.Sprintf(`<a href="https://ioc.thainguyen.example.vn/alerts/%d">Nhiệm vụ %d của`, i, i)) {
			t.Errorf("item %d missing", i)
		}
	}
	if !strings.HasSuffix(r.Text, "-- \nBạn nhận thư này vì đã chọn nhận thông báo qua thư điện tử. Thay đổi lựa chọn tại https://ioc.thainguyen.example.vn/settings/notifications\n") {
		t.Errorf("footer:\n%s", r.Text)
	}
}

func TestGroupManyRecipients(t *testing.T) {
	t.Parallel()
	items := []notify.Item{
		overdue(1, "user:2", notify.ChannelEmail, notify.Info, 5),
		overdue(2, "user:1", notify.ChannelEmail, notify.Warning, 4),
		overdue(3, "user:1", notify.ChannelEmail, notify.Critical, 6),
		overdue(4, "user:1", notify.ChannelWebhook, notify.Info, 1),
		overdue(5, "user:1", notify.ChannelEmail, notify.Warning, 1),
		overdue(6, "webhook:3", notify.ChannelWebhook, notify.Critical, 2),
		overdue(5, "user:1", notify.ChannelEmail, notify.Warning, 1), // twice: kept once
		overdue(7, "user:1", notify.ChannelEmail, notify.Warning, 1), // same time as 5: by id
	}
	want := []struct {
		recipient string
		channel   notify.Channel
		ids       []int64
	}{
		{"user:1", notify.ChannelEmail, []int64{3, 5, 7, 2}}, // critical first, then oldest, then id
		{"user:1", notify.ChannelWebhook, []int64{4}},
		{"user:2", notify.ChannelEmail, []int64{1}},
		{"webhook:3", notify.ChannelWebhook, []int64{6}},
	}
	first := notify.Group(items)
	check := func(ds []notify.Digest) {
		t.Helper()
		if len(ds) != len(want) {
			t.Fatalf("%d digests, want %d", len(ds), len(want))
		}
		for i, w := range want {
			if ds[i].Recipient != w.recipient || ds[i].Channel != w.channel || !reflect.DeepEqual(ds[i].IDs(), w.ids) {
				t.Errorf("digest %d: %s %s %v, want %s %s %v", i, ds[i].Recipient, ds[i].Channel, ds[i].IDs(), w.recipient, w.channel, w.ids)
			}
		}
	}
	check(first)
	// Whatever order the notifications come in, the digests are the same.
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20 {
		shuffled := append([]notify.Item(nil), items...)
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		ds := notify.Group(shuffled)
		check(ds)
		if !reflect.DeepEqual(ds, first) {
			t.Fatal("the order of the input changed the digests")
		}
	}
	if len(notify.Group(nil)) != 0 {
		t.Error("digests of nothing")
	}
}

func TestRenderOne(t *testing.T) {
	t.Parallel()
	it := overdue(9, "user:1", notify.ChannelEmail, notify.Critical, 30)
	it.Message = notify.Message{Key: "alert.indicator_off_track", Args: map[string]any{"indicator": "8.1 <Dịch vụ công>", "forecast": "72,5 %", "target": "≥ 85 %"}}
	d := notify.Group([]notify.Item{it})[0]
	for lang, want := range map[string][2]string{
		"vi": {"[tinhso] Chỉ tiêu 8.1 <Dịch vụ công> có nguy cơ không đạt: dự báo 72,5 % so với mục tiêu ≥ 85 %", "Có 1 thông báo mới lúc 01/12/2026 08:30:\n\n1. [Nghiêm trọng] Chỉ tiêu 8.1"},
		"en": {"[tinhso] Indicator 8.1 <Dịch vụ công> is off track: forecast 72,5 % against target ≥ 85 %", "1 new notification at 01/12/2026 08:30:\n\n1. [Critical] Indicator 8.1"},
	} {
		r := notify.RenderEmail(d, translator(t, lang), notify.RenderOptions{})
		if r.Subject != want[0] {
			t.Errorf("%s subject %q", lang, r.Subject)
		}
		if !strings.HasPrefix(r.Text, want[1]) {
			t.Errorf("%s text %q", lang, r.Text)
		}
		if strings.Contains(r.HTML, "<Dịch") || !strings.Contains(r.HTML, "&lt;Dịch vụ công&gt;") {
			t.Errorf("%s: the HTML does not escape the text:\n%s", lang, r.HTML)
		}
		if !strings.Contains(r.HTML, `<a href="/alerts/9">`) {
			t.Errorf("%s: link:\n%s", lang, r.HTML)
		}
	}
}

func TestRenderWebhook(t *testing.T) {
	t.Parallel()
	ds := notify.Group([]notify.Item{overdue(2, "webhook:1", notify.ChannelWebhook, notify.Info, 0), overdue(1, "webhook:1", notify.ChannelWebhook, notify.Critical, 1)})
	b, err := notify.RenderWebhook(ds[0], translator(t, "vi"), notify.RenderOptions{BaseURL: "https://ioc.example.vn"})
	if err != nil {
		t.Fatal(err)
	}
	var p notify.WebhookPayload
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatal(err)
	}
	if p.Type != "notifications" || p.Count != 2 || p.Items[0].ID != 1 || p.Items[0].Severity != notify.Critical {
		t.Fatalf("%s", b)
	}
	it := p.Items[1]
	if it.Key != "alert.task_overdue" || it.Args["unit"] != "Sở Khoa học và Công nghệ" || it.Text != "Nhiệm vụ 2 của Sở Khoa học và Công nghệ đã quá hạn 3 ngày" ||
		it.Link != "https://ioc.example.vn/alerts/2" || it.CreatedAt != "2026-12-01T08:00:00+07:00" {
		t.Errorf("%+v", it)
	}
}
