"""Visible checks for notebook 05: numerical_gradient, relative_error, directional_check,
scalar_chain_grad, backward, backward_mse, planted_bug, gd_step, train, minibatches.

``check_backward`` compares the student's gradients with central differences of
the mean cross-entropy computed through the student's own ``forward``, layer by
layer from the top (backprop runs downward, so the first wrong block from the
top is where the mistake is). It names the mistake where it can: the sign, a
factor N (the batch size), a transpose, one row of dZ instead of the sum, g'
missing or evaluated at A instead of Z; otherwise it says which step to look at.

Expected error magnitudes (float64, eps = 1e-6): relative error 1e-10 .. 1e-7
for a correct gradient. Inputs keep every ReLU pre-activation away from 0.
"""
import copy

import numpy as np

from . import wire
from .calls import call
from .compare import check_array, check_form, check_number, check_pairs
from .numgrad import full_check, numerical_gradient as _numgrad
from .report import CAUSE, OR, CheckFailure, describe, fail, first_cause, passed


def _cross_entropy(A, Y):
    """The mean cross-entropy, the loss whose gradient backward returns."""
    with np.errstate(all="ignore"):
        return float(-np.sum(Y * np.log(A)) / A.shape[0])


def _network(rng, sizes, N, hidden, margin=0.05):
    """Seeded params, X, one-hot Y; for ReLU-like units, resampled until |Z| > margin."""
    for _ in range(200):
        params = [(rng.normal(0, 1.5 / np.sqrt(n_in), (n_out, n_in)), rng.normal(0, 0.5, n_out))
                  for n_in, n_out in zip(sizes[:-1], sizes[1:])]
        X = rng.normal(0, 1, (N, sizes[0]))
        Y = np.eye(sizes[-1])[rng.integers(0, sizes[-1], N)]
        if hidden not in ("relu", "leaky_relu"):
            return params, X, Y
        A, ok = X, True
        for W, b in params[:-1]:
            Z = A @ W.T + b
            ok &= bool(np.all(np.abs(Z) > margin))
            A = np.maximum(Z, 0) if hidden == "relu" else np.where(Z > 0, Z, 0.01 * Z)
        if ok:
            return params, X, Y
    raise RuntimeError("no network with |Z| > margin found")  # pragma: no cover


BACKWARD_HINTS = [("matmul", "carrying dZ^[l] down uses W^[l] as it is, no .T: in row "
                             "layout dZ^[l-1] = (dZ^[l] @ W^[l]) * g'(Z^[l-1]), and "
                             "dW^[l] = dZ^[l].T @ A^[l-1]")]

CASES = [  # (sizes, N, hidden): N = 1 cases let the check name g' mistakes
    ([3, 4, 2], 1, "sigmoid"),
    ([3, 4, 3, 2], 1, "tanh"),
    ([4, 5, 3], 6, "sigmoid"),
    ([3, 5, 4, 3], 4, "relu"),
    ([2, 6, 3], 5, "leaky_relu"),
]


# Causes worded once, here, for the visible checks and the hidden cases.
NOT_RESTORED = ("x[i] is not restored after its two evaluations (x[i] = old), so every "
                "later entry is computed at a shifted point and x comes back changed")
X_CHANGED = ("x comes back changed: put each entry back exactly after its two evaluations, "
             "x[i] = old (a missing restore leaves x[i] - eps; x[i] += eps then -= eps "
             "leaves rounding errors)")
IN_PLACE = ("an in-place update (W -= lr * dW, or W[...] = ...) wrote into the caller's "
            "arrays: gd_step returns NEW params and leaves its inputs unchanged; "
            "W - lr * dW makes a new array")
GRADS_IN_PLACE = ("the caller's gradients were scaled in place (dW *= lr): compute "
                  "lr * dW into a new array")
IGNORES_HIDDEN = ("train ignores its `hidden` argument (the sigmoid is used instead): pass it "
                  "on, forward(params, X, hidden) and backward(params, cache, Y, hidden)")
FORWARD_NO_HIDDEN = ("forward is called without `hidden`, so it uses its default, the "
                     "sigmoid: forward(params, X, hidden)")
BACKWARD_NO_HIDDEN = ("backward is called without `hidden`, so it uses the sigmoid's "
                      "derivative: backward(params, cache, Y, hidden)")
FROZEN_PARAMS = ("the parameters never change: assign the result of gd_step, "
                 "params = gd_step(params, grads, lr)")
MSE_HALF = ("dZ^[L] is twice too large: the 1/2 in L = 1/(2N) sum ||A^[L] - Y||^2 cancels "
            "the 2 that differentiating the square brings down")
MSE_OUTPUT_G_PRIME = ("the output layer was multiplied by g'(Z^[L]) of the hidden activation: "
                      "the output is the identity, A^[L] = Z^[L], whose derivative is 1")
MSE_NO_MEAN = ("dZ^[L] lacks the 1/N: L is the MEAN over the N samples, so every sample's "
               "term carries 1/N")
MSE_SIGN = ("the sign is flipped at the output: dL/dA^[L] points from Y towards A^[L], "
            "(A^[L] - Y) / N, not (Y - A^[L]) / N")
CHAIN_NO_SIGMA_PRIME = ("the factor sigma'(z1) = a1 (1 - a1) is missing from dL/dw1: "
                        "the path from w1 to L passes through a1 = sigma(z1)")
CHAIN_SIGMA_PRIME_AT_A = ("sigma' is evaluated at a1 instead of z1: "
                          "da1/dz1 = sigma'(z1) = a1 (1 - a1)")
CHAIN_NO_X = ("dL/dw1 lacks the last factor dz1/dw1 = x: z1 = w1 x")
CHAIN_W2_INPUT = ("dL/dw2 uses z1 instead of a1: z2 = w2 a1, so dz2/dw2 = a1 = sigma(z1)")
CHAIN_SWAPPED = "the two derivatives are swapped: return (dL/dw1, dL/dw2) in this order"
REL_NO_FLOOR = ("0/0 where both entries are 0: the denominator is max(1e-8, |a| + |b|), "
                "with the floor 1e-8")
REL_MEAN = "the mean over the entries was taken: the relative error is the MAX over entries"
REL_MAX_DENOMINATOR = ("the denominator is max(|a|, |b|): CS231n's relative error divides by "
                       "|a| + |b| (floored at 1e-8)")
REL_NO_ABS = ("the denominator lacks the absolute values: max(1e-8, |a| + |b|), "
              "not max(1e-8, a + b)")
DIR_ONE_EPS = ("the difference f(x + eps v) - f(x - eps v) is divided by eps instead of 2 eps")
DIR_FORWARD = ("a one-sided difference (f(x + eps v) - f(x)) / eps: its error is O(eps); "
               "use (f(x + eps v) - f(x - eps v)) / (2 eps)")
DIR_SUM_G = ("the analytic side is sum(g), not the directional derivative g . v = "
             "np.sum(g * v)")
DIR_NORMALIZED = ("v was normalized: use the direction v as given, g . v and x +/- eps v")
DIR_X_CHANGED = ("x comes back changed: evaluate f at new arrays x + eps * v and x - eps * v "
                 "(x += eps * v changes the caller's x)")
BUG_LAYER_FROM_0 = ("layers count from 1, as in the lectures: the pair grads[l - 1] "
                    "belongs to layer l")
BUG_OTHER_ARRAY = "k = 0 names dW^[l] and k = 1 names db^[l]: the other array of that layer"
MB_DROPS_LAST = ("the last, smaller batch is missing: when batch_size does not divide N, "
                 "the last batch holds the N % batch_size indices left over")
MB_EMPTY_LAST = ("an empty batch at the end: stop the loop at N (range(0, N, batch_size))")
MB_NOT_SHUFFLED = ("the indices are in order 0, 1, 2, ...: shuffle them first with the rng "
                   "you are given, order = rng.permutation(N)")
MB_REPEATS = ("some indices repeat and others are missing: cut ONE permutation of range(N) "
              "into batches (drawing with replacement, e.g. rng.integers, repeats indices)")
MB_NOT_REPRODUCIBLE = ("two generators with the same seed gave different batches: draw the "
                       "order from the rng argument, not from np.random's global generator")
FROZEN_LOSSES = ("the loss never changes: the parameters are not updated "
                 "(params = gd_step(params, grads, lr))")


def check_numerical_gradient(numerical_gradient):
    """Central differences: accuracy O(eps^2), x restored, any shape of x."""
    M = np.array([[2.0, 0.5, 0.0], [0.5, 1.0, -0.3], [0.0, -0.3, 3.0]])

    def f(x):
        return float(np.sum(x ** 3) + x @ M @ x)

    x = np.array([0.7, -1.2, 0.4])
    exact = 3 * x ** 2 + 2 * M @ x
    eps = 1e-3
    label = "f(x) = sum(x^3) + x.M.x at x = [0.7, -1.2, 0.4], eps = 1e-3"
    forward_diff = np.array([(f(x + eps * e) - f(x)) / eps for e in np.eye(3)])
    shifted = np.array([3.070000999999878, 2.3790009999995476, 3.6006009999999256])  # x[i] - eps
    x_in = x.copy()
    got = call(numerical_gradient, f, x_in, eps, function="numerical_gradient", case=label,
               copy_inputs=False)
    check_array(got, exact, function="numerical_gradient", case=label, rtol=1e-5, atol=1e-6,
                candidates=[(forward_diff, "a one-sided (forward) difference: its error is "
                             "O(eps); use (f(x + eps) - f(x - eps)) / (2 eps), error O(eps^2)"),
                            (2 * exact, "the difference over 2 eps was divided by eps: "
                             "(f(x + eps) - f(x - eps)) / (2 eps)"),
                            (shifted, NOT_RESTORED)])
    if not np.array_equal(x_in, x):
        i = int(np.argmax(x_in != x))
        fail("numerical_gradient", label, "x was not restored after the call", entry=f"[{i}]",
             expected=x[i], got=x_in[i], causes=[X_CHANGED])
    C = np.array([[1.0, -2.0, 0.5], [3.0, 0.25, -1.0]])
    X = np.array([[0.3, -0.7, 1.1], [0.2, 0.9, -0.4]])
    label = "f(X) = sum(C * X^2 + sin X) for X of shape (2, 3), eps = 1e-5"
    got = call(numerical_gradient, lambda V: float(np.sum(C * V ** 2 + np.sin(V))), X, 1e-5,
               function="numerical_gradient", case=label)
    check_array(got, 2 * C * X + np.cos(X), function="numerical_gradient", case=label,
                rtol=1e-6, atol=1e-8)
    passed("numerical_gradient", "central differences, x restored, 1-D and 2-D x")


def check_backward(backward, forward, activations):
    """backward against central differences through your forward, on 5 small networks."""
    rng = np.random.default_rng(2024)
    for sizes, N, hidden in CASES:
        params, X, Y = _network(rng, sizes, N, hidden)
        label = f"sizes {sizes}, hidden={hidden!r}, N = {N} (seeded random weights)"
        _check_one_backward(backward, forward, activations, params, X, Y, hidden, label)
    passed("backward", f"{len(CASES)} networks of depth 1 to 3 agree with central "
                       "differences (relative error < 1e-5)")


def _forward_A(forward, params, X, hidden, label, output="softmax"):
    extra = {} if output == "softmax" else {"output": output}
    out = call(forward, params, X, hidden=hidden, function="forward", case=label, **extra)
    if not isinstance(out, tuple) or len(out) != 2:
        fail("forward", label, "forward must return a pair (A_L, cache)", got=describe(out),
             causes=["backward is checked through your forward: fix forward first"])
    return out


def _squared_error(A, Y):
    """L = 1/(2N) sum ||A - Y||^2, the loss whose gradient backward_mse returns."""
    with np.errstate(all="ignore"):
        return float(0.5 * np.sum((A - Y) ** 2) / A.shape[0])


def _check_one_backward(backward, forward, activations, params, X, Y, hidden, label,
                        output="softmax", function="backward"):
    A_L, cache = _forward_A(forward, params, X, hidden, label, output)
    check_form(A_L, Y.shape, function="forward", case=label, name="A_L")
    if A_L.dtype != np.float64:
        fail("forward", label, f"A_L has dtype {A_L.dtype} for float64 inputs",
             causes=["keep the input's dtype: the gradient check moves each weight by "
                     "1e-6, less than float32 can resolve"])
    if output == "softmax" and not (np.all(A_L > 0) and np.allclose(A_L.sum(axis=1), 1.0)):
        fail("forward", label, "A_L is not a probability distribution per row",
             causes=["the output layer must apply softmax to Z^[L] (output='softmax'): "
                     "backward is checked against the cross-entropy of your forward"])
    grads = call(backward, params, cache, Y, hidden=hidden, function=function, case=label,
                 hints=BACKWARD_HINTS)
    L = len(params)
    check_pairs(grads, [(np.zeros_like(W), np.zeros_like(b)) for W, b in params],
                function=function, case=label, names=("dW", "db"), values=False)
    measure = _cross_entropy if output == "softmax" else _squared_error

    def loss(p, X=X, Y=Y):
        return measure(_forward_A(forward, p, X, hidden, label, output)[0], Y)

    report = full_check(loss, params, grads)
    bad = report.bad
    if not bad:
        return
    top = bad[0]  # the highest layer with a wrong block
    l, part = top.layer, top.part
    name = f"d{part}[{l}]"
    causes = []
    if l == L and output == "softmax":
        causes.append("the output layer: dZ^[L] = (A^[L] - Y) / N for softmax with the mean "
                      "cross-entropy")
    elif l == L:
        causes.append("the output layer: dZ^[L] = dL/dZ^[L]; differentiate "
                      "L = 1/(2N) sum ||A^[L] - Y||^2 with A^[L] = Z^[L] (the identity output)")
    elif all(b.ok for b in report.blocks if b.layer > l):
        causes.append(f"every layer above {l} is right, so look at the step that carries "
                      f"dZ^[{l + 1}] down to layer {l}: dZ^[{l}] = (dZ^[{l + 1}] W^[{l + 1}]) "
                      f"* g'(Z^[{l}])")
    if part == "W" and all(b.ok for b in report.blocks if b.layer == l and b.part == "b"):
        causes.append(f"db[{l}] is right, so dZ^[{l}] is right: the mistake is in "
                      f"dW^[{l}] = dZ^[{l}].T @ A^[{l - 1}] itself")
    candidates = _candidates(params, X, Y, hidden, activations, loss, l, part, top.numeric)
    factors = {"N, the batch size": X.shape[0]} if X.shape[0] > 1 else {}
    if output == "identity" and l == L:
        candidates += _output_candidates(params, X, hidden, activations, part, top.numeric)
    try:
        check_array(grads[l - 1][0 if part == "W" else 1], top.numeric, function=function,
                    case=label, name=name, rtol=1e-5, atol=1e-7, candidates=candidates,
                    factors=factors or None)
    except CheckFailure as exc:
        lines = str(exc).splitlines()
        extra = [(OR if first_cause(exc) else CAUSE) + c for c in causes]
        raise CheckFailure("\n".join(lines + extra + ["  every block, top layer first:",
                                                      report.table()])) from None
    raise CheckFailure(f"✘ {function}: {name} is wrong\n  input case:   {label}\n"
                       + report.table())  # pragma: no cover (check_array raised)


def _candidates(params, X, Y, hidden, activations, loss, l, part, numeric):
    """Known wrong answers for block (l, part), built from the numerical truth."""
    out = []
    N = X.shape[0]
    if part == "b" and N > 1:  # db from the first row of dZ only
        b = np.array(params[l - 1][1], dtype=np.float64)
        first = [(np.array(W, dtype=np.float64), np.array(bb, dtype=np.float64))
                 for W, bb in params]

        def loss_first(vec):
            first[l - 1] = (first[l - 1][0], vec)
            return loss(first, X[:1], Y[:1])
        out.append((_numgrad(loss_first, b.copy()) / N,
                    "this is the gradient of the first sample only: db^[l] sums dZ^[l] "
                    "over the batch, dZ.sum(axis=0)"))
    if N == 1 and l < len(params) and hidden in ("sigmoid", "tanh"):
        g, g_prime = activations[hidden]
        A = np.asarray(X, dtype=np.float64)
        for W, b in params[:l]:  # the pre-activation Z^[l] and A^[l] of this one sample
            Z = A @ np.asarray(W).T + b
            A = g(Z)
        gz, ga = g_prime(Z)[0], g_prime(A)[0]
        for ratio, cause in [(1 / gz, f"g' is missing: dZ^[{l}] must be multiplied by "
                                      f"g'(Z^[{l}])"),
                             (ga / gz, f"g' is evaluated at A^[{l}] instead of Z^[{l}]: "
                                       f"use g'(Z^[{l}]), the pre-activation")]:
            out.append((ratio[:, None] * numeric if part == "W" else ratio * numeric, cause))
    return out


def _output_candidates(params, X, hidden, activations, part, numeric):
    """Known wrong output layers of backward_mse, from the numerical truth of layer L."""
    out = [(2 * numeric, MSE_HALF)]
    if X.shape[0] == 1:  # one sample: a factor g'(Z^[L]) per output unit shows as a ratio
        g, g_prime = activations[hidden]
        A = np.asarray(X, dtype=np.float64)
        for W, b in params[:-1]:
            A = g(A @ np.asarray(W).T + b)
        gz = g_prime(A @ np.asarray(params[-1][0]).T + params[-1][1])[0]
        out.append((gz[:, None] * numeric if part == "W" else gz * numeric, MSE_OUTPUT_G_PRIME))
    return out


# Test vectors for gd_step and train (computed once with float64 arithmetic).
P0 = [(np.array([[-0.8, -1.32], [-0.25, 0.42], [1.14, 0.11]]), np.array([-0.55, -0.78, 0.75])),
      (np.array([[1.63, 0.27, -1.23], [-0.96, 1.6, 0.2]]), np.array([-1.73, -0.08]))]
G0 = [(np.array([[-0.1, 0.1], [0.09, 0.02], [0.06, -0.02]]), np.array([-0.15, 0.11, 0.08])),
      (np.array([[-0.13, -0.12, -0.35], [0.13, 0.12, 0.35]]), np.array([-0.41, 0.41]))]
STEP = [(np.array([[-0.79, -1.33], [-0.259, 0.418], [1.134, 0.112]]),
         np.array([-0.535, -0.791, 0.742])),
        (np.array([[1.643, 0.282, -1.195], [-0.973, 1.588, 0.165]]), np.array([-1.689, -0.121]))]
X0 = np.array([[0.5, -1.0], [1.5, 0.2], [-0.3, 0.8], [1.0, 1.0]])
Y0 = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 1.0], [1.0, 0.0]])
LOSSES = [1.2683185980826481, 0.9422423288971093, 0.7502157673869936, 0.6610695250274649,
          0.6253188410998889, 0.6112641583739704]  # lr = 0.5, sigmoid hidden layer
TANH_LOSSES = [1.514756950951143, 0.968302955736703, 0.7114329896095577, 0.5721573637730281,
               0.5154850220918039]  # lr = 0.5, 5 epochs, tanh hidden layer
TANH_TRAINED = [(np.array([[-0.660241442870767, -1.603938552620688],
                           [-0.6262425478869111, 0.19793851743160895],
                           [1.064724830607407, 0.15906616755647157]]),
                 np.array([-0.3028384915215964, -1.0746555066647896, 0.6897962281809622])),
                (np.array([[1.3071595433201912, -0.1753267284132371, -0.6826514814218854],
                           [-0.6371595433201912, 2.0453267284132375, -0.34734851857811466]]),
                 np.array([-1.17227151346935, -0.6377284865306501]))]
# The tanh run's losses when only forward, or only backward, gets the sigmoid (the default).
TANH_FORWARD_SIGMOID = [1.2683185980826481, 0.8948921427317168, 0.7187452548145189,
                        0.6446603992647202, 0.6139384289416776]
TANH_BACKWARD_SIGMOID = [1.514756950951143, 1.0582350282465889, 0.7711613135254342,
                         0.60558951290736, 0.534488205948761]
TRAINED = [(np.array([[-0.6454021068648715, -1.4840395635763173],
                      [-0.393051548029994, 0.3797729041831591],
                      [1.059937675034644, 0.13549087673998245]]),
            np.array([-0.35547043547761387, -0.9179593449406392, 0.6674666736340668])),
           (np.array([[1.8249031049769795, 0.42449033677613474, -0.7142548025481995],
                      [-1.1549031049769796, 1.4455096632238653, -0.31574519745180063]]),
            np.array([-1.1316471360092821, -0.678352863990718]))]


def check_gd_step(gd_step):
    """One step with lr = 0.1 on a 2-3-2 network: W - lr dW and b - lr db, new arrays;
    the params and grads passed in are left unchanged."""
    label = "a 2-3-2 network, lr = 0.1"
    plus = [(2 * W0 - W1, 2 * b0 - b1) for (W0, b0), (W1, b1) in zip(P0, STEP)]
    b_kept = [(W1, b0) for (_, b0), (W1, _) in zip(P0, STEP)]
    params, grads = copy.deepcopy(P0), copy.deepcopy(G0)
    got = call(gd_step, params, grads, 0.1, function="gd_step", case=label, copy_inputs=False)
    check_pairs(got, STEP, function="gd_step", case=label, candidates=[
        (plus, "the step goes uphill: subtract lr * gradient (W - lr dW), do not add it"),
        (b_kept, "the biases are not updated: b - lr db too")])
    check_pairs(params, P0, function="gd_step", case=label, name="params after the call",
                candidates=[(STEP, IN_PLACE)])
    check_pairs(grads, G0, function="gd_step", case=label, names=("dW", "db"),
                name="grads after the call",
                candidates=[([(0.1 * dW, 0.1 * db) for dW, db in G0], GRADS_IN_PLACE)])
    passed("gd_step", "one step on a 2-3-2 network, weights and biases; its inputs unchanged")


def _train_run(train, hidden, label, losses_expected, trained, loss_candidates,
               params_candidates):
    out = call(train, P0, X0, Y0, 0.5, 5, hidden=hidden, function="train", case=label)
    if not isinstance(out, tuple) or len(out) != 2:
        fail("train", label, "train must return a pair (params, losses)", got=describe(out))
    params, losses = out
    if not isinstance(losses, (list, tuple, np.ndarray)) or len(losses) != 5:
        fail("train", label, "losses must hold one loss per epoch",
             expected="a list of 5 numbers", got=describe(losses),
             causes=["append the loss once per epoch, before that epoch's update"])
    losses = np.asarray(losses, dtype=np.float64)
    check_array(losses, losses_expected, function="train", case=label, name="losses",
                candidates=list(loss_candidates) + [(np.full(5, losses_expected[0]),
                                                     FROZEN_LOSSES)])
    check_pairs(params, trained, function="train", case=label, name="params",
                candidates=list(params_candidates) + [(P0, FROZEN_PARAMS)])


def check_train(train, forward):
    """5 epochs of full-batch descent on a 2-3-2 network, with a sigmoid and with a tanh
    hidden layer: the losses and the final params."""
    _train_run(train, "sigmoid", "a 2-3-2 network, 4 samples, lr = 0.5, 5 epochs, "
               "hidden='sigmoid'", LOSSES[:5], TRAINED, [(
                   np.array(LOSSES[1:6]), "the losses are recorded after each update: "
                   "losses[k] is the loss at the START of epoch k, so losses[0] is the "
                   "untrained loss")], [])
    _train_run(train, "tanh", "the same network and data, hidden='tanh'", TANH_LOSSES,
               TANH_TRAINED, [(np.array(LOSSES[:5]), IGNORES_HIDDEN),
                              (np.array(TANH_FORWARD_SIGMOID), FORWARD_NO_HIDDEN),
                              (np.array(TANH_BACKWARD_SIGMOID), BACKWARD_NO_HIDDEN)],
               [(TRAINED, IGNORES_HIDDEN)])
    passed("train", "5 epochs with a sigmoid and with a tanh hidden layer: the loss curves "
                    "and the trained parameters")


# ---------------------------------------------------------------------------
# The derivation tasks and the gradient-check tools
# ---------------------------------------------------------------------------

CHAIN_CASES = [  # (x, y, w1, w2), (dL/dw1, dL/dw2), then known wrong dL/dw1 and dL/dw2
    ((1.5, 0.5, 0.8, -1.2), (0.45541217538705786, -1.0930188031721635),
     {"no_prime": 2.5600135323578783, "at_a": 0.5540820107857096, "no_x": 0.30360811692470524},
     -1.7066756882385858),
    ((-2.0, 1.0, 0.3, 2.0), (0.2665909391007273, -0.10322478713911008),
     {"no_prime": 1.165250449806364, "at_a": 0.2823563584878759, "no_x": -0.13329546955036364},
     0.1747875674709546),
    ((0.5, -0.3, -1.1, 0.7), (0.04515722065949146, 0.20345905873227105),
     {"no_prime": 0.1946367802023538, "at_a": 0.047066504770191274, "no_x": 0.09031444131898292},
     -0.30585779746084174),
]


def _pair_of_numbers(got, function, label, names):
    if not isinstance(got, tuple) or len(got) != 2:
        fail(function, label, "the result has the wrong type",
             expected=f"a tuple ({', '.join(names)}) of two numbers", got=describe(got),
             causes=[f"return both numbers: return {names[0]}, {names[1]}"])
    return got


def check_scalar_chain_grad(scalar_chain_grad):
    """(dL/dw1, dL/dw2) on 3 inputs, numbers written out."""
    names = ("dL_dw1", "dL_dw2")
    for (x, y, w1, w2), (d1, d2), wrong1, wrong2 in CHAIN_CASES:
        label = f"x = {x}, y = {y}, w1 = {w1}, w2 = {w2}"
        got = _pair_of_numbers(call(scalar_chain_grad, x, y, w1, w2,
                                    function="scalar_chain_grad", case=label),
                               "scalar_chain_grad", label, names)
        check_number(got[0], d1, function="scalar_chain_grad", case=label, name="dL_dw1",
                     candidates=[(d2, CHAIN_SWAPPED),
                                 (wrong1["no_prime"], CHAIN_NO_SIGMA_PRIME),
                                 (wrong1["at_a"], CHAIN_SIGMA_PRIME_AT_A),
                                 (wrong1["no_x"], CHAIN_NO_X)])
        check_number(got[1], d2, function="scalar_chain_grad", case=label, name="dL_dw2",
                     candidates=[(d1, CHAIN_SWAPPED), (wrong2, CHAIN_W2_INPUT)])
    passed("scalar_chain_grad", f"{len(CHAIN_CASES)} inputs, both derivatives")


MSE_CASES = [  # (sizes, N, hidden)
    ([3, 4, 2], 1, "sigmoid"),
    ([2, 5, 3, 1], 1, "tanh"),
    ([4, 5, 3], 6, "sigmoid"),
    ([3, 5, 4, 2], 4, "relu"),
]


def check_backward_mse(backward_mse, forward, activations):
    """backward_mse against central differences of L = 1/(2N) sum ||A^[L] - Y||^2, through
    your forward with output="identity", on 4 small networks."""
    rng = np.random.default_rng(2025)
    for sizes, N, hidden in MSE_CASES:
        params, X, _ = _network(rng, sizes, N, hidden)
        Y = rng.normal(0, 1, (N, sizes[-1]))
        label = (f"sizes {sizes}, hidden={hidden!r}, N = {N}, real-valued targets "
                 "(seeded random weights)")
        _check_one_backward(backward_mse, forward, activations, params, X, Y, hidden, label,
                            output="identity", function="backward_mse")
    passed("backward_mse", f"{len(MSE_CASES)} networks with an identity output agree with "
                           "central differences of the mean squared error")


REL_CASES = [  # (label, a, b, expected, {mistake: value})
    ("a = [1.0, -2.0, 0.5], b = [1.0001, -2.0, 0.5]", [1.0, -2.0, 0.5], [1.0001, -2.0, 0.5],
     4.9997500124988246e-05, {REL_MEAN: 1.666583337499608e-05,
                              REL_MAX_DENOMINATOR: 9.9990000999889e-05}),
    ("a = [[3.0, -1.0], [0.0, 2.0]], b = [[3.0, 1.0], [0.0, 2.0]] (an entry of opposite sign, "
     "and 0 = 0)", [[3.0, -1.0], [0.0, 2.0]], [[3.0, 1.0], [0.0, 2.0]], 1.0,
     {REL_MEAN: 0.25, REL_MAX_DENOMINATOR: 2.0, REL_NO_ABS: 2e8}),
    ("a = b = [0.0, 0.0, 0.0]", [0.0, 0.0, 0.0], [0.0, 0.0, 0.0], 0.0, {}),
]


def check_relative_error(relative_error):
    """CS231n's relative error on 3 pairs, numbers written out: a float, max over entries."""
    for label, a, b, expected, wrong in REL_CASES:
        got = call(relative_error, np.array(a), np.array(b), function="relative_error",
                   case=label)
        if isinstance(got, (float, np.floating)) and np.isnan(got):
            fail("relative_error", label, "the result is nan", expected=expected, got=got,
                 causes=[REL_NO_FLOOR])
        check_number(got, expected, function="relative_error", case=label, rtol=1e-9,
                     atol=1e-15, candidates=[(v, c) for c, v in wrong.items()])
    passed("relative_error", "3 pairs of arrays (1-D, 2-D, all zeros)")


DIR_M = np.array([[2.0, 0.5, 0.0], [0.5, 1.0, -0.3], [0.0, -0.3, 3.0]])


def _dir_f(x):
    return float(np.sum(x ** 3) + x @ DIR_M @ x)


DIR_X = np.array([0.7, -1.2, 0.4])
DIR_V = np.array([0.6, 0.0, -0.8])          # a unit vector
DIR_V2 = np.array([1.0, 2.0, -2.0])         # length 3
DIR_G = 3 * DIR_X ** 2 + 2 * DIR_M @ DIR_X  # the exact gradient at DIR_X: [3.07, 2.38, 3.6]
DIR_BAD_G = DIR_G + np.array([0.0, 0.5, 0.0])
DIR_CASES = [  # (label, g, v, eps, (numeric, analytic), {cause: (numeric, analytic)})
    ("f(x) = sum(x^3) + x.M.x at x = [0.7, -1.2, 0.4], g = its gradient, v = [0.6, 0, -0.8], "
     "eps = 1e-3", DIR_G, DIR_V, 1e-3, (-1.0380002960002077, -1.0380000000000007),
     {DIR_ONE_EPS: (-2.0760005920004154, -1.0380000000000007),
      DIR_FORWARD: (-1.03383629600029, -1.0380000000000007),
      DIR_SUM_G: (-1.0380002960002077, 9.05)}),
    ("the same f and x, g with a wrong entry [3.07, 2.88, 3.6], v = [1, 2, -2], eps = 1e-4",
     DIR_BAD_G, DIR_V2, 1e-4, (0.6300000100012415, 1.63),
     {DIR_NORMALIZED: (0.21000000037130206, 0.5433333333333334),
      DIR_SUM_G: (0.6300000100012415, 9.55)}),
]


def check_directional_check(directional_check):
    """(numeric, analytic) directional derivatives on 2 inputs; x left unchanged."""
    names = ("numeric", "analytic")
    for label, g, v, eps, (num, ana), wrong in DIR_CASES:
        x = DIR_X.copy()
        got = _pair_of_numbers(call(directional_check, _dir_f, x, g.copy(), v.copy(), eps,
                                    function="directional_check", case=label,
                                    copy_inputs=False), "directional_check", label, names)
        check_number(got[1], ana, function="directional_check", case=label, name="analytic",
                     rtol=1e-9, candidates=[(w[1], c) for c, w in wrong.items() if w[1] != ana])
        check_number(got[0], num, function="directional_check", case=label, name="numeric",
                     rtol=1e-7, candidates=[(w[0], c) for c, w in wrong.items() if w[0] != num])
        if not np.array_equal(x, DIR_X):
            i = int(np.argmax(x != DIR_X))
            fail("directional_check", label, "x was changed by the call", entry=f"[{i}]",
                 expected=DIR_X[i], got=x[i], causes=[DIR_X_CHANGED])
    passed("directional_check", "the right gradient agrees along v, a wrong one does not; "
                                "x unchanged")


def on_quadratic(directional_check):
    """For the hidden tests: directional_check on f(x) = 1/2 x.M x + c.x + sum(sin x)."""
    def run(M, c, x, g, v, eps):
        def f(u):
            u = np.asarray(u, dtype=np.float64)
            return (0.5 * np.sum(u * (M @ u.ravel()).reshape(u.shape)) + np.sum(c * u)
                    + np.sum(np.sin(u)))
        return directional_check(f, x, g, v, eps)
    return run


def identity_output(forward):
    """For the hidden tests of backward_mse: your forward with output="identity"."""
    def run(params, X, hidden="sigmoid"):
        return forward(params, X, hidden, output="identity")
    return run


def check_planted_bug(planted_bug, buggy_backward, forward, params, X, Y):
    """Your (l, k) against a full gradient check of buggy_backward on the given network."""
    label = "buggy_backward on the forward/backward lecture's 5-7-4-3 network"
    got = call(planted_bug, function="planted_bug", case=label)
    L = len(params)
    if (not isinstance(got, tuple) or len(got) != 2
            or not all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in got)):
        fail("planted_bug", label, "the result has the wrong type",
             expected="a tuple (l, k) of two integers", got=describe(got),
             causes=["return the layer l and k = 0 (dW) or 1 (db), e.g. return (1, 0)"])
    l, k = int(got[0]), int(got[1])
    if not (1 <= l <= L and k in (0, 1)):
        fail("planted_bug", label, "(l, k) is out of range",
             expected=f"l in 1..{L} and k in (0, 1)", got=(l, k),
             causes=[BUG_LAYER_FROM_0 if l == 0 else
                     f"the network has {L} layers; k is 0 (dW) or 1 (db)"])
    _, cache = call(forward, params, X, function="forward", case=label)
    grads = call(buggy_backward, params, cache, Y, function="buggy_backward", case=label)

    def loss(p):
        return _cross_entropy(call(forward, p, X, function="forward", case=label)[0], Y)
    report = full_check(loss, params, grads)
    bad = {(b.layer, 0 if b.part == "W" else 1) for b in report.bad}
    if (l, k) in bad:
        passed("planted_bug", f"d{'Wb'[k]}[{l}] is the array buggy_backward gets wrong")
        return
    error = next(b.error for b in report.blocks if (b.layer, 0 if b.part == "W" else 1) == (l, k))
    causes = [BUG_LAYER_FROM_0] if (l + 1, k) in bad else [BUG_OTHER_ARRAY] if (
        l, 1 - k) in bad else ["compute the relative error of EVERY array of buggy_backward's "
                               "result against numerical_gradient; the bug is where it is large"]
    fail("planted_bug", label, f"d{'Wb'[k]}[{l}] agrees with central differences",
         expected="the one array whose relative error is large",
         got=f"d{'Wb'[k]}[{l}], relative error {error:.1e} (a correct gradient)", causes=causes)


def _batches_summary(minibatches, N, batch_size, seed, label):
    """(batch sizes, every index once?, shuffled?, same seed -> same batches?) of minibatches."""
    runs = []
    for _ in range(2):
        out = call(minibatches, N, batch_size, np.random.default_rng(seed),
                   function="minibatches", case=label)
        if not isinstance(out, (list, tuple)) or not all(
                isinstance(b, np.ndarray) and b.ndim == 1 for b in out):
            fail("minibatches", label, "the result has the wrong type",
                 expected="a list of 1-D numpy arrays of indices", got=describe(out),
                 causes=["return a list of index arrays, e.g. [order[0:4], order[4:8], ...]"])
        if any(b.dtype.kind not in "iu" for b in out):
            kind = next(b.dtype for b in out if b.dtype.kind not in "iu")
            fail("minibatches", label, f"an index array has dtype {kind}",
                 expected="integer arrays (they index X[idx])", got=describe(out[0]),
                 causes=["build the indices from rng.permutation(N), which gives integers"])
        runs.append(out)
    out, again = runs
    order = np.concatenate(out) if len(out) else np.zeros(0, int)
    once = int(order.size == N and np.array_equal(np.sort(order), np.arange(N)))
    shuffled = int(not np.array_equal(order, np.arange(order.size)))
    same = int(len(out) == len(again) and all(np.array_equal(a, b) for a, b in zip(out, again)))
    return np.array([b.size for b in out], dtype=np.int64), once, shuffled, same


def minibatch_record(minibatches):
    """For the hidden tests: minibatches on np.random.default_rng(seed), summarized."""
    def plain_batches(*args):
        return wire.plain(minibatches(*args))

    def run(N, batch_size, seed):
        return _batches_summary(plain_batches, N, batch_size, seed,
                                f"N = {N}, batch_size = {batch_size}")
    return run


def minibatch_sizes(N, batch_size):
    """The batch sizes of a partition of N samples (the test's expectation, not the answer)."""
    full, rest = divmod(int(N), int(batch_size))
    return np.array([batch_size] * full + ([rest] if rest else []), dtype=np.int64)


def size_causes(N, batch_size):
    """Wrong numbers of batches that name a mistake: {shape: cause}."""
    k = len(minibatch_sizes(N, batch_size))
    return {(k - 1,): MB_DROPS_LAST, (k + 1,): MB_EMPTY_LAST} if N % batch_size else {
        (k + 1,): MB_EMPTY_LAST}


MINIBATCH_PARTS = ("the batch sizes", "every index exactly once", "shuffled",
                   "the same seed gives the same batches")
MINIBATCH_OPTIONS = {"every index exactly once": {"candidates": [(0, MB_REPEATS)]},
                     "shuffled": {"candidates": [(0, MB_NOT_SHUFFLED)]},
                     "the same seed gives the same batches": {
                         "candidates": [(0, MB_NOT_REPRODUCIBLE)]}}


def check_minibatches(minibatches):
    """Shuffled partitions of range(N) for 3 (N, batch_size): sizes, every index once,
    shuffled, reproducible from the rng."""
    for N, batch_size, seed in [(10, 4, 0), (12, 4, 1), (5, 8, 2)]:
        label = f"N = {N}, batch_size = {batch_size}, rng = np.random.default_rng({seed})"
        got = _batches_summary(minibatches, N, batch_size, seed, label)
        expected = (minibatch_sizes(N, batch_size), 1, 1, 1)
        for part, g, e in zip(MINIBATCH_PARTS, got, expected):
            if part == "the batch sizes":
                check_array(g, e, function="minibatches", case=label, name=part, kinds="iu",
                            exact=True, shape_causes=size_causes(N, batch_size))
            else:
                check_number(g, e, function="minibatches", case=label, name=part, integer=True,
                             **MINIBATCH_OPTIONS[part])
    passed("minibatches", "3 partitions of range(N): sizes, every index once, shuffled, "
                          "reproducible from the rng")
