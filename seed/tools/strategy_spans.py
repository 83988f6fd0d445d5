"""Span helpers shared by extract_strategy.py and extract_problems.py.

Spans follow seed/FORMAT.md: 1-based line/col, cols in Unicode code points,
end_col exclusive, multi-line text joined with "\n".
"""
import json
import os
import re
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = os.path.dirname(HERE)
SOURCES = os.path.join(SEED, "sources")
DATA = os.path.join(SEED, "data")

F000 = "000_bai-toan-lon-thai-nguyen.txt"
F001 = "001_bai-toan-lon-lang-son.txt"
F002 = "002_ke-hoach-25-KH-UBND-thai-nguyen.txt"
F003 = "003_quyet-dinh-1893-chien-luoc-cds.txt"
F004 = "004_de-an-khcn-dmst-cds-2026-2030.txt"

_cache = {}


def lines(fname):
    if fname not in _cache:
        with open(os.path.join(SOURCES, fname), encoding="utf-8") as fh:
            txt = fh.read()
        assert unicodedata.is_normalized("NFC", txt), fname
        _cache[fname] = txt.split("\n")
    return _cache[fname]


def line(fname, n):
    return lines(fname)[n - 1]


def span(fname, l1, c1, l2, c2):
    return {"file": fname, "line": l1, "col": c1, "end_line": l2, "end_col": c2}


def text(sp):
    L = lines(sp["file"])
    l1, c1, l2, c2 = sp["line"], sp["col"], sp["end_line"], sp["end_col"]
    if l1 == l2:
        return L[l1 - 1][c1 - 1:c2 - 1]
    parts = [L[l1 - 1][c1 - 1:]]
    parts += L[l1:l2 - 1]
    parts.append(L[l2 - 1][:c2 - 1])
    return "\n".join(parts)


def whole(fname, l1, l2=None, strip_cell=False):
    """Span of whole lines l1..l2; with strip_cell, drop a trailing ' |' / '|'."""
    if l2 is None:
        l2 = l1
    last = line(fname, l2)
    end = len(last)
    if strip_cell:
        if last.endswith(" |"):
            end -= 2
        elif last.endswith("|"):
            end -= 1
    return span(fname, l1, 1, l2, end + 1)


def sub(fname, n, needle, occurrence=1, start_col=1):
    """Span of the occurrence-th `needle` in line n (searching from start_col)."""
    s = line(fname, n)
    pos = start_col - 2
    for _ in range(occurrence):
        pos = s.find(needle, pos + 1)
        if pos < 0:
            raise ValueError("%s:%d: %r not found" % (fname, n, needle))
    return span(fname, n, pos + 1, n, pos + 1 + len(needle))


def after(fname, n, prefix):
    """Span of line n after a literal prefix (e.g. '- ' or '1.1. ')."""
    s = line(fname, n)
    assert s.startswith(prefix), (fname, n, prefix, s[:20])
    return span(fname, n, len(prefix) + 1, n, len(s) + 1)


def between(fname, n, left, right):
    """Span of the text between the first `left` and the next `right` in line n."""
    s = line(fname, n)
    a = s.index(left) + len(left)
    b = s.index(right, a)
    return span(fname, n, a + 1, n, b + 1)


def key_of(name):
    """Org-unit key per FORMAT.md: lower-case, no diacritics, đ→d, non-letters→'-'."""
    s = name.lower().replace("đ", "d")
    s = unicodedata.normalize("NFD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s


def check_record(rec):
    """Assert source/source_text and every spanned field match their spans."""
    if "source" in rec:
        got = text(rec["source"])
        assert got == rec["source_text"], (rec.get("id") or rec.get("key") or rec.get("slug"), got[:80])
    for f, sp in rec.get("spans", {}).items():
        got = text(sp)
        assert got == rec[f], (rec.get("id") or rec.get("key") or rec.get("slug"), f, got[:80], rec[f][:80])


def write(name, obj):
    path = os.path.join(DATA, name)
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(obj, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    return path


def load_org_units():
    path = os.path.join(DATA, "org_units.json")
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)
