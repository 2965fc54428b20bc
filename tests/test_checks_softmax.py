"""The visible checks of notebook 04 (softmax, cross-entropy, output deltas).

The engine passes every check; each typical mistake, written as a small buggy
variant, is caught with a message naming its cause; bad returns get their message;
correct implementations written differently (loops, float32) pass.
"""
import re

import numpy as np
import pytest

from tests.helpers import fails

import solutions as S
from grader.checks import softmax as C, visible_cases
from grader.pipeline.cases import softmax as T
from grader.checks.report import CheckFailure


def _sm(Z, axis=-1):
    E = np.exp(Z - np.max(Z, axis=axis, keepdims=True))
    return E / E.sum(axis=axis, keepdims=True)


def _N(Z):
    return 1 if np.ndim(Z) == 1 else np.shape(Z)[0]




# ------------------------------------------------------------------ the engine passes
def test_engine_passes_every_check(capsys):
    C.check_softmax(S.softmax)
    C.check_softmax_jacobian(S.softmax_jacobian, S.softmax)
    C.check_softmax_jacobian(S.softmax_jacobian)
    C.check_cross_entropy(S.cross_entropy)
    C.check_softmax_cross_entropy_grad(S.softmax_cross_entropy_grad, S.softmax, S.cross_entropy)
    C.check_softmax_cross_entropy_grad(S.softmax_cross_entropy_grad)
    C.check_sigmoid_bce_grad(S.sigmoid_bce_grad, S.sigmoid)
    C.check_sigmoid_mse_grad(S.sigmoid_mse_grad, S.sigmoid)
    out = capsys.readouterr()
    assert out.out.count("✔") == 8 and out.err == ""


def _case(function, i):
    return visible_cases("softmax", function)[i]


def test_every_named_mistake_has_its_wording_and_differs_from_the_result():
    """The case table makes each mistake with the engine (so no test compares pasted
    numbers with the engine any more); each key has its words in C.CAUSES."""
    for table in (T.SOFTMAX, T.JACOBIAN, T.CROSS_ENTROPY, T.GRAD, T.BCE, T.MSE):
        assert set(table) <= set(C.CAUSES)
    for function in ("softmax", "softmax_jacobian", "cross_entropy",
                     "softmax_cross_entropy_grad", "sigmoid_bce_grad", "sigmoid_mse_grad"):
        for case in visible_cases("softmax", function):
            for value, cause in case["options"].get("candidates", ()):
                assert cause in C.CAUSES.values()
                assert not np.allclose(value, case["expected"]), (function, cause)


def test_lecture_numbers_in_the_vectors():
    """The lectures' printed numbers (forward/backward lecture, handwritten notes) hold."""
    demo, jac = _case("softmax", 4)["expected"], _case("softmax_jacobian", 0)["expected"]
    np.testing.assert_allclose(demo, [0.878174, 8.00791e-4, 2.17678e-3, 0.118848], rtol=1e-4)
    np.testing.assert_allclose(jac[2], [-1.9116e-3, -1.7431e-6, 2.1720e-3, -2.5871e-4],
                               atol=1e-7)
    assert abs(jac[0, 0] - 0.106984) < 1e-6 and abs(jac[3, 3] - 0.104723) < 1e-6
    ce = _case("cross_entropy", 0)
    assert abs(ce["expected"] - 1.1394) < 1e-4
    nolog = {cause: v for v, cause in ce["options"]["candidates"]}[C.CAUSES["ce_nolog"]]
    assert abs(nolog - 0.3374) < 1e-4
    grad = _case("softmax_cross_entropy_grad", 0)["expected"]
    np.testing.assert_allclose(grad[0], [0.10895, 0.05343, -0.16238], atol=1e-4)
    np.testing.assert_allclose(grad.sum(0), [0.2184, -0.0553, -0.1631], atol=1e-4)
    np.testing.assert_allclose(_case("sigmoid_bce_grad", 0)["expected"],
                               [0.1192, -0.4256, -0.1545], atol=1e-4)


def test_correct_variants_pass(capsys):
    """Loops, float32 results and other valid layouts get full marks."""
    def softmax_loops(Z):
        Z = np.asarray(Z, dtype=float)
        rows = Z.reshape(1, -1) if Z.ndim == 1 else Z
        out = np.empty_like(rows)
        for i, z in enumerate(rows):
            m = max(z)
            e = [np.exp(v - m) for v in z]
            out[i] = [v / sum(e) for v in e]
        return out.reshape(Z.shape)

    def softmax_f32(Z):
        return _sm(np.asarray(Z, dtype=np.float32))

    def jac_loops(z):
        s = softmax_loops(z)
        K = len(s)
        return np.array([[s[i] * ((i == j) - s[j]) for j in range(K)] for i in range(K)])

    def ce_clip(A, Y):
        A, Y = np.asarray(A, float), np.asarray(Y, float)
        return float(-np.sum(Y * np.log(np.clip(A, 1e-300, 1.0))) / _N(A))

    def grad_einsum(Z, Y):
        return np.einsum("...k->...k", _sm(np.asarray(Z, float)) - Y) / _N(Z)

    def bce_f32(z, y):
        z = np.asarray(z, np.float32)
        return ((1 / (1 + np.exp(-z)) - y) / _N(z)).astype(np.float32)

    C.check_softmax(softmax_loops)
    C.check_softmax(softmax_f32)
    C.check_softmax_jacobian(jac_loops, softmax_loops)
    C.check_cross_entropy(ce_clip)
    C.check_softmax_cross_entropy_grad(grad_einsum, softmax_loops, ce_clip)
    C.check_sigmoid_bce_grad(bce_f32, S.sigmoid)
    assert capsys.readouterr().out.count("✔") == 6


# ---------------------------------------------------------------------- softmax bugs
@pytest.mark.parametrize("buggy, cause", [
    (lambda Z: _sm(Z, axis=0), r"COLUMNS \(axis=0\)"),
    (lambda Z: np.exp(Z) / np.exp(Z).sum(), "whole matrix was normalized"),
    (lambda Z: np.exp(Z), "never divided by their row sum"),
    (lambda Z: (lambda E: E / E.sum(-1, keepdims=True))(np.exp(Z - np.max(Z, axis=0))),
     "max was taken per column"),
    (lambda Z: np.exp(Z) / np.exp(Z).sum(axis=-1, keepdims=True), "overflows.*max-shift trick"),
    (lambda Z: (lambda E: E / E.sum(-1, keepdims=True))(np.exp(Z - np.max(Z))),
     r"WHOLE matrix \(Z.max\(\)\)"),
    (lambda Z: np.exp(Z) / np.exp(Z).sum(axis=-1), "keepdims=True"),
    (lambda Z: _sm(Z, axis=1), r"axis=-1 \(the last axis\)"),
    (lambda Z: -_sm(Z), "sign is flipped"),
])
def test_softmax_mistakes_are_named(buggy, cause):
    fails(C.check_softmax, buggy, match=cause)


def test_softmax_without_keepdims_on_a_square_input():
    def buggy(Z):  # right on non-square inputs by luck? No: the square case names it
        Z = np.asarray(Z, dtype=float)
        E = np.exp(Z - Z.max(axis=-1, keepdims=True))
        if Z.ndim == 2 and Z.shape[0] == Z.shape[1]:
            return np.exp(Z) / np.exp(Z).sum(axis=1)
        return E / E.sum(axis=-1, keepdims=True)
    fails(C.check_softmax, buggy, match=r"divided along the columns")


def test_softmax_in_place_is_caught():
    def buggy(Z):
        if Z.dtype.kind == "f":
            Z -= Z.max(axis=-1, keepdims=True)
        E = np.exp(Z)
        return E / E.sum(axis=-1, keepdims=True)
    fails(C.check_softmax, buggy, match=r"in place(.|\n)*Z = Z - Z.max")


@pytest.mark.parametrize("bad, message", [
    (lambda Z: None, r"wrong type(.|\n)*does not `return`"),
    (lambda Z: _sm(Z).tolist(), r"wrong type(.|\n)*not a Python list"),
    (lambda Z: (_sm(Z) > 0.2).astype(int), r"dtype int"),
    (lambda Z: _sm(Z).T, r"wrong shape(.|\n)*transposed"),
    (lambda Z: _sm(Z) * np.nan, r"nan"),
    (lambda Z: _sm(Z)[None], r"wrong shape"),
])
def test_softmax_bad_returns(bad, message):
    fails(C.check_softmax, bad, match=message)


def test_not_implemented_and_exceptions_are_friendly():
    def todo(*args):
        raise NotImplementedError()
    for check in (C.check_softmax, C.check_softmax_jacobian, C.check_cross_entropy,
                  C.check_softmax_cross_entropy_grad, C.check_sigmoid_bce_grad,
                  C.check_sigmoid_mse_grad):
        msg = fails(check, todo, match="not implemented yet")
        assert "Traceback" not in msg

    def crash(Z):
        return Z.nonexistent
    fails(C.check_softmax, crash, match=r"raised AttributeError in line")
    fails(C.check_softmax, 42, match=r"is not a function")


# ------------------------------------------------------------------- Jacobian bugs
@pytest.mark.parametrize("buggy, cause", [
    (lambda z: np.diag(S.softmax(z)), r"only diag\(s\)"),
    (lambda z: -np.outer(S.softmax(z), S.softmax(z)), r"only - s s\^T"),
    (lambda z: np.diag(S.softmax(z)) - S.softmax(z) @ S.softmax(z), r"np.outer\(s, s\)"),
    (lambda z: np.diag(z) - np.outer(z, z), r"applied to z itself"),
    (lambda z: np.diag(S.softmax(z) * (1 - S.softmax(z))), r"softmax couples the outputs"),
    (lambda z: np.outer(S.softmax(z), S.softmax(z)) - np.diag(S.softmax(z)), r"sign is flipped"),
    (lambda z: (lambda s: np.diag(s) - np.outer(s, s))(np.exp(z) / np.exp(z).sum()),
     r"max-shift"),
])
def test_jacobian_mistakes_are_named(buggy, cause):
    fails(C.check_softmax_jacobian, buggy, S.softmax, match=cause)


def test_jacobian_is_checked_against_the_students_own_softmax():
    def scaled(z):  # right on the demo, wrong elsewhere: only central differences see it
        J = S.softmax_jacobian(z)
        return J if len(z) == 4 or len(z) == 3 else 2 * J
    fails(C.check_softmax_jacobian, scaled, S.softmax,
           match=r"central differences(.|\n)*every entry is 2 times")


# -------------------------------------------------------------- cross-entropy bugs
def _ce(A, Y):
    return -np.sum(Y * np.log(A)) / _N(A)


@pytest.mark.parametrize("buggy, cause", [
    (lambda A, Y: np.sum(Y * A) / _N(A), r"mean probability of the true class"),
    (lambda A, Y: np.sum(Y * np.log(A)) / _N(A), r"minus sign is missing"),
    (lambda A, Y: -np.sum(Y * np.log(A)), r"summed, not averaged"),
    (lambda A, Y: -np.mean(Y * np.log(A)), r"np.mean over all N \* K"),
    (lambda A, Y: -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / _N(A), r"BINARY"),
    (lambda A, Y: -np.sum(np.log(A)) / _N(A), r"EVERY class"),
    (lambda A, Y: -np.sum(Y * np.log10(A)) / _N(A), r"np.log10"),
])
def test_cross_entropy_mistakes_are_named(buggy, cause):
    fails(C.check_cross_entropy, buggy, match=cause)


def test_cross_entropy_one_sample_zero_log_zero_and_soft_labels():
    def len_n(A, Y):
        A_ = np.clip(A, 1e-300, 1)
        return -np.sum(Y * np.log(A_)) / len(A)
    fails(C.check_cross_entropy, len_n, match=r"ONE sample")

    def naive(A, Y):  # 0 * log 0 = nan
        with np.errstate(all="ignore"):
            return _ce(np.asarray(A), np.asarray(Y))
    fails(C.check_cross_entropy, naive, match=r"0 \* \(-inf\) = nan")

    def argmax(A, Y):
        A, Y = np.atleast_2d(A), np.atleast_2d(Y)
        return -np.mean(np.log(A[np.arange(len(A)), Y.argmax(1)]))
    fails(C.check_cross_entropy, argmax, match=r"argmax\(Y\)")


@pytest.mark.parametrize("bad, message", [
    (lambda A, Y: None, r"wrong type(.|\n)*does not `return`"),
    (lambda A, Y: np.array([S.cross_entropy(A, Y)]), r"wrong type(.|\n)*single number"),
    (lambda A, Y: str(S.cross_entropy(A, Y)), r"wrong type(.|\n)*string"),
])
def test_cross_entropy_bad_returns(bad, message):
    fails(C.check_cross_entropy, bad, match=message)


def test_cross_entropy_may_return_a_0d_array(capsys):
    C.check_cross_entropy(lambda A, Y: np.array(S.cross_entropy(A, Y)))
    assert "✔" in capsys.readouterr().out


# ------------------------------------------------------------ softmax + CE gradient
@pytest.mark.parametrize("buggy, cause", [
    (lambda Z, Y: -(S.softmax(Z) - Y) / _N(Z),
     r"sign is flipped, as on the forward/backward lecture"),
    (lambda Z, Y: -Y / S.softmax(Z) / _N(Z), r"this is dL/dA"),
    (lambda Z, Y: S.softmax(Z) - Y, r"1/N of the MEAN loss is missing"),
    (lambda Z, Y: (S.softmax(Z) - Y) / len(Z), r"ONE sample"),
    (lambda Z, Y: S.softmax(Z) / _N(Z), r"Y = 1 \(the true class"),
    (lambda Z, Y: (S.softmax(Z) - Y) / (2 * _N(Z)), r"1/2"),
])
def test_grad_mistakes_are_named(buggy, cause):
    fails(C.check_softmax_cross_entropy_grad, buggy, S.softmax, S.cross_entropy, match=cause)


def test_a_global_n_is_named():
    fails(C.check_softmax_cross_entropy_grad, lambda Z, Y: (S.softmax(Z) - Y) / 4,
           match=r"global N")
    fails(C.check_sigmoid_bce_grad, lambda z, y: (S.sigmoid(z) - y) / 4, match=r"global N")
    fails(C.check_sigmoid_mse_grad, lambda z, y: (S.sigmoid(z) - y) * S.sigmoid_prime(z) / 4,
           match=r"global N")


def test_grad_through_the_jacobian_breaks_at_large_logits():
    def chain(Z, Y):  # mathematically right, numerically not: -Y / A with A = 0
        shape, N = np.shape(Z), _N(Z)
        Z, Y = np.atleast_2d(Z), np.atleast_2d(Y)
        out = []
        with np.errstate(all="ignore"):
            for z, y in zip(Z, Y):
                dA = -y / S.softmax(z)
                out.append(S.softmax_jacobian(z).T @ dA)
        return np.array(out).reshape(shape) / N
    fails(C.check_softmax_cross_entropy_grad, chain, match=r"divides by 0")


def test_grad_is_checked_against_the_students_own_loss():
    def summed_ce(A, Y):  # a wrong loss: its derivative is N times the right gradient
        return -np.sum(np.asarray(Y) * np.log(A))
    fails(C.check_softmax_cross_entropy_grad, S.softmax_cross_entropy_grad, S.softmax,
           summed_ce, match=r"central differences")
    fails(C.check_softmax_cross_entropy_grad, S.softmax_cross_entropy_grad, S.softmax,
           lambda A, Y: [1.0], match=r"must return one number")


# -------------------------------------------------------------- sigmoid output deltas
@pytest.mark.parametrize("buggy, cause", [
    (lambda z, y: (S.sigmoid(z) - y) * S.sigmoid_prime(z) / _N(z), r"multiplied in again"),
    (lambda z, y: (-y / S.sigmoid(z) + (1 - y) / (1 - S.sigmoid(z))) / _N(z), r"dL/dyhat"),
    (lambda z, y: (S.sigmoid(z) - y) / len(z), r"ONE sample"),
    (lambda z, y: S.sigmoid(z) - y, r"1/N of the MEAN loss is missing"),
    (lambda z, y: (y - S.sigmoid(z)) / _N(z), r"sign is flipped"),
])
def test_bce_grad_mistakes_are_named(buggy, cause):
    fails(C.check_sigmoid_bce_grad, buggy, S.sigmoid, match=cause)


@pytest.mark.parametrize("buggy, cause", [
    (lambda z, y: (S.sigmoid(z) - y) / _N(z), r"dL/da = a - y"),
    (lambda z, y: (S.sigmoid(z) - y) * S.sigmoid_prime(S.sigmoid(z)) / _N(z), r"evaluated at a"),
    (lambda z, y: (S.sigmoid(z) - y) * S.sigmoid_prime(z) / len(z), r"ONE sample"),
    (lambda z, y: (S.sigmoid(z) - y) * S.sigmoid_prime(z), r"1/N of the MEAN loss is missing"),
    (lambda z, y: 2 * (S.sigmoid(z) - y) * S.sigmoid_prime(z) / _N(z), r"2 times|= 2"),
])
def test_mse_grad_mistakes_are_named(buggy, cause):
    fails(C.check_sigmoid_mse_grad, buggy, S.sigmoid, match=cause)


@pytest.mark.parametrize("check", [C.check_sigmoid_bce_grad, C.check_sigmoid_mse_grad,
                                   C.check_softmax_cross_entropy_grad])
@pytest.mark.parametrize("bad, message", [
    (lambda z, y: None, r"does not `return`"),
    (lambda z, y: [0.0, 0.0, 0.0], r"not a Python list"),
    (lambda z, y: np.zeros(np.shape(z), dtype=int), r"dtype int"),
    (lambda z, y: np.zeros((1,) + np.shape(z)), r"wrong shape"),
    (lambda z, y: np.full(np.shape(z), np.nan), r"nan"),
])
def test_delta_bad_returns(check, bad, message):
    fails(check, bad, match=message)


def test_no_reference_implementation_in_the_check_module():
    """The module ships to students: it must not import or contain the engine."""
    import inspect
    source = inspect.getsource(C)
    assert not re.search(r"^\s*(from|import)\s+solutions", source, re.M)


# ------------------------------------------------------------------- hidden cases
@pytest.fixture(scope="module")
def hidden():
    """The hidden cell and the grader together, on this notebook's cases built by the engine."""
    import warnings

    from grader.pipeline import oracle
    from grader.pipeline.verdict import grade_in_memory
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # building the cases must be warning-free
        built = oracle.build("04-softmax-cross-entropy")

    def grade(name, **fns):
        print(f"✔ {name}: {grade_in_memory(built, name, **fns)}")
    return grade, built


ENGINE = {name: getattr(S, name) for name in (
    "softmax", "softmax_jacobian", "cross_entropy", "softmax_cross_entropy_grad",
    "sigmoid_bce_grad", "sigmoid_mse_grad")}


def test_hidden_cases_cover_every_function_and_the_engine_passes(hidden, capsys):
    grade, built = hidden
    assert set(built) == set(ENGINE)
    for name, cases in built.items():
        assert 4 <= len(cases) <= 10, (name, len(cases))
        grade(name, **{name: ENGINE[name]})
    assert capsys.readouterr().out.count("hidden cases passed") == 6


def test_hidden_cases_are_deterministic(hidden):
    from grader.pipeline import oracle
    _, built = hidden
    again = oracle.build("04-softmax-cross-entropy")
    for name in built:
        for a, b in zip(built[name], again[name]):
            np.testing.assert_array_equal(np.asarray(a["expected"]), np.asarray(b["expected"]))


def test_hidden_cases_accept_float32_and_loop_implementations(hidden, capsys):
    grade, _ = hidden

    def softmax_f32(Z):
        Z = np.asarray(Z, dtype=np.float32)
        E = np.exp(Z - Z.max(axis=-1, keepdims=True))
        return E / E.sum(axis=-1, keepdims=True)

    def jac_loops(z):
        s = S.softmax(z)
        return np.array([[s[i] * ((i == j) - s[j]) for j in range(len(s))] for i in range(len(s))])

    def ce_where(A, Y):
        A, Y = np.asarray(A, float), np.asarray(Y, float)
        total = 0.0
        for a, y in zip(np.atleast_2d(A), np.atleast_2d(Y)):
            total -= sum(yk * np.log(ak) for ak, yk in zip(a, y) if yk != 0)
        return total / _N(A)

    grade("softmax", softmax=softmax_f32)
    grade("softmax_jacobian", softmax_jacobian=jac_loops)
    grade("cross_entropy", cross_entropy=ce_where)
    assert capsys.readouterr().out.count("hidden cases passed") == 3


@pytest.mark.parametrize("name, buggy, cause", [
    ("softmax", lambda Z: _sm(np.asarray(Z, float), axis=0), r"COLUMNS \(axis=0\)"),
    ("softmax", lambda Z: np.exp(Z) / np.exp(Z).sum(axis=-1, keepdims=True),
     "(?s)nan or inf.*max-shift trick"),
    ("softmax", lambda Z: (lambda E: E / E.sum(-1, keepdims=True))(np.exp(Z - np.max(Z))),
     r"WHOLE matrix \(Z.max\(\)\)"),
    ("softmax_jacobian", lambda z: (lambda s: np.diag(s) - np.outer(s, s))(
        np.exp(z) / np.exp(z).sum()), "max-shift"),
    ("cross_entropy", lambda A, Y: -np.sum(Y * np.log(A)) / _N(A), r"0 \* \(-inf\) = nan"),
    ("softmax_jacobian", lambda z: np.diag(S.softmax(z)), r"only diag\(s\)"),
    ("cross_entropy", lambda A, Y: -np.sum(Y * np.log(np.clip(A, 1e-300, 1))), "summed"),
    ("cross_entropy", lambda A, Y: -np.sum(np.asarray(Y) * np.log(np.clip(A, 1e-300, 1))) / len(A),
     "ONE sample"),
    ("softmax_cross_entropy_grad", lambda Z, Y: -S.softmax_cross_entropy_grad(Z, Y), "sign"),
    ("softmax_cross_entropy_grad", lambda Z, Y: (S.softmax(Z) - Y) / len(Z), "ONE sample"),
    ("sigmoid_bce_grad", lambda z, y: S.sigmoid_bce_grad(z, y) * S.sigmoid_prime(z), "again"),
    ("sigmoid_mse_grad", lambda z, y: S.sigmoid_bce_grad(z, y), r"sigma'\(z\) is missing"),
    ("sigmoid_mse_grad", lambda z, y: (S.sigmoid(z) - y) * S.sigmoid_prime(z),
     "1/N of the MEAN loss is missing"),
])
def test_hidden_cases_name_the_mistakes(hidden, name, buggy, cause):
    grade, _ = hidden
    with pytest.raises(CheckFailure, match=cause):
        grade(name, **{name: buggy})


# ------------------------------------------------- derivation slips (the four derived functions)
# the slips as the case table makes them (the engine with one mistake)
_diag_twice = T.JACOBIAN["jac_diag_twice"]
_times_diag = T.GRAD["g_times_diag"]
_diag_chain = T.GRAD["g_diag_chain"]  # -y/yhat times only J's diagonal yhat (1 - yhat)
_bce_one_term = T.BCE["bce_one_term"]  # only d/dz of -y log sigma(z)
_bce_softmax = T.BCE["bce_softmax"]


def _transposed(Z, Y):
    return (S.softmax(Z) - Y).T / _N(Z)


SLIPS = [  # (function, visible check, extra arguments, buggy, the likely cause)
    ("softmax_jacobian", C.check_softmax_jacobian, (S.softmax,), _diag_twice,
     r"subtracted twice on the diagonal"),
    ("softmax_jacobian", C.check_softmax_jacobian, (S.softmax,),
     lambda z: -S.softmax_jacobian(z), r"sign is flipped"),
    ("softmax_cross_entropy_grad", C.check_softmax_cross_entropy_grad,
     (S.softmax, S.cross_entropy), lambda Z, Y: (np.asarray(Z, float) - Y) / _N(Z),
     r"softmax was not applied"),
    ("softmax_cross_entropy_grad", C.check_softmax_cross_entropy_grad,
     (S.softmax, S.cross_entropy), _times_diag, r"diagonal of the Jacobian, as for a sigmoid"),
    ("softmax_cross_entropy_grad", C.check_softmax_cross_entropy_grad,
     (S.softmax, S.cross_entropy), _diag_chain, r"only the diagonal of the Jacobian \(j = i\)"),
    ("softmax_cross_entropy_grad", C.check_softmax_cross_entropy_grad,
     (S.softmax, S.cross_entropy), _transposed, r"transposed"),
    ("sigmoid_bce_grad", C.check_sigmoid_bce_grad, (S.sigmoid,), _bce_one_term,
     r"only the y log a term was differentiated"),
    ("sigmoid_bce_grad", C.check_sigmoid_bce_grad, (S.sigmoid,), _bce_softmax,
     r"softmax was used"),
]


@pytest.mark.parametrize("name, check, extra, buggy, cause", SLIPS,
                         ids=[f"{s[0]}:{s[4][:24]}" for s in SLIPS])
def test_derivation_slips_are_named_by_the_visible_check(name, check, extra, buggy, cause):
    msg = fails(check, buggy, *extra, match=cause)
    assert name in msg


@pytest.mark.parametrize("name, check, extra, buggy, cause", SLIPS + [
    ("sigmoid_bce_grad", None, (), lambda z, y: S.loss_grad(S.sigmoid(z), y,
                                                             "binary_cross_entropy"),
     r"dL/dyhat"),
    ("softmax_cross_entropy_grad", None, (), lambda Z, Y: (S.softmax(Z) - Y) / 4, r"global N"),
    ("sigmoid_bce_grad", None, (), lambda z, y: (S.sigmoid(z) - y) / 4, r"global N"),
    ("sigmoid_mse_grad", None, (), lambda z, y: (S.sigmoid(z) - y) * S.sigmoid_prime(z) / 4,
     r"global N"),
    ("softmax_cross_entropy_grad", None, (), lambda Z, Y: S.softmax(Z) / _N(Z), r"- y term"),
    ("softmax_jacobian", None, (), lambda z: np.diag(z) - np.outer(z, z), r"applied to z itself"),
], ids=lambda v: v if isinstance(v, str) else "")
def test_derivation_slips_are_named_by_the_hidden_cases(hidden, name, check, extra, buggy,
                                                         cause):
    """Each slip the visible check names, the hidden cases name too (same words)."""
    grade, _ = hidden
    with pytest.raises(CheckFailure, match=cause) as info:
        with np.errstate(all="ignore"):
            grade(name, **{name: buggy})
    assert name in str(info.value)
