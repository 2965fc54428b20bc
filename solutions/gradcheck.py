"""Central finite differences: the numerical gradient students check against."""
import numpy as np


def numerical_gradient(f, x, eps=1e-6):
    """df/dx by central differences, one entry at a time.

    f: callable, f(x) -> float; x: float array, perturbed IN PLACE and restored.
    Error is O(eps^2) truncation plus O(u / eps) round-off (u ~ 1e-16).
    """
    grad = np.zeros(x.shape, dtype=np.float64)
    for i in np.ndindex(x.shape):
        old = x[i]
        try:
            x[i] = old + eps
            f_plus = float(f(x))
            x[i] = old - eps
            f_minus = float(f(x))
        finally:
            x[i] = old  # restore exactly, even if f raises
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def relative_error(a, b):
    """CS231n's relative error of a, b (one shape): max_i |a_i - b_i| / max(1e-8, |a_i| + |b_i|)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b)), initial=0.0))


def directional_check(f, x, g, v, eps=1e-6):
    """(numeric, analytic) derivatives of f at x along v: (f(x + eps v) - f(x - eps v)) / 2 eps
    and g . v.

    x, g, v: float arrays of one shape; x is left unchanged.
    """
    x, v = np.asarray(x, dtype=np.float64), np.asarray(v, dtype=np.float64)
    numeric = (float(f(x + eps * v)) - float(f(x - eps * v))) / (2 * eps)
    return float(numeric), float(np.sum(np.asarray(g, dtype=np.float64) * v))


def planted_bug():
    """(l, k): buggy_backward (notebook 05) gets grads[l - 1][k] wrong; k = 0 is dW, 1 is db."""
    return (2, 0)
