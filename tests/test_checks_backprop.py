"""The visible checks of notebook 05 (numerical_gradient, relative_error, directional_check,
scalar_chain_grad, backward, backward_mse, planted_bug, gd_step, train, minibatches): the
engine passes; the mistakes the hidden cases name are caught and named here too, with the
same wording (tests/test_cases_backprop.py holds the hidden side)."""
import numpy as np
import pytest

import solutions as S
from grader.checks import backprop as B, visible_cases
from grader.checks.backprop import CAUSES
from grader.checks.compare import REVERSED_CAUSE
from grader.checks.numgrad import full_check
from grader.pipeline.assignments import get
from grader.pipeline.cases import backprop as C
from solutions.gradcheck import directional_check, planted_bug, relative_error
from solutions.network import backward_mse, scalar_chain_grad
from solutions.training import minibatches
from tests.helpers import fails, source_notebook
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


def test_the_tanh_case_names_each_way_of_leaving_hidden_out():
    """(The visible vectors are the engine's by construction: the case table computes them.)"""
    tanh = visible_cases("backprop", "train")[1]
    named = {cause for part in C.TRAIN_PARTS for _, cause in tanh["options"][part]["candidates"]}
    assert tanh["kwargs"]["hidden"] == "tanh"
    assert {CAUSES[key] for key in C.IGNORING} <= named


@pytest.mark.parametrize("fn, first, cause", [
    (_not_restored, "✘ numerical_gradient: the gradient: 2 of 3 entries differ",
     CAUSES["not_restored"]),
    (_not_restored_on_a_copy, "✘ numerical_gradient: the gradient: 2 of 3 entries differ",
     CAUSES["not_restored"]),
    (_restored_at_the_end, "✘ numerical_gradient: x after the call: ", CAUSES["x_changed"]),
    (_restored_by_arithmetic, "✘ numerical_gradient: x after the call: ", CAUSES["x_changed"]),
])
def test_numerical_gradient_that_does_not_restore_x_is_named(fn, first, cause):
    """In the hidden cases' words (the same runner): the gradient, then x after the call."""
    message = fails(B.check_numerical_gradient, fn, match="✘")
    assert message.splitlines()[0].startswith(first)
    assert cause_of(message) == "  likely cause: " + cause


def test_backward_in_reverse_order_is_named():
    def backward(params, cache, Y, hidden="sigmoid"):
        return S.backward(params, cache, Y, hidden)[::-1]
    message = fails(B.check_backward, backward, S.forward, S.ACTIVATIONS, match="reverse order")
    assert message.splitlines()[0] == "✘ backward: the result lists the layers in reverse order"
    assert cause_of(message) == "  likely cause: " + REVERSED_CAUSE


@pytest.mark.parametrize("fn, first, cause", [
    (_gd_in_place, "✘ gd_step: params after the call, W[1]: 6 of 6 entries differ",
     CAUSES["in_place"]),
    (_gd_weights_in_place, "✘ gd_step: params after the call, W[1]: 6 of 6 entries differ",
     CAUSES["in_place"]),
    (_gd_list_in_place, "✘ gd_step: params after the call, W[1]: 6 of 6 entries differ",
     CAUSES["in_place"]),
    (_gd_scales_grads, "✘ gd_step: grads after the call, dW[1]: 6 of 6 entries differ",
     CAUSES["grads_in_place"]),
])
def test_gd_step_that_changes_its_inputs_is_named(fn, first, cause):
    message = fails(B.check_gd_step, fn, match="after the call")
    assert message.splitlines()[0] == first
    assert cause_of(message) == "  likely cause: " + cause


@pytest.mark.parametrize("fn, case, cause", [
    (_train_passing(None, None), "hidden='tanh'", CAUSES["ignores_hidden"]),
    (_train_passing(None, "on"), "hidden='tanh'", CAUSES["forward_no_hidden"]),
    (_train_passing("on", None), "hidden='tanh'", CAUSES["backward_no_hidden"]),
    (_train_frozen, "hidden='sigmoid'", CAUSES["frozen_params"]),
])
def test_train_mistakes_are_named(fn, case, cause):
    """The params come first, as train returns them (and as the hidden cases check them)."""
    message = fails(B.check_train, fn, S.forward, match="✘ train: params, W\\[1\\]: ")
    assert case in message.splitlines()[1]
    assert cause_of(message) == "  likely cause: " + cause


def test_train_with_a_loss_too_few_is_named():
    def train(params, X, Y, lr, epochs, hidden="sigmoid"):
        new, losses = S.train(params, X, Y, lr, epochs, hidden)
        return new, losses[1:]
    message = fails(B.check_train, train, S.forward, match="✘ train: losses has the wrong shape")
    assert cause_of(message) == ("  likely cause: append the loss once per epoch, before that "
                                 "epoch's update")


def test_train_that_passes_hidden_on_passes(capsys):
    B.check_train(_train_passing("on", "on"), S.forward)
    assert "✔ train" in capsys.readouterr().out


# -- the derivation tasks and the gradient-check tools ---------------------------------------

def test_engine_passes_the_new_checks(capsys):
    B.check_scalar_chain_grad(scalar_chain_grad)
    B.check_backward_mse(backward_mse, S.forward, S.ACTIVATIONS)
    B.check_relative_error(relative_error)
    B.check_directional_check(directional_check)
    B.check_minibatches(minibatches)
    out = capsys.readouterr()
    assert out.out.count("✔") == 5 and out.err == ""


@pytest.mark.parametrize("mistake, name", [
    ("chain_no_sigma_prime", "dL_dw1"), ("chain_sigma_prime_at_a", "dL_dw1"),
    ("chain_no_x", "dL_dw1"), ("chain_w2_input", "dL_dw2"), ("chain_swapped", "dL_dw1"),
])
def test_scalar_chain_mistakes_are_named(mistake, name):
    message = fails(B.check_scalar_chain_grad, lambda *args: C.chain_variant(*args, mistake),
                    match="✘ scalar_chain_grad")
    assert message.splitlines()[0].startswith(f"✘ scalar_chain_grad: {name}: ")
    assert cause_of(message) == "  likely cause: " + CAUSES[mistake]


def test_scalar_chain_as_a_list_is_named():
    message = fails(B.check_scalar_chain_grad, lambda *a: list(scalar_chain_grad(*a)),
                    match="wrong type")
    assert "a tuple (dL_dw1, dL_dw2)" in message


def _mse(mistake):
    def backward_mse_wrong(params, cache, Y, hidden="sigmoid"):
        return C.mse_variant(params, cache["A"][0], Y, hidden, mistake)
    return backward_mse_wrong


@pytest.mark.parametrize("mistake, words", [
    ("mse_half", CAUSES["mse_half"]),
    ("mse_output_g_prime", CAUSES["mse_output_g_prime"]),
    ("mse_sign", "the sign is flipped"),
    ("mse_no_mean", "N, the batch size"),
])
def test_backward_mse_mistakes_are_named(mistake, words):
    message = fails(B.check_backward_mse, _mse(mistake), S.forward, S.ACTIVATIONS,
                    match="✘ backward_mse: d[Wb]\\[")
    assert words in message


def test_backward_mse_reusing_backward_passes(capsys):
    B.check_backward_mse(lambda p, c, Y, hidden="sigmoid": S.backward(p, c, Y, hidden),
                         S.forward, S.ACTIVATIONS)
    assert "✔ backward_mse" in capsys.readouterr().out


@pytest.mark.parametrize("mistake", [*C.REL_KEYS, "rel_no_floor"])
def test_relative_error_mistakes_are_named(mistake):
    message = fails(B.check_relative_error, lambda a, b: C.relative_variant(a, b, mistake),
                    match="✘ relative_error")
    assert cause_of(message) == "  likely cause: " + CAUSES[mistake]


def _directional(mistake):
    """The case table's directional_check with one mistake; "in_place" moves the caller's x."""
    def check(f, x, g, v, eps=1e-6):
        if mistake != "in_place":
            return C.directional_variant(f, x, g, v, eps, mistake)
        x += eps * v
        plus = f(x)
        x -= 2 * eps * v
        return (plus - f(x)) / (2 * eps), float(np.sum(g * v))
    return check


@pytest.mark.parametrize("mistake, cause", [
    *[(key, CAUSES[key]) for key in C.DIR_KEYS], ("in_place", CAUSES["dir_x_changed"]),
])
def test_directional_check_mistakes_are_named(mistake, cause):
    message = fails(B.check_directional_check, _directional(mistake), match="✘ directional_check")
    assert cause_of(message) == "  likely cause: " + cause


def buggy_backward_of_the_notebook():
    """The locked buggy_backward cell of notebook 05, executed."""
    nb = source_notebook(get("05-vectorized-backprop"))
    cell = next(c for c in nb.cells
                if c.metadata.get("nbgrader", {}).get("grade_id") == "given_buggy_backward")
    ns = {"np": np, "ACTIVATIONS": S.ACTIVATIONS}
    exec(cell.source, ns)
    return ns["buggy_backward"]


def _bug_network():
    rng = np.random.default_rng(1)
    params = [(rng.normal(0, 0.6, (o, i)), rng.normal(0, 0.3, o)) for i, o in
              [(5, 7), (7, 4), (4, 3)]]
    return params, rng.normal(size=(4, 5)), np.eye(3)[[2, 0, 1, 2]]


def test_the_planted_bug_is_where_the_gradient_check_finds_it():
    buggy = buggy_backward_of_the_notebook()
    params, X, Y = _bug_network()
    grads = buggy(params, S.forward(params, X)[1], Y)
    report = full_check(lambda p: S.cross_entropy(S.forward(p, X)[0], Y), params, grads)
    assert {(b.layer, "Wb".index(b.part)) for b in report.bad} == {planted_bug()}


@pytest.mark.parametrize("answer, words", [
    ((1, 0), CAUSES["bug_layer_from_0"]),
    ((2, 1), CAUSES["bug_other_array"]),
    ((3, 0), "compute the relative error of EVERY array"),
    ((0, 0), CAUSES["bug_layer_from_0"]),
    ([2, 0], "a tuple (l, k) of two integers"),
])
def test_planted_bug_answers_are_named(answer, words):
    params, X, Y = _bug_network()
    message = fails(B.check_planted_bug, lambda: answer, buggy_backward_of_the_notebook(),
                    S.forward, params, X, Y, match="✘ planted_bug")
    assert words in message


def test_planted_bug_right_answer_passes(capsys):
    params, X, Y = _bug_network()
    B.check_planted_bug(planted_bug, buggy_backward_of_the_notebook(), S.forward, params, X, Y)
    assert "✔ planted_bug" in capsys.readouterr().out


def _batches(mistake):
    def batches(N, batch_size, rng):
        order = {"not_shuffled": lambda: np.arange(N),
                 "repeats": lambda: rng.integers(0, N, N),
                 "global": lambda: np.random.permutation(N)}.get(
                     mistake, lambda: rng.permutation(N))()
        stop = {"drops_last": N - batch_size + 1, "empty_last": N + batch_size}.get(mistake, N)
        out = [order[i:i + batch_size] for i in range(0, stop, batch_size)]
        return [b.astype(float) for b in out] if mistake == "float" else out
    return batches


@pytest.mark.parametrize("mistake, words", [
    ("drops_last", CAUSES["mb_drops_last"]),
    ("empty_last", CAUSES["mb_empty_last"]),
    ("not_shuffled", CAUSES["mb_not_shuffled"]),
    ("repeats", CAUSES["mb_repeats"]),
    ("global", CAUSES["mb_not_reproducible"]),
    ("float", "integer arrays"),
])
def test_minibatch_mistakes_are_named(mistake, words):
    message = fails(B.check_minibatches, _batches(mistake), match="✘ minibatches")
    assert words in message


class _Liar(np.ndarray):
    """An index array whose numpy functions lie: 'equal' to anything, 'shuffled' on concat."""

    def __array_function__(self, func, types, args, kwargs):
        if func is np.array_equal:
            return False
        if func is np.concatenate:
            return np.random.default_rng(0).permutation(10)
        return super().__array_function__(func, types, args, kwargs)


def test_the_hidden_view_measures_plain_data_not_the_students_objects():
    """An unshuffled minibatches dressed in a lying ndarray subclass is still unshuffled."""
    from grader.checks.backprop import minibatch_record

    def minibatches(N, batch_size, rng=None):
        return [np.arange(N)[i:i + batch_size].view(_Liar) for i in range(0, N, batch_size)]
    sizes, once, shuffled, same = minibatch_record(minibatches)(10, 4, 0)
    assert np.array_equal(sizes, C.batch_sizes(10, 4, 0)) and once == 1 and same == 1
    assert shuffled == 0
