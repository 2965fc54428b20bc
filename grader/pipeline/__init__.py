"""The instructor pipeline around nbgrader: release, autograde, feedback, export, demo.

Unlike ``grader.checks``, this side may use the reference engine: the oracle
(``oracle.py``) runs it to store the hidden tests' expected answers.
"""
