package web

// The messages of the proposal pages (proposals.go), added to the catalogue.
func init() {
	for k, m := range map[string][2]string{
		"proposal.crumbs":       {"Danh mục bài toán lớn", "Big problems catalogue"},
		"proposal.published_h":  {"Đề xuất đã công bố", "Published proposals"},
		"proposal.none":         {"Chưa có đề xuất nào được công bố cho bài toán này.", "No proposal has been published for this problem yet."},
		"proposal.by":           {"%s · gửi ngày %s", "%s · sent on %s"},
		"proposal.summary":      {"Tóm tắt", "Summary"},
		"proposal.approach":     {"Cách tiếp cận, giải pháp", "Approach"},
		"proposal.form_intro":   {"Đề xuất được Sở Khoa học và Công nghệ xem xét trước khi công bố. Thông tin liên hệ chỉ cơ quan tiếp nhận thấy.", "The Department of Science and Technology reviews each proposal before it is published. Only the receiving agency sees the contact details."},
		"proposal.f_title":      {"Tên đề xuất", "Title"},
		"proposal.f_summary":    {"Tóm tắt giải pháp", "Summary of the solution"},
		"proposal.f_approach":   {"Cách tiếp cận, kế hoạch thực hiện (không bắt buộc)", "Approach and plan (optional)"},
		"proposal.f_email":      {"Thư điện tử liên hệ", "Contact email"},
		"proposal.at_most":      {"Tối đa %s ký tự.", "At most %s characters."},
		"proposal.limits":       {"Mỗi doanh nghiệp gửi được tối đa %d đề xuất trong %d giờ.", "Each company may send at most %d proposals in %d hours."},
		"proposal.submit":       {"Gửi đề xuất", "Send the proposal"},
		"proposal.error_h":      {"Chưa gửi được đề xuất; chưa có gì được lưu.", "The proposal was not sent; nothing was saved."},
		"proposal.limited":      {"Đã đạt giới hạn số đề xuất (%d trong %d giờ). Vui lòng gửi lại sau %d phút.", "The limit of proposals is reached (%d in %d hours). Please try again in %d minutes."},
		"proposal.closed":       {"Bài toán này không còn nhận đề xuất (%s).", "This problem no longer takes proposals (%s)."},
		"proposal.how_h":        {"Doanh nghiệp muốn gửi đề xuất?", "A company wishing to propose?"},
		"proposal.how_1":        {"Đề nghị Sở Khoa học và Công nghệ cấp tài khoản doanh nghiệp.", "Ask the Department of Science and Technology for a company account."},
		"proposal.how_2":        {"Sở xác minh doanh nghiệp và kích hoạt quyền gửi đề xuất.", "The Department verifies the company and enables proposals."},
		"proposal.how_3":        {"Đăng nhập và gửi đề xuất tại trang này; đề xuất được công bố sau khi được duyệt.", "Sign in and send the proposal on this page; it is published once reviewed."},
		"proposal.sign_in":      {"Đăng nhập để gửi đề xuất", "Sign in to propose"},
		"proposal.unverified":   {"Tài khoản doanh nghiệp của bạn chưa được xác minh. Sở Khoa học và Công nghệ xác minh tài khoản trước khi doanh nghiệp gửi được đề xuất.", "Your company account is not verified yet. The Department of Science and Technology verifies accounts before a company may propose."},
		"proposal.not_business": {"Chỉ tài khoản doanh nghiệp đã xác minh mới gửi được đề xuất.", "Only a verified company account may propose."},
		"proposal.moderate":     {"Các đề xuất chờ duyệt: /api/v1/proposals.", "Proposals awaiting review: /api/v1/proposals."},
		"proposal.mine_h":       {"Đề xuất của doanh nghiệp bạn", "Your company's proposals"},
		"proposal.col_title":    {"Đề xuất", "Proposal"},
		"proposal.col_sent":     {"Ngày gửi", "Sent"},
		"proposal.col_reason":   {"Lý do không công bố", "Why it was not published"},
		"pstatus.submitted":     {"Chờ duyệt", "Awaiting review"},
		"pstatus.published":     {"Đã công bố", "Published"},
		"pstatus.rejected":      {"Không được công bố", "Not published"},
		"pstatus.commissioned":  {"Đã đặt hàng", "Commissioned"},
		"flash.proposal_sent":   {"Đã gửi đề xuất. Đề xuất sẽ được công bố sau khi Sở Khoa học và Công nghệ xem xét.", "Proposal sent. It will be published once the Department of Science and Technology has reviewed it."},
		"portal.problem_more":   {"Xem bài toán và đề xuất", "The problem and its proposals"},
	} {
		messages[k] = m
	}
}
