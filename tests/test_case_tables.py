"""The case tables are the one source of the visible cases: the generated modules are
what the tables give now, and nothing else writes them."""
import pytest

from grader.pipeline import assignments, bundle, visible

MODULES = sorted({a.checks for a in assignments.ASSIGNMENTS})


@pytest.mark.parametrize("module", MODULES)
def test_generated_visible_cases_are_those_of_the_case_table(module):
    text = visible.source(module)
    if text is None:
        assert not visible.path(module).exists(), f"{module}: a generated module without a table"
        return
    assert visible.path(module).read_text() == text, (
        f"grader/checks/{module}{visible.SUFFIX}.py is stale or edited by hand: run "
        "`backprop-course sync`")


def test_each_assignment_ships_its_own_visible_cases_only():
    for a in assignments.ASSIGNMENTS:
        files = bundle.bundle_files(a.id)
        shipped = [f for f in files if f.endswith(visible.SUFFIX + ".py")]
        own = [f"{a.checks}{visible.SUFFIX}.py"] if visible.path(a.checks).exists() else []
        assert shipped == own, a.id


def test_literals_read_back_exactly():
    import numpy as np
    values = [np.array([0.1, 1 / 3, -2.5e-300]), np.float32(1 / 3), np.array([1, 2], np.int32),
              (1, 2.0, [3, None]), {"k": (True, "s")}, (np.array([[1.0]], np.float32),)]
    for v in values:
        back = eval(visible.literal(v), {"np": np})
        assert type(back) is type(v)
        np.testing.assert_equal(back, v)
        if isinstance(v, (np.ndarray, np.generic)):
            assert back.dtype == v.dtype
