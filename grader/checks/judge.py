"""The one runner of cases: what a function returned, compared with what it should return.

``judge`` compares a record (``hidden.record``: the results on the cases' inputs, as
plain data) with the cases: type, dtype, shape, values, then the diagnosis and likely
cause. The grader calls it in its own process on the hidden cases (the kernel never
sees an expected value); ``run`` does both steps at once on a visible check's cases,
so a mistake gets the same words in the visible check and in the hidden tests.
"""
from . import wire
from .compare import compare
from .report import CheckFailure, passed

# What a grading kernel may see of a case: no expected result, no candidate.
INPUT_KEYS = ("label", "protocol", "function", "args", "kwargs", "replays", "kept", "spy",
              "hints")
UPSTREAM_CAUSE = ("your {function} called {names} on inputs the grader has no reference "
                  "result for, so your own {names} ran there: if {names} passed its own test, "
                  "look at the inputs {function} gives it")
UNREADABLE = (wire.WireError, ValueError, TypeError, OverflowError)  # a forged value's errors


def case(label, args, expected, kind="array", kwargs=None, protocol="call", replays=None,
         kept=None, spy=None, structure=None, hints=None, **options):
    """One case, visible or hidden (the fields: grader/pipeline/oracle.py's docstring)."""
    out = {"label": label, "args": tuple(args), "kwargs": dict(kwargs or {}),
           "expected": expected, "kind": kind, "protocol": protocol, "options": options}
    extra = {"replays": replays, "kept": list(kept or ()), "spy": list(spy or ()),
             "structure": structure, "hints": [list(h) for h in hints or ()]}
    out.update({k: v for k, v in extra.items() if v})
    return out


def inputs_of(cases):
    """The cases as the recorder reads them: their inputs only, as plain data."""
    return [{k: (wire.encode(c[k]) if k in ("args", "kwargs") else c[k])
             for k in INPUT_KEYS if k in c} for c in cases]


def judge(cases, function, data, what="hidden case"):
    """-> "all N <what>s passed", or raise CheckFailure with the first wrong case's message
    (its label prefixed "<what> i of N: "; what=None: the label alone)."""
    entries = data.get("cases") if isinstance(data, dict) else None
    if not isinstance(entries, list) or data.get("function") != function \
            or len(entries) != len(cases):
        raise CheckFailure(f"✘ {function}: the hidden tests' record is incomplete or altered; "
                           "no case can be graded")
    for i, (case, entry) in enumerate(zip(cases, entries), start=1):
        label = f"{what} {i} of {len(cases)}: {case['label']}" if what else case["label"]
        if not isinstance(entry, dict):
            raise CheckFailure(f"✘ {function}: the record of {label} is altered")
        if "error" in entry:
            text = entry["error"] if isinstance(entry["error"], str) else "an error"
            raise CheckFailure(text[:4000])
        try:
            result = wire.decode(entry.get("result"))
        except UNREADABLE as exc:
            raise CheckFailure(f"✘ {function}: the record of {label} is unreadable ({exc})")
        try:
            compare(result, case["expected"], case["kind"], function, label,
                    **case.get("options", {}))
            if case.get("structure"):
                case["structure"](result, calls_of(entry, case.get("spy", ())),
                                  function=function, case=label)
        except CheckFailure as exc:
            misses = entry.get("misses") or {}
            if isinstance(misses, dict) and misses:
                names = ", ".join(f"`{n}`" for n in sorted(map(str, misses))[:4])
                raise CheckFailure(f"{exc}\n  note:         " + UPSTREAM_CAUSE.format(
                    names=names, function=function)) from None
            raise
    return f"all {len(cases)} {what or 'case'}s passed"


def calls_of(entry, names):
    """{name: (count, last result)} of the spied functions, as the recorder saw them."""
    calls = entry.get("calls") if isinstance(entry.get("calls"), dict) else {}
    out = {}
    for name in names:
        seen = calls.get(name) if isinstance(calls.get(name), dict) else {}
        count = seen.get("count", 0)
        try:
            last = wire.decode(seen.get("last"))
        except UNREADABLE:
            last = None
        out[name] = (count if isinstance(count, int) and count >= 0 else 0, last)
    return out


def run(function, cases, summary=None, **fns):
    """A visible check: record ``function`` on the cases and judge the record at once;
    print the success line (``summary``, or the number of cases)."""
    from .hidden import record
    data = record(function, fns, inputs_of(cases), what=None)
    judge(cases, function, data, what=None)
    count = f"{len(cases)} case{'s' * (len(cases) != 1)}"
    passed(function, f"{count}: {summary}" if summary else f"{count} passed")
