"""Export: nbgrader's CSV, plus what the gradebook cannot say.

The gradebook gives a notebook whose kernel died 0 points, like a real zero.
This export leaves such a score empty and adds ``status`` and ``problems``
columns from the autograde report, so nobody uploads a crash as a grade.
``--format canvas`` writes the same scores as a Canvas gradebook import (canvas.py).
"""
import csv

from nbgrader.plugins import CsvExportPlugin

from . import autograde as ag
from . import canvas, nbg

FORMATS = ("nbgrader", "canvas")


def records(course):
    """One dict per (student, assignment): nbgrader's CSV columns, status and problems."""
    nbgrader_csv = course.work_dir / ".nbgrader-grades.csv"
    with nbg.gradebook(course) as gb:
        CsvExportPlugin(to=str(nbgrader_csv)).export(gb)
    rows = ag.load(course)
    with open(nbgrader_csv, newline="") as fh:
        found = list(csv.DictReader(fh))
    nbgrader_csv.unlink()
    seen = set()
    for rec in found:
        key = (rec["student_id"], rec["assignment"])
        seen.add(key)
        row = rows.get(key)
        rec["status"] = row.status if row else ("not submitted" if not rec["timestamp"] else "")
        rec["problems"] = "; ".join(row.problems) if row else ""
        if row and row.score is None:
            rec["score"] = rec["raw_score"] = ""
    for (student, assignment), row in sorted(rows.items()):
        if (student, assignment) not in seen:  # e.g. an unreadable notebook: never in nbgrader
            found.append({"assignment": assignment, "student_id": student,
                          "score": "" if row.score is None else row.score,
                          "max_score": row.max_score, "status": row.status,
                          "problems": "; ".join(row.problems)})
    return found


def export(course, path=None, log=print, fmt="nbgrader"):
    """Write the grades CSV in this format; -> its path."""
    if fmt not in FORMATS:
        raise ValueError(f"export: unknown format {fmt!r}: expected one of {', '.join(FORMATS)}")
    path = path or course.work_dir / ("grades.csv" if fmt == "nbgrader" else f"grades-{fmt}.csv")
    found = records(course)
    if fmt == "canvas":
        canvas.write(found, path)
    else:
        fields = list(found[0].keys()) if found else ["assignment", "student_id", "score"]
        fields += [f for f in ("status", "problems") if f not in fields]
        with open(path, "w", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=fields, restval="")
            writer.writeheader()
            writer.writerows(found)
    log(f"grades: {path}")
    return path
