"""The checks of notebook 01 (the neuron): visible checks and hidden cases.

The reference engine and other correct implementations pass; each typical mistake
is caught and the message names its cause; bad returns get a clear message.
"""
import math
import re

import numpy as np
import pytest

import solutions as S
from grader.checks import neuron as N, visible_cases
from grader.pipeline.verdict import grade_in_memory
from grader.checks.report import CheckFailure
from grader.pipeline.cases.neuron import cases

ENGINE = {name: getattr(S, name) for name in [
    "step", "perceptron", "neuron", "sigmoid", "sigmoid_prime", "tanh", "tanh_prime",
    "relu", "relu_prime", "leaky_relu", "leaky_relu_prime"]}

# How each check is called: the graded function first, then the helpers it needs.
CHECKS = {
    "step": lambda f, e: N.check_step(f),
    "perceptron": lambda f, e: N.check_perceptron(f),
    "neuron": lambda f, e: N.check_neuron(f),
    "sigmoid": lambda f, e: N.check_sigmoid(f),
    "sigmoid_prime": lambda f, e: N.check_sigmoid_prime(f, e["sigmoid"]),
    "tanh": lambda f, e: N.check_tanh(f, e["sigmoid"]),
    "tanh_prime": lambda f, e: N.check_tanh_prime(f, e["tanh"]),
    "relu": lambda f, e: N.check_relu(f),
    "relu_prime": lambda f, e: N.check_relu_prime(f),
    "leaky_relu": lambda f, e: N.check_leaky_relu(f),
    "leaky_relu_prime": lambda f, e: N.check_leaky_relu_prime(f, e["leaky_relu"]),
}
# Which helper function the hidden protocol needs besides the graded one: none here.
HIDDEN = cases()


def visible(name, fn, **helpers):
    CHECKS[name](fn, {**ENGINE, **helpers})


def hidden(name, fn):
    """What the hidden cell and the grader do together, on the cases in memory."""
    grade_in_memory(HIDDEN, name, **{name: fn})


# --------------------------------------------------------------------------- correct code
@pytest.mark.parametrize("name", list(ENGINE))
def test_engine_passes_visible_and_hidden(name, capsys):
    visible(name, ENGINE[name])
    hidden(name, ENGINE[name])
    out = capsys.readouterr().out
    assert f"✔ {name}" in out and "note:" not in out


def test_every_graded_function_has_4_to_10_hidden_cases():
    assert set(HIDDEN) == set(ENGINE)
    for name, cs in HIDDEN.items():
        assert 4 <= len(cs) <= 10, (name, len(cs))


def _f32(fn):
    """A correct variant that keeps float32 in float32 (as a careful student might)."""
    def g(z, *args, **kwargs):
        z = np.asarray(z)
        out = fn(z, *args, **kwargs)
        return out.astype(z.dtype) if z.dtype == np.float32 else out
    return g


def _loop(f):
    """A correct variant written with a Python loop over the entries."""
    def g(z, *args):
        z = np.asarray(z, dtype=float)
        out = np.empty_like(z)
        for i in np.ndindex(z.shape):
            out[i] = f(float(z[i]), *args)
        return out
    return g


def _sig_scalar(t):
    return 1 / (1 + math.exp(-t)) if t >= 0 else math.exp(t) / (1 + math.exp(t))


ALTERNATIVES = {
    "step": [np.vectorize(lambda t: 1.0 if t > 0 else 0.0, otypes=[float]),
             lambda z: np.heaviside(z, 0.0), lambda z: np.where(np.asarray(z) > 0, 1.0, 0.0)],
    "sigmoid": [_loop(_sig_scalar), _f32(S.sigmoid),
                lambda z: 0.5 * (1 + np.tanh(0.5 * np.asarray(z, dtype=float)))],
    "sigmoid_prime": [_loop(lambda t: _sig_scalar(t) * (1 - _sig_scalar(t))),
                      _f32(S.sigmoid_prime)],
    "tanh": [np.tanh, _loop(math.tanh), _f32(lambda z: 2 * S.sigmoid(2 * z) - 1)],
    "tanh_prime": [lambda z: 1 - np.tanh(z) ** 2, lambda z: 1 / np.cosh(np.clip(z, -300, 300)) ** 2,
                   _f32(S.tanh_prime)],
    "relu": [lambda z: np.where(np.asarray(z) > 0, z, 0.0), _loop(lambda t: max(0.0, t)),
             lambda z: np.asarray(z) * (np.asarray(z) > 0), _f32(S.relu)],
    "relu_prime": [lambda z: np.where(np.asarray(z) > 0, 1, 0), lambda z: np.asarray(z) > 0,
                   _loop(lambda t: 1.0 if t > 0 else 0.0)],
    "leaky_relu": [lambda z, alpha=0.01: np.maximum(z, alpha * np.asarray(z)),
                   _f32(S.leaky_relu)],
    "leaky_relu_prime": [lambda z, alpha=0.01: np.where(np.asarray(z) > 0, 1.0, alpha),
                         _f32(S.leaky_relu_prime)],
    "perceptron": [lambda x, w, b: np.heaviside(np.dot(x, w) + b, 0.0),
                   lambda x, w, b: np.where(np.einsum("...j,j->...", x, w) + b > 0, 1, 0),
                   lambda x, w, b: S.step(np.asarray(x) @ np.asarray(w) + b)],
    "neuron": [lambda x, w, b, g: g(np.dot(x, w) + b),
               lambda x, w, b, g: g(np.einsum("...j,j->...", x, w) + b),
               lambda x, w, b, g: g(np.sum(np.asarray(x) * w, axis=-1) + b),
               lambda x, w, b, g: g(np.asarray(x, np.float32) @ np.asarray(w, np.float32)
                                    + np.float32(b))],
}


@pytest.mark.parametrize("name, i", [(n, i) for n, fs in ALTERNATIVES.items()
                                     for i in range(len(fs))])
def test_correct_alternatives_pass_visible_and_hidden(name, i):
    fn = ALTERNATIVES[name][i]
    helpers = {"sigmoid": S.sigmoid, "tanh": S.tanh, "leaky_relu": S.leaky_relu}
    visible(name, fn, **helpers)
    hidden(name, fn)


# --------------------------------------------------------------------------- mistakes
def _with_np(f):
    def g(z, *a, **k):
        with np.errstate(all="ignore"):
            return f(np.asarray(z, dtype=float), *a, **k)
    return g


MISTAKES = [
    # (function, buggy implementation, regex the message must contain)
    ("step", lambda z: (np.asarray(z) >= 0).astype(float), r"z = 0 .*step\(0\) = 0"),
    ("step", lambda z: (np.asarray(z) <= 0).astype(float), r"inverted"),
    ("step", lambda z: 1.0 if z > 0 else 0.0, r"(?s)truth value.*element-wise numpy"),
    ("step", lambda z: np.max(z, 0), r"(?s)lost the input's shape.*np\.maximum"),
    ("step", lambda z: np.asarray(z) > 0, r"(?s)dtype bool.*convert with \.astype\(float\)"),
    ("step", lambda z: (np.asarray(z) > 0).astype(int), r"(?s)dtype int64.*integers 0 and 1"),
    ("perceptron", lambda x, w, b: S.step(np.asarray(x) @ w), r"bias b is missing"),
    ("perceptron", lambda x, w, b: 1 - S.step(np.asarray(x) @ w + b), r"inverted"),
    ("perceptron", lambda x, w, b: (np.asarray(x) @ w + b >= 0).astype(float),
     r"step\(0\) must be 0"),
    ("perceptron", lambda x, w, b: S.step(np.sum(np.asarray(x) * w) + b),
     r"one number came back"),
    ("perceptron", lambda x, w, b: S.step(w @ np.asarray(x) + b),
     r"(?s)raised ValueError.*not w @ X"),
    ("neuron", lambda x, w, b, g: g(np.dot(w, x) + b),
     r"(?s)raised ValueError.*not np.dot\(w, X\)"),
    ("neuron", lambda x, w, b, g: g(np.asarray(x) @ w), r"bias b is missing"),
    ("neuron", lambda x, w, b, g: g(np.asarray(x) @ w - b), r"sign of b is flipped"),
    ("neuron", lambda x, w, b, g: np.asarray(x) @ w + b, r"g is never applied"),
    ("neuron", lambda x, w, b, g: g(np.asarray(x) @ w) + b, r"b is added after the activation"),
    ("neuron", lambda x, w, b, g: g(np.sum(np.asarray(x) * w) + b), r"one number came back"),
    ("sigmoid", _with_np(lambda z: 1 / (1 + np.exp(z))), r"sigma\(-z\)"),
    ("sigmoid", _with_np(lambda z: np.exp(z) / (1 + np.exp(z))), r"(?s)nan or inf.*stable form"),
    ("sigmoid", np.vectorize(lambda t: 1 / (1 + math.exp(-t))),
     r"(?s)raised OverflowError.*np.exp\(-np.abs\(z\)\)"),
    ("sigmoid", lambda z: 1 / (1 + math.exp(-z)), r"(?s)math\.exp.*np\.exp"),
    ("sigmoid_prime", S.sigmoid, r"sigma\(z\) itself"),
    ("sigmoid_prime", lambda z: 1 - S.sigmoid(z), r"factor sigma\(z\) is missing"),
    ("sigmoid_prime", lambda z: S.sigmoid(z) * 1 - S.sigmoid(z), r"operator precedence"),
    ("sigmoid_prime", lambda z: S.sigmoid_prime(S.sigmoid(z)), r"evaluated at a = sigmoid\(z\)"),
    ("sigmoid_prime", lambda z: z * (1 - z), r"applied to z itself"),
    ("sigmoid_prime", _with_np(lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2),
     r"(?s)nan or inf.*saturation"),
    ("tanh", lambda z: 2 * S.sigmoid(z) - 1, r"argument must be doubled"),
    ("tanh", lambda z: S.sigmoid(2 * z), r"this is sigma\(2z\)"),
    ("tanh", _with_np(lambda z: (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))),
     r"(?s)nan or inf.*saturation"),
    ("tanh_prime", lambda z: 1 - np.tanh(z), r"square is missing"),
    ("tanh_prime", lambda z: np.tanh(z) ** 2 - 1, r"sign is flipped"),
    ("tanh_prime", lambda z: 1 - np.asarray(z) ** 2, r"applied to z itself"),
    ("tanh_prime", lambda z: (1 - np.tanh(z)) ** 2, r"square is on the wrong term"),
    ("tanh_prime", lambda z: S.tanh_prime(np.tanh(z)), r"evaluated at a = tanh\(z\)"),
    ("relu", lambda z: np.max(z, 0), r"(?s)lost the input's shape.*np\.maximum\(z, 0\)"),
    ("relu", lambda z: max(0, z), r"(?s)truth value.*np\.maximum"),
    ("relu", S.relu_prime, r"ReLU's derivative"),
    ("relu", lambda z: np.abs(z), r"wrong entries are all where z < 0"),
    ("relu", lambda z: np.maximum(np.asarray(z).astype(int), 0), r"dtype int"),
    ("relu_prime", lambda z: (np.asarray(z) >= 0).astype(float), r"z = 0 .*ReLU'\(0\) = 0"),
    ("relu_prime", S.relu, r"ReLU itself"),
    ("relu_prime", lambda z: np.ones_like(np.asarray(z, dtype=float)), r"z <= 0"),
    ("leaky_relu", lambda z, alpha=0.01: np.where(np.asarray(z) > 0, z, 0.01 * np.asarray(z)),
     r"0\.01 hard-coded"),
    ("leaky_relu", lambda z, alpha=0.01: S.relu(z), r"that is ReLU"),
    ("leaky_relu", lambda z, alpha=0.01: np.where(np.asarray(z) > 0, z, -alpha * np.asarray(z)),
     r"wrong sign"),
    ("leaky_relu", lambda z: S.leaky_relu(z), r"(?s)unexpected keyword.*signature"),
    ("leaky_relu_prime", lambda z, alpha=0.01: np.where(np.asarray(z) > 0, 1.0, 0.01),
     r"alpha is ignored"),
    ("leaky_relu_prime", lambda z, alpha=0.01: S.relu_prime(z), r"ReLU's derivative"),
    ("leaky_relu_prime", lambda z, alpha=0.01: np.where(np.asarray(z) >= 0, 1.0, alpha),
     r"z = 0 \(the course takes the slope alpha"),
    ("leaky_relu_prime", lambda z, alpha=0.01: S.leaky_relu(z, alpha), r"leaky ReLU itself"),
]


@pytest.mark.parametrize("name, bug, cause", MISTAKES,
                         ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(MISTAKES)])
def test_typical_mistake_is_caught_and_named(name, bug, cause):
    with pytest.raises(CheckFailure, match=cause) as info:
        visible(name, bug)
    assert str(info.value).startswith(f"✘ {name}:") or "must work first" in str(info.value)


HIDDEN_MISTAKES = [
    ("step", lambda z: (np.asarray(z) >= 0).astype(float), r"step\(0\) must be 0"),
    ("step", lambda z: np.asarray(z) > 0, r"(?s)dtype bool.*convert with \.astype\(float\)"),
    ("step", lambda z: np.where(np.asarray(z) > 0, 1, 0), r"(?s)dtype int64.*integers 0 and 1"),
    ("sigmoid", lambda z: S.sigmoid(-np.asarray(z)), r"sigma\(-z\)"),
    ("sigmoid", lambda z: 1 / (1 + np.exp(-z)), r"(?s)numpy overflowed.*stable form"),
    ("sigmoid_prime", S.sigmoid, r"this is sigma\(z\)"),
    ("sigmoid_prime", lambda z: S.sigmoid_prime(S.sigmoid(z)), r"evaluated at a"),
    ("tanh", lambda z: 2 * S.sigmoid(z) - 1, r"argument must be doubled"),
    ("tanh_prime", lambda z: 1 - S.tanh(z), r"square is missing"),
    ("relu", S.relu_prime, r"ReLU's derivative"),
    ("relu_prime", lambda z: (np.asarray(z) >= 0).astype(float), r"ReLU'\(0\) must be 0"),
    ("leaky_relu", lambda z, alpha=0.01: S.relu(z), r"that is ReLU"),
    ("leaky_relu", lambda z, alpha=0.01: S.leaky_relu(z), r"alpha is ignored"),
    ("leaky_relu_prime", lambda z, alpha=0.01: np.where(np.asarray(z) >= 0, 1.0, alpha),
     r"at z = 0"),
    ("leaky_relu_prime", lambda z, alpha=0.01: S.leaky_relu_prime(z), r"alpha is ignored"),
    ("perceptron", lambda x, w, b: S.step(np.asarray(x) @ w), r"bias b is missing"),
    ("perceptron", lambda x, w, b: (np.asarray(x) @ w + b >= 0).astype(float),
     r"step\(0\) must be 0"),
    ("neuron", lambda x, w, b, g: np.asarray(x) @ w + b, r"g is never applied"),
    ("neuron", lambda x, w, b, g: g(np.asarray(x) @ w), r"bias b is missing"),
]


@pytest.mark.parametrize("name, bug, cause", HIDDEN_MISTAKES,
                         ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(HIDDEN_MISTAKES)])
def test_hidden_cases_name_the_mistake(name, bug, cause):
    with pytest.raises(CheckFailure, match=cause):
        hidden(name, bug)


def naive_sigmoid(z):
    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))


def both_branches_sigmoid(z):
    z = np.asarray(z)
    return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))


def clipped_sigmoid(z):
    """Never overflows in float64 (|z| <= 700), but np.exp(100) overflows in float32."""
    return 1 / (1 + np.exp(-np.clip(z, -700, 700)))


@pytest.mark.parametrize("fn, case", [
    (naive_sigmoid, "large |z| = [-1000, -40, 40, 1000]"),
    (both_branches_sigmoid, "large |z| = [-1000, -40, 40, 1000]"),
    (clipped_sigmoid, "float32 z = [-100, -90, 90, 100]"),
])
def test_a_sigmoid_that_overflows_fails_though_its_values_are_right(fn, case):
    """The notebook asks for the stable form: the naive formula gets every value right
    (1 / (1 + inf) = 0) but overflows inside, and that is what the checks name."""
    from grader.checks.calls import OVERFLOW_CAUSE
    for run in (lambda: visible("sigmoid", fn), lambda: hidden("sigmoid", fn)):
        with pytest.raises(CheckFailure) as info:
            run()
        lines = str(info.value).splitlines()
        assert lines[0].startswith("✘ sigmoid: numpy overflowed in line"), lines
        assert "overflow encountered in exp" in lines[2]
        assert lines[3] == "  likely cause: " + OVERFLOW_CAUSE
    with pytest.raises(CheckFailure, match=re.escape(case)):
        visible("sigmoid", fn)


def test_prime_check_blames_a_broken_activation_first():
    with pytest.raises(CheckFailure, match=r"your tanh must work first"):
        N.check_tanh_prime(S.tanh_prime, lambda z: None)
    with pytest.raises(CheckFailure, match=r"your sigmoid must work first"):
        N.check_sigmoid_prime(S.sigmoid_prime, lambda z: np.full(np.shape(z), np.nan))
    with pytest.raises(CheckFailure, match=r"(?s)your sigmoid must work first.*check_sigmoid"):
        N.check_tanh(S.tanh, lambda z: [0.5])


# --------------------------------------------------------------------------- bad returns
def _not_implemented(*args, **kwargs):
    raise NotImplementedError()


def _boom(*args, **kwargs):
    return {}["missing"]


BAD_RETURNS = [
    (lambda *a, **k: None, r"does not `return` anything"),
    (lambda *a, **k: [0.0, 1.0], r"wrong type|not a Python list"),
    (lambda *a, **k: "0.5", r"wrong type"),
    (_not_implemented, r"(?s)not implemented yet.*replace `raise NotImplementedError\(\)`"),
    (_boom, r"raised KeyError in line"),
    (lambda z, *a, **k: np.full(np.shape(z), np.nan) if np.ndim(z) else np.nan,
     r"nan or inf"),
    (lambda z, *a, **k: np.zeros((7, 7)), r"wrong shape|wrong type"),
]


@pytest.mark.parametrize("name", list(ENGINE))
@pytest.mark.parametrize("bad, message", BAD_RETURNS,
                         ids=["None", "list", "str", "NotImplemented", "raises", "nan", "shape"])
def test_bad_returns_get_a_clear_message(name, bad, message):
    if name in ("perceptron", "neuron") and bad is BAD_RETURNS[5][0]:
        bad = lambda x, *a: np.full(np.shape(x)[:-1], np.nan) if np.ndim(x) > 1 else np.nan  # noqa: E731
    with pytest.raises(CheckFailure, match=message):
        visible(name, bad)


def test_flattened_result_is_named():
    with pytest.raises(CheckFailure, match=r"flattened"):
        N.check_relu(lambda z: S.relu(z).ravel())


def test_not_callable_is_named():
    with pytest.raises(CheckFailure, match=r"is not a function"):
        N.check_sigmoid(0.5)


def test_checks_do_not_modify_their_test_vectors():
    import copy

    def mutating(z):
        z[...] = 0.0
        return z
    names = ["relu", "step", "sigmoid", "neuron"]
    before = copy.deepcopy([visible_cases("neuron", n) for n in names])
    for check in (N.check_relu, N.check_step, N.check_sigmoid):
        with pytest.raises(CheckFailure):
            check(mutating)
    with pytest.raises(CheckFailure):
        N.check_neuron(lambda X, w, b, g: mutating(X))
    after = [visible_cases("neuron", n) for n in names]
    for b, a in zip(before, after):
        for cb, ca in zip(b, a):
            assert all(np.array_equal(x, y) for x, y in zip(cb["args"], ca["args"]))


# ------------------------------------------------------------------ the case table
def _inputs(case):
    """A visible case's arguments as the check passes them."""
    return case["args"]


def _engine_but(case, function, wrong):
    """The engine, except on this case's input: there, what the case's mistake gives."""
    inputs = _inputs(case)

    def student(*args, **kwargs):
        if (len(args) == len(inputs) and kwargs == case.get("kwargs", {}) and all(
                a is b if callable(b) else np.array_equal(a, b) for a, b in zip(args, inputs))):
            return wrong
        return ENGINE[function](*args, **kwargs)
    return student


def _causes(cases):
    """The wordings of the named mistakes of these cases."""
    return [words for c in cases for _, words in c["options"].get("candidates", [])]


@pytest.mark.parametrize("function", list(ENGINE))
def test_each_visible_mistake_is_named_in_the_words_of_causes(function):
    """A result equal to the engine's with one named mistake gets that mistake's wording."""
    seen = 0
    for case in visible_cases("neuron", function):
        for wrong, words in case["options"].get("candidates", []):
            student = _engine_but(case, function, wrong)
            with pytest.raises(CheckFailure) as info:
                visible(function, student)
            assert words in str(info.value), (case["label"], words)
            seen += 1
    assert seen or function in ("tanh_prime",), function


def test_every_cause_is_used_by_the_case_table_or_the_checks():
    """One table of wordings: each key is a mistake of the case table (visible or hidden),
    or one the derivative checks compute from the student's own activation."""
    named = set(_causes(c for f in ENGINE for c in [*visible_cases("neuron", f), *HIDDEN[f]]))
    used = {k for k in N.CAUSES for f in ENGINE if N.cause(k, f) in named}
    from_own_g = {"precedence", "sigmoid_of_z", "tanh_of_z", "square_term"}
    assert used | from_own_g == set(N.CAUSES)


def test_check_module_ships_no_reference_code():
    source = open(N.__file__).read()
    assert "import solutions" not in source and "from solutions" not in source
