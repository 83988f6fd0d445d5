package docx_test

import (
	"fmt"
	"time"

	"github.com/tinhso/tinhso/docx"
)

// hostile is text a user could type into any field: markup, entities, a CDATA end,
// control characters XML cannot carry, invalid UTF-8 and a non-character.
const hostile = "<script>alert(\"x&y\")</script> ]]> &amp; \x00\x01\x1b\x7f\xff\xfe\uFFFE end"

// hostileShown is what the reader must see of hostile: the markup as text, the
// control characters and the non-character gone, the run of invalid bytes one U+FFFD.
const hostileShown = "<script>alert(\"x&y\")</script> ]]> &amp; \uFFFD end"

// sampleReport is a six-monthly report long enough to run over several pages, with a
// table that runs onto a second page.
func sampleReport() *docx.Report {
	vn := time.FixedZone("ICT", 7*3600)
	r := &docx.Report{
		GoverningBody: "UBND tỉnh Thái Nguyên",
		IssuingBody:   "Sở Khoa học và Công nghệ",
		Symbol:        "BC-SKHCN",
		Number:        "127",
		Place:         "Thái Nguyên",
		Date:          time.Date(2026, 7, 5, 0, 0, 0, 0, vn),
		Title:         "Sơ kết 6 tháng đầu năm 2026 thực hiện Kế hoạch chuyển đổi số\ntỉnh Thái Nguyên",
		Signature:     docx.Signature{Authority: "KT. Giám đốc", Position: "Phó Giám đốc", Name: "Nguyễn Thị Hồng Nhung"},
		Recipients:    []string{"UBND tỉnh (b/c);", "Sở Nội vụ;", "Các sở, ban, ngành;", "UBND các xã, phường;", "Lưu: VT, KHTC."},
		Author:        "tinhso",
		Created:       time.Date(2026, 7, 5, 8, 30, 0, 0, vn),
	}
	r.Body = append(r.Body,
		docx.Text("Thực hiện Kế hoạch số 25/KH-UBND của Ủy ban nhân dân tỉnh về chuyển đổi số, Sở Khoa học và Công nghệ báo cáo kết quả 6 tháng đầu năm 2026 như sau:"),
		docx.Heading{Level: 1, Text: "KẾT QUẢ THỰC HIỆN"},
		docx.Heading{Level: 2, Text: "Chính quyền số"},
		docx.Heading{Level: 3, Text: "Dịch vụ công trực tuyến"},
		docx.Paragraph{Runs: []docx.Run{
			{Text: "Tỷ lệ hồ sơ xử lý trực tuyến toàn trình đạt "},
			{Text: "86,25%", Bold: true},
			{Text: ", vượt mục tiêu năm (85%); chỉ số hài lòng đạt "},
			{Text: "0,79", Bold: true},
			{Text: " trên thang 1, tăng so với cùng kỳ năm 2025."},
		}},
		docx.Item("Hệ thống thông tin giải quyết thủ tục hành chính của tỉnh vận hành ổn định, không có sự cố gián đoạn quá 4 giờ;"),
		docx.Item("100% sở, ban, ngành và UBND cấp xã sử dụng văn bản điện tử có ký số;"),
		docx.Heading{Level: 3, Text: "Dữ liệu số"},
		docx.Text("Đã hoàn thành kết nối 12/14 cơ sở dữ liệu chuyên ngành với nền tảng tích hợp, chia sẻ dữ liệu của tỉnh (LGSP); nội dung đặc biệt: "+hostile),
	)
	table := docx.Table{
		Title: "Bảng 1. Kết quả các chỉ tiêu chuyển đổi số 6 tháng đầu năm 2026",
		Columns: []docx.Column{
			{Header: "STT", Width: 0.8, Align: docx.AlignCenter},
			{Header: "Chỉ tiêu", Width: 5},
			{Header: "Đơn vị tính", Width: 1.3, Align: docx.AlignCenter},
			{Header: "Mục tiêu", Width: 1.3, Align: docx.AlignRight},
			{Header: "Kết quả", Width: 1.3, Align: docx.AlignRight},
		},
	}
	for i := 1; i <= 40; i++ {
		table.Rows = append(table.Rows, docx.Row{Cells: []string{
			fmt.Sprint(i),
			fmt.Sprintf("Chỉ tiêu chuyển đổi số thứ %d của Kế hoạch 25/KH-UBND", i),
			"%", "85", fmt.Sprintf("%d,%02d", 60+i/2, i*7%100),
		}})
	}
	table.Rows = append(table.Rows, docx.Row{Bold: true, Cells: []string{"", "Chỉ số hài lòng bình quân", "điểm", "0,75", "0,79"}})
	r.Body = append(r.Body, table,
		docx.Heading{Level: 2, Text: "Kinh tế số và xã hội số"},
		docx.Text("Tỷ trọng kinh tế số trong GRDP ước đạt 19,4%; số doanh nghiệp công nghệ số tăng 37 doanh nghiệp so với cuối năm 2025. Nhiều mô hình chuyển đổi số trong nông nghiệp được nhân rộng ở các xã Tân Cương, Phúc Xuân, Phúc Trìu."),
		docx.Heading{Level: 1, Text: "TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN"},
		docx.Text("Một số cơ sở dữ liệu chuyên ngành chưa được cập nhật thường xuyên; nguồn nhân lực chuyển đổi số ở cấp xã còn thiếu và chưa đồng đều."),
		docx.Heading{Level: 1, Text: "NHIỆM VỤ TRỌNG TÂM 6 THÁNG CUỐI NĂM 2026"},
		docx.Text("Tiếp tục rà soát, cung cấp dịch vụ công trực tuyến toàn trình; hoàn thành kết nối các cơ sở dữ liệu còn lại trước ngày 30 tháng 11 năm 2026."),
	)
	return r
}
