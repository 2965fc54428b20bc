"""Export: nbgrader's CSV, plus what the gradebook cannot say.

The gradebook gives a notebook whose kernel died 0 points, like a real zero.
This export leaves such a score empty and adds ``status`` and ``problems``
columns from the autograde report, so nobody uploads a crash as a grade.
"""
import csv

from nbgrader.plugins import CsvExportPlugin

from . import autograde as ag
from . import nbg


def export(course, path=None, log=print):
    """Write the grades CSV; -> its path."""
    path = path or course.work_dir / "grades.csv"
    nbgrader_csv = course.work_dir / ".nbgrader-grades.csv"
    with nbg.gradebook(course) as gb:
        CsvExportPlugin(to=str(nbgrader_csv)).export(gb)
    rows = ag.load(course)
    with open(nbgrader_csv, newline="") as fh:
        records = list(csv.DictReader(fh))
    seen = set()
    for rec in records:
        key = (rec["student_id"], rec["assignment"])
        seen.add(key)
        row = rows.get(key)
        rec["status"] = row.status if row else ("not submitted" if not rec["timestamp"] else "")
        rec["problems"] = "; ".join(row.problems) if row else ""
        if row and row.score is None:
            rec["score"] = rec["raw_score"] = ""
    for (student, assignment), row in sorted(rows.items()):
        if (student, assignment) not in seen:  # e.g. an unreadable notebook: never in nbgrader
            records.append({"assignment": assignment, "student_id": student,
                            "score": "" if row.score is None else row.score,
                            "max_score": row.max_score, "status": row.status,
                            "problems": "; ".join(row.problems)})
    fields = list(records[0].keys()) if records else ["assignment", "student_id", "score"]
    fields += [f for f in ("status", "problems") if f not in fields]
    with open(path, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, restval="")
        writer.writeheader()
        writer.writerows(records)
    nbgrader_csv.unlink()
    log(f"grades: {path}")
    return path
