#!/usr/bin/env python3
"""Check every seed/data/*.json file against seed/sources (the rules of seed/FORMAT.md).

- every record's `source` span text == `source_text`;
- every `spans[f]` text == record[f];
- spans are well formed (1-based, inside the line, end after start);
- ids and org-unit keys are unique across files;
- every org-unit key referenced (lead, cooperating, agencies, parent, members, from, to) exists;
- every alias of every org unit occurs somewhere in seed/sources;
- coverage_*.json: within each section, every line matching item_pattern is the source.line of
  one or more records (several only if all are flagged `split`) or listed exactly once in
  exclusions, never both; exclusions must be item lines;
- no two org units share an alias;
- every lead_text / cooperating_text / agencies_text resolves, by the aliases of all org units
  (leftmost-longest) plus the compound phrases of extract_25.py, to exactly the keys of its
  lead / cooperating / agencies list; only "và", "các", "có liên quan" and punctuation may be left;
- a succession's `effective` equals the `dissolved` of every unit it ends (in `from`, not in
  `to`; required for merge/abolish), and every dissolved unit is ended by some succession;
- a spanned field (other than section_title) lying outside the record's source passage is
  explained in its note, which names the span's line ("line N");
- every indicator's `measure` is the measure that lists it in measures.json ("" if none);
- seed/examples/*.csv (synthetic org units): header code,name,kind,parent,synthetic; valid kinds; codes
  unique, starting "mau-" and no seed key; names marked "(dữ liệu mẫu)"; parents exist.

Usage: python3 seed/tools/check_spans.py [file.json ...]   (default: all of seed/data/*.json)
Exit status 1 when anything is wrong.
"""
import glob
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = os.path.dirname(HERE)
SRC = os.path.join(SEED, "sources")
DATA = os.path.join(SEED, "data")

errors = []


def err(where, msg):
    errors.append("%s: %s" % (where, msg))


_lines = {}


def lines_of(name):
    if name not in _lines:
        p = os.path.join(SRC, name)
        if not os.path.isfile(p):
            return None
        with open(p, encoding="utf-8") as f:
            _lines[name] = f.read().split("\n")
    return _lines[name]


def span_text(s, where):
    """Text of span s, or None (with an error) when it is malformed."""
    if not isinstance(s, dict):
        err(where, "span is not an object: %r" % (s,))
        return None
    for k in ("file", "line", "col", "end_line", "end_col"):
        if k not in s:
            err(where, "span lacks %s" % k)
            return None
    L = lines_of(s["file"])
    if L is None:
        err(where, "no source file %r" % s["file"])
        return None
    a, c1, b, c2 = s["line"], s["col"], s["end_line"], s["end_col"]
    if not all(isinstance(v, int) for v in (a, c1, b, c2)):
        err(where, "span positions must be integers")
        return None
    if not (1 <= a <= b <= len(L)) or c1 < 1 or c2 < 1:
        err(where, "span out of range: %r" % s)
        return None
    if c1 - 1 > len(L[a - 1]) or c2 - 1 > len(L[b - 1]) or (a == b and c2 < c1):
        err(where, "span columns out of range: %r" % s)
        return None
    if a == b:
        return L[a - 1][c1 - 1:c2 - 1]
    return "\n".join([L[a - 1][c1 - 1:]] + L[a:b - 1] + [L[b - 1][:c2 - 1]])


def main(argv):
    files = argv or sorted(glob.glob(os.path.join(DATA, "*.json")))
    alldata = {}
    for p in sorted(glob.glob(os.path.join(DATA, "*.json"))):
        try:
            with open(p, encoding="utf-8") as f:
                alldata[os.path.basename(p)] = json.load(f)
        except Exception as e:  # noqa: BLE001
            err(os.path.basename(p), "not valid JSON: %s" % e)
    check = {os.path.basename(p) for p in files}

    # org units (from all files, so references resolve)
    orgs = {}
    for name, data in alldata.items():
        if not name.startswith("org_units"):
            continue
        for i, o in enumerate(data):
            w = "%s[%d]" % (name, i)
            k = o.get("key")
            if k in orgs:
                err(w, "org-unit key %r repeated (also in %s)" % (k, orgs[k][0]))
            orgs[k] = (name, o)
    corpus = "\n".join("\n".join(lines_of(os.path.basename(p))) for p in sorted(glob.glob(os.path.join(SRC, "*.txt"))))
    for k, (name, o) in orgs.items():
        if name not in check:
            continue
        w = "%s %s" % (name, k)
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", k or ""):
            err(w, "bad key")
        for a in o.get("aliases") or []:
            if a not in corpus:
                err(w, "alias %r occurs in no source" % a)
        for f in ("parent",):
            if o.get(f) and o[f] not in orgs:
                err(w, "%s %r is no org unit" % (f, o[f]))
        for m in o.get("members") or []:
            if m not in orgs:
                err(w, "member %r is no org unit" % m)

    # records
    ids = {}
    by_line = {}  # (file, line) -> [records]
    for name, data in alldata.items():
        if not isinstance(data, list):
            continue
        for i, r in enumerate(data):
            if not isinstance(r, dict):
                continue
            rid = r.get("id") or r.get("key") or r.get("slug") or str(i)
            w = "%s %s" % (name, rid)
            ident = r.get("id")
            if ident is not None:
                if ident in ids:
                    err(w, "id repeated (also in %s)" % ids[ident])
                ids[ident] = name
            if "source" in r and isinstance(r["source"], dict):
                by_line.setdefault((r["source"].get("file"), r["source"].get("line")), []).append((name, r))
            if name not in check:
                continue
            if "source" in r:
                t = span_text(r["source"], w + " source")
                if t is not None and t != r.get("source_text"):
                    err(w, "source span text != source_text:\n  span: %r\n  text: %r" % (t, r.get("source_text")))
            for f, s in (r.get("spans") or {}).items():
                if f not in r:
                    err(w, "spans names field %r the record lacks" % f)
                    continue
                t = span_text(s, "%s spans.%s" % (w, f))
                if t is not None and t != r[f]:
                    err(w, "spans.%s text != field:\n  span: %r\n  field: %r" % (f, t, r[f]))
            if not name.startswith("org_units"):
                for f in ("lead", "cooperating", "agencies", "from", "to"):
                    v = r.get(f)
                    if isinstance(v, list):
                        for k in v:
                            if k not in orgs:
                                err(w, "%s key %r is no org unit" % (f, k))

    # coverage
    for name, cov in alldata.items():
        if not name.startswith("coverage_") or name not in check:
            continue
        excl = {}
        for e in cov.get("exclusions", []):
            excl.setdefault((e.get("file"), e.get("line")), []).append(e)
        items = set()
        for sec in cov.get("sections", []):
            w = "%s section %r" % (name, sec.get("name"))
            L = lines_of(sec.get("file", ""))
            if L is None:
                err(w, "no source file %r" % sec.get("file"))
                continue
            try:
                pat = re.compile(sec["item_pattern"])
            except re.error as e:
                err(w, "bad item_pattern: %s" % e)
                continue
            a, b = sec["start_line"], sec["end_line"]
            if not (1 <= a <= b <= len(L)):
                err(w, "line range out of the file")
                continue
            for n in range(a, b + 1):
                if not pat.search(L[n - 1]):
                    continue
                key = (sec["file"], n)
                items.add(key)
                recs = by_line.get(key, [])
                ex = excl.get(key, [])
                if recs and ex:
                    err(w, "line %d is both a record's source line and excluded" % n)
                elif not recs and not ex:
                    err(w, "line %d (%r) is neither a record's source line nor excluded" % (n, L[n - 1][:60]))
                elif len(ex) > 1:
                    err(w, "line %d excluded %d times" % (n, len(ex)))
                elif len(recs) > 1 and not all("split" in (r.get("flags") or []) for _, r in recs):
                    err(w, "line %d is the source line of %d records not all flagged split: %s"
                        % (n, len(recs), ", ".join(r.get("id", "?") for _, r in recs)))
        for key in excl:
            if key not in items:
                err(name, "exclusion %s:%d is not an item line of any section" % key)

    check_aliases(orgs, check)
    check_agency_texts(alldata, orgs, check)
    check_successions(alldata, orgs, check)
    check_outside_spans(alldata, check)
    check_measures(alldata, check)
    if not argv:
        check_examples(orgs)

    for e in errors:
        print(e)
    print("%d files checked, %d problems" % (len(check), len(errors)))
    return 1 if errors else 0


def check_aliases(orgs, check):
    if not any(n.startswith("org_units") for n in check):
        return
    owner = {}
    for k, (name, o) in orgs.items():
        for a in o.get("aliases") or []:
            if a in owner and owner[a] != k:
                err("%s %s" % (name, k), "alias %r is also an alias of %s" % (a, owner[a]))
            owner.setdefault(a, k)


AGENCY_FIELDS = (("lead_text", "lead"), ("cooperating_text", "cooperating"), ("agencies_text", "agencies"))
RESIDUE_OK = {"và", "các", "có", "liên", "quan"}


def check_agency_texts(alldata, orgs, check):
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from extract_25 import COMPOUND_PHRASES
    phrases = {}
    for k, (_, o) in orgs.items():
        for a in o.get("aliases") or []:
            phrases[a] = [k]
    phrases.update(COMPOUND_PHRASES)
    order = sorted(phrases, key=len, reverse=True)
    for name, data in alldata.items():
        if name not in check or not isinstance(data, list):
            continue
        for r in data:
            if not isinstance(r, dict):
                continue
            for tf, kf in AGENCY_FIELDS:
                if tf not in r and kf not in r:
                    continue
                w = "%s %s %s" % (name, r.get("id"), tf)
                txt, want = r.get(tf) or "", r.get(kf) or []
                keys, rest, i = [], [], 0
                while i < len(txt):
                    for p in order:
                        if txt.startswith(p, i):
                            keys += [k for k in phrases[p] if k not in keys]
                            i += len(p)
                            rest.append(" ")
                            break
                    else:
                        rest.append(txt[i])
                        i += 1
                bad = [x for x in re.split(r"[\s,;.:]+", "".join(rest)) if x and x not in RESIDUE_OK]
                if bad:
                    err(w, "unresolved words %r in %r" % (bad, txt))
                if set(keys) != set(want):
                    err(w, "%r resolves to %r, but %s is %r" % (txt, keys, kf, want))


def check_successions(alldata, orgs, check):
    succ = alldata.get("successions.json")
    if not isinstance(succ, list) or not (check & {"successions.json", "org_units.json", "org_units_more.json"}):
        return
    ended = {}
    for s in succ:
        w = "successions.json %s" % s.get("id")
        for k in s.get("from") or []:
            if k in (s.get("to") or []) or k not in orgs:
                continue
            name, o = orgs[k]
            d = o.get("dissolved") or ""
            ended.setdefault(k, []).append(s.get("effective"))
            if d != s.get("effective") and (d or s.get("kind") in ("merge", "abolish")):
                err(w, "effective %r but %s (%s) has dissolved %r" % (s.get("effective"), k, name, d))
    for k, (name, o) in orgs.items():
        if o.get("dissolved") and k not in ended:
            err("%s %s" % (name, k), "dissolved %r but no succession ends it" % o["dissolved"])


def check_outside_spans(alldata, check):
    for name, data in alldata.items():
        if name not in check or not isinstance(data, list):
            continue
        for r in data:
            if not isinstance(r, dict) or not isinstance(r.get("source"), dict):
                continue
            s = r["source"]
            for f, sp in (r.get("spans") or {}).items():
                if f == "section_title" or not isinstance(sp, dict):
                    continue
                inside = (sp.get("file") == s.get("file")
                          and (s.get("line"), s.get("col")) <= (sp.get("line"), sp.get("col"))
                          and (sp.get("end_line"), sp.get("end_col")) <= (s.get("end_line"), s.get("end_col")))
                if not inside and ("line %s" % sp.get("line")) not in (r.get("note") or ""):
                    err("%s %s" % (name, r.get("id")), "spans.%s (line %s) lies outside the source passage and the note "
                        "does not say where it comes from (\"line %s\")" % (f, sp.get("line"), sp.get("line")))


def check_measures(alldata, check):
    ms = alldata.get("measures.json")
    if not isinstance(ms, list):
        return
    of = {}
    for m in ms:
        for i in m.get("indicators") or []:
            if i in of:
                err("measures.json", "%s is in measures %s and %s" % (i, of[i], m.get("key")))
            of[i] = m.get("key")
    seen = set()
    for name, data in alldata.items():
        if not name.startswith("indicators_") or not isinstance(data, list):
            continue
        for r in data:
            seen.add(r.get("id"))
            if name in check and (r.get("measure") or "") != of.get(r.get("id"), ""):
                err("%s %s" % (name, r.get("id")), "measure %r, but measures.json says %r" % (r.get("measure"), of.get(r.get("id"), "")))
    if "measures.json" in check:
        for i, k in of.items():
            if i not in seen:
                err("measures.json %s" % k, "indicator %s does not exist" % i)


KINDS = {"province", "department", "district", "commune", "party", "group", "other"}


def check_examples(orgs):
    import csv
    for p in sorted(glob.glob(os.path.join(SEED, "examples", "*.csv"))):
        w = "examples/" + os.path.basename(p)
        with open(p, encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        if not rows or rows[0] != ["code", "name", "kind", "parent", "synthetic"]:
            err(w, "first line must be the header code,name,kind,parent,synthetic")
            continue
        codes = {r[0] for r in rows[1:] if r}
        seen = set()
        for i, r in enumerate(rows[1:], 2):
            if len(r) != 5:
                err("%s:%d" % (w, i), "want 5 columns, got %d" % len(r))
                continue
            code, name, kind, parent, synthetic = r
            if synthetic != "true":
                err("%s:%d" % (w, i), "example rows must say synthetic=true")
            if code in seen or code in orgs or not re.fullmatch(r"mau-[a-z0-9][a-z0-9._-]*", code):
                err("%s:%d" % (w, i), "code %r repeated, a seed key, or not a synthetic \"mau-\" code" % code)
            seen.add(code)
            if "(dữ liệu mẫu)" not in name:
                err("%s:%d" % (w, i), "name %r is not marked \"(dữ liệu mẫu)\"" % name)
            if kind not in KINDS:
                err("%s:%d" % (w, i), "kind %r is not one of %s" % (kind, ", ".join(sorted(KINDS))))
            if parent and parent not in orgs and parent not in codes:
                err("%s:%d" % (w, i), "parent %r is neither a seed org unit nor in the file" % parent)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
