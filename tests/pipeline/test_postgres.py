"""The gradebook on a real PostgreSQL server: the same class gets the same grades as on SQLite
(the session's small class, conftest.grade_small_class)."""
import subprocess
import sys

import pytest

from grader.pipeline import autograde, nbg
from tests.pipeline import postgres
from tests.pipeline.conftest import N1, N3, SMALL_CLASS, grade_small_class

pytestmark = [pytest.mark.pipeline, pytest.mark.slow]

def gradebook_contents(course):
    """{(student, assignment): (score, {cell: (auto_score, score, max_score, manual)})}."""
    found = {}
    with nbg.gradebook(course) as gb:
        for assignment in gb.assignments:
            for sub in assignment.submissions:
                cells = {}
                for notebook in sub.notebooks:
                    for g in notebook.grades:
                        cells[(notebook.name, g.name)] = (g.auto_score, g.score, g.max_score,
                                                          g.needs_manual_grade)
                found[(sub.student.id, assignment.name)] = (sub.score, cells)
    return found


def test_postgresql_and_sqlite_gradebooks_hold_the_same_grades(tmp_path, postgres_url,
                                                               small_class):
    """The session's small class (graded on SQLite) graded again on PostgreSQL."""
    lite, lite_rows = small_class
    pg, pg_rows = grade_small_class(tmp_path / "postgres", db_url=postgres_url)
    assert pg.db_url.startswith("postgresql://") and not (pg.work_dir / "gradebook.db").exists()
    status = lambda rows: {(r.student, r.assignment): r.status for r in rows}  # noqa: E731
    assert status(pg_rows) == status(lite_rows)
    assert {k for k, v in status(pg_rows).items() if v != autograde.OK} == {("dan", N1)}
    score = lambda rows: {(r.student, r.assignment): (r.score, r.max_score) for r in rows}  # noqa: E731
    assert score(pg_rows) == score(lite_rows)
    assert len(pg_rows) == 6
    lite_book, pg_book = gradebook_contents(lite), gradebook_contents(pg)
    assert set(pg_book) >= {k for k, v in status(lite_rows).items() if v == autograde.OK}
    assert pg_book == lite_book
    full = {r.assignment: r.max_score for r in lite_rows}
    assert pg_book[("ada", N1)][0] == full[N1] > 0 and pg_book[("ada", N3)][0] == full[N3] > 0
    assert pg_book[("ben", N1)][0] == 0
    assert all(0 < pg_book[("cat", a)][0] < full[a] for a in (N1, N3))
    per_cell = sum(len(cells) for _, cells in pg_book.values())
    assert per_cell > 5 * 5, per_cell
    with nbg.gradebook(pg) as gb:  # the roster went to PostgreSQL too
        assert sorted(s.id for s in gb.students) == [s[0] for s in SMALL_CLASS]


def test_a_postgresql_url_without_its_driver_is_one_clear_line(tmp_path):
    code = ("import sys; sys.modules['psycopg'] = None\n"  # as if psycopg were not installed
            "from grader.pipeline.cli import main\n"
            f"sys.exit(main(['--work', {str(tmp_path)!r}, '--db',"
            " 'postgresql://teacher:secret@db.example/grades', 'export']))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "the database driver 'psycopg' is not installed" in result.stderr
    assert "pip install 'psycopg[binary]'" in result.stderr
    assert "secret" not in result.stderr and "teacher:***@db.example" in result.stderr


def test_a_url_sqlalchemy_cannot_read_is_a_clear_error(tmp_path):
    result = subprocess.run([sys.executable, "-m", "grader.pipeline.cli", "--work", str(tmp_path),
                             "--db", "grades.db", "export"], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "--db grades.db: not a gradebook URL" in result.stderr
    assert "expected e.g. sqlite:///" in result.stderr


def test_missing_server_binaries_name_the_package_to_install(tmp_path):
    assert (postgres.bindir() / "initdb").exists()
    with pytest.raises(postgres.PostgresMissing, match="apt-get install postgresql"):
        postgres.bindir([tmp_path])
