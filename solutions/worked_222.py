"""The LUMS EE514 slides' worked example: a 2-2-2 sigmoid network, one sample, 1/2 squared error.

Column form, single sample: z^[1] = W^[1] x + b^[1], a^[1] = sigma(z^[1]),
z^[2] = W^[2] a^[1] + b^[2], y_hat = a^[2] = sigma(z^[2]), L = 1/2 ||y_hat - y||^2.
"""
import numpy as np

from .activations import sigmoid, sigmoid_prime
from .losses import squared_error
from .training import gd_step

X_222 = np.array([0.05, 0.10])
Y_222 = np.array([0.01, 0.99])


def params_222():
    """The lecture's starting weights and biases: [(W1, b1), (W2, b2)]."""
    return [(np.array([[0.15, 0.20], [0.25, 0.30]]), np.array([0.35, 0.35])),
            (np.array([[0.40, 0.45], [0.50, 0.55]]), np.array([0.60, 0.60]))]


def forward_222(x, params):
    """-> (z1, a1, z2, a2), each of shape (2,)."""
    (W1, b1), (W2, b2) = params
    z1 = W1 @ x + b1
    a1 = sigmoid(z1)
    z2 = W2 @ a1 + b2
    return z1, a1, z2, sigmoid(z2)


def dL_dw2_11(x, y, params):
    """dL/dw^[2]_{1,1} (W2[0, 0]): x, y of shape (2,) -> float."""
    _, a1, z2, a2 = forward_222(x, params)
    return float((a2[0] - y[0]) * sigmoid_prime(z2[0]) * a1[0])


def dL_dw1_11(x, y, params):
    """dL/dw^[1]_{1,1} (W1[0, 0]), the sum over its two paths: x, y of shape (2,) -> float."""
    (_, _), (W2, _) = params
    z1, _, z2, a2 = forward_222(x, params)
    paths = [(a2[k] - y[k]) * sigmoid_prime(z2[k]) * W2[k, 0] for k in range(2)]
    return float(sum(paths) * sigmoid_prime(z1[0]) * x[0])


def dL_dw1_21(x, y, params):
    """dL/dw^[1]_{2,1} (W1[1, 0]: input 1 into hidden unit 2): x, y of shape (2,) -> float."""
    (_, _), (W2, _) = params
    z1, _, z2, a2 = forward_222(x, params)
    paths = [(a2[k] - y[k]) * sigmoid_prime(z2[k]) * W2[k, 1] for k in range(2)]
    return float(sum(paths) * sigmoid_prime(z1[1]) * x[0])


def w1_11_after_step():
    """w^[1]_{1,1} after one gradient-descent step (eta = 0.5) on the lecture's network -> float."""
    (W1, _), _ = params_222()
    dW1 = backprop_222(X_222, Y_222, params_222())[0][0]
    return float(W1[0, 0] - 0.5 * dW1[0, 0])


def backprop_222(x, y, params):
    """The vectorized rule, column form -> [(dW1, db1), (dW2, db2)]."""
    (_, _), (W2, _) = params
    z1, a1, z2, a2 = forward_222(x, params)
    delta2 = (a2 - y) * sigmoid_prime(z2)
    delta1 = (W2.T @ delta2) * sigmoid_prime(z1)
    return [(np.outer(delta1, x), delta1), (np.outer(delta2, a1), delta2)]


def train_222(x, y, params, lr=0.5, steps=1000):
    """Gradient descent on the one sample -> (params, losses); losses[k] is before step k."""
    losses = []
    for _ in range(int(steps)):
        losses.append(squared_error(forward_222(x, params)[3], y))
        params = gd_step(params, backprop_222(x, y, params), lr)
    return params, losses
