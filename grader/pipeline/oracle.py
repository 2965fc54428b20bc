"""The oracle: the reference engine's answers to every hidden test case, on the grader's side.

``grader/pipeline/cases/<module>.py`` gives, per graded function, a list of cases
(plain dicts made by ``case``):

    label       what the student is told about the input ("sizes [4, 5, 3], N = 1")
    protocol    how to call the student's functions (see bpcheck.hidden.PROTOCOLS)
    args/kwargs the inputs
    expected    the engine's result
    kind        "array", "number", "int", "pairs", "list", or [(name, kind), ...]
    options     tolerances, accepted dtypes, and candidates: [(wrong result, cause)]
                computed by the engine with a known mistake, for the diagnosis
    replays     sealed reference results of upstream functions (see replay.py)
    kept        indices of arguments the contract leaves unchanged: the protocol then
                returns (result, those arguments after the call), and kind lists them too
    spy         names of functions whose calls the recorder counts (bpcheck.calls.Spy)
    structure   structure(result, {name: (count, last result)}, function=, case=): checks
                how the result was built from those calls (grader side only)

Two files per assignment come out of it, cached by a hash of everything they are
computed from: ``<id>.inputs.json`` (labels, protocols, inputs and replays: what a
grading kernel may see) and ``<id>.pkl`` (everything, read by the grader only).
"""
import hashlib
import importlib
import json
import os
import pickle
from pathlib import Path

from . import assignments
from ..checks import judge
from ..checks.judge import case  # noqa: F401 (the case tables' builder, one for both)

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [ROOT / "solutions", ROOT / "grader" / "pipeline" / "cases", ROOT / "grader" / "checks",
           Path(__file__), Path(__file__).with_name("replay.py")]
_memo = {}


def build(assignment_id):
    """{function: [case, ...]} from grader/pipeline/cases/<checks module>.py."""
    module = importlib.import_module(f"{__package__}.cases.{assignments.get(assignment_id).checks}")
    return module.cases()


def inputs_of(cases):
    """What a grading kernel may see of the cases: no expected result, no candidate."""
    return {function: judge.inputs_of(items) for function, items in cases.items()}


def stamp():
    """A hash of every file the oracle is computed from (read once per process)."""
    if "stamp" in _memo:
        return _memo["stamp"]
    h = hashlib.sha256()
    for source in SOURCES:
        for path in sorted(source.rglob("*.py")) if source.is_dir() else [source]:
            h.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    _memo["stamp"] = h.hexdigest()[:16]
    return _memo["stamp"]


def default_dir():
    """The oracle cache: outside the course, the submissions and every sandbox."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "backprop-course" / "oracle"


def folder(base=None):
    """The cache folder of the current sources (one per stamp)."""
    return Path(base or default_dir()) / stamp()


def write(base=None, ids=None):
    """Build the missing oracle files of the given (default: all) assignments; -> folder."""
    out = folder(base)
    out.mkdir(parents=True, exist_ok=True)
    for a in ids if ids is not None else [a.id for a in assignments.ASSIGNMENTS]:
        if (out / f"{a}.pkl").exists() and (out / f"{a}.inputs.json").exists():
            continue
        cases = build(a)
        _atomic(out / f"{a}.inputs.json", json.dumps(inputs_of(cases)).encode())
        _atomic(out / f"{a}.pkl", pickle.dumps(cases, protocol=4))
    return out


def _atomic(path, data):
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def load(assignment_id, base=None):
    """{function: [case]} with the expected results (the grader's side only)."""
    key = (str(folder(base)), assignment_id)
    if key not in _memo:
        path = write(base, [assignment_id]) / f"{assignment_id}.pkl"
        with open(path, "rb") as fh:
            _memo[key] = pickle.load(fh)
    return _memo[key]


def inputs_path(assignment_id, base=None):
    """The inputs file a grading kernel reads (built if missing)."""
    return write(base, [assignment_id]) / f"{assignment_id}.inputs.json"
