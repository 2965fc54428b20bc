"""The numerical core of the checks (grader/checks/numgrad.py).

Central differences in float64: accuracy O(eps^2) against closed forms, every
perturbed entry restored bit for bit (also when f raises), CS231n's relative
error, and the full and directional gradient checks: they pass correct gradients
(the engine's backward in float64 and float32, and loop/matrix implementations
written here) on many random networks, stay cheap on a large network, and put a
planted bug in exactly its block and entries, top layer first.
"""
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import solutions as S
from grader.checks.numgrad import (ATOL, FULL_CHECK_LIMIT, RTOL, central_difference,
                                   directional_check, full_check,
                                   gradcheck, numerical_gradient, rel_error)

SETTINGS = settings(max_examples=25, deadline=None, database=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])
KINKED = ("relu", "leaky_relu")
OUTPUT_LOSS = [("softmax", "cross_entropy"), ("sigmoid", "binary_cross_entropy"),
               ("identity", "mse")]


# ---------------------------------------------------------------- helpers
def make_network(sizes, N, hidden, output="softmax", seed=0, dtype=np.float64, margin=1e-3):
    """Seeded (params, X, Y); for ReLU-like units every |Z| > margin (no kink in reach)."""
    rng = np.random.default_rng(seed)
    for _ in range(500):
        params = [(rng.normal(0, 1.5 / np.sqrt(n_in), (n_out, n_in)), rng.normal(0, 0.5, n_out))
                  for n_in, n_out in zip(sizes[:-1], sizes[1:])]
        X = rng.normal(0, 1, (N, sizes[0]))
        params = [(W.astype(dtype), b.astype(dtype)) for W, b in params]
        X = X.astype(dtype)
        if hidden not in KINKED or _away_from_kinks(params, X, hidden, margin):
            break
    else:  # pragma: no cover
        raise RuntimeError("no network away from the kinks")
    K = sizes[-1]
    if output == "softmax":
        Y = np.eye(K)[rng.integers(0, K, N)]
    elif output == "sigmoid":
        Y = rng.integers(0, 2, (N, K)).astype(float)
    else:
        Y = rng.normal(0, 1, (N, K))
    return params, X, Y.astype(dtype)


def _away_from_kinks(params, X, hidden, margin):
    A = np.asarray(X, dtype=np.float64)
    g = S.get_activation(hidden)[0]
    for W, b in params[:-1]:
        Z = A @ np.asarray(W, np.float64).T + b
        if np.any(np.abs(Z) <= margin):
            return False
        A = g(Z)
    return True


def engine_loss(X, Y, hidden, output="softmax", loss="cross_entropy"):
    """loss(params) through the reference forward (float64 evaluation)."""
    def f(params):
        return S.loss_value(S.forward(params, X, hidden=hidden, output=output)[0], Y, loss)
    return f


def engine_grads(params, X, Y, hidden, output="softmax", loss="cross_entropy"):
    _, cache = S.forward(params, X, hidden=hidden, output=output)
    return S.backward(params, cache, Y, hidden=hidden, output=output, loss=loss)


def copy_grads(grads):
    return [(np.array(dW, dtype=np.float64), np.array(db, dtype=np.float64)) for dW, db in grads]


def loop_backward(params, X, Y, hidden):
    """Softmax + mean cross-entropy, one sample and one weight at a time (no matrix products)."""
    g, g_prime = S.get_activation(hidden)
    N, L = X.shape[0], len(params)
    grads = [(np.zeros(W.shape), np.zeros(b.shape)) for W, b in params]
    for n in range(N):
        a, zs, acts = X[n], [], [X[n]]
        for l, (W, b) in enumerate(params, start=1):
            z = np.array([sum(W[j, k] * a[k] for k in range(W.shape[1])) + b[j]
                          for j in range(W.shape[0])])
            a = np.exp(z - z.max()) / np.exp(z - z.max()).sum() if l == L else g(z)
            zs.append(z)
            acts.append(a)
        delta = (acts[-1] - Y[n]) / N
        for l in range(L, 0, -1):
            dW, db = grads[l - 1]
            for j in range(dW.shape[0]):
                db[j] += delta[j]
                for k in range(dW.shape[1]):
                    dW[j, k] += delta[j] * acts[l - 1][k]
            if l > 1:
                W = params[l - 1][0]
                delta = np.array([sum(delta[j] * W[j, k] for j in range(W.shape[0]))
                                  for k in range(W.shape[1])]) * g_prime(zs[l - 2])
    return grads


def matrix_backward(params, X, Y, hidden):
    """The same gradients with einsum and an explicit list of layer inputs."""
    g, g_prime = S.get_activation(hidden)
    acts, zs = [X], []
    for l, (W, b) in enumerate(params, start=1):
        Z = np.einsum("nk,jk->nj", acts[-1], W) + b
        zs.append(Z)
        acts.append(S.softmax(Z) if l == len(params) else g(Z))
    dZ = (acts[-1] - Y) / X.shape[0]
    grads = []
    for l in range(len(params), 0, -1):
        grads.insert(0, (np.einsum("nj,nk->jk", dZ, acts[l - 1]), np.einsum("nj->j", dZ)))
        if l > 1:
            dZ = np.einsum("nj,jk->nk", dZ, params[l - 1][0]) * g_prime(zs[l - 2])
    return grads


def cs231n_rel_error(x, y):
    """CS231n, assignment 1: np.max(np.abs(x - y) / (np.maximum(1e-8, np.abs(x) + np.abs(y))))."""
    return np.max(np.abs(x - y) / (np.maximum(1e-8, np.abs(x) + np.abs(y))))


architectures = st.tuples(
    st.lists(st.integers(1, 5), min_size=2, max_size=4),     # sizes n_0 .. n_L
    st.integers(1, 5),                                        # N
    st.sampled_from(["sigmoid", "tanh", "relu", "leaky_relu", "identity"]),
    st.sampled_from(OUTPUT_LOSS),
    st.integers(0, 2 ** 16),                                  # seed
)


# ---------------------------------------------------------------- numerical_gradient
def test_central_difference_error_is_second_order_in_eps():
    x = np.array([0.3, -1.1, 0.8, 2.0])
    exact = np.exp(x) + 2 * x  # f = sum(exp(x) + x^2): truncation error eps^2/6 * exp(x)
    f = lambda v: float(np.sum(np.exp(v) + v ** 2))  # noqa: E731
    errors = {}
    for eps in (1e-2, 1e-3):
        got = numerical_gradient(f, x.copy(), eps)
        errors[eps] = np.abs(got - exact)
        np.testing.assert_allclose(got - exact, eps ** 2 / 6 * np.exp(x), rtol=0.02)
    ratio = errors[1e-2] / errors[1e-3]
    assert np.all((ratio > 80) & (ratio < 120)), ratio  # 10x smaller eps -> 100x smaller error


def test_central_difference_matches_closed_form_to_1e_9_at_default_eps():
    M = np.array([[2.0, 0.5, 0.0], [0.5, 1.0, -0.3], [0.0, -0.3, 3.0]])
    x = np.array([0.7, -1.2, 0.4])
    got = numerical_gradient(lambda v: float(np.sum(v ** 3) + v @ M @ v), x.copy())
    assert got.dtype == np.float64
    np.testing.assert_allclose(got, 3 * x ** 2 + 2 * M @ x, rtol=0, atol=1e-8)


@pytest.mark.parametrize("shape", [(), (5,), (2, 3), (2, 3, 2)])
def test_numerical_gradient_works_on_any_shape(shape):
    x = np.random.default_rng(1).normal(size=shape)
    C = np.random.default_rng(2).normal(size=shape)
    got = numerical_gradient(lambda v: float(np.sum(C * np.sin(v))), x)
    assert got.shape == x.shape
    np.testing.assert_allclose(got, C * np.cos(x), rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_every_entry_restored_bit_for_bit_and_perturbed_one_at_a_time(dtype):
    x = (np.random.default_rng(3).normal(size=(3, 4)) * np.pi).astype(dtype)
    before = x.copy()
    differing = []

    def f(v):
        differing.append(int(np.count_nonzero(v != before)))
        return float(np.sum(v ** 2))
    numerical_gradient(f, x)
    assert x.tobytes() == before.tobytes()
    assert differing == [1] * (2 * x.size)  # exactly one entry perturbed at each evaluation


@pytest.mark.parametrize("fail_at", [1, 2, 7, 8])  # on an x + eps and an x - eps evaluation
def test_entries_restored_when_f_raises_midway(fail_at):
    x = np.random.default_rng(4).normal(size=(2, 3)) / 3
    before = x.copy()
    calls = []

    def f(v):
        calls.append(1)
        if len(calls) == fail_at:
            raise ZeroDivisionError("the student's loss broke")
        return float(np.sum(v))
    with pytest.raises(ZeroDivisionError):
        numerical_gradient(f, x)
    assert len(calls) == fail_at
    assert x.tobytes() == before.tobytes()


# ---------------------------------------------------------------- rel_error
def test_rel_error_matches_cs231n_formula_on_random_arrays():
    rng = np.random.default_rng(5)
    for _ in range(20):
        a, b = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
        b[0, 0] = a[0, 0]
        assert rel_error(a, b) == pytest.approx(cs231n_rel_error(a, b), rel=1e-15)


def test_rel_error_known_values_and_the_1e_8_floor():
    assert rel_error(1.0, 1.1) == pytest.approx(0.1 / 2.1, rel=1e-12)
    assert rel_error(np.zeros(3), np.zeros(3)) == 0.0
    assert rel_error(np.array([0.0]), np.array([1e-12])) == pytest.approx(1e-12 / 1e-8)
    assert rel_error(np.array([2.0, -2.0]), np.array([-2.0, 2.0])) == pytest.approx(1.0)
    assert isinstance(rel_error(np.ones(2), np.ones(2)), float)


# ---------------------------------------------------------------- correct gradients pass
@pytest.mark.parametrize("hidden", ["sigmoid", "tanh", "relu", "leaky_relu"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_full_and_directional_pass_the_engine_backward(hidden, dtype):
    params, X, Y = make_network([4, 5, 3, 3], 6, hidden, seed=11, dtype=dtype)
    grads = engine_grads(params, X, Y, hidden)
    assert grads[0][0].dtype == dtype
    loss = engine_loss(X, Y, hidden)
    full = full_check(loss, params, grads)
    assert full.ok, full.table()
    assert full.evaluations == 2 * sum(a.size for layer in params for a in layer)
    assert all(b.entries == [] for b in full.blocks)
    direc = directional_check(loss, params, grads)
    assert direc.ok, direc.table()
    assert direc.evaluations == 2 * 2 * 2 * len(params)


@pytest.mark.parametrize("implementation", [loop_backward, matrix_backward])
def test_loop_and_einsum_implementations_pass(implementation):
    params, X, Y = make_network([3, 4, 3], 5, "tanh", seed=12)
    grads = implementation(params, X, Y, "tanh")
    for (dW, db), (eW, eb) in zip(grads, engine_grads(params, X, Y, "tanh")):
        np.testing.assert_allclose(dW, eW, rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(db, eb, rtol=1e-10, atol=1e-14)
    loss = engine_loss(X, Y, "tanh")
    assert full_check(loss, params, grads).ok
    assert directional_check(loss, params, grads).ok


@SETTINGS
@given(architectures, st.sampled_from([np.float64, np.float32]))
def test_full_check_never_flags_a_correct_gradient(arch, dtype):
    sizes, N, hidden, (output, loss_name), seed = arch
    params, X, Y = make_network(sizes, N, hidden, output, seed=seed, dtype=dtype)
    grads = engine_grads(params, X, Y, hidden, output, loss_name)
    report = full_check(engine_loss(X, Y, hidden, output, loss_name), params, grads)
    assert report.ok, report.table()
    assert report.bad == []


@SETTINGS
@given(architectures, st.sampled_from([np.float64, np.float32]), st.integers(1, 3))
def test_directional_check_never_flags_a_correct_gradient(arch, dtype, n_dirs):
    sizes, N, hidden, (output, loss_name), seed = arch
    params, X, Y = make_network(sizes, N, hidden, output, seed=seed, dtype=dtype)
    grads = engine_grads(params, X, Y, hidden, output, loss_name)
    report = directional_check(engine_loss(X, Y, hidden, output, loss_name), params, grads,
                               n_dirs=n_dirs, rng=seed)
    assert report.ok, report.table()
    assert report.evaluations == 2 * n_dirs * 2 * len(params)


def test_checks_leave_the_callers_params_untouched_even_if_loss_raises():
    params, X, Y = make_network([3, 4, 2], 3, "sigmoid", seed=13)
    before = [(W.tobytes(), b.tobytes()) for W, b in params]
    grads = engine_grads(params, X, Y, "sigmoid")
    full_check(engine_loss(X, Y, "sigmoid"), params, grads)
    directional_check(engine_loss(X, Y, "sigmoid"), params, grads)
    calls = []

    def broken(p):
        calls.append(1)
        if len(calls) == 5:
            raise RuntimeError("forward broke")
        return engine_loss(X, Y, "sigmoid")(p)
    for check in (full_check, directional_check):
        calls.clear()
        with pytest.raises(RuntimeError, match="forward broke"):
            check(broken, params, grads)
    assert [(W.tobytes(), b.tobytes()) for W, b in params] == before


# ---------------------------------------------------------------- a large network
@pytest.fixture(scope="module")
def large():
    """A 300-200-10 tanh network (62,210 parameters), 16 samples."""
    rng = np.random.default_rng(14)
    params = [(W, rng.normal(0, 0.1, b.shape)) for W, b in S.init_params([300, 200, 10], rng)]
    X = rng.normal(size=(16, 300))
    Y = np.eye(10)[rng.integers(0, 10, 16)]
    return params, engine_loss(X, Y, "tanh"), engine_grads(params, X, Y, "tanh")


def test_large_network_is_checked_in_a_handful_of_loss_evaluations(large):
    params, loss, grads = large
    assert S.count_params([300, 200, 10]) == 62_210 > FULL_CHECK_LIMIT
    report = gradcheck(loss, params, grads)
    assert report.mode == "directional"
    assert report.ok, report.table()
    assert report.evaluations == 2 * 2 * 4  # 2 directions x 2 evaluations x 4 blocks


def test_large_network_sign_bug_found_in_exactly_its_block(large):
    params, loss, grads = large
    wrong = copy_grads(grads)
    wrong[1] = (-wrong[1][0], wrong[1][1])  # dW[2] with the sign flipped
    n_dirs, sample = 2, 24
    report = directional_check(loss, params, wrong, n_dirs=n_dirs, sample=sample)
    assert [b.name for b in report.bad] == ["dW[2]"]
    assert report.evaluations <= 2 * n_dirs * 4 + 2 * 2 * sample
    assert report.bad[0].entries  # sampled entries confirm where it is wrong


def test_large_network_planted_entries_are_localized(large):
    params, loss, grads = large
    wrong = copy_grads(grads)
    planted = {(10, 20), (100, 7), (199, 299)}
    for i in planted:
        wrong[0][0][i] += 1.0  # larger than any true entry: among the sampled ones
    report = directional_check(loss, params, wrong)
    assert [b.name for b in report.bad] == ["dW[1]"]
    (block,) = report.bad
    assert {i for i, _, _ in block.entries} == planted
    for i, num, ana in block.entries:
        assert ana == pytest.approx(num + 1.0, abs=1e-6)
    assert report.evaluations <= 2 * 2 * 4 + 2 * 2 * 24


# ---------------------------------------------------------------- localization (full check)
@pytest.fixture
def small():
    params, X, Y = make_network([3, 4, 3, 2], 4, "sigmoid", seed=15)
    return params, engine_loss(X, Y, "sigmoid"), engine_grads(params, X, Y, "sigmoid")


@pytest.mark.parametrize("layer,part", [(1, "W"), (1, "b"), (2, "W"), (2, "b"), (3, "W"),
                                        (3, "b")])
def test_planted_entries_reported_in_exactly_that_block(small, layer, part):
    params, loss, grads = small
    wrong = copy_grads(grads)
    arr = wrong[layer - 1][0 if part == "W" else 1]
    planted = [(0, 1), (arr.shape[0] - 1, 0)] if arr.ndim == 2 else [(0,), (arr.shape[0] - 1,)]
    for i in planted:
        arr[i] += 0.3
    for report in (full_check(loss, params, wrong), directional_check(loss, params, wrong)):
        assert [b.name for b in report.bad] == [f"d{part}[{layer}]"], report.table()
        assert sorted(i for i, _, _ in report.bad[0].entries) == sorted(planted)
        assert not report.ok


def test_full_check_entries_carry_numeric_and_analytic_values(small):
    params, loss, grads = small
    wrong = copy_grads(grads)
    true_value = wrong[1][0][2, 3]
    wrong[1][0][2, 3] = -5.0
    (block,) = full_check(loss, params, wrong).bad
    ((index, num, ana),) = block.entries
    assert index == (2, 3)
    assert ana == -5.0
    assert num == pytest.approx(true_value, rel=1e-6, abs=1e-9)
    assert block.error > 0.1


def test_bad_lists_the_top_layer_first(small):
    params, loss, grads = small
    wrong = copy_grads(grads)
    wrong[0][0][0, 0] += 1.0   # dW[1]
    wrong[2][1][1] -= 1.0      # db[3]
    wrong[1][0][:] *= 2        # dW[2]
    wrong[1][1][:] *= 2        # db[2]
    for report in (full_check(loss, params, wrong), directional_check(loss, params, wrong)):
        assert [b.name for b in report.bad] == ["db[3]", "dW[2]", "db[2]", "dW[1]"]


def test_table_lists_every_block_top_layer_first_with_verdicts(small):
    params, loss, grads = small
    wrong = copy_grads(grads)
    wrong[0][1][:] = 0.0
    rows = full_check(loss, params, wrong).table().splitlines()
    assert "rel. error" in rows[0]
    assert [r.split()[0] for r in rows[1:]] == ["dW[3]", "db[3]", "dW[2]", "db[2]", "dW[1]",
                                                "db[1]"]
    assert [r.split()[-1] for r in rows[1:]] == ["ok"] * 5 + ["WRONG"]


def test_nonfinite_analytic_gradient_is_never_ok(small):
    params, loss, grads = small
    wrong = copy_grads(grads)
    wrong[2][0][0, 0] = np.nan
    assert [b.name for b in full_check(loss, params, wrong).bad] == ["dW[3]"]
    assert [b.name for b in directional_check(loss, params, wrong).bad] == ["dW[3]"]


def test_tolerances_are_the_documented_ones():
    assert (RTOL, ATOL) == (1e-5, 1e-8)


def test_gradcheck_switches_mode_at_the_limit():
    def run(n):
        params = [(np.linspace(-1, 1, n).reshape(1, n), np.array([0.5]))]
        loss = lambda p: float(np.sum(p[0][0] ** 2) + 3 * p[0][1][0])  # noqa: E731
        return gradcheck(loss, params, [(2 * params[0][0], np.array([3.0]))])
    small, big = run(FULL_CHECK_LIMIT - 1), run(FULL_CHECK_LIMIT + 1)
    assert (small.mode, small.ok, small.evaluations) == ("full", True, 2 * FULL_CHECK_LIMIT)
    assert (big.mode, big.ok, big.evaluations) == ("directional", True, 8)


def test_central_difference_restores_x_even_when_f_raises():
    x = np.array([1.0, 2.0, 3.0])

    def f(v):
        if v[1] != 2.0:
            raise ValueError("perturbed")
        return 0.0
    for where in [(1,), np.array([0.0, 1.0, 0.0])]:
        with pytest.raises(ValueError):
            central_difference(f, x, where)
        np.testing.assert_array_equal(x, [1.0, 2.0, 3.0])


def test_central_difference_along_a_direction_is_grad_dot_d_for_a_quadratic():
    """Central differences are exact for a quadratic up to rounding: error ~ 1e-9 here."""
    rng = np.random.default_rng(3)
    M, x, d = rng.normal(size=(4, 4)), rng.normal(size=4), rng.normal(size=4)
    f = lambda v: 0.5 * v @ M @ v  # noqa: E731
    exact = 0.5 * (M + M.T) @ x
    assert central_difference(f, x, d) == pytest.approx(exact @ d, abs=1e-8)
    assert central_difference(f, x, (2,)) == pytest.approx(exact[2], abs=1e-8)
