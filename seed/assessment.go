package seed

import (
	"context"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
)

// The shipped assessment templates (issue 14): starting points the standing agency
// copies into a new version and adapts. They are shaped like national methods, named
// plainly as templates, and are not those methods themselves.

// Template is a shipped framework with its first version.
type Template struct {
	Framework tinhso.Framework
	Version   tinhso.FrameworkVersion
}

func pts(x float64) *float64 { return &x }

func yesNo() *tinhso.Rule { return &tinhso.Rule{Kind: tinhso.RuleYesNo} }

func percent() *tinhso.Rule {
	return &tinhso.Rule{Kind: tinhso.RuleLinear, Low: pts(0), High: pts(100), Unit: "%"}
}

func manual() *tinhso.Rule { return &tinhso.Rule{Kind: tinhso.RuleManual} }

// DTITemplate is shaped like the provincial DTI of QĐ 922/QĐ-BTTTT (20/5/2022): two
// groups of 500 points each (the foundation: digital awareness, institutions,
// infrastructure, human resources, cyber security, with smart cities counted for no
// points; the activity: digital government 200, digital economy 150, digital society
// 150), 1,000 in all. Its criteria are examples to replace with the province's own.
var DTITemplate = Template{
	Framework: tinhso.Framework{Slug: "mau-dti-cap-tinh", SubjectKind: tinhso.SubjectDepartment,
		Name: "MẪU — Bộ tiêu chí đánh giá chuyển đổi số theo cấu trúc DTI cấp tỉnh (để điều chỉnh)",
		Description: "Mẫu khởi đầu để cơ quan thường trực sao chép và điều chỉnh, không phải phương pháp DTI chính thức. " +
			"Cấu trúc theo Quyết định 922/QĐ-BTTTT ngày 20/5/2022: hai nhóm chỉ số, mỗi nhóm 500 điểm, tổng 1.000 điểm " +
			"(nhóm nền tảng chung: nhận thức số, thể chế số, hạ tầng số, nhân lực số, an toàn thông tin mạng, đô thị thông minh không tính điểm; " +
			"nhóm hoạt động: chính quyền số 200, kinh tế số 150, xã hội số 150). Các tiêu chí là ví dụ. " +
			"Lưu ý: Quyết định 405/QĐ-BKHCN ngày 03/4/2025 đã sắp xếp lại Bộ chỉ số thành 8 chỉ số chính và 47 chỉ số thành phần, công bố theo thang 0–1; " +
			"khi áp dụng, hãy đối chiếu và cập nhật theo văn bản hiện hành."},
	Version: tinhso.FrameworkVersion{Total: 1000, Note: "Mẫu phiên bản 1: các tiêu chí là ví dụ để điều chỉnh.", Nodes: []tinhso.FrameworkNode{
		{Code: "1", Name: "Nhóm chỉ số nền tảng chung", MaxPoints: 500},
		{Code: "1.1", Name: "Nhận thức số", MaxPoints: 100},
		{Code: "1.1.1", Name: "Người đứng đầu trực tiếp chỉ đạo, ban hành kế hoạch chuyển đổi số năm", MaxPoints: 30, Rule: yesNo()},
		{Code: "1.1.2", Name: "Tỷ lệ cán bộ, công chức được phổ biến về chuyển đổi số", MaxPoints: 40, Rule: percent()},
		{Code: "1.1.3", Name: "Số chuyên mục, sự kiện tuyên truyền về chuyển đổi số trong năm", MaxPoints: 30,
			Rule: &tinhso.Rule{Kind: tinhso.RuleThresholds, Steps: []tinhso.Step{{From: 1, Share: 0.5}, {From: 4, Share: 1}}, Unit: "lần"}},
		{Code: "1.2", Name: "Thể chế số", MaxPoints: 100},
		{Code: "1.2.1", Name: "Ban hành chương trình, kế hoạch chuyển đổi số năm", MaxPoints: 40, Rule: yesNo()},
		{Code: "1.2.2", Name: "Bố trí kinh phí cho chuyển đổi số (kèm quyết định giao dự toán)", MaxPoints: 30, Rule: manual()},
		{Code: "1.2.3", Name: "Tỷ lệ nhiệm vụ chuyển đổi số chủ trì hoàn thành đúng hạn (tự động từ theo dõi nhiệm vụ)", MaxPoints: 30,
			Rule: &tinhso.Rule{Kind: tinhso.RuleTaskShare, Unit: "%"}},
		{Code: "1.3", Name: "Hạ tầng số", MaxPoints: 100},
		{Code: "1.3.1", Name: "Tỷ lệ máy tính kết nối mạng truyền số liệu chuyên dùng", MaxPoints: 50, Rule: percent()},
		{Code: "1.3.2", Name: "Sử dụng các nền tảng dùng chung của tỉnh", MaxPoints: 50, Rule: yesNo()},
		{Code: "1.4", Name: "Nhân lực số", MaxPoints: 100},
		{Code: "1.4.1", Name: "Có cán bộ chuyên trách hoặc kiêm nhiệm chuyển đổi số", MaxPoints: 40, Rule: yesNo()},
		{Code: "1.4.2", Name: "Tỷ lệ cán bộ, công chức được bồi dưỡng kỹ năng số", MaxPoints: 60, Rule: percent()},
		{Code: "1.5", Name: "An toàn thông tin mạng", MaxPoints: 100},
		{Code: "1.5.1", Name: "Tỷ lệ hệ thống thông tin được phê duyệt cấp độ an toàn", MaxPoints: 50, Rule: percent()},
		{Code: "1.5.2", Name: "Phương án ứng cứu sự cố và diễn tập trong năm", MaxPoints: 50, Rule: manual()},
		{Code: "1.6", Name: "Đô thị thông minh (không tính điểm)", MaxPoints: 0},
		{Code: "1.6.1", Name: "Triển khai dịch vụ đô thị thông minh", MaxPoints: 0, Rule: yesNo(), Note: "Theo QĐ 922, chỉ số này không tính điểm."},
		{Code: "2", Name: "Nhóm chỉ số hoạt động", MaxPoints: 500},
		{Code: "2.1", Name: "Hoạt động chính quyền số", MaxPoints: 200},
		{Code: "2.1.1", Name: "Tỷ lệ hồ sơ thủ tục hành chính xử lý trực tuyến toàn trình", MaxPoints: 80,
			Rule: &tinhso.Rule{Kind: tinhso.RuleThresholds, Steps: []tinhso.Step{{From: 30, Share: 0.3}, {From: 50, Share: 0.6}, {From: 80, Share: 1}}, Unit: "%"}},
		{Code: "2.1.2", Name: "Tỷ lệ văn bản đi được ký số", MaxPoints: 60, Rule: percent()},
		{Code: "2.1.3", Name: "Tỷ lệ ý kiến chỉ đạo hoàn thành đúng hạn", MaxPoints: 60, Rule: &tinhso.Rule{Kind: tinhso.RuleDirectiveShare, Unit: "%"},
			Note: "Tính 0 điểm (thiếu số liệu) cho đến khi có chức năng theo dõi ý kiến chỉ đạo."},
		{Code: "2.2", Name: "Hoạt động kinh tế số", MaxPoints: 150},
		{Code: "2.2.1", Name: "Số doanh nghiệp được hỗ trợ chuyển đổi số trong năm", MaxPoints: 75,
			Rule: &tinhso.Rule{Kind: tinhso.RuleThresholds, Steps: []tinhso.Step{{From: 10, Share: 0.5}, {From: 50, Share: 1}}, Unit: "doanh nghiệp"}},
		{Code: "2.2.2", Name: "Tỷ lệ giao dịch thanh toán không dùng tiền mặt", MaxPoints: 75, Rule: percent()},
		{Code: "2.3", Name: "Hoạt động xã hội số", MaxPoints: 150},
		{Code: "2.3.1", Name: "Tỷ lệ người dân trưởng thành có tài khoản định danh điện tử", MaxPoints: 75, Rule: percent()},
		{Code: "2.3.2", Name: "Tổ công nghệ số cộng đồng hoạt động thường xuyên", MaxPoints: 75, Rule: yesNo()},
	}},
}

// BusinessTemplate is for businesses' digital-transformation level (Plan 25/KH-UBND
// task 56), shaped like the six pillars of the national business criteria: customer
// experience, strategy, digital infrastructure and technology, operations, culture,
// data and information assets; 100 points each.
var BusinessTemplate = Template{
	Framework: tinhso.Framework{Slug: "mau-cds-doanh-nghiep", SubjectKind: tinhso.SubjectBusiness,
		Name: "MẪU — Bộ tiêu chí đánh giá mức độ chuyển đổi số doanh nghiệp (để điều chỉnh)",
		Description: "Mẫu khởi đầu cho nhiệm vụ 56 của Kế hoạch 25/KH-UBND, không phải bộ tiêu chí chính thức của cơ quan trung ương: " +
			"sáu trụ cột (trải nghiệm khách hàng, chiến lược, hạ tầng và công nghệ số, vận hành, văn hóa doanh nghiệp, dữ liệu và tài sản thông tin), " +
			"mỗi trụ cột 100 điểm. Doanh nghiệp tự đánh giá bằng tài khoản doanh nghiệp; hãy đối chiếu với bộ tiêu chí trung ương hiện hành khi áp dụng."},
	Version: tinhso.FrameworkVersion{Total: 600, Note: "Mẫu phiên bản 1: các tiêu chí là ví dụ để điều chỉnh.", Nodes: []tinhso.FrameworkNode{
		{Code: "1", Name: "Trải nghiệm khách hàng", MaxPoints: 100},
		{Code: "1.1", Name: "Có kênh bán hàng, chăm sóc khách hàng trực tuyến", MaxPoints: 50, Rule: yesNo()},
		{Code: "1.2", Name: "Tỷ lệ doanh thu qua kênh số", MaxPoints: 50, Rule: &tinhso.Rule{Kind: tinhso.RuleLinear, Low: pts(0), High: pts(50), Unit: "%"}},
		{Code: "2", Name: "Chiến lược", MaxPoints: 100},
		{Code: "2.1", Name: "Có chiến lược hoặc kế hoạch chuyển đổi số được lãnh đạo phê duyệt", MaxPoints: 50, Rule: yesNo()},
		{Code: "2.2", Name: "Ngân sách dành cho chuyển đổi số (kèm tài liệu)", MaxPoints: 50, Rule: manual()},
		{Code: "3", Name: "Hạ tầng và công nghệ số", MaxPoints: 100},
		{Code: "3.1", Name: "Sử dụng dịch vụ điện toán đám mây", MaxPoints: 50, Rule: yesNo()},
		{Code: "3.2", Name: "Sử dụng hóa đơn điện tử và chữ ký số", MaxPoints: 50, Rule: yesNo()},
		{Code: "4", Name: "Vận hành", MaxPoints: 100},
		{Code: "4.1", Name: "Số phần mềm quản trị đang dùng (kế toán, nhân sự, ERP…)", MaxPoints: 50,
			Rule: &tinhso.Rule{Kind: tinhso.RuleThresholds, Steps: []tinhso.Step{{From: 1, Share: 0.4}, {From: 2, Share: 0.7}, {From: 3, Share: 1}}, Unit: "phần mềm"}},
		{Code: "4.2", Name: "Quy trình nghiệp vụ được tự động hóa (kèm tài liệu)", MaxPoints: 50, Rule: manual()},
		{Code: "5", Name: "Văn hóa doanh nghiệp", MaxPoints: 100},
		{Code: "5.1", Name: "Tỷ lệ người lao động được đào tạo kỹ năng số", MaxPoints: 50, Rule: percent()},
		{Code: "5.2", Name: "Có người phụ trách chuyển đổi số", MaxPoints: 50, Rule: yesNo()},
		{Code: "6", Name: "Dữ liệu và tài sản thông tin", MaxPoints: 100},
		{Code: "6.1", Name: "Dữ liệu được số hóa và lưu trữ tập trung", MaxPoints: 50, Rule: yesNo()},
		{Code: "6.2", Name: "Biện pháp bảo vệ dữ liệu (kèm tài liệu)", MaxPoints: 50, Rule: manual()},
	}},
}

// Templates are the shipped framework templates.
func Templates() []Template { return []Template{DTITemplate, BusinessTemplate} }

// TemplatesName names the shipped assessment templates in the seed log.
const TemplatesName = "assessment-templates-v1"

// LoadTemplates stores the shipped framework templates (each with its version 1
// published) unless they were loaded before; a framework of a template's slug that
// exists already is left as it is. It reports whether it loaded.
func LoadTemplates(ctx context.Context, st Store, a *app.App) (bool, error) {
	return once(ctx, st, TemplatesName, func(ctx context.Context) error {
		for _, t := range Templates() {
			v := t.Version
			v.Nodes = append([]tinhso.FrameworkNode(nil), t.Version.Nodes...)
			if _, err := a.InstallTemplate(ctx, t.Framework, v); err != nil {
				return err
			}
		}
		return nil
	})
}
