"""Visible checks for notebook 05: numerical_gradient, backward, gd_step, train.

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

from .calls import call
from .compare import check_array, check_form, check_pairs
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


def _forward_A(forward, params, X, hidden, label):
    out = call(forward, params, X, hidden=hidden, function="forward", case=label)
    if not isinstance(out, tuple) or len(out) != 2:
        fail("forward", label, "forward must return a pair (A_L, cache)", got=describe(out),
             causes=["backward is checked through your forward: fix forward first"])
    return out


def _check_one_backward(backward, forward, activations, params, X, Y, hidden, label):
    A_L, cache = _forward_A(forward, params, X, hidden, label)
    check_form(A_L, Y.shape, function="forward", case=label, name="A_L")
    if A_L.dtype != np.float64:
        fail("forward", label, f"A_L has dtype {A_L.dtype} for float64 inputs",
             causes=["keep the input's dtype: the gradient check moves each weight by "
                     "1e-6, less than float32 can resolve"])
    if not (np.all(A_L > 0) and np.allclose(A_L.sum(axis=1), 1.0)):
        fail("forward", label, "A_L is not a probability distribution per row",
             causes=["the output layer must apply softmax to Z^[L] (output='softmax'): "
                     "backward is checked against the cross-entropy of your forward"])
    grads = call(backward, params, cache, Y, hidden=hidden, function="backward", case=label,
                 hints=BACKWARD_HINTS)
    L = len(params)
    check_pairs(grads, [(np.zeros_like(W), np.zeros_like(b)) for W, b in params],
                function="backward", case=label, names=("dW", "db"), values=False)

    def loss(p, X=X, Y=Y):
        return _cross_entropy(_forward_A(forward, p, X, hidden, label)[0], Y)

    report = full_check(loss, params, grads)
    bad = report.bad
    if not bad:
        return
    top = bad[0]  # the highest layer with a wrong block
    l, part = top.layer, top.part
    name = f"d{part}[{l}]"
    causes = []
    if l == L:
        causes.append("the output layer: dZ^[L] = (A^[L] - Y) / N for softmax with the mean "
                      "cross-entropy")
    elif all(b.ok for b in report.blocks if b.layer > l):
        causes.append(f"every layer above {l} is right, so look at the step that carries "
                      f"dZ^[{l + 1}] down to layer {l}: dZ^[{l}] = (dZ^[{l + 1}] W^[{l + 1}]) "
                      f"* g'(Z^[{l}])")
    if part == "W" and all(b.ok for b in report.blocks if b.layer == l and b.part == "b"):
        causes.append(f"db[{l}] is right, so dZ^[{l}] is right: the mistake is in "
                      f"dW^[{l}] = dZ^[{l}].T @ A^[{l - 1}] itself")
    candidates = _candidates(params, X, Y, hidden, activations, loss, l, part, top.numeric)
    try:
        check_array(grads[l - 1][0 if part == "W" else 1], top.numeric, function="backward",
                    case=label, name=name, rtol=1e-5, atol=1e-7, candidates=candidates,
                    factors={"N, the batch size": X.shape[0]} if X.shape[0] > 1 else None)
    except CheckFailure as exc:
        lines = str(exc).splitlines()
        extra = [(OR if first_cause(exc) else CAUSE) + c for c in causes]
        raise CheckFailure("\n".join(lines + extra + ["  every block, top layer first:",
                                                      report.table()])) from None
    raise CheckFailure(f"✘ backward: {name} is wrong\n  input case:   {label}\n"
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
