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
