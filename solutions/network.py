"""A fully connected network: shapes, initialisation, forward and backward passes.

Notation (spec section 3): layers l = 1..L, ``params[l-1] = (W, b)`` with
W^[l]: (n_l, n_{l-1}) and b^[l]: (n_l,). Batches are rows: X: (N, n_0).
Forward:  Z^[l] = A^[l-1] @ W^[l].T + b^[l],  A^[l] = g(Z^[l]),  A^[L] = output(Z^[L]).
Backward: dZ^[L] = (A^[L] - Y) / N for the matched output/loss pairs,
          dW^[l] = dZ^[l].T @ A^[l-1],  db^[l] = dZ^[l].sum(0),
          dZ^[l-1] = (dZ^[l] @ W^[l]) * g'(Z^[l-1]).
"""
import numpy as np

from .activations import _float, get_activation, identity, sigmoid
from .losses import loss_grad, softmax

OUTPUTS = {"softmax": softmax, "sigmoid": sigmoid, "identity": identity}

# Output/loss pairs whose delta simplifies to dZ^[L] = (A^[L] - Y) / N.
MATCHED = {("softmax", "cross_entropy"), ("sigmoid", "binary_cross_entropy"),
           ("identity", "mse")}


def layer_shapes(sizes):
    """[((n_l, n_{l-1}), (n_l,)) for l = 1..L] for layer sizes [n_0, ..., n_L]."""
    sizes = [int(n) for n in sizes]
    return [((n_out, n_in), (n_out,)) for n_in, n_out in zip(sizes[:-1], sizes[1:])]


def count_params(sizes):
    """Number of weights and biases: sum over l of n_l * n_{l-1} + n_l."""
    return sum(w[0] * w[1] + b[0] for w, b in layer_shapes(sizes))


def init_params(sizes, rng=None):
    """[(W, b), ...] with W^[l] ~ N(0, 1/n_{l-1}) and b^[l] = 0, in float64.

    rng: a numpy Generator (or a seed); the same rng state gives the same params.
    """
    rng = np.random.default_rng(rng)
    return [(rng.standard_normal(w) / np.sqrt(w[1]), np.zeros(b))
            for w, b in layer_shapes(sizes)]


def dense(A_prev, W, b):
    """Z = A_prev @ W.T + b. A_prev: (N, n_{l-1}), W: (n_l, n_{l-1}), b: (n_l,) -> (N, n_l)."""
    return _float(A_prev) @ _float(W).T + _float(b)


def get_output(name):
    """The output function for "softmax", "sigmoid" or "identity"."""
    if not isinstance(name, str) or name not in OUTPUTS:
        raise ValueError(f"unknown output {name!r}: expected one of {sorted(OUTPUTS)}")
    return OUTPUTS[name]


def forward(params, X, hidden="sigmoid", output="softmax"):
    """Forward pass. X: (N, n_0) -> (A^[L]: (N, n_L), cache).

    cache = {"A": [A^[0], ..., A^[L]], "Z": [None, Z^[1], ..., Z^[L]]}, indexed
    by layer as in the lectures (A^[0] = X; there is no Z^[0]).
    """
    g, out = get_activation(hidden)[0], get_output(output)
    A = np.atleast_2d(_float(X))
    cache = {"A": [A], "Z": [None]}
    L = len(params)
    for l, (W, b) in enumerate(params, start=1):
        Z = dense(A, W, b)
        A = out(Z) if l == L else g(Z)
        cache["Z"].append(Z)
        cache["A"].append(A)
    return A, cache


def output_delta(Z, A, Y, output="softmax", loss="cross_entropy"):
    """dZ^[L] = dL/dZ^[L] of the mean loss. Z, A, Y: (N, n_L) -> (N, n_L)."""
    get_output(output)
    if (output, loss) in MATCHED:
        return (A - Y) / A.shape[0]  # the cancellation: y_hat - y, averaged
    dA = loss_grad(A, Y, loss)
    if output == "softmax":  # J^T dA for each row, with J = diag(a) - a a^T
        return A * (dA - np.sum(dA * A, axis=1, keepdims=True))
    return dA * get_activation(output)[1](Z)


def backward(params, cache, Y, hidden="sigmoid", output="softmax", loss="cross_entropy"):
    """Backward pass -> [(dW^[l], db^[l]) for l = 1..L], shaped like params.

    cache: from ``forward``; Y: (N, n_L) targets (one-hot for softmax).
    """
    g_prime = get_activation(hidden)[1]
    A, Z = cache["A"], cache["Z"]
    L = len(params)
    Y = np.reshape(_float(Y), A[L].shape)
    dZ = output_delta(Z[L], A[L], Y, output, loss)
    grads = [None] * L
    for l in range(L, 0, -1):
        grads[l - 1] = (dZ.T @ A[l - 1], dZ.sum(axis=0))
        if l > 1:  # no dZ^[0]: the input has no activation
            dZ = (dZ @ params[l - 1][0]) * g_prime(Z[l - 1])
    return grads


def backward_mse(params, cache, Y, hidden="sigmoid"):
    """Backward pass for an identity output and L = 1/(2N) sum ||A^[L] - Y||^2 -> [(dW, db)].

    cache: from ``forward(params, X, hidden, output="identity")``; Y: (N, n_L).
    """
    return backward(params, cache, Y, hidden, output="identity", loss="mse")


def scalar_chain_grad(x, y, w1, w2):
    """(dL/dw1, dL/dw2) of x -> z1 = w1 x -> a1 = sigma(z1) -> z2 = w2 a1 -> L = 1/2 (z2 - y)^2."""
    z1 = w1 * x
    a1 = sigmoid(z1)
    z2 = w2 * a1
    dz2 = z2 - y                          # dL/dz2
    da1 = dz2 * w2                        # dL/da1
    dz1 = da1 * a1 * (1 - a1)             # dL/dz1 = dL/da1 sigma'(z1)
    return float(dz1 * x), float(dz2 * a1)
