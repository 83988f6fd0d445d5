package locale_test

import (
	"errors"
	"fmt"
	"net/http/httptest"
	"reflect"
	"testing"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/locale"
)

func TestPrinter(t *testing.T) {
	t.Parallel()
	vi, en := locale.For(locale.VI), locale.For(locale.EN)
	at := time.Date(2026, 3, 18, 9, 30, 0, 0, time.UTC) // 16:30 in Hà Nội
	for _, c := range []struct {
		name string
		p    *locale.Printer
		got  string
		want string
	}{
		{"page text", vi, vi.T("board.title"), "Bảng điều hành"},
		{"page text en", en, en.T("board.title"), "Operations board"},
		{"missing key", vi, vi.T("no.such.key"), "??no.such.key??"},
		{"args", vi, vi.T("err.text.too_long", tinhso.Field("name"), 600, 500), "Trường “tên” dài 600 ký tự, vượt quá mức tối đa 500 ký tự."},
		{"field en", en, en.T("err.text.too_long", tinhso.Field("name"), 600, 500), "name is 600 characters long; at most 500 are allowed"},
		{"field without a label", vi, vi.T("err.text.required", tinhso.Field("values[2].text")), "Chưa nhập “values[2].text”."},
		{"plural vi", vi, vi.T("err.xlsx.problems", 1), "Biểu báo cáo có 1 lỗi; sửa các ô được nêu rồi tải lên lại. Không có số liệu nào được lưu."},
		{"plural en one", en, en.T("xlsx.more", 1), "… and 1 more problem."},
		{"plural en other", en, en.T("xlsx.more", 2), "… and 2 more problems."},
		{"date", vi, vi.T("xlsx.form.due", tinhso.Date("2026-04-19")), "Hạn nộp: 19/04/2026"},
		{"number vi", vi, vi.T("err.value.over_100", "8.1", tinhso.Number(1234.5)), "Chỉ tiêu 8.1 tính theo tỷ lệ phần trăm; giá trị 1.234,5 lớn hơn 100."},
		{"number en", en, en.T("err.value.over_100", "8.1", tinhso.Number(1234.5)), "8.1 is a percentage; 1,234.5 is over 100"},
		{"nested message", vi, vi.T("err.proposal.cannot_publish", tinhso.M("word.proposal.commissioned")), "Không thể công bố đề xuất đã được đặt hàng."},
		{"nested error", en, en.T("err.csv.row_column", 3, "code", tinhso.Invalid("code", "err.orgunit.code")), "row 3, column code: " + en.T("err.orgunit.code")},
		{"Num", vi, vi.Number(16303827), "16.303.827"},
		{"Num en", en, en.Number(-0.125), "-0.125"},
		{"Num rounds", vi, vi.Number(2.0 / 3), "0,667"},
		{"Num nil", vi, vi.Number((*float64)(nil)), ""},
		{"Date month", vi, vi.Date("2025-07"), "07/2025"},
		{"Time", en, en.Time(at), "18/03/2026 16:30"},
	} {
		if c.got != c.want {
			t.Errorf("%s: %q; want %q", c.name, c.got, c.want)
		}
	}
}

// TestLoad reads catalogues of its own: sections make dotted keys, a translation may
// reorder its arguments, a text must be a string.
func TestLoad(t *testing.T) {
	t.Parallel()
	c, err := locale.Load(map[locale.Lang][]byte{
		locale.VI: []byte("[a.b]\nc = \"%[2]s của %[1]s\"\n[n]\nx.other = \"%d mục\"\n[line]\nbad = \"Dòng {line}: {value} vượt 100%; {missing}\"\n"),
		locale.EN: []byte("[a]\nb.c = \"%s's %s\"\n[n.x]\none = \"%d item\"\nother = \"%d items\"\n"),
	})
	if err != nil {
		t.Fatal(err)
	}
	vi, en := c.Printer(locale.VI), c.Printer(locale.EN)
	for _, x := range []struct{ got, want string }{
		{vi.T("a.b.c", "Sở", "kế hoạch"), "kế hoạch của Sở"},
		{en.T("a.b.c", "the department", "plan"), "the department's plan"},
		{vi.T("n.x", 1), "1 mục"}, {en.T("n.x", 1), "1 item"}, {en.T("n.x", 0), "0 items"},
		// Named placeholders take one map; a placeholder it lacks stays as written.
		{vi.T("line.bad", map[string]any{"line": 3, "value": tinhso.Number(120.5)}), "Dòng 3: 120,5 vượt 100%; {missing}"},
	} {
		if x.got != x.want {
			t.Errorf("%q; want %q", x.got, x.want)
		}
	}
	if _, err := locale.Load(map[locale.Lang][]byte{locale.VI: []byte("a = 1\n")}); err == nil {
		t.Errorf("a number as a text was read")
	}
	if _, err := locale.Load(map[locale.Lang][]byte{locale.VI: []byte("a = \"x\"\na = \"y\"\n")}); err == nil {
		t.Errorf("a key given twice was read")
	}
}

func TestPrinterErrors(t *testing.T) {
	t.Parallel()
	vi, en := locale.For(locale.VI), locale.For(locale.EN)
	keyed := tinhso.Errorf(tinhso.EFORBIDDEN, "err.user.disabled", "nghi-viec")
	unknown := tinhso.Errorf(tinhso.ENOTFOUND, "err.no_such_key", "a.pdf")
	for _, c := range []struct {
		name   string
		err    error
		vi, en string
	}{
		{"keyed", keyed, "Tài khoản nghi-viec đã bị khoá; hãy liên hệ quản trị viên.", "The account nghi-viec is disabled; ask an administrator."},
		{"wrapped", fmt.Errorf("login: %w", keyed), "Tài khoản nghi-viec đã bị khoá; hãy liên hệ quản trị viên.", "The account nghi-viec is disabled; ask an administrator."},
		{"a key the catalogues lack", unknown, "??err.no_such_key??", "??err.no_such_key??"},
		{"internal", tinhso.Errorf(tinhso.EINTERNAL, "no blob store"), "Lỗi nội bộ.", "Internal error."},
		{"any other error", errors.New("pq: connection refused"), "Lỗi nội bộ.", "Internal error."},
		{"nil", nil, "", ""},
	} {
		if got := vi.Error(c.err); got != c.vi {
			t.Errorf("%s: vi %q; want %q", c.name, got, c.vi)
		}
		if got := en.Error(c.err); got != c.en {
			t.Errorf("%s: en %q; want %q", c.name, got, c.en)
		}
	}
	e := tinhso.Errorf(tinhso.ECONFLICT, "err.orgunit.referred").With(tinhso.M("ref.tasks", 2), tinhso.M("ref.users", 1))
	if got := vi.Items(e); !reflect.DeepEqual(got, []string{"nhiệm vụ: 2", "tài khoản: 1"}) {
		t.Errorf("items vi %q", got)
	}
	if got := en.Items(e); !reflect.DeepEqual(got, []string{"tasks: 2", "user accounts: 1"}) {
		t.Errorf("items en %q", got)
	}
}

func TestNegotiate(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		param, accept string
		def, want     locale.Lang
	}{
		{"", "", locale.EN, locale.EN},
		{"", "", locale.VI, locale.VI},
		{"vi", "en-US,en;q=0.9", locale.EN, locale.VI},
		{"EN", "", locale.VI, locale.EN},
		{"fr", "vi-VN", locale.EN, locale.VI},
		{"", "vi-VN,vi;q=0.9,en;q=0.8", locale.EN, locale.VI},
		{"", "fr-FR, en;q=0.5, vi;q=0.7", locale.EN, locale.VI},
		{"", "de, fr", locale.EN, locale.EN},
		{"", "vi;q=0, en;q=0.1", locale.VI, locale.EN},
		{"", "*", locale.VI, locale.VI},
		{"", "en-GB;q=bad, vi", locale.EN, locale.VI},
	} {
		if got := locale.Negotiate(c.param, c.accept, c.def); got != c.want {
			t.Errorf("Negotiate(%q, %q, %s) = %s; want %s", c.param, c.accept, c.def, got, c.want)
		}
	}
	r := httptest.NewRequest("GET", "/api/v1/tasks?lang=vi", nil)
	r.Header.Set("Accept-Language", "en")
	if got := locale.FromRequest(r, locale.EN); got != locale.VI {
		t.Errorf("FromRequest: %s", got)
	}
}
