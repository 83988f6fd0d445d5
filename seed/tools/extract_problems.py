#!/usr/bin/env python3
"""Extract the big problems (bài toán lớn) of 000 (Thái Nguyên) and 001 (Lạng Sơn)
into seed/data/problems.json.

000 is a flattened table: each cell on its own line ending with " |" (a few cells
end on the next line, which holds only "|"). 001 is a flattened table too, but
without cell separators: every cell paragraph is followed by a blank line, and a
row starts with a line holding only its number. In 001 the "Căn cứ" and "Kết quả"
cells are both lists of "- " paragraphs; a paragraph belongs to "Căn cứ" when it
names a legal document (Nghị quyết / Quyết định / Kế hoạch / Nghị định …), which
the script asserts is a prefix of the row's paragraphs.
"""
import re

from strategy_spans import (F000, F001, lines, line, whole, text, check_record, write)

DOC000 = "bai-toan-thai-nguyen-2025"
DOC001 = "bai-toan-lang-son-2025"

# Hand-checked notes per problem (by document, number).
NOTES = {
    (DOC000, "2"): ("typo", "expected_results: \"mỗi liên hệ\" is a typo for \"mối liên hệ\" (kept verbatim)."),
    (DOC000, "4"): (None, "basis: no separator between \"…Thủ tướng Chính phủ[8]\" and \"Nghị quyết số 01-NQ/TU…\" (kept verbatim); same in rows 5, 6, 7, 11, 13 and before \"Quyết định số 2840\" in rows 8, 9."),
    (DOC000, "13"): (None, "basis cites Quyết định số 1163/QĐ-TTg without its footnote marker (the marker [15] is on row 11)."),
    (DOC001, "2"): ("typo", "expected_results: \"dự liệu\" is a typo for \"dữ liệu\" (kept verbatim)."),
    (DOC001, "6"): ("typo", "expected_results: \"hỗ sơ sức khỏe\" is a typo for \"hồ sơ\" (kept verbatim); two of its bullets use a no-break space after \"-\". A no-break-space-only paragraph ends the row (not part of any field)."),
    (DOC001, "8"): ("typo", "expected_results: \"thực hiện thủ tục các hành chính\" is a word-order slip for \"các thủ tục hành chính\" (kept verbatim). basis: Quyết định 749/QĐ-TTg is attributed to \"Chính phủ\" (it is the Prime Minister's)."),
    (DOC001, "9"): (None, "A no-break-space-only paragraph stands between the title and the basis (an empty paragraph, not part of any field)."),
    (DOC001, "10"): ("typo", "Two no-break-space-only paragraphs stand between the basis and the expected results (empty paragraphs, not part of any field). expected_results: \"thúc đấy\" is a typo for \"thúc đẩy\" (kept verbatim)."),
}

LEGAL = re.compile(r"^(?:-[ \u00a0])?(Nghị quyết|Quyết định|Kế hoạch|Nghị định)\b")


def add_note(rec):
    n = NOTES.get((rec["document"], rec["number"]))
    if n:
        flag, note = n
        if flag:
            rec["flags"] = [flag]
        rec["note"] = note


def problems_000():
    f = F000
    L = lines(f)
    rows = [i for i in range(9, 67) if re.fullmatch(r"\d+ \|", L[i - 1])]
    out = []
    for n in rows:
        num_sp = whole(f, n, strip_cell=True)
        title_sp = whole(f, n + 1, strip_cell=True)
        basis_sp = whole(f, n + 2, strip_cell=True)
        r = n + 3
        if L[r - 1].endswith(" |"):
            res_sp = whole(f, r, strip_cell=True)
            last = r
        else:
            assert L[r] == "|", (f, r + 1)
            res_sp = whole(f, r)
            last = r + 1
        assert L[n + 1 - 1].endswith(" |") and L[n + 2 - 1].endswith(" |")
        src = whole(f, n, last)
        rec = {
            "id": "%s/%s" % (DOC000, text(num_sp)),
            "document": DOC000,
            "province": "Thái Nguyên",
            "number": text(num_sp),
            "title": text(title_sp),
            "basis": text(basis_sp),
            "expected_results": text(res_sp),
            "source": src,
            "source_text": text(src),
            "spans": {"number": num_sp, "title": title_sp, "basis": basis_sp,
                      "expected_results": res_sp},
        }
        add_note(rec)
        out.append(rec)
    assert [p["number"] for p in out] == [str(i) for i in range(1, 14)]
    return out


def is_empty(s):
    return s.strip(" \u00a0") == ""


def problems_001():
    f = F001
    L = lines(f)
    rows = [i for i in range(11, len(L) + 1) if re.fullmatch(r"\d+", L[i - 1])]
    out = []
    for k, n in enumerate(rows):
        end = rows[k + 1] - 1 if k + 1 < len(rows) else len(L)
        paras = [i for i in range(n + 1, end + 1) if not is_empty(L[i - 1])]
        title_l = paras[0]
        rest = paras[1:]
        kinds = ["basis" if LEGAL.match(L[i - 1]) else "result" for i in rest]
        nb = kinds.index("result")
        assert all(x == "basis" for x in kinds[:nb]) and all(x == "result" for x in kinds[nb:]), (n, kinds)
        basis_l, res_l = rest[:nb], rest[nb:]
        assert basis_l and res_l, n
        num_sp = whole(f, n)
        title_sp = whole(f, title_l)
        basis_sp = whole(f, basis_l[0], basis_l[-1])
        res_sp = whole(f, res_l[0], res_l[-1])
        src = whole(f, n, paras[-1])
        rec = {
            "id": "%s/%s" % (DOC001, text(num_sp)),
            "document": DOC001,
            "province": "Lạng Sơn",
            "number": text(num_sp),
            "title": text(title_sp),
            "basis": text(basis_sp),
            "expected_results": text(res_sp),
            "source": src,
            "source_text": text(src),
            "spans": {"number": num_sp, "title": title_sp, "basis": basis_sp,
                      "expected_results": res_sp},
        }
        add_note(rec)
        out.append(rec)
    assert [p["number"] for p in out] == [str(i) for i in range(1, 11)]
    return out


def main():
    recs = problems_000() + problems_001()
    for r in recs:
        check_record(r)
    print(write("problems.json", recs), len(recs))
    return recs


if __name__ == "__main__":
    main()
