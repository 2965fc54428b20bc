"""Visible checks for notebook 01, the neuron: step, perceptron, neuron, activations.

The cases (inputs, the engine's results, and the results of the engine with each
named mistake) come from the case table, grader/pipeline/cases/neuron.py, generated
into neuron_cases.py, and are run by the one runner of visible and hidden cases
(judge.run), worded as the case table's CAUSES, REDUCED and REGIONS. What stays code:
each derivative against central differences of the student's own activation, and tanh
against the student's sigmoid. No reference code is shipped.
"""
import numpy as np

from . import Causes, visible_cases
from .calls import call
from .compare import check_array
from .judge import run
from .numgrad import numerical_gradient
from .report import describe, fail, fmt, passed

CAUSES = Causes("neuron")  # the words of each mistake: the case table's CAUSES


def cause(key, function, causes=CAUSES):
    """The wording of mistake ``key`` in ``function``'s messages (the case table passes its
    own ``causes``: it writes the generated module these are read from)."""
    return causes[key].format(function=function, g=function.replace("_prime", ""))


def _cases(function):
    return visible_cases("neuron", function)


def _derivative(g, z):
    """g'(z) by central differences of the student's own g, entry by entry."""
    out = np.empty_like(z)
    for i in np.ndindex(z.shape):
        out[i] = numerical_gradient(lambda v: float(np.sum(g(v))), np.array([z[i]]))[0]
    return out


def check_step(step):
    """step(z) = 1.0 where z > 0, else 0.0 (floats, as the docstring says); step(0) = 0."""
    run("step", _cases("step"), step=step, summary="including step(0) = 0 and a 2-D input")


def check_perceptron(perceptron):
    """The AND gate as one perceptron: w = (1, 1), b = -1.5; then step(0) = 0."""
    run("perceptron", _cases("perceptron"), perceptron=perceptron,
        summary="the AND gate on single samples and on a batch, and step(0) = 0")


def check_neuron(neuron):
    """neuron(x, w, b, g) = g(w . x + b), on the forward/backward lecture's numbers."""
    cases = _cases("neuron")
    run("neuron", cases, neuron=neuron, summary="the forward/backward lecture's "
        "neuron, single sample and batches (N = 3 and N = 1), with two activations")


def check_sigmoid(sigmoid):
    """Values and saturation at |z| = 1000, without nan, and the stable form: no overflow
    inside (the naive 1 / (1 + np.exp(-z)) gets the values right but overflows)."""
    run("sigmoid", _cases("sigmoid"), sigmoid=sigmoid, summary="including saturation at "
        "|z| = 1000 and float32, without nan and without overflow inside")


def check_sigmoid_prime(sigmoid_prime, sigmoid):
    """sigma'(z) against central differences of your sigmoid; sigma'(0) = 0.25."""
    _prime("sigmoid_prime", sigmoid_prime, sigmoid, "sigmoid", extra=lambda s, z: {
        "sigmoid_itself": s, "precedence": np.zeros_like(z), "no_sigma_factor": 1 - s,
        "sigmoid_of_z": z * (1 - z)})
    run("sigmoid_prime", _cases("sigmoid_prime"), sigmoid_prime=sigmoid_prime,
        summary="sigma'(0) = 0.25, saturation at |z| = 1000, and agreement with central "
                "differences")


def check_tanh(tanh, sigmoid=None):
    """Values, saturation; with sigmoid given, the identity tanh(z) = 2 sigma(2z) - 1."""
    run("tanh", _cases("tanh"), tanh=tanh, summary="including saturation at |z| = 1000")
    if sigmoid is None:
        return
    z = next(c["args"][0] for c in _cases("tanh") if c["args"][0].ndim == 2)
    label = f"z of shape {z.shape}, compared with 2 sigmoid(2z) - 1 using your sigmoid"
    s = call(sigmoid, 2 * z, function="sigmoid", case=label)
    if not isinstance(s, np.ndarray) or s.shape != z.shape:
        fail("tanh", label, "your sigmoid must work first", got=describe(s),
             causes=["run check_sigmoid and fix sigmoid first"])
    check_array(call(tanh, z, function="tanh", case=label), 2 * s - 1, function="tanh",
                case=label)
    passed("tanh", "tanh(z) = 2 sigma(2z) - 1 with your sigmoid")


def check_tanh_prime(tanh_prime, tanh):
    """tanh'(z) = 1 - tanh(z)^2 against central differences of your tanh."""
    _prime("tanh_prime", tanh_prime, tanh, "tanh", extra=lambda t, z: {
        "no_square": 1 - t, "tanh_prime_sign": t * t - 1, "tanh_of_z": 1 - z * z,
        "square_term": (1 - t) ** 2})
    run("tanh_prime", _cases("tanh_prime"), tanh_prime=tanh_prime,
        summary="tanh'(0) = 1 and agreement with central differences of tanh")


def check_relu(relu):
    """max(0, z), shape kept."""
    run("relu", _cases("relu"), relu=relu)


def check_relu_prime(relu_prime):
    """1 where z > 0, else 0, with ReLU'(0) = 0 (PyTorch's convention)."""
    run("relu_prime", _cases("relu_prime"), relu_prime=relu_prime,
        summary="including ReLU'(0) = 0")


def check_leaky_relu(leaky_relu):
    """z where z > 0, else alpha z; alpha defaults to 0.01."""
    run("leaky_relu", _cases("leaky_relu"), leaky_relu=leaky_relu,
        summary="default and custom alpha")


def check_leaky_relu_prime(leaky_relu_prime, leaky_relu):
    """1 where z > 0, else alpha (also at z = 0), against central differences away from 0."""
    run("leaky_relu_prime", _cases("leaky_relu_prime"), leaky_relu_prime=leaky_relu_prime,
        summary="alpha = 0.2, also at z = 0")
    _prime("leaky_relu_prime", leaky_relu_prime, leaky_relu, "leaky_relu")
    passed("leaky_relu_prime", "the default alpha against central differences of your "
                               "leaky_relu")


def _prime(function, prime, g, g_name, extra=None):
    """Compare prime(z) with central differences of the student's own g, away from 0.

    extra(g(z), z) -> {cause key: wrong answer}, the typical mistakes computed from the
    student's own g."""
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
    wrong = dict(extra(g_z, z) if extra else {})
    wrong["at_a"] = _derivative(lambda v: call(g, v, function=g_name, case=label), g_z)
    check_array(got, expected, function=function, case=label, rtol=1e-5, atol=1e-8,
                candidates=[(w, cause(k, function)) for k, w in wrong.items()])
