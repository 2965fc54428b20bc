"""The insights as one self-contained HTML page: tables and matplotlib plots inlined.

Everything that came from a submission (a message, a line of code) is escaped; the
page loads nothing from anywhere.
"""
import base64
import html
import io

from .stats import EASY, HARD, WEAK
from .text import number, percent

MAX_EXAMPLE = 1500  # characters of an example message shown
STYLE = """body{font:15px/1.45 system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border-bottom:1px solid #ddd;
padding:.25em .6em;text-align:left;vertical-align:top}td.n{text-align:right}
pre{white-space:pre-wrap;margin:0;font-size:12px}details summary{cursor:pointer;color:#555}
img{max-width:100%}.flag{color:#b00}"""


def _png(fig):
    """A matplotlib figure as an <img> with the PNG inlined."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    data = base64.b64encode(buf.getvalue()).decode()
    return f'<img alt="plot" src="data:image/png;base64,{data}">'


def _figure(rows, cols, size):
    """A figure and its axes grid, without pyplot (no GUI backend, no global state)."""
    from matplotlib.figure import Figure  # here: matplotlib costs 0.5 s to import

    fig = Figure(figsize=size)
    return fig, fig.subplots(rows, cols, squeeze=False)


def score_histograms(subs):
    """One histogram of total scores per assignment."""
    ids = list(dict.fromkeys(s.assignment for s in subs))
    fig, axes = _figure(1, len(ids), (3.2 * len(ids), 2.6))
    for ax, a in zip(axes[0], ids):
        group = [s for s in subs if s.assignment == a]
        top = max(sum(s.points.values()) for s in group)
        ax.hist([sum(s.scores.values()) for s in group], bins=min(20, int(top) + 1),
                range=(0, top), color="#4a78b0", edgecolor="white")
        ax.set_title(a, fontsize=9)
        ax.set_xlabel(f"score (of {top:g})", fontsize=8)
    axes[0][0].set_ylabel("submissions", fontsize=8)
    return _png(fig)


def cause_bars(funcs):
    """Per function: the share of submissions that passed, and of each numbered cause."""
    fig, axes = _figure(1, 1, (8, 0.45 * len(funcs) + 1))
    ax = axes[0][0]
    colors = ["#d9534f", "#f0ad4e", "#9b59b6", "#5bc0de", "#8d6e63", "#777777"]
    for y, f in enumerate(funcs):
        ax.barh(y, f.passed / f.submissions, color="#5cb85c")
        left = f.passed / f.submissions
        for i, c in enumerate(f.causes, start=1):
            width = len(c.students) / f.submissions
            ax.barh(y, width, left=left, color=colors[(i - 1) % len(colors)])
            ax.text(left + width / 2, y, f"C{i}", ha="center", va="center", fontsize=7)
            left += width
    ax.set_yticks(range(len(funcs)), [f.function for f in funcs], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of submissions: passed (green), failed by cause C1, C2, ...",
                  fontsize=8)
    return _png(fig)


def item_scatter(items):
    """Difficulty against discrimination for every test cell; flagged zones shaded."""
    fig, axes = _figure(1, 1, (7, 4.5))
    ax = axes[0][0]
    ax.axvspan(0, HARD, color="#fbe3e3")
    ax.axvspan(EASY, 1, color="#fbe3e3")
    ax.axhspan(-1, WEAK, color="#fff3d6")
    for a in dict.fromkeys(i.assignment for i in items):
        pts = [i for i in items if i.assignment == a and i.discrimination is not None]
        ax.scatter([i.difficulty for i in pts], [i.discrimination for i in pts], label=a, s=25)
    ax.set_xlim(0, 1.02)
    ax.set_ylim(-1.02, 1.02)
    ax.set_xlabel("difficulty (mean score / points)")
    ax.set_ylabel("discrimination (r with the rest)")
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1))
    return _png(fig)


def page(subs, funcs, items, skipped, names=False):
    """The whole page as a string."""
    e = html.escape
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>Class insights"
             f"</title><style>{STYLE}</style></head><body><h1>Class insights</h1>",
             f"<p>{len(subs)} graded submissions.",
             (" Not counted: " + e(", ".join(f"{n} {k}" for k, n in sorted(skipped.items())))
              + " (see the autograde table).") if skipped else "", "</p>",
             "<h2>Scores</h2>", score_histograms(subs) if subs else ""]
    for a in dict.fromkeys(f.assignment for f in funcs):
        mine = [f for f in funcs if f.assignment == a]
        parts += [f"<h2>{e(a)}</h2>", cause_bars(mine),
                  "<table><tr><th>function</th><th>passed</th><th></th><th>share of the "
                  "failures</th><th>likely cause, and one message as a student saw it</th>"
                  "</tr>"]
        for f in mine:
            rate = f"{f.passed}/{f.submissions} ({percent(f.passed / f.submissions)})"
            rows = f.causes or [None]
            for i, c in enumerate(rows, start=1):
                head = (f"<td rowspan='{len(rows)}'>{e(f.function)}</td><td class='n' "
                        f"rowspan='{len(rows)}'>{rate}</td>") if i == 1 else ""
                if c is None:
                    parts.append(f"<tr>{head}<td></td><td></td><td></td></tr>")
                    continue
                who = (f"<br>students: {e(', '.join(c.students))}") if names else ""
                parts.append(
                    f"<tr>{head}<td>C{i}</td><td class='n'>{percent(f.share(c))}</td><td>"
                    f"{e(c.text)}{who}<details><summary>example</summary><pre>"
                    f"{e(c.example[:MAX_EXAMPLE])}</pre></details></td></tr>")
        parts.append("</table>")
    parts += ["<h2>Test cells</h2>", item_scatter(items) if items else "",
              f"<p>Flagged: difficulty at least {EASY} or at most {HARD}; discrimination "
              f"below {WEAK}.</p><table><tr><th>assignment</th><th>cell</th><th>points</th>"
              "<th>difficulty</th><th>discrimination</th><th>flag</th></tr>"]
    for it in items:
        parts.append(f"<tr><td>{e(it.assignment)}</td><td>{e(it.cell)}</td>"
                     f"<td class='n'>{it.points:g}</td><td class='n'>{number(it.difficulty)}"
                     f"</td><td class='n'>{number(it.discrimination)}</td>"
                     f"<td class='flag'>{e('; '.join(it.flags))}</td></tr>")
    parts.append("</table></body></html>")
    return "\n".join(parts)
