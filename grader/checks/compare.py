"""Compare a student's result with the expected one: type, then dtype, then shape, then values.

Each step stops at the first problem and says what was expected, what came, where,
and the likely cause. Tolerances: float64 results rtol 1e-6 (float32 results
rtol 2e-5) relative to each entry, plus a small atol for entries near zero.
"""
import re

import numpy as np

from .diagnose import close, explain_shape, explain_values, wrong_entries
from .report import describe, fail, fmt, passed
from .wire import Other

TOLERANCE = {np.dtype(np.float64): (1e-6, 1e-9), np.dtype(np.float32): (2e-5, 1e-6)}
DTYPE_CAUSES = {
    "i": ["integer arithmetic truncated the values: start from floats, e.g. np.zeros(shape) "
          "(float by default) or 1.0 * x"],
    "b": ["a comparison (True/False) came back: convert with .astype(float)"],
    "O": ["an array of Python objects: did you build it from a list of arrays with different "
          "lengths?"],
}
ZERO_ONE_INTEGERS = ("integers 0 and 1 came back: return floats 0.0 and 1.0, e.g. "
                     "(z > 0).astype(float) or np.where(z > 0, 1.0, 0.0)")


def _type_causes(got, want):
    if got is None:
        return ["the function does not `return` anything (a Python function without "
                "`return` gives None)"]
    if isinstance(got, (list, tuple)) and want == "array":
        return ["return a numpy array, e.g. np.array(values), not a Python list"]
    if isinstance(got, np.ndarray) and want == "number":
        return ["return a single number, e.g. float(total) or array.item()"]
    if isinstance(got, str):
        return ["a string came back: return the value itself, not a printout of it"]
    return []


def check_form(got, shape, *, function, case, name="the result", kinds="f", shape_causes=None):
    """Type, then dtype, then shape: raise CheckFailure at the first problem.

    shape_causes: {wrong shape: cause}, known mistakes of this result that show in its shape.
    """
    dtype = re.match(r"array\(dtype=([^,]+),", got.text) if isinstance(got, Other) else None
    if dtype and got.name == "ndarray":  # an array the wire carries by description only
        fail(function, case, f"{name} has dtype {dtype[1]}",
             expected="a floating-point array (float64)", got=got.text,
             causes=DTYPE_CAUSES["O"] if dtype[1] == "object" else [])
    if not isinstance(got, np.ndarray):
        fail(function, case, f"{name} has the wrong type",
             expected=f"a numpy array of shape {tuple(shape)}", got=describe(got),
             causes=_type_causes(got, "array"))
    if got.dtype.kind not in kinds:
        zero_one = got.dtype.kind == "i" and got.size and np.isin(got, (0, 1)).all()
        causes = ([ZERO_ONE_INTEGERS] if zero_one else DTYPE_CAUSES.get(got.dtype.kind, []))
        fail(function, case, f"{name} has dtype {got.dtype}",
             expected="a floating-point array (float64)", got=describe(got), causes=causes)
    if got.shape != tuple(shape):
        known = (shape_causes or {}).get(got.shape)
        fail(function, case, f"{name} has the wrong shape", expected=tuple(shape),
             got=got.shape, causes=[known] if known else explain_shape(got.shape, shape))


def check_array(got, expected, *, function, case, name="the result", kinds="f",
                rtol=None, atol=None, candidates=(), factors=None, regions=None, exact=False,
                shape_causes=None, allowed=None, reduced=None, nonfinite=None):
    """Raise CheckFailure unless ``got`` is an ndarray matching ``expected``.

    kinds: accepted dtype kinds ("f" float; "fiub" also integer/bool, e.g. for relu_prime).
    exact: the values must be equal, not only close (e.g. an input restored after use).
    shape_causes: see check_form.
    allowed: (values, cause): every entry must be one of these values (e.g. 0 and 1).
    reduced: (what, cause): said when a number, or an array with fewer dimensions and
    entries, came back (a reduction, e.g. np.max for np.maximum or sum over a batch).
    nonfinite: [(mask or None, cause)]: the likely cause of nan/inf, the first whose mask
    (None: anywhere) holds one (e.g. rows where a missing max-shift overflows).
    """
    expected = np.asarray(expected)
    if (reduced is not None and isinstance(got, (np.ndarray, int, float, np.number))
            and not isinstance(got, bool) and np.ndim(got) < expected.ndim
            and np.size(got) < expected.size):
        fail(function, case, reduced[0], expected=f"an array of shape {expected.shape}",
             got=describe(got), causes=[reduced[1]])
    check_form(got, expected.shape, function=function, case=case, name=name, kinds=kinds,
               shape_causes=shape_causes)
    if allowed is not None and not np.isin(got, allowed[0]).all():
        fail(function, case, "the outputs must be exactly " + " or ".join(
             f"{v:g}" for v in allowed[0]), expected=fmt(expected), got=fmt(got),
             causes=[allowed[1]])
    _check_values(got, expected, function, case, name, (0.0, 0.0) if exact else (rtol, atol),
                  candidates, factors, regions, nonfinite)


def check_number(got, expected, *, function, case, name="the result", rtol=1e-6,
                 atol=1e-9, integer=False, candidates=(), factors=None, nonfinite=None):
    """Raise CheckFailure unless ``got`` is one number close to ``expected``.

    nonfinite: see check_array.
    """
    if isinstance(got, np.ndarray) and got.ndim == 0:
        got = got[()]
    number_types = (int, np.integer) if integer else (int, float, np.integer, np.floating)
    if isinstance(got, (bool, np.bool_)) or not isinstance(got, number_types):
        want = "an integer" if integer else "a number (float)"
        if integer and isinstance(got, (float, np.floating)) and float(got).is_integer():
            causes = ["the count came out as a float: return int(...)"]
        elif isinstance(got, (bool, np.bool_)):
            causes = ["True/False came back (a comparison): return a number, e.g. float(z > 0); "
                      "if it comes from a helper such as step, make that helper return floats"]
        else:
            causes = _type_causes(got, "number")
        fail(function, case, f"{name} has the wrong type", expected=want,
             got=describe(got), causes=causes)
    _check_values(np.float64(got), np.float64(expected), function, case, name,
                  (rtol, atol), candidates, factors, None, nonfinite)


def check_pairs(got, expected, *, function, case, names=("W", "b"), values=True, name=None,
                **options):
    """Check a list of pairs layer by layer, e.g. params [(W, b)] or grads [(dW, db)].

    values=False checks the structure only: types, dtypes and shapes.
    name: what the list is, when it is not the result itself (e.g. "params after the call").
    """
    what = name or "the result"
    if not isinstance(got, (list, tuple)):
        fail(function, case, f"{what} has the wrong type",
             expected=f"a list of {len(expected)} ({', '.join(names)}) pairs, layer 1 first",
             got=describe(got), causes=_type_causes(got, "list"))
    if len(got) != len(expected):
        fail(function, case, f"{what} has the wrong number of layers",
             expected=len(expected), got=len(got),
             causes=["one pair per layer l = 1..L is expected; is a layer skipped, "
                     "or does the loop stop early / run too far?"])
    check_order(got, expected, function=function, case=case, names=names, values=values,
                name=name)
    candidates = options.pop("candidates", ())
    prefix = f"{name}, " if name else ""
    for l, (g, e) in enumerate(zip(got, expected), start=1):
        if not isinstance(g, (list, tuple)) or len(g) != len(names):
            fail(function, case, f"{prefix}entry {l - 1} (layer {l}) is not a pair",
                 expected=f"a tuple ({', '.join(names)})", got=describe(g))
        for part, gi, ei, ci in zip(names, g, e, _split(candidates, l)):
            if values:
                check_array(gi, ei, function=function, case=case, name=f"{prefix}{part}[{l}]",
                            candidates=ci, **options)
            else:
                check_form(gi, np.shape(ei), function=function, case=case,
                           name=f"{prefix}{part}[{l}]")


REVERSED_CAUSE = ("the layers are in reverse order (layer L first), as a loop from the top "
                  "layer down appends them: return the list layer 1 first, e.g. reverse it "
                  "at the end (grads[::-1]) or store layer l's pair at index l - 1")


def check_order(got, expected, *, function, case, names=("W", "b"), values=True, name=None):
    """Fail if a list of per-layer pairs is in reverse order (its shapes, or with values=True
    its values, match the expected list reversed and not as it is)."""
    def fits(g, e):
        ok = (isinstance(g, (list, tuple)) and len(g) == len(e)
              and all(isinstance(a, np.ndarray) and a.shape == np.shape(b) for a, b in zip(g, e)))
        return ok and (not values or all(close(a, b) for a, b in zip(g, e)))
    if (len(got) > 1 and all(fits(g, e) for g, e in zip(got, expected[::-1]))
            and not all(fits(g, e) for g, e in zip(got, expected))):
        L = len(expected)
        layers = [f"({', '.join(f'{n}[{l}]' for n in names)})" for l in (1, L)]
        fail(function, case, f"{name or 'the result'} lists the layers in reverse order",
             expected=f"layer 1 first: [{layers[0]}, {'..., ' if L > 2 else ''}{layers[1]}]",
             got=f"layer {L} first", causes=[REVERSED_CAUSE])


def _split(candidates, l):
    """Per-part candidates for layer l from whole-structure candidates [(pairs, cause)]."""
    return [[(c[l - 1][k], cause) for c, cause in candidates] for k in range(2)]


def _check_values(got, expected, function, case, name, tolerance, candidates, factors,
                  regions, nonfinite=None):
    """tolerance: (rtol, atol), None for the dtype's default; (0.0, 0.0) means exact."""
    rtol, atol = tolerance
    default_rtol, default_atol = TOLERANCE.get(np.asarray(got).dtype,
                                               TOLERANCE[np.dtype(np.float64)])
    if (rtol, atol) != (0.0, 0.0):
        rtol = default_rtol if rtol is None else max(rtol, default_rtol)
        atol = default_atol if atol is None else max(atol, default_atol)
    g = np.asarray(got, dtype=np.float64)
    e = np.asarray(expected, dtype=np.float64)
    bad = wrong_entries(g, e, rtol, atol)
    if not bad.any():
        return
    digits = next((d for d in (6, 9, 12) if fmt(g, d) != fmt(e, d)), 17)
    idx = tuple(int(i) for i in np.argwhere(bad)[0]) if g.ndim else None
    where = f"[{', '.join(map(str, idx))}]" if idx else None
    worst_g, worst_e = (g[idx], e[idx]) if idx else (g, e)
    count = f"{int(bad.sum())} of {bad.size} entries differ" if g.ndim else "wrong value"
    if not np.all(np.isfinite(g[bad])):
        causes = ["an overflow (e.g. np.exp of a large number) or 0/0 or log(0): "
                  "use the numerically stable form from the notebook"]
        causes = [c for m, c in nonfinite or () if not np.all(np.isfinite(
            g if m is None else g[np.asarray(m, dtype=bool)]))][:1] or causes
        fail(function, case, f"{name} contains nan or inf ({count})", entry=where,
             expected=fmt(worst_e, digits), got=fmt(worst_g, digits), causes=causes)
    causes = explain_values(g, e, candidates, factors, regions)
    if g.ndim and g.size <= 12:
        fail(function, case, f"{name}: {count}", expected=fmt(e, digits), got=fmt(g, digits),
             entry=where, causes=causes)
    fail(function, case, f"{name}: {count}", entry=where, expected=fmt(worst_e, digits),
         got=fmt(worst_g, digits), causes=causes)


def compare(result, expected, kind, function, label, name="the result", type_causes=(),
            **options):
    """Dispatch on the kind of result: array, number, int, pairs, or a tuple of kinds.

    A tuple of kinds takes {part: its options} and type_causes: [cause], the likely causes
    when the result is not such a tuple (after the usual one for None).
    """
    if isinstance(result, Other) and not (kind == "array" and result.name == "ndarray"):
        fail(function, label, f"{name} has the wrong type", got=f"a {result.name} ({result!r})")
    if isinstance(kind, (list, tuple)):  # a tuple result, e.g. (w, b, errors)
        if not isinstance(result, tuple) or len(result) != len(kind):
            names = ", ".join(n for n, _ in kind)
            fail(function, label, "the result has the wrong type",
                 expected=f"a tuple ({names})", got=describe(result),
                 causes=_type_causes(result, "tuple") + list(type_causes) if type_causes
                 else [])
        for (part, sub), r, e in zip(kind, result, expected):
            compare(r, e, sub, function, label, name=part, **options.get(part, {}))
        return
    if kind == "array":
        check_array(result, expected, function=function, case=label, name=name, **options)
    elif kind in ("number", "int"):
        check_number(result, expected, function=function, case=label, name=name,
                     integer=kind == "int", **options)
    elif kind == "pairs":
        check_pairs(result, expected, function=function, case=label,
                    name=None if name == "the result" else name, **options)
    elif kind == "list":  # e.g. errors_per_epoch: compare as an array of numbers
        if not isinstance(result, (list, tuple, np.ndarray)) or any(
                isinstance(v, (Other, list, tuple, str)) for v in np.ravel(
                    np.asarray(result, dtype=object))):
            fail(function, label, f"{name} has the wrong type",
                 expected=f"a list of {len(expected)} numbers", got=describe(result))
        check_array(np.asarray(result, dtype=np.float64), np.asarray(expected, dtype=np.float64),
                    function=function, case=label, name=name, **options)
    else:
        raise ValueError(f"unknown kind {kind!r}")


def check_lecture(what, got, slide, atol, source, rtol=0.0):
    """Assert a number the lecture prints, within atol + rtol |slide|; show it beside the slide's.

    what: e.g. "z of the single neuron"; slide: the printed value(s);
    source: e.g. "the forward/backward lecture". A wrong value raises CheckFailure naming all three.
    """
    g = np.asarray(got, dtype=np.float64)
    s = np.asarray(slide, dtype=np.float64)
    show = lambda a: fmt(a[()] if a.ndim == 0 else a)  # noqa: E731
    tolerance = f"{atol:g}" + (f" + {rtol:g} |value|" if rtol else "")
    if g.shape != s.shape or not np.all(np.abs(g - s) <= atol + rtol * np.abs(s)):
        fail(f"{source}: {what}", f"the number printed in {source}",
             f"differs from the lecture by more than {tolerance}",
             expected=show(s), got=show(g) if g.shape == s.shape else describe(got),
             causes=["the function used here is wrong: run its visible test above"])
    passed(f"{source}: {what}", f"{show(g)} (lecture: {show(s)}, tolerance {tolerance})")
