"""Visible checks for notebook 04: softmax, its Jacobian, cross-entropy, output deltas.

The convention checked everywhere: rows are samples and a 1-D array is ONE sample
(N = 1); every loss is the MEAN over the N rows of a per-sample loss that SUMS
over the K units; every ``*_grad`` returns dL/dZ of that mean loss, shaped like Z.

Expected values are test vectors (computed once with float64 and written here to
17 digits), lecture numbers (the forward/backward lecture and the handwritten notes),
mathematical properties (rows sum to 1, shift invariance, symmetry) and central
differences of the student's OWN functions. Wrong answers named in the feedback are
literal vectors too. Nothing here implements a graded function.
"""
import numpy as np

from .calls import call
from .compare import check_array, check_number
from .numgrad import numerical_gradient
from .report import describe, fail, fmt, passed

# --------------------------------------------------------------------------- inputs
Z_DEMO = np.array([5.0, -2.0, -1.0, 3.0])  # the forward/backward lecture's softmax demo
Z_BATCH = np.array([[1.0, 2.0, 0.5, -1.0], [-0.3, 0.0, 2.2, 1.4], [3.0, -2.0, 0.1, 0.7]])
Z_SQUARE = np.array([[0.2, 1.5, -0.7], [2.0, -1.0, 0.3], [-0.4, 0.9, 1.1]])
Z_BIG = np.array([[1e4, 0.0, -1e4], [1000.0, 1001.0, 999.0], [-1e4, -1e4 + 1, -1e4 + 2]])
Z_INT = np.array([[1, 2, 3], [0, 0, 0]])
ROW_SHIFT = np.array([[3.0], [-7.0], [20.0]])

# The forward/backward lecture's MLP demo: the printed A3 (4 dp) and the one-hot labels of
# classes 2, 0, 1, 2.
A3_001 = np.array([[0.4358, 0.2137, 0.3505], [0.4785, 0.1890, 0.3325],
                   [0.4795, 0.1882, 0.3324], [0.4797, 0.1880, 0.3323]])
Y3_001 = np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])

A_ONE, Y_ONE = np.array([0.2, 0.7, 0.1]), np.array([0.0, 1.0, 0.0])
A_ZEROS = np.array([[0.0, 0.25, 0.75], [0.5, 0.5, 0.0]])
Y_ZEROS = np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]])
A_SOFT = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]])
Y_SOFT = np.array([[0.9, 0.05, 0.05], [0.0, 0.5, 0.5]])

Z_ONE, YZ_ONE = np.array([2.0, -1.0, 0.5]), np.array([0.0, 0.0, 1.0])
Z_GRAD_BIG = np.array([[1e4, 0.0, -1e4], [0.0, 1e4, 1e4]])
Y_GRAD_BIG = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])

# the handwritten notes' BCE check
Z_002, Y_002 = np.array([-2.0, 0.3, 1.7]), np.array([0.0, 1.0, 1.0])
Z_COL = np.array([[-1.0], [0.5], [2.0], [-3.0]])
Y_COL = np.array([[0.0], [1.0], [1.0], [0.0]])
Z_MSE_002, Y_MSE_002 = np.array([np.log(3 / 7), 0.0]), np.array([0.0, 1.0])  # a = (0.3, 0.5)
Z_MSE = np.array([[0.8, -1.5], [2.5, 0.2], [-0.6, -2.2]])
Y_MSE = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])

# ------------------------------------------------------------------ expected values
# the forward/backward lecture prints [8.7817e-01, 8.0079e-04, 2.1768e-03, 1.1885e-01]
SOFTMAX_DEMO = np.array([0.878174444559795, 0.0008007914386049315, 0.002176776815945362,
                         0.1188479871856549])
SOFTMAX_BATCH = np.array([
    [0.22420781804820114, 0.6094600375988771, 0.1359889157935055, 0.030343228559416225],
    [0.04998425455992291, 0.06747168625783292, 0.608932879306526, 0.2736111798757183],
    [0.8605703780696696, 0.005798477596416376, 0.047351353286552995, 0.08627979104736114]])
SOFTMAX_SQUARE = np.array([[0.1970107042830931, 0.7228907207112739, 0.08009857500563296],
                           [0.8113783859426444, 0.040396151173133533, 0.14822546288422211],
                           [0.10927784488310446, 0.4009728320741879, 0.4897493230427077]])
SOFTMAX_BIG = np.array([[1.0, 0.0, 0.0],
                        [0.24472847105479764, 0.6652409557748218, 0.09003057317038046],
                        [0.09003057317038046, 0.24472847105479764, 0.6652409557748218]])
SOFTMAX_INT = np.array([[0.09003057317038046, 0.24472847105479764, 0.6652409557748218],
                        [1 / 3, 1 / 3, 1 / 3]])

JAC_DEMO = np.array([
    [0.10698408948189053, -0.0007032345768051249, -0.0019115897712734574, -0.10436926513381212],
    [-0.0007032345768051249, 0.0008001501716767886, -1.7431442379627486e-06,
     -9.517245063370105e-05],
    [-0.0019115897712734574, -1.7431442379627486e-06, 0.002172038458638925,
     -0.00025870554312750507],
    [-0.10436926513381212, -9.517245063370105e-05, -0.00025870554312750507, 0.1047231431275733]])
Z_JAC_BIG = np.array([1000.0, 999.0, 0.0])
JAC_BIG = np.array([[0.19661193324148185, -0.19661193324148185, 0.0],
                    [-0.19661193324148185, 0.19661193324148185, 0.0],
                    [0.0, 0.0, 0.0]])

CE_001 = 1.1393651990122666  # the forward/backward lecture prints 1.1394
CE_ONE = 0.35667494393873245  # -log 0.7
CE_ZEROS = 0.4904146265058631  # (-log 0.75 - log 0.5) / 2
CE_SOFT = 0.6870039069311149

GRAD_001 = np.array([[0.10895, 0.05342499999999999, -0.16237500000000002],
                     [-0.130375, 0.04725, 0.08312500000000002],
                     [0.11986301369863016, -0.20295470452954706, 0.08309169083091691],
                     [0.11992499999999999, 0.047, -0.166925]])
GRAD_ONE = np.array([0.7855970345892759, 0.039112573270687456, -0.8247096078599633])
GRAD_BIG = np.array([[0.5, -0.5, 0.0], [-0.5, 0.25, 0.25]])

BCE_002 = np.array([0.11920292202211755, -0.42555748318834097, -0.15446526508353475])
BCE_COL = np.array([[0.06723535534249878], [-0.09438516719953635],
                    [-0.02980073050552942], [0.011856468294391697]])
MSE_002 = np.array([0.063, -0.125])  # (a - y) a (1 - a) at a = (0.3, 0.5), y = (0, 1)
MSE_BATCH = np.array([[-0.022105821551846403, 0.009069373214263361],
                      [0.021595258731757012, -0.0371411820455378],
                      [-0.04923866253863985, -0.02694756743173773]])

# ------------------------------------------------------- known wrong answers (literal)
SOFTMAX_BATCH_AXIS0 = np.array([
    [0.11545227185510615, 0.8668133321973347, 0.13997236367639962, 0.05715225045039605],
    [0.031464414658522344, 0.11731042782619835, 0.766201355060319, 0.629999337265319],
    [0.8530833134863715, 0.015876239976466762, 0.09382628126328145, 0.3128484122842851]])
SOFTMAX_BATCH_WHOLE = np.array([
    [0.054057760155581315, 0.1469442271181141, 0.03278768892975205, 0.007315922281792474],
    [0.01473245830260318, 0.019886738597015115, 0.179478084297779, 0.08064470169926441],
    [0.39943582237212844, 0.0026913774006795186, 0.021978245152793615, 0.040046973692496816]])
SOFTMAX_BATCH_COLSHIFT = np.array([
    [0.09606853957655799, 0.7098558282735263, 0.1296789642783806, 0.06439666787153499],
    [0.016979492734908678, 0.06230279611006558, 0.4603588555775128, 0.4603588555775128],
    [0.610740219424488, 0.011186097313805198, 0.07478906586116524, 0.30328461740054147]])
SOFTMAX_SQUARE_NOKEEPDIMS = np.array([
    [0.19701070428309314, 0.4921258677023637, 0.0809550186062342],
    [1.1918453076284232, 0.04039615117313353, 0.22005855599989033],
    [0.10812176694564077, 0.27008440261792666, 0.48974932304270763]])
JAC_DEMO_DOT = np.array([
    [0.09285386579957444, -0.7853205787602205, -0.7853205787602205, -0.7853205787602205],
    [-0.7853205787602205, -0.7845197873216156, -0.7853205787602205, -0.7853205787602205],
    [-0.7853205787602205, -0.7853205787602205, -0.7831438019442751, -0.7853205787602205],
    [-0.7853205787602205, -0.7853205787602205, -0.7853205787602205, -0.6664725915745656]])
JAC_DEMO_NO_SOFTMAX = np.array([[-20.0, 10.0, 5.0, -15.0], [10.0, -6.0, -2.0, 6.0],
                                [5.0, -2.0, -2.0, 3.0], [-15.0, 6.0, 3.0, -6.0]])
CE_001_NOLOG = 0.337375  # the lecture's "Cross entropy loss" cell: 1/N * sum(Y * A3)
CE_001_BCE = 1.9756408494125852
CE_001_ALLCLASSES = 3.485168434818059
CE_001_LOG10 = 0.4948200188036278
CE_SOFT_ARGMAX = 0.7803238741323343
GRAD_001_DA = np.array([[0.0, 0.0, -0.7132667617689016], [-0.522466039707419, 0.0, 0.0],
                        [0.0, -1.3283740701381508, 0.0], [0.0, 0.0, -0.7523322299127295]])
BCE_002_TIMES_PRIME = np.array([0.012515542173676725, -0.1040310638675848, -0.020174051326568396])
BCE_002_DA = np.array([1.1353352832366128, -1.7408182206817178, -1.1826835240527347])
MSE_002_PRIME_AT_A = np.array([0.07333749350722375, -0.11750185610079725])
# Derivation slips, built from the literals above (no graded function is computed here).
JAC_DEMO_DIAG_TWICE = JAC_DEMO - np.diag(SOFTMAX_DEMO ** 2)  # diag(s (1 - s)) - s s^T
A3_SUM1 = GRAD_001 * 4 + Y3_001  # softmax(log A3): the printed A3, rows rescaled to sum to 1
GRAD_001_NO_SOFTMAX = (np.log(A3_001) - Y3_001) / 4
GRAD_001_TIMES_DIAG = GRAD_001 * A3_SUM1 * (1 - A3_SUM1)
GRAD_001_DIAG_CHAIN = -Y3_001 * (1 - A3_SUM1) / 4
GRAD_001_NO_Y = A3_SUM1 / 4
BCE_002_ONE_TERM = -Y_002 * (1 - (BCE_002 + Y_002))  # -y (1 - yhat)
BCE_002_SOFTMAX = np.array([0.01944712340971412, -0.8060308428902128, -0.21341628051950146])

ONE_SAMPLE = ("a 1-D input is ONE sample, so N = 1: `len(z)` or `z.shape[0]` counts the K "
              "units of a 1-D array; use N = 1 if z.ndim == 1 else z.shape[0]")
GLOBAL_N = ("divided by 4: is the notebook's global N (= 4, from the forward/backward "
            "lecture's demo) used inside your function? Compute N from the input's own shape")
GRAD_TOL = {"rtol": 1e-5, "atol": 1e-7}  # central differences, eps = 1e-6, in float64


# --------------------------------------------------------------------------- helpers
AXIS_HINTS = [
    ("AxisError", "a 1-D z has only axis 0: use axis=-1 (the last axis), which is the "
                  "class axis for both (K,) and (N, K)"),
    ("broadcast", "Z.sum(axis=-1) has shape (N,), which numpy lines up with the LAST axis "
                  "of an (N, K) array: keep the summed axis with keepdims=True, shape (N, 1)"),
]


def _finite_or_fail(got, function, case, causes):
    """If got is a float array or number holding nan/inf, fail with these causes."""
    values = got
    if isinstance(got, (float, np.floating)):
        values = np.array(got)
    if (isinstance(values, np.ndarray) and values.dtype.kind == "f"
            and not np.all(np.isfinite(values))):
        bad = np.argwhere(~np.isfinite(values))
        entry = f"[{', '.join(map(str, bad[0]))}]" if values.ndim else None
        fail(function, case, "the result contains nan or inf", entry=entry, got=fmt(got),
             expected="finite numbers", causes=causes)


def _float_array(got, shape, function, case):
    """Type, dtype and shape of got, where the values are checked by properties."""
    check_array(got, np.zeros(shape), function=function, case=case, atol=np.inf)


def _scalar(value, function, case):
    """A student's loss value as a float, or a clear failure (no numpy warnings)."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if isinstance(value, (bool, np.bool_)) or not isinstance(
            value, (int, float, np.integer, np.floating)):
        fail(function, case, f"`{function}` must return one number for the gradient check",
             got=describe(value), causes=[f"run check_{function} above and fix it first"])
    value = float(value)
    if not np.isfinite(value):
        fail(function, case, f"`{function}` returned {value} at the point of the gradient check",
             causes=[f"run check_{function} above and fix it first"])
    return value


def _numerical(loss, x, function, case):
    """Central differences of loss at x (float64), with the loss's failures named."""
    x = np.array(x, dtype=np.float64)
    _scalar(loss(x.copy()), function, case)  # a clear message before 2 * x.size calls
    return numerical_gradient(lambda v: _scalar(loss(v), function, case), x)


# --------------------------------------------------------------------------- softmax
def check_softmax(softmax):
    """Row-wise softmax: values, rows sum to 1, shift invariance, 1-D, large logits."""
    f = "softmax"
    label = "Z of shape (3, 4): 3 samples (rows), K = 4 classes"
    got = call(softmax, Z_BATCH, function=f, case=label, hints=AXIS_HINTS)
    if (isinstance(got, np.ndarray) and got.shape == Z_BATCH.shape and got.dtype.kind == "f"
            and np.allclose(got.sum(axis=0), 1) and not np.allclose(got.sum(axis=1), 1)):
        fail(f, label, "each COLUMN sums to 1, not each row", got=fmt(got),
             causes=["softmax ran over the COLUMNS (axis=0), the batch: each ROW is one "
                     "sample, so "
                     "normalize with axis=-1 (or axis=1), keepdims=True"])
    check_array(got, SOFTMAX_BATCH, function=f, case=label, candidates=[
        (SOFTMAX_BATCH_AXIS0, "softmax ran over the COLUMNS (axis=0): each ROW is one "
                              "sample, so normalize with axis=-1 (or axis=1)"),
        (SOFTMAX_BATCH_WHOLE, "the whole matrix was normalized at once (np.sum without "
                              "axis): each row must sum to 1 on its own"),
        (np.exp(Z_BATCH), "the exponentials are never divided by their row sum"),
        (SOFTMAX_BATCH_COLSHIFT, "the max was taken per column (axis=0): the shift must "
                                 "be the max of each ROW, the same number for a whole row"),
    ])

    rng = np.random.default_rng(4)
    Z = rng.normal(0, 3, size=(6, 5))
    label = "random Z of shape (6, 5): every row must sum to 1, every entry in (0, 1]"
    got = call(softmax, Z, function=f, case=label, hints=AXIS_HINTS)
    _float_array(got, Z.shape, function=f, case=label)
    if not np.all((got > 0) & (got <= 1)):
        fail(f, label, "some entries are outside (0, 1]", got=fmt(got),
             causes=["softmax values are exponentials divided by their (larger) sum"])
    check_array(got.sum(axis=-1), np.ones(6), function=f, case=label,
                name="the row sums softmax(Z).sum(axis=1)")

    label = "invariance: softmax(Z + c) with a different constant c added to each row"
    shifted = call(softmax, Z_BATCH + ROW_SHIFT, function=f, case=label, hints=AXIS_HINTS)
    check_array(shifted, SOFTMAX_BATCH, function=f, case=label, candidates=[
        (SOFTMAX_BATCH_WHOLE, "the whole matrix was normalized at once: a per-row "
                              "constant then changes the result")])

    label = "a square Z of shape (3, 3) (where a missing keepdims=True hides)"
    got = call(softmax, Z_SQUARE, function=f, case=label, hints=AXIS_HINTS)
    check_array(got, SOFTMAX_SQUARE, function=f, case=label, candidates=[
        (SOFTMAX_SQUARE_NOKEEPDIMS, "the row sums (shape (3,)) were divided along the "
                                    "columns: use E.sum(axis=-1, keepdims=True), shape (3, 1)")])

    label = "the forward/backward lecture's demo z = [5, -2, -1, 3], 1-D (one sample)"
    got = call(softmax, Z_DEMO, function=f, case=label, hints=AXIS_HINTS)
    check_array(got, SOFTMAX_DEMO, function=f, case=label)

    label = "integer logits Z = [[1, 2, 3], [0, 0, 0]]"
    got = call(softmax, Z_INT, function=f, case=label, hints=AXIS_HINTS)
    check_array(got, SOFTMAX_INT, function=f, case=label)

    label = "large logits Z = [[1e4, 0, -1e4], [1000, 1001, 999], [-1e4, -1e4+1, -1e4+2]]"
    got = call(softmax, Z_BIG, function=f, case=label, hints=AXIS_HINTS)
    if isinstance(got, np.ndarray) and got.shape == Z_BIG.shape and got.dtype.kind == "f":
        bad_rows = [i for i in range(3) if not np.all(np.isfinite(got[i]))]
        if 0 in bad_rows or bad_rows == [1]:  # no shift at all: exp(1e4) = inf
            _finite_or_fail(got, f, label, [
                "np.exp(1000) overflows to inf and inf / inf = nan: subtract each row's "
                "max first, softmax(z) = softmax(z - max z) (the max-shift trick)"])
        _finite_or_fail(got, f, label, [
            "every exponential of the last row underflowed to 0, and 0 / 0 = nan: was "
            "the max of the WHOLE matrix (Z.max()) subtracted instead of each row's max "
            "(Z.max(axis=-1, keepdims=True))?"])
    check_array(got, SOFTMAX_BIG, function=f, case=label)

    label = "Z of shape (3, 4): your softmax must not change its input"
    Z = Z_BATCH.copy()
    call(softmax, Z, function=f, case=label, copy_inputs=False)
    if not np.array_equal(Z, Z_BATCH):
        fail(f, label, "softmax changed the caller's array Z in place",
             expected=fmt(Z_BATCH), got=fmt(Z),
             causes=["`Z -= Z.max(...)` writes into the array you were given: write "
                     "`Z = Z - Z.max(...)`, which makes a new array"])
    passed(f, "8 cases: values, rows sum to 1, per-row shift invariance, keepdims, 1-D, "
              "integer and large (1e4) logits, input left unchanged")


def check_softmax_jacobian(softmax_jacobian, softmax=None):
    """diag(s) - s s^T: the lecture's demo, central differences of your softmax, large z."""
    f = "softmax_jacobian"
    eye = np.eye(4, dtype=bool)
    s = SOFTMAX_DEMO
    label = "the forward/backward lecture's demo z = [5, -2, -1, 3]"
    got = call(softmax_jacobian, Z_DEMO, function=f, case=label)
    check_array(got, JAC_DEMO, function=f, case=label, candidates=[
        (np.diag(s), "only diag(s): the - s s^T term is missing (it is the i != c case "
                     "of the quotient rule)"),
        (-np.outer(s, s), "only - s s^T: the diag(s) term (the i = c case) is missing"),
        (JAC_DEMO_DOT, "s @ s (or s.T @ s) of a 1-D array is a NUMBER (the dot product), "
                       "not a matrix: use np.outer(s, s) for s s^T"),
        (JAC_DEMO_NO_SOFTMAX, "the formula was applied to z itself: compute s = softmax(z) first"),
        (np.diag(s * (1 - s)), "only the diagonal s_i (1 - s_i): softmax couples the outputs, "
                               "so the off-diagonal entries -s_i s_j are not zero"),
        (-JAC_DEMO, "the sign is flipped: raising a class's own logit raises its probability, "
                    "so the diagonal entries are positive"),
        (JAC_DEMO_DIAG_TWICE, "s_i^2 is subtracted twice on the diagonal: the i = c case "
                              "s_c (1 - s_c) is the WHOLE diagonal entry, and the outer-product "
                              "term already holds its - s_c^2"),
    ], regions={"the diagonal (i = j)": eye, "the off-diagonal entries (i != j)": ~eye})

    if softmax is not None:
        z = np.array([0.5, -1.2, 2.0, 0.1, -0.4])
        label = f"z = {z.tolist()}, against central differences of your softmax"
        num = np.array([_numerical(lambda v, i=i: _component(softmax, v, i, label), z,
                                   "softmax", label) for i in range(z.size)])
        got = call(softmax_jacobian, z, function=f, case=label)
        check_array(got, num, function=f, case=label, **GRAD_TOL)

    label = "large logits z = [1000, 999, 0] (needs a stable softmax)"
    got = call(softmax_jacobian, Z_JAC_BIG, function=f, case=label)
    _finite_or_fail(got, f, label, ["the softmax inside overflowed: use the max-shift "
                                    "trick (or call your stable softmax)"])
    check_array(got, JAC_BIG, function=f, case=label)
    own = "central differences of your softmax, " if softmax is not None else ""
    passed(f, "the forward/backward lecture's Jacobian, " + own + "and large logits")


def _component(softmax, z, i, label):
    """softmax(z)[i], with a clear failure if the student's softmax is unusable."""
    return _array_from(softmax, z, "softmax", label)[i]


def _array_from(fn, V, name, label):
    """fn(V) from one of the student's other functions, which must return V's shape."""
    out = call(fn, V, function=name, case=label)
    if not isinstance(out, np.ndarray) or out.shape != np.shape(V):
        cause = (f"run check_{name} above and fix it first" if name != "sigmoid" else
                 "`sigmoid` was changed: re-run the cell that defines the given sigmoid")
        fail(name, label, f"{name} must return an array shaped like its input",
             got=describe(out), causes=[cause])
    return out


# --------------------------------------------------------------------- cross-entropy
def check_cross_entropy(cross_entropy):
    """Mean over rows of -sum_k Y log A: the lecture's A3, one sample, 0 log 0, soft labels."""
    f = "cross_entropy"
    label = "the forward/backward lecture's printed A3 (4 x 3) and Y (classes 2, 0, 1, 2)"
    got = call(cross_entropy, A3_001, Y3_001, function=f, case=label)
    check_number(got, CE_001, function=f, case=label, factors={
        "N, the batch size": 4, "K, the number of classes": 3}, candidates=[
        (CE_001_NOLOG, "this is (1/N) sum(Y * A), the forward/backward lecture's 'Cross "
                       "entropy loss' cell: the "
                       "mean probability of the true class, without the log and the minus"),
        (-CE_001, "the minus sign is missing: log A < 0, so the loss -sum Y log A is positive"),
        (CE_001_BCE, "this is BINARY cross-entropy (with (1 - Y) log(1 - A)); softmax "
                     "outputs use only -sum_k Y log A"),
        (CE_001_ALLCLASSES, "the log of EVERY class was summed: multiply by Y so that only "
                            "the true class counts"),
        (CE_001_LOG10, "np.log10 was used: the natural log np.log is meant"),
        (CE_001 * 4, "the per-sample losses were summed, not averaged: divide by N = 4"),
        (CE_001 / 3, "np.mean over all N * K entries also averaged over the K classes: "
                     "sum over the classes, average over the rows only"),
    ])

    label = "one sample (1-D): A = [0.2, 0.7, 0.1], y = [0, 1, 0]"
    got = call(cross_entropy, A_ONE, Y_ONE, function=f, case=label)
    check_number(got, CE_ONE, function=f, case=label,
                 candidates=[(CE_ONE / 3, ONE_SAMPLE.replace("z", "A"))])

    label = "0 log 0 := 0: A = [[0, 0.25, 0.75], [0.5, 0.5, 0]], Y = [[0, 0, 1], [1, 0, 0]]"
    got = call(cross_entropy, A_ZEROS, Y_ZEROS, function=f, case=label)
    _finite_or_fail(got, f, label, [
        "Y * np.log(A) is 0 * (-inf) = nan where A = 0 and Y = 0: take the log only where "
        "Y != 0, e.g. np.log(A, out=np.zeros_like(A), where=Y != 0)"])
    check_number(got, CE_ZEROS, function=f, case=label)

    label = "soft labels Y = [[0.9, 0.05, 0.05], [0, 0.5, 0.5]] (not one-hot)"
    got = call(cross_entropy, A_SOFT, Y_SOFT, function=f, case=label)
    check_number(got, CE_SOFT, function=f, case=label, candidates=[
        (CE_SOFT_ARGMAX, "only the class argmax(Y) was used: the loss is the full sum "
                         "-sum_k Y log A, which also works when Y is not one-hot")])
    passed(f, "the forward/backward lecture's loss 1.1394, one sample, 0 log 0 = 0, "
              "and soft labels")


# ---------------------------------------------------------------- output-layer deltas
def check_softmax_cross_entropy_grad(softmax_cross_entropy_grad, softmax=None,
                                     cross_entropy=None):
    """dL/dZ: the lecture's A3, one sample, large logits, your own loss's central differences."""
    f = "softmax_cross_entropy_grad"
    label = ("the forward/backward lecture: Z3 = log(A3) (softmax(log A3) = A3), "
             "Y of classes 2, 0, 1, 2")
    Z3 = np.log(A3_001)
    true_class = Y3_001 == 1
    regions = {"Y = 1 (the true class: the - Y term)": true_class,
               "Y = 0 (the wrong classes)": ~true_class}
    got = call(softmax_cross_entropy_grad, Z3, Y3_001, function=f, case=label)
    check_array(got, GRAD_001, function=f, case=label, factors={"N, the batch size": 4},
                regions=regions, candidates=[
        (-GRAD_001, "the sign is flipped, as on the forward/backward lecture's slide "
                    "-(1/N)(A - Y): the "
                    "gradient is +(A - Y)/N (the single-sample result is a - y)"),
        (GRAD_001_DA, "this is dL/dA = -(1/N) Y / A, not dL/dZ: the softmax Jacobian turns "
                      "it into (A - Y)/N"),
        (GRAD_001 * 4, "the 1/N of the MEAN loss is missing: divide by N = 4"),
        (GRAD_001_NO_SOFTMAX, "softmax was not applied: the logits Z stand where the "
                              "probabilities yhat = softmax(Z) belong"),
        (GRAD_001_TIMES_DIAG, "multiplied by yhat (1 - yhat), the diagonal of the Jacobian, as "
                              "for a sigmoid: the chain through the Jacobian is already done, "
                              "nothing is left to multiply"),
        (GRAD_001_DIAG_CHAIN, "only the diagonal of the Jacobian (j = i) was used in the chain "
                              "rule: softmax couples the outputs, and the off-diagonal terms "
                              "give the wrong classes their non-zero entries"),
        (GRAD_001_NO_Y, "the - y term is missing: the wrong entries are all where Y = 1 "
                        "(the true class)"),
    ])

    label = "one sample (1-D): z = [2, -1, 0.5], y = [0, 0, 1]"
    got = call(softmax_cross_entropy_grad, Z_ONE, YZ_ONE, function=f, case=label)
    check_array(got, GRAD_ONE, function=f, case=label,
                candidates=[(GRAD_ONE / 3, ONE_SAMPLE), (GRAD_ONE / 4, GLOBAL_N)])

    label = "large logits Z = [[1e4, 0, -1e4], [0, 1e4, 1e4]], Y = [[0, 1, 0], [1, 0, 0]]"
    got = call(softmax_cross_entropy_grad, Z_GRAD_BIG, Y_GRAD_BIG, function=f, case=label)
    _finite_or_fail(got, f, label, [
        "at large logits softmax has exact 0s, so a route through dL/dA = -Y / A divides "
        "by 0: simplify the chain rule on paper and compute the result from softmax(Z) "
        "directly, with a stable softmax"])
    check_array(got, GRAD_BIG, function=f, case=label)

    checked = "the forward/backward lecture's dL/dZ3, one sample, large logits"
    if softmax is not None and cross_entropy is not None:
        rng = np.random.default_rng(7)
        Z = rng.normal(0, 2, size=(5, 4))
        Y = np.eye(4)[rng.integers(0, 4, size=5)]
        label = ("random Z of shape (5, 4), one-hot Y: against central differences of "
                 "your cross_entropy(softmax(Z), Y)")

        def loss(V):
            A = _array_from(softmax, V, "softmax", label)
            return call(cross_entropy, A, Y, function="cross_entropy", case=label)
        num = _numerical(loss, Z, "cross_entropy", label)
        got = call(softmax_cross_entropy_grad, Z, Y, function=f, case=label)
        check_array(got, num, function=f, case=label, factors={"N, the batch size": 5},
                    regions={"Y = 1 (the true class)": Y == 1}, **GRAD_TOL)
        checked += ", and the derivative of your own loss"
    passed(f, checked)


def _bce_loss(sigmoid, Y, label):
    """Mean over rows of -sum_k [y log s + (1 - y) log(1 - s)], s = your sigmoid(z)."""
    def loss(V):
        A = _array_from(sigmoid, V, "sigmoid", label)
        N = 1 if V.ndim == 1 else V.shape[0]
        with np.errstate(all="ignore"):  # a broken sigmoid must not print warnings
            return -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / N
    return loss


def _mse_loss(sigmoid, Y, label):
    """Mean over rows of 1/2 sum_k (s - y)^2, s = your sigmoid(z)."""
    def loss(V):
        A = _array_from(sigmoid, V, "sigmoid", label)
        N = 1 if V.ndim == 1 else V.shape[0]
        with np.errstate(all="ignore"):
            return 0.5 * np.sum((A - Y) ** 2) / N
    return loss


def check_sigmoid_bce_grad(sigmoid_bce_grad, sigmoid=None):
    """(sigma(z) - y) / N: the handwritten notes' check, a column batch, central differences."""
    f = "sigmoid_bce_grad"
    label = ("the handwritten notes: z = [-2, 0.3, 1.7], y = [0, 1, 1] "
             "(1-D: one sample, 3 sigmoid units)")
    got = call(sigmoid_bce_grad, Z_002, Y_002, function=f, case=label)
    check_array(got, BCE_002, function=f, case=label,
                regions={"y = 1": Y_002 == 1, "y = 0": Y_002 == 0}, candidates=[
        (BCE_002_TIMES_PRIME, "sigma'(z) was multiplied in again: with BCE the factor "
                              "yhat (1 - yhat) cancels against dL/dyhat, leaving yhat - y"),
        (BCE_002_DA, "this is dL/dyhat = -y/yhat + (1 - y)/(1 - yhat) (the handwritten "
                     "notes' first "
                     "'delta' line), not dL/dz: multiply by sigma'(z) and simplify"),
        (BCE_002 / 3, ONE_SAMPLE),
        (BCE_002 / 4, GLOBAL_N),
        (BCE_002_ONE_TERM, "only the y log a term was differentiated: the (1 - y) log(1 - a) "
                           "term of the loss counts too (where y = 0)"),
        (BCE_002_SOFTMAX, "softmax was used: a sigmoid output acts on each unit alone, "
                          "a = sigmoid(z)"),
    ])

    label = "N = 4 binary predictions as a column, z and y of shape (4, 1)"
    got = call(sigmoid_bce_grad, Z_COL, Y_COL, function=f, case=label)
    check_array(got, BCE_COL, function=f, case=label, factors={"N, the batch size": 4},
                candidates=[(BCE_COL * 4, "the 1/N of the MEAN loss is missing: divide by N = 4")])

    checked = "the handwritten notes' delta, a column batch"
    if sigmoid is not None:
        rng = np.random.default_rng(11)
        Z = rng.normal(0, 1.5, size=(3, 2))
        Y = rng.integers(0, 2, size=(3, 2)).astype(float)
        label = "random z of shape (3, 2): against central differences of the mean BCE"
        num = _numerical(_bce_loss(sigmoid, Y, label), Z, "sigmoid", label)
        got = call(sigmoid_bce_grad, Z, Y, function=f, case=label)
        check_array(got, num, function=f, case=label, factors={"N, the batch size": 3},
                    **GRAD_TOL)
        checked += ", and central differences of the mean BCE"
    passed(f, checked)


def check_sigmoid_mse_grad(sigmoid_mse_grad, sigmoid=None):
    """(sigma(z) - y) sigma'(z) / N: the handwritten notes' toy, a batch, central differences."""
    f = "sigmoid_mse_grad"
    label = "the handwritten notes' toy: a = sigma(z) = (0.3, 0.5), y = (0, 1) (1-D: one sample)"
    got = call(sigmoid_mse_grad, Z_MSE_002, Y_MSE_002, function=f, case=label)
    check_array(got, MSE_002, function=f, case=label, candidates=[
        (np.array([0.3, -0.5]), "this is dL/da = a - y: the output delta also needs the "
                                "factor sigma'(z) = a (1 - a)"),
        (MSE_002_PRIME_AT_A, "sigma' was evaluated at a = sigma(z) instead of z: "
                             "sigma'(z) = a (1 - a)"),
        (MSE_002 / 2, ONE_SAMPLE),
        (MSE_002 / 4, GLOBAL_N),
    ])

    label = "z and y of shape (3, 2): 3 samples, 2 sigmoid units"
    got = call(sigmoid_mse_grad, Z_MSE, Y_MSE, function=f, case=label)
    check_array(got, MSE_BATCH, function=f, case=label, factors={"N, the batch size": 3},
                candidates=[(MSE_BATCH * 3, "the 1/N of the MEAN loss is missing: "
                                            "divide by N = 3")])

    checked = "the handwritten notes' toy, a batch"
    if sigmoid is not None:
        rng = np.random.default_rng(13)
        Z = rng.normal(0, 1.5, size=(4, 3))
        Y = rng.integers(0, 2, size=(4, 3)).astype(float)
        label = ("random z of shape (4, 3): against central differences of the mean "
                 "1/2 squared error")
        num = _numerical(_mse_loss(sigmoid, Y, label), Z, "sigmoid", label)
        got = call(sigmoid_mse_grad, Z, Y, function=f, case=label)
        check_array(got, num, function=f, case=label, factors={"N, the batch size": 4},
                    **GRAD_TOL)
        checked += ", and central differences of the mean squared error"
    passed(f, checked)
