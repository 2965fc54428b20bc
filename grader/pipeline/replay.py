"""Sealed replays of upstream functions, traced from the reference engine.

When a graded function calls another one the student wrote (``train`` calls
``forward``, ``backward`` and ``gd_step``), its hidden cases carry, per upstream
function, the reference result for every input the engine passed to it, each
sealed with a key made from that input (``bpcheck.wire.seal``). In the grading
kernel the upstream function is replaced by a replay that opens a result only for
exactly that input: a correct implementation gets the reference values, so a bug
upstream does not cost the downstream points, and nothing can be read from the
table without computing the inputs a correct implementation computes.
"""
import inspect

import numpy as np

from ..checks import wire


def _spec(fn, count):
    """[(name, [encoded default] or None)] of fn's first ``count`` parameters."""
    params = list(inspect.signature(fn).parameters.values())[:count]
    return [(p.name, None if p.default is p.empty else [wire.encode(p.default)]) for p in params]


def replayed(fn, args, kwargs=None, **upstream):
    """The replays of fn's upstream functions ({name: arity}) when called on these inputs,
    and on their float64 copies (a correct function may convert float32 inputs first)."""
    replays = trace(lambda: fn(*args, **(kwargs or {})), fn.__globals__, upstream)[1]
    wide = [_float64(a) for a in args]
    if any(w is not a for w, a in zip(wide, args)):
        more = trace(lambda: fn(*wide, **(kwargs or {})), fn.__globals__, upstream)[1]
        for name, spec in more.items():
            replays[name]["table"].update(spec["table"])
    return replays


def merge(*replays):
    """One set of replays from several traces (the tables of each name joined)."""
    out = {}
    for r in replays:
        for name, spec in r.items():
            out.setdefault(name, {"params": spec["params"], "table": {}})["table"].update(
                spec["table"])
    return out


def _float64(a):
    if isinstance(a, np.ndarray) and a.dtype.kind in "fiub" and a.dtype != np.float64:
        return a.astype(np.float64)
    if isinstance(a, (list, tuple)) and any(_float64(v) is not v for v in a):
        return type(a)(_float64(v) for v in a)
    return a


def trace(run, space, upstream):
    """run() with space[name] traced for each name in upstream ({name: contract arity}).

    space: the globals the reference function looks its upstream functions up in.
    Returns (run's result, {name: {"params": spec, "table": {lookup id: sealed}}}).
    """
    replays, saved = {}, {}
    for name, count in upstream.items():
        real = saved[name] = space[name]
        signature = inspect.signature(real)
        names = list(signature.parameters)
        table = {}
        replays[name] = {"params": _spec(real, count), "table": table}

        def traced(*args, _real=real, _sig=signature, _names=names, _count=count,
                   _table=table, _name=name, **kwargs):
            result = _real(*args, **kwargs)
            bound = _sig.bind(*args, **kwargs)
            extra = {k: v for k, v in bound.arguments.items() if k not in _names[:_count]}
            if all(_sig.parameters[k].default == v for k, v in extra.items()):
                bound.apply_defaults()
                key = [_name, [bound.arguments[k] for k in _names[:_count]]]
                lookup, sealed = wire.seal(key, result)
                _table[lookup] = sealed
            return result
        space[name] = traced
    try:
        return run(), replays
    finally:
        space.update(saved)
