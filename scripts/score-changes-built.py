#!/usr/bin/env python3
"""Scores the change classes a built hub gives (its /api/changes.csv) against the hand-labelled
real changes: OUT LABELS. Unlike `examples/score_changes.rs`, which classifies each labelled
pair of texts alone, this reads the classes as the hub gives them in a real build, with the
rest of each version around them (text moved to or from another clause counts). A labelled
clause is found by its text in the version JSON (the new version's, or the old one's for a
removed clause; of equal texts, the one with the label's id, else the one that changed); its
row in changes.csv by organisation, policy, version and clause id.
Same halves as the other scorer: even lines tune, odd lines are held out."""
import csv, json, os, sys

out, labels_path = sys.argv[1], sys.argv[2]
norm = lambda t: " ".join(t.split())
versions = {}

def clauses(org, policy, v):
    key = (org, policy, v)
    if key not in versions:
        path = os.path.join(out, "api", org, policy, v + ".json")
        versions[key] = json.load(open(path, encoding="utf-8"))["clauses"] if os.path.exists(path) else []
    return versions[key]

def row_of(label, v, text):
    """The changes.csv row of the labelled clause: of clauses with the same text, the one with
    the label's id, else the one that changed."""
    found = [c["id"] for c in clauses(label["org"], label["policy"], v) if norm(c["text"]) == norm(text)]
    found.sort(key=lambda i: i != label["id"])
    for cid in found:
        row = rows.get((label["org"], label["policy"], label["new_version"], cid))
        if row:
            return row
    return None

rows = {}
with open(os.path.join(out, "api", "changes.csv"), encoding="utf-8") as f:
    for r in csv.DictReader(f):
        rows[(r["org"], r["policy"], r["version"], r["clause"])] = r

CLASSES = ["formatting", "editorial", "substantive"]
# --misses: list each disagreement of the tuning half (label, the hub's class and reason); the
# held-out half stays unread.
show_misses = "--misses" in sys.argv
misses = []
labels = [json.loads(l) for l in open(labels_path, encoding="utf-8")]
halves = {"tuning half (even lines)": labels[0::2], "held-out half (odd lines)": labels[1::2], "all": labels}
for name, half in halves.items():
    confusion = [[0] * 3 for _ in CLASSES]
    unfound = 0
    for l in half:
        removed = l["change"] == "removed"
        text = l["old_text"] if removed else l["new_text"]
        v = l["old_version"] if removed else l["new_version"]
        row = row_of(l, v, text)
        if row is None:
            unfound += 1
            continue
        confusion[CLASSES.index(l["class"])][CLASSES.index(row["class"])] += 1
        if show_misses and name.startswith("tuning") and l["class"] != row["class"]:
            misses.append((l, row))
    total = sum(map(sum, confusion))
    agree = sum(confusion[i][i] for i in range(3)) / max(1, total)
    se = [confusion[i][j] for i in (1, 2) for j in (1, 2)]
    se_agree = (confusion[1][1] + confusion[2][2]) / max(1, sum(se))
    print(f"{name}: {total} changes found in the build ({unfound} not found), agreement {agree:.3f}, substantive vs editorial {se_agree:.3f}")
    if name == "all":
        print(f"{'':>14} {'formatting':>11} {'editorial':>10} {'substantive':>12}   (rows: label, columns: the hub)")
        for i, c in enumerate(CLASSES):
            print(f"{c:>14} {confusion[i][0]:>11} {confusion[i][1]:>10} {confusion[i][2]:>12}")
        # --floor A S: fail when agreement or substantive-vs-editorial agreement of the whole
        # set is below the floor, or a labelled change is not found (scripts/test).
        if "--floor" in sys.argv:
            at = sys.argv.index("--floor")
            floor_a, floor_s = float(sys.argv[at + 1]), float(sys.argv[at + 2])
            if agree < floor_a or se_agree < floor_s or unfound:
                print(f"below the floor: agreement {agree:.3f} < {floor_a} or {se_agree:.3f} < {floor_s}, or {unfound} not found")
                sys.exit(1)
for l, row in misses:
    print(f"\n{l['org']}/{l['policy']} {l['new_version']} {l['change']}: labelled {l['class']} ({l['reason']}), hub {row['class']} ({row['reason']})")
    print(f"    old: {norm(l['old_text'])[:300]}")
    print(f"    new: {norm(l['new_text'])[:300]}")
