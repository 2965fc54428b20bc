"""Data the lectures print, rebuilt exactly (the forward/backward lecture's PyTorch demos)."""
import numpy as np

from .datasets import one_hot


def torch_rand(seed, *shapes):
    """What ``torch.manual_seed(seed); torch.rand(s) for s in shapes`` returns (CPU, float32).

    torch's CPU generator is mt19937 (numpy's legacy RandomState); rand keeps the
    low 24 bits of each 32-bit draw and scales them by 2^-24.
    """
    raw = np.random.RandomState(seed)._bit_generator.random_raw
    out = []
    for shape in shapes:
        n = int(np.prod(shape))
        out.append(((raw(n) & 0xFFFFFF) * 2.0 ** -24).astype(np.float32).reshape(shape))
    return out


# The forward/backward lecture, "linear model / sigmoid neuron" and its batched version.
NEURON_X = np.array([[-8.0, 1.0, -3.0, 5.0, 2.0],
                     [-2.0, 2.0, -1.0, 5.0, 2.0],
                     [7.0, 1.0, 9.0, -5.0, -2.0]])


def neuron_001():
    """(w: (5,), b: float) of ``torch.manual_seed(1); W = torch.rand(5); b = torch.rand(1)``."""
    w, b = torch_rand(1, (5,), (1,))
    return w.astype(np.float64), float(b[0])


# The forward/backward lecture, MLP 5 -> 7 -> 4 -> 3 (sigmoid, sigmoid, softmax); X gains a 4th row.
MLP_X = np.vstack([NEURON_X, [3.0, 1.0, 9.0, 5.0, 2.0]])
MLP_Y = one_hot([2, 0, 1, 2], 3)


def mlp_001():
    """[(W1, b1), (W2, b2), (W3, b3)] of the demo; it matches ``torch.manual_seed(0)``."""
    shapes = [(7, 5), (7,), (4, 7), (4,), (3, 4), (3,)]
    arrays = [a.astype(np.float64) for a in torch_rand(0, *shapes)]
    return list(zip(arrays[0::2], arrays[1::2]))
