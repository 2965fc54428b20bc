"""How much a student reads: Markdown words on the main path and in collapsed <details>.

    python course/reading.py      # a table, one row per source notebook
"""
import re
import sys
from pathlib import Path

import nbformat

DETAILS = re.compile(r"<details\b.*?</details>", re.S | re.I)
TAG = re.compile(r"<[^>]+>")
MINUTES = re.compile(r"(\d+)\s*(?:–|-|to)\s*(\d+)\s*min|(?:about|~)\s*(\d+)\s*min", re.I)


def words(nb):
    """-> (main-path words, words inside <details>) of a notebook's Markdown cells."""
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    folded = DETAILS.findall(text)
    main = DETAILS.sub(" ", text)
    return len(TAG.sub(" ", main).split()), sum(len(TAG.sub(" ", d).split()) for d in folded)


def minutes(nb):
    """-> (low, high) minutes the header cell announces, or None."""
    m = MINUTES.search(nb.cells[0].source)
    if not m:
        return None
    low, high, about = m.groups()
    return (int(low), int(high)) if low else (int(about), int(about))


def main(root=Path(__file__).parent / "source"):
    print(f"{'notebook':32} {'main':>6} {'details':>8} {'minutes':>8}")
    for path in sorted(root.glob("*/*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        m, d = words(nb)
        t = minutes(nb)
        print(f"{path.stem:32} {m:6d} {d:8d} {'-'.join(map(str, t)) if t else '?':>8}")


if __name__ == "__main__":
    sys.exit(main())
