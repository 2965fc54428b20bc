"""The class list, imported with nbgrader's own ``nbgrader db student import``.

A roster is a CSV with nbgrader's student columns: ``id`` (required: the student's
nbgrader id, i.e. the JupyterHub user name and the folder under submitted/), and
optionally ``first_name``, ``last_name``, ``email`` and ``lms_user_id``. Importing
creates or updates those students in the gradebook, so exports show their names and
list who did not submit.
"""
import csv

from nbgrader.apps.dbapp import DbStudentImportApp
from nbgrader.coursedir import CourseDirectory

from . import nbg

COLUMNS = ("id", "first_name", "last_name", "email")
# the demo's students, by the first letter of their id
EXAMPLE_NAMES = {"a": ("Ada", "Adams"), "b": ("Ben", "Brown"), "c": ("Cleo", "Clark"),
                 "d": ("Dev", "Diaz"), "e": ("Emil", "Evans"), "f": ("Fay", "Fischer"),
                 "g": ("Gus", "Garcia"), "h": ("Hana", "Hall")}


def write(path, students):
    """Write a roster CSV from [(id, first_name, last_name, email)]; -> its path."""
    with open(path, "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        writer.writerows(students)
    return path


def example(student_ids):
    """Made-up names and e-mail addresses for the demo's students."""
    return [(sid, *EXAMPLE_NAMES.get(sid[0], (sid, "Example")), f"{sid}@example.edu")
            for sid in sorted(set(student_ids))]


def import_roster(course, path):
    """Import a roster into the course's gradebook with nbgrader's DbStudentImportApp."""
    try:
        with open(path, newline="") as fh:
            header = [h.strip() for h in next(csv.reader(fh), [])]
    except OSError as exc:
        raise nbg.PipelineError(f"roster {path}: cannot read it ({exc.strerror})") from None
    if "id" not in header:
        raise nbg.PipelineError(f"roster {path}: no 'id' column: expected the columns "
                                f"{', '.join(COLUMNS)} (id required), got {header or 'nothing'}")
    with nbg.gradebook(course):  # created if new, with nbgrader's tools on PATH
        pass
    config = course.nbgrader_config()
    app = DbStudentImportApp(config=config, log_level="WARN")
    app.coursedir = CourseDirectory(config=config)
    app.extra_args = [str(path)]
    try:
        app.start()
    except SystemExit:
        raise nbg.PipelineError(f"roster {path}: nbgrader db student import failed") from None
