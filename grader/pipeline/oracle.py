"""The oracle: the reference engine's answers to every hidden test case.

Hidden test cells call ``bpcheck.hidden.grade(function, ...)``, which reads
``<oracle dir>/<assignment>.pkl``: {function: [case, ...]}. A case is a plain
dict (numpy arrays and Python values only, so the kernel needs no package of
ours to read it):

    label       what the student is told about the input ("sizes [4, 5, 3], N = 1")
    protocol    how to call the student's functions (see bpcheck.hidden.PROTOCOLS)
    args/kwargs the inputs
    expected    the engine's result
    kind        "array", "number", "int", "pairs", "list", or [(name, kind), ...]
    options     tolerances, accepted dtypes, and candidates: [(wrong result, cause)]
                computed by the engine with a known mistake, for the diagnosis
"""
import importlib
import os
import pickle
from pathlib import Path

from . import assignments

ORACLE_ENV = "BACKPROP_ORACLE_DIR"


def case(label, args, expected, kind="array", kwargs=None, protocol="call", **options):
    """One hidden test case (see the module docstring)."""
    return {"label": label, "args": tuple(args), "kwargs": dict(kwargs or {}),
            "expected": expected, "kind": kind, "protocol": protocol, "options": options}


def build(assignment_id):
    """{function: [case, ...]} from grader/pipeline/cases/<checks module>.py."""
    module = importlib.import_module(f"{__package__}.cases.{assignments.get(assignment_id).checks}")
    return module.cases()


def write(folder, ids=None):
    """Write <folder>/<id>.pkl for the given (default: all) assignments; returns folder."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for a in ids if ids is not None else [a.id for a in assignments.ASSIGNMENTS]:
        tmp = folder / f".{a}.pkl.tmp"
        with open(tmp, "wb") as fh:
            pickle.dump(build(a), fh, protocol=4)
        os.replace(tmp, folder / f"{a}.pkl")
    return folder
