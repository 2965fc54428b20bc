"""Every grading kernel in a bubblewrap sandbox, wired the Jupyter way (a KernelManager).

nbclient (inside nbgrader's Execute) starts kernels with the class named by
``Execute.kernel_manager_class``; the course config names this one. Its kernel:
- sees the system and the Python environment read-only, the submission it grades as
  a read-only folder that it copies into a small private tmpfs (its only writable
  places are that copy and /tmp), the hidden inputs, and matplotlib's font list (made
  once per grading process, so no kernel scans the fonts); no gradebook, course,
  oracle, engine, grader or other submission exists in its file system;
- has no network (it talks to nbgrader over ipc sockets in a folder bound in), its
  own PID namespace (it cannot see or signal anyone), no capabilities, and runs as an
  unprivileged user, so its limits hold: address space, processes, file size, CPU;
- is ended from outside: killing bwrap kills everything in the namespace.
Where bubblewrap cannot start, the kernel refuses to start with a clear message;
``sandbox = False`` (the CLI's loudly named ``--unsafe-no-sandbox``) is the only way round.
"""
import atexit
import functools
import os
import random
import shutil
import subprocess
import sys
import tempfile

from jupyter_client.manager import AsyncKernelManager
from traitlets import Bool, Integer

from . import oracle

INPUTS_ENV = "BPCHECK_INPUTS"  # bpcheck.hidden reads the hidden inputs from here
INSIDE_INPUTS = "/grading/inputs.json"
INSIDE_SUBMISSION, INSIDE_ORIGINAL = "/home/student/submission", "/grading/submission"
INSIDE_FONTS, KERNEL_MPLCONFIGDIR = "/grading/matplotlib", "/tmp/matplotlib"


class SandboxError(RuntimeError):
    """The sandbox could not be set up; the message says how to fix it."""


def bwrap_path():
    """The bubblewrap binary, or a SandboxError that says how to install it."""
    path = shutil.which("bwrap")
    if not path:
        raise SandboxError("bubblewrap (`bwrap`) is not installed: grading kernels run only in "
                           "its sandbox. Install it (Debian/Ubuntu: `apt-get install "
                           "bubblewrap`), or pass --unsafe-no-sandbox to grade WITHOUT one.")
    return path


def _ancestors(path):
    """/a, /a/b for /a/b/c: the folders bwrap must create (world-readable) for a bind."""
    parts = os.path.normpath(path).split(os.sep)[1:-1]
    return ["/" + "/".join(parts[:i]) for i in range(1, len(parts) + 1)]


def _readonly_roots():
    """The system and the Python environment, as few folders as cover them."""
    roots = {"/usr", "/etc", sys.prefix, sys.base_prefix, os.path.realpath(sys.base_prefix)}
    roots = sorted(r for r in roots if os.path.isdir(r))
    return [r for r in roots if not any(r != o and r.startswith(o + os.sep) for o in roots)]


def bwrap_argv(private, submission, inputs, uid, limits, fonts=None):
    """The command that runs a kernel command inside the sandbox (append the kernel's argv).

    fonts: a folder holding matplotlib's font list (font_cache()), copied into the
    kernel's own MPLCONFIGDIR; without it each kernel scans the fonts again."""
    argv = [bwrap_path(), "--die-with-parent", "--new-session", "--unshare-pid", "--unshare-net",
            "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
            "--proc", "/proc", "--dev", "/dev",
            "--perms", "1777", "--size", str(limits["tmp_mb"] << 20), "--tmpfs", "/tmp"]
    for name in ("bin", "lib", "lib64", "sbin"):
        target = os.path.realpath(f"/{name}")
        if os.path.islink(f"/{name}") and target.startswith("/usr/"):
            argv += ["--symlink", target[1:], f"/{name}"]
    made = set()
    for root in _readonly_roots() + [private]:
        for folder in _ancestors(root):
            if folder not in made and folder not in ("/usr", "/etc", "/tmp", "/proc", "/dev"):
                made.add(folder)
                argv += ["--perms", "0755", "--dir", folder]
    for root in _readonly_roots():
        argv += ["--ro-bind", root, root]
    argv += ["--bind", private, private,
             "--perms", "0755", "--dir", "/grading",
             "--ro-bind", submission, INSIDE_ORIGINAL,
             "--perms", "0755", "--dir", "/home",
             "--perms", "0700", "--size", str(limits["tmp_mb"] << 20), "--tmpfs", "/home/student"]
    if inputs:
        argv += ["--ro-bind", str(inputs), INSIDE_INPUTS]
    if fonts:
        argv += ["--ro-bind", str(fonts), INSIDE_FONTS]
    env = {"PATH": f"{os.path.dirname(sys.executable)}:/usr/bin:/bin", "HOME": "/home/student",
           "LANG": "C.UTF-8", "MPLCONFIGDIR": KERNEL_MPLCONFIGDIR, "PYTHONDONTWRITEBYTECODE": "1",
           "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    for key in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):  # needed by numpy on some CPUs
        if os.environ.get(key):
            env[key] = os.environ[key]
    if inputs:
        env[INPUTS_ENV] = INSIDE_INPUTS
    argv += ["--clearenv"] + [a for k, v in env.items() for a in ("--setenv", k, v)]
    copies = [(INSIDE_ORIGINAL, INSIDE_SUBMISSION)] + ([(INSIDE_FONTS, KERNEL_MPLCONFIGDIR)]
                                                        if fonts else [])
    setup = [f"mkdir {dest} && cp -R {src}/. {dest}/ && chown -R {uid}:{uid} {dest}"
             for src, dest in copies]  # as root, before the kernel's user takes over
    setup += [f"chown {uid}:{uid} /home/student", f'cd {INSIDE_SUBMISSION} && exec "$@"']
    argv += ["--chdir", "/home/student", "--", "/bin/sh", "-c", " && ".join(setup), "sh",
             "setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--no-new-privs",
             "--inh-caps=-all", "--bounding-set=-all", "--",
             "prlimit", f"--as={limits['memory_mb'] << 20}", f"--nproc={limits['processes']}",
             f"--fsize={limits['file_mb'] << 20}", f"--cpu={limits['cpu_seconds']}",
             "--core=0", "--"]
    return argv


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels run in the bubblewrap sandbox (see the module doc)."""

    sandbox = Bool(True, help="run grading kernels in the bubblewrap sandbox; False is "
                              "UNSAFE: the student's code can reach every file").tag(config=True)
    memory_mb = Integer(3072, help="address-space limit of a kernel (MiB)").tag(config=True)
    processes = Integer(256, help="processes and threads of a kernel's user").tag(config=True)
    file_mb = Integer(64, help="largest file a kernel may write (MiB)").tag(config=True)
    tmp_mb = Integer(256, help="size of the kernel's private tmpfs folders (MiB)").tag(config=True)
    cpu_seconds = Integer(900, help="CPU seconds of a kernel, all cells together"
                          ).tag(config=True)

    def __init__(self, **kwargs):
        kwargs.setdefault("transport", "ipc")
        super().__init__(**kwargs)

    async def _async_pre_start_kernel(self, **kw):
        cwd = os.path.abspath(kw.get("cwd") or os.getcwd())
        self._private = tempfile.mkdtemp(prefix="backprop-kernel-")
        self.connection_file = os.path.join(self._private, "kernel.json")
        self.ip = os.path.join(self._private, "ipc")
        cmd, kw = await super()._async_pre_start_kernel(**kw)
        self.kernel_spec.interrupt_mode = "message"  # no signal ever reaches bwrap itself
        assignment = os.path.basename(cwd)
        try:
            inputs = oracle.inputs_path(assignment)
        except ValueError:  # not one of the course's assignments: no hidden tests
            inputs = None
        env = dict(kw.get("env") or os.environ)
        env.pop("JPY_PARENT_PID", None)
        if not self.sandbox:
            self.log.warning("UNSAFE: grading kernel without a sandbox for %s", cwd)
            if inputs:
                env[INPUTS_ENV] = str(inputs)
            kw["env"] = env
            return cmd, kw
        uid = random.randint(200_000, 2_000_000)  # one unprivileged user per kernel
        os.chown(self._private, uid, uid)  # the kernel makes its sockets here
        os.chown(self.connection_file, uid, uid)
        limits = {"memory_mb": self.memory_mb, "processes": self.processes,
                  "file_mb": self.file_mb, "tmp_mb": self.tmp_mb,
                  "cpu_seconds": self.cpu_seconds}
        kw["env"] = {"PATH": env.get("PATH", "/usr/bin:/bin")}
        kw["cwd"] = self._private
        # what the kernel writes to its own stdout/stderr never reaches the grader's terminal
        kw["stdout"] = kw["stderr"] = subprocess.DEVNULL
        return bwrap_argv(self._private, cwd, inputs, uid, limits, font_cache()) + cmd, kw

    async def _async_cleanup_resources(self, restart=False):
        await super()._async_cleanup_resources(restart=restart)
        if not restart and getattr(self, "_private", None):
            shutil.rmtree(self._private, ignore_errors=True)

    cleanup_resources = _async_cleanup_resources  # also when a dead kernel is not shut down


@functools.cache
def font_cache():
    """A folder with matplotlib's font list, made once per process (0.3 s) for every
    kernel to copy, or None where matplotlib makes none."""
    folder = tempfile.mkdtemp(prefix="backprop-fonts-")
    atexit.register(shutil.rmtree, folder, True)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": folder, "MPLCONFIGDIR": folder}
    try:
        subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"], env=env,
                       capture_output=True, timeout=300, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return folder if any(n.startswith("fontlist") for n in os.listdir(folder)) else None


def check():
    """Start `true` in the sandbox's namespaces; raise SandboxError with bwrap's words."""
    try:
        done = subprocess.run([bwrap_path(), "--unshare-pid", "--unshare-net", "--ro-bind", "/",
                               "/", "--", "true"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SandboxError(f"bubblewrap could not run: {exc}") from None
    if done.returncode != 0:
        raise SandboxError("bubblewrap cannot create the sandbox here: "
                           f"{done.stderr.strip() or done.returncode}. Grading refuses to run "
                           "without it (--unsafe-no-sandbox overrides, WITHOUT protection).")
