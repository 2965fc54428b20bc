"""The source notebooks are valid nbgrader sources, stored clean, and follow the contract."""
import re

import nbformat
import pytest

from grader.pipeline.assignments import ASSIGNMENTS
from grader.pipeline.cells import (HIDDEN, SOLUTION, grade_id, is_grade, is_locked, is_solution,
                                   is_test)
from tests.helpers import ROOT, SOURCE, nbgrader_cells, reading, source_notebook

IDS = [a.id for a in ASSIGNMENTS]


def test_all_six_assignments_exist():
    missing = [a.id for a in ASSIGNMENTS if not (SOURCE / a.id / a.notebook).exists()]
    assert not missing, f"missing source notebooks: {missing}"


@pytest.fixture(params=ASSIGNMENTS, ids=IDS)
def assignment(request):
    if not (SOURCE / request.param.id / request.param.notebook).exists():
        pytest.fail(f"{request.param.id}: source notebook missing")
    return request.param


def test_valid_nbformat_and_stored_without_outputs(assignment):
    nb = source_notebook(assignment)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "python3"
    dirty = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"
             and (c.outputs or c.execution_count is not None)]
    assert not dirty, f"cells {dirty} carry outputs or execution counts"


def test_nbgrader_metadata(assignment):
    cells = nbgrader_cells(source_notebook(assignment))
    ids = [c.metadata.nbgrader["grade_id"] for c in cells]
    assert len(ids) == len(set(ids)), f"duplicate grade_ids: {ids}"
    for c in cells:
        meta = c.metadata.nbgrader
        assert meta["schema_version"] == 3, meta
        if meta["grade"] and not meta["solution"]:  # an autograder test cell
            assert meta["locked"], f"test cell {meta['grade_id']} must be locked"
            assert meta["points"] > 0, meta
            assert c.cell_type == "code"
        if meta["solution"]:
            assert SOLUTION[0] in c.source and SOLUTION[1] in c.source, meta
            assert not meta["locked"]


def test_points_between_10_and_30(assignment):
    total = sum(c.metadata.nbgrader.get("points", 0)
                for c in source_notebook(assignment).cells if is_grade(c))
    assert 10 <= total <= 30, total


def test_every_contract_function_is_answered_and_graded(assignment):
    nb = source_notebook(assignment)
    answers = "\n".join(c.source for c in nb.cells if is_solution(c))
    tests = [c.source for c in nb.cells if is_test(c)]
    for fn in assignment.functions:
        assert re.search(rf"^def {fn}\(", answers, re.M), f"no answer cell defines {fn}"
        hidden = [t for t in tests if re.search(rf"grade\(\s*['\"]{fn}['\"]", t)]
        assert hidden, f"no test cell grades {fn} with hidden tests"
        for t in hidden:
            assert (t.index("BEGIN HIDDEN TESTS") < t.index(f'grade("{fn}"')
                    < t.index("END HIDDEN TESTS"))


def test_hidden_tests_only_in_test_cells(assignment):
    for c in source_notebook(assignment).cells:
        if HIDDEN[0] in c.source:
            assert is_test(c) and is_locked(c), c.source[:80]


def test_never_imports_the_reference_engine(assignment):
    for c in source_notebook(assignment).cells:
        assert not re.search(r"^\s*(from|import)\s+solutions\b", c.source, re.M), c.source[:80]


def test_first_code_cell_is_locked_setup(assignment):
    code = [c for c in source_notebook(assignment).cells if c.cell_type == "code"]
    assert is_locked(code[0]) and not is_solution(code[0]), "the setup cell must be read-only"
    assert "bpcheck" in code[0].source


# ---------------------------------------------------------------- what a student reads

MAIN_PATH_WORDS = 2500  # Markdown outside <details>


def test_reading_fits_the_main_path(assignment):
    main, _ = reading.words(source_notebook(assignment))
    assert main <= MAIN_PATH_WORDS, f"{main} words on the main path (at most {MAIN_PATH_WORDS})"


def test_header_announces_45_to_90_minutes(assignment):
    span = reading.minutes(source_notebook(assignment))
    assert span, "the header cell says how long it takes ('**Time:** about 60 minutes')"
    assert 45 <= span[0] <= span[1] <= 90, span


def test_answer_docstrings_state_the_contract_not_the_formula(assignment):
    """The formulas the notebook asks the student to derive never appear in an answer cell."""
    given = re.compile("|".join([
        r"softmax\(Z\)\s*-\s*Y",                               # 04: (softmax(Z) - Y) / N
        r"sigma\(z\)\s*\*?\s*\(1\s*-\s*sigma\(z\)\)",          # 01: sigma'
        r"1\s*-\s*tanh\(z\)\s*(\^|\*\*)\s*2",                   # 01: tanh'
        r"W2\^?T\s*delta2", r"sum over k\b",                     # 06: delta1, the two paths
        r"\\delta\^\{\[l\]\}\s*=", r"dZ\s*@\s*W",                  # 05: the backward rule
    ]))
    for c in filter(is_solution, source_notebook(assignment).cells):
        head = c.source.split(SOLUTION[0])[0]
        assert not given.search(head), f"{grade_id(c)}: {head[:200]}"


PRODUCT = ["README.md", "CHANGELOG.md", "course", "docs", "grader", "solutions", "benchmarks",
           "tests"]
SEED_FILE = re.compile(r"\bseeds? ?0\d\d\b", re.I)  # the lectures by file number
UPWARD = re.compile(r"(?:\.\./)+[\w.-]+")          # a relative path climbing up


def _leaves_the_repository(f, line):
    return any(not (f.parent / m).resolve().is_relative_to(ROOT) for m in UPWARD.findall(line))


def test_lectures_are_named_and_nothing_points_outside_the_repository():
    hits = []
    for top in PRODUCT:
        path = ROOT / top
        files = [path] if path.is_file() else [
            p for p in path.rglob("*") if p.suffix in {".py", ".md", ".ipynb", ".txt", ".csv"}
            and not {"bpcheck", "__pycache__", "artifacts"} & set(p.parts)]
        for f in files:
            for n, line in enumerate(f.read_text(errors="replace").splitlines(), 1):
                if "re.compile" not in line and (SEED_FILE.search(line)
                                                 or _leaves_the_repository(f, line)):
                    hits.append(f"{f.relative_to(ROOT)}:{n}: {line.strip()[:80]}")
    assert not hits, "\n".join(hits[:20])
