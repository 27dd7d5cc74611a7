#!/usr/bin/env python3
"""Measures the size of archive/ after 100 monthly releases, and what publishing them costs a build.

A generated hub (ORGS organisations x VERSIONS versions, ../shared/bench/gen_corpus.py) grows
month by month: release m holds every version in effect by its month. After each month,
`policyhub release` freezes it. Then it reports: the size of archive/, the sites' total size,
what a content-addressed store (each distinct file once, gzip-compressed alone) would take
instead, and the time of `build` (which publishes all releases) and `verify`.

Usage: scripts/measure-releases.py [--orgs 20] [--versions 16] [--months 100] [--bin target/release/policyhub]
"""
import argparse
import datetime
import gzip
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time

here = os.path.dirname(os.path.abspath(__file__))
ap = argparse.ArgumentParser()
ap.add_argument("--orgs", type=int, default=20)
ap.add_argument("--versions", type=int, default=16)
ap.add_argument("--months", type=int, default=100)
ap.add_argument("--bin", default=os.path.join(here, "..", "target", "release", "policyhub"))
ap.add_argument("--gen", default=os.path.join(here, "..", "..", "shared", "bench", "gen_corpus.py"))
a = ap.parse_args()

work = tempfile.mkdtemp(prefix="measure-releases.")
full, hub = os.path.join(work, "full"), os.path.join(work, "hub")
subprocess.run([sys.executable, a.gen, "--orgs", str(a.orgs), "--versions", str(a.versions), "--out", full,
                "--format", "policyhub"], check=True, stdout=subprocess.DEVNULL)
os.makedirs(hub)
shutil.copy(os.path.join(full, "site.toml"), hub)


def month(m):
    y, mo = divmod(2014 * 12 + 2 + m, 12)  # month 0 is March 2014
    return datetime.date(y, mo + 1, 1)


def grow(cutoff):
    """Copies into the hub every version file dated on or before cutoff."""
    added = 0
    for org in sorted(os.listdir(os.path.join(full, "content"))):
        src = os.path.join(full, "content", org, "privacy-policy")
        for name in sorted(os.listdir(src)):
            if not name.endswith(".md") or datetime.date.fromisoformat(name[:10]) > cutoff:
                continue
            dst = os.path.join(hub, "content", org, "privacy-policy", name)
            if not os.path.exists(dst):
                os.makedirs(os.path.dirname(dst), exist_ok=True)
                shutil.copy(os.path.join(full, "content", org, "org.toml"), os.path.join(hub, "content", org))
                shutil.copy(os.path.join(src, "policy.toml"), os.path.dirname(dst))
                shutil.copy(os.path.join(src, name), dst)
                added += 1
    return added


release_times = []
for m in range(a.months):
    cutoff = month(m)
    grow(cutoff)
    if not os.path.isdir(os.path.join(hub, "content")):
        continue
    epoch = int(datetime.datetime(cutoff.year, cutoff.month, cutoff.day, tzinfo=datetime.timezone.utc).timestamp())
    started = time.time()
    subprocess.run([a.bin, "release", "m%03d" % m, "--root", hub, "-q"], check=True,
                   env=dict(os.environ, SOURCE_DATE_EPOCH=str(epoch)))
    release_times.append(time.time() - started)

archive = os.path.join(hub, "archive")
archive_bytes = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(archive) for f in fs)
tarballs = sorted(os.path.join(archive, n, n + ".tar.gz") for n in os.listdir(archive) if n.startswith("m"))
site_bytes, distinct, files = 0, {}, 0
for t in tarballs:
    with tarfile.open(t) as tar:
        for member in tar.getmembers():
            data = tar.extractfile(member).read()
            site_bytes += len(data)
            files += 1
            distinct.setdefault(hashlib.sha256(data).digest(), data)
cas_bytes = sum(len(gzip.compress(d, 9)) for d in distinct.values())

timed = {}
public = os.path.join(work, "public")
for label, cmd in (("first build", ["build", "-q", "--timings", "--output", public]), ("verify", ["verify", "-q"]),
                   ("next build", ["build", "-q", "--timings", "--output", public])):
    started = time.time()
    out = subprocess.run([a.bin] + cmd + ["--root", hub], check=True, capture_output=True, text=True).stdout
    timed[label] = (time.time() - started, out.strip())
public_bytes = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(public) for f in fs)

mib = lambda b: "%.1f MiB" % (b / 1048576)
print("hub: %d orgs x %d versions grown over %d monthly releases (%d versions at the end)"
      % (a.orgs, a.versions, len(tarballs), sum(1 for _ in os.popen("find %s/content -name '*.md'" % hub))))
print("sites released: %d files, %s uncompressed" % (files, mib(site_bytes)))
print("archive/ (tar.gz per release): %s, %.0f KiB per release on average" % (mib(archive_bytes), archive_bytes / 1024 / len(tarballs)))
print("a content-addressed store instead (distinct files gzipped once): %s (%d distinct of %d files)"
      % (mib(cas_bytes), len(distinct), files))
print("release: %.2f s on average, %.2f s the last" % (sum(release_times) / len(release_times), release_times[-1]))
print("public/ with %d releases published: %s" % (len(tarballs), mib(public_bytes)))
for label, (seconds, out) in timed.items():
    print("%s: %.1f s  %s" % (label, seconds, out))
shutil.rmtree(work)
