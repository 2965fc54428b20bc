"""The hidden tests' runner: student functions vs the reference engine's answers.

The answers are not computed here. The instructor pipeline runs the reference
engine beforehand and stores, per function, the input cases, the expected
results and the results of known mistakes in an oracle file
``$BACKPROP_ORACLE_DIR/<assignment>.pkl``. So a submission's kernel never holds
the engine, only numbers. A hidden test cell reads::

    from bpcheck.hidden import grade
    grade("backward", forward=forward, backward=backward)
"""
import os
import pickle

import numpy as np

from .calls import call
from .compare import check_array, check_number, check_pairs
from .report import CheckFailure, describe, fail, passed

ORACLE_ENV = "BACKPROP_ORACLE_DIR"
_loaded = {}


def _assignment():
    from . import _bundle  # written when the checks are copied into an assignment
    return _bundle.ASSIGNMENT


def load_oracle(assignment=None):
    """{function: [case, ...]} for the assignment, read once per kernel."""
    assignment = assignment or _assignment()
    if assignment not in _loaded:
        folder = os.environ.get(ORACLE_ENV)
        if not folder:
            raise CheckFailure(
                f"✘ hidden tests: {ORACLE_ENV} is not set\n"
                "  Hidden tests run only in the instructor's environment: use\n"
                "  `backprop-course autograde` (or `backprop-course oracle` and export\n"
                f"  {ORACLE_ENV}=<its folder> before starting Jupyter).")
        with open(os.path.join(folder, f"{assignment}.pkl"), "rb") as fh:
            _loaded[assignment] = pickle.load(fh)
    return _loaded[assignment]


# How each kind of case calls the student's functions -> the result to compare.
def _plain(fns, case, function, label):
    return call(fns[case.get("function", function)], *case["args"], function=function, case=label,
                **case.get("kwargs", {}))


def _backward(fns, case, function, label):
    params, X, Y = case["args"]
    kw = case.get("kwargs", {})
    out = call(fns["forward"], params, X, function="forward", case=label, **kw)
    if not isinstance(out, tuple) or len(out) != 2:
        fail("forward", label, "forward must return a pair (A_L, cache)", got=describe(out),
             causes=["backward is tested through your forward: fix forward first"])
    return call(fns["backward"], params, out[1], Y, function=function, case=label,
                hints=[("matmul", "carrying dZ^[l] down uses W^[l] as it is, no .T: in row "
                                  "layout dZ^[l-1] = (dZ^[l] @ W^[l]) * g'(Z^[l-1])")], **kw)


def _quadratic_form(fns, case, function, label):
    """numerical_gradient(f, x, eps) on f(x) = 1/2 x.M x + c.x + sum(sin x)."""
    M, c, x, eps = case["args"]

    def f(v):
        v = np.asarray(v, dtype=np.float64)
        quadratic = 0.5 * np.sum(v * (M @ v.ravel()).reshape(v.shape))
        return quadratic + np.sum(c * v) + np.sum(np.sin(v))
    return call(fns[case.get("function", function)], f, x, eps, function=function, case=label)


PROTOCOLS = {"call": _plain, "backward": _backward, "quadratic_form": _quadratic_form}


def compare(result, expected, kind, function, label, name="the result", **options):
    """Dispatch on the kind of result: array, number, int, pairs, or a tuple of kinds."""
    if isinstance(kind, (list, tuple)):  # a tuple result, e.g. (w, b, errors)
        if not isinstance(result, tuple) or len(result) != len(kind):
            names = ", ".join(n for n, _ in kind)
            fail(function, label, "the result has the wrong type",
                 expected=f"a tuple ({names})", got=describe(result))
        for (part, sub), r, e in zip(kind, result, expected):
            compare(r, e, sub, function, label, name=part, **options.get(part, {}))
        return
    if kind == "array":
        check_array(result, expected, function=function, case=label, name=name, **options)
    elif kind in ("number", "int"):
        check_number(result, expected, function=function, case=label, name=name,
                     integer=kind == "int", **options)
    elif kind == "pairs":
        check_pairs(result, expected, function=function, case=label, **options)
    elif kind == "list":  # e.g. errors_per_epoch: compare as an array of numbers
        if not isinstance(result, (list, tuple, np.ndarray)):
            fail(function, label, f"{name} has the wrong type",
                 expected=f"a list of {len(expected)} numbers", got=describe(result))
        check_array(np.asarray(result, dtype=np.float64), np.asarray(expected, dtype=np.float64),
                    function=function, case=label, name=name, **options)
    else:
        raise ValueError(f"unknown kind {kind!r}")


def grade(function, **fns):
    """Run every hidden case of ``function``; raise CheckFailure at the first wrong one."""
    cases = load_oracle()[function]
    for i, case in enumerate(cases, start=1):
        label = f"hidden case {i} of {len(cases)}: {case['label']}"
        result = PROTOCOLS[case.get("protocol", "call")](fns, case, function, label)
        compare(result, case["expected"], case["kind"], function, label,
                **case.get("options", {}))
    passed(function, f"all {len(cases)} hidden cases passed")
