"""The insights page in headless Chromium: it loads nothing from anywhere, runs no
script that came from a submission, and every plot is a decoded image."""
import pytest

from grader.pipeline.insights import page, stats
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.test_insights import tiny_class

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def chromium(browser_required):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                     args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def test_the_insights_page_shows_its_plots_and_runs_no_submitted_script(chromium, tmp_path):
    subs = tiny_class()
    path = tmp_path / "index.html"
    path.write_text(page.page(subs, stats.functions(subs), stats.items(subs), {}))
    tab = chromium.new_page(viewport={"width": 1200, "height": 900})
    requests, dialogs, errors = [], [], []
    tab.on("request", lambda r: requests.append(r.url))
    tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.goto(path.as_uri())
    tab.wait_for_load_state("load")
    images = tab.evaluate("[...document.images].map(i => [i.complete, i.naturalWidth, "
                          "i.naturalHeight, i.src.slice(0, 22)])")
    assert len(images) == 3, images  # score histogram, cause bars, item scatter
    assert all(done and w > 200 and h > 100 and src == "data:image/png;base64,"
               for done, w, h, src in images), images
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
    assert dialogs == [] and errors == []
    assert tab.evaluate("document.scripts.length") == 0
    assert tab.locator("h2", has_text="01-neuron").count() == 1
    tab.locator("summary").first.click()  # an example message, shown as text
    assert "<script>alert(1)</script>" in tab.locator("details pre").first.inner_text()
    tab.close()
