"""The gradebook on a real PostgreSQL server: the same class gets the same grades as on SQLite."""
import subprocess
import sys

import pytest

from grader.pipeline import autograde, mutants, nbg, release, submissions
from tests.pipeline import postgres
from tests.pipeline.conftest import make_course

pytestmark = [pytest.mark.pipeline, pytest.mark.slow]

N1, N3 = "01-neuron", "03-forward-pass"
MISTAKES = ["sigmoid-prime-returns-sigmoid", "step-at-zero-is-one", "dense-no-bias"]


def submit_class(course):
    """The correct solution and the untouched release of 01, the correct one of 03, 3 mutants."""
    by_id = {m.id: m for m in mutants.CATALOG}
    submissions.submit(course, "ada", N1, submissions.solved(course, N1))
    submissions.submit(course, "ben", N1, submissions.released(course, N1))
    submissions.submit(course, "ada", N3, submissions.solved(course, N3))
    for mistake in MISTAKES:
        m = by_id[mistake]
        submissions.submit(course, f"x-{m.id}", m.assignment,
                           m.apply(submissions.solved(course, m.assignment)))


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


def graded(work, **options):
    course = make_course(work, **options)
    release.release(course, [N1, N3], log=lambda m: None)
    submit_class(course)
    rows = autograde.autograde(course, [N1, N3], jobs=2, progress=False)
    return course, rows


def test_postgresql_and_sqlite_gradebooks_hold_the_same_grades(tmp_path, postgres_url):
    lite, lite_rows = graded(tmp_path / "sqlite")
    pg, pg_rows = graded(tmp_path / "postgres", db_url=postgres_url)
    assert pg.db_url.startswith("postgresql://") and not (pg.work_dir / "gradebook.db").exists()
    assert all(r.status == autograde.OK for r in lite_rows + pg_rows), lite_rows + pg_rows
    score = lambda rows: {(r.student, r.assignment): (r.score, r.max_score) for r in rows}  # noqa: E731
    assert score(pg_rows) == score(lite_rows)
    assert len(pg_rows) == 6
    lite_book, pg_book = gradebook_contents(lite), gradebook_contents(pg)
    assert set(pg_book) == set(score(lite_rows))
    assert pg_book == lite_book
    full = {r.assignment: r.max_score for r in lite_rows}
    assert pg_book[("ada", N1)][0] == full[N1] > 0 and pg_book[("ada", N3)][0] == full[N3] > 0
    assert pg_book[("ben", N1)][0] == 0
    assert all(0 < pg_book[(f"x-{m}", a)][0] < full[a]
               for m, a in [(MISTAKES[0], N1), (MISTAKES[1], N1), (MISTAKES[2], N3)])
    per_cell = sum(len(cells) for _, cells in pg_book.values())
    assert per_cell > 6 * 5, per_cell


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
