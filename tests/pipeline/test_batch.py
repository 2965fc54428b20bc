"""The batch always ends: a grading worker killed in the middle takes no submission with it."""
import os
import signal
import threading
import time

import pytest

from grader.pipeline import autograde, submissions

pytestmark = [pytest.mark.pipeline, pytest.mark.slow]

A = "01-neuron"


def pool_workers():
    """PIDs of this process's multiprocessing workers (spawned: `spawn_main` in argv)."""
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
        pids = pool_workers()
        if len(pids) == 2 and (course.work_dir / "autograde-report.json").exists():
            os.kill(pids[0], signal.SIGKILL)  # a worker dies mid-batch, with a task in hand
            killed.append(pids[0])
    worker.join(timeout=600)
    assert killed, "no worker was seen to kill"
    assert not worker.is_alive(), "the batch did not end"
    rows = {r.student: r for r in result["rows"]}
    assert sorted(rows) == students
    assert all(r.status == autograde.OK and r.score == 20 for r in rows.values()), rows
