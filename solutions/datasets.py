"""Small datasets made in code (no downloads)."""
import numpy as np


def xor():
    """The XOR truth table -> (X: (4, 2), y: (4,)) as float64 / int."""
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
    return X, np.array([0, 1, 1, 0])


def one_hot(y, K=None):
    """Integer labels (N,) -> one-hot rows (N, K) in float64."""
    y = np.asarray(y, dtype=int)
    K = int(y.max()) + 1 if K is None else K
    return np.eye(K)[y]


def two_moons(n=200, noise=0.1, rng=None):
    """Two interleaving half-circles -> (X: (n, 2), y: (n,) in {0, 1})."""
    rng = np.random.default_rng(rng)
    n0 = n // 2
    t0 = np.linspace(0, np.pi, n0)
    t1 = np.linspace(0, np.pi, n - n0)
    X = np.concatenate([np.c_[np.cos(t0), np.sin(t0)],
                        np.c_[1 - np.cos(t1), 0.5 - np.sin(t1)]])
    y = np.r_[np.zeros(n0, int), np.ones(n - n0, int)]
    return X + noise * rng.standard_normal(X.shape), y


def spirals(n_per_class=100, classes=3, noise=0.2, rng=None):
    """CS231n's spiral data -> (X: (n_per_class * classes, 2), y)."""
    rng = np.random.default_rng(rng)
    X, y = [], []
    for k in range(classes):
        r = np.linspace(0.0, 1.0, n_per_class)
        t = np.linspace(k * 4.0, (k + 1) * 4.0, n_per_class)
        t = t + noise * rng.standard_normal(n_per_class)
        X.append(np.c_[r * np.sin(t), r * np.cos(t)])
        y.append(np.full(n_per_class, k))
    return np.concatenate(X), np.concatenate(y)
