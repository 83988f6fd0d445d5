#!/usr/bin/env python3
"""Extract Phụ lục I (indicators) and Phụ lục II (tasks) of Plan 25/KH-UBND.

Reads  seed/sources/002_ke-hoach-25-KH-UBND-thai-nguyen.txt
Writes seed/data/indicators_25.json, tasks_25.json, org_units.json, coverage_25.json

The tables are one cell per line; a cell ends at a line ending in " |" (it may run over
several lines before that); a line made only of "|" characters is that many empty cells.
Agency cells are resolved to org-unit keys with the hand-written PHRASES table below
(leftmost-longest match); whatever is left over must be separators or qualifiers
("và", "các", "có liên quan"), otherwise the script stops.

Each indicator's `measure` is taken from MEASURES in extract_targets.py (the table written as
measures.json, which is authoritative). Org-unit spellings found outside the 002 cells are in
EXTRA_ALIASES; succession dates must equal the `dissolved` dates here (check_spans.py checks).

Run from anywhere: python3 seed/tools/extract_25.py   (before extract_strategy.py, which reads
org_units.json)
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = os.path.dirname(HERE)
FILE = "002_ke-hoach-25-KH-UBND-thai-nguyen.txt"
DOC = "25-kh-ubnd"

with open(os.path.join(SEED, "sources", FILE), encoding="utf-8") as f:
    LINES = f.read().split("\n")


def line(n):
    return LINES[n - 1]


def span(l1, c1, l2, c2):
    return {"file": FILE, "line": l1, "col": c1, "end_line": l2, "end_col": c2}


def span_text(s):
    a, b = s["line"], s["end_line"]
    if a == b:
        return line(a)[s["col"] - 1:s["end_col"] - 1]
    parts = [line(a)[s["col"] - 1:]] + [line(n) for n in range(a + 1, b)] + [line(b)[:s["end_col"] - 1]]
    return "\n".join(parts)


def find_line(text, start=1):
    for n in range(start, len(LINES) + 1):
        if line(n) == text:
            return n
    raise SystemExit("line not found: %r" % text)


# ---------------------------------------------------------------- cell parser

class Cell:
    def __init__(self, text, span_, first, last):
        self.text, self.span, self.first, self.last = text, span_, first, last


def parse_cells(first, last):
    """Cells of lines first..last (inclusive)."""
    cells, start = [], None
    for n in range(first, last + 1):
        s = line(n)
        if start is None and re.fullmatch(r"\|+", s):
            cells += [Cell("", None, n, n) for _ in s]
            continue
        if start is None:
            start = n
        if s.endswith(" |"):
            sp = span(start, 1, n, len(s) - 1)  # exclude the trailing " |"
            cells.append(Cell(span_text(sp), sp, start, n))
            start = None
        elif s.endswith("|"):
            raise SystemExit("line %d: odd cell end %r" % (n, s))
    if start is not None:
        raise SystemExit("unterminated cell from line %d" % start)
    return cells


def rows_of(cells, width, first_re):
    """Group cells into rows of `width`; each row must start with a TT cell."""
    if len(cells) % width:
        raise SystemExit("cell count %d not a multiple of %d" % (len(cells), width))
    rows = [cells[i:i + width] for i in range(0, len(cells), width)]
    for r in rows:
        if not re.fullmatch(first_re, r[0].text):
            raise SystemExit("line %d: row does not start with a TT cell: %r" % (r[0].first, r[0].text))
    return rows


def row_source(row):
    a, b = row[0].first, row[-1].last
    sp = span(a, 1, b, len(line(b)) + 1)  # whole lines, the final "|" included
    return sp, span_text(sp)


# ---------------------------------------------------------------- org units

PROV = "ubnd-tinh-thai-nguyen"
# Dissolution dates are only as precise as the seeds support (see successions.json, whose
# `effective` must be the same): the seeds show the district level gone by 14/11/2025
# (003 names "UBND cấp xã", 004 "chính quyền hai cấp") but give no day or month.
D2025 = "2025"
NOT_IN_SEEDS_DISTRICT = "01/07/2025 by law, not in the seeds"


def presumed(what, merged_into):
    """Note of a unit that ceased in 2025 without a seed sentence saying so."""
    return ("Presumed %s %s on 01/03/2025 (general knowledge of the 2025 reorganisation of provincial departments; "
            "not in the seeds: no seed sentence states it). Left existing (dissolved empty, no succession): an administrator "
            "adds the succession, with the decision that made it, later." % (what, merged_into))


# key, name, kind, parent, aliases (exact spellings in the sources), members, member_kind, dissolved, note
ORG = [
    (PROV, "UBND tỉnh Thái Nguyên", "province", "", ["UBND tỉnh Thái Nguyên", "UBND tỉnh", "Ủy ban nhân dân tỉnh"], [], "", "",
     "The provincial People's Committee, issuer of Plan 25/KH-UBND. Not itself a lead/cooperating agency in Phụ lục I/II; "
     "named there only inside \"Văn phòng UBND tỉnh\"; listed as the parent of the provincial agencies."),
    ("van-phong-ubnd-tinh", "Văn phòng UBND tỉnh", "department", PROV, ["Văn phòng UBND tỉnh"], [], "", "", ""),
    ("so-khoa-hoc-va-cong-nghe", "Sở Khoa học và Công nghệ", "department", PROV,
     ["Sở Khoa học và Công nghệ", "Sỏ Khoa học và Công nghệ", "Sở Khoa học, Công nghệ"], [], "", "",
     "Standing agency of the plan. \"Sỏ Khoa học và Công nghệ\" (task 9) and \"Sở Khoa học, Công nghệ\" (task 13) are typos in the source."),
    ("so-thong-tin-va-truyen-thong", "Sở Thông tin và Truyền thông", "department", PROV, ["Sở Thông tin và Truyền thông"], [], "", "2025",
     "Merged into Sở Khoa học và Công nghệ in 2025 (see successions.json, 1893-qd-ubnd/s-sttt-vao-skhcn). The seeds give "
     "the year only: Plan 25 (002, 24/01/2025) still names it; 000 (May 2025) is issued by Sở Khoa học và Công nghệ and "
     "1893 (14/11/2025) Điều 2 §1 gives it the guidance of DX. The merger took effect on 01/03/2025 (not in the seeds)."),
    ("so-ke-hoach-va-dau-tu", "Sở Kế hoạch và Đầu tư", "department", PROV, ["Sở Kế hoạch và Đầu tư"], [], "", "",
     presumed("merged into", "Sở Tài chính") + " The seeds only hint at it: Plan 25 (002, 24/01/2025) names Sở Kế hoạch và "
     "Đầu tư; Decision 1893 (14/11/2025) Điều 2 §3 gives the balancing of public-investment capital (Luật Đầu tư công) to "
     "Sở Tài chính and names no Sở Kế hoạch và Đầu tư; no sentence states a merger."),
    ("so-tai-chinh", "Sở Tài chính", "department", PROV, ["Sở Tài chính"], [], "", "", ""),
    ("so-noi-vu", "Sở Nội vụ", "department", PROV, ["Sở Nội vụ"], [], "", "", ""),
    ("so-tu-phap", "Sở Tư pháp", "department", PROV, ["Sở Tư pháp"], [], "", "", ""),
    ("so-y-te", "Sở Y tế", "department", PROV, ["Sở Y tế"], [], "", "", ""),
    ("so-xay-dung", "Sở Xây dựng", "department", PROV, ["Sở Xây dựng"], [], "", "", ""),
    ("so-giao-duc-va-dao-tao", "Sở Giáo dục và Đào tạo", "department", PROV, ["Sở Giáo dục và Đào tạo"], [], "", "", ""),
    ("so-cong-thuong", "Sở Công Thương", "department", PROV, ["Sở Công Thương"], [], "", "", ""),
    ("so-tai-nguyen-va-moi-truong", "Sở Tài nguyên và Môi trường", "department", PROV,
     ["Sở Tài nguyên và Môi trường", "Sở Tài nguyên và môi trường"], [], "", "",
     presumed("merged with Sở Nông nghiệp và Phát triển nông thôn into", "Sở Nông nghiệp và Môi trường")),
    ("so-nong-nghiep-va-phat-trien-nong-thon", "Sở Nông nghiệp và Phát triển nông thôn", "department", PROV,
     ["Sở Nông nghiệp và Phát triển nông thôn", "Sở Nông nghiệp và phát triển nông thôn"], [], "", "",
     presumed("merged with Sở Tài nguyên và Môi trường into", "Sở Nông nghiệp và Môi trường")),
    ("so-giao-thong-van-tai", "Sở Giao thông vận tải", "department", PROV, ["Sở Giao thông vận tải"], [], "", "",
     presumed("merged into", "Sở Xây dựng")),
    ("so-lao-dong-thuong-binh-va-xa-hoi", "Sở Lao động - Thương binh và Xã hội", "department", PROV,
     ["Sở Lao động - Thương binh và Xã hội"], [], "", "",
     presumed("merged into", "Sở Nội vụ")),
    ("so-van-hoa-the-thao-va-du-lich", "Sở Văn hóa, Thể thao và Du lịch", "department", PROV,
     ["Sở Văn hóa, Thể thao và Du lịch", "Sở VHTT&DL"], [], "", "", ""),
    ("so-ngoai-vu", "Sở Ngoại vụ", "department", PROV, ["Sở Ngoại vụ"], [], "", "", ""),
    ("thanh-tra-tinh", "Thanh tra tỉnh", "department", PROV, ["Thanh tra tỉnh"], [], "", "", ""),
    ("cong-an-tinh", "Công an tỉnh", "department", "", ["Công an tỉnh"], [], "", "",
     "Provincial police; part of the Ministry of Public Security, not of UBND tỉnh, hence no parent."),
    ("ban-quan-ly-cac-khu-cong-nghiep-thai-nguyen", "Ban Quản lý các Khu công nghiệp Thái Nguyên", "department", PROV,
     ["Ban quản lý các Khu công nghiệp Thái Nguyên", "Ban Quản lý các KCN Thái Nguyên"], [], "", "", ""),
    ("trung-tam-phuc-vu-hanh-chinh-cong-tinh", "Trung tâm Phục vụ Hành chính công tỉnh", "department", PROV,
     ["Trung tâm Phục vụ Hành chính công tỉnh", "Trung tâm Phục vụ hành chính công tỉnh"], [], "", "", ""),
    ("trung-tam-thong-tin-tinh", "Trung tâm Thông tin tỉnh", "department", PROV, ["Trung tâm Thông tin tỉnh"], [], "", "", ""),
    ("dai-phat-thanh-truyen-hinh-tinh", "Đài Phát thanh - Truyền hình tỉnh", "department", PROV,
     ["Đài phát thanh - truyền hình tỉnh"], [], "", "", ""),
    ("bao-thai-nguyen", "Báo Thái Nguyên", "department", "", ["Báo Thái Nguyên"], [], "", "",
     "Provincial newspaper; kind department as FORMAT.md says for Báo; no parent set."),
    ("cuc-thue-tinh", "Cục Thuế tỉnh", "other", "", ["Cục Thuế tỉnh"], [], "", "", "Provincial branch of a central body."),
    ("ngan-hang-nha-nuoc-viet-nam-chi-nhanh-tinh-thai-nguyen", "Ngân hàng Nhà nước Việt Nam chi nhánh tỉnh Thái Nguyên", "other", "",
     ["Ngân hàng nhà nước Việt Nam tỉnh Thái Nguyên", "Chi nhánh Ngân hàng nhà nước Việt Nam"], [], "", "",
     "Provincial branch of the State Bank (central body). Written \"Chi nhánh Ngân hàng nhà nước Việt Nam\" in task 52."),
    ("lien-minh-hop-tac-xa-tinh", "Liên minh Hợp tác xã tỉnh", "other", "", ["Liên minh Hợp tác xã tỉnh"], [], "", "", ""),
    ("dai-hoc-thai-nguyen", "Đại học Thái Nguyên", "other", "", ["Đại học Thái Nguyên"], [], "", "", ""),
    ("hdnd-tinh", "HĐND tỉnh", "other", "", ["HĐND"], [], "", "",
     "Provincial People's Council; written \"HĐND\" in task 34; \"Hội đồng nhân dân tỉnh\" in 000 (basis of row 8, "
     "footnote 13) and 004 Phần thứ ba §III.2."),
    ("toa-an-nhan-dan-tinh", "Tòa án nhân dân tỉnh", "other", "", ["Tòa án nhân dân"], [], "", "",
     "Written \"Tòa án nhân dân\" in task 34 (the provincial court is meant)."),
    ("vien-kiem-sat-nhan-dan-tinh", "Viện Kiểm sát nhân dân tỉnh", "other", "", ["Viện Kiểm sát nhân dân"], [], "", "",
     "Written \"Viện Kiểm sát nhân dân\" in task 34 (the provincial procuracy is meant)."),
    # district level (abolished in 2025; 01/07/2025 by law, not in the seeds)
    ("ubnd-thanh-pho-thai-nguyen", "UBND thành phố Thái Nguyên", "district", PROV, [], [], "", D2025,
     "Named only inside \"UBND các thành phố: Phổ Yên, Sông Công, Thái Nguyên\" (indicator 19) and \"UBND các thành phố: "
     "Thái Nguyên, Sông Công, Phổ Yên\" (task 25); no alias, since the bare \"Thái Nguyên\" would be ambiguous."),
    ("ubnd-thanh-pho-song-cong", "UBND thành phố Sông Công", "district", PROV, [], [], "", D2025,
     "Named only inside \"UBND các thành phố: Phổ Yên, Sông Công, Thái Nguyên\" (indicator 19) and \"UBND các thành phố: "
     "Thái Nguyên, Sông Công, Phổ Yên\" (task 25)."),
    ("ubnd-thanh-pho-pho-yen", "UBND thành phố Phổ Yên", "district", PROV, ["UBND thành phố Phổ Yên"], [], "", D2025,
     "Also named inside \"UBND các thành phố: Phổ Yên, Sông Công, Thái Nguyên\" (indicator 19, task 25)."),
    ("ubnd-huyen-phu-binh", "UBND huyện Phú Bình", "district", PROV, ["UBND huyện Phú Bình"], [], "", D2025, ""),
    # groups
    ("cac-so-ban-nganh", "Các Sở, ban, ngành", "group", "",
     ["Các Sở, ban, ngành", "các Sở, ban, ngành", "Các sở, ban, ngành", "Sở, ban, ngành",
      "Các sở, ngành", "các sở, ngành", "các sở ngành"], [], "department", "",
     "All provincial departments and agencies. \"Các sở, ngành có liên quan\" (the departments concerned) is resolved to this "
     "group too. \"Các sở, ban, ngành cấp tỉnh\" is 004's spelling (Nơi nhận, line 418)."),
    ("ubnd-cac-huyen-thanh-pho", "UBND các huyện, thành phố", "group", "",
     ["UBND các huyện, thành phố", "UBND cấp huyện, thành phố"], [], "district", D2025,
     "All district-level People's Committees; the level was abolished in 2025 (see successions.json; " + NOT_IN_SEEDS_DISTRICT + ")."),
    ("cac-dia-phuong", "Các địa phương", "group", "", ["địa phương", "các địa phương"], [], "district", D2025,
     "\"địa phương\" (localities) in the agency cells, e.g. \"Các sở, ngành, địa phương\"; in January 2025 these were the "
     "district-level UBNDs (same members as ubnd-cac-huyen-thanh-pho), after the district level ended in 2025 (" + NOT_IN_SEEDS_DISTRICT + ") the communes. Kept apart from "
     "ubnd-cac-huyen-thanh-pho because the text does not name a level."),
    ("cac-doan-the", "Các đoàn thể", "group", "", ["đoàn thể"], [], "other", "",
     "Mass organisations, in \"Các Sở, ban, ngành, đoàn thể\" (task 57)."),
    ("cac-co-quan-dang", "Các cơ quan Đảng", "group", "", ["Các cơ quan Đảng"], [], "party", "", "Task 34."),
    ("cac-co-quan-don-vi-co-lien-quan", "Các cơ quan, đơn vị có liên quan", "group", "",
     ["các cơ quan, đơn vị có liên quan", "các đơn vị có liên quan"], [], "", "",
     "Unspecified agencies concerned (tasks 14 and 21)."),
    ("cac-doanh-nghiep-vien-thong", "Các doanh nghiệp viễn thông", "group", "", ["các doanh nghiệp viễn thông"], [], "other", "",
     "Task 26."),
    ("cac-doanh-nghiep-lien-quan", "Các doanh nghiệp liên quan", "group", "", ["doanh nghiệp liên quan"], [], "other", "",
     "Tasks 66 and 67."),
    ("cac-co-quan-dai-dien-viet-nam-o-nuoc-ngoai", "Các cơ quan đại diện Việt Nam ở nước ngoài", "group", "",
     ["các cơ quan đại diện Việt Nam ở nước ngoài"], [], "other", "", "Tasks 66 and 67."),
]

# Spellings of these units that occur in the other seed files but in no agency cell of 002
# (so they are not used to resolve 002 cells); each must occur verbatim in some source file.
EXTRA_ALIASES = {
    "hdnd-tinh": ["Hội đồng nhân dân tỉnh"],            # 000 (lines 42, 79), 004 Phần thứ ba §III.2 (line 390)
    "cac-so-ban-nganh": ["Các sở, ban, ngành cấp tỉnh"],  # 004 "Nơi nhận" (line 418)
}

# Phrases that name several units at once (not aliases: an alias names one unit).
# check_spans.py uses the same table to re-resolve every agency text.
COMPOUND_PHRASES = {
    "UBND các thành phố: Phổ Yên, Sông Công, Thái Nguyên": [
        "ubnd-thanh-pho-pho-yen", "ubnd-thanh-pho-song-cong", "ubnd-thanh-pho-thai-nguyen"],
    "UBND các thành phố: Thái Nguyên, Sông Công, Phổ Yên": [
        "ubnd-thanh-pho-thai-nguyen", "ubnd-thanh-pho-song-cong", "ubnd-thanh-pho-pho-yen"],
}

# phrase -> keys: every alias, plus phrases that name several units at once
PHRASES = {}
for rec in ORG:
    for a in rec[4]:
        PHRASES[a] = [rec[0]]
PHRASES.update(COMPOUND_PHRASES)

RESIDUE_OK = {"và", "các", "có", "liên", "quan"}


# ---------------------------------------------------------------- measures

def measure_of():
    """indicator id -> measure key, from MEASURES of extract_targets.py (written as measures.json,
    which is authoritative: every indicator's `measure` field must agree with it)."""
    sys.path.insert(0, HERE)
    from extract_targets import MEASURES
    out = {}
    for m in MEASURES:
        for i in m["indicators"]:
            if i in out:
                raise SystemExit("%s in two measures" % i)
            out[i] = m["key"]
    return out


MEASURE_OF = measure_of()
USED_ALIASES = set()


def resolve(text, where):
    """Agency cell -> list of keys (in order of appearance, no repeats)."""
    keys, rest, i = [], [], 0
    phrases = sorted(PHRASES, key=len, reverse=True)
    while i < len(text):
        for p in phrases:
            if text.startswith(p, i):
                for k in PHRASES[p]:
                    if k not in keys:
                        keys.append(k)
                USED_ALIASES.add(p)
                i += len(p)
                break
        else:
            rest.append(text[i])
            i += 1
            continue
        rest.append(" ")
    words = re.split(r"[\s,;.:]+", "".join(rest))
    bad = [w for w in words if w and w not in RESIDUE_OK]
    if bad:
        raise SystemExit("%s: unresolved words %r in %r" % (where, bad, text))
    return keys


# ---------------------------------------------------------------- Phụ lục I

def extract_indicators():
    start = find_line("PHỤ LỤC I:")
    end = find_line("PHỤ LỤC II:", start) - 1
    hdr = find_line("TT |", start)
    cells = parse_cells(hdr, end)
    header = [c.text for c in cells[:5]]
    assert header == ["TT", "Chỉ tiêu", "Đơn vị tính", "Kết quả", "Cơ quan chủ trì theo dõi, đánh giá"], header
    rows = rows_of(cells[5:], 5, r"\d+(\.\d+)?|I|II")
    out, excl, horizon, codes = [], [], None, set()
    for r in rows:
        tt, name, unit, target, agency = r
        if tt.text in ("I", "II"):
            assert r[1].text in ("Đến năm 2030", "Đến năm 2045"), r[1].text
            horizon = int(r[1].text[-4:])
            excl.append({"file": FILE, "line": tt.first, "reason": "section header row \"%s %s\" (horizon of the rows below)" % (tt.text, name.text)})
            continue
        code = tt.text
        assert code not in codes, code
        codes.add(code)
        parent = code.split(".")[0] if "." in code else ""
        if parent:
            assert parent in codes, code
        sp, st = row_source(r)
        rec = {
            "id": "%s/%s" % (DOC, code), "document": DOC, "code": code, "parent_code": parent,
            "name": name.text, "unit": unit.text, "target_text": target.text, "horizon": horizon,
            "agencies_text": agency.text, "agencies": resolve(agency.text, "indicator " + code) if agency.text else [],
            "measure": MEASURE_OF.get("%s/%s" % (DOC, code), ""), "source": sp, "source_text": st, "spans": {}, "flags": [], "note": "",
        }
        for fld, c in (("code", tt), ("name", name), ("unit", unit), ("target_text", target), ("agencies_text", agency)):
            if c.span:
                rec["spans"][fld] = c.span
        notes = []
        if code in ("10", "13"):
            # the unit column holds the name of a quantity, not a unit
            rec["unit_cell"] = unit.text
            rec["spans"]["unit_cell"] = rec["spans"].pop("unit")
            rec["flags"].append("shifted_cell")
            if code == "10":
                rec["unit"] = ""
                notes.append("The Đơn vị tính cell holds \"Chỉ số phát triển con người (HDI)\": the name of the quantity, not a unit; "
                             "the Chỉ tiêu cell is the goal sentence. The quantity is the HDI, a dimensionless index (target > 0,75), "
                             "so unit is \"\"; the cell is kept verbatim in unit_cell.")
            else:
                rec["unit"] = "triệu đồng"
                notes.append("The Đơn vị tính cell holds \"Kinh phí chi cho sự nghiệp khoa học\": the quantity measured (budget spent "
                             "on science), not a unit. The target is relative (not lower than the estimate the Prime Minister "
                             "assigns); amounts are money, so unit is set to \"triệu đồng\" (million VND, as funding.json uses). "
                             "The cell is kept verbatim in unit_cell.")
        if code == "27":
            rec["flags"].append("typo")
            notes.append("Target \"≤ n10\" is kept verbatim; the stray \"n\" is a typo for \"≤ 10\" (rank within the top 10).")
        if code in ("8", "18"):
            notes.append("Group row: its sub-indicators %s.x carry parent_code \"%s\"." % (code, code)
                         + (" The unit and target cells are empty, no agency is named." if code == "8" else
                            " The unit cell is empty; the target is qualitative."))
        if code == "26":
            notes.append("Unit written \"%GRDP\" (no space) where row 7 has \"% GRDP\"; kept verbatim.")
        if code == "19":
            notes.append("The agency cell names two departments and, after a full stop, the three city UBNDs (district level, "
                         "abolished in 2025, " + NOT_IN_SEEDS_DISTRICT + "), resolved to one key each.")
        rec["note"] = " ".join(notes)
        out.append(rec)
    # numeric Kết quả cells that the TT item pattern also matches
    tt_lines = {c.first for r in rows for c in r[:1]}
    pat = re.compile(r"^(\d+(\.\d+)?|I{1,2}) \|$")
    for r in rows:
        for c in r[1:]:
            if c.span and pat.match(line(c.first)) and c.first not in tt_lines:
                excl.append({"file": FILE, "line": c.first,
                             "reason": "Kết quả cell \"%s\" of row %s, a bare number, not a TT cell" % (c.text, r[0].text)})
    section = {"file": FILE, "name": "25/KH-UBND Phụ lục I: danh mục các chỉ tiêu cụ thể",
               "start_line": rows[0][0].first, "end_line": end, "item_pattern": pat.pattern}
    return out, section, excl


# ---------------------------------------------------------------- Phụ lục II

TYPO_NOTES = {
    "1": "Cooperating cell lacks a comma in \"Báo Thái Nguyên Trung tâm Thông tin tỉnh\" (two units; compare task 2).",
    "9": "Lead cell has the typo \"Sỏ Khoa học và Công nghệ\" (for Sở).",
    "13": "Lead cell has \"Sở Khoa học, Công nghệ\" for Sở Khoa học và Công nghệ.",
    "16": "Title repeats a word: \"của của\".",
    "26": "Title repeats a word: \"khu khu công nghiệp\".",
    "68": "Title has \"quy tác\" for \"quy tắc\".",
}
OTHER_NOTES = {
    "25": "Deliverable cell is empty; lead names the three city UBNDs (district level, abolished in 2025, " + NOT_IN_SEEDS_DISTRICT + ").",
    "48": "Cooperating and deliverable cells are both empty; the lead cell names nine agencies. Title item (9) \"Mô hình du lịch "
          "thông tin\" probably means \"thông minh\"; kept verbatim.",
    "53": "Title is phrased with its own subject (\"Các sở, ban, ngành, địa phương tập trung …\").",
    "12": "The deliverable cell names an agency and an action (\"Sở Tư pháp tổng hợp, báo cáo, đề xuất\": the Justice "
          "Department compiles, reports, proposes) rather than a product; kept verbatim, Sở Tư pháp stays a cooperating agency.",
    "35": "Deadline written \"Năm 2025- 2026\" (space only after the hyphen); kept verbatim.",
}


def extract_tasks():
    start = find_line("PHỤ LỤC II:")
    end = len(LINES)
    while not line(end).endswith("|"):
        end -= 1  # the footnote after the table
    hdr = find_line("TT |", start)
    cells = parse_cells(hdr, end)
    header = [c.text for c in cells[:6]]
    assert header == ["TT", "Tên nhiệm vụ", "Cơ quan chủ trì tham mưu/thực hiện", "Cơ quan phối hợp", "Kết quả",
                      "Thời gian hoàn thành"], header
    rows = rows_of(cells[6:], 6, r"\d+\.|[IVX]+\.?")
    out, excl = [], []
    sec = sec_title = sec_span = None
    for r in rows:
        tt, title, lead, coop, deliv, dl = r
        if re.fullmatch(r"[IVX]+\.?", tt.text):
            assert not any(c.text for c in r[2:]), tt.first
            sec, sec_title, sec_span = tt.text.rstrip("."), title.text, title.span
            excl.append({"file": FILE, "line": tt.first, "reason": "section header row"})
            continue
        num = tt.text[:-1]
        sp, st = row_source(r)
        rec = {
            "id": "%s/t%s" % (DOC, num), "document": DOC, "number": num, "section": sec, "section_title": sec_title,
            "title": title.text, "lead_text": lead.text, "lead": resolve(lead.text, "task %s lead" % num) if lead.text else [],
            "cooperating_text": coop.text,
            "cooperating": resolve(coop.text, "task %s cooperating" % num) if coop.text else [],
            "deliverable": deliv.text, "deadline_text": dl.text,
            "source": sp, "source_text": st, "spans": {}, "flags": [], "note": "",
        }
        rec["spans"]["number"] = span(tt.first, 1, tt.first, len(num) + 1)
        rec["spans"]["section_title"] = sec_span
        for fld, c in (("title", title), ("lead_text", lead), ("cooperating_text", coop), ("deliverable", deliv),
                       ("deadline_text", dl)):
            if c.span:
                rec["spans"][fld] = c.span
        notes = []
        if num in TYPO_NOTES:
            rec["flags"].append("typo")
            notes.append(TYPO_NOTES[num])
        if num in OTHER_NOTES:
            notes.append(OTHER_NOTES[num])
        if not lead.text:
            rec["flags"].append("unassigned")
        rec["note"] = " ".join(notes)
        out.append(rec)
    nums = [int(t["number"]) for t in out]
    if nums != list(range(1, 69)):
        raise SystemExit("task numbers are not 1..68: %r" % nums)
    section = {"file": FILE, "name": "25/KH-UBND Phụ lục II: nhiệm vụ (its heading repeats \"DANH MỤC CÁC CHỈ TIÊU CỤ THỂ\" by mistake)",
               "start_line": rows[0][0].first, "end_line": end, "item_pattern": r"^(\d+\.|[IVX]+\.?) \|$"}
    return out, section, excl


# ---------------------------------------------------------------- output

def org_units():
    keys = {rec[0] for rec in ORG}
    corpus = ""
    for fn in sorted(os.listdir(os.path.join(SEED, "sources"))):
        if fn.endswith(".txt"):
            with open(os.path.join(SEED, "sources", fn), encoding="utf-8") as f:
                corpus += f.read() + "\n"
    for key, extra in EXTRA_ALIASES.items():
        assert key in keys, key
        for a in extra:
            if a not in corpus:
                raise SystemExit("extra alias %r of %s occurs in no source" % (a, key))
    out = []
    for key, name, kind, parent, aliases, members, mkind, dissolved, note in ORG:
        aliases = aliases + [a for a in EXTRA_ALIASES.get(key, []) if a not in aliases]
        out.append({"key": key, "name": name, "kind": kind, "parent": parent, "aliases": aliases,
                    "members": members, "member_kind": mkind, "dissolved": dissolved, "note": note})
    return out


def dump(name, obj):
    path = os.path.join(SEED, "data", name)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print("wrote", path)


def main():
    inds, sec1, ex1 = extract_indicators()
    tasks, sec2, ex2 = extract_tasks()
    orgs = org_units()
    keys = [o["key"] for o in orgs]
    assert len(keys) == len(set(keys))
    for o in orgs:
        assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", o["key"]), o["key"]
        assert o["parent"] == "" or o["parent"] in keys
    ids = {r["id"] for r in inds}
    unknown = [i for i in MEASURE_OF if i.startswith(DOC + "/") and i not in ids]
    if unknown:
        raise SystemExit("measures name unknown 002 indicators: %r" % unknown)
    used = {k for r in inds for k in r["agencies"]} | {k for t in tasks for k in t["lead"] + t["cooperating"]}
    unused = [k for k in keys if k not in used and k != PROV]
    if unused:
        raise SystemExit("org units named nowhere: %r" % unused)
    unused_alias = [a for o in orgs for a in o["aliases"]
                    if a not in USED_ALIASES and o["key"] != PROV and a not in EXTRA_ALIASES.get(o["key"], [])]
    if unused_alias:
        raise SystemExit("aliases not seen in any cell: %r" % unused_alias)
    for recs in (inds, tasks):
        for r in recs:
            assert span_text(r["source"]) == r["source_text"]
            for f, s in r["spans"].items():
                assert span_text(s) == r[f], (r["id"], f)
    dump("indicators_25.json", inds)
    dump("tasks_25.json", tasks)
    dump("org_units.json", orgs)
    ex = sorted(ex1 + ex2, key=lambda e: e["line"])
    dump("coverage_25.json", {"sections": [sec1, sec2], "exclusions": ex})


if __name__ == "__main__":
    main()
