"""The instructor pipeline around nbgrader: release, autograde, feedback, export, demo.

Unlike ``grader.checks``, this side may use the reference engine: the oracle
(``oracle.py``) runs it to store the hidden tests' expected answers.
"""
import sys

# jsonschema (imported by nbformat and nbgrader) imports rfc3987_syntax when installed,
# which compiles ~35 Lark grammars: about 1 s of CPU in every CLI run and Dask worker
# (python-jsonschema/jsonschema#1428). It checks only the "iri" formats, which no
# notebook or nbgrader schema uses; without it jsonschema leaves them unchecked.
sys.modules.setdefault("rfc3987_syntax", None)
