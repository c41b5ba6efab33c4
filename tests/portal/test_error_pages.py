"""The 500 page renders whatever broke: the database, the cache, or a page's own code.

It is a page of its own (no ``base.html``, no context processors): the header's account
links and unread count need the session, the database and the cache, which may be what
failed.
"""

from __future__ import annotations

import pytest
from django.test import Client

from tests.helpers import one, select, text_of
from tests.portal.test_health import database_down

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.portal.failing_urls")]
# With the database down, the connection is closed mid-test: no test transaction around it.
database_tests = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SORRY = "Sorry, there is a problem with the service"


@pytest.fixture
def visitor():
    """A browser: a failure is a page, as the server would send it, not an exception."""
    return Client(raise_request_exception=False)


def assert_the_500_page(response) -> None:
    assert response.status_code == 500
    assert text_of(one(response, "h1")) == SORRY
    assert one(response, 'link[rel="stylesheet"]').get("href").endswith("portal.css")
    assert select(response, 'a[href="/"]')  # the way back to the start page
    assert not select(response, "#messages-badge")
    assert not select(response, "#notifications-badge")


def test_a_broken_page_shows_the_500_page(visitor, citizen):
    visitor.force_login(citizen)

    assert_the_500_page(visitor.get("/broken/"))


@database_tests
def test_the_500_page_renders_while_the_database_is_down(visitor, citizen):
    visitor.force_login(citizen)  # the session is in the database, which now fails

    with database_down():
        response = visitor.get("/your-services/")

    assert_the_500_page(response)


@database_tests
def test_the_500_page_renders_while_the_database_is_down_for_a_visitor(visitor):
    with database_down():
        response = visitor.get("/broken/")

    assert_the_500_page(response)


def test_the_500_page_renders_while_the_cache_is_down(visitor, citizen, stop_the_cache):
    visitor.force_login(citizen)
    stop_the_cache()

    assert_the_500_page(visitor.get("/broken/"))


@database_tests
def test_the_500_page_renders_with_the_database_and_the_cache_down(
    visitor, citizen, stop_the_cache
):
    visitor.force_login(citizen)
    stop_the_cache()

    with database_down():
        response = visitor.get("/notifications/")

    assert_the_500_page(response)
