"""Visible checks for notebook 05: numerical_gradient, relative_error, directional_check,
scalar_chain_grad, backward, backward_mse, planted_bug, gd_step, train, minibatches.

``check_backward`` compares the student's gradients with central differences of
the mean cross-entropy computed through the student's own ``forward``, layer by
layer from the top (backprop runs downward, so the first wrong block from the
top is where the mistake is). It names the mistake where it can: the sign, a
factor N (the batch size), a transpose, one row of dZ instead of the sum, g'
missing or evaluated at A instead of Z; otherwise it says which step to look at.

The other checks run their cases from the case table, grader/pipeline/cases/backprop.py
(generated into backprop_cases.py: inputs, the engine's results, and the results of the
engine with each named mistake, and the words of each, CAUSES), with the hidden tests'
runner (judge.run), so a mistake is named in the same words both ways. No reference code
is shipped.

Expected error magnitudes (float64, eps = 1e-6): relative error 1e-10 .. 1e-7
for a correct gradient. Inputs keep every ReLU pre-activation away from 0.
"""
import numpy as np

from . import Causes, visible_cases, wire
from .calls import call
from .compare import check_array, check_form, check_pairs
from .judge import run
from .numgrad import full_check, numerical_gradient as _numgrad, quadratic
from .report import CAUSE, OR, CheckFailure, describe, fail, first_cause, passed

CAUSES = Causes("backprop")  # the words of each mistake: the case table's CAUSES

# The parts of minibatch_record's summary, each checked on its own.
MINIBATCH_PARTS = ("the batch sizes", "every index exactly once", "shuffled",
                   "the same seed gives the same batches")


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


def check_numerical_gradient(numerical_gradient):
    """Central differences: accuracy O(eps^2), x restored, any shape of x."""
    run("numerical_gradient", visible_cases("backprop", "numerical_gradient"),
        summary="central differences, x restored, 1-D and 2-D x",
        numerical_gradient=numerical_gradient)


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
        out.append((_numgrad(loss_first, b.copy()) / N, CAUSES["db_one_row"]))
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
    out = [(2 * numeric, CAUSES["mse_half"])]
    if X.shape[0] == 1:  # one sample: a factor g'(Z^[L]) per output unit shows as a ratio
        g, g_prime = activations[hidden]
        A = np.asarray(X, dtype=np.float64)
        for W, b in params[:-1]:
            A = g(A @ np.asarray(W).T + b)
        gz = g_prime(A @ np.asarray(params[-1][0]).T + params[-1][1])[0]
        out.append((gz[:, None] * numeric if part == "W" else gz * numeric,
                    CAUSES["mse_output_g_prime"]))
    return out


def check_gd_step(gd_step):
    """One step on a small network: W - lr dW and b - lr db, new arrays; the params and
    grads passed in are left unchanged."""
    run("gd_step", visible_cases("backprop", "gd_step"), gd_step=gd_step,
        summary="one step on a 2-3-2 network, weights and biases; its inputs unchanged")


def check_train(train, forward):
    """5 epochs of full-batch descent on a 2-3-2 network, with a sigmoid and with a tanh
    hidden layer: the final params and the losses (with your own forward, backward and
    gd_step)."""
    run("train", visible_cases("backprop", "train"), train=train,
        summary="5 epochs with a sigmoid and with a tanh hidden layer: the trained "
                "parameters and the loss curves")


# ---------------------------------------------------------------------------
# The derivation tasks and the gradient-check tools
# ---------------------------------------------------------------------------

def check_scalar_chain_grad(scalar_chain_grad):
    """(dL/dw1, dL/dw2) on 3 inputs."""
    run("scalar_chain_grad", visible_cases("backprop", "scalar_chain_grad"),
        summary="both derivatives", scalar_chain_grad=scalar_chain_grad)


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


def check_relative_error(relative_error):
    """CS231n's relative error on 3 pairs: a float, max over entries."""
    run("relative_error", visible_cases("backprop", "relative_error"),
        summary="pairs of arrays (1-D, 2-D, all zeros)", relative_error=relative_error)


def check_directional_check(directional_check):
    """(numeric, analytic) directional derivatives on 2 inputs; x left unchanged."""
    run("directional_check", visible_cases("backprop", "directional_check"),
        summary="the right gradient agrees along v, a wrong one does not; x unchanged",
        directional_check=on_quadratic(directional_check))


def on_quadratic(directional_check):
    """directional_check on f(x) = 1/2 x.M x + c.x + sum(sin x), as the cases call it."""
    def on(M, c, x, g, v, eps):
        return directional_check(quadratic(M, c), x, g, v, eps)
    return on


def identity_output(forward):
    """For the hidden tests of backward_mse: your forward with output="identity"."""
    def identity(params, X, hidden="sigmoid"):
        return forward(params, X, hidden, output="identity")
    return identity


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
             causes=[CAUSES["bug_layer_from_0"] if l == 0 else
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
    causes = [CAUSES["bug_layer_from_0"] if (l + 1, k) in bad else CAUSES["bug_other_array"]
              if (l, 1 - k) in bad else "compute the relative error of EVERY array of "
              "buggy_backward's result against numerical_gradient; the bug is where it is large"]
    fail("planted_bug", label, f"d{'Wb'[k]}[{l}] agrees with central differences",
         expected="the one array whose relative error is large",
         got=f"d{'Wb'[k]}[{l}], relative error {error:.1e} (a correct gradient)", causes=causes)


def minibatch_record(minibatches):
    """minibatches as the cases call it: twice on np.random.default_rng(seed), measured on
    plain data (never the student's objects, whose methods may lie) -> (batch sizes, every
    index once?, shuffled?, the same seed -> the same batches?)."""
    def summary(N, batch_size, seed):
        label, runs = f"N = {N}, batch_size = {batch_size}", []
        for _ in range(2):
            out = wire.plain(call(minibatches, N, batch_size, np.random.default_rng(seed),
                                  function="minibatches", case=label))
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
        same = int(len(out) == len(again)
                   and all(np.array_equal(a, b) for a, b in zip(out, again)))
        return np.array([b.size for b in out], dtype=np.int64), once, shuffled, same
    return summary


def check_minibatches(minibatches):
    """Shuffled partitions of range(N) for 3 (N, batch_size): sizes, every index once,
    shuffled, reproducible from the rng."""
    run("minibatches", visible_cases("backprop", "minibatches"),
        summary="partitions of range(N): sizes, every index once, shuffled, reproducible "
                "from the rng", minibatches=minibatch_record(minibatches))
