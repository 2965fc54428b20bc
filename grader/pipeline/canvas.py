"""The grades as a CSV that Canvas's gradebook imports.

Canvas's format: a header ``Student, ID, SIS User ID, SIS Login ID, Section`` and one
column per assignment (a name Canvas does not know becomes a new assignment); a second
row ``Points Possible`` with each assignment's maximum; then one row per student.
Canvas matches a row to a student by its ID (Canvas's own number, which nbgrader does
not know, so it is left empty), SIS User ID or SIS Login ID; the nbgrader student id goes
in both SIS columns, so use the registrar's or the login ids as nbgrader ids (the roster).
An empty score is one the autograde report does not trust: Canvas leaves it ungraded.
"""
import csv

HEADER = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]


def _number(value):
    """'20.0' -> '20', '' stays ''."""
    return "" if value in ("", None) else f"{float(value):g}"


def _name(rec):
    """'Last, First' as Canvas shows students, else the student id."""
    first, last = (rec.get("first_name") or "").strip(), (rec.get("last_name") or "").strip()
    return f"{last}, {first}" if last and first else (last or first or rec["student_id"])


def table(records):
    """The CSV's rows (header, points possible, one per student) from export.records()."""
    ids = sorted({r["assignment"] for r in records})
    points = {r["assignment"]: r["max_score"] for r in records}
    students = {}
    for rec in records:
        student = students.setdefault(rec["student_id"], {"name": rec["student_id"]})
        if rec.get("first_name") or rec.get("last_name"):
            student["name"] = _name(rec)
        student[rec["assignment"]] = _number(rec.get("score"))
    rows = [HEADER + ids, ["Points Possible", "", "", "", ""] + [_number(points[a]) for a in ids]]
    for sid in sorted(students):
        s = students[sid]
        rows.append([s["name"], "", sid, sid, ""] + [s.get(a, "") for a in ids])
    return rows


def write(records, path):
    """Write the Canvas import CSV; -> its path."""
    with open(path, "w", newline="") as fh:
        csv.writer(fh).writerows(table(records))
    return path
