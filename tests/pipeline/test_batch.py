"""The batch always ends: a Dask worker killed in the middle takes no submission with it."""
import os
import signal
import threading
import time

import dask
import pytest
from distributed import Client, LocalCluster

from grader.pipeline import autograde, cluster, submissions

pytestmark = [pytest.mark.pipeline, pytest.mark.slow]

A = "01-neuron"


def dask_workers():
    """PIDs of the local Dask cluster's worker processes (its nannies, in this process,
    spawn them: `spawn_main` in argv)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{pid}/cmdline", "rb") as fh:
                argv = fh.read()
        except OSError:
            continue
        if ppid == os.getpid() and b"spawn_main" in argv:
            found.append(int(pid))
    return found


def test_a_killed_worker_is_replaced_and_every_submission_is_graded(released):
    course = released(A)
    good = submissions.solved(course, A)
    students = [f"s{i}" for i in range(6)]
    for student in students:
        submissions.submit(course, student, A, good)
    result, killed = {}, []

    def run():
        result["rows"] = autograde.autograde(course, [A], jobs=2, progress=False)

    worker = threading.Thread(target=run)
    worker.start()
    deadline = time.monotonic() + 60
    while not killed and time.monotonic() < deadline:
        time.sleep(0.5)
        pids = dask_workers()
        if len(pids) == 2 and (course.work_dir / "autograde-report.json").exists():
            os.kill(pids[0], signal.SIGKILL)  # a worker dies mid-batch, with a task in hand
            killed.append(pids[0])
    worker.join(timeout=600)
    assert killed, "no worker was seen to kill"
    assert not worker.is_alive(), "the batch did not end"
    rows = {r.student: r for r in result["rows"]}
    assert sorted(rows) == students
    assert all(r.status == autograde.OK and r.score == 20 for r in rows.values()), rows


def test_a_submission_whose_worker_dies_twice_is_reported_and_the_rest_graded(released):
    course = released(A)
    good = submissions.solved(course, A)
    students = ["s0", "s1", "s2", "victim"]
    for student in students:
        submissions.submit(course, student, A, good)
    with dask.config.set(cluster.LOCAL_CONFIG):
        local = LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1",
                             dashboard_address=None)
    observer = Client(local, set_as_default=False)
    result, killed = {}, []

    def run():
        result["rows"] = autograde.autograde(course, [A], progress=False,
                                             scheduler=local.scheduler_address)

    worker = threading.Thread(target=run)
    worker.start()
    deadline = time.monotonic() + 300
    try:
        while len(killed) < 2 and worker.is_alive() and time.monotonic() < deadline:
            time.sleep(0.2)
            for address, keys in observer.processing().items():
                if address in killed or not any("victim" in k for k in keys):
                    continue
                try:  # the worker grading the victim dies, wherever it is
                    pid = observer.run(os.getpid, workers=[address])[address]
                except Exception:
                    continue  # gone already
                os.kill(pid, signal.SIGKILL)
                killed.append(address)
        worker.join(timeout=600)
    finally:
        observer.close()
        local.close()
    assert len(killed) == 2, f"the victim's worker was killed {len(killed)} times"
    assert not worker.is_alive(), "the batch did not end"
    rows = {r.student: r for r in result["rows"]}
    assert sorted(rows) == students
    victim = rows.pop("victim")
    assert victim.status == autograde.FAILED and victim.score is None
    assert victim.problems == ["the grading worker died 2 times on this submission: "
                               "grade by hand"]
    assert all(r.status == autograde.OK and r.score == 20 for r in rows.values()), rows
    assert autograde.load(course)[("victim", A)].status == autograde.FAILED
