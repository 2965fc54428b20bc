"""Every number the lectures print that the course reuses, recomputed by the engine.

Expected values are the numbers the lectures print (the forward/backward lecture's PyTorch outputs,
the LUMS EE514 slides) or values derived from them, each with a stated tolerance,
named in every test (``ATOL_*``/``RTOL_*``).
Rounding rule of thumb: a value printed to d decimals is within 0.5 * 10^-d of the
truth, so "printed to 4 dp" is checked with atol 1e-4.
The lectures' errata are included where they yield a number: the test computes
both the slide's (wrong) version and the correct one and asserts they differ as
the erratum says.
"""
import numpy as np
import pytest

from solutions import (backward, binary_cross_entropy, count_params, cross_entropy,
                       forward, layer_shapes, loss_grad, loss_value, numerical_gradient,
                       sigmoid, sigmoid_bce_grad, sigmoid_mse_grad, sigmoid_prime, softmax,
                       softmax_cross_entropy_grad, softmax_jacobian, squared_error, tanh)
from solutions.descent import (HESSIAN, descend_until, gradient_descent, quadratic,
                               quadratic_grad)
from solutions.lecture import MLP_X, MLP_Y, NEURON_X, mlp_001, neuron_001
from solutions.worked_222 import (X_222, Y_222, backprop_222, dL_dw1_11, dL_dw2_11,
                                  forward_222, params_222, train_222)


def close(got, expected, atol=0.0, rtol=0.0, what=""):
    np.testing.assert_allclose(got, expected, atol=atol, rtol=rtol,
                               err_msg=f"{what} (atol={atol}, rtol={rtol})")


# ============================================================ 001: softmax and Jacobian

Z_SOFTMAX = np.array([5.0, -2.0, -1.0, 3.0])


def test_001_softmax_of_5_m2_m1_3():
    RTOL = 1e-4  # the slide prints 5 significant digits
    close(softmax(Z_SOFTMAX), [0.878174, 8.00791e-4, 2.17678e-3, 0.118848], rtol=RTOL,
          what="softmax([5, -2, -1, 3])")
    # the printed tensor: tensor([8.7817e-01, 8.0079e-04, 2.1768e-03, 1.1885e-01])
    close(softmax(Z_SOFTMAX), [8.7817e-01, 8.0079e-04, 2.1768e-03, 1.1885e-01], rtol=RTOL)


def test_001_softmax_jacobian_as_printed_symmetric_rows_sum_to_zero():
    ATOL = 1e-7  # tolerance: atol 1e-7 (the slide prints 5 significant digits)
    J = softmax_jacobian(Z_SOFTMAX)
    printed = np.array([[1.0698e-01, -7.0323e-04, -1.9116e-03, -1.0437e-01],
                        [-7.0323e-04, 8.0015e-04, -1.7431e-06, -9.5172e-05],
                        [-1.9116e-03, -1.7431e-06, 2.1720e-03, -2.5871e-04],
                        [-1.0437e-01, -9.5172e-05, -2.5871e-04, 1.0472e-01]])
    close(J[2], [-1.9116e-3, -1.7431e-6, 2.1720e-3, -2.5871e-4], atol=ATOL,
          what="row 2 of the Jacobian (a[2].backward() -> z.grad)")
    # J00 and J33 are given to 6 dp, so they can only hold to half a unit of the
    # 6th dp (J33 = 0.10472314...): atol 5e-7, not the table's 1e-7
    close(J[0, 0], 0.106984, atol=5e-7, what="J00")
    close(J[3, 3], 0.104723, atol=5e-7, what="J33")
    close(J, printed, rtol=1e-4, what="the printed 4x4 Jacobian (5 significant digits)")
    close(J, J.T, atol=ATOL, what="symmetric")
    close(J.sum(axis=1), 0.0, atol=ATOL, what="rows sum to 0")


def test_001_softmax_jacobian_row_2_is_the_gradient_of_a2_by_finite_differences():
    ATOL = 1e-9  # central differences in float64, eps = 1e-6: error ~1e-10
    z = Z_SOFTMAX.copy()
    close(numerical_gradient(lambda v: softmax(v)[2], z), softmax_jacobian(Z_SOFTMAX)[2],
          atol=ATOL, what="d a_2 / dz")


# ========================================================= 001: single and batched neuron

W_SEED1 = np.array([0.7576316, 0.27931088, 0.40306926, 0.73468447, 0.02928156])
B_SEED1 = 0.7998586


def test_001_seed_1_weights_are_the_exact_float32_values():
    ATOL = 1e-7  # the float32 values are given to 8 significant digits
    w, b = neuron_001()
    close(w, W_SEED1, atol=ATOL, what="torch.manual_seed(1); torch.rand(5)")
    close(b, B_SEED1, atol=ATOL, what="torch.rand(1)")
    close(w, [0.7576, 0.2793, 0.4031, 0.7347, 0.0293], atol=5e-5, what="as printed (4 dp)")


def test_001_single_neuron_z_and_a_with_exact_seed_weights():
    ATOL = 1e-4  # tolerance: atol 1e-4 with the exact float32 weights
    w, b = neuron_001()
    z = NEURON_X[0] @ w + b
    close(z, -2.4591, atol=ATOL, what="z = x^T W^T + b")
    close(sigmoid(z), 0.0788, atol=ATOL, what="a = sigma(z)")


def test_001_single_neuron_with_the_printed_4dp_weights_gives_minus_2_4588():
    ATOL = 1e-3  # tolerance: the printed 4-dp weights shift z by 3e-4, so atol 1e-3
    w4 = np.array([0.7576, 0.2793, 0.4031, 0.7347, 0.0293])
    z = NEURON_X[0] @ w4 + 0.7999
    close(z, -2.4588, atol=1e-9, what="z from the 4-dp weights (exact arithmetic)")
    close(z, -2.4591, atol=ATOL, what="still the slide's z within atol 1e-3")
    assert abs(z - (-2.4591)) > 1e-4, "the 4-dp weights do NOT give -2.4591 to 1e-4"


def test_001_batched_neuron():
    ATOL = 1e-3  # tolerance: atol 1e-3
    w, b = neuron_001()
    z = NEURON_X @ w + b
    close(z, [-2.4591, 3.1721, 6.2782], atol=ATOL, what="batched z")
    close(sigmoid(z), [0.0788, 0.9598, 0.9981], atol=ATOL, what="batched a")
    # and the same through the engine's one-layer forward pass (rows = samples)
    A, cache = forward([(w[None, :], np.array([b]))], NEURON_X, output="sigmoid")
    close(cache["Z"][1][:, 0], [-2.4591, 3.1721, 6.2782], atol=ATOL, what="forward Z")
    close(A[:, 0], [0.0788, 0.9598, 0.9981], atol=ATOL, what="forward A")


# ================================================================ 001: the MLP demo (seed 0)

A3_PRINTED = np.array([[0.4358, 0.2137, 0.3505],
                       [0.4785, 0.1890, 0.3325],
                       [0.4795, 0.1882, 0.3324],
                       [0.4797, 0.1880, 0.3323]])
DZ3_PRINTED = np.array([[0.1090, 0.0534, -0.1624],
                        [-0.1304, 0.0473, 0.0831],
                        [0.1199, -0.2030, 0.0831],
                        [0.1199, 0.0470, -0.1669]])
ATOL_4DP = 1e-4  # tolerance: "as printed (atol 1e-4)"; the slides print 4 dp


@pytest.fixture(scope="module")
def mlp():
    params = mlp_001()
    A3, cache = forward(params, MLP_X, hidden="sigmoid", output="softmax")
    return params, A3, cache


def test_001_mlp_shapes_match_the_5_7_4_3_demo(mlp):
    params, A3, _ = mlp
    assert [W.shape for W, _ in params] == [(7, 5), (4, 7), (3, 4)]
    assert MLP_X.shape == (4, 5) and MLP_Y.shape == (4, 3) and A3.shape == (4, 3)
    np.testing.assert_array_equal(MLP_Y.argmax(axis=1), [2, 0, 1, 2])


def test_001_mlp_A3_as_printed_and_rows_sum_to_one(mlp):
    _, A3, _ = mlp
    close(A3, A3_PRINTED, atol=ATOL_4DP, what="A3")
    close(A3.sum(axis=1), 1.0, atol=1e-12, what="softmax rows sum to 1")


def test_001_erratum_the_CE_cell_prints_mean_true_class_probability_not_the_loss(mlp):
    """Erratum B1: ``1/N * torch.sum(Y * A3)`` prints 0.3374; the loss is 1.1394."""
    _, A3, _ = mlp
    N = len(A3)
    slide_cell = np.sum(MLP_Y * A3) / N
    close(slide_cell, 0.3374, atol=ATOL_4DP, what="the slide's 'CE' cell")
    close(slide_cell, (0.3505 + 0.4785 + 0.1882 + 0.3323) / 4, atol=ATOL_4DP,
          what="= mean of the printed true-class probabilities")
    ce = cross_entropy(A3, MLP_Y)
    close(ce, 1.1394, atol=ATOL_4DP, what="the real cross-entropy -1/N sum(Y log A3)")
    close(loss_value(A3, MLP_Y, "cross_entropy"), 1.1394, atol=ATOL_4DP)
    assert abs(ce - slide_cell) > 0.8


def test_001_dL_dA3_is_minus_Y_over_N_A3(mlp):
    _, A3, _ = mlp
    dA = loss_grad(A3, MLP_Y, "cross_entropy")
    close(dA[MLP_Y == 1], [-0.7133, -0.5224, -1.3285, -0.7523], atol=ATOL_4DP,
          what="the non-zeros of A3.grad, row by row")
    assert np.all(dA[MLP_Y == 0] == 0)


def test_001_erratum_dL_dZ3_is_plus_A3_minus_Y_over_N(mlp):
    """Erratum B2: the slide says -(1/N)(A3 - Y); Z3.grad prints +(1/N)(A3 - Y)."""
    params, A3, cache = mlp
    N = len(A3)
    Z3 = cache["Z"][3].copy()
    num = numerical_gradient(lambda z: cross_entropy(softmax(z), MLP_Y), Z3)
    close(num, DZ3_PRINTED, atol=ATOL_4DP, what="finite-difference dL/dZ3 vs printed Z3.grad")
    close(softmax_cross_entropy_grad(cache["Z"][3], MLP_Y), DZ3_PRINTED, atol=ATOL_4DP)
    close(num[0], [0.10895, 0.05343, -0.16238], atol=1e-5, what="row 1, 5 dp")
    slide = -(A3 - MLP_Y) / N
    assert np.max(np.abs(slide - DZ3_PRINTED)) > 0.2, "the slide's sign is wrong"


def test_001_dL_db3(mlp):
    params, A3, cache = mlp
    db3 = backward(params, cache, MLP_Y)[2][1]
    close(db3, [0.2184, -0.0553, -0.1631], atol=ATOL_4DP, what="db3 = column sums of dZ3")


def test_001_mlp_backward_passes_the_finite_difference_check(mlp):
    """Error < 1e-6 (measured: 2e-10). The "error" is the largest
    absolute difference over all 89 parameters; we also bound the relative error
    ||num - ana|| / (||num|| + ||ana||) (CS231n) by the same 1e-6."""
    params, _, cache = mlp
    BOUND = 1e-6
    grads = backward(params, cache, MLP_Y)
    num, ana = [], []
    for (W, b), (dW, db) in zip(params, grads):
        for x, g in ((W, dW), (b, db)):
            num.append(numerical_gradient(
                lambda _: cross_entropy(forward(params, MLP_X)[0], MLP_Y), x).ravel())
            ana.append(g.ravel())
    num, ana = np.concatenate(num), np.concatenate(ana)
    assert num.size == 89
    max_abs = np.max(np.abs(num - ana))
    rel = np.linalg.norm(num - ana) / (np.linalg.norm(num) + np.linalg.norm(ana))
    msg = f"measured max |num - ana| = {max_abs:.2e}, relative {rel:.2e} (bound {BOUND})"
    print(f"001 MLP finite-difference check: {msg}")
    assert max_abs < BOUND and rel < BOUND, msg


# ========================================================================= parameter counts

@pytest.mark.parametrize("sizes, count, shapes", [
    ([5, 7, 4, 3], 89, [(7, 5), (4, 7), (3, 4)]),
    ([3, 4, 3, 1], 35, [(4, 3), (3, 4), (1, 3)]),
    ([2, 2, 2], 12, [(2, 2), (2, 2)]),
])
def test_parameter_counts_and_weight_shapes(sizes, count, shapes):
    # exact (integers)
    assert count_params(sizes) == count
    assert [w for w, _ in layer_shapes(sizes)] == shapes


# ================================================================ 003: the 2-2-2 example

ATOL_222 = 1e-6  # tolerance: atol 1e-6 on the 6-dp values; the slides print 4 dp


def test_003_worked_222_forward():
    z1, a1, z2, a2 = forward_222(X_222, params_222())
    close(z1, [0.3775, 0.3925], atol=ATOL_222, what="z1")
    close(a1, [0.593270, 0.596884], atol=ATOL_222, what="a1")
    close(z2, [1.105906, 1.224921], atol=ATOL_222, what="z2")
    close(a2, [0.751365, 0.772928], atol=ATOL_222, what="a2")
    L = squared_error(a2, Y_222)
    close(L, 0.298371, atol=ATOL_222, what="L = 1/2 ||y_hat - y||^2")
    # the slide's 4-dp values
    close([a1[0], a1[1], z2[0], z2[1], a2[0], a2[1], L],
          [0.5933, 0.5969, 1.106, 1.225, 0.7514, 0.7729, 0.2984], atol=5e-4,
          what="slide values (printed to 3-4 dp)")


def test_003_worked_222_forward_equals_the_row_batch_engine():
    """Column form (003) and row form (the engine) agree: Z_003 = Z^T."""
    A, cache = forward(params_222(), X_222[None, :], hidden="sigmoid", output="sigmoid")
    z1, a1, z2, a2 = forward_222(X_222, params_222())
    close(cache["Z"][1][0], z1, atol=1e-15)
    close(A[0], a2, atol=1e-15)


def test_003_erratum_loss_formula_as_written_gives_0_12625():
    """Erratum B13: 1/2 ||(y1-y1~)^2 - (y2-y2~)^2||^2 = 0.12625 vs the true 0.298371."""
    a2 = forward_222(X_222, params_222())[3]
    d = a2 - Y_222
    wrong = 0.5 * (d[0] ** 2 - d[1] ** 2) ** 2
    close(wrong, 0.12625, atol=1e-5, what="the slide's formula")
    close(0.5 * (d[0] ** 2 + d[1] ** 2), 0.298371, atol=ATOL_222, what="the correct formula")
    close(squared_error(a2, Y_222), 0.298371, atol=ATOL_222)


def test_003_erratum_x_instead_of_a1_gives_0_665_and_0_680():
    """Erratum B14: z^[2] = W^[2] x + b^[2] gives 0.665/0.680, not 1.106/1.225."""
    (_, _), (W2, b2) = params_222()
    close(W2 @ X_222 + b2, [0.665, 0.680], atol=1e-12, what="z2 computed from x (wrong)")
    close(forward_222(X_222, params_222())[2], [1.106, 1.225], atol=5e-4,
          what="z2 computed from a1 (the slide's numbers)")


def test_003_erratum_log_loss_without_brackets_is_negative():
    """Erratum B15: -y log a + (1-y) log(1-a) at y = 0, a = 0.7 is -1.204."""
    y, a = 0.0, 0.7
    wrong = -y * np.log(a) + (1 - y) * np.log(1 - a)
    close(wrong, -1.204, atol=5e-4, what="the slide's formula")
    close(binary_cross_entropy(np.array([a]), np.array([y])), 1.204, atol=5e-4,
          what="-[y log a + (1-y) log(1-a)]")


def test_003_worked_222_output_weight_gradient_factors():
    _, a1, z2, a2 = forward_222(X_222, params_222())
    close(a2[0] - Y_222[0], 0.741365, atol=ATOL_222, what="dL/dy_hat_1")
    close(sigmoid_prime(z2[0]), 0.186816, atol=ATOL_222, what="sigma'(z_1^[2])")
    close(a1[0], 0.593270, atol=ATOL_222, what="dz_1^[2]/dw_11^[2] = a_1^[1]")
    close(dL_dw2_11(X_222, Y_222, params_222()), 0.082167, atol=ATOL_222,
          what="dL/dw_11^[2] = 0.7414 * 0.1868 * 0.5933")


def test_003_worked_222_vectorized_gradients_and_two_path_rule():
    params = params_222()
    (dW1, db1), (dW2, db2) = backprop_222(X_222, Y_222, params)
    close(db2, [0.138499, -0.038098], atol=ATOL_222, what="delta^[2]")
    close(dW2, [[0.082167, 0.082668], [-0.022603, -0.022740]], atol=ATOL_222, what="dL/dW^[2]")
    close(db1, [0.0087714, 0.0099543], atol=ATOL_222, what="delta^[1]")
    close(dW1, [[4.3857e-4, 8.7714e-4], [4.9771e-4, 9.9543e-4]], atol=ATOL_222,
          what="dL/dW^[1]")
    close(dL_dw1_11(X_222, Y_222, params), dW1[0, 0], atol=1e-15, what="two paths = vectorized")
    # the general engine (row batch of one, sigmoid output, 1/2 squared error) agrees
    A, cache = forward(params, X_222[None, :], "sigmoid", "sigmoid")
    grads = backward(params, cache, Y_222[None, :], "sigmoid", "sigmoid", "mse")
    close(grads[0][0], dW1, atol=1e-15)
    close(grads[1][0], dW2, atol=1e-15)


def test_003_worked_222_gradients_by_finite_differences():
    ATOL = 1e-9  # central differences, float64, eps = 1e-6
    params = params_222()
    grads = backprop_222(X_222, Y_222, params)
    for (W, b), (dW, db) in zip(params, grads):
        for x, ana in ((W, dW), (b, db)):
            num = numerical_gradient(
                lambda _: squared_error(forward_222(X_222, params)[3], Y_222), x)
            close(num, ana, atol=ATOL)


def test_003_worked_222_training_reduces_the_loss():
    params, losses = train_222(X_222, Y_222, params_222(), lr=0.5, steps=1000)
    close(losses[0], 0.298371, atol=ATOL_222, what="loss before the first step")
    assert losses[1] < losses[0] and losses[-1] < 1e-3, (losses[1], losses[-1])
    assert np.all(np.diff(losses) < 0)
    # one step by hand: W - 0.5 dW
    p1, _ = train_222(X_222, Y_222, params_222(), lr=0.5, steps=1)
    close(p1[1][0][0, 0], 0.40 - 0.5 * 0.082167, atol=ATOL_222, what="w_11^[2] after one step")


# ====================================================================== 001: GD demo

ATOL_GD = 1e-12  # the iterates of f(x) = x1^2 + x1 x2 + 4 x2^2 are short decimals


def test_001_gd_start_point():
    close(quadratic((3.0, 3.0)), 54.0, atol=ATOL_GD, what="f(3, 3)")
    close(quadratic_grad((3.0, 3.0)), [9.0, 27.0], atol=ATOL_GD, what="grad f(3, 3)")
    close(HESSIAN @ np.array([3.0, 3.0]), [9.0, 27.0], atol=ATOL_GD, what="grad f = H x")
    x = np.array([3.0, 3.0])
    close(numerical_gradient(lambda v: quadratic(v), x), [9.0, 27.0], atol=1e-7)


def test_001_gd_eta_0_1():
    path = gradient_descent(quadratic_grad, (3.0, 3.0), 0.1, 3)
    close(path[1], [2.1, 0.3], atol=ATOL_GD, what="x^1 at eta = 0.1")
    close([quadratic(x) for x in path], [54, 5.4, 2.565, 1.674], atol=1e-9,
          what="f(x^k), eta = 0.1")


def test_001_gd_eta_0_2_zigzags_and_halves_back_to_the_diagonal():
    path = gradient_descent(quadratic_grad, (3.0, 3.0), 0.2, 8)
    close(path[1], [1.2, -2.4], atol=ATOL_GD, what="x^1 at eta = 0.2")
    close(path[2], [1.2, 1.2], atol=ATOL_GD, what="x^2 at eta = 0.2")
    for k in range(5):
        close(path[2 * k], 0.4 ** k * np.array([3.0, 3.0]), atol=1e-12, what=f"x^{2 * k}")
    close([quadratic(x) for x in path[:4]], [54, 21.6, 8.64, 3.456], atol=1e-9,
          what="f(x^k), eta = 0.2")
    assert np.any(np.sign(path[1:, 1]) != np.sign(path[:-1, 1])), "x2 zig-zags"


def test_001_gd_hessian_eigenvalues_step_limits_and_rates():
    ATOL = 1e-4  # printed to 4 dp
    lam = np.linalg.eigvalsh(HESSIAN)
    close(lam, [5 - np.sqrt(10), 5 + np.sqrt(10)], atol=1e-12, what="eigenvalues 5 -/+ sqrt 10")
    close(2 / lam.max(), 0.24503, atol=1e-5, what="divergence threshold 2 / lambda_max")
    close(2 / lam.sum(), 0.2, atol=1e-12, what="optimal fixed step 2 / (lmin + lmax)")

    def rho(eta):  # spectral radius of the iteration matrix I - eta H
        return np.max(np.abs(np.linalg.eigvals(np.eye(2) - eta * HESSIAN)))

    close(rho(0.1), 0.8162, atol=ATOL, what="rate at eta = 0.1")
    close(rho(0.2), 0.6325, atol=ATOL, what="rate at eta = 0.2")
    assert rho(0.25) > 1 and rho(0.3) > 1 and rho(0.24) < 1


def test_001_gd_iterations_to_gradient_norm_below_1e_minus_6():
    # exact counts
    for eta, expected in ((0.1, 76), (0.2, 38)):
        path = descend_until(quadratic, quadratic_grad, (3.0, 3.0), eta, 1e-6, criterion="grad")
        assert len(path) - 1 == expected, f"eta = {eta}: {len(path) - 1} steps"
        assert np.linalg.norm(quadratic_grad(path[-1])) < 1e-6
        assert np.linalg.norm(quadratic_grad(path[-2])) >= 1e-6


def test_001_gd_diverges_at_eta_0_25_and_0_3():
    for eta in (0.25, 0.3):
        path = gradient_descent(quadratic_grad, (3.0, 3.0), eta, 200)
        assert quadratic(path[-1]) > 1e3 * quadratic(path[0]), f"eta = {eta} should diverge"


def test_001_erratum_delta_f_criterion_stops_falsely_at_eta_0_25():
    """Erratum B9: at eta = 0.25, f(x^1) = f(x^0) = 54, so |f(x^1) - f(x^0)| < eps
    "converges" after one step, while the iteration diverges (rho = 1.04)."""
    ATOL = 1e-4
    path = descend_until(quadratic, quadratic_grad, (3.0, 3.0), 0.25, 1e-6, criterion="delta_f")
    assert len(path) == 2, f"should stop after one step, took {len(path) - 1}"
    close(quadratic(path[0]), 54.0, atol=ATOL_GD, what="f(x^0)")
    close(quadratic(path[1]), 54.0, atol=ATOL_GD, what="f(x^1)")
    assert np.linalg.norm(quadratic_grad(path[1])) > 1.0, "x^1 is nowhere near the minimum"
    rho = np.max(np.abs(np.linalg.eigvals(np.eye(2) - 0.25 * HESSIAN)))
    close(rho, 1.04, atol=1e-2, what="spectral radius of I - 0.25 H")
    close(rho, (0.25 * (5 + np.sqrt(10))) - 1, atol=ATOL, what="|1 - eta lambda_max|")


# ====================================================================== identities

def test_identities_sigmoid_prime_at_0_and_tanh_via_sigmoid():
    assert sigmoid_prime(0.0) == 0.25                  # exact
    z = np.linspace(-6, 6, 25)
    close(tanh(z), 2 * sigmoid(2 * z) - 1, atol=1e-15, what="tanh z = 2 sigma(2z) - 1")


def test_identities_output_deltas_are_yhat_minus_y_by_finite_differences():
    ATOL = 1e-6  # tolerance: atol 1e-6 (finite differences)
    rng = np.random.default_rng(0)
    z, y = rng.normal(size=4), np.array([0.0, 1.0, 1.0, 0.0])
    num = numerical_gradient(lambda v: binary_cross_entropy(sigmoid(v), y), z.copy())
    close(num, sigmoid(z) - y, atol=ATOL, what="sigmoid + BCE: delta = y_hat - y")
    yk = np.array([0.0, 0.0, 1.0, 0.0])
    num = numerical_gradient(lambda v: cross_entropy(softmax(v), yk), z.copy())
    close(num, softmax(z) - yk, atol=ATOL, what="softmax + CE: delta = y_hat - y")
    num = numerical_gradient(lambda v: squared_error(sigmoid(v), y), z.copy())
    a = sigmoid(z)
    close(num, (a - y) * a * (1 - a), atol=ATOL, what="sigmoid + MSE: (a - y) a (1 - a)")
    close(sigmoid_mse_grad(z, y), (a - y) * a * (1 - a), atol=1e-15)


def test_002_bce_check_at_the_erratum_point():
    """Erratum B25's check: z = (-2, 0.3, 1.7), y = (0, 1, 1), one sample (no 1/m)."""
    ATOL = 1e-4  # printed to 4 dp
    z, y = np.array([-2.0, 0.3, 1.7]), np.array([0.0, 1.0, 1.0])
    expected = [0.1192, -0.4256, -0.1545]
    close(sigmoid_bce_grad(z, y), expected, atol=ATOL, what="closed form y_hat - y")
    num = numerical_gradient(lambda v: binary_cross_entropy(sigmoid(v), y), z.copy())
    close(num, expected, atol=ATOL, what="finite differences of -sum[y log a + (1-y) log(1-a)]")


def test_002_toy_mse():
    ATOL = 1e-12
    a, y = np.array([0.3, 0.5]), np.array([0.0, 1.0])
    close(squared_error(a, y), 0.17, atol=ATOL, what="L = 1/2 sum (y - a)^2")
    close(loss_grad(a, y, "mse"), [0.3, -0.5], atol=ATOL, what="dL/da = -(y - a)")


def test_004_erratum_square_error_with_a_leading_minus_is_negative():
    """Erratum B19: -(1/N) sum (y - y_hat)^2 at y = (0, 1), y_hat = (0.2, 0.8)."""
    ATOL = 1e-12
    y, yhat = np.array([[0.0, 1.0]]), np.array([[0.2, 0.8]])
    sum_sq = 2 * loss_value(yhat, y, "mse")            # the engine's loss carries 1/2
    close(-sum_sq, -0.08, atol=ATOL, what="the slide's formula")
    close(sum_sq, 0.08, atol=ATOL, what="the correct +(1/N) sum (y - y_hat)^2")
