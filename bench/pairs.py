#!/usr/bin/env python3
"""bench/pairs.py: a quick A/B of whole-process keyword queries against quest.

`make bench` takes some 23 minutes; a change meant to move one of the
"brief <= 0.5x quest" pairs needs an answer in two or three.  This times
one or more brief-search binaries and quest on the keyword rows of
bench/queries.txt you name, in rounds (a new order each round, as
measure.py does), and prints each binary's median and its ratio to
quest's median of the same run.

usage: bench/pairs.py [-r ROUNDS] [-q k03,k05] BRIEF_IX XAPIAN_IX BIN...

BRIEF_IX is an index made by brief-index, XAPIAN_IX one made by omindex
from the same files (measure.py shows how:
`omindex -p --db XAPIAN_IX -Mtxt:text/plain --url / DIR`).  BIN is a
brief-search binary; give two (say, a copy of the old one and bin/) to
compare them side by side.  A pair's ratio moved by up to 0.08 from one
run of 30-40 rounds to the next (quest's median as much as brief's;
bench/PROFILE.md), so compare binaries within one run, and trust only
a difference well beyond that.
"""
import argparse
import random
import statistics
import subprocess
import sys
import time

from queryset import load_queries


def keyword_rows(wanted):
    return [(q["id"], q["brief"], q["quest"]) for q in load_queries()
            if q["group"] == "keyword" and q["quest"] and
            (not wanted or q["id"] in wanted)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-r", "--rounds", type=int, default=40)
    ap.add_argument("-q", "--queries", default="",
                    help="comma-separated ids (default: every keyword row)")
    ap.add_argument("brief_ix")
    ap.add_argument("xapian_ix")
    ap.add_argument("bins", nargs="+")
    a = ap.parse_args()
    rows = keyword_rows(set(filter(None, a.queries.split(","))))
    if not rows:
        sys.exit("pairs.py: no keyword row of queries.txt matches")
    cmds = []
    for qid, brief, quest in rows:
        for b in a.bins:
            cmds.append(((qid, b), [b, "-d", a.brief_ix, brief]))
        cmds.append(((qid, "quest"), ["quest", "-d", a.xapian_ix, "-f",
                                      "default,wildcard", quest]))
    times = {key: [] for key, _ in cmds}
    for _, argv in cmds:        # warm up, and fail early on a bad command
        rc = subprocess.run(argv, stdout=subprocess.DEVNULL).returncode
        if rc not in (0, 1):
            sys.exit("pairs.py: %s exited %d" % (" ".join(argv), rc))
    order = random.Random(len(cmds) * 1000 + a.rounds)
    for _ in range(a.rounds):
        order.shuffle(cmds)
        for key, argv in cmds:
            t = time.perf_counter()
            subprocess.run(argv, stdout=subprocess.DEVNULL)
            times[key].append((time.perf_counter() - t) * 1000)
    med = {key: statistics.median(v) for key, v in times.items()}
    print("id\tquest ms\t" + "\t".join("%s ms\t÷ quest" % b
                                       for b in a.bins))
    for qid, _, _ in rows:
        q = med[(qid, "quest")]
        print("%s\t%.2f\t" % (qid, q) + "\t".join(
            "%.2f\t%.3f" % (med[(qid, b)], med[(qid, b)] / q)
            for b in a.bins))


if __name__ == "__main__":
    main()
