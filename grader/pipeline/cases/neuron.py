"""Hidden cases for notebook 01: random shapes, float32, saturation, z = 0 exactly."""
import numpy as np

import solutions as S

from ..oracle import case


def _inputs(rng):
    """(label, z) pairs: shapes (1,), (7,), (3, 4), (2, 3, 2), float32, a wide range."""
    return [
        ("z of shape (1,)", rng.normal(size=1)),
        ("z of shape (7,)", rng.normal(0, 3, size=7)),
        ("z of shape (3, 4)", rng.normal(0, 2, size=(3, 4))),
        ("z of shape (2, 3, 2)", rng.normal(0, 2, size=(2, 3, 2))),
        ("float32 z of shape (5,)", rng.normal(0, 2, size=5).astype(np.float32)),
        ("z with exact zeros", np.array([-1.5, 0.0, 0.0, 2.0])),
        ("large |z| (saturation)", np.array([-800.0, -50.0, 50.0, 800.0])),
    ]



def _activation_cases(rng):
    out = {}
    for name in ["step", "sigmoid", "tanh", "relu", "leaky_relu"]:
        g, g_prime = S.get_activation(name)
        out[name] = [case(label, (z,), g(z), kinds="fiub" if name == "step" else "f")
                     for label, z in _inputs(rng)]
        mistakes = {
            "sigmoid": lambda z: [(S.sigmoid(z), "this is sigma(z), not sigma'(z)"),
                                  (S.sigmoid_prime(S.sigmoid(z)), "sigma' evaluated at sigma(z) instead of z")],
            "tanh": lambda z: [(1 - S.tanh(z), "1 - tanh(z): the square is missing"),
                               (S.tanh_prime(S.tanh(z)), "tanh' evaluated at tanh(z) instead of z")],
            "relu": lambda z: [((z >= 0).astype(float), "ReLU'(0) must be 0 (the course's convention)"),
                               (np.ones_like(z), "the slope for z < 0 must be 0")],
            "leaky_relu": lambda z: [(S.leaky_relu_prime(z, 0.01), "alpha is ignored (0.01 hard-coded)")],
        }.get(name, lambda z: [])
        if name != "step":
            out[name + "_prime"] = [case(label, (z,), g_prime(z), candidates=mistakes(z))
                                    for label, z in _inputs(rng)]
    for label, z in _inputs(rng)[1:4]:
        out["leaky_relu"].append(case(label + ", alpha = 0.1", (z,), S.leaky_relu(z, 0.1),
                                      kwargs={"alpha": 0.1}))
        out["leaky_relu_prime"].append(case(label + ", alpha = 0.1", (z,),
                                            S.leaky_relu_prime(z, 0.1), kwargs={"alpha": 0.1},
                                            candidates=[(S.leaky_relu_prime(z), "alpha is ignored")]))
    return out


def cases():
    rng = np.random.default_rng(101)
    out = _activation_cases(rng)
    X = rng.integers(0, 2, size=(6, 3)).astype(float)
    out["perceptron"] = [
        case("one sample, n = 3", (X[0], np.array([0.5, -1.0, 2.0]), -0.25),
             S.perceptron(X[0], np.array([0.5, -1.0, 2.0]), -0.25), kind="number"),
        case("batch X of shape (6, 3)", (X, np.array([0.5, -1.0, 2.0]), -0.25),
             S.perceptron(X, np.array([0.5, -1.0, 2.0]), -0.25), kinds="fiub"),
        case("w . x + b = 0 exactly (step(0) = 0)", (np.array([1.0, 1.0]), np.array([1.0, -1.0]), 0.0),
             0.0, kind="number"),
    ]
    x, W, b = rng.normal(size=4), rng.normal(size=4), 0.3
    Xb = rng.normal(size=(5, 4))
    out["neuron"] = [
        case("one sample, g = np.tanh", (x, W, b, np.tanh), S.neuron(x, W, b, np.tanh), kind="number"),
        case("batch of 5, g = np.tanh", (Xb, W, b, np.tanh), S.neuron(Xb, W, b, np.tanh),
             candidates=[(Xb @ W + b, "g is never applied")]),
        case("batch of 5, g = np.exp", (Xb, W, -b, np.exp), S.neuron(Xb, W, -b, np.exp),
             candidates=[(np.exp(Xb @ W), "the bias b is missing")]),
    ]
    return out
