"""Feedback: nbgrader generate_feedback, then a guard: no hidden-test source in the HTML.

The course config removes the hidden tests from feedback and sanitises the HTML (the
student's own HTML and JavaScript outputs never run in the instructor's browser); the
guard checks each page anyway. A page that fails the check, or that nbgrader could not
make, is withheld and flagged for the instructor: the rest of the class gets theirs.
"""
import html
import re

import nbformat

from . import assignments, autograde, nbg
from .autograde import DIED, OK
from .release import HIDDEN_RE, significant_lines


def hidden_lines(course, assignment_id):
    """Significant lines of the hidden tests of an assignment's source notebook."""
    a = assignments.get(assignment_id)
    nb = nbformat.read(course.source_dir / assignment_id / a.notebook, as_version=4)
    return {line for c in nb.cells for block in HIDDEN_RE.findall(c.source)
            for line in significant_lines(block)}


def feedback(course, rows, log=print):
    """Feedback HTML for every graded row; -> {(student, assignment): html path}.

    Withheld pages are not in the result; their rows get the reason in ``problems``.
    """
    api = nbg.api(course)
    out, secrets, withheld = {}, {}, []
    for row in rows:
        if row.status not in (OK, DIED):
            continue  # no notebook was executed: nothing to show
        path = course.path("feedback", row.student, row.assignment) / \
            assignments.get(row.assignment).notebook.replace(".ipynb", ".html")
        result = api.generate_feedback(row.assignment, row.student)
        if row.assignment not in secrets:
            secrets[row.assignment] = hidden_lines(course, row.assignment)
        if not result.get("success") or not path.exists():
            reason = "nbgrader could not make the page"
        else:
            leaks = find_hidden(path.read_text(), secrets[row.assignment])
            reason = f"it would show hidden-test lines ({leaks[0]!r} ...)" if leaks else ""
        if reason:
            path.unlink(missing_ok=True)
            withheld.append((row, reason))
            continue
        out[(row.student, row.assignment)] = path
    for row, reason in withheld:
        flag(course, row, f"feedback withheld: {reason}")
        log(f"feedback for {row.student}/{row.assignment} WITHHELD: {reason}")
    log(f"feedback: {len(out)} HTML files under {course.path('feedback')}"
        + (f", {len(withheld)} withheld" if withheld else ""))
    return out


def flag(course, row, problem):
    """Add a problem to a row and to the gradebook's review flag (saved with the report)."""
    row.problems.append(problem)
    autograde.save(course, [row])
    a = assignments.get(row.assignment)
    with nbg.gradebook(course) as gb:
        sub = gb.find_submission_notebook(a.notebook[:-len(".ipynb")], row.assignment,
                                          row.student)
        sub.flagged = True
        gb.db.commit()


def find_hidden(page, lines):
    """Hidden-test lines that appear in a feedback page, read as text (tags removed:
    the code is syntax-highlighted token by token)."""
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    return sorted(line for line in lines if line in text)
