package web

// boardMessages are the messages of the operations board's reporting parts
// (board.go: who reported this period, trend charts, punctuality): Vietnamese, then
// English. They join the catalogue at start; a key the catalogue already has is a
// programming error.
var boardMessages = map[string][2]string{
	"board.reporting_h":       {"Báo cáo kỳ này", "Reporting this period"},
	"board.reporting_none":    {"Chưa mở kỳ báo cáo nào.", "No reporting period is open."},
	"board.reporting_public":  {"Tình hình nộp báo cáo của từng đơn vị chỉ hiển thị cho người được xem mọi báo cáo (lãnh đạo, thẩm định, quản trị).", "Which units have reported is shown to those who may read every unit's reports (leaders, reviewers, administrators)."},
	"board.reporting_signin":  {"Đăng nhập", "Sign in"},
	"board.reporting_own":     {"Báo cáo của đơn vị bạn: xem trên bảng của đơn vị.", "Your unit's reports: see your unit's board."},
	"board.reporting_period":  {"Kỳ %s", "Period %s"},
	"board.reporting_due":     {"hạn nộp %s", "due %s"},
	"board.reporting_units":   {"%s đơn vị phải báo cáo", "%s units to report"},
	"board.reporting_counts":  {"Số đơn vị theo trạng thái, kỳ %s", "Units by status, period %s"},
	"board.reporting_list":    {"Danh sách đơn vị, kỳ %s", "Units, period %s"},
	"board.reporting_all":     {"Mọi báo cáo của kỳ %s", "Every report of period %s"},
	"board.reporting_more":    {"Còn %s kỳ khác đang mở: xem trang Kỳ báo cáo.", "%s more periods are open: see Reporting periods."},
	"board.reporting_nounits": {"Không có đơn vị nào phải báo cáo trong kỳ này.", "No unit has to report in this period."},
	"board.col_unit":          {"Đơn vị", "Unit"},
	"board.col_submitted_at":  {"Thời điểm nộp", "Submitted at"},
	"board.not_submitted":     {"chưa nộp", "not submitted"},
	"board.sub.draft":         {"Chưa nộp", "Not submitted"},
	"board.sub.submitted":     {"Đã nộp", "Submitted"},
	"board.sub.returned":      {"Trả lại", "Returned"},
	"board.sub.approved":      {"Đã duyệt", "Approved"},

	"board.punct_h":       {"Mức độ đúng hạn của các đơn vị", "Units' reporting punctuality"},
	"board.punct_note":    {"Tỷ lệ kỳ báo cáo nộp đúng hạn trên số kỳ đã đến hạn hoặc đã nộp, qua mọi kỳ báo cáo; đơn vị có tỷ lệ thấp nhất ở đầu.", "Share of periods reported on time among those due or submitted, over every reporting period; the lowest rate first."},
	"board.punct_total":   {"Toàn tỉnh: %s/%s báo cáo đúng hạn (%s%%).", "Province-wide: %s of %s reports on time (%s%%)."},
	"board.punct_rate":    {"Tỷ lệ đúng hạn", "On-time rate"},
	"board.punct_periods": {"Số kỳ", "Periods"},
	"board.punct_shown":   {"Đang hiển thị %s/%s đơn vị có tỷ lệ thấp nhất.", "Showing the %s of %s units with the lowest rate."},
	"board.punct_all":     {"Xem đủ %s đơn vị", "Show all %s units"},
	"board.punct_fewer":   {"Chỉ xem %s đơn vị kém nhất", "Show only the worst %s units"},
	"board.punct_none":    {"Chưa có kỳ báo cáo nào.", "No reporting period yet."},

	"board.trend_label":  {"Xu hướng chỉ tiêu %s theo kỳ: %s", "Trend of indicator %s by period: %s"},
	"board.trend_target": {"mục tiêu %s", "target %s"},
	"board.trend_n":      {"%s kỳ có số liệu", "%s periods with figures"},
}

func init() {
	for k, m := range boardMessages {
		if _, ok := messages[k]; ok {
			panic("message " + k + " is defined twice")
		}
		messages[k] = m
	}
}
