"""The site on the real data, cycle 2, with one real paper: every cycle-2 review in the index,
every link resolving, and headless-Chromium screenshots of the index and a state page on a
narrow screen (kept under the test's tmp_path)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from uprlib.output.crosscountry import cycle_rows
from uprlib.pipeline.site import build_site_with_papers
from uprlib.site import build_site, check_links

pytestmark = pytest.mark.integration

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
NARROW = 390  # CSS pixels, a phone held upright


@pytest.fixture(scope="module")
def real_site(processed, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("site-real")
    mp = pytest.MonkeyPatch()
    mp.setenv("UPRLIB_OUTPUTS_DIR", str(tmp / "outputs"))
    result = build_site_with_papers([2], "VNM", renderer="pandoc", site_dir=tmp / "site",
                                    processed_dir=processed, progress=False)
    yield result, processed
    mp.undo()


def test_index_lists_every_cycle2_review_and_links_resolve(real_site):
    result, processed = real_site
    expected = set(cycle_rows(2, processed)["sur_iso3"])
    index = (result.output / "index.html").read_text(encoding="utf-8")
    for iso3 in expected:
        assert f'href="states/{iso3}.html"' in index, iso3
    assert result.reviews == len(expected) == len(list((result.output / "states").glob("*")))
    assert result.statuses[("VNM", 2)].state == "built"
    assert (result.output / "papers" / "VNM-cycle2" / "paper.pdf").is_file()
    assert 'href="papers/VNM-cycle2/paper.html"' in index
    assert check_links(result.output) == []


def test_a_later_site_build_links_the_paper_the_workflow_built(real_site):
    result, processed = real_site
    again = build_site([2], None, result.site_dir, renderer="pandoc", processed_dir=processed,
                       progress=False)
    assert again.statuses[("VNM", 2)].state == "built"
    assert check_links(again.output) == []


def test_screenshots_on_a_narrow_screen(real_site, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed")
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip(f"no Chromium at {CHROMIUM}: screenshots not taken")
    result, _ = real_site
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM if Path(CHROMIUM).exists()
                                    else shutil.which("chromium"), args=CHROMIUM_ARGS)
        try:
            for page_path in ("index.html", "states/VNM.html"):
                page = browser.new_page(viewport={"width": NARROW, "height": 844})
                errors: list[str] = []
                requests: list[str] = []
                page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
                page.on("request", lambda r, requests=requests: requests.append(r.url))
                page.goto((result.output / page_path).as_uri())
                if page_path == "index.html":  # DataTables made the table interactive
                    page.wait_for_selector(".dt-container", timeout=15000)
                shot = tmp_path / f"{page_path.replace('/', '_')}-{NARROW}px.png"
                page.screenshot(path=str(shot), full_page=True)
                assert shot.stat().st_size > 10_000
                assert not errors, errors
                remote = [u for u in requests if u.split(":")[0] in ("http", "https")]
                assert not remote, remote
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= NARROW, f"{page_path} is {width}px wide at {NARROW}px"
                page.close()
        finally:
            browser.close()
