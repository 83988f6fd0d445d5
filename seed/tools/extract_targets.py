#!/usr/bin/env python3
"""Targets extraction: 1893/QĐ-UBND §I.2 and the Scheme 2026-2030 targets (1)-(6).

Writes seed/data/indicators_1893.json, indicators_scheme.json, measures.json and
coverage_targets.json from the hand-curated lists below. Nothing positional is typed by
hand: every span is computed by locating the curated clause in its source line(s).

Curation rules (see also the notes in the records):
- One record per target. A bullet/paragraph holding several targets gives several records,
  each flagged `split`; codes are positional: 003 `<subsection>.<bullet>[.<clause>]`,
  004 `<group>.<k>` with k = order of the target in the group's text.
- A target restated in the same document (same quantity, same value; wording aside) gets
  no second record: a whole repeated bullet is a coverage exclusion naming the kept id; a
  repeated clause inside a multi-target passage is left out, its positional code stays
  unused, and the kept record's note says where the restatement is.
- `source`/`source_text` = the clause holding the target (the whole bullet text after
  "- " when the bullet holds one target). `target_text` = the clause's commitment as
  written, starting at the comparator ("đạt", "tối thiểu", "≥", "trên", …) for a
  quantitative target, the clause itself (without final ".") for a qualitative one.
- `name` is a cleaned display name (spanned only when it is verbatim in the clause);
  `unit` is spanned when it is written inside target_text, else derived.

Run: python3 seed/tools/extract_targets.py   (from the repository root or anywhere)
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = os.path.dirname(HERE)
SRC = os.path.join(SEED, "sources")
OUT = os.path.join(SEED, "data")

F1893 = "003_quyet-dinh-1893-chien-luoc-cds.txt"
FSCH = "004_de-an-khcn-dmst-cds-2026-2030.txt"

_texts = {}


def text_of(fname):
    if fname not in _texts:
        with open(os.path.join(SRC, fname), encoding="utf-8") as f:
            _texts[fname] = f.read()
    return _texts[fname]


def lines_of(fname):
    return text_of(fname).split("\n")


def line_start(fname, line):
    ls = lines_of(fname)
    return sum(len(l) + 1 for l in ls[: line - 1])


def pos_of(fname, off):
    """0-based code-point offset -> (line, col), 1-based."""
    t = text_of(fname)
    line = t.count("\n", 0, off) + 1
    col = off - (t.rfind("\n", 0, off) + 1) + 1
    return line, col


def span_at(fname, start, length):
    l1, c1 = pos_of(fname, start)
    l2, c2 = pos_of(fname, start + length)
    return {"file": fname, "line": l1, "col": c1, "end_line": l2, "end_col": c2}


def span_text(sp):
    ls = lines_of(sp["file"])
    if sp["line"] == sp["end_line"]:
        return ls[sp["line"] - 1][sp["col"] - 1 : sp["end_col"] - 1]
    parts = [ls[sp["line"] - 1][sp["col"] - 1 :]]
    parts += ls[sp["line"] : sp["end_line"] - 1]
    parts.append(ls[sp["end_line"] - 1][: sp["end_col"] - 1])
    return "\n".join(parts)


def locate_source(fname, line, clause):
    """The clause must start on `line`; it may run over later lines."""
    t = text_of(fname)
    s = line_start(fname, line)
    e = s + len(lines_of(fname)[line - 1])
    i = t.find(clause, s)
    if i < 0 or i > e:
        sys.exit(f"{fname}:{line}: clause not found on this line: {clause!r}")
    if t.find(clause, i + 1) != -1 and t.find(clause, i + 1) <= e:
        sys.exit(f"{fname}:{line}: clause occurs twice on this line: {clause!r}")
    return i


def locate_in(fname, src_off, src_text, sub, occ=0):
    idx, start = -1, 0
    found = []
    while True:
        j = src_text.find(sub, start)
        if j < 0:
            break
        found.append(j)
        start = j + 1
    if not found:
        return None
    if len(found) > 1 and occ is None:
        sys.exit(f"{fname}: {sub!r} ambiguous in {src_text!r}")
    idx = found[occ or 0]
    return span_at(fname, src_off + idx, len(sub))


# ---------------------------------------------------------------------------
# 1893/QĐ-UBND, I.2 "Mục tiêu cụ thể" (lines 22-61)
# Each entry: code, line, clause (None = whole bullet after "- "), name, unit, target
# (str or (str, occurrence)), flags, note.
# ---------------------------------------------------------------------------
T1893 = [
    # a) Phát triển hạ tầng số
    dict(code="a.1", line=24, name="Tỷ lệ phủ sóng 5G cho người dân trên địa bàn tỉnh", unit="%", target="đạt 100%"),
    dict(code="a.2", line=25, name="Tỷ lệ người sử dụng có khả năng truy cập băng thông rộng cố định với tốc độ trên 01 Gb/s", unit="%", target="100%"),
    dict(code="a.3.1", line=26,
         clause="Dịch vụ truy nhập internet qua mạng thông tin di động 4G có tốc độ tải xuống trung bình tối thiểu 40Mbit/s",
         name="Tốc độ tải xuống trung bình của dịch vụ truy nhập internet qua mạng di động 4G", unit="Mbit/s",
         target="tối thiểu 40Mbit/s", flags=["split"],
         note="Đo bằng ứng dụng i-Speed (ghi chú cuối gạch đầu dòng, áp dụng cho cả 4G và 5G)."),
    dict(code="a.3.2", line=26,
         clause="qua mạng thông tin di động 5G có tốc độ tải xuống trung bình tối thiểu 100Mbit/s (kết quả đo bằng ứng dụng i-Speed)",
         name="Tốc độ tải xuống trung bình của dịch vụ truy nhập internet qua mạng di động 5G", unit="Mbit/s",
         target="tối thiểu 100Mbit/s", flags=["split"],
         note="Đo bằng ứng dụng i-Speed."),
    dict(code="a.4", line=27,
         name="Hoàn thiện Trung tâm dữ liệu tỉnh, kết nối, đồng bộ dữ liệu với Trung tâm dữ liệu quốc gia", unit="",
         target="Hoàn thiện Trung tâm dữ liệu tỉnh theo hướng dẫn của Trung ương đảm bảo phù hợp với thực tiễn, triển khai kết nối, đồng bộ dữ liệu với Trung tâm dữ liệu quốc gia",
         note="Chỉ tiêu định tính. Tiêu đề mục a) viết \"Phát triển hạ tầng sổ\" (lỗi chính tả của \"số\")."),
    # b) Phát triển chính quyền số
    dict(code="b.1", line=29, name="Chỉ số chuyển đổi số cấp tỉnh (DTI)", unit="", target="đạt trên 0,80"),
    dict(code="b.2", line=30, name="Tỷ lệ thủ tục hành chính được tiếp nhận, giải quyết phi địa giới hành chính giữa trung ương và địa phương, giữa các cấp chính quyền", unit="%", target="100%"),
    dict(code="b.3", line=31, name="Tỷ lệ thủ tục hành chính liên quan đến đào tạo, nghiên cứu, sản xuất, kinh doanh được thực hiện trực tuyến", unit="%", target="100%"),
    dict(code="b.4", line=32, name="Tỷ lệ hồ sơ, kết quả giải quyết thủ tục hành chính được số hóa", unit="%", target="100%",
         note="Nhắc lại nguyên văn ở vế đầu gạch đầu dòng b.7 (dòng 35); vế đó không tạo bản ghi riêng."),
    dict(code="b.5", line=33, name="Tỷ lệ dịch vụ công trực tuyến toàn trình trên tổng số thủ tục hành chính có đủ điều kiện", unit="%", target="100%"),
    dict(code="b.6", line=34, name="Tỷ lệ dịch vụ công trực tuyến toàn trình ứng dụng trí tuệ nhân tạo (AI)", unit="%", target="100%"),
    dict(code="b.7.2", line=35, clause="100% hồ sơ thủ tục hành chính xử lý trực tuyến",
         name="Tỷ lệ hồ sơ thủ tục hành chính xử lý trực tuyến", unit="%", target="100%", flags=["split"],
         note="Vế thứ hai của gạch đầu dòng b.7; vế đầu (\"100% hồ sơ, kết quả giải quyết thủ tục hành chính được số hóa\") nhắc lại nguyên văn b.4 nên không tạo bản ghi (mã b.7.1 bỏ trống)."),
    dict(code="b.8", line=36, name="Tỷ lệ khai thác, sử dụng lại thông tin, dữ liệu đã được số hóa trong giải quyết thủ tục hành chính, dịch vụ công", unit="%", target="đạt tối thiểu 80%"),
    dict(code="b.9", line=37, name="Tỷ lệ thanh toán trực tuyến trong giải quyết thủ tục hành chính, dịch vụ công", unit="%", target="đạt tối thiểu 80%"),
    dict(code="b.10", line=38, name="Tỷ lệ giao dịch hành chính thuộc diện \"phi tiếp xúc\"", unit="%", target="100%"),
    dict(code="b.11.1", line=39, clause="100% hệ thống thông tin của tỉnh vận hành trên nền tảng điện toán đám mây",
         name="Tỷ lệ hệ thống thông tin của tỉnh vận hành trên nền tảng điện toán đám mây", unit="%", target="100%", flags=["split"]),
    dict(code="b.11.2", line=39, clause="ứng dụng hiệu quả, có kiểm soát trí tuệ nhân tạo (AI) trong các hoạt động",
         name="Ứng dụng hiệu quả, có kiểm soát trí tuệ nhân tạo (AI) trong các hoạt động", unit="",
         target="ứng dụng hiệu quả, có kiểm soát trí tuệ nhân tạo (AI) trong các hoạt động", flags=["split"],
         note="Chỉ tiêu định tính."),
    dict(code="b.12", line=40, name="Tỷ lệ cơ sở dữ liệu của tỉnh được số hóa và liên thông tới Trung ương", unit="%", target="Tối thiểu 90%",
         note="Kèm yêu cầu dữ liệu \"đúng - đủ - sạch - sống - thống nhất - dùng chung\". Không gộp với 25-kh-ubnd/21 (hoàn thành xây dựng, kết nối, chia sẻ CSDL của tỉnh với CSDL quốc gia và CSDL các ngành, 100%): phạm vi khác."),
    dict(code="b.13.1", line=41, clause="100% dữ liệu của các ban, sở, ngành được tích hợp với nền tảng tích hợp, chia sẻ dữ liệu LGSP",
         name="Tỷ lệ dữ liệu của các ban, sở, ngành được tích hợp với nền tảng tích hợp, chia sẻ dữ liệu (LGSP)", unit="%", target="100%", flags=["split"]),
    dict(code="b.13.2", line=41, clause="khai thác, sử dụng có hiệu quả tài nguyên số, dữ liệu số",
         name="Khai thác, sử dụng có hiệu quả tài nguyên số, dữ liệu số", unit="",
         target="khai thác, sử dụng có hiệu quả tài nguyên số, dữ liệu số", flags=["split"], note="Chỉ tiêu định tính."),
    dict(code="b.14.1", line=42, clause="100% đạt cấp độ 4",
         name="Tỷ lệ đạt cấp độ 4 mức độ trưởng thành về quản trị dữ liệu", unit="%", target="100%", flags=["split"],
         note="\"mức độ trưởng thành về quản trị dữ liệu\" viết một lần cuối gạch đầu dòng, áp dụng cho cả hai vế; văn bản không nói tỷ lệ của đối tượng nào (cơ quan, hệ thống)."),
    dict(code="b.14.2", line=42, clause="90% đặt cấp độ 5 mức độ trưởng thành về quản trị dữ liệu",
         name="Tỷ lệ đạt cấp độ 5 mức độ trưởng thành về quản trị dữ liệu", unit="%", target="90%", flags=["split", "typo"],
         note="\"đặt\" là lỗi chính tả của \"đạt\", giữ nguyên văn."),
    dict(code="b.15", line=43, name="Tỷ lệ doanh nghiệp vừa và nhỏ địa phương ứng dụng công nghệ số", unit="%", target="100%",
         note="Nhắc lại ở mục c) (dòng 49, \"Phấn đấu 100% doanh nghiệp vừa và nhỏ địa phương ứng dụng công nghệ số.\"); dòng đó là loại trừ trong coverage, mã c.2 bỏ trống."),
    dict(code="b.16", line=44, clause="Hướng tới quản lý nhà nước từ tỉnh đến địa phương trên môi trường số, kết nối và vận hành thông suốt giữa các cơ quan trong hệ thống chính trị.”",
         name="Quản lý nhà nước từ tỉnh đến địa phương trên môi trường số, kết nối và vận hành thông suốt giữa các cơ quan trong hệ thống chính trị", unit="",
         target="Hướng tới quản lý nhà nước từ tỉnh đến địa phương trên môi trường số, kết nối và vận hành thông suốt giữa các cơ quan trong hệ thống chính trị",
         flags=["typo"], note="Chỉ tiêu định tính. Dấu ngoặc kép đóng \"”\" thừa ở cuối câu (không có dấu mở), giữ nguyên văn trong source_text."),
    dict(code="b.17", line=45, name="Hoàn thiện Trung tâm giám sát, điều hành đô thị thông minh (IOC) của tỉnh", unit="",
         target="Hoàn thiện Trung tâm giám sát, điều hành đô thị thông minh (IOC) của tỉnh", note="Chỉ tiêu định tính."),
    dict(code="b.18", line=46, name="Tỷ lệ cán bộ, công chức cấp tỉnh, cấp xã được bồi dưỡng kỹ năng số cơ bản", unit="%", target="100%",
         note="Không gộp với de-an-2026-2030/2.3 (cán bộ, công chức, viên chức được bồi dưỡng nâng cao kiến thức, kỹ năng số): đối tượng (có viên chức) và mức (nâng cao/cơ bản) khác."),
    # c) Phát triển kinh tế số
    dict(code="c.1", line=48, name="Quy mô kinh tế số trong GRDP", unit="% GRDP", target="đạt ≥ 35% GRDP",
         note="Bao gồm cả quy mô, doanh thu kinh tế số do các doanh nghiệp FDI trên địa bàn."),
    dict(code="c.3.1", line=50, clause="Hỗ trợ tối thiểu 10.000 doanh nghiệp nhỏ và vừa chuyển đổi số thông qua sử dụng các nền tảng số phục vụ quản trị, sản xuất, kinh doanh",
         name="Số doanh nghiệp nhỏ và vừa được hỗ trợ chuyển đổi số thông qua sử dụng các nền tảng số phục vụ quản trị, sản xuất, kinh doanh",
         unit="doanh nghiệp", target="tối thiểu 10.000", flags=["split"],
         note="Mã c.2 bỏ trống: gạch đầu dòng thứ hai của mục c) nhắc lại b.15."),
    dict(code="c.3.2", line=50, clause="tăng tối thiểu 15% năng suất lao động cho công đoạn áp dụng nền tảng",
         name="Mức tăng năng suất lao động cho công đoạn áp dụng nền tảng số", unit="%", target="tối thiểu 15%", flags=["split"]),
    dict(code="c.4", line=51, name="Số Khu công nghệ số (Khu công nghệ thông tin) tập trung được phát triển", unit="khu", target="ít nhất 01"),
    dict(code="c.5", line=52, name="Số tổ chức, doanh nghiệp công nghệ hàng đầu thế giới được thu hút thêm đặt trụ sở, đầu tư nghiên cứu, sản xuất tại tỉnh",
         unit="tổ chức, doanh nghiệp", target="ít nhất 01"),
    # d) Phát triển xã hội số
    dict(code="d.1.1", line=54, clause="Có ≥ 98% người dân (từ 14 tuổi trở lên) có tài khoản định danh điện tử (VNeID)",
         name="Tỷ lệ người dân từ 14 tuổi trở lên có tài khoản định danh điện tử (VNeID)", unit="%", target="≥ 98%", flags=["split"],
         note="Không gộp với de-an-2026-2030/5.16 (cấp tài khoản VNeID cho công dân có đủ điều kiện đạt 100%): mẫu số khác (người dân từ 14 tuổi / công dân đủ điều kiện)."),
    dict(code="d.1.2", line=54, clause="tỷ lệ người dân trưởng thành có chữ ký số ≥ 30%",
         name="Tỷ lệ người dân trưởng thành có chữ ký số", unit="%", target="≥ 30%", flags=["split"],
         note="Khác 25-kh-ubnd/22 (chữ ký số hoặc chữ ký điện tử cá nhân, ≥ 70%): đại lượng khác, không gộp."),
    dict(code="d.2", line=55, name="Tỷ lệ dân số trưởng thành tiếp cận dịch vụ số trong y tế, giáo dục, bảo hiểm, giao thông", unit="%", target="100%"),
    # e) An toàn, an ninh thông tin
    dict(code="e.1", line=57, name="Tỉnh thuộc nhóm các địa phương dẫn đầu về an toàn, an ninh không gian mạng, an ninh dữ liệu và bảo vệ dữ liệu", unit="",
         target="Tỉnh thuộc nhóm các địa phương dẫn đầu về an toàn, an ninh không gian mạng, an ninh dữ liệu và bảo vệ dữ liệu",
         note="Chỉ tiêu định tính. Không gộp với 25-kh-ubnd/24 (xếp hạng về an toàn thông tin mạng ≤ 10): đại lượng khác."),
    dict(code="e.2", line=58, name="Có Trung tâm an ninh mạng cấp tỉnh (hoặc thuê dịch vụ giám sát an toàn thông tin) giám sát, ứng cứu sự cố cho toàn hệ thống", unit="",
         target="Có Trung tâm an ninh mạng cấp tỉnh (hoặc thuế dịch vụ giám sát an toàn thông tin), giám sát, ứng cứu sự cố cho toàn hệ thống",
         flags=["typo"], note="Chỉ tiêu định tính. \"thuế\" là lỗi chính tả của \"thuê\" (Đề án ghi đúng \"thuê\"), giữ nguyên văn."),
    dict(code="e.3", line=59, name="Tỷ lệ hệ thống thông tin các cơ quan đảm bảo an toàn thông tin theo cấp độ", unit="%", target="100%"),
    dict(code="e.4", line=60, name="Tỷ lệ hệ thống thông tin quan trọng được triển khai bảo đảm an toàn thông tin theo mô hình 4 lớp", unit="%", target="100%"),
    dict(code="e.5", line=61, name="Tỷ lệ hệ thống thông tin được triển khai giám sát an toàn, an ninh mạng và được kiểm tra, đánh giá thường xuyên", unit="%", target="100%"),
]

EXCL_1893 = [
    dict(line=49, reason="Nhắc lại chỉ tiêu 1893-qd-ubnd/b.15 (\"100% doanh nghiệp vừa và nhỏ địa phương ứng dụng công nghệ số\", mục b) với tiền tố \"Phấn đấu\"; cùng đại lượng, cùng giá trị."),
]

# ---------------------------------------------------------------------------
# Scheme 2026-2030, Phần thứ hai I.2 (lines 187-206): targets (1)-(6)
# ---------------------------------------------------------------------------
PB5 = "100% hệ thống thông tin của tỉnh vận hành trên nền\n\ntăng điện toán đám mây"
PB3 = "số lượng đơn\n\nđăng ký sở hữu công nghiệp (sáng chế, giải pháp hữu ích, kiểu dáng công nghiệp, nhãn hiệu) tăng tối thiểu 20% so với giai đoạn 2021 – 2025"

TSCH = [
    # (1) hạ tầng
    dict(code="1.1", line=189, clause="Tỷ lệ phủ sóng 5G trên địa bàn tỉnh đạt 100%", name="Tỷ lệ phủ sóng 5G trên địa bàn tỉnh", unit="%", target="đạt 100%"),
    dict(code="1.2", line=189, clause="sẵn sàng triển khai thử nghiệm mạng di động 6G", name="Sẵn sàng triển khai thử nghiệm mạng di động 6G", unit="",
         target="sẵn sàng triển khai thử nghiệm mạng di động 6G", note="Chỉ tiêu định tính; cùng vế (ngăn bằng dấu phẩy) với 1.1."),
    dict(code="1.3", line=189, clause="tỷ lệ người sử dụng có khả năng truy cập băng rộng cố định với tốc độ trên 01 Gbps đạt 100%",
         name="Tỷ lệ người sử dụng có khả năng truy cập băng rộng cố định với tốc độ trên 01 Gbps", unit="%", target="đạt 100%"),
    dict(code="1.4", line=189, clause="dịch vụ truy nhập internet qua mạng thông tin di động 4G có tốc độ tải xuống trung bình tối thiểu 40 Mbps",
         name="Tốc độ tải xuống trung bình của dịch vụ truy nhập internet qua mạng di động 4G", unit="Mbps", target="tối thiểu 40 Mbps",
         note="Đo bằng ứng dụng i-Speed (ghi chú cuối vế, áp dụng cho cả 4G và 5G)."),
    dict(code="1.5", line=189, clause="qua mạng thông tin di động 5G có tốc độ tải xuống trung bình tối thiểu 100 Mbps (kết quả đo bằng ứng dụng i-Speed)",
         name="Tốc độ tải xuống trung bình của dịch vụ truy nhập internet qua mạng di động 5G", unit="Mbps", target="tối thiểu 100 Mbps",
         note="Đo bằng ứng dụng i-Speed."),
    # (2) nguồn lực
    dict(code="2.1", line=191, clause="Phân đầu tỷ lệ chi cho khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số đạt 3% GRDP",
         name="Tỷ lệ chi cho khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số trên GRDP", unit="% GRDP", target="đạt 3% GRDP",
         flags=["typo"], note="\"Phân đầu\" là lỗi chính tả của \"Phấn đấu\", giữ nguyên văn. Không gộp với 25-kh-ubnd/11 (kinh phí chi cho R&D, 2% GRDP) hay 25-kh-ubnd/13 (chi ngân sách cho KHCN, ĐMST, CĐS): phạm vi chi khác."),
    dict(code="2.2", line=191, clause="phát triển mạnh nguồn nhân lực KH&CN - AI - dữ liệu - IoT với Đại học Thái Nguyên là lực lượng nòng cốt, tạo nguồn nhân lực chất lượng cao cho tỉnh và vùng Việt Bắc",
         name="Phát triển mạnh nguồn nhân lực KH&CN - AI - dữ liệu - IoT với Đại học Thái Nguyên là lực lượng nòng cốt", unit="",
         target="phát triển mạnh nguồn nhân lực KH&CN - AI - dữ liệu - IoT với Đại học Thái Nguyên là lực lượng nòng cốt, tạo nguồn nhân lực chất lượng cao cho tỉnh và vùng Việt Bắc",
         note="Chỉ tiêu định tính."),
    dict(code="2.3", line=191, clause="100% cán bộ, công chức, viên chức được bồi dưỡng nâng cao kiến thức, kỹ năng số",
         name="Tỷ lệ cán bộ, công chức, viên chức được bồi dưỡng nâng cao kiến thức, kỹ năng số", unit="%", target="100%",
         note="Không gộp với 1893-qd-ubnd/b.18 (cán bộ, công chức cấp tỉnh, cấp xã được bồi dưỡng kỹ năng số cơ bản): đối tượng và mức khác."),
    dict(code="2.4", line=191, clause="100% cán bộ, công chức, viên chức làm chủ kỹ năng số, ứng dụng công nghệ trong quản lý, điều hành",
         name="Tỷ lệ cán bộ, công chức, viên chức làm chủ kỹ năng số, ứng dụng công nghệ trong quản lý, điều hành", unit="%", target="100%"),
    dict(code="2.5", line=191, clause="100% dân số trưởng thành tiếp cận dịch vụ số trong y tế, giáo dục, bảo hiểm, giao thông",
         name="Tỷ lệ dân số trưởng thành tiếp cận dịch vụ số trong y tế, giáo dục, bảo hiểm, giao thông", unit="%", target="100%"),
    dict(code="2.6", line=191, clause="số người thực hiện công tác nghiên cứu khoa học, phát triển công nghệ, đổi mới sáng tạo trên 01 vạn dân đạt 13 người/01 vạn dân",
         name="Số người thực hiện công tác nghiên cứu khoa học, phát triển công nghệ, đổi mới sáng tạo trên 01 vạn dân", unit="người/01 vạn dân",
         target="đạt 13 người/01 vạn dân"),
    dict(code="2.7", line=191, clause="có cơ chế tuyển dụng, thu hút nguồn nhân lực công nghệ thông tin, chuyển đổi số cho cấp xã",
         name="Có cơ chế tuyển dụng, thu hút nguồn nhân lực công nghệ thông tin, chuyển đổi số cho cấp xã", unit="",
         target="có cơ chế tuyển dụng, thu hút nguồn nhân lực công nghệ thông tin, chuyển đổi số cho cấp xã", note="Chỉ tiêu định tính."),
    # (3) khoa học, công nghệ (lines 193, 195 after a page break, 197)
    dict(code="3.1", line=193, clause="Tiềm lực, trình độ khoa học, công nghệ và đổi mới sáng tạo đạt mức tiên tiến ở nhiều lĩnh vực quan trọng, thuộc nhóm dẫn đầu trong cả nước",
         name="Tiềm lực, trình độ khoa học, công nghệ và đổi mới sáng tạo", unit="",
         target="đạt mức tiên tiến ở nhiều lĩnh vực quan trọng, thuộc nhóm dẫn đầu trong cả nước", note="Chỉ tiêu định tính."),
    dict(code="3.2", line=193, clause="đóng góp của năng suất nhân tố tổng hợp (TFP) vào tăng trưởng kinh tế giai đoạn 2026 - 2030 ở mức trên 55%",
         name="Tỷ lệ đóng góp của năng suất nhân tố tổng hợp (TFP) vào tăng trưởng kinh tế giai đoạn 2026 - 2030", unit="%", target="ở mức trên 55%"),
    dict(code="3.3", line=193, clause="có từ 1.800 cán bộ nghiên cứu khoa học và công nghệ toàn tỉnh",
         name="Số cán bộ nghiên cứu khoa học và công nghệ toàn tỉnh", unit="người", target="từ 1.800",
         note="Số tuyệt đối; không gộp với 2.6 (người/01 vạn dân)."),
    dict(code="3.4", line=193, clause="phân đầu có 70 doanh nghiệp khoa học và công nghệ",
         name="Số doanh nghiệp khoa học và công nghệ", unit="doanh nghiệp", target="70", flags=["typo"],
         note="\"phân đầu\" là lỗi chính tả của \"phấn đấu\", giữ nguyên văn. Nhắc lại ở nhóm (4): \"số doanh nghiệp đạt tiêu chí doanh nghiệp KH&CN là 70 doanh nghiệp\"; vế đó không tạo bản ghi (mã 4.2 bỏ trống)."),
    dict(code="3.5", line=193, clause="tối thiểu 01 tổ chức khoa học và công nghệ công lập thuộc tỉnh",
         name="Số tổ chức khoa học và công nghệ công lập thuộc tỉnh", unit="tổ chức", target="tối thiểu 01",
         note="Văn bản không nói rõ tổ chức này phải đạt điều kiện gì."),
    dict(code="3.6", line=193, clause="45 công trình khoa học và công nghệ cấp tỉnh được nghiệm thu mỗi năm đạt công trình",
         name="Số công trình khoa học và công nghệ cấp tỉnh được nghiệm thu mỗi năm", unit="công trình/năm", target="45",
         flags=["typo"], note="Câu lỗi biên tập: \"… mỗi năm đạt công trình\" (thiếu số sau \"đạt\"); con số 45 đứng đầu vế. Mỗi năm trong giai đoạn 2026-2030."),
    dict(code="3.7", line=193, clause="nhiệm vụ khoa học và công nghệ cấp tỉnh triển khai mỗi năm đạt 55 nhiệm vụ",
         name="Số nhiệm vụ khoa học và công nghệ cấp tỉnh triển khai mỗi năm", unit="nhiệm vụ/năm", target="đạt 55 nhiệm vụ",
         note="Mỗi năm trong giai đoạn 2026-2030."),
    dict(code="3.8", line=193, clause="kết quả khoa học và công nghệ được ứng dụng thực tiễn sau 12 tháng nghiệm thu đạt trên 70%",
         name="Tỷ lệ kết quả khoa học và công nghệ được ứng dụng thực tiễn sau 12 tháng nghiệm thu", unit="%", target="đạt trên 70%"),
    dict(code="3.9", line=193, clause="phân đầu doanh nghiệp đang hoạt động của tỉnh sử dụng kết quả nghiên cứu từ viện, trường trong sản xuất/kinh doanh đạt từ 25%",
         name="Tỷ lệ doanh nghiệp đang hoạt động của tỉnh sử dụng kết quả nghiên cứu từ viện, trường trong sản xuất/kinh doanh", unit="%",
         target="đạt từ 25%", flags=["typo"], note="\"phân đầu\" là lỗi chính tả của \"phấn đấu\", giữ nguyên văn. Khác 4.5 (doanh nghiệp có hoạt động đổi mới sáng tạo)."),
    dict(code="3.10", line=193, clause="mỗi năm có từ 350 bài báo khoa học có địa chỉ tác giả tại tỉnh (Scopus/ISI)",
         name="Số bài báo khoa học có địa chỉ tác giả tại tỉnh (Scopus/ISI) mỗi năm", unit="bài báo/năm", target="từ 350",
         note="Không gộp với 25-kh-ubnd/15 (số lượng công bố khoa học quốc tế tăng trung bình 10 %/năm): số tuyệt đối / tốc độ tăng."),
    dict(code="3.11", line=193, clause="có ít nhất 01 công trình đạt giải thưởng khoa học và công nghệ cấp quốc gia/khu vực mỗi năm",
         name="Số công trình đạt giải thưởng khoa học và công nghệ cấp quốc gia/khu vực mỗi năm", unit="công trình/năm", target="ít nhất 01"),
    dict(code="3.12", line=193, clause="ứng dụng AI, IoT, Big Data,... trong y tế, giáo dục, quản lý môi trường, đô thị thông minh, du lịch thông minh, nâng cao chất lượng sống người dân",
         name="Ứng dụng AI, IoT, Big Data trong y tế, giáo dục, quản lý môi trường, đô thị thông minh, du lịch thông minh", unit="",
         target="ứng dụng AI, IoT, Big Data,... trong y tế, giáo dục, quản lý môi trường, đô thị thông minh, du lịch thông minh, nâng cao chất lượng sống người dân",
         note="Chỉ tiêu định tính."),
    dict(code="3.13", line=193, clause=PB3,
         name="Mức tăng số lượng đơn đăng ký sở hữu công nghiệp (sáng chế, giải pháp hữu ích, kiểu dáng công nghiệp, nhãn hiệu) so với giai đoạn 2021 – 2025",
         unit="%", target="tối thiểu 20%", flags=["page_break"],
         note="Vế bị ngắt trang giữa \"số lượng đơn\" (dòng 193) và \"đăng ký sở hữu công nghiệp\" (dòng 195). Không gộp với 25-kh-ubnd/16 (đơn đăng ký sáng chế, văn bằng bảo hộ sáng chế tăng trung bình 16-18 %/năm): phạm vi và cơ sở so sánh khác."),
    dict(code="3.14", line=195, clause="tỷ lệ sáng chế, giải pháp hữu ích được thương mại hoá đạt tối thiểu 10% số sáng chế, giải pháp hữu ích được cấp văn bằng bảo hộ",
         name="Tỷ lệ sáng chế, giải pháp hữu ích được thương mại hoá trên số được cấp văn bằng bảo hộ", unit="%", target="đạt tối thiểu 10%",
         note="Dòng 195 là phần tiếp của đoạn (3) sau ngắt trang. Không gộp với 25-kh-ubnd/17 (tỷ lệ đơn đăng ký sáng chế, văn bằng bảo hộ sáng chế khai thác thương mại, 8-10 %): phạm vi (có giải pháp hữu ích) và mẫu số khác."),
    dict(code="3.15", line=195, clause="tối thiểu 60% sản phẩm đặc sản, sản phẩm chủ lực, sản phẩm OCOP được hỗ trợ đăng ký bảo hộ, quản lý và phát triển tài sản trí tuệ, kiểm soát nguồn gốc và chất lượng sau khi được bảo hộ",
         name="Tỷ lệ sản phẩm đặc sản, sản phẩm chủ lực, sản phẩm OCOP được hỗ trợ đăng ký bảo hộ, quản lý và phát triển tài sản trí tuệ", unit="%", target="tối thiểu 60%"),
    dict(code="3.16", line=195, clause="số lượng tổ chức, doanh nghiệp được hỗ trợ các giải pháp nâng cao năng suất và chất lượng sản phẩm, hàng hoá tăng trung bình 15 - 20%/năm",
         name="Mức tăng số lượng tổ chức, doanh nghiệp được hỗ trợ các giải pháp nâng cao năng suất và chất lượng sản phẩm, hàng hoá", unit="%/năm",
         target="15 - 20%/năm",
         note="Tăng trung bình mỗi năm (\"tăng trung bình\" thuộc tên đại lượng, như 25-kh-ubnd/15, 16)."),
    dict(code="3.17", line=195, clause="đẩy mạnh ứng dụng, chuyển giao công nghệ cao trong sản xuất nông, lâm nghiệp",
         name="Đẩy mạnh ứng dụng, chuyển giao công nghệ cao trong sản xuất nông, lâm nghiệp", unit="",
         target="đẩy mạnh ứng dụng, chuyển giao công nghệ cao trong sản xuất nông, lâm nghiệp", note="Chỉ tiêu định tính."),
    dict(code="3.18", line=195, clause="đào tạo, chứng nhận được 100 chuyên gia năng suất chất lượng đạt tiêu chuẩn quốc gia",
         name="Số chuyên gia năng suất chất lượng đạt tiêu chuẩn quốc gia được đào tạo, chứng nhận", unit="chuyên gia", target="100"),
    dict(code="3.19", line=197, clause="Trình độ và năng lực công nghệ sản xuất của các doanh nghiệp đạt mức tiên tiến so với cả nước",
         name="Trình độ và năng lực công nghệ sản xuất của các doanh nghiệp", unit="", target="đạt mức tiên tiến so với cả nước",
         note="Dòng 197 là đoạn không đánh số ngay sau đoạn (3), trước (4); xếp vào nhóm (3). Chỉ tiêu định tính."),
    dict(code="3.20", line=197, clause="tăng cường hoạt động chuyển giao công nghệ, đặc biệt là tiếp nhận, làm chủ và phát triển công nghệ tiên tiến trong nước và nước ngoài",
         name="Tăng cường hoạt động chuyển giao công nghệ, tiếp nhận, làm chủ và phát triển công nghệ tiên tiến", unit="",
         target="tăng cường hoạt động chuyển giao công nghệ, đặc biệt là tiếp nhận, làm chủ và phát triển công nghệ tiên tiến trong nước và nước ngoài",
         note="Chỉ tiêu định tính."),
    dict(code="3.21", line=197, clause="phấn đấu đến năm 2030 cấp mới ít nhất 10 Giấy chứng nhận đăng ký chuyển giao công nghệ",
         name="Số Giấy chứng nhận đăng ký chuyển giao công nghệ cấp mới đến năm 2030", unit="giấy chứng nhận", target="ít nhất 10"),
    # (4) hệ sinh thái ĐMST
    dict(code="4.1", line=199, clause="Chỉ số đổi mới sáng tạo cấp địa phương (PII) đạt top 10 cả nước",
         name="Chỉ số đổi mới sáng tạo cấp địa phương (PII)", unit="thứ bậc", target="đạt top 10 cả nước"),
    dict(code="4.3", line=199, clause="phấn đấu có từ 150 doanh nghiệp khởi nghiệp sáng tạo",
         name="Số doanh nghiệp khởi nghiệp sáng tạo", unit="doanh nghiệp", target="từ 150",
         note="Mã 4.2 bỏ trống: vế \"số doanh nghiệp đạt tiêu chí doanh nghiệp KH&CN là 70 doanh nghiệp\" nhắc lại 3.4."),
    dict(code="4.4", line=199, clause="07 vườn ươm, trung tâm đổi mới sáng tạo",
         name="Số vườn ươm, trung tâm đổi mới sáng tạo", unit="vườn ươm, trung tâm", target="07",
         note="Cùng vế (ngăn bằng dấu phẩy) với 4.3, chung \"phấn đấu có từ\"."),
    dict(code="4.5", line=199, clause="ít nhất 25% doanh nghiệp có hoạt động đổi mới sáng tạo",
         name="Tỷ lệ doanh nghiệp có hoạt động đổi mới sáng tạo", unit="%", target="ít nhất 25%"),
    dict(code="4.6", line=199, clause="30 doanh nghiệp có hoạt động đổi mới quy trình, mô hình kinh doanh và tham gia thương mại điện tử",
         name="Số doanh nghiệp có hoạt động đổi mới quy trình, mô hình kinh doanh và tham gia thương mại điện tử", unit="doanh nghiệp", target="30"),
    dict(code="4.7", line=199, clause="có từ 60% sản phẩm đổi mới sáng tạo được thương mại hóa mỗi năm",
         name="Tỷ lệ sản phẩm đổi mới sáng tạo được thương mại hóa mỗi năm", unit="%", target="từ 60%"),
    dict(code="4.8", line=199, clause="tối thiểu 30 dự án đổi mới sáng tạo được hỗ trợ từ ngân sách tỉnh mỗi năm",
         name="Số dự án đổi mới sáng tạo được hỗ trợ từ ngân sách tỉnh mỗi năm", unit="dự án/năm", target="tối thiểu 30",
         note="Cùng vế (ngăn bằng dấu phẩy) với 4.7."),
    dict(code="4.9", line=199, clause="có từ 200 bài báo khoa học ứng dụng liên quan đổi mới sáng tạo mỗi năm",
         name="Số bài báo khoa học ứng dụng liên quan đổi mới sáng tạo mỗi năm", unit="bài báo/năm", target="từ 200"),
    # (5) chuyển đổi số (lines 201, 203 after a page break)
    dict(code="5.1", line=201, clause="Chỉ số chuyển đổi số cấp tỉnh đạt 0,8", name="Chỉ số chuyển đổi số cấp tỉnh (DTI)", unit="", target="đạt 0,8"),
    dict(code="5.2", line=201, clause="100% thủ tục hành chính được tiếp nhận, giải quyết phi địa giới hành chính giữa trung ương và địa phương, giữa các cấp chính quyền",
         name="Tỷ lệ thủ tục hành chính được tiếp nhận, giải quyết phi địa giới hành chính giữa trung ương và địa phương, giữa các cấp chính quyền", unit="%", target="100%"),
    dict(code="5.3", line=201, clause="100% thủ tục hành chính liên quan đến đào tạo, nghiên cứu, sản xuất, kinh doanh phải được thực hiện trực tuyến",
         name="Tỷ lệ thủ tục hành chính liên quan đến đào tạo, nghiên cứu, sản xuất, kinh doanh được thực hiện trực tuyến", unit="%", target="100%"),
    dict(code="5.4", line=201, clause="100% giao dịch hành chính thuộc diện “phi tiếp xúc”",
         name="Tỷ lệ giao dịch hành chính thuộc diện \"phi tiếp xúc\"", unit="%", target="100%"),
    dict(code="5.5", line=201, clause="100% hồ sơ, kết quả giải quyết thủ tục hành chính được số hóa",
         name="Tỷ lệ hồ sơ, kết quả giải quyết thủ tục hành chính được số hóa", unit="%", target="100%"),
    dict(code="5.6", line=201, clause="100% dịch vụ công trực tuyến toàn trình trên tổng số thủ tục hành chính có đủ điều kiện",
         name="Tỷ lệ dịch vụ công trực tuyến toàn trình trên tổng số thủ tục hành chính có đủ điều kiện", unit="%", target="100%"),
    dict(code="5.7", line=201, clause="100% hồ sơ thủ tục hành chính xử lý trực tuyến",
         name="Tỷ lệ hồ sơ thủ tục hành chính xử lý trực tuyến", unit="%", target="100%"),
    dict(code="5.8", line=201, clause="100% tỷ lệ cấp kết quả giải quyết thủ tục hành chính điện tử",
         name="Tỷ lệ cấp kết quả giải quyết thủ tục hành chính điện tử", unit="%", target="100%"),
    dict(code="5.9", line=201, clause="tỷ lệ khai thác, sử dụng lại thông tin, dữ liệu đã được số hóa trong giải quyết thủ tục hành chính, dịch vụ công đạt tối thiểu 80%",
         name="Tỷ lệ khai thác, sử dụng lại thông tin, dữ liệu đã được số hóa trong giải quyết thủ tục hành chính, dịch vụ công", unit="%", target="đạt tối thiểu 80%"),
    dict(code="5.10", line=201, clause="tỷ lệ thanh toán trực tuyến trong giải quyết thủ tục hành chính, dịch vụ công đạt tối thiểu 80%",
         name="Tỷ lệ thanh toán trực tuyến trong giải quyết thủ tục hành chính, dịch vụ công", unit="%", target="đạt tối thiểu 80%"),
    dict(code="5.11", line=201, clause=PB5,
         name="Tỷ lệ hệ thống thông tin của tỉnh vận hành trên nền tảng điện toán đám mây", unit="%", target="100%", flags=["page_break", "typo"],
         note="Vế bị ngắt trang giữa \"nền\" (dòng 201) và \"tăng\" (dòng 203); \"tăng\" là lỗi của \"tảng\" (\"nền tảng\"). Tên hiển thị đã sửa."),
    dict(code="5.12", line=203, clause="trên 90% cơ sở dữ liệu của tỉnh được số hóa và liên thông tới Trung ương",
         name="Tỷ lệ cơ sở dữ liệu của tỉnh được số hóa và liên thông tới Trung ương", unit="%", target="trên 90%",
         note="Dòng 203 là phần tiếp của đoạn (5) sau ngắt trang."),
    dict(code="5.13", line=203, clause="100% dữ liệu của các ban, sở, ngành được tích hợp với nền tảng tích hợp chia sẻ dùng chung cấp tỉnh (LGSP)",
         name="Tỷ lệ dữ liệu của các ban, sở, ngành được tích hợp với nền tảng tích hợp, chia sẻ dùng chung cấp tỉnh (LGSP)", unit="%", target="100%"),
    dict(code="5.14", line=203, clause="100% doanh nghiệp vừa và nhỏ địa phương ứng dụng công nghệ số",
         name="Tỷ lệ doanh nghiệp vừa và nhỏ địa phương ứng dụng công nghệ số", unit="%", target="100%"),
    dict(code="5.15", line=203, clause="100% tỷ lệ người dân có hồ sơ sức khỏe điện tử",
         name="Tỷ lệ người dân có hồ sơ sức khỏe điện tử", unit="%", target="100%"),
    dict(code="5.16", line=203, clause="phần đầu cấp tài khoản định danh điện tử (VNeID) cho công dân có đủ điều kiện đạt 100%",
         name="Tỷ lệ công dân có đủ điều kiện được cấp tài khoản định danh điện tử (VNeID)", unit="%", target="đạt 100%", flags=["typo"],
         note="\"phần đầu\" là lỗi chính tả của \"phấn đấu\", giữ nguyên văn. Không gộp với 1893-qd-ubnd/d.1.1 (≥ 98% người dân từ 14 tuổi trở lên có VNeID): mẫu số khác."),
    dict(code="5.17", line=203, clause="100% di tích cấp tỉnh được số hoá", name="Tỷ lệ di tích cấp tỉnh được số hoá", unit="%", target="100%"),
    dict(code="5.18", line=203, clause="số hoá di sản văn hóa phi vật thể trong danh mục kiểm kê đạt 100%",
         name="Tỷ lệ di sản văn hóa phi vật thể trong danh mục kiểm kê được số hoá", unit="%", target="đạt 100%"),
    dict(code="5.19", line=203, clause="100% Đảng ủy, chính quyền xã, phường sử dụng phần mềm quản trị điều hành thống nhất",
         name="Tỷ lệ Đảng ủy, chính quyền xã, phường sử dụng phần mềm quản trị điều hành thống nhất", unit="%", target="100%"),
    dict(code="5.20", line=203, clause="quy mô kinh tế số đạt tối thiểu 35% GRDP (bao gồm cả quy mô, doanh thu kinh tế số do các doanh nghiệp FDI trên địa bàn)",
         name="Quy mô kinh tế số trong GRDP", unit="% GRDP", target="đạt tối thiểu 35% GRDP",
         note="Bao gồm cả quy mô, doanh thu kinh tế số do các doanh nghiệp FDI trên địa bàn."),
    dict(code="5.21", line=203, clause="tỷ trọng xuất khẩu sản phẩm công nghệ cao trên tổng giá trị hàng hoá xuất khẩu đạt trên 50%",
         name="Tỷ trọng xuất khẩu sản phẩm công nghệ cao trên tổng giá trị hàng hoá xuất khẩu", unit="%", target="đạt trên 50%"),
    dict(code="5.22", line=203, clause="tiếp tục đẩy mạnh ứng dụng thương mại điện tử",
         name="Tiếp tục đẩy mạnh ứng dụng thương mại điện tử", unit="", target="tiếp tục đẩy mạnh ứng dụng thương mại điện tử",
         note="Chỉ tiêu định tính."),
    dict(code="5.23", line=203, clause="phần đầu xây dựng các hệ thống báo cáo điện tử, tổng hợp số liệu theo thời gian thực thay cho báo cáo giấy phục vụ công tác chỉ đạo, điều hành",
         name="Xây dựng các hệ thống báo cáo điện tử, tổng hợp số liệu theo thời gian thực thay cho báo cáo giấy", unit="",
         target="xây dựng các hệ thống báo cáo điện tử, tổng hợp số liệu theo thời gian thực thay cho báo cáo giấy phục vụ công tác chỉ đạo, điều hành",
         flags=["typo"], note="Chỉ tiêu định tính. \"phần đầu\" là lỗi chính tả của \"phấn đấu\", giữ nguyên văn."),
    # (6) an toàn, an ninh mạng
    dict(code="6.1", line=205, clause="Tỉnh thuộc nhóm các địa phương dẫn đầu về an toàn, an ninh không gian mạng, an ninh dữ liệu và bảo vệ dữ liệu",
         name="Tỉnh thuộc nhóm các địa phương dẫn đầu về an toàn, an ninh không gian mạng, an ninh dữ liệu và bảo vệ dữ liệu", unit="",
         target="Tỉnh thuộc nhóm các địa phương dẫn đầu về an toàn, an ninh không gian mạng, an ninh dữ liệu và bảo vệ dữ liệu", note="Chỉ tiêu định tính."),
    dict(code="6.2", line=205, clause="có Trung tâm an ninh mạng cấp tỉnh (hoặc thuê dịch vụ giám sát an toàn thông tin) giám sát, ứng cứu sự cố cho toàn hệ thống",
         name="Có Trung tâm an ninh mạng cấp tỉnh (hoặc thuê dịch vụ giám sát an toàn thông tin) giám sát, ứng cứu sự cố cho toàn hệ thống", unit="",
         target="có Trung tâm an ninh mạng cấp tỉnh (hoặc thuê dịch vụ giám sát an toàn thông tin) giám sát, ứng cứu sự cố cho toàn hệ thống", note="Chỉ tiêu định tính."),
    dict(code="6.3", line=205, clause="100% hệ thống thông tin các cơ quan đảm bảo an toàn thông tin theo cấp độ",
         name="Tỷ lệ hệ thống thông tin các cơ quan đảm bảo an toàn thông tin theo cấp độ", unit="%", target="100%"),
    dict(code="6.4", line=205, clause="100% hệ thống thông tin quan trọng được triển khai bảo đảm an toàn thông tin theo mô hình 4 lớp",
         name="Tỷ lệ hệ thống thông tin quan trọng được triển khai bảo đảm an toàn thông tin theo mô hình 4 lớp", unit="%", target="100%"),
    dict(code="6.5", line=205, clause="100% hệ thống thông tin được triển khai giám sát an toàn, an ninh mạng và được kiểm tra, đánh giá thường xuyên",
         name="Tỷ lệ hệ thống thông tin được triển khai giám sát an toàn, an ninh mạng và được kiểm tra, đánh giá thường xuyên", unit="%", target="100%"),
]

# ---------------------------------------------------------------------------
# Measures. 002 ids (`25-kh-ubnd/<TT>`) come from Phụ lục I of 002 (indicators_25.json).
# ---------------------------------------------------------------------------
K25, K93, KDA = "25-kh-ubnd/", "1893-qd-ubnd/", "de-an-2026-2030/"
MEASURES = [
    dict(key="phu-song-5g", name="Tỷ lệ phủ sóng 5G", unit="%",
         indicators=[K25 + "18.2", K93 + "a.1", KDA + "1.1"],
         note="002 đo theo % dân số (\"Phủ sóng 5G cho người dân\"), 1893 \"cho người dân trên địa bàn tỉnh\"; Đề án ghi \"trên địa bàn tỉnh\", coi là cùng đại lượng."),
    dict(key="bang-rong-co-dinh-1gbps", name="Tỷ lệ người sử dụng có khả năng truy nhập băng rộng cố định tốc độ trên 1 Gb/s", unit="%",
         indicators=[K25 + "18.1", K93 + "a.2", KDA + "1.3"], note=""),
    dict(key="toc-do-tai-xuong-4g", name="Tốc độ tải xuống trung bình qua mạng di động 4G (đo bằng i-Speed)", unit="Mbit/s",
         indicators=[K93 + "a.3.1", KDA + "1.4"], note="Đề án viết đơn vị \"Mbps\", cùng nghĩa Mbit/s."),
    dict(key="toc-do-tai-xuong-5g", name="Tốc độ tải xuống trung bình qua mạng di động 5G (đo bằng i-Speed)", unit="Mbit/s",
         indicators=[K93 + "a.3.2", KDA + "1.5"], note="Đề án viết đơn vị \"Mbps\", cùng nghĩa Mbit/s."),
    dict(key="chi-so-chuyen-doi-so-cap-tinh", name="Chỉ số chuyển đổi số cấp tỉnh (DTI)", unit="",
         indicators=[K93 + "b.1", KDA + "5.1"], note="1893: \"đạt trên 0,80\" (> 0,8); Đề án: \"đạt 0,8\" (≥ 0,8)."),
    dict(key="tthc-phi-dia-gioi", name="Tỷ lệ thủ tục hành chính được tiếp nhận, giải quyết phi địa giới hành chính", unit="%",
         indicators=[K25 + "8.7", K93 + "b.2", KDA + "5.2"], note="002: 70; 1893 và Đề án: 100%."),
    dict(key="tthc-dao-tao-nghien-cuu-san-xuat-kinh-doanh-truc-tuyen",
         name="Tỷ lệ thủ tục hành chính liên quan đến đào tạo, nghiên cứu, sản xuất, kinh doanh được thực hiện trực tuyến", unit="%",
         indicators=[K93 + "b.3", KDA + "5.3"], note=""),
    dict(key="so-hoa-ho-so-ket-qua-tthc", name="Tỷ lệ số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", unit="%",
         indicators=[K25 + "8.3", K93 + "b.4", KDA + "5.5"], note=""),
    dict(key="dvc-truc-tuyen-toan-trinh", name="Tỷ lệ dịch vụ công trực tuyến toàn trình trên tổng số thủ tục hành chính có đủ điều kiện", unit="%",
         indicators=[K25 + "8.2", K93 + "b.5", KDA + "5.6"], note="002: 90; 1893 và Đề án: 100%."),
    dict(key="ho-so-tthc-xu-ly-truc-tuyen", name="Tỷ lệ hồ sơ thủ tục hành chính xử lý trực tuyến", unit="%",
         indicators=[K93 + "b.7.2", KDA + "5.7"],
         note="Không gộp với 25-kh-ubnd/8.1 (tỷ lệ sử dụng dịch vụ công trực tuyến của người dân và doanh nghiệp) hay 25-kh-ubnd/8.10 (xử lý văn bản, hồ sơ công việc toàn trình trên môi trường điện tử): đại lượng khác."),
    dict(key="cap-ket-qua-tthc-dien-tu", name="Tỷ lệ cấp kết quả giải quyết thủ tục hành chính điện tử", unit="%",
         indicators=[K25 + "8.4", KDA + "5.8"], note=""),
    dict(key="tai-su-dung-du-lieu-so-hoa", name="Tỷ lệ khai thác, sử dụng lại thông tin, dữ liệu đã được số hóa trong giải quyết thủ tục hành chính, dịch vụ công", unit="%",
         indicators=[K25 + "8.5", K93 + "b.8", KDA + "5.9"], note="002 ghi \"80\", 1893 và Đề án \"đạt tối thiểu 80%\"."),
    dict(key="thanh-toan-truc-tuyen", name="Tỷ lệ thanh toán trực tuyến trong giải quyết thủ tục hành chính, dịch vụ công", unit="%",
         indicators=[K25 + "8.6", K93 + "b.9", KDA + "5.10"], note="002 ghi \"80\", 1893 và Đề án \"đạt tối thiểu 80%\"."),
    dict(key="giao-dich-phi-tiep-xuc", name="Tỷ lệ giao dịch hành chính thuộc diện \"phi tiếp xúc\"", unit="%",
         indicators=[K93 + "b.10", KDA + "5.4"], note=""),
    dict(key="httt-dien-toan-dam-may", name="Tỷ lệ hệ thống thông tin của tỉnh vận hành trên nền tảng điện toán đám mây", unit="%",
         indicators=[K93 + "b.11.1", KDA + "5.11"], note=""),
    dict(key="csdl-so-hoa-lien-thong-trung-uong", name="Tỷ lệ cơ sở dữ liệu của tỉnh được số hóa và liên thông tới Trung ương", unit="%",
         indicators=[K93 + "b.12", KDA + "5.12"],
         note="1893: \"Tối thiểu 90%\" (≥ 90); Đề án: \"trên 90%\" (> 90). Không gộp 25-kh-ubnd/21 (hoàn thành xây dựng, kết nối, chia sẻ đồng bộ CSDL của tỉnh với CSDL quốc gia, CSDL các ngành, 100%): phạm vi khác (có CSDL các ngành, không nói số hóa)."),
    dict(key="du-lieu-tich-hop-lgsp", name="Tỷ lệ dữ liệu của các ban, sở, ngành được tích hợp với nền tảng LGSP", unit="%",
         indicators=[K93 + "b.13.1", KDA + "5.13"], note=""),
    dict(key="dnvvn-ung-dung-cong-nghe-so", name="Tỷ lệ doanh nghiệp vừa và nhỏ địa phương ứng dụng công nghệ số", unit="%",
         indicators=[K93 + "b.15", KDA + "5.14"],
         note="1893 nêu chỉ tiêu này hai lần (mục b và mục c, dòng 49 \"Phấn đấu …\"); lần thứ hai là loại trừ trong coverage."),
    dict(key="quan-ly-nha-nuoc-tren-moi-truong-so", name="Quản lý nhà nước trên môi trường số, kết nối và vận hành thông suốt giữa các cơ quan trong hệ thống chính trị", unit="%",
         indicators=[K25 + "20", K93 + "b.16"],
         note="002 ghi đơn vị % và kết quả 100; 1893 là mục tiêu định tính (\"Hướng tới …\", thêm \"từ tỉnh đến địa phương\")."),
    dict(key="kinh-te-so-grdp", name="Quy mô kinh tế số (% GRDP)", unit="% GRDP",
         indicators=[K25 + "7", K25 + "26", K93 + "c.1", KDA + "5.20"],
         note="Đến 2030: 002 \"≥ 40\", 1893 \"≥ 35%\", Đề án \"tối thiểu 35%\" (hai văn bản sau tính cả doanh nghiệp FDI) — 002 cao hơn. 25-kh-ubnd/26 (≥ 50) là mốc 2045, khác mốc thời gian chứ không mâu thuẫn."),
    dict(key="dan-so-truong-thanh-tiep-can-dich-vu-so", name="Tỷ lệ dân số trưởng thành tiếp cận dịch vụ số trong y tế, giáo dục, bảo hiểm, giao thông", unit="%",
         indicators=[K93 + "d.2", KDA + "2.5"], note=""),
    dict(key="chu-ky-so-nguoi-truong-thanh", name="Tỷ lệ người dân trưởng thành có chữ ký số", unit="%",
         indicators=[K93 + "d.1.2"],
         note="Cố ý không gộp với 25-kh-ubnd/22 (\"chữ ký số hoặc chữ ký điện tử cá nhân\", ≥ 70): chỉ tiêu đó tính cả chữ ký điện tử cá nhân nên là đại lượng khác (xem measure chu-ky-so-hoac-chu-ky-dien-tu-ca-nhan)."),
    dict(key="chu-ky-so-hoac-chu-ky-dien-tu-ca-nhan", name="Tỷ lệ dân số trưởng thành có chữ ký số hoặc chữ ký điện tử cá nhân", unit="%",
         indicators=[K25 + "22"],
         note="Cố ý không gộp với 1893-qd-ubnd/d.1.2 (\"chữ ký số\", ≥ 30%): chỉ tiêu đó chỉ tính chữ ký số nên là đại lượng khác (xem measure chu-ky-so-nguoi-truong-thanh)."),
    dict(key="xuat-khau-cong-nghe-cao", name="Tỷ trọng xuất khẩu sản phẩm công nghệ cao trên tổng giá trị hàng hóa xuất khẩu", unit="%",
         indicators=[K25 + "6", KDA + "5.21"], note="002: \"> 90\"; Đề án: \"đạt trên 50%\" — hai văn bản khác nhau về mức."),
    dict(key="ho-so-suc-khoe-dien-tu", name="Tỷ lệ người dân có hồ sơ sức khỏe điện tử", unit="%",
         indicators=[K25 + "23", KDA + "5.15"], note="002: \"≥ 95\"; Đề án: 100%."),
    dict(key="tfp-dong-gop-tang-truong", name="Tỷ lệ đóng góp của năng suất nhân tố tổng hợp (TFP) vào tăng trưởng kinh tế", unit="%",
         indicators=[K25 + "5", KDA + "3.2"], note="Cùng mức \"trên 55\"; Đề án ghi rõ giai đoạn 2026 - 2030."),
    dict(key="nhan-luc-nghien-cuu-tren-van-dan", name="Số người làm nghiên cứu khoa học, phát triển công nghệ, đổi mới sáng tạo trên 1 vạn dân", unit="người/vạn dân",
         indicators=[K25 + "14", KDA + "2.6"],
         note="002: 15 người/vạn dân; Đề án: 13 người/01 vạn dân. Không gộp de-an-2026-2030/3.3 (từ 1.800 cán bộ nghiên cứu toàn tỉnh): số tuyệt đối."),
    dict(key="doanh-nghiep-co-hoat-dong-dmst", name="Tỷ lệ doanh nghiệp có hoạt động đổi mới sáng tạo", unit="%",
         indicators=[K25 + "9", KDA + "4.5"],
         note="002: \"> 40\"; Đề án: \"ít nhất 25%\". Không gộp de-an-2026-2030/3.9 (doanh nghiệp sử dụng kết quả nghiên cứu từ viện, trường, từ 25%): đại lượng khác."),
    dict(key="tiem-luc-trinh-do-khcn-dmst", name="Tiềm lực, trình độ khoa học, công nghệ và đổi mới sáng tạo", unit="thứ bậc",
         indicators=[K25 + "1", KDA + "3.1"], note="Chỉ tiêu định tính, cùng câu chữ \"đạt mức tiên tiến ở nhiều lĩnh vực quan trọng, thuộc nhóm dẫn đầu trong cả nước\"."),
    dict(key="trinh-do-cong-nghe-doanh-nghiep", name="Trình độ, năng lực công nghệ của doanh nghiệp", unit="thứ bậc",
         indicators=[K25 + "2", KDA + "3.19"],
         note="Chỉ tiêu định tính. 002: \"Trình độ, năng lực công nghệ, đổi mới sáng tạo của doanh nghiệp\" — \"Đạt mức tiên tiến của Việt Nam\"; Đề án: \"Trình độ và năng lực công nghệ sản xuất của các doanh nghiệp đạt mức tiên tiến so với cả nước\"."),
    dict(key="chi-so-dmst-cap-dia-phuong", name="Chỉ số đổi mới sáng tạo cấp địa phương (PII), thứ hạng", unit="thứ bậc",
         indicators=[K25 + "27", KDA + "4.1"],
         note="Đề án: \"đạt top 10 cả nước\" đến 2030; 002 (mốc 2045): \"≤ n10\" (lỗi gõ của ≤ 10). Khác mốc thời gian."),
    dict(key="dan-dau-an-toan-an-ninh-mang", name="Tỉnh thuộc nhóm dẫn đầu về an toàn, an ninh không gian mạng, an ninh dữ liệu và bảo vệ dữ liệu", unit="",
         indicators=[K93 + "e.1", KDA + "6.1"],
         note="Chỉ tiêu định tính. Không gộp 25-kh-ubnd/24 (xếp hạng về an toàn thông tin mạng ≤ 10): đại lượng khác."),
    dict(key="trung-tam-an-ninh-mang-cap-tinh", name="Có Trung tâm an ninh mạng cấp tỉnh (hoặc thuê dịch vụ giám sát an toàn thông tin)", unit="",
         indicators=[K93 + "e.2", KDA + "6.2"], note="Chỉ tiêu định tính."),
    dict(key="httt-bao-dam-attt-theo-cap-do", name="Tỷ lệ hệ thống thông tin các cơ quan đảm bảo an toàn thông tin theo cấp độ", unit="%",
         indicators=[K93 + "e.3", KDA + "6.3"], note=""),
    dict(key="httt-quan-trong-mo-hinh-4-lop", name="Tỷ lệ hệ thống thông tin quan trọng bảo đảm an toàn thông tin theo mô hình 4 lớp", unit="%",
         indicators=[K93 + "e.4", KDA + "6.4"], note=""),
    dict(key="httt-giam-sat-an-ninh-mang", name="Tỷ lệ hệ thống thông tin được giám sát an toàn, an ninh mạng và kiểm tra, đánh giá thường xuyên", unit="%",
         indicators=[K93 + "e.5", KDA + "6.5"], note=""),
]


def build(fname, slug, entries):
    measure_of = {}
    for m in MEASURES:
        for i in m["indicators"]:
            if i in measure_of:
                sys.exit(f"{i} in two measures")
            measure_of[i] = m["key"]
    out = []
    seen = set()
    for e in entries:
        code = e["code"]
        rid = f"{slug}/{code}"
        if rid in seen:
            sys.exit(f"duplicate id {rid}")
        seen.add(rid)
        line = e["line"]
        clause = e.get("clause")
        if clause is None:
            raw = lines_of(fname)[line - 1]
            if not raw.startswith("- "):
                sys.exit(f"{fname}:{line}: not a bullet")
            clause = raw[2:]
        off = locate_source(fname, line, clause)
        src = span_at(fname, off, len(clause))
        spans = {}
        tgt = e["target"]
        occ = 0
        if isinstance(tgt, tuple):
            tgt, occ = tgt
        ts = locate_in(fname, off, clause, tgt, occ)
        if ts is None:
            sys.exit(f"{rid}: target {tgt!r} not in clause")
        spans["target_text"] = ts
        # name: spanned when verbatim in the clause
        ns = locate_in(fname, off, clause, e["name"], 0)
        if ns is not None:
            spans["name"] = ns
        # unit: spanned when written inside target_text
        if e["unit"] and e["unit"] in tgt:
            tstart = line_start(fname, ts["line"]) + ts["col"] - 1
            spans["unit"] = span_at(fname, tstart + tgt.index(e["unit"]), len(e["unit"]))
        rec = {
            "id": rid,
            "document": slug,
            "code": code,
            "parent_code": "",
            "name": e["name"],
            "unit": e["unit"],
            "target_text": tgt,
            "horizon": e.get("horizon", 2030),
            "agencies_text": "",
            "agencies": [],
            "measure": measure_of.get(rid, ""),
            "source": src,
            "source_text": clause,
            "spans": spans,
            "flags": e.get("flags", []),
            "note": e.get("note", ""),
        }
        out.append(rec)
    return out


def verify(records):
    for r in records:
        assert span_text(r["source"]) == r["source_text"], r["id"]
        for f, sp in r["spans"].items():
            assert span_text(sp) == r[f], (r["id"], f, span_text(sp), r[f])
            # every field span lies inside the source span
            a = (sp["line"], sp["col"]); b = (sp["end_line"], sp["end_col"])
            s = r["source"]
            assert (s["line"], s["col"]) <= a and b <= (s["end_line"], s["end_col"]), (r["id"], f)


def coverage(recs93, recsch):
    secs = [
        {"file": F1893, "name": "1893/QĐ-UBND, I. Mục tiêu đến năm 2030, 2. Mục tiêu cụ thể (a–e)",
         "start_line": 22, "end_line": 61, "item_pattern": "^- "},
        {"file": FSCH, "name": "Đề án 2026-2030, Phần thứ hai, I. Mục tiêu, 2. Mục tiêu cụ thể (1)–(6), kể cả các đoạn tiếp sau ngắt trang (mỗi dòng không trống là một mục)",
         "start_line": 189, "end_line": 205, "item_pattern": "^\\S"},
    ]
    excl = [{"file": F1893, "line": x["line"], "reason": x["reason"]} for x in EXCL_1893]
    # check: every item line is a record source.line xor excluded
    by_file = {F1893: recs93, FSCH: recsch}
    for s in secs:
        ls = lines_of(s["file"])
        pat = re.compile(s["item_pattern"])
        src_lines = {}
        for r in by_file[s["file"]]:
            src_lines.setdefault(r["source"]["line"], []).append(r)
        ex_lines = {x["line"] for x in excl if x["file"] == s["file"]}
        for n in range(s["start_line"], s["end_line"] + 1):
            if not pat.search(ls[n - 1]):
                continue
            has = n in src_lines
            if has == (n in ex_lines):
                sys.exit(f"coverage {s['file']}:{n}: records={has} excluded={n in ex_lines}")
            if has and len(src_lines[n]) > 1:
                for r in src_lines[n]:
                    if "split" not in r["flags"] and s["file"] == F1893:
                        sys.exit(f"{r['id']}: several records on line {n} but not flagged split")
        for ln in src_lines:
            if not (s["start_line"] <= ln <= s["end_line"]) or not pat.search(ls[ln - 1]):
                sys.exit(f"record source line {ln} is not an item of {s['name']}")
    return {"sections": secs, "exclusions": excl}


def main():
    r93 = build(F1893, "1893-qd-ubnd", T1893)
    rsch = build(FSCH, "de-an-2026-2030", TSCH)
    # 004: every record of a multi-target paragraph line is flagged split
    by_line = {}
    for r in rsch:
        by_line.setdefault(r["source"]["line"], []).append(r)
    for recs in by_line.values():
        if len(recs) > 1:
            for r in recs:
                if "split" not in r["flags"]:
                    r["flags"].insert(0, "split")
    verify(r93)
    verify(rsch)
    ids = {r["id"] for r in r93 + rsch}
    for m in MEASURES:
        for i in m["indicators"]:
            if not i.startswith(K25) and i not in ids:
                sys.exit(f"measure {m['key']}: unknown id {i}")
    cov = coverage(r93, rsch)
    os.makedirs(OUT, exist_ok=True)

    def dump(name, obj):
        with open(os.path.join(OUT, name), "w", encoding="utf-8") as f:
            json.dump(obj, f, ensure_ascii=False, indent=1)
            f.write("\n")

    dump("indicators_1893.json", r93)
    dump("indicators_scheme.json", rsch)
    dump("measures.json", MEASURES)
    dump("coverage_targets.json", cov)
    print(f"1893: {len(r93)} records; scheme: {len(rsch)} records; measures: {len(MEASURES)}")


if __name__ == "__main__":
    main()
