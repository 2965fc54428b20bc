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


# `make test` runs on two pytest-xdist workers. A scope runs whole on one worker: a
# notebook's cells (nbval runs them in order in one kernel), a test module, the browser
# tests (one JupyterLab), and modules sharing a costly session fixture. The longest
# scopes go first, so that none starts last.
SHARED = {"tests/pipeline/test_cli.py": "demo", "tests/pipeline/test_mutation.py": "demo",
          "tests/pipeline/test_export_canvas.py": "small-class",
          "tests/pipeline/test_postgres.py": "small-class"}
LONGEST = ["demo", "tests/pipeline/test_hostile.py", "tests/pipeline/test_watch.py",
           "tests/pipeline/test_dask.py", "browser", "tests/pipeline/test_doors.py"]


def scope_of(nodeid):
    """The scope a test runs in: its file, or a shared name."""
    path = nodeid.split("::")[0]
    return "browser" if path.startswith("tests/browser/") else SHARED.get(path, path)


def pytest_collection_modifyitems(config, items):
    import pytest

    for fixture in ("demo", "small_class"):  # made once per worker: keep their users together
        scopes = {scope_of(i.nodeid) for i in items if fixture in getattr(i, "fixturenames", ())}
        if len(scopes) > 1:
            raise pytest.UsageError(f"the tests using the session fixture {fixture!r} are in "
                                    f"several scopes {sorted(scopes)}: add them to SHARED")
    rank = {s: i for i, s in enumerate(LONGEST)}
    items.sort(key=lambda item: rank.get(scope_of(item.nodeid), len(rank)))  # stable


def pytest_xdist_make_scheduler(config, log):
    from xdist.scheduler import LoadScopeScheduling

    class Scopes(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            return scope_of(nodeid)

    config.option.loadscopereorder = False  # keep the order above
    return Scopes(config, log)
