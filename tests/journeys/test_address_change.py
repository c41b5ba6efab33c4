"""Moving home, told once: the new address from the date of the move, and a bad postcode refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Fact
from journeys.models import ChangeReport

pytestmark = pytest.mark.django_db


def _post(client, data):
    return client.post("/journeys/report-a-change/address/", data)


def test_a_new_address_is_recorded_from_the_date_of_the_move(citizen_client, citizen):
    moved = timezone.localdate() - timedelta(days=5)
    form = {
        "happened_on_day": moved.day, "happened_on_month": moved.month, "happened_on_year": moved.year,
        "address_line_1": "7 Heol y Castell", "town": "Caernarfon", "postcode": "ll55 1aa",
    }  # fmt: skip
    preview = _post(citizen_client, form)
    token = preview.context["form"].data["token"]
    assert ChangeReport.objects.count() == 0

    done = _post(citizen_client, {**form, "token": token, "confirm": "yes"})

    assert done.status_code == 302
    citizen.customer.refresh_from_db()
    assert citizen.customer.postcode == "LL55 1AA"
    fact = Fact.objects.filter(customer=citizen.customer, kind="address").latest("recorded_at")
    assert fact.effective_from == moved
    assert fact.value["postcode"] == "LL55 1AA"


def test_a_bad_postcode_is_refused_with_a_linked_error_and_nothing_saved(citizen_client, citizen):
    today = timezone.localdate()
    response = _post(citizen_client, {
        "happened_on_day": today.day, "happened_on_month": today.month, "happened_on_year": today.year,
        "address_line_1": "1 Road", "town": "Leeds", "postcode": "NOT A POSTCODE",
    })  # fmt: skip

    html = response.content.decode()
    assert 'href="#id_postcode"' in html
    assert "Enter a full UK postcode" in html
    assert ChangeReport.objects.count() == 0
    assert not Fact.objects.filter(customer=citizen.customer, kind="address").exists()
