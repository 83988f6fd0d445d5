package server_test

import (
	"html"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// /documents: a search box that finds documents by number, title (as written or as
// read) and issuer, diacritics and case aside; titles the source writes in capitals
// read as sentences with the source form kept; a document without a number says so
// (issue 9).
func TestUIDocuments(t *testing.T) {
	t.Parallel()
	a := mustOpenAPI(t, "sqlite")
	rowRe := regexp.MustCompile(`<tr data-document="([^"]+)">`)
	slugs := func(body string) []string {
		var out []string
		for _, m := range rowRe.FindAllStringSubmatch(body, -1) {
			out = append(out, m[1])
		}
		sort.Strings(out)
		return out
	}
	for _, c := range []struct {
		q    string
		want []string
	}{
		{"", []string{"1893-qd-ubnd", "25-kh-ubnd", "bai-toan-lang-son-2025", "bai-toan-thai-nguyen-2025", "de-an-2026-2030"}},
		{"1893", []string{"1893-qd-ubnd"}},
		{"kh-ubnd", []string{"25-kh-ubnd"}},
		{"chien+luoc+chuyen+doi+so", []string{"1893-qd-ubnd"}},            // folded, in the title written in capitals
		{"CHI%E1%BA%BEN+L%C6%AF%E1%BB%A2C", []string{"1893-qd-ubnd"}},     // CHIẾN LƯỢC
		{"lang+son", []string{"bai-toan-lang-son-2025"}},                  // Lạng Sơn
		{"ban+chap+hanh+dang+bo", []string{"de-an-2026-2030"}},            // the issuer
		{"ubnd+tinh+thai+nguyen", []string{"1893-qd-ubnd", "25-kh-ubnd"}}, // the issuer
		{"zzzqqq", nil},
	} {
		body := a.page(t, "/documents?q="+c.q, "vi", 200)
		if got := slugs(body); strings.Join(got, " ") != strings.Join(c.want, " ") {
			t.Errorf("/documents?q=%s lists %v, want %v", c.q, got, c.want)
		}
		if !strings.Contains(body, `<input id="f-q" type="search" name="q"`) {
			t.Errorf("/documents?q=%s has no search box", c.q)
		}
		if c.want == nil && !strings.Contains(body, `id="documents-none"`) {
			t.Errorf("/documents?q=%s says nothing when nothing matches", c.q)
		}
		checkPage(t, "/documents?q="+c.q, "vi", body)
	}

	list := html.UnescapeString(a.page(t, "/documents", "vi", 200))
	for _, want := range []string{
		// Read as a sentence, the source's capitals kept in the link's title.
		`title="Tên như văn bản ghi: THỰC HIỆN NGHỊ QUYẾT SỐ 03/NQ-CP NGÀY 09/01/2025 CỦA CHÍNH PHỦ`,
		`>Thực hiện Nghị quyết số 03/NQ-CP ngày 09/01/2025 của Chính phủ và Chương trình hành động của Ban Thường vụ Tỉnh ủy thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia</a>`,
		`>Phê duyệt Chiến lược chuyển đổi số tỉnh Thái Nguyên đến năm 2030</a>`,
		`>Danh mục bài toán lớn về khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số tỉnh Lạng Sơn năm 2025</a>`,
		// A title written in sentence case stays as it is.
		`>Phát triển khoa học công nghệ, đổi mới sáng tạo, chuyển đổi số tỉnh Thái Nguyên giai đoạn 2026-2030</a>`,
	} {
		if !strings.Contains(list, want) {
			t.Errorf("/documents does not hold %q", want)
		}
	}
	scheme := regexp.MustCompile(`(?s)<tr data-document="de-an-2026-2030">.*?</tr>`).FindString(list)
	if !strings.Contains(scheme, "Không có số hiệu") {
		t.Errorf("the Scheme's row does not say it has no number: %s", scheme)
	}

	doc := html.UnescapeString(a.page(t, "/documents/1893-qd-ubnd", "vi", 200))
	if !strings.Contains(doc, "<h1>Phê duyệt Chiến lược chuyển đổi số tỉnh Thái Nguyên đến năm 2030</h1>") ||
		!strings.Contains(doc, `<dd id="doc-title-source" class="written">PHÊ DUYỆT CHIẾN LƯỢC CHUYỂN ĐỔI SỐ TỈNH THÁI NGUYÊN ĐẾN NĂM 2030</dd>`) {
		t.Errorf("the 1893 page is not headed with its readable title, the source form beside it")
	}
	sd := html.UnescapeString(a.page(t, "/documents/de-an-2026-2030", "vi", 200))
	if !regexp.MustCompile(`<dd id="doc-number"><span class="muted">Không có số hiệu</span></dd>`).MatchString(sd) {
		t.Errorf("the Scheme's page does not say it has no number")
	}
	if en := a.page(t, "/documents/de-an-2026-2030", "en", 200); !strings.Contains(en, "No number") {
		t.Errorf("the English Scheme page does not say it has no number")
	}
}
