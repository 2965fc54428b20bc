"""Calling student code safely: whatever it raises becomes one clear message."""
import copy
import os
import traceback
import warnings

import numpy as np

from .report import fail

_HERE = os.path.dirname(os.path.abspath(__file__))


def _student_frame(tb):
    """The innermost traceback frame that is not ours (the student's own line)."""
    frames = [f for f in traceback.extract_tb(tb) if not f.filename.startswith(_HERE)]
    return frames[-1] if frames else None


def call(fn, *args, function, case, copy_inputs=True, **kwargs):
    """fn(*args, **kwargs) on copies of the inputs; raise CheckFailure if it raises.

    Warnings (overflow, divide by zero) are silenced: they would otherwise print to
    stderr, and the values they produce (inf, nan) are diagnosed by the checks.
    """
    if not callable(fn):
        fail(function, case, f"`{function}` is not a function (it is {type(fn).__name__})",
             causes=[f"the name `{function}` was reassigned after its definition; "
                     "re-run the cell that defines it"])
    if copy_inputs:
        args, kwargs = copy.deepcopy(args), copy.deepcopy(kwargs)
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            return fn(*args, **kwargs)
    except NotImplementedError:
        fail(function, case, "not implemented yet",
             causes=[f"replace `raise NotImplementedError()` in `{function}` with your "
                     "code, run that cell, then run this test again"])
    except RecursionError:
        fail(function, case, "infinite recursion (RecursionError)",
             causes=[f"`{function}` calls itself, maybe through a helper with the same name"])
    except Exception as exc:  # the student's bug, reported in one line
        frame, hint = _student_frame(exc.__traceback__), _hint(exc)
        where = f" in line {frame.lineno}: `{(frame.line or '').strip()}`" if frame else ""
        fail(function, case, f"raised {type(exc).__name__}{where}",
             got=f"{type(exc).__name__}: {exc}", causes=[hint] if hint else ())


def _hint(exc):
    """A likely cause for the most common errors in numpy code."""
    text = str(exc)
    if isinstance(exc, ValueError) and "broadcast" in text:
        return "two arrays with incompatible shapes were combined: print their .shape"
    if isinstance(exc, ValueError) and "matmul" in text:
        return "a matrix product with mismatched inner dimensions: W is (n_l, n_{l-1}); check .T"
    if isinstance(exc, NameError):
        return "a name used before it is defined: run the cells above first, in order"
    if isinstance(exc, (TypeError, AttributeError)) and "NoneType" in text:
        return "a function returned None: is a `return` statement missing?"
    if isinstance(exc, IndexError):
        return "an index out of range: check the shapes and the axis you index"
    return ""
