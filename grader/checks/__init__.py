"""Student-facing checks (numpy only). Shipped into each assignment as ``bpcheck``.

Every check runs the student's function on fixed cases and either prints one line
of success or raises CheckFailure with one message: the function, the input case,
expected vs got, the entry, and the likely cause. Checks compare in the order
type -> dtype -> shape -> values, and never import the reference engine.

Modules: report (messages), calls (calling student code), compare, diagnose,
numgrad (finite differences), hidden (the hidden tests' runner), one module per
notebook (neuron, xor, forward, softmax, backprop, worked) and, beside each, its
visible cases and the words of each mistake, generated from the case tables
(``<module>_cases.py``).
"""
import importlib
from collections.abc import Mapping

from .report import CheckFailure

__all__ = ["CheckFailure", "Causes", "visible_cases"]


def _generated(module, function):
    """``<module>_cases.py``, which `backprop-course sync` generates from the case table
    (read when a check runs, so the case table can import the check module)."""
    name = f"{__name__}.{module}_cases"
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:
            raise
        raise CheckFailure(f"✘ {function}: the check's cases ({module}_cases.py) are missing: "
                           "run `backprop-course sync` (instructors), or download the "
                           "assignment again (students)") from None


def visible_cases(module, function):
    """The visible cases of ``function``: [{"label", "args", "expected", ...}]."""
    return _generated(module, function).CASES[function]


class Causes(Mapping):
    """A notebook's cause wordings {key: words}, from its case table through
    ``<module>_cases.py`` (read when first looked up)."""

    def __init__(self, module):
        self.module = module

    def _table(self):
        return _generated(self.module, f"{self.module}'s checks").CAUSES

    def __getitem__(self, key):
        return self._table()[key]

    def __iter__(self):
        return iter(self._table())

    def __len__(self):
        return len(self._table())
