"""Visible checks for notebook 03, the forward pass: shapes, counts, init, dense, forward.

Expected values are test vectors (computed once with the reference engine, to
1e-12, and written here), the lectures' numbers (the forward/backward lecture and
the LUMS EE514 slides), and
properties (init_params: shapes, float64, b = 0, the spread of W, the rng).
No reference code is shipped.

The second half holds the *views* the hidden tests use. ``bpcheck.hidden``
compares the whole return value of a function with the engine's, but three
functions here have results that must not be compared whole:

- ``layer_shapes`` returns nested tuples: ``shape_table`` turns them into an
  (L, 3) array ``[W rows, W cols, b length]`` per layer;
- ``init_params`` returns random draws, which a correct implementation need
  not reproduce: ``init_properties`` turns three calls into the properties
  every correct implementation has (shapes, float64, b = 0, mean and spread
  of W, reproducibility);
- ``forward`` returns ``(A_L, cache)`` and the cache layout is free:
  ``output_of`` hands only A_L to the comparison.

A hidden test cell passes the view next to the function, and the oracle's
cases name the view in their ``"function"`` entry::

    grade("forward", forward=forward, output_of=output_of(forward))
"""
import numpy as np

from . import wire
from .calls import call
from .compare import check_array, check_number, compare
from .report import describe, fail, fmt, passed


def _pairs_literal(shapes):
    return "[" + ", ".join(f"(({w[0]}, {w[1]}), ({b[0]},))" for w, b in shapes) + "]"


def _expected_shapes(sizes):
    """The shapes the contract asks for, written out from the sizes (a specification)."""
    return [((sizes[l], sizes[l - 1]), (sizes[l],)) for l in range(1, len(sizes))]


def _is_int(v):
    return isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_))


def _short(x):
    """describe(x), short enough for one line of a message."""
    if isinstance(x, np.ndarray):
        return f"an array of shape {x.shape}"
    return describe(x)


class WrongStructure:
    """What a view returns when a result cannot be read: its repr says why.

    The hidden tests show it on their ``got:`` line, so it stays short.
    """

    def __init__(self, text):
        self.text = text

    def __repr__(self):
        return self.text


# ---------------------------------------------------------------- layer_shapes
def _read_shapes(result, n_layers):
    """(shapes as [((r, c), (k,)), ...] with Python ints, None) or (None, (problem, causes))."""
    pair_text = f"a list of {n_layers} pairs ((n_l, n_{{l-1}}), (n_l,)), layer 1 first"
    if not isinstance(result, (list, tuple)):
        causes = (["the function does not `return` anything"] if result is None else
                  ["return a list of pairs, e.g. [((4, 3), (4,)), ((1, 4), (1,))]"])
        return None, ("the result has the wrong type", pair_text, describe(result), causes)
    if len(result) != n_layers:
        return None, ("the result has the wrong number of layers", n_layers, len(result),
                      ["one pair per layer l = 1..L, and L = len(sizes) - 1: the input layer "
                       "has no parameters (pair each size with the next one: "
                       "zip(sizes[:-1], sizes[1:]))"])
    out = []
    for l, pair in enumerate(result, start=1):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            return None, (f"entry {l - 1} (layer {l}) is not a pair (W's shape, b's shape)",
                          "a tuple like ((n_l, n_{l-1}), (n_l,))", describe(pair), [])
        w, b = pair
        if not (isinstance(w, (list, tuple)) and len(w) == 2 and all(map(_is_int, w))):
            causes = (["the shape entries must be integers (np.zeros((7.0, 5)) fails): "
                       "use int(...)"] if isinstance(w, (list, tuple)) and len(w) == 2 else [])
            return None, (f"layer {l}: W's shape is not two integers", "(n_l, n_{l-1})", fmt(w),
                          causes)
        if _is_int(b):
            return None, (f"layer {l}: b's shape is a number, not a 1-tuple", f"({b},)", fmt(b),
                          ["a shape is a tuple: write (n,) with the comma"])
        if not (isinstance(b, (list, tuple)) and len(b) == 1 and _is_int(b[0])):
            causes = (["b^[l] is a 1-D vector of shape (n_l,), not a column (n_l, 1)"]
                      if isinstance(b, (list, tuple)) and len(b) == 2 else [])
            return None, (f"layer {l}: b's shape is not (n_l,)", "(n_l,)", fmt(b), causes)
        out.append(((int(w[0]), int(w[1])), (int(b[0]),)))
    return out, None


def _shape_causes(got, expected):
    """Causes for the first layer whose shapes differ."""
    for l, ((gw, gb), (ew, eb)) in enumerate(zip(got, expected), start=1):
        causes = []
        if gw != ew:
            if gw == ew[::-1]:
                causes.append(f"W^[{l}] is transposed: W^[l] is (n_l, n_{{l-1}}) = (units of layer "
                              "l, inputs), one row per unit, like PyTorch's nn.Linear.weight")
            else:
                causes.append(f"W^[{l}] should be (n_{l}, n_{l - 1}) = {ew}: check which sizes "
                              "you pair (layer l and the layer before it)")
        if gb != eb:
            causes.append(f"b^[{l}] has one entry per unit of layer {l}: ({ew[0]},)"
                          if gb[0] == ew[1] else f"b^[{l}] should be (n_{l},) = {eb}")
        if causes:
            return l, causes
    return None, []


def check_layer_shapes(layer_shapes):
    """[((n_l, n_{l-1}), (n_l,)), ...] on the lectures' networks and a one-layer one."""
    for sizes, source in [([5, 7, 4, 3], "the forward/backward lecture's MLP"),
                          ([3, 4, 3, 1], "the LUMS EE514 slides' network"),
                          ([2, 2, 2], "the LUMS EE514 slides' 2-2-2 example"),
                          ([4, 1], "one layer")]:
        label = f"sizes = {sizes} ({source})"
        got = call(layer_shapes, list(sizes), function="layer_shapes", case=label)
        expected = _expected_shapes(sizes)
        shapes, problem = _read_shapes(got, len(sizes) - 1)
        if problem:
            what, exp, gt, causes = problem
            fail("layer_shapes", label, what, expected=exp, got=gt, causes=causes)
        if shapes != expected:
            l, causes = _shape_causes(shapes, expected)
            fail("layer_shapes", label, f"the shapes of layer {l} are wrong",
                 expected=_pairs_literal(expected), got=_pairs_literal(shapes), causes=causes)
    passed("layer_shapes", "5-7-4-3, 3-4-3-1, 2-2-2 and a single layer")


def shape_table(layer_shapes):
    """View for the hidden tests: sizes -> (L, 3) array, one row [W rows, W cols, b length]."""
    def table(sizes):
        got = layer_shapes(sizes)
        shapes, problem = _read_shapes(got, len(sizes) - 1)
        if problem:
            return WrongStructure(f"{problem[0]}: got {problem[2]}")
        return np.array([[w[0], w[1], b[0]] for w, b in shapes], dtype=np.float64).reshape(-1, 3)
    return table


# ---------------------------------------------------------------- count_params
def check_count_params(count_params):
    """sum over l of n_l n_{l-1} + n_l: the lectures' 89, 35 and 12."""
    for sizes, expected, source in [([5, 7, 4, 3], 89, "the forward/backward lecture"),
                                    ([3, 4, 3, 1], 35, "the LUMS EE514 slides"),
                                    ([2, 2, 2], 12, "the LUMS EE514 slides' 2-2-2 example"),
                                    ([10, 1], 11, "one neuron with 10 inputs")]:
        label = f"sizes = {sizes} ({source})"
        got = call(count_params, list(sizes), function="count_params", case=label)
        weights = sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
        biases = sum(sizes[1:])
        check_number(got, expected, function="count_params", case=label, integer=True,
                     candidates=[(weights, "only the weights are counted: every layer also has "
                                           "n_l biases"),
                                 (biases, "only the biases are counted: add n_l * n_{l-1} weights "
                                          "per layer"),
                                 (expected + sizes[0], "the input layer was counted as if it had "
                                                       "biases: it has no parameters"),
                                 (weights + sum(sizes[:-1]), "the biases were counted with "
                                                             "n_{l-1}: layer l has n_l biases, "
                                                             "one per unit")])
    passed("count_params", "89 (5-7-4-3), 35 (3-4-3-1), 12 (2-2-2) and 11 (one neuron)")


# ---------------------------------------------------------------- init_params
BIG_LAYER = 40_000  # weights: enough draws to estimate mean and spread within 5 % (>= 14 sigma)
TOL = 0.05          # relative tolerance of the spread, absolute one of the standardised mean

INIT_PARTS = [
    ("the shapes: one row [W rows, W cols, b length] per layer", "array"),
    ("1 where W^[l], b^[l] are float64 (one row [W, b] per layer)", "array"),
    ("1 where b^[l] is all zeros (one entry per layer: the biases start at 0)", "array"),
    ("|mean(W^[l])| / std(W^[l]) on the large layers (0 for a zero-mean draw)", "array"),
    ("std(W^[l]) * sqrt(n_{l-1}) on the large layers (1 for W ~ N(0, 1/n_{l-1}))", "array"),
    ("the same seed gives the same parameters (1 = yes)", "int"),
    ("another seed gives other weights (1 = yes)", "int"),
    ("the layers' weights differ from each other (1 = yes)", "int"),
]

# Known ways to get the spread of W wrong: (factor over 1/sqrt(n_{l-1}), cause).
SPREAD_MISTAKES = [
    (lambda n_out, n_in: np.sqrt(n_in), "W was not scaled: W^[l] = rng.standard_normal(shape) / "
                                        "sqrt(n_{l-1})"),
    (lambda n_out, n_in: 1 / np.sqrt(n_in), "W was divided by n_{l-1}: the standard deviation is "
                                            "1/sqrt(n_{l-1}) (the variance is 1/n_{l-1})"),
    (lambda n_out, n_in: np.sqrt(n_in / n_out), "the scale uses n_l (the layer's own size): use "
                                                "n_{l-1}, the number of inputs of each unit"),
    (lambda n_out, n_in: np.sqrt(2.0), "this is He's N(0, 2/n_{l-1}) (made for ReLU): the course "
                                       "uses N(0, 1/n_{l-1})"),
    (lambda n_out, n_in: np.sqrt(1 / 3), "a uniform draw in (-1, 1) scaled by 1/sqrt(n_{l-1}): "
                                         "draw from a normal distribution (rng.standard_normal)"),
]
MEAN_MISTAKES = [(np.sqrt(3.0), "all weights are positive (a uniform draw in (0, 1), e.g. "
                                "rng.random): draw from N(0, 1/n_{l-1}) with rng.standard_normal")]


def _snap(value, targets):
    """The target within TOL (relative) of value if there is one, else value itself."""
    for t in targets:
        if abs(value - t) <= TOL * max(abs(t), 1.0):
            return float(t)
    return float(value)


def _params_problem(params, sizes):
    """(what is wrong, likely cause) if ``params`` is not L pairs (W 2-D, b 1-D arrays), or None."""
    L = len(sizes) - 1
    if not isinstance(params, (list, tuple)):
        return (f"init_params returned {_short(params)}, not a list of (W, b)",
                "the function does not `return` anything" if params is None else
                "return a list with one tuple (W, b) per layer")
    if len(params) != L:
        return (f"{len(params)} layers instead of L = len(sizes) - 1 = {L}",
                "one (W, b) per layer l = 1..L: the input layer has no parameters")
    for l, pair in enumerate(params, start=1):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            return f"layer {l} is {_short(pair)}, not a pair (W, b)", "append (W, b) for each layer"
        for name, arr, ndim in (("W", pair[0], 2), ("b", pair[1], 1)):
            if not isinstance(arr, np.ndarray):
                return (f"layer {l}: {name} is {_short(arr)}, not a numpy array",
                        "build W and b with numpy (rng.standard_normal, np.zeros)")
            if arr.ndim != ndim or arr.dtype.kind not in "fiub":
                return (f"layer {l}: {name} has shape {arr.shape}; it must be {ndim}-D",
                        "b^[l] is a 1-D vector: np.zeros(n_l), not np.zeros((n_l, 1))"
                        if name == "b" else "W^[l] is a matrix of shape (n_l, n_{l-1})")
    return None


def _same(p, q):
    try:
        return all(np.array_equal(a, b) for lp, lq in zip(p, q) for a, b in zip(lp, lq))
    except Exception:  # a malformed second call: not the same
        return False


def _properties(first, again, other, sizes):
    """The INIT_PARTS values of three init_params calls (seed, same seed, other seed)."""
    with np.errstate(all="ignore"):  # nan or inf in W: reported by the comparison, not stderr
        return _measure(first, again, other, sizes)


def _measure(first, again, other, sizes):
    problem = _params_problem(first, sizes)
    if problem:
        return (WrongStructure(problem[0]),) + (None,) * (len(INIT_PARTS) - 1)
    shapes = np.array([[W.shape[0], W.shape[1], b.shape[0]] for W, b in first], dtype=np.float64)
    f64 = np.array([[W.dtype == np.float64, b.dtype == np.float64] for W, b in first],
                   dtype=np.float64)
    zero_b = np.array([not np.any(b) for _, b in first], dtype=np.float64)
    means, spreads = [], []
    for W, _ in first:
        if W.size >= BIG_LAYER:
            W64 = W.astype(np.float64)
            n_out, n_in = W.shape
            std = W64.std()
            means.append(_snap(abs(W64.mean()) / std, [0.0] + [m for m, _ in MEAN_MISTAKES])
                         if std > 0 else 0.0)  # a constant W fails on the spread below
            spreads.append(_snap(W64.std() * np.sqrt(n_in),
                                 [1.0] + [f(n_out, n_in) for f, _ in SPREAD_MISTAKES]))
    if _params_problem(other, sizes) is None:
        differs = int(any(not np.array_equal(W, V) for (W, _), (V, _) in zip(first, other)))
    else:  # the other seed's call is malformed: nothing to compare
        differs = 1
    distinct = 1
    for i, (W, _) in enumerate(first):
        for V, _ in first[i + 1:]:
            if W.shape == V.shape and W.size > 1 and np.array_equal(W, V):
                distinct = 0
    return (shapes, f64, zero_b, np.array(means), np.array(spreads), int(_same(first, again)),
            differs, distinct)


def init_expected(sizes):
    """The INIT_PARTS values every correct init_params has (from the specification)."""
    L = len(sizes) - 1
    big = sum(1 for n_in, n_out in zip(sizes[:-1], sizes[1:]) if n_in * n_out >= BIG_LAYER)
    table = np.array([[w[0], w[1], b[0]] for w, b in _expected_shapes(sizes)], dtype=np.float64)
    return (table.reshape(L, 3), np.ones((L, 2)), np.ones(L), np.zeros(big), np.ones(big), 1, 1, 1)


def init_options(sizes):
    """Per-part options of the INIT_PARTS comparison: the known mistakes and their causes."""
    L = len(sizes) - 1
    layers = list(zip(sizes[1:], sizes[:-1]))  # (n_out, n_in)
    big = [(o, i) for o, i in layers if o * i >= BIG_LAYER]
    names = [name for name, _ in INIT_PARTS]
    return {
        names[0]: {"candidates": [
            (np.array([[i, o, o] for o, i in layers], dtype=float).reshape(L, 3),
             "W^[l] is transposed: W^[l] is (n_l, n_{l-1}), one row per unit of layer l"),
            (np.array([[o, i, i] for o, i in layers], dtype=float).reshape(L, 3),
             "b^[l] has one entry per unit of layer l: shape (n_l,)")]},
        names[1]: {"candidates": [
            (np.tile([1.0, 0.0], (L, 1)), "the biases are not float64: np.zeros(n_l) is float64 "
                                          "(do not pass dtype=int)"),
            (np.tile([0.0, 1.0], (L, 1)), "W is not float64: keep rng.standard_normal's float64 "
                                          "(no .astype(np.float32))"),
            (np.zeros((L, 2)), "W and b are not float64: numpy's float64 is the default "
                               "(no dtype=int, no .astype(np.float32))")]},
        names[2]: {"candidates": [(np.zeros(L), "the biases must start at exactly 0: "
                                                "b^[l] = np.zeros(n_l)")]},
        names[3]: {"candidates": [(np.full(len(big), m), cause) for m, cause in MEAN_MISTAKES]},
        names[4]: {"candidates": [(np.array([f(o, i) for o, i in big], dtype=float), cause)
                                  for f, cause in SPREAD_MISTAKES]},
        names[5]: {"candidates": [(0, "the same seed gave different weights: draw from the `rng` "
                                      "argument (rng.standard_normal), not from np.random.randn "
                                      "or a new np.random.default_rng()")]},
        names[6]: {"candidates": [(0, "another seed gave the same weights: the `rng` argument is "
                                      "ignored (is a seed fixed inside init_params?)")]},
        names[7]: {"candidates": [(0, "two layers got identical weights: draw every W^[l] from the "
                                      "same rng, once per layer (do not re-create the rng in the "
                                      "loop)")]},
    }


def check_init_params(init_params):
    """Shapes, float64, b = 0, W ~ N(0, 1/n_{l-1}) on large layers, and the rng's role."""
    for sizes, seed in [([5, 7, 4, 3], 0), ([400, 400, 100], 1), ([6, 6, 6, 6], 2)]:
        label = (f"sizes = {sizes}, rng = np.random.default_rng({seed}), called twice, "
                 f"then with seed {seed + 1}")
        runs = [call(init_params, list(sizes), np.random.default_rng(s), function="init_params",
                     case=label) for s in (seed, seed, seed + 1)]
        problem = _params_problem(runs[0], sizes)
        if problem:
            fail("init_params", label, problem[0],
                 expected=f"a list of {len(sizes) - 1} pairs (W: (n_l, n_{{l-1}}), b: (n_l,))",
                 got=describe(runs[0]), causes=[problem[1]])
        compare(_properties(*runs, sizes), init_expected(sizes), INIT_PARTS, "init_params", label,
                **init_options(sizes))
    passed("init_params", "shapes, float64, b = 0, W ~ N(0, 1/n_{l-1}) (400x400 and 100x400 "
                          "layers), reproducible, seed-dependent")


def init_properties(init_params):
    """View for the hidden tests: (sizes, seed) -> the INIT_PARTS values of init_params."""
    def properties(sizes, seed):
        runs = [wire.plain(init_params(list(sizes), np.random.default_rng(s)))
                for s in (seed, seed, seed + 1)]
        return _properties(*runs, sizes)
    return properties


# ---------------------------------------------------------------- dense
DENSE_A = np.array([[1.0, 2.0, 0.0, -1.0], [0.5, -1.0, 3.0, 2.0], [-2.0, 0.0, 1.0, 1.5]])
DENSE_W = np.array([[0.1, -0.2, 0.3, 0.4], [-0.5, 0.6, 0.0, 0.2]])
DENSE_B = np.array([0.05, -0.1])
DENSE_Z = np.array([[-0.65, 0.3999999999999999], [2.0, -0.5499999999999999], [0.75, 1.2]])
DENSE_Z_NO_B = np.array([[-0.7000000000000001, 0.49999999999999994],
                         [1.95, -0.44999999999999996], [0.7, 1.3]])
SQ_A = np.array([[1.0, -2.0, 0.5], [3.0, 0.0, -1.0]])
SQ_W = np.array([[0.2, -0.1, 0.4], [0.0, 0.3, -0.5], [0.7, 0.1, 0.0]])
SQ_B = np.array([0.1, 0.0, -0.2])
SQ_Z = np.array([[0.7000000000000001, -0.85, 0.29999999999999993],
                 [0.30000000000000004, 0.5, 1.8999999999999997]])
SQ_Z_NOT_T = np.array([[0.65, -0.6499999999999999, 1.2],
                       [1.3877787807814457e-16, -0.4, 1.0000000000000002]])

# The forward/backward lecture's neuron as a layer of one unit: the exact float32 draws
# of torch.manual_seed(1).
X_001 = np.array([[-8.0, 1.0, -3.0, 5.0, 2.0], [-2.0, 2.0, -1.0, 5.0, 2.0],
                  [7.0, 1.0, 9.0, -5.0, -2.0]])
W_001 = np.array([[0.7576316, 0.27931088, 0.40306926, 0.73468447, 0.02928156]])
B_001 = np.array([0.7998586])
Z_001 = np.array([[-2.4591056], [3.1721334], [6.2782286]])  # the slide: -2.4591, 3.1721, 6.2782

NO_BIAS = "the bias b is not added: Z = A_prev @ W.T + b"


def check_dense(dense):
    """Z = A_prev @ W.T + b: test vectors, N = 1, integers, the lecture's single neuron."""
    cases = [
        ("A_prev (3, 4), W (2, 4), b (2,)", (DENSE_A, DENSE_W, DENSE_B), DENSE_Z,
         [(DENSE_Z_NO_B, NO_BIAS)]),
        ("one sample: A_prev (1, 4), W (2, 4), b (2,)", (DENSE_A[:1], DENSE_W, DENSE_B),
         DENSE_Z[:1], [(DENSE_Z_NO_B[:1], NO_BIAS)]),
        ("A_prev of integer dtype (1, 4)", (DENSE_A[:1].astype(int), DENSE_W, DENSE_B), DENSE_Z[:1],
         [(DENSE_Z_NO_B[:1], NO_BIAS)]),
        ("square W (3, 3): A_prev (2, 3)", (SQ_A, SQ_W, SQ_B), SQ_Z,
         [(SQ_Z_NOT_T, "W is used without .T: the square shape hid it; Z = A_prev @ W.T + b")]),
        ("the forward/backward lecture's neuron as a layer of one unit: X (3, 5), W (1, 5), b (1,)",
         (X_001, W_001, B_001), Z_001, [(Z_001 - B_001, NO_BIAS)]),
    ]
    for label, args, expected, candidates in cases:
        got = call(dense, *args, function="dense", case=label)
        check_array(got, expected, function="dense", case=label, candidates=candidates)
    passed("dense", f"{len(cases)} cases, including N = 1, a square W and the "
                    "forward/backward lecture's "
                    "z = [-2.4591, 3.1721, 6.2782]")


# ---------------------------------------------------------------- forward
# A 3 -> 4 -> 3 network (softmax output) and the LUMS EE514 slides' 3 -> 4 -> 3 -> 1 shape,
# with small weights written out; expected A^[L] and the A^[L] of known mistakes from the engine.
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

MISTAKES = {
    "output_is_hidden": "the output layer used the hidden activation g: apply the output "
                        "function (OUTPUTS[output]) to Z^[L], and g only to Z^[1..L-1]",
    "no_output": "the output function was never applied: A^[L] = output(Z^[L]), not Z^[L]",
    "hidden_ignored": "the `hidden` argument is ignored (sigmoid was used): "
                      "g = ACTIVATIONS[hidden]",
    "softmax_axis0": "softmax ran over the batch (axis 0, down each column): each row, one "
                     "sample, must sum to 1",
    "no_bias": "the biases are missing: Z^[l] = A^[l-1] @ W^[l].T + b^[l]",
    "output_everywhere": "the output function was applied to every layer: the hidden layers "
                         "use g = ACTIVATIONS[hidden]",
}

SIGMOID_SOFTMAX = np.array([[0.1482842971537195, 0.2744425925842471, 0.5772731102620334],
                            [0.10092800043937178, 0.18773173035815036, 0.711340269202478]])
FORWARD_CASES = [  # (label, params, X, kwargs, expected, {mistake: A_L})
    ("sizes [3, 4, 3], X (2, 3), the defaults (hidden sigmoid, output softmax)", P343, X2, {},
     SIGMOID_SOFTMAX, {
         "output_is_hidden": [[0.30274927000256974, 0.4455593383972042, 0.6283031154776836],
                              [0.23038242033840958, 0.35765733721989884, 0.6784353069501035]],
         "no_output": [[-0.8342401022652106, -0.21862935552893836, 0.5249440224109481],
                       [-1.2061531163900758, -0.5855465345198921, 0.7465903815810324]],
         "softmax_axis0": [[0.5919211490857695, 0.5907138506914499, 0.44481415219931525],
                           [0.4080788509142305, 0.40928614930855006, 0.5551858478006848]],
         "no_bias": [[0.2950397750518115, 0.15092949297685473, 0.5540307319713338],
                     [0.18869468345376972, 0.10165766796736522, 0.709647648578865]],
         "output_everywhere": [[0.19503691818577115, 0.4553732549021345, 0.34958982691209417],
                               [0.12619565035315297, 0.37968681155701517, 0.4941175380898318]]}),
    ("sizes [3, 4, 3], X (2, 3), hidden='tanh', output='softmax'", P343, X2,
     {"hidden": "tanh", "output": "softmax"},
     np.array([[0.19653490403911777, 0.34424750570338536, 0.45921759025749687],
               [0.08109329616622345, 0.11071690611326894, 0.8081897977205076]]), {
         "hidden_ignored": SIGMOID_SOFTMAX,
         "output_is_hidden": [[-0.5630890551975873, -0.07667333059272731, 0.20824792802474687],
                              [-0.925240314391997, -0.8650041848411311, 0.5882154285428572]],
         "softmax_axis0": [[0.7284788766056292, 0.7748780290331484, 0.38613361315900097],
                           [0.27152112339437073, 0.2251219709668517, 0.6138663868409991]],
         "no_bias": [[0.46301284285867245, 0.20509628656933915, 0.3318908705719885],
                     [0.12682490104236066, 0.06281895708668833, 0.8103561418709511]]}),
    ("sizes [3, 4, 3], X (2, 3), hidden='relu', output='softmax'", P343, X2,
     {"hidden": "relu", "output": "softmax"},
     np.array([[0.29096145470595935, 0.2504328448976574, 0.45860570039638326],
               [0.028400311344911888, 0.044185651423643245, 0.9274140372314448]]), {
         "hidden_ignored": SIGMOID_SOFTMAX,
         "no_output": [[-0.2799999999999998, -0.4299999999999998, 0.17499999999999993],
                       [-1.992, -1.5500000000000003, 1.494]],
         "no_bias": [[0.4238272991591667, 0.12388157376274957, 0.45229112707808367],
                     [0.08367260861597073, 0.042474830087525874, 0.8738525612965033]]}),
    ("sizes [3, 4, 3], X (2, 3), hidden='leaky_relu', output='softmax'", P343, X2,
     {"hidden": "leaky_relu", "output": "softmax"},
     np.array([[0.29096145470595935, 0.2504328448976574, 0.45860570039638326],
               [0.028390335761052567, 0.044029893332342286, 0.9275797709066051]]), {
         "hidden_ignored": SIGMOID_SOFTMAX}),
    ("the LUMS EE514 slides' sizes [3, 4, 3, 1], X (4, 3), hidden='sigmoid', "
     "output='sigmoid'", P3431, X4,
     {"hidden": "sigmoid", "output": "sigmoid"},
     np.array([[0.5057376839129345], [0.500062473523342], [0.5293683541266948],
               [0.520878485212394]]), {
         "no_output": [[0.02295174314674364], [0.000249894094668468], [0.11760879130745927],
                       [0.08356253123774793]],
         "no_bias": [[0.6527529837875439], [0.6445730353628134], [0.672105546172191],
                     [0.6679463700683926]]}),
    ("sizes [3, 4, 3, 1], X (4, 3), hidden='tanh', output='identity' (regression)", P3431, X4,
     {"hidden": "tanh", "output": "identity"},
     np.array([[-0.8066098376863942], [-0.9304208877813005], [0.06672539637094899],
               [-0.297662478991688]]), {
         "output_is_hidden": [[-0.6677158325558918], [-0.7307900673494057], [0.0666265457284349],
                              [-0.2891720068325882]],
         "hidden_ignored": [[0.02295174314674364], [0.000249894094668468], [0.11760879130745927],
                            [0.08356253123774793]],
         "no_bias": [[-0.1422114800663879], [-0.5177264898590244], [0.652471790619799],
                     [0.549126813759826]]}),
    ("one sample: sizes [3, 4, 3], X (1, 3), the defaults", P343, X2[:1], {},
     SIGMOID_SOFTMAX[:1], {}),
    ("large logits: sizes [3, 4, 3] with every weight and bias times 300 (Z^[L] up to "
     "1.6e5), hidden='relu'", [(300 * W, 300 * b) for W, b in P343], X2, {"hidden": "relu"},
     np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]), {}),
]


def _pair_causes(out):
    if out is None:
        return ["forward does not `return` anything: end it with `return A, cache`"]
    if isinstance(out, np.ndarray):
        return ["only A^[L] came back: return the pair `A, cache` (backward needs the cache "
                "in notebook 5)"]
    if isinstance(out, list) and len(out) == 2:
        return ["a list came back: return a tuple, `return A, cache`"]
    if isinstance(out, tuple):
        return ["return exactly two things, A^[L] and the cache: `return A, cache`"]
    return []


def check_forward(forward):
    """A^[L] of forward(params, X, hidden, output) on every activation and output function."""
    for label, params, X, kwargs, expected, mistakes in FORWARD_CASES:
        out = call(forward, params, X, function="forward", case=label, **kwargs)
        if not (isinstance(out, tuple) and len(out) == 2):
            fail("forward", label, "forward must return a pair (A_L, cache)",
                 expected="a tuple (A_L, cache)", got=describe(out), causes=_pair_causes(out))
        A_L = out[0]
        sizes = [params[0][0].shape[1]] + [W.shape[0] for W, _ in params]
        if isinstance(A_L, np.ndarray) and A_L.shape != expected.shape:
            early = [l for l in range(1, len(sizes) - 1) if A_L.shape == (X.shape[0], sizes[l])]
            if early:
                fail("forward", label, "A_L has the wrong shape", expected=expected.shape,
                     got=A_L.shape, causes=[f"this is the shape of A^[{early[-1]}]: the loop over "
                                            "the layers stops early (or returns inside the loop)"])
        check_array(A_L, expected, function="forward", case=label, name="A_L",
                    candidates=[(np.array(v), MISTAKES[k]) for k, v in mistakes.items()])
    passed("forward", f"{len(FORWARD_CASES)} cases: the defaults, all four hidden activations, "
                      "softmax / sigmoid / identity outputs, N = 1 and large logits")


def output_of(forward):
    """View for the hidden tests: forward's A_L alone (the cache layout is the student's choice)."""
    def A_L(*args, **kwargs):
        out = forward(*args, **kwargs)
        if isinstance(out, tuple) and len(out) == 2:
            return out[0]
        if out is None:
            return None
        return WrongStructure(f"forward returned {_short(out)}, not the pair (A_L, cache)")
    return A_L
