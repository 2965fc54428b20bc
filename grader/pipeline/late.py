"""Due dates and late penalties, the nbgrader way.

nbgrader keeps each assignment's due date in the gradebook, reads when a submission
was made from its ``timestamp.txt``, and at autograde asks the plugin configured as
``AssignLatePenalties.plugin_class`` for the penalty, which it stores per notebook and
subtracts in its exports. The course's ``nbgrader_config.py`` chooses ``PerDayPenalty``
below; nbgrader's own ``LateSubmissionPlugin`` with ``penalty_method = 'zero'`` is the
built-in alternative. A due date set after grading applies from the next autograde.
"""
import math

import dateutil.tz
from nbgrader.plugins import BasePlugin
from nbgrader.utils import parse_utc
from traitlets import Float

from . import assignments, nbg

DAY = 24 * 3600


class PerDayPenalty(BasePlugin):
    """Take ``per_day`` of the earned score for every day, or part of a day, late."""

    per_day = Float(0.10, help="Share of the earned score lost per started day late "
                               "(0: no penalty; 1: zero once late).").tag(config=True)

    def late_submission_penalty(self, student_id, score, total_seconds_late):
        """Points off: score x per_day x started days late, never more than the score."""
        days = math.ceil(total_seconds_late / DAY)
        return round(min(score, score * self.per_day * days), 2)


def parse_due(text):
    """'2026-03-01 23:59 Europe/Berlin' (or an ISO date; no zone means UTC) -> naive UTC."""
    parts = text.split()
    if len(parts) == 3 and not parts[2].lstrip("+-").isdigit() \
            and dateutil.tz.gettz(parts[2]) is None:
        raise ValueError(f"due: unknown time zone {parts[2]!r} in {text!r}: expected a name "
                         "like UTC or Europe/Berlin, or an offset like +0100")
    try:
        return parse_utc(text)
    except (ValueError, OverflowError):
        raise ValueError(f"due: cannot read {text!r} as a date: expected e.g. "
                         "'2026-03-01 23:59 Europe/Berlin' or '2026-03-01T23:59+01:00' "
                         "(no zone: UTC)") from None


def set_due(course, assignment_id, when):
    """Store the due date of an assignment in the gradebook (None clears it); -> UTC date."""
    assignments.get(assignment_id)
    due = None if when is None else parse_due(when)
    with nbg.gradebook(course) as gb:
        gb.update_or_create_assignment(assignment_id, duedate=due)
    return due


def due_dates(course):
    """{assignment id: due date in UTC or None}, for the assignments in the gradebook."""
    with nbg.gradebook(course) as gb:
        return {a.name: a.duedate for a in gb.assignments}


def due(course, assignment_id=None, when=None, log=print):
    """The `due` command: set one due date ('none' clears it), then list them all."""
    if when is not None:
        set_due(course, assignment_id, None if when.lower() == "none" else when)
    elif assignment_id is not None:
        raise ValueError(f"due {assignment_id}: give the date too, e.g. "
                         f"due {assignment_id} '2026-03-01 23:59 Europe/Berlin' (or 'none')")
    for name, date in sorted(due_dates(course).items()):
        log(f"{name}  {'-' if date is None else date.strftime('%Y-%m-%d %H:%M:%S UTC')}")
