"""Visible checks for notebook 04: softmax, its Jacobian, cross-entropy, output deltas.

The convention checked everywhere: rows are samples and a 1-D array is ONE sample
(N = 1); every loss is the MEAN over the N rows of a per-sample loss that SUMS
over the K units; every ``*_grad`` returns dL/dZ of that mean loss, shaped like Z.

The cases (inputs, the engine's results, and the results of the engine with each
named mistake) come from the case table, grader/pipeline/cases/softmax.py, generated
into softmax_cases.py; the wording of each mistake is CAUSES below, shared with the
hidden cases, and the checks run them with the one runner (judge.run), as the hidden
tests do. What stays code here: the central differences of the student's OWN
functions (a case whose expected result is computed when the check runs) and the
hints for errors raised by softmax. Nothing here implements a graded function.
"""
import numpy as np

from .calls import call
from .judge import case, run
from .numgrad import numerical_gradient
from .report import describe, fail
from . import visible_cases

# What each typical mistake looks like, in the student's words: the visible and the
# hidden cases name them alike (the case table, grader/pipeline/cases/softmax.py, makes
# each mistake with the engine, under the same key).
CAUSES = {
    # softmax
    "sm_axis0": "softmax ran over the COLUMNS (axis=0), the batch: each ROW is one sample, "
                "so normalize with axis=-1 (or axis=1), keepdims=True",
    "sm_whole": "the whole matrix was normalized at once (np.sum without axis): each row must "
                "sum to 1 on its own",
    "sm_whole_shift": "the whole matrix was normalized at once: a per-row constant then "
                      "changes the result",
    "sm_no_sum": "the exponentials are never divided by their row sum",
    "sm_colshift": "the max was taken per column (axis=0): the shift must be the max of each "
                   "ROW, the same number for a whole row",
    "sm_nokeepdims": "the row sums (shape (N,)) were divided along the columns: use "
                     "E.sum(axis=-1, keepdims=True), shape (N, 1)",
    "sm_overflow": "np.exp(1000) overflows to inf and inf / inf = nan: subtract each row's "
                   "max first, softmax(z) = softmax(z - max z) (the max-shift trick)",
    "sm_whole_max": "every exponential of the last row underflowed to 0, and 0 / 0 = nan: was "
                    "the max of the WHOLE matrix (Z.max()) subtracted instead of each row's "
                    "max (Z.max(axis=-1, keepdims=True))?",
    "sm_inplace": "`Z -= Z.max(...)` writes into the array you were given: write "
                  "`Z = Z - Z.max(...)`, which makes a new array",
    # softmax_jacobian
    "jac_diag": "only diag(s): the - s s^T term is missing (it is the i != c case of the "
                "quotient rule)",
    "jac_outer": "only - s s^T: the diag(s) term (the i = c case) is missing",
    "jac_dot": "s @ s (or s.T @ s) of a 1-D array is a NUMBER (the dot product), not a "
               "matrix: use np.outer(s, s) for s s^T",
    "jac_z": "the formula was applied to z itself: compute s = softmax(z) first",
    "jac_diag_only": "only the diagonal s_i (1 - s_i): softmax couples the outputs, so the "
                     "off-diagonal entries -s_i s_j are not zero",
    "jac_sign": "the sign is flipped: raising a class's own logit raises its probability, "
                "so the diagonal entries are positive",
    "jac_overflow": "the softmax inside overflowed: use the max-shift trick (or call your "
                    "stable softmax)",
    "jac_diag_twice": "s_i^2 is subtracted twice on the diagonal: the i = c case "
                      "s_c (1 - s_c) is the WHOLE diagonal entry, and the outer-product "
                      "term already holds its - s_c^2",
    # cross_entropy
    "ce_nolog": "this is (1/N) sum(Y * A), the forward/backward lecture's 'Cross entropy "
                "loss' cell: the mean probability of the true class, without the log and "
                "the minus",
    "ce_sign": "the minus sign is missing: log A < 0, so the loss -sum Y log A is positive",
    "ce_bce": "this is BINARY cross-entropy (with (1 - Y) log(1 - A)); softmax outputs use "
              "only -sum_k Y log A",
    "ce_all": "the log of EVERY class was summed: multiply by Y so that only the true class "
              "counts",
    "ce_log10": "np.log10 was used: the natural log np.log is meant",
    "ce_sum": "the per-sample losses were summed, not averaged: divide by N, the number of "
              "rows",
    "ce_mean_all": "np.mean over all N * K entries also averaged over the K classes: sum over "
                   "the classes, average over the rows only",
    "ce_argmax": "only the class argmax(Y) was used: the loss is the full sum -sum_k Y log A, "
                 "which also works when Y is not one-hot",
    "ce_one_sample": "a 1-D input is ONE sample, so N = 1: `len(A)` or `A.shape[0]` counts "
                     "the K units of a 1-D array; use N = 1 if A.ndim == 1 else A.shape[0]",
    "ce_zero_log": "Y * np.log(A) is 0 * (-inf) = nan where A = 0 and Y = 0: take the log "
                   "only where Y != 0, e.g. np.log(A, out=np.zeros_like(A), where=Y != 0)",
    # the output deltas
    "g_large": "at large logits softmax has exact 0s, so a route through dL/dA = -Y / A "
               "divides by 0: simplify the chain rule on paper and compute the result from "
               "softmax(Z) directly, with a stable softmax",
    "one_sample": "a 1-D input is ONE sample, so N = 1: `len(z)` or `z.shape[0]` counts the "
                  "K units of a 1-D array; use N = 1 if z.ndim == 1 else z.shape[0]",
    "global_n": "divided by 4: is the notebook's global N (= 4, from the forward/backward "
                "lecture's demo) used inside your function? Compute N from the input's own "
                "shape",
    "no_mean": "the 1/N of the MEAN loss is missing: divide by N, the number of samples "
               "(rows)",
    "g_sign": "the sign is flipped, as on the forward/backward lecture's slide -(1/N)(A - Y): "
              "the gradient is +(A - Y)/N (the single-sample result is a - y)",
    "g_dA": "this is dL/dA = -(1/N) Y / A, not dL/dZ: the softmax Jacobian turns it into "
            "(A - Y)/N",
    "g_no_softmax": "softmax was not applied: the logits Z stand where the probabilities "
                    "yhat = softmax(Z) belong",
    "g_times_diag": "multiplied by yhat (1 - yhat), the diagonal of the Jacobian, as for a "
                    "sigmoid: the chain through the Jacobian is already done, nothing is left "
                    "to multiply",
    "g_diag_chain": "only the diagonal of the Jacobian (j = i) was used in the chain rule: "
                    "softmax couples the outputs, and the off-diagonal terms give the wrong "
                    "classes their non-zero entries",
    "g_no_y": "the - y term is missing: the wrong entries are all where Y = 1 (the true "
              "class)",
    "bce_times_prime": "sigma'(z) was multiplied in again: with BCE the factor yhat (1 - yhat) "
                       "cancels against dL/dyhat, leaving yhat - y",
    "bce_dA": "this is dL/dyhat = -y/yhat + (1 - y)/(1 - yhat) (the handwritten notes' first "
              "'delta' line), not dL/dz: multiply by sigma'(z) and simplify",
    "bce_one_term": "only the y log a term was differentiated: the (1 - y) log(1 - a) term of "
                    "the loss counts too (where y = 0)",
    "bce_softmax": "softmax was used: a sigmoid output acts on each unit alone, "
                   "a = sigmoid(z)",
    "mse_no_prime": "the factor sigma'(z) is missing: this is dL/da = a - y (over N), the BCE "
                    "delta; the MSE output delta also needs sigma'(z) = a (1 - a)",
    "mse_prime_at_a": "sigma' was evaluated at a = sigma(z) instead of z: "
                      "sigma'(z) = a (1 - a)",
}
GRAD_TOL = {"rtol": 1e-5, "atol": 1e-7}  # central differences, eps = 1e-6, in float64
AXIS_HINTS = [
    ("AxisError", "a 1-D z has only axis 0: use axis=-1 (the last axis), which is the "
                  "class axis for both (K,) and (N, K)"),
    ("broadcast", "Z.sum(axis=-1) has shape (N,), which numpy lines up with the LAST axis "
                  "of an (N, K) array: keep the summed axis with keepdims=True, shape (N, 1)"),
]


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
