"""Release: nbgrader generate_assignment, then a guard against leaks to students.

The release guard fails loudly if a student release would contain solution text,
hidden tests, an answered contract function, the reference engine (or code that
imports it), a modified copy of the checks, or oracle data.
"""
import re
from pathlib import Path

import nbformat

from . import assignments, bundle, nbg
from .cells import HIDDEN, SOLUTION

SOLUTION_RE = re.compile(f"{SOLUTION[0]}(.*?){SOLUTION[1]}", re.S)
HIDDEN_RE = re.compile(f"{HIDDEN[0]}(.*?){HIDDEN[1]}", re.S)
MARKERS = tuple(m.lstrip("# ") for m in SOLUTION + HIDDEN)
ENGINE_DIR = Path(__file__).resolve().parents[2] / "solutions"
STUB = "raise NotImplementedError()"


def release(course, ids=None, log=print):
    """Copy the checks in, generate each student release, and verify it. -> release dirs."""
    ids = ids or [a.id for a in assignments.ASSIGNMENTS]
    bundle.sync(course.source_dir, ids)
    api = nbg.api(course)
    out = []
    for assignment_id in ids:
        nbg.checked(api.generate_assignment(assignment_id, force=True), f"release {assignment_id}")
        folder = course.path("release", ".", assignment_id)
        problems = find_leaks(course.source_dir / assignment_id, folder)
        if problems:
            raise nbg.PipelineError(f"release {assignment_id} LEAKS to students:\n  "
                                    + "\n  ".join(problems))
        log(f"released {assignment_id} -> {folder}")
        out.append(folder)
    return out


def significant_lines(text):
    """Code lines worth matching: long enough, with words in them, not comments."""
    lines = set()
    for line in text.splitlines():
        line = line.strip()
        if (len(line) >= 12 and sum(c.isalpha() for c in line) >= 6 and line != STUB
                and not line.startswith(("#", '"""', "'''"))):
            lines.add(line)
    return lines


def _engine_lines():
    """Lines of the reference engine that only the engine would contain."""
    lines = set()
    for path in ENGINE_DIR.glob("*.py"):
        lines |= {l for l in significant_lines(path.read_text())
                  if not l.startswith(("import ", "from ", "return ", "def ", "@"))}
    return lines


def _secrets(source_dir, public):
    """(kind, line) of solution and hidden-test code that appears nowhere public.

    Public: the source notebook outside its solution and hidden blocks (text the
    author shows on purpose, e.g. a hint) and the shipped checks.
    """
    secrets = []
    for nb_path in source_dir.glob("*.ipynb"):
        text = "\n".join(c.source for c in nbformat.read(nb_path, as_version=4).cells)
        visible = HIDDEN_RE.sub("", SOLUTION_RE.sub("", text)) + "\n" + public
        for kind, regex in (("solution", SOLUTION_RE), ("hidden test", HIDDEN_RE)):
            for block in regex.findall(text):
                secrets += [(kind, l) for l in significant_lines(block) if l not in visible]
    return secrets


def answered_functions(code, functions):
    """Functions among ``functions`` that ``code`` defines with more than the stub."""
    found = []
    for fn in functions:
        for body in re.findall(rf"^def {fn}\(.*?(?=^\S|\Z)", code, re.M | re.S):
            body = re.sub(r'(""".*?"""|\'\'\'.*?\'\'\')', "", body, count=1, flags=re.S)
            lines = [l.strip() for l in body.splitlines()[1:]]
            if any(l and not l.startswith("#") and l != STUB for l in lines):
                found.append(fn)
    return found


def find_leaks(source_dir, release_dir):
    """Every way the release exposes solutions, hidden tests, the engine or the oracle."""
    source_dir, release_dir = Path(source_dir), Path(release_dir)
    checks = bundle.expected_files(release_dir.name)
    problems = []
    shipped = {p.name: p for p in (release_dir / bundle.PACKAGE).glob("*.py")}
    for name in sorted(set(shipped) | set(checks)):
        if name not in checks:
            problems.append(f"{bundle.PACKAGE}/{name}: not a module of grader/checks")
        elif name not in shipped:
            problems.append(f"{bundle.PACKAGE}/{name}: missing from the release")
        elif shipped[name].read_text() != checks[name]:
            problems.append(f"{bundle.PACKAGE}/{name}: differs from grader/checks")
    secrets = _secrets(source_dir, "\n".join(checks.values()))
    engine = _engine_lines()
    functions = assignments.BY_ID[release_dir.name].functions \
        if release_dir.name in assignments.BY_ID else ()
    for path in sorted(p for p in release_dir.rglob("*") if p.is_file()):
        rel = path.relative_to(release_dir)
        if "__pycache__" in rel.parts or (rel.parts[0] == bundle.PACKAGE and path.suffix == ".py"):
            continue
        if path.suffix in (".pkl", ".npz") or "oracle" in path.name:
            problems.append(f"{rel}: oracle data (hidden answers) in the release")
            continue
        try:
            text = path.read_text()
        except UnicodeDecodeError:
            continue
        if path.suffix == ".ipynb":
            cells = nbformat.reads(text, as_version=4).cells
            text = "\n".join(c.source for c in cells)
            code = "\n".join(c.source for c in cells if c.cell_type == "code")
            problems += [f"{rel}: defines {fn}() with code in it (an answer)"
                         for fn in answered_functions(code, functions)]
            if re.search(r"bpcheck\.hidden|\bgrade\(\s*['\"]", code):
                problems.append(f"{rel}: calls the hidden tests' runner outside a hidden block")
        else:
            shared = sorted(l for l in engine if l in text)
            if len(shared) >= 3:
                problems.append(f"{rel}: contains reference-engine code ({len(shared)} lines, "
                                f"e.g. {shared[0][:50]!r})")
        problems += [f"{rel}: contains the marker {m!r}" for m in MARKERS if m in text]
        problems += [f"{rel}: contains {kind} text: {line[:60]!r}"
                     for kind, line in secrets if line in text]
        if re.search(r"^\s*(from|import)\s+(solutions|grader)\b", text, re.M):
            problems.append(f"{rel}: imports the reference engine or the grader")
        if rel.parts[0] == "solutions":
            problems.append(f"{rel}: the reference engine's folder is in the release")
    return sorted(set(problems))
