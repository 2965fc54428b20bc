"""Hidden cases of notebook 05: the engine and other correct implementations pass,
every known mistake fails with a message that names it."""
import copy
import pickle

import numpy as np
import pytest

import solutions as S
from grader.pipeline.verdict import grade_in_memory
from grader.checks.report import CheckFailure
from grader.pipeline.cases import backprop as C


@pytest.fixture(scope="module")
def cases():
    return C.cases()


def run(cases, function, **fns):
    """What the hidden cell and the grader do together, on the cases in memory."""
    grade_in_memory(cases, function, **fns)


# -- other correct implementations ------------------------------------------------

def backward_loops(params, cache, Y, hidden="sigmoid"):
    """Seed 001's algorithm: one sample at a time, accumulate, divide by N."""
    g_prime = S.get_activation(hidden)[1]
    A, Z = cache["A"], cache["Z"]
    L, N = len(params), A[0].shape[0]
    grads = [(np.zeros_like(W, dtype=float), np.zeros_like(b, dtype=float)) for W, b in params]
    for i in range(N):
        delta = A[L][i] - Y[i]
        for l in range(L, 0, -1):
            dW, db = grads[l - 1]
            dW += np.outer(delta, A[l - 1][i]) / N
            db += delta / N
            if l > 1:
                delta = (params[l - 1][0].T @ delta) * g_prime(Z[l - 1][i])
    return grads


def forward_tuple_cache(params, X, hidden="sigmoid"):
    """Another valid cache layout: a list of (A_prev, Z) per layer."""
    g = S.get_activation(hidden)[0]
    A, cache = np.asarray(X, dtype=np.float64), []
    for l, (W, b) in enumerate(params, start=1):
        Z = np.einsum("nj,ij->ni", A, W) + b
        cache.append((A, Z))
        A = S.softmax(Z) if l == len(params) else g(Z)
    return A, cache


def backward_tuple_cache(params, cache, Y, hidden="sigmoid"):
    g_prime = S.get_activation(hidden)[1]
    A_L = S.softmax(cache[-1][1])
    dZ = (A_L - Y) / len(Y)
    grads = []
    for l in range(len(params), 0, -1):
        A_prev, _ = cache[l - 1]
        grads.insert(0, (np.einsum("ni,nj->ij", dZ, A_prev), dZ.sum(0)))
        if l > 1:
            dZ = (dZ @ params[l - 1][0]) * g_prime(cache[l - 2][1])
    return grads


def numerical_gradient_flat(f, x, eps=1e-6):
    """Perturbs a flat view, builds the result with a list."""
    flat, out = x.reshape(-1), []
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        fp = f(x)
        flat[i] = old - eps
        fm = f(x)
        flat[i] = old
        out.append((fp - fm) / (2 * eps))
    return np.array(out).reshape(x.shape)


def train_loop(params, X, Y, lr, epochs, hidden="sigmoid"):
    losses = []
    for _ in range(epochs):
        A, cache = S.forward(params, X, hidden)
        losses.append(S.cross_entropy(A, Y))
        grads = backward_loops(params, cache, Y, hidden)
        params = [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads)]
    return params, losses


def test_the_engine_passes_every_case(cases):
    run(cases, "numerical_gradient", numerical_gradient=S.numerical_gradient)
    run(cases, "backward", forward=S.forward, backward=S.backward)
    run(cases, "gd_step", gd_step=S.gd_step)
    run(cases, "train", train=S.train)


def test_other_correct_implementations_pass(cases):
    run(cases, "numerical_gradient", numerical_gradient=numerical_gradient_flat)
    run(cases, "backward", forward=S.forward, backward=backward_loops)
    run(cases, "backward", forward=forward_tuple_cache, backward=backward_tuple_cache)
    run(cases, "gd_step", gd_step=lambda p, g, lr: [
        (W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(p, g)])
    run(cases, "train", train=train_loop)


def test_float32_forward_passes(cases):
    """A forward that keeps X's float32 through the layers gets the float32 tolerance."""
    def forward32(params, X, hidden="sigmoid"):
        p32 = [(W.astype(X.dtype), b.astype(X.dtype)) for W, b in params]
        A, cache = S.forward(p32, X, hidden)
        return A, cache
    only = {"backward": [c for c in cases["backward"] if "float32" in c["label"]]}
    assert only["backward"]
    run(only, "backward", forward=forward32, backward=S.backward)


def test_cases_are_deterministic_and_picklable(cases):
    again = C.cases()
    assert pickle.dumps(again, protocol=4) == pickle.dumps(cases, protocol=4)


def test_counts_and_coverage(cases):
    assert {k: len(v) for k, v in cases.items()} == {
        "numerical_gradient": 6, "backward": 8, "gd_step": 5, "train": 5}
    labels = " ".join(c["label"] for c in cases["backward"])
    for h in C.HIDDEN:
        assert repr(h) in labels
    for n in (1, 2, 5, 16):
        assert f"N = {n}" in labels
    depths = {len(c["args"][0]) for c in cases["backward"]}
    assert depths == {1, 2, 3, 4}


def test_relu_cases_stay_clear_of_the_kink(cases):
    for c in cases["backward"] + cases["train"]:
        hidden = c["kwargs"]["hidden"]
        if hidden in C.KINKED:
            params, X = c["args"][0], c["args"][1]
            _, cache = S.forward(params, X, hidden)
            for Z in cache["Z"][1:-1]:
                assert np.min(np.abs(Z)) > C.MIN_ABS_Z


def test_candidates_differ_from_the_answer(cases):
    from grader.checks.diagnose import close
    for c in cases["backward"] + cases["gd_step"]:
        for cand, cause in c["options"]["candidates"]:
            differs = any(not close(x, e) for cp, ep in zip(cand, c["expected"])
                          for x, e in zip(cp, ep))
            assert differs, (c["label"], cause)
    for c in cases["numerical_gradient"]:
        e = c["expected"]
        for cand, cause in c["options"]["candidates"]:
            assert np.any(np.abs(cand - e) > C.NG_ATOL + C.NG_RTOL * np.abs(e)), (c["label"], cause)


# -- known mistakes are caught and named --------------------------------------------

def mistaken_backward(mistake):
    def backward(params, cache, Y, hidden="sigmoid"):
        X = cache["A"][0]
        return C.backward_variant(params, X, Y, hidden, mistake)
    return backward


@pytest.mark.parametrize("mistake, words", [
    ("no_mean", "without the division by N"),
    ("sign", "sign is flipped"),
    ("mean_twice", "taken twice"),
    ("dW_transposed", "transposed"),
    ("db_one_row", "one row"),
    ("g_prime_at_A", "evaluated at A"),
    ("no_g_prime", "missing in a hidden layer"),
])
def test_backward_mistakes_are_named(cases, mistake, words):
    with pytest.raises(CheckFailure, match=words):
        run(cases, "backward", forward=S.forward, backward=mistaken_backward(mistake))


def test_w_not_transposed_is_named_where_it_runs(cases):
    square = {"backward": [c for c in cases["backward"]
                           if C._all_square_after_first([c["args"][0][0][0].shape[1]]
                                                        + [W.shape[0] for W, _ in c["args"][0]])
                           and len(c["args"][0]) > 1]}
    assert square["backward"]
    with pytest.raises(CheckFailure, match="dZ\\^\\[l\\] @ W\\^\\[l\\] \\(not"):
        run(square, "backward", forward=S.forward, backward=mistaken_backward("W_not_transposed"))


def test_backward_crash_is_reported(cases):
    def broken(params, cache, Y, hidden="sigmoid"):
        raise NotImplementedError()
    with pytest.raises(CheckFailure, match="not implemented yet"):
        run(cases, "backward", forward=S.forward, backward=broken)


def _forward_diff(f, x, eps=1e-6):
    g, fx = np.zeros(x.shape), f(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        g[i] = (f(x) - fx) / eps
        x[i] = old
    return g


def _one_eps(f, x, eps=1e-6):
    return 2 * S.numerical_gradient(f, x, eps)


def _not_restored(f, x, eps=1e-6):
    g = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        fp = f(x)
        x[i] = old - eps
        g[i] = (fp - f(x)) / (2 * eps)
    return g


@pytest.mark.parametrize("fn, words", [
    (_forward_diff, "forward differences"),
    (_one_eps, "divided by eps instead of 2 eps"),
    (_not_restored, "not restored"),
])
def test_numerical_gradient_mistakes_are_named(cases, fn, words):
    with pytest.raises(CheckFailure, match=words):
        run(cases, "numerical_gradient", numerical_gradient=fn)


@pytest.mark.parametrize("fn, words", [
    (lambda p, g, lr: [(W + lr * dW, b + lr * db) for (W, b), (dW, db) in zip(p, g)], "uphill"),
    (lambda p, g, lr: [(W - lr * dW, b) for (W, b), (dW, db) in zip(p, g)], "biases"),
    (lambda p, g, lr: [(W - dW, b - db) for (W, b), (dW, db) in zip(p, g)], "learning rate"),
    (lambda p, g, lr: None, "does not `return`"),
])
def test_gd_step_mistakes_are_named(cases, fn, words):
    with pytest.raises(CheckFailure, match=words):
        run(cases, "gd_step", gd_step=fn)


def _train_after(params, X, Y, lr, epochs, hidden="sigmoid"):
    new, losses = S.train(params, X, Y, lr, epochs + 1, hidden)
    return S.train(params, X, Y, lr, epochs, hidden)[0], losses[1:]


def _train_frozen(params, X, Y, lr, epochs, hidden="sigmoid"):
    losses = []
    for _ in range(epochs):
        A, cache = S.forward(params, X, hidden)
        losses.append(S.cross_entropy(A, Y))
        S.gd_step(params, S.backward(params, cache, Y, hidden), lr)  # result dropped
    return params, losses


def _train_uphill(params, X, Y, lr, epochs, hidden="sigmoid"):
    with np.errstate(all="ignore"):
        return S.train(params, X, Y, -lr, epochs, hidden)


@pytest.mark.parametrize("fn, words", [
    (_train_after, "after the update"),
    (_train_frozen, "never change"),
    (_train_uphill, "uphill"),
])
def test_train_mistakes_are_named(cases, fn, words):
    with pytest.raises(CheckFailure, match=words):
        run(cases, "train", train=fn)


def test_inputs_are_not_shared_between_cases(cases):
    """The protocols hand copies to the student: a mutating train leaves the oracle intact."""
    before = copy.deepcopy(cases["train"][0]["args"])

    def mutating(params, X, Y, lr, epochs, hidden="sigmoid"):
        for W, b in params:
            W[...] = 0.0
        return S.train(params, X, Y, lr, epochs, hidden)
    with pytest.raises(CheckFailure):
        run(cases, "train", train=mutating)
    for (W0, b0), (W1, b1) in zip(before[0], cases["train"][0]["args"][0]):
        assert np.array_equal(W0, W1) and np.array_equal(b0, b1)
