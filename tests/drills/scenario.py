"""Setting up a drill's own database, run in a process pointed at it:
``manage.py shell -c "from tests.drills.scenario import person_with_a_text; person_with_a_text()"``
prints what the drill needs as one line of JSON."""

from __future__ import annotations

import json
from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.test import Client

from accounts import services as accounts_services
from notifications import services
from notifications.models import Channel, Delivery, NotificationKind
from tests.conftest import make_person
from tests.helpers import set_channels


def person_with_a_text() -> None:
    """A signed-in person (their session cookie) and a text to them whose request to a
    worker was lost two minutes ago: the sweeper's turn has come."""
    user = make_person("drill@example.org")
    accounts_services.update_contact_details(
        customer=user.customer, by=user, phone="07700 900123", address_line_1="1 High Street",
        address_line_2="", town="Cardiff", postcode="CF10 1AA",
    )  # fmt: skip
    set_channels(user, ["sms"])
    notification = services.notify(
        customer=user.customer, kind=NotificationKind.STATUS, title="Your claim has moved on"
    )
    delivery = Delivery.objects.get(notification=notification, channel=Channel.SMS)
    Delivery.objects.filter(pk=delivery.pk).update(
        created_at=F("created_at") - timedelta(minutes=2),
        next_attempt_at=F("next_attempt_at") - timedelta(minutes=2),
    )
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    print(json.dumps({"cookie_name": settings.SESSION_COOKIE_NAME, "cookie": cookie,
                      "delivery": delivery.pk}))  # fmt: skip
