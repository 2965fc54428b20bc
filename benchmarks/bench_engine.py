"""Engine forward+backward time vs PyTorch CPU, side by side in one run.

    .venv/bin/python benchmarks/bench_engine.py [--threads N] [--repeats R]

One "step" is a forward pass, the mean loss and the backward pass to every dW, db
(no parameter update). The engine: ``solutions.forward`` + ``solutions.backward``
(numpy). PyTorch: the same network written with ``F.linear``, the activation,
``F.cross_entropy`` on the logits (softmax + mean CE) and ``loss.backward()``.

Rows: a 784-256-10 MLP (relu or sigmoid hidden, softmax + CE) at batch 256 in
float64 and float32, and the LUMS EE514 slides' 2-2-2 sigmoid net at batch 1 (where the
per-call overhead is everything). Figures are medians over ``--repeats`` timeit
repeats after a warm-up; each repeat runs the step enough times to last >= 0.1 s,
and engine and torch alternate within a repeat so both see the same load.

Threads: numpy's BLAS and torch use the same number of threads. By default that
is the number OpenBLAS picked for numpy (queried through ctypes); ``--threads N``
sets OPENBLAS_NUM_THREADS/OMP_NUM_THREADS before numpy loads and torch's
set_num_threads(N).
"""
import argparse
import os
import sys
import timeit
from pathlib import Path

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--threads", type=int, default=None,
                    help="BLAS / torch threads (default: what numpy's OpenBLAS uses)")
parser.add_argument("--repeats", type=int, default=7, help="timeit repeats (median)")
ARGS = parser.parse_args()
if ARGS.threads:  # must happen before numpy loads its BLAS
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(ARGS.threads)

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from solutions import backward, forward, init_params, one_hot  # noqa: E402
from solutions.worked_222 import X_222, Y_222, params_222  # noqa: E402

try:
    import torch
    import torch.nn.functional as F
except ImportError as exc:  # the engine's figures are still worth printing
    torch, TORCH_ERROR = None, exc


def blas_threads():
    """The thread count of the OpenBLAS that numpy loaded, or None if unknown."""
    try:
        import ctypes
        with open("/proc/self/maps") as maps:
            path = next(line.split()[-1] for line in maps if "openblas" in line.lower())
        lib = ctypes.CDLL(path)
        for name in ("scipy_openblas_get_num_threads64_", "openblas_get_num_threads64_",
                     "openblas_get_num_threads"):
            if hasattr(lib, name):
                return int(getattr(lib, name)())
    except (OSError, StopIteration, ValueError):
        pass
    return None


def median_times(steps, repeats):
    """Median seconds per call of each step() over ``repeats`` timeit repeats.

    The steps are timed in turn within every repeat (engine, torch, engine, ...)
    so that both see the same machine load; each is warmed up first and runs
    often enough per repeat to last >= 0.1 s.
    """
    timers, numbers, times = [timeit.Timer(s) for s in steps], [], [[] for _ in steps]
    for timer in timers:
        number, took = timer.autorange()       # the warm-up, and a first estimate
        numbers.append(max(1, int(number * 0.1 / max(took, 1e-9))))
    for _ in range(repeats):
        for timer, number, out in zip(timers, numbers, times):
            out.append(timer.timeit(number) / number)
    return [float(np.median(t)) for t in times]


def engine_step(params, X, Y, hidden):
    def step():
        _, cache = forward(params, X, hidden, "softmax")
        return backward(params, cache, Y, hidden, "softmax", "cross_entropy")
    return step


def torch_step(params, X, y, hidden, dtype, output="softmax"):
    tp = [(torch.tensor(W, dtype=dtype, requires_grad=True),
           torch.tensor(b, dtype=dtype, requires_grad=True)) for W, b in params]
    Xt, yt = torch.tensor(X, dtype=dtype), torch.tensor(y)
    g = {"relu": torch.relu, "sigmoid": torch.sigmoid}[hidden]

    def step():
        for W, b in tp:
            W.grad = b.grad = None
        A = Xt
        for l, (W, b) in enumerate(tp, start=1):
            Z = F.linear(A, W, b)
            A = g(Z) if l < len(tp) else Z
        F.cross_entropy(Z, yt).backward()       # softmax + mean CE, from the logits
        return [(W.grad, b.grad) for W, b in tp]
    return step


def case(name, params, X, y, hidden, dtype):
    """(label, engine s/step, torch s/step or None, grads' dtype)."""
    np_dtype = {"float64": np.float64, "float32": np.float32}[dtype]
    p = [(W.astype(np_dtype), b.astype(np_dtype)) for W, b in params]
    Xc, Y = X.astype(np_dtype), one_hot(y, p[-1][0].shape[0]).astype(np_dtype)
    steps = [engine_step(p, Xc, Y, hidden)]
    if torch is not None:
        steps.append(torch_step(p, Xc, y, hidden, getattr(torch, dtype)))
    times = median_times(steps, ARGS.repeats) + [None]
    grad_dtype = steps[0]()[0][0].dtype
    return f"{name:<22} {hidden:<8} {dtype:<8}", times[0], times[1], grad_dtype


def main():
    threads = ARGS.threads or blas_threads() or os.cpu_count()
    print(f"numpy {np.__version__}: BLAS threads = {blas_threads() or 'unknown'}")
    if torch is not None:
        torch.set_num_threads(threads)
        print(f"torch {torch.__version__}: set_num_threads({threads}) -> "
              f"{torch.get_num_threads()} (same count as numpy's BLAS)")
    else:
        print(f"torch is NOT importable ({TORCH_ERROR!r}): engine figures only")
    print(f"median of {ARGS.repeats} timeit repeats (>= 0.1 s each), after a warm-up; "
          f"engine and torch alternate within each repeat")
    if hasattr(os, "getloadavg"):
        load = os.getloadavg()[0]
        print(f"load average at start: {load:.2f} on {os.cpu_count()} CPUs")
        if load > 0.5 * os.cpu_count() and threads > 1:
            print("WARNING: the machine is busy; multi-threaded BLAS figures will be noisy "
                  "(try --threads 1)")
    print()

    rng = np.random.default_rng(0)
    big = init_params([784, 256, 10], rng)
    Xb, yb = rng.random((256, 784)), rng.integers(0, 10, size=256)
    rows = [case("784-256-10, N=256", big, Xb, yb, h, d)
            for h in ("relu", "sigmoid") for d in ("float64", "float32")]
    y222 = np.array([int(Y_222.argmax())])      # the 2-2-2 net, softmax + CE, one sample
    rows += [case("2-2-2, N=1", params_222(), X_222[None, :], y222, "sigmoid", d)
             for d in ("float64", "float32")]

    head = (f"{'network':<22} {'hidden':<8} {'dtype':<8} {'engine':>11} {'torch':>11} "
            f"{'engine/torch':>13}")
    print(head)
    print("-" * len(head))
    for label, te, tt, gdt in rows:
        torch_col = f"{tt * 1e6:9.1f}us" if tt is not None else f"{'-':>11}"
        ratio = f"{te / tt:12.2f}x" if tt is not None else f"{'-':>13}"
        note = "" if str(gdt) in label else f"  (engine grads come out {gdt})"
        print(f"{label} {te * 1e6:9.1f}us {torch_col} {ratio}{note}")
    print("\nengine/torch > 1: the engine is slower. One step = forward + loss + backward.")


if __name__ == "__main__":
    main()
