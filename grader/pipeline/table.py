"""The score table printed at the end of autograde and demo."""
from .autograde import OK


def score_table(rows, width=60):
    """A plain-text table: student, assignment, score, max, status and problems."""
    head = ("student", "assignment", "score", "max", "problems")
    body = []
    for r in rows:
        score = "-" if r.score is None else f"{r.score:g}"
        notes = ([] if r.status == OK else [r.status]) + r.problems
        if r.failed:
            notes.append("lost points: " + ", ".join(r.failed))
        text = "; ".join(notes) or "-"
        body.append((r.student, r.assignment, score, f"{r.max_score:g}",
                     text if len(text) <= width else text[:width - 3] + "..."))
    cols = [max(len(str(x[i])) for x in [head] + body) for i in range(len(head))]
    line = lambda x: "  ".join(str(v).ljust(w) if i in (0, 1, 4) else str(v).rjust(w)  # noqa: E731
                               for i, (v, w) in enumerate(zip(x, cols))).rstrip()
    return "\n".join([line(head), line(["-" * w for w in cols])] + [line(x) for x in body])
