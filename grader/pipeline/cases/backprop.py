"""Hidden cases for notebook 05: numerical_gradient, relative_error, directional_check,
scalar_chain_grad, backward, backward_mse, planted_bug, gd_step, train, minibatches.

Every expected value comes from the reference engine (``solutions``); every
candidate is the engine's computation with one known mistake, written out below
(instructor side only), so the feedback can name the mistake: a cause key, worded in
CAUSES below. ``visible()`` gives the visible checks' cases the same way (generated,
with CAUSES, into bpcheck/backprop_cases.py). Architectures, activations and batch
sizes are drawn from one fixed seed. In the ReLU and leaky ReLU cases every hidden
pre-activation satisfies |Z| > 1e-3, so an implementation that differs by rounding
never lands on the other side of a kink.
"""
import numpy as np

import solutions as S
from solutions import backward, forward, gd_step  # looked up by _train_passing: traced
from solutions.gradcheck import directional_check, planted_bug, relative_error
from solutions.network import backward_mse, scalar_chain_grad
from solutions.training import minibatches

from ...checks.backprop import BACKWARD_HINTS, MINIBATCH_PARTS
from ...checks.numgrad import quadratic
from ..oracle import case
from ..replay import merge, replayed

# What each typical mistake looks like, in the student's words: the visible checks and the
# hidden cases name them alike (this table makes each mistake with the engine).
CAUSES = {
    # numerical_gradient
    "ng_forward": "forward differences (f(x + eps) - f(x)) / eps: their error is O(eps); use "
                  "central differences (f(x + eps) - f(x - eps)) / (2 eps), error O(eps^2)",
    "ng_one_eps": "the difference f(x + eps) - f(x - eps) is divided by eps instead of 2 eps",
    "not_restored": "x[i] is not restored after its two evaluations (x[i] = old), so every "
                    "later entry is computed at a shifted point and x comes back changed",
    "x_changed": "x comes back changed: put each entry back exactly after its two evaluations, "
                 "x[i] = old (a missing restore leaves x[i] - eps; x[i] += eps then -= eps "
                 "leaves rounding errors)",
    # backward (softmax output, mean cross-entropy)
    "no_mean": "dZ^[L] = A^[L] - Y without the division by N: the loss is the MEAN over "
               "the batch, so dZ^[L] = (A^[L] - Y) / N",
    "sign": "the sign is flipped at the start: dZ^[L] = (A^[L] - Y) / N, not (Y - A^[L]) / N",
    "mean_twice": "the mean over the batch is taken twice (divided by N^2): dZ^[L] already "
                  "holds the 1/N, so dW = dZ.T @ A_prev and db = dZ.sum(0) need no other 1/N",
    "dW_transposed": "dW is transposed: dW^[l] = dZ^[l].T @ A^[l-1] has W's shape "
                     "(n_l, n_{l-1}); A_prev.T @ dZ gives its transpose",
    "db_one_row": "db^[l] is the gradient of the first sample only (one row of dZ^[l]): "
                  "db^[l] = dZ^[l].sum(axis=0) adds the rows of all N samples",
    "g_prime_at_A": "g' is evaluated at A (the activation) instead of Z: "
                    "dZ^[l-1] = (dZ^[l] @ W^[l]) * g'(Z^[l-1])",
    "no_g_prime": "the factor g'(Z^[l-1]) is missing in a hidden layer: "
                  "dZ^[l-1] = (dZ^[l] @ W^[l]) * g'(Z^[l-1])",
    "W_not_transposed": "W is transposed when the gradient goes back: in row form "
                        "dA^[l-1] = dZ^[l] @ W^[l] (not W^[l].T)",
    # backward_mse (identity output, L = 1/(2N) sum ||A^[L] - Y||^2)
    "mse_half": "dZ^[L] is twice too large: the 1/2 in L = 1/(2N) sum ||A^[L] - Y||^2 cancels "
                "the 2 that differentiating the square brings down",
    "mse_output_g_prime": "the output layer was multiplied by g'(Z^[L]) of the hidden "
                          "activation: the output is the identity, A^[L] = Z^[L], whose "
                          "derivative is 1",
    "mse_no_mean": "dZ^[L] lacks the 1/N: L is the MEAN over the N samples, so every sample's "
                   "term carries 1/N",
    "mse_sign": "the sign is flipped at the output: dL/dA^[L] points from Y towards A^[L], "
                "(A^[L] - Y) / N, not (Y - A^[L]) / N",
    # gd_step and train
    "uphill": "the update goes uphill (W + lr * dW): gradient DEScent subtracts, W - lr * dW",
    "no_bias_step": "the biases are not updated: b - lr * db as well",
    "no_lr": "the learning rate lr is not used: W - lr * dW",
    "in_place": "an in-place update (W -= lr * dW, or W[...] = ...) wrote into the caller's "
                "arrays: gd_step returns NEW params and leaves its inputs unchanged; "
                "W - lr * dW makes a new array",
    "grads_in_place": "the caller's gradients were scaled in place (dW *= lr): compute "
                      "lr * dW into a new array",
    "losses_after": "losses[k] is recorded after the update of epoch k: record the loss at the "
                    "START of each epoch, so losses[0] is the untrained loss",
    "frozen_params": "the parameters never change: assign the result of gd_step, "
                     "params = gd_step(params, grads, lr)",
    "frozen_losses": "the loss never changes: the parameters are not updated "
                     "(params = gd_step(params, grads, lr))",
    "ignores_hidden": "train ignores its `hidden` argument (the sigmoid is used instead): pass "
                      "it on, forward(params, X, hidden) and backward(params, cache, Y, hidden)",
    "forward_no_hidden": "forward is called without `hidden`, so it uses its default, the "
                         "sigmoid: forward(params, X, hidden)",
    "backward_no_hidden": "backward is called without `hidden`, so it uses the sigmoid's "
                          "derivative: backward(params, cache, Y, hidden)",
    # scalar_chain_grad
    "chain_no_sigma_prime": "the factor sigma'(z1) = a1 (1 - a1) is missing from dL/dw1: "
                            "the path from w1 to L passes through a1 = sigma(z1)",
    "chain_sigma_prime_at_a": "sigma' is evaluated at a1 instead of z1: "
                              "da1/dz1 = sigma'(z1) = a1 (1 - a1)",
    "chain_no_x": "dL/dw1 lacks the last factor dz1/dw1 = x: z1 = w1 x",
    "chain_w2_input": "dL/dw2 uses z1 instead of a1: z2 = w2 a1, so dz2/dw2 = a1 = sigma(z1)",
    "chain_swapped": "the two derivatives are swapped: return (dL/dw1, dL/dw2) in this order",
    # relative_error
    "rel_no_floor": "0/0 where both entries are 0: the denominator is max(1e-8, |a| + |b|), "
                    "with the floor 1e-8",
    "rel_mean": "the mean over the entries was taken: the relative error is the MAX over "
                "entries",
    "rel_max_denominator": "the denominator is max(|a|, |b|): CS231n's relative error divides "
                           "by |a| + |b| (floored at 1e-8)",
    "rel_no_abs": "the denominator lacks the absolute values: max(1e-8, |a| + |b|), "
                  "not max(1e-8, a + b)",
    # directional_check
    "dir_one_eps": "the difference f(x + eps v) - f(x - eps v) is divided by eps instead of "
                   "2 eps",
    "dir_forward": "a one-sided difference (f(x + eps v) - f(x)) / eps: its error is O(eps); "
                   "use (f(x + eps v) - f(x - eps v)) / (2 eps)",
    "dir_sum_g": "the analytic side is sum(g), not the directional derivative g . v = "
                 "np.sum(g * v)",
    "dir_normalized": "v was normalized: use the direction v as given, g . v and x +/- eps v",
    "dir_x_changed": "x comes back changed: evaluate f at new arrays x + eps * v and "
                     "x - eps * v (x += eps * v changes the caller's x)",
    # planted_bug
    "bug_layer_from_0": "layers count from 1, as in the lectures: the pair grads[l - 1] "
                        "belongs to layer l",
    "bug_other_array": "k = 0 names dW^[l] and k = 1 names db^[l]: the other array of that "
                       "layer",
    # minibatches
    "mb_drops_last": "the last, smaller batch is missing: when batch_size does not divide N, "
                     "the last batch holds the N % batch_size indices left over",
    "mb_empty_last": "an empty batch at the end: stop the loop at N (range(0, N, batch_size))",
    "mb_not_shuffled": "the indices are in order 0, 1, 2, ...: shuffle them first with the rng "
                       "you are given, order = rng.permutation(N)",
    "mb_repeats": "some indices repeat and others are missing: cut ONE permutation of range(N) "
                  "into batches (drawing with replacement, e.g. rng.integers, repeats indices)",
    "mb_not_reproducible": "two generators with the same seed gave different batches: draw the "
                           "order from the rng argument, not from np.random's global generator",
}


HIDDEN = ("sigmoid", "tanh", "relu", "leaky_relu")
KINKED = ("relu", "leaky_relu")
MIN_ABS_Z = 1e-3
NG_RTOL, NG_ATOL = 1e-5, 1e-7  # central differences: O(eps^2) truncation + O(u / eps) rounding
# The parts of the results checked one by one.
GD_PARTS = ("the result", "params after the call", "grads after the call")
TRAIN_PARTS = ("params", "losses")
CHAIN_PARTS = ("dL_dw1", "dL_dw2")
DIR_PARTS = ("numeric", "analytic")
PAIR_CAUSE = "return both numbers: return {}, {}"  # a result that is not a pair


def named(mistakes):
    """[(value, cause)] of {cause key: the engine's result with that mistake}."""
    return [(value, CAUSES[key]) for key, value in mistakes.items()]


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


def _qf_inputs(rng, shape):
    """M (not symmetric), c and x for f(x) = 1/2 x.M x + c.x + sum(sin x)."""
    n = int(np.prod(shape))
    B = rng.normal(size=(n, n))
    M = B @ B.T / n + np.eye(n) + 0.3 * rng.normal(size=(n, n))
    return M, rng.normal(size=shape), rng.normal(size=shape)


def _ng_case(M, c, x, eps, where=None):
    """numerical_gradient on f(x) = 1/2 x.M x + c.x + sum(sin x) (visible and hidden)."""
    expected = _qf_grad(M, c, x)
    candidates = named(ng_mistakes(quadratic(M, c), x, eps, expected))
    # The protocol returns (gradient, x after the call): x must come back unchanged,
    # exactly; x itself is a candidate too, for an x that is off by rounding only.
    x_changed = CAUSES["x_changed"]
    return case(f"f(x) = 1/2 x.M x + c.x + sum(sin x), {where or f'x of shape {x.shape}'}, "
                f"eps = {eps:g}", (M, c, x, eps), (expected, x), protocol="quadratic_form",
                kept=[1], kind=[("the gradient", "array"), ("x after the call", "array")],
                **{"the gradient": {"rtol": NG_RTOL, "atol": NG_ATOL, "candidates": candidates},
                   "x after the call": {"exact": True, "candidates": [
                       (x - eps, x_changed), (x + eps, x_changed), (x, x_changed)]}})


def _numerical_gradient_cases(rng):
    return [_ng_case(*_qf_inputs(rng, shape), eps)
            for shape, eps in [((4,), 1e-4), ((2, 3), 1e-4), ((1,), 1e-6), ((2, 2, 2), 1e-5),
                               ((6,), 1e-4), ((3, 1), 1e-6)]]


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
                protocol="backward", hints=BACKWARD_HINTS, **options)


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

def _gd_case(label, params, grads, lr):
    """gd_step: the new params, and params and grads left unchanged (visible and hidden)."""
    mistakes = gd_mistakes(params, grads, lr)
    options = {part: {"candidates": named(mistakes[part])} for part in GD_PARTS}
    options[GD_PARTS[2]]["names"] = ("dW", "db")
    # kept: the protocol also returns params and grads as they are after the call.
    return case(label, (params, grads, lr), (S.gd_step(params, grads, lr), params, grads),
                kind=[(part, "pairs") for part in GD_PARTS], kept=[0, 1], **options)


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
    return [_gd_case(f"sizes {sizes}, lr = {lr:g}", _random_params(rng, sizes),
                     _random_params(rng, sizes), lr)
            for sizes, lr in [([3, 4, 2], 0.1), ([5, 2], 1.0), ([2, 8, 6, 3], 0.01),
                              ([1, 1, 1], 0.5), ([4, 3, 3], 2.5)]]


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


def _train_of(label, params, X, Y, lr, epochs, hidden, replays=True):
    """train: the params and losses (visible and hidden; the visible check runs the
    student's own forward, backward and gd_step: no replays)."""
    new, losses = S.train(params, X, Y, lr, epochs, hidden)
    mistakes = train_mistakes(params, X, Y, lr, epochs, hidden)
    sealed = None
    if replays:  # a train that ignores hidden gets reference results for what it asks
        sealed = [replayed(S.train, (params, X, Y, lr, epochs), {"hidden": hidden}, **UPSTREAM)]
        sealed += [replayed(_train_passing, args, **UPSTREAM)
                   for args in _ignoring(params, X, Y, lr, epochs, hidden).values()]
        sealed = merge(*sealed)
    options = {part: {"candidates": named(mistakes[part])} for part in TRAIN_PARTS}
    options["losses"]["shape_causes"] = {(n,): "append the loss once per epoch, before that "
                                         "epoch's update" for n in range(2 * epochs + 2)
                                         if n != epochs}
    return case(label, (params, X, Y, lr, epochs), (new, list(losses)), kind=TRAIN_KIND,
                kwargs={"hidden": hidden}, replays=sealed,
                type_causes=["return both: return params, losses"], **options)


def _train_case(rng, sizes, N, lr, epochs, hidden):
    params, X, Y = _network(rng, sizes, N, hidden)
    return _train_of(f"sizes {sizes}, hidden={hidden!r}, N = {N}, lr = {lr:g}, "
                     f"epochs = {epochs}", params, X, Y, lr, epochs, hidden)


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


def _chain_case(x, y, w1, w2):
    """scalar_chain_grad: both derivatives (visible and hidden)."""
    expected = scalar_chain_grad(x, y, w1, w2)
    mistakes = chain_mistakes(x, y, w1, w2, expected)
    return case(f"x = {x}, y = {y}, w1 = {w1}, w2 = {w2}", (x, y, w1, w2), expected,
                kind=[(part, "number") for part in CHAIN_PARTS],
                type_causes=[PAIR_CAUSE.format(*CHAIN_PARTS)],
                **{part: {"candidates": named(mistakes[part])} for part in CHAIN_PARTS})


def _scalar_chain_cases(rng):
    return [_chain_case(*(float(v) for v in np.round(rng.normal(0, 1.2, 4), 3)))
            for _ in range(5)]


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
                kwargs={"hidden": hidden}, protocol="backward", replays=replays,
                hints=BACKWARD_HINTS, **options)


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


def _rel_case(label, a, b):
    """relative_error: one number; nan is 0/0 without the floor (visible and hidden)."""
    expected = relative_error(a, b)
    return case(label, (a, b), expected, kind="number", nonfinite=[(None, CAUSES["rel_no_floor"])],
                candidates=named(rel_mistakes(a, b, expected)))


def _relative_error_cases(rng):
    out = []
    for shape, noise, zeros in [((5,), 1e-3, False), ((2, 3), 1e-7, False), ((4,), 0.5, True),
                                ((3, 3), 1e-2, True), ((1,), 1e-5, False)]:
        a = rng.normal(0, 2, shape)
        b = a * (1 + noise * rng.normal(size=shape))
        if zeros:
            a.flat[0] = b.flat[0] = 0.0
            b.flat[-1] = -a.flat[-1]  # opposite signs: a + b = 0 there
        out.append(_rel_case(f"a, b of shape {shape}, relative difference ~{noise:g}"
                             + (", an entry 0 in both and one of opposite signs" if zeros
                                else ""), a, b))
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


def _dir_case(label, M, c, x, g, v, eps):
    """directional_check on f(x) = 1/2 x.M x + c.x + sum(sin x), through
    bpcheck.backprop.on_quadratic: (numeric, analytic), x unchanged (visible and hidden)."""
    f = quadratic(M, c)
    expected = directional_check(f, x, g, v, eps)
    mistakes = dir_mistakes(f, x, g, v, eps, expected)
    options = {"numeric": {"rtol": 1e-6, "atol": 1e-8}, "analytic": {},
               "type_causes": [PAIR_CAUSE.format(*DIR_PARTS)]}
    for part in DIR_PARTS:
        options[part]["candidates"] = named(mistakes[part])
    x_changed = CAUSES["dir_x_changed"]
    return case(f"f(x) = 1/2 x.M x + c.x + sum(sin x), {label}", (M, c, x, g, v, eps),
                (expected, x), kept=[2], kind=[("the result", [(p, "number") for p in DIR_PARTS]),
                                               ("x after the call", "array")],
                **{"the result": options, "x after the call": {"exact": True, "candidates": [
                    (x + eps * v, x_changed), (x - eps * v, x_changed), (x, x_changed)]}})


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
        out.append(_dir_case(f"n = {n}, eps = {eps:g}, {'a unit' if unit else 'a non-unit'} v, "
                             f"g {'with errors' if wrong_g else 'the exact gradient'}",
                             M, c, x, g, v, eps))
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


def size_causes(N, batch_size):
    """Wrong numbers of batches that name a mistake: {shape: cause}."""
    k = -(-int(N) // int(batch_size))  # the right number of batches
    empty = {(k + 1,): CAUSES["mb_empty_last"]}
    return {(k - 1,): CAUSES["mb_drops_last"], **empty} if N % batch_size else empty


# The options of the parts after the batch sizes (each 1 if right).
MINIBATCH_OPTIONS = {part: {"candidates": [(0, CAUSES[key])]} for part, key in zip(
    MINIBATCH_PARTS[1:], ("mb_repeats", "mb_not_shuffled", "mb_not_reproducible"))}


def _minibatch_case(N, batch_size, seed):
    """minibatches through bpcheck.backprop.minibatch_record (visible and hidden)."""
    order = minibatches(N, batch_size, np.random.default_rng(seed))
    assert not np.array_equal(np.concatenate(order), np.arange(N)), (N, seed)  # so "not
    # shuffled" is a mistake in every case
    options = {MINIBATCH_PARTS[0]: {"kinds": "iu", "exact": True,
                                    "shape_causes": size_causes(N, batch_size)},
               **MINIBATCH_OPTIONS}
    return case(f"N = {N}, batch_size = {batch_size}, rng = np.random.default_rng({seed})",
                (N, batch_size, seed), (batch_sizes(N, batch_size, seed), 1, 1, 1),
                kind=[(p, "array" if i == 0 else "int") for i, p in enumerate(MINIBATCH_PARTS)],
                **options)


def _minibatch_cases():
    return [_minibatch_case(*args) for args in [(100, 32, 7), (64, 16, 3), (7, 10, 5),
                                                (300, 20, 11), (33, 8, 4)]]


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
# Round inputs the student can read; a 2-3-2 network with round weights for gd_step and train.
QF_M = np.array([[2.0, 0.5, 0.0], [0.3, 1.0, -0.3], [0.1, -0.5, 3.0]])  # not symmetric
QF_C = np.array([0.5, -1.0, 0.25])
QF_X = np.array([0.7, -1.2, 0.4])
P0 = [(np.array([[-0.8, -1.32], [-0.25, 0.42], [1.14, 0.11]]), np.array([-0.55, -0.78, 0.75])),
      (np.array([[1.63, 0.27, -1.23], [-0.96, 1.6, 0.2]]), np.array([-1.73, -0.08]))]
G0 = [(np.array([[-0.1, 0.1], [0.09, 0.02], [0.06, -0.02]]), np.array([-0.15, 0.11, 0.08])),
      (np.array([[-0.13, -0.12, -0.35], [0.13, 0.12, 0.35]]), np.array([-0.41, 0.41]))]
X0 = np.array([[0.5, -1.0], [1.5, 0.2], [-0.3, 0.8], [1.0, 1.0]])
Y0 = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 1.0], [1.0, 0.0]])


def _visible_relative_error():
    return [_rel_case(label, np.array(a), np.array(b)) for label, a, b in [
        ("a = [1.0, -2.0, 0.5], b = [1.0001, -2.0, 0.5]", [1.0, -2.0, 0.5], [1.0001, -2.0, 0.5]),
        ("a = [[3.0, -1.0], [0.0, 2.0]], b = [[3.0, 1.0], [0.0, 2.0]] (an entry of opposite "
         "sign, and 0 = 0)", [[3.0, -1.0], [0.0, 2.0]], [[3.0, 1.0], [0.0, 2.0]]),
        ("a = b = [0.0, 0.0, 0.0]", [0.0, 0.0, 0.0], [0.0, 0.0, 0.0])]]


def visible():
    """The cases of the visible checks (generated into bpcheck/backprop_cases.py)."""
    g = _qf_grad(QF_M, QF_C, QF_X)
    at = "M, c of 3 entries, x = [0.7, -1.2, 0.4]"
    return {
        "numerical_gradient": [
            _ng_case(QF_M, QF_C, QF_X, 1e-3, at),
            _ng_case(*_qf_inputs(np.random.default_rng(5), (2, 3)), 1e-5)],
        "gd_step": [_gd_case("a 2-3-2 network, lr = 0.1", P0, G0, 0.1)],
        "train": [_train_of(f"a 2-3-2 network, 4 samples, lr = 0.5, 5 epochs, hidden={h!r}",
                            P0, X0, Y0, 0.5, 5, h, replays=False) for h in ("sigmoid", "tanh")],
        "scalar_chain_grad": [_chain_case(*args) for args in [
            (1.5, 0.5, 0.8, -1.2), (-2.0, 1.0, 0.3, 2.0), (0.5, -0.3, -1.1, 0.7)]],
        "relative_error": _visible_relative_error(),
        "directional_check": [
            _dir_case(f"{at}, g = its gradient, v = [0.6, 0, -0.8]", QF_M, QF_C, QF_X, g,
                      np.array([0.6, 0.0, -0.8]), 1e-3),
            _dir_case(f"{at}, g = its gradient + [0, 0.5, 0] (a wrong entry), v = [1, 2, -2]",
                      QF_M, QF_C, QF_X, g + np.array([0.0, 0.5, 0.0]),
                      np.array([1.0, 2.0, -2.0]), 1e-4)],
        "minibatches": [_minibatch_case(*args) for args in [(10, 4, 0), (12, 4, 1), (5, 8, 2)]],
    }
