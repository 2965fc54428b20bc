"""Visible checks for notebook 01, the neuron: step, perceptron, neuron, activations.

Expected values are test vectors (computed once, to 1e-12, and written here),
lecture numbers (the forward/backward lecture), mathematical properties, and central differences of
the student's own activation for each derivative. No reference code is shipped.
"""
import numpy as np

from .calls import call
from .compare import check_array, check_number
from .numgrad import numerical_gradient
from .report import describe, fail, fmt, passed

Z = np.array([-2.0, -0.5, 0.0, 0.5, 3.0])
Z_GRID = np.array([[-3.0, -1.2, -0.3], [0.4, 1.1, 2.5]])  # keeps the 2-D shape check honest
BIG = np.array([-1000.0, -40.0, 40.0, 1000.0])
BIG32 = np.array([-100.0, -90.0, 90.0, 100.0], dtype=np.float32)  # np.exp overflows above 88.7

# The forward/backward lecture's single neuron: x, and the exact float32 draws of
# torch.manual_seed(1).
X_DEMO = np.array([-8.0, 1.0, -3.0, 5.0, 2.0])
W_DEMO = np.array([0.7576316, 0.27931088, 0.40306926, 0.73468447, 0.02928156])
B_DEMO = 0.7998586
X_DEMO_BATCH = np.array([[-8.0, 1.0, -3.0, 5.0, 2.0], [-2.0, 2.0, -1.0, 5.0, 2.0],
                        [7.0, 1.0, 9.0, -5.0, -2.0]])
Z_DEMO_BATCH = np.array([-2.4591056, 3.1721334, 6.2782286])  # the slide: -2.4591, 3.1721, 6.2782

def _elementwise(fn, function, cases, kinds="f", mistakes=(), regions=None, strict=False,
                 **options):
    """Check fn on [(label, z, expected)] cases, where fn acts entry by entry on z.

    Like compare.check_cases, but a result that lost the input's shape is reported
    as what it almost always is: a reduction (np.max, sum, ...) instead of an
    element-wise operation. strict: an overflow inside fn fails (calls.call).
    Returns the number of cases.
    """
    for label, args, expected in cases:
        got = call(fn, *args, function=function, case=label, strict=strict)
        expected = np.asarray(expected)
        if (isinstance(got, (np.ndarray, float, int, np.floating, np.integer))
                and not isinstance(got, (bool, np.bool_)) and np.ndim(got) < expected.ndim
                and np.size(got) < expected.size):
            fail(function, label, "the result lost the input's shape",
                 expected=f"an array of shape {expected.shape}, like the input z",
                 got=describe(got),
                 causes=["a reduction collapsed the array: np.max(z, 0) is the largest "
                         "entry, np.maximum(z, 0) compares entry by entry; sum(...) and "
                         "np.sum add the entries up. An activation acts on each entry"])
        check_array(got, expected, function=function, case=label, kinds=kinds,
                    candidates=[(wrong(expected, *args), cause) for wrong, cause in mistakes],
                    regions={k: mask(*args) for k, mask in (regions or {}).items()},
                    **options)
    return len(cases)


def _derivative(g, z):
    """g'(z) by central differences of the student's own g, entry by entry."""
    out = np.empty_like(z)
    for i in np.ndindex(z.shape):
        out[i] = numerical_gradient(lambda v: float(np.sum(g(v))), np.array([z[i]]))[0]
    return out


def check_step(step):
    """step(z) = 1.0 where z > 0, else 0.0 (floats, as the docstring says); step(0) = 0."""
    n = _elementwise(step, "step", [
        ("z = [-2, -0.5, 0, 0.5, 3]", (Z,), np.array([0.0, 0.0, 0.0, 1.0, 1.0])),
        ("z of shape (2, 3)", (Z_GRID,), (Z_GRID > 0).astype(float)),
    ], mistakes=[(lambda e, z: 1 - e, "the output is inverted: step(z) is 1 "
                                      "where z > 0 and 0 elsewhere")],
        regions={"z = 0 (the course's convention is step(0) = 0: use z > 0, not z >= 0)":
                 lambda z: z == 0})
    passed("step", f"{n} cases, including step(0) = 0 and a 2-D input")


def check_perceptron(perceptron):
    """The AND gate as one perceptron: w = (1, 1), b = -1.5; then step(0) = 0."""
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    w, b = np.array([1.0, 1.0]), -1.5
    for x, y in zip(X, [0.0, 0.0, 0.0, 1.0]):
        label = f"AND gate, w = [1, 1], b = -1.5, x = {x.tolist()}"
        got = call(perceptron, x, w, b, function="perceptron", case=label)
        no_bias = float(x @ w > 0)
        check_number(got, y, function="perceptron", case=label, candidates=[
            (no_bias, "the bias b is missing: the perceptron computes step(w . x + b)"),
            (1 - y, "the output is inverted: step(w . x + b) is 1 when w . x + b > 0")])
    label = "AND gate on the 4 rows of the truth table at once, X of shape (4, 2)"
    got = call(perceptron, X, w, b, function="perceptron", case=label)
    if (isinstance(got, (np.ndarray, float, int, np.floating, np.integer))
            and not isinstance(got, (bool, np.bool_)) and np.ndim(got) == 0):
        fail("perceptron", label, "one number came back for a batch of 4 samples",
             expected="an array of shape (4,), one output per row of X", got=describe(got),
             causes=["a batch has one sample per row: z = X @ w + b gives the 4 "
                     "pre-activations at once (np.sum(X * w) adds up all of them)"])
    check_array(got, np.array([0.0, 0.0, 0.0, 1.0]), function="perceptron", case=label,
                kinds="fiub",
                candidates=[(np.array([0.0, 1.0, 1.0, 1.0]), "the bias b is missing")])
    label = "w = [1, -1], b = 0, x = [2, 2]: w . x + b = 0 exactly"
    got = call(perceptron, np.array([2.0, 2.0]), np.array([1.0, -1.0]), 0.0,
               function="perceptron", case=label)
    check_number(got, 0.0, function="perceptron", case=label, candidates=[
        (1.0, "step(0) must be 0 (the course's convention): use z > 0, not z >= 0")])
    passed("perceptron", "the AND gate on single samples and on a batch, and step(0) = 0")


def check_neuron(neuron):
    """neuron(x, w, b, g) = g(w . x + b), on the forward/backward lecture's numbers."""
    identity = lambda z: z  # noqa: E731  (the lecture's "linear model")
    label = ("the forward/backward lecture: x = [-8, 1, -3, 5, 2], torch.manual_seed(1) "
             "weights, g = identity")
    got = call(neuron, X_DEMO, W_DEMO, B_DEMO, identity, function="neuron", case=label)
    check_number(got, Z_DEMO_BATCH[0], function="neuron", case=label, rtol=1e-6,
                 candidates=[(Z_DEMO_BATCH[0] - B_DEMO, "the bias b is missing"),
                             (Z_DEMO_BATCH[0] - 2 * B_DEMO, "the sign of b is flipped")])
    label = "the forward/backward lecture, batched: X of shape (3, 5), g = identity"
    got = call(neuron, X_DEMO_BATCH, W_DEMO, B_DEMO, identity, function="neuron", case=label)
    if isinstance(got, (np.ndarray, float, np.floating)) and np.ndim(got) == 0:
        fail("neuron", label, "one number came back for a batch of 3 samples",
             expected="an array of shape (3,), one z per row of X", got=describe(got),
             causes=["a batch has one sample per row: z = X @ w + b gives all 3 "
                     "pre-activations at once (np.sum(X * w) adds up all of them)"])
    check_array(got, Z_DEMO_BATCH, function="neuron", case=label, rtol=1e-6)
    label = "the forward/backward lecture, batched, g = np.tanh"
    got = call(neuron, X_DEMO_BATCH, W_DEMO, B_DEMO, np.tanh, function="neuron", case=label)
    check_array(got, np.tanh(Z_DEMO_BATCH), function="neuron", case=label, rtol=1e-6,
                candidates=[(Z_DEMO_BATCH, "g is never applied: return g(z), not z"),
                            (np.tanh(Z_DEMO_BATCH - B_DEMO) + B_DEMO,
                             "b is added after the activation: first z = w . x + b, "
                             "then a = g(z)")])
    label = "a batch of one: X of shape (1, 5), g = np.tanh"
    got = call(neuron, X_DEMO_BATCH[:1], W_DEMO, B_DEMO, np.tanh, function="neuron", case=label)
    check_array(got, np.tanh(Z_DEMO_BATCH[:1]), function="neuron", case=label, rtol=1e-6)
    passed("neuron", "the forward/backward lecture's neuron, single sample and batches "
                     "(N = 3 and N = 1), with two activations")


def check_sigmoid(sigmoid):
    """Values and saturation at |z| = 1000, without nan, and the stable form: no overflow
    inside (the naive 1 / (1 + np.exp(-z)) gets the values right but overflows)."""
    n = _elementwise(sigmoid, "sigmoid", [
        ("z = [-2, -0.5, 0, 0.5, 3]", (Z,),
         np.array([0.11920292202211755, 0.3775406687981454, 0.5, 0.6224593312018546,
                   0.9525741268224334])),
        ("z of shape (2, 3)", (Z_GRID,),
         np.array([[0.04742587317756678, 0.23147521650098238, 0.425557483188341],
                   [0.598687660112452, 0.7502601055951177, 0.9241418199787566]])),
        ("large |z| = [-1000, -40, 40, 1000] (saturation)", (BIG,),
         np.array([0.0, 4.248354255291589e-18, 1.0, 1.0])),
        ("float32 z = [-100, -90, 90, 100] (in float32, np.exp overflows above 88.7)", (BIG32,),
         np.array([3.720075976020836e-44, 8.194012623990515e-40, 1.0, 1.0])),
    ], mistakes=[(lambda s, z: 1 - s, "this is sigma(-z) = 1 - sigma(z): the exponent "
                                      "must be e^(-z)")], strict=True)
    passed("sigmoid", f"{n} cases, including saturation at |z| = 1000 and float32, without "
                      "nan and without overflow inside")


def check_sigmoid_prime(sigmoid_prime, sigmoid):
    """sigma'(z) against central differences of your sigmoid; sigma'(0) = 0.25."""
    _prime("sigmoid_prime", sigmoid_prime, sigmoid, "sigmoid", extra=lambda s, z: [
        (s, "this is sigma(z) itself: the derivative is sigma(z) (1 - sigma(z))"),
        (np.zeros_like(z), "operator precedence: `s * 1 - s` is s - s = 0; "
                           "write s * (1 - s)"),
        (1 - s, "the factor sigma(z) is missing: sigma'(z) = sigma(z) (1 - sigma(z))"),
        (z * (1 - z), "a (1 - a) was applied to z itself: compute a = sigma(z) first")])
    got = call(sigmoid_prime, np.array([0.0]), function="sigmoid_prime", case="z = [0]")
    check_array(got, np.array([0.25]), function="sigmoid_prime", case="z = [0]")
    _elementwise(sigmoid_prime, "sigmoid_prime", [
        ("large |z| = [-1000, -40, 40, 1000] (saturation: sigma' vanishes)", (BIG,),
         np.array([0.0, 4.248354255291589e-18, 4.248354255291589e-18, 0.0]))])
    passed("sigmoid_prime", "sigma'(0) = 0.25, agreement with central differences, "
                            "and saturation at |z| = 1000")


def check_tanh(tanh, sigmoid=None):
    """Values, saturation; with sigmoid given, the identity tanh(z) = 2 sigma(2z) - 1."""
    expected = np.array([-0.9640275800758169, -0.46211715726000974, 0.0,
                         0.46211715726000974, 0.9950547536867305])
    grid = np.array([[-0.9950547536867305, -0.8336546070121552, -0.2913126124515909],
                     [0.3799489622552249, 0.8004990217606297, 0.9866142981514303]])
    sig2 = np.array([-0.7615941559557649, -0.24491866240370913, 0.0,
                     0.24491866240370913, 0.9051482536448664])  # 2 sigma(z) - 1 on Z
    n = _elementwise(tanh, "tanh", [("z = [-2, -0.5, 0, 0.5, 3]", (Z,), expected)], mistakes=[
        (lambda e, z: sig2, "this is 2 sigma(z) - 1: the argument must be doubled, "
                            "tanh(z) = 2 sigma(2z) - 1"),
        (lambda e, z: (e + 1) / 2, "this is sigma(2z): tanh(z) = 2 sigma(2z) - 1")])
    n += _elementwise(tanh, "tanh", [
        ("z of shape (2, 3)", (Z_GRID,), grid),
        ("large |z| = [-1000, -40, 40, 1000] (saturation)", (BIG,),
         np.array([-1.0, -1.0, 1.0, 1.0])),
    ])
    if sigmoid is not None:
        label = "z of shape (2, 3), compared with 2 sigmoid(2z) - 1 using your sigmoid"
        s = call(sigmoid, 2 * Z_GRID, function="sigmoid", case=label)
        if not isinstance(s, np.ndarray) or s.shape != Z_GRID.shape:
            fail("tanh", label, "your sigmoid must work first", got=describe(s),
                 causes=["run check_sigmoid and fix sigmoid first"])
        got = call(tanh, Z_GRID, function="tanh", case=label)
        check_array(got, 2 * s - 1, function="tanh", case=label)
    passed("tanh", f"{n} cases, saturation"
           + (", and tanh(z) = 2 sigma(2z) - 1" if sigmoid is not None else ""))


def check_tanh_prime(tanh_prime, tanh):
    """tanh'(z) = 1 - tanh(z)^2 against central differences of your tanh."""
    _prime("tanh_prime", tanh_prime, tanh, "tanh", extra=lambda t, z: [
        (1 - t, "the square is missing: tanh'(z) = 1 - tanh(z)^2"),
        (t * t - 1, "the sign is flipped: tanh'(z) = 1 - tanh(z)^2 is positive"),
        (1 - z * z, "1 - a^2 was applied to z itself: compute a = tanh(z) first"),
        ((1 - t) ** 2, "the square is on the wrong term: 1 - tanh(z)^2, not (1 - tanh(z))^2")])
    got = call(tanh_prime, np.array([0.0]), function="tanh_prime", case="z = [0]")
    check_array(got, np.array([1.0]), function="tanh_prime", case="z = [0]")
    passed("tanh_prime", "tanh'(0) = 1 and agreement with central differences of tanh")


def check_relu(relu):
    """max(0, z), shape kept."""
    n = _elementwise(relu, "relu", [
        ("z = [-2, -0.5, 0, 0.5, 3]", (Z,), np.array([0.0, 0.0, 0.0, 0.5, 3.0])),
        ("z of shape (2, 3)", (Z_GRID,), np.maximum(Z_GRID, 0.0)),
    ], mistakes=[(lambda e, z: (z > 0).astype(float),
                  "this is ReLU's derivative (0 or 1), not max(0, z)")],
        regions={"z < 0 (there max(0, z) = 0)": lambda z: z < 0,
                 "z > 0 (there max(0, z) = z)": lambda z: z > 0})
    passed("relu", f"{n} cases")


def check_relu_prime(relu_prime):
    """1 where z > 0, else 0, with ReLU'(0) = 0 (PyTorch's convention)."""
    n = _elementwise(relu_prime, "relu_prime", [
        ("z = [-2, -0.5, 0, 0.5, 3]", (Z,), np.array([0.0, 0.0, 0.0, 1.0, 1.0])),
        ("z of shape (2, 3)", (Z_GRID,), (Z_GRID > 0).astype(float)),
    ], kinds="fiub",
        mistakes=[(lambda e, z: np.maximum(z, 0), "this is ReLU itself, not its derivative")],
        regions={"z = 0 (the course uses ReLU'(0) = 0, as PyTorch: z > 0, not z >= 0)":
                 lambda z: z == 0,
                 "z > 0 (there the slope of max(0, z) is 1)": lambda z: z > 0,
                 "z <= 0 (there the slope of max(0, z) is 0)": lambda z: z <= 0})
    passed("relu_prime", f"{n} cases, including ReLU'(0) = 0")


def check_leaky_relu(leaky_relu):
    """z where z > 0, else alpha z; alpha defaults to 0.01."""
    n = _elementwise(leaky_relu, "leaky_relu", [
        ("z = [-2, -0.5, 0, 0.5, 3], default alpha", (Z,),
         np.array([-0.02, -0.005, 0.0, 0.5, 3.0])),
        ("z of shape (2, 3), default alpha", (Z_GRID,),
         np.array([[-0.03, -0.012, -0.003], [0.4, 1.1, 2.5]])),
    ], mistakes=[(lambda e, z: np.maximum(z, 0), "the negative side is 0: that is ReLU; "
                                                 "leaky ReLU is alpha z for z < 0"),
                 (lambda e, z: np.where(z > 0, z, -0.01 * z),
                  "alpha z has the wrong sign: for z < 0 the output is alpha z < 0")],
        regions={"z < 0": lambda z: z < 0})
    label = "z = [-2, -0.5, 0, 0.5, 3], alpha = 0.2"
    got = call(leaky_relu, Z, alpha=0.2, function="leaky_relu", case=label)
    check_array(got, np.array([-0.4, -0.1, 0.0, 0.5, 3.0]), function="leaky_relu", case=label,
                regions={"z < 0 (is alpha used, or is 0.01 hard-coded?)": Z < 0})
    passed("leaky_relu", f"{n + 1} cases, default and custom alpha")


def check_leaky_relu_prime(leaky_relu_prime, leaky_relu):
    """1 where z > 0, else alpha (also at z = 0), against central differences away from 0."""
    label = "z = [-2, -0.5, 0, 0.5, 3], alpha = 0.2"
    got = call(leaky_relu_prime, Z, alpha=0.2, function="leaky_relu_prime", case=label)
    check_array(got, np.array([0.2, 0.2, 0.2, 1.0, 1.0]), function="leaky_relu_prime",
                case=label, candidates=[
                    (np.array([0.01, 0.01, 0.01, 1.0, 1.0]),
                     "alpha is ignored: 0.01 is hard-coded instead of the argument alpha"),
                    (np.array([0.0, 0.0, 0.0, 1.0, 1.0]), "this is ReLU's derivative: "
                                                          "leaky ReLU's slope for z < 0 is alpha"),
                    (np.array([-0.4, -0.1, 0.0, 0.5, 3.0]),
                     "this is leaky ReLU itself, not its derivative")],
                regions={"z = 0 (the course takes the slope alpha there, as PyTorch: "
                         "1 where z > 0, else alpha)": Z == 0,
                         "z < 0 (is alpha used, or is 0.01 hard-coded?)": Z < 0})
    _prime("leaky_relu_prime", leaky_relu_prime, leaky_relu, "leaky_relu")
    passed("leaky_relu_prime", "alpha = 0.2 (also at z = 0) and the default alpha, "
                               "against central differences")


def _prime(function, prime, g, g_name, extra=None):
    """Compare prime(z) with central differences of the student's own g, away from 0."""
    z = np.array([-2.5, -1.0, -0.2, 0.3, 1.5, 4.0])
    label = f"z = {z.tolist()}, against central differences of your {g_name}"
    g_z = call(g, z, function=g_name, case=label)
    if (not isinstance(g_z, np.ndarray) or g_z.shape != z.shape
            or g_z.dtype.kind not in "fiu" or not np.all(np.isfinite(g_z))):
        fail(function, label, f"your {g_name} must work first: it did not return a finite "
             "float array of the input's shape", got=describe(g_z) + (
                 f" = {fmt(g_z)}" if isinstance(g_z, np.ndarray) else ""),
             causes=[f"run check_{g_name} and fix {g_name} first"])
    expected = _derivative(lambda v: call(g, v, function=g_name, case=label), z)
    got = call(prime, z, function=function, case=label)
    candidates = list(extra(g_z, z) if extra else [])
    candidates.append((_derivative(lambda v: call(g, v, function=g_name, case=label), g_z),
                       f"{function} was evaluated at a = {g_name}(z) instead of z"))
    check_array(got, expected, function=function, case=label, rtol=1e-5, atol=1e-8,
                candidates=candidates)
