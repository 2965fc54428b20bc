"""Visible checks for notebook 06, the worked 2-2-2 sigmoid example (the LUMS EE514 slides).

Convention: params = [(W1, b1), (W2, b2)], W[j, k] = weight from input k to unit j
(row = unit of this layer), one sample in column form, L = 1/2 ||a2 - y||^2.

Expected values are test vectors computed once with the reference engine (to
1e-15) and written here as numbers: the lecture's network, and a second network
"B" with negative weights and non-symmetric matrices, so that transposes and
swapped indices show. Known mistakes are recognised from literal numbers too.
Gradients are also compared with central differences of a loss built from the
student's own forward_222, on a third network "C". No reference code is shipped.
"""
import copy

import numpy as np

from .calls import call
from .compare import check_array, check_number, check_order
from .diagnose import close, explain_values
from .numgrad import central_difference, full_check
from .report import describe, fail, fmt, passed

# ---------------------------------------------------------------------------
# The inputs: the LUMS EE514 network, network B (test vectors), network C (numeric only)


def _net(W1, b1, W2, b2):
    return [(np.array(W1, dtype=float), np.array(b1, dtype=float)),
            (np.array(W2, dtype=float), np.array(b2, dtype=float))]


X_LEC, Y_LEC = np.array([0.05, 0.10]), np.array([0.01, 0.99])
P_LEC = _net([[0.15, 0.20], [0.25, 0.30]], [0.35, 0.35], [[0.40, 0.45], [0.50, 0.55]], [0.60, 0.60])
X_B, Y_B = np.array([0.6, -0.3]), np.array([0.9, 0.2])
P_B = _net([[0.8, -0.5], [0.3, 1.2]], [0.1, -0.4], [[-1.1, 0.7], [0.6, 0.9]], [0.2, -0.3])
X_C, Y_C = np.array([-0.4, 0.9]), np.array([0.3, 0.7])
P_C = _net([[1.3, -0.2], [-0.7, 0.5]], [0.05, 0.25], [[0.45, -1.4], [-0.8, 0.3]], [-0.1, 0.4])

CASE_LEC = ("the LUMS EE514 network: x = [0.05, 0.1], y = [0.01, 0.99], "
            "W1 = [[0.15, 0.2], [0.25, 0.3]], ...")
CASE_B = ("network B: x = [0.6, -0.3], y = [0.9, 0.2], W1 = [[0.8, -0.5], [0.3, 1.2]], "
          "b1 = [0.1, -0.4], W2 = [[-1.1, 0.7], [0.6, 0.9]], b2 = [0.2, -0.3]")
CASE_C = ("network C: x = [-0.4, 0.9], y = [0.3, 0.7], W1 = [[1.3, -0.2], [-0.7, 0.5]], "
          "b1 = [0.05, 0.25], W2 = [[0.45, -1.4], [-0.8, 0.3]], b2 = [-0.1, 0.4]")

# ---------------------------------------------------------------------------
# Test vectors (engine, float64). Suffix _LEC: the LUMS EE514 network; _B: network B.

FWD = {
    "LEC": (np.array([0.3775, 0.39249999999999996]),
            np.array([0.5932699921071872, 0.596884378259767]),
            np.array([1.10590596705977, 1.2249214040964653]),
            np.array([0.7513650695523157, 0.7729284653214625])),
    "B": (np.array([0.73, -0.5800000000000001]),
          np.array([0.6748052725823135, 0.35893259366518293]),
          np.array([-0.2910329842749168, 0.42792249784805275]),
          np.array([0.4277509942438819, 0.6053774711393344])),
}
LOSS = {"LEC": 0.2983711087600027, "B": 0.19367500877248198}

# Forward mistakes: z1 = W1^T x + b1; z2 from x instead of a1 (the slide's typo);
# z2 = W2^T a1 + b2.
FWD_WRONG = {
    "LEC": {"z1_T": np.array([0.38249999999999995, 0.38999999999999996]),
            "z2_x": np.array([0.665, 0.6799999999999999]),
            "a2_x": np.array([0.660382673079216, 0.6637386974043527]),
            "z2_T": np.array([1.1357501859727583, 1.1952579044911062]),
            "a2_T": np.array([0.7568985138058796, 0.7676801170808158])},
    "B": {"z1_T": np.array([0.49, -1.06]),
          "z2_x": np.array([-0.6699999999999999, -0.21000000000000002]),
          "a2_x": np.array([0.33849684079704756, 0.4476920904256747]),
          "z2_T": np.array([-0.32692624364143513, 0.49540302510628403]),
          "a2_T": np.array([0.4189887028389872, 0.6213784184487403])},
}

# dL/dw2_11 and its usual mistakes.
DW2_11 = {"LEC": 0.08216704056423078, "B": -0.0780055662885887}
DW2_11_WRONG = {
    "LEC": {"no_sp": 0.4398296489618467, "sp_a": 0.09578976954248139,
            "zz": -0.051513746142938285, "x": 0.006924928081427849},
    "B": {"no_sp": -0.3186761190559838, "sp_a": -0.07613307028989927,
          "zz": 0.11973719230751832, "x": -0.0693582899760821},
}

# dL/dw1_11: the sum of two paths, and its usual mistakes.
DW1_11 = {"LEC": 0.00043856773447434685, "B": 0.0243927612367267}
DW1_11_WRONG = {
    "LEC": {"path1": 0.0006683960211443732, "path2": -0.00022982828667002638,
            "row": 0.00046155056314134933, "no_sp1": 0.001817515319657234,
            "no_sp": 0.00940051302408288, "sp_a": 0.00047142546535470137,
            "sp_a1": 0.00041663056941463337},
    "B": {"path1": 0.01674221925174472, "path2": 0.007650541984981978,
          "row": 0.025667851567557028, "no_sp1": 0.11115755921651242,
          "no_sp": 0.45762023340919833, "sp_a": 0.02410022737134835,
          "sp_a1": 0.02485130600987826},
}

# dL/dw1_21 (input 1 into hidden unit 2: its paths leave through W2[:, 1]), and mistakes.
DW1_21 = {"LEC": 0.0004977127352608601, "B": 0.0008615765841989733}
DW1_21_WRONG = {
    "LEC": {"path1": 0.0007498037744448428, "path2": -0.00025209103918398274,
            "row": 0.0005810242657547315, "col0": 0.0004373185719655327,
            "sp_unit1": 0.0004991344084503907, "x2": 0.0009954254705217202,
            "swapped": 0.0008771354689486937, "copy": 0.00043856773447434685,
            "no_sp1": 0.0020685161324372355, "sp_a1": 0.00047367256052623335,
            "no_sp": 0.010711246861267324, "sp_a": 0.0005365130695194576},
    "B": {"path1": -0.011171539128973926, "path2": 0.012033115713172901,
          "row": 0.0024575107454809634, "col0": 0.025577352916217155,
          "sp_unit1": 0.0008216734536354186, "x2": -0.00043078829209948624,
          "swapped": -0.01219638061836335, "copy": 0.0243927612367267,
          "no_sp1": 0.0037443573809756896, "sp_a1": 0.0009065753948639105,
          "no_sp": 0.020559251997670957, "sp_a": 0.0006337833620634381},
}
# the keys of DW1_21_WRONG -> the keys of WHY
DW1_21_MISTAKES = [("path1", "p21_path1"), ("path2", "p21_path2"), ("row", "p21_row"),
                   ("col0", "p21_col0"), ("sp_unit1", "p21_sp_unit1"), ("x2", "p21_x2"),
                   ("swapped", "p21_swapped"), ("copy", "p21_copy"),
                   ("no_sp1", "p21_no_sp1"), ("sp_a1", "p21_sp_a1"), ("no_sp", "no_sp"),
                   ("sp_a", "sp_a")]

# The numeric answer: w1_11 after one step with eta = 0.5 on the lecture's network, graded
# with an absolute tolerance (6 decimals are enough). The answer is not written here.
ATOL_STEP = 5e-7
ETA = 0.5

# backprop_222: delta1, delta2 (= db1, db2), and the deltas of the usual mistakes.
DELTA = {
    "LEC": (np.array([0.008771354689486937, 0.009954254705217202]),
            np.array([0.13849856162855698, -0.03809823651655623])),
    "B": (np.array([0.040654602061211166, 0.0014359609736649542]),
          np.array([-0.11559714996013683, 0.09684288956339474])),
}
GRADS = {
    "LEC": [(np.array([[0.00043856773447434685, 0.0008771354689486937],
                       [0.0004977127352608601, 0.0009954254705217202]]), DELTA["LEC"][0]),
            (np.array([[0.08216704056423078, 0.08266762784753326],
                       [-0.022602540477475067, -0.02274024221597822]]), DELTA["LEC"][1])],
    "B": [(np.array([[0.0243927612367267, -0.01219638061836335],
                     [0.0008615765841989725, -0.00043078829209948624]]), DELTA["B"][0]),
          (np.array([[-0.0780055662885887, -0.041491584855495006],
                     [0.06535009248948546, 0.034760069529020145]]), DELTA["B"][1])],
}
DELTA_WRONG = {  # (delta1, delta2) of a backward pass with a known mistake (..1: hidden only)
    "LEC": {"no_sp": (np.array([0.1880102604816576, 0.21422493722534647]),
                      np.array([0.7413650695523157, -0.21707153467853746])),
            "sp_a": (np.array([0.009428509307094027, 0.010730261390389153]),
                     np.array([0.16146066852674198, -0.0469063996580955])),
            "no_T": (np.array([0.009231011262826988, 0.011620485315094629]),
                     np.array([0.13849856162855698, -0.03809823651655623])),
            "no_sp1": (np.array([0.03635030639314468, 0.04137032264874471]),
                       np.array([0.13849856162855698, -0.03809823651655623])),
            "sp_a1": (np.array([0.008332611388292667, 0.009473451210524666]),
                      np.array([0.13849856162855698, -0.03809823651655623]))},
    "B": {"no_sp": (np.array([0.7627003890153305, 0.03426541999611826]),
                    np.array([-0.4722490057561181, 0.40537747113933437])),
          "sp_a": (np.array([0.04016704561891392, 0.0010563056034390635]),
                   np.array([-0.11282228130577103, 0.09259819250407751])),
          "no_T": (np.array([0.04277975261259505, 0.004095851242468272]),
                   np.array([-0.11559714996013683, 0.09684288956339474])),
          "no_sp1": (np.array([0.18526259869418737, 0.006240595634959483]),
                     np.array([-0.11559714996013683, 0.09684288956339474])),
          "sp_a1": (np.array([0.041418843349797105, 0.001510958991439851]),
                    np.array([-0.11559714996013683, 0.09684288956339474]))},
}

# train_222 on network B, lr = 0.8, steps = 5: the losses, and those of the mistakes.
TRAIN_B = {
    "losses": np.array([0.19367500877248198, 0.16396279685107734, 0.13836149549462606,
                        0.11676728972821972, 0.09880076664179202]),
    "params": _net([[0.7234005491768358, -0.4617002745884179],
                    [0.30137886911781414, 1.199310565441093]],
                   [-0.027665751371940255, -0.3977018848036431],
                   [[-0.839202794899159, 0.8422998022575264],
                    [0.3759565199919242, 0.7777069158259424]],
                   [0.5966429414814617, -0.6408753690133573]),
}
TRAIN_B_WRONG = {
    "after": np.array([0.16396279685107734, 0.13836149549462606, 0.11676728972821972,
                       0.09880076664179202, 0.08396127837839458]),
    "sign": np.array([0.19367500877248198, 0.22529405200810254, 0.26017828130123166,
                      0.29739107605766685, 0.3356149718141179]),
    "no_bias": np.array([0.19367500877248198, 0.18260522299433402, 0.17214462130781755,
                         0.1622802463030874, 0.15299380730615147]),
    "lr_05": np.array([0.19367500877248198, 0.17485362684546052, 0.15760945094271864,
                       0.14195826358027253, 0.1278591190495493]),
}
# train_222 on the lecture's network with the defaults lr = 0.5, steps = 1000.
TRAIN_LEC_DEFAULT = {
    "first": 0.2983711087600027, "last": 0.00027110842165963,
    "params": _net([[0.17259229050385366, 0.24518458100770787],
                    [0.2718586472523723, 0.3437172945047449]],
                   [0.8018458100770772, 0.7871729450474486],
                   [[-1.1860415647514955, -1.1393256232893179],
                    [1.268205020686236, 1.31909250367657]],
                   [-1.972713935960996, 1.8125338450849988]),
}
LOSS_AFTER_ONE_STEP_LEC = 0.28047144679143016

# ---------------------------------------------------------------------------
# Causes (shared with the hidden cases' wording)

WHY = {
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

# A dW of shape (2,) instead of (2, 2): delta * a in place of np.outer(delta, a).
OUTER_SHAPES = {(2,): WHY["bp_outer_star"]}

# ---------------------------------------------------------------------------
# Helpers


def _forward_parts(out, function, case):
    """Validate the structure (z1, a1, z2, a2) of a forward_222 result."""
    if not isinstance(out, tuple) or len(out) != 4:
        causes = (["return z1, a1, z2, a2 (a tuple of four arrays)"] if out is not None
                  else ["the function does not `return` anything: end with "
                        "`return z1, a1, z2, a2`"])
        fail(function, case, "the result has the wrong type",
             expected="a tuple (z1, a1, z2, a2) of four arrays of shape (2,)",
             got=describe(out), causes=causes)
    return out


def _require_forward(forward_222, function):
    """The gradient checks build on the student's forward_222: make sure it works."""
    out = call(forward_222, X_LEC, P_LEC, function="forward_222", case=CASE_LEC)
    ok = isinstance(out, tuple) and len(out) == 4
    if ok:
        try:
            ok = all(np.shape(o) == (2,) and np.allclose(np.asarray(o, dtype=float), e,
                                                         rtol=1e-6, atol=1e-9)
                     for o, e in zip(out, FWD["LEC"]))
        except (TypeError, ValueError):
            ok = False
    if not ok:
        fail(function, CASE_LEC, "this check uses your forward_222, which does not pass yet",
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


def _agree(num, ana):
    return abs(num - ana) <= 1e-8 + 1e-5 * max(abs(num), abs(ana))


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


def _grads_from(delta1, delta2, x, a1):
    """[(dW1, db1), (dW2, db2)] built from given (literal) deltas."""
    return [(np.outer(delta1, x), delta1), (np.outer(delta2, a1), delta2)]


# ---------------------------------------------------------------------------
# The checks


def check_forward_222(forward_222):
    """z1 = W1 x + b1, a1 = sigma(z1), z2 = W2 a1 + b2, a2 = sigma(z2), on two networks."""
    for tag, x, params, label in (("LEC", X_LEC, P_LEC, CASE_LEC), ("B", X_B, P_B, CASE_B)):
        out = _forward_parts(call(forward_222, x, params, function="forward_222", case=label),
                             "forward_222", label)
        (W1, b1), (W2, b2) = params
        z1, a1, z2, a2 = FWD[tag]
        wrong = FWD_WRONG[tag]
        cands = {
            "z1": [(wrong["z1_T"], WHY["z1_T"]), (z1 - b1, WHY["z1_nob"])],
            "a1": [(z1, WHY["a1_z"])],
            "z2": [(wrong["z2_x"], WHY["z2_x"]), (wrong["z2_T"], WHY["z2_T"]),
                   (z2 - b2, WHY["z2_nob"])],
            "a2": [(wrong["a2_x"], WHY["z2_x"]), (wrong["a2_T"], WHY["z2_T"]),
                   (z2, WHY["a2_z"])],
        }
        for name, got, expected in zip(("z1", "a1", "z2", "a2"), out, FWD[tag]):
            check_array(got, expected, function="forward_222", case=label, name=name,
                        candidates=cands[name])
    passed("forward_222", "z1, a1, z2, a2 on the LUMS EE514 network and on network B")


def _check_one_weight(fn, forward_222, function, layer, expected, wrong, mistakes,
                      index=(0, 0)):
    """A one-weight chain-rule gradient: two networks, then central differences on a third.

    mistakes: [(key of ``wrong``, key of WHY)], the known wrong values to name;
    index: the weight's entry of W^[layer] (numpy, 0-based).
    """
    _require_forward(forward_222, function)
    name = function.replace("dL_", "dL/")
    for tag, x, y, params, label in (("LEC", X_LEC, Y_LEC, P_LEC, CASE_LEC),
                                     ("B", X_B, Y_B, P_B, CASE_B)):
        got = call(fn, x, y, params, function=function, case=label)
        e, w = expected[tag], wrong[tag]
        check_number(got, e, function=function, case=label, name=name,
                     candidates=merge_causes([(w[k], WHY[why]) for k, why in mistakes]
                                             + [(2 * e, WHY["two"]), (-e, WHY["sign"])]))
    num = _numeric_entry(_loss_of(forward_222, X_C, Y_C, CASE_C), P_C, layer, index)
    got = call(fn, X_C, Y_C, P_C, function=function, case=CASE_C)
    check_number(got, num, function=function, case=CASE_C + " (against central differences "
                 "of the loss built from your forward_222)", name=name, rtol=1e-5, atol=1e-8)


def check_dL_dw2_11(dL_dw2_11, forward_222):
    """The one-path chain rule for dL/dw2_11, on two networks and by central differences."""
    _check_one_weight(dL_dw2_11, forward_222, "dL_dw2_11", 2, DW2_11, DW2_11_WRONG,
                      [("no_sp", "no_sp"), ("sp_a", "sp_a"), ("zz", "zz"), ("x", "x_for_a1")])
    passed("dL_dw2_11", "the lecture's 0.0821670, network B, and central differences on "
                        "network C")


def check_dL_dw1_11(dL_dw1_11, forward_222):
    """The two-path chain rule for dL/dw1_11, on two networks and by central differences."""
    _check_one_weight(dL_dw1_11, forward_222, "dL_dw1_11", 1, DW1_11, DW1_11_WRONG,
                      [("path1", "path1"), ("path2", "path2"), ("row", "row"),
                       ("no_sp1", "no_sp1"), ("no_sp", "no_sp"), ("sp_a", "sp_a"),
                       ("sp_a1", "sp_a1")])
    passed("dL_dw1_11", "both paths summed: the LUMS EE514 network, network B, central "
                        "differences")


def check_dL_dw1_21(dL_dw1_21, forward_222):
    """Your own two-path derivation for dL/dw1_21 (W1[1, 0]): two networks, central differences."""
    _check_one_weight(dL_dw1_21, forward_222, "dL_dw1_21", 1, DW1_21, DW1_21_WRONG,
                      DW1_21_MISTAKES, index=(1, 0))
    passed("dL_dw1_21", "both paths through hidden unit 2: the LUMS EE514 network, network B, "
                        "central differences")


def step_candidates():
    """[(wrong value, cause)] of w1_11 after one step, from the lecture's numbers above."""
    w, g, e = P_LEC[0][0][0, 0], DW1_11["LEC"], -ETA * DW1_11["LEC"]
    w2, g2 = P_LEC[1][0][0, 0], DW2_11["LEC"]
    w21, g21 = P_LEC[0][0][1, 0], DW1_21["LEC"]
    path = DW1_11_WRONG["LEC"]["path1"]
    small = [(g, WHY["step_grad"]), (e, WHY["step_change"]), (-e, WHY["step_change"])]
    return merge_causes(small + [(round(v, 6), cause) for v, cause in small] + [
        (w - e, WHY["step_sign"]), (w - g, WHY["step_eta"]), (w + g, WHY["step_sign"]),
        (w, WHY["step_none"]), (w - ETA * g2, WHY["step_w2"]),
        (w2 - ETA * g2, WHY["step_new_w2"]), (w21 - ETA * g21, WHY["step_new_w21"]),
        (w - ETA * path, WHY["step_one_path"]),
        (round(w + e, 4), WHY["step_digits"]), (round(w + e, 5), WHY["step_digits"])])


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
    expected = P_LEC[0][0][0, 0] - ETA * DW1_11["LEC"]
    if np.isfinite(got) and abs(got - expected) <= ATOL_STEP:
        passed("w1_11_after_step", f"right (to within {ATOL_STEP:g}, absolute)")
        return
    causes = explain_values(got, expected, step_candidates())
    if not causes and abs(got - expected) < 5e-5:
        causes = [WHY["step_digits"]]
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
                        name=f"{part}{l}", shape_causes=OUTER_SHAPES if part == "dW" else None,
                        candidates=[(c[l - 1][k], cause) for c, cause in candidates])


def check_backprop_222(backprop_222, forward_222):
    """The vectorized rule on two networks, then every entry by central differences."""
    _require_forward(forward_222, "backprop_222")
    for tag, x, y, params, label in (("LEC", X_LEC, Y_LEC, P_LEC, CASE_LEC),
                                     ("B", X_B, Y_B, P_B, CASE_B)):
        got = call(backprop_222, x, y, params, function="backprop_222", case=label)
        expected, a1 = GRADS[tag], FWD[tag][1]
        d1, d2 = DELTA[tag]
        wrong = DELTA_WRONG[tag]
        candidates = [(_grads_from(*wrong[k], x, a1), WHY["bp_" + k])
                      for k in ("no_sp", "sp_a", "no_T", "no_sp1", "sp_a1")]
        candidates += [
            ([(np.outer(x, d1), d1), (np.outer(a1, d2), d2)], WHY["bp_outer_T"]),
            ([(expected[0][0], d1), (np.outer(d2, x), d2)], WHY["bp_dW2_x"]),
        ]
        _check_grads(got, expected, candidates, "backprop_222", label)
    label = CASE_C + " (against central differences of the loss built from your forward_222)"
    grads = call(backprop_222, X_C, Y_C, P_C, function="backprop_222", case=label)
    _check_grads(grads, GRADS["LEC"], [], "backprop_222", label, values=False)
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


def check_train_222(train_222, forward_222):
    """One step on the LUMS EE514 network, five on network B, the defaults, no in-place edits."""
    _require_forward(forward_222, "train_222")
    # 1. One step on the lecture's network: W - 0.5 dW with the lecture's gradients.
    label = CASE_LEC + ", lr = 0.5, steps = 1"
    params, losses = _train_result(call(train_222, X_LEC, Y_LEC, P_LEC, lr=0.5, steps=1,
                                        function="train_222", case=label),
                                   1, "train_222", label)
    check_array(losses, [LOSS["LEC"]], function="train_222", case=label, name="losses",
                candidates=[([LOSS_AFTER_ONE_STEP_LEC], WHY["gd_after"])])
    step = lambda s, bias=True: [(W - s * 0.5 * dW, b - s * 0.5 * db if bias else b)  # noqa: E731
                                 for (W, b), (dW, db) in zip(P_LEC, GRADS["LEC"])]
    _check_params(params, step(1), [(step(-1), WHY["gd_sign"]),
                                    (step(1, bias=False), WHY["gd_bias"])],
                  "train_222", label)
    # 2. Five steps on network B with lr = 0.8: the losses, then the parameters.
    label = CASE_B + ", lr = 0.8, steps = 5"
    params, losses = _train_result(call(train_222, X_B, Y_B, P_B, lr=0.8, steps=5,
                                        function="train_222", case=label),
                                   5, "train_222", label)
    check_array(losses, TRAIN_B["losses"], function="train_222", case=label, name="losses",
                candidates=[(TRAIN_B_WRONG[k], WHY[w]) for k, w in
                            (("after", "gd_after"), ("sign", "gd_sign"),
                             ("no_bias", "gd_bias"), ("lr_05", "gd_lr"))])
    _check_params(params, TRAIN_B["params"], [], "train_222", label)
    # 3. The defaults lr = 0.5, steps = 1000, and the caller's arrays left unchanged.
    label = CASE_LEC + ", defaults (lr = 0.5, steps = 1000)"
    mine = copy.deepcopy(P_LEC)
    out = call(train_222, X_LEC, Y_LEC, mine, function="train_222", case=label,
               copy_inputs=False)
    params, losses = _train_result(out, 1000, "train_222", label)
    if any(not np.array_equal(a, b) for pa, pb in zip(mine, P_LEC) for a, b in zip(pa, pb)):
        fail("train_222", label, "the params passed in were changed in place",
             causes=[WHY["gd_inplace"]])
    check_array(losses[[0, -1]], [TRAIN_LEC_DEFAULT["first"], TRAIN_LEC_DEFAULT["last"]],
                function="train_222", case=label, name="[losses[0], losses[999]]")
    _check_params(params, TRAIN_LEC_DEFAULT["params"], [], "train_222", label)
    passed("train_222", f"one step on the LUMS EE514 network, five on network B, and the "
                        f"defaults: loss {fmt(losses[0])} -> {fmt(losses[-1])} in 1000 steps")
