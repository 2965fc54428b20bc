"""Autograde a class with nbgrader, in parallel, past any broken submission.

Each (student, assignment) is one task: inspect the submitted folder, run
nbgrader's autograde in process with the kernel guard and the oracle, then read
the gradebook and the guard's report. Tasks run in a pool of worker processes,
each with its own NbGraderAPI; the SQLite gradebook is opened with a long busy
timeout, so writers wait for each other instead of failing. A task never
raises: whatever happens becomes the row's status and problems.
"""
import json
import multiprocessing
import os
import sys
import time
from dataclasses import asdict, dataclass, field

import nbformat

from . import assignments, nbg, oracle, scan

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


def _guard_report(course, student, assignment_id):
    return course.path("reports", student) / f"{assignment_id}.guard.jsonl"


def _guard_problems(path):
    """Readable lines from the kernel guard's report."""
    if not path.exists():
        return []
    words = {"blocked": "blocked", "tamper": "tampering undone before grading"}
    out = []
    for line in path.read_text().splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if event.get("kind") in words:
            out.append(f"review: {words[event['kind']]}: {event['detail']}")
    return out


def _died(result):
    text = (result.get("error") or "") + (result.get("log") or "")
    return any(s in text for s in ("DeadKernelError", "Kernel died", "kernel died"))


def grade_one(course, student, assignment_id, api=None):
    """Autograde one submission -> Row. Never raises."""
    start = time.perf_counter()
    row = Row(student, assignment_id)
    try:
        path, row.problems = scan.inspect(course, student, assignment_id)
        report = _guard_report(course, student, assignment_id)
        report.parent.mkdir(parents=True, exist_ok=True)
        report.unlink(missing_ok=True)
        if path is None:
            row.status = NOT_GRADED
        else:
            api = api or nbg.api(course)
            with nbg.environ(course.kernel_env(report)):
                result = api.autograde(assignment_id, student, force=True, create=True)
            row.problems += _guard_problems(report)
            if not result.get("success"):
                row.status = DIED if _died(result) else FAILED
                if row.status == FAILED:
                    row.problems.append("nbgrader: " + _last_error(result))
            else:
                row.status = OK
                row.problems += _run_problems(course, row)
        _read_scores(course, row)
    except Exception as exc:  # the batch goes on; the instructor sees why
        row.status = FAILED
        row.problems.append(f"{type(exc).__name__}: {exc}")
    if row.status == DIED:
        row.score = None
        row.problems.insert(0, "the kernel died (a crash or a kill): no score; grade by hand")
    row.seconds = time.perf_counter() - start
    return row


def _run_problems(course, row):
    """What went wrong while the notebook ran: timeouts and memory exhaustion."""
    a = assignments.get(row.assignment)
    nb = nbformat.read(course.path("autograded", row.student, row.assignment) / a.notebook,
                       as_version=4)
    found = []
    for i, c in enumerate(nb.cells):
        where = c.metadata.get("nbgrader", {}).get("grade_id") or f"cell {i}"
        for out in c.get("outputs", []):
            if out.get("ename") in ("CellTimeoutError", "CellTimeLimit"):
                found.append(f"{where} timed out (stopped after {course.cell_timeout} s, "
                             "or 5 s once a cell had hung)")
            elif out.get("ename") == "MemoryError":
                found.append(f"{where} ran out of memory (limit {course.memory_mb} MiB)")
    return found


def _last_error(result):
    lines = [l for l in ((result.get("error") or "") + (result.get("log") or "")).splitlines()
             if l.strip()]
    return lines[-1][:200] if lines else "unknown error"


def _read_scores(course, row):
    """Score, max and the test cells that lost points, from the gradebook."""
    a = assignments.get(row.assignment)
    with nbg.gradebook(course) as gb:
        assignment = gb.find_assignment(row.assignment)
        row.max_score = float(assignment.max_score)
        if row.status == NOT_GRADED:
            row.score = 0.0  # nothing gradable was submitted; the problems say why
        if row.status != OK:
            return
        sub = gb.find_submission_notebook(a.notebook[:-len(".ipynb")], row.assignment, row.student)
        row.score = float(sub.score)
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
    """Autograde every submission found; -> rows, in submission order."""
    ids = ids or [a.id for a in assignments.ASSIGNMENTS]
    oracle.write(course.oracle_dir, ids)
    tasks = [(course, s, a) for s, a in submissions(course, ids, students)]
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(tasks) or 1))
    bar = Progress(len(tasks), enabled=progress)
    rows = []
    if jobs == 1:
        api = nbg.api(course) if tasks else None
        for course_, s, a in tasks:
            rows.append(grade_one(course_, s, a, api))
            bar.step(rows[-1])
    else:
        ctx = multiprocessing.get_context("spawn")
        with ctx.Pool(jobs, maxtasksperchild=8) as pool:
            for row in pool.imap_unordered(_task, tasks):
                rows.append(row)
                bar.step(row)
    bar.done()
    order = {(s, a): i for i, (_, s, a) in enumerate(tasks)}
    rows.sort(key=lambda r: order[(r.student, r.assignment)])
    save(course, rows)
    return rows


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
    path.write_text(json.dumps(data, indent=1, sort_keys=True))


def load(course):
    """{(student, assignment): Row} from the last autograde runs."""
    path = course.work_dir / "autograde-report.json"
    data = json.loads(path.read_text()) if path.exists() else {}
    return {(r["student"], r["assignment"]): Row(**r) for r in data.values()}
