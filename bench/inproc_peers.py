"""In-process query latency of the peers, the counterpart of inproc.c.

usage: python3 inproc_peers.py xapian|fts5|fts5-bare DB ROUNDS FILE

FILE holds "k<TAB>ID<TAB>QUERY" lines in the peer's own syntax. Every
query runs ROUNDS times round-robin after one untimed warm-up round, in
this one process, reading the top 10 hits as a printer would:
  xapian  Enquire.get_mset(0, 10) and each hit's document data (omindex
          stores url, a 512-byte sample, type, size there)
  fts5    one sqlite3 connection (Python's sqlite3 module):
          SELECT path, snippet(...) ... ORDER BY rank LIMIT 10, fetchall()
  fts5-bare  the same without the snippet: paths only (the issue's
          "without snippets" figure; no text, so not a peer in ratios)
Output is inproc.c's: ID n p50_us p99_us min_us max_us hits, then ALL.
The Python loop adds about a microsecond per query.
"""
import math
import sys
import time

# quest's stop list (xapian-core 1.4 examples/quest.cc), so that the
# loop parses queries as quest does.
QUEST_STOPWORDS = (
    "a about an and are as at be by en for from how i in is it of on or "
    "that the this to was what when where which who why will with").split()

FTS5_SQL = ("SELECT path, snippet(docs, 1, '', '', '...', 16) FROM docs "
            "WHERE docs MATCH ? ORDER BY rank LIMIT 10")
FTS5_BARE_SQL = ("SELECT path FROM docs WHERE docs MATCH ? ORDER BY rank "
                 "LIMIT 10")


def xapian_runner(path):
    import xapian
    db = xapian.Database(path)
    qp = xapian.QueryParser()
    qp.set_database(db)
    qp.set_stemmer(xapian.Stem("english"))
    qp.set_stemming_strategy(xapian.QueryParser.STEM_SOME)
    stopper = xapian.SimpleStopper()
    for w in QUEST_STOPWORDS:
        stopper.add(w)
    qp.set_stopper(stopper)
    flags = xapian.QueryParser.FLAG_DEFAULT | xapian.QueryParser.FLAG_WILDCARD
    enquire = xapian.Enquire(db)

    def run(text):
        enquire.set_query(qp.parse_query(text, flags))
        n = 0
        for m in enquire.get_mset(0, 10):
            m.document.get_data()
            n += 1
        return n
    return run


def fts5_runner(path, sql=FTS5_SQL):
    import sqlite3
    con = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    # FTS5 indexes files that are not valid UTF-8 too; read their text
    # as the sqlite3 CLI does instead of failing on it.
    con.text_factory = lambda b: b.decode("utf-8", "replace")

    def run(text):
        return len(con.execute(sql, (text,)).fetchall())
    return run


def fts5_bare_runner(path):
    return fts5_runner(path, FTS5_BARE_SQL)


def percentile(v, p):
    rank = max(1, math.ceil(p / 100.0 * len(v)))
    return v[min(rank, len(v)) - 1]


def report(qid, v, hits):
    v = sorted(v)
    print("%s\t%d\t%.2f\t%.2f\t%.2f\t%.2f\t%d" % (
        qid, len(v), percentile(v, 50), percentile(v, 99), v[0], v[-1],
        hits))


def main():
    engine, db, rounds, qfile = sys.argv[1:5]
    rounds = int(rounds)
    queries = []
    with open(qfile, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line and not line.startswith("#"):
                kind, qid, text = line.split("\t")[:3]
                if kind == "k":
                    queries.append((qid, text))
    run = {"xapian": xapian_runner, "fts5": fts5_runner,
           "fts5-bare": fts5_bare_runner}[engine](db)
    times = {qid: [] for qid, _ in queries}
    hits = {}
    clock = time.perf_counter
    for r in range(-1, rounds):
        for qid, text in queries:
            t0 = clock()
            hits[qid] = run(text)
            t1 = clock()
            if r >= 0:
                times[qid].append((t1 - t0) * 1e6)
    everything = []
    for qid, _ in queries:
        report(qid, times[qid], hits[qid])
        everything += times[qid]
    report("ALL", everything, sum(hits.values()))


if __name__ == "__main__":
    main()
