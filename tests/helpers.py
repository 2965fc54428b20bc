"""Paths and small utilities shared by the tests."""
import importlib.util
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
COURSE = ROOT / "course"
SOURCE = COURSE / "source"


def _load(path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


reading = _load(COURSE / "reading.py")  # words and minutes of a notebook


def source_notebook(assignment):
    """The source notebook of an Assignment, as a NotebookNode."""
    return nbformat.read(SOURCE / assignment.id / assignment.notebook, as_version=4)


def nbgrader_cells(nb):
    """Cells that carry nbgrader metadata."""
    return [c for c in nb.cells if "nbgrader" in c.metadata]


def fails(check, *fns, match):
    """Run a visible check that must fail; -> its message (it must match ``match``)."""
    import pytest

    from grader.checks.report import CheckFailure
    with pytest.raises(CheckFailure, match=match) as info:
        check(*fns)
    return str(info.value)
