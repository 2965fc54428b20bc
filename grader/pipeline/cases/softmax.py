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

ONE_SAMPLE = "a 1-D input is ONE sample: N = 1, not its length K"
NO_MEAN = "the 1/N of the mean loss is missing"
GLOBAL_N = ("divided by 4: is the notebook's global N (= 4, from the forward/backward "
            "lecture's demo) used inside your function? Compute N from the input's own shape")


def _N(Z):
    return 1 if np.ndim(Z) == 1 else np.shape(Z)[0]


def _f64(x):
    return np.asarray(x, dtype=np.float64)


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
        Zf = _f64(Z)
        with np.errstate(all="ignore"):
            candidates = [(np.exp(Zf) / np.exp(Zf).sum(), "the whole array was normalized at "
                                                            "once: each row must sum to 1")]
            if Zf.ndim == 2:
                candidates.append((S.softmax(Zf.T).T, "softmax ran over the columns (axis=0): "
                                                      "each row is one sample"))
        candidates = [(c, cause) for c, cause in candidates if np.all(np.isfinite(c))]
        out.append(case(label, (Z,), S.softmax(Zf), candidates=candidates))
    return out


def _finite(candidates):
    """Only the candidates without nan or inf (a slip can overflow at large logits)."""
    return [(c, cause) for c, cause in candidates if np.all(np.isfinite(c))]


def _grad_slips(Zf, Y, g, N):
    """dL/dZ with the derivation slips the visible check names, worded the same way."""
    A = S.softmax(Zf)
    slips = [(A / N, "the - y term is missing: the wrong entries are all where Y = 1 "
                     "(the true class)"),
             ((A - Y) * A * (1 - A) / N, "multiplied by yhat (1 - yhat), the diagonal of the "
                                         "Jacobian, as for a sigmoid"),
             (-Y * (1 - A) / N, "only the diagonal of the Jacobian (j = i) was used in the "
                                "chain rule: softmax couples the outputs")]
    if np.all(np.abs(Zf) < 100):
        slips.append(((Zf - Y) / N, "softmax was not applied: the logits Z stand where the "
                                    "probabilities yhat = softmax(Z) belong"))
    if N != 4:
        slips.append((g * N / 4, GLOBAL_N))
    return slips


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
        s = S.softmax(_f64(z))
        out.append(case(label, (z,), S.softmax_jacobian(_f64(z)),
                        replays=replayed(S.softmax_jacobian, (z,), softmax=1), candidates=[
            (np.diag(s), "only diag(s): the - s s^T term is missing"),
            (-np.outer(s, s), "only - s s^T: the diag(s) term is missing"),
            (np.diag(s) - s @ s, "s @ s of a 1-D array is a number: use np.outer(s, s)"),
            (np.diag(s * (1 - s)), "only the diagonal: softmax couples all outputs"),
            (np.outer(s, s) - np.diag(s), "the sign is flipped: raising a class's own logit "
                                          "raises its probability"),
            (np.diag(s * (1 - s)) - np.outer(s, s), "s_i^2 is subtracted twice on the diagonal: "
                                                    "s_c (1 - s_c) is the whole diagonal entry"),
        ] + _finite([(np.diag(_f64(z)) - np.outer(_f64(z), _f64(z)),
                      "the formula was applied to z itself: compute s = softmax(z) first")])))
    return out


def _cross_entropy_cases(rng):
    out = []
    for label, N, K in [("A, Y of shape (6, 3)", 6, 3), ("A, Y of shape (10, 7)", 10, 7),
                        ("a batch of one, shape (1, 4)", 1, 4)]:
        A = S.softmax(rng.normal(0, 2, size=(N, K)))
        Y = _one_hot(rng, N, K)
        ce = S.cross_entropy(A, Y)
        candidates = [(-ce, "the minus sign is missing"),
                      (float(np.sum(Y * A) / N), "no log: this is the mean probability of "
                                                 "the true class")]
        if N > 1:
            candidates.append((ce * N, "the losses were summed, not averaged over N"))
        out.append(case(label, (A, Y), ce, kind="number", candidates=candidates,
                        factors={"N, the batch size": N, "K, the number of classes": K}))
    A = S.softmax(rng.normal(0, 2, size=5))
    y = np.eye(5)[2]
    ce = S.cross_entropy(A, y)
    out.append(case("one sample (1-D), K = 5", (A, y), ce, kind="number",
                    candidates=[(ce / 5, ONE_SAMPLE)]))
    A = np.array([[0.0, 0.3, 0.7], [0.6, 0.0, 0.4], [0.0, 0.0, 1.0]])
    Y = np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    out.append(case("exact zeros in A where Y = 0 (0 log 0 := 0)", (A, Y),
                    S.cross_entropy(A, Y), kind="number"))
    A = S.softmax(rng.normal(0, 1, size=(4, 3)))
    Y = np.array([[0.8, 0.1, 0.1], [0.2, 0.2, 0.6], [1 / 3, 1 / 3, 1 / 3], [0.0, 0.5, 0.5]])
    out.append(case("soft labels (rows of Y sum to 1, not one-hot)", (A, Y),
                    S.cross_entropy(A, Y), kind="number",
                    candidates=[(float(-np.mean(np.log(A[np.arange(4), Y.argmax(1)]))),
                                 "only argmax(Y) was used: use the full sum -sum_k Y log A")]))
    A = S.softmax(rng.normal(0, 2, size=(5, 4))).astype(np.float32)
    Y = _one_hot(rng, 5, 4).astype(np.float32)
    out.append(case("float32 A and Y of shape (5, 4)", (A, Y),
                    S.cross_entropy(_f64(A), _f64(Y)), kind="number", rtol=1e-5))
    return out


def _grad_cases(rng):
    out = []
    for label, Z in _logits(rng):
        Zf = _f64(Z)
        K = Zf.shape[-1]
        Y = _one_hot(rng, _N(Zf), K).reshape(Zf.shape)
        g = S.softmax_cross_entropy_grad(Zf, Y)
        N = _N(Zf)
        candidates = [(-g, "the sign is flipped (as on the forward/backward lecture's slide): "
                           "the gradient is +(A - Y)/N")]
        if N > 1:
            candidates.append((g * N, NO_MEAN))
        if Zf.ndim == 1:
            candidates.append((g / K, ONE_SAMPLE))
        with np.errstate(divide="ignore", invalid="ignore"):
            dA = S.loss_grad(S.softmax(Zf), Y)
        if np.all(np.isfinite(dA)):  # at large logits softmax has exact 0s and -Y/A is inf
            candidates.append((dA, "this is dL/dA = -Y/(N A), not dL/dZ"))
        candidates += _grad_slips(Zf, Y, g, N)
        out.append(case(label, (Z, Y), g, factors={"N, the batch size": N},
                        candidates=candidates,
                        replays=replayed(S.softmax_cross_entropy_grad, (Z, Y), softmax=1)))
    Z = rng.normal(0, 1, size=(3, 4))
    Y = np.array([[0.7, 0.1, 0.1, 0.1], [0.25, 0.25, 0.25, 0.25], [0.0, 0.0, 0.5, 0.5]])
    out.append(case("soft labels (rows of Y sum to 1)", (Z, Y),
                    S.softmax_cross_entropy_grad(Z, Y),
                    replays=replayed(S.softmax_cross_entropy_grad, (Z, Y), softmax=1)))
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
        zf, yf = _f64(z), _f64(y)
        N, K = _N(zf), zf.shape[-1]
        d = S.sigmoid_bce_grad(zf, yf)
        m = S.sigmoid_mse_grad(zf, yf)
        prime = S.sigmoid_prime(zf)
        a = S.sigmoid(zf)
        bc = [(d * prime, "sigma'(z) was multiplied in again: with BCE it cancels"),
              (-yf * (1 - a) / N, "only the y log a term was differentiated: the "
                                  "(1 - y) log(1 - a) term of the loss counts too (where y = 0)"),
              ((S.softmax(zf) - yf) / N, "softmax was used: a sigmoid output acts on each "
                                         "unit alone, a = sigmoid(z)")]
        with np.errstate(all="ignore"):
            bc += _finite([(S.loss_grad(a, yf, "binary_cross_entropy"),
                            "this is dL/dyhat, not dL/dz: multiply by sigma'(z) and simplify")])
        mc = [(d, "the factor sigma'(z) is missing: this is (a - y)/N, the BCE delta"),
              ((a - yf) * S.sigmoid_prime(a) / N, "sigma' was evaluated at a instead of z")]
        if N != 4:
            bc.append((d * N / 4, GLOBAL_N))
            mc.append((m * N / 4, GLOBAL_N))
        if N > 1:
            bc.append((d * N, NO_MEAN))
            mc.append((m * N, NO_MEAN))
        if zf.ndim == 1:
            bc.append((d / K, ONE_SAMPLE))
            mc.append((m / K, ONE_SAMPLE))
        bce.append(case(label, (z, y), d, factors={"N, the batch size": N}, candidates=bc))
        mse.append(case(label, (z, y), m, factors={"N, the batch size": N}, candidates=mc))
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
