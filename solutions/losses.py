"""Output functions, losses and the output-layer deltas dL/dz.

Batch layout: rows are samples. A 1-D array is one sample (N = 1).
Every loss is the MEAN over the batch of a per-sample loss that SUMS over the
K output units, so a batch of one is exactly the lectures' single-sample loss.
Every ``*_grad`` returns dL/dZ of that mean loss: (A - Y) / N for the matched
pairs, which is the lectures' delta = y_hat - y when N = 1.
"""
import numpy as np

from .activations import _float, sigmoid, sigmoid_prime


def _batch_size(Z):
    """N: the number of rows of a batch, 1 for a single sample."""
    return 1 if np.ndim(Z) == 1 else np.shape(Z)[0]


def softmax(Z):
    """Row-wise softmax, stable for any logits. Z: (N, K) or (K,) -> same shape."""
    Z = _float(Z)
    with np.errstate(under="ignore"):  # e^(z - max) -> 0 is the correctly rounded value
        E = np.exp(Z - Z.max(axis=-1, keepdims=True))  # largest exponent is e^0
        return E / E.sum(axis=-1, keepdims=True)


def softmax_jacobian(z):
    """d softmax(z) / dz = diag(s) - s s^T. z: (K,) -> (K, K)."""
    s = softmax(np.ravel(z))
    return np.diag(s) - np.outer(s, s)


def cross_entropy(A, Y):
    """Mean over samples of -sum_k Y log A. A, Y: (N, K) or (K,) -> float."""
    A, Y = _float(A), _float(Y)
    logs = np.log(A, out=np.zeros_like(A), where=Y != 0)  # 0 log 0 := 0
    return float(-np.sum(Y * logs) / _batch_size(A))


def binary_cross_entropy(A, Y):
    """Mean over samples of -sum_k [Y log A + (1 - Y) log(1 - A)]."""
    A, Y = _float(A), _float(Y)
    pos = np.log(A, out=np.zeros_like(A), where=Y != 0)
    neg = np.log1p(-A, out=np.zeros_like(A), where=Y != 1)
    return float(-np.sum(Y * pos + (1 - Y) * neg) / _batch_size(A))


def squared_error(A, Y):
    """Mean over samples of 1/2 sum_k (A - Y)^2 (the LUMS EE514 slides' loss when N = 1)."""
    D = _float(A) - _float(Y)
    return float(0.5 * np.sum(D * D) / _batch_size(D))


LOSSES = {
    "cross_entropy": cross_entropy,
    "binary_cross_entropy": binary_cross_entropy,
    "mse": squared_error,
}


def _check_loss(loss):
    if not isinstance(loss, str) or loss not in LOSSES:
        raise ValueError(f"unknown loss {loss!r}: expected one of {sorted(LOSSES)}")


def loss_value(A, Y, loss="cross_entropy"):
    """The scalar loss named by ``loss`` ("cross_entropy", "binary_cross_entropy", "mse").

    Y may be given flat, e.g. labels (N,) for A of shape (N, 1).
    """
    _check_loss(loss)
    A, Y = _float(A), _float(Y)
    return LOSSES[loss](A, Y.reshape(A.shape) if Y.size == A.size else Y)


def loss_grad(A, Y, loss="cross_entropy"):
    """dL/dA of the mean loss, same shape as A."""
    _check_loss(loss)
    A, Y = _float(A), _float(Y)
    per_sample = {
        "cross_entropy": lambda: -np.divide(Y, A, out=np.zeros_like(A), where=Y != 0),
        "binary_cross_entropy": lambda: (A - Y) / (A * (1 - A)),
        "mse": lambda: A - Y,
    }[loss]()
    return per_sample / _batch_size(A)


def softmax_cross_entropy_grad(Z, Y):
    """dL/dZ for softmax + mean cross-entropy: (softmax(Z) - Y) / N."""
    return (softmax(Z) - Y) / _batch_size(Z)


def sigmoid_bce_grad(z, y):
    """dL/dz for sigmoid + binary cross-entropy: (sigma(z) - y) / N."""
    return (sigmoid(z) - y) / _batch_size(z)


def sigmoid_mse_grad(z, y):
    """dL/dz for sigmoid + 1/2 squared error: (sigma(z) - y) sigma'(z) / N."""
    return (sigmoid(z) - y) * sigmoid_prime(z) / _batch_size(z)


def identity_mse_grad(z, y):
    """dL/dz for identity + 1/2 squared error: (z - y) / N."""
    return (_float(z) - y) / _batch_size(z)
