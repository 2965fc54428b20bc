"""The visible checks of notebook 02 (perceptron_train, nand_gate, xor_network).

The engine passes every check; the literal vectors of the check module are the
engine's (and the buggy variants') results; each typical mistake, written as a
small buggy variant, is caught with a message naming its cause; bad returns get
their message; correct implementations written differently pass.
"""
import numpy as np
import pytest

from tests.helpers import fails

import solutions as S
from grader.checks import visible_cases, xor as C
from grader.pipeline.cases import xor as T
from grader.checks.report import CheckFailure


def train_variant(X, y, lr, epochs, **switches):
    """Rosenblatt's rule with the case table's switches (none: the correct rule)."""
    return T._run(X, y, lr, epochs, **switches)


MISTAKES = T.MISTAKES  # the named mistakes, as the case table makes them


# ------------------------------------------------------------------ the engine passes
def test_engine_passes_every_check(capsys):
    C.check_perceptron_train(S.perceptron_train)
    C.check_nand_gate(S.nand_gate)
    C.check_xor_network(S.xor_network)
    out = capsys.readouterr()
    assert out.out.count("✔") == 3 and out.err == ""


def test_every_named_mistake_has_its_wording_and_the_visible_cases_name_them():
    others = ("nand_", "binary_", "xor_", "units_")  # the words of the other two functions
    assert set(MISTAKES) == {k for k in C.CAUSES if not k.startswith(others)}
    named = set()
    for case in visible_cases("xor", "perceptron_train"):
        assert not any(T._same(m, case["expected"]) for m in case["mistakes"].values())
        named |= set(case["mistakes"])
    assert named >= set(MISTAKES) - {"lrcount"}  # lrcount shows as float counts instead


def test_the_brief_example_and_xor_never_converges():
    """AND, lr = 1, 6 epochs: w = [2, 1], b = -2, errors [1, 3, 3, 2, 1, 0]; XOR never 0."""
    w, b, errors = visible_cases("xor", "perceptron_train")[0]["expected"]
    assert (w.tolist(), b, errors) == ([2.0, 1.0], -2.0, [1, 3, 3, 2, 1, 0])
    _, _, errors = S.perceptron_train(T.X_SLIDES, [0, 1, 1, 0], 1.0, 200)
    assert min(errors) > 0


def test_learning_rate_only_rescales_from_a_zero_start():
    """From w = 0, b = 0 the trajectory does not depend on lr (dyadic lr: exactly)."""
    X, y = T.X_INT, T.Y_INT
    w1, b1, e1 = S.perceptron_train(X, y, 1.0, 8)
    w4, b4, e4 = S.perceptron_train(X, y, 0.25, 8)
    np.testing.assert_array_equal(w1, 4 * w4)
    assert b1 == 4 * b4 and e1 == e4


# ---------------------------------------------------- typical mistakes are named
EXPECTED_MESSAGE = {
    "sign": "wrong sign", "wsign": "wrong sign", "step0": r"step\(0\) was taken as 1",
    "nobias": "b is never updated",
    "nox": "lacks the factor x", "stale": "once per epoch for all samples",
    "cumulative": "not reset", "after": "counted after the epoch",
    "correct": "correctly classified samples are counted",
    # with lr = 1 (the first case) the scaled count is a float with whole values
    "lrcount": "the count came out as a float", "ones": "does not start at zero",
    "lrbias": "bias update lacks lr", "nolr": "lr is not used",
}


@pytest.mark.parametrize("key", sorted(MISTAKES))
def test_each_typical_mistake_is_named(key):
    def student(X, y, lr, epochs):
        return train_variant(X, y, lr, epochs, **MISTAKES[key])
    message = fails(C.check_perceptron_train, student, match=EXPECTED_MESSAGE[key])
    assert "perceptron_train" in message and "input case" in message


def test_random_start_is_reported_as_nondeterministic():
    rng = np.random.default_rng()

    def student(X, y, lr, epochs):
        w0 = rng.normal(size=np.shape(X)[1])
        w, b, e = S.perceptron_train(X, y, lr, epochs)
        return w + w0, b, e
    fails(C.check_perceptron_train, student, match="different results(.|\n)*initialised at random")


def test_shuffling_is_reported_as_nondeterministic():
    calls = []

    def student(X, y, lr, epochs):  # a different order on every call, like an unseeded shuffle
        calls.append(1)
        order = np.random.default_rng(len(calls)).permutation(len(X))
        return S.perceptron_train(np.asarray(X)[order], np.asarray(y)[order], lr, epochs)
    fails(C.check_perceptron_train, student, match="shuffled")


def test_stopping_early_is_named():
    def student(X, y, lr, epochs):
        w, b, e = S.perceptron_train(X, y, lr, epochs)
        return w, b, e[:e.index(0) + 1] if 0 in e else e
    fails(C.check_perceptron_train, student, match="wrong length(.|\n)*stops early")


def test_one_entry_per_sample_is_named():
    def student(X, y, lr, epochs):
        w, b, e = S.perceptron_train(X, y, lr, epochs)
        return w, b, [0] * (len(e) * len(X))
    fails(C.check_perceptron_train, student, match="one entry per sample and epoch")


def test_off_by_one_epochs_is_named():
    def student(X, y, lr, epochs):
        return S.perceptron_train(X, y, lr, epochs + 1)
    fails(C.check_perceptron_train, student, match="wrong length(.|\n)*one entry per epoch")


def test_xor_with_an_error_free_epoch_is_explained():
    """A count nobody predicted, but which claims an error-free epoch on XOR."""
    def student(X, y, lr, epochs):
        w, b, e = S.perceptron_train(X, y, lr, epochs)
        if list(y) == [0, 1, 1, 0]:
            e = e[:-1] + [0]
        return w, b, e
    fails(C.check_perceptron_train, student, match="0 errors on XOR, which no perceptron")


def test_errors_after_a_clean_epoch_are_explained():
    def student(X, y, lr, epochs):
        w, b, e = S.perceptron_train(X, y, lr, epochs)
        return w, b, e[:-1] + [e[-1] + 1] if e[-2] == 0 else e  # OR: [1, 2, 1, 0, 1]
    fails(C.check_perceptron_train, student, match="has 0 errors, but a later epoch has errors")


def test_bias_updated_with_x_is_named():
    def student(X, y, lr, epochs):
        w, b, e = S.perceptron_train(X, y, lr, epochs)
        return w, b * np.ones_like(w), e
    fails(C.check_perceptron_train, student, match="b has the wrong type(.|\n)*has no x")


def test_bias_of_shape_1_is_named():
    def student(X, y, lr, epochs):
        w, b, e = S.perceptron_train(X, y, lr, epochs)
        return w, np.array([b]), e
    fails(C.check_perceptron_train, student, match=r"np.zeros\(1\)")


def test_mutating_the_data_is_named():
    def student(X, y, lr, epochs):
        out = S.perceptron_train(X, y, lr, epochs)
        y[y == 0] = -1  # e.g. converting labels to -1/+1 in place
        return out
    fails(C.check_perceptron_train, student, match="modified its input y")


# ------------------------------------------------------------------- bad returns
@pytest.mark.parametrize("result, match", [
    (None, "does not `return` anything"),
    ("list", "a list came back"),
    ("w only", "only w came back"),
    ("pair", "exactly three things"),
    ("int w", "dtype int64"),
    ("nan w", "nan or inf"),
    ("float counts", "counts in errors_per_epoch are not integers"),
    ("single count", "errors_per_epoch is a single number"),
    ("2-D counts", "errors_per_epoch has the wrong shape"),
    ("array entries", "an array was appended"),
    ("w as (n, 1)", "wrong shape"),
])
def test_bad_returns_get_their_message(result, match):
    def student(X, y, lr, epochs):
        w, b, e = S.perceptron_train(X, y, lr, epochs)
        return {None: None, "list": [w, b, e], "w only": w, "pair": (w, b),
                "int w": (w.astype(np.int64), b, e), "nan w": (w * np.nan, b, e),
                "float counts": (w, b, [float(v) for v in e]), "single count": (w, b, sum(e)),
                "2-D counts": (w, b, np.array([e])),
                "array entries": (w, b, [np.array([v, v]) for v in e]),
                "w as (n, 1)": (w[:, None], b, e)}[result]
    fails(C.check_perceptron_train, student, match=match)


def test_integer_weights_are_explained():
    def student(X, y, lr, epochs):
        w, b, errors_per_epoch = np.zeros_like(np.asarray(X)[0]), 0.0, []
        for _ in range(epochs):
            errors = 0
            for x_i, y_i in zip(X, y):
                y_hat = float(x_i @ w + b > 0)
                w += lr * (y_i - y_hat) * x_i      # fails for integer X and lr = 0.25
                b += lr * (y_i - y_hat)
                errors += int(y_hat != y_i)
            errors_per_epoch.append(errors)
        return w, b, errors_per_epoch
    fails(C.check_perceptron_train, student, match="raised UFuncTypeError(.|\n)*integer dtype of X")


def test_not_implemented_and_exceptions_are_friendly():
    def todo(X, y, lr, epochs):
        raise NotImplementedError()
    fails(C.check_perceptron_train, todo, match="not implemented yet")

    def broken(X, y, lr, epochs):
        return np.zeros(3) @ np.zeros(4)
    fails(C.check_perceptron_train, broken, match="raised ValueError")
    fails(C.check_perceptron_train, None, match="is not a function")


# ------------------------------------------------ correct, written differently
def _only_on_mistakes(X, y, lr, epochs):
    """Updates only when wrong (the same rule), loops by index, numpy int counts."""
    X = np.asarray(X, dtype=np.float32)
    w, b = np.zeros(X.shape[1], dtype=np.float64), 0
    counts = np.zeros(epochs, dtype=np.int64)
    for k in range(epochs):
        for i in range(len(X)):
            y_hat = 1 if X[i] @ w + b > 0 else 0
            if y_hat != y[i]:
                w += lr * (y[i] - y_hat) * X[i]
                b += lr * (y[i] - y_hat)
                counts[k] += 1
    return w, b, counts


def _with_numpy_counts(X, y, lr, epochs):
    w, b, e = S.perceptron_train(X, y, lr, epochs)
    return w, np.float64(b), [np.int64(v) for v in e]


@pytest.mark.parametrize("student", [_only_on_mistakes, _with_numpy_counts])
def test_correct_variants_pass(student, capsys):
    C.check_perceptron_train(student)
    assert "✔ perceptron_train" in capsys.readouterr().out


# ------------------------------------------------------------------- nand_gate
# The students below live in this module, as in a notebook: `perceptron` (defined further
# down) is the given tool their gates look up, and the checks count its calls.
def _nand_with(w, b):
    def nand_gate(X):
        return perceptron(X, np.array(w, dtype=float), b)
    return nand_gate


NAND_MISTAKES = [
    (_nand_with([1, 1], -1.5), r"(?s)this is AND\(x1, x2\).*flip the signs"),
    (_nand_with([-1, -1], 1.0), r"(?s)NAND\(1, 0\) = 1 needs z = w1 \+ b > 0.*step\(0\) = 0"),
    (_nand_with([-1, -1], 2.5), r"NAND\(1, 1\) = 0 needs z = w1 \+ w2 \+ b <= 0"),
    (_nand_with([-1, -1], 0.0),
     r"(?s)NAND\(0, 0\) = 1 needs z = b > 0.*strictly > 0, since step\(0\) = 0"),
    (_nand_with([1, 1], -0.5), r"NAND\(0, 0\) = 1 needs z = b > 0; NAND\(1, 1\)"),
    (lambda X: 1.0 - np.asarray(X, float)[:, 0] * np.asarray(X, float)[:, 1],
     r"(?s)0 calls of perceptron.*computed directly"),
    (lambda X: 1 - perceptron(X, np.array([1.0, 1.0]), -1.5),
     r"(?s)not the output of the perceptron call.*return the perceptron's output"),
    (lambda X: 1 / (1 + np.exp(-(np.asarray(X, float) @ [-1.0, -1.0] + 1.5))), "exactly 0 or 1"),
    (lambda X: None, "does not `return` anything"),
]


@pytest.mark.parametrize("student, match", NAND_MISTAKES)
def test_nand_gate_mistakes_are_named(student, match):
    message = fails(C.check_nand_gate, student, match=match)
    assert message.startswith("✘ nand_gate")


@pytest.mark.parametrize("student", [_nand_with([-1, -1], 1.5), _nand_with([-2, -2], 3),
                                     _nand_with([-1, -1], 2.0), _nand_with([-0.5, -0.7], 1.0),
                                     lambda X: _nand_with([-1, -1], 1.5)(X).astype(int)])
def test_nand_gate_any_valid_weights_pass(student, capsys):
    C.check_nand_gate(student)
    assert "✔ nand_gate" in capsys.readouterr().out


# ------------------------------------------------------------------- xor_network
# The students below live in this module, as in a notebook: `perceptron` is the given tool
# their xor_network looks up (and the checks count its calls).
def perceptron(x, w, b):
    return (np.asarray(x, dtype=float) @ np.asarray(w, dtype=float) + b > 0).astype(float)


OR, NAND, AND = ([1, 1], -0.5), ([-1, -1], 1.5), ([1, 1], -1.5)


def _xor_from(output_gate, *, invert=False, hidden=True, second=NAND):
    def student(X):
        X = np.asarray(X, dtype=float)
        H = np.stack([perceptron(X, *OR), perceptron(X, *second)], axis=1)
        out = perceptron(H if hidden else X, *output_gate)
        return 1 - out if invert else out
    return student


def _xor_by_layers(X):
    """One perceptron call per layer: W^[1] as a (2, 2) matrix (x @ W^[1].T)."""
    A1 = perceptron(X, np.array([[1.0, -1.0], [1.0, -1.0]]), np.array([-0.5, 1.5]))
    return perceptron(A1, *AND).astype(int)


def _xor_per_sample(X):
    """Three perceptron calls per row."""
    return np.array([perceptron([perceptron(x, *OR), perceptron(x, *NAND)], *AND) for x in X])


def _xor_output_by_product(X):
    return perceptron(X, *OR) * perceptron(X, *NAND)


def _xor_hidden_by_hand(X):
    X = np.asarray(X, dtype=float)
    H = np.stack([X.sum(1) > 0.5, X.sum(1) < 1.5], axis=1)
    return perceptron(H, *AND)


@pytest.mark.parametrize("student, match", [
    (_xor_from(AND, invert=True), "inverted"),
    (_xor_from(OR), "OR instead of an AND"),
    (_xor_from(AND, hidden=False), r"(?s)this is AND\(x1, x2\).*output neuron took x"),
    (_xor_from(AND, second=AND), r"is the hidden NAND neuron an AND\? NAND has w = \(-1, -1\)"),
    (lambda X: perceptron(X, *OR), r"this is OR\(x1, x2\) alone"),
    (lambda X: perceptron(X, *NAND), r"this is NAND\(x1, x2\) alone"),
    (lambda X: 1 / (1 + np.exp(-(np.asarray(X, float) @ [1.0, 1.0] - 0.5))), "exactly 0 or 1"),
    (lambda X: _xor_from(AND)(X)[:, None], "axis of length 1"),
    (lambda X: list(_xor_from(AND)(X)), "wrong type"),
    (lambda X: None, "does not `return` anything"),
    (lambda X: _xor_from(AND)(X[:4]), "wrong shape"),
    (lambda X: np.logical_xor(X[:, 0], X[:, 1]),
     r"(?s)not built from perceptron units.*0 calls of perceptron.*computed directly"),
    (lambda X: (X[:, 0] != X[:, 1]).astype(float), "0 calls of perceptron"),
    (_xor_hidden_by_hand, r"(?s)1 call of perceptron.*only one layer"),
    (_xor_output_by_product, r"(?s)not the output of the last perceptron call.*output neuron "
                             r"must be a perceptron too"),
])
def test_xor_network_mistakes_are_named(student, match):
    fails(C.check_xor_network, student, match=match)


def test_xor_network_not_implemented():
    def todo(X):
        raise NotImplementedError()
    fails(C.check_xor_network, todo, match="not implemented yet")


@pytest.mark.parametrize("student", [
    _xor_from(AND),
    lambda X: _xor_from(AND)(X).astype(int),
    lambda X: _xor_from(AND)(X) > 0.5,
    _xor_by_layers,
    _xor_per_sample,
])
def test_xor_network_correct_variants_pass(student, capsys):
    C.check_xor_network(student)
    assert "✔ xor_network" in capsys.readouterr().out


def test_the_checks_leave_the_students_perceptron_in_place():
    C.check_xor_network(_xor_from(AND))
    with pytest.raises(CheckFailure):
        C.check_xor_network(np.logical_xor)  # no globals to look perceptron up in
    assert globals()["perceptron"].__name__ == "perceptron"


# ------------------------------------------- hidden cases (grader/pipeline/cases/xor.py)
@pytest.fixture(scope="module")
def hidden_cases():
    from grader.pipeline.cases import xor as cases_module
    return cases_module.cases()


def run_hidden(cases, function, fn):
    """What the hidden cell and the grader do together, on the cases in memory."""
    from grader.pipeline.verdict import grade_in_memory
    grade_in_memory(cases, function, **{function: fn})


def test_hidden_cases_cover_every_function(hidden_cases):
    assert set(hidden_cases) == {"perceptron_train", "nand_gate", "xor_network"}
    for cases in hidden_cases.values():
        assert 4 <= len(cases) <= 10
        assert any("N = 1" in c["label"] for c in cases)


@pytest.mark.parametrize("student", [S.perceptron_train, _only_on_mistakes, _with_numpy_counts,
                                     lambda X, y, lr, e: train_variant(X, y, lr, e)])
def test_hidden_perceptron_train_accepts_correct_variants(hidden_cases, student):
    run_hidden(hidden_cases, "perceptron_train", student)


@pytest.mark.parametrize("key", sorted(MISTAKES))
def test_hidden_perceptron_train_names_each_mistake(hidden_cases, key):
    """In the same words as the visible check (one table of causes)."""
    def student(X, y, lr, epochs):
        return train_variant(X, y, lr, epochs, **MISTAKES[key])
    with pytest.raises(CheckFailure) as info:
        run_hidden(hidden_cases, "perceptron_train", student)
    assert C.CAUSES[key] in str(info.value)


@pytest.mark.parametrize("student", [_nand_with([-1, -1], 1.5), _nand_with([-2, -2], 3),
                                     _nand_with([-1, -1], 2.0)])
def test_hidden_nand_gate_accepts_any_valid_weights(hidden_cases, student):
    run_hidden(hidden_cases, "nand_gate", student)


@pytest.mark.parametrize("student, match", [
    (NAND_MISTAKES[0][0], "flip the signs"), (NAND_MISTAKES[1][0], r"w1 \+ b > 0"),
    (NAND_MISTAKES[2][0], r"w1 \+ w2 \+ b <= 0"), (NAND_MISTAKES[5][0], "computed directly"),
    (NAND_MISTAKES[6][0], "return the perceptron's output"),
])
def test_hidden_nand_gate_names_mistakes(hidden_cases, student, match):
    with pytest.raises(CheckFailure, match=match) as info:
        run_hidden(hidden_cases, "nand_gate", student)
    assert str(info.value).startswith("✘ nand_gate")


def test_hidden_xor_network_replays_nand_gate(hidden_cases):
    """A wrong nand_gate costs only its own points: xor_network gets the reference NAND."""
    import tests.test_checks_xor as me
    wrong = _nand_with([1, 1], -1.5)
    me.nand_gate = wrong  # the notebook's global the replay stands in for
    try:
        run_hidden(hidden_cases, "xor_network", _xor_calling_nand_global)
    finally:
        del me.nand_gate


def _xor_calling_nand_global(X):
    H = np.stack([perceptron(X, *OR), nand_gate(X)], axis=1)  # noqa: F821 (set by the test)
    return perceptron(H, *AND)


@pytest.mark.parametrize("student", [S.xor_network, _xor_from(AND),
                                     lambda X: _xor_from(AND)(X).astype(bool),
                                     _xor_by_layers, _xor_per_sample])
def test_hidden_xor_network_accepts_correct_variants(hidden_cases, student):
    run_hidden(hidden_cases, "xor_network", student)


@pytest.mark.parametrize("student, key", [
    (_xor_from(AND, invert=True), "xnor"),
    (_xor_from(OR), "ones"),
    (lambda X: perceptron(X, *OR), "or"),
    (_xor_from(AND, second=AND), "and"),
    (_xor_from(AND, hidden=False), "and"),
])
def test_hidden_xor_network_names_mistakes(hidden_cases, student, key):
    with pytest.raises(CheckFailure) as info:
        run_hidden(hidden_cases, "xor_network", student)
    assert "  likely cause: " + C.CAUSES["xor_" + key] in str(info.value)


@pytest.mark.parametrize("student, words", [
    (lambda X: np.logical_xor(X[:, 0], X[:, 1]), ["0 calls of perceptron", C.CAUSES["units_0"]]),
    (_xor_hidden_by_hand, ["1 call of perceptron", C.CAUSES["units_1"]]),
    (_xor_output_by_product, ["not the output of the last perceptron call",
                              C.CAUSES["units_output"]]),
])
def test_hidden_xor_network_must_be_built_from_perceptrons(hidden_cases, student, words):
    """Right values are not enough: the recorder counts the calls of the notebook's
    perceptron, and the grader asks for the hidden layer and the output to be such calls."""
    with pytest.raises(CheckFailure) as info:
        run_hidden(hidden_cases, "xor_network", student)
    assert all(w in str(info.value) for w in words), str(info.value)


@pytest.mark.parametrize("where, match", [("X", "the input X after the call"),
                                          ("y", "the input y after the call")])
def test_hidden_perceptron_train_names_modified_inputs(hidden_cases, where, match):
    """The contract leaves X and y unchanged: the hidden cases check it too."""
    def student(X, y, lr, epochs):
        out = S.perceptron_train(X, y, lr, epochs)
        if where == "X":
            X[...] = 0
        else:
            y[y == 0] = -1
        return out
    with pytest.raises(CheckFailure, match=match) as info:
        run_hidden(hidden_cases, "perceptron_train", student)
    assert str(info.value).startswith("✘ perceptron_train")
