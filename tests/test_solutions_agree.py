"""The solution code of every source notebook agrees with the reference engine.

The notebooks' answer cells (and the given code they rely on) are executed in a
plain namespace, without Jupyter, and every contract function is compared with
``solutions`` on seeded random inputs: shapes, activations, batch sizes, N = 1.
"""
import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import solutions as S  # noqa: E402
from grader.pipeline.assignments import ASSIGNMENTS, get  # noqa: E402
from grader.pipeline.cells import is_solution, is_test  # noqa: E402
from tests.helpers import source_notebook  # noqa: E402

SEEDS = range(12)
HIDDEN = ["sigmoid", "tanh", "relu", "leaky_relu"]


def namespace(assignment_id):
    """Execute the code cells that define things (not tests, plots or checks); -> globals."""
    ns = {"np": np, "__name__": "notebook"}
    for cell in source_notebook(get(assignment_id)).cells:
        if cell.cell_type != "code" or is_test(cell):
            continue
        code = "\n".join(l for l in cell.source.splitlines()
                         if not l.lstrip().startswith(("%", "!")))
        if not is_solution(cell) and any(s in code for s in ("bpcheck", "plt.", "check_")):
            continue
        try:
            exec(compile(code, f"<{assignment_id}>", "exec"), ns)
        except Exception:  # demonstration cells may need state we skip; answers are checked below
            if is_solution(cell):
                raise
    return ns


@pytest.fixture(scope="module", params=[a.id for a in ASSIGNMENTS])
def nb(request):
    return request.param, namespace(request.param)


def _close(a, b, name):
    if isinstance(b, (list, tuple)):
        assert len(a) == len(b), name
        for i, (x, y) in enumerate(zip(a, b)):
            _close(x, y, f"{name}[{i}]")
        return
    np.testing.assert_allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float),
                               rtol=1e-9, atol=1e-12, err_msg=name)


def _network(rng, depth=None):
    sizes = [int(n) for n in rng.integers(1, 7, size=(depth or rng.integers(1, 4)) + 1)]
    sizes[-1] = max(sizes[-1], 2)
    params = S.init_params(sizes, rng)
    params = [(W, rng.normal(0, 0.3, b.shape)) for W, b in params]
    N = int(rng.choice([1, 2, 5]))
    X = rng.normal(size=(N, sizes[0]))
    Y = S.one_hot(rng.integers(0, sizes[-1], N), sizes[-1])
    return sizes, params, X, Y


def _cases(fn, rng):
    """Random arguments for a contract function."""
    z = rng.normal(0, 3, size=tuple(rng.integers(1, 5, size=rng.integers(1, 3))))
    if fn in ("step", "sigmoid", "sigmoid_prime", "tanh", "tanh_prime", "relu", "relu_prime"):
        return (z,), {}
    if fn in ("leaky_relu", "leaky_relu_prime"):
        return (z,), {"alpha": float(rng.uniform(0.01, 0.3))}
    if fn in ("perceptron", "neuron"):
        X, w = rng.normal(size=(4, 3)), rng.normal(size=3)
        return ((X, w, 0.2) if fn == "perceptron" else (X, w, 0.2, np.tanh)), {}
    if fn == "perceptron_train":
        X = rng.integers(0, 2, size=(6, 3)).astype(float)
        return (X, (X.sum(1) > 1).astype(float), 0.5, 4), {}
    if fn in ("xor_network", "nand_gate"):
        return (rng.integers(0, 2, size=(7, 2)).astype(float),), {}
    if fn in ("layer_shapes", "count_params"):
        return ([int(n) for n in rng.integers(1, 9, size=rng.integers(2, 5))],), {}
    if fn == "dense":
        return (rng.normal(size=(3, 4)), rng.normal(size=(2, 4)), rng.normal(size=2)), {}
    if fn == "forward":
        _, params, X, _ = _network(rng)
        return (params, X), {"hidden": str(rng.choice(HIDDEN))}
    if fn in ("softmax", "cross_entropy", "softmax_cross_entropy_grad", "sigmoid_bce_grad",
              "sigmoid_mse_grad"):
        Z = rng.normal(0, 4, size=(int(rng.integers(1, 5)), 3))
        Y = S.one_hot(rng.integers(0, 3, len(Z)), 3)
        return {"softmax": (Z,), "cross_entropy": (S.softmax(Z), Y)}.get(fn, (Z, Y)), {}
    if fn == "softmax_jacobian":
        return (rng.normal(0, 3, size=4),), {}
    if fn == "gd_step":
        _, params, _, _ = _network(rng)
        grads = [(rng.normal(size=W.shape), rng.normal(size=b.shape)) for W, b in params]
        return (params, grads, 0.1), {}
    if fn in ("w1_11_after_step", "planted_bug"):
        return (), {}
    if fn == "relative_error":
        a = rng.normal(size=(3, 2))
        return (a, a + rng.normal(0, 1e-3, size=a.shape)), {}
    if fn == "scalar_chain_grad":
        return tuple(float(v) for v in rng.normal(size=4)), {}
    if fn in ("forward_222", "dL_dw2_11", "dL_dw1_11", "dL_dw1_21", "backprop_222", "train_222"):
        params = [(rng.normal(size=(2, 2)), rng.normal(size=2)) for _ in range(2)]
        x, y = rng.normal(size=2), rng.uniform(size=2)
        return ((x, params) if fn == "forward_222" else
                (x, y, params, 0.5, 20) if fn == "train_222" else (x, y, params)), {}
    raise KeyError(fn)


def test_answers_agree_with_the_engine(nb):
    assignment_id, ns = nb
    for fn in get(assignment_id).functions:
        assert callable(ns.get(fn)), f"{assignment_id}: {fn} is not defined by the notebook"
        for seed in SEEDS:
            rng = np.random.default_rng(seed)
            if fn in ("numerical_gradient", "backward", "backward_mse", "train", "init_params",
                      "minibatches", "directional_check"):
                _special(fn, ns, rng)
                continue
            args, kwargs = _cases(fn, rng)
            got, expected = ns[fn](*args, **kwargs), getattr(S, fn)(*args, **kwargs)
            if fn == "forward":  # the cache layout is the author's choice: compare A_L
                got, expected = got[0], expected[0]
            if fn == "w1_11_after_step":  # a number written to 6 decimals, graded to 5e-7
                assert abs(got - expected) <= 5e-7, (got, expected)
                continue
            _close(got, expected, f"{fn} seed {seed}")


def _special(fn, ns, rng):
    """Functions whose inputs depend on other functions of the notebook."""
    if fn == "numerical_gradient":
        M = rng.normal(size=(3, 3))
        x = rng.normal(size=3)
        f = lambda v: float(v @ M @ v + np.sum(np.sin(v)))  # noqa: E731
        _close(ns[fn](f, x.copy(), 1e-6), S.numerical_gradient(f, x.copy(), 1e-6), fn)
    elif fn == "directional_check":
        M, x, v = rng.normal(size=(3, 3)), rng.normal(size=3), rng.normal(size=3)
        f = lambda u: float(u @ M @ u)  # noqa: E731
        g = (M + M.T) @ x
        _close(ns[fn](f, x.copy(), g, v, 1e-6), S.directional_check(f, x.copy(), g, v, 1e-6), fn)
    elif fn == "minibatches":
        N, size = int(rng.integers(1, 50)), int(rng.integers(1, 12))
        seed = int(rng.integers(1000))
        got = ns[fn](N, size, np.random.default_rng(seed))
        _close(got, S.minibatches(N, size, np.random.default_rng(seed)), fn)
    elif fn == "init_params":
        sizes = [int(n) for n in rng.integers(1, 9, size=3)]
        got = ns[fn](sizes, np.random.default_rng(7))
        _close(got, S.init_params(sizes, np.random.default_rng(7)), fn)
    else:
        _, params, X, Y = _network(rng)
        hidden = str(rng.choice(HIDDEN))
        if hidden in ("relu", "leaky_relu"):  # stay off the kink
            params = [(W, b + 0.01 * np.sign(b)) for W, b in params]
        if fn == "backward_mse":
            _, cache = ns["forward"](params, X, hidden, output="identity")
            Y = rng.normal(size=Y.shape)
            expected = S.backward_mse(params, S.forward(params, X, hidden, output="identity")[1],
                                      Y, hidden)
            _close(ns[fn](params, cache, Y, hidden), expected, fn)
        elif fn == "backward":
            _, cache = ns["forward"](params, X, hidden)
            _close(ns[fn](params, cache, Y, hidden),
                   S.backward(params, S.forward(params, X, hidden)[1], Y, hidden), fn)
        else:
            got = ns[fn](params, X, Y, 0.3, 5, hidden)
            _close(got, S.train(params, X, Y, 0.3, 5, hidden), fn)
