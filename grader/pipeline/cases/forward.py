"""Hidden cases for notebook 03: random architectures, all activations and outputs, N = 1,
float32 and integer inputs, large logits, and the engine's answers with known mistakes.

Three functions are compared through a view of ``grader.checks.forward`` (named in the
case's ``"function"`` entry; the test cell passes it): ``layer_shapes`` as a table of
shapes, ``init_params`` as its properties (the draws themselves are free), ``forward``
by its A_L alone (the cache layout is free).
"""
import numpy as np

import solutions as S
from solutions.activations import get_activation
from solutions.network import dense, get_output

from ...checks import forward as F
from ..oracle import case
from ..replay import merge, replayed

HIDDEN = ["sigmoid", "tanh", "relu", "leaky_relu"]
OUTPUT = ["softmax", "sigmoid", "identity"]


def _viewed(view_name, label, args, expected, kind="array", kwargs=None, **options):
    """A case whose result is read through the view ``view_name`` of grader.checks.forward."""
    c = case(label, args, expected, kind=kind, kwargs=kwargs, **options)
    c["function"] = view_name
    return c


def _sizes(rng, depth, widest=7):
    return [int(n) for n in rng.integers(1, widest + 1, size=depth + 1)]


# ---------------------------------------------------------------- layer_shapes, count_params
def _shape_cases(rng):
    table = F.shape_table(S.layer_shapes)
    out = []
    for sizes in [[4, 1], [2, 3], _sizes(rng, 2), _sizes(rng, 3), _sizes(rng, 5, 12), [1, 1, 1],
                  [784, 128, 64, 10]]:
        L = len(sizes) - 1
        pairs = list(zip(sizes[1:], sizes[:-1]))  # (n_out, n_in)
        out.append(_viewed(
            "shape_table", f"sizes = {sizes}", (sizes,), table(sizes),
            name="layer_shapes(sizes) as one row [W rows, W cols, b length] per layer",
            candidates=[
                (np.array([[i, o, o] for o, i in pairs], float).reshape(L, 3),
                 "W^[l] is transposed: W^[l] is (n_l, n_{l-1}), one row per unit of layer l"),
                (np.array([[o, i, i] for o, i in pairs], float).reshape(L, 3),
                 "b^[l] has one entry per unit of layer l: (n_l,)")]))
    return out


def _count_cases(rng):
    out = []
    for sizes in [[10, 1], [1, 1, 1], _sizes(rng, 2, 9), _sizes(rng, 4, 9), [784, 128, 10],
                  [3, 4, 3, 1]]:
        weights = sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
        out.append(case(f"sizes = {sizes}", (sizes,), S.count_params(sizes), kind="int",
                        replays=replayed(S.count_params, (sizes,), layer_shapes=1), candidates=[
            (weights, "only the weights are counted: every layer also has n_l biases"),
            (sum(sizes[1:]), "only the biases are counted"),
            (S.count_params(sizes) + sizes[0], "the input layer was counted as if it had biases"),
            (weights + sum(sizes[:-1]), "the biases were counted with n_{l-1} instead of n_l")]))
    return out


# ---------------------------------------------------------------- init_params
def _init_cases():
    view = F.init_properties(S.init_params)
    out = []
    for sizes, seed in [([3, 5, 2], 11), ([1, 1], 12), ([8, 8, 8, 8], 13), ([784, 100, 10], 14),
                        ([200, 300, 300, 10], 15), ([50, 1000, 40], 16)]:
        out.append(_viewed("init_properties",
                           f"sizes = {sizes}, rng = np.random.default_rng({seed}), called twice, "
                           f"then with seed {seed + 1}", (sizes, seed), view(sizes, seed),
                           kind=F.INIT_PARTS, **F.init_options(sizes),
                           replays=replayed(S.init_params, (sizes, seed), layer_shapes=1)))
    return out


# ---------------------------------------------------------------- dense
def _dense_cases(rng):
    out = []
    for N, n_in, n_out, note in [(5, 3, 4, ""), (1, 6, 2, ", one sample (N = 1)"),
                                 (7, 1, 1, ", one input and one unit"),
                                 (4, 8, 8, ", square W"), (3, 5, 2, ", float32 inputs"),
                                 (2, 3, 4, ", A_prev of integer dtype"),
                                 (3, 4, 3, ", large values (|A_prev| ~ 1e3)")]:
        A = rng.normal(size=(N, n_in))
        W = rng.normal(size=(n_out, n_in))
        b = rng.normal(size=n_out)
        if "float32" in note:
            A, W, b = (x.astype(np.float32) for x in (A, W, b))
        if "integer" in note:
            A = rng.integers(-5, 6, size=(N, n_in))
        if "large" in note:
            A = 1e3 * A
        candidates = [(np.asarray(A, float) @ np.asarray(W, float).T,
                       "the bias b is not added: Z = A_prev @ W.T + b")]
        if n_in == n_out:
            candidates.append((A @ W + b, "W is used without .T: Z = A_prev @ W.T + b"))
        out.append(case(f"A_prev ({N}, {n_in}), W ({n_out}, {n_in}), b ({n_out},){note}",
                        (A, W, b), S.dense(A, W, b), candidates=candidates))
    return out


# ---------------------------------------------------------------- forward
def _mistake(params, X, hidden, output, mistake):
    """The engine's forward with one known mistake (see grader.checks.forward.MISTAKES)."""
    g, out = get_activation(hidden)[0], get_output(output)
    A = np.asarray(X, dtype=np.float64)
    L = len(params)
    for l, (W, b) in enumerate(params, start=1):
        Z = A @ W.T + (0 if mistake == "no_bias" else b)
        if l < L:
            A = {"hidden_ignored": S.sigmoid, "output_everywhere": out}.get(mistake, g)(Z)
        elif mistake == "output_is_hidden":
            A = g(Z)
        elif mistake == "no_output":
            A = Z
        elif mistake == "softmax_axis0" and output == "softmax":
            E = np.exp(Z - Z.max(axis=0))
            A = E / E.sum(axis=0)
        else:
            A = out(Z)
    return A


def _forward_case(label, params, X, kwargs):
    hidden, output = kwargs.get("hidden", "sigmoid"), kwargs.get("output", "softmax")
    expected = S.forward(params, X, **kwargs)[0]
    candidates = []
    for mistake, cause in F.MISTAKES.items():
        with np.errstate(all="ignore"):
            wrong = _mistake(params, X, hidden, output, mistake)
        if wrong.shape == expected.shape and not np.allclose(wrong, expected, rtol=1e-4):
            candidates.append((wrong, cause))
    return _viewed("output_of", label, (params, X), expected, kwargs=kwargs,
                   name="A_L (the first of the pair forward returns)", candidates=candidates,
                   replays=merge(replayed(S.forward, (params, X), kwargs, dense=3),
                                 replayed(_forward_as_written, (params, X), kwargs, dense=3)))


def _forward_as_written(params, X, hidden="sigmoid", output="softmax"):
    """The notebook's forward, X used as given: the dense calls a student's forward makes."""
    g, out = get_activation(hidden)[0], get_output(output)
    A = X
    for l, (W, b) in enumerate(params, start=1):
        Z = dense(A, W, b)  # looked up in this module: the trace replaces it
        A = out(Z) if l == len(params) else g(Z)
    return A


def _forward_cases(rng):
    out = []
    settings = [(2, "sigmoid", "softmax", 4), (3, "tanh", "softmax", 1),
                (1, "relu", "softmax", 3), (4, "leaky_relu", "softmax", 6),
                (2, "relu", "sigmoid", 5), (3, "tanh", "identity", 2)]
    for depth, hidden, output, N in settings:
        sizes = _sizes(rng, depth, 6)
        sizes[-1] = max(sizes[-1], 2) if output == "softmax" else sizes[-1]
        params = S.init_params(sizes, rng)
        params = [(W, 0.3 * rng.normal(size=b.shape)) for W, b in params]  # non-zero biases
        X = rng.normal(0, 2, size=(N, sizes[0]))
        out.append(_forward_case(f"sizes {sizes}, N = {N}, hidden={hidden!r}, output={output!r}",
                                 params, X, {"hidden": hidden, "output": output}))
    sizes = [4, 5, 3]
    params = [(W, 0.3 * rng.normal(size=b.shape)) for W, b in S.init_params(sizes, rng)]
    X = rng.normal(size=(6, 4))
    out.append(_forward_case("sizes [4, 5, 3], N = 6, the defaults (no keyword arguments)",
                             params, X, {}))
    out.append(_forward_case("sizes [4, 5, 3], N = 6, float32 X, hidden='tanh'", params,
                             X.astype(np.float32), {"hidden": "tanh", "output": "softmax"}))
    out.append(_forward_case("sizes [4, 5, 3], N = 3, X of integer dtype", params,
                             rng.integers(-3, 4, size=(3, 4)),
                             {"hidden": "relu", "output": "softmax"}))
    big = [(200 * W, 200 * b) for W, b in params]
    out.append(_forward_case("large logits: sizes [4, 5, 3] with weights times 200, N = 6, "
                             "hidden='relu'", big, X, {"hidden": "relu", "output": "softmax"}))
    return out


def cases():
    rng = np.random.default_rng(303)
    return {
        "layer_shapes": _shape_cases(rng),
        "count_params": _count_cases(rng),
        "init_params": _init_cases(),
        "dense": _dense_cases(rng),
        "forward": _forward_cases(rng),
    }
