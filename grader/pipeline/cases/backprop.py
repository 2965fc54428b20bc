"""Hidden cases for notebook 05: numerical_gradient, relative_error, directional_check,
scalar_chain_grad, backward, backward_mse, planted_bug, gd_step, train, minibatches.

Every expected value comes from the reference engine (``solutions``); every
candidate is the engine's computation with one known mistake, written out below
(instructor side only), so the feedback can name the mistake. Architectures,
activations and batch sizes are drawn from one fixed seed. In the ReLU and leaky
ReLU cases every hidden pre-activation satisfies |Z| > 1e-3, so an implementation
that differs by rounding never lands on the other side of a kink.
"""
import numpy as np

import solutions as S
from solutions import backward, forward, gd_step  # looked up by _train_passing: traced
from solutions.gradcheck import directional_check, planted_bug, relative_error
from solutions.network import backward_mse, scalar_chain_grad
from solutions.training import minibatches

from ...checks.backprop import (BACKWARD_NO_HIDDEN, BUG_LAYER_FROM_0, BUG_OTHER_ARRAY,
                                CHAIN_NO_SIGMA_PRIME, CHAIN_NO_X, CHAIN_SIGMA_PRIME_AT_A,
                                CHAIN_SWAPPED, CHAIN_W2_INPUT, DIR_FORWARD, DIR_NORMALIZED,
                                DIR_ONE_EPS, DIR_SUM_G, DIR_X_CHANGED, FORWARD_NO_HIDDEN,
                                FROZEN_LOSSES, FROZEN_PARAMS, GRADS_IN_PLACE, IGNORES_HIDDEN,
                                IN_PLACE, MINIBATCH_OPTIONS, MINIBATCH_PARTS, MSE_HALF,
                                MSE_NO_MEAN, MSE_OUTPUT_G_PRIME, MSE_SIGN, NOT_RESTORED,
                                REL_MAX_DENOMINATOR, REL_MEAN, REL_NO_ABS, X_CHANGED,
                                minibatch_sizes, size_causes)
from ..oracle import case
from ..replay import merge, replayed

HIDDEN = ("sigmoid", "tanh", "relu", "leaky_relu")
KINKED = ("relu", "leaky_relu")
MIN_ABS_Z = 1e-3
NG_RTOL, NG_ATOL = 1e-5, 1e-7  # central differences: O(eps^2) truncation + O(u / eps) rounding


# ---------------------------------------------------------------------------
# numerical_gradient: protocol "quadratic_form", f(x) = 1/2 x.M x + c.x + sum(sin x)
# ---------------------------------------------------------------------------

def _qf(M, c, v):
    v = np.asarray(v, dtype=np.float64)
    return 0.5 * np.sum(v * (M @ v.ravel()).reshape(v.shape)) + np.sum(c * v) + np.sum(np.sin(v))


def _qf_grad(M, c, x):
    """The exact gradient: 1/2 (M + M^T) x + c + cos x, shaped like x."""
    return (0.5 * (M + M.T) @ x.ravel()).reshape(x.shape) + c + np.cos(x)


def _differences(M, c, x, eps, mistake):
    """A numerical gradient with one known mistake."""
    x = x.copy()
    f_x = _qf(M, c, x)
    grad = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        f_plus = _qf(M, c, x)
        if mistake == "forward":
            x[i] = old
            grad[i] = (f_plus - f_x) / eps
            continue
        x[i] = old - eps
        f_minus = _qf(M, c, x)
        if mistake != "not_restored":
            x[i] = old
        grad[i] = (f_plus - f_minus) / (eps if mistake == "one_eps" else 2 * eps)
    return grad


def _numerical_gradient_cases(rng):
    out = []
    for shape, eps in [((4,), 1e-4), ((2, 3), 1e-4), ((1,), 1e-6), ((2, 2, 2), 1e-5),
                       ((6,), 1e-4), ((3, 1), 1e-6)]:
        n = int(np.prod(shape))
        B = rng.normal(size=(n, n))
        M = B @ B.T / n + np.eye(n) + 0.3 * rng.normal(size=(n, n))  # not symmetric
        c = rng.normal(size=shape)
        x = rng.normal(size=shape)
        candidates = [
            (_differences(M, c, x, eps, "forward"),
             "forward differences (f(x + eps) - f(x)) / eps: their error is O(eps); use "
             "central differences (f(x + eps) - f(x - eps)) / (2 eps), error O(eps^2)"),
            (_differences(M, c, x, eps, "one_eps"),
             "the difference f(x + eps) - f(x - eps) is divided by eps instead of 2 eps"),
            (_differences(M, c, x, eps, "not_restored"), NOT_RESTORED),
        ]
        expected = _qf_grad(M, c, x)
        # At eps = 1e-6 forward differences are within the tolerance: not a mistake there.
        candidates = [(v, cause) for v, cause in candidates
                      if np.any(np.abs(v - expected) > NG_ATOL + NG_RTOL * np.abs(expected))]
        # The protocol returns (gradient, x after the call): x must come back unchanged,
        # exactly; x itself is a candidate too, for an x that is off by rounding only.
        out.append(case(f"f(x) = 1/2 x.M x + c.x + sum(sin x), x of shape {shape}, eps = {eps:g}",
                        (M, c, x, eps), (expected, x), protocol="quadratic_form", kept=[1],
                        kind=[("the gradient", "array"), ("x after the call", "array")],
                        **{"the gradient": {"rtol": NG_RTOL, "atol": NG_ATOL,
                                            "candidates": candidates},
                           "x after the call": {"exact": True, "candidates": [
                               (x - eps, X_CHANGED), (x + eps, X_CHANGED), (x, X_CHANGED)]}}))
    return out


# ---------------------------------------------------------------------------
# backward: protocol "backward" (the student's forward, then the student's backward)
# ---------------------------------------------------------------------------

def _random_params(rng, sizes, scale=1.0):
    """Random W^[l] ~ N(0, scale^2 / n_{l-1}) and b^[l] ~ N(0, 0.5^2), float64."""
    return [(rng.normal(0.0, scale / np.sqrt(n_in), size=(n_out, n_in)),
             rng.normal(0.0, 0.5, size=n_out))
            for n_in, n_out in zip(sizes[:-1], sizes[1:])]


def _one_hot(rng, N, K):
    return np.eye(K)[rng.integers(0, K, size=N)]


def _clear_of_kinks(params, X, hidden):
    """True unless a hidden pre-activation is within MIN_ABS_Z of a ReLU kink."""
    if hidden not in KINKED:
        return True
    _, cache = S.forward(params, X, hidden)
    return all(np.min(np.abs(Z)) > MIN_ABS_Z for Z in cache["Z"][1:-1])


def _network(rng, sizes, N, hidden, scale=1.0, last_scale=1.0, dtype=np.float64):
    """(params, X, Y) with every hidden |Z| > MIN_ABS_Z for the kinked activations."""
    while True:
        params = _random_params(rng, sizes, scale)
        W, b = params[-1]
        params[-1] = (W * last_scale, b)
        X = rng.normal(0.0, 1.5, size=(N, sizes[0])).astype(dtype)
        if _clear_of_kinks(params, X, hidden):
            return params, X, _one_hot(rng, N, sizes[-1])


MISTAKES = {
    "no_mean": "dZ^[L] = A^[L] - Y without the division by N: the loss is the MEAN over "
               "the batch, so dZ^[L] = (A^[L] - Y) / N",
    "sign": "the sign is flipped at the start: dZ^[L] = (A^[L] - Y) / N, not (Y - A^[L]) / N",
    "mean_twice": "the mean over the batch is taken twice (divided by N^2): dZ^[L] already "
                  "holds the 1/N, so dW = dZ.T @ A_prev and db = dZ.sum(0) need no other 1/N",
    "dW_transposed": "dW is transposed: dW^[l] = dZ^[l].T @ A^[l-1] has W's shape "
                     "(n_l, n_{l-1}); A_prev.T @ dZ gives its transpose",
    "db_one_row": "db^[l] uses one row of dZ^[l] (one sample): db^[l] = dZ^[l].sum(axis=0) "
                  "adds the rows of all N samples",
    "g_prime_at_A": "g' is evaluated at A (the activation) instead of Z: "
                    "dZ^[l-1] = (dZ^[l] @ W^[l]) * g'(Z^[l-1])",
    "no_g_prime": "the factor g'(Z^[l-1]) is missing in a hidden layer: "
                  "dZ^[l-1] = (dZ^[l] @ W^[l]) * g'(Z^[l-1])",
    "W_not_transposed": "W is transposed when the gradient goes back: in row form "
                        "dA^[l-1] = dZ^[l] @ W^[l] (not W^[l].T)",
}


def backward_variant(params, X, Y, hidden, mistake=None):
    """The engine's forward, then a backward pass with one known mistake (None: correct)."""
    A_L, cache = S.forward(params, X, hidden)
    A, Z = cache["A"], cache["Z"]
    g_prime = S.get_activation(hidden)[1]
    N, L = A_L.shape[0], len(params)
    dZ = {"no_mean": A_L - Y, "sign": (Y - A_L) / N,
          "mean_twice": (A_L - Y) / N ** 2}.get(mistake, (A_L - Y) / N)
    grads = [None] * L
    for l in range(L, 0, -1):
        dW = A[l - 1].T @ dZ if mistake == "dW_transposed" else dZ.T @ A[l - 1]
        db = dZ[0].copy() if mistake == "db_one_row" else dZ.sum(axis=0)
        grads[l - 1] = (dW, db)
        if l > 1:
            W = params[l - 1][0]
            dA = dZ @ W.T if mistake == "W_not_transposed" else dZ @ W
            if mistake == "no_g_prime":
                dZ = dA
            elif mistake == "g_prime_at_A":
                dZ = dA * g_prime(A[l - 1])
            else:
                dZ = dA * g_prime(Z[l - 1])
    return grads


def _all_square_after_first(sizes):
    """W^[l] square for l >= 2, so a missing .T in dZ @ W does not raise."""
    return len(set(sizes[1:])) == 1


def _backward_case(rng, sizes, N, hidden, note="", **network):
    params, X, Y = _network(rng, sizes, N, hidden, **network)
    expected = S.backward(params, S.forward(params, X, hidden)[1], Y, hidden)
    names = ["sign", "dW_transposed"]
    if N > 1:
        names += ["db_one_row", "no_mean", "mean_twice"]
    if len(sizes) > 2:
        names.append("no_g_prime")
        if hidden not in KINKED:  # for (leaky) ReLU, g'(A) happens to equal g'(Z)
            names.append("g_prime_at_A")
        if _all_square_after_first(sizes):
            names.append("W_not_transposed")
    candidates = [(backward_variant(params, X, Y, hidden, m), MISTAKES[m]) for m in names]
    label = f"sizes {list(sizes)}, hidden={hidden!r}, N = {N}{note}"
    options = {"candidates": candidates, "names": ("dW", "db")}
    if N > 1:
        options["factors"] = {"N, the batch size": N}
    if X.dtype == np.float32:
        options.update(rtol=1e-5, atol=1e-7)
    return case(label, (params, X, Y), expected, kind="pairs", kwargs={"hidden": hidden},
                protocol="backward", **options)


def _backward_cases(rng):
    return [
        _backward_case(rng, [4, 3], 5, "sigmoid", ", one layer (softmax regression)"),
        _backward_case(rng, [3, 5, 2], 1, "tanh", ", a single sample"),
        _backward_case(rng, [2, 8, 6, 4], 16, "relu"),
        _backward_case(rng, [5, 4, 4, 4, 4], 2, "leaky_relu", ", four layers"),
        _backward_case(rng, [4, 4, 4], 5, "sigmoid", ", square weight matrices"),
        _backward_case(rng, [6, 7, 3], 16, "sigmoid", ", float32 X", dtype=np.float32),
        _backward_case(rng, [3, 1, 6, 2], 5, "tanh", ", a hidden layer of width 1"),
        _backward_case(rng, [4, 6, 5], 5, "relu", ", large logits (softmax saturates)",
                       last_scale=40.0),
    ]


# ---------------------------------------------------------------------------
# gd_step
# ---------------------------------------------------------------------------

def _gd_step_cases(rng):
    out = []
    for sizes, lr in [([3, 4, 2], 0.1), ([5, 2], 1.0), ([2, 8, 6, 3], 0.01), ([1, 1, 1], 0.5),
                      ([4, 3, 3], 2.5)]:
        params = _random_params(rng, sizes)
        grads = _random_params(rng, sizes)
        candidates = [
            ([(W + lr * dW, b + lr * db) for (W, b), (dW, db) in zip(params, grads)],
             "the update goes uphill: gradient DEScent subtracts, W - lr * dW"),
            ([(W - lr * dW, b) for (W, b), (dW, db) in zip(params, grads)],
             "the biases are not updated: b - lr * db as well"),
        ]
        if lr != 1.0:
            candidates.append(([(W - dW, b - db) for (W, b), (dW, db) in zip(params, grads)],
                               "the learning rate lr is not used: W - lr * dW"))
        new = S.gd_step(params, grads, lr)
        scaled = [(lr * dW, lr * db) for dW, db in grads]
        # kept: the protocol also returns params and grads as they are after the call.
        out.append(case(f"sizes {sizes}, lr = {lr:g}", (params, grads, lr), (new, params, grads),
                        kind=[("the result", "pairs"), ("params after the call", "pairs"),
                              ("grads after the call", "pairs")], kept=[0, 1],
                        **{"the result": {"candidates": candidates},
                           "params after the call": {"candidates": [(new, IN_PLACE)]},
                           "grads after the call": {"names": ("dW", "db"), "candidates": (
                               [(scaled, GRADS_IN_PLACE)] if lr != 1.0 else [])}}))
    return out


# ---------------------------------------------------------------------------
# train
# ---------------------------------------------------------------------------

TRAIN_KIND = [("params", "pairs"), ("losses", "list")]
UPSTREAM = {"forward": 4, "backward": 4, "gd_step": 3}


def _train_passing(params, X, Y, lr, epochs, to_forward, to_backward):
    """train with the hidden activation passed to forward and to backward as given: the
    mistake of leaving one or both at their default, the sigmoid."""
    losses = []
    for _ in range(epochs):
        A_L, cache = forward(params, X, to_forward)
        losses.append(S.cross_entropy(A_L, Y))
        params = gd_step(params, backward(params, cache, Y, to_backward), lr)
    return params, losses


def _ignoring_hidden(params, X, Y, lr, epochs, hidden):
    """[(params, losses, cause)] of the runs that leave `hidden` out somewhere, and their
    replays (a train that ignores hidden gets reference results for what it asks)."""
    if hidden == "sigmoid":
        return [], {}
    runs, replays = [], []
    for to_forward, to_backward, cause in [("sigmoid", "sigmoid", IGNORES_HIDDEN),
                                           ("sigmoid", hidden, FORWARD_NO_HIDDEN),
                                           (hidden, "sigmoid", BACKWARD_NO_HIDDEN)]:
        args = (params, X, Y, lr, epochs, to_forward, to_backward)
        runs.append((*_train_passing(*args), cause))
        replays.append(replayed(_train_passing, args, **UPSTREAM))
    return runs, merge(*replays)


def _same(a, b):
    """Equal up to rounding: numbers, lists of numbers, or lists of (W, b) pairs."""
    if isinstance(a, (list, tuple)) and a and isinstance(a[0], (list, tuple)):
        return all(np.allclose(x, y) for pa, pb in zip(a, b) for x, y in zip(pa, pb))
    return bool(np.allclose(a, b))


def _train_case(rng, sizes, N, lr, epochs, hidden):
    params, X, Y = _network(rng, sizes, N, hidden)
    new, losses = S.train(params, X, Y, lr, epochs, hidden)
    after, later = S.train(params, X, Y, lr, epochs + 1, hidden)
    with np.errstate(all="ignore"):  # going uphill may overflow: a candidate, not an answer
        uphill, uphill_losses = S.train(params, X, Y, -lr, epochs, hidden)
    frozen = float(S.cross_entropy(S.forward(params, X, hidden)[0], Y))
    ignoring, more_replays = _ignoring_hidden(params, X, Y, lr, epochs, hidden)
    options = {
        "params": {"candidates": [
            (uphill, "the update goes uphill (W + lr * dW): descend, W - lr * dW"),
            (params, FROZEN_PARAMS),
        ] + [(p, cause) for p, _, cause in ignoring]},
        "losses": {"candidates": [
            (later[1:], "losses[k] is recorded after the update of epoch k: record the loss "
                        "at the START of each epoch, so losses[0] is the untrained loss"),
            ([frozen] * epochs, FROZEN_LOSSES),
            (uphill_losses, "the loss grows: the update goes uphill (W + lr * dW)"),
        ] + [(ls, cause) for _, ls, cause in ignoring]},
    }
    # A mistake that gives the right answer here (one epoch: a frozen train's losses; no
    # hidden layer: ignoring `hidden`) is no candidate.
    for part, right in (("params", new), ("losses", losses)):
        options[part]["candidates"] = [(v, cause) for v, cause in options[part]["candidates"]
                                       if not _same(v, right)]
    label = (f"sizes {sizes}, hidden={hidden!r}, N = {N}, lr = {lr:g}, epochs = {epochs}")
    replays = replayed(S.train, (params, X, Y, lr, epochs), {"hidden": hidden}, **UPSTREAM)
    return case(label, (params, X, Y, lr, epochs), (new, list(losses)), kind=TRAIN_KIND,
                kwargs={"hidden": hidden}, replays=merge(replays, more_replays), **options)


def _train_cases(rng):
    return [
        _train_case(rng, [2, 5, 3], 8, 0.5, 1, "sigmoid"),
        _train_case(rng, [3, 6, 4, 2], 12, 0.3, 5, "tanh"),
        _train_case(rng, [2, 8, 3], 16, 1.0, 10, "relu"),
        _train_case(rng, [4, 3], 6, 0.2, 3, "leaky_relu"),
        _train_case(rng, [2, 4, 4, 3], 1, 0.5, 4, "sigmoid"),
    ]


# ---------------------------------------------------------------------------
# scalar_chain_grad: x -> z1 = w1 x -> a1 = sigma(z1) -> z2 = w2 a1 -> L = 1/2 (z2 - y)^2
# ---------------------------------------------------------------------------

def _chain_mistakes(x, y, w1, w2):
    """{cause: (dL/dw1, dL/dw2)} of the engine's chain with one known mistake."""
    a1 = float(S.sigmoid(w1 * x))
    d = w2 * a1 - y
    s_a = float(S.sigmoid(a1))
    return {"dL_dw1": {CHAIN_NO_SIGMA_PRIME: d * w2 * x, CHAIN_SIGMA_PRIME_AT_A:
                       d * w2 * s_a * (1 - s_a) * x, CHAIN_NO_X: d * w2 * a1 * (1 - a1)},
            "dL_dw2": {CHAIN_W2_INPUT: d * w1 * x}}


def _scalar_chain_cases(rng):
    out = []
    for _ in range(5):
        x, y, w1, w2 = (float(v) for v in np.round(rng.normal(0, 1.2, 4), 3))
        expected = scalar_chain_grad(x, y, w1, w2)
        wrong = _chain_mistakes(x, y, w1, w2)
        wrong["dL_dw1"][CHAIN_SWAPPED] = expected[1]
        wrong["dL_dw2"][CHAIN_SWAPPED] = expected[0]
        options = {part: {"candidates": [(v, c) for c, v in wrong[part].items()
                                         if not np.isclose(v, e, rtol=1e-5)]}
                   for part, e in zip(("dL_dw1", "dL_dw2"), expected)}
        out.append(case(f"x = {x}, y = {y}, w1 = {w1}, w2 = {w2}", (x, y, w1, w2), expected,
                        kind=[("dL_dw1", "number"), ("dL_dw2", "number")], **options))
    return out


# ---------------------------------------------------------------------------
# backward_mse: protocol "backward" with the student's forward at output="identity"
# ---------------------------------------------------------------------------

MSE_MISTAKES = {"no_mean": MSE_NO_MEAN, "sign": MSE_SIGN, "half": MSE_HALF,
                "output_g_prime": MSE_OUTPUT_G_PRIME}


def mse_variant(params, X, Y, hidden, mistake=None):
    """The engine's forward (identity output), then backward_mse with one known mistake."""
    A_L, cache = S.forward(params, X, hidden, "identity")
    A, Z = cache["A"], cache["Z"]
    g_prime = S.get_activation(hidden)[1]
    N, L = A_L.shape[0], len(params)
    dZ = {"no_mean": A_L - Y, "sign": (Y - A_L) / N, "half": 2 * (A_L - Y) / N,
          "output_g_prime": (A_L - Y) / N * g_prime(Z[L])}.get(mistake, (A_L - Y) / N)
    grads = [None] * L
    for l in range(L, 0, -1):
        dW = A[l - 1].T @ dZ if mistake == "dW_transposed" else dZ.T @ A[l - 1]
        grads[l - 1] = (dW, dZ.sum(axis=0))
        if l > 1:
            dA = dZ @ params[l - 1][0]
            dZ = dA if mistake == "no_g_prime" else dA * g_prime(Z[l - 1])
    return grads


def _mse_via_backward(params, X, Y, hidden):
    """backward_mse written as a call of backward (dZ^[L] = (A^[L] - Y) / N as for softmax
    with cross-entropy): traced, so a wrong backward costs backward_mse nothing."""
    return backward(params, forward(params, X, hidden, "identity")[1], Y, hidden)


def _backward_mse_case(rng, sizes, N, hidden, note=""):
    params, X, _ = _network(rng, sizes, N, hidden)
    Y = rng.normal(0.0, 1.0, size=(N, sizes[-1]))
    expected = backward_mse(params, S.forward(params, X, hidden, "identity")[1], Y, hidden)
    names = ["sign", "half", "dW_transposed", "output_g_prime"] + (["no_mean"] if N > 1 else [])
    if len(sizes) > 2:
        names.append("no_g_prime")
    candidates = [(mse_variant(params, X, Y, hidden, m),
                   MSE_MISTAKES.get(m) or MISTAKES[m]) for m in names]
    options = {"candidates": candidates, "names": ("dW", "db")}
    if N > 1:
        options["factors"] = {"N, the batch size": N}
    replays = replayed(_mse_via_backward, (params, X, Y, hidden), backward=4)
    return case(f"sizes {list(sizes)}, hidden={hidden!r}, N = {N}, identity output, "
                f"real-valued targets{note}", (params, X, Y), expected, kind="pairs",
                kwargs={"hidden": hidden}, protocol="backward", replays=replays, **options)


def _backward_mse_cases(rng):
    return [
        _backward_mse_case(rng, [3, 2], 4, "sigmoid", ", one layer (linear regression)"),
        _backward_mse_case(rng, [4, 5, 3], 1, "tanh", ", a single sample"),
        _backward_mse_case(rng, [2, 6, 4, 1], 8, "relu"),
        _backward_mse_case(rng, [3, 4, 4, 2], 5, "sigmoid"),
        _backward_mse_case(rng, [5, 3, 2], 6, "leaky_relu"),
    ]


# ---------------------------------------------------------------------------
# relative_error, directional_check, planted_bug
# ---------------------------------------------------------------------------

def _relative_error_cases(rng):
    out = []
    for shape, noise, zeros in [((5,), 1e-3, False), ((2, 3), 1e-7, False), ((4,), 0.5, True),
                                ((3, 3), 1e-2, True), ((1,), 1e-5, False)]:
        a = rng.normal(0, 2, shape)
        b = a * (1 + noise * rng.normal(size=shape))
        if zeros:
            a.flat[0] = b.flat[0] = 0.0
            b.flat[-1] = -a.flat[-1]  # opposite signs: a + b = 0 there
        d = np.abs(a - b)
        wrong = {REL_MEAN: float(np.mean(d / np.maximum(1e-8, np.abs(a) + np.abs(b)))),
                 REL_MAX_DENOMINATOR: float(np.max(d / np.maximum(1e-8, np.maximum(
                     np.abs(a), np.abs(b))))),
                 REL_NO_ABS: float(np.max(d / np.maximum(1e-8, a + b)))}
        expected = relative_error(a, b)
        candidates = [(v, c) for c, v in wrong.items() if not np.isclose(v, expected, rtol=1e-5)]
        out.append(case(f"a, b of shape {shape}, relative difference ~{noise:g}"
                        + (", an entry 0 in both and one of opposite signs" if zeros else ""),
                        (a, b), expected, kind="number", candidates=candidates))
    return out


def _directional_cases(rng):
    out = []
    for n, eps, unit, wrong_g in [(3, 1e-4, True, False), (5, 1e-3, False, False),
                                  (4, 1e-5, False, True), (6, 1e-4, True, True)]:
        B = rng.normal(size=(n, n))
        M = B @ B.T / n + np.eye(n)
        c, x = rng.normal(size=n), rng.normal(size=n)
        g = _qf_grad(M, c, x) + (rng.normal(0, 0.5, n) if wrong_g else 0.0)
        v = rng.normal(size=n)
        if unit:
            v /= np.linalg.norm(v)

        def f(u, M=M, c=c):
            return _qf(M, c, u)
        num, ana = directional_check(f, x, g, v, eps)
        u = v / np.linalg.norm(v)
        wrong = {DIR_ONE_EPS: (2 * num, ana),
                 DIR_FORWARD: ((f(x + eps * v) - f(x)) / eps, ana),
                 DIR_SUM_G: (num, float(np.sum(g)))}
        if not unit:
            wrong[DIR_NORMALIZED] = directional_check(f, x, g, u, eps)
        options = {"numeric": {"rtol": 1e-6, "atol": 1e-8, "candidates": []},
                   "analytic": {"candidates": []}}
        for cause, pair in wrong.items():
            for part, value, right in zip(("numeric", "analytic"), pair, (num, ana)):
                if not np.isclose(value, right, rtol=1e-5, atol=1e-8):
                    options[part]["candidates"].append((value, cause))
        label = (f"f(x) = 1/2 x.M x + c.x + sum(sin x), n = {n}, eps = {eps:g}, "
                 f"{'a unit' if unit else 'a non-unit'} v, g "
                 f"{'with errors' if wrong_g else 'the exact gradient'}")
        out.append(case(label, (M, c, x, g, v, eps), ((num, ana), x), kept=[2],
                        kind=[("the result", [("numeric", "number"), ("analytic", "number")]),
                              ("x after the call", "array")],
                        **{"the result": options,
                           "x after the call": {"exact": True, "candidates": [
                               (x + eps * v, DIR_X_CHANGED), (x - eps * v, DIR_X_CHANGED),
                               (x, DIR_X_CHANGED)]}}))
    return out


def _planted_bug_cases():
    return [case("the layer l and array k of buggy_backward's wrong gradient", (),
                 planted_bug(), kind=[("l", "int"), ("k", "int")],
                 l={"candidates": [(planted_bug()[0] - 1, BUG_LAYER_FROM_0)]},
                 k={"candidates": [(1 - planted_bug()[1], BUG_OTHER_ARRAY)]})]


# ---------------------------------------------------------------------------
# minibatches: checked through bpcheck.backprop.minibatch_record (a summary of the batches)
# ---------------------------------------------------------------------------

def _minibatch_cases():
    out = []
    for N, batch_size, seed in [(100, 32, 7), (64, 16, 3), (7, 10, 5), (300, 20, 11),
                                (33, 8, 4)]:
        order = minibatches(N, batch_size, np.random.default_rng(seed))
        shuffled = int(not np.array_equal(np.concatenate(order), np.arange(N)))
        assert shuffled, (N, seed)  # so "not shuffled" is a mistake in every case
        options = {"the batch sizes": {"kinds": "iu", "exact": True,
                                       "shape_causes": size_causes(N, batch_size)},
                   **MINIBATCH_OPTIONS}
        out.append(case(f"N = {N}, batch_size = {batch_size}, rng = default_rng({seed})",
                        (N, batch_size, seed), (minibatch_sizes(N, batch_size), 1, 1, 1),
                        kind=[(p, "array" if i == 0 else "int")
                              for i, p in enumerate(MINIBATCH_PARTS)], **options))
    return out


def cases():
    rng = np.random.default_rng(505)
    return {
        "numerical_gradient": _numerical_gradient_cases(rng),
        "backward": _backward_cases(rng),
        "gd_step": _gd_step_cases(rng),
        "train": _train_cases(rng),
        "scalar_chain_grad": _scalar_chain_cases(rng),
        "backward_mse": _backward_mse_cases(rng),
        "relative_error": _relative_error_cases(rng),
        "directional_check": _directional_cases(rng),
        "planted_bug": _planted_bug_cases(),
        "minibatches": _minibatch_cases(),
    }
