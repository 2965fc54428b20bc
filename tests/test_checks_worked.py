"""The visible checks and hidden cases of notebook 06 (the worked 2-2-2 example).

The engine passes every check; each typical mistake, written here as a small buggy
variant, is caught with a message naming its cause; bad returns get their message.
"""
import re
from pathlib import Path

import numpy as np
import pytest

import solutions as S
from solutions.worked_222 import dL_dw1_21, w1_11_after_step
from grader.checks import visible_cases, worked as W
from grader.pipeline.verdict import grade_in_memory
from grader.checks.report import CheckFailure
from grader.pipeline.cases import worked as cases_module


# ---------------------------------------------------------------------------
# Buggy variants of the student functions


def _made(mistakes, key):
    """A student function with one named mistake, as the case table makes it (one of the
    engine's variants in grader/pipeline/cases/worked.py)."""
    def fn(x, y, params):
        return float(mistakes(x, y, params)[key])
    return fn


def _fwd(key):
    def forward(x, params):
        return cases_module._forward(x, params, key)
    return forward


fwd_x_for_a1 = _fwd("z2_x")  # the LUMS EE514 slide's typo: z2 from x
fwd_transposed = _fwd("z1_T")
fwd_no_activation = _fwd("a1_z")


def fwd_list(x, params):
    return list(S.forward_222(x, params))


def fwd_loops(x, params):  # correct, written with loops and Python floats
    (W1, b1), (W2, b2) = params
    z1 = np.array([sum(W1[j, k] * x[k] for k in range(2)) + b1[j] for j in range(2)])
    a1 = 1 / (1 + np.exp(-z1))
    z2 = np.array([sum(W2[j, k] * a1[k] for k in range(2)) + b2[j] for j in range(2)])
    return z1, a1, z2, 1 / (1 + np.exp(-z2))


dw2_no_sp = _made(cases_module._dw2_mistakes, "no_sp")
dw2_sp_at_a = _made(cases_module._dw2_mistakes, "sp_a")
dw2_x = _made(cases_module._dw2_mistakes, "x_for_a1")


def dw2_no_half(x, y, params):
    return 2 * S.dL_dw2_11(x, y, params)


def dw2_array(x, y, params):
    return np.array([S.dL_dw2_11(x, y, params)])


def _paths(x, y, params):
    m = cases_module._dw1_mistakes(x, y, params)
    return [float(m["path1"]), float(m["path2"])]


dw1_path1 = _made(cases_module._dw1_mistakes, "path1")
dw1_path2 = _made(cases_module._dw1_mistakes, "path2")
dw1_row = _made(cases_module._dw1_mistakes, "row")
dw1_no_hidden_sp = _made(cases_module._dw1_mistakes, "no_sp1")
dw1_sp_at_a1 = _made(cases_module._dw1_mistakes, "sp_a1")  # sigmoid_prime(a1[0]), not of z1[0]


def dw1_via_backprop(x, y, params):  # correct: entry (1, 1) of the vectorized rule
    return S.backprop_222(x, y, params)[0][0][0, 0]


def _w21(mistake):
    """dL/dw1_21 (W1[1, 0]) written with one typical mistake (a key of the case table's)."""
    return _made(cases_module._dw1_21_mistakes, mistake)


def dw1_21_via_backprop(x, y, params):  # correct: entry (2, 1) of the vectorized rule
    return S.backprop_222(x, y, params)[0][0][1, 0]


def dw1_21_loops(x, y, params):  # correct: the two paths as a loop over the output units
    (W1, b1), (W2, b2) = params
    z1, a1, z2, a2 = fwd_loops(x, params)
    total = 0.0
    for k in range(2):
        total += (a2[k] - y[k]) * a2[k] * (1 - a2[k]) * W2[k, 1]
    return total * a1[1] * (1 - a1[1]) * x[0]


def _bp(mistake):
    def backprop(x, y, params):
        a1 = S.forward_222(x, params)[1]
        delta_mistakes = ("no_sp", "no_sp2", "sp_a", "sp_a2", "no_sp1", "sp_a1", "no_T")
        d1, d2 = cases_module._deltas(x, y, params,
                                      mistake if mistake in delta_mistakes else None)
        if mistake == "outer_T":
            return [(np.outer(x, d1), d1), (np.outer(a1, d2), d2)]
        if mistake == "dW2_x":
            return [(np.outer(d1, x), d1), (np.outer(d2, x), d2)]
        if mistake == "no_db":
            return [(np.outer(d1, x), np.zeros(2)), (np.outer(d2, a1), np.zeros(2))]
        if mistake == "sign":
            return [(-np.outer(d1, x), -d1), (-np.outer(d2, a1), -d2)]
        if mistake == "reversed":
            return [(np.outer(d2, a1), d2), (np.outer(d1, x), d1)]
        if mistake == "star":  # delta * a where np.outer(delta, a) is needed
            return [(np.outer(d1, x), d1), (d2 * a1, d2)]
        return [(np.outer(d1, x), d1), (np.outer(d2, a1), d2)]
    return backprop


def bp_einsum(x, y, params):  # correct, another style
    (W1, b1), (W2, b2) = params
    z1 = np.einsum("jk,k->j", W1, x) + b1
    a1 = 1 / (1 + np.exp(-z1))
    z2 = np.einsum("jk,k->j", W2, a1) + b2
    a2 = 1 / (1 + np.exp(-z2))
    d2 = (a2 - y) * a2 * (1 - a2)
    d1 = np.einsum("jk,j->k", W2, d2) * a1 * (1 - a1)
    return ((np.einsum("j,k->jk", d1, x), d1), (np.einsum("j,k->jk", d2, a1), d2))


def _tr(sign=1.0, bias=True, after=False, fixed_lr=None, inplace=False, extra=False,
        steps_fixed=None):
    def train(x, y, params, lr=0.5, steps=1000):
        lr = fixed_lr if fixed_lr is not None else lr
        steps = steps_fixed if steps_fixed is not None else steps
        losses = []
        for _ in range(steps):
            if not after:
                losses.append(S.squared_error(S.forward_222(x, params)[3], y))
            grads = S.backprop_222(x, y, params)
            if inplace:
                for (Wl, bl), (dW, db) in zip(params, grads):
                    Wl -= lr * dW
                    bl -= lr * db
            else:
                params = [(Wl - sign * lr * dW, bl - sign * lr * db if bias else bl)
                          for (Wl, bl), (dW, db) in zip(params, grads)]
            if after:
                losses.append(S.squared_error(S.forward_222(x, params)[3], y))
        if extra:
            losses.append(S.squared_error(S.forward_222(x, params)[3], y))
        return params, losses
    return train


def train_array_losses(x, y, params, lr=0.5, steps=1000):  # correct: losses as an array
    params, losses = S.train_222(x, y, params, lr, steps)
    return params, np.array(losses)


def train_losses_as_arrays(x, y, params, lr=0.5, steps=1000):
    params, losses = S.train_222(x, y, params, lr, steps)
    return params, [np.array([v]) for v in losses]


def not_implemented(*args, **kwargs):
    raise NotImplementedError()


def returns_none(*args, **kwargs):
    return None


# ---------------------------------------------------------------------------
# The engine (and correct variants) pass


@pytest.mark.parametrize("check, args", [
    (W.check_forward_222, (S.forward_222,)),
    (W.check_forward_222, (fwd_loops,)),
    (W.check_dL_dw2_11, (S.dL_dw2_11, S.forward_222)),
    (W.check_dL_dw1_11, (S.dL_dw1_11, S.forward_222)),
    (W.check_dL_dw1_11, (dw1_via_backprop, fwd_loops)),
    (W.check_dL_dw1_21, (dL_dw1_21, S.forward_222)),
    (W.check_dL_dw1_21, (dw1_21_via_backprop, S.forward_222)),
    (W.check_dL_dw1_21, (dw1_21_loops, fwd_loops)),
    (W.check_w1_11_after_step, (w1_11_after_step,)),
    (W.check_w1_11_after_step, (lambda: 0.149781,)),
    (W.check_w1_11_after_step, (lambda: np.float64(0.1497807),)),
    (W.check_backprop_222, (S.backprop_222, S.forward_222)),
    (W.check_backprop_222, (bp_einsum, fwd_loops)),
    (W.check_train_222, (S.train_222, S.forward_222)),
    (W.check_train_222, (train_array_losses, S.forward_222)),
])
def test_correct_functions_pass(check, args, capsys):
    check(*args)
    assert "✔" in capsys.readouterr().out


# ---------------------------------------------------------------------------
# Typical mistakes are caught, and named


@pytest.mark.parametrize("fn, cause", [
    (fwd_x_for_a1, "z2 was computed from x instead of a1"),
    (fwd_transposed, r"W1\.T @ x was used"),
    (fwd_no_activation, "the activation is missing: a1 = sigmoid"),
    (fwd_list, r"return z1, a1, z2, a2 \(a tuple"),
    (not_implemented, "not implemented yet"),
    (returns_none, "does not `return` anything"),
    (lambda x, p: tuple(np.round(o).astype(int) for o in S.forward_222(x, p)), "dtype int"),
    (lambda x, p: tuple(o.reshape(2, 1) for o in S.forward_222(x, p)), "wrong shape"),
    (lambda x, p: tuple(o * np.nan for o in S.forward_222(x, p)), "nan or inf"),
    (lambda x, p: 1 / 0, "raised ZeroDivisionError"),
])
def test_forward_mistakes(fn, cause):
    with pytest.raises(CheckFailure, match=cause):
        W.check_forward_222(fn)


@pytest.mark.parametrize("fn, cause", [
    (dw2_no_sp, r"sigma'\(z\) is missing"),
    (dw2_sp_at_a, "evaluated at a = sigma"),
    (dw2_x, "the INPUT of layer 2, not x_1"),
    (dw2_no_half, "the 1/2 cancels the 2"),
    (lambda x, y, p: -S.dL_dw2_11(x, y, p), "the sign is flipped"),
    (dw2_array, "return a single number"),
    (returns_none, "does not `return` anything"),
    (not_implemented, "not implemented yet"),
    (lambda x, y, p: float("nan"), "nan or inf"),
])
def test_dw2_mistakes(fn, cause):
    with pytest.raises(CheckFailure, match=cause):
        W.check_dL_dw2_11(fn, S.forward_222)


@pytest.mark.parametrize("fn, cause", [
    (dw1_path1, "only the path through yhat_1 is counted"),
    (dw1_path2, "only the path through yhat_2 is counted"),
    (dw1_row, r"used w2_12 = W2\[0, 1\]"),
    (dw1_no_hidden_sp, r"sigma'\(z1_1\) is missing"),
    (dw1_sp_at_a1, r"evaluated at its activation a1_1 instead of its pre-activation z1_1"),
    (lambda x, y, p: -S.dL_dw1_11(x, y, p), "the sign is flipped"),
    (returns_none, "does not `return` anything"),
])
def test_dw1_mistakes(fn, cause):
    with pytest.raises(CheckFailure, match=cause):
        W.check_dL_dw1_11(fn, S.forward_222)


def test_dw1_one_path_message_names_the_missing_path():
    with pytest.raises(CheckFailure) as info:
        W.check_dL_dw1_11(dw1_path1, S.forward_222)
    text = str(info.value)
    assert "dL_dw1_11" in text and "LUMS EE514" in text and "BOTH z2_1 and z2_2" in text


@pytest.mark.parametrize("mistake, cause", [
    ("p21_path1", "only the path through yhat_1 is counted: w1_21 changes a1_2"),
    ("p21_path2", "only the path through yhat_2 is counted: w1_21 changes a1_2"),
    ("p21_row", r"W2\[1, :\] was used in place of W2\[:, 1\]"),
    ("p21_col0", r"W2\[:, 0\] was used: those weights leave hidden unit 1"),
    ("p21_sp_unit1", r"sigma' of the wrong hidden unit.*sigmoid_prime\(z1\[1\]\)"),
    ("p21_x2", "is x_1 \\(w1_21 multiplies input 1\\), not x_2"),
    ("p21_swapped", r"this is dL/dw1_12.*w1_21 = W1\[1, 0\] is row 2"),
    ("p21_copy", "this is dL/dw1_11: for w1_21 change the hidden unit"),
    ("p21_no_sp1", r"sigma'\(z1_2\) is missing"),
    ("p21_sp_a1", "evaluated at its activation a1_2 instead of its pre-activation z1_2"),
    ("no_sp", r"sigma'\(z\) is missing"),
])
def test_dw1_21_mistakes(mistake, cause):
    with pytest.raises(CheckFailure, match="dL_dw1_21") as info:
        W.check_dL_dw1_21(_w21(mistake), S.forward_222)
    assert re.search(cause, str(info.value)), str(info.value)


@pytest.mark.parametrize("fn, cause", [
    (lambda x, y, p: 2 * dL_dw1_21(x, y, p), "(?s)not x_2.*or: twice the expected value"),
    (lambda x, y, p: -dL_dw1_21(x, y, p), "the sign is flipped"),
    (returns_none, "does not `return` anything"),
    (not_implemented, "not implemented yet"),
])
def test_dw1_21_other_mistakes(fn, cause):
    """On the lecture's network x_2 = 2 x_1: both mistakes that double the result are named."""
    with pytest.raises(CheckFailure, match=cause):
        W.check_dL_dw1_21(fn, S.forward_222)


def test_dw1_21_wrong_only_off_the_lecture_inputs_is_caught_by_central_differences():
    def sneaky(x, y, params):
        return dL_dw1_21(x, y, params) * (1.5 if np.allclose(x, W.X_C) else 1.0)
    with pytest.raises(CheckFailure, match="against central differences"):
        W.check_dL_dw1_21(sneaky, S.forward_222)


STEP = w1_11_after_step()


@pytest.mark.parametrize("value, cause", [
    (0.150219, "the sign of the step"),
    (0.149561, "eta = 0.5 not applied"),
    (0.000439, "the gradient dL/dw1_11 itself, not the new weight"),
    (0.000219, "the change eta"),
    (0.15, "the weight has not moved"),
    (0.108916, "the gradient of w2_11"),
    (0.358916, "this is the new w2_11"),
    (0.249751, r"this is the new w1_21 = W1\[1, 0\]"),
    (0.149666, "the gradient of one path only"),
    (0.1498, "close, but not to 6 decimals"),
    (0.14978, "close, but not to 6 decimals"),
    (STEP + 6e-7, "close, but not to 6 decimals"),
    (0.5, "recompute w1_11 - eta"),
])
def test_step_answer_mistakes_are_named_without_the_answer(value, cause):
    with pytest.raises(CheckFailure, match=cause) as info:
        W.check_w1_11_after_step(lambda: value)
    text = str(info.value)
    assert "w1_11_after_step" in text and "5e-07" in text and "expected" not in text
    assert not re.search(r"0\.14978[01]|0\.1497807", text.replace(f"{value:.8g}", "")), text


@pytest.mark.parametrize("fn, cause", [
    (lambda: "0.149781", "without quotes"),
    (returns_none, "does not `return` anything"),
    (not_implemented, "not implemented yet"),
    (lambda: [0.149781, 0.2], "wrong type"),
])
def test_step_answer_bad_returns(fn, cause):
    with pytest.raises(CheckFailure, match=cause):
        W.check_w1_11_after_step(fn)


def test_step_answer_tolerance_is_5e_7_absolute(capsys):
    W.check_w1_11_after_step(lambda: STEP + 4.9e-7)
    W.check_w1_11_after_step(lambda: STEP - 4.9e-7)
    assert capsys.readouterr().out.count("✔") == 2
    for off in (5.1e-7, -5.1e-7):
        with pytest.raises(CheckFailure):
            W.check_w1_11_after_step(lambda: STEP + off)


def test_check_module_does_not_ship_the_step_answer():
    text = Path(W.__file__).read_text()
    assert "0.149781" not in text and "0.1497807" not in text


def test_gradient_checks_need_a_working_forward():
    for check, fn in ((W.check_dL_dw2_11, S.dL_dw2_11), (W.check_dL_dw1_11, S.dL_dw1_11),
                      (W.check_dL_dw1_21, dL_dw1_21),
                      (W.check_backprop_222, S.backprop_222), (W.check_train_222, S.train_222)):
        with pytest.raises(CheckFailure, match="run check_forward_222 above"):
            check(fn, fwd_x_for_a1)
        with pytest.raises(CheckFailure, match="not implemented yet"):
            check(fn, not_implemented)


@pytest.mark.parametrize("mistake, cause", [
    ("no_sp", r"sigma'\(z\) is missing in delta"),
    ("sp_a", "evaluated at a instead of z"),
    ("no_sp2", r"sigma'\(z\) is missing in delta"),
    ("sp_a2", "evaluated at a instead of z"),
    ("no_sp1", r"sigma'\(z1\) is missing in delta1"),
    ("sp_a1", "evaluated at a1 instead of z1"),
    ("no_T", r"W2 @ delta2 was used"),
    ("outer_T", "the outer product is transposed"),
    ("dW2_x", "dW2 used x"),
    ("no_db", "every entry is zero"),
    ("sign", "the sign is flipped"),
    ("reversed", r"(?s)lists the layers in reverse order.*layer L first"),
    ("star", r"(?s)dW2 has the wrong shape.*element-wise product of two vectors"),
])
def test_backprop_mistakes(mistake, cause):
    with pytest.raises(CheckFailure, match=cause):
        W.check_backprop_222(_bp(mistake), S.forward_222)


@pytest.mark.parametrize("fn, cause", [
    (returns_none, "does not `return` anything"),
    (not_implemented, "not implemented yet"),
    (lambda x, y, p: S.backprop_222(x, y, p)[1], "one \\(dW, db\\) pair, not one pair per layer"),
    (lambda x, y, p: [(dW.tolist(), db) for dW, db in S.backprop_222(x, y, p)], "wrong type"),
    (lambda x, y, p: [(dW.ravel(), db) for dW, db in S.backprop_222(x, y, p)], "flattened"),
])
def test_backprop_bad_returns(fn, cause):
    with pytest.raises(CheckFailure, match=cause):
        W.check_backprop_222(fn, S.forward_222)


def test_backprop_wrong_only_off_the_test_vectors_is_caught_by_central_differences():
    def sneaky(x, y, params):
        grads = S.backprop_222(x, y, params)
        if np.allclose(x, W.X_C):
            grads[0] = (grads[0][0] * 1.5, grads[0][1])
        return grads
    with pytest.raises(CheckFailure, match=r"dW\[1\] disagrees with central differences"):
        W.check_backprop_222(sneaky, S.forward_222)


@pytest.mark.parametrize("fn, cause", [
    (_tr(sign=-1.0), "the update goes uphill"),
    (_tr(bias=False), "the biases are not updated"),
    (_tr(after=True), "recorded after step k"),
    (_tr(fixed_lr=0.5), "the learning rate is ignored"),
    (_tr(extra=True), "one loss too many"),
    (_tr(steps_fixed=1000), "steps is ignored"),
    (_tr(inplace=True), "changed in place"),
    (lambda x, y, p, lr=0.5, steps=1000: S.train_222(x, y, p, lr, steps)[0], "wrong type"),
    (lambda x, y, p, lr=0.5, steps=1000: (p, None), "losses has the wrong type"),
    (train_losses_as_arrays, "not a flat list of numbers"),
    (returns_none, "does not `return` anything"),
    (not_implemented, "not implemented yet"),
])
def test_train_mistakes(fn, cause):
    with pytest.raises(CheckFailure, match=cause):
        W.check_train_222(fn, S.forward_222)


def test_train_default_arguments_are_checked():
    def wrong_defaults(x, y, params, lr=0.1, steps=1000):
        return S.train_222(x, y, params, lr, steps)
    with pytest.raises(CheckFailure, match=r"losses\[0\], losses\[999\]"):
        W.check_train_222(wrong_defaults, S.forward_222)


# ---------------------------------------------------------------------------
# The check module ships no reference code; its test vectors are the engine's


def test_check_module_ships_no_engine():
    text = Path(W.__file__).read_text()
    assert not re.search(r"^\s*(from|import)\s+solutions\b", text, re.M)
    assert "def forward_222" not in text and "def backprop_222" not in text


def test_the_slides_numbers_in_the_visible_cases():
    """The visible cases are the engine's (the case table computes them); the LUMS EE514
    slides' numbers hold in them (to 6 decimals, atol 1e-6), and the generated module does
    not ship the step answer either."""
    lec = {f: visible_cases("worked", f)[0] for f in ("forward_222", "backprop_222",
                                                      "dL_dw1_11")}
    np.testing.assert_allclose(lec["forward_222"]["expected"][3], [0.751365, 0.772928],
                               atol=1e-6)
    x, y, p = lec["dL_dw1_11"]["args"]
    assert S.squared_error(lec["forward_222"]["expected"][3], y) == pytest.approx(0.298371,
                                                                                   abs=1e-6)
    np.testing.assert_allclose(lec["backprop_222"]["expected"][0][0],
                               [[4.3857e-4, 8.7714e-4], [4.9771e-4, 9.9543e-4]], atol=1e-6)
    assert sum(_paths(x, y, p)) == pytest.approx(lec["dL_dw1_11"]["expected"], rel=1e-12)
    assert p[0][0][0, 0] - W.ETA * lec["dL_dw1_11"]["expected"] == pytest.approx(STEP,
                                                                                 rel=1e-15)
    text = Path(W.__file__).with_name("worked_cases.py").read_text()
    assert "0.149781" not in text and "0.1497807" not in text


# ---------------------------------------------------------------------------
# Hidden cases


@pytest.fixture(scope="module")
def oracle():
    return cases_module.cases()


def _grade(oracle, function, **fns):
    """What the hidden cell and the grader do together, on the cases in memory."""
    grade_in_memory(oracle, function, **fns)


def test_every_contract_function_has_4_to_10_cases(oracle):
    """(w1_11_after_step takes no input: its one case is the number itself.)"""
    from grader.pipeline.assignments import get
    assert set(oracle) == set(get("06-worked-example-222").functions)
    for function, cs in oracle.items():
        assert (len(cs) == 1 if function == "w1_11_after_step" else 4 <= len(cs) <= 10), \
            (function, len(cs))
        assert any("LUMS EE514" in c["label"] for c in cs), function


def test_the_step_answer_is_graded_to_5e_7_absolute(oracle):
    for value, ok in ((STEP + 4.9e-7, True), (STEP - 4.9e-7, True), (0.149781, True),
                      (STEP + 5.1e-7, False), (STEP - 5.1e-7, False)):
        if ok:
            _grade(oracle, "w1_11_after_step", w1_11_after_step=lambda: value)
        else:
            with pytest.raises(CheckFailure, match="close, but not to 6 decimals"):
                _grade(oracle, "w1_11_after_step", w1_11_after_step=lambda: value)


def test_train_hidden_cases_keep_the_callers_params(oracle):
    """The docstring says the params are not modified: every hidden case checks it."""
    for c in oracle["train_222"]:
        assert c["kept"] == [2], c["label"]


def test_cases_are_deterministic(oracle):
    again = cases_module.cases()
    for function in oracle:
        for a, b in zip(oracle[function], again[function]):
            assert a["label"] == b["label"]
            for u, v in zip(a["args"][:1], b["args"][:1]):  # (w1_11_after_step has no input)
                np.testing.assert_array_equal(np.asarray(u), np.asarray(v))


@pytest.mark.parametrize("function, fns", [
    ("forward_222", {"forward_222": S.forward_222}),
    ("forward_222", {"forward_222": fwd_loops}),
    ("dL_dw2_11", {"dL_dw2_11": S.dL_dw2_11}),
    ("dL_dw1_11", {"dL_dw1_11": S.dL_dw1_11}),
    ("dL_dw1_11", {"dL_dw1_11": dw1_via_backprop}),
    ("dL_dw1_21", {"dL_dw1_21": dL_dw1_21}),
    ("dL_dw1_21", {"dL_dw1_21": dw1_21_loops}),
    ("w1_11_after_step", {"w1_11_after_step": lambda: 0.149781}),
    ("backprop_222", {"backprop_222": S.backprop_222}),
    ("backprop_222", {"backprop_222": bp_einsum}),
    ("train_222", {"train_222": S.train_222}),
    ("train_222", {"train_222": train_array_losses}),
])
def test_hidden_cases_pass_correct_implementations(oracle, function, fns):
    _grade(oracle, function, **fns)


@pytest.mark.parametrize("function, fn, cause", [
    ("forward_222", fwd_x_for_a1, "z2 was computed from x instead of a1"),
    ("dL_dw2_11", dw2_no_sp, r"sigma'\(z\) is missing"),
    ("dL_dw2_11", dw2_sp_at_a, "evaluated at a = sigma"),
    ("dL_dw1_11", dw1_path1, "only the path through yhat_1 is counted"),
    ("dL_dw1_11", dw1_path2, "only the path through yhat_2 is counted"),
    ("dL_dw1_11", dw1_sp_at_a1, "evaluated at its activation a1_1"),
    ("backprop_222", _bp("reversed"), r"(?s)lists the layers in reverse order.*layer L first"),
    ("backprop_222", _bp("star"), r"(?s)dW\[2\] has the wrong shape.*element-wise product"),
    ("backprop_222", _bp("outer_T"), "the outer product is transposed"),
    ("backprop_222", _bp("no_sp"), r"sigma'\(z\) is missing in delta"),
    ("backprop_222", _bp("no_sp2"), r"sigma'\(z\) is missing in delta"),
    ("backprop_222", _bp("no_sp1"), r"sigma'\(z1\) is missing in delta1"),
    ("backprop_222", _bp("sp_a2"), "evaluated at a instead of z"),
    ("backprop_222", _bp("no_T"), r"W2 @ delta2 was used"),
    ("train_222", _tr(sign=-1.0), "the update goes uphill"),
    ("train_222", _tr(bias=False), "the biases are not updated"),
    ("train_222", _tr(inplace=True), r"(?s)params after the call.*changed in place.*W = W - lr"),
    ("dL_dw1_21", _w21("p21_path1"), "only the path through yhat_1 is counted: w1_21"),
    ("dL_dw1_21", _w21("p21_row"), r"W2\[1, :\] was used in place of W2\[:, 1\]"),
    ("dL_dw1_21", _w21("p21_sp_unit1"), "sigma' of the wrong hidden unit"),
    ("dL_dw1_21", _w21("p21_swapped"), "this is dL/dw1_12"),
    ("dL_dw1_21", _w21("p21_copy"), "this is dL/dw1_11"),
    ("w1_11_after_step", lambda: 0.150219, "the sign of the step"),
    ("w1_11_after_step", lambda: 0.149561, "eta = 0.5 not applied"),
    ("w1_11_after_step", lambda: 0.1498, "close, but not to 6 decimals"),
])
def test_hidden_cases_name_the_mistake(oracle, function, fn, cause):
    with pytest.raises(CheckFailure, match=cause):
        _grade(oracle, function, **{function: fn})


def test_every_hidden_case_catches_the_one_path_mistake(oracle):
    """The mutation 'a 2-2-2 hidden gradient taking one path only' fails EVERY case."""
    for c in oracle["dL_dw1_11"]:
        x, y = (np.asarray(v, np.float64) for v in c["args"][:2])
        p = [(np.asarray(a, np.float64), np.asarray(b, np.float64)) for a, b in c["args"][2]]
        causes = [cause for _, cause in c["options"]["candidates"]]
        assert W.CAUSES["path1"] in causes and W.CAUSES["path2"] in causes, c["label"]
        for k, one_path in enumerate(_paths(x, y, p)):
            assert abs(one_path - c["expected"]) > 0.05 * abs(c["expected"]), c["label"]


def test_every_hidden_case_catches_the_w1_21_mistakes(oracle):
    """One path only, the wrong hidden unit's sigma', W2[1, :]: named on EVERY case."""
    for c in oracle["dL_dw1_21"]:
        causes = " | ".join(cause for _, cause in c["options"]["candidates"])
        for key in ("p21_path1", "p21_path2", "p21_row", "p21_col0"):
            assert W.CAUSES[key] in causes, (c["label"], key)
