"""The hidden tests' recorder: what the student's functions return on the hidden inputs.

A hidden test cell reads::

    from bpcheck.hidden import grade
    grade("backward", forward=forward, backward=backward)

This module never sees an expected result. It calls the student's functions on the
hidden cases' inputs and records what they return, as plain data (``wire``):
- in a grading kernel (``BPCHECK_INPUTS`` names the inputs file), the record is
  displayed as one output of MIME type RECORD_MIME; the grader, in its own process,
  compares it with the reference results and writes the cell's verdict;
- in the instructor's own Jupyter (the grader package is importable), the same
  verdict is computed at once and shown, so a source notebook runs top to bottom.
Upstream functions a graded function calls (``train`` calls ``backward``) are
replaced during its cases by sealed replays of reference results for exactly the
inputs a correct implementation passes, so one bug costs one function's points.
A case may also ask for the arguments the contract leaves unchanged (``kept``: they are
recorded as they are after the call) and for the calls of named functions (``spy``:
how many, and the last result, e.g. xor_network's calls of perceptron).
"""
import copy
import json
import os


from . import wire
from .calls import call, spying
from .numgrad import quadratic
from .report import CheckFailure, fail, passed

INPUTS_ENV = "BPCHECK_INPUTS"
RECORD_MIME = "application/vnd.backprop.record+json"
_inputs = {}


def _assignment():
    try:
        from . import _bundle  # written when the checks are copied into an assignment
        return _bundle.ASSIGNMENT
    except ImportError:  # the installed package in the instructor's environment
        return os.path.basename(os.getcwd())


def load_inputs(assignment):
    """{function: [case inputs]}: from the grading kernel's file, or the instructor's oracle."""
    if assignment not in _inputs:
        path = os.environ.get(INPUTS_ENV)
        if path:
            with open(path) as fh:
                _inputs[assignment] = json.load(fh)
        else:
            _inputs[assignment] = _trusted().inputs(assignment)
    return _inputs[assignment]


def _trusted():
    """The grader's verdict module: only in the instructor's environment, never when grading."""
    try:
        from grader.pipeline import verdict
    except ImportError:
        raise CheckFailure(
            "✘ hidden tests: they run when your instructor grades the notebook\n"
            "  (the visible test above is the one to pass now)") from None
    return verdict


# How each kind of case calls the student's functions -> the result to record.
def _keeping(fn, spec, args, kwargs, **options):
    """call(fn, *args, **kwargs); with spec["kept"] (the case's indices of arguments whose
    contents the contract leaves unchanged), on the recorder's own copies -> (result,
    those arguments as they are after the call)."""
    kept = spec.get("kept")
    if not kept:
        return call(fn, *args, **options, **kwargs)
    args, kwargs = copy.deepcopy(list(args)), copy.deepcopy(kwargs)
    result = call(fn, *args, copy_inputs=False, **options, **kwargs)
    return (result, *[args[i] for i in kept])


def _hints(case):
    """The case's [text in an error, likely cause] pairs for errors the function raises."""
    return case.get("hints", ())


def _plain(fns, case, function, label, args, kwargs):
    return _keeping(fns[case.get("function", function)], case, args, kwargs,
                    function=function, case=label, hints=_hints(case))


def _strict(fns, case, function, label, args, kwargs):
    """Like _plain, with a numpy overflow inside the function a failure (a stable form)."""
    return _keeping(fns[case.get("function", function)], case, args, kwargs,
                    function=function, case=label, strict=True, hints=_hints(case))


def _backward(fns, case, function, label, args, kwargs):
    params, X, Y = args
    out = call(fns["forward"], params, X, function="forward", case=label, **kwargs)
    if not isinstance(out, tuple) or len(out) != 2:
        fail("forward", label, "forward must return a pair (A_L, cache)",
             causes=["backward is tested through your forward: fix forward first"])
    return call(fns["backward"], params, out[1], Y, function=function, case=label,
                hints=_hints(case), **kwargs)


def _quadratic_form(fns, case, function, label, args, kwargs):
    """numerical_gradient(f, x, eps) on f(x) = 1/2 x.M x + c.x + sum(sin x)."""
    M, c, x, eps = args
    return _keeping(fns[case.get("function", function)], case, (quadratic(M, c), x, eps), {},
                    function=function, case=label)


PROTOCOLS = {"call": _plain, "strict": _strict, "backward": _backward,
             "quadratic_form": _quadratic_form}


class Replay:
    """Stands in for an upstream function: the reference result for the inputs it was
    sealed for, else the student's own function (whose result is then the student's)."""

    def __init__(self, name, spec, own):
        self.name, self.params, self.table, self.own = name, spec["params"], spec["table"], own
        self.misses = 0

    def _key(self, args, kwargs):
        values = list(args)
        for pname, default in self.params[len(args):]:
            if pname in kwargs:
                values.append(kwargs.pop(pname))
            elif default is not None:  # [encoded default]
                values.append(wire.decode(default[0]))
            else:
                return None
        if kwargs or len(values) != len(self.params):
            return None
        return [self.name, values]

    def __call__(self, *args, **kwargs):
        key = self._key(args, dict(kwargs))
        sealed = self.table.get(wire.digest(key)) if key is not None else None
        if sealed is None:
            self.misses += 1
            if not callable(self.own):
                raise NameError(f"name {self.name!r} is not defined")
            return self.own(*args, **kwargs)
        return wire.unseal(key, sealed)


def _with_replays(fns, function, replays, run):
    """run() with the named globals of the graded function replaced by replays."""
    target = fns.get(function)
    space = getattr(target, "__globals__", None)
    if not replays or not isinstance(space, dict):
        return run(), {}
    missing = object()
    saved = {name: space.get(name, missing) for name in replays}
    stand_ins = {name: Replay(name, spec, None if saved[name] is missing else saved[name])
                 for name, spec in replays.items()}
    space.update(stand_ins)
    try:
        return run(), stand_ins
    finally:
        for name, old in saved.items():
            if old is missing:
                space.pop(name, None)
            else:
                space[name] = old


def record(function, fns, cases, what="hidden case"):
    """Run ``function``'s cases (their inputs only); -> the record (plain data)."""
    out = []
    for i, case in enumerate(cases, start=1):
        label = f"{what} {i} of {len(cases)}: {case['label']}" if what else case["label"]
        args, kwargs = wire.decode(case["args"]), wire.decode(case["kwargs"])
        protocol = PROTOCOLS[case.get("protocol", "call")]
        entry = {}
        try:
            with spying(fns.get(function), case.get("spy", ())) as spies:
                result, stand_ins = _with_replays(
                    fns, function, case.get("replays"),
                    lambda: protocol(fns, case, function, label, args, kwargs))
            entry["result"] = wire.encode(result)
            entry["misses"] = {n: r.misses for n, r in stand_ins.items() if r.misses}
            if "spy" in case:  # how the result was built: calls of the named functions
                entry["calls"] = {n: {"count": s.count, "last": wire.encode(s.last)}
                                  for n, s in spies.items()}
        except CheckFailure as exc:  # the student's code raised or did not finish
            entry["error"] = str(exc)[:4000]
        out.append(entry)
    return {"function": function, "cases": out}


def grade(function, **fns):
    """Record the hidden cases of ``function``; outside a grading kernel, judge them too."""
    data = record(function, fns, load_inputs(_assignment())[function])
    if os.environ.get(INPUTS_ENV):
        from IPython.display import display
        display({RECORD_MIME: data, "text/plain": f"hidden cases of {function} recorded "
                                                  "(the grader judges them)"}, raw=True)
        return
    message = _trusted().judge(_assignment(), function, data)
    passed(function, message)

