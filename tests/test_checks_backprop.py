"""The visible checks of notebook 05 (numerical_gradient, backward, gd_step, train):
the engine passes; the mistakes the hidden cases name are caught and named here too,
with the same wording (tests/test_cases_backprop.py holds the hidden side)."""
import numpy as np
import pytest

import solutions as S
from grader.checks import backprop as B
from grader.checks.compare import REVERSED_CAUSE
from tests.helpers import fails
from tests.test_cases_backprop import (_gd_in_place, _gd_list_in_place, _gd_scales_grads,
                                       _gd_weights_in_place, _not_restored,
                                       _not_restored_on_a_copy, _restored_at_the_end,
                                       _restored_by_arithmetic, _train_frozen, _train_passing)


def cause_of(message):
    return next(line for line in message.splitlines() if line.startswith("  likely cause: "))


def test_engine_passes_every_check(capsys):
    B.check_numerical_gradient(S.numerical_gradient)
    B.check_backward(S.backward, S.forward, S.ACTIVATIONS)
    B.check_gd_step(S.gd_step)
    B.check_train(S.train, S.forward)
    out = capsys.readouterr()
    assert out.out.count("✔") == 4 and out.err == ""


def test_the_tanh_vectors_are_the_engines():
    params, losses = S.train(B.P0, B.X0, B.Y0, 0.5, 5, "tanh")
    np.testing.assert_allclose(losses, B.TANH_LOSSES, rtol=1e-13)
    for (W, b), (eW, eb) in zip(params, B.TANH_TRAINED):
        np.testing.assert_allclose(W, eW, rtol=1e-13)
        np.testing.assert_allclose(b, eb, rtol=1e-13)
    for fn, expected in ((_train_passing(None, "on"), B.TANH_FORWARD_SIGMOID),
                         (_train_passing("on", None), B.TANH_BACKWARD_SIGMOID)):
        np.testing.assert_allclose(fn(B.P0, B.X0, B.Y0, 0.5, 5, "tanh")[1], expected, rtol=1e-13)


@pytest.mark.parametrize("fn, first, cause", [
    (_not_restored, "✘ numerical_gradient: the result: 2 of 3 entries differ", B.NOT_RESTORED),
    (_not_restored_on_a_copy, "✘ numerical_gradient: the result: 2 of 3 entries differ",
     B.NOT_RESTORED),
    (_restored_at_the_end, "✘ numerical_gradient: x was not restored after the call",
     B.X_CHANGED),
    (_restored_by_arithmetic, "✘ numerical_gradient: x was not restored after the call",
     B.X_CHANGED),
])
def test_numerical_gradient_that_does_not_restore_x_is_named(fn, first, cause):
    message = fails(B.check_numerical_gradient, fn, match="✘")
    assert message.splitlines()[0] == first
    assert cause_of(message) == "  likely cause: " + cause


def test_backward_in_reverse_order_is_named():
    def backward(params, cache, Y, hidden="sigmoid"):
        return S.backward(params, cache, Y, hidden)[::-1]
    message = fails(B.check_backward, backward, S.forward, S.ACTIVATIONS, match="reverse order")
    assert message.splitlines()[0] == "✘ backward: the result lists the layers in reverse order"
    assert cause_of(message) == "  likely cause: " + REVERSED_CAUSE


@pytest.mark.parametrize("fn, first, cause", [
    (_gd_in_place, "✘ gd_step: params after the call, W[1]: 6 of 6 entries differ", B.IN_PLACE),
    (_gd_weights_in_place, "✘ gd_step: params after the call, W[1]: 6 of 6 entries differ",
     B.IN_PLACE),
    (_gd_list_in_place, "✘ gd_step: params after the call, W[1]: 6 of 6 entries differ",
     B.IN_PLACE),
    (_gd_scales_grads, "✘ gd_step: grads after the call, dW[1]: 6 of 6 entries differ",
     B.GRADS_IN_PLACE),
])
def test_gd_step_that_changes_its_inputs_is_named(fn, first, cause):
    message = fails(B.check_gd_step, fn, match="after the call")
    assert message.splitlines()[0] == first
    assert cause_of(message) == "  likely cause: " + cause


@pytest.mark.parametrize("fn, case, cause", [
    (_train_passing(None, None), "hidden='tanh'", B.IGNORES_HIDDEN),
    (_train_passing(None, "on"), "hidden='tanh'", B.FORWARD_NO_HIDDEN),
    (_train_passing("on", None), "hidden='tanh'", B.BACKWARD_NO_HIDDEN),
    (_train_frozen, "hidden='sigmoid'", B.FROZEN_LOSSES),
])
def test_train_mistakes_are_named(fn, case, cause):
    message = fails(B.check_train, fn, S.forward, match="✘ train: losses: ")
    assert case in message.splitlines()[1]
    assert cause_of(message) == "  likely cause: " + cause


def test_train_that_passes_hidden_on_passes(capsys):
    B.check_train(_train_passing("on", "on"), S.forward)
    assert "✔ train" in capsys.readouterr().out
