"""The 360° page's representatives, consents and correction requests: the person's own,
open corrections first with a way to act on them, in queries that do not grow with rows."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from representatives import corrections
from representatives.consents import (
    CHECK_WITH_AGENCIES,
    REPRESENTATIVES,
    RESEARCH,
    Party,
    grant_consent,
    withdraw_consent,
)
from representatives.models import Organisation, Representation
from tests.claim_factory import sent_claim
from tests.conftest import sign_in_with_mfa
from tests.helpers import select

pytestmark = pytest.mark.django_db


@pytest.fixture
def casey(client, caseworker):
    sign_in_with_mfa(client, caseworker)
    return client


def _sections(response, name: str) -> str:
    [section] = select(response, f'section[aria-labelledby="{name}"]')
    from lxml import html as lxml_html

    return lxml_html.tostring(section, encoding="unicode")


def _people(user, caseworker, *, n: int = 1) -> None:
    """``n`` of each: a representative (on one claim), a consent, a correction request."""
    claim = sent_claim(user) if not Representation.objects.filter(customer=user.customer) else None
    for i in range(n):
        rep = Representation.objects.create(
            customer=user.customer, name=f"Sam {i}", status=Representation.Status.ACTIVE,
            scopes=["see", "act"], ends_on=date(2030, 1, 31), created_by=user,
        )  # fmt: skip
        if claim is not None and i == 0:
            rep.claims.add(claim)
        grant_consent(
            customer=user.customer, purpose=REPRESENTATIVES, by=user,
            party=Party.representation(rep.pk),
        )  # fmt: skip
        asked = corrections.request_correction(
            customer=user.customer, by=user, subject="name", what_is_wrong=f"Wrong {i}",
            should_be=f"Right {i}",
        )  # fmt: skip
        if i % 2:
            corrections.decide_correction(
                request=asked, by=caseworker, outcome="not_changed", reason=f"Kept {i}."
            )


def test_the_360_page_shows_representatives_consents_and_corrections(
    casey, caseworker, citizen, other_citizen
):
    claim = sent_claim(citizen)
    checker = Organisation.objects.create(
        name="Leeds Welfare Rights", checked_by=caseworker, evidence="Charity 123"
    )
    sam = Representation.objects.create(
        customer=citizen.customer, name="Sam Shah", status=Representation.Status.ACTIVE,
        scopes=["see", "told"], ends_on=date(2030, 1, 31), created_by=citizen,
    )  # fmt: skip
    sam.claims.add(claim)
    Representation.objects.create(
        customer=citizen.customer, name="Adviser", kind=Representation.Kind.ORGANISATION,
        organisation=checker, status=Representation.Status.REVOKED, scopes=["talk"],
        created_by=caseworker,
    )  # fmt: skip
    Representation.objects.create(
        customer=other_citizen.customer, name="Zebedee Friend", created_by=other_citizen
    )
    grant_consent(
        customer=citizen.customer, purpose=REPRESENTATIVES, by=citizen,
        party=Party.representation(sam.pk),
    )  # fmt: skip
    grant_consent(customer=citizen.customer, purpose=RESEARCH, by=citizen)
    withdraw_consent(customer=citizen.customer, purpose=RESEARCH, by=citizen)
    grant_consent(customer=citizen.customer, purpose=CHECK_WITH_AGENCIES, by=None)
    decided = corrections.request_correction(
        customer=citizen.customer, by=citizen, subject="name", what_is_wrong="Old spelling",
        should_be="Priya",
    )  # fmt: skip
    corrections.decide_correction(
        request=decided, by=caseworker, outcome="not_changed", reason="Passport says Pria."
    )
    waiting = corrections.request_correction(
        customer=citizen.customer, by=citizen, subject="phone", what_is_wrong="Not mine",
        should_be="07700 900123",
    )  # fmt: skip

    response = casey.get(f"/admin/customers/{citizen.customer.pk}/360/")

    reps = _sections(response, "representatives")
    for text in ("Sam Shah", "See my claims and letters", claim.reference, "2030-01-31",
                 "Active", "Leeds Welfare Rights", "Stopped", "every claim"):  # fmt: skip
        assert text in reps, text
    assert "Zebedee" not in response.content.decode()
    consents = _sections(response, "consents")
    assert "Share with my representatives as I choose: Sam Shah" in consents
    assert "withdrawn" in consents
    assert "told (not consent)" in consents
    fixes = _sections(response, "corrections")
    assert fixes.index("Not mine") < fixes.index("Old spelling")  # open first
    change = f"/admin/representatives/correctionrequest/{waiting.pk}/change/"
    assert change in fixes
    assert "open: decide" in fixes
    assert "Passport says Pria." in fixes


def test_the_360_page_runs_the_same_queries_with_1_or_20_of_each(
    casey, caseworker, citizen, django_assert_max_num_queries
):
    url = f"/admin/customers/{citizen.customer.pk}/360/"
    _people(citizen, caseworker, n=1)
    casey.get(url)
    with CaptureQueriesContext(connection) as few:
        assert casey.get(url).status_code == 200
    _people(citizen, caseworker, n=20)

    with django_assert_max_num_queries(len(few.captured_queries)):
        assert casey.get(url).status_code == 200
