"""Calling student code safely: whatever it raises becomes one clear message."""
import contextlib
import copy
import os
import signal
import sysconfig
import threading
import time
import traceback
import warnings

import numpy as np

from .report import fail

_HERE = os.path.dirname(os.path.abspath(__file__))
# Frames in these folders are numpy's or Python's, never the student's own line.
_LIBRARIES = tuple({os.path.dirname(np.__file__)} | {
    sysconfig.get_paths()[k] for k in ("stdlib", "platstdlib", "purelib", "platlib")})

CALL_SECONDS = 30  # a student function that runs longer is stopped (an endless loop?)

# What call(..., strict=True) reports when numpy overflows inside the student's code.
OVERFLOW_CAUSE = ("np.exp overflowed inside your function (np.exp(1000) = inf, with a warning), "
                  "even where the result came out right: use the stable form of the notebook, "
                  "which only exponentiates numbers <= 0, e.g. u = np.exp(-np.abs(z))")

# (text in "ExceptionName: message", likely cause): the most common errors in numpy code.
HINTS = [
    ("truth value of an array",
     "Python's `if`, `and`/`or`, `max()` and `min()` see the whole array at once: use "
     "element-wise numpy instead, e.g. the comparison `z > 0`, `np.where(z > 0, x, y)`, "
     "`np.maximum(z, 0)`"),
    ("can be converted to Python scalars",
     "`math.exp` / `math.tanh` / `float()` work on one number only: use `np.exp` / "
     "`np.tanh`, which work entry by entry on arrays"),
    ("math range error",
     "`math.exp` overflows for arguments above about 709: use the stable form of the "
     "notebook, with `np.exp(-np.abs(z))`"),
    ("unexpected keyword argument",
     "keep the signature of the contract, e.g. `def leaky_relu(z, alpha=0.01):`"),
    ("broadcast", "two arrays with incompatible shapes were combined: print their .shape"),
    ("matmul", "a matrix product with mismatched inner dimensions: for a batch X of shape "
               "(N, n), write X @ w (each row of X meets w), not w @ X; a layer is "
               "Z = A @ W.T + b with W of shape (n_l, n_{l-1})"),
    ("not aligned", "a matrix product with mismatched inner dimensions: for a batch X of "
                    "shape (N, n), write X @ w or np.dot(X, w), not np.dot(w, X)"),
    ("NameError", "a name used before it is defined: run the cells above first, in order"),
    ("NoneType", "a function returned None: is a `return` statement missing?"),
    ("IndexError", "an index out of range: check the shapes and the axis you index"),
    ("MemoryError", "the computation needs far more memory than it should: check the "
                    "shapes (an (N, N) array where (N,) was meant?)"),
]


def _student_frame(tb):
    """The innermost traceback frame in the student's own code (not ours, not numpy's)."""
    frames = [f for f in traceback.extract_tb(tb) if not f.filename.startswith(_HERE)]
    own = [f for f in frames if not f.filename.startswith(_LIBRARIES)]
    return (own or frames or [None])[-1]


class _Timeout(Exception):
    pass


class _time_limit:
    """Raise _Timeout after ``seconds`` (main thread on POSIX only; else no limit)."""

    def __init__(self, seconds):
        self.seconds = seconds
        self.active = (seconds > 0 and hasattr(signal, "setitimer")
                       and threading.current_thread() is threading.main_thread())

    def __enter__(self):
        if self.active:  # an outer timer (a cell's time limit) keeps running afterwards
            self.old = signal.signal(signal.SIGALRM, self._expire)
            self.outer = signal.setitimer(signal.ITIMER_REAL, self.seconds)[0]
            if 0 < self.outer < self.seconds:
                self.seconds = self.outer
                signal.setitimer(signal.ITIMER_REAL, self.outer)
            self.start = time.monotonic()

    def _expire(self, *_):
        raise _Timeout()

    def __exit__(self, *exc):
        if self.active:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.old)
            if self.outer > 0:
                left = self.outer - (time.monotonic() - self.start)
                signal.setitimer(signal.ITIMER_REAL, max(left, 0.001))


def call(fn, *args, function, case, copy_inputs=True, hints=(), strict=False, **kwargs):
    """fn(*args, **kwargs) on copies of the inputs; raise CheckFailure if it raises.

    Warnings (overflow, divide by zero) are silenced: they would otherwise print to
    stderr, and the values they produce (inf, nan) are diagnosed by the checks.
    strict=True: a numpy overflow inside fn is a failure (OVERFLOW_CAUSE), for functions
    whose task is a form that never overflows.
    ``hints``: extra (text in the error, cause) pairs, tried before the common ones.
    A call that runs longer than CALL_SECONDS is stopped.
    """
    if not callable(fn):
        fail(function, case, f"`{function}` is not a function (it is {type(fn).__name__})",
             causes=[f"the name `{function}` was reassigned after its definition; "
                     "re-run the cell that defines it"])
    if copy_inputs:
        args, kwargs = copy.deepcopy(args), copy.deepcopy(kwargs)
    timer = _time_limit(CALL_SECONDS)
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"), timer:
            warnings.simplefilter("ignore")
            if strict:
                with np.errstate(over="raise"):
                    return fn(*args, **kwargs)
            return fn(*args, **kwargs)
    except NotImplementedError:
        fail(function, case, "not implemented yet",
             causes=[f"replace `raise NotImplementedError()` in `{function}` with your "
                     "code, run that cell, then run this test again"])
    except _Timeout:
        fail(function, case, f"did not finish within {timer.seconds:.3g} s",
             causes=["an endless loop (a `while` whose condition never changes?), or far "
                     "too much work: loop over layers or epochs, not over single numbers"])
    except RecursionError:
        fail(function, case, "infinite recursion (RecursionError)",
             causes=[f"`{function}` calls itself, maybe through a helper with the same name"])
    except Exception as exc:  # the student's bug, reported in one line
        frame = _student_frame(exc.__traceback__)
        text = f"{type(exc).__name__}: {exc}"
        where = f" in line {frame.lineno}: `{(frame.line or '').strip()}`" if frame else ""
        if strict and isinstance(exc, FloatingPointError):
            fail(function, case, f"numpy overflowed{where}", got=str(exc),
                 causes=[OVERFLOW_CAUSE])
        causes = [cause for key, cause in list(hints) + HINTS if key in text]
        fail(function, case, f"raised {type(exc).__name__}{where}", got=text,
             causes=causes[:2])


class Spy:
    """Stands in for a function the student's code looks up: counts the calls and keeps
    the last result (to check how a result was built, e.g. from perceptron units)."""

    def __init__(self, fn):
        self.fn, self.count, self.last = fn, 0, None

    def __call__(self, *args, **kwargs):
        self.count += 1
        self.last = self.fn(*args, **kwargs)
        return self.last


@contextlib.contextmanager
def spying(fn, names):
    """-> {name: Spy} for the named globals of fn that exist, restored afterwards."""
    space = getattr(fn, "__globals__", None)
    spies = {}
    if isinstance(space, dict):
        spies = {n: Spy(space[n]) for n in names if callable(space.get(n))}
    saved = {n: space[n] for n in spies}
    if spies:
        space.update(spies)
    try:
        yield spies
    finally:
        if spies:
            space.update(saved)
