#!/usr/bin/env python3
"""Measures clause-id stability on a built hub: OUT HUB.

For consecutive versions of every policy (from the JSON API):
  * unchanged clauses: same text in both versions (text unique in each); kept = same id;
  * edited clauses: a clause of the new version whose text is not in the old one, paired with
    the old clause it most resembles (difflib word ratio >= 0.6, judged independently of
    policyhub's own alignment); kept = same id.
Prints both shares. Usage: scripts/measure-anchors.py OUT HUB
"""
import difflib
import json
import os
import sys

out, hub = sys.argv[1], sys.argv[2]
content = os.path.join(hub, "content")
unchanged = unchanged_kept = edited = edited_kept = 0
for org in sorted(os.listdir(content)):
    for pol in sorted(os.listdir(os.path.join(content, org))):
        pdir = os.path.join(content, org, pol)
        if not os.path.isdir(pdir):
            continue
        versions = sorted(f[:-3] for f in os.listdir(pdir) if f.endswith(".md"))
        prev = None
        for v in versions:
            data = json.load(open(os.path.join(out, "api", org, pol, v + ".json"), encoding="utf-8"))
            clauses = [(c["id"], " ".join(c["text"].split())) for c in data["clauses"] if c["kind"] != "heading"]
            if prev is not None:
                old_by_text = {}
                for cid, text in prev:
                    old_by_text.setdefault(text, []).append(cid)
                new_texts = [t for _, t in clauses]
                for cid, text in clauses:
                    if text in old_by_text:
                        if len(old_by_text[text]) == 1 and new_texts.count(text) == 1:
                            unchanged += 1
                            unchanged_kept += old_by_text[text][0] == cid
                        continue
                    words = text.split()
                    best, best_id = 0.0, None
                    for oid, otext in prev:
                        if otext in new_texts:
                            continue
                        r = difflib.SequenceMatcher(None, otext.split(), words, autojunk=False).ratio()
                        if r > best:
                            best, best_id = r, oid
                    if best >= 0.6:
                        edited += 1
                        edited_kept += best_id == cid
            prev = clauses
pct = lambda a, b: f"{a}/{b} = {100.0 * a / b:.2f}%" if b else "n/a"
print(f"unchanged clauses that kept their id: {pct(unchanged_kept, unchanged)}")
print(f"edited clauses that kept their id:    {pct(edited_kept, edited)}")
