#!/usr/bin/env python3
"""Draws real changed clauses from a built hub for a reader to class blind: OUT SHEET JSONL [--modified N] [--added N] [--removed N] [--seed S] [--exclude LABELS.jsonl ...].

Reads the hub's /api/changes.csv and draws, at random and spread over the policies (round
robin), N modified clauses (`modified`, `moved-modified`, `restyled`), N added and N removed,
never from a policy's first version. SHEET shows each change as a reader sees it (the old and
new text, a word diff, the clauses around an added or removed one, and where words that left
the clause went, or where words that came into it came from, when another clause holds them) without the class the hub
gave; JSONL holds the changes in the labelled sets' format with `class` and `reason` empty for
the reader to fill (formatting, editorial or substantive; `note` for doubts). --exclude skips
the changes other labelled sets already hold. --relabel LABELS writes, instead, the sheet of the
labelled changes whose words moved to or from another clause, numbered by their line, for a
reader to class again with that in view."""
import argparse, csv, difflib, json, os, random

from sampling import clip, grouped, labelled, norm

MODIFIED = ("modified", "moved-modified", "restyled")


def word_diff(old, new):
    a, b = old.split(), new.split()
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            run = a[i1:i2]
            if len(run) > 20:  # long unchanged runs are shortened around the edits
                run = ([] if i1 == 0 else run[:8]) + ["…"] + ([] if i2 == len(a) else run[-8:])
            out.append(" ".join(run))
        if op in ("delete", "replace"):
            out.append("[-" + " ".join(a[i1:i2]) + "-]")
        if op in ("insert", "replace"):
            out.append("{+" + " ".join(b[j1:j2]) + "+}")
    return " ".join(out)


def runs(old, new):
    """The runs of words deleted from `old` and inserted into `new`."""
    a, b = old.split(), new.split()
    deleted, inserted = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            deleted.append(" ".join(a[i1:i2]))
        if op in ("insert", "replace"):
            inserted.append(" ".join(b[j1:j2]))
    return deleted, inserted


def elsewhere(run, others, skip):
    """The clauses of `others` (but `skip`) that hold `run` or are held in it: where text that
    left a clause went, or where text that came into one came from (4 words or more)."""
    key = " ".join(run.lower().split())
    if len(key.split()) < 4:
        return []
    found = []
    for c in others:
        text = " ".join(c["text"].lower().split())
        if c["id"] != skip and len(text.split()) >= 4 and (key in text or text in key):
            found.append(c)
    return found


def entry(number, case, old_list, new_list):
    """The sheet's lines for one change: its texts, where moved words went or came from, and a
    word diff (or the neighbours of an added or removed clause)."""
    lines = [f"\n## change {number}: {case['policy']} {case['old_version']} → {case['new_version']}, {case['change']}"]
    if case["old_kind"]:
        lines.append(f"old [{case['old_kind']}]: {case['old_text']}")
    if case["new_kind"]:
        lines.append(f"new [{case['new_kind']}]: {case['new_text']}")
    deleted, inserted = runs(case["old_text"], case["new_text"])
    shown = set()
    for label, texts, others, side in (("words that left it", deleted, new_list, "new"),
                                       ("words that came into it", inserted, old_list, "old")):
        for run in texts:
            for c in elsewhere(run, others, case["id"]):
                if (side, c["id"]) not in shown:
                    shown.add((side, c["id"]))
                    lines.append(f"    ({label} are also in the {side} version's [{c['kind']}]: {clip(c['text'], 300)})")
    if case["old_kind"] and case["new_kind"]:
        lines.append(f"word diff: {word_diff(case['old_text'], case['new_text'])}")
    else:
        listing, text, side = (new_list, case["new_text"], "new") if case["new_kind"] else (old_list, case["old_text"], "old")
        at = next((i for i, c in enumerate(listing) if c["id"] == case["id"] and norm(c["text"]) == text), None)
        if at is None:
            at = next((i for i, c in enumerate(listing) if norm(c["text"]) == text), None)
        for k in (() if at is None else (at - 1, at + 1)):
            if 0 <= k < len(listing):
                where = "before" if k < at else "after"
                lines.append(f"    ({where} it in the {side} version: {norm(listing[k]['text'])[:200]})")
    return lines


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("sheet")
    ap.add_argument("jsonl")
    ap.add_argument("--modified", type=int, default=60)
    ap.add_argument("--added", type=int, default=20)
    ap.add_argument("--removed", type=int, default=20)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--exclude", nargs="*", default=[])
    ap.add_argument("--relabel", help="show again the changes of this labelled set whose words moved")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    taken = labelled(args.exclude, ("org", "policy", "new_version", "id"))
    with open(os.path.join(args.out, "api", "changes.csv"), encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["previous_version"]
                and (r["org"], r["policy"], r["version"], r["clause"]) not in taken]
    cache = {}

    def clauses(org, policy, v):
        key = (org, policy, v)
        if key not in cache:
            with open(os.path.join(args.out, "api", org, policy, v + ".json"), encoding="utf-8") as f:
                cache[key] = json.load(f)["clauses"]
        return cache[key]

    def pick(kinds, n):
        order, by_policy = grouped((r for r in rows if r["change"] in kinds), lambda r: (r["org"], r["policy"]), rng)
        chosen = []
        while len(chosen) < n and any(by_policy.values()):
            for key in order:
                if by_policy[key] and len(chosen) < n:
                    chosen.append(by_policy[key].pop())
        return chosen

    sheet, cases = [], []
    if args.relabel:
        # The labelled changes whose words moved to or from another clause, shown again with
        # where they went, numbered by their line in the set.
        with open(args.relabel, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                case = json.loads(line)
                lines = entry(number, case, clauses(case["org"], case["policy"], case["old_version"]),
                              clauses(case["org"], case["policy"], case["new_version"]))
                if any("are also in the" in line for line in lines):
                    sheet += lines
                    cases.append(case)
    else:
        for r in pick(MODIFIED, args.modified) + pick(("added",), args.added) + pick(("removed",), args.removed):
            org, policy = r["org"], r["policy"]
            old_list, new_list = clauses(org, policy, r["previous_version"]), clauses(org, policy, r["version"])
            o = next((c for c in old_list if c["id"] == r["clause"]), None) if r["change"] != "added" else None
            n = next((c for c in new_list if c["id"] == r["clause"]), None) if r["change"] != "removed" else None
            case = {
                "org": org, "policy": policy, "old_version": r["previous_version"], "new_version": r["version"],
                "id": r["clause"], "change": r["change"],
                "old_kind": o["kind"] if o else None, "new_kind": n["kind"] if n else None,
                "old_text": norm(o["text"]) if o else "", "new_text": norm(n["text"]) if n else "",
                "class": "", "reason": "", "note": "",
            }
            cases.append(case)
            sheet += entry(len(cases), case, old_list, new_list)
    with open(args.sheet, "w", encoding="utf-8") as f:
        f.write("\n".join(sheet) + "\n")
    with open(args.jsonl, "w", encoding="utf-8") as f:
        for c in cases:
            f.write(json.dumps(c, ensure_ascii=False) + "\n")
    print(f"{len(cases)} changes → {args.sheet}, {args.jsonl}")


if __name__ == "__main__":
    main()
