"""The reference engine against PyTorch autograd, an independent oracle (float64).

PyTorch computes the same functions with its own kernels (its softmax, sigmoid,
leaky ReLU, F.cross_entropy on logits, F.binary_cross_entropy, F.mse_loss) and
differentiates them by reverse-mode autodiff, not by our formulas. In float64 both
sides differ only by rounding: a few ulps per operation, amplified by at most the
depth and width of these small networks (measured: <= 5e-15 relative). We
assert 1e-10 relative to each block's largest entry (with a 1e-14 absolute floor
for blocks that are ~0): >1e4 x slack over the rounding, yet any
mathematical error (a factor of N or 2, a missing term) is >= 1e-3 relative.

torch is optional: without it these tests are skipped, unless REQUIRE_TORCH=1
(as CI sets), in which case the missing oracle is a failure.
"""
import os

import numpy as np
import pytest

from solutions import backward, forward, init_params, loss_value, one_hot
from solutions.lecture import torch_rand


def _import_torch():
    """torch, or skip this module; with REQUIRE_TORCH=1 a missing torch fails."""
    if os.environ.get("REQUIRE_TORCH") == "1":
        try:
            import torch
        except ImportError as exc:
            pytest.fail(f"REQUIRE_TORCH=1 but torch is not importable: {exc!r}; "
                        "install it with `pip install torch==2.13.0`", pytrace=False)
        return torch
    # exc_type=ImportError: a broken install (e.g. a missing shared library) skips
    # too, not only a missing package (pytest >= 8.2 skips only ModuleNotFoundError)
    return pytest.importorskip(
        "torch", exc_type=ImportError,
        reason="torch (the independent autodiff oracle) is not importable; "
               "`pip install torch==2.13.0` (set REQUIRE_TORCH=1 to make this fatal)")


torch = _import_torch()
F = torch.nn.functional

RTOL, ATOL = 1e-10, 1e-14     # see the module docstring
ALPHA = 0.01                  # the engine's leaky ReLU default slope, passed to torch too

PAIRS = [("softmax", "cross_entropy"), ("sigmoid", "binary_cross_entropy"),
         ("identity", "mse"), ("sigmoid", "mse"), ("softmax", "mse"),
         ("softmax", "binary_cross_entropy"), ("sigmoid", "cross_entropy")]
HIDDEN = ["sigmoid", "tanh", "relu", "leaky_relu"]
ARCHS = [[3, 2], [4, 5, 3], [2, 8, 1, 4], [6, 7, 5, 3, 2]]   # depth 1 .. 4


def torch_hidden(name, Z):
    return {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu,
            "leaky_relu": lambda z: F.leaky_relu(z, negative_slope=ALPHA)}[name](Z)


def torch_loss(Z, Y, output, loss):
    """(A, the mean loss) computed by torch's own output functions and losses."""
    N = Z.shape[0]
    A = {"softmax": lambda: torch.softmax(Z, dim=1), "sigmoid": lambda: torch.sigmoid(Z),
         "identity": lambda: Z}[output]()
    if (output, loss) == ("softmax", "cross_entropy"):
        L = F.cross_entropy(Z, Y, reduction="sum") / N           # from logits
    elif loss == "cross_entropy":
        L = -(Y * torch.log(A)).sum() / N
    elif loss == "binary_cross_entropy":
        L = F.binary_cross_entropy(A, Y, reduction="sum") / N
    else:
        L = F.mse_loss(A, Y, reduction="sum") / (2 * N)          # 1/2 sum_k, mean over N
    return A, L


def torch_reference(params, X, Y, hidden, output, loss):
    """A^[L], the loss and [(dW, db), ...] by torch autograd, all float64 numpy."""
    tp = [(torch.tensor(W, dtype=torch.float64, requires_grad=True),
           torch.tensor(b, dtype=torch.float64, requires_grad=True)) for W, b in params]
    A = torch.tensor(X, dtype=torch.float64)
    for l, (W, b) in enumerate(tp, start=1):
        Z = F.linear(A, W, b)                                      # A W^T + b
        if l < len(tp):
            A = torch_hidden(hidden, Z)
    A, L = torch_loss(Z, torch.tensor(Y, dtype=torch.float64), output, loss)
    L.backward()
    grads = [(W.grad.numpy(), b.grad.numpy()) for W, b in tp]
    return A.detach().numpy(), L.item(), grads


def assert_block(got, want, what):
    got, want = np.asarray(got), np.asarray(want)
    assert got.shape == want.shape, f"{what}: shape {got.shape} vs torch {want.shape}"
    err = np.max(np.abs(got - want), initial=0.0)
    bound = RTOL * np.max(np.abs(want), initial=0.0) + ATOL
    assert err <= bound, f"{what}: max |engine - torch| = {err:.2e} > {bound:.2e}"


def make_case(sizes, N, output, loss, seed):
    rng = np.random.default_rng(seed)
    params = [(W, rng.normal(scale=0.5, size=b.shape)) for W, b in init_params(sizes, rng)]
    X = rng.normal(size=(N, sizes[0]))
    K = sizes[-1]
    if loss == "cross_entropy":
        Y = one_hot(rng.integers(0, K, size=N), K)
    elif output == "identity":
        Y = rng.normal(size=(N, K))
    else:
        Y = rng.random((N, K))
    return params, X, Y


@pytest.mark.parametrize("output, loss", PAIRS)
@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize("N", [1, 7])
def test_engine_matches_torch_autograd(hidden, output, loss, N):
    for i, sizes in enumerate(ARCHS):
        if output == "softmax" and sizes[-1] == 1:
            sizes = sizes[:-1] + [2]
        params, X, Y = make_case(sizes, N, output, loss, seed=1000 * i + N)
        A_t, L_t, grads_t = torch_reference(params, X, Y, hidden, output, loss)
        A, cache = forward(params, X, hidden, output)
        where = f"{sizes} {hidden}/{output}+{loss} N={N}"
        assert_block(A, A_t, f"A^[L] of {where}")
        assert_block(loss_value(A, Y, loss), L_t, f"loss of {where}")
        grads = backward(params, cache, Y, hidden, output, loss)
        for l, ((dW, db), (dW_t, db_t)) in enumerate(zip(grads, grads_t), start=1):
            assert_block(dW, dW_t, f"dW[{l}] of {where}")
            assert_block(db, db_t, f"db[{l}] of {where}")


@pytest.mark.parametrize("hidden", ["relu", "leaky_relu"])
def test_kink_convention_matches_torch_at_exactly_zero(hidden):
    """At Z = 0 the engine uses ReLU'(0) = 0 and leaky ReLU'(0) = alpha: torch's choices."""
    params = [(np.array([[1.0, -1.0], [2.0, 0.5], [0.0, 0.0]]), np.zeros(3)),
              (np.array([[1.0, -2.0, 0.5], [0.3, 0.1, -1.0]]), np.array([0.1, -0.2]))]
    X = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, -4.0]])   # rows that put units at Z = 0
    Y = one_hot([0, 1, 1], 2)
    A, cache = forward(params, X, hidden)
    assert np.sum(cache["Z"][1] == 0) >= 4
    _, _, grads_t = torch_reference(params, X, Y, hidden, "softmax", "cross_entropy")
    for l, ((dW, db), (dW_t, db_t)) in enumerate(zip(backward(params, cache, Y, hidden),
                                                     grads_t), start=1):
        assert_block(dW, dW_t, f"dW[{l}] at the kink ({hidden})")
        assert_block(db, db_t, f"db[{l}] at the kink ({hidden})")


def test_torch_rand_seed_1_is_the_lectures_single_neuron():
    torch.manual_seed(1)
    W, b = torch.rand(5), torch.rand(1)
    w_np, b_np = torch_rand(1, (5,), (1,))
    assert w_np.dtype == np.float32
    np.testing.assert_array_equal(w_np, W.numpy())   # exact, bit for bit
    np.testing.assert_array_equal(b_np, b.numpy())


def test_torch_rand_seed_0_is_the_lectures_mlp():
    shapes = [(7, 5), (7,), (4, 7), (4,), (3, 4), (3,)]
    torch.manual_seed(0)
    expected = [torch.rand(*s).numpy() for s in shapes]
    for got, want in zip(torch_rand(0, *shapes), expected):
        assert got.shape == want.shape
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("seed, shapes", [(42, [(3, 3), (10,)]), (2**31 - 1, [(1000,)])])
def test_torch_rand_other_seeds_and_sizes(seed, shapes):
    torch.manual_seed(seed)
    expected = [torch.rand(*s).numpy() for s in shapes]
    for got, want in zip(torch_rand(seed, *shapes), expected):
        np.testing.assert_array_equal(got, want)
