"""Resolving uncertain deliveries: a worker died between handing a message to the provider
and recording the answer, so nobody knows whether the person got it.

``manage.py outbox_resolve`` and the admin's actions ask the provider where it keeps a
record (texts: by our reference), record as sent what it has, send again what it never
received, and leave what cannot be checked (email) uncertain unless a person chooses to
send it again anyway (``--resend-unchecked``): the message is always in the person's inbox
in the portal, so a second email is the worse mistake to make without looking.
"""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemEmailBackend
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.services import create_customer
from notifications import services, sms
from notifications.models import Channel, Delivery, DeliveryStatus, NotificationKind
from tests.helpers import purge_celery_queue, reload

pytestmark = pytest.mark.django_db
MOBILE = "07700 900123"


# --- Providers whose worker dies before it hears back ---------------------------------------------


class DiesAfterHandingOverSms(sms.LocmemBackend):
    """The provider accepts the text; the worker dies before it hears back."""

    def send(self, *, to: str, body: str, reference: str) -> str:
        super().send(to=to, body=body, reference=reference)
        raise SystemExit("worker killed")


class DiesBeforeHandingOverSms(sms.LocmemBackend):
    """The worker dies while connecting: the provider never gets the text."""

    def send(self, *, to: str, body: str, reference: str) -> str:
        raise SystemExit("worker killed")


class DiesAfterSendingMail(LocmemEmailBackend):
    def send_messages(self, email_messages):
        super().send_messages(email_messages)
        raise SystemExit("worker killed")


@pytest.fixture(autouse=True)
def sms_outbox(settings):
    settings.SMS_BACKEND = "notifications.sms.LocmemBackend"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


@pytest.fixture(autouse=True)
def _no_tasks_left_behind():
    yield
    purge_celery_queue()  # resending publishes to the real broker; no worker runs here


def uncertain(settings, channel: str, dying_backend: str) -> Delivery:
    """A delivery whose worker died mid-send, after its lease ran out and the sweeper ran."""
    customer = create_customer(
        by=None, legal_given_names="Dee", legal_family_name="Example",
        email="dee@example.org", phone=MOBILE,
        contact_channels=["sms" if channel == Channel.SMS else "email"],
    )  # fmt: skip
    notification = services.notify(
        customer=customer, kind=NotificationKind.STATUS, title="Your claim has moved on"
    )
    delivery = Delivery.objects.get(notification=notification, channel=channel)
    if channel == Channel.SMS:
        settings.SMS_BACKEND = f"{__name__}.{dying_backend}"
    else:
        settings.MAILERS = {"default": {"BACKEND": f"{__name__}.{dying_backend}"}}
    with pytest.raises(SystemExit):
        services.deliver(delivery.pk)
    settings.SMS_BACKEND = "notifications.sms.LocmemBackend"
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    services.sweep(now=timezone.now() + services.LEASE + timedelta(seconds=1))
    delivery = reload(delivery)
    assert delivery.status == DeliveryStatus.UNCERTAIN
    return delivery


def outcomes(report) -> dict[int, str]:
    return {item.delivery_id: item.outcome for item in report}


# --- The service ----------------------------------------------------------------------------------


def test_a_text_the_provider_has_is_recorded_as_sent_and_not_sent_again(settings, operator):
    delivery = uncertain(settings, Channel.SMS, "DiesAfterHandingOverSms")
    [handed_over] = sms.outbox

    report = services.resolve_uncertain(by=operator)

    assert outcomes(report) == {delivery.pk: services.Resolved.DELIVERED}
    delivery = reload(delivery)
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.provider_id == handed_over.id
    assert delivery.attempts == 1
    assert "operator@example.org" in delivery.last_error
    assert services.deliver(delivery.pk) == DeliveryStatus.SENT
    assert len(sms.outbox) == 1


def test_a_text_the_provider_never_received_is_sent_again_once(settings, operator):
    delivery = uncertain(settings, Channel.SMS, "DiesBeforeHandingOverSms")
    assert sms.outbox == []

    report = services.resolve_uncertain(by=operator)

    assert outcomes(report) == {delivery.pk: services.Resolved.RESENT}
    assert reload(delivery).status == DeliveryStatus.PENDING
    assert services.deliver(delivery.pk) == DeliveryStatus.SENT  # as the worker will
    assert services.deliver(delivery.pk) == DeliveryStatus.SENT
    assert [m.reference for m in sms.outbox] == [f"delivery-{delivery.pk}"]


def test_an_email_cannot_be_checked_so_it_stays_uncertain_and_says_why(settings, operator):
    delivery = uncertain(settings, Channel.EMAIL, "DiesAfterSendingMail")
    mail.outbox.clear()

    report = services.resolve_uncertain(by=operator)

    assert outcomes(report) == {delivery.pk: services.Resolved.UNCHECKED}
    delivery = reload(delivery)
    assert delivery.status == DeliveryStatus.UNCERTAIN
    assert "could not be checked" in delivery.last_error
    assert mail.outbox == []


def test_an_email_is_sent_again_without_a_check_only_when_a_person_chooses_to(settings, operator):
    delivery = uncertain(settings, Channel.EMAIL, "DiesAfterSendingMail")
    mail.outbox.clear()

    report = services.resolve_uncertain(by=operator, resend_unchecked=True)

    assert outcomes(report) == {delivery.pk: services.Resolved.RESENT}
    assert "without a check" in reload(delivery).last_error
    assert services.deliver(delivery.pk) == DeliveryStatus.SENT
    assert len(mail.outbox) == 1


def test_resolving_twice_changes_nothing_the_second_time(settings, operator):
    sent = uncertain(settings, Channel.SMS, "DiesAfterHandingOverSms")
    lost = uncertain(settings, Channel.SMS, "DiesBeforeHandingOverSms")

    first = services.resolve_uncertain(by=operator)
    second = services.resolve_uncertain(by=operator)

    assert outcomes(first) == {
        sent.pk: services.Resolved.DELIVERED,
        lost.pk: services.Resolved.RESENT,
    }
    assert second == []
    assert reload(lost).attempts == 1  # queued once, not sent yet


def test_a_delivery_resolved_meanwhile_is_left_as_it_is(settings, operator):
    delivery = uncertain(settings, Channel.SMS, "DiesBeforeHandingOverSms")
    rows = list(Delivery.objects.filter(pk=delivery.pk))
    services.resolve_uncertain(by=operator)  # another operator got there first

    report = services.resolve_uncertain(by=operator, deliveries=rows)

    assert outcomes(report) == {delivery.pk: services.Resolved.CHANGED}
    assert reload(delivery).status == DeliveryStatus.PENDING


def test_a_dry_run_says_what_it_would_do_and_changes_nothing(settings, operator):
    sent = uncertain(settings, Channel.SMS, "DiesAfterHandingOverSms")
    lost = uncertain(settings, Channel.SMS, "DiesBeforeHandingOverSms")

    report = services.resolve_uncertain(by=operator, dry_run=True)

    assert outcomes(report) == {
        sent.pk: services.Resolved.DELIVERED,
        lost.pk: services.Resolved.RESENT,
    }
    assert {reload(sent).status, reload(lost).status} == {DeliveryStatus.UNCERTAIN}


# --- The command ---------------------------------------------------------------------------------


def test_the_command_reports_each_delivery_and_a_summary(settings):
    sent = uncertain(settings, Channel.SMS, "DiesAfterHandingOverSms")
    lost = uncertain(settings, Channel.SMS, "DiesBeforeHandingOverSms")
    email = uncertain(settings, Channel.EMAIL, "DiesAfterSendingMail")
    out = StringIO()

    call_command("outbox_resolve", stdout=out)

    lines = out.getvalue().splitlines()
    assert any(f"delivery {sent.pk} (sms)" in line and "delivered" in line for line in lines)
    assert any(f"delivery {lost.pk} (sms)" in line and "resent" in line for line in lines)
    assert any(
        f"delivery {email.pk} (email)" in line and "left uncertain" in line for line in lines
    )
    assert lines[-1] == "Checked and delivered: 1, resent: 1, left uncertain: 1"
    assert reload(email).status == DeliveryStatus.UNCERTAIN


def test_the_command_dry_run_changes_nothing(settings):
    lost = uncertain(settings, Channel.SMS, "DiesBeforeHandingOverSms")
    out = StringIO()

    call_command("outbox_resolve", "--dry-run", stdout=out)

    assert "Dry run" in out.getvalue()
    assert "would be resent" in out.getvalue()
    assert reload(lost).status == DeliveryStatus.UNCERTAIN


def test_the_command_resends_unchecked_email_only_when_told_to(settings):
    email = uncertain(settings, Channel.EMAIL, "DiesAfterSendingMail")
    out = StringIO()

    call_command("outbox_resolve", "--resend-unchecked", stdout=out)

    assert reload(email).status == DeliveryStatus.PENDING
    assert (
        out.getvalue().splitlines()[-1] == "Checked and delivered: 0, resent: 1, left uncertain: 0"
    )


def test_the_command_settles_only_the_deliveries_named(settings):
    first = uncertain(settings, Channel.EMAIL, "DiesAfterSendingMail")
    second = uncertain(settings, Channel.EMAIL, "DiesAfterSendingMail")
    out = StringIO()

    call_command("outbox_resolve", "--resend-unchecked", "--delivery", str(second.pk), stdout=out)

    assert reload(first).status == DeliveryStatus.UNCERTAIN
    assert reload(second).status == DeliveryStatus.PENDING
    assert f"delivery {first.pk} " not in out.getvalue()


def test_the_command_with_nothing_uncertain_says_so(db):
    out = StringIO()

    call_command("outbox_resolve", stdout=out)

    assert (
        out.getvalue().splitlines()[-1] == "Checked and delivered: 0, resent: 0, left uncertain: 0"
    )


def test_the_command_exits_non_zero_when_the_provider_cannot_be_asked(settings):
    uncertain(settings, Channel.SMS, "DiesBeforeHandingOverSms")
    settings.SMS_BACKEND = f"{__name__}.UnreachableProviderSms"

    with pytest.raises(CommandError, match="could not be asked"):
        call_command("outbox_resolve", stdout=StringIO())


class UnreachableProviderSms(sms.LocmemBackend):
    def find(self, *, reference: str) -> str | None:
        raise sms.TemporaryFailure("Provider answered 503")


# --- The admin --------------------------------------------------------------------------------------

CHANGELIST = "/admin/notifications/delivery/"


def test_an_operator_resolves_selected_deliveries_in_the_admin(settings, operator_client):
    sent = uncertain(settings, Channel.SMS, "DiesAfterHandingOverSms")
    lost = uncertain(settings, Channel.SMS, "DiesBeforeHandingOverSms")
    email = uncertain(settings, Channel.EMAIL, "DiesAfterSendingMail")

    response = operator_client.post(
        CHANGELIST,
        {"action": "resolve_uncertain", "_selected_action": [sent.pk, lost.pk, email.pk]},
        follow=True,
    )

    assert response.status_code == 200
    text = response.content.decode()
    assert "1 recorded as sent, 1 sent again, 1 left uncertain" in text
    assert reload(sent).status == DeliveryStatus.SENT
    assert reload(lost).status == DeliveryStatus.PENDING
    assert reload(email).status == DeliveryStatus.UNCERTAIN


def test_an_operator_chooses_to_send_an_unchecked_email_again(settings, operator_client):
    email = uncertain(settings, Channel.EMAIL, "DiesAfterSendingMail")

    operator_client.post(
        CHANGELIST, {"action": "resend_unchecked", "_selected_action": [email.pk]}, follow=True
    )

    assert reload(email).status == DeliveryStatus.PENDING
    assert "operator@example.org" in reload(email).last_error


def test_a_caseworker_sees_deliveries_but_cannot_resend_them(settings, client, caseworker):
    from tests.conftest import sign_in_with_mfa

    email = uncertain(settings, Channel.EMAIL, "DiesAfterSendingMail")
    sign_in_with_mfa(client, caseworker)

    page = client.get(CHANGELIST)
    client.post(CHANGELIST, {"action": "resend_unchecked", "_selected_action": [email.pk]})

    assert page.status_code == 200
    assert "resend_unchecked" not in page.content.decode()
    assert "resolve_uncertain" not in page.content.decode()
    assert reload(email).status == DeliveryStatus.UNCERTAIN
