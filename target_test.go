package tinhso_test

import (
	"reflect"
	"testing"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/seed"
)

// Short names for the table.
const (
	num   = tinhso.TargetNumeric
	rank  = tinhso.TargetRank
	ref   = tinhso.TargetReference
	qual  = tinhso.TargetQualitative
	none  = tinhso.TargetNone
	unprs = tinhso.TargetUnparsed

	ge  = tinhso.CmpGE
	gt  = tinhso.CmpGT
	eq  = tinhso.CmpEQ
	le  = tinhso.CmpLE
	lt  = tinhso.CmpLT
	rng = tinhso.CmpRange
)

func f(v float64) *float64 { return &v }

var (
	typo     = []string{"typo"}
	unparsed = []string{"unparsed"}
)

// targetCase is a target as written, the indicator's unit, and what the text means.
type targetCase struct {
	text, unit string
	want       want
}

type want struct {
	kind, cmp    string
	value, upper *float64
	unit, ref    string
	flags        []string
}

// seedTargets holds every (target_text, unit) of seed/data/indicators_*.json, each read
// by hand. TestSeedTargetsCovered fails when the seed gains one that is not here.
var seedTargets = []targetCase{
	// Plan 25/KH-UBND, Phụ lục I.
	{"Đạt mức tiên tiến ở nhiều lĩnh vực quan trọng, thuộc nhóm dẫn đầu trong cả nước", "Thứ bậc", want{kind: qual}},
	{"Đạt mức tiên tiến của Việt Nam", "Thứ bậc", want{kind: qual}},
	{"≤ 10 các tỉnh, thành trên cả nước", "Thứ bậc", want{kind: rank, cmp: le, value: f(10)}},
	{"> 55", "%", want{kind: num, cmp: gt, value: f(55), unit: "%"}},
	{"> 90", "%", want{kind: num, cmp: gt, value: f(90), unit: "%"}},
	{"≥ 40", "% GRDP", want{kind: num, cmp: ge, value: f(40), unit: "% GRDP"}},
	{"", "", want{kind: none}}, // group row 8
	{"≥ 85", "%", want{kind: num, cmp: ge, value: f(85), unit: "%"}},
	{"90", "%", want{kind: num, cmp: eq, value: f(90), unit: "%"}},
	{"100", "%", want{kind: num, cmp: eq, value: f(100), unit: "%"}},
	{"80", "%", want{kind: num, cmp: eq, value: f(80), unit: "%"}},
	{"70", "%", want{kind: num, cmp: eq, value: f(70), unit: "%"}},
	{"≥ 30", "%", want{kind: num, cmp: ge, value: f(30), unit: "%"}},
	{"50", "%", want{kind: num, cmp: eq, value: f(50), unit: "%"}},
	{"> 40", "%", want{kind: num, cmp: gt, value: f(40), unit: "%"}},
	{"> 0,75", "", want{kind: num, cmp: gt, value: f(0.75)}}, // HDI, no unit
	{"2", "% GRDP", want{kind: num, cmp: eq, value: f(2), unit: "% GRDP"}},
	{"> 60", "%", want{kind: num, cmp: gt, value: f(60), unit: "%"}},
	{"Không thấp hơn mức dự toán Thủ tướng Chính phủ giao", "triệu đồng",
		want{kind: ref, cmp: ge, unit: "triệu đồng", ref: "mức dự toán Thủ tướng Chính phủ giao"}},
	{"15", "Người/vạn dân", want{kind: num, cmp: eq, value: f(15), unit: "Người/vạn dân"}},
	{"10", "%/năm", want{kind: num, cmp: eq, value: f(10), unit: "%/năm"}},
	{"16-18", "%/năm", want{kind: num, cmp: rng, value: f(16), upper: f(18), unit: "%/năm"}},
	{"8-10", "%", want{kind: num, cmp: rng, value: f(8), upper: f(10), unit: "%"}},
	{"Tiên tiến, hiện đại, dung lượng siêu lớn, băng thông siêu rộng", "", want{kind: qual}},
	{"100", "% dân số", want{kind: num, cmp: eq, value: f(100), unit: "% dân số"}},
	// Solutions applied in the three named cities: a count of cities, the unit column says so.
	{"Các giải pháp được áp dụng tại 03 thành phố: Phổ Yên, Sông Công, Thái Nguyên", "Thành phố",
		want{kind: num, cmp: eq, value: f(3), unit: "Thành phố"}},
	{"≥ 70", "%", want{kind: num, cmp: ge, value: f(70), unit: "%"}},
	{"≥ 95", "%", want{kind: num, cmp: ge, value: f(95), unit: "%"}},
	{"≤ 10", "Thứ bậc", want{kind: rank, cmp: le, value: f(10)}},
	{"≥ 50", "%GRDP", want{kind: num, cmp: ge, value: f(50), unit: "%GRDP"}}, // unit cell kept verbatim
	{"≤ n10", "Thứ bậc", want{kind: rank, cmp: le, value: f(10), flags: typo}},
	{"1", "Số doanh nghiệp/1000 dân", want{kind: num, cmp: eq, value: f(1), unit: "Số doanh nghiệp/1000 dân"}},

	// Decision 1893/QĐ-UBND, §I.2.
	{"đạt 100%", "%", want{kind: num, cmp: ge, value: f(100), unit: "%"}},
	{"100%", "%", want{kind: num, cmp: eq, value: f(100), unit: "%"}},
	{"tối thiểu 40Mbit/s", "Mbit/s", want{kind: num, cmp: ge, value: f(40), unit: "Mbit/s"}},
	{"tối thiểu 100Mbit/s", "Mbit/s", want{kind: num, cmp: ge, value: f(100), unit: "Mbit/s"}},
	{"Hoàn thiện Trung tâm dữ liệu tỉnh theo hướng dẫn của Trung ương đảm bảo phù hợp với thực tiễn, triển khai kết nối, đồng bộ dữ liệu với Trung tâm dữ liệu quốc gia", "",
		want{kind: qual}},
	{"đạt trên 0,80", "", want{kind: num, cmp: gt, value: f(0.8)}},
	{"đạt tối thiểu 80%", "%", want{kind: num, cmp: ge, value: f(80), unit: "%"}},
	{"ứng dụng hiệu quả, có kiểm soát trí tuệ nhân tạo (AI) trong các hoạt động", "", want{kind: qual}},
	{"Tối thiểu 90%", "%", want{kind: num, cmp: ge, value: f(90), unit: "%"}},
	{"khai thác, sử dụng có hiệu quả tài nguyên số, dữ liệu số", "", want{kind: qual}},
	{"90%", "%", want{kind: num, cmp: eq, value: f(90), unit: "%"}},
	{"Hướng tới quản lý nhà nước từ tỉnh đến địa phương trên môi trường số, kết nối và vận hành thông suốt giữa các cơ quan trong hệ thống chính trị", "",
		want{kind: qual}},
	{"Hoàn thiện Trung tâm giám sát, điều hành đô thị thông minh (IOC) của tỉnh", "", want{kind: qual}},
	{"đạt ≥ 35% GRDP", "% GRDP", want{kind: num, cmp: ge, value: f(35), unit: "% GRDP"}},
	{"tối thiểu 10.000", "doanh nghiệp", want{kind: num, cmp: ge, value: f(10000), unit: "doanh nghiệp"}},
	{"tối thiểu 15%", "%", want{kind: num, cmp: ge, value: f(15), unit: "%"}},
	{"ít nhất 01", "khu", want{kind: num, cmp: ge, value: f(1), unit: "khu"}},
	{"ít nhất 01", "tổ chức, doanh nghiệp", want{kind: num, cmp: ge, value: f(1), unit: "tổ chức, doanh nghiệp"}},
	{"≥ 98%", "%", want{kind: num, cmp: ge, value: f(98), unit: "%"}},
	{"≥ 30%", "%", want{kind: num, cmp: ge, value: f(30), unit: "%"}},
	{"Tỉnh thuộc nhóm các địa phương dẫn đầu về an toàn, an ninh không gian mạng, an ninh dữ liệu và bảo vệ dữ liệu", "",
		want{kind: qual}},
	// "thuế" (tax) is a slip for "thuê" (hire) in the source.
	{"Có Trung tâm an ninh mạng cấp tỉnh (hoặc thuế dịch vụ giám sát an toàn thông tin), giám sát, ứng cứu sự cố cho toàn hệ thống", "",
		want{kind: qual, flags: typo}},

	// Scheme for KHCN, ĐMST, CĐS 2026–2030, targets (1)–(6).
	{"sẵn sàng triển khai thử nghiệm mạng di động 6G", "", want{kind: qual}}, // "6G" is a name, not a number
	{"tối thiểu 40 Mbps", "Mbps", want{kind: num, cmp: ge, value: f(40), unit: "Mbps"}},
	{"tối thiểu 100 Mbps", "Mbps", want{kind: num, cmp: ge, value: f(100), unit: "Mbps"}},
	{"đạt 3% GRDP", "% GRDP", want{kind: num, cmp: ge, value: f(3), unit: "% GRDP"}},
	{"phát triển mạnh nguồn nhân lực KH&CN - AI - dữ liệu - IoT với Đại học Thái Nguyên là lực lượng nòng cốt, tạo nguồn nhân lực chất lượng cao cho tỉnh và vùng Việt Bắc", "",
		want{kind: qual}},
	{"đạt 13 người/01 vạn dân", "người/01 vạn dân", want{kind: num, cmp: ge, value: f(13), unit: "người/01 vạn dân"}},
	{"có cơ chế tuyển dụng, thu hút nguồn nhân lực công nghệ thông tin, chuyển đổi số cho cấp xã", "", want{kind: qual}},
	{"đạt mức tiên tiến ở nhiều lĩnh vực quan trọng, thuộc nhóm dẫn đầu trong cả nước", "", want{kind: qual}},
	{"ở mức trên 55%", "%", want{kind: num, cmp: gt, value: f(55), unit: "%"}},
	{"từ 1.800", "người", want{kind: num, cmp: ge, value: f(1800), unit: "người"}},
	{"70", "doanh nghiệp", want{kind: num, cmp: eq, value: f(70), unit: "doanh nghiệp"}},
	{"tối thiểu 01", "tổ chức", want{kind: num, cmp: ge, value: f(1), unit: "tổ chức"}},
	{"45", "công trình/năm", want{kind: num, cmp: eq, value: f(45), unit: "công trình/năm"}},
	// "nhiệm vụ" is written; the unit column says "per year" too.
	{"đạt 55 nhiệm vụ", "nhiệm vụ/năm", want{kind: num, cmp: ge, value: f(55), unit: "nhiệm vụ/năm"}},
	{"đạt trên 70%", "%", want{kind: num, cmp: gt, value: f(70), unit: "%"}},
	{"đạt từ 25%", "%", want{kind: num, cmp: ge, value: f(25), unit: "%"}},
	{"từ 350", "bài báo/năm", want{kind: num, cmp: ge, value: f(350), unit: "bài báo/năm"}},
	{"ít nhất 01", "công trình/năm", want{kind: num, cmp: ge, value: f(1), unit: "công trình/năm"}},
	{"ứng dụng AI, IoT, Big Data,... trong y tế, giáo dục, quản lý môi trường, đô thị thông minh, du lịch thông minh, nâng cao chất lượng sống người dân", "",
		want{kind: qual}},
	{"tối thiểu 20%", "%", want{kind: num, cmp: ge, value: f(20), unit: "%"}},
	{"đạt tối thiểu 10%", "%", want{kind: num, cmp: ge, value: f(10), unit: "%"}},
	{"tối thiểu 60%", "%", want{kind: num, cmp: ge, value: f(60), unit: "%"}},
	{"15 - 20%/năm", "%/năm", want{kind: num, cmp: rng, value: f(15), upper: f(20), unit: "%/năm"}},
	{"đẩy mạnh ứng dụng, chuyển giao công nghệ cao trong sản xuất nông, lâm nghiệp", "", want{kind: qual}},
	{"100", "chuyên gia", want{kind: num, cmp: eq, value: f(100), unit: "chuyên gia"}},
	{"đạt mức tiên tiến so với cả nước", "", want{kind: qual}}, // a level to reach, not a figure to beat
	{"tăng cường hoạt động chuyển giao công nghệ, đặc biệt là tiếp nhận, làm chủ và phát triển công nghệ tiên tiến trong nước và nước ngoài", "",
		want{kind: qual}},
	{"ít nhất 10", "giấy chứng nhận", want{kind: num, cmp: ge, value: f(10), unit: "giấy chứng nhận"}},
	{"đạt top 10 cả nước", "thứ bậc", want{kind: rank, cmp: le, value: f(10)}},
	{"từ 150", "doanh nghiệp", want{kind: num, cmp: ge, value: f(150), unit: "doanh nghiệp"}},
	{"07", "vườn ươm, trung tâm", want{kind: num, cmp: eq, value: f(7), unit: "vườn ươm, trung tâm"}},
	{"ít nhất 25%", "%", want{kind: num, cmp: ge, value: f(25), unit: "%"}},
	{"30", "doanh nghiệp", want{kind: num, cmp: eq, value: f(30), unit: "doanh nghiệp"}},
	{"từ 60%", "%", want{kind: num, cmp: ge, value: f(60), unit: "%"}},
	{"tối thiểu 30", "dự án/năm", want{kind: num, cmp: ge, value: f(30), unit: "dự án/năm"}},
	{"từ 200", "bài báo/năm", want{kind: num, cmp: ge, value: f(200), unit: "bài báo/năm"}},
	{"đạt 0,8", "", want{kind: num, cmp: ge, value: f(0.8)}},
	{"trên 90%", "%", want{kind: num, cmp: gt, value: f(90), unit: "%"}},
	{"đạt tối thiểu 35% GRDP", "% GRDP", want{kind: num, cmp: ge, value: f(35), unit: "% GRDP"}},
	{"đạt trên 50%", "%", want{kind: num, cmp: gt, value: f(50), unit: "%"}},
	{"tiếp tục đẩy mạnh ứng dụng thương mại điện tử", "", want{kind: qual}},
	{"xây dựng các hệ thống báo cáo điện tử, tổng hợp số liệu theo thời gian thực thay cho báo cáo giấy phục vụ công tác chỉ đạo, điều hành", "",
		want{kind: qual}},
	// "Tỉnh thuộc nhóm các địa phương dẫn đầu …" (6.1) is written as 1893's e.1 above.
	{"có Trung tâm an ninh mạng cấp tỉnh (hoặc thuê dịch vụ giám sát an toàn thông tin) giám sát, ứng cứu sự cố cho toàn hệ thống", "",
		want{kind: qual}},
}

// edgeTargets are written forms the seed does not hold (yet).
var edgeTargets = []targetCase{
	// Numbers: decimal comma, thousands dot.
	{"0,75", "", want{kind: num, cmp: eq, value: f(0.75)}},
	{"10.000", "doanh nghiệp", want{kind: num, cmp: eq, value: f(10000), unit: "doanh nghiệp"}},
	{"16.303.827", "triệu đồng", want{kind: num, cmp: eq, value: f(16303827), unit: "triệu đồng"}},
	{"≥ 1.234,5 tỷ đồng", "", want{kind: num, cmp: ge, value: f(1234.5), unit: "tỷ đồng"}},
	{"≥ 1.5", "", want{kind: unprs, flags: unparsed}},   // a decimal point: not a Vietnamese number
	{"≥ 10.00", "", want{kind: unprs, flags: unparsed}}, // neither thousands nor decimals
	{"≥ 1,2,3", "", want{kind: unprs, flags: unparsed}},
	// Ranges.
	{"16-18", "", want{kind: num, cmp: rng, value: f(16), upper: f(18)}},
	{"8 - 10%", "%", want{kind: num, cmp: rng, value: f(8), upper: f(10), unit: "%"}},
	{"8 – 10 %", "", want{kind: num, cmp: rng, value: f(8), upper: f(10), unit: "%"}},
	{"1% - 3%", "%", want{kind: num, cmp: rng, value: f(1), upper: f(3), unit: "%"}},
	{"từ 5 đến 10 doanh nghiệp", "", want{kind: num, cmp: rng, value: f(5), upper: f(10), unit: "doanh nghiệp"}},
	{"0,5 - 0,75", "", want{kind: num, cmp: rng, value: f(0.5), upper: f(0.75)}},
	{"18-16", "%", want{kind: unprs, flags: unparsed}}, // upper below lower
	{"8-10", "Thứ bậc", want{kind: rank, cmp: rng, value: f(8), upper: f(10)}},
	// Comparator words.
	{"không thấp hơn 50%", "%", want{kind: num, cmp: ge, value: f(50), unit: "%"}},
	{"không quá 5%", "%", want{kind: num, cmp: le, value: f(5), unit: "%"}},
	{"không vượt quá 3", "ngày", want{kind: num, cmp: le, value: f(3), unit: "ngày"}},
	{"tối đa 15 ngày", "", want{kind: num, cmp: le, value: f(15), unit: "ngày"}},
	{"dưới 5%", "%", want{kind: num, cmp: lt, value: f(5), unit: "%"}},
	{"< 2", "%", want{kind: num, cmp: lt, value: f(2), unit: "%"}},
	{">= 85", "%", want{kind: num, cmp: ge, value: f(85), unit: "%"}},
	{"<= 10", "%", want{kind: num, cmp: le, value: f(10), unit: "%"}},
	{"= 100", "%", want{kind: num, cmp: eq, value: f(100), unit: "%"}},
	{"đạt ≤ 5%", "%", want{kind: num, cmp: le, value: f(5), unit: "%"}}, // "đạt" yields to a symbol
	{"phấn đấu đạt 100%", "%", want{kind: num, cmp: ge, value: f(100), unit: "%"}},
	{"phấn đấu có từ 07", "vườn ươm", want{kind: num, cmp: ge, value: f(7), unit: "vườn ươm"}},
	{"trên 0,80", "", want{kind: num, cmp: gt, value: f(0.8)}},
	{"100 %", "%", want{kind: num, cmp: eq, value: f(100), unit: "%"}},
	{"100%", "% dân số", want{kind: num, cmp: eq, value: f(100), unit: "% dân số"}}, // the column says more
	{"≥ 35% GRDP", "", want{kind: num, cmp: ge, value: f(35), unit: "% GRDP"}},
	{"≥ 35%GRDP", "", want{kind: num, cmp: ge, value: f(35), unit: "% GRDP"}},
	{"80% dân số", "", want{kind: num, cmp: eq, value: f(80), unit: "% dân số"}},
	{"tối thiểu 40Mbit/s", "", want{kind: num, cmp: ge, value: f(40), unit: "Mbit/s"}},
	{"tối thiểu 50 doanh nghiệp.", "", want{kind: num, cmp: ge, value: f(50), unit: "doanh nghiệp"}},
	{"đạt 100 doanh nghiệp năm 2030", "", want{kind: num, cmp: ge, value: f(100), unit: "doanh nghiệp"}},
	// Years are dates, not the value.
	{"tối thiểu 20% so với giai đoạn 2021 – 2025", "%", want{kind: num, cmp: ge, value: f(20), unit: "%"}},
	{"đến năm 2030 đạt 80%", "%", want{kind: num, cmp: ge, value: f(80), unit: "%"}},
	{"giai đoạn 2026 - 2030 đạt trên 50%", "", want{kind: num, cmp: gt, value: f(50), unit: "%"}},
	// Ranks: "Thứ bậc" or "top"; lower is better, so a bare place is that place or better.
	{"top 10", "", want{kind: rank, cmp: le, value: f(10)}},
	{"Top 5 cả nước", "Thứ bậc", want{kind: rank, cmp: le, value: f(5)}},
	{"top 10 cả nước", "thứ bậc", want{kind: rank, cmp: le, value: f(10)}},
	{"10", "Thứ bậc", want{kind: rank, cmp: le, value: f(10)}},
	{"đạt 10", "Thứ bậc", want{kind: rank, cmp: le, value: f(10)}},
	{"đạt hạng 10", "Thứ bậc", want{kind: rank, cmp: le, value: f(10)}},
	{"xếp hạng thứ 15", "Thứ bậc", want{kind: rank, cmp: le, value: f(15)}},
	{"< 20", "Thứ bậc", want{kind: rank, cmp: lt, value: f(20)}},
	{"desktop 10", "", want{kind: qual}}, // not "top": part of a word
	// Slips kept verbatim and flagged.
	{"≤ n10", "", want{kind: num, cmp: le, value: f(10), flags: typo}},
	{"≤n10", "Thứ bậc", want{kind: rank, cmp: le, value: f(10), flags: typo}},
	{"đặt cấp độ 5", "", want{kind: num, cmp: ge, value: f(5), unit: "cấp độ", flags: typo}},
	{"90% đặt cấp độ 5", "%", want{kind: num, cmp: eq, value: f(90), unit: "%", flags: typo}},
	{"đặt trụ sở tại tỉnh", "", want{kind: qual}}, // "đặt trụ sở" is a real word
	// References to an outside figure.
	{"Không thấp hơn mức dự toán Thủ tướng Chính phủ giao", "",
		want{kind: ref, cmp: ge, ref: "mức dự toán Thủ tướng Chính phủ giao"}},
	{"không thấp hơn mức dự toán Thủ tướng Chính phủ giao.", "triệu đồng",
		want{kind: ref, cmp: ge, unit: "triệu đồng", ref: "mức dự toán Thủ tướng Chính phủ giao"}},
	{"Cao hơn mức bình quân cả nước", "", want{kind: ref, cmp: gt, ref: "mức bình quân cả nước"}},
	{"trên mức trung bình của vùng", "", want{kind: ref, cmp: gt, ref: "mức trung bình của vùng"}},
	{"không vượt quá dự toán được giao", "", want{kind: ref, cmp: le, ref: "dự toán được giao"}},
	{"đạt không thấp hơn năm trước", "", want{kind: ref, cmp: ge, ref: "năm trước"}},
	// Prose.
	{"Đạt mức tiên tiến của Việt Nam", "", want{kind: qual}},
	{"trên địa bàn tỉnh có mạng 5G phủ sóng", "", want{kind: qual}},
	{"Cách mạng công nghiệp lần thứ 4", "", want{kind: qual}},
	{"Tăng trung bình 10%/năm", "%/năm", want{kind: num, cmp: eq, value: f(10), unit: "%/năm"}},
	{"Các giải pháp trên địa bàn được áp dụng tại ít nhất 03 thành phố", "Thành phố",
		want{kind: num, cmp: ge, value: f(3), unit: "Thành phố"}}, // "trên địa bàn" is "in the area"
	{"Các giải pháp trên địa bàn được áp dụng tại 03 thành phố", "Thành phố",
		want{kind: num, cmp: eq, value: f(3), unit: "Thành phố"}},
	{"Không thấp hơn năm 2024", "", want{kind: ref, cmp: ge, ref: "năm 2024"}},
	// Comparisons that cannot be read: kept and flagged.
	{"≥", "%", want{kind: unprs, flags: unparsed}},
	{"tối thiểu", "", want{kind: unprs, flags: unparsed}},
	{"≥ nhiều", "", want{kind: unprs, flags: unparsed}},
	{"ít nhất một trung tâm", "", want{kind: unprs, flags: unparsed}},
	{"≥ 99999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999", "",
		want{kind: unprs, flags: unparsed}},
	// Nothing written.
	{"   ", "%", want{kind: none}},
}

func TestParseTarget(t *testing.T) {
	for _, group := range []struct {
		name  string
		cases []targetCase
	}{{"seed", seedTargets}, {"edge", edgeTargets}} {
		for _, c := range group.cases {
			got := tinhso.ParseTarget(c.text, c.unit)
			exp := tinhso.Target{Text: c.text, Kind: c.want.kind, Comparator: c.want.cmp, Value: c.want.value,
				Upper: c.want.upper, Unit: c.want.unit, Reference: c.want.ref, Flags: c.want.flags}
			if !reflect.DeepEqual(got, exp) {
				t.Errorf("%s: ParseTarget(%q, %q)\n got  %s\n want %s", group.name, c.text, c.unit, show(got), show(exp))
			}
		}
	}
}

func show(t tinhso.Target) string {
	p := func(v *float64) any {
		if v == nil {
			return nil
		}
		return *v
	}
	return fmtTarget(t.Kind, t.Comparator, p(t.Value), p(t.Upper), t.Unit, t.Reference, t.Flags)
}

// TestSeedTargetsCovered makes every target of the seed data a case of TestParseTarget,
// so a new seed string cannot go untested.
func TestSeedTargetsCovered(t *testing.T) {
	set, err := seed.Read()
	if err != nil {
		t.Fatal(err)
	}
	type key struct{ text, unit string }
	table := map[key]bool{}
	for _, c := range seedTargets {
		k := key{c.text, c.unit}
		if table[k] {
			t.Errorf("seedTargets lists (%q, %q) twice", c.text, c.unit)
		}
		table[k] = true
	}
	used := map[key]bool{}
	for _, ind := range set.Indicators {
		k := key{ind.TargetText, ind.Unit}
		used[k] = true
		if !table[k] {
			t.Errorf("indicator %s/%s: target (%q, unit %q) is not in seedTargets", ind.Document, ind.Code, ind.TargetText, ind.Unit)
		}
	}
	for _, c := range seedTargets {
		if !used[key{c.text, c.unit}] {
			t.Errorf("seedTargets lists (%q, %q), which no seed indicator has: move it to edgeTargets", c.text, c.unit)
		}
	}
	if len(set.Indicators) == 0 {
		t.Fatal("no seed indicators")
	}
}

func TestParseNumber(t *testing.T) {
	for _, c := range []struct {
		in   string
		want float64
		ok   bool
	}{
		{"0,75", 0.75, true}, {"10.000", 10000, true}, {"16.303.827", 16303827, true},
		{"01", 1, true}, {"07", 7, true}, {"1.234,5", 1234.5, true}, {" 100 ", 100, true}, {"2", 2, true},
		{"1.5", 0, false}, {"10.00", 0, false}, {"1,2,3", 0, false}, {"", 0, false}, {"abc", 0, false},
		{"-5", 0, false}, {"100%", 0, false}, {"1 000", 0, false},
	} {
		got, ok := tinhso.ParseNumber(c.in)
		if ok != c.ok || got != c.want {
			t.Errorf("ParseNumber(%q) = %v, %v; want %v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

// FuzzParseTarget checks that any text is kept and given a kind, never dropped.
func FuzzParseTarget(f *testing.F) {
	for _, c := range append(append([]targetCase{}, seedTargets...), edgeTargets...) {
		f.Add(c.text, c.unit)
	}
	f.Add("\xff≤ n\xfe10", "Thứ bậc")
	f.Add("İ≥ 5 İİ", "İ")
	f.Fuzz(func(t *testing.T, text, unit string) {
		got := tinhso.ParseTarget(text, unit)
		if got.Text != text {
			t.Fatalf("Text %q, want %q", got.Text, text)
		}
		switch got.Kind {
		case num, rank:
			if got.Value == nil || got.Comparator == "" || (got.Comparator == rng) != (got.Upper != nil) {
				t.Fatalf("ParseTarget(%q, %q) = %s", text, unit, show(got))
			}
		case ref:
			if got.Reference == "" || got.Comparator == "" {
				t.Fatalf("ParseTarget(%q, %q) = %s", text, unit, show(got))
			}
		case qual, none:
		case unprs:
			if len(got.Flags) == 0 {
				t.Fatalf("ParseTarget(%q, %q) = %s: unparsed without a flag", text, unit, show(got))
			}
		default:
			t.Fatalf("ParseTarget(%q, %q): kind %q", text, unit, got.Kind)
		}
	})
}
