"""Hidden cases of notebook 05: the engine and other correct implementations pass,
every known mistake fails with a message that names it."""
import copy
import pickle

import numpy as np
import pytest

import solutions as S
from grader.checks import backprop as B
from grader.checks.backprop import CAUSES
from grader.checks.compare import REVERSED_CAUSE
from grader.pipeline.verdict import grade_in_memory
from grader.checks.report import CheckFailure
from grader.pipeline.cases import backprop as C
from solutions.gradcheck import directional_check, planted_bug, relative_error
from solutions.network import backward_mse, scalar_chain_grad
from solutions.training import minibatches


@pytest.fixture(scope="module")
def cases():
    return C.cases()


def run(cases, function, **fns):
    """What the hidden cell and the grader do together, on the cases in memory."""
    grade_in_memory(cases, function, **fns)


# -- other correct implementations ------------------------------------------------

def backward_loops(params, cache, Y, hidden="sigmoid"):
    """The forward/backward lecture's algorithm: one sample at a time, accumulate, divide by N."""
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
        "numerical_gradient": 6, "backward": 8, "gd_step": 5, "train": 5,
        "scalar_chain_grad": 5, "backward_mse": 5, "relative_error": 5, "directional_check": 4,
        "planted_bug": 1, "minibatches": 5}
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

    def differ(pairs, expected):
        return any(not close(x, e) for cp, ep in zip(pairs, expected) for x, e in zip(cp, ep))
    for c in cases["backward"]:
        for cand, cause in c["options"]["candidates"]:
            assert differ(cand, c["expected"]), (c["label"], cause)
    for c in cases["gd_step"] + cases["train"]:
        for (part, kind), expected in zip(c["kind"], c["expected"]):
            for cand, cause in c["options"][part]["candidates"]:
                if kind == "pairs":
                    assert differ(cand, expected), (c["label"], part, cause)
                else:
                    assert not close(cand, expected), (c["label"], part, cause)
    for c in cases["numerical_gradient"]:
        e = c["expected"][0]
        for cand, cause in c["options"]["the gradient"]["candidates"]:
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
    return C.differences(f, x, eps, "ng_forward")


def _one_eps(f, x, eps=1e-6):
    return C.differences(f, x, eps, "ng_one_eps")


def _not_restored(f, x, eps=1e-6):
    g = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        fp = f(x)
        x[i] = old - eps
        g[i] = (fp - f(x)) / (2 * eps)
    return g


def _not_restored_on_a_copy(f, x, eps=1e-6):
    """Leaves every entry shifted, but on its own copy: the caller's x is unchanged."""
    return _not_restored(f, x.copy(), eps)


def _restored_at_the_end(f, x, eps=1e-6):
    """Right gradient (each entry restored before the next), but x ends shifted by eps."""
    g = S.numerical_gradient(f, x, eps)
    x -= eps
    return g


def _restored_by_arithmetic(f, x, eps=1e-6):
    """x[i] += eps, -= 2 eps, += eps: x comes back off by rounding, not exactly restored."""
    g = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        x[i] += eps
        fp = f(x)
        x[i] -= 2 * eps
        fm = f(x)
        x[i] += eps
        g[i] = (fp - fm) / (2 * eps)
    return g


@pytest.mark.parametrize("fn, words", [
    (_forward_diff, "forward differences"),
    (_one_eps, "divided by eps instead of 2 eps"),
    (_not_restored, "✘ numerical_gradient: the gradient: "),
    (_not_restored_on_a_copy, "✘ numerical_gradient: the gradient: "),
    (_restored_at_the_end, "✘ numerical_gradient: x after the call: "),
    (_restored_by_arithmetic, "✘ numerical_gradient: x after the call: "),
])
def test_numerical_gradient_mistakes_are_named(cases, fn, words):
    with pytest.raises(CheckFailure, match=words) as info:
        run(cases, "numerical_gradient", numerical_gradient=fn)
    cause = {_not_restored: CAUSES["not_restored"], _not_restored_on_a_copy: CAUSES["not_restored"],
             _restored_at_the_end: CAUSES["x_changed"],
             _restored_by_arithmetic: CAUSES["x_changed"]}.get(fn)
    if cause:
        assert "  likely cause: " + cause in str(info.value)


def _gd_in_place(params, grads, lr):
    for (W, b), (dW, db) in zip(params, grads):
        W -= lr * dW
        b -= lr * db
    return params


def _gd_weights_in_place(params, grads, lr):
    out = []
    for (W, b), (dW, db) in zip(params, grads):
        W -= lr * dW
        out.append((W, b - lr * db))
    return out


def _gd_list_in_place(params, grads, lr):
    for l, ((W, b), (dW, db)) in enumerate(zip(params, grads)):
        params[l] = (W - lr * dW, b - lr * db)
    return params


def _gd_scales_grads(params, grads, lr):
    out = []
    for (W, b), (dW, db) in zip(params, grads):
        dW *= lr
        db *= lr
        out.append((W - dW, b - db))
    return out


@pytest.mark.parametrize("fn, message", [
    (_gd_in_place, "params after the call, W[1]"),
    (_gd_weights_in_place, "params after the call, W[1]"),
    (_gd_list_in_place, "params after the call, W[1]"),
    (_gd_scales_grads, "grads after the call, dW[1]"),
])
def test_gd_step_that_changes_its_inputs_fails_with_the_in_place_cause(cases, fn, message):
    """gd_step's docstring: NEW params, the inputs left unchanged. Its values are right."""
    with pytest.raises(CheckFailure) as info:
        run(cases, "gd_step", gd_step=fn)
    text = str(info.value)
    assert text.startswith(f"✘ gd_step: {message}: "), text
    cause = CAUSES["grads_in_place"] if "grads" in message else CAUSES["in_place"]
    assert "  likely cause: " + cause in text


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


def _train_passing(to_forward, to_backward):
    """A train that passes `hidden` on to forward and backward, or not (None)."""
    def train(params, X, Y, lr, epochs, hidden="sigmoid"):
        losses = []
        for _ in range(epochs):
            A, cache = S.forward(params, X, *[hidden] * (to_forward is not None))
            losses.append(S.cross_entropy(A, Y))
            grads = S.backward(params, cache, Y, *[hidden] * (to_backward is not None))
            params = S.gd_step(params, grads, lr)
        return params, losses
    return train


@pytest.mark.parametrize("fn, words", [
    (_train_after, "after the update"),
    (_train_frozen, CAUSES["frozen_params"]),
    (_train_uphill, "uphill"),
    (_train_passing(None, None), CAUSES["ignores_hidden"]),
    (_train_passing(None, "on"), CAUSES["forward_no_hidden"]),
    (_train_passing("on", None), CAUSES["backward_no_hidden"]),
])
def test_train_mistakes_are_named(cases, fn, words):
    with pytest.raises(CheckFailure) as info:
        run(cases, "train", train=fn)
    assert words in str(info.value)
    assert "note:" not in str(info.value)  # the replays cover what such a train asks for


def test_train_that_passes_hidden_on_passes(cases):
    run(cases, "train", train=_train_passing("on", "on"))


def _backward_reversed(params, cache, Y, hidden="sigmoid"):
    return S.backward(params, cache, Y, hidden)[::-1]


def test_backward_in_reverse_order_is_named(cases):
    with pytest.raises(CheckFailure) as info:
        run(cases, "backward", forward=S.forward, backward=_backward_reversed)
    assert str(info.value).startswith("✘ backward: the result lists the layers in reverse order")
    assert "  likely cause: " + REVERSED_CAUSE in str(info.value)


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


# -- the derivation tasks and the gradient-check tools ---------------------------------------

def run_mse(cases, fn, forward=S.forward):
    run(cases, "backward_mse", forward=B.identity_output(forward), backward=fn, backward_mse=fn)


def test_the_engine_passes_the_new_cases(cases):
    run(cases, "scalar_chain_grad", scalar_chain_grad=scalar_chain_grad)
    run_mse(cases, backward_mse)
    run(cases, "relative_error", relative_error=relative_error)
    run(cases, "directional_check", directional_check=B.on_quadratic(directional_check))
    run(cases, "planted_bug", planted_bug=planted_bug)
    run(cases, "minibatches", minibatches=B.minibatch_record(minibatches))


def test_other_correct_new_implementations_pass(cases):
    def shuffled_split(N, batch_size, rng):
        idx = np.arange(N)
        rng.shuffle(idx)
        return np.array_split(idx, range(batch_size, N, batch_size))

    def directional_in_place(f, x, g, v, eps=1e-6):
        old = x.copy()
        x += eps * v
        plus = f(x)
        x[...] = old - eps * v
        minus = f(x)
        x[...] = old
        return (plus - minus) / (2 * eps), float(g.ravel() @ v.ravel())
    run(cases, "minibatches", minibatches=B.minibatch_record(shuffled_split))
    run(cases, "directional_check", directional_check=B.on_quadratic(directional_in_place))
    run(cases, "planted_bug", planted_bug=lambda: (np.int64(2), 0))
    run_mse(cases, lambda p, c, Y, hidden="sigmoid": S.backward(p, c, Y, hidden))


def _wrong_backward(params, cache, Y, hidden="sigmoid"):
    return [(-dW, -db) for dW, db in S.backward(params, cache, Y, hidden)]


def test_backward_mse_that_calls_a_wrong_backward_loses_nothing(cases):
    """backward_mse = backward(...) gets the reference backward replayed: a wrong backward
    costs backward's points only."""
    import types
    space = {"backward": _wrong_backward}
    code = "def backward_mse(params, cache, Y, hidden='sigmoid'):\n" \
           "    return backward(params, cache, Y, hidden)\n"
    exec(code, space)
    fn = types.FunctionType(space["backward_mse"].__code__, space)
    run_mse(cases, fn)


@pytest.mark.parametrize("mistake, words", [
    ("mse_half", CAUSES["mse_half"]), ("mse_output_g_prime", CAUSES["mse_output_g_prime"]),
    ("mse_sign", CAUSES["mse_sign"]), ("mse_no_mean", CAUSES["mse_no_mean"]),
    ("dW_transposed", "transposed"),
    ("no_g_prime", "missing in a hidden layer"),
])
def test_backward_mse_mistakes_are_named(cases, mistake, words):
    def wrong(params, cache, Y, hidden="sigmoid"):
        return C.mse_variant(params, cache["A"][0], Y, hidden, mistake)
    with pytest.raises(CheckFailure) as info:
        run_mse(cases, wrong)
    assert words in str(info.value)


@pytest.mark.parametrize("mistake", C.CHAIN_KEYS)
def test_scalar_chain_mistakes_are_named(cases, mistake):
    with pytest.raises(CheckFailure) as info:
        run(cases, "scalar_chain_grad",
            scalar_chain_grad=lambda *args: C.chain_variant(*args, mistake))
    assert "  likely cause: " + CAUSES[mistake] in str(info.value)


@pytest.mark.parametrize("mistake, words", [
    *[(key, CAUSES[key]) for key in C.REL_KEYS], ("rel_no_floor", "0/0"),
])
def test_relative_error_mistakes_are_named(cases, mistake, words):
    with pytest.raises(CheckFailure) as info:
        run(cases, "relative_error", relative_error=lambda a, b: C.relative_variant(a, b, mistake))
    assert words in str(info.value)


@pytest.mark.parametrize("mistake, words", [
    *[(key, CAUSES[key]) for key in C.DIR_KEYS], ("x_shifted", CAUSES["dir_x_changed"]),
])
def test_directional_check_mistakes_are_named(cases, mistake, words):
    from tests.test_checks_backprop import _directional

    def shifted(f, x, g, v, eps=1e-6):
        out = directional_check(f, x, g, v, eps)
        x += eps * v
        return out
    fn = shifted if mistake == "x_shifted" else _directional(mistake)
    with pytest.raises(CheckFailure) as info:
        run(cases, "directional_check", directional_check=B.on_quadratic(fn))
    assert "  likely cause: " + words in str(info.value)


@pytest.mark.parametrize("answer, words", [
    ((1, 0), CAUSES["bug_layer_from_0"]), ((2, 1), CAUSES["bug_other_array"]),
    ([2, 0], "a tuple (l, k)"),
])
def test_planted_bug_answers_are_named(cases, answer, words):
    with pytest.raises(CheckFailure) as info:
        run(cases, "planted_bug", planted_bug=lambda: answer)
    assert words in str(info.value)


@pytest.mark.parametrize("mistake, words", [
    ("drops_last", CAUSES["mb_drops_last"]), ("empty_last", CAUSES["mb_empty_last"]),
    ("not_shuffled", CAUSES["mb_not_shuffled"]), ("repeats", CAUSES["mb_repeats"]),
    ("global", CAUSES["mb_not_reproducible"]), ("float", "integer arrays"),
])
def test_minibatch_mistakes_are_named(cases, mistake, words):
    from tests.test_checks_backprop import _batches
    with pytest.raises(CheckFailure) as info:
        run(cases, "minibatches", minibatches=B.minibatch_record(_batches(mistake)))
    assert words in str(info.value)
