"""The kernel guard: run at the start of every grading kernel (IPKernelApp.exec_files).

Before any cell of a submission runs, it
- limits the kernel's address space (BACKPROP_KERNEL_MEMORY_MB): a memory bomb
  ends in MemoryError inside its cell, not in a dead machine;
- installs an audit hook, which Python does not let code remove, that
  * refuses to import the reference engine and the grader (``solutions``, ``grader``)
    or to read their files (BACKPROP_GUARD_PROTECT),
  * refuses to write, rename or delete the oracle (BACKPROP_GUARD_READONLY) and
    this guard's report,
  * refuses to start processes, to kill this process, or to raise the limits;
- snapshots numpy, the builtins and the bundled checks ``bpcheck``, and restores
  anything a submission replaced (``np.allclose = ...``) before every cell is
  compiled and after every call of student code by a check, so tests always run
  on the real functions;
- turns ``os._exit`` and ``os.abort`` into errors, so the rest of the notebook
  still runs and is graded.
Every refusal or repair is appended as a JSON line to BACKPROP_GUARD_REPORT, a
file the kernel opened before any student code ran and cannot touch again.
Everything lives inside one function, so nothing leaks into the user namespace.
"""


def _backprop_guard():
    import builtins
    import importlib
    import json
    import os
    import pkgutil
    import sys

    env = os.environ
    report_path = os.path.abspath(env.get("BACKPROP_GUARD_REPORT", ".backprop-guard.jsonl"))
    def folders(name):
        return [os.path.realpath(p) for p in env.get(name, "").split(os.pathsep) if p]
    protect, readonly = folders("BACKPROP_GUARD_PROTECT"), folders("BACKPROP_GUARD_READONLY")
    readonly += [report_path, os.path.realpath("bpcheck")]
    memory_mb = int(env.get("BACKPROP_KERNEL_MEMORY_MB", "0") or 0)

    if memory_mb > 0:
        import resource
        limit = memory_mb * 2 ** 20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    fd = os.open(report_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    seen = set()

    def record(kind, detail):
        if (kind, detail) not in seen:
            seen.add((kind, detail))
            os.write(fd, (json.dumps({"kind": kind, "detail": detail}) + "\n").encode())

    # What a submission could replace to fool the tests, snapshot before it runs.
    import numpy
    modules = [numpy, numpy.linalg, numpy.random, numpy.testing, builtins, os, sys]
    try:
        import bpcheck
        for info in pkgutil.iter_modules(bpcheck.__path__):
            modules.append(importlib.import_module(f"bpcheck.{info.name}"))
        modules.append(bpcheck)
    except ImportError:  # a notebook without checks: protect numpy only
        pass
    names = {builtins: ["abs", "all", "any", "bool", "callable", "dict", "enumerate", "float",
                        "getattr", "hasattr", "int", "isinstance", "issubclass", "iter", "len",
                        "list", "map", "max", "min", "next", "print", "range", "repr", "round",
                        "setattr", "sorted", "str", "sum", "tuple", "type", "zip", "__import__",
                        "AssertionError", "Exception", "NotImplementedError"],
             os: ["_exit", "abort", "kill", "system"], sys: ["exit", "audit", "modules"]}

    import threading
    main_thread = threading.main_thread()

    def refuse(what, real):
        def refused(*args, **kwargs):
            if threading.current_thread() is not main_thread:  # the kernel's own threads
                return real(*args, **kwargs)
            record("blocked", f"{what} called")
            raise RuntimeError(f"{what} is disabled while the notebook is graded")
        return refused
    os._exit, os.abort = refuse("os._exit", os._exit), refuse("os.abort", os.abort)

    snapshot = []
    for mod in modules:
        for name in names.get(mod, list(vars(mod))):
            if not name.startswith("__") or name == "__import__":
                snapshot.append((mod, name, vars(mod).get(name)))
    module_table = {m.__name__: m for m in modules}
    busy = [False]

    def restore():
        """Put back every snapshotted object a submission replaced or deleted."""
        if busy[0]:
            return
        busy[0] = True
        try:
            for mod_name, mod in module_table.items():
                if mod_name in sys.modules and sys.modules[mod_name] is not mod:
                    sys.modules[mod_name] = mod
                    record("tamper", f"sys.modules[{mod_name!r}] replaced (restored)")
            for mod, name, obj in snapshot:
                if vars(mod).get(name) is not obj:
                    setattr(mod, name, obj)
                    record("tamper", f"{mod.__name__}.{name} replaced (restored)")
        finally:
            busy[0] = False

    myself = os.path.realpath(sys._getframe().f_code.co_filename)  # IPython shows its lines

    def inside(path, folders):
        try:
            path = os.path.realpath(os.fsdecode(path))
        except (TypeError, ValueError):
            return False
        return path != myself and any(path == f or path.startswith(f + os.sep) for f in folders)

    blocked_modules = ("solutions", "grader")
    spawn = ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn",
             "os.fork", "os.forkpty", "pty.spawn")
    writes = ("os.remove", "os.rename", "os.replace", "os.rmdir", "shutil.rmtree",
              "os.truncate", "os.chmod", "os.link", "os.symlink", "shutil.move")

    def hook(event, args):
        if event == "import":
            if str(args[0]).split(".")[0] in blocked_modules:
                record("blocked", f"import {args[0]}")
                raise ImportError(f"{args[0]} is not available while the notebook is graded")
        elif event == "open":
            path, mode = args[0], str(args[1] or "r")
            if isinstance(path, int):
                return
            if inside(path, protect):
                record("blocked", f"open {os.fsdecode(path)}")
                raise PermissionError(f"{os.fsdecode(path)} is not readable while grading")
            if any(c in mode for c in "wax+") and inside(path, readonly):
                record("blocked", f"write {os.fsdecode(path)}")
                raise PermissionError(f"{os.fsdecode(path)} is read-only while grading")
        elif event in ("compile", "bpcheck.returned"):
            restore()
        elif event.startswith(writes):
            paths = [a for a in args if isinstance(a, (str, bytes, os.PathLike))]
            if any(inside(a, readonly + protect) for a in paths):
                record("blocked", f"{event} {args[0]!r}")
                raise PermissionError(f"{event} on a grading file is not allowed")
        elif event.startswith(spawn):
            record("blocked", f"{event}")
            raise PermissionError("starting processes is disabled while the notebook is graded")
        elif event in ("os.kill", "os.killpg", "signal.pthread_kill"):
            record("blocked", f"{event}{tuple(args)!r}")
            raise PermissionError("sending signals is disabled while the notebook is graded")
        elif event in ("resource.setrlimit", "resource.prlimit"):
            record("blocked", event)
            raise PermissionError("changing resource limits is disabled while grading")

    sys.addaudithook(hook)
    _time_limits(env, record)
    record("started", f"pid {os.getpid()}")


def _time_limits(env, record):
    """Stop a cell after BACKPROP_CELL_LIMIT s; once one has hung, give later cells less.

    An endless loop in a function makes every cell that calls it hang, each up to
    nbgrader's timeout; after the first, BACKPROP_CELL_LIMIT_AFTER_TIMEOUT applies.
    The exception derives from BaseException, so `except Exception` cannot swallow it.
    """
    import signal
    from IPython import get_ipython

    limit = float(env.get("BACKPROP_CELL_LIMIT", "0") or 0)
    after = float(env.get("BACKPROP_CELL_LIMIT_AFTER_TIMEOUT", "5") or 5)
    shell = get_ipython()
    if limit <= 0 or shell is None:
        return
    hung = [0]

    class CellTimeLimit(BaseException):
        def _render_traceback_(self):
            return [f"\x1b[31mCellTimeLimit: {self}\x1b[0m"]

    def expire(signum, frame):
        hung[0] += 1
        record("timeout", f"a cell ran longer than {limit if hung[0] == 1 else after:g} s")
        raise CellTimeLimit(f"this cell ran longer than {limit if hung[0] == 1 else after:g} s "
                            "(an endless loop?) and was stopped")

    def start(*_):
        signal.signal(signal.SIGALRM, expire)
        signal.setitimer(signal.ITIMER_REAL, after if hung[0] else limit)

    def stop(*_):
        signal.setitimer(signal.ITIMER_REAL, 0)

    shell.events.register("pre_run_cell", start)
    shell.events.register("post_run_cell", stop)


_backprop_guard()
del _backprop_guard
