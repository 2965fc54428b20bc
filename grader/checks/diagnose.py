"""Why is an array wrong? Recognise the usual mistakes from got vs expected.

Each ``explain_*`` returns a list of likely causes, most specific first, or [].
Candidates are known wrong answers supplied by the caller: (array, cause) pairs,
e.g. the output of a backward pass that forgot g'. ``factors`` names numbers a
scale error may equal, e.g. {"N, the batch size": 8}.
"""
import numpy as np


def close(a, b, rtol=1e-4, atol=1e-12):
    """All entries agree up to rtol of the arrays' scale (robust to tiny entries)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape or not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        return False
    scale = max(np.max(np.abs(a), initial=0.0), np.max(np.abs(b), initial=0.0))
    return bool(np.all(np.abs(a - b) <= atol + rtol * scale))


def name_factor(c, factors=None):
    """'4 = N, the batch size' for c = 4 when factors = {"N, the batch size": 4}."""
    named = {**(factors or {}), "2": 2.0, "1/2": 0.5}
    for label, value in named.items():
        if np.isclose(c, value, rtol=1e-3):
            return f"{c:.4g} (= {label})" if label[0].isalpha() else label
        if label[0].isalpha() and np.isclose(c, 1 / value, rtol=1e-3):
            return f"{c:.4g} (= 1/{label.split(',')[0]})"
    return f"{c:.4g}"


def explain_shape(got_shape, expected_shape):
    """Likely causes of a shape mismatch."""
    got, exp = tuple(got_shape), tuple(expected_shape)
    if len(exp) == 2 and got == exp[::-1]:
        return ["the result is transposed: check the order of the factors and where .T goes"]
    if tuple(d for d in got if d != 1) == tuple(d for d in exp if d != 1):
        return ["an axis of length 1 is extra or missing, e.g. (N,) vs (N, 1): "
                "use keepdims=True, or reshape / np.squeeze"]
    square = len(got) == 2 and got[0] == got[1] > 1
    if square and (got == exp + exp or tuple(d for d in exp if d != 1) == (got[0],)):
        return ["broadcasting made a square array: a (N,) array was combined with an "
                "(N, 1) one; check the shapes of both operands"]
    if len(got) + 1 == len(exp) and any(got == exp[:i] + exp[i + 1:] for i in range(len(exp))):
        return ["a sum or mean ran over an axis that should have been kept "
                "(check axis=...), or one sample was returned instead of the batch"]
    if len(got) == 1 and np.prod(exp, dtype=int) == got[0]:
        return ["the result was flattened: keep the 2-D shape (no .ravel() / .flatten())"]
    return []


def explain_values(got, expected, candidates=(), factors=None, regions=None):
    """Likely causes of wrong values; got and expected have the same shape."""
    g = np.asarray(got, dtype=np.float64)
    e = np.asarray(expected, dtype=np.float64)
    for cand, cause in candidates:
        if close(g, cand):
            return [cause]
    causes = []
    scale_e = np.max(np.abs(e), initial=0.0)
    if np.max(np.abs(g), initial=0.0) <= 1e-12 * max(scale_e, 1.0) and scale_e > 0:
        return ["every entry is zero: is the computation missing, or is an array "
                "created with np.zeros never filled in?"]
    if close(g, -e):
        return ["the sign is flipped: every entry is minus the expected value"]
    if g.ndim == 2 and g.shape[0] == g.shape[1] and close(g, e.T) and not close(e, e.T):
        return ["the result is transposed (a square matrix, so the shape could not tell)"]
    denom = float(np.sum(e * e))
    if denom > 0 and np.count_nonzero(e) > 1:
        c = float(np.sum(g * e)) / denom
        if close(g, c * e) and not np.isclose(c, 1, rtol=1e-3):
            causes.append(f"every entry is {name_factor(c, factors)} times the expected "
                          "value: a scale factor is missing or extra")
    d = g - e
    if d.size > 1 and close(d, np.full_like(d, d.mean())) and abs(d.mean()) > 1e-9:
        causes.append(f"every entry is off by the same constant ({d.mean():.4g}): "
                      "a bias or offset is added twice or forgotten")
    if not causes and g.ndim == 2 and g.shape[1] > 1 and _rows_scaled(g, e):
        causes.append("each row is off by its own factor: an element-wise factor "
                      "per unit (row) is missing or wrong, such as g'(Z) of that layer")
    causes += _explain_regions(g, e, regions or {})
    return causes


def _rows_scaled(g, e):
    """True if every row of g is a multiple of the same row of e, not all by one factor."""
    ratios = []
    for gr, er in zip(g, e):
        n = float(er @ er)
        if n == 0:
            continue
        r = float(gr @ er) / n
        if not close(gr, r * er):
            return False
        ratios.append(r)
    return len(ratios) > 1 and not np.allclose(ratios, ratios[0], rtol=1e-3)


def wrong_entries(got, expected, rtol, atol):
    """Boolean mask of the entries outside tolerance (non-finite counts as wrong)."""
    g = np.asarray(got, dtype=np.float64)
    e = np.asarray(expected, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        bad = ~((np.abs(g - e) <= atol + rtol * np.abs(e)) | (g == e))  # inf == inf is right
    return bad | (np.isfinite(g) != np.isfinite(e))


def _explain_regions(g, e, regions):
    """'the wrong entries are all where z < 0': the first named region holding them all."""
    bad = wrong_entries(g, e, 1e-4, 1e-9)
    for label, mask in regions.items():
        mask = np.asarray(mask, dtype=bool)
        if mask.shape == bad.shape and bad.any() and not np.any(bad & ~mask):
            return [f"the wrong entries are all where {label}"]
    return []
