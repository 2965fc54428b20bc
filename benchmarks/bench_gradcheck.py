"""Directional vs full finite-difference gradient check on a ~100k-parameter MLP.

    .venv/bin/python benchmarks/bench_gradcheck.py [--budget SECONDS] [--batch N]

Uses the GRADER's checker (``grader.checks.numgrad``): ``directional_check``
compares (L(p + eps v) - L(p - eps v)) / 2 eps with grad . v for 2 random
directions per block (2 loss evaluations each, whatever the block's size);
``full_check`` differentiates every entry (2 evaluations per parameter).

Network: 784-128-10 (101,770 parameters), sigmoid hidden, softmax + mean CE, a
small batch. The gradients come from the reference engine. The full check is run
completely when its estimated time is under ``--budget`` seconds (default 180);
otherwise a measured subset of entries is timed and the total extrapolated (the
output says which). Then a planted bug - dW of layer 1 scaled by 2 - must be
caught by both checks, which must name the block dW[1].
"""
import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from grader.checks.numgrad import (as_float64, directional_check, full_check,  # noqa: E402
                                   numerical_gradient)
from solutions import backward, count_params, forward, init_params, loss_value, one_hot  # noqa: E402

SIZES = [784, 128, 10]
HIDDEN = "sigmoid"


def make_problem(batch, seed=0):
    rng = np.random.default_rng(seed)
    params = [(W, rng.normal(scale=0.1, size=b.shape)) for W, b in init_params(SIZES, rng)]
    X = rng.random((batch, SIZES[0]))
    Y = one_hot(rng.integers(0, SIZES[-1], size=batch), SIZES[-1])

    def loss(p):
        return loss_value(forward(p, X, HIDDEN, "softmax")[0], Y, "cross_entropy")

    _, cache = forward(params, X, HIDDEN, "softmax")
    return params, loss, backward(params, cache, Y, HIDDEN, "softmax", "cross_entropy")


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - start


def estimate_full(loss, params, n_sample=2000, seed=1):
    """Seconds per parameter of full_check's inner loop, measured on n_sample entries."""
    p = as_float64(params)
    W1 = p[0][0]
    idx = np.random.default_rng(seed).choice(W1.size, size=n_sample, replace=False)
    flat_view = W1.reshape(-1)
    sub = flat_view[idx].copy()

    def f(sub_values):  # perturb the sampled entries of W1 through a small vector
        flat_view[idx] = sub_values
        return loss(p)

    _, seconds = timed(numerical_gradient, f, sub)
    flat_view[idx] = sub
    return seconds / n_sample


def verdict(report):
    bad = ", ".join(b.name for b in report.bad)
    return "PASS" if report.ok else f"FAIL: wrong block(s) {bad}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=float, default=180.0,
                        help="run the full check completely if its estimate is below this (s)")
    parser.add_argument("--batch", type=int, default=8)
    args = parser.parse_args()

    params, loss, grads = make_problem(args.batch)
    n = count_params(SIZES)
    print(f"MLP {'-'.join(map(str, SIZES))} ({n:,} parameters), {HIDDEN} hidden, softmax + CE, "
          f"batch {args.batch}; checker: grader.checks.numgrad, eps = 1e-6\n")

    per_param = estimate_full(loss, params)
    estimate = per_param * n
    print(f"full check estimate: {per_param * 1e6:.1f} us per parameter (timed on 2,000 "
          f"entries of W1) x {n:,} = {estimate:.1f} s")

    rows = []
    planted = [(dW * 2.0, db) if l == 0 else (dW, db) for l, (dW, db) in enumerate(grads)]
    for label, g in (("correct gradients", grads), ("planted bug: dW[1] x 2", planted)):
        rep_d, t_d = timed(directional_check, loss, params, g)
        rows.append((label, "directional", rep_d.evaluations, t_d, verdict(rep_d), "measured"))
        if estimate <= args.budget:
            rep_f, t_f = timed(full_check, loss, params, g)
            rows.append((label, "full", rep_f.evaluations, t_f, verdict(rep_f), "measured"))
            full_report = rep_f
        else:
            rows.append((label, "full", 2 * n, estimate, "(not run)",
                         "EXTRAPOLATED from 2,000 entries"))
            full_report = None
        print(f"\n{label}: directional check, per block\n{rep_d.table()}")
        if full_report is not None:
            print(f"{label}: full check, per block\n{full_report.table()}")
            if not full_report.ok:
                worst = full_report.bad[0]
                i, num, ana = worst.entries[0]
                print(f"  full check localizes {len(worst.entries):,} wrong entries in "
                      f"{worst.name}; e.g. {worst.name}{list(i)}: numerical {num:.6g}, "
                      f"analytic {ana:.6g} (ratio {ana / num:.3f})")

    head = (f"\n{'gradients':<24}{'check':<13}{'loss evals':>11}{'time':>11}  "
            f"{'verdict':<32}how")
    print(head)
    print("-" * (len(head) + 10))
    for label, mode, evals, t, v, how in rows:
        print(f"{label:<24}{mode:<13}{evals:>11,}{t:>10.2f}s  {v:<32}{how}")
    for label in ("correct gradients", "planted bug: dW[1] x 2"):
        d, f = [r for r in rows if r[0] == label]
        print(f"speed-up, {label}: full / directional = {f[3] / d[3]:,.0f}x in time, "
              f"{f[2] / d[2]:,.0f}x in loss evaluations")


if __name__ == "__main__":
    main()
