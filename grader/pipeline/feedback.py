"""Feedback: nbgrader generate_feedback, then a guard: no hidden-test source in the HTML.

The course config adds ClearHiddenTests to the feedback preprocessors; the guard
checks the result anyway, because a leak would give every hidden case away.
"""
import html
import re

import nbformat

from . import assignments, nbg
from .release import HIDDEN_RE, significant_lines


def hidden_lines(course, assignment_id):
    """Significant lines of the hidden tests of an assignment's source notebook."""
    a = assignments.get(assignment_id)
    nb = nbformat.read(course.source_dir / assignment_id / a.notebook, as_version=4)
    return {line for c in nb.cells for block in HIDDEN_RE.findall(c.source)
            for line in significant_lines(block)}


def feedback(course, rows, log=print):
    """Feedback HTML for every graded row; -> {(student, assignment): html path}."""
    api = nbg.api(course)
    out, secrets = {}, {}
    for row in rows:
        if row.status != "graded":  # no notebook was executed: nothing to show
            continue
        nbg.checked(api.generate_feedback(row.assignment, row.student),
                    f"feedback {row.student}/{row.assignment}")
        path = course.path("feedback", row.student, row.assignment) / \
            assignments.get(row.assignment).notebook.replace(".ipynb", ".html")
        if row.assignment not in secrets:
            secrets[row.assignment] = hidden_lines(course, row.assignment)
        leaks = find_hidden(path.read_text(), secrets[row.assignment])
        if leaks:
            raise nbg.PipelineError(f"feedback {path} shows hidden tests: {leaks[:3]}")
        out[(row.student, row.assignment)] = path
    log(f"feedback: {len(out)} HTML files under {course.path('feedback')}")
    return out


def find_hidden(page, lines):
    """Hidden-test lines that appear in a feedback page, read as text (tags removed:
    the code is syntax-highlighted token by token)."""
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    return sorted(line for line in lines if line in text)
