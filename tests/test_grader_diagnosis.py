"""Diagnosis: every class of mistake is recognised and named (grader/checks/diagnose.py),
also end to end through ``backprop.check_backward`` with wrong backward passes
written here, while correct but different implementations pass.
"""
import re
import warnings

import numpy as np
import pytest

import solutions as S
from grader.checks import backprop
from grader.checks.compare import check_array
from grader.checks.diagnose import explain_shape, explain_values, name_factor
from grader.checks.report import CheckFailure, first_cause

E = np.array([[0.5, -1.2, 2.0], [0.3, 0.9, -0.4], [1.5, -0.7, 0.2], [-2.1, 0.6, 1.1]])  # (4, 3)
SQUARE = np.array([[1.0, 2.0, -0.5], [0.3, -1.0, 4.0], [2.5, 0.1, 0.7]])  # not symmetric
N_FACTOR = {"N, the batch size": 8}


# ---------------------------------------------------------------- helpers
def failure(fn, *args, **kwargs):
    """The rendered message of the CheckFailure that fn raises (fails if none), no colours."""
    with pytest.raises(CheckFailure) as info:
        fn(*args, **kwargs)
    return re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(info.value._render_traceback_()))


def array_message(got, expected=E, **options):
    return failure(check_array, got, expected, function="f", case="a test case", **options)


def backward_message(backward, forward=S.forward):
    """check_backward's rendered failure, checked to be short and free of the checker's insides."""
    msg = failure(backprop.check_backward, backward, forward, S.ACTIVATIONS)
    assert len(msg.splitlines()) < 25, msg
    assert "Traceback" not in msg and "grader/" not in msg, msg
    return msg


def first_line(message):
    return message.splitlines()[0]


def likely_cause(message):
    """The text of the message's 'likely cause:' line ('' if there is none)."""
    return first_cause(message) or ""


def engine_style_backward(mistake=None):
    """The engine's backward with one mistake: dZ^[L] = (A - Y)/N, dW = dZ.T A_prev, ..."""
    def backward(params, cache, Y, hidden="sigmoid"):
        g_prime = S.ACTIVATIONS[hidden][1]
        A, Z = cache["A"], cache["Z"]
        L, N = len(params), Y.shape[0]
        dZ = (A[L] - Y) / N
        if mistake == "no /N":
            dZ = A[L] - Y
        elif mistake == "mean twice":
            dZ = (A[L] - Y) / N / N
        elif mistake == "sign":
            dZ = (Y - A[L]) / N
        grads = [None] * L
        for l in range(L, 0, -1):
            dW, db = dZ.T @ A[l - 1], dZ.sum(axis=0)
            if mistake == "transposed dW":
                dW = A[l - 1].T @ dZ
            elif mistake == "db from one row":
                db = dZ[0]
            grads[l - 1] = (dW, db)
            if l > 1:
                W = params[l - 1][0]
                if mistake == "no g'":
                    dZ = dZ @ W
                elif mistake == "g' at A":
                    dZ = (dZ @ W) * g_prime(A[l - 1])
                elif mistake == "W not transposed":
                    dZ = (dZ @ W.T) * g_prime(Z[l - 1])
                else:
                    dZ = (dZ @ W) * g_prime(Z[l - 1])
        return grads
    return backward


# ---------------------------------------------------------------- explain_values
def test_sign_flipped():
    assert explain_values(-E, E) == ["the sign is flipped: every entry is minus the expected value"]


@pytest.mark.parametrize("factor,name", [
    (8, "8 (= N, the batch size)"), (1 / 8, "0.125 (= 1/N)"), (2, "2"), (0.5, "1/2"), (3.7, "3.7"),
])
def test_scale_factor_is_named(factor, name):
    (cause,) = explain_values(factor * E, E, factors=N_FACTOR)
    assert cause == (f"every entry is {name} times the expected value: "
                     "a scale factor is missing or extra")


def test_name_factor_without_named_factors():
    assert name_factor(2.0) == "2"
    assert name_factor(0.5) == "1/2"
    assert name_factor(8.0) == "8"
    assert name_factor(8.0, N_FACTOR) == "8 (= N, the batch size)"
    assert name_factor(-2.5) == "-2.5"


def test_transposed_square_matrix():
    assert explain_values(SQUARE.T, SQUARE) == [
        "the result is transposed (a square matrix, so the shape could not tell)"]


def test_transposed_symmetric_matrix_is_not_called_transposed():
    sym = SQUARE + SQUARE.T
    assert not any("transposed" in c for c in explain_values(sym * 2, sym))


def test_all_zero():
    (cause,) = explain_values(np.zeros_like(E), E)
    assert cause.startswith("every entry is zero")


def test_offset_by_a_constant():
    (cause,) = explain_values(E + 0.25, E)
    assert cause.startswith("every entry is off by the same constant (0.25)")


def test_each_row_scaled_by_its_own_factor():
    (cause,) = explain_values(np.array([[2.0], [0.5], [3.0], [-1.0]]) * E, E)
    assert cause.startswith("each row is off by its own factor")
    assert "g'(Z)" in cause


def test_candidates_are_matched_first():
    wrong = E ** 2
    assert explain_values(wrong, E, candidates=[(np.ones_like(E), "not this one"),
                                                (wrong, "squared by mistake")]) == [
        "squared by mistake"]
    # a known mistake beats the generic reading of the same numbers
    assert explain_values(-E, E, candidates=[(-E, "dZ^[L] = Y - A")]) == ["dZ^[L] = Y - A"]


def test_regions_name_where_the_wrong_entries_are():
    z = np.array([-2.0, -0.5, 0.0, 0.5, 3.0])
    expected = np.maximum(z, 0)
    got = np.where(z < 0, 1.0, expected)
    regions = {"z = 0": z == 0, "z < 0": z < 0}
    assert explain_values(got, expected, regions=regions) == [
        "the wrong entries are all where z < 0"]
    got[4] = 7.0  # now one wrong entry lies outside every region
    assert explain_values(got, expected, regions=regions) == []


def test_unrecognised_mistake_gives_no_cause():
    rng = np.random.default_rng(0)
    assert explain_values(rng.normal(size=E.shape), E) == []


# ---------------------------------------------------------------- explain_shape
def test_shape_transposed_non_square():
    assert "transposed" in explain_shape((3, 4), (4, 3))[0]


@pytest.mark.parametrize("got,expected", [((5,), (5, 1)), ((5, 1), (5,)), ((1, 5), (5,))])
def test_shape_extra_or_missing_axis_of_length_one(got, expected):
    assert "an axis of length 1 is extra or missing" in explain_shape(got, expected)[0]


@pytest.mark.parametrize("expected", [(5,), (5, 1)])
def test_shape_broadcast_square(expected):
    """(N,) combined with (N, 1) gives (N, N), whether (N,) or (N, 1) was expected.

    BUG (expected=(5, 1)): explain_shape((5, 5), (5, 1)) returns [] because the rule only
    handles len(got) == len(expected) + 1.
    """
    causes = explain_shape((5, 5), expected)
    assert causes and "broadcasting made a square array" in causes[0]


@pytest.mark.parametrize("got,expected", [((4,), (3, 4)), ((3,), (3, 4)), ((3, 2), (3, 5, 2))])
def test_shape_summed_over_an_axis(got, expected):
    assert "a sum or mean ran over an axis" in explain_shape(got, expected)[0]


@pytest.mark.parametrize("expected", [(3, 4), (2, 3, 2)])
def test_shape_flattened(expected):
    assert "flattened" in explain_shape((12,), expected)[0]


def test_unrelated_shape_gives_no_cause():
    assert explain_shape((7, 2), (3, 4)) == []


# ---------------------------------------------------------------- through check_array
def test_check_array_message_names_function_case_entry_and_cause():
    msg = array_message(-E, factors=N_FACTOR)
    lines = msg.splitlines()
    assert "✘ f: the result: 12 of 12 entries differ" in lines[0]
    assert "  input case:   a test case" in lines
    assert "  at entry:     [0, 0]" in lines
    assert "likely cause: the sign is flipped" in msg


def test_check_array_shape_message():
    msg = array_message(E.T)
    assert "the result has the wrong shape" in first_line(msg)
    assert "expected:     (4, 3)" in msg and "got:          (3, 4)" in msg
    assert "likely cause: the result is transposed" in msg


def test_check_array_names_the_factor_and_candidate():
    assert "0.125 (= 1/N) times" in array_message(E / 8, factors=N_FACTOR)
    msg = array_message(E ** 2, candidates=[(E ** 2, "squared by mistake")])
    assert "likely cause: squared by mistake" in msg


def test_check_array_large_arrays_show_the_first_wrong_entry_only():
    expected = np.arange(1.0, 101.0).reshape(10, 10)
    got = expected.copy()
    got[3, 7] = 0.0
    msg = array_message(got, expected)
    assert "1 of 100 entries differ" in msg
    assert "at entry:     [3, 7]" in msg
    assert "expected:     38" in msg and "got:          0" in msg
    assert len(msg.splitlines()) < 10


# ---------------------------------------------------------------- through check_backward
def test_engine_style_backward_without_mistake_passes(capsys):
    backprop.check_backward(engine_style_backward(), S.forward, S.ACTIVATIONS)
    assert "✔ backward" in capsys.readouterr().out


@pytest.mark.parametrize("mistake,block,cause", [
    ("sign", "dW[2]", "the sign is flipped"),
    ("no /N", "dW[2]", "6 (= N, the batch size) times the expected value"),
    ("mean twice", "dW[2]", "0.1667 (= 1/N) times the expected value"),
    ("db from one row", "db[2]", "the gradient of the first sample only"),
    ("no g'", "dW[1]", "g' is missing: dZ^[1] must be multiplied by g'(Z^[1])"),
    ("g' at A", "dW[1]", "g' is evaluated at A^[1] instead of Z^[1]"),
])
def test_check_backward_names_block_and_cause(mistake, block, cause):
    msg = backward_message(engine_style_backward(mistake))
    assert first_line(msg).startswith(f"✘ backward: {block}: ")
    assert cause in likely_cause(msg)
    assert "every block, top layer first:" in msg
    assert len(msg.splitlines()) < 25


def test_check_backward_transposed_dW_is_a_shape_message():
    msg = backward_message(engine_style_backward("transposed dW"))
    assert first_line(msg).startswith("✘ backward: dW[1] has the wrong shape")
    assert "expected:     (4, 3)" in msg and "got:          (3, 4)" in msg
    assert "likely cause: the result is transposed" in msg


def test_check_backward_W_not_transposed_raises_with_the_students_line():
    msg = backward_message(engine_style_backward("W not transposed"))
    assert first_line(msg).startswith("✘ backward: raised ValueError in line ")
    assert "dZ = (dZ @ W.T) * g_prime(Z[l - 1])" in first_line(msg)
    assert "a matrix product with mismatched inner dimensions" in msg


def test_check_backward_W_not_transposed_with_square_layers(monkeypatch):
    """When n_l = n_{l-1} the shapes cannot tell: the values point at the step down."""
    monkeypatch.setattr(backprop, "CASES", [([3, 3, 3], 2, "tanh")])
    msg = backward_message(engine_style_backward("W not transposed"))
    assert first_line(msg).startswith("✘ backward: dW[1]: ")
    assert ("every layer above 1 is right, "
            "so look at the step that carries dZ^[2] down to layer 1") in msg
    table = msg.splitlines()[-4:]
    assert [r.split()[::2] for r in table] == [["dW[2]", "ok"], ["db[2]", "ok"],
                                               ["dW[1]", "WRONG"], ["db[1]", "WRONG"]]


def test_check_backward_missing_g_prime_in_the_middle_layer(monkeypatch):
    """Depth 3: the mistake in layer 2 is found at layer 2, not below it."""
    def backward(params, cache, Y, hidden="sigmoid"):
        grads = engine_style_backward()(params, cache, Y, hidden)
        A, Z, N = cache["A"], cache["Z"], Y.shape[0]
        g_prime = S.ACTIVATIONS[hidden][1]
        dZ3 = (A[3] - Y) / N
        dZ2 = dZ3 @ params[2][0]  # g'(Z^[2]) forgotten here only
        dZ1 = (dZ2 @ params[1][0]) * g_prime(Z[1])
        return [(dZ1.T @ A[0], dZ1.sum(0)), (dZ2.T @ A[1], dZ2.sum(0)), grads[2]]
    monkeypatch.setattr(backprop, "CASES", [([3, 4, 3, 2], 1, "tanh")])
    msg = backward_message(backward)
    assert first_line(msg).startswith("✘ backward: dW[2]: ")
    assert "g' is missing: dZ^[2] must be multiplied by g'(Z^[2])" in msg


def test_check_backward_returning_none_says_return_is_missing():
    msg = backward_message(lambda params, cache, Y, hidden="sigmoid": None)
    assert "the result has the wrong type" in first_line(msg)
    assert "does not `return` anything" in msg


def test_check_backward_forward_must_return_a_pair():
    msg = backward_message(S.backward, lambda params, X, hidden="sigmoid":
                           S.forward(params, X, hidden=hidden)[0])
    assert first_line(msg) == "✘ forward: forward must return a pair (A_L, cache)"
    assert "got:          a numpy array of shape (1, 2)" in msg
    assert "fix forward first" in likely_cause(msg)


def test_check_backward_wrong_number_of_layers():
    msg = backward_message(lambda params, cache, Y, hidden="sigmoid":
                           engine_style_backward()(params, cache, Y, hidden)[1:])
    assert "the wrong number of layers" in first_line(msg)


# ---------------------------------------------------------------- correct but different
def loops_backward(params, cache, Y, hidden="sigmoid"):
    """One sample at a time, with outer products and explicit sums."""
    g_prime = S.ACTIVATIONS[hidden][1]
    A, Z = cache["A"], cache["Z"]
    L, N = len(params), Y.shape[0]
    grads = [[np.zeros_like(W), np.zeros_like(b)] for W, b in params]
    for n in range(N):
        delta = (A[L][n] - Y[n]) / N
        for l in range(L, 0, -1):
            grads[l - 1][0] += np.outer(delta, A[l - 1][n])
            grads[l - 1][1] += delta
            if l > 1:
                delta = (params[l - 1][0].T @ delta) * g_prime(Z[l - 1][n])
    return [tuple(p) for p in grads]


def einsum_backward(params, cache, Y, hidden="sigmoid"):
    g_prime = S.ACTIVATIONS[hidden][1]
    A, Z = cache["A"], cache["Z"]
    L = len(params)
    dZ = (A[L] - Y) / len(Y)
    grads = []
    for l in range(L, 0, -1):
        grads.append((np.einsum("ni,nj->ij", dZ, A[l - 1]), np.einsum("ni->i", dZ)))
        if l > 1:
            dZ = np.einsum("ni,ij->nj", dZ, params[l - 1][0]) * g_prime(Z[l - 1])
    return grads[::-1]


def dict_forward(params, X, hidden="sigmoid"):
    """Another valid cache layout: one dict per layer, keyed by name."""
    g = S.ACTIVATIONS[hidden][0]
    A, cache = X, {"layers": []}
    for l, (W, b) in enumerate(params, start=1):
        Z = np.dot(A, W.T) + b[None, :]
        cache["layers"].append({"input": A, "pre": Z})
        A = S.softmax(Z) if l == len(params) else g(Z)
    cache["output"] = A
    return A, cache


def dict_backward(params, cache, Y, hidden="sigmoid"):
    g_prime = S.ACTIVATIONS[hidden][1]
    dZ = (cache["output"] - Y) / Y.shape[0]
    grads = {}
    for l in reversed(range(len(params))):
        layer = cache["layers"][l]
        grads[l] = (dZ.T.dot(layer["input"]), np.sum(dZ, axis=0, keepdims=True).ravel())
        if l:
            dZ = dZ.dot(params[l][0]) * g_prime(cache["layers"][l - 1]["pre"])
    return [grads[l] for l in range(len(params))]


def float32_backward(params, cache, Y, hidden="sigmoid"):
    """The engine's backward computed in float32 (gradients come back as float32)."""
    c32 = {"A": [a.astype(np.float32) for a in cache["A"]],
           "Z": [None] + [z.astype(np.float32) for z in cache["Z"][1:]]}
    p32 = [(W.astype(np.float32), b.astype(np.float32)) for W, b in params]
    grads = S.backward(p32, c32, Y.astype(np.float32), hidden=hidden)
    assert grads[0][0].dtype == np.float32
    return grads


@pytest.mark.parametrize("backward,forward", [
    (S.backward, S.forward), (loops_backward, S.forward), (einsum_backward, S.forward),
    (dict_backward, dict_forward), (float32_backward, S.forward),
], ids=["engine", "loops", "einsum", "dict cache", "float32"])
def test_correct_but_different_backward_passes(backward, forward, capsys):
    backprop.check_backward(backward, forward, S.ACTIVATIONS)
    out = capsys.readouterr().out
    assert "✔ backward: 5 networks" in out


def test_check_backward_does_not_blame_backward_for_a_float32_forward():
    """A forward that computes in float32 makes central differences meaningless.

    BUG: the check reports the (correct) backward wrong, with quantized 'expected'
    values (0.119209 = 2^-23 / 2e-6 / ...) and 'the output layer' as the cause.
    """
    def forward32(params, X, hidden="sigmoid"):
        A, cache = S.forward([(W.astype(np.float32), b.astype(np.float32)) for W, b in params],
                             X.astype(np.float32), hidden=hidden)
        return A, cache
    try:
        backprop.check_backward(S.backward, forward32, S.ACTIVATIONS)
    except CheckFailure as exc:
        msg = str(exc)
        assert msg.startswith("✘ forward") and "float32" in msg, msg


def test_check_backward_blames_forward_when_its_output_is_not_a_distribution(capfd):
    """A forward without softmax at the output: the mean cross-entropy is nan.

    BUG: the message says `backward: dW[2]` differs from an `expected` of nan, and
    numpy's 'invalid value encountered in log' warning (backprop._cross_entropy runs
    outside calls.call's errstate) is printed to stderr dozens of times.
    """
    def forward_no_softmax(params, X, hidden="sigmoid"):
        g = S.ACTIVATIONS[hidden][0]
        A, cache = X, {"A": [X], "Z": [None]}
        for l, (W, b) in enumerate(params, start=1):
            Z = A @ W.T + b
            A = Z if l == len(params) else g(Z)
            cache["A"].append(A)
            cache["Z"].append(Z)
        return A, cache
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        msg = backward_message(S.backward, forward_no_softmax)
    assert [str(w.message) for w in caught] == []
    assert capfd.readouterr().err == ""
    assert first_line(msg).startswith("✘ forward"), msg
    assert "expected:     [[nan" not in msg
