"""Visible checks for notebook 06, the worked 2-2-2 sigmoid example (the LUMS EE514 slides).

Convention: params = [(W1, b1), (W2, b2)], W[j, k] = weight from input k to unit j
(row = unit of this layer), one sample in column form, L = 1/2 ||a2 - y||^2.

The cases (the lecture's network and a second network "B" with negative weights and
non-symmetric matrices, so that transposes and swapped indices show; the engine's
results, and those of the engine with each named mistake) come from the case table,
grader/pipeline/cases/worked.py, generated into worked_cases.py with the words of each
mistake (its CAUSES). forward_222 and the one-weight gradients run their cases with the
one runner (judge.run), as the hidden tests do; gradients are also compared with central
differences of a loss built from the student's own forward_222, on a third network "C"
(a case computed when the check runs). backprop_222, train_222 and w1_11_after_step stay
code: their structure and length diagnoses, the per-block central-difference report, and
an answer that is not shipped have no compare option. No reference code is shipped.
"""
import copy

import numpy as np

from .calls import call
from .compare import check_array, check_order
from .diagnose import close, explain_values
from .judge import case, run
from .numgrad import central_difference, full_check
from .report import describe, fail, fmt, passed
from . import Causes, visible_cases

# Network C: no expected values, central differences of the student's own forward_222.
X_C, Y_C = np.array([-0.4, 0.9]), np.array([0.3, 0.7])
P_C = [(np.array([[1.3, -0.2], [-0.7, 0.5]]), np.array([0.05, 0.25])),
       (np.array([[0.45, -1.4], [-0.8, 0.3]]), np.array([-0.1, 0.4]))]
CASE_C = ("network C: x = [-0.4, 0.9], y = [0.3, 0.7], W1 = [[1.3, -0.2], [-0.7, 0.5]], "
          "b1 = [0.05, 0.25], W2 = [[0.45, -1.4], [-0.8, 0.3]], b2 = [-0.1, 0.4]")
CENTRAL = " (against central differences of the loss built from your forward_222)"

# The numeric answer: w1_11 after one step with eta = 0.5 on the lecture's network, graded
# with an absolute tolerance (6 decimals are enough). The answer is not written here.
ATOL_STEP = 5e-7
ETA = 0.5

CAUSES = Causes("worked")  # the words of each mistake: the case table's CAUSES


def outer_shapes(causes=CAUSES):
    """{wrong shape: cause} of a dW: (2,) is delta * a in place of np.outer(delta, a) (the
    case table passes its own ``causes``: it writes the generated module these are read from)."""
    return {(2,): causes["bp_outer_star"]}


# ---------------------------------------------------------------------------
# Helpers


def _cases(function):
    return visible_cases("worked", function)


def _require_forward(forward_222, function):
    """The gradient checks build on the student's forward_222: make sure it works."""
    lec = _cases("forward_222")[0]
    out = call(forward_222, *lec["args"], function="forward_222", case=lec["label"])
    ok = isinstance(out, tuple) and len(out) == 4
    if ok:
        try:
            ok = all(np.shape(o) == (2,) and np.allclose(np.asarray(o, dtype=float), e,
                                                         rtol=1e-6, atol=1e-9)
                     for o, e in zip(out, lec["expected"]))
        except (TypeError, ValueError):
            ok = False
    if not ok:
        fail(function, lec["label"], "this check uses your forward_222, which does not pass yet",
             causes=["run check_forward_222 above and fix forward_222 first"])


def _loss_of(forward_222, x, y, case):
    """L(params) = 1/2 ||a2 - y||^2 with a2 from the student's forward_222."""
    def loss(params):
        a2 = call(forward_222, x, params, function="forward_222", case=case)[3]
        d = np.asarray(a2, dtype=np.float64) - y
        return 0.5 * float(np.sum(d * d))
    return loss


def _numeric_entry(loss, params, layer, index, eps=1e-6):
    """dL/dW[layer][index] by central differences."""
    params = copy.deepcopy(params)
    return central_difference(lambda _: loss(params), params[layer - 1][0], index, eps)


def merge_causes(candidates):
    """[(value, cause)] with the candidates of (nearly) equal value joined into one cause,
    so that two mistakes giving the same number on an input are both named."""
    out = []
    for value, cause in candidates:
        for i, (v, c) in enumerate(out):
            if close(value, v):
                out[i] = (v, f"{c}; or: {cause}")
                break
        else:
            out.append((value, cause))
    return out


def _named(mistakes, part=lambda v: v, expected=None):
    """[(value, cause)] of the case's named mistakes {cause key: value}; part picks a part
    of each value, and those equal to the expected part are left out."""
    out = [(part(v), CAUSES[k]) for k, v in mistakes.items()]
    return [(v, c) for v, c in out if expected is None or not _same(v, expected)]


def _same(a, b):
    """True if two (nested) results are equal in shape and value, to 1e-12."""
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same(u, v) for u, v in zip(a, b))
    return np.shape(a) == np.shape(b) and np.allclose(a, b, rtol=1e-12, atol=1e-15)


# ---------------------------------------------------------------------------
# The checks


def check_forward_222(forward_222):
    """z1 = W1 x + b1, a1 = sigma(z1), z2 = W2 a1 + b2, a2 = sigma(z2), on two networks."""
    run("forward_222", _cases("forward_222"), forward_222=forward_222,
        summary="z1, a1, z2, a2 on the LUMS EE514 network and on network B")


def _check_one_weight(fn, forward_222, function, layer, summary, index=(0, 0)):
    """A one-weight chain-rule gradient: two networks, then central differences on a third.

    index: the weight's entry of W^[layer] (numpy, 0-based).
    """
    _require_forward(forward_222, function)
    num = _numeric_entry(_loss_of(forward_222, X_C, Y_C, CASE_C), P_C, layer, index)
    own = case(CASE_C + CENTRAL, (X_C, Y_C, P_C), num, kind="number", rtol=1e-5, atol=1e-8)
    run(function, _cases(function) + [own], summary=summary, **{function: fn})


def check_dL_dw2_11(dL_dw2_11, forward_222):
    """The one-path chain rule for dL/dw2_11, on two networks and by central differences."""
    _check_one_weight(dL_dw2_11, forward_222, "dL_dw2_11", 2, "the lecture's 0.0821670, "
                      "network B, and central differences on network C")


def check_dL_dw1_11(dL_dw1_11, forward_222):
    """The two-path chain rule for dL/dw1_11, on two networks and by central differences."""
    _check_one_weight(dL_dw1_11, forward_222, "dL_dw1_11", 1, "both paths summed: the LUMS "
                      "EE514 network, network B, central differences")


def check_dL_dw1_21(dL_dw1_21, forward_222):
    """Your own two-path derivation for dL/dw1_21 (W1[1, 0]): two networks, central differences."""
    _check_one_weight(dL_dw1_21, forward_222, "dL_dw1_21", 1, "both paths through hidden "
                      "unit 2: the LUMS EE514 network, network B, central differences",
                      index=(1, 0))


def _step():
    """(w1_11, w2_11, w1_21 of the lecture's network, their gradients, one path's)."""
    lec = {f: _cases(f)[0] for f in ("dL_dw1_11", "dL_dw2_11", "dL_dw1_21")}
    (W1, _), (W2, _) = lec["dL_dw1_11"]["args"][2]
    return (W1[0, 0], W2[0, 0], W1[1, 0], lec["dL_dw1_11"]["expected"],
            lec["dL_dw2_11"]["expected"], lec["dL_dw1_21"]["expected"],
            next(v for v, c in lec["dL_dw1_11"]["options"]["candidates"] if CAUSES["path1"] in c))


def step_candidates():
    """[(wrong value, cause)] of w1_11 after one step, from the lecture's numbers."""
    w, w2, w21, g, g2, g21, path = _step()
    e = -ETA * g
    small = [(g, CAUSES["step_grad"]), (e, CAUSES["step_change"]), (-e, CAUSES["step_change"])]
    return merge_causes(small + [(round(v, 6), cause) for v, cause in small] + [
        (w - e, CAUSES["step_sign"]), (w - g, CAUSES["step_eta"]), (w + g, CAUSES["step_sign"]),
        (w, CAUSES["step_none"]), (w - ETA * g2, CAUSES["step_w2"]),
        (w2 - ETA * g2, CAUSES["step_new_w2"]), (w21 - ETA * g21, CAUSES["step_new_w21"]),
        (w - ETA * path, CAUSES["step_one_path"]),
        (round(w + e, 4), CAUSES["step_digits"]), (round(w + e, 5), CAUSES["step_digits"])])


def check_w1_11_after_step(w1_11_after_step):
    """Right or wrong (absolute tolerance 5e-7), and a likely cause, without the answer."""
    label = "no input: w1_11 of the LUMS EE514 network after one step with eta = 0.5"
    got = call(w1_11_after_step, function="w1_11_after_step", case=label)
    if isinstance(got, np.ndarray) and got.size == 1:
        got = got.reshape(())[()]
    if isinstance(got, (bool, np.bool_)) or not isinstance(got, (int, float, np.integer,
                                                                np.floating)):
        causes = (["the function does not `return` anything: end with `return 0.123456` "
                   "(your number)"] if got is None else
                  ["the number came back as text: write it without quotes, return 0.123456"]
                  if isinstance(got, str) else ["return one number (a float)"])
        fail("w1_11_after_step", label, "the result has the wrong type",
             expected="a number (float)", got=describe(got), causes=causes)
    got = float(got)
    w, _, _, g, *_ = _step()
    expected = w - ETA * g
    if np.isfinite(got) and abs(got - expected) <= ATOL_STEP:
        passed("w1_11_after_step", f"right (to within {ATOL_STEP:g}, absolute)")
        return
    causes = explain_values(got, expected, step_candidates())
    if not causes and abs(got - expected) < 5e-5:
        causes = [CAUSES["step_digits"]]
    fail("w1_11_after_step", label,
         f"not the right value (graded with an absolute tolerance of {ATOL_STEP:g}; "
         "the answer is not shown)", got=f"{got:.8g}",
         causes=causes or ["recompute w1_11 - eta * dL/dw1_11 with w1_11 = 0.15, eta = 0.5 "
                           "and the gradient of section 5, by hand or with a calculator"])


def _check_grads(got, expected, candidates, function, case, values=True):
    """[(dW1, db1), (dW2, db2)]: structure, then layer 2 first (backprop runs downward).

    values=False checks the structure, types and shapes only (for central differences).
    """
    if not isinstance(got, (list, tuple)) or len(got) != 2:
        causes = (["return [(dW1, db1), (dW2, db2)], layer 1 first"] if got is not None
                  else ["the function does not `return` anything"])
        fail(function, case, "the result has the wrong type",
             expected="a list of 2 (dW, db) pairs, layer 1 first", got=describe(got),
             causes=causes)
    if all(isinstance(g, np.ndarray) for g in got):
        fail(function, case, "the result is one (dW, db) pair, not one pair per layer",
             expected="[(dW1, db1), (dW2, db2)]", got=f"({describe(got[0])}, {describe(got[1])})",
             causes=["return the gradients of both layers, layer 1 first"])
    check_order(got, expected, function=function, case=case, names=("dW", "db"), values=values)
    for l in (2, 1):
        pair = got[l - 1]
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            fail(function, case, f"entry {l - 1} (layer {l}) is not a pair",
                 expected="a tuple (dW, db)", got=describe(pair))
        for k, part in enumerate(("dW", "db")):
            if not values:
                want = expected[l - 1][k]
                if isinstance(pair[k], np.ndarray) and pair[k].shape == want.shape \
                        and pair[k].dtype.kind == "f":
                    continue
            check_array(pair[k], expected[l - 1][k], function=function, case=case,
                        name=f"{part}{l}", shape_causes=outer_shapes() if part == "dW" else None,
                        candidates=[(c[l - 1][k], cause) for c, cause in candidates])


def check_backprop_222(backprop_222, forward_222):
    """The vectorized rule on two networks, then every entry by central differences."""
    _require_forward(forward_222, "backprop_222")
    cases = _cases("backprop_222")
    for c in cases:
        got = call(backprop_222, *c["args"], function="backprop_222", case=c["label"])
        _check_grads(got, c["expected"], c["options"]["candidates"], "backprop_222",
                     c["label"])
    label = CASE_C + CENTRAL
    grads = call(backprop_222, X_C, Y_C, P_C, function="backprop_222", case=label)
    _check_grads(grads, cases[0]["expected"], [], "backprop_222", label, values=False)
    report = full_check(_loss_of(forward_222, X_C, Y_C, CASE_C), P_C, grads)
    if not report.ok:
        worst = report.bad[0]
        entry = worst.entries[0] if worst.entries else None
        fail("backprop_222", label, f"{worst.name} disagrees with central differences",
             entry=None if entry is None else f"{worst.name}{list(entry[0])}",
             expected=None if entry is None else f"{entry[1]:.8g} (numerical)",
             got=None if entry is None else f"{entry[2]:.8g} (yours)",
             causes=["the relative errors per block are:\n" + report.table()])
    passed("backprop_222", "the lecture's gradients, network B, and all 12 entries against "
                           "central differences")


def _train_result(out, steps, function, case):
    """Validate (params, losses) and return them, losses as a float64 array."""
    if not isinstance(out, tuple) or len(out) != 2:
        fail(function, case, "the result has the wrong type",
             expected="a tuple (params, losses)", got=describe(out),
             causes=["return params, losses" if out is not None
                     else "the function does not `return` anything: end with "
                          "`return params, losses`"])
    params, losses = out
    if not isinstance(losses, (list, tuple, np.ndarray)):
        fail(function, case, "losses has the wrong type",
             expected=f"a list of {steps} numbers", got=describe(losses),
             causes=["append the loss of every step to a list and return the list"])
    try:
        arr = np.asarray(losses, dtype=np.float64)
    except (TypeError, ValueError):
        arr = None
    if arr is None or arr.ndim != 1:
        fail(function, case, "losses is not a flat list of numbers", got=describe(losses),
             causes=["append one number per step, float(loss), not an array or a tuple"])
    if arr.size != steps:
        causes = {steps + 1: ["one loss too many: losses[k] is the loss before step k, so "
                              "len(losses) == steps (do not append a final loss)"],
                  steps - 1: ["one loss is missing: record a loss before EVERY step"],
                  1000: ["steps is ignored: loop `for _ in range(steps)`"]}.get(arr.size, [])
        fail(function, case, "losses has the wrong length", expected=steps, got=arr.size,
             causes=causes or ["one loss per step: len(losses) == steps"])
    return params, arr


def _check_params(got, expected, candidates, function, case):
    if not isinstance(got, (list, tuple)) or len(got) != 2:
        fail(function, case, "params has the wrong type",
             expected="a list [(W1, b1), (W2, b2)]", got=describe(got),
             causes=["return the updated parameters in the same layout as the input"])
    for l in (1, 2):
        pair = got[l - 1]
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            fail(function, case, f"params entry {l - 1} (layer {l}) is not a pair",
                 expected="a tuple (W, b)", got=describe(pair))
        for k, part in enumerate(("W", "b")):
            check_array(pair[k], expected[l - 1][k], function=function, case=case,
                        name=f"{part}{l} after training",
                        candidates=[(c[l - 1][k], cause) for c, cause in candidates])


def _train_steps(train_222, c, params_e, params_candidates):
    """A train_222 case: its losses (the named mistakes' too), then its parameters."""
    label, losses_e = c["label"], c["expected"][1]
    params, losses = _train_result(call(train_222, *c["args"], **c["kwargs"],
                                        function="train_222", case=label),
                                   len(losses_e), "train_222", label)
    check_array(losses, losses_e, function="train_222", case=label, name="losses",
                candidates=_named(c["mistakes"], lambda v: v[1], losses_e))
    _check_params(params, params_e, params_candidates, "train_222", label)


def check_train_222(train_222, forward_222):
    """One step on the LUMS EE514 network, five on network B, the defaults, no in-place edits."""
    _require_forward(forward_222, "train_222")
    one, five, defaults = _cases("train_222")
    # 1. One step on the lecture's network: W - 0.5 dW with the lecture's gradients (the
    # case table leaves them out: W1[0, 0] is the answer of w1_11_after_step).
    given, grads = one["args"][2], _cases("backprop_222")[0]["expected"]
    step = lambda s, bias=True: [(W - s * 0.5 * dW, b - s * 0.5 * db if bias else b)  # noqa: E731
                                 for (W, b), (dW, db) in zip(given, grads)]
    _train_steps(train_222, one, step(1), [(step(-1), CAUSES["gd_sign"]),
                                           (step(1, bias=False), CAUSES["gd_bias"])])
    # 2. Five steps on network B with lr = 0.8: the losses, then the parameters.
    params_e = five["expected"][0]
    _train_steps(train_222, five, params_e, _named(five["mistakes"], lambda v: v[0], params_e))
    # 3. The defaults lr = 0.5, steps = 1000, and the caller's arrays left unchanged.
    label, given = defaults["label"], defaults["args"][2]
    mine = copy.deepcopy(given)
    out = call(train_222, *defaults["args"][:2], mine, function="train_222", case=label,
               copy_inputs=False)
    params, losses = _train_result(out, 1000, "train_222", label)
    if any(not np.array_equal(a, b) for pa, pb in zip(mine, given) for a, b in zip(pa, pb)):
        fail("train_222", label, "the params passed in were changed in place",
             causes=[CAUSES["gd_inplace"]])
    check_array(losses[[0, -1]], defaults["expected"][1], function="train_222", case=label,
                name="[losses[0], losses[999]]")
    _check_params(params, defaults["expected"][0], [], "train_222", label)
    passed("train_222", f"one step on the LUMS EE514 network, five on network B, and the "
                        f"defaults: loss {fmt(losses[0])} -> {fmt(losses[-1])} in 1000 steps")
