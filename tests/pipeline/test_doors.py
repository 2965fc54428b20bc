"""One path, whichever door: plain nbgrader in the course folder and `backprop-course`
give the same grades, cell by cell; a fresh course folder releases completely and its
source notebooks run top to bottom with nothing exported.
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from grader.pipeline import autograde, submissions
from tests.helpers import COURSE
from tests.pipeline.conftest import copy_course
from tests.pipeline.test_hostile import FORGED, FRAMES

pytestmark = [pytest.mark.pipeline, pytest.mark.slow]

A = "01-neuron"
BIN = Path(sys.executable).parent


def nbgrader(*args, cwd):
    """The nbgrader command of this environment, as an instructor types it."""
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    return subprocess.run([str(BIN / "nbgrader"), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)


def cell_scores(db_url, student):
    from nbgrader.api import Gradebook
    with Gradebook(db_url, course_id="backprop-course") as gb:
        sub = gb.find_submission_notebook(A, A, student)
        return {g.name: g.score for g in sub.grades}, sub.flagged


@pytest.fixture(scope="module")
def both(released, tmp_path_factory):
    """The same class graded by `backprop-course autograde` and by plain nbgrader: a
    verdict of each kind (full marks; a failed cell, flagged; a forged record; nothing
    done, flagged). A plainly wrong sigmoid is the hostile batch's control."""
    ours = released(A)
    good = submissions.solved(ours, A)
    klass = {"correct": good, "frames": submissions.with_cells(good, {"sigmoid": FRAMES}),
             "forged": submissions.with_cells(good, {"sigmoid": FORGED}),
             "untouched": submissions.released(ours, A)}
    for student, nb in klass.items():
        submissions.submit(ours, student, A, nb)
    rows = {r.student: r for r in autograde.autograde(ours, [A], jobs=2, progress=False)}

    plain = copy_course(tmp_path_factory.mktemp("fresh") / "course")  # no bpcheck/, as cloned
    released_ = nbgrader("generate_assignment", A, "--force", cwd=plain)
    shutil.copytree(ours.path("submitted"), plain / "submitted")
    button = tmp_path_factory.mktemp("formgrader") / "course"
    shutil.copytree(plain, button)  # released, submitted, not graded yet
    graded = nbgrader("autograde", A, "--force", cwd=plain)
    clicked = formgrader_autograde(button, list(klass))
    return ours, rows, plain, released_, graded, list(klass), button, clicked


def formgrader_autograde(course, students):
    """Start Jupyter in the course folder and press the formgrader's Autograde button
    (its API call) for each student; -> the JSON answers."""
    import json
    import socket
    import time
    import urllib.request
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    server = subprocess.Popen(
        [str(BIN / "jupyter"), "server", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
         "--ServerApp.token=door", f"--ServerApp.root_dir={course}", "--allow-root"],
        cwd=course, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    answers = {}
    try:
        base, headers = f"http://127.0.0.1:{port}", {"Authorization": "token door"}
        for _ in range(120):
            try:
                urllib.request.urlopen(urllib.request.Request(f"{base}/api", headers=headers))
                break
            except OSError:
                time.sleep(0.5)
        for student in students:
            request = urllib.request.Request(
                f"{base}/formgrader/api/submission/{A}/{student}/autograde", data=b"",
                headers=headers, method="POST")
            with urllib.request.urlopen(request, timeout=300) as reply:
                answers[student] = json.loads(reply.read())
    finally:
        server.terminate()
        server.wait(timeout=30)
    return answers


def test_plain_nbgrader_makes_a_complete_release_in_a_fresh_course(both):
    _, _, plain, released_, *_ = both
    assert released_.returncode == 0, released_.stderr[-2000:]
    package = plain / "release" / A / "bpcheck"
    assert {"__init__.py", "hidden.py", "neuron.py", "wire.py"} <= {p.name for p in
                                                                   package.glob("*.py")}


def test_plain_nbgrader_and_our_command_give_identical_grades_cell_by_cell(both):
    ours, rows, plain, _, graded, students, _, _ = both
    assert graded.returncode == 0, graded.stderr[-3000:]
    for student in students:
        mine, my_flag = cell_scores(ours.db_url, student)
        theirs, their_flag = cell_scores(f"sqlite:///{plain / 'gradebook.db'}", student)
        assert mine == theirs, student
        assert my_flag == their_flag, student
    assert rows["correct"].score == 20 and rows["untouched"].score == 0
    assert rows["frames"].score == 17 and rows["forged"].score <= 17


def alembic_stamp(db_url):
    import sqlalchemy
    engine = sqlalchemy.create_engine(db_url)
    with engine.connect() as db:
        stamp = db.execute(sqlalchemy.text("SELECT version_num FROM alembic_version")).all()
    engine.dispose()
    return stamp


def test_our_gradebooks_have_the_schema_stamp_of_the_alembic_command(both):
    """nbg.alembic_head reads in process what nbgrader asks the `alembic` command for
    (plain nbgrader loads the course config, so it uses alembic_head too)."""
    from nbgrader.dbutil import _temp_alembic_ini
    ours, _, plain, released_, *_ = both
    assert released_.returncode == 0, released_.stderr[-2000:]
    with _temp_alembic_ini("sqlite:////tmp/gradebook.db") as ini:
        heads = subprocess.run([str(BIN / "alembic"), "-c", ini, "heads"], capture_output=True,
                               text=True, check=True).stdout
    stamp = [(heads.split()[0],)]
    assert alembic_stamp(ours.db_url) == alembic_stamp(f"sqlite:///{plain / 'gradebook.db'}") \
        == stamp


def test_the_formgrader_button_gives_the_same_grades(both):
    ours, _, _, _, _, students, button, clicked = both
    for student in students:
        assert clicked[student]["success"], clicked[student].get("log", "")[-2000:]
        mine, my_flag = cell_scores(ours.db_url, student)
        theirs, their_flag = cell_scores(f"sqlite:///{button / 'gradebook.db'}", student)
        assert mine == theirs and my_flag == their_flag, student


def test_a_source_notebook_runs_top_to_bottom_in_a_fresh_clone(tmp_path):
    """An instructor's Jupyter: the course's environment, no bpcheck/ copied, no variable."""
    folder = tmp_path / A
    folder.mkdir()
    shutil.copy(COURSE / "source" / A / f"{A}.ipynb", folder)
    nb = nbformat.read(folder / f"{A}.ipynb", as_version=4)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BPCHECK", "BACKPROP"))}
    client = NotebookClient(nb, timeout=120, resources={"metadata": {"path": str(folder)}})
    client.execute(env=env)
    hidden = [o for c in nb.cells for o in c.get("outputs", [])
              if "hidden cases passed" in o.get("text", "")]
    assert len(hidden) == 11
    assert not (folder / "bpcheck").exists()
