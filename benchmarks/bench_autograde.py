"""Autograde throughput, measured side by side in one run.

1. Per notebook: the graded notebook (hidden tests in, recording) executed by
   nbclient alone in an ordinary kernel, the same in the sandboxed kernel, and
   nbgrader's whole autograde (sanitizing, the sandbox, the verdicts in the grader's
   process, the gradebook). Both kernels get one BLAS thread, as grading kernels do.
2. A class: the same submissions graded serially (1 worker) and in parallel (a
   local Dask cluster of N workers, each around the in-process API), with a check
   that both runs produced exactly the same grades and one submission per student.

    .venv/bin/python benchmarks/bench_autograde.py [--students 6] [--jobs 2]
"""
import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import nbclient
import nbformat

from grader.pipeline import assignments, autograde, nbg, release, submissions
from grader.pipeline.config import Course
from grader.pipeline.sandbox import SandboxedKernelManager


def raw_execution(course, assignment_id, repeats, sandboxed=False):
    """Seconds to execute a graded notebook with nbclient (new kernel each time)."""
    source = course.path("autograded", "student000", assignment_id)
    folder = Path(tempfile.mkdtemp()) / assignment_id
    shutil.copytree(source, folder)
    times = []
    for _ in range(repeats):
        nb = nbformat.read(folder / f"{assignment_id}.ipynb", as_version=4)
        for c in nb.cells:
            if c.cell_type == "code":
                c.outputs, c.execution_count = [], None
        km = SandboxedKernelManager(sandbox=sandboxed)
        env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
        start = time.perf_counter()
        nbclient.NotebookClient(nb, km=km, timeout=300,
                                resources={"metadata": {"path": str(folder)}}).execute(env=env)
        times.append(time.perf_counter() - start)
    shutil.rmtree(folder.parent, ignore_errors=True)
    return statistics.median(times)


def class_run(course, students, jobs):
    """Grade every submission; -> (seconds, {(student, id): score})."""
    start = time.perf_counter()
    rows = autograde.autograde(course, jobs=jobs, progress=False)
    seconds = time.perf_counter() - start
    with nbg.gradebook(course) as gb:
        stored = [(s.student.id, a.id) for a in assignments.ASSIGNMENTS
                  for s in gb.assignment_submissions(a.id)]
    assert len(stored) == len(set(stored)) == len(rows), "lost or duplicated submissions"
    return seconds, {(r.student, r.assignment): r.score for r in rows}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--students", type=int, default=6)
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    p.add_argument("--repeats", type=int, default=2)
    args = p.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-autograde-"))
    course = Course(work_dir=work / "serial")
    release.release(course, log=lambda m: None)
    ids = [a.id for a in assignments.ASSIGNMENTS]
    for s in range(args.students):
        for a in ids:
            submissions.submit(course, f"student{s:03d}", a, submissions.solved(course, a))
    parallel = Course(work_dir=work / "parallel")
    shutil.copytree(course.work_dir, parallel.work_dir)
    (parallel.work_dir / "gradebook.db").unlink()
    release.release(parallel, log=lambda m: None)

    print(f"machine: {os.cpu_count()} cores; {args.students} students x {len(ids)} notebooks\n")
    print(f"{'notebook':<28}{'kernel':>9}{'sandboxed':>11}{'autograde':>11}"
          f"{'sandboxed/kernel':>18}{'autograde/kernel':>18}")
    serial_time, serial = class_run(course, args.students, 1)
    per_notebook = {}
    for a in ids:
        report = autograde.load(course)
        per_notebook[a] = statistics.median(r.seconds for (s, i), r in report.items() if i == a)
        raw = raw_execution(course, a, args.repeats)
        boxed = raw_execution(course, a, args.repeats, sandboxed=True)
        print(f"{a:<28}{raw:>8.2f}s{boxed:>10.2f}s{per_notebook[a]:>10.2f}s"
              f"{boxed / raw:>17.2f}x{per_notebook[a] / raw:>17.2f}x")
    parallel_time, par = class_run(parallel, args.students, args.jobs)
    n = len(serial)
    assert par == serial, "parallel grades differ from serial grades"
    title = f"class of {n} submissions"
    print(f"\n{title:<28}{'seconds':>10}{'per minute':>12}{'speed-up':>10}")
    print(f"{'serial (1 worker)':<28}{serial_time:>10.1f}{60 * n / serial_time:>12.1f}{1:>9.2f}x")
    print(f"{f'parallel ({args.jobs} workers)':<28}{parallel_time:>10.1f}"
          f"{60 * n / parallel_time:>12.1f}{serial_time / parallel_time:>9.2f}x")
    print("\nsame grades serial vs parallel: yes; one submission per student and notebook: yes")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
