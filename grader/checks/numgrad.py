"""Numerical gradients in float64: central differences, full and directional.

``loss(params) -> float`` reads the arrays of ``params`` (a list of (W, b) pairs),
which these functions perturb in place and always restore.

Expected error magnitudes in float64 with eps = 1e-6 and smooth activations:
relative error 1e-10 .. 1e-7 for a correct gradient; a bug gives 1e-2 or more.
Near a ReLU kink (|z| < eps) finite differences are meaningless, so the checks'
inputs keep every pre-activation away from 0.
"""
import numpy as np

RTOL, ATOL = 1e-5, 1e-8  # a block passes if |num - ana| <= ATOL + RTOL * scale
FULL_CHECK_LIMIT = 5_000  # above this many parameters, check along directions


def central_difference(f, x, where, eps=1e-6):
    """(f(x + eps d) - f(x - eps d)) / 2 eps, d the unit vector of entry ``where`` (an
    index) or the direction ``where`` (an array shaped like x).

    x is perturbed in place and restored even if f raises; f(x) -> float.
    """
    if isinstance(where, np.ndarray):
        old = x.copy()
        at = (...,)
        plus, minus = old + eps * where, old - eps * where
    else:
        at, old = where, x[where]
        plus, minus = old + eps, old - eps
    try:
        x[at] = plus
        f_plus = float(f(x))
        x[at] = minus
        f_minus = float(f(x))
    finally:
        x[at] = old
    return (f_plus - f_minus) / (2 * eps)


def numerical_gradient(f, x, eps=1e-6):
    """df/dx by central differences, entry by entry. x: float array (restored)."""
    grad = np.zeros(x.shape, dtype=np.float64)
    for i in np.ndindex(x.shape):
        grad[i] = central_difference(f, x, i, eps)
    return grad


def rel_error(a, b):
    """CS231n's relative error: max_i |a_i - b_i| / max(1e-8, |a_i| + |b_i|)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b)), initial=0.0))


def as_float64(params):
    """A float64 copy of params, safe to perturb: [(W, b), ...]."""
    return [tuple(np.array(p, dtype=np.float64) for p in layer) for layer in params]


def blocks(params):
    """[(layer, "W" | "b", array)], layer counted from 1 as in the lectures."""
    return [(l, part, arr) for l, layer in enumerate(params, start=1)
            for part, arr in zip(("W", "b"), layer)]


class Block:
    """The check of one parameter array: layer l, "W" or "b"."""

    def __init__(self, layer, part, analytic, numeric=None, pairs=()):
        self.layer, self.part = layer, part
        self.analytic = np.asarray(analytic, dtype=np.float64)
        self.numeric = numeric            # full numerical gradient, when computed
        self.pairs = list(pairs)          # [(numeric, analytic)] directional derivatives
        self.entries = []                 # [(index, numeric, analytic)] of wrong entries

    @property
    def name(self):
        return f"d{self.part}[{self.layer}]"

    def _num_ana(self):
        if self.numeric is not None:
            return self.numeric, self.analytic
        return tuple(np.array([p[i] for p in self.pairs]) for i in (0, 1))

    def _scale(self, num, ana):
        return max(np.max(np.abs(num), initial=0.0), np.max(np.abs(ana), initial=0.0), 1e-12)

    @property
    def error(self):
        """Relative error: max |num - ana| over the block's scale."""
        num, ana = self._num_ana()
        return float(np.max(np.abs(num - ana), initial=0.0) / self._scale(num, ana))

    @property
    def ok(self):
        num, ana = self._num_ana()
        return bool(np.all(np.isfinite(ana))
                    and np.all(np.abs(num - ana) <= ATOL + RTOL * self._scale(num, ana)))


class GradReport:
    """Per-block verdicts of a gradient check, with the number of loss evaluations."""

    def __init__(self, blocks, mode, evaluations):
        self.blocks, self.mode, self.evaluations = blocks, mode, evaluations

    @property
    def ok(self):
        return all(b.ok for b in self.blocks)

    @property
    def bad(self):
        """Failing blocks, top layer first (backprop runs downward: look there first)."""
        return sorted((b for b in self.blocks if not b.ok), key=lambda b: (-b.layer, b.part))

    def table(self):
        """One row per block, top layer first: parameter, relative error, verdict."""
        rows = [f"  {'param':<8}{'rel. error':>12}  verdict"]
        for b in sorted(self.blocks, key=lambda b: (-b.layer, b.part)):
            rows.append(f"  {b.name:<8}{b.error:>12.2e}  {'ok' if b.ok else 'WRONG'}")
        return "\n".join(rows)


def _counted(loss):
    calls = [0]

    def f(params):
        calls[0] += 1
        return float(loss(params))
    return f, calls


def full_check(loss, params, grads, eps=1e-6):
    """Every entry by central differences: 2 loss evaluations per parameter."""
    f, calls = _counted(loss)
    params = as_float64(params)
    out = []
    for (l, part, x), g in zip(blocks(params), (a for pair in grads for a in pair)):
        num = numerical_gradient(lambda _: f(params), x, eps)
        block = Block(l, part, g, numeric=num)
        scale = max(np.abs(num).max(initial=0), 1e-12)
        bad = ~(np.abs(num - block.analytic) <= ATOL + RTOL * scale)
        block.entries = [(tuple(map(int, i)), num[tuple(i)], block.analytic[tuple(i)])
                         for i in np.argwhere(bad)]
        out.append(block)
    return GradReport(out, "full", calls[0])


def directional_check(loss, params, grads, n_dirs=2, eps=1e-6, rng=0, sample=24):
    """Compare (L(p + eps v) - L(p - eps v)) / 2 eps with grad . v, block by block.

    Each block gets ``n_dirs`` random unit directions: 2 evaluations each, whatever
    its size. In a failing block, ``sample`` entries are then checked one by one
    to say where it is wrong.
    """
    f, calls = _counted(loss)
    rng = np.random.default_rng(rng)
    params = as_float64(params)
    out = []
    for (l, part, x), g in zip(blocks(params), (a for pair in grads for a in pair)):
        block = Block(l, part, g)
        for _ in range(n_dirs):
            v = rng.standard_normal(x.shape)
            v /= np.linalg.norm(v) or 1.0
            num = central_difference(lambda _: f(params), x, v, eps)
            block.pairs.append((num, float(np.sum(block.analytic * v))))
        if not block.ok:
            block.entries = _sample_entries(f, params, x, block.analytic, eps, rng, sample)
        out.append(block)
    return GradReport(out, "directional", calls[0])


def _sample_entries(f, params, x, analytic, eps, rng, k):
    """Wrong entries among the k largest analytic ones and k random others."""
    flat = np.abs(analytic).ravel()
    picks = set(np.argsort(flat)[::-1][:k].tolist())
    picks |= set(rng.choice(flat.size, size=min(k, flat.size), replace=False).tolist())
    wrong = []
    for p in sorted(picks):
        i = np.unravel_index(p, x.shape)
        num = central_difference(lambda _: f(params), x, i, eps)
        if not abs(num - analytic[i]) <= ATOL + RTOL * max(abs(num), abs(analytic[i]), 1e-12):
            wrong.append((tuple(map(int, i)), num, float(analytic[i])))
    return wrong


def gradcheck(loss, params, grads, mode="auto", **options):
    """Full check for small networks, directional above FULL_CHECK_LIMIT parameters."""
    size = sum(np.size(a) for layer in params for a in layer)
    if mode == "auto":
        mode = "full" if size <= FULL_CHECK_LIMIT else "directional"
    if mode == "full":
        return full_check(loss, params, grads, **options)
    return directional_check(loss, params, grads, **options)


def quadratic(M, c):
    """f(x) = 1/2 x.M x + c.x + sum(sin x), for x of any shape (M acts on x.ravel()): a
    function whose gradient M_sym x + c + cos x the gradient tools' cases know exactly."""
    def f(u):
        u = np.asarray(u, dtype=np.float64)
        return (0.5 * np.sum(u * (M @ u.ravel()).reshape(u.shape)) + np.sum(c * u)
                + np.sum(np.sin(u)))
    return f
