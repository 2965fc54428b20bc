"""Visible checks for notebook 03, the forward pass: shapes, counts, init, dense, forward.

The cases (inputs, the engine's results, and the results of the engine with each
named mistake) come from the case table, grader/pipeline/cases/forward.py, generated
into forward_cases.py, and are run by the one runner of visible and hidden cases
(judge.run, through the views below), with the words of each mistake (its CAUSES).
init_params is checked by properties (INIT, from the specification). What stays code:
layer_shapes' check (its nested tuples are read and diagnosed layer by layer, in the
student's own notation), and the structure of init_params' and forward's results,
checked on the first case before the runner.
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
cases name the view (by the view's ``__name__``) in their ``"function"`` entry::

    grade("forward", forward=forward, output_of=output_of(forward))
"""
import numpy as np

from . import Causes, visible_cases, wire
from .calls import call
from .judge import run
from .report import describe, fail, fmt, passed

CAUSES = Causes("forward")  # the words of each mistake: the case table's CAUSES


def _layers(sizes):
    """(n_l, n_{l-1}) for each layer l = 1..L."""
    return list(zip(sizes[1:], sizes[:-1]))


def _pairs_literal(shapes):
    return "[" + ", ".join(f"(({w[0]}, {w[1]}), ({b[0]},))" for w, b in shapes) + "]"


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
                causes.append(CAUSES["W_transposed"])
            else:
                causes.append(f"W^[{l}] should be (n_{l}, n_{l - 1}) = {ew}: check which sizes "
                              "you pair (layer l and the layer before it)")
        if gb != eb:
            causes.append(CAUSES["b_inputs"] if gb[0] == ew[1] else
                          f"b^[{l}] should be (n_{l},) = {eb}")
        if causes:
            return l, causes
    return None, []


def check_layer_shapes(layer_shapes):
    """[((n_l, n_{l-1}), (n_l,)), ...] on the lectures' networks and a one-layer one."""
    for case in visible_cases("forward", "layer_shapes"):
        label, (sizes,), expected = case["label"], case["args"], case["expected"]
        got = call(layer_shapes, list(sizes), function="layer_shapes", case=label)
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
        return _rows([[*w, *b] for w, b in shapes], 3)
    return table


# ---------------------------------------------------------------- count_params
def check_count_params(count_params):
    """sum over l of n_l n_{l-1} + n_l: the lectures' 89, 35 and 12."""
    run("count_params", visible_cases("forward", "count_params"), count_params=count_params,
        summary="89 (5-7-4-3), 35 (3-4-3-1), 12 (2-2-2) and 11 (one neuron)")


# ---------------------------------------------------------------- init_params
BIG_LAYER = 40_000  # weights: enough draws to estimate mean and spread within 5 % (>= 14 sigma)
TOL = 0.05          # relative tolerance of the spread, absolute one of the standardised mean


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


def _big(sizes):
    """The layers (n_l, n_{l-1}) with enough weights to measure their mean and spread."""
    return [(o, i) for o, i in _layers(sizes) if o * i >= BIG_LAYER]


def _rows(rows, width):
    return np.array(rows, dtype=np.float64).reshape(-1, width)


def _on_big(stat, right, factors):
    """measure, expected and mistakes of a statistic of W^[l] on the large layers: stat(W,
    n_{l-1}) is ``right`` for a correct draw, and factors [(f(n_l, n_{l-1}), cause key)]
    are its values under known mistakes (the measure snaps to the nearest of them)."""
    def measure(first, again, other, sizes):
        return np.array([_snap(stat(W.astype(np.float64), W.shape[1]),
                               [right] + [f(*W.shape) for f, _ in factors])
                         for W, _ in first if W.size >= BIG_LAYER])
    return dict(measure=measure, expected=lambda sizes: np.full(len(_big(sizes)), right),
                mistakes=lambda sizes: [(np.array([f(o, i) for o, i in _big(sizes)], float), k)
                                        for f, k in factors])


def _differs(first, other, sizes):
    if _params_problem(other, sizes) is not None:  # malformed: nothing to compare
        return 1
    return int(any(not np.array_equal(W, V) for (W, _), (V, _) in zip(first, other)))


def _distinct(first):
    return int(not any(W.shape == V.shape and W.size > 1 and np.array_equal(W, V)
                       for i, (W, _) in enumerate(first) for V, _ in first[i + 1:]))


def _flag(measure, key):
    """A yes/no property: 1 for every correct init_params, 0 under mistake ``key``."""
    return dict(kind="int", measure=measure, expected=lambda sizes: 1,
                mistakes=lambda sizes: [(0, key)])


def shape_mistakes(sizes):
    """[(the shape table [W rows, W cols, b length] under a known mistake, cause key)]."""
    return [(_rows([row(n, m) for n, m in _layers(sizes)], 3), k) for row, k in [
        (lambda n, m: [m, n, n], "W_transposed"), (lambda n, m: [n, m, m], "b_inputs")]]


# The properties of init_params, each once: its name, how it is measured from three calls
# (seed, same seed, other seed), what every correct init_params gives (the specification),
# and the values of known mistakes with their cause keys.
INIT = [
    dict(name="the shapes: one row [W rows, W cols, b length] per layer",
         measure=lambda f, a, o, sizes: _rows([[*W.shape, *b.shape] for W, b in f], 3),
         expected=lambda sizes: _rows([[n, m, n] for n, m in _layers(sizes)], 3),
         mistakes=shape_mistakes),
    dict(name="1 where W^[l], b^[l] are float64 (one row [W, b] per layer)",
         measure=lambda f, a, o, sizes: _rows([[W.dtype == np.float64, b.dtype == np.float64]
                                               for W, b in f], 2),
         expected=lambda sizes: np.ones((len(sizes) - 1, 2)),
         mistakes=lambda sizes: [(np.tile(v, (len(sizes) - 1, 1)), k) for v, k in [
             ([1.0, 0.0], "b_not_float"), ([0.0, 1.0], "W_not_float"),
             ([0.0, 0.0], "not_float")]]),
    dict(name="1 where b^[l] is all zeros (one entry per layer: the biases start at 0)",
         measure=lambda f, a, o, sizes: np.array([not np.any(b) for _, b in f], np.float64),
         expected=lambda sizes: np.ones(len(sizes) - 1),
         mistakes=lambda sizes: [(np.zeros(len(sizes) - 1), "b_not_zero")]),
    dict(name="|mean(W^[l])| / std(W^[l]) on the large layers (0 for a zero-mean draw)",
         **_on_big(lambda W, n_in: abs(W.mean()) / W.std() if W.std() > 0 else 0.0, 0.0,
                   [(lambda n_out, n_in: np.sqrt(3.0), "positive")])),
    dict(name="std(W^[l]) * sqrt(n_{l-1}) on the large layers (1 for W ~ N(0, 1/n_{l-1}))",
         **_on_big(lambda W, n_in: W.std() * np.sqrt(n_in), 1.0, [
             (lambda n_out, n_in: np.sqrt(n_in), "not_scaled"),
             (lambda n_out, n_in: 1 / np.sqrt(n_in), "divided_by_n"),
             (lambda n_out, n_in: np.sqrt(n_in / n_out), "scale_n_out"),
             (lambda n_out, n_in: np.sqrt(2.0), "he"),
             (lambda n_out, n_in: np.sqrt(1 / 3), "uniform")])),
    dict(name="the same seed gives the same parameters (1 = yes)",
         **_flag(lambda f, a, o, sizes: int(_same(f, a)), "rng_unused")),
    dict(name="another seed gives other weights (1 = yes)",
         **_flag(lambda f, a, o, sizes: _differs(f, o, sizes), "rng_ignored")),
    dict(name="the layers' weights differ from each other (1 = yes)",
         **_flag(lambda f, a, o, sizes: _distinct(f), "same_layers")),
]
INIT_PARTS = [(part["name"], part.get("kind", "array")) for part in INIT]  # compare's kind


def _properties(first, again, other, sizes):
    """The INIT values of three init_params calls (seed, same seed, other seed)."""
    problem = _params_problem(first, sizes)
    if problem:
        return (WrongStructure(problem[0]),) + (None,) * (len(INIT) - 1)
    with np.errstate(all="ignore"):  # nan or inf in W: reported by the comparison, not stderr
        return tuple(part["measure"](first, again, other, sizes) for part in INIT)


def init_expected(sizes):
    """The INIT values every correct init_params has (from the specification)."""
    return tuple(part["expected"](sizes) for part in INIT)


def init_label(sizes, seed):
    return (f"sizes = {sizes}, rng = np.random.default_rng({seed}), called twice, "
            f"then with seed {seed + 1}")


def check_init_params(init_params):
    """Shapes, float64, b = 0, W ~ N(0, 1/n_{l-1}) on large layers, and the rng's role; the
    structure first (a list of (W, b) arrays), in its own words."""
    cases = visible_cases("forward", "init_params")
    label, (sizes, seed) = cases[0]["label"], cases[0]["args"]
    params = call(init_params, list(sizes), np.random.default_rng(seed),
                  function="init_params", case=label)
    problem = _params_problem(params, sizes)
    if problem:
        fail("init_params", label, problem[0],
             expected=f"a list of {len(sizes) - 1} pairs (W: (n_l, n_{{l-1}}), b: (n_l,))",
             got=describe(params), causes=[problem[1]])
    run("init_params", cases, init_params=init_params,
        init_properties=init_properties(init_params),
        summary="shapes, float64, b = 0, W ~ N(0, 1/n_{l-1}) (400x400 and 100x400 layers), "
                "reproducible, seed-dependent")


def init_properties(init_params):
    """View for the hidden tests: (sizes, seed) -> the INIT values of init_params."""
    def properties(sizes, seed):
        runs = [wire.plain(init_params(list(sizes), np.random.default_rng(s)))
                for s in (seed, seed, seed + 1)]
        return _properties(*runs, sizes)
    return properties


# ---------------------------------------------------------------- dense
def check_dense(dense):
    """Z = A_prev @ W.T + b: test vectors, N = 1, integers, the lecture's single neuron."""
    run("dense", visible_cases("forward", "dense"), dense=dense,
        summary="including N = 1, a square W and the forward/backward lecture's "
                "z = [-2.4591, 3.1721, 6.2782]")


# ---------------------------------------------------------------- forward
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
    """A^[L] of forward(params, X, hidden, output) on every activation and output function;
    the pair (A_L, cache) first, in its own words."""
    cases = visible_cases("forward", "forward")
    label, args, kwargs = cases[0]["label"], cases[0]["args"], cases[0]["kwargs"]
    out = call(forward, *args, function="forward", case=label, **kwargs)
    if not (isinstance(out, tuple) and len(out) == 2):
        fail("forward", label, "forward must return a pair (A_L, cache)",
             expected="a tuple (A_L, cache)", got=describe(out), causes=_pair_causes(out))
    run("forward", cases, forward=forward, output_of=output_of(forward),
        summary="the defaults, all four hidden activations, softmax / sigmoid / identity "
                "outputs, N = 1 and large logits")


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
