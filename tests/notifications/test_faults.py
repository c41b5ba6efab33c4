"""Redis down or hung, PostgreSQL up: what is committed stays committed, the person who
pressed the button gets their page, and nobody waits on the broker.

- The cache (the header's unread count) cannot be reached: telling someone something and
  marking messages read still succeed; the count is worked out from the database.
- The broker cannot be reached, or accepts connections and never answers: asking a worker
  to deliver gives up within about a second, and the rows wait for the sweeper.
"""

from __future__ import annotations

import logging

import pytest
from django.db import transaction

from notifications import services
from notifications.models import Channel, Delivery, DeliveryStatus, Notification, NotificationKind
from tests.faults import (
    DEAD_REDIS_URL,
    broker_at,
    dead_cache_settings,
    hung_server,
    within,
)
from tests.helpers import purge_celery_queue, set_channels

INBOX = "/notifications/"
# Publishing must never hold a request for more than about a second (the broker's connect
# and read timeouts are one second each; a refused connection fails at once).
PUBLISH_LIMIT = 1.5


def tell(customer, title: str = "Your claim has moved on") -> Notification:
    return services.notify(customer=customer, kind=NotificationKind.STATUS, title=title)


@pytest.fixture
def dead_cache(settings):
    dead_cache_settings(settings)


# --- The cache is down ------------------------------------------------------------------------

transactional = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@transactional
def test_telling_someone_with_the_cache_down_commits_and_raises_nothing_to_the_caller(
    citizen, dead_cache, caplog
):
    # The caller's transaction commits: the on-commit work runs.
    with caplog.at_level(logging.WARNING, logger="lib.cache"), transaction.atomic():
        notification = tell(citizen.customer)
    purge_celery_queue()

    assert Notification.objects.filter(pk=notification.pk, read_at__isnull=True).exists()
    assert Delivery.objects.filter(notification=notification, channel=Channel.EMAIL).exists()
    assert f"notifications:unread:{citizen.customer.pk}" in caplog.text  # logged as stale


@transactional
def test_marking_all_read_with_the_cache_down_answers_with_the_inbox(
    citizen, citizen_client, dead_cache
):
    with transaction.atomic():
        tell(citizen.customer, "First")
        tell(citizen.customer, "Second")
    purge_celery_queue()

    response = citizen_client.post(INBOX)

    assert response.status_code == 302
    assert response["Location"] == INBOX
    assert not Notification.objects.filter(customer=citizen.customer, read_at__isnull=True).exists()


@transactional
def test_opening_a_notification_with_the_cache_down_marks_it_read(
    citizen, citizen_client, dead_cache
):
    with transaction.atomic():
        notification = tell(citizen.customer)
    purge_celery_queue()

    response = citizen_client.get(f"/notifications/{notification.pk}/")

    assert response.status_code == 302
    assert Notification.objects.get(pk=notification.pk).read_at is not None


@pytest.mark.django_db
def test_the_unread_count_comes_from_the_database_when_the_cache_is_down(citizen, settings):
    tell(citizen.customer, "First")
    tell(citizen.customer, "Second")
    assert services.unread_count_cached(customer_id=citizen.customer.pk) == 2  # cached now
    dead_cache_settings(settings)

    services.mark_read_for_link(customer=citizen.customer, link="")
    tell(citizen.customer, "Third")

    assert services.unread_count_cached(customer_id=citizen.customer.pk) == 1


@pytest.mark.django_db
def test_forgetting_many_unread_counts_with_the_cache_down_raises_nothing(dead_cache, caplog):
    with caplog.at_level(logging.WARNING, logger="lib.cache"):
        services.forget_unread_counts([1, 2, 3])

    assert "Could not update 3 cache key(s)" in caplog.text


# --- The broker is down or hung ------------------------------------------------------------------


@pytest.mark.django_db
def test_asking_a_worker_to_deliver_with_the_broker_down_gives_up_within_a_second(caplog):
    with broker_at(DEAD_REDIS_URL):
        took = within(20, lambda: services.publish([1, 2, 3]))

    assert took < PUBLISH_LIMIT, f"publish took {took:.2f} s"
    assert "the sweeper will send them" in caplog.text


@pytest.mark.django_db
def test_asking_a_worker_to_deliver_with_a_hung_broker_gives_up_within_a_second(caplog):
    with hung_server() as url, broker_at(url):
        took = within(20, lambda: services.publish([1, 2, 3]))

    assert took < PUBLISH_LIMIT, f"publish took {took:.2f} s"
    assert "the sweeper will send them" in caplog.text


@transactional
def test_a_notification_committed_with_the_broker_down_costs_the_caller_under_a_second(citizen):
    set_channels(citizen, ["email", "sms"])

    def commit():
        with transaction.atomic():
            tell(citizen.customer)

    with broker_at(DEAD_REDIS_URL):
        took = within(20, commit)

    assert took < PUBLISH_LIMIT, f"notify and commit took {took:.2f} s"
    assert set(
        Delivery.objects.filter(notification__customer=citizen.customer).values_list(
            "status", flat=True
        )
    ) == {DeliveryStatus.PENDING}
