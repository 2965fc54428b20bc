"""nbgrader's exchange for the course: release into it, see what came in, collect, feed back.

Every move is nbgrader's own (its API's release_assignment, collect, release_feedback);
this module only reads the names in ``<exchange>/<course_id>/inbound/``
(``student+assignment+timestamp+random``, as nbgrader's collect parses them) to know
what is new. A submission counts once nbgrader's submit has written its last file,
``submission_secret.txt`` (release_feedback needs it).
"""
import os
import shutil
import warnings
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from nbgrader.exchange.default.collect import ExchangeCollect
from nbgrader.utils import parse_utc, temp_attrs

from . import assignments, nbg, scan


@dataclass(frozen=True)
class Inbound:
    """One submission in the exchange's inbound folder."""
    student: str
    assignment: str
    timestamp: datetime
    name: str


def course_path(course):
    """<exchange root>/<course_id>, as nbgrader computes it; PipelineError if unset."""
    config = course.nbgrader_config()
    if not course.exchange:
        raise nbg.PipelineError("no exchange: give --exchange DIR (the nbgrader exchange root "
                                "that students submit to)")
    return Path(config.Exchange.root) / config.CourseDirectory.course_id


def publish(course, ids=None, api=None):
    """nbgrader release_assignment of each assignment into the exchange (replacing it)."""
    api = api or nbg.api(course)
    api.config.ExchangeReleaseAssignment.force = True  # a release replaces the last one
    for assignment_id in ids or [a.id for a in assignments.ASSIGNMENTS]:
        nbg.checked(api.release_assignment(assignment_id), f"release_assignment {assignment_id}")
    return course_path(course)


def inbound(course, ids=None, memo=None):
    """Complete submissions in the inbound folder, of the given (default: all) assignments.

    memo: a dict kept between calls, so each name is parsed and checked once (parsing
    60,000 timestamps takes seconds).
    """
    ids = set(ids or [a.id for a in assignments.ASSIGNMENTS])
    memo = {} if memo is None else memo
    folder = course_path(course) / "inbound"
    found = []
    for name in sorted(os.listdir(folder)) if folder.is_dir() else []:
        if name not in memo:
            entry = _entry(folder / name)
            if entry is False:
                continue  # still being written: look again next time
            memo[name] = entry
        if memo[name] is not None and memo[name].assignment in ids:
            found.append(memo[name])
    return found


def _entry(path):
    """The Inbound for an inbound folder, None if it is none, False if not complete yet."""
    parts = path.name.rsplit("+", 3)
    if len(parts) < 3 or parts[1] not in {a.id for a in assignments.ASSIGNMENTS}:
        return None
    try:
        if (path / "submission_secret.txt").stat().st_size == 0:
            return False
    except OSError:
        return False
    try:
        return Inbound(parts[0], parts[1], parse_utc(parts[2]), path.name)
    except ValueError:
        return None  # not a timestamp: nbgrader's collect would not take it either


def newest(entries):
    """{(student, assignment): the newest Inbound}: what nbgrader's collect takes."""
    out = {}
    for e in entries:
        pair = (e.student, e.assignment)
        if pair not in out or e.timestamp > out[pair].timestamp:
            out[pair] = e
    return out


def timestamp(course, step, student, assignment_id):
    """The timestamp.txt of <work>/<step>/<student>/<id> as a datetime, or None."""
    path = course.path(step, student, assignment_id) / "timestamp.txt"
    try:
        return parse_utc(path.read_text().strip())
    except (OSError, ValueError):
        return None


def collect(api, student, assignment_id):
    """nbgrader collect --update of one student's newest submission of one assignment."""
    with temp_attrs(api.coursedir, student_id=student):
        return nbg.checked(api.collect(assignment_id, update=True),
                           f"collect {student}/{assignment_id}")


def release_feedback(api, student, assignment_id):
    """nbgrader release_feedback for one student and assignment."""
    with warnings.catch_warnings():  # nbgrader 0.9 passes a misspelt `authentictor=`
        warnings.filterwarnings("ignore", message=".*authentictor", category=DeprecationWarning)
        result = api.release_feedback(assignment_id, student)
    return nbg.checked(result, f"release_feedback {student}/{assignment_id}")


class SafeCollect(ExchangeCollect):
    """nbgrader's collect, keeping symbolic links as links.

    nbgrader copies an inbound submission with shutil.copytree, which follows links:
    a link a student placed in the (world-writable) inbound folder, pointing at the
    instructor's files (the solutions, the oracle), would arrive in submitted/ as their
    content. Kept as a link, the sanitize step refuses the submission (scan.Inspect).
    """

    def do_copy(self, src, dest, log=None):
        try:
            scan.refuse_links(Path(src))
        except scan.SymlinkInSubmission:
            return shutil.copytree(src, dest, symlinks=True)
        return super().do_copy(src, dest, log)
