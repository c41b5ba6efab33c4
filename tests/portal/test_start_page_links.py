"""Every link on the start page and on "Your services" leads somewhere, for whoever is
signed in: a caseworker has no customer record, so a citizen's page is a 404 for them and
must not be offered."""

from __future__ import annotations

import pytest

from tests.conftest import sign_in_with_mfa
from tests.helpers import select

pytestmark = pytest.mark.django_db


def our_links(response) -> list[str]:
    hrefs = select(response, "//a/@href")
    return sorted({h for h in hrefs if h.startswith("/") and not h.startswith("/static/")})


@pytest.fixture(params=["caseworker", "citizen"])
def person_client(request, client):
    person = request.getfixturevalue(request.param)
    if person.is_staff:
        sign_in_with_mfa(client, person)
    else:
        client.force_login(person)
    return client


@pytest.mark.parametrize("page", ["/", "/your-services/"])
def test_no_link_on_the_start_pages_is_a_dead_end(person_client, page):
    response = person_client.get(page)
    assert response.status_code == 200
    links = our_links(response)
    assert links

    dead = {
        href: status for href in links if (status := person_client.get(href).status_code) == 404
    }

    assert not dead, f"links on {page} that are not found: {dead}"


def test_the_start_page_takes_a_caseworker_to_the_workspace(client, caseworker):
    sign_in_with_mfa(client, caseworker)

    links = our_links(client.get("/"))

    assert "/admin/" in links
    assert "/journeys/" not in links
