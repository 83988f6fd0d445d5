package app_test

import (
	"testing"

	"github.com/tinhso/tinhso/app"
)

// Titles the seed writes in capitals read as sentences, with Vietnamese diacritics kept,
// names of places and bodies capitalised, numbers and abbreviations as written; titles
// not in capitals stay as they are.
func TestReadableTitle(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in, want string
		changed  bool
	}{
		{"THỰC HIỆN NGHỊ QUYẾT SỐ 03/NQ-CP NGÀY 09/01/2025 CỦA CHÍNH PHỦ VÀ CHƯƠNG TRÌNH HÀNH ĐỘNG CỦA BAN THƯỜNG VỤ TỈNH ỦY THỰC HIỆN NGHỊ QUYẾT SỐ 57-NQ/TW NGÀY 22/12/2024 CỦA BỘ CHÍNH TRỊ VỀ ĐỘT PHÁ PHÁT TRIỂN KHOA HỌC, CÔNG NGHỆ, ĐỔI MỚI SÁNG TẠO VÀ CHUYỂN ĐỔI SỐ QUỐC GIA",
			"Thực hiện Nghị quyết số 03/NQ-CP ngày 09/01/2025 của Chính phủ và Chương trình hành động của Ban Thường vụ Tỉnh ủy thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia", true},
		{"PHÊ DUYỆT CHIẾN LƯỢC CHUYỂN ĐỔI SỐ TỈNH THÁI NGUYÊN ĐẾN NĂM 2030", "Phê duyệt Chiến lược chuyển đổi số tỉnh Thái Nguyên đến năm 2030", true},
		{"DANH MỤC BÀI TOÁN LỚN VỀ KHOA HỌC, CÔNG NGHỆ,\u00a0 ĐỔI MỚI SÁNG TẠO VÀ CHUYỂN ĐỔI SỐ TỈNH LẠNG SƠN NĂM 2025",
			"Danh mục bài toán lớn về khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số tỉnh Lạng Sơn năm 2025", true},
		{"KẾ HOẠCH CỦA UBND TỈNH VỀ KINH TẾ SỐ Ở VIỆT NAM, ĐẶC BIỆT LÀ HÀ NỘI", "Kế hoạch của UBND tỉnh về kinh tế số ở Việt Nam, đặc biệt là Hà Nội", true},
		{"NGHỊ QUYẾT CỦA TỈNH UỶ ĐANG THỰC HIỆN", "Nghị quyết của Tỉnh uỷ đang thực hiện", true},
		{"Phát triển khoa học công nghệ, đổi mới sáng tạo, chuyển đổi số tỉnh Thái Nguyên giai đoạn 2026-2030", "Phát triển khoa học công nghệ, đổi mới sáng tạo, chuyển đổi số tỉnh Thái Nguyên giai đoạn 2026-2030", false},
		{"UBND", "UBND", false},
	} {
		got, changed := app.ReadableTitle(c.in)
		if got != c.want || changed != c.changed {
			t.Errorf("ReadableTitle(%q)\n = %q, %v\nwant %q, %v", c.in, got, changed, c.want, c.changed)
		}
	}
}
