"""Student-facing checks (numpy only). Shipped into each assignment as ``bpcheck``.

Every check runs the student's function on fixed, seeded cases and either prints
one line of success or raises CheckFailure with one message: the function, the
input case, expected vs got, the entry, and the likely cause. Checks compare in
the order type -> dtype -> shape -> values, and never import the reference engine.

Modules: report (messages), calls (calling student code), compare, diagnose,
numgrad (finite differences), hidden (the hidden tests' runner), and one module
per notebook (neuron, xor, forward, softmax, backprop, worked).
"""
from .report import CheckFailure

__all__ = ["CheckFailure"]
