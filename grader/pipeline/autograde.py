"""Autograde a class with nbgrader, in parallel, past any broken submission.

Each (student, assignment) is one task: look at the submitted folder, run nbgrader's
autograde in process (the course config makes it sandbox the kernel and compute the
verdicts), then read the gradebook and what the grading steps noted in the notebook.
Tasks run in a pool of worker processes, each with its own NbGraderAPI; the SQLite
gradebook is opened with a long busy timeout, so writers wait for each other. A task
never raises: whatever happens becomes the row's status and problems.
"""
import json
import multiprocessing
import os
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field

import nbformat

from . import assignments, execute, nbg, oracle, sandbox, scan

OK, DIED, FAILED, NOT_GRADED = "graded", "kernel died", "autograde failed", "not graded"


@dataclass
class Row:
    """One line of the summary: a student's result on one assignment."""
    student: str
    assignment: str
    score: float = None      # None when there is no trustworthy score
    max_score: float = 0.0
    status: str = NOT_GRADED
    problems: list = field(default_factory=list)
    failed: list = field(default_factory=list)   # test cells that lost points
    seconds: float = 0.0


def submissions(course, ids=None, students=None):
    """(student, assignment) pairs found under <work>/submitted/, sorted."""
    root = course.path("submitted")
    ids = set(ids or [a.id for a in assignments.ASSIGNMENTS])
    pairs = []
    for student_dir in sorted(p for p in root.glob("*") if p.is_dir()):
        if students and student_dir.name not in students:
            continue
        pairs += [(student_dir.name, a.name) for a in sorted(student_dir.glob("*"))
                  if a.is_dir() and a.name in ids]
    return pairs


def grade_one(course, student, assignment_id, api=None):
    """Autograde one submission -> Row. Never raises."""
    start = time.perf_counter()
    row = Row(student, assignment_id)
    try:
        path, row.problems = scan.inspect(course, student, assignment_id)
        if path is not None:
            api = api or nbg.api(course)
            result = api.autograde(assignment_id, student, force=True, create=True)
            if not result.get("success"):  # once more: a passing hiccup is not a verdict
                result = api.autograde(assignment_id, student, force=True, create=True)
            if not result.get("success"):
                row.status = FAILED
                log = course.path("logs", student) / f"{assignment_id}.log"
                log.parent.mkdir(parents=True, exist_ok=True)
                log.write_text((result.get("error") or "") + (result.get("log") or ""))
                row.problems.append(f"nbgrader failed twice: {_last_error(result)} (log: {log})")
            else:
                row.problems += _notebook_problems(course, row)
                died = any(p.startswith(execute.STOPPED) for p in row.problems)
                row.status = DIED if died else OK
        _read_scores(course, row)
    except Exception as exc:  # the batch goes on; the instructor sees why
        row.status = FAILED
        row.problems.append(f"{type(exc).__name__}: {exc}")
    row.seconds = time.perf_counter() - start
    return row


def _notebook_problems(course, row):
    """What the grading steps found (scan, kernel, verdicts), from the autograded notebook."""
    a = assignments.get(row.assignment)
    nb = nbformat.read(course.path("autograded", row.student, row.assignment) / a.notebook,
                       as_version=4)
    return list(nb.metadata.get("backprop", {}).get("problems", []))


def _last_error(result):
    """The line of nbgrader's output that names the error (ExceptionName: message)."""
    lines = [l.strip() for l in ((result.get("error") or "") + (result.get("log") or ""))
             .splitlines() if l.strip()]
    named = [l for l in lines if re.match(r"^[\w.]*(Error|Exception|Entry|Exit|Submission)\b.*:", l)
             and "see the the above traceback" not in l]  # nbgrader's wrapper says nothing
    return (named or lines or ["unknown error"])[-1][:200]


def _read_scores(course, row):
    """Score, max and the test cells that lost points, from the gradebook."""
    a = assignments.get(row.assignment)
    with nbg.gradebook(course) as gb:
        assignment = gb.find_assignment(row.assignment)
        row.max_score = float(assignment.max_score)
        if row.status == NOT_GRADED:
            row.score = 0.0  # nothing gradable was submitted; the problems say why
        if row.status not in (OK, DIED):
            return
        sub = gb.find_submission_notebook(a.notebook[:-len(".ipynb")], row.assignment, row.student)
        penalty = float(sub.late_submission_penalty or 0)  # set by nbgrader's late plugin
        row.score = max(0.0, float(sub.score) - penalty)
        if sub.assignment.total_seconds_late > 0:
            row.problems.append(f"late by {sub.assignment.total_seconds_late / 3600:.1f} h: "
                                f"-{penalty:g} points")
        row.failed = [f"{g.name} ({g.score:g}/{g.max_score:g})" for g in sub.grades
                      if g.max_score and g.score < g.max_score and g.cell_type == "code"]


_apis = {}  # one NbGraderAPI per worker process and course


def _task(args):
    course, student, assignment_id = args
    key = (str(course.work_dir), course.db_url)
    if key not in _apis:
        _apis[key] = nbg.api(course)
    return grade_one(course, student, assignment_id, _apis[key])


def autograde(course, ids=None, students=None, jobs=None, progress=True):
    """Autograde every submission found; -> rows, in submission order.

    Each row is saved as soon as it is done. A worker process that dies takes no other
    submission with it: the unfinished ones go to a fresh pool, and a submission whose
    worker died twice is reported, not retried.
    """
    ids = ids or [a.id for a in assignments.ASSIGNMENTS]
    oracle.write(None, ids)
    if course.sandbox:
        sandbox.check()
    tasks = [(course, s, a) for s, a in submissions(course, ids, students)]
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(tasks) or 1))
    bar = Progress(len(tasks), enabled=progress)
    rows, crashes = {}, {}

    def done(row):
        rows[(row.student, row.assignment)] = row
        save(course, [row])
        bar.step(row)

    pending = list(tasks)
    while pending:
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(jobs, mp_context=ctx) as pool:
            futures = {pool.submit(_task, t): t for t in pending}
            try:
                for future in as_completed(futures):
                    done(future.result())
            except BrokenProcessPool:
                pass
        pending = []
        for (c, s, a) in tasks:
            if (s, a) in rows:
                continue
            crashes[(s, a)] = crashes.get((s, a), 0) + 1
            if crashes[(s, a)] >= 2:
                done(Row(s, a, status=FAILED, problems=[
                    "the grading worker died twice on this submission: grade by hand"]))
            else:
                pending.append((c, s, a))
    bar.done()
    return [rows[(s, a)] for _, s, a in tasks]


class Progress:
    """A one-line progress bar on stderr (plain lines when not a terminal)."""

    def __init__(self, total, enabled=True, width=30):
        self.total, self.count, self.width = total, 0, width
        self.enabled, self.tty = enabled, sys.stderr.isatty()
        self.start = time.perf_counter()

    def step(self, row):
        self.count += 1
        if not self.enabled:
            return
        filled = int(self.width * self.count / max(self.total, 1))
        bar = "#" * filled + "." * (self.width - filled)
        text = (f"autograde [{bar}] {self.count}/{self.total}  {row.student}/{row.assignment}: "
                f"{row.status}")
        print(("\r" + text.ljust(100)) if self.tty else text, end="" if self.tty else "\n",
              file=sys.stderr, flush=True)

    def done(self):
        if self.enabled:
            print(("\n" if self.tty else "")
                  + f"autograded {self.count} submissions in "
                  f"{time.perf_counter() - self.start:.1f} s",
                  file=sys.stderr)


def save(course, rows):
    """Merge rows into <work>/autograde-report.json (the latest result per submission)."""
    path = course.work_dir / "autograde-report.json"
    data = json.loads(path.read_text()) if path.exists() else {}
    for row in rows:
        data[f"{row.student}/{row.assignment}"] = asdict(row)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True))
    os.replace(tmp, path)


def load(course):
    """{(student, assignment): Row} from the last autograde runs."""
    path = course.work_dir / "autograde-report.json"
    data = json.loads(path.read_text()) if path.exists() else {}
    return {(r["student"], r["assignment"]): Row(**r) for r in data.values()}
