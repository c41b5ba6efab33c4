"""Browser harness: Debian's Chromium driven by Playwright, one browser per test session.

Every page a browser test loads is checked with axe-core (bundled by axe-playwright-python,
injected with ``page.evaluate`` so it works offline and under the CSP), and for reflow: at
320 CSS px wide it must not scroll sideways (WCAG 2.2 1.4.10, which axe cannot see). A test
fails on any WCAG 2.x A/AA violation, and also fails if it loaded a page that it never
checked: use ``visit(path)`` to navigate, or call ``check()`` after an action that loads a
page.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
AXE = Axe()
# WCAG 2.2 1.4.10 Reflow: content reads at 320 CSS px without scrolling in two directions.
REFLOW_WIDTH = 320
SIDEWAYS_SCROLL = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
# The innermost elements, and the text, that stick out past the right edge: what to fix.
STICKING_OUT = """() => {
  const edge = document.documentElement.clientWidth + 0.5;
  const out = (box) => box.getBoundingClientRect().right > edge;
  const found = [...document.body.querySelectorAll("*")]
    .filter((el) => out(el) && ![...el.children].some(out));
  const text = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = text.nextNode(); node; node = text.nextNode()) {
    range.selectNodeContents(node);
    if (out(range) && !found.includes(node.parentElement)) found.push(node.parentElement);
  }
  return found.slice(0, 5).map((el) => {
    const words = el.textContent.replace(/\\s+/g, " ").trim().slice(0, 60);
    return `<${el.tagName.toLowerCase()} class="${el.getAttribute("class") || ""}"> ${words}`;
  });
}"""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = shutil.which(CHROMIUM) or CHROMIUM
    if not os.path.exists(executable):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: apt-get install -y chromium "
            "(or set CHROMIUM=/path/to/chromium). Browser tests are never skipped."
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def axe_violations(page: Page) -> list[dict]:
    results = AXE.run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    return results.response["violations"]


def sideways_scroll(page: Page) -> tuple[int, list[str]]:
    """How far ``page`` scrolls sideways at 320 CSS px, and what sticks out; the viewport
    is put back as it was."""
    size = page.viewport_size or {"width": 1280, "height": 720}
    page.set_viewport_size({"width": REFLOW_WIDTH, "height": size["height"]})
    try:
        over = page.evaluate(SIDEWAYS_SCROLL)
        return over, (page.evaluate(STICKING_OUT) if over else [])
    finally:
        page.set_viewport_size(size)


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.extend(
            f"    {node['target']}: {node['failureSummary']}" for node in violation["nodes"][:5]
        )
    return "\n".join(lines)


@dataclass
class CheckedPage:
    """A Playwright page whose every load must pass axe, and reflow at 320 CSS px, before
    the test ends.

    axe-core needs JavaScript. For a page with JavaScript off, ``check()`` replays the
    exact HTML that page received into a JavaScript-enabled checker page whose own
    scripts are blocked, so axe sees the page as a person without JavaScript does.
    """

    page: Page
    base_url: str
    checker: Page | None = None
    loads: list[str] = field(default_factory=list)
    checked: int = 0

    def visit(self, path: str) -> Page:
        response = self.page.goto(self.base_url + path)
        assert response is not None
        self.check()
        return self.page

    def check(self) -> None:
        self.page.wait_for_load_state("load")
        checked = self.page if self.checker is None else self._replay()
        violations = axe_violations(checked)
        assert not violations, f"Accessibility violations on {self.page.url}:\n" + describe(
            violations
        )
        over, sticking_out = sideways_scroll(checked)
        assert not over, (
            f"{self.page.url} scrolls sideways by {over}px at {REFLOW_WIDTH} CSS px "
            "(WCAG 1.4.10 Reflow). Sticking out:\n" + "\n".join(sticking_out)
        )
        self.checked = len(self.loads)

    def _replay(self) -> Page:
        assert self.checker is not None
        html, url = self.page.content(), self.page.url.split("#")[0]

        def is_document(request_url: str) -> bool:
            return request_url.split("#")[0] == url

        self.checker.route(
            is_document, lambda route: route.fulfill(body=html, content_type="text/html")
        )
        try:
            self.checker.goto(url)
        finally:
            self.checker.unroute(is_document)
        return self.checker

    def assert_every_load_checked(self) -> None:
        unchecked = self.loads[self.checked :]
        assert not unchecked, f"Pages loaded but never checked with axe: {unchecked}"


def _checked_page(browser: Browser, live_server, *, javascript: bool) -> Iterator[CheckedPage]:
    context = browser.new_context(java_script_enabled=javascript, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    checker_context = None
    checker = None
    if not javascript:
        checker_context = browser.new_context(locale="en-GB")
        checker_context.set_default_timeout(10_000)
        # The page's own scripts stay off in the checker: only axe runs there.
        checker_context.route("**/*.{js,mjs}", lambda route: route.abort())
        checker = checker_context.new_page()
    checked = CheckedPage(page=page, base_url=live_server.url, checker=checker)
    page.on("load", lambda p: p.url.startswith(live_server.url) and checked.loads.append(p.url))
    yield checked
    try:
        checked.assert_every_load_checked()
    finally:
        context.close()
        if checker_context is not None:
            checker_context.close()


@pytest.fixture
def web(
    browser, live_server, transactional_db, django_db_serialized_rollback
) -> Iterator[CheckedPage]:
    """A page with JavaScript on."""
    yield from _checked_page(browser, live_server, javascript=True)


@pytest.fixture
def web_nojs(
    browser, live_server, transactional_db, django_db_serialized_rollback
) -> Iterator[CheckedPage]:
    """A page with JavaScript off: every page must work without it."""
    yield from _checked_page(browser, live_server, javascript=False)
