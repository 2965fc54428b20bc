"""The grader, mutation-tested through the real pipeline.

Every realistic bug of the catalog, inserted into an otherwise correct notebook,
must lose the points of the function that holds it, and only those (the functions
that call it get the reference results replayed), and the student's feedback must
name the function and the likely cause. Bugs of different functions of a notebook share
a submission (conftest.PLANTED): it must fail exactly the functions holding a bug,
each named with its own cause. Every correct-but-different implementation must get full
marks. The class (correct notebooks, bugs, variants) is graded in parallel, which
also checks that no grade is lost or duplicated by concurrent writers.
"""
import html
import re

import pytest

from grader.pipeline import assignments, mutants, nbg
from grader.pipeline.demo import CORRECT, UNTOUCHED
from grader.pipeline.insights import stats
from tests.helpers import ROOT
from grader.checks.report import first_cause
from tests.pipeline.conftest import (PLANTED, autograded, cell, outputs_text, planted_with,
                                     student_of)

pytestmark = [pytest.mark.pipeline, pytest.mark.slow]

IDS = [a.id for a in assignments.ASSIGNMENTS]


@pytest.fixture(scope="module")
def graded(planted_class):
    return planted_class


def _text(page):
    return html.unescape(re.sub(r"<[^>]+>", " ", page.read_text()))


def _diagnosis(course, m):
    """The first line naming a cause in the failing test cell, as the student sees it."""
    text = outputs_text(autograded(course, student_of(m), m.assignment), f"test_{m.function}")
    lines = [l.strip() for l in text.splitlines() if "likely cause" in l or l.startswith("✘")]
    cause = next((l for l in lines if "likely cause" in l), lines[0] if lines else "(none)")
    return cause.replace("likely cause:", "").strip()


def _verdict_cause(course, m):
    """The likely cause of the grader's verdict (the cell's last output), as shown."""
    nb = autograded(course, student_of(m), m.assignment)
    verdict = cell(nb, f"test_{m.function}").outputs[-1]
    assert verdict.output_type == "error"
    return first_cause(re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(verdict.traceback)))


def test_catalog_is_large_and_covers_every_notebook():
    assert len(mutants.CATALOG) >= 20 and len(mutants.VARIANTS) >= 8
    assert {m.assignment for m in mutants.CATALOG} == set(IDS)
    assert len({m.id for m in mutants.CATALOG}) == len(mutants.CATALOG)


def _lost(row):
    """{test cell: points it lost} from a row's failed cells ("test_x (1/3)")."""
    found = (re.fullmatch(r"(\S+) \(([\d.]+)/([\d.]+)\)", f) for f in row.failed)
    return {m[1]: float(m[3]) - float(m[2]) for m in found}


def test_every_bug_loses_points_and_the_feedback_names_it(graded):
    course, rows, pages = graded
    full = {a: rows[(CORRECT, a)].max_score for a in IDS}
    table, escaped = [], []
    for m in mutants.CATALOG:
        row = rows[(student_of(m), m.assignment)]
        lost, test = _lost(row), f"test_{m.function}"
        page = _text(pages[(student_of(m), m.assignment)])
        shown = outputs_text(autograded(course, student_of(m), m.assignment), test)
        named = (f"✘ {m.function}" in page and all(e in page for e in m.expect)
                 and f"✘ {m.function}" in shown and all(e in shown for e in m.expect))
        table.append(f"{m.id:<38}{lost.get(test, 0):>6g}  {_diagnosis(course, m)[:90]}")
        if lost.get(test, 0) <= 0 or not named or (row.score or 0) >= full[m.assignment]:
            escaped.append(f"{m.id}: lost {lost}, failed {row.failed}, named={named}")
        elif set(lost) != {f"test_{x.function}" for x in planted_with(m)}:
            # one bug costs the points of the function that holds it, and only those
            escaped.append(f"{m.id}: the submission's bugs cost other functions too: "
                           f"{row.failed}, planted {[x.id for x in planted_with(m)]}")
        elif full[m.assignment] - row.score != sum(lost.values()):
            escaped.append(f"{m.id}: the score is not full minus the failed cells: {row}")
    report = "\n".join([f"{'bug':<38}{'lost':>6}  diagnosis shown in the feedback",
                        "-" * 120] + table)
    (ROOT / "tests" / "artifacts").mkdir(exist_ok=True)
    (ROOT / "tests" / "artifacts" / "mutation-table.txt").write_text(report + "\n")
    print("\n" + report)
    assert not escaped, "bugs that escaped or were not named:\n" + "\n".join(escaped)


def test_insights_give_each_planted_mistake_its_own_cause(graded):
    """Pass rates are exactly what the catalog implies, and each bug of a function is a
    cause of its own (share 1/k of the k failures), worded as the student's feedback words
    it; the untouched release fails every function as not implemented."""
    course, _, _ = graded
    subs, skipped = stats.collect(course)
    assert skipped == {}
    funcs = {(f.assignment, f.function): f for f in stats.functions(subs)}
    for a in assignments.ASSIGNMENTS:
        n = 2 + sum(assignment == a.id for assignment, _ in PLANTED.values())
        for function in a.functions:
            bugs = [m for m in mutants.CATALOG if (m.assignment, m.function) == (a.id, function)]
            f = funcs[(a.id, function)]
            k = len(bugs) + 1  # and the untouched release
            assert (f.submissions, f.passed) == (n, n - k), f
            assert len(f.causes) == k, [c.text for c in f.causes]
            assert all(len(c.students) == 1 and f.share(c) == 1 / k for c in f.causes)
            untouched = next(c for c in f.causes if UNTOUCHED in c.students)
            assert "NotImplementedError" in untouched.text
            for m in bugs:
                cause = next(c for c in f.causes if student_of(m) in c.students)
                assert cause.text == _verdict_cause(course, m) != stats.NO_CAUSE


def test_correct_variants_get_full_marks(graded):
    _, rows, _ = graded
    lost = {v.id: rows[(student_of(v), v.assignment)] for v in mutants.VARIANTS}
    wrong = {k: (r.score, r.failed) for k, r in lost.items() if r.score != r.max_score}
    assert not wrong, f"correct implementations that lost points: {wrong}"


def test_the_reference_solutions_get_full_marks(graded):
    _, rows, _ = graded
    for a in IDS:
        row = rows[(CORRECT, a)]
        assert row.score == row.max_score and row.max_score >= 10, row


def test_parallel_grading_lost_and_duplicated_nothing(graded):
    course, rows, _ = graded
    with nbg.gradebook(course) as gb:
        stored = [(s.student.id, s.assignment.name, s.score)
                  for a in IDS for s in gb.assignment_submissions(a)]
    assert len(stored) == len(set((s, a) for s, a, _ in stored)) == len(rows)
    assert {(s, a): score for s, a, score in stored} == {k: r.score for k, r in rows.items()}
