#!/usr/bin/env python3
"""Scores a built hub's clause ids against hand-labelled pairs of real clauses: OUT LABELS [--misses].

Each label joins a clause of one version to a clause of the next (found by text in the version JSON):
`same`, `split-main` and `merge-main` should keep one id (the provision lives on); `different` should not;
`split-part` / `merge-part` should not keep the id but be traced by the lineage (`split_from`, or a merge of `merges` in that version)."""
import json, os, sys

out, labels_path = sys.argv[1], sys.argv[2]
show_misses = "--misses" in sys.argv[3:]
norm = lambda t: " ".join(t.split())
cache = {}

def version(org, policy, v):
    key = (org, policy, v)
    if key not in cache:
        with open(os.path.join(out, "api", org, policy, v + ".json"), encoding="utf-8") as f:
            cache[key] = json.load(f)["clauses"]
    return cache[key]

def lineages(org, policy):
    key = (org, policy)
    if key not in cache:
        with open(os.path.join(out, "api", org, policy + ".json"), encoding="utf-8") as f:
            cache[key] = {l["id"]: l for l in json.load(f)["lineages"]}
    return cache[key]

def clause_id(org, policy, v, text, position):
    """The id of the clause with this text; of several, the one nearest the labelled position."""
    clauses = version(org, policy, v)
    at = int(position.split("/")[0]) - 1
    found = [i for i, c in enumerate(clauses) if norm(c["text"]) == text]
    if not found:
        return None
    return clauses[min(found, key=lambda i: abs(i - at))]["id"]

rows = [json.loads(line) for line in open(labels_path, encoding="utf-8")]
tp = fp = fn = tn = traced = parts = unfound = 0
sure = {}  # (should keep, kept) -> count, over the pairs not marked doubtful
misses = []
for r in rows:
    org, pol = r["org"], r["policy"]
    old = clause_id(org, pol, r["old_version"], r["old_text"], r["old_position"])
    new = clause_id(org, pol, r["new_version"], r["new_text"], r["new_position"])
    if old is None or new is None:
        unfound += 1
        misses.append(("not found", r))
        continue
    kept = old == new
    label = r["label"]
    if not r.get("doubtful"):
        should = label in ("same", "split-main", "merge-main")
        sure[(should, kept)] = sure.get((should, kept), 0) + 1
    if label in ("same", "split-main", "merge-main"):
        if kept:
            tp += 1
        else:
            fn += 1
            misses.append(("lost its id", r))
    else:
        if kept:
            fp += 1
            misses.append(("joined", r))
        else:
            tn += 1
        if label in ("split-part", "merge-part"):
            parts += 1
            lin = lineages(org, pol)
            if label == "split-part":
                ok = lin.get(new, {}).get("split_from") == old
            else:
                merges = lin.get(old, {}).get("merges", [])
                ok = any(m["version"] == r["new_version"] and m["into"] == new for m in merges)
            traced += ok
            if not ok:
                misses.append(("untraced " + label, r))

precision = tp / (tp + fp) if tp + fp else 0.0
recall = tp / (tp + fn) if tp + fn else 0.0
if show_misses:
    for why, r in misses:
        print(f"{why}: case {r['case']} {r['org']}/{r['policy']} {r['old_version']} → {r['new_version']} [{r['label']}: {r['why']}]")
        print(f"    old ({r['old_kind']}): {r['old_text'][:150]}")
        print(f"    new ({r['new_kind']}): {r['new_text'][:150]}")
print(f"labelled pairs: {len(rows)} ({tp + fn} that should keep one id, {fp + tn} that should not; {unfound} not found)")
print(f"precision: {precision:.3f} ({tp} kept ids join the same provision, {fp} join different ones)")
print(f"recall:    {recall:.3f} ({tp} of {tp + fn} same provisions kept their id)")
print(f"splits and merges traced: {traced} of {parts}")
s_tp, s_fp, s_fn = sure.get((True, True), 0), sure.get((False, True), 0), sure.get((True, False), 0)
print(f"without the {sum(1 for r in rows if r.get('doubtful'))} pairs marked doubtful: "
      f"precision {s_tp / max(1, s_tp + s_fp):.3f}, recall {s_tp / max(1, s_tp + s_fn):.3f} ({s_tp} of {s_tp + s_fn})")
# --floor P R: fail (exit 1) when precision or recall is below the floor (scripts/test keeps
# the measured figures as floors, so a change that makes identity worse fails there).
if "--floor" in sys.argv:
    at = sys.argv.index("--floor")
    floor_p, floor_r = float(sys.argv[at + 1]), float(sys.argv[at + 2])
    if precision < floor_p or recall < floor_r:
        print(f"below the floor: precision {precision:.3f} < {floor_p} or recall {recall:.3f} < {floor_r}")
        sys.exit(1)
sys.exit(0 if not unfound else 1)
