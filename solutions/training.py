"""Gradient-descent training, prediction and accuracy."""
import numpy as np

from .activations import _float
from .losses import loss_value
from .network import backward, forward


def gd_step(params, grads, lr):
    """One gradient-descent step: [(W - lr dW, b - lr db), ...] (new arrays)."""
    return [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads)]


def minibatches(N, batch_size, rng=None):
    """A shuffled partition of range(N): index arrays (batch_size,), the last (<= batch_size,).

    order = rng.permutation(N), cut into consecutive batches; rng: a Generator or a seed.
    """
    order = np.random.default_rng(rng).permutation(int(N))
    return [order[i:i + int(batch_size)] for i in range(0, int(N), int(batch_size))]


def train(params, X, Y, lr, epochs, hidden="sigmoid", output="softmax",
          loss="cross_entropy", batch_size=None, rng=None):
    """Train by gradient descent -> (params, losses).

    losses[k] is the loss on (X, Y) at the start of epoch k (full batch), so
    losses[0] is the untrained loss. With ``batch_size`` the data are shuffled
    by ``rng`` each epoch and every mini-batch makes one step.
    """
    X = np.atleast_2d(_float(X))
    N = X.shape[0]
    Y = _float(Y).reshape(N, -1)  # labels (N,) of a single output become a column
    batch_size = N if batch_size is None else int(batch_size)
    rng = np.random.default_rng(rng)
    losses = []
    for _ in range(int(epochs)):
        A, cache = forward(params, X, hidden, output)
        losses.append(loss_value(A, Y, loss))
        if batch_size >= N:  # full batch: reuse this forward pass
            params = gd_step(params, backward(params, cache, Y, hidden, output, loss), lr)
            continue
        order = rng.permutation(N)
        for start in range(0, N, batch_size):
            idx = order[start:start + batch_size]
            _, cache = forward(params, X[idx], hidden, output)
            params = gd_step(params, backward(params, cache, Y[idx], hidden, output, loss), lr)
    return params, losses


def predict(params, X, hidden="sigmoid", output="softmax"):
    """Class labels (N,) for softmax (argmax) or sigmoid (A > 0.5); A^[L] for identity."""
    A, _ = forward(params, X, hidden, output)
    if output == "softmax":
        return A.argmax(axis=1)
    if output == "sigmoid":
        labels = (A > 0.5).astype(int)
        return labels[:, 0] if labels.shape[1] == 1 else labels
    return A


def accuracy(y_pred, y_true):
    """Fraction of matching labels; one-hot rows are turned into labels first."""
    y_pred, y_true = np.asarray(y_pred), np.asarray(y_true)
    if y_true.ndim == 2 and y_true.shape[1] > 1:
        y_true = y_true.argmax(axis=1)
    if y_pred.ndim == 2 and y_pred.shape[1] > 1:
        y_pred = y_pred.argmax(axis=1)
    return float(np.mean(y_pred.reshape(-1) == y_true.reshape(-1)))
