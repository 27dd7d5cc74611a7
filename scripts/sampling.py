"""What the samplers of labelled sets share (scripts/sample-identity.py, scripts/sample-changes.py):
texts as a sheet shows them, the cases other labelled sets hold, and groups drawn in turn."""
import json


def norm(text):
    """A text with its runs of whitespace made one space."""
    return " ".join(text.split())


def clip(text, n):
    """`text` normalised, cut to `n` characters with an ellipsis."""
    text = norm(text)
    return text if len(text) <= n else text[: n - 1] + "…"


def labelled(paths, fields):
    """The `fields` of every case of the labelled sets at `paths`, as tuples."""
    taken = set()
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                taken.add(tuple(r[field] for field in fields))
    return taken


def grouped(items, key, rng):
    """`items` grouped by `key`, each group shuffled, and the groups' keys in a random order."""
    groups = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    for group in groups.values():
        rng.shuffle(group)
    order = sorted(groups)
    rng.shuffle(order)
    return order, groups
