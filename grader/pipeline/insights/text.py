"""The insights as a terminal table and as CSV files."""
import csv

WIDTH = 64  # characters of a cause shown in the terminal (the CSV and HTML have all)


def percent(x):
    return f"{100 * x:.0f}%"


def number(x):
    return "-" if x is None else f"{x:.2f}"


def table(funcs, items, skipped):
    """Per assignment: each function's pass rate and the shares of its causes, then the
    test cells' difficulty and discrimination."""
    lines = []
    w = max([len(f.function) for f in funcs] + [len(i.cell) for i in items] + [10]) + 2
    if skipped:
        lines.append("not counted: " + ", ".join(f"{n} {k}" for k, n in sorted(skipped.items()))
                     + " (see the autograde table)")
    for a in dict.fromkeys(f.assignment for f in funcs):
        mine = [f for f in funcs if f.assignment == a]
        lines += ["", f"{a}: {mine[0].submissions} graded submissions",
                  f"  {'function':<{w}}{'passed':>13}   failures by likely cause"]
        for f in mine:
            rate = f"{f.passed}/{f.submissions} {percent(f.passed / f.submissions):>4}"
            lead = f"  {f.function:<{w}}{rate:>13}   "
            if not f.causes:
                lines.append(lead + "-")
            for i, c in enumerate(f.causes):
                text = c.text if len(c.text) <= WIDTH else c.text[:WIDTH - 3] + "..."
                lines.append((lead if i == 0 else " " * len(lead))
                             + f"{percent(f.share(c)):>4}  {text}")
        lines.append(f"  {'test cell':<{w}}{'points':>7}{'difficulty':>12}"
                     f"{'discrimination':>16}   flag")
        for it in (i for i in items if i.assignment == a):
            lines.append(f"  {it.cell:<{w}}{it.points:>7g}{number(it.difficulty):>12}"
                         f"{number(it.discrimination):>16}   {'; '.join(it.flags) or '-'}")
    return "\n".join(lines).lstrip("\n")


def write_csv(funcs, items, folder, names=False):
    """causes.csv (a row per function and cause) and items.csv; -> their paths."""
    causes = folder / "causes.csv"
    with open(causes, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["assignment", "function", "submissions", "passed", "pass_rate", "cause",
                    "failures", "share", "example"] + (["students"] if names else []))
        for f in funcs:
            head = [f.assignment, f.function, f.submissions, f.passed,
                    f"{f.passed / f.submissions:.4f}"]
            if not f.causes:
                w.writerow(head + ["", 0, "", ""] + ([""] if names else []))
            for c in f.causes:
                w.writerow(head + [c.text, len(c.students), f"{f.share(c):.4f}", c.example]
                           + ([" ".join(c.students)] if names else []))
    cells = folder / "items.csv"
    with open(cells, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["assignment", "cell", "points", "difficulty", "discrimination", "flags"])
        for it in items:
            w.writerow([it.assignment, it.cell, f"{it.points:g}", f"{it.difficulty:.4f}",
                        "" if it.discrimination is None else f"{it.discrimination:.4f}",
                        "; ".join(it.flags)])
    return causes, cells
