"""Visible checks for notebook 02, XOR: perceptron_train, nand_gate and xor_network.

The cases (inputs, the engine's results, and the results of the engine with each
named mistake) come from the case table, grader/pipeline/cases/xor.py, generated
into xor_cases.py with the words of each mistake (its CAUSES), as the hidden cases
name them. All inputs are small integers and the learning rates are powers of
two, so every correct implementation gets exactly these numbers, whatever the order
of its floating-point operations. No reference code is shipped.
"""
import numpy as np

from .calls import call
from .compare import check_array, check_number
from .diagnose import close
from .judge import run
from .report import describe, fail, fmt, passed
from . import Causes, visible_cases

CAUSES = Causes("xor")  # the words of each mistake: the case table's CAUSES

# Errors typical of perceptron_train: (text in the error message, likely cause).
TRAIN_HINTS = [("Cannot cast ufunc", "w got the integer dtype of X (np.zeros_like(X[0]) on "
                "integer data?), so w += 0.25 * ... cannot be stored: start from "
                "w = np.zeros(X.shape[1]), which is float")]


# ----------------------------------------------------------------- perceptron_train
def _unpack(result, case):
    """(w, b, errors_per_epoch) from the result, or a CheckFailure saying what came."""
    if isinstance(result, tuple) and len(result) == 3:
        return result
    causes = []
    if result is None:
        causes = ["the function does not `return` anything: end it with "
                  "`return w, b, errors_per_epoch`"]
    elif isinstance(result, list) and len(result) == 3:
        causes = ["a list came back: `return w, b, errors_per_epoch` returns the tuple "
                  "the contract asks for"]
    elif isinstance(result, tuple):
        causes = ["return exactly three things, in this order: w, b, errors_per_epoch"]
    elif isinstance(result, np.ndarray):
        causes = ["only w came back: `return w, b, errors_per_epoch`"]
    fail("perceptron_train", case, "the result has the wrong type",
         expected="a tuple (w, b, errors_per_epoch)", got=describe(result), causes=causes)


def _as_float_array(x):
    """x as a float64 array, or None if it is not a plain array of numbers."""
    try:
        a = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    return a


def _same_result(r1, r2):
    """True if two results are equal part by part (None when they cannot be compared)."""
    if not (isinstance(r1, tuple) and isinstance(r2, tuple) and len(r1) == len(r2) == 3):
        return None
    for p1, p2 in zip(r1, r2):
        a1, a2 = _as_float_array(p1), _as_float_array(p2)
        if a1 is None or a2 is None:
            return None
        if a1.shape != a2.shape or not np.array_equal(a1, a2, equal_nan=True):
            return False
    return True


def _matching_mistake(parts, mistakes):
    """The key of the mistake whose (w, b, errors) all equal the student's, or None."""
    arrays = [_as_float_array(p) for p in parts]
    if any(a is None for a in arrays):
        return None
    for key, signature in mistakes.items():
        if all(close(a, np.asarray(s, dtype=np.float64)) for a, s in zip(arrays, signature)):
            return key
    return None


def _check_bias(b, expected, case, candidates):
    if isinstance(b, np.ndarray) and b.ndim >= 1:
        if b.size > 1:
            causes = ["b += lr (y - y_hat) x turned b into a vector: the bias update has no x"]
        else:
            causes = ["b became an array of shape (1,): start from b = 0.0 (a float), not "
                      "np.zeros(1), or return float(b)"]
        fail("perceptron_train", case, "b has the wrong type", expected="a number (float)",
             got=describe(b), causes=causes)
    check_number(b, expected, function="perceptron_train", case=case, name="b",
                 candidates=candidates)


def _counts(errors, epochs, n_samples, case):
    """errors_per_epoch as a float array of length epochs (type and length checked)."""
    function = "perceptron_train"
    want = f"a list of {epochs} integers, one per epoch"
    if isinstance(errors, np.ndarray):
        if errors.ndim != 1:
            fail(function, case, "errors_per_epoch has the wrong shape", expected=(epochs,),
                 got=errors.shape, causes=["one number per epoch: a flat list or 1-D array"])
    elif not isinstance(errors, (list, tuple)):
        causes = (["errors_per_epoch is a single number: append the count of each epoch "
                   "to a list, errors_per_epoch.append(errors)"]
                  if isinstance(errors, (int, float, np.integer, np.floating)) else [])
        fail(function, case, "errors_per_epoch has the wrong type", expected=want,
             got=describe(errors), causes=causes)
    n = len(errors)
    if n != epochs:
        values = _as_float_array(errors)
        if n == epochs * n_samples:
            causes = [f"one entry per sample and epoch ({epochs} x {n_samples} = {n}): "
                      "append the count once per epoch, after the loop over the samples"]
        elif 0 < n < epochs and values is not None and values.ndim == 1 and values[-1] == 0:
            causes = ["the loop stops early once an epoch has no errors: train for all "
                      "`epochs` epochs (the remaining counts are then 0)"]
        elif abs(n - epochs) == 1:
            causes = ["one entry per epoch is expected: for epoch in range(epochs): ... "
                      "errors_per_epoch.append(errors)"]
        else:
            causes = []
        fail(function, case, "errors_per_epoch has the wrong length", expected=epochs,
             got=n, causes=causes)
    values = []
    for k, e in enumerate(errors):
        v = e[()] if isinstance(e, np.ndarray) and e.ndim == 0 else e
        if isinstance(v, (bool, np.bool_)) or not isinstance(
                v, (int, float, np.integer, np.floating)):
            causes = ["each entry must be one number, the count of that epoch"]
            if isinstance(v, np.ndarray):
                causes = ["an array was appended: the count must be a number; "
                          "compare one sample's y and y_hat, e.g. int(y_hat != y_i)"]
            fail(function, case, f"errors_per_epoch[{k}] is not a number",
                 expected="an integer count", got=describe(v), causes=causes)
        values.append(float(v))
    return np.array(values)


def _check_integers(errors, expected, case):
    """Every count must be an int (Python int or a numpy integer)."""
    if isinstance(errors, np.ndarray):
        ok, example = errors.dtype.kind in "iu", errors.dtype
    else:
        bad = [e for e in errors
               if not isinstance(e[()] if isinstance(e, np.ndarray) else e, (int, np.integer))
               or isinstance(e, (bool, np.bool_))]
        ok, example = not bad, (bad[0] if bad else None)
    if not ok:
        fail("perceptron_train", case, "the counts in errors_per_epoch are not integers",
             expected=f"integers: {list(expected)}", got=f"{fmt(errors)} ({example!r})",
             causes=["the count came out as a float: add 1 per misclassified sample "
                     "(errors += 1, or errors += int(y_hat != y_i)), not |y - y_hat|"])


def _check_properties(values, case, is_xor):
    """What any correct count satisfies, to explain a wrong one no known mistake explains."""
    if np.any(values < 0) or np.any(values != np.round(values)):
        fail("perceptron_train", case, "errors_per_epoch must hold counts (whole numbers >= 0)",
             got=fmt(values), causes=["count 1 per misclassified sample of the epoch"])
    if is_xor and np.any(values == 0):
        k = int(np.argmax(values == 0))
        fail("perceptron_train", case,
             f"epoch {k} reports 0 errors on XOR, which no perceptron can classify",
             expected="at least one error in every epoch", got=fmt(values),
             causes=["no line separates XOR (section 3), so some sample is misclassified "
                     "in every epoch: the errors are counted wrongly"])
    zero = np.flatnonzero(values == 0)
    if zero.size and np.any(values[zero[0]:] != 0):
        fail("perceptron_train", case,
             f"epoch {zero[0]} has 0 errors, but a later epoch has errors again",
             got=fmt(values),
             causes=["after an epoch without errors w and b no longer change, so every "
                     "later epoch has 0 errors too: the errors are counted wrongly"])


def _check_train_result(result, label, X, epochs, expected, mistakes, is_xor=False):
    function = "perceptron_train"
    w, b, errors = _unpack(result, label)
    w_exp, b_exp, e_exp = (np.asarray(expected[0]), expected[1],
                           np.asarray(expected[2], dtype=np.float64))
    key = _matching_mistake((w, b, errors), mistakes)
    chosen = {key: mistakes[key]} if key else mistakes

    def candidates(i):
        return [(np.asarray(sig[i], dtype=np.float64), CAUSES[k]) for k, sig in chosen.items()]

    check_array(w, w_exp, function=function, case=label, name="w", candidates=candidates(0))
    _check_bias(b, b_exp, label, candidates(1))
    values = _counts(errors, epochs, len(X), label)
    if not key and not np.array_equal(values, e_exp):
        _check_properties(values, label, is_xor)
    check_array(values, e_exp, function=function, case=label, name="errors_per_epoch",
                candidates=candidates(2))
    _check_integers(errors, expected[2], label)


def check_perceptron_train(perceptron_train):
    """Rosenblatt's rule from w = 0, b = 0, samples in order, on four fixed data sets.

    Also: the same input gives the same result (no random start, no shuffling),
    the data X and y are not modified, and XOR never has an error-free epoch.
    """
    function = "perceptron_train"
    cases = visible_cases("xor", function)
    label, (X, y, lr, epochs) = cases[0]["label"], cases[0]["args"]
    first = call(perceptron_train, X, y, lr, epochs, function=function, case=label,
                 hints=TRAIN_HINTS)
    again = call(perceptron_train, X, y, lr, epochs, function=function, case=label,
                 hints=TRAIN_HINTS)
    if _same_result(first, again) is False:
        fail(function, label, "two calls with the same input gave different results",
             expected="the same (w, b, errors_per_epoch) every time",
             got=f"{fmt(first[0])} and then {fmt(again[0])} for w",
             causes=["w is initialised at random, or the samples are shuffled: start from "
                     "w = 0, b = 0 and go through the samples in order"])
    for i, case in enumerate(cases):
        label, (X, y, lr, epochs) = case["label"], case["args"]
        result = first if i == 0 else call(perceptron_train, X, y, lr, epochs,
                                           function=function, case=label, hints=TRAIN_HINTS)
        _check_train_result(result, label, X, epochs, case["expected"], case["mistakes"],
                            is_xor=case.get("xor", False))

    label = f"{cases[1]['label']}, again: are X and y unchanged afterwards?"
    X0, y0 = cases[1]["args"][:2]
    X, y = X0.copy(), y0.copy()
    call(perceptron_train, X, y, *cases[1]["args"][2:], function=function, case=label,
         copy_inputs=False, hints=TRAIN_HINTS)
    for name, arr, orig in [("X", X, X0), ("y", y, y0)]:
        if not np.array_equal(arr, orig):
            fail(function, label, f"perceptron_train modified its input {name}",
                 expected=fmt(orig), got=fmt(arr),
                 causes=["an in-place operation wrote into the data (x_i *= ..., "
                         "y[y == 0] = -1, ...): the rows of `for x_i in X` are views of X; "
                         "compute new arrays instead (w = w + lr * (y_i - y_hat) * x_i)"])
    passed(function, "AND, OR, integer data with lr = 0.25, XOR (never error-free); "
           "deterministic; X and y unchanged")


def check_unit(result, calls, *, function, case):
    """The result is the output of a perceptron unit: the given `perceptron` was called, and
    the result is what its last call returned. calls: {"perceptron": (count, last result)}."""
    count, last = calls.get("perceptron", (0, None))
    if count < 1:
        fail(function, case, "NAND is not computed by a perceptron",
             expected="the output of the given perceptron(X, w, b)",
             got="0 calls of perceptron", causes=[CAUSES["nand_direct"]])
    out, tail = _as_float_array(result), None if last is None else _as_float_array(last)
    if out is None or tail is None or out.shape != tail.shape or not np.array_equal(out, tail):
        fail(function, case, "the result is not the output of the perceptron call",
             expected="the output of the given perceptron(X, w, b)",
             got=f"{count} call{'s' * (count != 1)} of perceptron, the last one returned "
                 f"{fmt(last)}", causes=[CAUSES["nand_output"]])


def check_nand_gate(nand_gate):
    """NAND on the truth table (both row orders, int/float32 input), a batch with repeats,
    one row; the result is the output of one call of the given perceptron."""
    run("nand_gate", visible_cases("xor", "nand_gate"), nand_gate=nand_gate,
        summary="the truth table in two orders, int and float32 input, a batch with "
                "repeated rows, a single row; one perceptron")


def check_units(result, calls, *, function, case):
    """The result is built from perceptron units: the given `perceptron` was called for the
    hidden layer and for the output, and the result is what the last call (the output
    neuron) returned. calls: {"perceptron": (number of calls, last result)}."""
    count, last = calls.get("perceptron", (0, None))
    expected = "the hidden neurons and the output neuron computed by the given perceptron"
    if count < 2:
        fail(function, case, "the network is not built from perceptron units",
             expected=expected, got=f"{count} call{'s' * (count != 1)} of perceptron",
             causes=[CAUSES[f"units_{count}"]])
    out = _as_float_array(result)
    tail = None if last is None else _as_float_array(last)
    if out is None or tail is None or tail.size > out.size or tail.size == 0 \
            or not np.array_equal(out.ravel()[out.size - tail.size:], tail.ravel()):
        fail(function, case, "the result is not the output of the last perceptron call",
             expected=expected, got=f"{count} calls of perceptron, the last one returned "
                                    f"{fmt(last)}", causes=[CAUSES["units_output"]])


def check_xor_network(xor_network):
    """The truth table (both row orders, int/float32 input), a batch with repeats, one row;
    the result is the output of perceptron units (the given perceptron, called for the
    hidden layer and the output)."""
    run("xor_network", visible_cases("xor", "xor_network"), xor_network=xor_network,
        summary="the truth table in two orders, int and float32 input, a batch with "
                "repeated rows, a single row; built from perceptrons")
