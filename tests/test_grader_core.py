"""The core of the student-facing checks: messages (report.py), calling student code
(calls.py) and comparing results (compare.py).

Whatever a student's function returns or raises, the checker does not crash: it
raises one CheckFailure whose rendered message is short, says what went wrong and
why, and shows neither a traceback nor the checker's own files. Warnings raised in
student code are silenced.
"""
import linecache
import re
import warnings
from pathlib import Path

import numpy as np
import pytest

import grader.checks
from grader.checks.calls import OVERFLOW_CAUSE, call, spying
from grader.checks.compare import (REVERSED_CAUSE, TOLERANCE, ZERO_ONE_INTEGERS, check_array,
                                   check_form, check_lecture, check_number, check_order,
                                   check_pairs)
from grader.checks.report import CheckFailure, describe, fail, fmt, passed

CHECKS_DIR = str(Path(grader.checks.__file__).resolve().parent)
Z = np.array([-2.0, -0.5, 0.0, 0.5, 3.0])
RELU = np.maximum(Z, 0.0)


# ---------------------------------------------------------------- helpers
def plain(lines):
    """Rendered lines without the ANSI colour codes, joined."""
    return re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(lines))


def failure(fn, *args, **kwargs):
    """The CheckFailure raised by fn(*args, **kwargs); the test fails if none is raised."""
    with pytest.raises(CheckFailure) as info:
        fn(*args, **kwargs)
    return info.value


def rendered(exc):
    return plain(exc._render_traceback_())


def assert_student_friendly(exc):
    """Short, no traceback, no path or module of the checker in what Jupyter shows."""
    text = rendered(exc)
    assert isinstance(exc, AssertionError)
    assert text.startswith("✘ ")
    assert len(text.splitlines()) < 25, text
    assert "Traceback" not in text
    assert CHECKS_DIR not in text and "grader/" not in text and "grader\\" not in text
    assert "calls.py" not in text and "compare.py" not in text
    return text


def check_one(fn, function, label, args, expected):
    """What a check does with one case: call the student's function safely, compare."""
    got = call(fn, *args, function=function, case=label)
    check_array(got, expected, function=function, case=label)


def check_relu(fn):
    """A visible test in the style of the notebooks: one case, relu-like expected output."""
    return check_one(fn, "relu", "z = [-2, -0.5, 0, 0.5, 3]", (Z,), RELU)


def relu_message(fn):
    return assert_student_friendly(failure(check_relu, fn))


def student_function(source, name):
    """A function defined as a notebook cell defines it: IPython registers each cell's
    source in linecache under a name such as /tmp/ipykernel_<pid>/<hash>.py."""
    filename = f"/tmp/ipykernel_0/{abs(hash(source))}.py"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace = {"np": np}
    exec(compile(source, filename, "exec"), namespace)
    return namespace[name]


def likely_cause(text):
    return next((line.split("likely cause: ", 1)[1] for line in text.splitlines()
                 if line.startswith("  likely cause: ")), "")


# ---------------------------------------------------------------- report
def test_check_failure_renders_a_red_head_and_plain_lines():
    exc = failure(fail, "relu", "case A", "the result is wrong", expected="1", got="2",
                  entry="[3]", causes=["cause one", "cause two"])
    lines = exc._render_traceback_()
    assert lines[0] == "\x1b[31m\x1b[1m✘ relu: the result is wrong\x1b[0m"
    assert lines[1:] == ["  input case:   case A", "  at entry:     [3]", "  expected:     1",
                         "  got:          2", "  likely cause: cause one",
                         "  or:           cause two"]
    assert str(exc).splitlines()[0] == "✘ relu: the result is wrong"


def test_check_failure_with_empty_message_renders():
    assert CheckFailure()._render_traceback_() == ["\x1b[31m\x1b[1m\x1b[0m"]


def test_passed_prints_one_green_line(capsys):
    passed("relu", "2 cases")
    assert capsys.readouterr().out == "\x1b[32m✔ relu: 2 cases\x1b[0m\n"


@pytest.mark.parametrize("value,text", [
    (None, "None"), (True, "True"), (np.bool_(False), "False"), (3, "3"), (np.int64(7), "7"),
    (0.1234567891, "0.123457"), (np.float32(2.5), "2.5"),
    (np.array(["a", "b"]), "array(dtype=<U1, shape=(2,))"),
    (np.arange(40.0), "array of shape (40,) (first entries [0., 1., 2., 3.] ...)"),
    ("x" * 100, repr("x" * 100)[:77] + "..."),
])
def test_fmt(value, text):
    assert fmt(value) == text


@pytest.mark.parametrize("value,text", [
    (None, "None"), (np.zeros((2, 3)), "a numpy array of shape (2, 3) and dtype float64"),
    ([1, 2], "a list of length 2"), ((1,), "a tuple of length 1"), ("hi", "a str ('hi')"),
    (np.float64(1.5), "a float64 (1.5)"),
])
def test_describe(value, text):
    assert describe(value) == text


# ---------------------------------------------------------------- calls
def test_call_returns_the_result_and_copies_the_inputs():
    x = np.array([1.0, 2.0])

    def mutating(v):
        v[0] = 99.0
        return v.sum()
    assert call(mutating, x, function="f", case="c") == 101.0
    assert x.tolist() == [1.0, 2.0]
    call(mutating, x, function="f", case="c", copy_inputs=False)
    assert x[0] == 99.0


def test_not_implemented_yet():
    def relu(z):
        raise NotImplementedError()
    text = relu_message(relu)
    assert text.splitlines()[0] == "✘ relu: not implemented yet"
    assert "replace `raise NotImplementedError()` in `relu`" in text


def test_non_callable():
    text = relu_message(np.array([1.0]))
    assert text.splitlines()[0] == "✘ relu: `relu` is not a function (it is ndarray)"
    assert "re-run the cell that defines it" in text


def test_recursion_error():
    def relu(z):
        return relu(z)
    text = relu_message(relu)
    assert "infinite recursion (RecursionError)" in text.splitlines()[0]


def test_an_endless_loop_is_stopped_and_named(monkeypatch):
    import time

    from grader.checks import calls
    monkeypatch.setattr(calls, "CALL_SECONDS", 0.2)

    def relu(z):
        while True:
            time.sleep(0.01)
    start = time.monotonic()
    text = relu_message(relu)
    assert time.monotonic() - start < 5
    assert text.splitlines()[0] == "✘ relu: did not finish within 0.2 s"
    assert "likely cause: an endless loop" in text


@pytest.mark.parametrize("body,error,hint", [
    ("return z + np.ones(3)", "ValueError", "incompatible shapes"),
    ("return z @ np.ones((7, 7))", "ValueError", "mismatched inner dimensions"),
    ("return undefined_name * z", "NameError", "run the cells above first"),
    ("return None + z", "TypeError", "returned None"),
    ("return z[10]", "IndexError", "index out of range"),
    ("return {}['key']", "KeyError", None),
])
def test_student_exception_shows_the_students_line_and_a_hint(body, error, hint):
    relu = student_function(f"def relu(z):\n    y = 1\n    {body}\n", "relu")
    text = relu_message(relu)
    assert text.splitlines()[0].startswith(f"✘ relu: raised {error} in line 3")
    assert f"`{body}`" in text.splitlines()[0]
    assert f"got:          {error}: " in text
    if hint:
        assert hint in likely_cause(text)


def test_student_exception_deep_in_student_helpers_names_the_innermost_student_line():
    def helper(z):
        return z.reshape(2, 2)  # the failing line

    def relu(z):
        return helper(z)
    text = relu_message(relu)
    assert "`return z.reshape(2, 2)  # the failing line`" in text.splitlines()[0]


def test_student_exception_inside_a_numpy_function_shows_the_students_line():
    """BUG: calls._student_frame takes the innermost frame outside grader/checks,
    which for np.reshape / np.sum(axis=...) / np.linalg is a line of numpy's own source
    (e.g. "`return bound(*args, **kwds)`"), not the student's."""
    def relu(z):
        return np.reshape(z, (7, 7))  # the student's line
    text = relu_message(relu)
    assert "np.reshape(z, (7, 7))" in text.splitlines()[0], text


def test_student_exception_message_does_not_claim_none_was_expected():
    """BUG: report.fail prints 'expected: None' whenever only got= is given, so a
    function that raised is told that None was the expected result (the same happens
    to backprop's and hidden's "forward must return a pair (A_L, cache)")."""
    def relu(z):
        return z @ np.ones((7, 7))
    text = relu_message(relu)
    assert "expected:     None" not in text, text
    text = rendered(failure(fail, "forward", "c", "forward must return a pair", got="a list"))
    assert text.splitlines()[1:] == ["  input case:   c", "  got:          a list"]


def test_warnings_in_student_code_are_silenced(capfd):
    def relu(z):
        warnings.warn("the student's own warning")
        big = np.exp(np.array([1000.0]))          # overflow
        nan = np.array([0.0]) / np.array([0.0])   # invalid value
        np.log(np.array([0.0]))                    # divide by zero
        assert np.isinf(big).all() and np.isnan(nan).all()
        return np.maximum(z, 0.0)
    filters, errstate = list(warnings.filters), np.geterr()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        check_relu(relu)
    assert [str(w.message) for w in caught] == []
    assert capfd.readouterr().err == ""
    assert warnings.filters == filters and np.geterr() == errstate  # both restored


def test_overflowing_student_code_is_reported_as_nan_or_inf_not_as_a_warning(capfd):
    def sigmoid(z):
        return 1 / (1 + np.exp(-z)) * np.exp(z) / np.exp(z)  # inf / inf = nan for large z
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        exc = failure(check_one, sigmoid, "sigmoid", "large z", (np.array([1000.0, 1.0]),),
                      np.array([1.0, 1 / (1 + np.exp(-1))]))
    text = assert_student_friendly(exc)
    assert "contains nan or inf" in text.splitlines()[0]
    assert caught == [] and capfd.readouterr().err == ""


# ---------------------------------------------------------------- bad returns (arrays)
BAD_RETURNS = {
    "None": (lambda z: None, "has the wrong type", "does not `return` anything"),
    "list": (lambda z: [max(v, 0.0) for v in z], "has the wrong type", "not a Python list"),
    "tuple": (lambda z: tuple(np.maximum(z, 0)), "has the wrong type", "not a Python list"),
    "string": (lambda z: str(np.maximum(z, 0)), "has the wrong type", "a string came back"),
    "int array": (lambda z: np.maximum(z, 0).astype(int), "has dtype int64", "integer arithmetic"),
    "bool array": (lambda z: z > 0, "has dtype bool", "a comparison (True/False)"),
    "object array": (lambda z: np.array([np.zeros(2), np.zeros(3)], dtype=object),
                     "has dtype object", "an array of Python objects"),
    "wrong shape": (lambda z: np.maximum(z, 0)[:, None], "has the wrong shape",
                    "an axis of length 1 is extra or missing"),
    "too short": (lambda z: np.maximum(z, 0)[:4], "has the wrong shape", None),
    "nan": (lambda z: np.where(z > 0, z, np.nan), "contains nan or inf", "an overflow"),
    "inf": (lambda z: np.where(z > 2, np.inf, np.maximum(z, 0)), "contains nan or inf",
            "an overflow"),
    "numpy scalar": (lambda z: np.float64(np.maximum(z, 0).sum()), "has the wrong type", None),
    "0-d array": (lambda z: np.array(3.5), "has the wrong shape",
                  "a sum or mean ran over an axis"),
    "wrong values": (lambda z: -np.maximum(z, 0), "2 of 5 entries differ", "the sign is flipped"),
}


@pytest.mark.parametrize("name", list(BAD_RETURNS))
def test_bad_return_gets_its_own_message(name):
    fn, problem, cause = BAD_RETURNS[name]
    text = relu_message(fn)
    assert problem in text.splitlines()[0]
    assert "input case:   z = [-2, -0.5, 0, 0.5, 3]" in text
    if cause is not None:
        assert cause in likely_cause(text)


def test_numpy_scalar_where_an_array_is_expected():
    text = relu_message(lambda z: np.float64(3.5))
    assert "expected:     a numpy array of shape (5,)" in text
    assert "got:          a float64 (3.5)" in text


def test_type_message_says_what_was_expected_and_what_came():
    text = relu_message(lambda z: [0.0] * 5)
    assert "expected:     a numpy array of shape (5,)" in text
    assert "got:          a list of length 5" in text


def test_nan_message_points_at_the_first_bad_entry():
    text = relu_message(lambda z: np.where(z > 0, z, np.nan))
    assert "at entry:     [0]" in text and "expected:     0" in text and "got:          nan" in text


def test_integer_and_bool_results_accepted_where_allowed():
    check_array(np.array([0, 0, 1]), np.array([0.0, 0.0, 1.0]), function="step", case="c",
                kinds="fiub")
    check_array(np.array([False, False, True]), np.array([0.0, 0.0, 1.0]), function="step",
                case="c", kinds="fiub")


def test_check_form_stops_at_type_before_dtype_before_shape():
    assert "wrong type" in str(failure(check_form, [1, 2], (3,), function="f", case="c"))
    assert "dtype int64" in str(failure(check_form, np.array([1, 2]), (3,), function="f", case="c"))
    assert "wrong shape" in str(failure(check_form, np.array([1.0, 2]), (3,),
                                        function="f", case="c"))


def test_float32_results_get_the_float32_tolerance():
    expected = np.array([1.0, 2.0, 3.0])
    check_array((expected * (1 + 1e-5)).astype(np.float32), expected, function="f", case="c")
    failure(check_array, expected * (1 + 1e-5), expected, function="f", case="c")
    assert TOLERANCE[np.dtype(np.float32)] == (2e-5, 1e-6)


def test_equal_infinities_are_not_reported_as_different():
    """BUG: diagnose.wrong_entries computes |inf - inf| = nan and marks the entry wrong,
    so 'expected: inf, got: inf' fails (e.g. a cross-entropy that is inf by design)."""
    check_array(np.array([1.0, np.inf, -np.inf]), np.array([1.0, np.inf, -np.inf]),
                function="f", case="c")
    check_number(np.inf, np.inf, function="f", case="c")


# ---------------------------------------------------------------- bad returns (numbers)
@pytest.mark.parametrize("got,cause", [
    (None, "does not `return` anything"),
    (np.array([1.5]), "return a single number"),
    (np.array([1.5, 2.0]), "return a single number"),
    ("1.5", "a string came back"),
    (True, ""),
    ([1.5], ""),
])
def test_check_number_rejects_non_numbers(got, cause):
    text = assert_student_friendly(failure(check_number, got, 1.5, function="loss", case="c"))
    assert text.splitlines()[0] == "✘ loss: the result has the wrong type"
    assert "expected:     a number (float)" in text
    if cause:
        assert cause in likely_cause(text)


@pytest.mark.parametrize("got", [1.5, np.float64(1.5), np.float32(1.5), np.array(1.5),
                                 np.array(1.5, dtype=np.float32)])
def test_check_number_accepts_python_numpy_and_0d_numbers(got):
    check_number(got, 1.5, function="loss", case="c")


def test_check_number_wrong_value_and_nan():
    text = assert_student_friendly(failure(check_number, np.array(2.5), 1.5, function="loss",
                                           case="c"))
    assert "wrong value" in text and "expected:     1.5" in text and "got:          2.5" in text
    text = assert_student_friendly(failure(check_number, float("nan"), 1.5, function="loss",
                                           case="c"))
    assert "contains nan or inf" in text


def test_check_number_integer_counts():
    check_number(3, 3, function="count", case="c", integer=True)
    check_number(np.int64(3), 3, function="count", case="c", integer=True)
    text = rendered(failure(check_number, 3.0, 3, function="count", case="c", integer=True))
    assert "expected:     an integer" in text and "return int(...)" in text


def test_check_number_candidate_cause():
    text = rendered(failure(check_number, 0.0, 1.0, function="perceptron", case="c",
                            candidates=[(0.0, "the output is inverted")]))
    assert likely_cause(text) == "the output is inverted"


# ---------------------------------------------------------------- pairs and lectures
PAIRS = [(np.ones((3, 2)), np.ones(3)), (np.ones((1, 3)), np.ones(1))]


@pytest.mark.parametrize("got,problem", [
    (None, "the result has the wrong type"),
    ({"dW1": 1}, "the result has the wrong type"),
    (PAIRS[:1], "the wrong number of layers"),
    ([PAIRS[0], np.ones(3)], "entry 1 (layer 2) is not a pair"),
    ([PAIRS[0], (np.ones((1, 3)),)], "entry 1 (layer 2) is not a pair"),
    ([PAIRS[0], (np.ones((3, 1)), np.ones(1))], "W[2] has the wrong shape"),
    ([PAIRS[0], (np.ones((1, 3)), [1.0])], "b[2] has the wrong type"),
    ([PAIRS[0], (np.ones((1, 3)), 2 * np.ones(1))], "b[2]: 1 of 1 entries differ"),
])
def test_check_pairs_structure_and_values(got, problem):
    text = assert_student_friendly(failure(check_pairs, got, PAIRS, function="gd_step",
                                           case="c"))
    assert problem in text.splitlines()[0]


def test_check_pairs_values_false_checks_structure_only():
    check_pairs([(np.zeros((3, 2)), np.zeros(3)), (np.zeros((1, 3)), np.zeros(1))], PAIRS,
                function="backward", case="c", values=False)


def test_check_pairs_accepts_lists_for_pairs_and_passes_candidates_per_block():
    check_pairs([list(p) for p in PAIRS], PAIRS, function="gd_step", case="c")
    wrong = [(np.ones((3, 2)), np.zeros(3)), PAIRS[1]]
    text = rendered(failure(check_pairs, wrong, PAIRS, function="gd_step", case="c",
                            candidates=[(wrong, "the biases are not updated")]))
    assert text.splitlines()[0].startswith("✘ gd_step: b[1]")
    assert likely_cause(text) == "the biases are not updated"


def test_check_lecture(capsys):
    lecture = "the forward/backward lecture"
    check_lecture("z", np.array([-2.45911]), [-2.4591], 1e-4, lecture)
    assert f"{lecture}: z" in capsys.readouterr().out
    text = rendered(failure(check_lecture, "z", 2.0, 2.1, 1e-3, lecture))
    assert text.splitlines()[0] == f"✘ {lecture}: z: differs from the lecture by more than 0.001"
    text = rendered(failure(check_lecture, "z", [1.0, 2.0], 2.0, 1e-3, lecture))
    assert "got:          a list of length 2" in text


# ---------------------------------------------------------------- issue 9: fair feedback
def test_strict_call_fails_an_overflow_even_when_the_values_are_right(capfd):
    def naive(z):
        return 1 / (1 + np.exp(-z))
    z = np.array([-1000.0, 0.0, 1000.0])
    np.testing.assert_array_equal(call(naive, z, function="sigmoid", case="c"), [0.0, 0.5, 1.0])
    text = rendered(failure(call, naive, z, function="sigmoid", case="c", strict=True))
    assert text.splitlines()[0].startswith("✘ sigmoid: numpy overflowed in line")
    assert "return 1 / (1 + np.exp(-z))" in text.splitlines()[0]
    assert likely_cause(text) == OVERFLOW_CAUSE
    assert capfd.readouterr().err == "" and np.geterr()["over"] == "warn"

    def stable(z):
        u = np.exp(-np.abs(z))
        return np.where(z >= 0, 1 / (1 + u), u / (1 + u))
    call(stable, z, function="sigmoid", case="c", strict=True)


def test_strict_call_reports_other_errors_as_usual():
    def broken(z):
        raise ValueError("no")
    text = rendered(failure(call, broken, 1.0, function="f", case="c", strict=True))
    assert text.splitlines()[0].startswith("✘ f: raised ValueError")


def test_spying_counts_the_calls_of_a_global_and_restores_it():
    notebook = {}  # a student's namespace, as a notebook's cells make it
    exec("def double(x):\n    return 2 * x\n\n"
         "def student(x):\n    return double(double(x)) + 1\n", notebook)
    student, original = notebook["student"], notebook["double"]
    with spying(student, ["double", "missing"]) as spies:
        assert student(3) == 13
    assert set(spies) == {"double"}
    assert (spies["double"].count, spies["double"].last) == (2, 12)
    assert notebook["double"] is original and "missing" not in notebook
    with spying(np.add, ["double"]) as spies:  # no globals: nothing to spy on
        assert spies == {}


def test_exact_values_and_known_shape_causes():
    x = np.array([0.7, -1.2])
    check_array(x.copy(), x, function="f", case="c", exact=True)
    one_ulp_off = np.array([0.7, np.nextafter(-1.2, 0.0)])
    text = rendered(failure(check_array, one_ulp_off, x, function="f", case="c",
                            name="x after the call", exact=True))
    assert text.splitlines()[0] == "✘ f: x after the call: 1 of 2 entries differ"
    check_array(x + 1e-12, x, function="f", case="c")  # within the default tolerance
    text = rendered(failure(check_array, np.ones(2), np.ones((2, 2)), function="f", case="c",
                            shape_causes={(2,): "delta * a is not the outer product"}))
    assert likely_cause(text) == "delta * a is not the outer product"
    text = rendered(failure(check_array, np.ones(3), np.ones((3, 3)), function="f", case="c",
                            shape_causes={(2,): "delta * a is not the outer product"}))
    assert likely_cause(text) != "delta * a is not the outer product"


def test_zero_one_integers_and_booleans_are_told_to_be_floats():
    text = rendered(failure(check_array, np.array([0, 1, 1]), np.ones(3), function="step",
                            case="c"))
    assert likely_cause(text) == ZERO_ONE_INTEGERS
    text = rendered(failure(check_array, np.array([0, 2, 1]), np.ones(3), function="f", case="c"))
    assert "integer arithmetic truncated" in likely_cause(text)
    text = rendered(failure(check_number, np.bool_(True), 1.0, function="perceptron", case="c"))
    assert likely_cause(text).startswith("True/False came back")


def test_layers_in_reverse_order_are_named():
    pairs = [(np.arange(6.0).reshape(3, 2), np.ones(3)), (np.ones((1, 3)), np.zeros(1))]
    text = rendered(failure(check_pairs, pairs[::-1], pairs, function="backward", case="c",
                            names=("dW", "db")))
    assert text.splitlines()[0] == "✘ backward: the result lists the layers in reverse order"
    assert "layer 1 first: [(dW[1], db[1]), (dW[2], db[2])]" in text
    assert likely_cause(text) == REVERSED_CAUSE
    text = rendered(failure(check_pairs, pairs[::-1], pairs, function="backward", case="c",
                            values=False))
    assert likely_cause(text) == REVERSED_CAUSE
    square = [(np.eye(2), np.ones(2)), (2 * np.eye(2), np.zeros(2))]
    text = rendered(failure(check_order, square[::-1], square, function="f", case="c"))
    assert likely_cause(text) == REVERSED_CAUSE
    check_order(square, square, function="f", case="c")
    check_order(square[::-1], square, function="f", case="c", values=False)  # shapes alone agree
    same = [square[0], square[0]]
    check_order(same, same, function="f", case="c")
