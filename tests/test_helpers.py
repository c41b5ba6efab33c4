"""The shared test helpers themselves: the CSS subset, reading text, the database URL."""

from __future__ import annotations

import pytest

from tests.helpers import css_to_xpath, database_url, error_summary, select, texts, wait_until

PAGE = """<!doctype html><html><head><title>Error: Example</title></head><body>
<div class="govuk-error-summary" data-module="govuk-error-summary"><ul>
  <li><a href="#id_when">Enter the date &ndash; in full</a></li><li>Something else</li>
</ul></div>
<dl class="govuk-summary-list"><div class="govuk-summary-list__row">
  <dt class="govuk-summary-list__key">Name</dt><dd class="govuk-summary-list__value"> Alice
  Example </dd></div></dl>
<p class="govuk-body-s other">Small</p><p class="govuk-body">Plain</p>
</body></html>"""


def test_css_classes_match_whole_class_names_only():
    assert texts(PAGE, "p.govuk-body") == ["Plain"]
    assert texts(PAGE, ".govuk-body-s.other") == ["Small"]


def test_descendant_child_and_attribute_selectors():
    assert texts(PAGE, "dl .govuk-summary-list__row > dd") == ["Alice Example"]
    assert texts(PAGE, "dl > dd") == []
    assert texts(PAGE, 'a[href^="#id_"]') == ["Enter the date – in full"]
    assert texts(PAGE, '[data-module="govuk-error-summary"] li') == [
        "Enter the date – in full",
        "Something else",
    ]
    assert select(PAGE, "//title/text()") == ["Error: Example"]


def test_the_error_summary_gives_each_items_target_and_message():
    assert error_summary(PAGE) == [("#id_when", "Enter the date – in full"), ("", "Something else")]
    assert error_summary("<p>No errors</p>") == []


def test_unsupported_css_is_refused_not_guessed():
    with pytest.raises(ValueError, match="unsupported"):
        css_to_xpath("li:first-child")


def test_the_database_url_is_built_from_the_settings():
    settings = {"USER": "me", "PASSWORD": "p@ss", "HOST": "db", "PORT": 5433, "NAME": "x"}
    assert database_url(settings) == "postgres://me:p%40ss@db:5433/x"
    assert database_url(settings, name="y") == "postgres://me:p%40ss@db:5433/y"
    assert database_url({"USER": "", "HOST": "", "PORT": "", "NAME": "x"}) == (
        "postgres://localhost/x"
    )


def test_wait_until_returns_the_first_truthy_result_and_fails_after_the_timeout():
    answers = iter([0, None, "done"])
    assert wait_until(lambda: next(answers), timeout=5, every=0) == "done"
    with pytest.raises(AssertionError, match=r"within 0\.01 s"):
        wait_until(lambda: False, timeout=0.01, every=0)
