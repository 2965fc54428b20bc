"""The grading kernel's sandbox, observed from inside a real kernel started the way
nbgrader starts it (nbclient with the course's kernel manager class).

One kernel runs one cell that reports what it can see and do; the assertions are on
that report, against real paths of this machine (the repository, the oracle cache,
the gradebook of a work folder).
"""
import json
import os
import shutil

import nbformat
import pytest
from nbclient import NotebookClient

from grader.pipeline import oracle, sandbox
from grader.pipeline.sandbox import SandboxedKernelManager
from tests.helpers import ROOT

pytestmark = pytest.mark.pipeline

PROBE = r'''
import json, os, resource, socket, sys, time
started = time.time()
import matplotlib, matplotlib.font_manager as fm
fonts = [os.path.join(matplotlib.get_cachedir(), n) for n in os.listdir(matplotlib.get_cachedir())
         if n.startswith("fontlist")]
facts = {"uid": os.getuid(), "cwd": os.getcwd(), "files": sorted(os.listdir(".")),
         "pid": os.getpid(), "procs": sorted(p for p in os.listdir("/proc") if p.isdigit()),
         "inputs": os.environ.get("BPCHECK_INPUTS"), "parent_pid": os.environ.get("JPY_PARENT_PID")}
def can(fn):
    try:
        out = fn()
        return sorted(out) if isinstance(out, list) else True
    except Exception as exc:
        return type(exc).__name__
for name, path in PATHS.items():
    facts["read:" + name] = can(
        lambda: os.listdir(path) if os.path.isdir(path) else open(path).read(1))
for name, path in WRITES.items():
    facts["write:" + name] = can(lambda: open(os.path.join(path, "planted.txt"), "w").write("x"))
facts["write:own copy"] = can(lambda: open("planted.txt", "w").write("x"))
facts["write:tmp"] = can(lambda: open("/tmp/x", "w").write("x"))
facts["net"] = can(lambda: socket.create_connection(("127.0.0.1", PORT), timeout=2))
facts["kill 1"] = can(lambda: os.kill(1, 9))
facts["import grader"] = can(lambda: __import__("grader"))
facts["import solutions"] = can(lambda: __import__("solutions"))
facts["limits"] = {n: resource.getrlimit(getattr(resource, "RLIMIT_" + n))[0]
                   for n in ("AS", "NPROC", "FSIZE", "CPU")}
facts["raise limit"] = can(lambda: resource.setrlimit(resource.RLIMIT_AS, (-1, -1)))
facts["fonts"] = {"dir": matplotlib.get_cachedir(), "lists": len(fonts),
                  "made before the kernel": all(os.path.getmtime(f) < started for f in fonts),
                  "count": len(fm.fontManager.ttflist)}
print("FACTS" + json.dumps(facts))
'''


@pytest.fixture(scope="module")
def facts(tmp_path_factory):
    """What a sandboxed kernel saw, and the folders it looked at."""
    import socket
    base = tmp_path_factory.mktemp("sandbox")
    work = base / "work"
    submission = work / "autograded" / "alice" / "01-neuron"
    other = work / "submitted" / "bob" / "01-neuron"
    for folder in (submission, other):
        folder.mkdir(parents=True)
        (folder / "01-neuron.ipynb").write_text("{}")
    (work / "gradebook.db").write_text("db")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    paths = {"repository": str(ROOT), "engine": str(ROOT / "solutions"),
             "course config": str(ROOT / "course" / "nbgrader_config.py"),
             "oracle cache": str(oracle.default_dir()), "gradebook": str(work / "gradebook.db"),
             "other submission": str(other), "original submission": str(submission),
             "home": os.path.expanduser("~")}
    site = next(p for p in __import__("sys").path if p.endswith("site-packages"))
    writes = {"site-packages": site, "work folder": str(work),
              "submission folder": "/grading/submission", "font list": sandbox.INSIDE_FONTS}
    code = (f"PATHS = {paths!r}\nWRITES = {writes!r}\nPORT = {listener.getsockname()[1]}\n"
            + PROBE)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    client = NotebookClient(nb, timeout=60, kernel_manager_class=SandboxedKernelManager,
                            resources={"metadata": {"path": str(submission)}})
    client.execute()
    listener.close()
    text = "".join(o.get("text", "") for o in nb.cells[0].outputs)
    assert "FACTS" in text, nb.cells[0].outputs
    return json.loads(text.split("FACTS", 1)[1]), submission, work


def test_the_kernel_runs_unprivileged_in_a_private_copy(facts):
    seen, submission, _ = facts
    assert seen["uid"] >= 200_000
    assert seen["cwd"] == sandbox.INSIDE_SUBMISSION and seen["files"] == ["01-neuron.ipynb"]
    assert seen["write:own copy"] is True and seen["write:tmp"] is True
    assert not (submission / "planted.txt").exists(), "the original folder must stay untouched"


def test_nothing_of_the_grading_is_visible(facts):
    seen, _, _ = facts
    for name in ("engine", "course config", "oracle cache", "gradebook", "other submission",
                 "original submission"):
        assert seen[f"read:{name}"] in ("FileNotFoundError", "PermissionError"), name
    # where the Python environment lives inside them, those folders hold it and nothing else
    assert seen["read:repository"] in ("FileNotFoundError", [".venv"])
    assert ".cache" not in seen["read:home"]
    assert seen["import grader"] == "ModuleNotFoundError"
    assert seen["import solutions"] == "ModuleNotFoundError"
    assert seen["inputs"] == sandbox.INSIDE_INPUTS


def test_nothing_outside_the_copy_is_writable(facts):
    seen, _, work = facts
    for name in ("site-packages", "work folder", "submission folder", "font list"):
        assert seen[f"write:{name}"] in ("OSError", "PermissionError", "FileNotFoundError"), name
    assert not (work / "planted.txt").exists()
    # the folder every kernel copies its font list from holds that list and nothing else
    assert [n for n in os.listdir(sandbox.font_cache()) if not n.startswith("fontlist")] == []


def test_no_network_own_pid_namespace_and_limits_from_outside(facts):
    seen, _, _ = facts
    assert seen["net"] in ("ConnectionRefusedError", "OSError")  # no route to the host's port
    assert seen["kill 1"] == "PermissionError"
    assert len(seen["procs"]) <= 4, seen["procs"]  # bwrap and the kernel: nobody else
    assert seen["parent_pid"] is None
    limits = seen["limits"]
    assert limits["AS"] == 3072 << 20 and limits["NPROC"] == 256
    assert limits["FSIZE"] == 64 << 20 and limits["CPU"] == 900
    assert seen["raise limit"] in ("ValueError", "PermissionError")


def test_the_kernel_finds_matplotlibs_font_list_made_once_outside(facts):
    """Each kernel's MPLCONFIGDIR is new: it gets a copy of the list, it does not scan."""
    seen, _, _ = facts
    assert seen["fonts"]["dir"] == sandbox.KERNEL_MPLCONFIGDIR  # its own, writable
    assert seen["fonts"]["lists"] == 1 and seen["fonts"]["count"] > 0
    assert seen["fonts"]["made before the kernel"] is True


def test_without_bubblewrap_grading_refuses_with_how_to_fix_it(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)
    with pytest.raises(sandbox.SandboxError, match="apt-get install bubblewrap"):
        sandbox.bwrap_path()
    with pytest.raises(sandbox.SandboxError, match="--unsafe-no-sandbox"):
        sandbox.check()
