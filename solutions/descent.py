"""Gradient descent on the forward/backward lecture's f(x1, x2) = x1^2 + x1 x2 + 4 x2^2."""
import numpy as np

HESSIAN = np.array([[2.0, 1.0], [1.0, 8.0]])  # f(x) = 1/2 x^T H x


def quadratic(x):
    """f(x1, x2) = x1^2 + x1 x2 + 4 x2^2."""
    x1, x2 = x
    return x1 * x1 + x1 * x2 + 4 * x2 * x2


def quadratic_grad(x):
    """grad f = (2 x1 + x2, x1 + 8 x2) = H x."""
    x1, x2 = x
    return np.array([2 * x1 + x2, x1 + 8 * x2])


def gradient_descent(grad, x0, lr, n_steps):
    """x^{k+1} = x^k - lr grad(x^k) -> path: (n_steps + 1, dim), path[0] = x0."""
    path = [np.asarray(x0, dtype=np.float64)]
    for _ in range(int(n_steps)):
        path.append(path[-1] - lr * grad(path[-1]))
    return np.array(path)


def descend_until(f, grad, x0, lr, tol, criterion="grad", max_steps=10_000):
    """Gradient descent until a stopping test holds -> path (stops at max_steps).

    criterion "grad":    stop when ||grad f(x^k)|| < tol (reliable).
    criterion "delta_f": stop when |f(x^{k+1}) - f(x^k)| < tol, tested after the
    update (the forward/backward lecture's rule; it can stop falsely, e.g. at lr = 0.25
    from (3, 3)).
    """
    path = [np.asarray(x0, dtype=np.float64)]
    for _ in range(int(max_steps)):
        x = path[-1]
        if criterion == "grad" and np.linalg.norm(grad(x)) < tol:
            break
        path.append(x - lr * grad(x))
        if criterion == "delta_f" and abs(f(path[-1]) - f(x)) < tol:
            break
    return np.array(path)
