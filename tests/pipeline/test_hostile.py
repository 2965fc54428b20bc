"""A hostile class, graded in one batch beside honest students, by the real pipeline.

Every hostile submission is written by a student who has read our source. Each must
(a) not stop the batch, (b) earn no credit beyond what the same code earns honestly
(measured: a control submission holds the same functions without the attack),
(c) leave every other grade, the gradebook, the course and the other submissions
intact, (d) be flagged where a person should look. The catalog covers: frame and
tracer tricks, gc and closures, in-place edits of the checker's data, ``__code__``
swaps, forged records, ctypes (a shell, forks, kills), writes to the gradebook, the
course, the config, other submissions and site-packages, reads of the oracle, the
engine and other submissions, feedback poisoning (hidden-test text, HTML/JS, huge
output), BaseException, metadata edits, and the broken or lazy submissions of before.
"""
import hashlib
import shutil
import sys

import nbformat
import pytest

from grader.pipeline import autograde, bundle, cells, export, feedback, nbg, oracle, submissions
from tests.helpers import ROOT
from tests.pipeline.conftest import cell

pytestmark = [pytest.mark.pipeline, pytest.mark.slow]

A = "01-neuron"
FULL, HONEST_BAD = 20.0, 17.0  # a sign-flipped sigmoid costs sigmoid's 3 points only
BAD_SIGMOID = "def sigmoid(z):\n    return 1 / (1 + np.exp(z))\n"
# a hang costs CELL s, then HUNG s per later cell (the defaults: 60 s, then 5 s)
CELL, HUNG = 10, 2


def add_cell(nb, code, at_end=False):
    """nb with a new (student-added) code cell after the setup cell, or at the end."""
    nb = nbformat.from_dict(nb)
    where = len(nb.cells) if at_end else next(
        i for i, c in enumerate(nb.cells) if c.cell_type == "code") + 1
    nb.cells.insert(where, nbformat.v4.new_code_cell(code))
    return nb


def edit_cell(nb, grade_id, code=None, **meta):
    nb = nbformat.from_dict(nb)
    if code is not None:
        cell(nb, grade_id).source = code
    cell(nb, grade_id).metadata.nbgrader.update(meta)
    return nb


def delete_cell(nb, grade_id):
    nb = nbformat.from_dict(nb)
    nb.cells = [c for c in nb.cells if cells.grade_id(c) != grade_id]
    return nb


def attack_sigmoid(body):
    """A wrong sigmoid that first runs an attack (body may return a value to submit)."""
    return ("import numpy as np\n\ndef sigmoid(z):\n"
            + "".join(f"    {line}\n" for line in body.strip().splitlines())
            + "    return 1 / (1 + np.exp(z))\n")


FRAMES = attack_sigmoid("""
import sys
f = sys._getframe(1)
while f is not None:
    for name, value in list(f.f_locals.items()):
        if name in ("expected", "want", "answer") and getattr(value, "shape", None) == np.shape(z):
            return value
    f = f.f_back
""")
TRACER = """
import sys
def tracer(frame, event, arg):  # rewrite the checker's locals as it compares
    if "bpcheck" not in frame.f_code.co_filename:
        return None
    if event == "line":
        for name in ("bad", "ok", "expected", "e"):
            if name in frame.f_locals and name in ("bad", "ok"):
                frame.f_locals[name] = name == "ok"
    return tracer
sys.settrace(tracer)
"""
GC = attack_sigmoid("""
import gc
for obj in gc.get_objects():
    if isinstance(obj, dict) and "expected" in obj and np.shape(obj["expected"]) == np.shape(z):
        return obj["expected"]
    if callable(obj) and getattr(obj, "__closure__", None):
        for c in obj.__closure__:
            v = getattr(c, "cell_contents", None)
            if isinstance(v, np.ndarray) and v.shape == np.shape(z) and v is not z:
                return v
""")
CHECKER_DATA = """
import numpy as np, bpcheck.compare as C, bpcheck.hidden as H
C.TOLERANCE.clear()
C.TOLERANCE.update({np.dtype(np.float64): (1e9, 1e9), np.dtype(np.float32): (1e9, 1e9)})
for case in H.load_inputs("01-neuron")["sigmoid"]:  # sigmoid on 0 only: 0.5 either way
    case["args"] = {"tuple": [{"nd": "<f8", "shape": [1], "b64": "AAAAAAAAAAA="}]}
"""
CODE_SWAP = """
import bpcheck.compare, bpcheck.neuron
def nothing(*args, **kwargs):
    return None
for f in (bpcheck.compare.check_array, bpcheck.compare.compare, bpcheck.neuron.check_sigmoid,
          check_sigmoid):
    f.__code__ = nothing.__code__
"""
FORGED = attack_sigmoid("""
from IPython.display import display
import bpcheck.hidden as H, bpcheck.wire as W
fake = [{"result": W.encode(1 / (1 + np.exp(-np.asarray(c, dtype=float))))} for c in range(7)]
display({H.RECORD_MIME: {"function": "sigmoid", "cases": fake}}, raw=True)
""")
BASE_EXCEPTION = attack_sigmoid("""
class Escape(BaseException):
    pass
raise Escape("the recorder cannot catch me")
""")


def grading_paths(course):
    """Files a submission must not be able to touch: (path, its digest now)."""
    paths = [course.course_dir / "nbgrader_config.py",
             course.path("submitted", "honest-correct", A) / f"{A}.ipynb",
             course.source_dir / A / bundle.PACKAGE / "neuron.py",
             oracle.folder() / f"{A}.pkl", ROOT / "solutions" / "activations.py"]
    return paths


SYSTEM = """
import ctypes, os, sqlite3
libc = ctypes.CDLL(None)
TARGETS = %r
for path in TARGETS:
    shell = "echo pwned >> '%%s' 2>/dev/null; rm -rf '%%s' 2>/dev/null" %% (path, path)
    libc.system(shell.encode())
    try:
        db = sqlite3.connect(path)
        db.execute("UPDATE grade SET auto_score = 999")
        db.commit()
    except Exception:
        pass
try:
    open(os.path.join(os.path.dirname(np.__file__), "planted.py"), "w").write("x = 1")
except Exception:
    pass
"""
READS = """
import os
for path in %r:
    try:
        print("LEAKED:" + (str(os.listdir(path)) if os.path.isdir(path) else open(path).read(200)))
    except Exception:
        pass
"""
FORKS = """
import os, time
children = 0
for _ in range(2000):
    try:
        if os.fork() == 0:
            time.sleep(3)
            os._exit(0)
        children += 1
    except OSError:
        break
print("forked", children)
"""


def submissions_for(course):
    """{student: notebook (or raw text)}; the edited-checks student also gets a folder."""
    good = submissions.solved(course, A)
    bad = submissions.with_cells(good, {"sigmoid": BAD_SIGMOID})
    targets = [str(p) for p in grading_paths(course)] + [str(course.work_dir / "gradebook.db")]
    return {
        # the honest students and the controls
        "honest-correct": good,
        "honest-untouched": submissions.released(course, A),
        "control-bad-sigmoid": bad,
        "control-no-sigmoid": submissions.with_cells(good, {"sigmoid": "pass\n"}),
        # attacks on the checker's process
        "frames": submissions.with_cells(good, {"sigmoid": FRAMES}),
        "tracer": add_cell(bad, TRACER),
        "gc-closures": submissions.with_cells(good, {"sigmoid": GC}),
        "checker-data": add_cell(bad, CHECKER_DATA),
        "code-swap": add_cell(bad, CODE_SWAP),
        "forged-record": submissions.with_cells(good, {"sigmoid": FORGED}),
        "base-exception": submissions.with_cells(good, {"sigmoid": BASE_EXCEPTION}),
        # attacks on the machine, the files and the batch
        "ctypes-system": add_cell(bad, SYSTEM % (targets,)),
        "reads": add_cell(bad, READS % (targets + [str(course.path("submitted"))],)),
        "fork-bomb": add_cell(bad, FORKS),
        "kill-at-end": add_cell(bad, "import ctypes, os\nlibc = ctypes.CDLL(None)\n"
                                     "libc.kill(os.getppid(), 9)\nlibc.kill(-1, 9)\n"
                                     "libc.kill(libc.getpid(), 9)\n", at_end=True),
        "os-exit-early": add_cell(good, "import os\nos._exit(0)\n"),
        "kernel-crash": add_cell(good, "import ctypes\nctypes.string_at(0)\n"),
        # reserved, not written: the address-space limit stops it at once, however busy the
        # machine (np.ones spent seconds writing pages first, past the cell's time-out)
        "memory-bomb": add_cell(good, "big = [np.empty(10**8) for _ in range(64)]\n"),
        "hang-top-level": add_cell(good, "while True:\n    pass\n"),
        "infinite-loop": submissions.with_cells(
            good, {"sigmoid": "def sigmoid(z):\n    while True:\n        pass\n"}),
        # feedback poisoning
        "print-hidden-tests": add_cell(good, "print('\\n'.join(In))\n", at_end=True),
        "html-js": add_cell(good, "from IPython.display import HTML, Javascript, display\n"
                                  "display(HTML('<script>window.PWNED = 1</script>"
                                  "<img src=x onerror=\"alert(1)\">'))\n"
                                  "display(Javascript('window.PWNED = 2'))\n"),
        "huge-output": add_cell(good, "print('x' * 30_000_000)\n"),
        # the grading files and metadata
        "edited-tests-bad": edit_cell(bad, "test_sigmoid", "pass"),
        "deleted-tests-bad": delete_cell(bad, "test_sigmoid"),
        "edited-checks-bad": bad,
        "metadata-bad": edit_cell(edit_cell(bad, "test_sigmoid", points=100),
                                  "sigmoid", grade=True, points=50),
        "engine-import": submissions.with_cells(
            good, {"sigmoid": "import sys\nsys.path.insert(0, %r)\nfrom solutions import sigmoid\n"
                              % str(ROOT)}),
        "import-time-error": submissions.with_cells(
            good, {"sigmoid": "import not_a_module_anywhere\n\n" + BAD_SIGMOID}),
        "corrupt-json": '{"cells": [ this is not json',
        "renamed": good,
    }


def digests(paths):
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() if p.exists() else None for p in paths}


@pytest.fixture(scope="module")
def batch(released):
    course = released(A, cell_timeout=CELL, hung_timeout=HUNG)
    subs = submissions_for(course)
    bad = subs["control-bad-sigmoid"]
    for student, nb in subs.items():
        name = "01-neuron-final.ipynb" if student == "renamed" else None
        submissions.submit(course, student, A, nb, name=name)
    folder = course.path("submitted", "edited-checks-bad", A) / bundle.PACKAGE
    shutil.copytree(course.path("release", ".", A) / bundle.PACKAGE, folder)
    text = (folder / "neuron.py").read_text()
    (folder / "neuron.py").write_text(text + "\n\ndef check_sigmoid(sigmoid):\n    print('ok')\n")
    for student, target in (("symlink-solutions", course.source_dir / A / f"{A}.ipynb"),
                            ("symlink-oracle", oracle.folder() / f"{A}.pkl")):
        folder = course.path("submitted", student, A)
        folder.mkdir(parents=True)
        name = f"{A}.ipynb" if student == "symlink-solutions" else "data.pkl"
        if student == "symlink-oracle":
            submissions.submit(course, student, A, bad)
        (folder / name).symlink_to(target)
    (course.work_dir / "gradebook.db").touch()
    before = digests(grading_paths(course))
    rows = autograde.autograde(course, [A], jobs=2, progress=False)
    return course, {r.student: r for r in rows}, before


def problems(row):
    return "; ".join(row.problems)


def test_every_submission_got_a_row_and_the_batch_finished(batch):
    course, rows, _ = batch
    assert set(rows) == set(submissions_for(course)) | {"symlink-solutions", "symlink-oracle"}
    lines = [f"{'submission':<22}{'score':>6}  {'status':<12}what the instructor is told",
             "-" * 110]
    for student, row in rows.items():
        score = "-" if row.score is None else f"{row.score:g}"
        told = "; ".join(row.problems) or "-"
        lines.append(f"{student:<22}{score:>6}  {row.status:<12}{told[:70]}")
    (ROOT / "tests" / "artifacts").mkdir(exist_ok=True)
    (ROOT / "tests" / "artifacts" / "hostile-table.txt").write_text("\n".join(lines) + "\n")


def test_honest_students_and_controls_get_their_grades(batch):
    _, rows, _ = batch
    assert rows["honest-correct"].score == FULL and rows["honest-correct"].problems == []
    assert rows["honest-untouched"].score == 0.0
    assert rows["control-bad-sigmoid"].score == HONEST_BAD, rows["control-bad-sigmoid"].failed
    assert rows["control-bad-sigmoid"].failed == ["test_sigmoid (0/3)"]
    assert rows["control-no-sigmoid"].score == HONEST_BAD


@pytest.mark.parametrize("student, control, words", [
    ("frames", "control-bad-sigmoid", "review: uses interpreter internals"),
    ("tracer", "control-bad-sigmoid", "review: uses interpreter internals"),
    ("gc-closures", "control-bad-sigmoid", "review: uses interpreter internals"),
    ("checker-data", "control-bad-sigmoid", "review: imports the checks' internals"),
    ("code-swap", "control-bad-sigmoid", "review: uses interpreter internals"),
    ("base-exception", "control-no-sigmoid", ""),
    ("ctypes-system", "control-bad-sigmoid", "review: uses interpreter internals"),
    ("reads", "control-bad-sigmoid", "review: reads files"),
    ("memory-bomb", "honest-correct", "ran out of memory"),
    ("hang-top-level", "honest-correct", "timed out"),
    ("infinite-loop", "control-no-sigmoid",
     f"timed out (stopped after {CELL} s, then {HUNG} s per cell)"),
    ("html-js", "honest-correct", "output(s) with HTML or JavaScript removed"),
    ("huge-output", "honest-correct", "output over"),
    ("edited-tests-bad", "control-bad-sigmoid", "'test_sigmoid' was edited"),
    ("deleted-tests-bad", "control-bad-sigmoid", "'test_sigmoid' was deleted"),
    ("edited-checks-bad", "control-bad-sigmoid", "bpcheck/neuron.py was edited"),
    ("metadata-bad", "control-bad-sigmoid", "nbgrader metadata was edited (restored)"),
    ("engine-import", "control-no-sigmoid", "imports the reference engine"),
    ("import-time-error", "control-no-sigmoid", ""),
    ("renamed", "honest-correct", "renamed notebook '01-neuron-final.ipynb'"),
])
def test_an_attack_scores_exactly_what_the_same_code_scores_honestly(batch, student, control,
                                                                     words):
    _, rows, _ = batch
    row = rows[student]
    assert row.status == autograde.OK, row
    assert row.score == rows[control].score, (
        f"{student} scored {row.score}, the same code honestly {rows[control].score}: "
        f"{row.failed} {row.problems}")
    assert words in problems(row), row.problems


@pytest.mark.parametrize("student, control", [("fork-bomb", "control-bad-sigmoid")])
def test_an_attack_that_breaks_its_own_kernel_gains_nothing(batch, student, control):
    _, rows, _ = batch
    row = rows[student]
    assert row.status in (autograde.OK, autograde.DIED), row
    assert row.score <= rows[control].score, row


def test_a_forged_record_gains_nothing_and_is_flagged(batch):
    _, rows, _ = batch
    row = rows["forged-record"]
    assert row.score <= rows["control-bad-sigmoid"].score
    assert "records in one cell" in problems(row) and "raw data" in problems(row)


@pytest.mark.parametrize("student, control", [("kill-at-end", "control-bad-sigmoid"),
                                              ("os-exit-early", "honest-untouched"),
                                              ("kernel-crash", "honest-untouched")])
def test_a_dead_kernel_keeps_the_cells_that_ran_and_is_reported(batch, student, control):
    _, rows, _ = batch
    row = rows[student]
    assert row.status == autograde.DIED, row
    assert row.score == rows[control].score
    assert "the kernel stopped" in problems(row)


def test_nothing_of_the_grading_was_touched_or_read(batch):
    course, rows, before = batch
    assert digests(grading_paths(course)) == before
    with nbg.gradebook(course) as gb:
        graded = {s.student.id: s.score for s in gb.assignment_submissions(A)}
    for student, row in rows.items():
        if row.status in (autograde.OK, autograde.DIED):
            assert graded[student] == row.score, student
    site = next(p for p in sys.path if p.endswith("site-packages"))
    assert not (ROOT / "planted.py").exists() and not list(
        __import__("pathlib").Path(site).glob("numpy/planted.py"))
    for student in rows:
        path = course.path("autograded", student, A) / f"{A}.ipynb"
        if path.exists():
            outputs = [o for c in nbformat.read(path, as_version=4).cells
                       for o in c.get("outputs", [])]
            assert "LEAKED:" not in str(outputs), student


def test_feedback_withholds_poisoned_pages_escapes_html_and_serves_the_rest(batch):
    course, rows, _ = batch
    said = []
    pages = feedback.feedback(course, list(rows.values()), log=said.append)
    assert ("print-hidden-tests", A) not in pages
    assert "feedback withheld" in problems(autograde.load(course)[("print-hidden-tests", A)])
    html = pages[("html-js", A)].read_text()  # the student's code is shown, as text only
    assert "<script>window.PWNED" not in html and "<img src=x onerror" not in html
    assert "&lt;script&gt;window.PWNED" in html
    assert ("honest-correct", A) in pages and ("huge-output", A) in pages
    assert pages[("huge-output", A)].stat().st_size < 6_000_000
    with nbg.gradebook(course) as gb:
        flagged = {s.student.id: s.flagged for s in gb.notebook_submissions(A, A)}
    assert flagged["print-hidden-tests"] and flagged["frames"] and not flagged["honest-correct"]


def test_the_export_carries_flags_and_grading_twice_gives_the_same_scores(batch):
    import csv
    course, rows, _ = batch
    with open(export.export(course, log=lambda m: None), newline="") as fh:
        csv_rows = {r["student_id"]: r for r in csv.DictReader(fh)}
    assert "uses interpreter internals" in csv_rows["frames"]["problems"]
    assert csv_rows["corrupt-json"]["status"] == "not graded"
    again = autograde.autograde(course, [A], students=["honest-correct", "checker-data",
                                                       "control-bad-sigmoid"], jobs=2,
                                progress=False)
    for row in again:
        assert row.score == rows[row.student].score, row.student


@pytest.mark.parametrize("student", ["symlink-solutions", "symlink-oracle"])
def test_a_symbolic_link_in_the_submission_is_refused(batch, student):
    """A link to the source notebook (solutions) or to the oracle is never followed."""
    course, rows, _ = batch
    row = rows[student]
    assert row.status == autograde.FAILED and not row.score, row
    assert "symbolic link in the submission" in problems(row)
    assert not course.path("autograded", student, A).exists()


def test_a_corrupt_notebook_scores_zero_with_the_reason(batch):
    _, rows, _ = batch
    row = rows["corrupt-json"]
    assert row.status == autograde.NOT_GRADED and row.score == 0.0
    assert "unreadable notebook" in row.problems[0]
