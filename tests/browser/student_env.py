"""A student's JupyterLab, built the way students get it, for the browser tests.

- ``build_release``: the nbgrader student release (notebooks + ``bpcheck/``), the
  served copy of it with the answer cells filled from the solutions, and one
  untouched notebook.
- ``student_kernel``: a Python for the kernel that cannot import the reference
  engine. It is a throwaway venv made from the same base interpreter (no pip,
  nothing installed) whose only site-packages entry is a ``.pth`` *path line*
  naming the main venv's site-packages. A path line only appends that folder to
  ``sys.path``: the ``.pth`` files inside it are not processed, so the editable
  install's finder (``__editable__.backprop_course-0.1.0.pth``, which is what
  makes ``solutions`` and ``grader`` importable) is never installed, while numpy,
  matplotlib and ipykernel are. The kernelspec runs it with ``-E -s`` (no
  PYTHON* variables, no user site), so no PYTHONPATH can bring the repo back.
  (Not ``-I``: it also drops the working folder from ``sys.path``, and students
  import ``bpcheck`` from the notebook's folder.)
- ``JupyterLab``: one ``jupyter lab`` process on 127.0.0.1, a free port and a
  random token, with HOME, config, data, runtime, settings and workspaces in a
  temporary folder; ``stop`` ends exactly that process group and the kernels it
  started (found by the unique runtime folder in their command line).
"""
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[2]
KERNEL_FLAGS = ["-E", "-s"]   # ignore PYTHON* variables and the user site; keep the cwd
KERNEL_DISPLAY_NAME = "Python 3 (student)"

# Appended to each solved notebook: run by the browser in the same kernel as the rest.
PROBE_MARK = "✔ student kernel without the reference engine"
PROBE_CELL = f'''\
# Added by tests/browser: is this a student's kernel, without the reference engine?
import importlib.util, os, sys
assert importlib.util.find_spec("bpcheck") is not None, "the shipped checks must import"
try:
    import solutions
except ModuleNotFoundError as exc:
    leaks = [m for m in ("solutions", "grader") if importlib.util.find_spec(m) is not None]
    engine = [p for p in sys.path if os.path.isdir(os.path.join(p or ".", "solutions"))]
    assert not leaks and not engine, (leaks, engine)
    print("{PROBE_MARK}:", exc, "| python", sys.executable)
else:
    raise AssertionError(f"the reference engine is importable: {{solutions.__file__}}")
'''


# ---------------------------------------------------------------- the release
def build_release(work, untouched="01-neuron"):
    """Release all assignments into work/nbgrader and a served copy into work/serve.

    -> (serve_dir, {id: notebook path relative to serve_dir}, untouched relative path,
        {id: solved NotebookNode as written})
    """
    from grader.pipeline import assignments, release, submissions
    from grader.pipeline.config import Course

    course = Course(work_dir=work / "nbgrader")
    release.release(course, log=lambda msg: None)
    serve = work / "serve"
    solved, paths = {}, {}
    for a in assignments.ASSIGNMENTS:
        folder = course.path("release", ".", a.id)
        leaked = [p for p in folder.rglob("*") if "solutions" in p.relative_to(folder).parts
                  or p.name == "solutions.py"]
        assert not leaked, f"{a.id}: the release contains the reference engine: {leaked}"
        assert (folder / "bpcheck" / "__init__.py").exists(), f"{a.id}: no bpcheck/ in the release"
        shutil.copytree(folder, serve / a.id)   # a COPY: JupyterLab autosaves what it serves
        nb = submissions.solved(course, a.id)
        nb.cells.append(nbformat.v4.new_code_cell(PROBE_CELL))
        nbformat.write(nb, serve / a.id / a.notebook)
        solved[a.id] = nb
        paths[a.id] = f"{a.id}/{a.notebook}"
    a = assignments.get(untouched)
    shutil.copytree(course.path("release", ".", a.id), serve / "untouched" / a.id)
    return serve, paths, f"untouched/{a.id}/{a.notebook}", solved


# ------------------------------------------------------------ student kernel
def student_kernel(root):
    """A venv without the editable repo, and a "python3" kernelspec running it.

    -> (python executable, kernels folder to put under JUPYTER_DATA_DIR/kernels).
    """
    venv = root / "student-venv"
    subprocess.run([getattr(sys, "_base_executable", sys.executable), "-m", "venv",
                    "--without-pip", str(venv)], check=True, capture_output=True)
    python = venv / "bin" / "python"
    site = subprocess.run([str(python), *KERNEL_FLAGS, "-c",
                           "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    main_site = sysconfig.get_paths()["purelib"]        # this (main) venv's packages
    # a plain path line: appended to sys.path, its own .pth files are NOT processed
    Path(site, "main-venv-packages.pth").write_text(main_site + "\n")
    spec = root / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [str(python), *KERNEL_FLAGS, "-m", "ipykernel_launcher",
                 "-f", "{connection_file}"],
        "display_name": KERNEL_DISPLAY_NAME,
        "language": "python",
        "metadata": {"debugger": False},
    }, indent=1))
    return python, spec.parent


def check_kernel_python(python, cwd):
    """Before the browser: the kernel's Python, started as the kernelspec starts it in a
    notebook's folder, has numpy, matplotlib, ipykernel and the folder's ``bpcheck``, and
    neither ``solutions`` nor ``grader``. -> what it found; AssertionError if not."""
    code = ("import importlib.util as u, json, sys\n"
            "print(json.dumps({m: u.find_spec(m) is not None for m in "
            "('numpy', 'matplotlib', 'ipykernel', 'bpcheck', 'solutions', 'grader')}))\n"
            "import solutions\n")
    probe = Path(cwd) / "_probe_student_env.py"   # run with -m, as ipykernel_launcher is
    probe.write_text(code)
    try:
        run = subprocess.run([str(python), *KERNEL_FLAGS, "-m", probe.stem], cwd=cwd, check=False,
                             capture_output=True, text=True,
                             env={"PATH": os.environ.get("PATH", ""),
                                  "PYTHONPATH": str(REPO)})  # -E must ignore it
    finally:
        probe.unlink()
    found = json.loads(run.stdout.splitlines()[0]) if run.stdout else run.stderr
    assert found == {"numpy": True, "matplotlib": True, "ipykernel": True, "bpcheck": True,
                     "solutions": False, "grader": False}, (found, run.stderr)
    assert run.returncode != 0 and "No module named 'solutions'" in run.stderr, run.stderr
    return found


# ----------------------------------------------------------------- the server
def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_settings(settings_dir):
    """User settings that keep pop-ups away and every cell in the DOM."""
    for plugin, values in {
        "@jupyterlab/apputils-extension/notification": {"fetchNews": "false",
                                                         "checkForUpdates": False},
        "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none",
                                                    "autoStartDefaultKernel": True},
    }.items():
        path = settings_dir / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values, indent=1))


def write_student_config(config_dir):
    """nbgrader's advice for student servers: no instructor-only extensions."""
    (config_dir / "jupyter_server_config.json").write_text(json.dumps({"ServerApp": {
        "jpserver_extensions": {"nbgrader.server_extensions.formgrader": False,
                                "nbgrader.server_extensions.course_list": False}}}, indent=1))
    (config_dir / "labconfig").mkdir(parents=True, exist_ok=True)
    (config_dir / "labconfig" / "page_config.json").write_text(json.dumps({
        "disabledExtensions": {f"@jupyter/nbgrader:{name}": True for name in
                               ("formgrader", "course-list", "create-assignment")}}, indent=1))


class JupyterLab:
    """One ``jupyter lab`` serving ``serve_dir``, everything else under ``root``."""

    def __init__(self, root, serve_dir, kernels_dir, kernel_python):
        self.root, self.serve_dir = Path(root), Path(serve_dir)
        self.kernel_python = str(kernel_python)
        self.token = secrets.token_hex(24)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.dirs = {name: self.root / name for name in
                     ("home", "config", "data", "runtime", "settings", "workspaces", "mpl")}
        for d in self.dirs.values():
            d.mkdir(parents=True, exist_ok=True)
        shutil.copytree(kernels_dir, self.dirs["data"] / "kernels")
        write_settings(self.dirs["settings"])
        write_student_config(self.dirs["config"])
        self.log_path = self.root / "jupyterlab.log"
        self.proc = None

    def env(self):
        """A clean environment: nothing of the test run (PYTHONPATH, oracle, coverage)."""
        d = self.dirs
        return {
            "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
            "HOME": str(d["home"]), "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
            "JUPYTER_CONFIG_DIR": str(d["config"]), "JUPYTER_DATA_DIR": str(d["data"]),
            "JUPYTER_RUNTIME_DIR": str(d["runtime"]), "MPLCONFIGDIR": str(d["mpl"]),
            # jupyter_core 5 prefers sys.prefix/share/jupyter (the main venv's own
            # python3 kernelspec) over JUPYTER_DATA_DIR inside a venv: not here
            "JUPYTER_PREFER_ENV_PATH": "0",
            "JUPYTER_PLATFORM_DIRS": "1", "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        }

    def start(self, timeout=60):
        d = self.dirs
        cmd = [str(Path(sys.executable).parent / "jupyter-lab"),
               "--no-browser", "--allow-root",
               "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}",
               "--ServerApp.port_retries=0",
               f"--IdentityProvider.token={self.token}",
               f"--ServerApp.root_dir={self.serve_dir}",
               f"--LabApp.user_settings_dir={d['settings']}",
               f"--LabApp.workspaces_dir={d['workspaces']}",
               "--KernelSpecManager.ensure_native_kernel=False",  # only the student kernel
               "--LabApp.news_url=None",
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(cmd, cwd=self.serve_dir, env=self.env(), stdout=self.log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        try:
            return self._wait_ready(timeout)
        except BaseException:
            self.stop()
            raise

    def _wait_ready(self, timeout):
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"jupyter lab exited ({self.proc.returncode}):\n"
                                   f"{self.log_tail()}")
            try:
                status = self.api("GET", "/api/status")
                specs = self.api("GET", "/api/kernelspecs")
                break
            except (urllib.error.URLError, ConnectionError, OSError):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"jupyter lab not up after {timeout}s:\n{self.log_tail()}")
                time.sleep(0.2)
        names = sorted(specs["kernelspecs"])
        assert names == ["python3"], f"kernelspecs offered to the student: {names}"
        argv = specs["kernelspecs"]["python3"]["spec"]["argv"]
        assert argv[:3] == [self.kernel_python, *KERNEL_FLAGS], \
            f"the kernel is not the student's: {argv}"
        return status

    def api(self, method, path, timeout=5):
        req = urllib.request.Request(self.url + path, method=method,
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            body = resp.read()
        return json.loads(body) if body else None

    def lab_url(self, workspace, path):
        return f"{self.url}/lab/workspaces/{workspace}/tree/{path}?reset&token={self.token}"

    def shutdown_kernels(self):
        try:
            for kernel in self.api("GET", "/api/kernels"):
                self.api("DELETE", f"/api/kernels/{kernel['id']}", timeout=15)
        except (urllib.error.URLError, OSError):
            pass

    def log_tail(self, lines=40):
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def _strays(self):
        """Pids of processes (kernels) whose command line names our runtime folder."""
        mark = str(self.dirs["runtime"]).encode()
        pids = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    if mark in (entry / "cmdline").read_bytes():
                        pids.append(int(entry.name))
                except OSError:
                    pass
        return pids

    def stop(self):
        """End exactly what we started: the server's process group, then its kernels."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.shutdown_kernels()
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait(timeout=10)
        for pid in self._strays():  # kernels run in sessions of their own
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.log.close()
        self.proc = None
