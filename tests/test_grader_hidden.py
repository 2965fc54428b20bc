"""The hidden-test runner (grader/checks/hidden.py) as a submission's kernel sees it,
and the wall between the checks and the reference engine.

An oracle for 01-neuron is built into a temporary folder and the checks are bundled
as ``bpcheck``; a subprocess whose sys.path holds neither the repository nor the
editable install (so ``import solutions`` fails there) grades functions given to it
as source code. grader/checks itself must never import ``solutions``.
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
from grader.checks import hidden
from grader.checks.report import CheckFailure
from grader.pipeline import bundle, oracle

ROOT = Path(__file__).resolve().parent.parent
CHECKS_DIR = Path(grader.checks.__file__).resolve().parent
SITE_PACKAGES = Path(np.__file__).resolve().parent.parent  # numpy only, no .pth processing
ASSIGNMENT = "01-neuron"
ENGINE = ["activations.py", "perceptron.py"]  # the engine functions notebook 01 asks for


# ---------------------------------------------------------------- helpers
@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """(oracle folder, folder holding bpcheck/, the oracle's cases) for 01-neuron."""
    base = tmp_path_factory.mktemp("hidden")
    folder = oracle.write(base / "oracle", [ASSIGNMENT])
    package = bundle.write_checks(base / "source", ASSIGNMENT)
    with open(folder / f"{ASSIGNMENT}.pkl", "rb") as fh:
        cases = pickle.load(fh)
    return folder, package.parent, cases


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
from bpcheck.hidden import grade
from bpcheck.report import CheckFailure

def run(function, **fns):
    try:
        grade(function, **fns)
        return "passed"
    except CheckFailure as exc:
        return "\\n".join(exc._render_traceback_())

def finish(results):
    results["_modules"] = sorted(m for m in sys.modules
                                 if m.split(".")[0] in ("solutions", "grader"))
    results["_path_leaks"] = leaks
    print("RESULT " + json.dumps(results))
"""


def run_isolated(body, package_parent, oracle_dir=None, engine=""):
    """Run PRELUDE + body in `python -I -S`; return (results dict, stdout, stderr)."""
    constants = {"SITE_PACKAGES": str(SITE_PACKAGES), "PACKAGE_PARENT": str(package_parent),
                 "ROOT": str(ROOT), "ENGINE": engine}
    script = ("".join(f"{k} = {v!r}\n" for k, v in constants.items())
              + PRELUDE + textwrap.dedent(body))
    env = {k: v for k, v in os.environ.items()
           if k not in (hidden.ORACLE_ENV, "PYTHONPATH", "PYTHONHOME")}
    if oracle_dir is not None:
        env[hidden.ORACLE_ENV] = str(oracle_dir)
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


# ---------------------------------------------------------------- the hidden runner, isolated
def test_engine_functions_pass_every_hidden_case_without_the_engine_installed(built):
    folder, parent, cases = built
    body = f"""
    ns = {{}}
    exec(ENGINE, ns)
    results = {{fn: run(fn, **{{fn: ns[fn]}}) for fn in {sorted(cases)!r}}}
    finish(results)
    """
    results, stdout, stderr = run_isolated(body, parent, folder, engine_source())
    assert {fn: results[fn] for fn in cases} == {fn: "passed" for fn in cases}
    for fn, fn_cases in cases.items():
        assert f"✔ {fn}: all {len(fn_cases)} hidden cases passed" in stdout
    assert results["_modules"] == [] and results["_path_leaks"] == []
    assert stderr == ""


def test_wrong_function_fails_with_the_case_label_and_the_candidates_cause(built):
    folder, parent, cases = built
    fn_cases = cases["relu_prime"]
    first_wrong = next(i for i, c in enumerate(fn_cases)
                       if not np.allclose(wrong_relu_prime(*c["args"]), c["expected"]))
    case = fn_cases[first_wrong]
    causes = [cause for cand, cause in case["options"].get("candidates", [])
              if np.allclose(cand, wrong_relu_prime(*case["args"]))]
    assert causes, "the oracle should know the mistake ReLU'(0) = 1"
    body = WRONG_SOURCE + 'finish({"relu_prime": run("relu_prime", relu_prime=wrong_relu_prime)})\n'
    results, stdout, _ = run_isolated(body, parent, folder)
    text = strip_colours(results["relu_prime"])
    label = f"hidden case {first_wrong + 1} of {len(fn_cases)}: {case['label']}"
    assert text.splitlines()[0].startswith("✘ relu_prime: ")
    assert f"  input case:   {label}" in text.splitlines()
    assert f"  likely cause: {causes[0]}" in text.splitlines()
    assert "Traceback" not in text and str(ROOT) not in text
    assert "✔ relu_prime" not in stdout
    assert results["_modules"] == []


def test_missing_oracle_dir_gives_the_clear_message(built):
    _, parent, _ = built
    body = WRONG_SOURCE + 'finish({"relu_prime": run("relu_prime", relu_prime=wrong_relu_prime)})\n'
    results, _, _ = run_isolated(body, parent, oracle_dir=None)
    lines = strip_colours(results["relu_prime"]).splitlines()
    assert lines[0] == f"✘ hidden tests: {hidden.ORACLE_ENV} is not set"
    assert any("backprop-course autograde" in line for line in lines)
    assert len(lines) < 10


def test_bundled_package_never_imports_the_engine(built):
    _, parent, _ = built
    files = sorted((parent / bundle.PACKAGE).glob("*.py"))
    assert {f.name for f in files} >= set(bundle.CORE) | {"_bundle.py", "neuron.py"}
    allowed = {"numpy"} | set(sys.stdlib_module_names)  # numpy only, besides the standard library
    for path in files:
        names, _ = imported_modules(path)
        assert not names & {"solutions", "grader"}, (path.name, names)
        assert names <= allowed, (path.name, names - allowed)
        assert "import solutions" not in path.read_text()
        assert "from solutions" not in path.read_text()


def test_bundle_names_its_assignment(built):
    _, parent, _ = built
    assert f"ASSIGNMENT = {ASSIGNMENT!r}" in (parent / bundle.PACKAGE / "_bundle.py").read_text()


# ---------------------------------------------------------------- the runner, in process
@pytest.fixture
def fresh_oracle(monkeypatch, built):
    folder, _, cases = built
    monkeypatch.setattr(hidden, "_loaded", {})
    monkeypatch.setenv(hidden.ORACLE_ENV, str(folder))
    return cases


def test_load_oracle_reads_the_folder_once(fresh_oracle, monkeypatch, tmp_path):
    first = hidden.load_oracle(ASSIGNMENT)
    assert sorted(first) == sorted(fresh_oracle)
    monkeypatch.setenv(hidden.ORACLE_ENV, str(tmp_path))  # cached: the folder is not read again
    assert hidden.load_oracle(ASSIGNMENT) is first


def test_load_oracle_without_the_variable(monkeypatch):
    monkeypatch.setattr(hidden, "_loaded", {})
    monkeypatch.delenv(hidden.ORACLE_ENV, raising=False)
    with pytest.raises(CheckFailure, match=f"{hidden.ORACLE_ENV} is not set"):
        hidden.load_oracle(ASSIGNMENT)


def test_load_oracle_missing_file_names_it(monkeypatch, tmp_path):
    monkeypatch.setattr(hidden, "_loaded", {})
    monkeypatch.setenv(hidden.ORACLE_ENV, str(tmp_path))
    with pytest.raises(Exception) as info:
        hidden.load_oracle("02-xor")
    assert str(tmp_path / "02-xor.pkl") in str(info.value)


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
    hidden.compare((np.array([1.0, 2.0]), 0.5, [2, 1, 0]), expected, kind, "train", "c")
    with pytest.raises(CheckFailure, match="expected:     a tuple \\(w, b, errors\\)"):
        hidden.compare([np.array([1.0, 2.0]), 0.5, [2, 1, 0]], expected, kind, "train", "c")
    with pytest.raises(CheckFailure, match="✘ train: b has the wrong type"):
        hidden.compare((np.array([1.0, 2.0]), "0.5", [2, 1, 0]), expected, kind, "train", "c")
    with pytest.raises(CheckFailure, match="errors has the wrong type"):
        hidden.compare((np.array([1.0, 2.0]), 0.5, None), expected, kind, "train", "c")


def test_compare_int_and_unknown_kind():
    hidden.compare(3, 3, "int", "count", "c")
    with pytest.raises(CheckFailure, match="an integer"):
        hidden.compare(3.0, 3, "int", "count", "c")
    with pytest.raises(ValueError, match="unknown kind"):
        hidden.compare(1, 1, "matrix", "f", "c")


def test_quadratic_form_protocol_grades_a_numerical_gradient():
    from grader.checks.numgrad import numerical_gradient
    M = np.array([[2.0, 0.5], [0.5, 1.0]])
    c, x = np.array([0.3, -0.2]), np.array([0.7, -1.1])
    case = {"args": (M, c, x, 1e-6)}
    got = hidden.PROTOCOLS["quadratic_form"]({"numerical_gradient": numerical_gradient}, case,
                                             "numerical_gradient", "c")
    np.testing.assert_allclose(got, M @ x + c + np.cos(x), atol=1e-8)


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
