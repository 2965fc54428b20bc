"""A Jupyter kernel as students have it: the reference engine and the grader are absent.

The repository is installed in editable mode, so ``solutions`` would be importable;
this launcher puts a finder in front of every other that refuses them, then starts
an ordinary IPython kernel. Used by tests through a temporary kernelspec.
"""
import json
import sys
from pathlib import Path

ABSENT = ("solutions", "grader")


class _Absent:
    """Import finder: the course's private packages do not exist here."""

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ABSENT:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


def install_kernelspec(folder, name="student-python"):
    """Write <folder>/kernels/<name>/kernel.json; put <folder> on JUPYTER_PATH to use it."""
    spec = Path(folder) / "kernels" / name
    spec.mkdir(parents=True, exist_ok=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, str(Path(__file__).resolve()), "-f", "{connection_file}"],
        "display_name": "Python 3 (student)", "language": "python"}))
    return name


if __name__ == "__main__":
    sys.meta_path.insert(0, _Absent())
    from ipykernel import kernelapp
    kernelapp.launch_new_instance()
