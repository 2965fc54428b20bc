"""Hostile and broken submissions, graded in one batch beside honest ones.

Each must (a) not stop the batch, (b) get the score that is due, (c) leave every
other grade and the gradebook intact, (d) tell the instructor why. "The score
that is due" is measured, not assumed: a cheating submission must score exactly
what an honest submission with the same (wrong) code scores.
"""
import shutil

import nbformat
import pytest

from grader.pipeline import autograde, bundle, nbg, submissions
from tests.pipeline.conftest import cell

pytestmark = [pytest.mark.pipeline, pytest.mark.slow]

A = "01-neuron"
FULL = 20.0
BAD_SIGMOID = "def sigmoid(z):\n    return 1 / (1 + np.exp(z))\n"  # sign of z flipped


def add_cell(nb, code):
    """nb with a new (student-added) code cell right after the setup cell."""
    nb = nbformat.from_dict(nb)
    first_code = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
    nb.cells.insert(first_code + 1, nbformat.v4.new_code_cell(code))
    return nb


def edit_cell(nb, grade_id, code):
    nb = nbformat.from_dict(nb)
    cell(nb, grade_id).source = code
    return nb


def delete_cell(nb, grade_id):
    nb = nbformat.from_dict(nb)
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != grade_id]
    return nb


def submissions_for(course):
    """{student: notebook (or raw text)} for the batch, plus their folders' extra files."""
    good = submissions.solved(course, A)
    bad = submissions.with_cells(good, {"sigmoid": BAD_SIGMOID})
    no_sigmoid = submissions.with_cells(good, {"sigmoid": "pass\n"})
    patch = ("import numpy as np\nimport bpcheck.neuron, bpcheck.hidden, bpcheck.compare\n"
             "np.allclose = lambda *a, **k: True\n"
             "np.isclose = lambda *a, **k: True\n"
             "bpcheck.neuron.check_array = lambda *a, **k: None\n"
             "bpcheck.compare.check_array = lambda *a, **k: None\n"
             "bpcheck.hidden.grade = lambda *a, **k: None\n"
             "check_sigmoid = lambda *a, **k: None\n")
    return {
        "honest-correct": good,
        "honest-untouched": submissions.released(course, A),
        "control-bad-sigmoid": bad,
        "control-no-sigmoid": no_sigmoid,
        "edited-tests": edit_cell(good, "test_sigmoid", "pass"),
        "edited-tests-bad": edit_cell(edit_cell(bad, "test_sigmoid", "pass"),
                                      "test_sigmoid_prime", "pass"),
        "deleted-tests-bad": delete_cell(bad, "test_sigmoid"),
        "edited-checks-bad": bad,  # plus a bpcheck/neuron.py that passes everything
        "monkeypatch-bad": add_cell(bad, patch),
        "engine-import": submissions.with_cells(
            good, {"sigmoid": "import sys\nsys.path.insert(0, %r)\nfrom solutions import sigmoid\n"
                              % str(bundle.CHECKS_DIR.parents[1])}),
        "infinite-loop": submissions.with_cells(
            good, {"sigmoid": "def sigmoid(z):\n    while True:\n        pass\n"}),
        "hang-top-level": add_cell(good, "while True:\n    pass\n"),
        "os-exit": add_cell(good, "import os\nos._exit(0)\n"),
        "kernel-crash": add_cell(good, "import ctypes\nctypes.string_at(0)\n"),
        "memory-bomb": add_cell(good, "big = [np.ones(10**8) for _ in range(64)]\n"),
        "import-time-error": submissions.with_cells(
            good, {"sigmoid": "import not_a_module_anywhere\n\n" + BAD_SIGMOID}),
        "corrupt-json": '{"cells": [ this is not json',
        "renamed": good,
    }


@pytest.fixture(scope="module")
def batch(released):
    course = released(A)
    subs = submissions_for(course)
    for student, nb in subs.items():
        name = "01-neuron-final.ipynb" if student == "renamed" else None
        submissions.submit(course, student, A, nb, name=name)
    folder = course.path("submitted", "edited-checks-bad", A) / bundle.PACKAGE
    shutil.copytree(course.path("release", ".", A) / bundle.PACKAGE, folder)
    text = (folder / "neuron.py").read_text()
    (folder / "neuron.py").write_text(text + "\n\ndef check_sigmoid(sigmoid):\n    print('ok')\n")
    rows = autograde.autograde(course, [A], jobs=2, progress=False)
    return course, {r.student: r for r in rows}


def test_every_submission_got_a_row_and_the_batch_finished(batch):
    course, rows = batch
    assert set(rows) == set(submissions_for(course))


def test_honest_students_get_their_grades(batch):
    _, rows = batch
    assert rows["honest-correct"].score == FULL and rows["honest-correct"].problems == []
    assert rows["honest-untouched"].score == 0.0
    bad = rows["control-bad-sigmoid"].score
    assert 0 < bad < FULL, "the control with a wrong sigmoid must lose some points, not all"


@pytest.mark.parametrize("student, control, words", [
    ("edited-tests", "honest-correct", "'test_sigmoid' was edited"),
    ("edited-tests-bad", "control-bad-sigmoid", "'test_sigmoid' was edited"),
    ("deleted-tests-bad", "control-bad-sigmoid", "'test_sigmoid' was deleted"),
    ("edited-checks-bad", "control-bad-sigmoid", "bpcheck/neuron.py was edited"),
    ("monkeypatch-bad", "control-bad-sigmoid", "numpy.allclose replaced"),
    ("engine-import", "control-no-sigmoid", "import solutions"),
    ("infinite-loop", "control-no-sigmoid", ""),
    ("hang-top-level", "honest-correct", "timed out"),
    ("os-exit", "honest-correct", "os._exit"),
    ("memory-bomb", "honest-correct", ""),
    ("import-time-error", "control-no-sigmoid", ""),
    ("renamed", "honest-correct", "renamed notebook '01-neuron-final.ipynb'"),
])
def test_hostile_submission_scores_what_is_due_and_is_explained(batch, student, control, words):
    _, rows = batch
    row = rows[student]
    assert row.status == autograde.OK, row
    assert row.score == rows[control].score, (
        f"{student} scored {row.score}, but the same code graded honestly scores "
        f"{rows[control].score}: {row.problems}")
    assert words in "; ".join(row.problems), row.problems


def test_monkeypatching_is_flagged_for_review(batch):
    _, rows = batch
    problems = "; ".join(rows["monkeypatch-bad"].problems)
    assert "review: assigns to a numpy attribute" in problems
    assert "bpcheck.hidden.grade replaced" in problems or "check" in problems


def test_a_dead_kernel_is_reported_not_a_silent_zero(batch):
    course, rows = batch
    row = rows["kernel-crash"]
    assert row.status == autograde.DIED and row.score is None
    assert "kernel died" in row.problems[0]


def test_a_corrupt_notebook_scores_zero_with_the_reason(batch):
    _, rows = batch
    row = rows["corrupt-json"]
    assert row.status == autograde.NOT_GRADED and row.score == 0.0
    assert "unreadable notebook" in row.problems[0]


def test_the_gradebook_is_intact_and_grading_twice_gives_the_same_score(batch):
    course, rows = batch
    with nbg.gradebook(course) as gb:
        graded = {s.student.id: s.score for s in gb.assignment_submissions(A)}
    for student, row in rows.items():
        if row.status == autograde.OK:
            assert graded[student] == row.score, student
    again = autograde.autograde(course, [A], students=["honest-correct", "monkeypatch-bad",
                                                       "control-bad-sigmoid"], jobs=1,
                                progress=False)
    for row in again:
        assert row.score == rows[row.student].score, row.student
    with nbg.gradebook(course) as gb:
        assert len(gb.assignment_submissions(A)) == len(graded)


def test_the_export_leaves_a_dead_kernel_blank_not_zero(batch):
    import csv

    from grader.pipeline import export
    course, _ = batch
    with open(export.export(course, log=lambda m: None), newline="") as fh:
        rows = {r["student_id"]: r for r in csv.DictReader(fh)}
    assert rows["kernel-crash"]["score"] == "" and rows["kernel-crash"]["status"] == "kernel died"
    assert "grade by hand" in rows["kernel-crash"]["problems"]
    assert float(rows["honest-correct"]["score"]) == FULL
    assert rows["corrupt-json"]["status"] == "not graded"
