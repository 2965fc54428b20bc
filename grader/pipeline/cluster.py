"""The Dask cluster that grades: a LocalCluster on this machine, or an existing scheduler.

Locally: ``jobs`` worker processes with one thread each, listening on 127.0.0.1, no
dashboard; a task whose worker dies twice is given up (``allowed-failures: 1``) and
reported. Remotely (``--scheduler tcp://HOST:PORT``): the scheduler's own settings
apply (start it with ``DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES=1`` for the same
rule), and every worker must have one thread (``dask worker --nthreads 1``), this
project installed, bubblewrap, and the course and work folders at the same paths (a
shared file system). Each worker is checked for that before anything is graded, so a
misconfigured cluster fails with one clear line.
"""
import contextlib
import os
import re
import signal

from . import nbg, oracle, sandbox

LOCAL_CONFIG = {"distributed.scheduler.allowed-failures": 1}  # killed twice: reported
CONNECT_TIMEOUT = 10  # seconds to reach a scheduler given with --scheduler
WORKER_TIMEOUT = 60   # seconds to wait for that scheduler to have a worker


@contextlib.contextmanager
def connect(course, ids, jobs=None, scheduler=None):
    """A Client on a fresh LocalCluster (jobs workers) or on the given scheduler; checked."""
    import dask
    from distributed import Client, LocalCluster
    if scheduler:
        client = _remote(scheduler)
    else:
        with dask.config.set(LOCAL_CONFIG):
            cluster = LocalCluster(n_workers=max(1, jobs or os.cpu_count() or 1),
                                   threads_per_worker=1, processes=True, host="127.0.0.1",
                                   dashboard_address=None, scheduler_port=0,
                                   # its HTTP server (health only) on a free local port:
                                   # two batches at once do not race for port 8787
                                   scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                                   preload=[__name__])
        client = Client(cluster, set_as_default=False)
    try:
        preflight(client, course, ids)
        yield client
    finally:
        client.close()
        if not scheduler:
            cluster.close()


def _remote(address):
    """A Client on an existing scheduler with at least one worker; PipelineError if not."""
    from distributed import Client
    if not re.fullmatch(r"(tcp|tls)://[^\s/:]+:\d+", address or ""):
        raise ValueError(f"--scheduler {address!r}: expected tcp://HOST:PORT")
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise nbg.PipelineError(
            f"no Dask scheduler answered at {address} within {CONNECT_TIMEOUT} s "
            f"({type(exc).__name__}): is `dask scheduler` running there, on that port, and "
            "reachable from this machine (firewall)?") from None
    try:
        client.wait_for_workers(1, timeout=WORKER_TIMEOUT)
    except TimeoutError:
        client.close()
        raise nbg.PipelineError(f"the Dask scheduler at {address} has had no worker for "
                                f"{WORKER_TIMEOUT} s: start `dask worker {address}`") from None
    return client


def preflight(client, course, ids):
    """Every worker has one thread, sees the folders, has the oracle and a working sandbox;
    or raise (nbgrader's API in a worker serves one submission at a time)."""
    threads = {w: n for w, n in client.nthreads().items() if n != 1}
    if threads:
        worker, n = sorted(threads.items())[0]
        raise nbg.PipelineError(f"Dask worker {worker} has {n} threads: grading needs one "
                                "thread per worker process (dask worker --nthreads 1 "
                                "--nworkers N)")
    try:
        found = client.run(ready, course, ids)
    except Exception as exc:  # e.g. the project is not installed on a worker
        raise nbg.PipelineError(f"a Dask worker cannot run the grader ({type(exc).__name__}: "
                                f"{exc}): install this project on every worker") from None
    bad = {worker: problem for worker, problem in found.items() if problem}
    if bad:
        worker, problem = sorted(bad.items())[0]
        raise nbg.PipelineError(f"Dask worker {worker}: {problem}"
                                + (f" (and {len(bad) - 1} more workers)" if len(bad) > 1 else ""))


def ready(course, ids):
    """On a worker: '' if it can grade this course, else what is missing."""
    for what, path in (("course", course.source_dir), ("work", course.work_dir)):
        if not path.is_dir():
            return (f"does not see the {what} folder {path}: every worker needs the course and "
                    "work folders at the same paths (a shared file system)")
    try:
        oracle.write(None, ids)
        if course.sandbox:
            sandbox.check()
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return ""


def dask_setup(worker):
    """Preload of the local workers: Ctrl-C in the terminal stops the client, which closes
    them; they do not take it themselves (no tracebacks from every worker)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
