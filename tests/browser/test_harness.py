"""The harness itself must be able to fail: otherwise a green browser run proves nothing."""

from __future__ import annotations

import pytest

from tests.browser.conftest import axe_violations, sideways_scroll


def test_axe_reports_a_wcag_violation(web):
    web.page.set_content("<html><body><main><img src='x.png'></main></body></html>")

    ids = {violation["id"] for violation in axe_violations(web.page)}

    assert {"image-alt", "html-has-lang"} <= ids


def test_a_page_wider_than_320_css_px_fails_the_check(web):
    web.page.set_viewport_size({"width": 1024, "height": 768})
    web.page.set_content(
        "<html lang='en'><head><title>Wide</title></head><body style='margin: 0'><main><h1>Wide</h1>"
        "<p style='width: 400px'>A paragraph wider than a phone.</p></main></body></html>"
    )

    assert sideways_scroll(web.page)[0] == 80
    with pytest.raises(AssertionError, match="scrolls sideways by 80px at 320 CSS px"):
        web.check()
    assert web.page.viewport_size == {"width": 1024, "height": 768}


def test_a_loaded_page_that_was_never_checked_fails_the_test(web):
    web.page.goto(web.base_url + "/accessibility/")

    with pytest.raises(AssertionError, match="never checked with axe"):
        web.assert_every_load_checked()
    web.check()  # leave the fixture's own teardown check satisfied


def test_pages_without_javascript_are_checked_as_served(web_nojs):
    page = web_nojs.visit("/accessibility/")

    assert "js-enabled" not in (page.locator("body").get_attribute("class") or "")
    assert web_nojs.checker is not None
    assert "js-enabled" not in (web_nojs.checker.locator("body").get_attribute("class") or "")
