"""The case tables are the one source of the visible cases and of the words of each
mistake: `sync` writes them, exactly, into the modules the checks read and each
assignment ships."""
import importlib

import numpy as np
import pytest

from grader.checks import Causes, CheckFailure, visible_cases
from grader.pipeline import assignments, bundle, visible

MODULES = sorted({a.checks for a in assignments.ASSIGNMENTS})


@pytest.mark.parametrize("module", [m for m in MODULES if visible.has_cases(m)])
def test_the_generated_module_holds_exactly_the_case_tables_cases_and_words(module):
    source = importlib.import_module(f"grader.pipeline.cases.{module}")
    generated = importlib.reload(importlib.import_module(f"grader.checks.{module}_cases"))
    assert generated.CAUSES == source.CAUSES
    assert dict(importlib.import_module(f"grader.checks.{module}").CAUSES) == source.CAUSES
    table, written = source.visible(), generated.CASES
    assert set(written) == set(table)
    for function, cases in table.items():
        assert len(written[function]) == len(cases)
        for got, want in zip(written[function], cases):
            assert set(got) == set(want)
            for key in want:
                np.testing.assert_equal(got[key], want[key], err_msg=f"{function}: {key}")


def test_each_assignment_ships_its_own_visible_cases_only():
    for a in assignments.ASSIGNMENTS:
        shipped = [f for f in bundle.bundle_files(a.id) if f.endswith(visible.SUFFIX + ".py")]
        assert shipped == ([f"{a.checks}{visible.SUFFIX}.py"] if visible.has_cases(a.checks)
                           else []), a.id


def test_missing_cases_are_a_clear_message_not_a_traceback():
    with pytest.raises(CheckFailure, match=r"no_such_cases.py\) are missing: run `backprop-course"):
        visible_cases("no_such", "relu")
    with pytest.raises(CheckFailure, match=r"no_such_cases.py\) are missing: run `backprop-course"):
        Causes("no_such")["step0"]


def test_literals_read_back_exactly():
    values = [np.array([0.1, 1 / 3, -2.5e-300]), np.array([np.nan, np.inf, -np.inf]), -np.inf,
              np.float32(1 / 3), np.array([1, 2], np.int32),
              (1, 2.0, [3, None]), {"k": (True, "s")}, (np.array([[1.0]], np.float32),),
              np.tanh]
    for v in values:
        back = eval(visible.literal(v), {"np": np, "nan": np.nan, "inf": np.inf})
        assert type(back) is type(v)
        if isinstance(v, np.ufunc):
            assert back is v
            continue
        np.testing.assert_equal(back, v)
        if isinstance(v, (np.ndarray, np.generic)):
            assert back.dtype == v.dtype
