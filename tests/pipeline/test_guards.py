"""The release guard and the feedback guard, tested by planting each leak.

A release must fail loudly if solution text, hidden tests, the reference engine
or oracle data would reach students; feedback must never show hidden-test source.
"""
import copy
import shutil
import subprocess
import sys

import nbformat
import pytest

from grader.pipeline import assignments, autograde, bundle, cells, feedback, nbg, release
from grader.pipeline import submissions
from tests.helpers import COURSE, ROOT
from tests.pipeline.conftest import copy_course, make_course

pytestmark = pytest.mark.pipeline

A = "03-forward-pass"  # a quick notebook to release


@pytest.fixture
def shipped(release_of, tmp_path):
    """A copy of the session's release of A, to plant a leak into."""
    folder = tmp_path / A
    shutil.copytree(release_of(A) / "release" / A, folder)
    return folder


def _leaks(folder, words):
    """The leak finder names the planted leak (release.release raises with these lines)."""
    problems = release.find_leaks(COURSE / "source" / A, folder)
    assert any(words in p for p in problems), problems


def _edit(folder, fn):
    path = folder / f"{A}.ipynb"
    nb = nbformat.read(path, as_version=4)
    fn(nb)
    nbformat.write(nb, path)


def test_the_real_course_releases_cleanly(release_of):
    root = release_of() / "release"
    folders = sorted(p for p in root.iterdir() if p.is_dir())
    assert [f.name for f in folders] == [a.id for a in assignments.ASSIGNMENTS]
    for folder in folders:
        assert release.find_leaks(COURSE / "source" / folder.name, folder) == []
        assert (folder / bundle.PACKAGE / "hidden.py").exists()
        assert not list(folder.rglob("*.pkl")) and not (folder / "solutions").exists()


def test_solution_code_in_a_given_cell(shipped):
    _edit(shipped, lambda nb: nb.cells.insert(3, nbformat.v4.new_code_cell(
        "def dense(A_prev, W, b):\n    return A_prev @ W.T + b\n")))
    _leaks(shipped, "defines dense() with code in it")


def test_hidden_test_call_outside_the_hidden_block(shipped):
    def leak(nb):  # the markers were forgotten: nbgrader kept the hidden block
        test = next(c for c in nb.cells if cells.grade_id(c) == "test_dense")
        test.source = 'grade("dense", dense=dense)\n' + test.source
    _edit(shipped, leak)
    _leaks(shipped, "hidden tests' runner")


def test_reference_engine_copied_into_the_assignment(shipped):
    shutil.copy(ROOT / "solutions" / "network.py", shipped / "helpers.py")
    _leaks(shipped, "helpers.py: contains reference-engine code")


def test_a_module_importing_the_engine(shipped):
    (shipped / "utils.py").write_text("from solutions import forward as reference\n")
    _leaks(shipped, "utils.py: imports the reference engine")


def test_the_engine_folder_itself(shipped):
    shutil.copytree(ROOT / "solutions", shipped / "solutions",
                    ignore=shutil.ignore_patterns("__pycache__"))
    _leaks(shipped, "the reference engine's folder is in the release")


def test_oracle_data(shipped):
    (shipped / "answers.npz").write_bytes(b"PK\x03\x04 fake oracle")
    _leaks(shipped, "answers.npz: oracle data")


def test_a_tampered_copy_of_the_checks(shipped):
    checks = shipped / bundle.PACKAGE
    (checks / "compare.py").write_text((checks / "compare.py").read_text()
                                       + "\nfrom solutions import dense as _answer\n")
    (checks / "answers.py").write_text("X = 1\n")
    _leaks(shipped, "compare.py: differs from grader/checks")
    _leaks(shipped, "answers.py: not a module of grader/checks")


def test_a_leaking_release_fails_the_command_loudly(tmp_path):
    """End to end, once: a leak planted in the sources stops `backprop-course release`."""
    course_dir = copy_course(tmp_path / "course")
    (course_dir / "source" / A / "utils.py").write_text("import solutions\n")
    result = subprocess.run(
        [sys.executable, "-m", "grader.pipeline.cli", "--course", str(course_dir),
         "--work", str(tmp_path / "work"), "release", A], capture_output=True, text=True)
    assert result.returncode == 1
    assert "LEAKS to students" in result.stderr and "utils.py" in result.stderr


@pytest.fixture(scope="module")
def graded_pair(released):
    """A correct and a wrong submission of A, autograded."""
    course = released(A)
    good = submissions.solved(course, A)
    submissions.submit(course, "good", A, good)
    submissions.submit(course, "wrong", A, submissions.with_cells(
        good, {"dense": "def dense(A_prev, W, b):\n    return A_prev @ W + b\n"}))
    return course, autograde.autograde(course, [A], jobs=1, progress=False)


def test_feedback_never_shows_hidden_test_source(graded_pair):
    course, rows = graded_pair
    pages = feedback.feedback(course, rows, log=lambda m: None)
    secrets = feedback.hidden_lines(course, A)
    assert secrets, "the notebook has hidden tests"
    for page in pages.values():
        text = page.read_text()
        assert feedback.find_hidden(text, secrets) == []
        assert "BEGIN HIDDEN TESTS" not in text


def test_feedback_guard_withholds_and_flags_a_leaking_page(graded_pair, tmp_path):
    course, rows = graded_pair
    config = course.course_dir / "nbgrader_config.py"
    leaky_dir = tmp_path / "course"
    shutil.copytree(course.course_dir, leaky_dir, ignore=shutil.ignore_patterns("bpcheck"))
    text = config.read_text().replace('"nbgrader.preprocessors.ClearHiddenTests",', "")
    (leaky_dir / "nbgrader_config.py").write_text(text)
    leaky = make_course(course.work_dir, leaky_dir)
    leaky.db_url = course.db_url
    said = []
    pages = feedback.feedback(leaky, [copy.deepcopy(r) for r in rows], log=said.append)
    assert pages == {}, "every page of the leaky configuration is withheld"
    assert any("WITHHELD" in line and "hidden-test lines" in line for line in said), said
    for row in rows:
        assert not course.path("feedback", row.student, A).joinpath(f"{A}.html").exists()
    report = autograde.load(course)
    assert all("feedback withheld" in "; ".join(r.problems) for r in report.values())
    with nbg.gradebook(course) as gb:
        assert all(s.flagged for s in gb.notebook_submissions(A, A))
