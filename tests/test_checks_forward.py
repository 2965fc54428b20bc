"""The checks of notebook 03 (the forward pass), visible and hidden.

The engine passes every check; correct implementations written differently (loops,
einsum, another cache layout, other draws) pass too; each typical mistake, written as
a small buggy variant, is caught with a message naming its cause; bad returns (None,
a list, a wrong shape, NaN, integers) get their message.
"""
import numpy as np
import pytest

from tests.helpers import fails

import solutions as S
from grader.checks import forward as F
from grader.pipeline.verdict import grade_in_memory
from grader.checks.report import CheckFailure
from grader.pipeline.cases import forward as cases_module

VIEWS = {"layer_shapes": F.shape_table, "init_params": F.init_properties, "forward": F.output_of}




# ------------------------------------------------------------------ the engine passes
def test_engine_passes_every_visible_check(capsys):
    F.check_layer_shapes(S.layer_shapes)
    F.check_count_params(S.count_params)
    F.check_init_params(S.init_params)
    F.check_dense(S.dense)
    F.check_forward(S.forward)
    out = capsys.readouterr()
    assert out.out.count("✔") == 5 and out.err == ""


@pytest.mark.parametrize("sizes", [[5, 7, 4, 3], [400, 400, 100], [6, 6, 6, 6], [1, 1],
                                   [784, 100, 10], [50, 1000, 40]])
def test_init_expected_is_what_the_engine_has(sizes):
    got = F.init_properties(S.init_params)(sizes, 7)
    for part, g, e in zip(F.INIT_PARTS, got, F.init_expected(sizes)):
        np.testing.assert_array_equal(g, e, err_msg=part[0])


def test_the_spread_check_is_far_from_its_tolerance():
    """std(W) sqrt(n) of a correct draw is within 1 % of 1 on a 40 000-weight layer: the 5 %
    tolerance is never reached by chance (relative noise of the estimate: 0.35 %)."""
    for seed in range(20):
        W = S.init_params([400, 100], seed)[0][0]
        assert abs(W.std() * np.sqrt(400) - 1) < 0.015
        assert abs(W.mean()) / W.std() < 0.02


# ------------------------------------------------------------------ correct, written differently
def layer_shapes_lists(sizes):
    return [[[sizes[l], sizes[l - 1]], [sizes[l]]] for l in range(1, len(sizes))]


def count_params_numpy(sizes):
    s = np.array(sizes)
    return np.sum(s[1:] * s[:-1] + s[1:])  # a numpy integer


def init_params_normal(sizes, rng):
    """rng.normal with a scale, the last layer drawn first: other draws, same law."""
    out = []
    for n_in, n_out in reversed(list(zip(sizes[:-1], sizes[1:]))):
        out.insert(0, (rng.normal(0.0, 1 / np.sqrt(n_in), size=(n_out, n_in)), np.zeros(n_out)))
    return out


def dense_loops(A_prev, W, b):
    A_prev = np.asarray(A_prev, dtype=float)
    Z = np.zeros((A_prev.shape[0], W.shape[0]))
    for n in range(A_prev.shape[0]):
        for j in range(W.shape[0]):
            Z[n, j] = sum(W[j, k] * A_prev[n, k] for k in range(W.shape[1])) + b[j]
    return Z


def dense_einsum(A_prev, W, b):
    return np.einsum("nk,jk->nj", A_prev, W) + b


def forward_other_cache(params, X, hidden="sigmoid", output="softmax"):
    """Loops over samples, column form z = W a + b, and a list of (A_prev, Z) as the cache."""
    g = S.get_activation(hidden)[0]
    out = {"softmax": S.softmax, "sigmoid": S.sigmoid, "identity": lambda z: z}[output]
    A, cache = np.asarray(X, dtype=float), []
    for l, (W, b) in enumerate(params, start=1):
        Z = np.stack([W @ a + b for a in A])
        cache.append((A, Z))
        A = out(Z) if l == len(params) else g(Z)
    return A, cache


def test_other_correct_implementations_pass_visible_checks(capsys):
    F.check_layer_shapes(layer_shapes_lists)
    F.check_count_params(count_params_numpy)
    F.check_init_params(init_params_normal)
    F.check_dense(dense_loops)
    F.check_dense(dense_einsum)
    F.check_forward(forward_other_cache)
    assert capsys.readouterr().out.count("✔") == 6


# ------------------------------------------------------------------ typical mistakes, visible
def _W(sizes, rng, scale):
    return [(rng.standard_normal((o, i)) * scale(o, i), np.zeros(o))
            for i, o in zip(sizes, sizes[1:])]


@pytest.mark.parametrize("fn, match", [
    (lambda s: [((a, b), (b,)) for a, b in zip(s[:-1], s[1:])], r"transposed"),
    (lambda s: [((b, a), (a,)) for a, b in zip(s[:-1], s[1:])], r"one entry per unit of layer"),
    (lambda s: [((b, a), (b, 1)) for a, b in zip(s[:-1], s[1:])], r"not a column \(n_l, 1\)"),
    (lambda s: [((b, a), b) for a, b in zip(s[:-1], s[1:])], r"write \(n,\) with the comma"),
    (lambda s: [((b, a), (b,)) for a, b in zip(s, s[1:] + [1])], r"wrong number of layers"),
    (lambda s: [((b * 1.0, a), (b,)) for a, b in zip(s[:-1], s[1:])], r"must be integers"),
    (lambda s: None, r"does not `return`"),
    (lambda s: np.zeros(3), r"wrong type"),
])
def test_layer_shapes_mistakes(fn, match):
    fails(F.check_layer_shapes, fn, match=match)


@pytest.mark.parametrize("fn, match", [
    (lambda s: sum(a * b for a, b in zip(s[:-1], s[1:])), r"only the weights"),
    (lambda s: S.count_params(s) + s[0], r"input layer was counted"),
    (lambda s: sum(a * b + a for a, b in zip(s[:-1], s[1:])), r"counted with n_\{l-1\}"),
    (lambda s: float(S.count_params(s)), r"return int"),
    (lambda s: None, r"wrong type"),
])
def test_count_params_mistakes(fn, match):
    fails(F.check_count_params, fn, match=match)


def _same_W(sizes, rng):
    W = rng.standard_normal((sizes[1], sizes[0])) / np.sqrt(sizes[0])
    return [(W if W.shape == (o, i) else rng.standard_normal((o, i)) / np.sqrt(i), np.zeros(o))
            for i, o in zip(sizes, sizes[1:])]


@pytest.mark.parametrize("fn, match", [
    (lambda s, rng: _W(s, rng, lambda o, i: 1.0), r"W was not scaled"),
    (lambda s, rng: _W(s, rng, lambda o, i: 1 / i), r"divided by n_\{l-1\}"),
    (lambda s, rng: _W(s, rng, lambda o, i: 1 / np.sqrt(o)), r"uses n_l"),
    (lambda s, rng: _W(s, rng, lambda o, i: np.sqrt(2 / i)), r"He's"),
    (lambda s, rng: [(rng.uniform(-1, 1, (o, i)) / np.sqrt(i), np.zeros(o))
                     for i, o in zip(s, s[1:])], r"uniform draw in \(-1, 1\)"),
    (lambda s, rng: [(rng.random((o, i)) / np.sqrt(i), np.zeros(o)) for i, o in zip(s, s[1:])],
     r"all weights are positive"),
    (lambda s, rng: [(np.random.randn(o, i) / np.sqrt(i), np.zeros(o)) for i, o in zip(s, s[1:])],
     r"same seed gave different weights"),
    (lambda s, rng: _W(s, np.random.default_rng(0), lambda o, i: 1 / np.sqrt(i)),
     r"`rng` argument is\s+ignored"),
    (_same_W, r"two layers got identical weights"),
    (lambda s, rng: [(W, b + 0.1) for W, b in _W(s, rng, lambda o, i: 1 / np.sqrt(i))],
     r"start at exactly 0"),
    (lambda s, rng: [(W, b.astype(int)) for W, b in _W(s, rng, lambda o, i: 1 / np.sqrt(i))],
     r"biases are not float64"),
    (lambda s, rng: [(W.astype(np.float32), b) for W, b in _W(s, rng, lambda o, i: 1 / np.sqrt(i))],
     r"W is not float64"),
    (lambda s, rng: [(W.T, b) for W, b in _W(s, rng, lambda o, i: 1 / np.sqrt(i))], r"transposed"),
    (lambda s, rng: [(W, b[:, None]) for W, b in _W(s, rng, lambda o, i: 1 / np.sqrt(i))],
     r"np.zeros\(\(n_l, 1\)\)"),
    (lambda s, rng: _W(s, rng, lambda o, i: 1 / np.sqrt(i))[1:], r"layers instead of L"),
    (lambda s, rng: [(W.tolist(), b) for W, b in _W(s, rng, lambda o, i: 1 / np.sqrt(i))],
     r"not a numpy array"),
    (lambda s, rng: None, r"does not `return`"),
])
def test_init_params_mistakes(fn, match):
    fails(F.check_init_params, fn, match=match)


def test_a_constant_W_fails_on_its_spread():
    msg = fails(F.check_init_params,
                 lambda s, rng: [(np.full((o, i), 0.01), np.zeros(o)) for i, o in zip(s, s[1:])],
                match=r"another seed gives other weights|std\(W")
    assert "nan" not in msg


@pytest.mark.parametrize("fn, match", [
    (lambda A, W, b: A @ W.T, r"bias b is not added"),
    (lambda A, W, b: A @ W + b, r"mismatched inner dimensions"),
    (lambda A, W, b: (W @ A.T).T + b if W.shape[0] != W.shape[1] else A @ W + b,
     r"without \.T"),
    (lambda A, W, b: W @ A.T + b[:, None], r"transposed|broadcast"),
    (lambda A, W, b: (A @ W.T + b).tolist(), r"return a numpy array"),
    (lambda A, W, b: (A @ W.T + b).astype(int), r"integer arithmetic"),
    (lambda A, W, b: (A @ W.T + b).ravel(), r"flattened"),
    (lambda A, W, b: np.full((A.shape[0], W.shape[0]), np.nan), r"nan or inf"),
    (lambda A, W, b: None, r"does not `return`"),
])
def test_dense_mistakes(fn, match):
    fails(F.check_dense, fn, match=match)


def _forward_with(mistake):
    def forward(params, X, hidden="sigmoid", output="softmax"):
        return cases_module._mistake(params, X, hidden, output, mistake), {}
    return forward


@pytest.mark.parametrize("mistake", cases_module.MISTAKES)
def test_forward_mistakes_name_their_cause(mistake):
    msg = fails(F.check_forward, _forward_with(mistake), match=r"forward")
    assert F.CAUSES[mistake] in msg


@pytest.mark.parametrize("fn, match", [
    (lambda p, X, hidden="sigmoid", output="softmax": S.forward(p, X, hidden, output)[0],
     r"only A\^\[L\] came back"),
    (lambda p, X, hidden="sigmoid", output="softmax": list(S.forward(p, X, hidden, output)),
     r"return a tuple"),
    (lambda p, X, hidden="sigmoid", output="softmax": S.forward(p, X, hidden, output) + (1,),
     r"exactly two things"),
    (lambda p, X, hidden="sigmoid", output="softmax": None, r"does not `return`"),
    (lambda p, X, hidden="sigmoid", output="softmax": S.forward(p[:-1], X, hidden, hidden),
     r"shape of A\^\[1\]: the loop over the layers stops early"),
    (lambda p, X, hidden="sigmoid", output="softmax": (S.forward(p, X, hidden, output)[0].T, {}),
     r"transposed"),
    (lambda p, X, hidden="sigmoid", output="softmax": 1 / 0, r"ZeroDivisionError"),
])
def test_forward_bad_returns(fn, match):
    fails(F.check_forward, fn, match=match)


def test_naive_softmax_fails_only_on_large_logits():
    def naive(params, X, hidden="sigmoid", output="softmax"):
        A, cache = S.forward(params, X, hidden, "identity" if output == "softmax" else output)
        if output == "softmax":
            A = np.exp(A) / np.exp(A).sum(axis=1, keepdims=True)
        return A, cache
    msg = fails(F.check_forward, naive, match=r"nan or inf")
    assert "large logits" in msg and "stable" in msg


def test_unimplemented_functions_say_so():
    def todo(*args, **kwargs):
        raise NotImplementedError()
    for check in (F.check_layer_shapes, F.check_count_params, F.check_init_params, F.check_dense,
                  F.check_forward):
        fails(check, todo, match=r"not implemented yet")


# ------------------------------------------------------------------ hidden cases
@pytest.fixture(scope="module")
def cases():
    return cases_module.cases()


def run(cases, function, fn):
    """What the notebook's hidden cell does: grade(function, function=fn, view=view(fn))."""
    fns = {function: fn}
    if function in VIEWS:
        view = VIEWS[function]
        fns[view.__name__] = view(fn)
    grade_in_memory(cases, function, **fns)


def test_every_function_has_4_to_10_cases(cases):
    assert set(cases) == {"layer_shapes", "count_params", "init_params", "dense", "forward"}
    for function, cs in cases.items():
        assert 4 <= len(cs) <= 10, (function, len(cs))


def test_cases_are_deterministic(cases):
    again = cases_module.cases()
    for function in cases:
        for a, b in zip(cases[function], again[function]):
            assert a["label"] == b["label"]


def test_hidden_cases_cover_the_edges(cases):
    labels = " | ".join(c["label"] for c in cases["forward"])
    for needle in ["N = 1", "float32", "integer", "large logits", "the defaults", "'identity'",
                   "'sigmoid'", "'tanh'", "'relu'", "'leaky_relu'"]:
        assert needle in labels, needle
    assert any(len(c["args"][0]) == 1 for c in cases["forward"])  # a network without hidden layer


def test_init_cases_expect_the_specification(cases):
    for c in cases["init_params"]:
        for part, g, e in zip(F.INIT_PARTS, c["expected"], F.init_expected(c["args"][0])):
            np.testing.assert_array_equal(g, e, err_msg=part[0])


@pytest.mark.parametrize("function, fn", [
    ("layer_shapes", S.layer_shapes), ("count_params", S.count_params),
    ("init_params", S.init_params), ("dense", S.dense), ("forward", S.forward),
    ("layer_shapes", layer_shapes_lists), ("count_params", count_params_numpy),
    ("init_params", init_params_normal), ("dense", dense_loops), ("dense", dense_einsum),
    ("forward", forward_other_cache)])
def test_correct_implementations_pass_the_hidden_cases(cases, function, fn):
    run(cases, function, fn)


@pytest.mark.parametrize("mistake", cases_module.MISTAKES)
def test_hidden_forward_names_the_mistake(cases, mistake):
    """In the same words as the visible check (one table of causes)."""
    with pytest.raises(CheckFailure) as info:
        run(cases, "forward", _forward_with(mistake))
    assert F.CAUSES[mistake] in str(info.value)


@pytest.mark.parametrize("function, fn, match", [
    ("layer_shapes", lambda s: [((a, b), (b,)) for a, b in zip(s[:-1], s[1:])], r"transposed"),
    ("layer_shapes", lambda s: None, r"WrongStructure \(the result has the wrong type"),
    ("count_params", lambda s: sum(a * b for a, b in zip(s[:-1], s[1:])), r"only the weights"),
    ("init_params", lambda s, rng: _W(s, rng, lambda o, i: 1.0), r"W was not scaled"),
    ("init_params", lambda s, rng: _W(s, rng, lambda o, i: 1 / np.sqrt(o)), r"uses n_l"),
    ("init_params", lambda s, rng: None, r"init_params returned None"),
    ("init_params", lambda s, rng: _W(s, np.random.default_rng(0), lambda o, i: 1 / np.sqrt(i)),
     r"`rng` argument is\s+ignored"),
    ("dense", lambda A, W, b: np.asarray(A, float) @ W.T, r"bias b is not added"),
    ("forward", lambda p, X, hidden="sigmoid", output="softmax": S.forward(p, X, hidden, output)[0],
     r"not the pair \(A_L, cache\)"),
    ("forward", lambda p, X, hidden="sigmoid", output="softmax": None, r"does not `return`"),
])
def test_hidden_mistakes_and_bad_returns(cases, function, fn, match):
    with pytest.raises(CheckFailure, match=match):
        run(cases, function, fn)


def test_nan_weights_are_reported_without_writing_to_stderr(capsys):
    def nan_init(sizes, rng):
        return [(np.full((o, i), np.nan), np.zeros(o)) for i, o in zip(sizes, sizes[1:])]
    fails(F.check_init_params, nan_init, match=r"init_params")
    assert capsys.readouterr().err == ""


class _AlwaysEqual(np.ndarray):
    def __array_function__(self, func, types, args, kwargs):
        if func is np.array_equal:
            return True
        return super().__array_function__(func, types, args, kwargs)


def test_the_hidden_view_measures_plain_data_not_the_students_objects():
    """Weights drawn from a fresh generator, claiming to be 'equal', are still not reproducible."""
    from grader.checks.forward import init_properties

    def init_params(sizes, rng):
        fresh = np.random.default_rng()
        return [((fresh.standard_normal((o, i)) / np.sqrt(i)).view(_AlwaysEqual), np.zeros(o))
                for i, o in zip(sizes[:-1], sizes[1:])]
    props = init_properties(init_params)([5, 7, 4, 3], 0)
    assert props[5] == 0  # the same seed does not give the same parameters


# ------------------------------------------------------------------ the case table
CHECKED = {"count_params": F.check_count_params, "dense": F.check_dense,
           "forward": F.check_forward}


def _engine_but(function, case, wrong):
    """The engine, except on this case's input: there, what the case's mistake gives."""
    def student(*args, **kwargs):
        same = kwargs == case.get("kwargs", {}) and len(args) == len(case["args"]) and all(
            np.array_equal(a, b) if isinstance(b, np.ndarray) else
            repr(a) == repr(b) for a, b in zip(args, case["args"]))
        result = getattr(S, function)(*args, **kwargs)
        if not same:
            return result
        return (wrong, result[1]) if function == "forward" else wrong
    return student


def _causes(cases, key="candidates"):
    """The wordings of the named mistakes of these cases (key: the option that names them)."""
    options = [c.get("options", {}).get(key) or {} for c in cases]
    return [words for o in options for _, words in (o.items() if key == "shape_causes" else o)]


@pytest.mark.parametrize("function", list(CHECKED))
def test_each_visible_mistake_is_named_in_the_words_of_causes(function):
    from grader.checks import visible_cases
    named = 0
    for case in visible_cases("forward", function):
        for wrong, words in case["options"].get("candidates", []):
            msg = fails(CHECKED[function], _engine_but(function, case, wrong), match=function)
            assert words in msg, (case["label"], words)
            named += 1
    assert named


def test_every_cause_is_used_by_a_case_table_or_init_params(cases):
    from grader.checks import visible_cases
    every = [*cases.values(), *(visible_cases("forward", f) for f in cases)]
    named = {w for cs in every for w in _causes(cs) + _causes(cs, "shape_causes")}
    used = {k for k, words in F.CAUSES.items() if any(words in w for w in named)}
    used |= {k for part in F.INIT for _, k in part["mistakes"]([400, 400, 100])}
    assert used == set(F.CAUSES)
