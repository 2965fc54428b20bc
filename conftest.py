"""Session set-up shared by the tests and the notebooks that nbval collects.

Before anything runs: copy the student-facing checks into every assignment
(course/source/<id>/bpcheck/) and build the hidden tests' oracle into its cache
(once per version of its sources), so the kernels find both.
"""
from pathlib import Path

ROOT = Path(__file__).resolve().parent


def pytest_configure(config):
    from grader.pipeline import bundle, oracle

    bundle.sync(ROOT / "course" / "source")
    oracle.write()
