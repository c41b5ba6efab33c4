"""After the last year whose rates are loaded, pages that need rates say so; none fails.

From 6 April after the last loaded year, ``catalogue.rates_on`` refuses the day rather than
work with another year's figures. Every page that needs an estimate or an award's figures
then answers 503 with a page that says why (the screener, tested in
tests/benefits/test_screener_hostile_input.py), and the rest keep working: a claim in payment
shows its award, its letter and the change pages without an error.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from django.utils import timezone

from tests.claim_factory import awarded_claim, draft_claim
from tests.helpers import texts
from tests.test_url_access import CITIZEN, SIMPLE

pytestmark = pytest.mark.django_db

AFTER_THE_LAST_YEAR = timezone.make_aware(datetime(2027, 5, 1, 12))


def test_every_page_of_a_citizen_with_claims_answers_without_a_server_error(
    citizen_client, citizen, caseworker, monkeypatch
):
    claim, _ = awarded_claim(citizen, caseworker)
    draft = draft_claim(citizen, "universal_credit", complete=True)
    monkeypatch.setattr(timezone, "now", lambda: AFTER_THE_LAST_YEAR)
    pages = [("/" + r.prefix) for r in SIMPLE if r.rule == CITIZEN] + [
        f"/claims/{claim.pk}/",
        f"/claims/{draft.pk}/",
        f"/claims/{draft.pk}/apply/check/",
        f"/claims/{claim.pk}/decisions/{claim.decisions.get().pk}/letter.pdf",
        "/journeys/report-a-change/earnings/",
    ]
    for page in pages:
        response = citizen_client.get(page, follow=True)

        assert response.status_code in (200, 503), (page, response.status_code)
        if response.status_code == 503:
            assert texts(response, "h1") == ["Estimates are not available at the moment"]
