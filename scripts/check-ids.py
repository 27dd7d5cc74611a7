#!/usr/bin/env python3
"""Checks the promises of clause ids on a built hub, as a reader's browser and an API client
see them: OUT. For every policy (its versions in the order of api/<org>/<policy>.json):
- a text that a version and the one before both have once keeps its id (whatever its markup:
  the version JSON's text is the words alone; a text either has twice, a menu's "Learn more",
  may continue either);
- no page of a version has an id twice;
- every id any version had is an element id on the policy's latest page (the clause, or the
  stub of a removed one);
- the policy JSON's lineages name every id any version had, and call none current
  (`removed_in` null) that the latest version lacks.
Prints one line per policy with a problem and a total; exits 1 on any problem."""
import collections, json, os, sys
from html.parser import HTMLParser


class Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = []

    def handle_starttag(self, tag, attrs):
        self.ids.extend(v for k, v in attrs if k == "id" and v is not None)


def page_ids(path):
    parser = Ids()
    with open(path, encoding="utf-8") as f:
        parser.feed(f.read())
    return parser.ids


def check_policy(out, org, policy):
    problems = []
    api = os.path.join(out, "api", org, policy)
    with open(api + ".json", encoding="utf-8") as f:
        record = json.load(f)
    versions = [v["id"] for v in record["versions"]]
    kept = total = 0
    ever = set()
    ids = []
    before = None
    for v in versions:
        with open(os.path.join(api, v + ".json"), encoding="utf-8") as f:
            clauses = json.load(f)["clauses"]
        ids = [c["id"] for c in clauses]
        ever.update(ids)
        duplicates = [i for i, n in collections.Counter(page_ids(os.path.join(out, org, policy, v, "index.html"))).items() if n > 1]
        if duplicates:
            problems.append(f"{v}: ids twice on the page: {duplicates[:3]}")
        by_text = collections.defaultdict(list)
        for c in clauses:
            by_text[c["text"]].append(c["id"])
        if before is not None:
            for text, new_ids in by_text.items():
                old_ids = before.get(text, [])
                if len(old_ids) != 1 or len(new_ids) != 1 or not text.strip():
                    continue
                total += 1
                if old_ids == new_ids:
                    kept += 1
                else:
                    problems.append(f"{v}: unchanged text lost its id {old_ids[0]} → {new_ids[0]}: {text[:60]!r}")
        before = by_text
    latest = set(page_ids(os.path.join(out, org, policy, "index.html")))
    unresolved = sorted(ever - latest)
    if unresolved:
        problems.append(f"ids not on the latest page: {unresolved[:5]}")
    lineages = {l["id"]: l for l in record["lineages"]}
    unnamed = sorted(ever - set(lineages))
    if unnamed:
        problems.append(f"ids without a lineage: {unnamed[:5]}")
    last_ids = set(ids)
    stale = sorted(i for i, l in lineages.items() if l["removed_in"] is None and i not in last_ids)
    if stale:
        problems.append(f"lineages current that the latest version lacks: {stale[:5]}")
    return kept, total, len(ever), problems


def main():
    out = sys.argv[1]
    kept = total = ids = policies = problems_found = 0
    api = os.path.join(out, "api")
    for org in sorted(os.listdir(api)):
        if not os.path.isdir(os.path.join(api, org)):
            continue
        for name in sorted(os.listdir(os.path.join(api, org))):
            if not name.endswith(".json"):
                continue
            policy = name[: -len(".json")]
            k, t, n, problems = check_policy(out, org, policy)
            kept, total, ids, policies = kept + k, total + t, ids + n, policies + 1
            for p in problems[:5]:
                print(f"{org}/{policy}: {p}")
            if len(problems) > 5:
                print(f"{org}/{policy}: … and {len(problems) - 5} more")
            problems_found += len(problems)
    print(f"{policies} policies: unchanged texts that kept their id {kept}/{total}; {ids} ids ever minted; problems: {problems_found}")
    sys.exit(1 if problems_found else 0)


if __name__ == "__main__":
    main()
