"""Fixtures for the browser tests: one student JupyterLab and one Chromium per module.

Skips when playwright or Chromium is missing, unless REQUIRE_BROWSER=1 (then fails).
"""
import os
import shutil
import sys
import time
import warnings
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.browser import lab, student_env

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHROMIUM = os.environ.get("CHROMIUM_EXECUTABLE", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
BUDGET_S = 180   # the whole browser run, server and browser start included


def _missing():
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package playwright is not installed (pip install playwright)"
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return (f"no Chromium at {CHROMIUM} (apt-get install chromium, or set "
                f"CHROMIUM_EXECUTABLE)")
    if shutil.which("jupyter-lab", path=str(Path(sys.executable).parent)) is None:
        return "jupyter-lab is not installed next to this Python"
    return None


@pytest.fixture(scope="module")
def browser_required():
    reason = _missing()
    if reason:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {reason}", pytrace=False)
        pytest.skip(reason)


@pytest.fixture(scope="module")
def stopwatch():
    """Times the module, set-up to tear-down, against the three-minute budget."""
    start = time.monotonic()
    yield start
    took = time.monotonic() - start
    print(f"\n[browser] whole JupyterLab run: {took:.1f} s (budget {BUDGET_S} s)")
    if took > BUDGET_S:
        warnings.warn(f"the browser tests took {took:.0f} s, over the {BUDGET_S} s budget")


@pytest.fixture(scope="module")
def student(browser_required, stopwatch, tmp_path_factory):
    """The release, a kernel without the engine, and one JupyterLab serving a copy.

    -> a namespace: lab (JupyterLab), paths {id: path}, untouched (path), solved {id: nb},
       serve (folder).
    """
    root = tmp_path_factory.mktemp("student")
    serve, paths, untouched, solved = student_env.build_release(root)
    python, kernels = student_env.student_kernel(root)
    # before the browser: the kernel's Python, in a notebook's folder, has bpcheck
    # and not the engine (the notebooks check it again, inside the browser run)
    student_env.check_kernel_python(python, serve / Path(untouched).parent)
    lab = student_env.JupyterLab(root / "lab", serve, kernels, python)
    lab.start()
    try:
        yield SimpleNamespace(lab=lab, paths=paths, untouched=untouched, solved=solved,
                              serve=serve)
    finally:
        lab.stop()


@pytest.fixture(scope="module")
def browser(student, tmp_path_factory):
    """One headless Chromium (fresh profile) for the module."""
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            user_data_dir=str(profile), executable_path=CHROMIUM, headless=True,
            args=CHROMIUM_ARGS, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(30_000)
        try:
            yield context
        finally:
            context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.browser_failed = report.failed
    return report


@pytest.fixture
def page(browser, student, request):
    """A new tab; on failure a screenshot tests/artifacts/jupyterlab-<test>-FAILED.png.

    Each test's kernels are shut down afterwards, so they never pile up.
    """
    page = browser.new_page()
    messages = []
    page.on("pageerror", lambda exc: messages.append(f"page error: {exc}"))
    page.browser_messages = messages
    yield page
    if getattr(request.node, "browser_failed", False):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = request.node.name.replace("[", "-").replace("]", "").replace("/", "_")
        shot = ARTIFACTS / f"jupyterlab-{name}-FAILED.png"
        try:
            lab.screenshot_notebook(page, shot)      # the whole notebook, if one is open
        except Exception:
            try:
                page.screenshot(path=str(shot), full_page=True)
            except Exception as exc:  # the report already says what failed
                print(f"[browser] no failure screenshot: {exc}")
        print(f"[browser] failure screenshot: {shot}")
    page.close()
    student.lab.shutdown_kernels()
