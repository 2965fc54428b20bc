"""The student release works without the reference engine, and fails kindly when untouched."""
import shutil

import nbclient
import nbformat
import pytest

from grader.pipeline import assignments, bundle, submissions
from grader.pipeline.cells import grade_id, is_test
from tests.student_kernel import install_kernelspec

pytestmark = [pytest.mark.pipeline, pytest.mark.notebooks]

IDS = [a.id for a in assignments.ASSIGNMENTS]


@pytest.fixture(scope="module")
def student_env(released, tmp_path_factory):
    """(course, kernel name, folder): the releases and a kernel that cannot import the engine."""
    course = released()
    jupyter = tmp_path_factory.mktemp("jupyter")
    name = install_kernelspec(jupyter)
    with pytest.MonkeyPatch.context() as env:  # restored for the tests that follow
        env.setenv("JUPYTER_PATH", str(jupyter))
        yield course, name, tmp_path_factory.mktemp("student")


def _run(nb, folder, kernel, allow_errors=False):
    """Execute nb in folder with the student kernel; -> the executed notebook."""
    client = nbclient.NotebookClient(nb, kernel_name=kernel, timeout=120, allow_errors=allow_errors,
                                     resources={"metadata": {"path": str(folder)}})
    client.execute()
    return nb


def _copy_release(course, assignment_id, dest):
    folder = dest / assignment_id
    shutil.copytree(course.path("release", ".", assignment_id), folder, dirs_exist_ok=True)
    return folder


def test_the_student_kernel_cannot_import_the_engine(student_env):
    _, kernel, folder = student_env
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "for name in ('solutions', 'grader'):\n"
        "    try:\n        __import__(name)\n        print(name, 'IMPORTED')\n"
        "    except ImportError:\n        print(name, 'absent')")]
    out = _run(nb, folder, kernel).cells[0].outputs[0].text
    assert out.split() == ["solutions", "absent", "grader", "absent"]


@pytest.mark.parametrize("assignment_id", IDS)
def test_solved_release_passes_every_visible_test_without_the_engine(student_env, assignment_id):
    course, kernel, dest = student_env
    folder = _copy_release(course, assignment_id, dest)
    nb = _run(submissions.solved(course, assignment_id), folder, kernel)
    tests = [c for c in nb.cells if is_test(c)]
    assert len(tests) >= len(assignments.get(assignment_id).functions)
    for c in tests:
        text = "".join(o.get("text", "") for o in c.outputs)
        assert "✔" in text, f"{grade_id(c)}: {text!r}"
    assert not (folder / bundle.PACKAGE / "solutions").exists()


@pytest.mark.parametrize("assignment_id", IDS)
def test_untouched_release_stops_at_a_friendly_message(student_env, assignment_id):
    course, kernel, dest = student_env
    folder = _copy_release(course, assignment_id, dest / "untouched")
    nb = submissions.released(course, assignment_id)
    with pytest.raises(nbclient.exceptions.CellExecutionError):
        _run(nb, folder, kernel)
    failed = next(c for c in nb.cells
                  if any(o.output_type == "error" for o in c.get("outputs", [])))
    error = next(o for o in failed.outputs if o.output_type == "error")
    shown = "\n".join(error.traceback)
    assert (grade_id(failed) or "").startswith("test_"), \
        "the first error must come from a visible test"
    assert error.ename == "CheckFailure" and "not implemented yet" in shown
    assert "Traceback" not in shown and len(shown.splitlines()) <= 6, shown
