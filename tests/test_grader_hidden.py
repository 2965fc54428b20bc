"""The hidden tests' two halves: the recorder (grader/checks/hidden.py) as a grading
kernel runs it, and the judge (grader/pipeline/verdict.py) in the grader's process;
and the wall between the checks and the reference engine.

An oracle for 01-neuron is built into a temporary folder and the checks are bundled
as ``bpcheck``; a subprocess whose sys.path holds neither the repository nor the
editable install (so ``import solutions`` and ``import grader`` fail there) records
what functions given to it as source code return on the hidden inputs. The record is
judged here. grader/checks itself must never import ``solutions``.
"""
import ast
import json
import os
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import grader.checks
from grader.checks import hidden, wire
from grader.checks.compare import compare
from grader.checks.report import CheckFailure
from grader.pipeline import bundle, oracle, verdict

ROOT = Path(__file__).resolve().parent.parent
CHECKS_DIR = Path(grader.checks.__file__).resolve().parent
SITE_PACKAGES = Path(np.__file__).resolve().parent.parent  # numpy only, no .pth processing
ASSIGNMENT = "01-neuron"
ENGINE = ["activations.py", "perceptron.py"]  # the engine functions notebook 01 asks for


# ---------------------------------------------------------------- helpers
@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """(inputs file, folder holding bpcheck/, the oracle's cases) for 01-neuron."""
    base = tmp_path_factory.mktemp("hidden")
    folder = oracle.write(base / "oracle", [ASSIGNMENT])
    package = bundle.write_checks(base / "source", ASSIGNMENT)
    with open(folder / f"{ASSIGNMENT}.pkl", "rb") as fh:
        cases = pickle.load(fh)
    return folder / f"{ASSIGNMENT}.inputs.json", package.parent, cases


def engine_source():
    """The engine's notebook-01 functions as one module of source code, numpy only."""
    parts = []
    for name in ENGINE:
        text = (ROOT / "solutions" / name).read_text()
        parts.append("\n".join(line for line in text.splitlines()
                               if not line.startswith("from .")))
    return "\n\n".join(parts)


PRELUDE = """
import json, sys
assert SITE_PACKAGES not in sys.path
sys.path.append(SITE_PACKAGES)
sys.path.insert(0, PACKAGE_PARENT)
import os
leaks = [p for p in sys.path  # a folder from which the engine or the grader could be imported
         if os.path.exists(os.path.join(p or ".", "solutions"))
         or os.path.exists(os.path.join(p or ".", "grader"))]
for name in ("solutions", "grader"):
    try:
        __import__(name)
    except ModuleNotFoundError:
        pass
    else:
        raise SystemExit(f"{name} is importable here: {leaks}")
from bpcheck.hidden import load_inputs, record

def run(function, **fns):
    return record(function, fns, load_inputs("01-neuron")[function])

def finish(results):
    results["_modules"] = sorted(m for m in sys.modules
                                 if m.split(".")[0] in ("solutions", "grader"))
    results["_path_leaks"] = leaks
    print("RESULT " + json.dumps(results))
"""


def run_isolated(body, package_parent, inputs=None, engine=""):
    """Run PRELUDE + body in `python -I -S`; return (results dict, stdout, stderr)."""
    constants = {"SITE_PACKAGES": str(SITE_PACKAGES), "PACKAGE_PARENT": str(package_parent),
                 "ROOT": str(ROOT), "ENGINE": engine}
    script = ("".join(f"{k} = {v!r}\n" for k, v in constants.items())
              + PRELUDE + textwrap.dedent(body))
    env = {k: v for k, v in os.environ.items()
           if k not in (hidden.INPUTS_ENV, "PYTHONPATH", "PYTHONHOME")}
    if inputs is not None:
        env[hidden.INPUTS_ENV] = str(inputs)
    proc = subprocess.run([sys.executable, "-I", "-S", "-c", script], capture_output=True,
                          text=True, env=env, cwd=str(package_parent), timeout=120)
    assert proc.returncode == 0, proc.stderr + proc.stdout
    line = [s for s in proc.stdout.splitlines() if s.startswith("RESULT ")][-1]
    return json.loads(line[len("RESULT "):]), proc.stdout, proc.stderr


def wrong_relu_prime(z):
    """The classic mistake: ReLU'(0) = 1."""
    return (np.asarray(z) >= 0).astype(float)


WRONG_SOURCE = """
import numpy as np
def wrong_relu_prime(z):
    return (np.asarray(z) >= 0).astype(float)
"""


def strip_colours(text):
    return text.replace("\x1b[31m", "").replace("\x1b[1m", "").replace("\x1b[0m", "")


def imported_modules(path):
    """Top-level names of absolute imports, and whether any import is relative,
    anywhere in a file."""
    names, relative = set(), False
    for node in ast.walk(ast.parse(Path(path).read_text())):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                relative = True
            else:
                names.add(node.module.split(".")[0])
        elif (isinstance(node, ast.Call)
              and getattr(node.func, "attr", getattr(node.func, "id", ""))
              in ("import_module", "__import__") and node.args
              and isinstance(node.args[0], ast.Constant)):
            names.add(str(node.args[0].value).split(".")[0])
    return names, relative


# ---------------------------------------------------------------- the recorder, isolated
def judged(cases, function, data):
    """The judge's verdict on a record: "passed" or the message a student reads."""
    try:
        verdict.judge_cases(cases[function], function, data)
        return "passed"
    except CheckFailure as exc:
        return strip_colours("\n".join(exc._render_traceback_()))


def test_engine_functions_pass_every_hidden_case_without_the_engine_installed(built):
    inputs, parent, cases = built
    body = f"""
    ns = {{}}
    exec(ENGINE, ns)
    results = {{fn: run(fn, **{{fn: ns[fn]}}) for fn in {sorted(cases)!r}}}
    finish(results)
    """
    results, _, stderr = run_isolated(body, parent, inputs, engine_source())
    assert results["_modules"] == [] and results["_path_leaks"] == []
    assert {fn: judged(cases, fn, results[fn]) for fn in cases} == {fn: "passed" for fn in cases}
    assert stderr == ""


def test_the_record_holds_no_expected_value(built):
    """What the kernel sees and sends is inputs and the student's results: no expected value."""
    inputs, parent, cases = built
    text = inputs.read_text()
    assert '"expected"' not in text and '"candidates"' not in text
    for fn_cases in cases.values():
        for case in fn_cases:
            expected = np.asarray(case["expected"])
            if expected.size >= 3 and expected.dtype.kind == "f" and np.any(
                    expected != np.round(expected)):  # not a 0/1 pattern an input may share
                assert wire.encode(expected)["b64"] not in text, case["label"]


def test_wrong_function_fails_with_the_case_label_and_the_candidates_cause(built):
    inputs, parent, cases = built
    fn_cases = cases["relu_prime"]
    first_wrong = next(i for i, c in enumerate(fn_cases)
                       if not np.allclose(wrong_relu_prime(*c["args"]), c["expected"]))
    case = fn_cases[first_wrong]
    causes = [cause for cand, cause in case["options"].get("candidates", [])
              if np.allclose(cand, wrong_relu_prime(*case["args"]))]
    assert causes, "the oracle should know the mistake ReLU'(0) = 1"
    body = WRONG_SOURCE + 'finish({"relu_prime": run("relu_prime", relu_prime=wrong_relu_prime)})\n'
    results, _, _ = run_isolated(body, parent, inputs)
    text = judged(cases, "relu_prime", results["relu_prime"])
    label = f"hidden case {first_wrong + 1} of {len(fn_cases)}: {case['label']}"
    assert text.splitlines()[0].startswith("✘ relu_prime: ")
    assert f"  input case:   {label}" in text.splitlines()
    assert f"  likely cause: {causes[0]}" in text.splitlines()
    assert "Traceback" not in text and str(ROOT) not in text
    assert results["_modules"] == []


def test_outside_a_grading_kernel_and_without_the_grader_the_message_is_clear(built):
    _, parent, _ = built
    body = WRONG_SOURCE + """
from bpcheck.hidden import grade
from bpcheck.report import CheckFailure
try:
    grade("relu_prime", relu_prime=wrong_relu_prime)
    out = "passed"
except CheckFailure as exc:
    out = str(exc)
finish({"message": out})
"""
    results, _, _ = run_isolated(body, parent, inputs=None)
    lines = results["message"].splitlines()
    assert lines[0] == "✘ hidden tests: they run when your instructor grades the notebook"
    assert len(lines) < 4


def test_bundled_package_never_imports_the_engine(built):
    _, parent, _ = built
    files = sorted((parent / bundle.PACKAGE).glob("*.py"))
    assert {f.name for f in files} >= set(bundle.CORE) | {"_bundle.py", "neuron.py"}
    allowed = {"numpy", "IPython"} | set(sys.stdlib_module_names)  # besides the standard library
    for path in files:
        names, _ = imported_modules(path)
        if path.name == "hidden.py":  # the judge, lazily, in the instructor's own Jupyter only
            names -= {"grader"}
        assert not names & {"solutions", "grader"}, (path.name, names)
        assert names <= allowed, (path.name, names - allowed)
        assert "import solutions" not in path.read_text()
        assert "from solutions" not in path.read_text()


def test_bundle_names_its_assignment(built):
    _, parent, _ = built
    assert f"ASSIGNMENT = {ASSIGNMENT!r}" in (parent / bundle.PACKAGE / "_bundle.py").read_text()


# ---------------------------------------------------------------- the judge on altered records
@pytest.mark.parametrize("data, words", [
    (None, "incomplete or altered"),
    ({"function": "relu", "cases": []}, "incomplete or altered"),
    ({"function": "relu_prime", "cases": []}, "incomplete or altered"),
    ({"function": "relu_prime", "cases": "x"}, "incomplete or altered"),
    ({"function": "relu_prime", "cases": [1] * 10}, "is altered"),
    ({"function": "relu_prime", "cases": [{"result": {"nd": "|O", "shape": [1], "b64": ""}}] * 10},
     "unreadable"),
    ({"function": "relu_prime",
      "cases": [{"result": {"nd": "<f8", "shape": [3], "b64": "AAAA"}}] * 10}, "unreadable"),
    ({"function": "relu_prime", "cases": [{}] * 10}, "wrong type"),
    ({"function": "relu_prime", "cases": [{"error": "✘ relu_prime: raised ZeroDivisionError"}]
      * 10}, "raised ZeroDivisionError"),
])
def test_an_altered_record_never_passes_and_never_crashes_the_judge(built, data, words):
    _, _, cases = built
    if isinstance(data, dict) and isinstance(data.get("cases"), list) and data["cases"]:
        data = {**data, "cases": data["cases"][:len(cases["relu_prime"])]}
    text = judged(cases, "relu_prime", data)
    assert text != "passed" and words in text, text


def test_every_oracle_case_is_plain_data(built):
    _, _, cases = built
    for fn, fn_cases in cases.items():
        assert fn_cases, fn
        for case in fn_cases:
            assert {"label", "args", "expected", "kind"} <= set(case)
            assert case.get("protocol", "call") in hidden.PROTOCOLS
            assert type(case["expected"]).__module__ in ("numpy", "builtins")


def test_compare_tuple_kind():
    kind = [("w", "array"), ("b", "number"), ("errors", "list")]
    expected = (np.array([1.0, 2.0]), 0.5, [2, 1, 0])
    compare((np.array([1.0, 2.0]), 0.5, [2, 1, 0]), expected, kind, "train", "c")
    with pytest.raises(CheckFailure, match="expected:     a tuple \\(w, b, errors\\)"):
        compare([np.array([1.0, 2.0]), 0.5, [2, 1, 0]], expected, kind, "train", "c")
    with pytest.raises(CheckFailure, match="✘ train: b has the wrong type"):
        compare((np.array([1.0, 2.0]), "0.5", [2, 1, 0]), expected, kind, "train", "c")
    with pytest.raises(CheckFailure, match="errors has the wrong type"):
        compare((np.array([1.0, 2.0]), 0.5, None), expected, kind, "train", "c")


def test_compare_int_and_unknown_kind():
    compare(3, 3, "int", "count", "c")
    with pytest.raises(CheckFailure, match="an integer"):
        compare(3.0, 3, "int", "count", "c")
    with pytest.raises(ValueError, match="unknown kind"):
        compare(1, 1, "matrix", "f", "c")


def test_quadratic_form_protocol_grades_a_numerical_gradient():
    from grader.checks.numgrad import numerical_gradient
    M = np.array([[2.0, 0.5], [0.5, 1.0]])
    c, x = np.array([0.3, -0.2]), np.array([0.7, -1.1])
    got = hidden.PROTOCOLS["quadratic_form"]({"numerical_gradient": numerical_gradient}, {},
                                             "numerical_gradient", "c", (M, c, x, 1e-6), {})
    np.testing.assert_allclose(got, M @ x + c + np.cos(x), atol=1e-8)


# ---------------------------------------------------------------- plain data on the wire
@pytest.mark.parametrize("value", [
    np.arange(6, dtype=np.float64).reshape(2, 3) / 7, np.float32([1.5, -2.25]),
    np.array([np.nan, np.inf, -np.inf, -0.0]), np.arange(4, dtype=np.int32),
    np.array([True, False]), np.zeros((0, 3)), 0.1, 2 ** 70, -3, np.float32(0.1), True, None,
    "text", [1.0, (2, [3.0])], {"A": [np.ones(2)], "Z": [None, np.zeros(2)]}, np.tanh,
])
def test_wire_round_trip_is_exact(value):
    back = wire.decode(json.loads(json.dumps(wire.encode(value))))
    assert wire.digest(back) == wire.digest(value)
    assert type(back) is type(value) or isinstance(value, np.floating)


def test_wire_carries_unknown_objects_as_their_name_only():
    class Sneaky:
        def __repr__(self):
            raise RuntimeError("no")
    back = wire.decode(wire.encode([Sneaky(), object()]))
    assert [o.name for o in back] == ["Sneaky", "object"]


@pytest.mark.parametrize("data", [
    {"nd": "|O", "shape": [1], "b64": ""}, {"nd": "<f8", "shape": [2], "b64": "AAAA"},
    {"nd": "<f8", "shape": [-1], "b64": ""}, {"ufunc": "system"}, {"float": "1" * 100},
    {"evil": 1}, [1, 2], "plain string", {"list": [{"list": []}] * 200_000},
])
def test_wire_decode_refuses_what_the_recorder_never_writes(data):
    with pytest.raises(wire.WireError):
        wire.decode(data)


def test_a_sealed_replay_opens_for_exactly_its_input():
    x = np.array([0.1, 0.2, 0.3])
    lookup, sealed = wire.seal(["f", [x]], {"out": x * 2})
    assert lookup == wire.digest(["f", [x.copy()]])
    np.testing.assert_array_equal(wire.unseal(["f", [x.copy()]], sealed)["out"], x * 2)
    nearby = x.copy()
    nearby[0] = np.nextafter(nearby[0], 1)
    assert wire.digest(["f", [nearby]]) != lookup
    with pytest.raises(Exception):
        wire.unseal(["f", [nearby]], sealed)
    assert wire.encode(x * 2)["b64"] not in sealed


# ----------------------------------------------------------- grader.checks never imports the engine
def test_grader_checks_modules_never_import_solutions_even_lazily():
    files = sorted(CHECKS_DIR.glob("*.py"))
    assert len(files) >= 9
    for path in files:
        names, _ = imported_modules(path)
        assert "solutions" not in names, path.name


def test_importing_every_checks_module_never_reaches_solutions():
    script = textwrap.dedent("""
    import importlib, json, pkgutil, sys

    fired = []

    class Forbid:
        def find_spec(self, name, path=None, target=None):
            if name == "solutions" or name.startswith("solutions."):
                fired.append(name)
                raise ImportError("the checks must not import the reference engine")
            return None

    sys.meta_path.insert(0, Forbid())
    import grader.checks
    imported, errors = [], {}
    for info in pkgutil.iter_modules(grader.checks.__path__):
        try:
            importlib.import_module("grader.checks." + info.name)
            imported.append(info.name)
        except Exception as exc:
            errors[info.name] = repr(exc)
    print(json.dumps({"fired": fired, "imported": imported, "errors": errors,
                      "solutions_loaded": [m for m in sys.modules
                                           if m.split(".")[0] == "solutions"]}))
    """)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=str(ROOT), env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["fired"] == [] and out["solutions_loaded"] == []
    assert out["errors"] == {}
    expected = {p.stem for p in CHECKS_DIR.glob("*.py") if p.stem != "__init__"}
    assert set(out["imported"]) == expected
    assert {"report", "calls", "compare", "diagnose", "numgrad", "hidden", "neuron",
            "backprop"} <= set(out["imported"])


def test_the_import_hook_would_fire_on_the_engine():
    """The hook of the test above is live: it stops `import solutions` itself."""
    script = textwrap.dedent("""
    import sys
    class Forbid:
        def find_spec(self, name, path=None, target=None):
            if name == "solutions":
                raise ImportError("blocked")
    sys.meta_path.insert(0, Forbid())
    try:
        import solutions
    except ImportError as exc:
        print("blocked" if str(exc) == "blocked" else "other")
    else:
        print("imported")
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=str(ROOT), timeout=120)
    assert proc.stdout.strip() == "blocked", proc.stderr


# ---------------------------------------------------------------- issue 9: fair feedback
def test_an_overflowing_sigmoid_and_a_boolean_step_fail_in_an_isolated_kernel(built):
    """The naive sigmoid's values are right, but the notebook asks for the stable form;
    step's contract is floats. Both are recorded in the kernel, judged here, named."""
    from grader.checks.calls import OVERFLOW_CAUSE
    inputs, parent, cases = built
    body = """
    import numpy as np
    def sigmoid(z):
        return 1 / (1 + np.exp(-z))
    def step(z):
        return np.asarray(z) > 0
    finish({"sigmoid": run("sigmoid", sigmoid=sigmoid), "step": run("step", step=step)})
    """
    results, _, stderr = run_isolated(body, parent, inputs)
    text = judged(cases, "sigmoid", results["sigmoid"])
    assert text.splitlines()[0].startswith("✘ sigmoid: numpy overflowed in line"), text
    assert f"  likely cause: {OVERFLOW_CAUSE}" in text.splitlines()
    text = judged(cases, "step", results["step"])
    assert text.splitlines()[0] == "✘ step: the result has dtype bool"
    assert "  likely cause: a comparison (True/False) came back: convert with .astype(float)" \
        in text.splitlines()
    assert stderr == ""


def test_kept_arguments_come_back_as_they_are_after_the_call():
    def scale_in_place(a, k):
        a *= k
        return a.sum()
    a = np.ones(3)
    got = hidden.PROTOCOLS["call"]({"f": scale_in_place}, {"kept": [0]}, "f", "c", (a, 2.0), {})
    assert got[0] == 6.0 and np.array_equal(got[1], [2.0, 2.0, 2.0])
    assert np.array_equal(a, np.ones(3))  # the recorder's own copy was changed, not the case's
    assert hidden.PROTOCOLS["call"]({"f": scale_in_place}, {}, "f", "c", (a, 2.0), {}) == 6.0


def _twice(x):
    return 2 * x


def _built_from_twice(result, calls, *, function, case):
    count, last = calls["_twice"]
    if count != 1 or not np.array_equal(last, result):
        from grader.checks.report import fail
        fail(function, case, f"not built from _twice ({count} calls)")


def test_spied_calls_are_recorded_and_judged_by_the_cases_structure():
    cases = {"f": [oracle.case("x = [1, 2]", (np.array([1.0, 2.0]),), np.array([2.0, 4.0]),
                               spy=["_twice"], structure=_built_from_twice)]}
    assert "spy" in oracle.inputs_of(cases)["f"][0]
    assert "structure" not in oracle.inputs_of(cases)["f"][0]
    verdict.grade_in_memory(cases, "f", f=lambda x: _twice(x))
    with pytest.raises(CheckFailure, match=r"not built from _twice \(0 calls\)"):
        verdict.grade_in_memory(cases, "f", f=lambda x: x + x)
    data = {"function": "f", "cases": [{"result": wire.encode(np.array([2.0, 4.0])),
                                        "calls": {"_twice": {"count": "many", "last": [1]}}}]}
    with pytest.raises(CheckFailure, match=r"\(0 calls\)"):  # an altered record: no calls
        verdict.judge_cases(cases["f"], "f", data)
