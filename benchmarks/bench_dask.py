"""Grading on Dask and on submit, measured side by side in one run.

1. A class (every notebook solved, --students students) graded on a local Dask
   cluster of 1 worker and of 2 workers: seconds, submissions per minute, seconds per
   submission per worker, with a check that both stored the same grades cell by cell.
2. What one task ships: the pickled task (function, course, student, assignment) and
   the Row it returns.
3. Submission to feedback: `backprop-course watch` running (a local cluster of 1
   worker); a student submits each notebook with `nbgrader submit`; the time from the
   submission's last file in the exchange to its released feedback page (file times),
   next to that submission's own autograde time (goal: at most 2 s more).
4. Gradebook writes per second: what nbgrader's autograde writes for one submission
   (the student, the submission, then one commit per graded cell and per answer cell,
   as SaveAutoGrades does), by 1 and by 2 concurrent writers, on SQLite in the work
   folder, and on --db URL (e.g. postgresql://...) if given.

    .venv/bin/python benchmarks/bench_dask.py [--students 3] [--writes 60] [--db URL]
"""
import argparse
import multiprocessing
import os
import pickle
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
import warnings
from pathlib import Path

import cloudpickle
import nbclient
import nbformat
from nbgrader.api import Gradebook
from nbgrader.utils import notebook_hash

from grader.pipeline import assignments, autograde, cluster, exchange, nbg, release, submissions
from grader.pipeline.config import Course
from grader.pipeline.sandbox import SandboxedKernelManager

IDS = [a.id for a in assignments.ASSIGNMENTS]
BIN = Path(sys.executable).parent


def grades(course):
    """{(student, assignment): {cell: score}} as the gradebook holds them."""
    with nbg.gradebook(course) as gb:
        return {(s.student.id, a): {g.name: g.score for nb in s.notebooks for g in nb.grades}
                for a in IDS for s in gb.assignment_submissions(a)}


def class_runs(work, students, db=None):
    """Section 1: the same class on 1 and on 2 local workers (SQLite), and on 2 workers
    writing to the gradebook at db (e.g. PostgreSQL), if given."""
    runs = {}
    plan = [("sqlite", 1, ""), ("sqlite", 2, "")] + ([(db.split(":")[0], 2, db)] if db else [])
    for name, jobs, url in plan:
        course = Course(work_dir=work / f"class-{name}-{jobs}", db_url=url)
        release.release(course, log=lambda m: None)
        for s in range(students):
            for a in IDS:
                submissions.submit(course, f"student{s:02d}", a, submissions.solved(course, a))
        start = time.perf_counter()
        rows = autograde.autograde(course, jobs=jobs, progress=False)
        runs[(name, jobs)] = (time.perf_counter() - start, rows, grades(course))
    first = runs[("sqlite", 1)]
    assert all(r[2] == first[2] for r in runs.values()), "the runs stored different grades"
    assert len(first[2]) == students * len(IDS), "lost or duplicated submissions"
    n = len(first[1])
    print(f"1. a class of {n} submissions ({students} students x {len(IDS)} notebooks), "
          "local Dask cluster (start-up included)")
    print(f"   {'gradebook':<12}{'workers':<10}{'seconds':>9}{'per minute':>12}{'speed-up':>10}"
          f"{'s per submission per worker':>30}{'median task s':>15}")
    for (name, jobs), (seconds, rows, _) in runs.items():
        task = statistics.median(r.seconds for r in rows)
        print(f"   {name:<12}{jobs:<10}{seconds:>9.1f}{60 * n / seconds:>12.1f}"
              f"{first[0] / seconds:>9.2f}x{seconds * jobs / n:>30.2f}{task:>15.2f}")
    print(f"   same grades in all {len(runs)} runs, cell by cell: yes")
    course = Course(work_dir=work / "class-sqlite-1")
    start = time.perf_counter()
    with cluster.connect(course, IDS, 2):
        ready = time.perf_counter() - start
    print(f"   of which: local cluster of 2 workers started and checked in {ready:.1f} s, "
          f"closed in {time.perf_counter() - start - ready:.1f} s; a sandboxed kernel "
          f"started, ran one cell and shut down in {kernel_startup(work):.2f} s (median of 3)\n")
    return first[1], course


def kernel_startup(work, repeats=3):
    """Seconds to start a sandboxed kernel, run `1`, and shut it down."""
    folder = work / "startup"
    folder.mkdir()
    times = []
    for _ in range(repeats):
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")])
        start = time.perf_counter()
        nbclient.NotebookClient(nb, km=SandboxedKernelManager(), timeout=120,
                                resources={"metadata": {"path": str(folder)}}).execute()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def shipped(course, rows):
    """Section 2: bytes of a pickled task and of the Rows that come back."""
    task = len(cloudpickle.dumps((autograde._task, course, "student00", IDS[0])))
    sizes = [len(pickle.dumps(r)) for r in rows]
    print("2. bytes shipped per task (pickled)")
    print(f"   task (function, Course, student, assignment): {task} B; "
          f"Row returned: median {statistics.median(sizes):.0f} B, max {max(sizes)} B\n")


def as_student(course, home, *args):
    config = course.nbgrader_config()
    subprocess.run([str(BIN / "nbgrader"), *args, f"--course={config.CourseDirectory.course_id}",
                    f"--Exchange.root={config.Exchange.root}",
                    f"--Exchange.cache={home / 'cache'}", "--Exchange.path_includes_course=True"],
                   cwd=home, env=dict(os.environ, HOME=str(home)), check=True,
                   capture_output=True, text=True, timeout=300)


def submit_and_wait(course, home, student, assignment_id, timeout=600):
    """Submit a solved notebook as the student; -> (submitted, released) file times."""
    folder = home / course.nbgrader_config().CourseDirectory.course_id / assignment_id
    if not folder.exists():
        as_student(course, home, "fetch_assignment", assignment_id)
    notebook = assignments.get(assignment_id).notebook
    nbformat.write(submissions.solved(course, assignment_id), folder / notebook)
    before = {e.name for e in exchange.inbound(course)}
    as_student(course, home, "submit", assignment_id, f"--student={student}")
    entry = next(e for e in exchange.inbound(course) if e.name not in before)
    inbound = exchange.course_path(course) / "inbound" / entry.name
    secret = (inbound / "submission_secret.txt").read_text()
    page = exchange.course_path(course) / "feedback" / \
        f"{notebook_hash(secret=secret, notebook_id=notebook[:-len('.ipynb')])}.html"
    deadline = time.monotonic() + timeout
    while not page.exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"no feedback for {student}/{assignment_id}")
        time.sleep(0.05)
    return (inbound / "submission_secret.txt").stat().st_mtime, page.stat().st_mtime


def report_row(course, student, assignment_id, timeout=60):
    """The report's row, once the watcher has saved it (the worker releases the page first)."""
    deadline = time.monotonic() + timeout
    while (student, assignment_id) not in (rows := autograde.load(course)):
        if time.monotonic() > deadline:
            raise TimeoutError(f"no report row for {student}/{assignment_id}")
        time.sleep(0.05)
    return rows[(student, assignment_id)]


def latency(work):
    """Section 3: submission -> feedback with `backprop-course watch` running."""
    course = Course(work_dir=work / "watch", exchange=str(work / "exchange"))
    release.release(course, log=lambda m: None)
    exchange.publish(course)
    home = work / "home"
    home.mkdir()
    log = open(work / "watch.log", "w")
    watcher = subprocess.Popen(
        [str(BIN / "backprop-course"), "--work", str(course.work_dir), "--exchange",
         str(course.exchange), "--jobs", "1", "watch"], stdout=subprocess.PIPE,
        stderr=log, text=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        assert watcher.stdout.readline().startswith("watching"), "the watcher did not start"
        submit_and_wait(course, home, "warmup", IDS[0])  # first task: cold imports
        print("3. submission -> feedback released, `backprop-course watch` (1 local worker)")
        print(f"   {'notebook':<28}{'autograde s':>12}{'submit->feedback s':>20}"
              f"{'difference s':>14}{'goal <= +2 s':>14}")
        for a in IDS:
            submitted, released = submit_and_wait(course, home, "kim", a)
            row = report_row(course, "kim", a)
            total = released - submitted
            print(f"   {a:<28}{row.seconds:>12.2f}{total:>20.2f}{total - row.seconds:>14.2f}"
                  f"{'met' if total - row.seconds <= 2 else 'MISSED':>14}")
        as_student(course, home, "fetch_feedback", IDS[-1], "--student=kim")
        fetched = list((home / "backprop-course" / IDS[-1] / "feedback").glob("*/*.html"))
        print(f"   nbgrader fetch_feedback as the student: {len(fetched)} page(s) fetched\n")
    finally:
        watcher.send_signal(signal.SIGINT)
        watcher.wait(timeout=120)
        log.close()


def _write_submissions(db_url, course_id, assignment_id, notebook, cells, students, barrier,
                       out):
    """What nbgrader's autograde writes per submission, for each student; seconds -> out."""
    warnings.filterwarnings("ignore", message=".*not in session.*")  # nbgrader 0.9's, harmless
    with Gradebook(db_url, course_id=course_id) as gb:
        barrier.wait()  # every writer is connected: start together
        start = time.perf_counter()
        for student in students:
            gb.update_or_create_student(student)
            gb.add_submission(assignment_id, student)
            for name in cells["grade"]:
                grade = gb.find_grade(name, notebook, assignment_id, student)
                grade.auto_score, grade.needs_manual_grade = 1.0, False
                gb.db.commit()
            for name in cells["solution"]:
                gb.find_comment(name, notebook, assignment_id, student).auto_comment = None
                gb.db.commit()
        out.put(time.perf_counter() - start)


def gradebook_writes(work, count, db_url=None):
    """Section 4: submissions written per second by 1 and 2 writers (timed in each writer,
    from a common start once all are connected, to the last one's end)."""
    label = db_url.split(":")[0] if db_url else "sqlite"
    course = Course(work_dir=work / f"gradebook-{label}", db_url=db_url or "")
    a = IDS[4]  # 05: many graded cells
    release.release(course, [a], log=lambda m: None)
    notebook = assignments.get(a).notebook[:-len(".ipynb")]
    with nbg.gradebook(course) as gb:
        nb = gb.find_notebook(notebook, a)
        cells = {"grade": [c.name for c in nb.grade_cells],
                 "solution": [c.name for c in nb.solution_cells]}
    print(f"   ({label}: {a}, {len(cells['grade'])} graded and {len(cells['solution'])} "
          f"answer cells; {count} submissions per writer)")
    course_id = course.nbgrader_config().CourseDirectory.course_id
    tag = uuid.uuid4().hex[:6]
    results = []
    for writers in (1, 2):
        names = [[f"w{tag}-{writers}-{w}-{i}" for i in range(count)] for w in range(writers)]
        ctx = multiprocessing.get_context("spawn")
        barrier, out = ctx.Barrier(writers), ctx.Queue()
        procs = [ctx.Process(target=_write_submissions, args=(
            course.db_url, course_id, a, notebook, cells, n, barrier, out)) for n in names]
        for proc in procs:
            proc.start()
        seconds = max(out.get(timeout=600) for _ in procs)
        for proc in procs:
            proc.join()
        commits = writers * count * (len(cells["grade"]) + len(cells["solution"]) + 2)
        results.append((writers, writers * count / seconds, commits / seconds))
    print(f"   {'database':<12}{'writers':>8}{'submissions/s':>16}{'commits/s':>16}")
    for writers, per_s, commits in results:
        print(f"   {label:<12}{writers:>8}{per_s:>16.1f}{commits:>16.0f}")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--students", type=int, default=3)
    p.add_argument("--writes", type=int, default=60, help="submissions written per writer")
    p.add_argument("--db", default=None, help="also grade the class, and measure the "
                   "gradebook writes, at this URL (an empty database, e.g. postgresql://...)")
    args = p.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-dask-"))
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at start "
          "(shared: other processes may run)\n")
    rows, course = class_runs(work, args.students, args.db)
    shipped(course, rows)
    latency(work)
    print("4. gradebook: what autograde writes per submission "
          "(2 + one commit per graded and answer cell)")
    gradebook_writes(work, args.writes)
    if args.db:
        gradebook_writes(work, args.writes, args.db)
    print(f"\nload average at the end: {os.getloadavg()[0]:.2f}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
