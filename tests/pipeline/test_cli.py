"""The instructor's command, end to end: the demo of the README, and the subcommands."""
import csv

import pytest

from grader.pipeline import assignments, mutants
from grader.pipeline.demo import CORRECT, MISTAKES, UNTOUCHED, mistake_students
from tests.pipeline.conftest import cli

pytestmark = [pytest.mark.pipeline, pytest.mark.slow]


run = cli  # `backprop-course ARGS` in a fresh process; `demo` is the session's demo run


def test_demo_exits_0_and_prints_the_table_and_paths(demo):
    work, result = demo
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    assert "student" in out and "assignment" in out and "score" in out
    assert f"gradebook: sqlite:///{work}/gradebook.db" in out
    assert f"grades:    {work}/grades.csv" in out and "feedback:" in out


def test_demo_grades_are_the_expected_ones(demo):
    work, _ = demo
    with open(work / "grades.csv", newline="") as fh:
        rows = {(r["student_id"], r["assignment"]): r for r in csv.DictReader(fh)}
    for a in assignments.ASSIGNMENTS:
        correct, untouched = rows[(CORRECT, a.id)], rows[(UNTOUCHED, a.id)]
        assert float(correct["score"]) == float(correct["max_score"]) > 0
        assert float(untouched["score"]) == 0.0
        assert "answer cells left as released" in untouched["problems"]
    by_id = mutants.CATALOG_BY_ID
    mistakes = [r for (s, _), r in rows.items() if s not in (CORRECT, UNTOUCHED)
                and r["status"] != "not submitted"]
    assert all(r["status"] in ("graded", "not submitted") for r in rows.values())
    assert len(mistakes) == len(MISTAKES) >= 3
    for r in mistakes:
        assert 0 < float(r["score"]) < float(r["max_score"]), r
        assert by_id[r["student_id"].split("-", 1)[1]].assignment == r["assignment"]


def test_grading_kernels_draw_no_figures(demo):
    """The course config's InlineBackend.figure_formats=set(): a plot is its line of text."""
    import nbformat
    work, _ = demo
    for a in assignments.ASSIGNMENTS:
        nb = nbformat.read(work / "autograded" / CORRECT / a.id / a.notebook, as_version=4)
        data = [o.get("data", {}) for c in nb.cells for o in c.get("outputs", [])]
        assert not [d for d in data if any(k.startswith("image/") for k in d)], a.id
        assert any(d.get("text/plain", "").startswith("<Figure size") for d in data), a.id


def test_demo_writes_feedback_for_every_submission(demo):
    work, _ = demo
    pages = list((work / "feedback").rglob("*.html"))
    assert len(pages) == 2 * len(assignments.ASSIGNMENTS) + len(MISTAKES)
    assert (work / "gradebook.db").stat().st_size > 0


def test_demo_insights_follow_the_planted_mistakes_exactly(demo):
    """Each function: the correct student passes, the untouched release fails as not
    implemented, a planted mistake fails with its own named cause: shares of 1/k."""
    from grader.pipeline.config import Course
    from grader.pipeline.insights import stats
    from tests.helpers import COURSE
    work, result = demo
    assert f"insights:  {work}/insights/index.html" in result.stdout
    subs, skipped = stats.collect(Course(COURSE, work))
    assert skipped == {}
    funcs = {(f.assignment, f.function): f for f in stats.functions(subs)}
    planted = {(m.assignment, m.function): student for student, m in mistake_students()}
    for a in assignments.ASSIGNMENTS:
        n = 2 + sum(k[0] == a.id for k in planted)
        for function in a.functions:
            f = funcs[(a.id, function)]
            failing = [UNTOUCHED] + ([planted[(a.id, function)]]
                                     if (a.id, function) in planted else [])
            assert (f.submissions, f.passed) == (n, n - len(failing)), f
            assert sorted(s for c in f.causes for s in c.students) == sorted(failing)
            assert all(len(c.students) == 1 and f.share(c) == 1 / len(failing)
                       for c in f.causes), f.causes
            untouched = next(c for c in f.causes if UNTOUCHED in c.students)
            assert "NotImplementedError" in untouched.text and f"`{function}`" in untouched.text
            assert stats.NO_CAUSE not in [c.text for c in f.causes]
    page = (work / "insights" / "index.html").read_text()
    assert page.count("<img") == 1 + len(assignments.ASSIGNMENTS) + 1
    assert not [s for s in (CORRECT, UNTOUCHED, *planted.values()) if s in page]


def test_insights_subcommand_names_students_only_when_asked(demo):
    work, _ = demo
    result = run("--work", work, "insights", "05-vectorized-backprop", "--names")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "05-vectorized-backprop: 3 graded submissions" in result.stdout
    assert "01-neuron" not in result.stdout
    page = (work / "insights" / "index.html").read_text()
    assert f"students: {UNTOUCHED}" in page
    with open(work / "insights" / "causes.csv", newline="") as fh:
        assert {r["function"] for r in csv.DictReader(fh)} == set(
            assignments.get("05-vectorized-backprop").functions)
def test_demo_students_have_the_names_of_its_roster(demo):
    from grader.pipeline import nbg
    from grader.pipeline.config import Course
    work, result = demo
    assert f"roster of {2 + len(MISTAKES)} students -> {work}/roster.csv" in result.stdout
    with open(work / "roster.csv", newline="") as fh:
        roster = {r["id"]: (r["first_name"], r["last_name"], r["email"])
                  for r in csv.DictReader(fh)}
    with nbg.gradebook(Course(work_dir=work)) as gb:
        found = {s.id: (s.first_name, s.last_name, s.email) for s in gb.students}
    assert found == roster and found[CORRECT][:2] == ("Ada", "Adams")
    assert len(found) == 2 + len(MISTAKES)


def test_autograde_feedback_and_export_subcommands_on_the_demo_work_folder(demo):
    work, _ = demo
    result = run("--work", work, "autograde", "02-xor", "--student", CORRECT)
    assert result.returncode == 0, result.stderr[-2000:]
    assert f"{CORRECT}  02-xor" in result.stdout
    assert run("--work", work, "feedback", "02-xor", "--student", CORRECT).returncode == 0
    out = work / "export.csv"
    assert run("--work", work, "export", "--to", out).returncode == 0
    assert "status" in out.read_text().splitlines()[0]


def test_a_folder_that_is_not_a_course_is_a_clear_error(tmp_path):
    (tmp_path / "course").mkdir()
    result = run("--course", tmp_path / "course", "--work", tmp_path / "work", "release")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "not a course directory (no nbgrader_config.py and no source)" in result.stderr


def test_unknown_assignment_is_a_clear_error(tmp_path):
    result = run("--work", tmp_path, "release", "07-transformers")
    assert result.returncode == 1
    assert "unknown assignment '07-transformers'" in result.stderr


def test_the_gradebook_can_live_at_any_sqlalchemy_url(tmp_path):
    from grader.pipeline import nbg, submissions
    from grader.pipeline.config import Course
    work, db = tmp_path / "work", tmp_path / "elsewhere" / "class.db"
    db.parent.mkdir()
    url = f"sqlite:///{db}"
    assert run("--work", work, "--db", url, "release", "03-forward-pass").returncode == 0
    course = Course(work_dir=work, db_url=url)
    submissions.submit(course, "zoe", "03-forward-pass",
                       submissions.solved(course, "03-forward-pass"))
    result = run("--work", work, "--db", url, "autograde", "03-forward-pass")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "autograde [" in result.stderr and "zoe" in result.stdout
    assert db.exists() and not (work / "gradebook.db").exists()
    with nbg.gradebook(course) as gb:
        assert gb.find_submission("03-forward-pass", "zoe").score == 15
