"""Autograde a class with nbgrader on a Dask cluster, past any broken submission.

One task per submission (student, assignment): on a Dask worker, look at the submitted
folder, run nbgrader's autograde in process (the course config makes it sandbox the
kernel and compute the verdicts), then read the gradebook and what the grading steps
noted in the notebook; the worker returns the Row. A task never raises: whatever
happens becomes the row's status and problems. The cluster is a LocalCluster of
``jobs`` workers on this machine, or an existing one (``scheduler``; cluster.py).

Where the gradebook is written: by nbgrader on the workers, as plain nbgrader does (its
autograde writes the grades, comments and review flags while it runs). One gradebook,
one database: SQLite with a long busy timeout on one machine, a PostgreSQL URL
(``--db``) that every worker reaches for a real cluster. Moving the writes to the
client would mean re-implementing nbgrader's gradebook updates, and plain ``nbgrader
autograde`` would no longer be the same path. The client writes the report
(<work>/autograde-report.json) as tasks end, under a lock (a worker making feedback
may add a review flag to a row).

At most one submission per worker thread is in flight, so a worker that dies holds only
the one it was grading: Dask grades it again elsewhere, and one that killed its worker
twice (the local cluster's ``allowed-failures: 1``) is reported, not retried.
"""
import fcntl
import json
import os
import re
import sys
import time
import uuid
from dataclasses import asdict, dataclass, field

import nbformat

from . import assignments, cluster, execute, nbg, scan

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


def worker_api(course):
    """This process's NbGraderAPI for the course (made once per worker)."""
    key = (str(course.work_dir), course.db_url, course.exchange, course.course_id)
    if key not in _apis:
        _apis[key] = nbg.api(course)
    return _apis[key]


def _task(course, student, assignment_id):
    """What a Dask worker runs: grade one submission with this process's API -> Row."""
    return grade_one(course, student, assignment_id, worker_api(course))


def autograde(course, ids=None, students=None, jobs=None, progress=True, scheduler=None):
    """Autograde every submission found; -> rows, in submission order.

    Each row is saved as it is done (Report). A worker that dies takes no other
    submission with it, and a submission whose worker died twice is reported.
    """
    ids = ids or [a.id for a in assignments.ASSIGNMENTS]
    pairs = submissions(course, ids, students)
    bar = Progress(len(pairs), enabled=progress)
    rows = {}
    if pairs:
        jobs = max(1, min(jobs or os.cpu_count() or 1, len(pairs)))
        report = Report(course)
        with cluster.connect(course, ids, jobs, scheduler) as client:
            grading = Grading(client, course)
            for student, assignment_id in pairs:
                grading.add(student, assignment_id)
            for row in grading.rows():
                rows[(row.student, row.assignment)] = row
                report.add(row)
                bar.step(row)
        report.flush()
    bar.done()
    return [rows[pair] for pair in pairs]


class Grading:
    """Submissions graded on a Dask cluster, at most one per worker thread in flight.

    task(course, student, assignment_id) -> Row runs on a worker (default: _task).
    """

    def __init__(self, client, course, task=_task):
        from distributed import as_completed
        self.client, self.course, self.task = client, course, task
        self.queue, self.running = {}, {}   # {(student, id): None}, {future: (student, id)}
        self.finished = as_completed(loop=client.loop)

    def add(self, student, assignment_id):
        """Queue a submission (once: a queued or running one is not queued again)."""
        if not self.holds((student, assignment_id)):
            self.queue[(student, assignment_id)] = None

    def holds(self, pair):
        """Whether this (student, id) is queued or being graded."""
        return pair in self.queue or pair in self.running.values()

    def __len__(self):
        return len(self.queue) + len(self.running)

    def _send(self):
        """Send queued submissions while some worker thread has none."""
        if not self.queue:
            return
        slots = max(1, sum(self.client.nthreads().values()))
        while self.queue and len(self.running) < slots:
            student, assignment_id = pair = next(iter(self.queue))
            del self.queue[pair]
            future = self.client.submit(self.task, self.course, student, assignment_id, pure=False,
                                        key=f"grade-{student}/{assignment_id}-{uuid.uuid4().hex}")
            self.running[future] = pair
            self.finished.add(future)

    def _row(self, future):
        """The Row a finished task returned, or why there is none."""
        from distributed import KilledWorker
        student, assignment_id = self.running.pop(future)
        try:
            row = future.result()
        except KilledWorker as exc:
            row = Row(student, assignment_id, status=FAILED, problems=[
                f"the grading worker died {exc.allowed_failures + 1} times on this "
                "submission: grade by hand"])
        except Exception as exc:  # the task could not run there; the batch goes on
            row = Row(student, assignment_id, status=FAILED,
                      problems=[f"{type(exc).__name__}: {exc}"])
        future.release()
        self._send()
        return row

    def rows(self):
        """Rows as submissions finish, until none is queued or running."""
        self._send()
        for future in self.finished:
            yield self._row(future)

    def ready(self):
        """The rows finished by now, without waiting."""
        self._send()
        return [self._row(f) for f in self.finished.next_batch(block=False)]


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


class Report:
    """Rows saved as they come, but with at most a tenth of the time spent saving: the
    report is rewritten whole, which takes about a second at 60,000 rows."""

    def __init__(self, course):
        self.course, self.unsaved, self.due = course, [], 0.0

    def add(self, row):
        self.unsaved.append(row)
        self.save_if_due()

    def save_if_due(self):
        if time.monotonic() >= self.due:
            self.flush()

    def flush(self):
        if self.unsaved:
            start = time.monotonic()
            save(self.course, self.unsaved)
            self.unsaved = []
            self.due = time.monotonic() + 9 * (time.monotonic() - start)


def save(course, rows):
    """Merge rows into <work>/autograde-report.json (the latest result per submission).

    Under a lock: the client and a worker (feedback's review flags) may save at once.
    """
    path = course.work_dir / "autograde-report.json"
    with open(path.with_name(f".{path.name}.lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        data = json.loads(path.read_text()) if path.exists() else {}
        for row in rows:
            data[f"{row.student}/{row.assignment}"] = asdict(row)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, indent=1, sort_keys=True))
        os.replace(tmp, path)


def load(course):
    """{(student, assignment): Row} from the last autograde runs."""
    path = course.work_dir / "autograde-report.json"
    data = json.loads(path.read_text()) if path.exists() else {}
    return {(r["student"], r["assignment"]): Row(**r) for r in data.values()}
