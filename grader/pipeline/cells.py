"""nbgrader's cell roles, read with nbgrader's own helpers, and the markers it uses."""
from nbgrader.utils import is_grade, is_locked, is_solution  # noqa: F401 (re-exported)

SOLUTION = ("### BEGIN SOLUTION", "### END SOLUTION")
HIDDEN = ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")


def grade_id(cell):
    """The cell's nbgrader grade_id, or None."""
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def function_of(grade_id):
    """The contract function a test cell grades: test_<function> -> function."""
    return grade_id[len("test_"):] if grade_id.startswith("test_") else grade_id


def is_test(cell):
    """A read-only test cell: graded, no answer in it (nbgrader restores its source)."""
    return bool(is_grade(cell) and not is_solution(cell))


def is_graded_test(cell):
    """A graded test cell of a contract function (grade_id test_<function>)."""
    return (cell.cell_type == "code" and is_test(cell)
            and str(grade_id(cell) or "").startswith("test_"))
