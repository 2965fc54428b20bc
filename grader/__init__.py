"""The grader: student-facing checks (``grader.checks``) and the instructor
pipeline around nbgrader (``grader.pipeline``)."""
