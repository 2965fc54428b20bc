"""Cases for notebook 03, visible and hidden: random architectures, all activations and
outputs, N = 1, float32 and integer inputs, large logits, and the engine's answers with
known mistakes (each a cause key of CAUSES below -> the engine's result with it).

Three functions are compared through a view of ``grader.checks.forward`` (named in the
case's ``"function"`` entry by the view's own name; the test cell passes it):
``layer_shapes`` as a table of shapes, ``init_params`` as its properties (the draws
themselves are free), ``forward`` by its A_L alone (the cache layout is free).
"""
import numpy as np

import solutions as S
from solutions.activations import get_activation
from solutions.network import dense, get_output

from ...checks import forward as F
from ..oracle import case
from ..replay import merge, replayed

# What each typical mistake looks like, in the student's words (the visible and the
# hidden cases name them alike; `sync` ships them to students in forward_cases.py).
CAUSES = {
    "W_transposed": "W^[l] is transposed: W^[l] is (n_l, n_{l-1}) = (units of layer l, "
                    "inputs), one row per unit, like PyTorch's nn.Linear.weight",
    "b_inputs": "b^[l] has one entry per unit of layer l: shape (n_l,)",
    "weights_only": "only the weights are counted: every layer also has n_l biases",
    "biases_only": "only the biases are counted: add n_l * n_{l-1} weights per layer",
    "input_biases": "the input layer was counted as if it had biases: it has no parameters",
    "biases_n_in": "the biases were counted with n_{l-1}: layer l has n_l biases, one per unit",
    "b_not_float": "the biases are not float64: np.zeros(n_l) is float64 (do not pass dtype=int)",
    "W_not_float": "W is not float64: keep rng.standard_normal's float64 "
                   "(no .astype(np.float32))",
    "not_float": "W and b are not float64: numpy's float64 is the default "
                 "(no dtype=int, no .astype(np.float32))",
    "b_not_zero": "the biases must start at exactly 0: b^[l] = np.zeros(n_l)",
    "positive": "all weights are positive (a uniform draw in (0, 1), e.g. rng.random): draw "
                "from N(0, 1/n_{l-1}) with rng.standard_normal",
    "not_scaled": "W was not scaled: W^[l] = rng.standard_normal(shape) / sqrt(n_{l-1})",
    "divided_by_n": "W was divided by n_{l-1}: the standard deviation is 1/sqrt(n_{l-1}) "
                    "(the variance is 1/n_{l-1})",
    "scale_n_out": "the scale uses n_l (the layer's own size): use n_{l-1}, the number of "
                   "inputs of each unit",
    "he": "this is He's N(0, 2/n_{l-1}) (made for ReLU): the course uses N(0, 1/n_{l-1})",
    "uniform": "a uniform draw in (-1, 1) scaled by 1/sqrt(n_{l-1}): draw from a normal "
               "distribution (rng.standard_normal)",
    "rng_unused": "the same seed gave different weights: draw from the `rng` argument "
                  "(rng.standard_normal), not from np.random.randn or a new "
                  "np.random.default_rng()",
    "rng_ignored": "another seed gave the same weights: the `rng` argument is ignored (is a "
                   "seed fixed inside init_params?)",
    "same_layers": "two layers got identical weights: draw every W^[l] from the same rng, "
                   "once per layer (do not re-create the rng in the loop)",
    "no_bias": "the bias b is not added: Z = A_prev @ W.T + b",
    "no_T": "W is used without .T: the square shape hid it; Z = A_prev @ W.T + b",
    "output_is_hidden": "the output layer used the hidden activation g: apply the output "
                        "function (OUTPUTS[output]) to Z^[L], and g only to Z^[1..L-1]",
    "no_output": "the output function was never applied: A^[L] = output(Z^[L]), not Z^[L]",
    "hidden_ignored": "the `hidden` argument is ignored (sigmoid was used): "
                      "g = ACTIVATIONS[hidden]",
    "softmax_axis0": "softmax ran over the batch (axis 0, down each column): each row, one "
                     "sample, must sum to 1",
    "no_biases": "the biases are missing: Z^[l] = A^[l-1] @ W^[l].T + b^[l]",
    "output_everywhere": "the output function was applied to every layer: the hidden layers "
                         "use g = ACTIVATIONS[hidden]",
    "stops_early": "the loop over the layers stops early (or returns inside the loop)",
}


HIDDEN = ["sigmoid", "tanh", "relu", "leaky_relu"]
OUTPUT = ["softmax", "sigmoid", "identity"]


def init_options(sizes):
    """Per-part options of the INIT comparison: the known mistakes and their causes."""
    return {part["name"]: {"candidates": [(v, CAUSES[k]) for v, k in part["mistakes"](sizes)]}
            for part in F.INIT}

def _viewed(view, label, args, expected, kind="array", kwargs=None, **options):
    """A case whose result is read through ``view`` of grader.checks.forward."""
    c = case(label, args, expected, kind=kind, kwargs=kwargs, **options)
    c["function"] = view.__name__
    return c


def _sizes(rng, depth, widest=7):
    return [int(n) for n in rng.integers(1, widest + 1, size=depth + 1)]


def _distinct(mistakes, expected):
    """The finite mistakes whose answer differs from the expected one and every earlier one."""
    out = {}
    for key, value in mistakes.items():
        wrong = np.asarray(value, dtype=np.float64)
        if wrong.shape != np.shape(expected) or not np.all(np.isfinite(wrong)):
            continue
        if not any(np.allclose(wrong, v, rtol=1e-4) for v in [expected, *out.values()]):
            out[key] = value if wrong.ndim == 0 else wrong  # a count stays an int
    return out


def _candidates(mistakes):
    return [(wrong, CAUSES[key]) for key, wrong in mistakes.items()]


# ---------------------------------------------------------------- layer_shapes, count_params
def _shape_cases(rng):
    table = F.shape_table(S.layer_shapes)
    out = []
    for sizes in [[4, 1], [2, 3], _sizes(rng, 2), _sizes(rng, 3), _sizes(rng, 5, 12), [1, 1, 1],
                  [784, 128, 64, 10]]:
        out.append(_viewed(
            F.shape_table, f"sizes = {sizes}", (sizes,), table(sizes),
            name="layer_shapes(sizes) as one row [W rows, W cols, b length] per layer",
            candidates=[(v, CAUSES[k]) for v, k in F.shape_mistakes(sizes)]))
    return out


def _count_mistakes(sizes):
    weights = sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
    return {"weights_only": weights, "biases_only": sum(sizes[1:]),
            "input_biases": S.count_params(sizes) + sizes[0],
            "biases_n_in": weights + sum(sizes[:-1])}


def _count_case(label, sizes, replays=True):
    """A case of count_params, visible or hidden (replays: of its calls of layer_shapes)."""
    expected = S.count_params(sizes)
    return case(label, (sizes,), expected, kind="int",
                replays=replayed(S.count_params, (sizes,), layer_shapes=1) if replays else None,
                candidates=_candidates(_distinct(_count_mistakes(sizes), expected)))


def _count_cases(rng):
    return [_count_case(f"sizes = {sizes}", sizes) for sizes in [
        [10, 1], [1, 1, 1], _sizes(rng, 2, 9), _sizes(rng, 4, 9), [784, 128, 10], [3, 4, 3, 1]]]


# ---------------------------------------------------------------- init_params
def _init_case(sizes, seed, replays=True):
    """A case of init_params, visible or hidden: its properties (the specification's)."""
    return _viewed(F.init_properties, F.init_label(sizes, seed), (sizes, seed),
                   F.init_expected(sizes), kind=F.INIT_PARTS, **init_options(sizes),
                   replays=replayed(S.init_params, (sizes, seed), layer_shapes=1)
                   if replays else None)


def _init_cases():
    return [_init_case(sizes, seed) for sizes, seed in [
        ([3, 5, 2], 11), ([1, 1], 12), ([8, 8, 8, 8], 13), ([784, 100, 10], 14),
        ([200, 300, 300, 10], 15), ([50, 1000, 40], 16)]]


# ---------------------------------------------------------------- dense
def _dense_mistakes(A, W, b):
    A, W = np.asarray(A, float), np.asarray(W, float)
    return {"no_bias": A @ W.T, **({"no_T": A @ W + b} if W.shape[0] == W.shape[1] else {})}


def _dense_cases(rng):
    out = []
    for N, n_in, n_out, note, kind in [
            (5, 3, 4, "", None), (1, 6, 2, ", one sample (N = 1)", None),
            (7, 1, 1, ", one input and one unit", None), (4, 8, 8, ", square W", None),
            (3, 5, 2, ", float32 inputs", "float32"), (2, 3, 4, ", A_prev of integer dtype", "int"),
            (3, 4, 3, ", large values (|A_prev| ~ 1e3)", "large")]:
        A = rng.normal(size=(N, n_in))
        W = rng.normal(size=(n_out, n_in))
        b = rng.normal(size=n_out)
        if kind == "float32":
            A, W, b = (x.astype(np.float32) for x in (A, W, b))
        if kind == "int":
            A = rng.integers(-5, 6, size=(N, n_in))
        if kind == "large":
            A = 1e3 * A
        out.append(_dense_case(f"A_prev ({N}, {n_in}), W ({n_out}, {n_in}), b ({n_out},){note}",
                               A, W, b))
    return out


def _dense_case(label, A, W, b):
    expected = S.dense(A, W, b)
    return case(label, (A, W, b), expected,
                candidates=_candidates(_distinct(_dense_mistakes(A, W, b), expected)))


# ---------------------------------------------------------------- forward
# The named mistakes of forward: the engine's forward with one of them (see _mistake).
MISTAKES = ["output_is_hidden", "no_output", "hidden_ignored", "softmax_axis0", "no_biases",
            "output_everywhere"]


def _mistake(params, X, hidden, output, mistake):
    """The engine's forward with one known mistake (a key of MISTAKES)."""
    g, out = get_activation(hidden)[0], get_output(output)
    A = np.asarray(X, dtype=np.float64)
    L = len(params)
    for l, (W, b) in enumerate(params, start=1):
        Z = A @ W.T + (0 if mistake == "no_biases" else b)
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


def _forward_mistakes(params, X, kwargs, expected):
    hidden, output = kwargs.get("hidden", "sigmoid"), kwargs.get("output", "softmax")
    with np.errstate(all="ignore"):
        return _distinct({m: _mistake(params, X, hidden, output, m) for m in MISTAKES}, expected)


def _forward_case(label, params, X, kwargs, replays=True):
    """A case of forward, visible or hidden (replays: of its calls of dense); A_L with the
    shape of a hidden layer's A^[l] is named: the loop stops early."""
    expected = S.forward(params, X, **kwargs)[0]
    sizes = [W.shape[0] for W, _ in params]
    early = {(len(X), n): f"this is the shape of A^[{l}]: {CAUSES['stops_early']}"
             for l, n in enumerate(sizes[:-1], start=1)}
    return _viewed(F.output_of, label, (params, X), expected, kwargs=kwargs,
                   name="A_L (the first of the pair forward returns)",
                   candidates=_candidates(_forward_mistakes(params, X, kwargs, expected)),
                   shape_causes={s: c for s, c in early.items() if s != expected.shape},
                   replays=merge(replayed(S.forward, (params, X), kwargs, dense=3),
                                 replayed(_forward_as_written, (params, X), kwargs, dense=3))
                   if replays else None)


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


# --------------------------------------------------------------- the visible cases
# A 3 -> 4 -> 3 network (softmax output) and the LUMS EE514 slides' 3 -> 4 -> 3 -> 1 shape,
# with small weights written out.
P343 = [(np.array([[-0.8, -0.5, 0.6], [0.2, -0.8, -0.1], [0.0, -0.7, 0.5], [-0.8, -0.2, 0.0]]),
         np.array([-0.1, 0.2, 0.5, 0.9])),
        (np.array([[-0.4, 0.3, 0.4, -0.4], [-1.0, 0.9, -0.4, -0.4], [0.8, 0.2, -0.1, 0.5]]),
         np.array([-0.9, 0.4, -0.3]))]
X2 = np.array([[1.0, -0.5, 2.0], [-1.5, 0.5, 0.3]])
P3431 = [(np.array([[-0.8, 0.3, 0.9], [-0.6, 0.3, -0.4], [0.5, 0.4, -0.6], [0.7, 0.3, 0.4]]),
          np.array([0.6, -0.1, 0.5, 0.8])),
         (np.array([[-0.8, 0.7, -0.2, 0.0], [-0.7, 0.4, -0.4, 0.7], [-0.4, 0.1, -0.2, 0.2]]),
          np.array([-0.6, -0.6, 0.5])),
         (np.array([[0.5, 0.1, 0.8]]), np.array([-0.6]))]
X4 = np.array([[1.4, -1.3, 1.9], [0.5, 0.4, 1.9], [1.1, 1.2, -1.8], [-0.5, -1.7, -1.2]])
DENSE_A = np.array([[1.0, 2.0, 0.0, -1.0], [0.5, -1.0, 3.0, 2.0], [-2.0, 0.0, 1.0, 1.5]])
DENSE_W = np.array([[0.1, -0.2, 0.3, 0.4], [-0.5, 0.6, 0.0, 0.2]])
DENSE_B = np.array([0.05, -0.1])
SQ_A = np.array([[1.0, -2.0, 0.5], [3.0, 0.0, -1.0]])
SQ_W = np.array([[0.2, -0.1, 0.4], [0.0, 0.3, -0.5], [0.7, 0.1, 0.0]])
SQ_B = np.array([0.1, 0.0, -0.2])
NETWORKS = [([5, 7, 4, 3], "the forward/backward lecture's MLP", "the forward/backward lecture"),
            ([3, 4, 3, 1], "the LUMS EE514 slides' network", "the LUMS EE514 slides"),
            ([2, 2, 2], "the LUMS EE514 slides' 2-2-2 example",
             "the LUMS EE514 slides' 2-2-2 example")]


def visible():
    """The cases of the visible checks (generated into bpcheck/forward_cases.py)."""
    from solutions.lecture import NEURON_X, neuron_001
    w_001, b_001 = neuron_001()  # the forward/backward lecture's neuron: torch.manual_seed(1)
    counted = [*((sizes, source) for sizes, _, source in NETWORKS),
               ([10, 1], "one neuron with 10 inputs")]
    large = [(300 * W, 300 * b) for W, b in P343]
    return {
        "layer_shapes": [dict(label=f"sizes = {sizes} ({source})", args=(sizes,),
                              expected=S.layer_shapes(sizes))
                         for sizes, source in [*((s, n) for s, n, _ in NETWORKS),
                                               ([4, 1], "one layer")]],
        "count_params": [_count_case(f"sizes = {sizes} ({source})", sizes, replays=False)
                         for sizes, source in counted],
        "init_params": [_init_case(sizes, seed, replays=False) for sizes, seed in [
            ([5, 7, 4, 3], 0), ([400, 400, 100], 1), ([6, 6, 6, 6], 2)]],
        "dense": [
            _dense_case("A_prev (3, 4), W (2, 4), b (2,)", DENSE_A, DENSE_W, DENSE_B),
            _dense_case("one sample: A_prev (1, 4), W (2, 4), b (2,)", DENSE_A[:1], DENSE_W,
                        DENSE_B),
            _dense_case("A_prev of integer dtype (1, 4)", DENSE_A[:1].astype(int), DENSE_W,
                        DENSE_B),
            _dense_case("square W (3, 3): A_prev (2, 3)", SQ_A, SQ_W, SQ_B),
            _dense_case("the forward/backward lecture's neuron as a layer of one unit: "
                        "X (3, 5), W (1, 5), b (1,)", NEURON_X, w_001[None, :],
                        np.array([b_001]))],
        "forward": [_forward_case(label, params, X, kwargs, replays=False)
                    for label, params, X, kwargs in [
            ("sizes [3, 4, 3], X (2, 3), the defaults (hidden sigmoid, output softmax)",
             P343, X2, {}),
            *[(f"sizes [3, 4, 3], X (2, 3), hidden={h!r}, output='softmax'", P343, X2,
               {"hidden": h, "output": "softmax"}) for h in ["tanh", "relu", "leaky_relu"]],
            ("the LUMS EE514 slides' sizes [3, 4, 3, 1], X (4, 3), hidden='sigmoid', "
             "output='sigmoid'", P3431, X4, {"hidden": "sigmoid", "output": "sigmoid"}),
            ("sizes [3, 4, 3, 1], X (4, 3), hidden='tanh', output='identity' (regression)",
             P3431, X4, {"hidden": "tanh", "output": "identity"}),
            ("one sample: sizes [3, 4, 3], X (1, 3), the defaults", P343, X2[:1], {}),
            ("large logits: sizes [3, 4, 3] with every weight and bias times 300 (Z^[L] up "
             "to 1.6e5), hidden='relu'", large, X2, {"hidden": "relu"})]],
    }
