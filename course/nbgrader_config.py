# nbgrader configuration of the course. The instructor command `backprop-course`
# loads this file and adds what depends on the run: the work folder (nbgrader's
# root), the gradebook URL, and the kernel guard. Plain `nbgrader` commands run
# in this folder work too, after `backprop-course sync` has copied the checks in.
c = get_config()  # noqa: F821

c.CourseDirectory.course_id = "backprop-course"
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback",
                            ".oracle", "*.pkl"]

# Hidden tests: everything between these lines is removed from the student release.
c.ClearHiddenTests.begin_test_delimeter = "BEGIN HIDDEN TESTS"
c.ClearHiddenTests.end_test_delimeter = "END HIDDEN TESTS"
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}

# Autograde: a deleted test cell is put back (otherwise it silently scores nothing),
# and every cell gets a timeout.
c.OverwriteCells.add_missing_cells = True
c.Execute.timeout = 60
c.Execute.interrupt_on_timeout = True

# Feedback must never show the hidden tests' source.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
