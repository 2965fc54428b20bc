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

from grader.pipeline import autograde, bundle, feedback, nbg, release, submissions
from tests.helpers import ROOT
from tests.pipeline.conftest import copy_course, make_course

pytestmark = pytest.mark.pipeline

A = "03-forward-pass"  # a quick notebook to release


@pytest.fixture
def planted(tmp_path):
    """(course copy, its source folder for A, a Course on it) to plant leaks into."""
    course_dir = copy_course(tmp_path / "course")
    return course_dir, course_dir / "source" / A, make_course(tmp_path / "work", course_dir)


def _notebook(folder):
    return folder / f"{A}.ipynb"


def _edit(folder, fn):
    nb = nbformat.read(_notebook(folder), as_version=4)
    fn(nb)
    nbformat.write(nb, _notebook(folder))


def _release_fails(course, words):
    with pytest.raises(nbg.PipelineError) as info:
        release.release(course, [A], log=lambda m: None)
    assert "LEAKS" in str(info.value) and words in str(info.value), str(info.value)


def test_the_real_course_releases_cleanly(tmp_path):
    course = make_course(tmp_path / "work")
    folders = release.release(course, log=lambda m: None)
    assert len(folders) == 6
    for folder in folders:
        assert release.find_leaks(course.source_dir / folder.name, folder) == []
        assert (folder / bundle.PACKAGE / "hidden.py").exists()
        assert not list(folder.rglob("*.pkl")) and not (folder / "solutions").exists()


def test_solution_code_in_a_given_cell(planted):
    _, folder, course = planted
    _edit(folder, lambda nb: nb.cells.insert(3, nbformat.v4.new_code_cell(
        "def dense(A_prev, W, b):\n    return A_prev @ W.T + b\n")))
    _release_fails(course, "defines dense() with code in it")


def test_hidden_test_call_outside_the_hidden_block(planted):
    _, folder, course = planted

    def leak(nb):  # the markers are forgotten: the hidden block stays in the test cell
        for c in nb.cells:
            c.source = "\n".join(l for l in c.source.splitlines() if "HIDDEN TESTS" not in l)
    _edit(folder, leak)
    _release_fails(course, "hidden tests' runner")


def test_reference_engine_copied_into_the_assignment(planted):
    _, folder, course = planted
    shutil.copy(ROOT / "solutions" / "network.py", folder / "helpers.py")
    _release_fails(course, "helpers.py: contains reference-engine code")


def test_a_module_importing_the_engine(planted):
    _, folder, course = planted
    (folder / "utils.py").write_text("from solutions import forward as reference\n")
    _release_fails(course, "utils.py: imports the reference engine")


def test_the_engine_folder_itself(planted):
    _, folder, course = planted
    shutil.copytree(ROOT / "solutions", folder / "solutions",
                    ignore=shutil.ignore_patterns("__pycache__"))
    _release_fails(course, "the reference engine's folder is in the release")


def test_oracle_data(planted):
    _, folder, course = planted
    (folder / "answers.npz").write_bytes(b"PK\x03\x04 fake oracle")
    _release_fails(course, "answers.npz: oracle data")


def test_a_tampered_copy_of_the_checks(planted):
    _, _, course = planted
    release.release(course, [A], log=lambda m: None)
    shipped = course.path("release", ".", A) / bundle.PACKAGE
    (shipped / "compare.py").write_text((shipped / "compare.py").read_text()
                                        + "\nfrom solutions import dense as _answer\n")
    (shipped / "answers.py").write_text("X = 1\n")
    problems = release.find_leaks(course.source_dir / A, course.path("release", ".", A))
    assert any("compare.py: differs from grader/checks" in p for p in problems), problems
    assert any("answers.py: not a module of grader/checks" in p for p in problems), problems


def test_a_leaking_release_fails_the_command_loudly(planted):
    course_dir, folder, course = planted
    (folder / "utils.py").write_text("import solutions\n")
    result = subprocess.run(
        [sys.executable, "-m", "grader.pipeline.cli", "--course", str(course_dir),
         "--work", str(course.work_dir), "release", A], capture_output=True, text=True)
    assert result.returncode == 1
    assert "LEAKS to students" in result.stderr and "utils.py" in result.stderr


@pytest.fixture(scope="module")
def graded_pair(tmp_path_factory):
    """A correct and a wrong submission of A, autograded."""
    course = make_course(tmp_path_factory.mktemp("work"))
    release.release(course, [A], log=lambda m: None)
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
