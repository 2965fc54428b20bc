"""The neuron and the perceptron (the LUMS EE514 slides), and XOR built from logic gates."""
import numpy as np

from .activations import _float, get_activation, step


def perceptron(x, w, b):
    """step(w . x + b). x: (n,) -> 0. or 1.; x: (N, n) -> (N,)."""
    return step(_float(x) @ _float(w) + b)


def neuron(x, w, b, g):
    """g(w . x + b); g is an activation function or its name ("sigmoid", ...)."""
    g = get_activation(g)[0] if isinstance(g, str) else g
    return g(_float(x) @ _float(w) + b)


def perceptron_train(X, y, lr, epochs):
    """Rosenblatt's rule, samples in order, w = 0 and b = 0 at the start.

    For each sample: y_hat = step(w . x + b); w += lr (y - y_hat) x; b += lr (y - y_hat).
    X: (N, n), y: (N,) of 0/1 -> (w: (n,), b: float, errors_per_epoch: list of int),
    where errors_per_epoch[k] counts the samples misclassified (updated) in epoch k.
    """
    X, y = _float(X), _float(y)
    w, b = np.zeros(X.shape[1]), 0.0
    errors_per_epoch = []
    for _ in range(int(epochs)):
        errors = 0
        for x_i, y_i in zip(X, y):
            update = lr * (y_i - perceptron(x_i, w, b))
            w, b = w + update * x_i, b + update
            errors += int(update != 0)
        errors_per_epoch.append(errors)
    return w, float(b), errors_per_epoch


# Hand-chosen gates: each is one perceptron on two binary inputs.
OR_GATE = (np.array([1.0, 1.0]), -0.5)
NAND_GATE = (np.array([-1.0, -1.0]), 1.5)
AND_GATE = (np.array([1.0, 1.0]), -1.5)


def nand_gate(X):
    """NAND(x1, x2) by one perceptron. X: (N, 2) of 0/1 -> (N,) of 0/1."""
    return perceptron(X, *NAND_GATE)


def xor_network(X):
    """XOR(x1, x2) = AND(OR(x1, x2), NAND(x1, x2)). X: (N, 2) of 0/1 -> (N,) of 0/1."""
    X = np.atleast_2d(_float(X))
    hidden = np.stack([perceptron(X, *OR_GATE), nand_gate(X)], axis=1)
    return perceptron(hidden, *AND_GATE)
