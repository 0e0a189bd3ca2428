"""The served site in a real headless browser (Debian's chromium through chromedriver, driven by
selenium): home → unit → project → indicator → category, a named query run from its page, one
run from the YASGUI editor; charts drawn; no script blocked or failing; screenshots saved.

Screenshots go to $JIXIAO_SCREENSHOTS when set (docs/screenshots/ holds a reviewed set), else to
pytest's temporary folder for the test (printed). scripts/install-test-tools.sh installs chromium.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from test_serve_clients import SEED, started_server

pytestmark = pytest.mark.slow
CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
WAIT_SECONDS = 30


def _missing(what: str) -> None:
    message = f"{what} not found; install it with scripts/install-test-tools.sh (apt-get install chromium chromium-driver)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="module")
def site_url() -> Iterator[str]:
    for url in started_server([str(SEED)]):
        yield url.removesuffix("/sparql")


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(os.environ.get("JIXIAO_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"screenshots in {folder}")
    return folder


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if CHROMIUM is None or CHROMEDRIVER is None:
        _missing("chromium or chromedriver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM  # type: ignore[assignment]
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000", "--lang=zh-CN"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(WAIT_SECONDS)
    try:
        yield driver
    finally:
        driver.quit()


def wait_for(driver: Any, css: str) -> Any:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, WAIT_SECONDS).until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, css)))


def follow(driver: Any, css: str) -> str:
    """Click the first link matching `css` and wait for the next page's <main>."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    link = driver.find_element(By.CSS_SELECTOR, css)
    href = link.get_attribute("href")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
    link.click()
    # The old page also has a <main>: wait until it is gone before looking for the new one.
    WebDriverWait(driver, WAIT_SECONDS).until(expected_conditions.staleness_of(link))
    wait_for(driver, "main h1")
    return str(href)


def page_errors(driver: Any) -> list[str]:
    """Errors the page logged: a script that failed, or anything the CSP blocked."""
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE" and "favicon" not in entry["message"]]


def test_browse_from_home_to_a_category_and_run_queries(browser: Any, site_url: str, shots: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import Select, WebDriverWait

    browser.get(site_url + "/")
    wait_for(browser, "figure.chart svg")  # ECharts drew the budget chart
    browser.save_screenshot(str(shots / "1-home.png"))
    assert "预算单位" in browser.page_source

    follow(browser, "a[href^='/page/agency/']")
    wait_for(browser, "figure.chart svg")
    browser.save_screenshot(str(shots / "2-unit.png"))

    follow(browser, "a[href^='/page/project/']")
    assert browser.find_element(By.CSS_SELECTOR, "main h1").text
    wait_for(browser, "figure.chart svg")
    browser.save_screenshot(str(shots / "3-project.png"))
    project_url = browser.current_url

    follow(browser, "a[href*='/indicator/']")
    assert "同名指标" in browser.page_source
    browser.save_screenshot(str(shots / "4-indicator.png"))

    browser.get(project_url)
    wait_for(browser, "main h1")
    follow(browser, "a[href^='/category/']")
    assert "Spread of targets" in browser.page_source
    browser.save_screenshot(str(shots / "5-category.png"))

    # A named query from its page, with a parameter typed into its form.
    browser.get(site_url + "/queries/indicators.html")
    field = wait_for(browser, "input[name='project']")
    field.send_keys("法律服务")
    browser.find_element(By.CSS_SELECTOR, "form.params button[type='submit']").click()
    # The page without a parameter may already show a result table: wait for the new page's URL
    # first, or the old table would be read.
    WebDriverWait(browser, WAIT_SECONDS).until(expected_conditions.url_contains("project="))
    wait_for(browser, "table.result tbody tr")
    cells = [cell.text for cell in browser.find_elements(By.CSS_SELECTOR, "table.result tbody tr td:nth-child(2)")]
    assert cells and set(cells) == {"法律服务"}
    browser.save_screenshot(str(shots / "6-named-query.png"))

    # One from the SPARQL editor: YASGUI, the named query chosen from the list, run on /sparql.
    browser.get(site_url + "/sparql")
    wait_for(browser, ".yasqe .CodeMirror")
    Select(browser.find_element(By.ID, "named-queries")).select_by_value("budget-by-unit")
    # The query's text, not its name (the text may name itself or its view in a comment).
    chosen = browser.execute_script("return window.jixiaoYasgui.getTab().getQuery()")
    assert chosen.strip() != "budget-by-unit" and "SELECT" in chosen and "jx:declaredBy" in chosen
    browser.find_element(By.CSS_SELECTOR, ".yasqe_queryButton").click()
    wait_for(browser, ".yasr table tbody tr")
    assert "鄂州市人力资源和社会保障局本级" in browser.find_element(By.CSS_SELECTOR, ".yasr").text
    browser.save_screenshot(str(shots / "7-sparql-editor.png"))

    assert page_errors(browser) == []


def test_pages_are_usable_on_a_phone(browser: Any, site_url: str, shots: Path) -> None:
    from selenium.webdriver.common.by import By

    browser.set_window_size(390, 844)
    try:
        browser.get(site_url + "/")
        follow(browser, "a[href^='/page/project/']")
        wait_for(browser, "figure.chart svg")
        # Nothing wider than the screen but the tables' own scrolling boxes.
        width = browser.execute_script("return document.documentElement.scrollWidth")
        assert width <= 390 + 1, width
        assert browser.find_element(By.CSS_SELECTOR, "div.scroll table").is_displayed()
        browser.save_screenshot(str(shots / "8-project-phone.png"))
    finally:
        browser.set_window_size(1280, 1000)
