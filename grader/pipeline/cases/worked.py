"""Hidden cases for notebook 06, the worked 2-2-2 sigmoid example.

The LUMS EE514 network, random networks (weights, biases, inputs and targets drawn
from a fixed seed), float32 inputs, saturated units and an exact zero input.
Every known mistake is the engine's computation with that one mistake, so the
feedback can name it (e.g. the hidden-layer gradient that follows one path only).
"""
import numpy as np

import solutions as S
from solutions.worked_222 import X_222, Y_222, dL_dw1_21, w1_11_after_step

from ...checks.worked import ATOL_STEP, merge_causes, outer_shapes, step_candidates
from ..oracle import case
from ..replay import replayed

# What each typical mistake looks like, in the student's words (the visible and the
# hidden cases name them alike; `sync` ships them to students in worked_cases.py).
CAUSES = {
    "z1_T": "W1.T @ x was used: W[j, k] connects input k to unit j, so z1 = W1 @ x + b1",
    "z1_nob": "the bias b1 is missing: z1 = W1 @ x + b1",
    "a1_z": "the activation is missing: a1 = sigmoid(z1)",
    "z2_x": "z2 was computed from x instead of a1 (the typo on the LUMS EE514 slide): "
            "layer 2's input is a1, so z2 = W2 @ a1 + b2",
    "z2_T": "W2.T @ a1 was used: z2 = W2 @ a1 + b2 (row j of W2 feeds unit j)",
    "z2_nob": "the bias b2 is missing: z2 = W2 @ a1 + b2",
    "a2_z": "the activation is missing: a2 = sigmoid(z2)",
    "no_sp": "sigma'(z) is missing: the path goes through the sigmoid, "
             "d yhat / dz = sigma'(z) = sigma(z) (1 - sigma(z))",
    "sp_a": "sigma' was evaluated at a = sigma(z) instead of z: use sigmoid_prime(z), "
            "or a * (1 - a) with the activation a",
    "zz": "z (1 - z) was used for sigma'(z): the formula is a (1 - a) with a = sigma(z)",
    "x_for_a1": "the last factor dz2_1 / dw2_11 is a1_1, the INPUT of layer 2, not x_1",
    "two": "twice the expected value: with L = 1/2 ||yhat - y||^2 the 1/2 cancels the 2 "
           "of the square, so dL/dyhat_1 = yhat_1 - y_1",
    "sign": "the sign is flipped: dL/dyhat_1 = yhat_1 - y_1 (not y_1 - yhat_1)",
    "path1": "only the path through yhat_1 is counted: w1_11 changes a1_1, which feeds "
             "BOTH z2_1 and z2_2, so the path through yhat_2 "
             "(dL/dz2_2 * w2_21 * sigma'(z1_1) * x_1) must be added",
    "path2": "only the path through yhat_2 is counted: w1_11 changes a1_1, which feeds "
             "BOTH z2_1 and z2_2, so the path through yhat_1 "
             "(dL/dz2_1 * w2_11 * sigma'(z1_1) * x_1) must be added",
    "row": "the second path used w2_12 = W2[0, 1]; a1_1 reaches z2_2 through "
           "w2_21 = W2[1, 0] (column 1 of W2 holds the weights leaving hidden unit 1)",
    "no_sp1": "sigma'(z1_1) is missing: the paths also pass through the hidden sigmoid "
              "a1_1 = sigma(z1_1)",
    "sp_a1": "sigma' of the hidden unit was evaluated at its activation a1_1 instead of its "
             "pre-activation z1_1: use sigmoid_prime(z1[0])",
    "p21_path1": "only the path through yhat_1 is counted: w1_21 changes a1_2, which feeds "
                 "BOTH z2_1 and z2_2, so the path through yhat_2 "
                 "(dL/dz2_2 * w2_22 * sigma'(z1_2) * x_1) must be added",
    "p21_path2": "only the path through yhat_2 is counted: w1_21 changes a1_2, which feeds "
                 "BOTH z2_1 and z2_2, so the path through yhat_1 "
                 "(dL/dz2_1 * w2_12 * sigma'(z1_2) * x_1) must be added",
    "p21_row": "W2[1, :] was used in place of W2[:, 1]: the weights leaving hidden unit 2 are "
               "column 2 of W2, w2_12 = W2[0, 1] and w2_22 = W2[1, 1] (row j of W2 holds the "
               "weights INTO output unit j)",
    "p21_col0": "W2[:, 0] was used: those weights leave hidden unit 1; w1_21 feeds hidden "
                "unit 2, whose outgoing weights are W2[:, 1] (w2_12 and w2_22)",
    "p21_sp_unit1": "sigma' of the wrong hidden unit: w1_21 feeds hidden unit 2, so the factor "
                    "is sigma'(z1_2) = sigmoid_prime(z1[1]), not sigma'(z1_1)",
    "p21_x2": "the last factor dz1_2 / dw1_21 is x_1 (w1_21 multiplies input 1), not x_2",
    "p21_swapped": "this is dL/dw1_12, the weight from input 2 into hidden unit 1: in "
                   "W^[1] of shape (n_1, n_0), w1_21 = W1[1, 0] is row 2 (the hidden unit "
                   "it feeds) and column 1 (the input it comes from)",
    "p21_copy": "this is dL/dw1_11: for w1_21 change the hidden unit (sigma'(z1_2) and the "
                "column W2[:, 1]) and keep the input x_1",
    "p21_no_sp1": "sigma'(z1_2) is missing: the paths also pass through the hidden sigmoid "
                  "a1_2 = sigma(z1_2)",
    "p21_sp_a1": "sigma' of the hidden unit was evaluated at its activation a1_2 instead of "
                 "its pre-activation z1_2: use sigmoid_prime(z1[1])",
    "step_sign": "the sign of the step: gradient DESCENT subtracts, w - eta * dL/dw",
    "step_eta": "eta = 0.5 not applied: the step is eta times the gradient, w - 0.5 * dL/dw",
    "step_grad": "this is the gradient dL/dw1_11 itself, not the new weight w - eta * dL/dw",
    "step_change": "this is the change eta * dL/dw (or minus it), not the new weight: "
                   "subtract it from w1_11 = 0.15",
    "step_none": "the weight has not moved: subtract eta * dL/dw1_11 (the change is small: "
                 "it shows from the 4th decimal on)",
    "step_w2": "the gradient of w2_11 (dL/dw2_11 = 0.082167) was used: w1_11 is the "
               "hidden-layer weight, its gradient is entry (1, 1) of dL/dW^[1]",
    "step_new_w2": "this is the new w2_11 (the output layer's weight, 0.40 before the step): "
                   "the task asks for w1_11 = W1[0, 0], 0.15 before the step",
    "step_new_w21": "this is the new w1_21 = W1[1, 0] (0.25 before the step): w1_11 is "
                    "W1[0, 0], 0.15 before the step",
    "step_one_path": "the gradient of one path only was used: dL/dw1_11 is the sum of both "
                     "paths (section 4)",
    "step_digits": "close, but not to 6 decimals: keep every digit until the end, then round "
                   "the result only (to 6 decimals or more)",
    "bp_no_sp": "sigma'(z) is missing in delta: delta2 = (a2 - y) * sigma'(z2) and "
                "delta1 = (W2.T @ delta2) * sigma'(z1)",
    "bp_sp_a": "sigma' was evaluated at a instead of z: use sigmoid_prime(z2) and "
               "sigmoid_prime(z1)",
    "bp_no_sp1": "sigma'(z1) is missing in delta1: delta1 = (W2.T @ delta2) * sigma'(z1), "
                 "the error also passes through the hidden sigmoid",
    "bp_sp_a1": "sigma' was evaluated at a1 instead of z1 in delta1: use sigmoid_prime(z1)",
    "bp_no_T": "W2 @ delta2 was used: the error flows back along the columns of W2, "
               "delta1 = (W2.T @ delta2) * sigma'(z1)",
    "bp_outer_T": "the outer product is transposed: dW = delta a^T (np.outer(delta, a_prev)), "
                  "row j = unit j of this layer; a delta^T is the handwritten notes' (from, to) "
                  "layout",
    "bp_dW2_x": "dW2 used x: the input of layer 2 is a1, so dW2 = np.outer(delta2, a1)",
    "bp_outer_star": "an element-wise product of two vectors (delta * a gives shape (2,)) "
                     "where the outer product delta a^T is needed: dW2 = np.outer(delta2, a1) "
                     "and dW1 = np.outer(delta1, x), of shape (2, 2)",
    "gd_sign": "the update goes uphill: gradient DESCENT is W - lr * dW (and b - lr * db)",
    "gd_bias": "the biases are not updated: b - lr * db as well (Matt Mazur's version of "
               "this example keeps them fixed; this course updates them)",
    "gd_after": "losses[k] was recorded after step k: record the loss BEFORE each update, "
                "so losses[0] is the loss of the parameters you were given",
    "gd_lr": "the learning rate is ignored (0.5 hard-coded?): use the argument lr",
    "gd_inplace": "the params passed in were changed in place: `W -= lr * dW` edits the "
                  "caller's arrays; build new ones, `W = W - lr * dW`",
}


sig, sp = S.sigmoid, S.sigmoid_prime

F32 = {"rtol": 1e-4, "atol": 1e-7}  # float32 inputs, float64 expected values


def _f64(params):
    return [(np.asarray(W, dtype=np.float64), np.asarray(b, dtype=np.float64)) for W, b in params]


def _random(rng, scale=1.0):
    """(x, y, params): W ~ N(0, scale^2), b ~ N(0, 0.25 scale^2), x ~ N(0, 1), y ~ U(0.05, 0.95)."""
    params = [(rng.normal(0, scale, (2, 2)), rng.normal(0, 0.5 * scale, 2)) for _ in range(2)]
    return rng.normal(size=2), rng.uniform(0.05, 0.95, 2), params


def _float32(x, y, params):
    return (x.astype(np.float32), y.astype(np.float32),
            [(W.astype(np.float32), b.astype(np.float32)) for W, b in params])


def _both_paths_matter(x, y, params, unit=0):
    """Each path of dL/dw1_(unit+1)1 is at least 10% of the sum, so the one-path mistakes
    show (unit: the hidden unit, 0-based; its paths leave through W2[:, unit])."""
    (_, _), (W2, _) = params
    z1, _, z2, a2 = S.forward_222(x, params)
    d2 = (a2 - y) * sp(z2)
    path = np.array([d2[k] * W2[k, unit] for k in range(2)])
    return bool(np.all(np.abs(path) > 0.1 * abs(path.sum())) and abs(x[0]) > 0.1)


def _random_discriminating(rng, unit=0):
    while True:
        x, y, p = _random(rng)
        if _both_paths_matter(x, y, p, unit):
            return x, y, p


def _inputs(rng, unit=0):
    """[(label, x, y, params, options)] shared by the gradient functions."""
    out = [("the LUMS EE514 network (x = [0.05, 0.1], y = [0.01, 0.99])", X_222, Y_222,
            S.params_222(), {})]
    for i in range(4):
        x, y, p = _random_discriminating(rng, unit)
        out.append((f"random network {i + 1}: W, b, x ~ normal, y ~ uniform(0.05, 0.95)",
                    x, y, p, {}))
    x, y, p = _float32(*_random_discriminating(rng, unit))
    out.append(("float32 x, y and parameters (random network)", x, y, p, F32))
    return out


# ---------------------------------------------------------------------------
# The engine with one known mistake each


def _forward(x, params, mistake=None):
    """(z1, a1, z2, a2) of the engine's forward pass with one mistake (a cause key:
    z1_T, z1_nob, a1_z, z2_x, z2_T, z2_nob, a2_z)."""
    (W1, b1), (W2, b2) = _f64(params)
    x = np.asarray(x, dtype=np.float64)
    if mistake is None:
        return S.forward_222(x, [(W1, b1), (W2, b2)])
    z1 = (W1.T if mistake == "z1_T" else W1) @ x + (0.0 if mistake == "z1_nob" else b1)
    a1 = z1 if mistake == "a1_z" else sig(z1)
    z2 = ((W2.T if mistake == "z2_T" else W2) @ (x if mistake == "z2_x" else a1)
          + (0.0 if mistake == "z2_nob" else b2))
    return z1, a1, z2, z2 if mistake == "a2_z" else sig(z2)


FORWARD_MISTAKES = ["z1_T", "z1_nob", "a1_z", "z2_x", "z2_T", "z2_nob", "a2_z"]


def _fwd_mistakes(x, params):
    """{mistake: (z1, a1, z2, a2) with that mistake}."""
    return {key: _forward(x, params, key) for key in FORWARD_MISTAKES}


def _part_candidates(expected, mistakes, i):
    """[(value, cause)] of part i: each mistake whose part i differs from the expected."""
    return _distinct(expected[i], [(m[i], CAUSES[key]) for key, m in mistakes.items()])


def _deltas(x, y, params, mistake=None):
    """(delta1, delta2), optionally with a mistake: "no_sp" / "sp_a" (sigma' missing / at a,
    both layers), "no_sp2" / "sp_a2" (output layer only), "no_sp1" / "sp_a1" (hidden only),
    "no_T" (W2 @ delta2)."""
    (_, _), (W2, _) = params
    z1, a1, z2, a2 = S.forward_222(x, params)
    g2 = {"no_sp": 1.0, "no_sp2": 1.0, "sp_a": sp(a2), "sp_a2": sp(a2)}.get(mistake, sp(z2))
    g1 = {"no_sp": 1.0, "no_sp1": 1.0, "sp_a": sp(a1), "sp_a1": sp(a1)}.get(mistake, sp(z1))
    d2 = (a2 - y) * g2
    return ((W2 if mistake == "no_T" else W2.T) @ d2) * g1, d2


def _dw2_mistakes(x, y, params):
    """{cause key: dL/dw2_11 computed with that one mistake}."""
    _, a1, z2, a2 = S.forward_222(x, params)
    e = S.dL_dw2_11(x, y, params)
    d = a2[0] - y[0]
    return {"no_sp": d * a1[0], "sp_a": d * sp(a2[0]) * a1[0],
            "zz": d * z2[0] * (1 - z2[0]) * a1[0], "x_for_a1": d * sp(z2[0]) * x[0],
            "two": 2 * e, "sign": -e}


def _dw1_mistakes(x, y, params):
    """{cause key: dL/dw1_11 computed with that one mistake}."""
    (_, _), (W2, _) = params
    z1, a1, z2, a2 = S.forward_222(x, params)
    e = S.dL_dw1_11(x, y, params)
    _, d2 = _deltas(x, y, params)
    path = [d2[k] * W2[k, 0] * sp(z1[0]) * x[0] for k in range(2)]
    d = a2 - y
    ds = d * sp(a2)
    return {
        "path1": path[0], "path2": path[1],
        "row": (d2[0] * W2[0, 0] + d2[1] * W2[0, 1]) * sp(z1[0]) * x[0],
        "no_sp1": (path[0] + path[1]) / sp(z1[0]),
        "no_sp": (d[0] * W2[0, 0] + d[1] * W2[1, 0]) * x[0],
        "sp_a": (ds[0] * W2[0, 0] + ds[1] * W2[1, 0]) * sp(a1[0]) * x[0],
        "sp_a1": (path[0] + path[1]) / sp(z1[0]) * sp(a1[0]),
        "two": 2 * e, "sign": -e,
    }


def _dw1_21_mistakes(x, y, params):
    """{cause key: dL/dw1_21 (W1[1, 0]) computed with that one mistake}."""
    (_, _), (W2, _) = params
    z1, a1, z2, a2 = S.forward_222(x, params)
    e = dL_dw1_21(x, y, params)
    d = a2 - y
    d2, ds = d * sp(z2), d * sp(a2)
    col = W2[:, 1]
    return {
        "p21_path1": d2[0] * W2[0, 1] * sp(z1[1]) * x[0],
        "p21_path2": d2[1] * W2[1, 1] * sp(z1[1]) * x[0],
        "p21_row": (d2[0] * W2[1, 0] + d2[1] * W2[1, 1]) * sp(z1[1]) * x[0],
        "p21_col0": (d2 @ W2[:, 0]) * sp(z1[1]) * x[0],
        "p21_sp_unit1": (d2 @ col) * sp(z1[0]) * x[0],
        "p21_x2": (d2 @ col) * sp(z1[1]) * x[1],
        "p21_swapped": (d2 @ W2[:, 0]) * sp(z1[0]) * x[1],
        "p21_copy": S.dL_dw1_11(x, y, params),
        "p21_no_sp1": (d2 @ col) * x[0],
        "p21_sp_a1": (d2 @ col) * sp(a1[1]) * x[0],
        "no_sp": (d @ col) * x[0],
        "sp_a": (ds @ col) * sp(a1[1]) * x[0],
        "two": 2 * e, "sign": -e,
    }


def _named(mistakes):
    """[(value, cause)] of {cause key: value}, equal values joined into one cause."""
    return merge_causes([(v, CAUSES[k]) for k, v in mistakes.items()])


def _bp_mistakes(x, y, params):
    """{cause key: [(dW1, db1), (dW2, db2)] of the backward pass with that one mistake}."""
    _, a1, _, _ = S.forward_222(x, params)
    d1, d2 = _deltas(x, y, params)

    def from_deltas(e1, e2):
        return [(np.outer(e1, x), e1), (np.outer(e2, a1), e2)]
    out = {"bp_" + m: from_deltas(*_deltas(x, y, params, m))
           for m in ("no_sp", "sp_a", "no_T", "no_sp1", "sp_a1")}
    out["bp_outer_T"] = [(np.outer(x, d1), d1), (np.outer(a1, d2), d2)]
    out["bp_dW2_x"] = [(np.outer(d1, x), d1), (np.outer(d2, x), d2)]
    return out


def _bp_variants(x, y, params):
    """The named mistakes, and sigma' missing or at a in the output layer only."""
    _, a1, _, _ = S.forward_222(x, params)
    d1, _ = _deltas(x, y, params)
    out = [(grads, CAUSES[k]) for k, grads in _bp_mistakes(x, y, params).items()]
    for m, why in (("no_sp2", "bp_no_sp"), ("sp_a2", "bp_sp_a")):
        e1, e2 = _deltas(x, y, params, m)
        out.append(([(np.outer(e1, x), e1), (np.outer(e2, a1), e2)], CAUSES[why]))
    return out


def _train(x, y, params, lr=0.5, steps=1000, sign=1.0, bias=True, after=False):
    """The engine's loop with a known mistake: sign of the step, fixed biases, late loss."""
    losses = []
    for _ in range(steps):
        if not after:
            losses.append(S.squared_error(S.forward_222(x, params)[3], y))
        grads = S.backprop_222(x, y, params)
        params = [(W - sign * lr * dW, b - sign * lr * db if bias else b)
                  for (W, b), (dW, db) in zip(params, grads)]
        if after:
            losses.append(S.squared_error(S.forward_222(x, params)[3], y))
    return params, np.array(losses)


def _distinct(expected, candidates):
    """Drop the mistakes that give (nearly) the expected answer on this input."""
    def flat(v):
        if isinstance(v, (list, tuple)):
            return np.concatenate([flat(u) for u in v])
        return np.ravel(np.asarray(v, dtype=np.float64))
    e = flat(expected)
    return [(c, cause) for c, cause in candidates
            if not np.allclose(flat(c), e, rtol=1e-3, atol=1e-9)]


# ---------------------------------------------------------------------------
# The cases


FORWARD_KIND = [("z1", "array"), ("a1", "array"), ("z2", "array"), ("a2", "array")]
FORWARD_TYPE = ["return z1, a1, z2, a2 (a tuple of four arrays)"]


def _forward_case(label, x, p, **opts):
    """forward_222 on (x, p): each of z1, a1, z2, a2 with its named mistakes."""
    expected = S.forward_222(np.asarray(x, np.float64), _f64(p))
    mistakes = _fwd_mistakes(x, p)
    options = {name: {"candidates": _part_candidates(expected, mistakes, i), **opts}
               for i, (name, _) in enumerate(FORWARD_KIND)}
    return case(label, (x, p), expected, kind=FORWARD_KIND, type_causes=FORWARD_TYPE,
                **options)


def _forward_cases(rng):
    inputs = _inputs(rng)
    x, y, p = _random(rng, scale=8.0)
    inputs.append(("large weights (saturated units, |z| up to ~30)", 3 * x, y, p, {}))
    return [_forward_case(label, x, p, **opts) for label, x, _, p, opts in inputs]


def _number_case(fn, variants, label, x, y, p, **opts):
    """A one-weight gradient on (x, y, p), with its named mistakes (equal ones joined)."""
    x64, y64, p64 = np.asarray(x, np.float64), np.asarray(y, np.float64), _f64(p)
    expected = fn(x64, y64, p64)
    return case(label, (x, y, p), expected, kind="number",
                candidates=_distinct(expected, _named(variants(x64, y64, p64))), **opts)


def _number_cases(inputs, fn, variants):
    return [_number_case(fn, variants, label, x, y, p, **opts,
                         replays=replayed(fn, (x, y, p), forward_222=2))
            for label, x, y, p, opts in inputs]


def _backprop_cases(rng):
    inputs = _inputs(rng)
    x, y, p = _random(rng)
    inputs.append(("x_1 = 0 exactly (column 1 of dW1 is zero)", np.array([0.0, 1.5]), y, p, {}))
    return [_backprop_case(label, x, y, p, replays=replayed(S.backprop_222, (x, y, p),
                                                           forward_222=2),
                           **({"rtol": 1e-4, "atol": 1e-6} if opts else {}))
            for label, x, y, p, opts in inputs]


def _backprop_case(label, x, y, p, **opts):
    """backprop_222 on (x, y, p), with the backward pass's named mistakes."""
    x64, y64, p64 = np.asarray(x, np.float64), np.asarray(y, np.float64), _f64(p)
    expected = S.backprop_222(x64, y64, p64)
    return case(label, (x, y, p), expected, kind="pairs", names=("dW", "db"),
                shape_causes=outer_shapes(CAUSES),
                candidates=_distinct(expected, _bp_variants(x64, y64, p64)), **opts)


def _step_cases():
    """The number written by hand: one case, no input; tolerance 5e-7 absolute in all
    (the grader adds 1e-6 |expected| to atol, so atol is set to make the sum 5e-7)."""
    expected = w1_11_after_step()
    return [case("w1_11 of the LUMS EE514 network after one step with eta = 0.5 (no input)",
                 (), expected, kind="number", rtol=0.0,
                 atol=ATOL_STEP - 1e-6 * abs(expected),
                 candidates=[(v, cause) for v, cause in step_candidates()
                             if abs(v - expected) > ATOL_STEP])]


TRAIN_KIND = [("params", "pairs"), ("losses", "list")]


def _train_cases(rng):
    lec = ("the LUMS EE514 network", X_222, Y_222, S.params_222())
    runs = [(lec, {"lr": 0.5, "steps": 1}, "lr = 0.5, steps = 1"),
            (lec, {}, "the defaults (lr = 0.5, steps = 1000)")]
    for lr, steps in ((0.3, 20), (1.0, 50), (2.0, 10)):
        x, y, p = _random(rng)
        runs.append((("random network", x, y, p), {"lr": lr, "steps": steps},
                     f"lr = {lr}, steps = {steps}"))
    out = []
    for (name, x, y, p), kwargs, what in runs:
        lr, steps = kwargs.get("lr", 0.5), kwargs.get("steps", 1000)
        params, losses = S.train_222(x, y, p, **kwargs)
        wrong = {"sign": _train(x, y, p, lr, steps, sign=-1.0),
                 "bias": _train(x, y, p, lr, steps, bias=False),
                 "after": _train(x, y, p, lr, steps, after=True)}
        loss_cands = [(wrong["after"][1], CAUSES["gd_after"]),
                      (wrong["sign"][1], CAUSES["gd_sign"]),
                      (wrong["bias"][1], CAUSES["gd_bias"])]
        if lr != 0.5:
            loss_cands.append((_train(x, y, p, 0.5, steps)[1], CAUSES["gd_lr"]))
        # kept: the caller's params are compared after the call (the docstring promises
        # they are not modified); an in-place update leaves them at the trained values.
        out.append(case(f"{name}, {what}", (x, y, p), ((params, losses), p), kwargs=kwargs,
                        replays=replayed(S.train_222, (x, y, p), kwargs, forward_222=2,
                                         backprop_222=3),
                        kind=[("the result", TRAIN_KIND), ("params after the call", "pairs")],
                        kept=[2],
                        **{"the result": {
                            "params": {"candidates": _distinct(params, [
                                (wrong["sign"][0], CAUSES["gd_sign"]),
                                (wrong["bias"][0], CAUSES["gd_bias"])])},
                            "losses": {"candidates": _distinct(losses, loss_cands)}},
                           "params after the call": {"candidates": [
                               (params, CAUSES["gd_inplace"])]}}))
    return out


def cases():
    rng = np.random.default_rng(606)
    return {
        "forward_222": _forward_cases(rng),
        "dL_dw2_11": _number_cases(_inputs(rng), S.dL_dw2_11, _dw2_mistakes),
        "dL_dw1_11": _number_cases(_inputs(rng), S.dL_dw1_11, _dw1_mistakes),
        "backprop_222": _backprop_cases(rng),
        "train_222": _train_cases(rng),
        "dL_dw1_21": _number_cases(_inputs(rng, unit=1), dL_dw1_21, _dw1_21_mistakes),
        "w1_11_after_step": _step_cases(),
    }


# --------------------------------------------------------------- the visible cases
# The LUMS EE514 network, and network B with negative weights and non-symmetric
# matrices, so that transposes and swapped indices show. (The check module keeps network
# C, where only central differences of the student's own forward_222 are the reference.)
X_B, Y_B = np.array([0.6, -0.3]), np.array([0.9, 0.2])
P_B = [(np.array([[0.8, -0.5], [0.3, 1.2]]), np.array([0.1, -0.4])),
       (np.array([[-1.1, 0.7], [0.6, 0.9]]), np.array([0.2, -0.3]))]
NETWORKS = [
    ("the LUMS EE514 network: x = [0.05, 0.1], y = [0.01, 0.99], "
     "W1 = [[0.15, 0.2], [0.25, 0.3]], ...", X_222, Y_222, S.params_222()),
    ("network B: x = [0.6, -0.3], y = [0.9, 0.2], W1 = [[0.8, -0.5], [0.3, 1.2]], "
     "b1 = [0.1, -0.4], W2 = [[-1.1, 0.7], [0.6, 0.9]], b2 = [0.2, -0.3]", X_B, Y_B, P_B),
]


def _visible_train(label, x, y, p, lr, steps, keys, **extra):
    """train_222: (params, losses) and those of the loop with each named mistake."""
    switches = {"gd_sign": {"sign": -1.0}, "gd_bias": {"bias": False},
                "gd_after": {"after": True}, "gd_lr": {"lr": 0.5}}
    mistakes = {k: _train(x, y, p, **{"lr": lr, "steps": steps, **switches[k]}) for k in keys}
    kwargs = {} if extra.pop("defaults", False) else {"lr": lr, "steps": steps}
    return dict(label=label, args=(x, y, p), kwargs=kwargs,
                expected=S.train_222(x, y, p, lr, steps), mistakes=mistakes, **extra)


def visible():
    """The cases of the visible checks (generated into bpcheck/worked_cases.py)."""
    def number(fn, mistakes):
        return [_number_case(fn, mistakes, label, x, y, p) for label, x, y, p in NETWORKS]
    (lec, x, y, p), (b_label, xb, yb, pb) = NETWORKS
    train = [
        _visible_train(f"{lec}, lr = 0.5, steps = 1", x, y, p, 0.5, 1, ["gd_after"]),
        _visible_train(f"{b_label}, lr = 0.8, steps = 5", xb, yb, pb, 0.8, 5,
                       ["gd_after", "gd_sign", "gd_bias", "gd_lr"]),
        _visible_train(f"{lec}, defaults (lr = 0.5, steps = 1000)", x, y, p, 0.5, 1000, [],
                       defaults=True),
    ]
    params, losses = train[2]["expected"]  # of 1000 losses, the first and the last
    train[2]["expected"] = (params, [losses[0], losses[-1]])
    # After one step W1[0, 0] is the answer of w1_11_after_step, which is not shipped: the
    # check derives the parameters after one step from the lecture's gradients.
    train[0]["expected"] = (None, train[0]["expected"][1])
    train[0]["mistakes"] = {k: (None, m[1]) for k, m in train[0]["mistakes"].items()}
    return {
        "forward_222": [_forward_case(label, x, p) for label, x, _, p in NETWORKS],
        "dL_dw2_11": number(S.dL_dw2_11, _dw2_mistakes),
        "dL_dw1_11": number(S.dL_dw1_11, _dw1_mistakes),
        "dL_dw1_21": number(dL_dw1_21, _dw1_21_mistakes),
        "backprop_222": [_backprop_case(label, x, y, p) for label, x, y, p in NETWORKS],
        "train_222": train,
    }
