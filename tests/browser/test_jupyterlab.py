"""The released notebooks in JupyterLab 4, in headless Chromium, as a student runs them.

One JupyterLab (a student's: the release and its checks, a kernel that cannot import
the reference engine) and one browser serve the module. For each assignment, the
release with its answer cells filled from the solutions runs clean from Run > Run All
Cells: every cell numbered, no error output, every visible test says "✔", every
figure decoded. An untouched release shows the friendly "✘ ... not implemented yet"
instead of a traceback. A full-page screenshot of each lands in tests/artifacts/.
"""
import re
import time

import nbformat
import pytest

from grader.pipeline.assignments import ASSIGNMENTS, BY_ID
from grader.pipeline.cells import is_test
from tests.browser import lab, student_env
from tests.browser.conftest import ARTIFACTS

pytestmark = pytest.mark.browser

KERNEL = student_env.KERNEL_DISPLAY_NAME
RUN_TIMEOUT_MS = 90_000


def must_run(nb):
    """Per cell: True for the code cells that Run All must number (not empty ones)."""
    return [c.cell_type == "code" and bool(c.source.strip()) for c in nb.cells]


def graded_test_cells(nb):
    """Indices of the graded test cells (nbgrader: grade, not solution)."""
    return [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and is_test(c)]


def open_and_run(page, student, workspace, path, nb, what):
    url = student.lab.lab_url(workspace, path)
    start = time.monotonic()
    with lab.reporting(page, f"{what}: opening {path} until the kernel {KERNEL!r} is Idle"):
        lab.open_notebook(page, url, KERNEL)
    opened = time.monotonic()
    with lab.reporting(page, f"{what}: Run > Run All Cells did not finish in "
                             f"{RUN_TIMEOUT_MS // 1000} s"):
        state = lab.run_all(page, KERNEL, must_run(nb), timeout_ms=RUN_TIMEOUT_MS)
    print(f"\n[browser] {what}: opened in {opened - start:.1f} s, "
          f"ran in {time.monotonic() - opened:.1f} s", end="")
    return state


def error_outputs(state):
    return [(i, text) for i, c in enumerate(state["cells"]) for text in c["errors"]]


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=[a.id for a in ASSIGNMENTS])
def test_solved_notebook_runs_clean(assignment, student, page):
    nb = student.solved[assignment.id]
    path = student.paths[assignment.id]
    state = open_and_run(page, student, f"solved-{assignment.id}", path, nb, assignment.id)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    lab.screenshot_notebook(page, ARTIFACTS / f"jupyterlab-{assignment.id}.png")
    cells = state["cells"]

    errors = error_outputs(state)
    assert not errors, (f"{assignment.id}: error output in cell {errors[0][0]} "
                        f"(Run All stops there):\n{errors[0][1][:2000]}\n{lab.describe(page)}")
    assert len(cells) == len(nb.cells), (len(cells), len(nb.cells))
    numbers = [lab.prompt_number(c["prompt"]) for c, run in zip(cells, must_run(nb)) if run]
    assert numbers == list(range(1, len(numbers) + 1)), \
        f"{assignment.id}: prompts after Run All: {[c['prompt'] for c in cells]}"
    assert state["kernel"] == f"{KERNEL} | Idle", state["kernel"]

    # the visible tests report success in their own words
    for i in graded_test_cells(nb):
        out = cells[i]["output"]
        assert re.search(r"^✔ \w+: ", out, re.M) and "✘" not in out, \
            f"{assignment.id}: test cell {i} ({nb.cells[i].source!r}) printed:\n{out[:1500]}"
    passed = set(re.findall(r"^✔ (\w+): ", "\n".join(c["output"] for c in cells), re.M))
    assert set(assignment.functions) <= passed, \
        f"{assignment.id}: no ✔ for {sorted(set(assignment.functions) - passed)}"

    # the kernel that ran all this is a student's: no reference engine
    probe = cells[-1]["output"]
    assert student_env.PROBE_MARK in probe and "No module named 'solutions'" in probe, probe

    # every figure is rendered: each output image decoded, as many as the saved outputs hold
    imgs = [img for c in cells for img in c["imgs"]]
    bad = [img for img in imgs if not (img["complete"] and img["width"] > 100)]
    assert imgs and not bad, f"{assignment.id}: figures not rendered: {bad or 'none at all'}"
    with lab.reporting(page, f"{assignment.id}: File > Save Notebook"):
        lab.save(page)
    saved = nbformat.read(student.serve / path, as_version=4)
    pngs = sum("image/png" in o.get("data", {}) for c in saved.cells if c.cell_type == "code"
               for o in c.outputs)
    assert pngs == len(imgs), f"{assignment.id}: {pngs} figures in the outputs, {len(imgs)} shown"
    assert not page.browser_messages, page.browser_messages


def test_untouched_notebook_says_not_implemented(student, page):
    """An unanswered release: the first visible test stops Run All with a short,
    friendly message (no traceback wall)."""
    path = student.untouched
    assignment = BY_ID[path.split("/")[-2]]
    nb = nbformat.read(student.serve / path, as_version=4)
    state = open_and_run(page, student, "untouched", path, nb, f"untouched {assignment.id}")
    with lab.reporting(page, "after the error, the kernel did not settle"):
        lab.wait_settled(page, KERNEL)
    state = lab.state(page)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    lab.screenshot_notebook(page, ARTIFACTS / f"jupyterlab-untouched-{assignment.id}.png")

    errors = error_outputs(state)
    first_test = graded_test_cells(nb)[0]
    assert [i for i, _ in errors] == [first_test], \
        f"expected one error output, in the first test cell {first_test}: {errors}"
    text = errors[0][1].strip()
    lines = text.splitlines()
    fn = re.fullmatch(r"✘ (\w+): not implemented yet", lines[0])
    assert fn and fn.group(1) in assignment.functions, f"first line {lines[0]!r}:\n{text}"
    assert len(lines) < 10, f"{len(lines)} lines of error output:\n{text}"
    wall = [l for l in lines if "Traceback (most recent call last)" in l
            or l.lstrip().startswith('File "') or re.match(r"-{20,}", l)]
    assert not wall, f"a traceback wall, not the friendly message:\n{text}"
    # Run All stopped at the failing test: nothing after it ran
    later = [i for i, c in enumerate(state["cells"]) if i > first_test
             and lab.prompt_number(c["prompt"]) is not None]
    assert not later, f"cells {later} ran after the failing test"
    assert not page.browser_messages, page.browser_messages
