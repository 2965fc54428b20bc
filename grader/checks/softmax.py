"""Visible checks for notebook 04: softmax, its Jacobian, cross-entropy, output deltas.

The convention checked everywhere: rows are samples and a 1-D array is ONE sample
(N = 1); every loss is the MEAN over the N rows of a per-sample loss that SUMS
over the K units; every ``*_grad`` returns dL/dZ of that mean loss, shaped like Z.

The cases (inputs, the engine's results, the results of the engine with each named
mistake, and the words of each mistake) come from the case table,
grader/pipeline/cases/softmax.py, generated into softmax_cases.py; the checks run them
with the one runner (judge.run), as the hidden tests do. What stays code here: the
central differences of the student's OWN functions (a case whose expected result is
computed when the check runs). Nothing here implements a graded function.
"""
import numpy as np

from .calls import call
from .judge import case, run
from .numgrad import numerical_gradient
from .report import describe, fail
from . import Causes, visible_cases

CAUSES = Causes("softmax")  # the words of each mistake: the case table's CAUSES
GRAD_TOL = {"rtol": 1e-5, "atol": 1e-7}  # central differences, eps = 1e-6, in float64


def _own(label, args, expected, **options):
    """A case whose expected result comes from the student's own functions (central
    differences), in the case table's format."""
    return case(label, args, expected, **dict(GRAD_TOL, **options))


def _scalar(value, function, case):
    """A student's loss value as a float, or a clear failure (no numpy warnings)."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if isinstance(value, (bool, np.bool_)) or not isinstance(
            value, (int, float, np.integer, np.floating)):
        fail(function, case, f"`{function}` must return one number for the gradient check",
             got=describe(value), causes=[f"run check_{function} above and fix it first"])
    value = float(value)
    if not np.isfinite(value):
        fail(function, case, f"`{function}` returned {value} at the point of the gradient check",
             causes=[f"run check_{function} above and fix it first"])
    return value


def _numerical(loss, x, function, case):
    """Central differences of loss at x (float64), with the loss's failures named."""
    x = np.array(x, dtype=np.float64)
    _scalar(loss(x.copy()), function, case)  # a clear message before 2 * x.size calls
    return numerical_gradient(lambda v: _scalar(loss(v), function, case), x)


def _array_from(fn, V, name, label):
    """fn(V) from one of the student's other functions, which must return V's shape."""
    out = call(fn, V, function=name, case=label)
    if not isinstance(out, np.ndarray) or out.shape != np.shape(V):
        cause = (f"run check_{name} above and fix it first" if name != "sigmoid" else
                 "`sigmoid` was changed: re-run the cell that defines the given sigmoid")
        fail(name, label, f"{name} must return an array shaped like its input",
             got=describe(out), causes=[cause])
    return out


# --------------------------------------------------------------------------- softmax
def check_softmax(softmax):
    """Row-wise softmax: values, rows sum to 1, shift invariance, 1-D, large logits, input
    left unchanged."""
    run("softmax", visible_cases("softmax", "softmax"), softmax=softmax,
        summary="values, rows sum to 1, per-row shift invariance, keepdims, 1-D, integer and "
                "large (1e4) logits, input left unchanged")


def check_softmax_jacobian(softmax_jacobian, softmax=None):
    """diag(s) - s s^T: the lecture's demo, central differences of your softmax, large z."""
    demo, big = visible_cases("softmax", "softmax_jacobian")
    cases, own = [demo], ""
    if softmax is not None:
        z = np.array([0.5, -1.2, 2.0, 0.1, -0.4])
        label = f"z = {z.tolist()}, against central differences of your softmax"
        num = np.array([_numerical(lambda v, i=i: _array_from(softmax, v, "softmax", label)[i],
                                   z, "softmax", label) for i in range(z.size)])
        cases, own = [demo, _own(label, (z,), num)], "central differences of your softmax, "
    run("softmax_jacobian", cases + [big], softmax_jacobian=softmax_jacobian,
        summary="the forward/backward lecture's Jacobian, " + own + "and large logits")


# --------------------------------------------------------------------- cross-entropy
def check_cross_entropy(cross_entropy):
    """Mean over rows of -sum_k Y log A: the lecture's A3, one sample, 0 log 0, soft labels."""
    run("cross_entropy", visible_cases("softmax", "cross_entropy"), cross_entropy=cross_entropy,
        summary="the forward/backward lecture's loss 1.1394, one sample, 0 log 0 = 0, and "
                "soft labels")


# ---------------------------------------------------------------- output-layer deltas
def check_softmax_cross_entropy_grad(softmax_cross_entropy_grad, softmax=None,
                                     cross_entropy=None):
    """dL/dZ: the lecture's A3, one sample, large logits, your own loss's central differences."""
    cases = visible_cases("softmax", "softmax_cross_entropy_grad")
    checked = "the forward/backward lecture's dL/dZ3, one sample, large logits"
    if softmax is not None and cross_entropy is not None:
        rng = np.random.default_rng(7)
        Z = rng.normal(0, 2, size=(5, 4))
        Y = np.eye(4)[rng.integers(0, 4, size=5)]
        label = ("random Z of shape (5, 4), one-hot Y: against central differences of "
                 "your cross_entropy(softmax(Z), Y)")

        def loss(V):
            A = _array_from(softmax, V, "softmax", label)
            return call(cross_entropy, A, Y, function="cross_entropy", case=label)
        cases = cases + [_own(label, (Z, Y), _numerical(loss, Z, "cross_entropy", label),
                              factors={"N, the batch size": 5},
                              regions={"Y = 1 (the true class)": Y == 1})]
        checked += ", and the derivative of your own loss"
    run("softmax_cross_entropy_grad", cases,
        softmax_cross_entropy_grad=softmax_cross_entropy_grad, summary=checked)


def _sigmoid_loss(sigmoid, Y, label, per_unit):
    """Mean over rows of sum_k per_unit(s, y), s = your sigmoid(z)."""
    def loss(V):
        A = _array_from(sigmoid, V, "sigmoid", label)
        N = 1 if V.ndim == 1 else V.shape[0]
        with np.errstate(all="ignore"):  # a broken sigmoid must not print warnings
            return np.sum(per_unit(A, Y)) / N
    return loss


def _check_sigmoid_delta(fn, function, sigmoid, seed, shape, what, per_unit, checked):
    """fn on its visible cases and, with the student's sigmoid, central differences of
    the mean loss at a random point."""
    cases = visible_cases("softmax", function)
    if sigmoid is not None:
        rng = np.random.default_rng(seed)
        Z = rng.normal(0, 1.5, size=shape)
        Y = rng.integers(0, 2, size=shape).astype(float)
        label = f"random z of shape {shape}: against central differences of the mean {what}"
        num = _numerical(_sigmoid_loss(sigmoid, Y, label, per_unit), Z, "sigmoid", label)
        cases = cases + [_own(label, (Z, Y), num, factors={"N, the batch size": shape[0]})]
        checked += f", and central differences of the mean {what}"
    run(function, cases, summary=checked, **{function: fn})


def check_sigmoid_bce_grad(sigmoid_bce_grad, sigmoid=None):
    """(sigma(z) - y) / N: the handwritten notes' check, a column batch, central differences."""
    _check_sigmoid_delta(sigmoid_bce_grad, "sigmoid_bce_grad", sigmoid, 11, (3, 2), "BCE",
                         lambda A, Y: -(Y * np.log(A) + (1 - Y) * np.log(1 - A)),
                         "the handwritten notes' delta, a column batch")


def check_sigmoid_mse_grad(sigmoid_mse_grad, sigmoid=None):
    """(sigma(z) - y) sigma'(z) / N: the handwritten notes' toy, a batch, central differences."""
    _check_sigmoid_delta(sigmoid_mse_grad, "sigmoid_mse_grad", sigmoid, 13, (4, 3),
                         "1/2 squared error", lambda A, Y: 0.5 * (A - Y) ** 2,
                         "the handwritten notes' toy, a batch")
