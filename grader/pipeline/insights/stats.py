"""Class insights: which mistakes the class made, and how each test cell behaves.

Only what the grader already has: the gradebook's score of every test cell, and the
verdict the grader kept in each autograded notebook (the function, pass or fail, the
named likely cause, the message). Counted: submissions whose status is "graded"; a
kernel that died or an autograde that failed is not a statement about the class.

Item analysis as exam tools do it. Difficulty: mean score / points (1 = everyone
passes). Discrimination: the correlation of the cell's score with the rest of the
assignment (total minus this cell), across students; undefined when either is the
same for everyone.
"""
import math
from dataclasses import dataclass, field

import nbformat

from .. import assignments, autograde, nbg
from ..cells import function_of

NO_CAUSE = "no cause recognised"
BY_HAND = "score lowered by hand (the grader's verdict was a pass)"
EASY, HARD = 0.9, 0.1     # difficulty: nearly everyone / nearly no one passes
WEAK = 0.2                # discrimination below this: the cell does not go with the rest


@dataclass
class Submission:
    """One graded submission: per test cell its score, points and the grader's verdict."""
    student: str
    assignment: str
    scores: dict = field(default_factory=dict)     # grade_id -> score
    points: dict = field(default_factory=dict)     # grade_id -> max score
    verdicts: dict = field(default_factory=dict)   # grade_id -> {function, passed, cause, ...}


@dataclass
class Cause:
    text: str
    students: list          # who failed with it (shown only when asked for)
    example: str            # one message, as a student saw it


@dataclass
class Function:
    """A graded function's pass rate, and its failures grouped by named cause."""
    assignment: str
    function: str
    submissions: int
    passed: int
    causes: list            # [Cause], most frequent first

    @property
    def failed(self):
        return self.submissions - self.passed

    def share(self, cause):
        return len(cause.students) / self.failed


@dataclass
class Item:
    """One test cell's statistics across the class."""
    assignment: str
    cell: str
    points: float
    difficulty: float
    discrimination: float   # None when undefined
    flags: list


def collect(course, ids=None):
    """-> ([Submission] graded, {status: count} of the submissions not counted)."""
    report = autograde.load(course)
    graded, skipped = [], {}
    with nbg.gradebook(course) as gb:
        known = {a.name for a in gb.assignments}
        for a in assignments.ASSIGNMENTS:
            if (ids and a.id not in ids) or a.id not in known:
                continue
            for sub in gb.assignment_submissions(a.id):
                student = sub.student.id
                row = report.get((student, a.id))
                status = row.status if row else autograde.OK
                verdicts = _verdicts(course, student, a)
                if status != autograde.OK or verdicts is None:
                    key = status if status != autograde.OK else "no verdicts kept"
                    skipped[key] = skipped.get(key, 0) + 1
                    continue
                s = Submission(student, a.id, verdicts=verdicts)
                for nb in sub.notebooks:
                    for g in nb.grades:
                        if g.cell_type == "code" and g.max_score and g.score is not None:
                            s.scores[g.name], s.points[g.name] = g.score, g.max_score
                graded.append(s)
    return graded, skipped


def _verdicts(course, student, a):
    """The verdicts the grader kept in an autograded notebook, or None."""
    path = course.path("autograded", student, a.id) / a.notebook
    if not path.exists():
        return None
    nb = nbformat.read(path, as_version=4)
    return nb.metadata.get("backprop", {}).get("verdicts")


def functions(subs):
    """[Function]: for each assignment and graded test cell, the pass rate and the causes."""
    out = []
    for a, group in _by_assignment(subs):
        for cell in _cells(group):
            failed = {}
            passed = 0
            for s in group:
                if cell not in s.scores:
                    continue
                if s.scores[cell] >= s.points[cell]:
                    passed += 1
                    continue
                verdict = s.verdicts.get(cell) or {}
                text = BY_HAND if verdict.get("passed") else verdict.get("cause") or NO_CAUSE
                failed.setdefault(text, []).append((s.student, verdict.get("message", "")))
            causes = [Cause(t, [st for st, _ in v], v[0][1]) for t, v in failed.items()]
            causes.sort(key=lambda c: (c.text == NO_CAUSE, -len(c.students), c.text))
            n = sum(cell in s.scores for s in group)
            out.append(Function(a, function_of(cell), n, passed, causes))
    return out


def items(subs):
    """[Item]: difficulty and discrimination of every test cell, with flags."""
    out = []
    for a, group in _by_assignment(subs):
        cells = _cells(group)
        points = [max(s.points.get(c, 0) for s in group) for c in cells]
        matrix = [[s.scores.get(c, 0.0) for c in cells] for s in group]
        for cell, p, (difficulty, disc) in zip(cells, points, item_stats(matrix, points)):
            out.append(Item(a, cell, p, difficulty, disc, flags(difficulty, disc)))
    return out


def item_stats(matrix, points):
    """[(difficulty, discrimination)] per column of a students x cells score matrix."""
    totals = [sum(row) for row in matrix]
    out = []
    for j, p in enumerate(points):
        x = [row[j] for row in matrix]
        rest = [t - xi for t, xi in zip(totals, x)]
        out.append((sum(x) / (len(x) * p), pearson(x, rest)))
    return out


def pearson(x, y):
    """The correlation of two equally long sequences; None if either is constant."""
    n = len(x)
    mx, my = sum(x) / n, sum(y) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    return sxy / math.sqrt(sxx * syy)


def flags(difficulty, discrimination):
    """What an instructor should look at for a cell with these statistics."""
    out = []
    if difficulty >= EASY:
        out.append("nearly everyone passes")
    elif difficulty <= HARD:
        out.append("nearly no one passes")
    if discrimination is not None and discrimination < WEAK:
        out.append("does not go with the rest of the assignment: is the test unfair or broken?")
    return out


def _by_assignment(subs):
    order = [a.id for a in assignments.ASSIGNMENTS]
    for a in order:
        group = [s for s in subs if s.assignment == a]
        if group:
            yield a, group


def _cells(group):
    """The assignment's graded cells, in the order of its functions (the notebook's)."""
    order = assignments.get(group[0].assignment).functions
    cells = {c for s in group for c in s.scores}
    rank = lambda c: (order.index(function_of(c)) if function_of(c) in order else len(order), c)  # noqa: E731
    return sorted(cells, key=rank)
