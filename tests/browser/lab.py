"""Driving a JupyterLab 4 notebook page with Playwright, the way a student does.

Every wait is a wait for a condition in the page, bounded by a timeout; the
condition also ends early on what would otherwise be waited out (an error
output stops "Run All", a dialog blocks the notebook).
"""
import contextlib
import re

try:
    from playwright.sync_api import Error as PlaywrightError
except ImportError:  # collected without playwright: the tests skip (see conftest.py)
    PlaywrightError = Exception

STDERR = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
KERNEL_STATUS = '.jp-StatusBar-TextItem[title^="Change kernel"]'

# The state of the (only) open notebook, as the student sees it.
STATE_JS = """() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const text = el => (el ? el.innerText : '');
  const kernel = document.querySelector('%(kernel)s');
  const cells = panel ? [...panel.querySelectorAll('.jp-Notebook .jp-Cell')] : [];
  return {
    kernel: kernel ? kernel.textContent.trim() : '',
    dialogs: [...document.querySelectorAll('.jp-Dialog')].map(text),
    cells: cells.map(c => ({
      code: c.classList.contains('jp-CodeCell'),
      prompt: text(c.querySelector('.jp-InputArea .jp-InputPrompt')).trim(),
      output: text(c.querySelector('.jp-OutputArea')),
      errors: [...c.querySelectorAll('%(stderr)s')].map(text),
      imgs: [...c.querySelectorAll('.jp-OutputArea img')].map(
        i => ({complete: i.complete, width: i.naturalWidth, height: i.naturalHeight})),
    })),
  };
}""" % {"kernel": KERNEL_STATUS, "stderr": STDERR}

# True when the kernel named `name` is Idle, or when something must be reported now.
KERNEL_READY_JS = """([name]) => {
  const k = document.querySelector('%(kernel)s');
  return (k && k.textContent.trim() === name + ' | Idle')
      || document.querySelector('.jp-Dialog') !== null;
}""" % {"kernel": KERNEL_STATUS}

# True when every code cell that must run shows a number and the kernel is Idle,
# or as soon as an error output appears (Run All stops there) or a dialog opens.
RUN_DONE_JS = """([name, mustRun]) => {
  if (document.querySelector('%(stderr)s') || document.querySelector('.jp-Dialog')) return true;
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  if (!panel) return false;
  const cells = [...panel.querySelectorAll('.jp-Notebook .jp-Cell')];
  if (cells.length !== mustRun.length) return false;
  const numbered = cells.every((c, i) => !mustRun[i] ||
      /^\\[\\d+\\]:$/.test(
          (c.querySelector('.jp-InputArea .jp-InputPrompt') || {}).textContent || ''));
  const k = document.querySelector('%(kernel)s');
  return numbered && k !== null && k.textContent.trim() === name + ' | Idle';
}""" % {"kernel": KERNEL_STATUS, "stderr": STDERR}

IMAGES_DONE_JS = """() => [...document.querySelectorAll('.jp-NotebookPanel .jp-OutputArea img')]
  .every(i => i.complete)"""


class NotebookFailure(AssertionError):
    pass


@contextlib.contextmanager
def reporting(page, what):
    """Turn a Playwright error (a timeout, say) into a failure that shows the page."""
    try:
        yield
    except PlaywrightError as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise NotebookFailure(f"{what}: {first}\n{describe(page)}") from None


def state(page):
    return page.evaluate(STATE_JS)


def describe(page, limit=3000):
    """What the student would read: dialogs, the kernel status, every error output."""
    try:
        s = state(page)
    except PlaywrightError as exc:
        return f"(page state unavailable: {exc})"
    code = [(i, c["prompt"]) for i, c in enumerate(s["cells"]) if c["code"]]
    running = [f"cell {i} {p}" for i, p in code if "*" in p]
    numbered = [i for i, p in code if prompt_number(p) is not None]
    lines = [(f"kernel status: {s['kernel']!r}; {len(numbered)} of {len(code)} code cells "
              f"numbered (last: cell {numbered[-1] if numbered else None}); "
              f"queued or running: {', '.join(running[:5]) or 'none'}")]
    lines += [f"dialog: {d!r}" for d in s["dialogs"]]
    for i, c in enumerate(s["cells"]):
        for e in c["errors"]:
            lines.append(f"cell {i} {c['prompt']} error output:\n{e}")
    return "\n".join(lines)[:limit]


def open_notebook(page, url, kernel_name, timeout_ms=60_000):
    """Open a notebook and wait until the status bar names kernel_name and it is Idle."""
    page.goto(url)
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell", timeout=timeout_ms)
    page.wait_for_function(KERNEL_READY_JS, arg=[kernel_name], timeout=timeout_ms)
    s = state(page)
    if s["dialogs"]:
        raise NotebookFailure(f"a dialog blocks the notebook: {s['dialogs']}")


def run_all(page, kernel_name, must_run, timeout_ms=90_000):
    """Run > Run All Cells; wait until done, an error output appears, or a dialog opens.

    must_run: for each cell of the notebook, whether it must end with a number.
    -> the page state afterwards (see STATE_JS).
    """
    page.locator("#jp-MainMenu").get_by_role("menuitem", name="Run", exact=True).click()
    item = page.locator('.lm-Menu-item[data-command="runmenu:run-all"]')
    item.wait_for(state="visible")
    item.click()
    page.wait_for_function(RUN_DONE_JS, arg=[kernel_name, must_run], timeout=timeout_ms,
                           polling=250)
    page.wait_for_function(IMAGES_DONE_JS, timeout=30_000, polling=250)
    return state(page)


def prompt_number(prompt):
    found = re.fullmatch(r"\[(\d+)\]:", prompt)
    return int(found.group(1)) if found else None


SCROLLER = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer"


def screenshot_notebook(page, path, max_height=32_000):
    """A full-page screenshot with the whole notebook in it. -> its height in pixels.

    JupyterLab fits the window and scrolls the notebook inside its panel, so a plain
    full-page screenshot shows one window's worth: make the window as tall as the
    notebook's content (up to max_height), wait for the panel to grow, capture, restore.
    """
    old = page.viewport_size
    sizes = page.evaluate("""(sel) => {
      const s = document.querySelector(sel);
      return s ? {scroll: s.scrollHeight, client: s.clientHeight} : null;
    }""", SCROLLER)
    if sizes is None:  # no notebook on the page: capture what there is
        page.screenshot(path=str(path), full_page=True)
        return old["height"]
    height = min(old["height"] + sizes["scroll"] - sizes["client"] + 40, max_height)
    target = min(sizes["scroll"], sizes["client"] + height - old["height"]) - 4
    page.set_viewport_size({"width": old["width"], "height": height})
    try:
        page.wait_for_function("""([sel, target]) => {
          const s = document.querySelector(sel);
          return !s || s.clientHeight >= target;
        }""", arg=[SCROLLER, target], timeout=10_000, polling=100)
        page.evaluate("(sel) => { document.querySelector(sel).scrollTop = 0; }", SCROLLER)
        page.screenshot(path=str(path), full_page=True, timeout=60_000)
    finally:
        page.set_viewport_size(old)
    return height


def save(page, timeout_ms=30_000):
    """File > Save Notebook, and wait until the tab is no longer marked unsaved."""
    page.locator("#jp-MainMenu").get_by_role("menuitem", name="File", exact=True).click()
    item = page.locator('.lm-Menu-item[data-command="docmanager:save"]')
    item.wait_for(state="visible")
    item.click()
    page.wait_for_function(
        "() => !document.querySelector('.lm-DockPanel-tabBar .lm-TabBar-tab.jp-mod-dirty')",
        timeout=timeout_ms, polling=100)


def wait_settled(page, kernel_name, timeout_ms=30_000):
    """Wait until the kernel is Idle and no cell is queued or running ("[*]")."""
    page.wait_for_function("""([name]) => {
      const k = document.querySelector('%(kernel)s');
      const busy = [...document.querySelectorAll('.jp-NotebookPanel .jp-InputArea .jp-InputPrompt')]
        .some(p => p.textContent.includes('*'));
      return k !== null && k.textContent.trim() === name + ' | Idle' && !busy;
    }""" % {"kernel": KERNEL_STATUS}, arg=[kernel_name], timeout=timeout_ms, polling=250)
