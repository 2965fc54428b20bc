"""A roster imported the nbgrader way, and the grades as a Canvas gradebook import CSV."""
import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

from grader.pipeline import autograde, nbg, roster
from tests.pipeline.conftest import N1, N3, SMALL_CLASS, copy_course, make_course

pytestmark = [pytest.mark.pipeline, pytest.mark.slow]

STUDENTS = SMALL_CLASS


def cli(*args):
    return subprocess.run([sys.executable, "-m", "grader.pipeline.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def graded(small_class):
    """Two assignments graded for a class whose roster was imported first."""
    course, rows = small_class
    return course, {(r.student, r.assignment): r for r in rows}


def test_the_roster_names_are_in_the_gradebook(graded):
    course, _ = graded
    with nbg.gradebook(course) as gb:
        found = {s.id: (s.id, s.first_name, s.last_name, s.email) for s in gb.students}
    assert found == {s[0]: s for s in STUDENTS}


def test_canvas_csv_has_the_header_points_and_one_row_per_student(graded, tmp_path):
    course, rows = graded
    assert rows[("dan", N1)].status == autograde.FAILED and rows[("dan", N1)].score is None
    out = tmp_path / "canvas.csv"
    result = cli("--work", course.work_dir, "export", "--format", "canvas", "--to", out)
    assert result.returncode == 0, result.stderr[-2000:]
    with open(out, newline="") as fh:
        table = list(csv.reader(fh))
    assert table[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", N1, N3]
    with nbg.gradebook(course) as gb:
        points = [gb.find_assignment(a).max_score for a in (N1, N3)]
        scores = {(s.student.id, a.name): s.score - s.late_submission_penalty
                  for a in gb.assignments for s in a.submissions}
    assert table[1][:5] == ["Points Possible", "", "", "", ""]
    assert [float(x) for x in table[1][5:]] == points and min(points) > 0
    body = {r[2]: r for r in table[2:]}
    assert len(table) == 2 + len(STUDENTS) and sorted(body) == [s[0] for s in STUDENTS]
    for sid, first, last, _ in STUDENTS:
        assert body[sid][:5] == [f"{last}, {first}", "", sid, sid, ""]
    for (sid, a), score in scores.items():
        value = body[sid][5 + [N1, N3].index(a)]
        if sid == "dan":
            assert value == ""                   # the report does not trust this score
        else:
            assert float(value) == score, (sid, a)
    assert float(body["ada"][5]) == points[0] and float(body["ada"][6]) == points[1]
    assert 0 < float(body["cat"][5]) < points[0] and float(body["ben"][5]) == 0
    assert body["eve"][5:] == ["0", "0"] and body["ben"][6] == "0"  # not submitted: nbgrader's 0


def test_the_default_export_is_unchanged_and_a_bad_format_is_refused(graded, tmp_path):
    course, _ = graded
    out = tmp_path / "grades.csv"
    assert cli("--work", course.work_dir, "export", "--to", out).returncode == 0
    header = out.read_text().splitlines()[0].split(",")
    assert header[:2] == ["assignment", "duedate"] and header[-2:] == ["status", "problems"]
    bad = cli("--work", course.work_dir, "export", "--format", "blackboard")
    assert bad.returncode == 2 and "invalid choice: 'blackboard'" in bad.stderr


def test_nbgraders_own_roster_command_in_the_course_folder(tmp_path):
    course_dir = copy_course(tmp_path / "course")
    db = tmp_path / "gradebook.db"
    (course_dir / "roster.csv").write_text("id,first_name,last_name,email\nzoe,Zoe,Zhu,z@x.edu\n")
    bindir = Path(sys.executable).parent          # nbgrader and its alembic, as README says
    env = {**os.environ, "PATH": f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = subprocess.run([bindir / "nbgrader", "db", "student", "import", "roster.csv",
                             f"--db=sqlite:///{db}"], cwd=course_dir, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{db}") as gb:
        assert [(s.id, s.first_name, s.last_name) for s in gb.students] == [("zoe", "Zoe", "Zhu")]


def test_a_roster_without_an_id_column_is_a_clear_error(tmp_path):
    course = make_course(tmp_path / "work")
    bad = tmp_path / "roster.csv"
    bad.write_text("name,email\nZoe,z@x.edu\n")
    with pytest.raises(nbg.PipelineError, match=r"no 'id' column: expected the columns id, "
                                                r"first_name, last_name, email .*got \['name'"):
        roster.import_roster(course, bad)
