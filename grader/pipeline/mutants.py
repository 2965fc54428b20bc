"""Realistic student submissions: typical bugs, and correct answers written differently.

A Mutant inserts one bug into an otherwise correct notebook by replacing text in
one answer cell (the text must occur exactly once, so a catalog entry cannot go
stale silently). A Variant replaces whole answer cells with another correct
implementation. ``expect`` lists words the feedback must show for a bug: the
function's name and the likely cause.
"""
from dataclasses import dataclass, field

from . import submissions


@dataclass(frozen=True)
class Mutant:
    id: str
    assignment: str
    cell: str                 # grade_id of the answer cell
    description: str
    old: str                  # text in the solution code ...
    new: str                  # ... replaced by this
    expect: tuple = ()        # words the feedback must contain (besides the function)
    function: str = ""        # the graded function that must lose points

    def apply(self, nb):
        def edit(code):
            if code.count(self.old) != 1:
                raise ValueError(f"mutant {self.id}: {self.old!r} occurs {code.count(self.old)} "
                                 f"times in cell {self.cell!r}; update the catalog")
            return code.replace(self.old, self.new)
        return submissions.with_cells(nb, {self.cell: edit})


@dataclass(frozen=True)
class Variant:
    id: str
    assignment: str
    description: str
    cells: dict = field(default_factory=dict)   # grade_id -> complete new code

    def apply(self, nb):
        return submissions.with_cells(nb, self.cells)


def _m(id, assignment, cell, description, old, new, *expect, function=None):
    return Mutant(id, assignment, cell, description, old, new, expect, function or cell)


N1, N2, N3 = "01-neuron", "02-xor", "03-forward-pass"
N4, N5, N6 = "04-softmax-cross-entropy", "05-vectorized-backprop", "06-worked-example-222"

CATALOG = [
    # 01 the neuron
    _m("step-at-zero-is-one", N1, "step", "step(0) = 1: z >= 0 instead of z > 0",
       "return (z > 0).astype(float)", "return (z >= 0).astype(float)", "step(0) = 0"),
    _m("step-returns-bool", N1, "step", "step returns True/False, not 0.0/1.0",
       "return (z > 0).astype(float)", "return z > 0", "convert with .astype(float)"),
    _m("sigmoid-naive-overflows", N1, "sigmoid", "1 / (1 + e^-z): right values, overflow inside",
       "return np.where(z >= 0, 1 / (1 + u), u / (1 + u))", "return 1 / (1 + np.exp(-z))",
       "numpy overflowed", "stable form"),
    _m("sigmoid-prime-returns-sigmoid", N1, "sigmoid_prime", "sigma'(z) returns sigma(z)",
       "return s * (1 - s)", "return s", "sigma(z) itself"),
    _m("tanh-prime-missing-square", N1, "tanh_prime", "tanh'(z) = 1 - tanh(z)",
       "return 1 - t * t", "return 1 - t", "square is missing"),
    _m("relu-prime-one-for-negative", N1, "relu_prime", "ReLU'(z) = 1 for z < 0 too",
       "return (z > 0).astype(float)", "return np.ones_like(z)", "z <= 0"),
    _m("leaky-relu-ignores-alpha", N1, "leaky_relu", "alpha hard-coded to 0.01",
       "return np.where(z > 0, z, alpha * z)", "return np.where(z > 0, z, 0.01 * z)", "alpha"),
    # 02 XOR
    _m("perceptron-update-wrong-sign", N2, "perceptron_train", "w moves against the error",
       "w = w + lr * (y_i - y_hat) * x_i", "w = w - lr * (y_i - y_hat) * x_i", "wrong sign"),
    _m("nand-gate-and-weights", N2, "nand_gate", "AND's weights: the signs are not flipped",
       "return perceptron(X, np.array([-1.0, -1.0]), 1.5)",
       "return perceptron(X, np.array([1.0, 1.0]), -1.5)", "this is AND", "flip the signs"),
    _m("nand-gate-on-the-boundary", N2, "nand_gate", "b = 1: (1, 0) and (0, 1) land on z = 0",
       "return perceptron(X, np.array([-1.0, -1.0]), 1.5)",
       "return perceptron(X, np.array([-1.0, -1.0]), 1.0)", "w1 + b > 0", "step(0) = 0"),
    _m("xor-network-or-for-and", N2, "xor_network", "the output unit is OR, not AND",
       "return perceptron(A1, np.array([1.0, 1.0]), -1.5)",
       "return perceptron(A1, np.array([1.0, 1.0]), -0.5)", "OR instead of an AND"),
    _m("xor-network-and-for-nand", N2, "xor_network", "the hidden NAND unit is an AND",
       "h_nand = perceptron(X, np.array([-1.0, -1.0]), 1.5)",
       "h_nand = perceptron(X, np.array([1.0, 1.0]), -1.5)", "hidden NAND neuron an AND"),
    _m("xor-network-logical-xor", N2, "xor_network", "np.logical_xor, no perceptron units",
       "X = np.asarray(X, dtype=np.float64)",
       "return np.logical_xor(X[:, 0], X[:, 1]).astype(float)", "0 calls of perceptron",
       "computed directly"),
    # 03 the forward pass
    _m("shapes-transposed", N3, "layer_shapes", "W^[l] shaped (n_{l-1}, n_l)",
       "((n_out, n_in), (n_out,))", "((n_in, n_out), (n_out,))", "transposed"),
    _m("count-weights-only", N3, "count_params", "the biases are not counted",
       "n_out * n_in + n_out", "n_out * n_in", "only the weights"),
    _m("dense-no-bias", N3, "dense", "Z = A_prev W^T, the bias forgotten",
       "return A_prev @ W.T + b", "return A_prev @ W.T", "bias b is not added"),
    _m("init-not-scaled", N3, "init_params", "W ~ N(0, 1), not N(0, 1/n_{l-1})",
       "rng.standard_normal((n_out, n_in)) / np.sqrt(n_in)",
       "rng.standard_normal((n_out, n_in))", "not scaled"),
    _m("forward-hidden-activation-at-output", N3, "forward", "g instead of softmax at layer L",
       "A = out(Z) if l == L else g(Z)", "A = g(Z)", "output layer used the hidden activation"),
    # 04 softmax and cross-entropy
    _m("softmax-no-max-shift", N4, "softmax", "no max shift: overflow at large logits",
       "np.exp(Z - np.max(Z, axis=-1, keepdims=True))", "np.exp(Z)", "max-shift"),
    _m("softmax-wrong-axis", N4, "softmax", "normalized over the batch axis",
       "return E / np.sum(E, axis=-1, keepdims=True)",
       "return E / np.sum(E, axis=0, keepdims=True)", "COLUMNS (axis=0)"),
    _m("jacobian-diagonal-only", N4, "softmax_jacobian", "diag(s) without - s s^T",
       "return np.diag(s) - np.outer(s, s)", "return np.diag(s)", "s s^T term is missing"),
    _m("cross-entropy-summed", N4, "cross_entropy", "summed over the batch, not averaged",
       "return float(-np.sum(Y * logs) / N)", "return float(-np.sum(Y * logs))",
       "summed, not averaged"),
    _m("cross-entropy-no-minus", N4, "cross_entropy", "the minus sign is missing",
       "return float(-np.sum(Y * logs) / N)", "return float(np.sum(Y * logs) / N)",
       "minus sign is missing"),
    _m("bce-grad-no-divide-by-N", N4, "sigmoid_bce_grad", "(sigma(z) - y) without / N",
       "return (sigmoid(z) - y) / N", "return sigmoid(z) - y", "1/N"),
    _m("mse-grad-missing-sigma-prime", N4, "sigmoid_mse_grad", "the factor a (1 - a) is missing",
       "return (a - y) * a * (1 - a) / N", "return (a - y) / N", "sigma'(z)"),
    _m("jacobian-diagonal-twice", N4, "softmax_jacobian", "diag(s (1 - s)) - s s^T",
       "return np.diag(s) - np.outer(s, s)", "return np.diag(s * (1 - s)) - np.outer(s, s)",
       "subtracted twice"),
    _m("sce-grad-sign-flipped", N4, "softmax_cross_entropy_grad", "(Y - softmax(Z)) / N",
       "return (softmax(Z) - Y) / N", "return (Y - softmax(Z)) / N", "sign is flipped"),
    _m("sce-grad-no-softmax", N4, "softmax_cross_entropy_grad", "(Z - Y) / N, no softmax",
       "return (softmax(Z) - Y) / N", "return (Z - Y) / N", "softmax was not applied"),
    _m("bce-grad-one-term", N4, "sigmoid_bce_grad", "only -y log a differentiated",
       "return (sigmoid(z) - y) / N", "return -y * (1 - sigmoid(z)) / N",
       "(1 - y) log(1 - a)"),
    # 05 vectorized backprop
    _m("central-difference-over-eps", N5, "numerical_gradient", "divides by eps, not 2 eps",
       "grad[i] = (f_plus - f_minus) / (2 * eps)", "grad[i] = (f_plus - f_minus) / eps",
       "divided by eps"),
    _m("central-difference-not-restored", N5, "numerical_gradient", "x[i] = old is missing",
       "x[i] = old                      # restore before the next entry",
       "# (x[i] is not put back)", "not restored"),
    _m("backward-no-divide-by-N", N5, "backward", "dZ^[L] = A^[L] - Y, without / N",
       "dZ = (A[L] - Y) / N", "dZ = (A[L] - Y)", "N, the batch size"),
    _m("backward-sign-flipped", N5, "backward", "dZ^[L] = (Y - A^[L]) / N",
       "dZ = (A[L] - Y) / N", "dZ = (Y - A[L]) / N", "sign is flipped"),
    _m("backward-dW-transposed", N5, "backward", "dW from A_prev.T @ dZ",
       "grads[l - 1] = (dZ.T @ A[l - 1], dZ.sum(axis=0))",
       "grads[l - 1] = (A[l - 1].T @ dZ, dZ.sum(axis=0))", "transposed"),
    _m("backward-db-one-row", N5, "backward", "db from the first row of dZ",
       "grads[l - 1] = (dZ.T @ A[l - 1], dZ.sum(axis=0))",
       "grads[l - 1] = (dZ.T @ A[l - 1], dZ[0])", "first sample only"),
    _m("backward-g-prime-at-A", N5, "backward", "g' evaluated at A instead of Z",
       "g_prime(Z[l - 1])", "g_prime(A[l - 1])", "instead of Z"),
    _m("backward-no-g-prime", N5, "backward", "g' missing in the hidden layers",
       "dZ = (dZ @ W) * g_prime(Z[l - 1])", "dZ = dZ @ W", "g' is missing"),
    _m("backward-W-not-transposed", N5, "backward", "propagates with W.T instead of W",
       "dZ = (dZ @ W) * g_prime(Z[l - 1])", "dZ = (dZ @ W.T) * g_prime(Z[l - 1])",
       "W^[l] as it is"),
    _m("backward-layers-reversed", N5, "backward", "grads stored layer L first",
       "grads[l - 1] = (dZ.T @ A[l - 1], dZ.sum(axis=0))",
       "grads[L - l] = (dZ.T @ A[l - 1], dZ.sum(axis=0))", "reverse order"),
    _m("gd-step-uphill", N5, "gd_step", "W + lr dW: the step goes uphill",
       "(W - lr * dW, b - lr * db)", "(W + lr * dW, b + lr * db)", "uphill"),
    _m("gd-step-b-not-updated", N5, "gd_step", "the biases are not updated",
       "(W - lr * dW, b - lr * db)", "(W - lr * dW, b)", "biases are not updated"),
    _m("gd-step-in-place", N5, "gd_step", "W -= lr * dW: the caller's params change",
       "return [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads)]",
       "for (W, b), (dW, db) in zip(params, grads):\n        W -= lr * dW\n"
       "        b -= lr * db\n    return params", "params after the call", "in-place update"),
    _m("train-ignores-hidden", N5, "train", "forward and backward called without hidden",
       "forward(params, X, hidden)\n        losses.append(cross_entropy(A_L, Y))\n"
       "        params = gd_step(params, backward(params, cache, Y, hidden), lr)",
       "forward(params, X)\n        losses.append(cross_entropy(A_L, Y))\n"
       "        params = gd_step(params, backward(params, cache, Y), lr)",
       "ignores its `hidden` argument"),
    _m("train-drops-gd-step-result", N5, "train", "gd_step's result is never assigned",
       "params = gd_step(params, backward(params, cache, Y, hidden), lr)",
       "gd_step(params, backward(params, cache, Y, hidden), lr)", "parameters never change"),
    _m("relative-error-mean", N5, "relative_error", "the mean over the entries, not the max",
       "return float(np.max(np.abs(a - b)", "return float(np.mean(np.abs(a - b)",
       "the MAX over entries"),
    _m("directional-check-over-eps", N5, "directional_check", "divides by eps, not 2 eps",
       "numeric = (float(f(x + eps * v)) - float(f(x - eps * v))) / (2 * eps)",
       "numeric = (float(f(x + eps * v)) - float(f(x - eps * v))) / eps",
       "divided by eps instead of 2 eps"),
    _m("directional-check-sum-g", N5, "directional_check", "analytic side sum(g), v forgotten",
       "float(np.sum(g * v))", "float(np.sum(g))", "g . v"),
    _m("chain-no-sigma-prime", N5, "scalar_chain_grad", "dL/dw1 without sigma'(z1)",
       "dL_dz1 = dL_dz2 * w2 * a1 * (1 - a1)", "dL_dz1 = dL_dz2 * w2",
       "sigma'(z1) = a1 (1 - a1) is missing"),
    _m("chain-w2-from-z1", N5, "scalar_chain_grad", "dL/dw2 with z1 in place of a1",
       "return float(dL_dz1 * x), float(dL_dz2 * a1)",
       "return float(dL_dz1 * x), float(dL_dz2 * z1)", "uses z1 instead of a1"),
    _m("backward-mse-half-dropped", N5, "backward_mse", "dZ^[L] = 2 (A - Y) / N",
       "dZ = (A[L] - Y) / A[L].shape[0]", "dZ = 2 * (A[L] - Y) / A[L].shape[0]",
       "twice too large"),
    _m("backward-mse-output-g-prime", N5, "backward_mse", "dZ^[L] times the hidden g'(Z^[L])",
       "dZ = (A[L] - Y) / A[L].shape[0]", "dZ = (A[L] - Y) / A[L].shape[0] * g_prime(Z[L])",
       "the output is the identity"),
    _m("planted-bug-layer-from-0", N5, "planted_bug", "the layer counted from 0",
       "return (2, 0)", "return (1, 0)", "layers count from 1"),
    _m("minibatches-drops-last", N5, "minibatches", "the last, smaller batch dropped",
       "range(0, N, batch_size)", "range(0, N - batch_size + 1, batch_size)",
       "the last, smaller batch is missing"),
    _m("minibatches-not-shuffled", N5, "minibatches", "batches of 0, 1, 2, ... in order",
       "order = rng.permutation(N)", "order = np.arange(N)", "in order 0, 1, 2"),
    # 06 the worked 2-2-2 example
    _m("worked-x-instead-of-a1", N6, "forward_222", "z2 from x instead of a1 (the slide's typo)",
       "z2 = W2 @ a1 + b2", "z2 = W2 @ x + b2", "instead of a1"),
    _m("worked-one-path-only", N6, "dL_dw1_11", "only the path through y_hat_1",
       "return float(path_1 + path_2)", "return float(path_1)", "path through yhat_2"),
    _m("worked-hidden-sigma-prime-at-a1", N6, "dL_dw1_11", "sigmoid_prime(a1[0]), not of z1[0]",
       "shared = sigmoid_prime(z1[0]) * x[0]", "shared = sigmoid_prime(a1[0]) * x[0]",
       "activation a1_1 instead of its pre-activation z1_1"),
    _m("worked-outer-transposed", N6, "backprop_222", "dW2 = a1 delta2^T",
       "dW2 = np.outer(delta2, a1)", "dW2 = np.outer(a1, delta2)", "outer product is transposed"),
    _m("worked-star-for-outer", N6, "backprop_222", "dW2 = delta2 * a1, not the outer product",
       "dW2 = np.outer(delta2, a1)", "dW2 = delta2 * a1", "element-wise product of two vectors"),
    _m("worked-layers-reversed", N6, "backprop_222", "[(dW2, db2), (dW1, db1)]",
       "return [(dW1, delta1), (dW2, delta2)]", "return [(dW2, delta2), (dW1, delta1)]",
       "reverse order"),
    _m("worked-w1-21-row-of-W2", N6, "dL_dw1_21", "W2[1, :] in place of W2[:, 1] (w2_21 for w2_12)",
       "* W2[0, 1] * shared", "* W2[1, 0] * shared", "W2[1, :] was used in place of W2[:, 1]"),
    _m("worked-w1-21-other-unit-sigma-prime", N6, "dL_dw1_21", "sigma'(z1_1), hidden unit 1's",
       "shared = sigmoid_prime(z1[1]) * x[0]", "shared = sigmoid_prime(z1[0]) * x[0]",
       "the wrong hidden unit"),
    _m("worked-step-uphill", N6, "w1_11_after_step", "the hand-computed step goes uphill",
       "return 0.149781", "return 0.150219", "the sign of the step"),
    _m("worked-train-in-place", N6, "train_222", "W -= lr * dW: the caller's params change",
       "params = [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads)]",
       "for (W, b), (dW, db) in zip(params, grads):\n            W -= lr * dW\n"
       "            b -= lr * db", "changed in place"),
]
CATALOG_BY_ID = {m.id: m for m in CATALOG}

VARIANTS = [
    Variant("activations-other-forms", N1, "sigmoid via logaddexp, relu as z * (z > 0), "
            "Heaviside derivatives, dtype kept (float32 stays float32)", {
                "sigmoid": "def sigmoid(z):\n    z = np.asarray(z)\n"
                           "    return np.exp(-np.logaddexp(0, -z))\n",
                "relu": "def relu(z):\n    return z * (z > 0)\n",
                "relu_prime": "def relu_prime(z):\n    return np.heaviside(z, 0.0)\n",
                "tanh": "def tanh(z):\n    return np.tanh(z)\n",
                "step": "def step(z):\n    return np.heaviside(z, 0.0)\n"}),
    Variant("perceptron-update-on-mistakes", N2, "updates only when wrong, with an if", {
        "perceptron_train": (
            "def perceptron_train(X, y, lr, epochs):\n"
            "    w, b, errors = np.zeros(np.shape(X)[1]), 0.0, []\n"
            "    for epoch in range(epochs):\n"
            "        wrong = 0\n"
            "        for i in range(len(X)):\n"
            "            x_i = np.array(X[i], dtype=float)\n"
            "            if perceptron(x_i, w, b) != y[i]:\n"
            "                sign = 1.0 if y[i] == 1 else -1.0\n"
            "                w = w + lr * sign * x_i\n"
            "                b = b + lr * sign\n"
            "                wrong += 1\n"
            "        errors.append(wrong)\n"
            "    return w, b, errors\n")}),
    Variant("forward-einsum-tuple-cache", N3, "dense by einsum, forward with a list cache", {
        "dense": "def dense(A_prev, W, b):\n    return np.einsum('nj,ij->ni', A_prev, W) + b\n",
        "forward": (
            "def forward(params, X, hidden='sigmoid', output='softmax'):\n"
            "    layers, A = [], np.asarray(X, dtype=float)\n"
            "    for l, (W, b) in enumerate(params):\n"
            "        Z = dense(A, W, b)\n"
            "        layers.append((A, Z))\n"
            "        A = OUTPUTS[output](Z) if l == len(params) - 1 else ACTIVATIONS[hidden](Z)\n"
            "    return A, layers\n"),
        "init_params": (
            "def init_params(sizes, rng):\n"
            "    return [(rng.normal(0.0, 1.0 / np.sqrt(m), size=(n, m)), np.zeros(n))\n"
            "            for m, n in zip(sizes[:-1], sizes[1:])]\n")}),
    Variant("softmax-logsumexp", N4, "softmax through log-sum-exp, CE by indexing the class", {
        "softmax": (
            "def softmax(Z):\n"
            "    Z = np.asarray(Z, dtype=float)\n"
            "    m = Z.max(axis=-1, keepdims=True)\n"
            "    lse = m + np.log(np.exp(Z - m).sum(axis=-1, keepdims=True))\n"
            "    return np.exp(Z - lse)\n"),
        "softmax_jacobian": (
            "def softmax_jacobian(z):\n"
            "    s = softmax(np.ravel(z))\n"
            "    K = len(s)\n"
            "    J = np.empty((K, K))\n"
            "    for i in range(K):\n"
            "        for j in range(K):\n"
            "            J[i, j] = s[i] * ((i == j) - s[j])\n"
            "    return J\n")}),
    Variant("backward-loops-over-samples", N5, "per-sample outer products, summed", {
        "backward": (
            "def backward(params, cache, Y, hidden='sigmoid'):\n"
            "    g_prime = ACTIVATIONS[hidden][1]\n"
            "    A, Z = cache['A'], cache['Z']\n"
            "    L, N = len(params), len(Y)\n"
            "    grads = [[np.zeros_like(W), np.zeros_like(b)] for W, b in params]\n"
            "    for n in range(N):\n"
            "        delta = (A[L][n] - Y[n]) / N\n"
            "        for l in range(L, 0, -1):\n"
            "            grads[l - 1][0] += np.outer(delta, A[l - 1][n])\n"
            "            grads[l - 1][1] += delta\n"
            "            if l > 1:\n"
            "                delta = (params[l - 1][0].T @ delta) * g_prime(Z[l - 1][n])\n"
            "    return [tuple(g) for g in grads]\n")}),
    Variant("backward-einsum", N5, "einsum products", {
        "backward": (
            "def backward(params, cache, Y, hidden='sigmoid'):\n"
            "    A, Z = cache['A'], cache['Z']\n"
            "    L = len(params)\n"
            "    dZ = (A[L] - Y) / len(Y)\n"
            "    out = []\n"
            "    for l in range(L, 0, -1):\n"
            "        dW, db = np.einsum('ni,nj->ij', dZ, A[l - 1]), np.einsum('ni->i', dZ)\n"
            "        out.insert(0, (dW, db))\n"
            "        if l > 1:\n"
            "            dA = np.einsum('ni,ij->nj', dZ, params[l - 1][0])\n"
            "            dZ = dA * ACTIVATIONS[hidden][1](Z[l - 1])\n"
            "    return out\n")}),
    Variant("backward-own-cache-layout", N5, "own forward with a list of (A_prev, Z) per layer", {
        "def forward": (
            "OUTPUTS = {'softmax': softmax, 'sigmoid': sigmoid, 'identity': lambda Z: Z}\n\n\n"
            "def forward(params, X, hidden='sigmoid', output='softmax'):\n"
            "    g, caches, A = ACTIVATIONS[hidden][0], [], np.atleast_2d(X)\n"
            "    for l, (W, b) in enumerate(params, start=1):\n"
            "        Z = A @ W.T + b\n"
            "        caches.append((A, Z))\n"
            "        A = OUTPUTS[output](Z) if l == len(params) else g(Z)\n"
            "    return A, (caches, A)\n"),
        "backward": (
            "def backward(params, cache, Y, hidden='sigmoid'):\n"
            "    layers, A_L = cache\n"
            "    dZ = (A_L - Y) / Y.shape[0]\n"
            "    grads = []\n"
            "    for (W, b), (A_prev, Z), below in zip(params[::-1], layers[::-1],\n"
            "                                         [c[1] for c in layers[::-1][1:]] + [None]):\n"
            "        grads.append((dZ.T @ A_prev, dZ.sum(0)))\n"
            "        if below is not None:\n"
            "            dZ = (dZ @ W) * ACTIVATIONS[hidden][1](below)\n"
            "    return grads[::-1]\n"),
        "backward_mse": (
            "def backward_mse(params, cache, Y, hidden='sigmoid'):\n"
            "    return backward(params, cache, Y, hidden)  # identity + MSE: the same dZ^[L]\n")}),
    Variant("backward-mse-reuses-backward", N5, "backward_mse as a call of backward: the same "
            "dZ^[L] = (A^[L] - Y) / N", {
                "backward_mse": (
                    "def backward_mse(params, cache, Y, hidden='sigmoid'):\n"
                    "    return backward(params, cache, Y, hidden)\n")}),
    Variant("minibatches-array-split", N5, "np.array_split of a shuffled copy of arange", {
        "minibatches": (
            "def minibatches(N, batch_size, rng):\n"
            "    idx = np.arange(N)\n"
            "    rng.shuffle(idx)\n"
            "    return np.array_split(idx, range(batch_size, N, batch_size))\n")}),
    Variant("gd-and-train-float32", N5, "gd_step and train keep float32 copies of the weights", {
        "gd_step": (
            "def gd_step(params, grads, lr):\n"
            "    new = []\n"
            "    for (W, b), (dW, db) in zip(params, grads):\n"
            "        new.append((np.subtract(W, lr * dW), np.subtract(b, lr * db)))\n"
            "    return new\n")}),
    Variant("worked-loops", N6, "the 2-2-2 gradients with explicit loops over units", {
        "dL_dw1_21": (
            "def dL_dw1_21(x, y, params):\n"
            "    (W1, b1), (W2, b2) = params\n"
            "    z1, a1, z2, a2 = forward_222(x, params)\n"
            "    total = 0.0\n"
            "    for k in range(2):\n"
            "        total += (a2[k] - y[k]) * a2[k] * (1 - a2[k]) * W2[k, 1]\n"
            "    return total * a1[1] * (1 - a1[1]) * x[0]\n"),
        "backprop_222": (
            "def backprop_222(x, y, params):\n"
            "    (W1, b1), (W2, b2) = params\n"
            "    z1, a1, z2, a2 = forward_222(x, params)\n"
            "    d2 = np.array([(a2[k] - y[k]) * sigmoid_prime(z2[k]) for k in range(2)])\n"
            "    d1 = np.array([sum(W2[k, j] * d2[k] for k in range(2)) * sigmoid_prime(z1[j])\n"
            "                   for j in range(2)])\n"
            "    dW2 = np.array([[d2[k] * a1[j] for j in range(2)] for k in range(2)])\n"
            "    dW1 = np.array([[d1[j] * x[i] for i in range(2)] for j in range(2)])\n"
            "    return [(dW1, d1), (dW2, d2)]\n")}),
]
