"""Autograde on Dask: 2 workers grade as 1 does, and --scheduler reaches a separate cluster."""
import json
import os
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest

from grader.pipeline import assignments, autograde, cluster, mutants, nbg, submissions
from grader.pipeline.config import Course

pytestmark = [pytest.mark.pipeline, pytest.mark.slow]

A = "01-neuron"
BUGS = ["step-at-zero-is-one", "tanh-prime-missing-square"]
DASK = str(Path(sys.executable).with_name("dask"))


def cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "grader.pipeline.cli", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, timeout=900)


def make_class(course):
    """A small class: two correct notebooks, two bugs, one untouched release."""
    solved = submissions.solved(course, A)
    submissions.submit(course, "ada", A, solved)
    submissions.submit(course, "bo", A, solved)
    by_id = {m.id: m for m in mutants.CATALOG}
    for bug in BUGS:
        submissions.submit(course, f"bug-{bug}", A, by_id[bug].apply(solved))
    submissions.submit(course, "untouched", A, submissions.released(course, A))


def stored_grades(course):
    """{student: (score, {cell: score})} as the gradebook holds them."""
    notebook = assignments.get(A).notebook[:-len(".ipynb")]
    with nbg.gradebook(course) as gb:
        return {s.student.id: (s.score, {g.name: g.score for g in
                                         gb.find_submission_notebook(notebook, A, s.student.id)
                                         .grades})
                for s in gb.assignment_submissions(A)}


def summary(row):
    return row.student, row.score, row.status, row.failed, row.problems


def test_two_workers_grade_a_class_exactly_as_one_worker(released):
    one, two = released(A), released(A)
    make_class(one)
    make_class(two)
    rows1 = autograde.autograde(one, [A], jobs=1, progress=False)
    rows2 = autograde.autograde(two, [A], jobs=2, progress=False)
    assert [summary(r) for r in rows1] == [summary(r) for r in rows2]
    grades = stored_grades(one)
    assert grades == stored_grades(two)
    assert len(grades) == 5 and len(next(iter(grades.values()))[1]) > 5
    scores = {s: score for s, (score, _) in grades.items()}
    assert scores["ada"] == scores["bo"] == 20 > scores["bug-step-at-zero-is-one"] > 0
    assert scores["untouched"] == 0


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def scheduler(tmp_path):
    """A `dask scheduler` and one `dask worker`, separate processes; -> its address."""
    address = f"tcp://127.0.0.1:{free_port()}"
    env = dict(os.environ, DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES="1")
    logs = [open(tmp_path / name, "w") for name in ("scheduler.log", "worker.log")]
    procs = [subprocess.Popen([DASK, "scheduler", "--host", "127.0.0.1", "--port",
                               address.rsplit(":", 1)[1], "--no-dashboard"],
                              env=env, stdout=logs[0], stderr=subprocess.STDOUT, cwd=tmp_path)]
    procs.append(subprocess.Popen([DASK, "worker", address, "--nthreads", "1", "--nworkers",
                                   "1", "--no-dashboard", "--name", "outside"],
                                  env=env, stdout=logs[1], stderr=subprocess.STDOUT,
                                  cwd=tmp_path))
    try:
        yield address
    finally:
        for p in reversed(procs):
            p.terminate()
            p.wait(timeout=60)
        for log in logs:
            log.close()


def test_autograde_runs_on_a_separately_started_scheduler_and_worker(released, scheduler):
    from distributed import Client
    course = released(A)
    submissions.submit(course, "zoe", A, submissions.solved(course, A))
    result = cli("--work", course.work_dir, "--scheduler", scheduler, "autograde", A)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "zoe" in result.stdout and "autograde [" in result.stderr
    with nbg.gradebook(course) as gb:
        assert gb.find_submission(A, "zoe").score == 20
    with Client(scheduler, timeout=30, set_as_default=False) as client:
        names = client.run(lambda dask_worker: dask_worker.name)
        assert list(names.values()) == ["outside"]
        ran = client.run_on_scheduler(lambda dask_scheduler: sorted(dask_scheduler.task_prefixes))
        assert "grade" in ran, ran
    assert json.loads((course.work_dir / "autograde-report.json").read_text())[f"zoe/{A}"]


def test_an_unreachable_scheduler_is_one_clear_line(released):
    course = released(A)
    submissions.submit(course, "zoe", A, submissions.solved(course, A))
    address = f"tcp://127.0.0.1:{free_port()}"
    start = time.monotonic()
    result = cli("--work", course.work_dir, "--scheduler", address, "autograde", A)
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(f"backprop-course autograde: no Dask scheduler answered at {address}")
    assert "is `dask scheduler` running there" in last
    assert time.monotonic() - start < 60
    bad = cli("--work", course.work_dir, "--scheduler", "127.0.0.1:8786", "autograde", A)
    assert bad.returncode == 1
    assert "--scheduler '127.0.0.1:8786': expected tcp://HOST:PORT" in bad.stderr


def test_a_worker_with_two_threads_is_refused(released):
    from distributed import LocalCluster
    course = released(A)
    submissions.submit(course, "zoe", A, submissions.solved(course, A))
    with LocalCluster(n_workers=1, threads_per_worker=2, host="127.0.0.1",
                      dashboard_address=None) as local:
        result = cli("--work", course.work_dir, "--scheduler", local.scheduler_address,
                     "autograde", A)
    assert result.returncode == 1
    assert "has 2 threads: grading needs one thread per worker process" in result.stderr
    assert not course.path("autograded", "zoe", A).exists()


def test_two_local_clusters_at_once_warn_of_nothing(released):
    """Two batches at once (autograde beside watch): no race for the scheduler's port 8787."""
    course = released(A)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with cluster.connect(course, [A], jobs=1), cluster.connect(course, [A], jobs=1):
            pass
    assert not [str(w.message) for w in caught if "already in use" in str(w.message)]


def test_the_report_keeps_up_with_a_large_class(tmp_path):
    course = Course(work_dir=tmp_path)
    autograde.save(course, [autograde.Row(f"s{i:05d}", A, 20.0, 20.0, autograde.OK)
                            for i in range(30000)])
    path = course.work_dir / "autograde-report.json"
    report, versions = autograde.Report(course), set()
    for i in range(40):  # rows arriving faster than a 30,000-row report can be rewritten
        report.add(autograde.Row(f"new{i}", A, 10.0, 20.0, autograde.OK))
        versions.add(path.stat().st_mtime_ns)
    assert ("new0", A) in autograde.load(course)  # the first row is saved at once
    assert len(versions) <= 3, f"{len(versions)} rewrites for 40 rows"
    report.flush()
    saved = autograde.load(course)
    assert len(saved) == 30040 and saved[("new39", A)].score == 10.0


def _save_rows(work, prefix, count, barrier):
    course = Course(work_dir=work)
    barrier.wait()
    for i in range(count):
        autograde.save(course, [autograde.Row(f"{prefix}{i}", A, 1.0, 20.0, autograde.OK)])


def test_concurrent_saves_lose_no_row(tmp_path):
    import multiprocessing
    course = Course(work_dir=tmp_path)
    autograde.save(course, [autograde.Row(f"s{i:05d}", A, 20.0, 20.0, autograde.OK)
                            for i in range(20000)])  # each save then takes a while
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(2)
    procs = [ctx.Process(target=_save_rows, args=(tmp_path, p, 10, barrier)) for p in "ab"]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(timeout=300)
    assert [proc.exitcode for proc in procs] == [0, 0]
    assert len(autograde.load(course)) == 20020
