"""Hidden cases for notebook 04: softmax, its Jacobian, cross-entropy, output deltas.

Random batch sizes (N = 1 as a 1-D sample and as a (1, K) batch), class counts
K = 2..10, large logits (1e3..1e4, and rows far apart), exact zeros in A, soft
labels, float32 and integer inputs. Expected values are the engine's answers in
float64; candidates are the engine's answers with a known mistake, so the
feedback names it.
"""
import numpy as np

import solutions as S

from ..oracle import case
from ..replay import replayed

# What each typical mistake looks like, in the student's words: the visible and the
# hidden cases name them alike (this table makes each mistake with the engine, under the
# same key; `sync` ships the words to students in softmax_cases.py).
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

AXIS_HINTS = [
    ("AxisError", "a 1-D z has only axis 0: use axis=-1 (the last axis), which is the "
                  "class axis for both (K,) and (N, K)"),
    ("broadcast", "Z.sum(axis=-1) has shape (N,), which numpy lines up with the LAST axis "
                  "of an (N, K) array: keep the summed axis with keepdims=True, shape (N, 1)"),
]


KEPT_Z = "the input Z after the call (softmax must not change it in place)"


def _N(Z):
    return 1 if np.ndim(Z) == 1 else np.shape(Z)[0]


def _f64(x):
    return np.asarray(x, dtype=np.float64)


def _rows(E):
    return E / E.sum(axis=-1, keepdims=True)


# The named mistakes: the engine's result with one mistake, under the key of its wording
# in CAUSES above. Each takes the float64 inputs of its function.
SOFTMAX = {
    "sm_axis0": lambda Z: S.softmax(Z.T).T,
    "sm_whole": lambda Z: np.exp(Z) / np.exp(Z).sum(),
    "sm_whole_shift": lambda Z: np.exp(Z) / np.exp(Z).sum(),
    "sm_no_sum": np.exp,
    "sm_colshift": lambda Z: _rows(np.exp(Z - Z.max(axis=0))),
    "sm_nokeepdims": lambda Z: np.exp(Z) / np.exp(Z).sum(axis=-1),
}
JACOBIAN = {
    "jac_diag": lambda z: np.diag(S.softmax(z)),
    "jac_outer": lambda z: -np.outer(S.softmax(z), S.softmax(z)),
    "jac_dot": lambda z: np.diag(S.softmax(z)) - S.softmax(z) @ S.softmax(z),
    "jac_z": lambda z: np.diag(z) - np.outer(z, z),
    "jac_diag_only": lambda z: np.diag(S.softmax(z) * (1 - S.softmax(z))),
    "jac_sign": lambda z: -S.softmax_jacobian(z),
    "jac_diag_twice": lambda z: S.softmax_jacobian(z) - np.diag(S.softmax(z) ** 2),
}
CROSS_ENTROPY = {
    "ce_nolog": lambda A, Y: float(np.sum(Y * A) / _N(A)),
    "ce_sign": lambda A, Y: -S.cross_entropy(A, Y),
    "ce_bce": S.binary_cross_entropy,
    "ce_all": lambda A, Y: float(-np.sum(np.log(A)) / _N(A)),
    "ce_log10": lambda A, Y: S.cross_entropy(A, Y) / np.log(10),
    "ce_sum": lambda A, Y: S.cross_entropy(A, Y) * _N(A),
    "ce_mean_all": lambda A, Y: S.cross_entropy(A, Y) / np.shape(A)[-1],
    "ce_one_sample": lambda A, Y: S.cross_entropy(A, Y) / np.shape(A)[-1],
    "ce_argmax": lambda A, Y: float(-np.mean(np.log(
        np.atleast_2d(A)[np.arange(_N(A)), np.atleast_2d(Y).argmax(1)]))),
}
GRAD = {  # dL/dZ of softmax + cross-entropy
    "g_sign": lambda Z, Y: -S.softmax_cross_entropy_grad(Z, Y),
    "g_dA": lambda Z, Y: S.loss_grad(S.softmax(Z), Y),
    "no_mean": lambda Z, Y: S.softmax_cross_entropy_grad(Z, Y) * _N(Z),
    "one_sample": lambda Z, Y: S.softmax_cross_entropy_grad(Z, Y) / np.shape(Z)[-1],
    "global_n": lambda Z, Y: S.softmax_cross_entropy_grad(Z, Y) * _N(Z) / 4,
    "g_no_softmax": lambda Z, Y: (Z - Y) / _N(Z),
    "g_times_diag": lambda Z, Y: (lambda A: (A - Y) * A * (1 - A) / _N(Z))(S.softmax(Z)),
    "g_diag_chain": lambda Z, Y: -Y * (1 - S.softmax(Z)) / _N(Z),
    "g_no_y": lambda Z, Y: S.softmax(Z) / _N(Z),
}
BCE = {
    "bce_times_prime": lambda z, y: S.sigmoid_bce_grad(z, y) * S.sigmoid_prime(z),
    "bce_dA": lambda z, y: S.loss_grad(S.sigmoid(z), y, "binary_cross_entropy"),
    "bce_one_term": lambda z, y: -y * (1 - S.sigmoid(z)) / _N(z),
    "bce_softmax": lambda z, y: (S.softmax(z) - y) / _N(z),
    "no_mean": lambda z, y: S.sigmoid_bce_grad(z, y) * _N(z),
    "one_sample": lambda z, y: S.sigmoid_bce_grad(z, y) / np.shape(z)[-1],
    "global_n": lambda z, y: S.sigmoid_bce_grad(z, y) * _N(z) / 4,
}
MSE = {
    "mse_no_prime": S.sigmoid_bce_grad,
    "mse_prime_at_a": lambda z, y: (S.sigmoid(z) - y) * S.sigmoid_prime(S.sigmoid(z)) / _N(z),
    "no_mean": lambda z, y: S.sigmoid_mse_grad(z, y) * _N(z),
    "one_sample": lambda z, y: S.sigmoid_mse_grad(z, y) / np.shape(z)[-1],
    "global_n": lambda z, y: S.sigmoid_mse_grad(z, y) * _N(z) / 4,
}


def _mistakes(table, keys, *args):
    """{key: the engine's result with that mistake} on float64 args (finite ones only: a
    mistake can overflow at large logits)."""
    args = tuple(_f64(a) for a in args)
    out = {}
    with np.errstate(all="ignore"):
        for key in keys:
            value = table[key](*args)
            if np.all(np.isfinite(value)):
                out[key] = value
    return out


def _case(table, engine, label, *args, mistakes=(), **options):
    """A case (visible or hidden): the engine's result, the named mistakes (none equal to it) as
    candidates worded by CAUSES, and the compare options (factors, regions, nonfinite)."""
    expected = engine(*(_f64(a) for a in args))
    named = [(v, CAUSES[k]) for k, v in _mistakes(table, mistakes, *args).items()
             if not np.allclose(v, expected, rtol=1e-6, atol=1e-12)]
    kind = "number" if np.ndim(expected) == 0 else "array"
    hints = AXIS_HINTS if table is SOFTMAX else None  # errors of a wrong axis or keepdims
    return case(label, args, expected, kind=kind, candidates=named, hints=hints, **options)


def _one_hot(rng, N, K):
    Y = np.eye(K)[rng.integers(0, K, size=N)]
    return Y


def _logits(rng):
    """(label, Z): the batches every softmax-type function is graded on."""
    return [
        ("one sample z of shape (5,)", rng.normal(0, 2, size=5)),
        ("a batch of one, Z of shape (1, 4)", rng.normal(0, 2, size=(1, 4))),
        ("Z of shape (6, 3)", rng.normal(0, 2, size=(6, 3))),
        ("Z of shape (8, 10)", rng.normal(0, 3, size=(8, 10))),
        ("two classes, Z of shape (5, 2)", rng.normal(0, 2, size=(5, 2))),
        ("float32 Z of shape (4, 5)", rng.normal(0, 2, size=(4, 5)).astype(np.float32)),
        ("large logits (1e3 .. 1e4, rows far apart), Z of shape (3, 4)",
         np.array([[1e4, 9999.0, 0.0, -1e4], [1000.0, 1002.0, 999.0, 1001.0],
                   [-1e4, -1e4 + 0.5, -1e4 + 3.0, -1e4 + 1.0]])),
        ("integer logits of shape (2, 3)", np.array([[3, 1, 2], [-4, 0, 4]])),
    ]


def _softmax_cases(rng):
    out = []
    for label, Z in _logits(rng):
        keys = ["sm_whole"] + (["sm_axis0"] if np.ndim(Z) == 2 else [])
        large = {"nonfinite": _overflow_causes(Z.shape)} if np.abs(Z).max() > 700 else {}
        out.append(_case(SOFTMAX, S.softmax, label, Z, mistakes=keys, **large))
    return out


def _overflow_causes(shape):
    """Where softmax's nan/inf lie on large logits whose first row holds the largest and the
    last row the smallest: the first row (or only a middle one) without the max-shift, the
    rows below the largest with the WHOLE matrix's max subtracted."""
    mask = np.zeros(shape, dtype=bool)
    first, last = mask.copy(), mask.copy()
    first[0], last[-1] = True, True
    return [(first, CAUSES["sm_overflow"]), (last, CAUSES["sm_whole_max"]),
            (None, CAUSES["sm_overflow"])]


def _jacobian_cases(rng):
    out = []
    inputs = [
        ("z of shape (2,)", rng.normal(0, 1, size=2)),
        ("z of shape (5,)", rng.normal(0, 2, size=5)),
        ("z of shape (9,)", rng.normal(0, 3, size=9)),
        ("z with a repeated value, shape (4,)", np.array([0.5, 0.5, -1.0, 2.0])),
        ("float32 z of shape (6,)", rng.normal(0, 2, size=6).astype(np.float32)),
        ("large logits z = [1000, 998, 1001, -1000]", np.array([1000.0, 998.0, 1001.0, -1000.0])),
    ]
    for label, z in inputs:
        large = {"nonfinite": [(None, CAUSES["jac_overflow"])]} if np.abs(z).max() > 700 else {}
        out.append(_case(JACOBIAN, S.softmax_jacobian, label, z, mistakes=list(JACOBIAN),
                         replays=replayed(S.softmax_jacobian, (z,), softmax=1), **large))
    return out


def _cross_entropy_cases(rng):
    out = []
    for label, N, K in [("A, Y of shape (6, 3)", 6, 3), ("A, Y of shape (10, 7)", 10, 7),
                        ("a batch of one, shape (1, 4)", 1, 4)]:
        A = S.softmax(rng.normal(0, 2, size=(N, K)))
        Y = _one_hot(rng, N, K)
        keys = ["ce_sign", "ce_nolog"] + (["ce_sum"] if N > 1 else [])
        out.append(_case(CROSS_ENTROPY, S.cross_entropy, label, A, Y, mistakes=keys,
                         factors={"N, the batch size": N, "K, the number of classes": K}))
    A = S.softmax(rng.normal(0, 2, size=5))
    y = np.eye(5)[2]
    out.append(_case(CROSS_ENTROPY, S.cross_entropy, "one sample (1-D), K = 5", A, y,
                     mistakes=["ce_one_sample"]))
    A = np.array([[0.0, 0.3, 0.7], [0.6, 0.0, 0.4], [0.0, 0.0, 1.0]])
    Y = np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    out.append(_case(CROSS_ENTROPY, S.cross_entropy, "exact zeros in A where Y = 0 "
                     "(0 log 0 := 0)", A, Y, nonfinite=[(None, CAUSES["ce_zero_log"])]))
    A = S.softmax(rng.normal(0, 1, size=(4, 3)))
    Y = np.array([[0.8, 0.1, 0.1], [0.2, 0.2, 0.6], [1 / 3, 1 / 3, 1 / 3], [0.0, 0.5, 0.5]])
    out.append(_case(CROSS_ENTROPY, S.cross_entropy, "soft labels (rows of Y sum to 1, not "
                     "one-hot)", A, Y, mistakes=["ce_argmax"]))
    A = S.softmax(rng.normal(0, 2, size=(5, 4))).astype(np.float32)
    Y = _one_hot(rng, 5, 4).astype(np.float32)
    out.append(_case(CROSS_ENTROPY, S.cross_entropy, "float32 A and Y of shape (5, 4)", A, Y,
                     rtol=1e-5))
    return out


def _grad_cases(rng):
    out = []
    for label, Z in _logits(rng):
        Zf = _f64(Z)
        Y = _one_hot(rng, _N(Zf), Zf.shape[-1]).reshape(Zf.shape)
        N = _N(Zf)
        keys = (["g_sign"] + (["no_mean"] if N > 1 else []) + (["one_sample"] if Zf.ndim == 1
                                                              else [])
                + ["g_dA", "g_no_y", "g_times_diag", "g_diag_chain"]
                + (["g_no_softmax"] if np.all(np.abs(Zf) < 100) else [])
                + (["global_n"] if N != 4 else []))
        out.append(_case(GRAD, S.softmax_cross_entropy_grad, label, Z, Y, mistakes=keys,
                         factors={"N, the batch size": N},
                         replays=replayed(S.softmax_cross_entropy_grad, (Z, Y), softmax=1)))
    Z = rng.normal(0, 1, size=(3, 4))
    Y = np.array([[0.7, 0.1, 0.1, 0.1], [0.25, 0.25, 0.25, 0.25], [0.0, 0.0, 0.5, 0.5]])
    out.append(_case(GRAD, S.softmax_cross_entropy_grad, "soft labels (rows of Y sum to 1)",
                     Z, Y, replays=replayed(S.softmax_cross_entropy_grad, (Z, Y), softmax=1)))
    return out


def _sigmoid_inputs(rng):
    """(label, z, y): 1-D samples, column batches, multi-label batches, float32, large |z|."""
    return [
        ("the handwritten notes' check: z = [-2, 0.3, 1.7], y = [0, 1, 1]",
         np.array([-2.0, 0.3, 1.7]), np.array([0.0, 1.0, 1.0])),
        ("one sample with 6 units, shape (6,)", rng.normal(0, 2, size=6),
         rng.integers(0, 2, size=6).astype(float)),
        ("N = 7 binary predictions as a column, shape (7, 1)", rng.normal(0, 2, size=(7, 1)),
         rng.integers(0, 2, size=(7, 1)).astype(float)),
        ("a batch of one, shape (1, 3)", rng.normal(0, 2, size=(1, 3)),
         rng.integers(0, 2, size=(1, 3)).astype(float)),
        ("multi-label batch of shape (5, 4)", rng.normal(0, 2, size=(5, 4)),
         rng.integers(0, 2, size=(5, 4)).astype(float)),
        ("float32 z of shape (4, 2)", rng.normal(0, 2, size=(4, 2)).astype(np.float32),
         rng.integers(0, 2, size=(4, 2)).astype(np.float32)),
        ("large |z| (saturated units), shape (2, 3)",
         np.array([[-40.0, 35.0, 0.5], [30.0, -25.0, -0.5]]),
         np.array([[1.0, 0.0, 1.0], [1.0, 0.0, 0.0]])),
    ]


def _sigmoid_cases(rng):
    bce, mse = [], []
    for label, z, y in _sigmoid_inputs(rng):
        zf = _f64(z)
        N = _N(zf)
        shared = ((["global_n"] if N != 4 else []) + (["no_mean"] if N > 1 else [])
                  + (["one_sample"] if zf.ndim == 1 else []))
        factors = {"N, the batch size": N}
        bce.append(_case(BCE, S.sigmoid_bce_grad, label, z, y, factors=factors, mistakes=[
            "bce_times_prime", "bce_one_term", "bce_softmax", "bce_dA"] + shared))
        mse.append(_case(MSE, S.sigmoid_mse_grad, label, z, y, factors=factors,
                         mistakes=["mse_no_prime", "mse_prime_at_a"] + shared))
    return bce, mse


def cases():
    rng = np.random.default_rng(404)
    bce, mse = _sigmoid_cases(rng)
    return {
        "softmax": _softmax_cases(rng),
        "softmax_jacobian": _jacobian_cases(rng),
        "cross_entropy": _cross_entropy_cases(rng),
        "softmax_cross_entropy_grad": _grad_cases(rng),
        "sigmoid_bce_grad": bce,
        "sigmoid_mse_grad": mse,
    }


# --------------------------------------------------------------- the visible cases
# The lecture's numbers (the forward/backward lecture, the handwritten notes) and small
# batches where a wrong axis, a missing keepdims or a global N shows.
A3_LECTURE = np.array([[0.4358, 0.2137, 0.3505], [0.4785, 0.1890, 0.3325],  # printed, 4 dp
                       [0.4795, 0.1882, 0.3324], [0.4797, 0.1880, 0.3323]])
Y3_LECTURE = np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
Z_BATCH = np.array([[1.0, 2.0, 0.5, -1.0], [-0.3, 0.0, 2.2, 1.4], [3.0, -2.0, 0.1, 0.7]])


def _batch(Z):
    """factors: N, the batch size, of a (N, K) input (1-D: one sample, no factor)."""
    return {"factors": {"N, the batch size": len(Z)}} if np.ndim(Z) == 2 else {}


def _true_class(Y):
    return {"Y = 1 (the true class: the - Y term)": Y == 1, "Y = 0 (the wrong classes)": Y != 1}


def _unchanged(label, Z):
    """softmax on Z, which it must leave as it was (kept: Z is recorded after the call)."""
    return case(label, (Z,), (S.softmax(Z), Z.copy()), kept=[0],
                kind=[("the result", "array"), (KEPT_Z, "array")],
                **{KEPT_Z: dict(kinds="fiub", exact=True, candidates=[
                    (Z - Z.max(axis=-1, keepdims=True), CAUSES["sm_inplace"])])})


def visible():
    """The cases of the visible checks (generated into bpcheck/softmax_cases.py)."""
    Z_big = np.array([[1e4, 0.0, -1e4], [1000.0, 1001.0, 999.0], [-1e4, -1e4 + 1, -1e4 + 2]])
    row_shift = np.array([[3.0], [-7.0], [20.0]])
    one, grad = ("one sample (1-D): ", "the forward/backward lecture: Z3 = log(A3) "
                 "(softmax(log A3) = A3), Y of classes 2, 0, 1, 2")
    return {
        "softmax": [
            _case(SOFTMAX, S.softmax, "Z of shape (3, 4): 3 samples (rows), K = 4 classes",
                     Z_BATCH, mistakes=["sm_axis0", "sm_whole", "sm_no_sum", "sm_colshift"]),
            _case(SOFTMAX, S.softmax, "random Z of shape (6, 5): every row must sum to 1, "
                     "every entry in (0, 1]", np.random.default_rng(4).normal(0, 3, size=(6, 5))),
            _case(SOFTMAX, S.softmax, "invariance: softmax(Z + c) with a different "
                     "constant c added to each row", Z_BATCH + row_shift,
                     mistakes=["sm_whole_shift"]),
            _case(SOFTMAX, S.softmax, "a square Z of shape (3, 3) (where a missing "
                     "keepdims=True hides)", np.array([[0.2, 1.5, -0.7], [2.0, -1.0, 0.3],
                                                       [-0.4, 0.9, 1.1]]),
                     mistakes=["sm_nokeepdims"]),
            _case(SOFTMAX, S.softmax, "the forward/backward lecture's demo z = [5, -2, -1, "
                     "3], 1-D (one sample)", np.array([5.0, -2.0, -1.0, 3.0])),
            _case(SOFTMAX, S.softmax, "integer logits Z = [[1, 2, 3], [0, 0, 0]]",
                     np.array([[1, 2, 3], [0, 0, 0]])),
            _case(SOFTMAX, S.softmax, "large logits Z = [[1e4, 0, -1e4], [1000, 1001, 999], "
                     "[-1e4, -1e4+1, -1e4+2]]", Z_big, nonfinite=_overflow_causes(Z_big.shape)),
            _unchanged("Z of shape (3, 4): your softmax must not change its input", Z_BATCH),
        ],
        "softmax_jacobian": [
            _case(JACOBIAN, S.softmax_jacobian, "the forward/backward lecture's demo "
                     "z = [5, -2, -1, 3]", np.array([5.0, -2.0, -1.0, 3.0]),
                     mistakes=list(JACOBIAN), regions={
                         "the diagonal (i = j)": np.eye(4, dtype=bool),
                         "the off-diagonal entries (i != j)": ~np.eye(4, dtype=bool)}),
            _case(JACOBIAN, S.softmax_jacobian, "large logits z = [1000, 999, 0] (needs a "
                     "stable softmax)", np.array([1000.0, 999.0, 0.0]),
                     nonfinite=[(None, CAUSES["jac_overflow"])]),
        ],
        "cross_entropy": [
            _case(CROSS_ENTROPY, S.cross_entropy, "the forward/backward lecture's printed "
                     "A3 (4 x 3) and Y (classes 2, 0, 1, 2)", A3_LECTURE, Y3_LECTURE,
                     mistakes=["ce_nolog", "ce_sign", "ce_bce", "ce_all", "ce_log10", "ce_sum",
                               "ce_mean_all"],
                     factors={"N, the batch size": 4, "K, the number of classes": 3}),
            _case(CROSS_ENTROPY, S.cross_entropy, one + "A = [0.2, 0.7, 0.1], y = [0, 1, 0]",
                     np.array([0.2, 0.7, 0.1]), np.array([0.0, 1.0, 0.0]),
                     mistakes=["ce_one_sample"]),
            _case(CROSS_ENTROPY, S.cross_entropy, "0 log 0 := 0: A = [[0, 0.25, 0.75], "
                     "[0.5, 0.5, 0]], Y = [[0, 0, 1], [1, 0, 0]]",
                     np.array([[0.0, 0.25, 0.75], [0.5, 0.5, 0.0]]),
                     np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]),
                     nonfinite=[(None, CAUSES["ce_zero_log"])]),
            _case(CROSS_ENTROPY, S.cross_entropy, "soft labels Y = [[0.9, 0.05, 0.05], "
                     "[0, 0.5, 0.5]] (not one-hot)", np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]]),
                     np.array([[0.9, 0.05, 0.05], [0.0, 0.5, 0.5]]), mistakes=["ce_argmax"]),
        ],
        "softmax_cross_entropy_grad": [
            _case(GRAD, S.softmax_cross_entropy_grad, grad, np.log(A3_LECTURE), Y3_LECTURE,
                     mistakes=["g_sign", "g_dA", "no_mean", "g_no_softmax", "g_times_diag",
                               "g_diag_chain", "g_no_y"],
                     regions=_true_class(Y3_LECTURE), **_batch(Y3_LECTURE)),
            _case(GRAD, S.softmax_cross_entropy_grad, one + "z = [2, -1, 0.5], y = [0, 0, 1]",
                     np.array([2.0, -1.0, 0.5]), np.array([0.0, 0.0, 1.0]),
                     mistakes=["one_sample", "global_n"]),
            _case(GRAD, S.softmax_cross_entropy_grad, "large logits Z = [[1e4, 0, -1e4], "
                     "[0, 1e4, 1e4]], Y = [[0, 1, 0], [1, 0, 0]]",
                     np.array([[1e4, 0.0, -1e4], [0.0, 1e4, 1e4]]),
                     np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]),
                     nonfinite=[(None, CAUSES["g_large"])]),
        ],
        "sigmoid_bce_grad": [
            _case(BCE, S.sigmoid_bce_grad, "the handwritten notes: z = [-2, 0.3, 1.7], "
                     "y = [0, 1, 1] (1-D: one sample, 3 sigmoid units)",
                     np.array([-2.0, 0.3, 1.7]), np.array([0.0, 1.0, 1.0]),
                     mistakes=["bce_times_prime", "bce_dA", "one_sample", "global_n",
                               "bce_one_term", "bce_softmax"],
                     regions={"y = 1": np.array([False, True, True]),
                              "y = 0": np.array([True, False, False])}),
            _case(BCE, S.sigmoid_bce_grad, "N = 4 binary predictions as a column, z and y "
                     "of shape (4, 1)", np.array([[-1.0], [0.5], [2.0], [-3.0]]),
                     np.array([[0.0], [1.0], [1.0], [0.0]]), mistakes=["no_mean"],
                     factors={"N, the batch size": 4}),
        ],
        "sigmoid_mse_grad": [
            _case(MSE, S.sigmoid_mse_grad, "the handwritten notes' toy: a = sigma(z) = "
                     "(0.3, 0.5), y = (0, 1) (1-D: one sample)", np.array([np.log(3 / 7), 0.0]),
                     np.array([0.0, 1.0]),
                     mistakes=["mse_no_prime", "mse_prime_at_a", "one_sample", "global_n"]),
            _case(MSE, S.sigmoid_mse_grad, "z and y of shape (3, 2): 3 samples, 2 sigmoid "
                     "units", np.array([[0.8, -1.5], [2.5, 0.2], [-0.6, -2.2]]),
                     np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]), mistakes=["no_mean"],
                     factors={"N, the batch size": 3}),
        ],
    }
