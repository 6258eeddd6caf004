#!/usr/bin/env python3
"""What a trigram index by zone would leave a regex to scan.

usage: bench/zones.py [-z BYTES]... [--postings] INDEX DIR PATTERN

brief's trigram index lists documents: every document whose trigrams
satisfy a pattern's trigram query is scanned whole. This evaluates the
same query (as `brief-search --explain -e PATTERN` prints it) over the
files under DIR, case-folded as the index folds them: first a document
at a time, then over zones of BYTES bytes of each document (each zone
with the next one's first two bytes, so that no trigram is cut). It
prints how many documents and bytes each way would scan. The
per-document count should agree with brief's "kept N of M documents".
Files that are not UTF-8 are left out, as the indexer leaves them out.

With --postings it also counts, over every file, the (trigram,
document) pairs the index holds now against the (trigram, zone) pairs a
zone index would hold: what the lever costs in size (a minute or two
over large/). A `"ab"*` term of the query is taken as "ab" anywhere.
It changes nothing: it measures the lever (bench/PROFILE.md,
twenty-third session).
"""
import argparse
import os
import re
import subprocess
import sys


def bad_query(why):
    sys.exit("zones.py: --explain's trigram query: " + why)


def parse(text):
    """The --explain trigram query as nested ('and'|'or', kids) tuples
    and bytes leaves."""
    toks = re.findall(r'\(|\)|AND|OR|"(?:[^"\\]|\\.)*"', text)
    pos = 0

    def atom():
        nonlocal pos
        t = toks[pos]
        pos += 1
        if t == '(':
            node = expr()
            if pos == len(toks) or toks[pos] != ')':
                bad_query('unbalanced parenthesis')
            pos += 1
            return node
        body = t[1:-1]
        return re.sub(rb'\\(x[0-9a-fA-F]{2}|.)',
                      lambda m: bytes([int(m.group(1)[1:], 16)])
                      if m.group(1)[:1] == b'x' else m.group(1),
                      body.encode('latin-1'))

    def expr():
        nonlocal pos
        kids = [atom()]
        op = None
        while pos < len(toks) and toks[pos] in ('AND', 'OR'):
            if op not in (None, toks[pos]):
                bad_query('AND and OR mixed without parentheses')
            op = toks[pos]
            pos += 1
            kids.append(atom())
        return kids[0] if op is None else (op.lower(), kids)

    node = expr()
    if pos != len(toks):
        bad_query('more after its end')
    return node


def holds(node, text):
    if isinstance(node, bytes):
        return node in text
    op, kids = node
    return (all if op == 'and' else any)(holds(k, text) for k in kids)


def zones_of(b, z):
    """b's zones of z bytes, each with the next one's first two bytes."""
    return (b[s:s + z + 2] for s in range(0, len(b), z))


def trigrams(b):
    return len({b[i:i + 3] for i in range(len(b) - 2)})


def count_postings(b, sizes, pairs):
    pairs[0] += trigrams(b)
    for z in sizes:
        pairs[z] += sum(trigrams(piece) for piece in zones_of(b, z))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument('-z', type=int, action='append', dest='zones',
                    help='zone size in bytes (repeatable; default 4096 '
                         'and 16384)')
    ap.add_argument('--postings', action='store_true',
                    help='count trigram postings by document and by zone')
    ap.add_argument('index')
    ap.add_argument('dir')
    ap.add_argument('pattern')
    a = ap.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    search = os.path.join(here, '..', 'bin', 'brief-search')
    out = subprocess.run([search, '-d', a.index, '--explain', '-n', '1',
                          '-e', a.pattern], capture_output=True)
    lines = [l for l in out.stdout.decode('latin-1').splitlines()
             if l.startswith('trigrams: ')]
    if not lines:
        sys.exit('zones.py: no trigram query in --explain\'s output')
    text = lines[0][len('trigrams: '):]
    if text.strip() in ('ALL', ''):
        sys.exit('zones.py: the pattern needs every document scanned')
    q = parse(text)
    sizes = a.zones or [4096, 16384]
    docs = nbytes = 0
    zones = {z: [0, 0, 0] for z in sizes}     # zones, passing, bytes
    pairs = {0: 0, **{z: 0 for z in sizes}}   # 0: by document
    for dp, _, names in os.walk(a.dir):
        for name in names:
            with open(os.path.join(dp, name), 'rb') as f:
                b = f.read()
            try:
                # The index's trigrams are of case-folded text.
                b = b.decode('utf-8').casefold().encode('utf-8')
            except UnicodeDecodeError:
                continue
            if a.postings:
                count_postings(b, sizes, pairs)
            if not holds(q, b):
                continue
            docs += 1
            nbytes += len(b)
            for z, acc in zones.items():
                for piece in zones_of(b, z):
                    acc[0] += 1
                    if holds(q, piece):
                        acc[1] += 1
                        acc[2] += len(piece)
    print('by document: %d documents, %d bytes' % (docs, nbytes))
    for z, (n, passing, zb) in sorted(zones.items()):
        print('by %d-byte zone: %d of their %d zones, %d bytes (%.0f %%)' %
              (z, passing, n, zb, 100.0 * zb / nbytes if nbytes else 0))
    if a.postings:
        print('trigram postings: %d by document' % pairs[0] +
              ''.join(', %d by %d-byte zone (%.2fx)' %
                      (pairs[z], z, pairs[z] / pairs[0] if pairs[0] else 0)
                      for z in sizes))


if __name__ == '__main__':
    main()
