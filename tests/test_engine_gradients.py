"""The reference engine against central finite differences and closed forms.

Every expected value here comes from finite differences (computed by the small
``central_diff`` below, independently of the engine's own ``numerical_gradient``),
from a closed form, or from a defining property (a truth table, a shape) - never
from a number copied out of the engine.

Tolerance of the gradient checks (float64, eps = 1e-6, central differences):
truncation error is O(eps^2 * |f'''|) ~ 1e-12 and round-off is O(u * |L| / eps)
~ 1e-16 * |L| / 1e-6 = 1e-10 * |L|, so a correct gradient agrees to ~1e-9
relative (measured: <= ~1e-8 on these networks). We allow
|num - ana| <= 1e-7 * max|num| + 1e-8 * max(1, |L|) per parameter block, 100x
above what a correct gradient shows and far below any real bug (a wrong factor
of N or 2, a missing g', a transpose: relative errors of 1e-2 .. 1).
"""
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solutions import (accuracy, backward, binary_cross_entropy, count_params,
                       cross_entropy, forward, get_activation, identity_mse_grad,
                       init_params, layer_shapes, leaky_relu, leaky_relu_prime,
                       loss_grad, loss_value, neuron, numerical_gradient, one_hot,
                       perceptron, perceptron_train, predict, relu, relu_prime,
                       sigmoid, sigmoid_bce_grad, sigmoid_mse_grad, sigmoid_prime,
                       softmax, softmax_cross_entropy_grad, softmax_jacobian, spirals,
                       squared_error, step, tanh, tanh_prime, train, two_moons, xor,
                       xor_network)
from solutions.network import output_delta

EPS = 1e-6
RTOL, ATOL = 1e-7, 1e-8           # see the module docstring
RELU_MARGIN = 1e-3                # every ReLU pre-activation has |Z| > this
HIDDEN = ["sigmoid", "tanh", "relu", "leaky_relu"]
# Every output/loss pair the engine's output_delta handles on its domain: the three
# matched pairs (delta = (A - Y) / N) and the non-matched ones (chain rule through
# the output's Jacobian). identity + (binary) cross-entropy is excluded: log of a
# negative output is not a loss.
PAIRS = [("softmax", "cross_entropy"), ("sigmoid", "binary_cross_entropy"),
         ("identity", "mse"), ("sigmoid", "mse"), ("softmax", "mse"),
         ("softmax", "binary_cross_entropy"), ("sigmoid", "cross_entropy")]

HYPOTHESIS = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                      suppress_health_check=[HealthCheck.too_slow])


def central_diff(f, x, eps=EPS):
    """(f(x + eps e_i) - f(x - eps e_i)) / 2 eps for every entry of x (restored)."""
    grad = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        f_plus = f()
        x[i] = old - eps
        f_minus = f()
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def assert_grad_close(num, ana, what, loss=1.0):
    """The block check of the module docstring, with a message naming the block."""
    num, ana = np.asarray(num, dtype=np.float64), np.asarray(ana, dtype=np.float64)
    assert ana.shape == num.shape, f"{what}: shape {ana.shape}, expected {num.shape}"
    err = np.max(np.abs(num - ana), initial=0.0)
    bound = RTOL * np.max(np.abs(num), initial=0.0) + ATOL * max(1.0, abs(loss))
    assert err <= bound, (f"{what}: max |numerical - analytic| = {err:.3e} > {bound:.3e}\n"
                          f"numerical:\n{num}\nanalytic:\n{ana}")


def targets(rng, N, K, output, loss):
    """Valid targets for the pair: one-hot or probability rows for softmax +
    cross-entropy (the (A - Y)/N shortcut needs rows that sum to 1), values in
    [0, 1] for the sigmoid/BCE losses, anything real for identity + MSE."""
    if loss == "cross_entropy":
        if rng.random() < 0.5:
            return one_hot(rng.integers(0, K, size=N), K)
        return rng.dirichlet(np.ones(K), size=N)
    if output == "identity":
        return rng.normal(size=(N, K))
    if rng.random() < 0.5:
        return rng.integers(0, 2, size=(N, K)).astype(float)
    return rng.random((N, K))


def keep_relu_away_from_kink(params, X, hidden):
    """Shift hidden biases so that every hidden |Z| > RELU_MARGIN (in place).

    Layer by layer: a unit whose pre-activations come close to 0 for some sample
    gets its bias moved by the smallest multiple of 0.01 that clears them all.
    A finite-difference step of 1e-6 then never crosses the kink.
    """
    if hidden not in ("relu", "leaky_relu"):
        return
    g = get_activation(hidden)[0]
    A = X
    for W, b in params[:-1]:
        Z = A @ W.T + b
        for j in range(Z.shape[1]):
            shift = next(s for s in 0.01 * np.array([0, 1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 6, -6,
                                                     7, -7, 8, -8, 9, -9, 10, -10, 11, -11])
                         if np.min(np.abs(Z[:, j] + s)) > 2 * RELU_MARGIN)
            b[j] += shift
        Z = A @ W.T + b
        assert np.min(np.abs(Z)) > RELU_MARGIN
        A = g(Z)


@st.composite
def networks(draw):
    depth = draw(st.integers(1, 4))                          # L = number of layers
    output, loss = draw(st.sampled_from(PAIRS))
    widths = [draw(st.integers(1, 8)) for _ in range(depth)]  # n_0 .. n_{L-1}
    n_out = draw(st.integers(2 if output == "softmax" else 1, 8))
    sizes = widths + [n_out] if depth > 1 else [widths[0], n_out]
    return dict(sizes=sizes, hidden=draw(st.sampled_from(HIDDEN)), output=output,
                loss=loss, N=draw(st.sampled_from([1, 1, 2, 3, 5, 8])),
                seed=draw(st.integers(0, 2**32 - 1)))


def build(net):
    """(params with random non-zero biases, X, Y) for a drawn network."""
    rng = np.random.default_rng(net["seed"])
    params = [(W, rng.normal(scale=0.5, size=b.shape))
              for W, b in init_params(net["sizes"], rng)]
    X = rng.normal(size=(net["N"], net["sizes"][0]))
    Y = targets(rng, net["N"], net["sizes"][-1], net["output"], net["loss"])
    keep_relu_away_from_kink(params, X, net["hidden"])
    return params, X, Y


# --------------------------------------------------------------------------- backward

@HYPOTHESIS
@given(networks())
def test_backward_matches_central_differences_on_random_networks(net):
    params, X, Y = build(net)
    hidden, output, loss = net["hidden"], net["output"], net["loss"]

    def L():
        return loss_value(forward(params, X, hidden, output)[0], Y, loss)

    A, cache = forward(params, X, hidden, output)
    grads = backward(params, cache, Y, hidden, output, loss)
    assert len(grads) == len(params)
    for l, ((W, b), (dW, db)) in enumerate(zip(params, grads), start=1):
        where = f"{net} layer {l}"
        assert_grad_close(central_diff(L, W), dW, f"dW[{l}] of {where}", L())
        assert_grad_close(central_diff(L, b), db, f"db[{l}] of {where}", L())


@pytest.mark.parametrize("output, loss", PAIRS)
def test_output_delta_is_dL_dZ_for_every_pair(output, loss):
    rng = np.random.default_rng(7)
    N, K = 4, 3
    Z = rng.normal(size=(N, K))
    Y = targets(rng, N, K, output, loss)
    out = {"softmax": softmax, "sigmoid": sigmoid, "identity": lambda z: z}[output]
    num = central_diff(lambda: loss_value(out(Z), Y, loss), Z)
    assert_grad_close(num, output_delta(Z, out(Z), Y, output, loss), f"dZ of {output}+{loss}")


def test_backward_accepts_a_single_sample_as_a_1d_vector():
    rng = np.random.default_rng(3)
    params = [(W, rng.normal(size=b.shape)) for W, b in init_params([3, 4, 2], rng)]
    x, y = rng.normal(size=3), np.array([0.0, 1.0])
    A, cache = forward(params, x, "tanh", "softmax")
    assert A.shape == (1, 2)
    grads = backward(params, cache, y, "tanh", "softmax")
    num = central_diff(lambda: cross_entropy(forward(params, x, "tanh")[0], y), params[0][0])
    assert_grad_close(num, grads[0][0], "dW[1] with N = 1 given as 1-D")


def test_backward_at_relu_kink_uses_relu_prime_zero():
    """At Z = 0 exactly ReLU has no derivative; the engine uses 0 (PyTorch's choice):
    with X = 0 and b^[1] = 0 every hidden unit sits at its kink, so no gradient
    reaches layer 1 and dW^[2] is 0 (a^[1] = relu(0) = 0)."""
    W1, W2 = np.ones((3, 2)), np.ones((2, 3))
    params = [(W1, np.zeros(3)), (W2, np.zeros(2))]
    A, cache = forward(params, np.zeros((1, 2)), "relu", "softmax")
    (dW1, db1), (dW2, db2) = backward(params, cache, np.array([[1.0, 0.0]]), "relu")
    assert np.all(db1 == 0) and np.all(dW1 == 0) and np.all(dW2 == 0)
    np.testing.assert_allclose(db2, [-0.5, 0.5], atol=1e-15)  # softmax(0, 0) - y


# ------------------------------------------------------------------ the *_grad helpers

def _zy(rng, shape):
    return rng.normal(scale=2.0, size=shape), rng.random(shape)


@pytest.mark.parametrize("shape", [(5,), (1, 4), (6, 3)], ids=["1-D sample", "N=1", "N=6"])
def test_grad_helpers_match_finite_differences_of_their_loss(shape):
    rng = np.random.default_rng(11)
    z, y = _zy(rng, shape)
    onehot = one_hot(rng.integers(0, shape[-1], size=int(np.prod(shape[:-1]))), shape[-1])
    onehot = onehot.reshape(shape)
    cases = {
        "softmax_cross_entropy_grad": (softmax_cross_entropy_grad, onehot,
                                       lambda: cross_entropy(softmax(z), onehot)),
        "sigmoid_bce_grad": (sigmoid_bce_grad, y,
                             lambda: binary_cross_entropy(sigmoid(z), y)),
        "sigmoid_mse_grad": (sigmoid_mse_grad, y, lambda: squared_error(sigmoid(z), y)),
        "identity_mse_grad": (identity_mse_grad, y, lambda: squared_error(z, y)),
    }
    for name, (grad, target, L) in cases.items():
        assert_grad_close(central_diff(L, z), grad(z, target), f"{name} at shape {shape}")


@pytest.mark.parametrize("loss", ["cross_entropy", "binary_cross_entropy", "mse"])
@pytest.mark.parametrize("N", [1, 4])
def test_loss_grad_is_dL_dA(loss, N):
    rng = np.random.default_rng(N)
    A = rng.uniform(0.05, 0.95, size=(N, 3))
    Y = one_hot(rng.integers(0, 3, size=N), 3) if loss == "cross_entropy" else rng.random((N, 3))
    num = central_diff(lambda: loss_value(A, Y, loss), A)
    assert_grad_close(num, loss_grad(A, Y, loss), f"loss_grad({loss}) N={N}")


def test_loss_is_a_mean_over_the_batch_of_per_sample_sums():
    """Closed forms: duplicating the batch leaves every loss unchanged, and a batch
    of one equals the lectures' single-sample loss."""
    A = np.array([[0.2, 0.7, 0.1]])
    Y = np.array([[0.0, 1.0, 0.0]])
    assert cross_entropy(A, Y) == pytest.approx(-np.log(0.7), rel=1e-15)
    assert squared_error(A, Y) == pytest.approx(0.5 * (0.04 + 0.09 + 0.01), rel=1e-15)
    assert binary_cross_entropy(A, Y) == pytest.approx(
        -(np.log(0.8) + np.log(0.7) + np.log(0.9)), rel=1e-15)
    for loss in ("cross_entropy", "binary_cross_entropy", "mse"):
        assert loss_value(np.vstack([A, A]), np.vstack([Y, Y]), loss) == pytest.approx(
            loss_value(A, Y, loss), rel=1e-15)


# ------------------------------------------------------------------------ activations

# Grid for the derivative checks; it avoids z = 0 where ReLU and leaky ReLU have a kink.
Z_GRID = np.array([-6.0, -2.5, -1.0, -0.3, -0.01, 0.02, 0.4, 1.0, 3.0, 7.0])


@pytest.mark.parametrize("g, g_prime", [
    (sigmoid, sigmoid_prime), (tanh, tanh_prime), (relu, relu_prime),
    (leaky_relu, leaky_relu_prime),
    (lambda z: leaky_relu(z, alpha=0.2), lambda z: leaky_relu_prime(z, alpha=0.2)),
], ids=["sigmoid", "tanh", "relu", "leaky_relu", "leaky_relu(alpha=0.2)"])
def test_activation_derivatives_match_finite_differences(g, g_prime):
    z = Z_GRID.copy()
    num = np.array([(g(np.array(zi + EPS)) - g(np.array(zi - EPS))) / (2 * EPS) for zi in z])
    # elementwise: |err| ~ 1e-10 here; 1e-8 absolute is the module's bound for O(1) values
    np.testing.assert_allclose(g_prime(z), num, rtol=1e-7, atol=1e-8)


def test_activations_closed_forms():
    z = np.linspace(-5, 5, 11)
    np.testing.assert_allclose(sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-15)
    np.testing.assert_allclose(tanh(z), 2 * sigmoid(2 * z) - 1, atol=1e-15)
    np.testing.assert_array_equal(relu(z), np.where(z > 0, z, 0.0))
    np.testing.assert_array_equal(leaky_relu(z, 0.1), np.where(z > 0, z, 0.1 * z))
    assert sigmoid_prime(0.0) == 0.25 and tanh_prime(0.0) == 1.0
    assert sigmoid(np.zeros((2, 3))).shape == (2, 3)


def test_relu_prime_at_zero_is_zero_and_step_at_zero_is_zero():
    assert relu_prime(0.0) == 0.0 and relu_prime(np.array([0.0, -0.0]))[1] == 0.0
    assert step(0.0) == 0.0
    np.testing.assert_array_equal(step(np.array([-1e-300, 0.0, 1e-300])), [0.0, 0.0, 1.0])
    np.testing.assert_array_equal(relu_prime(np.array([-1e-300, 1e-300])), [0.0, 1.0])
    # leaky ReLU at 0: the slope alpha (the value PyTorch's autograd also uses)
    assert leaky_relu_prime(0.0, alpha=0.3) == pytest.approx(0.3)


def test_softmax_jacobian_matches_finite_differences_and_is_symmetric():
    z = np.array([0.5, -1.2, 2.0, 0.1, -0.4])
    num = np.column_stack([central_diff(lambda: softmax(z)[i], z) for i in range(z.size)]).T
    J = softmax_jacobian(z)
    assert_grad_close(num, J, "softmax_jacobian")   # J[i, j] = d s_i / d z_j
    np.testing.assert_allclose(J, J.T, atol=1e-17)
    np.testing.assert_allclose(J.sum(axis=1), 0.0, atol=1e-16)


def test_softmax_rows_are_distributions_and_shift_invariant():
    Z = np.random.default_rng(0).normal(size=(4, 5))
    S = softmax(Z)
    np.testing.assert_allclose(S.sum(axis=1), 1.0, rtol=1e-15)
    np.testing.assert_allclose(softmax(Z + 123.0), S, rtol=1e-12)
    np.testing.assert_allclose(softmax(Z[2]), S[2], rtol=1e-15)  # 1-D = one row


# ------------------------------------------------------------ extreme inputs, no warnings

def test_sigmoid_and_softmax_at_huge_inputs_are_exact_with_no_warnings():
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        s = sigmoid(np.array([-1000.0, 1000.0]))
        np.testing.assert_array_equal(s, [0.0, 1.0])
        np.testing.assert_array_equal(sigmoid(np.array([-1000.0, 1000.0], np.float32)), [0, 1])
        np.testing.assert_array_equal(sigmoid_prime(np.array([-1000.0, 1000.0])), [0.0, 0.0])
        np.testing.assert_array_equal(softmax(np.array([1e4, 0.0, -1e4])), [1.0, 0.0, 0.0])
        # z - max(z) is exact here, so softmax at 1e4 equals softmax at the shifted logits
        np.testing.assert_array_equal(softmax(np.array([[1e4, 1e4 - 1.0]])),
                                      softmax(np.array([[1.0, 0.0]])))
        np.testing.assert_allclose(softmax(np.array([1e4, 1e4 - 1.0])),
                                   [1 / (1 + np.exp(-1.0)), 1 / (1 + np.exp(1.0))], rtol=1e-15)
        assert np.all(np.isfinite(tanh(np.array([-1000.0, 1000.0]))))


# --------------------------------------------------------------------- numerical_gradient

def test_numerical_gradient_matches_a_closed_form_and_restores_x_exactly():
    x = np.array([[0.1, -0.7, 1.3], [2.0, 1e-3, -5.5]])
    x_before = x.copy()
    seen = []

    def f(v):
        seen.append(v.copy())
        return np.sum(v ** 3) + v[0, 0] * v[1, 2]

    g = numerical_gradient(f, x)
    closed = 3 * x_before ** 2
    closed[0, 0] += x_before[1, 2]
    closed[1, 2] += x_before[0, 0]
    np.testing.assert_allclose(g, closed, rtol=1e-7, atol=1e-8)
    assert x.tobytes() == x_before.tobytes(), "x not restored bit for bit"
    assert len(seen) == 2 * x.size
    changed = [np.argwhere(s != x_before) for s in seen]
    assert all(len(c) == 1 for c in changed), "exactly one entry is perturbed per call"


# --------------------------------------------------------------------------- float32

@pytest.mark.parametrize("hidden", HIDDEN)
def test_float32_inputs_give_float32_forward_and_close_gradients(hidden):
    rng = np.random.default_rng(5)
    params64 = [(W, rng.normal(scale=0.3, size=b.shape)) for W, b in init_params([4, 6, 3], rng)]
    X64 = rng.normal(size=(5, 4))
    Y = one_hot([0, 2, 1, 1, 0], 3)
    keep_relu_away_from_kink(params64, X64, hidden)
    params32 = [(W.astype(np.float32), b.astype(np.float32)) for W, b in params64]
    X32 = X64.astype(np.float32)

    A32, cache32 = forward(params32, X32, hidden)
    A64, cache64 = forward(params64, X64, hidden)
    assert A32.dtype == np.float32, "a float32 forward pass should stay float32"
    np.testing.assert_allclose(A32, A64, rtol=1e-5, atol=1e-6)   # float32: u = 6e-8
    g32 = backward(params32, cache32, Y.astype(np.float32), hidden)
    g64 = backward(params64, cache64, Y, hidden)
    for (dW32, db32), (dW64, db64) in zip(g32, g64):
        assert dW32.dtype in (np.float32, np.float64) and db32.dtype in (np.float32, np.float64)
        np.testing.assert_allclose(dW32, dW64, rtol=1e-4, atol=1e-6)
        np.testing.assert_allclose(db32, db64, rtol=1e-4, atol=1e-6)
    for f in (sigmoid, tanh, relu, leaky_relu, softmax, sigmoid_prime, tanh_prime):
        assert f(X32).dtype == np.float32, f.__name__


def test_integer_inputs_are_promoted_to_float64():
    assert sigmoid(np.array([0, 1])).dtype == np.float64
    assert softmax(np.array([1, 2])).dtype == np.float64
    assert relu(np.array([-1, 2])).dtype == np.float64


# ----------------------------------------------------------------------- bad names

@pytest.mark.parametrize("call, bad", [
    (lambda: get_activation("sigmoidd"), "sigmoidd"),
    (lambda: forward(init_params([2, 2], 0), np.ones((1, 2)), hidden="Relu"), "Relu"),
    (lambda: forward(init_params([2, 3, 2], 0), np.ones((1, 2)), output="tanhh"), "tanhh"),
    (lambda: loss_value(np.ones((1, 2)) / 2, np.ones((1, 2)), loss="ce"), "ce"),
    (lambda: loss_grad(np.ones((1, 2)) / 2, np.ones((1, 2)), loss="l2"), "l2"),
    (lambda: neuron(np.ones(2), np.ones(2), 0.0, "sigmod"), "sigmod"),
    (lambda: get_activation(None), "None"),
])
def test_bad_names_raise_value_error_naming_the_bad_value_and_the_choices(call, bad):
    with pytest.raises(ValueError, match=rf"unknown \w+ .*{bad}.*expected one of") as info:
        call()
    assert "sigmoid" in str(info.value) or "cross_entropy" in str(info.value)


def test_backward_with_a_bad_loss_name_raises_value_error():
    params = init_params([2, 3, 2], 0)
    A, cache = forward(params, np.ones((1, 2)), "sigmoid", "sigmoid")
    with pytest.raises(ValueError, match="unknown loss 'l1'"):
        backward(params, cache, np.ones((1, 2)), "sigmoid", "sigmoid", loss="l1")


# ------------------------------------------------------------------- network utilities

def test_layer_shapes_count_params_and_init_follow_the_notation():
    sizes = [5, 7, 4, 3]
    assert layer_shapes(sizes) == [((7, 5), (7,)), ((4, 7), (4,)), ((3, 4), (3,))]
    assert count_params(sizes) == sum(o * i + o for i, o in zip(sizes[:-1], sizes[1:]))
    p1, p2 = init_params(sizes, 42), init_params(sizes, np.random.default_rng(42))
    for (W1, b1), (W2, b2), ((r, c), _) in zip(p1, p2, layer_shapes(sizes)):
        assert W1.shape == (r, c) and b1.shape == (r,) and W1.dtype == np.float64
        np.testing.assert_array_equal(W1, W2)       # same seed, same params
        assert np.all(b1 == 0)
    big = init_params([400, 300], 0)[0][0]           # W ~ N(0, 1 / n_in)
    assert big.std() == pytest.approx(1 / np.sqrt(400), rel=0.02)


def test_forward_cache_is_indexed_by_layer():
    params = init_params([3, 4, 2], 1)
    X = np.random.default_rng(1).normal(size=(6, 3))
    A, cache = forward(params, X, "tanh", "softmax")
    assert cache["Z"][0] is None and np.array_equal(cache["A"][0], X)
    np.testing.assert_allclose(cache["Z"][1], X @ params[0][0].T + params[0][1], rtol=1e-15)
    np.testing.assert_allclose(cache["A"][1], np.tanh(cache["Z"][1]), rtol=1e-15)
    assert A is cache["A"][2] and A.shape == (6, 2)


# ------------------------------------------------------------------------ training

def test_train_full_batch_decreases_the_loss_and_learns_xor():
    X, y = xor()
    params = init_params([2, 4, 2], np.random.default_rng(0))
    trained, losses = train(params, X, one_hot(y, 2), lr=1.0, epochs=2000, hidden="tanh")
    A0, _ = forward(params, X, "tanh")
    assert losses[0] == pytest.approx(cross_entropy(A0, one_hot(y, 2)), rel=1e-15)
    assert len(losses) == 2000
    assert losses[-1] < 0.05 * losses[0], f"loss {losses[0]:.3f} -> {losses[-1]:.3f}"
    assert np.all(np.diff(losses[:50]) < 0), "small-step GD should decrease the loss"
    assert accuracy(predict(trained, X, "tanh"), y) == 1.0


def test_train_mini_batch_makes_one_step_per_batch_in_the_rngs_order():
    X, y = spirals(n_per_class=20, classes=3, rng=0)
    Y = one_hot(y, 3)
    params = init_params([2, 16, 3], 0)
    trained, losses = train(params, X, Y, lr=0.5, epochs=3, hidden="relu",
                            batch_size=16, rng=123)
    # the same loop written out: shuffle with the same rng, one gd step per mini-batch
    rng, p = np.random.default_rng(123), params
    for _ in range(3):
        order = rng.permutation(len(X))
        for start in range(0, len(X), 16):
            idx = order[start:start + 16]
            _, cache = forward(p, X[idx], "relu")
            grads = backward(p, cache, Y[idx], "relu")
            p = [(W - 0.5 * dW, b - 0.5 * db) for (W, b), (dW, db) in zip(p, grads)]
    for (W, b), (Wr, br) in zip(trained, p):
        np.testing.assert_allclose(W, Wr, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(b, br, rtol=1e-12, atol=1e-14)
    full, _ = train(params, X, Y, lr=0.5, epochs=3, hidden="relu")
    assert not np.allclose(full[0][0], trained[0][0]), "mini-batches should differ from full batch"


def test_train_mini_batch_decreases_the_loss_on_two_moons():
    X, y = two_moons(200, noise=0.1, rng=1)
    params = init_params([2, 16, 2], 2)
    trained, losses = train(params, X, one_hot(y, 2), lr=0.5, epochs=60, hidden="tanh",
                            batch_size=20, rng=0)
    assert losses[-1] < 0.5 * losses[0], f"loss {losses[0]:.3f} -> {losses[-1]:.3f}"
    assert accuracy(predict(trained, X, "tanh"), y) > 0.85


def test_train_does_not_modify_the_params_it_is_given():
    params = init_params([2, 3, 2], 0)
    before = [(W.copy(), b.copy()) for W, b in params]
    X, y = xor()
    train(params, X, one_hot(y, 2), lr=1.0, epochs=5)
    for (W, b), (W0, b0) in zip(params, before):
        assert np.array_equal(W, W0) and np.array_equal(b, b0)


def test_train_records_the_true_loss_for_1d_targets_of_a_single_sigmoid_output():
    X, y = xor()
    params = init_params([2, 4, 1], 0)
    A, _ = forward(params, X, "tanh", "sigmoid")
    expected = squared_error(A, y.reshape(-1, 1).astype(float))  # the mean of 1/2 (a - y)^2
    _, losses = train(params, X, y, lr=0.1, epochs=1, hidden="tanh", output="sigmoid",
                      loss="mse")
    assert losses[0] == pytest.approx(expected, rel=1e-12)


# --------------------------------------------------------------- predict and accuracy

def test_predict_softmax_is_the_argmax_and_sigmoid_thresholds_at_one_half():
    X = np.array([[3.0, -1.0], [0.2, 0.9], [-2.0, -3.0]])
    ident = [(np.eye(2), np.zeros(2))]                # Z = X: argmax of the rows
    np.testing.assert_array_equal(predict(ident, X, output="softmax"), [0, 1, 0])
    one = [(np.array([[1.0, 0.0]]), np.zeros(1))]     # z = x1: label 1 iff x1 > 0
    np.testing.assert_array_equal(predict(one, X, output="sigmoid"), [1, 1, 0])
    np.testing.assert_allclose(predict(ident, X, output="identity"), X)


def test_accuracy_on_labels_and_one_hot_rows():
    assert accuracy([0, 1, 2, 2], [0, 1, 1, 2]) == 0.75
    assert accuracy(np.array([1, 0]), one_hot([1, 1], 2)) == 0.5
    assert accuracy(one_hot([2, 0, 1], 3), np.array([2, 0, 0])) == pytest.approx(2 / 3)


# ------------------------------------------------------------ perceptron and XOR by hand

TRUTH = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)


@pytest.mark.parametrize("gate, y", [("AND", [0, 0, 0, 1]), ("OR", [0, 1, 1, 1])])
def test_perceptron_train_converges_on_linearly_separable_gates(gate, y):
    w, b, errors = perceptron_train(TRUTH, np.array(y), lr=1.0, epochs=20)
    assert errors[-1] == 0 and errors[0] > 0, f"{gate}: errors per epoch {errors}"
    assert len(errors) == 20
    first_clean = errors.index(0)
    assert all(e == 0 for e in errors[first_clean:]), "no update once every sample is right"
    np.testing.assert_array_equal(perceptron(TRUTH, w, b), y)


def test_perceptron_train_never_reaches_zero_errors_on_xor():
    """XOR is not linearly separable (Minsky and Papert), so every epoch errs."""
    for lr in (0.1, 1.0):
        _, _, errors = perceptron_train(TRUTH, np.array([0, 1, 1, 0]), lr=lr, epochs=100)
        assert min(errors) >= 1, errors


def test_perceptron_and_neuron_compute_g_of_w_dot_x_plus_b():
    w, b = np.array([0.5, -1.0]), 0.25
    x = np.array([2.0, 1.0])                           # w.x + b = 0.25
    assert perceptron(x, w, b) == 1.0 and perceptron(x, w, -0.25) == 0.0  # step(0) = 0
    assert neuron(x, w, b, "sigmoid") == pytest.approx(1 / (1 + np.exp(-0.25)), rel=1e-15)
    assert neuron(x, w, b, np.tanh) == pytest.approx(np.tanh(0.25), rel=1e-15)


def test_xor_network_reproduces_the_truth_table():
    np.testing.assert_array_equal(xor_network(TRUTH), [0, 1, 1, 0])
    assert xor_network(np.array([1.0, 0.0])).tolist() == [1.0]


# --------------------------------------------------------------------------- datasets

def test_xor_dataset():
    X, y = xor()
    assert X.shape == (4, 2) and X.dtype == np.float64 and y.shape == (4,)
    np.testing.assert_array_equal(y, np.logical_xor(X[:, 0], X[:, 1]).astype(int))


@pytest.mark.parametrize("n", [200, 51])
def test_two_moons_shapes_labels_and_determinism(n):
    X, y = two_moons(n, rng=3)
    assert X.shape == (n, 2) and y.shape == (n,)
    assert set(np.unique(y)) == {0, 1} and np.sum(y == 0) == n // 2
    X2, y2 = two_moons(n, rng=3)
    np.testing.assert_array_equal(X, X2)
    Xc, _ = two_moons(n, noise=0.0)
    # noiseless: class 0 lies on the unit upper half-circle centred at the origin
    np.testing.assert_allclose(np.hypot(*Xc[y == 0].T), 1.0, rtol=1e-12)


def test_spirals_shapes_labels_and_determinism():
    X, y = spirals(n_per_class=30, classes=4, rng=0)
    assert X.shape == (120, 2) and y.shape == (120,)
    np.testing.assert_array_equal(np.bincount(y), [30] * 4)
    assert np.all(np.hypot(*X.T) <= 1.0 + 1e-12)      # radius r in [0, 1]
    np.testing.assert_array_equal(X, spirals(n_per_class=30, classes=4, rng=0)[0])


def test_one_hot():
    Y = one_hot([2, 0, 1, 2])
    assert Y.shape == (4, 3) and Y.dtype == np.float64
    np.testing.assert_array_equal(Y.sum(axis=1), 1.0)
    np.testing.assert_array_equal(Y.argmax(axis=1), [2, 0, 1, 2])
    assert one_hot([0, 1], K=5).shape == (2, 5)
