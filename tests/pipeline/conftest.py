"""Fixtures for the nbgrader pipeline tests: real nbgrader, real kernels, real gradebooks."""
import shutil
import subprocess
import sys

import nbformat
import pytest

from grader.pipeline import (autograde, cells, demo as demo_module, mutants, release, roster,
                             submissions)
from grader.pipeline.config import Course
from tests.helpers import COURSE
from tests.pipeline import postgres

pytestmark = pytest.mark.pipeline


def make_course(work, course_dir=COURSE, **options):
    """A Course on a fresh work folder; short timeouts so hostile cases end fast."""
    options.setdefault("cell_timeout", 20)
    return Course(course_dir, work, **options)


def copy_course(dest):
    """A private copy of course/ to plant things in (without generated files)."""
    shutil.copytree(COURSE, dest,
                    ignore=shutil.ignore_patterns("bpcheck", ".oracle", "__pycache__"))
    return dest


@pytest.fixture(scope="session")
def release_of(tmp_path_factory):
    """Factory: the work folder of a real release of these assignments (all if none),
    made once per session by ``release.release`` (nbgrader and the leak guard)."""
    made = {}

    def get(*ids):
        if ids not in made:
            course = make_course(tmp_path_factory.mktemp("release"))
            release.release(course, list(ids) or None, log=lambda m: None)
            made[ids] = course.work_dir
        return made[ids]
    return get


@pytest.fixture(scope="session")
def released(tmp_path_factory, release_of):
    """Factory: a Course whose given assignments are released into a fresh work folder:
    a copy of the session's release and of the SQLite gradebook nbgrader filled for it."""
    def make(*ids, **options):
        work = tmp_path_factory.mktemp("work")
        if "db_url" in options or "course_dir" in options:  # not the session's release
            course = make_course(work, **options)
            release.release(course, list(ids) or None, log=lambda m: None)
            return course
        template = release_of(*ids)
        shutil.copytree(template / "release", work / "release")
        shutil.copy(template / "gradebook.db", work / "gradebook.db")
        return make_course(work, **options)
    return make


def cli(*args, cwd=None, timeout=900):
    """`backprop-course ARGS` in a fresh Python process."""
    return subprocess.run([sys.executable, "-m", "grader.pipeline.cli", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, timeout=timeout)


@pytest.fixture(scope="session")
def demo(tmp_path_factory):
    """The README's `backprop-course demo`, run once: (its work folder, the process)."""
    work = tmp_path_factory.mktemp("demo")
    return work, cli("--work", work, "demo")


def _planted_groups():
    """The planted class's submissions: {student: (assignment, [Mutant or Variant])}.

    The demo's mistake students hold one mutant each. Every other mutant shares a
    submission with mutants of OTHER functions of its notebook (the j-th mutant of each
    function goes to bugs-<assignment>-<j>): each graded function's hidden tests replay
    the reference results of the functions it calls, so one bug costs only its own
    function's points, and a submission must fail exactly the functions holding a bug.
    The correct variants share submissions in the same way when their cells differ."""
    groups = {s: (m.assignment, [m]) for s, m in demo_module.mistake_students()}
    demo_ids = {m.id for _, (_, [m]) in groups.items()}
    taken = {}  # (assignment, function) -> how many bugs of it are placed already
    for m in mutants.CATALOG:
        if m.id in demo_ids:
            continue
        j = taken[(m.assignment, m.function)] = taken.get((m.assignment, m.function), 0) + 1
        groups.setdefault(f"bugs-{m.assignment}-{j}", (m.assignment, []))[1].append(m)
    for v in mutants.VARIANTS:
        j = 1
        while any(set(v.cells) & set(w.cells)
                  for w in groups.get(f"ok-{v.assignment}-{j}", (None, []))[1]):
            j += 1
        groups.setdefault(f"ok-{v.assignment}-{j}", (v.assignment, []))[1].append(v)
    return groups


PLANTED = _planted_groups()
STUDENT_OF = {x.id: s for s, (_, xs) in PLANTED.items() for x in xs}


def student_of(planted):
    """Who submitted a mutant or variant in the planted class."""
    return STUDENT_OF[planted.id]


def planted_with(planted):
    """The mutants (or variants) that share planted's submission, planted included."""
    return PLANTED[student_of(planted)][1]


def apply_all(planted, nb):
    """nb with every mutant or variant of a list applied (each edits its own cells)."""
    for x in planted:
        nb = x.apply(nb)
    return nb


@pytest.fixture(scope="session")
def planted_class(demo, tmp_path_factory):
    """The demo's class and, graded in a copy of its work folder, the rest of the
    mutation catalog and the correct variants (PLANTED), in one batch.
    -> (course, {(student, id): Row}, {(student, id): feedback page})."""
    work, result = demo
    assert result.returncode == 0, result.stderr[-3000:]
    copy = tmp_path_factory.mktemp("planted") / "work"
    shutil.copytree(work, copy)
    course = make_course(copy, cell_timeout=60)
    added = sorted(s for s in PLANTED if s.startswith(("bugs-", "ok-")))
    for student in added:
        a, planted = PLANTED[student]
        submissions.submit(course, student, a, apply_all(planted, submissions.solved(course, a)))
    new = autograde.autograde(course, students=added, jobs=2, progress=False)
    from grader.pipeline import feedback
    feedback.feedback(course, new, log=lambda m: None)
    rows = autograde.load(course)
    pages = {k: course.path("feedback", *k) / f"{k[1]}.html" for k in rows}
    return course, rows, pages


N1, N3 = "01-neuron", "03-forward-pass"
SMALL_CLASS = [("ada", "Ada", "Adams", "ada@example.edu"),
               ("ben", "Ben", "Brown", "ben@example.edu"),
               ("cat", "Cat", "Clark", "cat@example.edu"),
               ("dan", "Dan", "Diaz", "dan@example.edu"),
               ("eve", "Eve", "Evans", "eve@example.edu")]  # eve submits nothing


def grade_small_class(work, **options):
    """01 and 03 released, a roster imported, then graded: ada solves both, ben hands in
    01 untouched, cat has one mistake in each, dan's 01 has a timestamp nbgrader cannot
    read (its autograde fails), eve submits nothing. -> (course, rows)."""
    course = make_course(work, **options)
    release.release(course, [N1, N3], log=lambda m: None)
    roster.import_roster(course, roster.write(course.work_dir / "roster.csv", SMALL_CLASS))
    bugs = {a: mutants.CATALOG_BY_ID[m] for a, m in [(N1, "sigmoid-prime-returns-sigmoid"),
                                                      (N3, "dense-no-bias")]}
    for a in (N1, N3):
        submissions.submit(course, "ada", a, submissions.solved(course, a))
        submissions.submit(course, "cat", a, bugs[a].apply(submissions.solved(course, a)))
    submissions.submit(course, "ben", N1, submissions.released(course, N1))
    path = submissions.submit(course, "dan", N1, submissions.solved(course, N1))
    (path.parent / "timestamp.txt").write_text("the day before yesterday")  # nbgrader fails
    return course, autograde.autograde(course, [N1, N3], jobs=2, progress=False)


@pytest.fixture(scope="session")
def small_class(tmp_path_factory):
    """The small class of two assignments on a SQLite gradebook: (course, rows)."""
    return grade_small_class(tmp_path_factory.mktemp("small-class"))


@pytest.fixture(scope="session")
def postgres_url():
    """A database on a real PostgreSQL server for this session (tests/pipeline/postgres.py)."""
    try:
        postgres.bindir()
    except postgres.PostgresMissing as exc:  # a missing server fails, it is never skipped
        pytest.fail(str(exc), pytrace=False)
    with postgres.server() as url:
        yield url


def cell(nb, grade_id):
    """The cell of a notebook with this grade_id."""
    return next(c for c in nb.cells if cells.grade_id(c) == grade_id)


def outputs_text(nb, grade_id):
    """Everything a cell printed or raised, as plain text."""
    import re
    ansi = re.compile(r"\x1b\[[0-9;]*m")
    parts = []
    for o in cell(nb, grade_id).outputs:
        parts.append(o.get("text") or "\n".join(o.get("traceback", [])))
    return ansi.sub("", "\n".join(parts))


def autograded(course, student, assignment_id):
    """The autograded notebook of a student."""
    path = course.path("autograded", student, assignment_id) / f"{assignment_id}.ipynb"
    return nbformat.read(path, as_version=4)
