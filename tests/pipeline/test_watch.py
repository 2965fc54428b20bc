"""Grading on submit, end to end through a real nbgrader exchange in a temporary folder.

The instructor releases into the exchange; two students (each with its own home and
nbgrader cache, named with --student) fetch, fill in and submit with nbgrader's own
commands; the watcher's workers collect, grade, and release the feedback; the students
fetch it with nbgrader fetch_feedback.
"""
import html
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from grader.pipeline import autograde, exchange, mutants, nbg, release, submissions, watch
from tests.pipeline.conftest import make_course

pytestmark = [pytest.mark.pipeline, pytest.mark.slow]

A = "01-neuron"
NBGRADER = str(Path(sys.executable).with_name("nbgrader"))
BUG = next(m for m in mutants.CATALOG if m.id == "sigmoid-prime-returns-sigmoid")


def as_student(course, home, *args):
    """Run an nbgrader student command in the student's home; -> CompletedProcess."""
    home.mkdir(parents=True, exist_ok=True)
    config = course.nbgrader_config()
    command = [NBGRADER, *args, f"--course={config.CourseDirectory.course_id}",
               f"--Exchange.root={config.Exchange.root}", f"--Exchange.cache={home / 'cache'}",
               "--Exchange.path_includes_course=True"]
    result = subprocess.run(command, cwd=home, capture_output=True, text=True, timeout=300,
                            env={"HOME": str(home), "PATH": str(Path(NBGRADER).parent)})
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def submit(course, home, student, nb):
    """Fetch (once), overwrite the notebook with nb, submit as this student."""
    folder = home / config_id(course) / A
    if not folder.exists():
        as_student(course, home, "fetch_assignment", A)
    nbformat.write(nb, folder / f"{A}.ipynb")
    as_student(course, home, "submit", A, f"--student={student}")


def config_id(course):
    return course.nbgrader_config().CourseDirectory.course_id


def fetched_feedback(course, home, student):
    """nbgrader fetch_feedback as the student; -> {timestamp folder name: page text}."""
    as_student(course, home, "fetch_feedback", A, f"--student={student}")
    folder = home / config_id(course) / A / "feedback"
    return {p.parent.name: html.unescape(re.sub(r"<[^>]+>", " ", p.read_text()))
            for p in folder.glob(f"*/{A}.html")}


@pytest.fixture
def course(tmp_path):
    """A course released into a fresh exchange, with its own course id."""
    course = make_course(tmp_path / "work", exchange=tmp_path / "exchange", course_id="bp101")
    release.release(course, [A], log=lambda m: None)
    exchange.publish(course, [A])
    return course


def test_submissions_are_graded_and_the_feedback_is_fetched(course, tmp_path):
    ada, ben, eve = tmp_path / "home-ada", tmp_path / "home-ben", tmp_path / "home-eve"
    submit(course, ada, "ada", submissions.solved(course, A))
    submit(course, ben, "ben", BUG.apply(submissions.solved(course, A)))
    submit(course, eve, "eve", submissions.solved(course, A))
    course.path("submitted").mkdir(parents=True)
    course.path("submitted", "eve").write_text("a file where eve's folder goes: collect fails")
    lines = []
    assert watch.watch(course, [A], jobs=2, once=True, log=lines.append) == 3
    eve_row = autograde.load(course)[("eve", A)]
    assert eve_row.status == autograde.FAILED, eve_row
    assert eve_row.problems[0].startswith("nbgrader could not collect it: "), eve_row
    pages = {who: fetched_feedback(course, home, who) for who, home in [("ada", ada),
                                                                         ("ben", ben)]}
    assert len(pages["ada"]) == len(pages["ben"]) == 1, (pages, lines)
    bug_page = next(iter(pages["ben"].values()))
    assert f"✘ {BUG.function}" in bug_page and all(e in bug_page for e in BUG.expect)
    assert f"✘ {BUG.function}" not in next(iter(pages["ada"].values()))
    with nbg.gradebook(course) as gb:
        full = gb.find_assignment(A).max_score
        assert gb.find_submission(A, "ada").score == full > 0
        assert 0 < gb.find_submission(A, "ben").score < full
    assert any(l.startswith("ben/01-neuron: ") and "feedback released" in l for l in lines)
    assert any(l.startswith("eve/01-neuron: ") and "feedback not released" in l for l in lines)


def test_a_newer_submission_supersedes_a_queued_older_one(course, tmp_path):
    home = tmp_path / "home-cy"
    submit(course, home, "cy", BUG.apply(submissions.solved(course, A)))
    submit(course, home, "cy", submissions.solved(course, A))
    inbound = exchange.inbound(course, [A])
    assert len(inbound) == 2
    newest = max(e.timestamp for e in inbound)
    lines = []
    assert watch.watch(course, [A], jobs=1, once=True, log=lines.append) == 1
    assert sum(l.startswith("cy/") for l in lines) == 1, lines
    assert exchange.timestamp(course, "autograded", "cy", A) == newest
    with nbg.gradebook(course) as gb:
        assert gb.find_submission(A, "cy").score == gb.find_assignment(A).max_score
    pages = fetched_feedback(course, home, "cy")
    assert len(pages) == 1 and f"✘ {BUG.function}" not in next(iter(pages.values()))


def test_a_link_planted_in_the_inbound_folder_is_refused_not_followed(course, tmp_path):
    """The inbound folder is writable by every student: a link there to the instructor's
    solutions must not arrive in submitted/ as their content (nbgrader's copy follows)."""
    home = tmp_path / "home-mal"
    submit(course, home, "mal", submissions.released(course, A))
    entry = next(e for e in exchange.inbound(course, [A]) if e.student == "mal")
    planted = exchange.course_path(course) / "inbound" / entry.name / f"{A}.ipynb"
    planted.unlink()
    planted.symlink_to(course.source_dir / A / f"{A}.ipynb")
    assert watch.watch(course, [A], jobs=1, once=True, log=lambda m: None) == 1
    assert course.path("submitted", "mal", A).joinpath(f"{A}.ipynb").is_symlink()
    row = autograde.load(course)[("mal", A)]
    assert row.status == autograde.FAILED and not row.score, row
    assert "symbolic link" in "; ".join(row.problems), row.problems


def test_watch_without_an_exchange_is_a_clear_error(tmp_path):
    course = make_course(tmp_path / "work")
    with pytest.raises(nbg.PipelineError, match="no exchange: give --exchange DIR"):
        watch.watch(course, [A], once=True)
