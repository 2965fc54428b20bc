"""Hidden cases for notebook 01: random shapes, float32, saturation, z = 0 exactly.

Every expected value is the reference engine's; every candidate is the engine's
answer with one known mistake, so the feedback can name it.
"""
import numpy as np

import solutions as S
from solutions import sigmoid  # looked up by _tanh_by_sigmoid: the trace replaces it

from ...checks.neuron import cause
from ..oracle import case
from ..replay import replayed

# What each typical mistake looks like, in the student's words (the visible and the
# hidden cases name them alike; `sync` ships them to students in neuron_cases.py).
CAUSES = {
    "step0": "step(0) must be 0 (the course's convention): at z = 0 the output is "
             "step(0) = 0, so test z > 0, not z >= 0",
    "step_inverted": "the output is inverted: step(z) is 1 where z > 0 and 0 elsewhere",
    "perceptron_inverted": "the output is inverted: step(w . x + b) is 1 when w . x + b > 0",
    "no_bias": "the bias b is missing: z = w . x + b, then the activation",
    "b_sign": "the sign of b is flipped: z = w . x + b",
    "no_g": "g is never applied: return g(z), not z",
    "b_after": "b is added after the activation: first z = w . x + b, then a = g(z)",
    "sigma_neg": "this is sigma(-z) = 1 - sigma(z): the exponent must be e^(-z)",
    "sigmoid_itself": "this is sigma(z) itself: the derivative is sigma(z) (1 - sigma(z))",
    "precedence": "operator precedence: `s * 1 - s` is s - s = 0; write s * (1 - s)",
    "no_sigma_factor": "the factor sigma(z) is missing: sigma'(z) = sigma(z) (1 - sigma(z))",
    "sigmoid_of_z": "a (1 - a) was applied to z itself: compute a = sigma(z) first",
    "at_a": "{function} was evaluated at a = {g}(z) instead of z",
    "tanh_undoubled": "this is 2 sigma(z) - 1: the argument must be doubled, "
                      "tanh(z) = 2 sigma(2z) - 1",
    "tanh_sigma2z": "this is sigma(2z): tanh(z) = 2 sigma(2z) - 1",
    "no_square": "the square is missing: tanh'(z) = 1 - tanh(z)^2",
    "tanh_prime_sign": "the sign is flipped: tanh'(z) = 1 - tanh(z)^2 is positive",
    "tanh_of_z": "1 - a^2 was applied to z itself: compute a = tanh(z) first",
    "square_term": "the square is on the wrong term: 1 - tanh(z)^2, not (1 - tanh(z))^2",
    "relu_is_derivative": "this is ReLU's derivative (0 or 1), not max(0, z)",
    "relu0": "ReLU'(0) must be 0 (the course's convention, as PyTorch's): at z = 0 the "
             "slope is ReLU'(0) = 0, so test z > 0, not z >= 0",
    "relu_prime_ones": "the slope for z <= 0 must be 0: ReLU'(z) is 1 where z > 0, else 0",
    "relu_itself": "this is ReLU itself, not its derivative",
    "leaky_is_relu": "the negative side is 0: that is ReLU; leaky ReLU is alpha z for z < 0",
    "leaky_sign": "alpha z has the wrong sign: for z < 0 the output is alpha z < 0",
    "alpha_ignored": "alpha is ignored (0.01 hard-coded): use the argument alpha",
    "leaky0": "at z = 0 (the course takes the slope alpha there, as PyTorch): the derivative "
              "is 1 where z > 0, else alpha, so test z > 0, not z >= 0",
    "leaky_is_relu_prime": "this is ReLU's derivative: leaky ReLU's slope for z < 0 is alpha",
    "leaky_itself": "this is leaky ReLU itself, not its derivative",
}

# A number, or fewer entries, where an array was expected: (what happened, likely cause).
REDUCED = {
    "activation": ("the result lost the input's shape",
                   "a reduction collapsed the array: np.max(z, 0) is the largest entry, "
                   "np.maximum(z, 0) compares entry by entry; sum(...) and np.sum add the "
                   "entries up. An activation acts on each entry"),
    "batch": ("one number came back for a batch of {n} samples",
              "a batch has one sample per row: z = X @ w + b gives all {n} pre-activations "
              "at once (np.sum(X * w) adds up all of them)"),
}

ALPHA_REGION = {"z < 0 (is alpha used, or is 0.01 hard-coded?)": lambda z: z < 0}

# Named sets of entries where the errors of an activation may cluster: {label: mask(z)}.
REGIONS = {
    "step": {"z = 0 (the course's convention is step(0) = 0: use z > 0, not z >= 0)":
             lambda z: z == 0},
    "relu": {"z < 0 (there max(0, z) = 0)": lambda z: z < 0,
             "z > 0 (there max(0, z) = z)": lambda z: z > 0},
    "relu_prime": {
        "z = 0 (the course uses ReLU'(0) = 0, as PyTorch: z > 0, not z >= 0)": lambda z: z == 0,
        "z > 0 (there the slope of max(0, z) is 1)": lambda z: z > 0,
        "z <= 0 (there the slope of max(0, z) is 0)": lambda z: z <= 0},
    "leaky_relu": ALPHA_REGION,
    "leaky_relu_prime": {"z = 0 (the course takes the slope alpha there, as PyTorch: 1 where "
                         "z > 0, else alpha)": lambda z: z == 0, **ALPHA_REGION},
}


UPSTREAM = {"sigmoid_prime": {"sigmoid": 1}, "tanh_prime": {"tanh": 1}, "perceptron": {"step": 1}}


def _tanh_by_sigmoid(z):
    """tanh as the lecture writes it, 2 sigma(2z) - 1: the calls a student's tanh may make."""
    return 2 * sigmoid(2 * z) - 1


def _replays(name, z):
    """Upstream replays for one case: the engine's own calls, or the lecture's form of tanh."""
    if name == "tanh":
        return replayed(_tanh_by_sigmoid, (z,), sigmoid=1)
    return replayed(S.get_activation(name.replace("_prime", ""))[name.endswith("_prime")],
                    (z,), **UPSTREAM.get(name, {}))


def _inputs(rng):
    """(label, z) pairs: shapes (1,), (7,), (3, 4), (2, 3, 2), float32, zeros, a wide range."""
    return [
        ("z of shape (1,)", rng.normal(size=1)),
        ("z of shape (7,)", rng.normal(0, 3, size=7)),
        ("z of shape (3, 4)", rng.normal(0, 2, size=(3, 4))),
        ("z of shape (2, 3, 2)", rng.normal(0, 2, size=(2, 3, 2))),
        ("float32 z of shape (5,)", rng.normal(0, 2, size=5).astype(np.float32)),
        ("z with exact zeros", np.array([-1.5, 0.0, 0.0, 2.0])),
        ("large |z| (saturation)", np.array([-800.0, -50.0, -8.0, 8.0, 50.0, 800.0])),
    ]


def _f(x):
    return np.asarray(x, dtype=np.float64)


def _activation_mistakes(name, z, alpha=0.01):
    """{cause key: the engine's answer with that one mistake} for an activation (the
    wording of each key is CAUSES above)."""
    z = _f(z)
    table = {
        "step": lambda: {"step0": _f(z >= 0), "step_inverted": _f(z <= 0)},
        "sigmoid": lambda: {"sigma_neg": S.sigmoid(-z)},
        "sigmoid_prime": lambda: {"sigmoid_itself": S.sigmoid(z),
                                  "no_sigma_factor": 1 - S.sigmoid(z),
                                  "at_a": S.sigmoid_prime(S.sigmoid(z))},
        "tanh": lambda: {"tanh_undoubled": 2 * S.sigmoid(z) - 1,
                         "tanh_sigma2z": S.sigmoid(2 * z)},
        "tanh_prime": lambda: {"no_square": 1 - S.tanh(z), "tanh_prime_sign": S.tanh(z) ** 2 - 1,
                               "at_a": S.tanh_prime(S.tanh(z))},
        "relu": lambda: {"relu_is_derivative": S.relu_prime(z)},
        "relu_prime": lambda: {"relu0": _f(z >= 0), "relu_prime_ones": np.ones_like(z),
                               "relu_itself": S.relu(z)},
        "leaky_relu": lambda: {"leaky_is_relu": S.relu(z),
                               "leaky_sign": np.where(z > 0, z, -alpha * z),
                               "alpha_ignored": S.leaky_relu(z)},
        "leaky_relu_prime": lambda: {
            "leaky0": np.where(z >= 0, 1.0, alpha), "leaky_is_relu_prime": S.relu_prime(z),
            "alpha_ignored": S.leaky_relu_prime(z), "leaky_itself": S.leaky_relu(z, alpha)},
    }
    return table[name]()


def _distinct(mistakes, expected):
    """The mistakes whose answer differs from the expected one and from every earlier one."""
    out = {}
    for key, wrong in mistakes.items():
        wrong = np.asarray(wrong, dtype=np.float64)
        if not any(np.allclose(wrong, v, rtol=1e-4, atol=1e-12)
                   for v in [np.asarray(expected, dtype=np.float64), *out.values()]):
            out[key] = wrong.item() if wrong.ndim == 0 else wrong
    return out


def _candidates(function, mistakes):
    return [(wrong, cause(key, function, CAUSES)) for key, wrong in mistakes.items()]


def _float32_options(*arrays):
    """Looser tolerances where the input is float32, so float32 arithmetic passes.

    The expected values are computed in float64 from the (exact) float32 inputs; a
    student who keeps float32 is then off by float32 rounding, e.g. 1 - tanh(z)^2
    loses digits near saturation.
    """
    if any(getattr(a, "dtype", None) == np.float32 for a in arrays):
        return {"rtol": 1e-4, "atol": 1e-5}
    return {}


# Results that are exactly 0/1 may come back as int or bool arrays (step's contract says
# float, and its check holds it to that).
KINDS = {"relu_prime": "fiub"}
# sigmoid's task is the stable form: a numpy overflow inside it fails (bpcheck.calls).
PROTOCOL = {"sigmoid": "strict"}


def _activation_cases(rng):
    out = {}
    for name in ["step", "sigmoid", "tanh", "relu", "leaky_relu"]:
        names = [name] if name == "step" else [name, name + "_prime"]
        for fn_name in names:
            out[fn_name] = [_activation_case(fn_name, label, z, replays=True)
                            for label, z in _inputs(rng)]
    z32 = np.array([-100.0, -95.0, 95.0, 100.0], dtype=np.float32)
    out["sigmoid"].append(_activation_case("sigmoid", "float32 z with large |z| (np.exp "
                                           "overflows above 88.7 in float32)", z32))
    for label, z in _inputs(rng)[1:4]:
        for name in ["leaky_relu", "leaky_relu_prime"]:
            out[name].append(_activation_case(name, label + ", alpha = 0.1", z, alpha=0.1))
    return out


def _activation_case(name, label, z, alpha=None, replays=False):
    """A case of an activation, visible or hidden (replays: of its upstream functions)."""
    kwargs = {} if alpha is None else {"alpha": alpha}
    expected = getattr(S, name)(_f(z), **kwargs)
    mistakes = _distinct(_activation_mistakes(name, z, **kwargs), expected)
    regions = {k: mask(z) for k, mask in REGIONS.get(name, {}).items()}
    return case(label, (z,), expected, kwargs=kwargs, kinds=KINDS.get(name, "f"),
                protocol=PROTOCOL.get(name, "call"), candidates=_candidates(name, mistakes),
                reduced=REDUCED["activation"], replays=_replays(name, z) if replays else None,
                **({"regions": regions} if regions else {}), **_float32_options(z))


def _batch(expected):
    """The diagnosis of one number for a batch (a sum over all samples), if it is a batch."""
    n = len(expected) if np.ndim(expected) else 0
    return {"reduced": tuple(t.format(n=n) for t in REDUCED["batch"])} if n else {}


def _perceptron_mistakes(x, w, b):
    xw = _f(x) @ _f(w)
    return {"step0": _f(xw + b >= 0), "no_bias": S.step(xw),
            "perceptron_inverted": 1 - S.step(xw + b)}


def _perceptron_case(label, args, replays=True):
    expected = S.perceptron(*(_f(a) for a in args))
    number = np.ndim(expected) == 0
    options = dict(kind="number") if number else dict(kinds="fiub", **_batch(expected))
    return case(label, args, float(expected) if number else expected, **options,
                replays=replayed(S.perceptron, args, step=1) if replays else None,
                candidates=_candidates("perceptron",
                                       _distinct(_perceptron_mistakes(*args), expected)))


def _perceptron_cases(rng):
    out = []
    for n, N in [(3, None), (4, None), (3, 6), (5, 1), (2, 8)]:
        w, b = rng.normal(size=n), float(rng.normal())
        x = rng.integers(0, 2, size=(N, n) if N else n).astype(float)
        label = f"one sample, n = {n}" if N is None else f"batch X of shape ({N}, {n})"
        out.append(_perceptron_case(label, (x, w, b)))
    X32 = rng.normal(size=(4, 3)).astype(np.float32)
    w32 = rng.normal(size=3).astype(np.float32)
    out.append(_perceptron_case("float32 batch X of shape (4, 3)", (X32, w32, 0.1)))
    out.append(_perceptron_case("w . x + b = 0 exactly (step(0) = 0)",
                                (np.array([1.0, 1.0]), np.array([1.0, -1.0]), 0.0)))
    out.append(_perceptron_case("a batch where w . x + b = 0 in rows 0 and 2",
                                (np.array([[1.0, 1.0], [2.0, 1.0], [3.0, 3.0]]),
                                 np.array([1.0, -1.0]), 0.0)))
    return out


def _neuron_mistakes(x, w, b, g):
    xw = _f(x) @ _f(w)
    return {"no_bias": g(xw), "b_sign": g(xw - b), "no_g": xw + b, "b_after": g(xw) + b}


def _neuron_case(label, x, w, b, g, **options):
    expected = S.neuron(_f(x), _f(w), b, g)
    number = np.ndim(expected) == 0
    return case(label, (x, w, b, g), float(expected) if number else expected,
                kind="number" if number else "array", **_batch(expected),
                candidates=_candidates("neuron", _distinct(_neuron_mistakes(x, w, b, g),
                                                           expected)), **options)


def _neuron_cases(rng):
    x, w, b = rng.normal(size=4), rng.normal(size=4), 0.3
    Xb = rng.normal(size=(5, 4))
    X1 = rng.normal(size=(1, 6))
    w6 = rng.normal(size=6)
    X32 = rng.normal(size=(7, 3)).astype(np.float32)
    w32 = rng.normal(size=3).astype(np.float32)
    X3 = rng.normal(size=(3, 5))
    return [
        _neuron_case("one sample, n = 4, g = np.tanh", x, w, b, np.tanh),
        _neuron_case("batch of 5, n = 4, g = np.tanh", Xb, w, b, np.tanh),
        _neuron_case("batch of 5, n = 4, g = np.exp", Xb, w, -b, np.exp),
        _neuron_case("a batch of one, X of shape (1, 6), g = np.arctan", X1, w6, -1.2,
                     np.arctan),
        _neuron_case("float32 batch of 7, n = 3, g = np.tanh", X32, w32, 0.5, np.tanh,
                     **_float32_options(X32)),
        _neuron_case("batch of 3, n = 5, b = 0, g = np.abs (any function can be g)",
                     X3, w6[:5], 0.0, np.abs),
    ]


def cases():
    rng = np.random.default_rng(101)
    out = _activation_cases(rng)
    out["perceptron"] = _perceptron_cases(rng)
    out["neuron"] = _neuron_cases(rng)
    return out


# --------------------------------------------------------------- the visible cases
Z = np.array([-2.0, -0.5, 0.0, 0.5, 3.0])
Z_GRID = np.array([[-3.0, -1.2, -0.3], [0.4, 1.1, 2.5]])  # keeps the 2-D shape check honest
BIG = np.array([-1000.0, -40.0, 40.0, 1000.0])
BIG32 = np.array([-100.0, -90.0, 90.0, 100.0], dtype=np.float32)  # np.exp overflows above 88.7
Z_LABEL = "z = [-2, -0.5, 0, 0.5, 3]"
GRID_LABEL = "z of shape (2, 3)"
BIG_LABEL = "large |z| = [-1000, -40, 40, 1000]"


def visible():
    """The cases of the visible checks (generated into bpcheck/neuron_cases.py), made by the
    helpers of the hidden cases: a mistake is named alike both ways."""
    from solutions.lecture import NEURON_X, neuron_001
    w_demo, b_demo = neuron_001()  # the forward/backward lecture: torch.manual_seed(1)
    X_AND = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    w_and = np.array([1.0, 1.0])
    shared = [(Z_LABEL, Z), (GRID_LABEL, Z_GRID)]
    big = [(BIG_LABEL + " (saturation)", BIG)]
    zero = [("z = [0]", np.array([0.0]))]
    inputs = {
        "step": shared, "relu": shared, "relu_prime": shared, "tanh": shared + big,
        "sigmoid": shared + big + [("float32 z = [-100, -90, 90, 100] (in float32, np.exp "
                                    "overflows above 88.7)", BIG32)],
        "sigmoid_prime": zero + [(BIG_LABEL + " (saturation: sigma' vanishes)", BIG)],
        "tanh_prime": zero,
    }
    out = {name: [_activation_case(name, label, z) for label, z in items]
           for name, items in inputs.items()}
    out["leaky_relu"] = [
        *[_activation_case("leaky_relu", label + ", default alpha", z) for label, z in shared],
        _activation_case("leaky_relu", Z_LABEL + ", alpha = 0.2", Z, alpha=0.2)]
    out["leaky_relu_prime"] = [_activation_case("leaky_relu_prime", Z_LABEL + ", alpha = 0.2",
                                                Z, alpha=0.2)]
    out["perceptron"] = [_perceptron_case(label, args, replays=False) for label, args in [
        *[(f"AND gate, w = [1, 1], b = -1.5, x = {x.tolist()}", (x, w_and, -1.5))
          for x in X_AND],
        ("AND gate on the 4 rows of the truth table at once, X of shape (4, 2)",
         (X_AND, w_and, -1.5)),
        ("w = [1, -1], b = 0, x = [2, 2]: w . x + b = 0 exactly",
         (np.array([2.0, 2.0]), np.array([1.0, -1.0]), 0.0))]]
    # g = identity is np.positive, the identity ufunc (a case's g goes through the wire);
    # the generated module names it (np.<name>), which check_neuron reads back.
    lecture = "the forward/backward lecture"
    out["neuron"] = [_neuron_case(label, x, w_demo, b_demo, g) for label, x, g in [
        (f"{lecture}: x = [-8, 1, -3, 5, 2], torch.manual_seed(1) weights, g = identity",
         NEURON_X[0], np.positive),
        (f"{lecture}, batched: X of shape (3, 5), g = identity", NEURON_X, np.positive),
        (f"{lecture}, batched, g = np.tanh", NEURON_X, np.tanh),
        ("a batch of one: X of shape (1, 5), g = np.tanh", NEURON_X[:1], np.tanh)]]
    return out
