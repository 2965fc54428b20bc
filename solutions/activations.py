"""Activation functions g and their derivatives g', element-wise on any shape.

Every function takes an array ``z`` (the pre-activation) and returns an array of
the same shape. Derivatives are evaluated at z, never at a = g(z).
"""
import numpy as np


def _float(z):
    """z as a floating array; integers become float64, float32 stays float32."""
    z = np.asarray(z)
    return z if np.issubdtype(z.dtype, np.floating) else z.astype(np.float64)


def step(z):
    """Heaviside step: 1 where z > 0, else 0 (step(0) = 0 by convention)."""
    z = _float(z)
    return (z > 0).astype(z.dtype)


def step_prime(z):
    """The step's derivative: 0 wherever it is defined (undefined at z = 0)."""
    return np.zeros_like(_float(z))


def identity(z):
    """g(z) = z."""
    return _float(z).copy()


def identity_prime(z):
    """g'(z) = 1."""
    return np.ones_like(_float(z))


def sigmoid(z):
    """sigma(z) = 1 / (1 + e^-z), stable for any |z| (no overflow warnings)."""
    z = _float(z)
    with np.errstate(under="ignore"):  # e^-|z| -> 0 is the correctly rounded value
        e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
        return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(z.dtype)


def sigmoid_prime(z):
    """sigma'(z) = sigma(z) (1 - sigma(z))."""
    s = sigmoid(z)
    return s * (1 - s)


def tanh(z):
    """tanh(z) = 2 sigma(2z) - 1."""
    return np.tanh(_float(z))


def tanh_prime(z):
    """tanh'(z) = 1 - tanh(z)^2."""
    t = tanh(z)
    return 1 - t * t


def relu(z):
    """max(0, z)."""
    z = _float(z)
    return np.maximum(z, 0).astype(z.dtype)


def relu_prime(z):
    """1 where z > 0, else 0 (ReLU'(0) = 0, PyTorch's convention)."""
    z = _float(z)
    return (z > 0).astype(z.dtype)


def leaky_relu(z, alpha=0.01):
    """z where z > 0, else alpha * z."""
    z = _float(z)
    return np.where(z > 0, z, alpha * z).astype(z.dtype)


def leaky_relu_prime(z, alpha=0.01):
    """1 where z > 0, else alpha (the value at 0 is a convention: alpha)."""
    z = _float(z)
    return np.where(z > 0, 1.0, alpha).astype(z.dtype)


ACTIVATIONS = {
    "step": (step, step_prime),
    "identity": (identity, identity_prime),
    "sigmoid": (sigmoid, sigmoid_prime),
    "tanh": (tanh, tanh_prime),
    "relu": (relu, relu_prime),
    "leaky_relu": (leaky_relu, leaky_relu_prime),
}


def get_activation(name):
    """(g, g') for an activation name such as "sigmoid"."""
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown activation {name!r}: expected one of {sorted(ACTIVATIONS)}"
        ) from None
