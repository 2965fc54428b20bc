"""How a check talks to the student: one short message, never a traceback wall."""
import numpy as np

RED, GREEN, BOLD, RESET = "\x1b[31m", "\x1b[32m", "\x1b[1m", "\x1b[0m"


class CheckFailure(AssertionError):
    """A failed check. Jupyter shows only its message (``_render_traceback_``)."""

    def _render_traceback_(self):
        head, *rest = str(self).splitlines() or [""]
        return [f"{RED}{BOLD}{head}{RESET}", *rest]


def fmt(x, digits=6):
    """A compact, readable rendering of a number or an array."""
    if x is None:
        return "None"
    if isinstance(x, (bool, np.bool_)):
        return str(bool(x))
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    if isinstance(x, (float, np.floating)):
        return f"{float(x):.{digits}g}"
    if isinstance(x, np.ndarray):
        if x.dtype.kind not in "fiub":
            return f"array(dtype={x.dtype}, shape={x.shape})"
        if x.size > 36:
            return f"array of shape {x.shape} (first entries {fmt(x.ravel()[:4])} ...)"
        with np.printoptions(precision=digits, suppress=False, threshold=36, linewidth=88):
            return np.array2string(x, separator=", ").replace("\n", "\n" + " " * 14)
    text = repr(x)
    return text if len(text) <= 80 else text[:77] + "..."


def describe(x):
    """What kind of thing x is, for 'expected ..., got ...' messages."""
    if x is None:
        return "None"
    if isinstance(x, np.ndarray):
        return f"a numpy array of shape {x.shape} and dtype {x.dtype}"
    if isinstance(x, (list, tuple)):
        return f"a {type(x).__name__} of length {len(x)}"
    return f"a {type(x).__name__} ({fmt(x)})"


def fail(function, case, problem, expected=None, got=None, entry=None, causes=()):
    """Raise a CheckFailure laid out as: function, input case, problem, values, causes."""
    lines = [f"✘ {function}: {problem}", f"  input case:   {case}"]
    if entry is not None:
        lines.append(f"  at entry:     {entry}")
    if expected is not None:
        lines.append(f"  expected:     {expected}")
    if got is not None:
        lines.append(f"  got:          {got}")
    for i, cause in enumerate(causes):
        lines.append((CAUSE if i == 0 else OR) + cause)
    raise CheckFailure("\n".join(lines))


CAUSE, OR = "  likely cause: ", "  or:           "


def first_cause(message):
    """The first likely cause a failure message names (as fail() lays it out), or None."""
    for line in str(message).splitlines():
        if line.startswith(CAUSE):
            return line[len(CAUSE):].strip()
    return None


def passed(function, what):
    """Print the one-line success message of a visible test."""
    print(f"{GREEN}✔ {function}: {what}{RESET}")
