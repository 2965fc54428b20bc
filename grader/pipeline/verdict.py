"""Verdicts, computed in the grader's process from what the grading kernel recorded.

``judge`` compares a record (bpcheck.hidden.record: what the student's functions
returned on the hidden inputs, as plain data) with the oracle: type, dtype, shape,
values, then the diagnosis and likely cause. The kernel never sees an expected
value, and nothing it prints decides a grade: ``Verdicts`` (an nbgrader
preprocessor, run after the notebook was executed and before the grades are
saved) rewrites every graded test cell's outputs so that nbgrader's own rule
scores the grader's verdict, escapes what the student's code displayed, and stores
what an instructor should look at on nbgrader's ``flagged`` field.
"""
import json

from nbformat import NotebookNode

from nbgrader.preprocessors import NbGraderPreprocessor

from . import oracle
from .cells import function_of, grade_id, is_graded_test, is_solution
from ..checks import hidden
from ..checks.judge import inputs_of, judge as judge_cases
from ..checks.hidden import RECORD_MIME
from ..checks.report import CAUSE, CheckFailure, first_cause

SAFE_MIME = ("text/plain", "image/png", "image/jpeg")
MAX_CELL_BYTES = 200_000  # of the kernel's own output kept per cell


def inputs(assignment_id):
    """The hidden inputs as a grading kernel reads them (for the instructor's own kernel)."""
    with open(oracle.inputs_path(assignment_id)) as fh:
        return json.load(fh)


def judge(assignment_id, function, data):
    """-> the success line, or raise CheckFailure with the first wrong case's message."""
    cases = oracle.load(assignment_id).get(function)
    if cases is None:
        raise ValueError(f"{assignment_id} has no hidden cases for {function!r}")
    return judge_cases(cases, function, data)


def grade_in_memory(cases, function, **fns):
    """The whole path of a hidden test cell in one process, through the same plain data:
    inputs to the recorder, its record to the judge. -> the success line, or CheckFailure."""
    inputs = json.loads(json.dumps(inputs_of(cases[function])))
    data = json.loads(json.dumps(hidden.record(function, fns, inputs)))
    return judge_cases(cases[function], function, data)


def records_of(cell):
    """The record outputs of a cell (display data of RECORD_MIME)."""
    return [o for o in cell.get("outputs", []) if o.get("output_type") in
            ("display_data", "execute_result") and RECORD_MIME in o.get("data", {})]


def _text_of(output):
    """What an output showed, as plain text (for stream, error and rich outputs)."""
    kind = output.get("output_type")
    if kind == "stream":
        return output.get("text", "")
    if kind == "error":
        return "\n".join(output.get("traceback") or [f"{output.get('ename')}: "
                                                    f"{output.get('evalue')}"]) + "\n"
    return str(output.get("data", {}).get("text/plain", ""))


def safe_outputs(outputs, keep_errors=True):
    """The kernel's outputs with active content removed: text, PNG and JPEG only, and at
    most MAX_CELL_BYTES of them. keep_errors=False turns errors and stderr into stdout
    text, and results into displays (the verdict, and any partial credit, is the grader's).
    """
    out, size = [], 0
    for o in outputs:
        o = _safe(o, keep_errors)
        if o is None:
            continue
        size += len(json.dumps(o))
        if size > MAX_CELL_BYTES:
            out.append(NotebookNode(output_type="stream", name="stdout",
                                    text="[... more output removed: over the size limit]\n"))
            break
        out.append(o)
    return out


def _safe(o, keep_errors):
    kind = o.get("output_type")
    if kind in ("display_data", "execute_result"):
        data = {k: v for k, v in o.get("data", {}).items() if k in SAFE_MIME}
        if not data:
            return None
        if kind == "execute_result" and keep_errors:
            return NotebookNode({**o, "data": data, "metadata": {}})
        return NotebookNode(output_type="display_data", data=data, metadata={})
    if kind == "stream" and o.get("name") == "stdout" or keep_errors and kind in ("stream",
                                                                                   "error"):
        return o
    return NotebookNode(output_type="stream", name="stdout", text=_text_of(o))


def _error(message):
    lines = message.splitlines() or ["✘ failed"]
    return NotebookNode(output_type="error", ename="HiddenTestFailure", evalue=lines[0],
                        traceback=[f"\x1b[31m\x1b[1m{lines[0]}\x1b[0m", *lines[1:]])


def grade_cell(assignment_id, cell):
    """Set a graded test cell's outputs to the grader's verdict; -> (verdict, [problems]).

    verdict: {"function", "passed", "cause" (the first likely cause, or None), "message"},
    kept in the notebook's metadata for the class insights.
    """
    function = function_of(grade_id(cell))
    problems = []
    records = records_of(cell)
    kernel_outputs = safe_outputs([o for o in cell.get("outputs", []) if o not in records],
                                  keep_errors=False)
    mine = [r for r in records if isinstance(r["data"][RECORD_MIME], dict)
            and r["data"][RECORD_MIME].get("function") == function]
    try:
        if not mine:
            raise CheckFailure(
                f"✘ {function}: the hidden tests did not run to the end\n"
                f"{CAUSE}an error above in this cell, a time-out, or the kernel "
                "stopped; the output above says which")
        if len(records) > 1:
            problems.append(f"{grade_id(cell)}: {len(records)} records in one cell "
                            "(student code displayed a record): graded as failed")
            raise CheckFailure(f"✘ {function}: the hidden tests' record was tampered with")
        message = judge(assignment_id, function, mine[0]["data"][RECORD_MIME])
        output = NotebookNode(output_type="stream", name="stdout",
                              text=f"✔ {function}: {message}\n")
        verdict = {"function": function, "passed": True, "cause": None,
                   "message": output.text.strip()}
    except Exception as exc:
        if not isinstance(exc, CheckFailure):  # our bug or a broken oracle: never the batch
            problems.append(f"{grade_id(cell)}: the grader could not judge it "
                            f"({type(exc).__name__}: {exc}); grade by hand")
            exc = CheckFailure(f"✘ {function}: the grader could not judge this cell")
        output = _error(str(exc))
        verdict = {"function": function, "passed": False, "cause": first_cause(exc),
                   "message": str(exc)}
    cell.outputs = kernel_outputs + [output]
    return verdict, problems


def notes(nb):
    """What the instructor should know from the outputs: memory exhausted, active content."""
    found, active = [], 0
    for i, c in enumerate(nb.cells):
        where = grade_id(c) or f"cell {i}"
        for o in c.get("outputs", []):
            if o.get("output_type") == "error" and o.get("ename") == "MemoryError":
                found.append(f"{where} ran out of memory (the kernel's memory limit)")
            active += bool(set(o.get("data", {})) - set(SAFE_MIME) - {RECORD_MIME})
    if active:
        found.append(f"{active} output(s) with HTML or JavaScript removed")
    return found


class Verdicts(NbGraderPreprocessor):
    """The grader's verdict in every graded test cell; student output made safe."""

    def preprocess(self, nb, resources):
        assignment_id = resources["nbgrader"]["assignment"]
        problems = list(nb.metadata.get("backprop", {}).get("problems", [])) + notes(nb)
        verdicts = {}
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            if is_graded_test(cell):
                verdict, found = grade_cell(assignment_id, cell)
                verdicts[grade_id(cell)] = verdict
                problems += found
            else:
                if records_of(cell):
                    problems.append("a hidden-test record outside its test cell (ignored)")
                cell.outputs = safe_outputs([o for o in cell.get("outputs", [])
                                             if o not in records_of(cell)])
        problems += resources.get("backprop_problems", [])
        # read by Flags, the CLI and the insights
        nb.metadata["backprop"] = {"problems": problems, "verdicts": verdicts}
        return nb, resources


class Flags(NbGraderPreprocessor):
    """Review flags on nbgrader's own ``flagged`` field, the reasons as an auto comment
    (on the first answer cell), so the formgrader shows them."""

    def preprocess(self, nb, resources):
        from nbgrader.api import Gradebook
        problems = nb.metadata.get("backprop", {}).get("problems", [])
        info = resources["nbgrader"]
        with Gradebook(info["db_url"]) as gb:
            sub = gb.find_submission_notebook(info["notebook"], info["assignment"],
                                              info["student"])
            sub.flagged = bool(problems)
            answers = [grade_id(c) for c in nb.cells if is_solution(c)]
            comments = {c.name: c for c in sub.comments}
            first = next((comments[a] for a in answers if a in comments), None)
            if problems and first is not None:
                note = "Autograder review:\n- " + "\n- ".join(problems)
                first.auto_comment = ((first.auto_comment or "") + "\n\n" + note).strip()
            gb.db.commit()
        return nb, resources
