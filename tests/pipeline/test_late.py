"""Late penalties through nbgrader's own plugin: due date in the gradebook, timestamp.txt."""
import csv
import datetime
import subprocess
import sys

import pytest

from grader.pipeline import autograde, export, late, nbg, submissions
from grader.pipeline.late import PerDayPenalty

A = "01-neuron"
DUE = datetime.datetime(2026, 3, 1, 22, 59)                 # 23:59 in Berlin, in UTC
UTC = datetime.timezone.utc


def test_the_penalty_is_a_share_of_the_score_per_started_day():
    plugin = PerDayPenalty(per_day=0.1)
    assert plugin.late_submission_penalty("s", 20.0, 1) == 2.0
    assert plugin.late_submission_penalty("s", 20.0, 86400) == 2.0
    assert plugin.late_submission_penalty("s", 20.0, 86401) == 4.0
    assert plugin.late_submission_penalty("s", 20.0, 30 * 86400) == 20.0   # never below zero
    assert PerDayPenalty(per_day=0).late_submission_penalty("s", 20.0, 86400) == 0


def test_due_dates_are_read_with_their_zone_and_bad_ones_are_refused():
    assert late.parse_due("2026-03-01 23:59 Europe/Berlin") == DUE
    assert late.parse_due("2026-03-01T23:59+01:00") == DUE
    assert late.parse_due("2026-03-01 22:59") == DUE                        # no zone: UTC
    with pytest.raises(ValueError, match="unknown time zone 'CEST'"):
        late.parse_due("2026-03-01 23:59 CEST")
    with pytest.raises(ValueError, match="cannot read 'next friday' as a date"):
        late.parse_due("next friday")


@pytest.mark.pipeline
@pytest.mark.slow
def test_a_late_submission_loses_points_in_the_gradebook_table_and_export(released, tmp_path):
    course = released(A)
    result = subprocess.run([sys.executable, "-m", "grader.pipeline.cli", "--work",
                             course.work_dir, "due", A, "2026-03-01 23:59 Europe/Berlin"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert f"{A}  2026-03-01 22:59:00 UTC" in result.stdout
    good = submissions.solved(course, A)
    due, hour = DUE.replace(tzinfo=UTC), datetime.timedelta(hours=1)
    submissions.submit(course, "early", A, good, when=due - hour)
    submissions.submit(course, "late", A, good, when=due + 25 * hour)  # 2 started days
    rows = {r.student: r for r in autograde.autograde(course, [A], jobs=2, progress=False)}
    full = rows["early"].max_score
    assert full > 0 and all(r.status == autograde.OK for r in rows.values())

    with nbg.gradebook(course) as gb:
        early = gb.find_submission_notebook(A, A, "early")
        overdue = gb.find_submission_notebook(A, A, "late")
        assert early.assignment.total_seconds_late == 0 and not early.late_submission_penalty
        assert overdue.assignment.total_seconds_late == 25 * 3600
        assert early.score == overdue.score == full                 # the grades themselves
        assert overdue.late_submission_penalty == pytest.approx(0.2 * full)

    assert rows["early"].score == full and not rows["early"].problems
    assert rows["late"].score == pytest.approx(0.8 * full)
    assert rows["late"].problems == [f"late by 25.0 h: -{0.2 * full:g} points"]

    path = export.export(course, tmp_path / "grades.csv", log=lambda m: None)
    with open(path, newline="") as fh:
        grades = {r["student_id"]: r for r in csv.DictReader(fh)}
    assert float(grades["early"]["score"]) == full
    assert float(grades["late"]["raw_score"]) == full
    assert float(grades["late"]["late_submission_penalty"]) == pytest.approx(0.2 * full)
    assert float(grades["late"]["score"]) == pytest.approx(0.8 * full)
    assert "late by 25.0 h" in grades["late"]["problems"]
