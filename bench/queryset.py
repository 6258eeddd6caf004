"""bench/queryset.py: reads bench/queries.txt (its header says the format),
for measure.py and pairs.py."""
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def load_queries():
    """The rows of queries.txt as dicts: id, group, label, and each
    tool's query (brief, fts5, quest, rg; None where the file says "-",
    except brief, which every row has)."""
    rows = []
    with open(os.path.join(HERE, "queries.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            qid, group, label, brief, fts5, quest, rg = line.split("\t")
            none = lambda s: None if s == "-" else s
            rows.append({"id": qid, "group": group, "label": label,
                         "brief": brief, "fts5": none(fts5),
                         "quest": none(quest), "rg": none(rg)})
    return rows
