"""Hidden cases for notebook 02: perceptron_train, nand_gate and xor_network.

perceptron_train: logic gates in both row orders, a 3-input majority, real-valued
separable and non-separable data, N = 1, integer and float32 input, learning rates
that are not powers of two. With real-valued data and such learning rates a
correct implementation may round differently from the engine; every case is
therefore drawn so that no pre-activation w . x + b of the training run comes
within 1e-6 of 0 (the exact zeros of the start w = 0, b = 0 aside), so the
predictions, and hence the whole run, cannot depend on rounding.
nand_gate, xor_network: binary batches of several sizes and dtypes, N = 1; each
result must come from the notebook's perceptron (spy), and xor_network's calls of
nand_gate are replayed (a wrong nand_gate costs only its own points).
Candidates are the engine's rule with one known mistake, so feedback names it.
"""
import numpy as np

import solutions as S
from solutions import nand_gate  # looked up by _nand_of: the trace replaces it

from ...checks.xor import check_unit, check_units
from ..oracle import case
from ..replay import merge, replayed

# What each typical mistake looks like, in the student's words (the visible and the
# hidden cases name them alike; `sync` ships them to students in xor_cases.py).
CAUSES = {
    # perceptron_train: the keys of MISTAKES below
    "sign": "the update has the wrong sign: it is w += lr (y - y_hat) x, with y - y_hat "
            "(target minus prediction), not y_hat - y",
    "wsign": "the update of w has the wrong sign (b's is right): it is w += lr (y - y_hat) x, "
             "with y - y_hat (target minus prediction)",
    "step0": "step(0) was taken as 1 (z >= 0 instead of z > 0): with w = 0 and b = 0 the "
             "first prediction must be step(0) = 0; use the given perceptron(x, w, b)",
    "nobias": "b is never updated: after w += lr (y - y_hat) x also do b += lr (y - y_hat)",
    "nox": "the update of w lacks the factor x: w += lr (y - y_hat) x, not lr (y - y_hat)",
    "stale": "the predictions are made once per epoch for all samples, with the weights of "
             "the start of the epoch: predict each sample with the current w and b, just "
             "before its own update",
    "cumulative": "the error counter is not reset at the start of each epoch, so "
                  "errors_per_epoch holds running totals: set errors = 0 inside the epoch loop",
    "after": "the errors are counted after the epoch with the final w and b: count the "
             "samples that were misclassified (and so updated) during the epoch",
    "correct": "the correctly classified samples are counted instead of the misclassified ones",
    "lrcount": "the count is scaled by lr: add 1 per misclassified sample, not the size of "
               "the update lr (y - y_hat)",
    "ones": "w does not start at zero: start from w = np.zeros(n) and b = 0.0",
    "lrbias": "the bias update lacks lr: b += lr (y - y_hat)",
    "nolr": "lr is not used: w += lr (y - y_hat) x and b += lr (y - y_hat)",
    # nand_gate
    "nand_and": "this is AND(x1, x2): NAND is NOT AND, so flip the signs of AND's w and b "
                "(z_NAND = -z_AND)",
    "nand_strict": "strictly > 0, since step(0) = 0: a row on the boundary z = 0 gives 0",
    "nand_direct": "NAND is computed directly (1 - x1 * x2, np.logical_not, ...), not by a "
                   "perceptron: return perceptron(X, w, b) with the w and b you derived",
    "nand_output": "return the perceptron's output: perceptron(X, w, b) with your w and b",
    "binary_nand_gate": "the gate is one perceptron, step(w . x + b): return what the given "
                        "perceptron returns",
    "binary_xor_network": "every neuron of this network is a perceptron, step(w . x + b); a "
                          "sigmoid (or no activation at all) gives other values",
    # xor_network
    "xor_xnor": "the output is inverted (this is XNOR): XOR = AND(OR(x1, x2), NAND(x1, x2))",
    "xor_or": "this is OR(x1, x2) alone: the output neuron must be AND applied to the hidden "
              "outputs OR(x1, x2) and NAND(x1, x2)",
    "xor_nand": "this is NAND(x1, x2) alone: the output neuron must be AND applied to the "
                "hidden outputs OR(x1, x2) and NAND(x1, x2)",
    "xor_and": "this is AND(x1, x2): is the hidden NAND neuron an AND? NAND has w = (-1, -1), "
               "b = 1.5 (AND has w = (1, 1), b = -1.5), and AND(OR, AND) = AND; or the output "
               "neuron took x instead of the hidden outputs",
    "xor_ones": "every output is 1: is the output neuron an OR instead of an AND? OR and NAND "
                "are never both 0, so OR(OR, NAND) is always 1",
    "units_0": "XOR is computed directly (np.logical_xor, ^, != ...), not by the network: call the "
               "given perceptron for the hidden neurons OR and NAND on X, then for the output "
               "neuron AND on their outputs",
    "units_1": "only one layer is made of perceptron units: the hidden neurons (OR and NAND on X) "
               "and the output neuron (AND on the hidden outputs) are each a perceptron call",
    "units_output": "the output neuron must be a perceptron too: return perceptron(A1, w, b), "
                    "the AND of the hidden outputs A1 (one column per hidden neuron)",
}

# ------------------------------------------------------------------------ nand_gate
# What NAND asks of one perceptron step(w1 x1 + w2 x2 + b), row by row (section 3's method).
NAND_ROWS = [((0, 0), 1, "NAND(0, 0) = 1 needs z = b > 0"),
             ((1, 0), 1, "NAND(1, 0) = 1 needs z = w1 + b > 0"),
             ((0, 1), 1, "NAND(0, 1) = 1 needs z = w2 + b > 0"),
             ((1, 1), 0, "NAND(1, 1) = 0 needs z = w1 + w2 + b <= 0")]


TRAIN_KIND = [("w", "array"), ("b", "number"), ("errors_per_epoch", "list")]
KEPT_X = "the input X after the call (the contract leaves it unchanged: no in-place update)"
KEPT_Y = "the input y after the call (the contract leaves it unchanged: no in-place update)"
KEPT_OPTIONS = {"kinds": "fiub", "exact": True}

# The named mistakes of perceptron_train: the engine's rule with one switch (see _run);
# their wording is CAUSES above, under the same keys.
MISTAKES = {
    "sign": dict(sign=-1.0), "wsign": dict(w_sign=-1.0), "step0": dict(step_at_0=1.0),
    "nobias": dict(bias=False), "nox": dict(use_x=False), "stale": dict(stale=True),
    "cumulative": dict(reset=False), "after": dict(count="after"),
    "correct": dict(count="correct"), "lrcount": dict(count="lr"), "ones": dict(init=1.0),
    "lrbias": dict(lr_in_bias=False), "nolr": dict(use_lr=False),
}


def nand_mistakes(X):
    """[(wrong output, cause)] for every wrong 0/1 answer per kind of row (the four rows of
    the truth table), each named by the inequalities it breaks."""
    X = np.asarray(X, dtype=np.float64)
    kinds = [np.all(X == np.array(x), axis=1) for x, _, _ in NAND_ROWS]
    right = np.array([y for _, y, _ in NAND_ROWS])
    out = []
    for pattern in range(1, 16):
        wrong = [bool(pattern >> k & 1) for k in range(4)]
        table = np.where(wrong, 1 - right, right)
        value = np.zeros(len(X))
        for k, rows in enumerate(kinds):
            value[rows] = table[k]
        if table.tolist() == [0, 0, 0, 1]:
            cause = CAUSES["nand_and"]
        else:
            broken = [text for (_, _, text), w in zip(NAND_ROWS, wrong) if w]
            cause = "your w and b break: " + "; ".join(broken)
            if any(w and y == 1 for (_, y, _), w in zip(NAND_ROWS, wrong)):
                cause += " (" + CAUSES["nand_strict"] + ")"
        out.append((value, cause))
    return out


# ---------------------------------------------------------------------- xor_network
def _gates(X):
    """Truth values of the gates on binary rows: (OR, AND, NAND, XOR)."""
    a, b = X[:, 0] > 0, X[:, 1] > 0
    return (a | b).astype(float), (a & b).astype(float), (~(a & b)).astype(float), \
        (a ^ b).astype(float)


def xor_mistakes(X):
    """[(wrong output, cause)] of the network's known mistakes on binary rows X."""
    OR, AND, NAND, XOR = _gates(np.asarray(X, dtype=np.float64))
    return [(1 - XOR, CAUSES["xor_xnor"]), (OR, CAUSES["xor_or"]), (NAND, CAUSES["xor_nand"]),
            (AND, CAUSES["xor_and"]), (np.ones_like(XOR), CAUSES["xor_ones"])]

def _run(X, y, lr, epochs, *, sign=1.0, w_sign=1.0, step_at_0=0.0, bias=True, use_x=True,
         stale=False, reset=True, count="updates", init=0.0, lr_in_bias=True, use_lr=True,
         margins=None):
    """The perceptron rule with switchable mistakes (all off: the engine's rule).

    margins: a list that collects |w . x + b| of every prediction made with (w, b) != 0.
    """
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
    w, b = np.full(X.shape[1], float(init)), 0.0
    eta = lr if use_lr else 1.0
    errors_per_epoch, total = [], 0

    def predict(x, w, b):
        z = x @ w + b
        if margins is not None and (np.any(w != 0) or b != 0):
            margins.extend(np.abs(np.atleast_1d(z)).tolist())
        return np.where(z > 0, 1.0, np.where(z == 0, step_at_0, 0.0))

    for _ in range(int(epochs)):
        total = 0 if reset else total
        preds = predict(X, w, b) if stale else None
        for i, (x_i, y_i) in enumerate(zip(X, y)):
            y_hat = preds[i] if stale else predict(x_i, w, b)
            d = sign * (y_i - y_hat)
            w = w + w_sign * eta * d * (x_i if use_x else 1.0)
            b = b + ((eta if lr_in_bias else 1.0) * d if bias else 0.0)
            total += int(y_hat != y_i)
        errors_per_epoch.append({"updates": total, "correct": len(X) - total,
                                 "after": int(np.sum(predict(X, w, b) != y)),
                                 "lr": lr * total}[count])
    return w, float(b), errors_per_epoch


def _train_case(label, X, y, lr, epochs):
    expected = S.perceptron_train(X, y, lr, epochs)
    mine = _run(X, y, lr, epochs)
    assert np.allclose(mine[0], expected[0]) and mine[2] == list(expected[2]), label
    # Per part, the distinct wrong values, each with every mistake that produces it
    # (the hidden tests diagnose one part at a time, so a shared value names all causes).
    groups = {part: [] for part, _ in TRAIN_KIND}
    for key, switches in MISTAKES.items():
        wrong = _run(X, y, lr, epochs, **switches)
        for (part, _), value, right in zip(TRAIN_KIND, wrong, expected):
            value = np.asarray(value, dtype=np.float64)
            if value.shape == np.shape(right) and np.allclose(value, right):
                continue
            for known in groups[part]:
                if known[0].shape == value.shape and np.allclose(known[0], value):
                    known[1].append(CAUSES[key])
                    break
            else:
                groups[part].append((value, [CAUSES[key]]))
    options = {part: {"candidates": [(v, "; or: ".join(c)) for v, c in groups[part]]}
               for part in groups}
    # kept: the contract leaves X and y unchanged; the protocol returns them after the call.
    return case(label, (X, y, lr, epochs), (expected, X, y),
                kind=[("the result", TRAIN_KIND), (KEPT_X, "array"), (KEPT_Y, "array")],
                kept=[0, 1], **{"the result": options, KEPT_X: KEPT_OPTIONS,
                                KEPT_Y: KEPT_OPTIONS})


def _robust(X, y, lr, epochs):
    """True if no prediction of the run has |w . x + b| < 1e-6 (besides the exact start)."""
    margins = []
    _run(X, y, lr, epochs, margins=margins)
    return min(margins, default=np.inf) > 1e-6


def _separable(rng, N, n, scale=1.0):
    """Gaussian X (N, n) labelled by a random hyperplane, both classes present."""
    while True:
        X = rng.normal(0.0, scale, size=(N, n))
        w, b = rng.normal(size=n), rng.normal(0.0, 0.5)
        z = X @ w + b
        if np.all(np.abs(z) > 0.1) and 0 < np.sum(z > 0) < N:
            return X, (z > 0).astype(int)


def _drawn(rng, make, lr, epochs):
    """Draw (X, y) with make(rng) until the run is robust to rounding."""
    for _ in range(200):
        X, y = make(rng)
        if _robust(X, y, lr, epochs):
            return X, y
    raise RuntimeError("no robust case found")


def _perceptron_train_cases(rng):
    xs = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    xb = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    cube = np.array([[i >> 2 & 1, i >> 1 & 1, i & 1] for i in range(8)], dtype=np.float64)
    cube = cube[rng.permutation(8)]
    majority = (cube.sum(1) >= 2).astype(int)
    X_sep, y_sep = _drawn(rng, lambda r: _separable(r, 20, 4), 0.1, 30)
    X_noisy, y_noisy = _drawn(
        rng, lambda r: (r.normal(size=(15, 2)), r.integers(0, 2, size=15)), 0.3, 12)
    X_one = rng.integers(-3, 4, size=(1, 3)).astype(np.float64)
    X_int = rng.integers(-2, 4, size=(7, 3))
    y_int = (X_int @ np.array([1, -1, 2]) - 1 > 0).astype(int)
    X_f32 = cube.astype(np.float32)
    return [
        _train_case("NAND gate, the slides' row order, lr = 1, 7 epochs",
                    xs, np.array([1, 1, 1, 0]), 1.0, 7),
        _train_case("AND gate, binary row order, lr = 0.25, 4 epochs (not yet converged)",
                    xb, np.array([0, 0, 0, 1]), 0.25, 4),
        _train_case("XOR, binary row order, lr = 0.5, 15 epochs (never converges)",
                    xb, np.array([0, 1, 1, 0]), 0.5, 15),
        _train_case("3-input majority on the 8 corners of the cube, shuffled rows, lr = 1, "
                    "10 epochs", cube, majority, 1.0, 10),
        _train_case("20 Gaussian samples with 4 features, linearly separable, lr = 0.1, "
                    "30 epochs", X_sep, y_sep, 0.1, 30),
        _train_case("15 Gaussian samples with random labels (not separable), lr = 0.3, "
                    "12 epochs", X_noisy, y_noisy, 0.3, 12),
        _train_case("a single sample (N = 1, X of shape (1, 3)), y = [1], lr = 1, 3 epochs",
                    X_one, np.array([1]), 1.0, 3),
        _train_case("7 samples with 3 integer features (X of dtype int), lr = 0.5, 1 epoch",
                    X_int, y_int, 0.5, 1),
        _train_case("float32 X, the 3-input majority, lr = 0.5, 6 epochs",
                    X_f32, majority, 0.5, 6),
    ]


def _batches(rng):
    """(label, X): binary batches of several sizes and dtypes, the larger ones first (they
    tell the mistakes apart), and N = 1."""
    table = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
    return [
        ("the truth table, rows shuffled, integer X", table[rng.permutation(4)]),
        ("7 random binary rows", rng.integers(0, 2, size=(7, 2)).astype(np.float64)),
        ("64 random binary rows, float32", rng.integers(0, 2, size=(64, 2)).astype(np.float32)),
        ("100 random binary rows, integer X", rng.integers(0, 2, size=(100, 2))),
        ("one row, X = [[0, 1]] (N = 1)", np.array([[0.0, 1.0]])),
        ("one row, X = [[1, 1]] (N = 1)", np.array([[1.0, 1.0]])),
    ]


def _gate_case(label, X):
    """nand_gate on X: 0/1 outputs, a wrong table named, one perceptron (visible and hidden)."""
    return case(label, (X,), S.nand_gate(X), kinds="fiub", candidates=nand_mistakes(X),
                allowed=((0.0, 1.0), CAUSES["binary_nand_gate"]), spy=["perceptron"],
                structure=check_unit)


def _network_case(label, X):
    """xor_network on X: 0/1 outputs, a wrong network named, built from perceptrons; its
    calls of nand_gate are replayed (a wrong nand_gate costs only its own points)."""
    return case(label, (X,), S.xor_network(X), kinds="fiub", candidates=xor_mistakes(X),
                allowed=((0.0, 1.0), CAUSES["binary_xor_network"]), spy=["perceptron"],
                structure=check_units,
                replays=merge(replayed(S.xor_network, (X,), nand_gate=1),
                              replayed(_nand_of, (X,), nand_gate=1)))


def _nand_gate_cases(rng):
    return [_gate_case(label, X) for label, X in _batches(rng)]


def _nand_of(X):
    """A student's xor_network may call nand_gate on X as given (int, float32)."""
    return nand_gate(X)


def _xor_network_cases(rng):
    return [_network_case(label, X) for label, X in _batches(rng)]


def cases():
    rng = np.random.default_rng(202)
    return {"perceptron_train": _perceptron_train_cases(rng),
            "xor_network": _xor_network_cases(rng),
            "nand_gate": _nand_gate_cases(np.random.default_rng(203))}


# --------------------------------------------------------------- the visible cases
# Small integers and learning rates that are powers of two: every correct implementation
# gets exactly the engine's numbers. The LUMS EE514 slides list the rows as (0,0), (1,0),
# (0,1), (1,1); the binary order is the other common one.
X_SLIDES = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
X_BINARY = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
X_INT = np.array([[-1, 0, -1], [-1, 0, 2], [0, 1, -2], [3, -2, -2], [1, 3, 2], [0, 3, 0]])
Y_INT = np.array([0, 0, 0, 0, 1, 0])


def _same(r1, r2):
    """True if two (w, b, errors) results are equal part by part."""
    return all(np.shape(p) == np.shape(q) and np.array_equal(p, q) for p, q in zip(r1, r2))


def _visible_train(label, X, y, lr, epochs, **flags):
    """The engine's result and each named mistake's (the first of equal ones; none equal to
    the result)."""
    expected = S.perceptron_train(X, y, lr, epochs)
    mistakes = {}
    for key, switches in MISTAKES.items():
        wrong = _run(X, y, lr, epochs, **switches)
        if not _same(wrong, expected) and not any(_same(wrong, m) for m in mistakes.values()):
            mistakes[key] = wrong
    return dict(label=label, args=(X, y, lr, epochs), expected=expected, mistakes=mistakes,
                **flags)


def visible():
    """The cases of the visible checks (generated into bpcheck/xor_cases.py)."""
    gates = [("the slides' row order, X = [[0, 0], [1, 0], [0, 1], [1, 1]]", X_SLIDES),
             ("the truth table in binary order, integer X = [[0, 0], [0, 1], [1, 0], [1, 1]]",
              X_BINARY.astype(int))]
    nand_batch = np.array([[1, 1], [0, 1], [1, 1], [0, 0], [1, 0], [0, 1]], dtype=np.float64)
    xor_batch = np.array([[1, 1], [0, 0], [1, 0], [1, 0], [0, 1], [1, 1], [0, 1], [0, 0],
                          [1, 0]], dtype=np.float64)
    f32 = ("float32 X, the truth table", X_SLIDES.astype(np.float32))
    return {
        "perceptron_train": [
            _visible_train("AND gate, rows (0,0), (0,1), (1,0), (1,1), lr = 1, 6 epochs",
                           X_BINARY, np.array([0, 0, 0, 1]), 1.0, 6),
            _visible_train("OR gate, the slides' rows (0,0), (1,0), (0,1), (1,1), lr = 0.5, "
                           "5 epochs", X_SLIDES, np.array([0, 1, 1, 1]), 0.5, 5),
            _visible_train("6 samples with 3 integer features (X of dtype int), lr = 0.25, "
                           "8 epochs", X_INT, Y_INT, 0.25, 8),
            _visible_train("XOR, the slides' rows (0,0), (1,0), (0,1), (1,1), lr = 1, "
                           "10 epochs", X_SLIDES, np.array([0, 1, 1, 0]), 1.0, 10, xor=True),
        ],
        "nand_gate": [_gate_case(label, X) for label, X in [
            *gates, ("a batch of 6 rows with repeats, X of shape (6, 2)", nand_batch),
            ("one row, X = [[1, 1]] of shape (1, 2)", np.array([[1.0, 1.0]])), f32]],
        "xor_network": [_network_case(label, X) for label, X in [
            *[(label.replace("row order", "truth table"), X) for label, X in gates[:1]],
            gates[1], ("a batch of 9 rows with repeats, X of shape (9, 2)", xor_batch),
            ("one row, X = [[1, 0]] of shape (1, 2)", np.array([[1.0, 0.0]])), f32]],
    }
