#!/usr/bin/env python3
"""Draws real edits from a built hub for a reader to label blind: OUT ORG SHEET JSONL [--transitions N] [--per K] [--seed S] [--exclude LABELS.jsonl ...].

Picks N transitions (consecutive versions of one policy; with --spread one policy after
another in turn), and in each up to K clauses of the old version whose text is gone from the
new one.
Each is paired with the new version's clauses most like it by an independent measure (word
sequence similarity, not the hub's alignment) among those whose text is new. The ids the hub
gave are never shown: SHEET is what the reader reads (each case with its neighbours, so a
reader can judge position), JSONL the cases to label, in the labelled sets' format with
`label` and `why` left empty for the reader to fill (same, different, split-main, split-part,
merge-main, merge-part; `doubtful: true` when unsure). ORG `all` draws from every organisation;
--exclude skips the transitions other labelled sets already hold."""
import argparse, difflib, json, os, random, re

from sampling import clip, grouped, labelled, norm

WORD = re.compile(r"\w+", re.UNICODE)


def words(text):
    return [w.lower() for w in WORD.findall(text)]


def similarity(a, b):
    """How alike two texts read: the larger of word-sequence similarity and the share of the
    shorter one's words found in the longer one (so a split's part scores high)."""
    wa, wb = words(a), words(b)
    if not wa or not wb:
        return 0.0
    ratio = difflib.SequenceMatcher(None, wa, wb, autojunk=False).ratio()
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    pool = {}
    for w in long_:
        pool[w] = pool.get(w, 0) + 1
    found = 0
    for w in short:
        if pool.get(w, 0):
            pool[w] -= 1
            found += 1
    return max(ratio, found / len(short) * min(1.0, len(short) / 4))


def spread(transitions, rng):
    """One transition of each policy in turn, each policy's in random order."""
    order, by_policy = grouped(transitions, lambda t: t[:2], rng)
    rounds = max(map(len, by_policy.values()), default=0)
    return [by_policy[key][k] for k in range(rounds) for key in order if k < len(by_policy[key])]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("org")
    ap.add_argument("sheet")
    ap.add_argument("jsonl")
    ap.add_argument("--transitions", type=int, default=60)
    ap.add_argument("--per", type=int, default=3)
    ap.add_argument("--candidates", type=int, default=3)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--exclude", nargs="*", default=[])
    ap.add_argument("--spread", action="store_true", help="one policy after another in turn")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    taken = labelled(args.exclude, ("org", "policy", "old_version", "new_version"))
    orgs = sorted(os.listdir(os.path.join(args.out, "api"))) if args.org == "all" else [args.org]
    transitions = []
    for org in orgs:
        api = os.path.join(args.out, "api", org)
        if not os.path.isdir(api):
            continue
        for name in sorted(os.listdir(api)):
            if not name.endswith(".json"):
                continue
            policy = name[:-5]
            with open(os.path.join(api, name), encoding="utf-8") as f:
                versions = [v["id"] for v in json.load(f)["versions"]]
            transitions += [(org, policy, a, b) for a, b in zip(versions, versions[1:])
                            if (org, policy, a, b) not in taken]
    if args.spread:
        transitions = spread(transitions, rng)
    else:
        rng.shuffle(transitions)

    def load(org, policy, v):
        with open(os.path.join(args.out, "api", org, policy, v + ".json"), encoding="utf-8") as f:
            return [(c["kind"], norm(c["text"])) for c in json.load(f)["clauses"]]

    cases, sheet = [], []
    used = 0
    for org, policy, a, b in transitions:
        if used == args.transitions:
            break
        old, new = load(org, policy, a), load(org, policy, b)
        old_texts, new_texts = {t for _, t in old}, {t for _, t in new}
        gone = [i for i, (_, t) in enumerate(old) if t and t not in new_texts]
        fresh = [j for j, (_, t) in enumerate(new) if t and t not in old_texts]
        if not gone or not fresh:
            continue
        used += 1
        sheet.append(f"\n## {org}/{policy}: {a} → {b} ({len(gone)} old clauses gone, {len(fresh)} new)\n")
        sheet.append("New clauses whose text is new in this version (pick from these when none of a case's candidates is its match):")
        for j in fresh:
            sheet.append(f"    new {j + 1}/{len(new)} [{new[j][0]}] {clip(new[j][1], 160)}")
        for i in sorted(rng.sample(gone, min(args.per, len(gone)))):
            ranked = sorted(fresh, key=lambda j: -similarity(old[i][1], new[j][1]))[: args.candidates]
            sheet.append(f"\n### old {i + 1}/{len(old)} [{old[i][0]}]: {clip(old[i][1], 2500)}")
            if i > 0:
                sheet.append(f"    (before it: {clip(old[i - 1][1], 120)})")
            if i + 1 < len(old):
                sheet.append(f"    (after it: {clip(old[i + 1][1], 120)})")
            for j in sorted(ranked):
                case = len(cases) + 1
                sheet.append(f"  case {case}: new {j + 1}/{len(new)} [{new[j][0]}]: {clip(new[j][1], 2500)}")
                cases.append({
                    "case": case, "org": org, "policy": policy,
                    "old_version": a, "new_version": b,
                    "old_kind": old[i][0], "new_kind": new[j][0],
                    "old_position": f"{i + 1}/{len(old)}", "new_position": f"{j + 1}/{len(new)}",
                    "old_text": old[i][1], "new_text": new[j][1], "label": "", "why": "",
                })
    with open(args.sheet, "w", encoding="utf-8") as f:
        f.write("\n".join(sheet) + "\n")
    with open(args.jsonl, "w", encoding="utf-8") as f:
        for c in cases:
            f.write(json.dumps(c, ensure_ascii=False) + "\n")
    print(f"{used} transitions, {len(cases)} cases → {args.sheet}, {args.jsonl}")


if __name__ == "__main__":
    main()
