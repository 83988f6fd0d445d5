#!/usr/bin/env python3
"""Extract from 003 (Quyết định 1893/QĐ-UBND, DX strategy) and 004 (Đề án KHCN, ĐMST,
CĐS 2026–2030) — plus the document records of 000–004 — into seed/data/:

  documents.json, tasks_1893.json, tasks_scheme.json, funding.json,
  successions.json, org_units_more.json, coverage_strategy.json

(problems.json comes from extract_problems.py; coverage_strategy.json covers its rows
too, so run that one first or together: `python3 extract_strategy.py` calls it.)

The structure is parsed mechanically; hand-made decisions (owners named in the text,
page breaks, typos, group headings) are the tables at the top, each with its reason.
Every span is computed here, never typed.
"""
import difflib
import re

import extract_problems
from strategy_spans import (F000, F001, F002, F003, F004, lines, line, span, whole, sub,
                            after, between, text, key_of, check_record, write,
                            load_org_units)

D002, D003, D004, D000, D001 = ("25-kh-ubnd", "1893-qd-ubnd", "de-an-2026-2030",
                                "bai-toan-thai-nguyen-2025", "bai-toan-lang-son-2025")

# ---------------------------------------------------------------------------
# 003 §II — hand-made decisions
# ---------------------------------------------------------------------------
S003 = (63, 257)  # "1. Nâng cao nhận thức số" … last bullet of "12."
GROUP_BULLETS_003 = {  # "- " lines that only head a group of "+ " items
    107: "group heading of the \"+ \" items below (vocational schools), not a task",
    111: "group heading of the \"+ \" items below (coordination and policy), not a task",
}
INTRO_003 = {
    106: "introductory paragraph of 4.c); the tasks are the \"+ \" items that follow",
}
TYPOS_003 = {
    64: "\"trong trong\" is a doubled word.",
    65: "\"bảo, phát thanh - truyền hình tỉnh\": \"bảo\" is a typo for \"báo\".",
    81: "\"các ngành, lĩnh như\" lacks \"vực\"; \"thúc đẩy sử dụng người dân, doanh nghiệp sử dụng\" repeats \"sử dụng\".",
    126: "\"doanh nghiệp,.. .trên\": stray punctuation.",
    155: "ends with a doubled full stop \"..\".",
    241: "\"kinh doanh doanh điện năng\" repeats \"doanh\".",
    254: "the second sentence repeats \"… ở mức cơ bản, tạo lập niềm tin số\" after a stray \"công cụ hỗ trợ, bảo vệ người dân …\".",
}
# Owners named by Điều 2 for one specific §II item (Điều 2 is otherwise general).
OWNERS_003 = {
    67: {"lead_line": 261, "lead_prefix": "1. ", "lead": ["so-khoa-hoc-va-cong-nghe"],
         "assign_line": 264, "passage": "Điều 2 §1"},
}
COOP_003 = {
    112: {"text": "Sở Giáo dục và Đào tạo, Sở Nội vụ, Đại học Thái Nguyên, Hiệp hội Doanh nghiệp",
          "keys": ["so-giao-duc-va-dao-tao", "so-noi-vu", "dai-hoc-thai-nguyen", "hiep-hoi-doanh-nghiep"],
          "note": "The fund is to be a partnership (\"hợp tác giữa …\") of the four bodies named, recorded as cooperating; the text names no lead."},
}
LINE_NOTES_003 = {  # Điều 2 roles related to, but not assigned to, a specific bullet
    65: "Cf. Điều 2 §4: Sở Văn hóa, Thể thao và Du lịch is to publicise the Strategy's content and results (press, grassroots radio) — related to the communication bullets here but not assigned to a specific one, so not recorded as owner.",
    70: "Cf. Điều 2 §4: Sở Văn hóa, Thể thao và Du lịch is to publicise the Strategy's content and results — related to this bullet but not assigned to it, so not recorded as owner.",
}
SECTION_NOTES_003 = {
    "11": "Cf. Điều 2 §2: Công an tỉnh ensures cyber-security and personal-data protection for the Strategy as a whole — not assigned to a specific bullet, so not recorded as owner.",
}

# ---------------------------------------------------------------------------
# 004 Phần thứ hai §II — hand-made decisions
# ---------------------------------------------------------------------------
S004 = (209, 367)  # "1. Công tác lãnh đạo, chỉ đạo" … "8.3."
# item line -> continuation lines after a page break (footnotes in between are skipped)
PAGE_BREAKS_004 = {215: [219], 257: [259], 269: [275], 285: [291], 335: [337]}
FOOTNOTE_CONT_004 = {287: "continuation of footnote ¹⁴ (line 273) after the page break"}
TYPOS_004 = {
    213: "\"HĐND các cấp đổi mới\": a separator is missing before \"đổi mới\".",
    253: "ends with a stray closing quote \"”.\".",
    263: "\"đặc biệt đổi mới với các hợp tác xã\": \"đổi mới\" is a typo for \"đối với\".",
    267: "\"cộng đồng cổ vấn\": typo for \"cố vấn\".",
    269: "the continuation repeats \"… chế biến sâu nông sản, bảo vệ môi trường, chăm sóc sức khỏe nhân dân¹⁵, nâng cao chất lượng giáo dục - đào tạo...\" after the detailed list.",
    293: "\"kiểm soát phong bức xạ môi trường\": \"phong\" is a typo for \"phông\".",
    335: "\"hoàn thiện công thông tin\": \"công\" is a typo for \"cổng\".",
    363: "\"thị trường\" is misspelt \"trị trường\".",
}
OWNERS_004 = {
    231: {"needle": "Đại học Thái Nguyên", "occurrence": 1, "lead": ["dai-hoc-thai-nguyen"],
          "note": "Only one clause names an owner: \"giao Đại học Thái Nguyên chủ trì đào tạo chuyên sâu và bồi dưỡng nhân lực chất lượng cao\"; the other clauses (mechanisms, support, commissioning by the province) name none."},
    261: {"needle": "Đại học Thái Nguyên và Sở Khoa học và Công nghệ", "occurrence": 1,
          "lead": ["dai-hoc-thai-nguyen", "so-khoa-hoc-va-cong-nghe"],
          "note": "\"do Đại học Thái Nguyên và Sở Khoa học và Công nghệ đồng chủ trì\" (co-leads); \"Đại học Thái Nguyên chịu trách nhiệm vận hành\" the centre once founded."},
}
ITEM_NOTES_004 = {
    225: "The Ban Chỉ đạo is named as the inter-sector coordinator, not as owner of this task.",
    215: "\"Mỗi địa phương\" (each locality) is addressed generally; no owner recorded.",
    261: "The centre takes Phim trường số (cf. bai-toan-thai-nguyen-2025/12) as its first core.",
    311: "Addressed to state agencies in general (\"cơ quan nhà nước có trách nhiệm …\"); no owner recorded.",
}


def sec_heading(fname, n):
    m = re.match(r"(\d+)\. (.*)$", line(fname, n))
    return m.group(1), after(fname, n, m.group(1) + ". ")


def task(doc, num, section, st_span, title, title_span, src):
    rec = {
        "id": "%s/t%s" % (doc, num),
        "document": doc,
        "number": num,
        "section": section,
        "section_title": text(st_span),
        "title": title,
        "lead_text": "",
        "lead": [],
        "cooperating_text": "",
        "cooperating": [],
        "deliverable": "",
        "deadline_text": "",
        "source": src,
        "source_text": text(src),
        "spans": {"section_title": st_span},
        "flags": [],
        "note": "",
    }
    if title_span is not None:
        rec["spans"]["title"] = title_span
    return rec


def add_note(rec, s):
    rec["note"] = (rec["note"] + " " + s).strip() if rec["note"] else s


def tasks_1893(excl):
    f = F003
    out = []
    sec = st = None
    k = 0
    ctx = []  # [lettered heading, "* " heading, "- " group heading]
    letter = star = group = ""
    for n in range(S003[0], S003[1] + 1):
        s = line(f, n)
        assert s.strip(), (f, n)
        m = re.match(r"(\d+)\. ", s)
        if m:
            sec, st = sec_heading(f, n)
            k = 0
            letter = star = group = ""
            excl.append({"file": f, "line": n, "reason": "heading (subsection %s)" % sec})
            continue
        m = re.match(r"([a-zđ])\) ", s)
        if m:
            letter, star, group = s, "", ""
            excl.append({"file": f, "line": n, "reason": "heading (sub-part %s.%s)" % (sec, m.group(1))})
            continue
        if s.startswith("* "):
            star, group = s, ""
            excl.append({"file": f, "line": n, "reason": "heading (group of bullets)"})
            continue
        if n in GROUP_BULLETS_003:
            group = s
            excl.append({"file": f, "line": n, "reason": GROUP_BULLETS_003[n]})
            continue
        if n in INTRO_003:
            excl.append({"file": f, "line": n, "reason": INTRO_003[n]})
            continue
        k += 1
        num = "%s.%d" % (sec, k)
        if s.startswith("- ") or s.startswith("+ "):
            tsp = after(f, n, s[:2])
        else:
            tsp = whole(f, n)
        rec = task(D003, num, sec, st, text(tsp), tsp, whole(f, n))
        where = [x for x in (letter, star, group) if x]
        if where:
            add_note(rec, "Under " + " / ".join("\"%s\"" % x for x in where) + ".")
        if n in TYPOS_003:
            rec["flags"].append("typo")
            add_note(rec, "Typo kept verbatim: " + TYPOS_003[n])
        if n in OWNERS_003:
            o = OWNERS_003[n]
            lsp = after(f, o["lead_line"], o["lead_prefix"])
            rec["lead_text"] = text(lsp)
            rec["spans"]["lead_text"] = lsp
            rec["lead"] = list(o["lead"])
            a = line(f, o["assign_line"])
            assert a.startswith("- "), (f, o["assign_line"])
            add_note(rec, "Owner from %s (Điều 2, Tổ chức thực hiện), not from this bullet: lead_text is spanned at line %d "
                          "(the heading \"%s\" of %s), outside this task's source passage (line %d); the assignment is the "
                          "bullet at line %d under that heading: \"%s\" — the same task." % (
                              o["passage"], o["lead_line"], line(f, o["lead_line"]), o["passage"], n,
                              o["assign_line"], a[2:]))
        else:
            rec["flags"].append("unassigned")
        if n in COOP_003:
            c = COOP_003[n]
            csp = sub(f, n, c["text"])
            rec["cooperating_text"] = text(csp)
            rec["spans"]["cooperating_text"] = csp
            rec["cooperating"] = list(c["keys"])
            add_note(rec, c["note"])
        if n in LINE_NOTES_003:
            add_note(rec, LINE_NOTES_003[n])
        if sec in SECTION_NOTES_003 and "unassigned" in rec["flags"]:
            add_note(rec, SECTION_NOTES_003[sec])
        out.append(rec)
    mark_duplicates(out)
    return out


def mark_duplicates(recs):
    first = {}
    for r in recs:
        t = r["title"]
        if t in first:
            r["flags"].append("duplicate_of:" + first[t]["id"])
            add_note(r, "Same text as %s." % first[t]["id"])
        else:
            first[t] = r


def footnote_line(s):
    return bool(re.match(r"[¹²³⁴⁵⁶⁷⁸⁹⁰]", s))


def tasks_scheme(excl):
    f = F004
    out = []
    sec = st = None
    consumed = set()
    for n in range(S004[0], S004[1] + 1):
        s = line(f, n)
        if not s.strip() or n in consumed:
            continue
        m = re.match(r"(\d+)\. ", s)
        if m:
            sec, st = sec_heading(f, n)
            excl.append({"file": f, "line": n, "reason": "heading (subsection %s)" % sec})
            continue
        m = re.match(r"(\d+)\.(\d+)\. ", s)
        if m:
            assert m.group(1) == sec, (n, sec)
            num = "%s.%s" % (m.group(1), m.group(2))
            first = after(f, n, m.group(0))
            if n in PAGE_BREAKS_004:
                conts = PAGE_BREAKS_004[n]
                consumed.update(conts)
                last = conts[-1]
                src = whole(f, n, last)
                title = " ".join([text(first)] + [line(f, c) for c in conts])
                rec = task(D004, num, sec, st, title, None, src)
                rec["flags"].append("page_break")
                add_note(rec, "Cut by a page break after line %d (footnotes in between); title = line %d after the number + \" \" + line %s." % (
                    n, n, ", ".join(map(str, conts))))
            else:
                rec = task(D004, num, sec, st, text(first), first, whole(f, n))
            if n in TYPOS_004:
                rec["flags"].append("typo")
                add_note(rec, "Typo kept verbatim: " + TYPOS_004[n])
            if n in OWNERS_004:
                o = OWNERS_004[n]
                lsp = sub(f, n, o["needle"], o["occurrence"])
                rec["lead_text"] = text(lsp)
                rec["spans"]["lead_text"] = lsp
                rec["lead"] = list(o["lead"])
                add_note(rec, o["note"])
            else:
                rec["flags"].append("unassigned")
            if n in ITEM_NOTES_004:
                add_note(rec, ITEM_NOTES_004[n])
            out.append(rec)
            continue
        if footnote_line(s) or n in FOOTNOTE_CONT_004:
            continue
        raise AssertionError("unexpected line %d in 004 §II: %r" % (n, s[:60]))
    mark_duplicates(out)
    return out


def cross_notes(t1893, tscheme):
    """Note 004 items whose text repeats (or nearly repeats) a 003 bullet."""
    for r in tscheme:
        best, ratio = None, 0.0
        for q in t1893:
            x = difflib.SequenceMatcher(None, r["title"], q["title"]).ratio()
            if x > ratio:
                best, ratio = q, x
        if ratio == 1.0:
            add_note(r, "Same text as %s (Decision 1893)." % best["id"])
        elif ratio >= 0.85:
            add_note(r, "Nearly the same text as %s (Decision 1893)." % best["id"])


# ---------------------------------------------------------------------------
# documents
# ---------------------------------------------------------------------------
def documents():
    docs = []

    src = whole(F002, 9, 15)
    nsp = between(F002, 12, "Số: ", " |")
    tsp = whole(F002, 15)
    docs.append({"slug": D002, "kind": "plan", "number": text(nsp), "title": text(tsp),
                 "date": "2025-01-24", "issuer": "UBND tỉnh Thái Nguyên",
                 "source": src, "source_text": text(src), "spans": {"number": nsp, "title": tsp},
                 "note": "Date from \"Thái Nguyên, ngày 24 tháng 01 năm 2025\" (line 13); issuer from \"ỦY BAN NHÂN DÂN\" (line 9) and the place."})

    src = whole(F003, 2, 6)
    nsp = between(F003, 3, "Số: ", " |")
    tsp = whole(F003, 5)
    docs.append({"slug": D003, "kind": "decision", "number": text(nsp), "title": text(tsp),
                 "date": "2025-11-14", "issuer": "UBND tỉnh Thái Nguyên",
                 "source": src, "source_text": text(src), "spans": {"number": nsp, "title": tsp},
                 "note": "Date from \"Thái Nguyên, ngày 14 tháng 11 năm 2025\" (line 3); issuer \"ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN\" (line 6). The decision approves the DX strategy (Chiến lược chuyển đổi số tỉnh Thái Nguyên đến năm 2030), whose content is its Điều 1."})

    src = whole(F004, 3)
    tsp = between(F004, 3, "ĐỀ ÁN**", "**")
    docs.append({"slug": D004, "kind": "scheme", "number": "", "title": text(tsp),
                 "date": "", "issuer": "Ban Chấp hành Đảng bộ tỉnh Thái Nguyên",
                 "source": src, "source_text": text(src), "spans": {"title": tsp},
                 "note": "A Party document with no number and no date in the text. Issuer from the signature block (lines 424–427: \"T/M BAN CHẤP HÀNH / BÍ THƯ / Trịnh Xuân Trường\"); line 422 \"P.CĐS-CY/212\" is a filing mark, not a document number. It cites Chương trình hành động số 04-CTr/TU of 27/10/2025, so it was issued after that date."})

    src = whole(F000, 1, 4)
    tsp = whole(F000, 3)
    docs.append({"slug": D000, "kind": "letter", "number": "", "title": text(tsp),
                 "date": "2025-05", "issuer": "Sở Khoa học và Công nghệ tỉnh Thái Nguyên",
                 "source": src, "source_text": text(src), "spans": {"title": tsp},
                 "note": "A Công văn of Sở KH&CN with the catalogue as its Phụ lục; line 4 reads \"Công văn số /KHCN-QLKH ngày /5/2025 của Sở KH&CN tỉnh Thái Nguyên\" — number and day left blank in the source, so number is \"\" and date the month. The title is the Phụ lục's (the letter's own subject line is not in the text)."})

    src = whole(F001, 1)
    tsp = whole(F001, 1)
    docs.append({"slug": D001, "kind": "catalogue", "number": "", "title": text(tsp),
                 "date": "2025", "issuer": "",
                 "source": src, "source_text": text(src), "spans": {"title": tsp},
                 "note": "Only the catalogue table is in the text: no number, date or issuer; the year is from the title (\"NĂM 2025\"). The title has a no-break space and a space after \"CÔNG NGHỆ,\" (kept verbatim)."})
    return docs


# ---------------------------------------------------------------------------
# funding (004 Phần thứ ba §II)
# ---------------------------------------------------------------------------
def funding():
    f = F004
    K = D004 + "/"

    def rec(key, parent, label_sp, amount_sp, src_line, split):
        amount_text = text(amount_sp)
        src = whole(f, src_line)
        r = {"key": K + key, "document": D004, "parent": (K + parent) if parent else "",
             "label": text(label_sp), "amount_million_vnd": int(amount_text.replace(".", "")),
             "amount_text": amount_text, "source": src, "source_text": text(src),
             "spans": {"label": label_sp, "amount_text": amount_sp}}
        if split:
            r["flags"] = ["split"]
            r["note"] = "One of several funding lines stated in the same sentence (line %d)." % src_line
        return r

    out = [
        rec("tong-von", "", sub(f, 377, "Nhu cầu vốn thực hiện Đề án"), sub(f, 377, "16.303.827"), 377, True),
        rec("ngan-sach", "tong-von", sub(f, 377, "nhu cầu vốn ngân sách"), sub(f, 377, "3.888.827"), 377, True),
        rec("ngoai-ngan-sach", "tong-von", sub(f, 377, "vốn ngoài ngân sách"), sub(f, 377, "12.415.000"), 377, True),
        rec("ngan-sach-trung-uong", "ngan-sach", sub(f, 381, "Nguồn ngân sách Trung ương dự kiến"), sub(f, 381, "370.850"), 381, False),
        rec("ngan-sach-tinh", "ngan-sach", sub(f, 382, "Nguồn ngân sách tỉnh"), sub(f, 382, "3.517.977"), 382, True),
        rec("ngan-sach-tinh-dau-tu-cong", "ngan-sach-tinh", sub(f, 382, "nguồn đầu tư công"), sub(f, 382, "537.000"), 382, True),
        rec("ngan-sach-tinh-su-nghiep", "ngan-sach-tinh", sub(f, 382, "Nguồn sự nghiệp"), sub(f, 382, "2.980.977"), 382, True),
    ]
    # the figures must add up
    by = {r["key"]: r for r in out}
    sums = {}
    for r in out:
        if r["parent"]:
            sums.setdefault(r["parent"], 0)
            sums[r["parent"]] += r["amount_million_vnd"]
    report = []
    for p, s in sums.items():
        ok = s == by[p]["amount_million_vnd"]
        report.append("%s: children %d %s parent %d" % (p, s, "==" if ok else "!=", by[p]["amount_million_vnd"]))
        assert ok, report[-1]
    return out, report


# ---------------------------------------------------------------------------
# org units named as owners in 003/004 but not in org_units.json
# ---------------------------------------------------------------------------
def org_unit(name, kind, parent="", aliases=(), members=(), member_kind="", dissolved="", note="", key=None):
    return {"key": key or key_of(name), "name": name, "kind": kind, "parent": parent,
            "aliases": list(aliases), "members": list(members), "member_kind": member_kind,
            "dissolved": dissolved, "note": note}


MORE_UNITS = [
    org_unit("UBND tỉnh Bắc Kạn", "province", aliases=["tỉnh Bắc Kạn", "Tỉnh Bắc Kạn"], dissolved="2025",
             note="Merged into Thái Nguyên in 2025 (see successions.json; 004 Phần thứ nhất §I.1). The seeds give only the year; the merger took effect on 01/07/2025 (Nghị quyết 202/2025/QH15, not in the seeds)."),
    org_unit("UBND cấp xã", "group", aliases=["UBND cấp xã", "UBND các xã, phường"], member_kind="commune",
             note="All commune/ward People's Committees of the two-level local government (003 Điều 2 §5, Điều 3). Takes over the duties of the district level (see successions.json)."),
    org_unit("Tỉnh ủy Thái Nguyên", "party",
             aliases=["Tỉnh ủy Thái Nguyên", "Ban Chấp hành Đảng bộ tỉnh Thái Nguyên", "Ban Chấp hành Đảng bộ tỉnh"],
             note="The provincial Party committee (Ban Chấp hành Đảng bộ tỉnh); issuer of the Scheme 2026–2030 (004)."),
    org_unit("Ban Thường vụ Tỉnh ủy", "party", parent="tinh-uy-thai-nguyen",
             aliases=["Ban Thường vụ Tỉnh ủy", "Ban Thường vụ Tỉnh ủy Thái Nguyên"],
             note="004 Phần thứ ba §III.1 (directs the Party organisations to implement the Scheme)."),
    org_unit("Văn phòng Tỉnh ủy", "party", parent="tinh-uy-thai-nguyen", aliases=["Văn phòng Tỉnh ủy"],
             note="004 Phần thứ ba §III.6: monitors, urges and reports on the Scheme for Ban Thường vụ Tỉnh ủy; standing agency (Cơ quan Thường trực) of the Steering Committee (§III.3)."),
    org_unit("Ban Chỉ đạo phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số tỉnh", "party",
             parent="tinh-uy-thai-nguyen",
             aliases=["Ban Chỉ đạo phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số"],
             note="The provincial Steering Committee, set up by Ban Thường vụ Tỉnh ủy (004 Phần thứ nhất §I.1.2); inter-sector coordinator (004 §II 1.6)."),
    org_unit("Đảng ủy Hội đồng nhân dân tỉnh", "party", parent="tinh-uy-thai-nguyen",
             aliases=["Đảng ủy Hội đồng nhân dân tỉnh"],
             note="004 Phần thứ ba §III.2 (directs the provincial People's Council, org unit hdnd-tinh)."),
    org_unit("Đảng ủy Mặt trận Tổ quốc Việt Nam tỉnh", "party", parent="tinh-uy-thai-nguyen",
             aliases=["Đảng uỷ Mặt trận Tổ quốc Việt Nam tỉnh", "Đảng ủy MTTQ Việt Nam tỉnh"],
             note="004 Phần thứ ba §III.2. Written with the old-style accent \"uỷ\" in §III.2."),
    org_unit("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "other",
             aliases=["Mặt trận Tổ quốc Việt Nam tỉnh", "Ủy ban MTTQ Việt Nam tỉnh"],
             note="004 Phần thứ ba §III.2: publicises the Scheme and supervises its implementation."),
    org_unit("Đảng ủy Ủy ban nhân dân tỉnh", "party", parent="tinh-uy-thai-nguyen",
             aliases=["Đảng uỷ Ủy ban nhân dân tỉnh"],
             note="004 Phần thứ ba §III.3 (leads UBND tỉnh in implementing the Scheme). The source repeats \"lãnh đạo Ủy ban nhân dân tỉnh\" twice."),
    org_unit("Các cơ quan tham mưu, giúp việc Tỉnh ủy", "group",
             aliases=["Các cơ quan, tham mưu giúp việc Tỉnh ủy", "Các cơ quan chuyên trách tham mưu, giúp việc Tỉnh ủy"],
             member_kind="party",
             note="004 Phần thứ ba §III.4 (written with a stray comma: \"Các cơ quan, tham mưu giúp việc Tỉnh ủy\")."),
    org_unit("Đảng ủy xã, phường", "group", aliases=["Đảng ủy xã, phường"], member_kind="party",
             note="004 Phần thứ ba §III.4: the Party committees of communes and wards."),
    org_unit("Các đảng bộ trực thuộc Tỉnh ủy", "group",
             aliases=["Các đảng bộ trực thuộc Tỉnh ủy", "các đảng bộ trực thuộc"], member_kind="party",
             note="004 Phần thứ ba §III.1."),
    org_unit("Hiệp hội Doanh nghiệp", "other", aliases=["Hiệp hội Doanh nghiệp"],
             note="003 §II 4.c (partner of the digital-skills fund). Which association is meant is not said (presumably the provincial business association)."),
    org_unit("Các doanh nghiệp bưu chính viễn thông, công nghệ thông tin", "group",
             aliases=["Các doanh nghiệp bưu chính viễn thông, công nghệ thông tin trên địa bàn tỉnh"],
             member_kind="other",
             note="003 Điều 2 §6. Wider than the group cac-doanh-nghiep-vien-thong of Plan 25 (adds postal and IT companies)."),
]


# ---------------------------------------------------------------------------
# successions
# ---------------------------------------------------------------------------
def successions():
    out = []

    src = span(F004, 71, 1, 73, len(line(F004, 73)) + 1)
    out.append({
        "id": D004 + "/s-hop-nhat-thai-nguyen-bac-kan", "from": ["ubnd-tinh-thai-nguyen", "ubnd-tinh-bac-kan"],
        "to": ["ubnd-tinh-thai-nguyen"], "kind": "merge", "effective": "2025",
        "citation": "Đề án 2026–2030, Phần thứ nhất §I.1 (1.1 \"Trước thời điểm họp nhất tỉnh\", 1.2 \"Sau khi hợp nhất tỉnh\")",
        "source": src, "source_text": text(src), "flags": ["typo"],
        "note": "Thái Nguyên and Bắc Kạn were merged into the new Thái Nguyên province (\"Ban Chấp hành Đảng bộ 02 tỉnh: Thái Nguyên và Bắc Kạn\" before the merger; \"Tỉnh Thái Nguyên (sau hợp nhất)\", line 133; \"Tỉnh Bắc Kạn (trước hợp nhất)\", line 125). Modelled as Bắc Kạn merged into Thái Nguyên, whose key continues for the new province. The seeds give the year only (after the merger, Kế hoạch 15-KH/TU of 12/9/2025, line 83); the merger took effect on 01/07/2025 (Nghị quyết 202/2025/QH15, not in the seeds). \"họp nhất\" in the heading is a typo for \"hợp nhất\"."})

    src = span(F003, 274, 1, 275, len(line(F003, 275)) + 1)
    out.append({
        "id": D003 + "/s-cap-huyen-sang-cap-xa", "from": ["ubnd-cac-huyen-thanh-pho", "cac-dia-phuong"], "to": ["ubnd-cap-xa"],
        "kind": "transfer", "effective": "2025",
        "citation": "1893/QĐ-UBND, Điều 2 §5",
        "source": src, "source_text": text(src),
        "note": "Two-level local government: Plan 25 (24/01/2025) assigns work to \"UBND các huyện, thành phố\"; Decision 1893 (14/11/2025) assigns the same role to \"UBND cấp xã\" next to the departments and addresses \"Chủ tịch UBND các xã, phường\" (Điều 3) — no district level remains (cf. 004 line 85, \"đáp ứng mô hình chính quyền hai cấp\"). Seeds give the year only (1893 cites Luật Tổ chức chính quyền địa phương of 16/6/2025, line 7, but not when the two-level model took effect); the district level ended on 01/07/2025 (not in the seeds). The group's dissolved date in org_units.json is the same \"2025\". \"Các địa phương\" (localities), which in January 2025 meant the district level, goes the same way."})

    cl = sub(F004, 85, "(2) Rà soát, đơn giản hóa và số hóa quy trình thủ tục hành chính; nâng cấp hệ thống thông tin giải quyết thủ tục hành chính đáp ứng mô hình chính quyền hai cấp; bảo đảm hạ tầng đường truyền và thiết bị phục vụ chuyển đổi số đến 100% xã, phường;")
    out.append({
        "id": D004 + "/s-bai-bo-cap-huyen", "from": ["ubnd-thanh-pho-thai-nguyen", "ubnd-thanh-pho-song-cong",
                                                      "ubnd-thanh-pho-pho-yen", "ubnd-huyen-phu-binh"],
        "to": [], "kind": "abolish", "effective": "2025",
        "citation": "Đề án 2026–2030, Phần thứ nhất §I.1.2, kết quả (2)",
        "source": cl, "source_text": text(cl),
        "note": "The district-level People's Committees named in Plan 25 (the three cities Thái Nguyên, Sông Công, Phổ Yên, and Phú Bình district) ceased with the two-level model; the seeds name no successor for any of them (their areas went to several communes/wards). Seeds give the year only; effective 01/07/2025 by law (not in the seeds). The units' dissolved date in org_units.json is the same \"2025\"."})

    src = span(F003, 261, 1, 262, len(line(F003, 262)) + 1)
    out.append({
        "id": D003 + "/s-sttt-vao-skhcn", "from": ["so-thong-tin-va-truyen-thong", "so-khoa-hoc-va-cong-nghe"],
        "to": ["so-khoa-hoc-va-cong-nghe"], "kind": "merge", "effective": "2025",
        "citation": "1893/QĐ-UBND, Điều 2 §1",
        "source": src, "source_text": text(src),
        "note": "Plan 25 (24/01/2025) makes Sở Thông tin và Truyền thông the lead of most DX tasks; by May 2025 Sở Khoa học và Công nghệ publishes the DX big problems (000) and Decision 1893 (Điều 2 §1) gives it the guidance and monitoring of DX. Sở TT&TT appears in no later seed. The seeds show the DX role moving within 2025 (between 24/01 and 05/2025) but name no date or decision, so effective and the unit's dissolved date are the year \"2025\"; by general knowledge the merger took effect on 01/03/2025 (not in the seeds), and the press/publishing part of Sở TT&TT went to Sở Văn hóa, Thể thao và Du lịch (not in the seeds, so not recorded)."})

    # No succession for Sở Kế hoạch và Đầu tư → Sở Tài chính: no seed sentence states it (003 Điều 2 §3 only
    # gives Sở Tài chính the public-investment balancing); the inference stays in the org unit's note
    # (org_units.json, so-ke-hoach-va-dau-tu) until an administrator adds the succession with its decision.
    return out


# ---------------------------------------------------------------------------
def coverage(excl):
    sections = [
        {"file": F003, "name": "1893/QĐ-UBND Điều 1 §II Nhiệm vụ và giải pháp (every line: \"- \" bullets, \"+ \" sub-bullets, \"* \" group headings, \"a) \" sub-parts, \"N. \" subsections, prose paragraphs)",
         "start_line": S003[0], "end_line": S003[1], "item_pattern": r"^\S"},
        {"file": F004, "name": "Đề án 2026–2030 Phần thứ hai §II Nhiệm vụ và giải pháp chủ yếu (\"N. \" subsections, \"N.M. \" items)",
         "start_line": S004[0], "end_line": S004[1], "item_pattern": r"^\d+\.(?:\d+\.)? "},
        {"file": F004, "name": "Đề án 2026–2030 Phần thứ ba §II Nguồn lực thực hiện",
         "start_line": 377, "end_line": 382, "item_pattern": r"^(?:\d+\. |- )"},
        {"file": F000, "name": "Thái Nguyên big problems (TT cell of each row)",
         "start_line": 9, "end_line": 66, "item_pattern": r"^\d+ \|$"},
        {"file": F001, "name": "Lạng Sơn big problems (STT paragraph of each row)",
         "start_line": 11, "end_line": 163, "item_pattern": r"^\d+$"},
    ]
    excl = excl + [{"file": F004, "line": 379, "reason": "heading (2. Cơ cấu nguồn vốn ngân sách); its lines are the records of lines 381–382"}]
    return {"sections": sections, "exclusions": excl}


def main():
    problems = extract_problems.main()
    excl = []
    t1893 = tasks_1893(excl)
    tscheme = tasks_scheme(excl)
    cross_notes(t1893, tscheme)
    docs = documents()
    fund, fund_report = funding()
    succ = successions()

    # org units: never repeat a key of org_units.json
    base = load_org_units() or []
    base_keys = {u["key"] for u in base}
    more = [u for u in MORE_UNITS if u["key"] not in base_keys]
    dropped = [u["key"] for u in MORE_UNITS if u["key"] in base_keys]
    known = base_keys | {u["key"] for u in more}
    for r in t1893 + tscheme:
        for k in r["lead"] + r["cooperating"]:
            assert k in known or not base, ("unknown org unit", r["id"], k)
    for s in succ:
        for k in s["from"] + s["to"]:
            assert k in known or not base, ("unknown org unit", s["id"], k)

    for r in docs + t1893 + tscheme + fund + succ:
        check_record(r)
    for r in t1893 + tscheme:
        if not r["flags"]:
            del r["flags"]
        if not r["note"]:
            del r["note"]

    write("documents.json", docs)
    write("tasks_1893.json", t1893)
    write("tasks_scheme.json", tscheme)
    write("funding.json", fund)
    write("successions.json", succ)
    write("org_units_more.json", more)
    write("coverage_strategy.json", coverage(excl))

    # summary
    def per_section(ts):
        d = {}
        for t in ts:
            d[t["section"]] = d.get(t["section"], 0) + 1
        return d
    print("tasks_1893:", len(t1893), per_section(t1893))
    print("tasks_scheme:", len(tscheme), per_section(tscheme))
    for name, ts in (("1893", t1893), ("scheme", tscheme)):
        owned = [(t["id"], t["lead"]) for t in ts if t["lead"]]
        print(name, "unassigned:", sum("unassigned" in t.get("flags", []) for t in ts), "owned:", owned)
    print("funding:", fund_report)
    print("org_units_more:", len(more), "dropped (already in org_units.json):", dropped)
    print("problems:", len(problems))


if __name__ == "__main__":
    main()
