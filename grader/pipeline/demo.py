"""The demo: release everything, grade example submissions, print the grades.

Students: one who got everything right, one who submitted the untouched release,
and several with one typical mistake each (from the mutation catalog). Everything
happens in a fresh work folder with a fresh SQLite gradebook.
"""
import shutil
import time

from . import assignments, autograde, export, feedback, mutants, release, roster, submissions
from .insights import insights
from .table import score_table

CORRECT, UNTOUCHED = "ada-correct", "ben-untouched"
MISTAKES = ["sigmoid-prime-returns-sigmoid", "xor-network-or-for-and", "softmax-wrong-axis",
            "backward-no-divide-by-N", "worked-one-path-only"]


def mistake_students(mistakes=MISTAKES):
    """-> [(student id, Mutant)] for the demo's students with one mistake each."""
    return [(f"{'cdefgh'[i]}-{k}", mutants.CATALOG_BY_ID[k]) for i, k in enumerate(mistakes)]


def make_submissions(course, mistakes=MISTAKES):
    """Write the example submissions under <work>/submitted/; -> [(student, id)]."""
    made = []
    for a in assignments.ASSIGNMENTS:
        submissions.submit(course, CORRECT, a.id, submissions.solved(course, a.id))
        submissions.submit(course, UNTOUCHED, a.id, submissions.released(course, a.id))
        made += [(CORRECT, a.id), (UNTOUCHED, a.id)]
    for student, m in mistake_students(mistakes):
        submissions.submit(course, student, m.assignment,
                           m.apply(submissions.solved(course, m.assignment)))
        made.append((student, m.assignment))
    return made


def demo(course, jobs=None, log=print):
    """Run the whole instructor pipeline on example submissions; -> rows."""
    start = time.perf_counter()
    if course.work_dir.exists():
        shutil.rmtree(course.work_dir)
    release.release(course, log=lambda m: None)
    log(f"released {len(assignments.ASSIGNMENTS)} assignments -> {course.path('release')}")
    made = make_submissions(course)
    log(f"{len(made)} example submissions -> {course.path('submitted')}")
    students = roster.example(s for s, _ in made)
    roster.import_roster(course, roster.write(course.work_dir / "roster.csv", students))
    log(f"roster of {len(students)} students -> {course.work_dir / 'roster.csv'} (imported)")
    rows = autograde.autograde(course, jobs=jobs)
    pages = feedback.feedback(course, rows, log=lambda m: None)
    grades = export.export(course, log=lambda m: None)
    log("")
    log(score_table(rows))
    log("")
    log(f"gradebook: {course.db_url.split('?')[0]}")
    log(f"feedback:  {len(pages)} HTML pages under {course.path('feedback')}")
    log(f"           e.g. {next(iter(pages.values()), '-')}")
    log(f"grades:    {grades}")
    log("")
    insights(course, log=log)
    log(f"demo finished in {time.perf_counter() - start:.1f} s")
    return rows
