"""Submissions as students make them: the release, with answer cells filled in.

``solved(course, id)`` is the release notebook whose answer cells hold the source's
solution code (what a student who got everything right would submit);
``with_cells`` replaces the code of chosen answer cells (a bug, or another correct
way); ``submit`` writes a notebook where nbgrader expects submissions.
"""
import datetime
import re
from pathlib import Path

import nbformat

from . import assignments
from .cells import SOLUTION, grade_id, is_solution


def strip_markers(source):
    """The solution code as a student would write it: without nbgrader's markers."""
    return "\n".join(l for l in source.splitlines() if l.strip() not in SOLUTION)


def released(course, assignment_id):
    """The student release notebook (after ``release``)."""
    a = assignments.get(assignment_id)
    return nbformat.read(course.path("release", ".", assignment_id) / a.notebook, as_version=4)


def solved(course, assignment_id):
    """The release notebook with every answer cell filled from the source solutions."""
    a = assignments.get(assignment_id)
    source = nbformat.read(course.source_dir / assignment_id / a.notebook, as_version=4)
    answers = {grade_id(c): strip_markers(c.source) for c in source.cells if is_solution(c)}
    nb = released(course, assignment_id)
    for cell in nb.cells:
        if is_solution(cell):
            cell.source = answers[grade_id(cell)]
    return nb


def _key(cell):
    """A cell's grade_id, or "def name" for an unmarked cell defining name()."""
    if grade_id(cell):
        return grade_id(cell)
    found = re.search(r"^def (\w+)\(", cell.source, re.M) if cell.cell_type == "code" else None
    return f"def {found.group(1)}" if found else None


def with_cells(nb, replacements):
    """A copy of nb with new code in chosen cells: {grade_id or "def name": code or fn}.

    "def name" picks the unmarked (editable, ungraded) cell that defines name().
    A callable receives the cell's current code and returns the new code.
    """
    nb = nbformat.from_dict(nb)
    missing = set(replacements) - {_key(c) for c in nb.cells}
    if missing:
        raise KeyError(f"no cells {sorted(missing)}")
    for cell in nb.cells:
        new = replacements.get(_key(cell))
        if new is not None:
            cell.source = new(cell.source) if callable(new) else new
    return nb


def submit(course, student, assignment_id, nb, name=None, when=None):
    """Write nb as <work>/submitted/<student>/<id>/<name> with a timestamp; -> its path."""
    folder = course.path("submitted", student, assignment_id)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (name or assignments.get(assignment_id).notebook)
    if isinstance(nb, (str, bytes)):
        Path(path).write_text(nb if isinstance(nb, str) else nb.decode())
    else:
        nbformat.write(nb, path)
    when = when or datetime.datetime.now(datetime.timezone.utc)
    (folder / "timestamp.txt").write_text(when.strftime("%Y-%m-%d %H:%M:%S.%f UTC"))
    return path
