"""Hidden cases for notebook 05: numerical_gradient, relative_error, directional_check,
scalar_chain_grad, backward, backward_mse, planted_bug, gd_step, train, minibatches.

Every expected value comes from the reference engine (``solutions``); every
candidate is the engine's computation with one known mistake, written out below
(instructor side only), so the feedback can name the mistake: a cause key, worded in
bpcheck.backprop.CAUSES. ``visible()`` gives the visible checks' cases the same way
(generated into bpcheck/backprop_cases.py). Architectures,
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

from ...checks.backprop import (CAUSES, CHAIN_PARTS, DIR_PARTS, GD_PARTS, MINIBATCH_OPTIONS,
                                MINIBATCH_PARTS, TRAIN_PARTS, cubic, named, size_causes)
from ...checks.numgrad import quadratic
from ..oracle import case
from ..replay import merge, replayed

HIDDEN = ("sigmoid", "tanh", "relu", "leaky_relu")
KINKED = ("relu", "leaky_relu")
MIN_ABS_Z = 1e-3
NG_RTOL, NG_ATOL = 1e-5, 1e-7  # central differences: O(eps^2) truncation + O(u / eps) rounding


# ---------------------------------------------------------------------------
# numerical_gradient: protocol "quadratic_form", f(x) = 1/2 x.M x + c.x + sum(sin x)
# ---------------------------------------------------------------------------

def _qf_grad(M, c, x):
    """The exact gradient: 1/2 (M + M^T) x + c + cos x, shaped like x."""
    return (0.5 * (M + M.T) @ x.ravel()).reshape(x.shape) + c + np.cos(x)


def differences(f, x, eps, mistake=None):
    """The engine's central differences with one known mistake, on a copy of x."""
    x = np.array(x, dtype=np.float64)
    f_x = f(x)
    grad = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        f_plus = f(x)
        if mistake == "ng_forward":
            x[i] = old
            grad[i] = (f_plus - f_x) / eps
            continue
        x[i] = old - eps
        f_minus = f(x)
        if mistake != "not_restored":
            x[i] = old
        grad[i] = (f_plus - f_minus) / (eps if mistake == "ng_one_eps" else 2 * eps)
    return grad


def ng_mistakes(f, x, eps, expected):
    """{cause: the gradient with that mistake}, for those outside the tolerance (at eps =
    1e-6 forward differences are within it: not a mistake there)."""
    out = {key: differences(f, x, eps, key) for key in ("ng_forward", "ng_one_eps",
                                                        "not_restored")}
    return {key: v for key, v in out.items()
            if np.any(np.abs(v - expected) > NG_ATOL + NG_RTOL * np.abs(expected))}


def _numerical_gradient_cases(rng):
    out = []
    for shape, eps in [((4,), 1e-4), ((2, 3), 1e-4), ((1,), 1e-6), ((2, 2, 2), 1e-5),
                       ((6,), 1e-4), ((3, 1), 1e-6)]:
        n = int(np.prod(shape))
        B = rng.normal(size=(n, n))
        M = B @ B.T / n + np.eye(n) + 0.3 * rng.normal(size=(n, n))  # not symmetric
        c = rng.normal(size=shape)
        x = rng.normal(size=shape)
        expected = _qf_grad(M, c, x)
        candidates = named(ng_mistakes(quadratic(M, c), x, eps, expected))
        # The protocol returns (gradient, x after the call): x must come back unchanged,
        # exactly; x itself is a candidate too, for an x that is off by rounding only.
        x_changed = CAUSES["x_changed"]
        out.append(case(f"f(x) = 1/2 x.M x + c.x + sum(sin x), x of shape {shape}, eps = {eps:g}",
                        (M, c, x, eps), (expected, x), protocol="quadratic_form", kept=[1],
                        kind=[("the gradient", "array"), ("x after the call", "array")],
                        **{"the gradient": {"rtol": NG_RTOL, "atol": NG_ATOL,
                                            "candidates": candidates},
                           "x after the call": {"exact": True, "candidates": [
                               (x - eps, x_changed), (x + eps, x_changed), (x, x_changed)]}}))
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
    candidates = [(backward_variant(params, X, Y, hidden, m), CAUSES[m]) for m in names]
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

def gd_mistakes(params, grads, lr):
    """{part: {cause: that part with the mistake}}, the parts of GD_PARTS."""
    pairs = list(zip(params, grads))
    result = {"uphill": [(W + lr * dW, b + lr * db) for (W, b), (dW, db) in pairs],
              "no_bias_step": [(W - lr * dW, b) for (W, b), (dW, db) in pairs]}
    if lr != 1.0:
        result["no_lr"] = [(W - dW, b - db) for (W, b), (dW, db) in pairs]
    scaled = {"grads_in_place": [(lr * dW, lr * db) for dW, db in grads]} if lr != 1.0 else {}
    return dict(zip(GD_PARTS, (result, {"in_place": S.gd_step(params, grads, lr)}, scaled)))


def _gd_step_cases(rng):
    out = []
    for sizes, lr in [([3, 4, 2], 0.1), ([5, 2], 1.0), ([2, 8, 6, 3], 0.01), ([1, 1, 1], 0.5),
                      ([4, 3, 3], 2.5)]:
        params = _random_params(rng, sizes)
        grads = _random_params(rng, sizes)
        mistakes = gd_mistakes(params, grads, lr)
        options = {part: {"candidates": named(mistakes[part])} for part in GD_PARTS}
        options[GD_PARTS[2]]["names"] = ("dW", "db")
        # kept: the protocol also returns params and grads as they are after the call.
        out.append(case(f"sizes {sizes}, lr = {lr:g}", (params, grads, lr),
                        (S.gd_step(params, grads, lr), params, grads),
                        kind=[(part, "pairs") for part in GD_PARTS], kept=[0, 1], **options))
    return out


# ---------------------------------------------------------------------------
# train
# ---------------------------------------------------------------------------

TRAIN_KIND = list(zip(TRAIN_PARTS, ("pairs", "list")))
UPSTREAM = {"forward": 4, "backward": 4, "gd_step": 3}
# train's mistakes of leaving `hidden` out: (what forward gets, what backward gets), None
# standing for `hidden` itself.
IGNORING = {"ignores_hidden": ("sigmoid", "sigmoid"), "forward_no_hidden": ("sigmoid", None),
            "backward_no_hidden": (None, "sigmoid")}


def _train_passing(params, X, Y, lr, epochs, to_forward, to_backward):
    """train with the hidden activation passed to forward and to backward as given: the
    mistake of leaving one or both at their default, the sigmoid."""
    losses = []
    for _ in range(epochs):
        A_L, cache = forward(params, X, to_forward)
        losses.append(S.cross_entropy(A_L, Y))
        params = gd_step(params, backward(params, cache, Y, to_backward), lr)
    return params, losses


def _ignoring(params, X, Y, lr, epochs, hidden):
    """{cause: the arguments of _train_passing} of the runs that leave `hidden` out."""
    if hidden == "sigmoid":
        return {}
    return {key: (params, X, Y, lr, epochs, to_forward or hidden, to_backward or hidden)
            for key, (to_forward, to_backward) in IGNORING.items()}


def _same(a, b):
    """Equal up to rounding: numbers, lists of numbers, or lists of (W, b) pairs."""
    if isinstance(a, (list, tuple)) and a and isinstance(a[0], (list, tuple)):
        return all(np.allclose(x, y) for pa, pb in zip(a, b) for x, y in zip(pa, pb))
    return bool(np.allclose(a, b))


def train_mistakes(params, X, Y, lr, epochs, hidden):
    """{part: {cause: that part of train's result with the mistake}}; a mistake that gives
    the right part here (one epoch: a frozen train's losses; no hidden layer: ignoring
    `hidden`) is left out."""
    new, losses = S.train(params, X, Y, lr, epochs, hidden)
    later = S.train(params, X, Y, lr, epochs + 1, hidden)[1]
    with np.errstate(all="ignore"):  # going uphill may overflow: a candidate, not an answer
        uphill, uphill_losses = S.train(params, X, Y, -lr, epochs, hidden)
    frozen = float(S.cross_entropy(S.forward(params, X, hidden)[0], Y))
    wrong = {"params": {"uphill": uphill, "frozen_params": params},
             "losses": {"losses_after": later[1:], "frozen_losses": [frozen] * epochs,
                        "uphill": uphill_losses}}
    for key, args in _ignoring(params, X, Y, lr, epochs, hidden).items():
        wrong["params"][key], wrong["losses"][key] = _train_passing(*args)
    return {part: {key: v for key, v in wrong[part].items() if not _same(v, right)}
            for part, right in zip(TRAIN_PARTS, (new, losses))}


def _train_case(rng, sizes, N, lr, epochs, hidden):
    params, X, Y = _network(rng, sizes, N, hidden)
    new, losses = S.train(params, X, Y, lr, epochs, hidden)
    mistakes = train_mistakes(params, X, Y, lr, epochs, hidden)
    label = (f"sizes {sizes}, hidden={hidden!r}, N = {N}, lr = {lr:g}, epochs = {epochs}")
    # a train that ignores hidden gets reference results for what it asks
    replays = [replayed(S.train, (params, X, Y, lr, epochs), {"hidden": hidden}, **UPSTREAM)]
    replays += [replayed(_train_passing, args, **UPSTREAM)
                for args in _ignoring(params, X, Y, lr, epochs, hidden).values()]
    return case(label, (params, X, Y, lr, epochs), (new, list(losses)), kind=TRAIN_KIND,
                kwargs={"hidden": hidden}, replays=merge(*replays),
                **{part: {"candidates": named(mistakes[part])} for part in TRAIN_PARTS})


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

CHAIN_KEYS = ("chain_no_sigma_prime", "chain_sigma_prime_at_a", "chain_no_x",
              "chain_w2_input", "chain_swapped")


def chain_variant(x, y, w1, w2, mistake=None):
    """(dL/dw1, dL/dw2) of the engine's chain with one known mistake (None: correct)."""
    a1 = float(S.sigmoid(w1 * x))
    d = w2 * a1 - y
    s = float(S.sigmoid(a1)) if mistake == "chain_sigma_prime_at_a" else a1
    prime = 1.0 if mistake == "chain_no_sigma_prime" else s * (1 - s)
    dw1 = d * w2 * prime * (1.0 if mistake == "chain_no_x" else x)
    dw2 = d * (w1 * x if mistake == "chain_w2_input" else a1)
    return (dw2, dw1) if mistake == "chain_swapped" else (dw1, dw2)


def chain_mistakes(x, y, w1, w2, expected):
    """{part: {cause: that derivative with the mistake}} where it differs from the right one."""
    out = {part: {} for part in CHAIN_PARTS}
    for key in CHAIN_KEYS:
        for part, value, right in zip(CHAIN_PARTS, chain_variant(x, y, w1, w2, key), expected):
            if not np.isclose(value, right, rtol=1e-5):
                out[part][key] = value
    return out


def _scalar_chain_cases(rng):
    out = []
    for _ in range(5):
        x, y, w1, w2 = (float(v) for v in np.round(rng.normal(0, 1.2, 4), 3))
        expected = scalar_chain_grad(x, y, w1, w2)
        mistakes = chain_mistakes(x, y, w1, w2, expected)
        out.append(case(f"x = {x}, y = {y}, w1 = {w1}, w2 = {w2}", (x, y, w1, w2), expected,
                        kind=[(part, "number") for part in CHAIN_PARTS],
                        **{part: {"candidates": named(mistakes[part])} for part in CHAIN_PARTS}))
    return out


# ---------------------------------------------------------------------------
# backward_mse: protocol "backward" with the student's forward at output="identity"
# ---------------------------------------------------------------------------

def mse_variant(params, X, Y, hidden, mistake=None):
    """The engine's forward (identity output), then backward_mse with one known mistake."""
    A_L, cache = S.forward(params, X, hidden, "identity")
    A, Z = cache["A"], cache["Z"]
    g_prime = S.get_activation(hidden)[1]
    N, L = A_L.shape[0], len(params)
    dZ = {"mse_no_mean": A_L - Y, "mse_sign": (Y - A_L) / N, "mse_half": 2 * (A_L - Y) / N,
          "mse_output_g_prime": (A_L - Y) / N * g_prime(Z[L])}.get(mistake, (A_L - Y) / N)
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
    names = ["mse_sign", "mse_half", "dW_transposed", "mse_output_g_prime"] + (
        ["mse_no_mean"] if N > 1 else [])
    if len(sizes) > 2:
        names.append("no_g_prime")
    candidates = [(mse_variant(params, X, Y, hidden, m), CAUSES[m]) for m in names]
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

REL_KEYS = ("rel_mean", "rel_max_denominator", "rel_no_abs")


def relative_variant(a, b, mistake=None):
    """CS231n's relative error with one known mistake (None: correct)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    den = {"rel_max_denominator": np.maximum(np.abs(a), np.abs(b)),
           "rel_no_abs": a + b}.get(mistake, np.abs(a) + np.abs(b))
    with np.errstate(all="ignore"):
        ratio = np.abs(a - b) / (den if mistake == "rel_no_floor" else np.maximum(1e-8, den))
    return float(np.mean(ratio) if mistake == "rel_mean" else np.max(ratio))


def rel_mistakes(a, b, expected):
    out = {key: relative_variant(a, b, key) for key in REL_KEYS}
    return {key: v for key, v in out.items() if not np.isclose(v, expected, rtol=1e-5)}


def _relative_error_cases(rng):
    out = []
    for shape, noise, zeros in [((5,), 1e-3, False), ((2, 3), 1e-7, False), ((4,), 0.5, True),
                                ((3, 3), 1e-2, True), ((1,), 1e-5, False)]:
        a = rng.normal(0, 2, shape)
        b = a * (1 + noise * rng.normal(size=shape))
        if zeros:
            a.flat[0] = b.flat[0] = 0.0
            b.flat[-1] = -a.flat[-1]  # opposite signs: a + b = 0 there
        expected = relative_error(a, b)
        out.append(case(f"a, b of shape {shape}, relative difference ~{noise:g}"
                        + (", an entry 0 in both and one of opposite signs" if zeros else ""),
                        (a, b), expected, kind="number",
                        candidates=named(rel_mistakes(a, b, expected))))
    return out


DIR_KEYS = ("dir_one_eps", "dir_forward", "dir_sum_g", "dir_normalized")


def directional_variant(f, x, g, v, eps, mistake=None):
    """(numeric, analytic) of the engine's directional_check with one known mistake."""
    if mistake == "dir_normalized":
        v = v / np.linalg.norm(v)
    plus, minus = float(f(x + eps * v)), float(f(x - eps * v))
    numeric = ((plus - float(f(x))) / eps if mistake == "dir_forward" else
               (plus - minus) / (eps if mistake == "dir_one_eps" else 2 * eps))
    return numeric, float(np.sum(g) if mistake == "dir_sum_g" else np.sum(g * v))


def dir_mistakes(f, x, g, v, eps, expected):
    """{part: {cause: that side of directional_check with the mistake}} where it differs."""
    out = {part: {} for part in DIR_PARTS}
    for key in DIR_KEYS:
        for part, value, right in zip(DIR_PARTS, directional_variant(f, x, g, v, eps, key),
                                      expected):
            if not np.isclose(value, right, rtol=1e-5, atol=1e-8):
                out[part][key] = value
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
        f = quadratic(M, c)
        expected = directional_check(f, x, g, v, eps)
        mistakes = dir_mistakes(f, x, g, v, eps, expected)
        options = {"numeric": {"rtol": 1e-6, "atol": 1e-8}, "analytic": {}}
        for part in DIR_PARTS:
            options[part]["candidates"] = named(mistakes[part])
        label = (f"f(x) = 1/2 x.M x + c.x + sum(sin x), n = {n}, eps = {eps:g}, "
                 f"{'a unit' if unit else 'a non-unit'} v, g "
                 f"{'with errors' if wrong_g else 'the exact gradient'}")
        x_changed = CAUSES["dir_x_changed"]
        out.append(case(label, (M, c, x, g, v, eps), (expected, x), kept=[2],
                        kind=[("the result", [(part, "number") for part in DIR_PARTS]),
                              ("x after the call", "array")],
                        **{"the result": options,
                           "x after the call": {"exact": True, "candidates": [
                               (x + eps * v, x_changed), (x - eps * v, x_changed),
                               (x, x_changed)]}}))
    return out


def _planted_bug_cases():
    return [case("the layer l and array k of buggy_backward's wrong gradient", (),
                 planted_bug(), kind=[("l", "int"), ("k", "int")],
                 l={"candidates": [(planted_bug()[0] - 1, CAUSES["bug_layer_from_0"])]},
                 k={"candidates": [(1 - planted_bug()[1], CAUSES["bug_other_array"])]})]


# ---------------------------------------------------------------------------
# minibatches: checked through bpcheck.backprop.minibatch_record, whose summary has the
# parts MINIBATCH_PARTS
# ---------------------------------------------------------------------------

def batch_sizes(N, batch_size, seed):
    """The engine's batch sizes."""
    return np.array([b.size for b in minibatches(N, batch_size, np.random.default_rng(seed))],
                    dtype=np.int64)


def _minibatch_cases():
    out = []
    for N, batch_size, seed in [(100, 32, 7), (64, 16, 3), (7, 10, 5), (300, 20, 11),
                                (33, 8, 4)]:
        order = minibatches(N, batch_size, np.random.default_rng(seed))
        shuffled = int(not np.array_equal(np.concatenate(order), np.arange(N)))
        assert shuffled, (N, seed)  # so "not shuffled" is a mistake in every case
        options = {MINIBATCH_PARTS[0]: {"kinds": "iu", "exact": True,
                                        "shape_causes": size_causes(N, batch_size)},
                   **MINIBATCH_OPTIONS}
        out.append(case(f"N = {N}, batch_size = {batch_size}, rng = default_rng({seed})",
                        (N, batch_size, seed), (batch_sizes(N, batch_size, seed), 1, 1, 1),
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


# --------------------------------------------------------------- the visible cases
# f(x) = sum(x^3) + x.M.x (bpcheck.backprop.cubic) for numerical_gradient and
# directional_check; a 2-3-2 network with round weights for gd_step and train.
CUBIC_M = np.array([[2.0, 0.5, 0.0], [0.5, 1.0, -0.3], [0.0, -0.3, 3.0]])
CUBIC_X = np.array([0.7, -1.2, 0.4])
P0 = [(np.array([[-0.8, -1.32], [-0.25, 0.42], [1.14, 0.11]]), np.array([-0.55, -0.78, 0.75])),
      (np.array([[1.63, 0.27, -1.23], [-0.96, 1.6, 0.2]]), np.array([-1.73, -0.08]))]
G0 = [(np.array([[-0.1, 0.1], [0.09, 0.02], [0.06, -0.02]]), np.array([-0.15, 0.11, 0.08])),
      (np.array([[-0.13, -0.12, -0.35], [0.13, 0.12, 0.35]]), np.array([-0.41, 0.41]))]
X0 = np.array([[0.5, -1.0], [1.5, 0.2], [-0.3, 0.8], [1.0, 1.0]])
Y0 = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 1.0], [1.0, 0.0]])


def _cubic_grad(M, x):
    return 3 * x ** 2 + (M + M.T) @ x


def _visible_numerical_gradient():
    eps = 1e-3
    expected = _cubic_grad(CUBIC_M, CUBIC_X)
    C = np.array([[1.0, -2.0, 0.5], [3.0, 0.25, -1.0]])
    X = np.array([[0.3, -0.7, 1.1], [0.2, 0.9, -0.4]])
    return [
        dict(label="f(x) = sum(x^3) + x.M.x at x = [0.7, -1.2, 0.4], eps = 1e-3",
             args=(CUBIC_M, CUBIC_X, eps), expected=expected,
             mistakes=ng_mistakes(cubic(CUBIC_M), CUBIC_X, eps, expected)),
        dict(label="f(X) = sum(C * X^2 + sin X) for X of shape (2, 3), eps = 1e-5",
             args=(C, X, 1e-5), expected=2 * C * X + np.cos(X)),
    ]


def _visible_directional():
    g = _cubic_grad(CUBIC_M, CUBIC_X)
    out = []
    for label, g, v, eps in [
            ("f(x) = sum(x^3) + x.M.x at x = [0.7, -1.2, 0.4], g = its gradient, "
             "v = [0.6, 0, -0.8], eps = 1e-3", g, np.array([0.6, 0.0, -0.8]), 1e-3),
            ("the same f and x, g with a wrong entry [3.07, 2.88, 3.6], v = [1, 2, -2], "
             "eps = 1e-4", g + np.array([0.0, 0.5, 0.0]), np.array([1.0, 2.0, -2.0]), 1e-4)]:
        f = cubic(CUBIC_M)
        expected = directional_check(f, CUBIC_X, g, v, eps)
        out.append(dict(label=label, args=(CUBIC_M, CUBIC_X, g, v, eps), expected=expected,
                        mistakes=dir_mistakes(f, CUBIC_X, g, v, eps, expected)))
    return out


def _visible_train(label, hidden, lr=0.5, epochs=5):
    new, losses = S.train(P0, X0, Y0, lr, epochs, hidden)
    return dict(label=label, args=(P0, X0, Y0, lr, epochs), hidden=hidden,
                expected=(new, list(losses)),
                mistakes=train_mistakes(P0, X0, Y0, lr, epochs, hidden))


def _visible_relative_error():
    out = []
    for label, a, b in [
            ("a = [1.0, -2.0, 0.5], b = [1.0001, -2.0, 0.5]", [1.0, -2.0, 0.5],
             [1.0001, -2.0, 0.5]),
            ("a = [[3.0, -1.0], [0.0, 2.0]], b = [[3.0, 1.0], [0.0, 2.0]] (an entry of opposite "
             "sign, and 0 = 0)", [[3.0, -1.0], [0.0, 2.0]], [[3.0, 1.0], [0.0, 2.0]]),
            ("a = b = [0.0, 0.0, 0.0]", [0.0, 0.0, 0.0], [0.0, 0.0, 0.0])]:
        a, b = np.array(a), np.array(b)
        expected = relative_error(a, b)
        out.append(dict(label=label, args=(a, b), expected=expected,
                        mistakes=rel_mistakes(a, b, expected)))
    return out


def _visible_chain(x, y, w1, w2):
    expected = scalar_chain_grad(x, y, w1, w2)
    return dict(label=f"x = {x}, y = {y}, w1 = {w1}, w2 = {w2}", args=(x, y, w1, w2),
                expected=expected, mistakes=chain_mistakes(x, y, w1, w2, expected))


def visible():
    """The cases of the visible checks (generated into bpcheck/backprop_cases.py)."""
    return {
        "numerical_gradient": _visible_numerical_gradient(),
        "gd_step": [dict(label="a 2-3-2 network, lr = 0.1", args=(P0, G0, 0.1),
                         expected=S.gd_step(P0, G0, 0.1), mistakes=gd_mistakes(P0, G0, 0.1))],
        "train": [_visible_train("a 2-3-2 network, 4 samples, lr = 0.5, 5 epochs, "
                                 "hidden='sigmoid'", "sigmoid"),
                  _visible_train("the same network and data, hidden='tanh'", "tanh")],
        "scalar_chain_grad": [_visible_chain(*args) for args in [
            (1.5, 0.5, 0.8, -1.2), (-2.0, 1.0, 0.3, 2.0), (0.5, -0.3, -1.1, 0.7)]],
        "relative_error": _visible_relative_error(),
        "directional_check": _visible_directional(),
        "minibatches": [dict(label=f"N = {N}, batch_size = {batch_size}, "
                                   f"rng = np.random.default_rng({seed})",
                             args=(N, batch_size, seed),
                             expected=(batch_sizes(N, batch_size, seed), 1, 1, 1))
                        for N, batch_size, seed in [(10, 4, 0), (12, 4, 1), (5, 8, 2)]],
    }
