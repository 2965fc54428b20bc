"""What the instructor should know about a submission before and after it is graded.

``inspect`` reads a submitted folder: a missing, renamed or unreadable notebook
(``backprop-course autograde`` only: plain nbgrader skips such a folder). ``Inspect``
is an nbgrader preprocessor of the sanitising step, so every door runs it: deleted or
edited test/read-only cells, an edited copy of the checks, and code to review (a
static scan). Nothing here changes a score: the sandbox and the grader's verdicts do
not depend on it.
"""
import hashlib
import re
from pathlib import Path

import nbformat
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import NbGraderPreprocessor

from . import assignments, bundle
from .cells import grade_id, is_locked, is_solution

SUSPICIOUS = [  # (regex over the student's code, what the instructor is told)
    (r"^\s*(from|import)\s+(solutions|grader)\b|import_module\(\s*['\"](solutions|grader)",
     "imports the reference engine or the grader"),
    (r"\b(np|numpy)(\.\w+)*\.\w+\s*=[^=]", "assigns to a numpy attribute (monkeypatching)"),
    (r"\bbpcheck(\.\w+)*\.\w+\s*=[^=]|\bcheck_\w+\s*=[^=]", "replaces a check function"),
    (r"\bsetattr\s*\(|__builtins__|\bbuiltins\.", "changes attributes or builtins"),
    (r"\bsys\.modules\b|\bimportlib\b|\breload\s*\(", "manipulates imported modules"),
    (r"\bos\._exit\b|\bos\.kill\b|\bos\.abort\b|\bsys\.exit\b", "tries to end the kernel"),
    (r"\bsubprocess\b|\bos\.system\b|\bos\.popen\b", "starts processes"),
    (r"\bctypes\b|\bgc\.get_\w+|__code__|__defaults__|__closure__|\baddaudithook\b|"
     r"_getframe|\bsettrace\b|\bsetprofile\b|\bf_locals\b|\bf_back\b|\bf_globals\b",
     "uses interpreter internals"),
    (r"\bbpcheck\b", "imports the checks' internals"),
    (r"vnd\.backprop|RECORD_MIME|\bIPython\.display\b.*\bdisplay\b\s*\(.*raw",
     "displays raw data (a forged hidden-test record?)"),
    (r"BACKPROP_|\boracle\b|\bpickle\b|\bopen\s*\(", "reads files or grading data"),
]


def digest(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def inspect(course, student, assignment_id):
    """-> (notebook path to grade or None, [problems]) for one submitted folder."""
    a = assignments.get(assignment_id)
    folder = course.path("submitted", student, assignment_id)
    expected = folder / a.notebook
    problems = []
    if not expected.exists():
        others = sorted(folder.glob("*.ipynb"))
        if len(others) != 1:
            return None, [f"no notebook {a.notebook} in the submission"
                          + (f" (found {[p.name for p in others]})" if others else "")]
        expected.write_bytes(others[0].read_bytes())
        problems.append(f"renamed notebook {others[0].name!r}: graded as {a.notebook}")
    try:
        nbformat.read(expected, as_version=4)
    except Exception as exc:  # corrupt JSON, not a notebook, ...
        return None, [f"unreadable notebook ({type(exc).__name__}): not graded"]
    return expected, problems


class Inspect(NbGraderPreprocessor):
    """Before nbgrader restores anything: what the student changed that they should not
    have, and code to review. Stored in the notebook's metadata for the Verdicts step."""

    def preprocess(self, nb, resources):
        refuse_links(Path(resources["metadata"]["path"]))
        where = CourseDirectory(config=self.config)
        a = resources["nbgrader"]["assignment"]
        name = resources["unique_key"] + ".ipynb"
        release = Path(where.format_path(where.release_directory, ".", a)) / name
        ours = Path(where.format_path(where.source_directory, ".", a)) / bundle.PACKAGE
        theirs = Path(resources["metadata"]["path"]) / bundle.PACKAGE
        problems = (_metadata_restored(release, nb) + _cell_changes(release, nb)
                    + _checks_edited(ours, theirs) + suspicious_code(nb))
        nb.metadata["backprop"] = {"problems": problems}  # whatever the student put there goes
        return nb, resources


class SymlinkInSubmission(RuntimeError):
    """A submitted folder holds a symbolic link: nbgrader would copy what it points to."""


def refuse_links(folder):
    """Raise SymlinkInSubmission if the folder or anything in it is a symbolic link (it
    could point at the sources, the oracle or another student's work)."""
    links = [p for p in [folder, *folder.rglob("*")] if p.is_symlink()]
    if links:
        names = ", ".join(str(p.relative_to(folder.parent)) for p in links[:3])
        raise SymlinkInSubmission(f"symbolic link in the submission, not graded: {names}")


def _metadata_restored(release, nb):
    """Put back the nbgrader metadata of the release (points, grade and lock flags); a cell
    the release does not have loses any claim to be graded. -> [problems]"""
    if not release.exists():
        return []
    known = {c.metadata.nbgrader["grade_id"]: c.metadata.nbgrader
             for c in nbformat.read(release, as_version=4).cells if "nbgrader" in c.metadata}
    problems = []
    for i, c in enumerate(nb.cells):
        meta = c.metadata.get("nbgrader")
        if meta is None:
            continue
        gid = meta.get("grade_id")
        if gid in known and dict(meta) != dict(known[gid]):
            c.metadata["nbgrader"] = nbformat.from_dict(dict(known[gid]))
            problems.append(f"cell {gid!r}: nbgrader metadata was edited (restored)")
        elif gid not in known:
            del c.metadata["nbgrader"]
            problems.append(f"cell {i}: nbgrader metadata the release does not have (removed)")
    return problems


def _cell_changes(release, nb):
    """Read-only and test cells of the release that the submission deleted or edited."""
    if not release.exists():
        return []
    submitted = {grade_id(c): c for c in nb.cells}
    problems = []
    released = nbformat.read(release, as_version=4).cells
    answers = [c for c in released if is_solution(c)]
    untouched = [c for c in answers if grade_id(c) in submitted
                 and submitted[grade_id(c)].source.strip() == c.source.strip()]
    if untouched:
        problems.append(f"{len(untouched)} of {len(answers)} answer cells left as released")
    for cell in released:
        if not is_locked(cell):
            continue
        gid = grade_id(cell)
        if gid not in submitted:
            problems.append(f"cell {gid!r} was deleted (nbgrader put it back)")
        elif submitted[gid].source.strip() != cell.source.strip():
            problems.append(f"cell {gid!r} was edited (nbgrader restored it)")
    return problems


def _checks_edited(ours, theirs):
    problems = []
    for path in sorted(ours.glob("*.py")):
        other = theirs / path.name
        if other.exists() and digest(other) != digest(path):
            problems.append(f"{bundle.PACKAGE}/{path.name} was edited "
                            "(replaced by the instructor's copy for grading)")
    return problems


def suspicious_code(nb):
    """Flags for review from the code the student wrote (answer cells and added cells)."""
    flags = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or is_locked(cell):
            continue
        where = grade_id(cell) or f"added cell {i}"
        code = "\n".join(l.split("#")[0] for l in cell.source.splitlines())
        for pattern, what in SUSPICIOUS:
            if re.search(pattern, code, re.M):
                flags.append(f"review: {what} (cell {where!r})")
    return flags
