"""Hidden cases for notebook 01: random shapes, float32, saturation, z = 0 exactly.

Every expected value is the reference engine's; every candidate is the engine's
answer with one known mistake, so the feedback can name it.
"""
import numpy as np

import solutions as S
from solutions import sigmoid  # looked up by _tanh_by_sigmoid: the trace replaces it

from ..oracle import case
from ..replay import replayed

UPSTREAM = {"sigmoid_prime": {"sigmoid": 1}, "tanh_prime": {"tanh": 1}, "perceptron": {"step": 1}}



def _tanh_by_sigmoid(z):
    """tanh as the lecture writes it, 2 sigma(2z) - 1: the calls a student's tanh may make."""
    return 2 * sigmoid(2 * z) - 1


def _replays(name, z):
    """Upstream replays for one case: the engine's own calls, or the lecture's form of tanh."""
    if name == "tanh":
        return replayed(_tanh_by_sigmoid, (z,), sigmoid=1)
    return replayed(S.get_activation(name.replace("_prime", ""))[name.endswith("_prime")],
                    (z,), **UPSTREAM.get(name, {}))


def _inputs(rng):
    """(label, z) pairs: shapes (1,), (7,), (3, 4), (2, 3, 2), float32, zeros, a wide range."""
    return [
        ("z of shape (1,)", rng.normal(size=1)),
        ("z of shape (7,)", rng.normal(0, 3, size=7)),
        ("z of shape (3, 4)", rng.normal(0, 2, size=(3, 4))),
        ("z of shape (2, 3, 2)", rng.normal(0, 2, size=(2, 3, 2))),
        ("float32 z of shape (5,)", rng.normal(0, 2, size=5).astype(np.float32)),
        ("z with exact zeros", np.array([-1.5, 0.0, 0.0, 2.0])),
        ("large |z| (saturation)", np.array([-800.0, -50.0, -8.0, 8.0, 50.0, 800.0])),
    ]


def _f(x):
    return np.asarray(x, dtype=np.float64)


# Known mistakes, each the engine's answer with one thing wrong: z -> [(wrong, cause)].
MISTAKES = {
    "step": lambda z: [(_f(z >= 0), "step(0) must be 0 (the course's convention): "
                                    "use z > 0, not z >= 0"),
                       (_f(z <= 0), "the output is inverted: 1 where z > 0, else 0")],
    "sigmoid": lambda z: [(S.sigmoid(-z), "this is sigma(-z) = 1 - sigma(z): the exponent "
                                          "must be e^(-z)")],
    "sigmoid_prime": lambda z: [
        (S.sigmoid(z), "this is sigma(z), not sigma'(z) = sigma(z) (1 - sigma(z))"),
        (1 - S.sigmoid(z), "the factor sigma(z) is missing"),
        (S.sigmoid_prime(S.sigmoid(z)), "sigma' evaluated at a = sigma(z) instead of z")],
    "tanh": lambda z: [(2 * S.sigmoid(z) - 1, "2 sigma(z) - 1: the argument must be "
                                               "doubled, tanh(z) = 2 sigma(2z) - 1"),
                       (S.sigmoid(2 * z), "sigma(2z): tanh(z) = 2 sigma(2z) - 1")],
    "tanh_prime": lambda z: [
        (1 - S.tanh(z), "1 - tanh(z): the square is missing"),
        (S.tanh(z) ** 2 - 1, "the sign is flipped: tanh'(z) = 1 - tanh(z)^2"),
        (S.tanh_prime(S.tanh(z)), "tanh' evaluated at a = tanh(z) instead of z")],
    "relu": lambda z: [(S.relu_prime(z), "this is ReLU's derivative, not max(0, z)")],
    "relu_prime": lambda z: [
        (_f(z >= 0), "ReLU'(0) must be 0 (the course's convention): use z > 0, not z >= 0"),
        (np.ones_like(_f(z)), "the slope for z < 0 must be 0"),
        (S.relu(z), "this is ReLU itself, not its derivative")],
    "leaky_relu": lambda z: [(S.relu(z), "the negative side is 0: that is ReLU; leaky "
                                         "ReLU is alpha z for z < 0")],
    "leaky_relu_prime": lambda z: [
        (S.leaky_relu_prime(z) + _f(z == 0) * (1 - 0.01), "at z = 0 the course takes the "
         "slope alpha (as PyTorch): 1 where z > 0, else alpha"),
        (S.relu_prime(z), "this is ReLU's derivative: the slope for z < 0 is alpha")],
}

def _float32_options(*arrays):
    """Looser tolerances where the input is float32, so float32 arithmetic passes.

    The expected values are computed in float64 from the (exact) float32 inputs; a
    student who keeps float32 is then off by float32 rounding, e.g. 1 - tanh(z)^2
    loses digits near saturation.
    """
    if any(getattr(a, "dtype", None) == np.float32 for a in arrays):
        return {"rtol": 1e-4, "atol": 1e-5}
    return {}


# Results that are exactly 0/1 may come back as int or bool arrays (step's contract says
# float, and its check holds it to that).
KINDS = {"relu_prime": "fiub"}
# sigmoid's task is the stable form: a numpy overflow inside it fails (bpcheck.calls).
PROTOCOL = {"sigmoid": "strict"}


def _activation_cases(rng):
    out = {}
    for name in ["step", "sigmoid", "tanh", "relu", "leaky_relu"]:
        g, g_prime = S.get_activation(name)
        names = [name] if name == "step" else [name, name + "_prime"]
        for fn_name, fn in zip(names, (g, g_prime)):
            out[fn_name] = [case(label, (z,), fn(_f(z)), kinds=KINDS.get(fn_name, "f"),
                                 candidates=MISTAKES[fn_name](_f(z)), **_float32_options(z),
                                 replays=_replays(fn_name, z),
                                 protocol=PROTOCOL.get(fn_name, "call"))
                            for label, z in _inputs(rng)]
    z32 = np.array([-100.0, -95.0, 95.0, 100.0], dtype=np.float32)
    out["sigmoid"].append(case("float32 z with large |z| (np.exp overflows above 88.7 in "
                               "float32)", (z32,), S.sigmoid(_f(z32)), protocol="strict",
                               **_float32_options(z32)))
    for label, z in _inputs(rng)[1:4]:
        out["leaky_relu"].append(case(
            label + ", alpha = 0.1", (z,), S.leaky_relu(z, 0.1), kwargs={"alpha": 0.1},
            candidates=[(S.leaky_relu(z), "alpha is ignored (0.01 hard-coded)")]))
        out["leaky_relu_prime"].append(case(
            label + ", alpha = 0.1", (z,), S.leaky_relu_prime(z, 0.1), kwargs={"alpha": 0.1},
            candidates=[(S.leaky_relu_prime(z), "alpha is ignored (0.01 hard-coded)")]))
    return out


def _perceptron_cases(rng):
    out = []
    for n, N in [(3, None), (4, None), (3, 6), (5, 1), (2, 8)]:
        w, b = rng.normal(size=n), float(rng.normal())
        x = rng.integers(0, 2, size=(N, n) if N else n).astype(float)
        label = f"one sample, n = {n}" if N is None else f"batch X of shape ({N}, {n})"
        expected = S.perceptron(x, w, b)
        steps = replayed(S.perceptron, (x, w, b), step=1)
        no_bias, inverted = S.step(x @ w), 1 - expected
        if N is None:
            out.append(case(label, (x, w, b), float(expected), kind="number", replays=steps,
                            candidates=[(float(no_bias), "the bias b is missing"),
                                        (float(inverted), "the output is inverted")]))
        else:
            out.append(case(label, (x, w, b), expected, kinds="fiub", replays=steps,
                            candidates=[(no_bias, "the bias b is missing"),
                                        (inverted, "the output is inverted")]))
    X32 = rng.normal(size=(4, 3)).astype(np.float32)
    w32 = rng.normal(size=3).astype(np.float32)
    out.append(case("float32 batch X of shape (4, 3)", (X32, w32, 0.1),
                    S.perceptron(_f(X32), _f(w32), 0.1), kinds="fiub",
                    replays=replayed(S.perceptron, (X32, w32, 0.1), step=1)))
    zero = (np.array([1.0, 1.0]), np.array([1.0, -1.0]), 0.0)
    out.append(case("w . x + b = 0 exactly (step(0) = 0)", zero, 0.0, kind="number",
                    replays=replayed(S.perceptron, zero, step=1),
                    candidates=[(1.0, "step(0) must be 0: use z > 0, not z >= 0")]))
    zeros = (np.array([[1.0, 1.0], [2.0, 1.0], [3.0, 3.0]]), np.array([1.0, -1.0]), 0.0)
    out.append(case("a batch where w . x + b = 0 in rows 0 and 2", zeros,
                    np.array([0.0, 1.0, 0.0]), kinds="fiub",
                    replays=replayed(S.perceptron, zeros, step=1),
                    candidates=[(np.array([1.0, 1.0, 1.0]), "step(0) must be 0: use z > 0")]))
    return out


def _neuron_cases(rng):
    out = []
    x, w, b = rng.normal(size=4), rng.normal(size=4), 0.3
    Xb = rng.normal(size=(5, 4))
    out.append(case("one sample, n = 4, g = np.tanh", (x, w, b, np.tanh),
                    float(S.neuron(x, w, b, np.tanh)), kind="number",
                    candidates=[(float(np.tanh(x @ w)), "the bias b is missing"),
                                (float(x @ w + b), "g is never applied")]))
    out.append(case("batch of 5, n = 4, g = np.tanh", (Xb, w, b, np.tanh),
                    S.neuron(Xb, w, b, np.tanh),
                    candidates=[(Xb @ w + b, "g is never applied"),
                                (np.tanh(Xb @ w) + b, "b is added after the activation")]))
    out.append(case("batch of 5, n = 4, g = np.exp", (Xb, w, -b, np.exp),
                    S.neuron(Xb, w, -b, np.exp),
                    candidates=[(np.exp(Xb @ w), "the bias b is missing")]))
    X1 = rng.normal(size=(1, 6))
    w6 = rng.normal(size=6)
    out.append(case("a batch of one, X of shape (1, 6), g = np.arctan", (X1, w6, -1.2, np.arctan),
                    S.neuron(X1, w6, -1.2, np.arctan)))
    X32 = rng.normal(size=(7, 3)).astype(np.float32)
    w32 = rng.normal(size=3).astype(np.float32)
    out.append(case("float32 batch of 7, n = 3, g = np.tanh", (X32, w32, 0.5, np.tanh),
                    S.neuron(_f(X32), _f(w32), 0.5, np.tanh), **_float32_options(X32)))
    X3 = rng.normal(size=(3, 5))
    out.append(case("batch of 3, n = 5, b = 0, g = np.abs (any function can be g)",
                    (X3, w6[:5], 0.0, np.abs), S.neuron(X3, w6[:5], 0.0, np.abs)))
    return out


def cases():
    rng = np.random.default_rng(101)
    out = _activation_cases(rng)
    out["perceptron"] = _perceptron_cases(rng)
    out["neuron"] = _neuron_cases(rng)
    return out
