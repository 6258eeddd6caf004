"""Run the measures of issue 4 and write them to a JSON file.

Called by bench/run, which installs the peers, builds brief and
bench/inproc.c, and sets the environment below. This file only measures;
report.py turns its JSON into bench/RESULTS.md and the plots.

Environment (all set by bench/run):
  BENCH_WORK       scratch directory (indexes, copies); must exist
  BENCH_OUT        the JSON file to write
  BENCH_INPROC     the compiled bench/inproc.c
  BENCH_BIN        where brief-index and brief-search are (default bin/)
  BENCH_QUICK      1: corpus/ and sotu/ only, 3 runs a figure, no scaling
  BENCH_RUNS       build runs per corpus (default 5; 3 in quick mode)
  BENCH_QUERY_RUNS runs per query figure: whole-process keyword, regex
                   and figure look-ups (default 11; 3 in quick mode)
  BENCH_LARGE_RUNS build runs on large/ and the scaled copies (default 3)
  BENCH_CORPORA    names to measure (default "corpus sotu kjv large")
  BENCH_LARGE_DIR  where large/ is, when not in ../shared/corpora
  BENCH_SCALES     scaling factors beyond 1x (default "2 4 8")
  BENCH_XAPIAN_SCALE_RUNS  omindex runs per scaled copy (default 1; 0: none)
  BENCH_N_INPROC   in-process queries per engine (default 1000)
"""
import json
import math
import os
import platform
import random
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import time

from queryset import load_queries

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
BIN = os.environ.get("BENCH_BIN") or os.path.join(REPO, "bin")
PY = sys.executable
ENV = os.environ

QUICK = ENV.get("BENCH_QUICK", "") not in ("", "0")
RUNS = int(ENV.get("BENCH_RUNS") or (3 if QUICK else 5))
# A query takes milliseconds, so it gets more runs than a build: with 5,
# the median of a whole-process pair near 0.5x moved by 0.1 from one
# bench run to the next (bench/PROFILE.md).
QUERY_RUNS = int(ENV.get("BENCH_QUERY_RUNS") or (3 if QUICK else 11))
LARGE_RUNS = int(ENV.get("BENCH_LARGE_RUNS") or 3)
N_INPROC = int(ENV.get("BENCH_N_INPROC") or 1000)
WORK = ENV["BENCH_WORK"]
OUT = ENV["BENCH_OUT"]
INPROC = ENV["BENCH_INPROC"]
CORPORA_DIR = os.path.normpath(os.path.join(REPO, "..", "shared", "corpora"))
DEFAULT_CORPORA = "corpus sotu" if QUICK else "corpus sotu kjv large"
CORPORA = (ENV.get("BENCH_CORPORA") or DEFAULT_CORPORA).split()
SCALES = [] if QUICK else [int(s) for s in
                           (ENV.get("BENCH_SCALES", "2 4 8")).split()]
XAPIAN_SCALE_RUNS = int(ENV.get("BENCH_XAPIAN_SCALE_RUNS") or 1)

T_START = time.time()


def log(msg):
    sys.stderr.write("[%6.0fs] %s\n" % (time.time() - T_START, msg))
    sys.stderr.flush()


def corpus_path(name):
    if name == "corpus":
        return os.path.join(REPO, "corpus")
    if name == "large" and ENV.get("BENCH_LARGE_DIR"):
        return ENV["BENCH_LARGE_DIR"]
    return os.path.join(CORPORA_DIR, name)


def text_size(root):
    """Files and bytes of the regular files under root."""
    files = size = 0
    for d, _, names in os.walk(root):
        for n in names:
            p = os.path.join(d, n)
            if os.path.isfile(p) and not os.path.islink(p):
                files += 1
                size += os.path.getsize(p)
    return files, size


def warm(root):
    """Read every file once so that builds and scans start warm."""
    for d, _, names in os.walk(root):
        for n in names:
            with open(os.path.join(d, n), "rb") as f:
                while f.read(1 << 20):
                    pass


def du_b(path):
    out = subprocess.run(["du", "-sb", path], capture_output=True,
                         text=True, check=True).stdout
    return int(out.split()[0])


def summary(values):
    """Median, min, max and the runs of a list of numbers."""
    return {"median": statistics.median(values), "min": min(values),
            "max": max(values), "runs": values}


def run_timed(argv, rss=False, capture=False):
    """Run argv once; returns (seconds, peak RSS KiB or None, rc, stdout
    line count or None, first stderr line)."""
    rss_file = os.path.join(WORK, "rss.txt")
    if rss:
        argv = ["/usr/bin/time", "-f", "%M", "-o", rss_file] + argv
    t0 = time.perf_counter()
    p = subprocess.run(argv, stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE if capture
                       else subprocess.DEVNULL,
                       stderr=subprocess.PIPE)
    secs = time.perf_counter() - t0
    kib = None
    if rss:
        with open(rss_file) as f:
            lines = [ln for ln in f.read().split("\n") if ln.strip()]
            kib = int(lines[-1])
    lines = p.stdout.count(b"\n") if capture else None
    global LAST_STDERR
    LAST_STDERR = p.stderr.decode("utf-8", "replace")
    err = LAST_STDERR.strip().split("\n")
    return secs, kib, p.returncode, lines, err[-1] if err else ""


LAST_STDERR = ""


# ------------------------------------------------------------------
# Queries
# ------------------------------------------------------------------

def fts5_sql_query(match, snippet=True):
    return ("SELECT path%s FROM docs WHERE docs MATCH '%s' ORDER BY rank "
            "LIMIT 10" % (", snippet(docs, 1, '', '', '...', 16)"
                          if snippet else "", match.replace("'", "''")))


def keyword_cmds(q, ix, root):
    """The whole-process command of each engine for a keyword row."""
    cmds = {"brief": [os.path.join(BIN, "brief-search"), "-d", ix["brief"],
                      q["brief"]]}
    if q["fts5"]:
        cmds["sqlite3"] = ["sqlite3", "-readonly", ix["fts5"],
                           fts5_sql_query(q["fts5"])]
        cmds["sqlite3-bare"] = ["sqlite3", "-readonly", ix["fts5"],
                                fts5_sql_query(q["fts5"], snippet=False)]
    if q["quest"]:
        cmds["quest"] = ["quest", "-d", ix["xapian"], "-f",
                         "default,wildcard", q["quest"]]
    if q["rg"]:
        cmds["rg"] = rg_cmd(q["rg"], root)
    return cmds


def rg_cmd(pattern, root):
    return ["rg", "-n", "--column", "--no-heading", "--color", "never",
            "-e", pattern, root]


def time_commands(cmds, runs):
    """Warm up each command once (counting its output lines), then time
    them in rounds, one run of each per round; returns {name: result}.
    Each round runs the commands in a new order (shuffled from a fixed
    seed): in a fixed order each command would always follow the same
    one, and a command that follows rg's scan of the whole corpus starts
    with cold CPU caches (about 0.8 ms more on large/ for brief and quest
    alike)."""
    res = {}
    order = list(cmds)
    shuffle = random.Random(len(order) * 1000 + runs)
    for name, argv in cmds.items():
        _, _, rc, lines, err = run_timed(argv, capture=True)
        res[name] = {"rc": rc, "lines": lines, "times": [],
                     "error": err if rc not in (0, 1) else ""}
    for _ in range(runs):
        shuffle.shuffle(order)
        for name in order:
            secs, _, _, _, _ = run_timed(cmds[name])
            res[name]["times"].append(secs * 1e3)
    for r in res.values():
        r.update(summary(r.pop("times")))
    return res


def inproc(engine, index, queries, syntax):
    """In-process latency; returns {query id or ALL: {...}}."""
    kw = [q for q in queries if q["group"] == "keyword" and q[syntax]]
    rounds = max(1, math.ceil(N_INPROC / max(1, len(kw))))
    qfile = os.path.join(WORK, "inproc-%s.txt" % engine)
    with open(qfile, "w", encoding="utf-8") as f:
        for q in kw:
            f.write("k\t%s\t%s\n" % (q["id"], q[syntax]))
        if engine == "brief":
            for q in queries:
                if q["group"] == "figures":
                    a = figure_args(q["brief"])
                    f.write("f\t%s\t%s\t%s\t%s\n" % (
                        q["id"], a.get("unit", "-"), a.get("min", "-"),
                        a.get("max", "-")))
    if engine == "brief":
        argv = [INPROC, index, str(rounds), qfile]
    else:
        argv = [PY, os.path.join(HERE, "inproc_peers.py"), engine, index,
                str(rounds), qfile]
    p = subprocess.run(argv, capture_output=True, text=True)
    if p.returncode:
        return {"error": (p.stderr.strip().splitlines() or ["exit %d"
                                                          % p.returncode])[-1]}
    res = {}
    for line in p.stdout.splitlines():
        if line.startswith("#"):
            continue
        qid, n, p50, p99, lo, hi, hits = line.split("\t")
        res[qid] = {"n": int(n), "p50": float(p50), "p99": float(p99),
                    "min": float(lo), "max": float(hi), "hits": int(hits)}
    return res


def figure_args(text):
    """'--unit USD --min 1e9 --max 1e12' -> {'unit': 'USD', ...}."""
    words = shlex.split(text)
    return {words[i][2:]: words[i + 1] for i in range(0, len(words) - 1, 2)}


# ------------------------------------------------------------------
# Builds and sizes
# ------------------------------------------------------------------

def build_cmds(root, ix):
    sql = ("CREATE VIRTUAL TABLE docs USING fts5(path UNINDEXED, body, "
           "tokenize='porter unicode61');\n"
           "INSERT INTO docs(path, body) SELECT name, CAST(data AS TEXT) "
           "FROM fsdir('%s') WHERE (mode & 61440) = 32768;\n"
           % root.replace("'", "''"))
    return {
        "brief": [os.path.join(BIN, "brief-index"), "-q", "-d",
                  ix["brief"], root],
        "fts5": ["sqlite3", ix["fts5"], sql],
        "xapian": ["omindex", "-p", "--db", ix["xapian"],
                   "-Mrst:text/plain", "-Mtxt:text/plain", "--url", "/",
                   root],
    }


def remove(path):
    if os.path.isdir(path):
        shutil.rmtree(path)
    elif os.path.exists(path):
        os.remove(path)


def build_all(root, ix, runs_of):
    """Build each engine's index runs_of[engine] times, round-robin;
    returns {engine: {median, min, max, runs, rss: {...}, rc, error}}."""
    cmds = build_cmds(root, ix)
    acc = {e: {"t": [], "rss": [], "rc": 0, "error": ""} for e in cmds}
    for r in range(max(runs_of.values())):
        for e, argv in cmds.items():
            if r >= runs_of.get(e, 0):
                continue
            remove(ix[e])
            secs, kib, rc, _, err = run_timed(argv, rss=True)
            acc[e]["t"].append(secs)
            acc[e]["stderr"] = LAST_STDERR
            acc[e]["rss"].append(kib / 1024.0)
            if rc:
                acc[e]["rc"], acc[e]["error"] = rc, err
            log("  build %-6s run %d: %.2f s, %.0f MiB%s" % (
                e, r + 1, secs, kib / 1024.0, " rc=%d" % rc if rc else ""))
    res = {}
    for e, a in acc.items():
        if not a["t"]:
            continue
        res[e] = summary(a["t"])
        res[e]["rss"] = summary(a["rss"])
        res[e]["rc"], res[e]["error"] = a["rc"], a["error"]
        if e == "brief":
            res[e]["skipped"] = [
                m.group(1) for m in re.finditer(
                    r"^brief-index: (.*): [^:]*skipped$", a["stderr"],
                    re.M)]
        res[e]["size"] = du_b(ix[e]) if os.path.exists(ix[e]) else None
    return res


def mdb_components(ix):
    """Bytes per named LMDB database (mdb_stat -a -e -f), plus free pages
    and what no database counts (DUPSORT sub-databases, the main DB,
    the two meta pages)."""
    out = subprocess.run(["mdb_stat", "-a", "-e", "-f", ix],
                         capture_output=True, text=True, check=True).stdout
    psize = used = free = 0
    pages, entries, cur = {}, {}, None
    for line in out.splitlines():
        s = line.strip()
        key, _, val = s.partition(":")
        if line.startswith("Freelist Status"):
            cur = "(freelist tree)"
        elif line.startswith("Status of "):
            cur = line[len("Status of "):].strip()
        elif key == "Page size":
            psize = int(val)
        elif key == "Number of pages used":
            used = int(val)
        elif key == "Free pages":
            free = int(val)
        elif key in ("Branch pages", "Leaf pages", "Overflow pages") and cur:
            pages[cur] = pages.get(cur, 0) + int(val)
        elif key == "Entries" and cur:
            entries[cur] = int(val)
    named = {k: v for k, v in pages.items()
             if k not in ("Main DB", "(freelist tree)")}
    other = used - sum(named.values()) - free
    comps = {k: {"bytes": v * psize, "entries": entries.get(k, 0)}
             for k, v in sorted(named.items())}
    comps["(free pages)"] = {"bytes": free * psize, "entries": free}
    comps["(other)"] = {"bytes": other * psize, "entries": 0}
    return {"page_size": psize, "pages_used": used, "free_pages": free,
            "data_mdb": used * psize, "components": comps}


def compaction(root, name):
    """Index a copy, update every file three times (an appended line),
    then brief-index --compact: size and free pages before and after."""
    src = os.path.join(WORK, "upd-" + name)
    ix = os.path.join(WORK, "upd-%s.brief" % name)
    remove(src)
    remove(ix)
    shutil.copytree(root, src)
    bi = os.path.join(BIN, "brief-index")
    subprocess.run([bi, "-q", "-d", ix, src], check=True,
                   stderr=subprocess.DEVNULL)
    fresh = du_b(ix)
    for k in range(3):
        for d, _, names in os.walk(src):
            for n in names:
                with open(os.path.join(d, n), "a") as f:
                    f.write("\nbench update %d\n" % k)
        subprocess.run([bi, "-q", "-d", ix, src], check=True,
                       stderr=subprocess.DEVNULL)
    before = du_b(ix)
    free_before = mdb_components(ix)["free_pages"]
    secs, _, rc, _, err = run_timed([bi, "-d", ix, "--compact"])
    after = du_b(ix)
    free_after = mdb_components(ix)["free_pages"] if rc == 0 else None
    remove(src)
    remove(ix)
    return {"fresh": fresh, "before": before, "free_before": free_before,
            "after": after, "free_after": free_after, "seconds": secs,
            "rc": rc, "error": err if rc else ""}


# ------------------------------------------------------------------
# One corpus
# ------------------------------------------------------------------

def measure_corpus(name, root, queries, build_runs, query_runs,
                   xapian_runs=None, extras=True):
    files, size = text_size(root)
    log("%s: %d files, %d bytes (%s)" % (name, files, size, root))
    warm(root)
    ix = {"brief": os.path.join(WORK, name + ".brief"),
          "fts5": os.path.join(WORK, name + ".fts5.db"),
          "xapian": os.path.join(WORK, name + ".xapian")}
    runs_of = {"brief": build_runs, "fts5": build_runs,
               "xapian": build_runs if xapian_runs is None else xapian_runs}
    r = {"name": name, "path": root, "files": files, "bytes": size,
         "build_runs": runs_of, "query_runs": query_runs,
         "loadavg": loadavg()}
    t0 = time.time()
    mark = cpu_mark()
    r["build"] = build_all(root, ix, runs_of)
    r["brief_components"] = mdb_components(ix["brief"])
    have = {e: os.path.exists(ix[e]) and r["build"].get(e, {}).get("rc") == 0
            for e in ix}

    log("%s: keyword queries, whole process" % name)
    r["keyword"] = {}
    for q in queries:
        if q["group"] != "keyword":
            continue
        cmds = keyword_cmds(q, ix, root)
        if not have["fts5"]:
            cmds.pop("sqlite3", None)
            cmds.pop("sqlite3-bare", None)
        if not have["xapian"]:
            cmds.pop("quest", None)
        if not extras:
            cmds.pop("rg", None)
        r["keyword"][q["id"]] = time_commands(cmds, query_runs)

    log("%s: regex, brief-search -e vs rg" % name)
    r["regex"] = {}
    for q in queries:
        if q["group"].startswith("regex"):
            cmds = {"brief": [os.path.join(BIN, "brief-search"), "-d",
                              ix["brief"], "-e", q["brief"]],
                    "rg": rg_cmd(q["rg"], root)}
            r["regex"][q["id"]] = time_commands(cmds, query_runs)
            skipped = r["build"]["brief"].get("skipped")
            if skipped:
                # What rg finds in the files brief-index skipped (not
                # UTF-8): the part of a line-count difference they explain.
                p = subprocess.run(["rg", "-n", "-e", q["rg"]] + skipped,
                                   capture_output=True)
                r["regex"][q["id"]]["rg"]["lines_in_skipped"] = \
                    p.stdout.count(b"\n")

    log("%s: figure look-ups (brief only)" % name)
    r["figures"] = {}
    for q in queries:
        if q["group"] == "figures":
            argv = ([os.path.join(BIN, "brief-search"), "-d", ix["brief"],
                     "--figures"] + shlex.split(q["brief"]))
            r["figures"][q["id"]] = time_commands({"brief": argv},
                                                  query_runs)["brief"]

    log("%s: in-process, %d queries per engine" % (name, N_INPROC))
    r["inproc"] = {"brief": inproc("brief", ix["brief"], queries, "brief")}
    if have["xapian"]:
        r["inproc"]["xapian"] = inproc("xapian", ix["xapian"], queries,
                                       "quest")
    if have["fts5"]:
        r["inproc"]["fts5"] = inproc("fts5", ix["fts5"], queries, "fts5")
        r["inproc"]["fts5-bare"] = inproc("fts5-bare", ix["fts5"], queries,
                                          "fts5")

    if extras and size < 50e6:
        log("%s: update three times, then --compact" % name)
        r["compaction"] = compaction(root, name)
    for p in ix.values():
        remove(p)
    r["seconds"] = time.time() - t0
    r["other_cores"] = other_cores(mark)
    return r


# ------------------------------------------------------------------
# Scaling
# ------------------------------------------------------------------

def scaling(large, queries, one_x):
    """Copies of large/ under new names (c1/ ... cN/) in one folder per
    factor; hard links between the factors' folders share one set of
    real copies."""
    res = {"factors": [], "skipped": []}
    if not SCALES:
        return res
    top = os.path.join(WORK, "scale")
    os.makedirs(top, exist_ok=True)
    # Bytes one more copy and the three indexes of one copy take, with
    # a quarter to spare.
    per_copy = (du_b(large) + sum(v["size"] or 0
                                  for v in one_x["build"].values())) * 1.25
    pool = os.path.join(top, "pool")
    os.makedirs(pool, exist_ok=True)
    for s in SCALES:
        st = shutil.disk_usage(WORK)
        have = len(os.listdir(pool))
        need = per_copy * s - du_b(large) * 1.25 * have
        if st.free < need:
            res["skipped"].append({
                "factor": s, "free": st.free, "need": int(need),
                "why": "df: %.1f GB free on %s, about %.1f GB needed"
                       % (st.free / 1e9, WORK, need / 1e9)})
            log("scaling %dx skipped: not enough disk" % s)
            continue
        for i in range(have + 1, s + 1):
            shutil.copytree(large, os.path.join(pool, "c%d" % i))
        root = os.path.join(top, "x%d" % s)
        remove(root)
        os.makedirs(root)
        for i in range(1, s + 1):
            subprocess.run(["cp", "-al", os.path.join(pool, "c%d" % i),
                            os.path.join(root, "c%d" % i)], check=True)
        r = measure_corpus("large-x%d" % s, root, queries, LARGE_RUNS,
                           QUERY_RUNS, xapian_runs=XAPIAN_SCALE_RUNS,
                           extras=False)
        r["factor"] = s
        res["factors"].append(r)
        remove(root)
    remove(top)
    return res


# ------------------------------------------------------------------
# Machine and versions
# ------------------------------------------------------------------

def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True,
                              text=True, cwd=REPO).stdout.strip()
    except OSError:
        return ""


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def cpu_mark():
    """What other_cores() needs: the machine's busy CPU seconds (all
    processes) and this bench's own with its children's, now."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    hz = os.sysconf("SC_CLK_TCK")
    # user nice system idle iowait irq softirq steal: idle and iowait
    # are not work.
    busy = (sum(v[:8]) - v[3] - v[4]) / hz
    t = os.times()
    own = t.user + t.system + t.children_user + t.children_system
    return {"busy": busy, "own": own, "wall": time.time()}


def other_cores(since):
    """The average number of cores that processes other than the bench
    and its children kept busy since cpu_mark() `since`.  The load
    average cannot tell them apart: the bench's own builds raise it."""
    now = cpu_mark()
    wall = now["wall"] - since["wall"]
    other = (now["busy"] - since["busy"]) - (now["own"] - since["own"])
    return max(other, 0.0) / wall if wall > 0 else 0.0


def machine():
    cpu = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = sh("free -g | awk '/^Mem:/{print $2}'")
    return {
        "uname": " ".join(platform.uname()),
        "cpu": cpu, "cores": os.cpu_count(), "memory_gib": mem,
        "debian": sh("cat /etc/debian_version"),
        "brief_rev": sh("git rev-parse --short HEAD"),
        "brief_describe": sh("git describe --always --dirty"),
        "brief_dirty": sh("git status --porcelain --untracked-files=no "
                          "-- lib include indexer search Makefile"),
        "cc": sh("cc --version | head -1"),
        "sqlite3": sh("sqlite3 --version | cut -d' ' -f1"),
        "fts5_python": sh(PY + " -c 'import sqlite3; "
                          "print(sqlite3.sqlite_version)'"),
        "xapian": sh("quest --version"),
        "omindex": sh("omindex --version"),
        "python3_xapian": sh(PY + " -c 'import xapian; "
                             "print(xapian.version_string())'"),
        "ripgrep": sh("rg --version | head -1"),
        "lmdb": sh("dpkg-query -W -f='${Version}' liblmdb0"),
        "gnuplot": sh("gnuplot --version"),
        "python3": sh(PY + " --version"),
        "loadavg_start": loadavg(),
    }


def main():
    queries = load_queries()
    mark = cpu_mark()
    res = {"quick": QUICK, "runs": RUNS, "query_runs": QUERY_RUNS,
           "large_runs": LARGE_RUNS,
           "n_inproc": N_INPROC, "xapian_scale_runs": XAPIAN_SCALE_RUNS,
           "started": time.strftime(
               "%Y-%m-%d %H:%M:%S %Z"), "machine": machine(),
           "queries": queries, "corpora": [], "notes": []}
    for name in CORPORA:
        root = corpus_path(name)
        if not os.path.isdir(root):
            res["notes"].append("%s: missing (%s), not measured"
                                % (name, root))
            continue
        runs = LARGE_RUNS if name == "large" else RUNS
        res["corpora"].append(measure_corpus(name, root, queries, runs,
                                             QUERY_RUNS))
    one_x = [c for c in res["corpora"] if c["name"] == "large"]
    if SCALES and one_x:
        log("scaling: %s" % " ".join("%dx" % s for s in SCALES))
        res["scaling"] = scaling(corpus_path("large"), queries, one_x[0])
    res["seconds"] = time.time() - T_START
    res["machine"]["loadavg_end"] = loadavg()
    res["machine"]["other_cores"] = other_cores(mark)
    with open(OUT, "w") as f:
        json.dump(res, f, indent=1)
    log("wrote %s" % OUT)


if __name__ == "__main__":
    main()
