"""Sending one delivery on its channel. Raise ``PermanentFailure`` for what will never
work (no address, an invalid number); any other exception is retried with backoff."""

from __future__ import annotations

from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from notifications.models import Channel, Delivery
from notifications.sms import CannotCheck, PermanentFailure, get_backend, send_sms

__all__ = ["CannotCheck", "PermanentFailure", "find_sent", "send"]


def absolute(link: str) -> str:
    if not link or link.startswith(("http://", "https://")):
        return link
    return settings.PORTAL_BASE_URL.rstrip("/") + link


def send(delivery: Delivery) -> str:
    notification = delivery.notification
    customer = notification.customer
    with translation.override(customer.preferred_language or None):
        if delivery.channel == Channel.EMAIL:
            return _email(delivery)
        if delivery.channel == Channel.SMS:
            if not customer.phone:
                raise PermanentFailure(_("No mobile number to send a text message to."))
            text = notification.title
            if notification.link:
                text += " " + absolute(notification.link)
            return send_sms(to=customer.phone, body=text, reference=_reference(delivery))
    raise PermanentFailure(f"Channel {delivery.channel} is not sent by a worker")


def _reference(delivery: Delivery) -> str:
    """Our idempotency key for the provider: the same on every attempt."""
    return f"delivery-{delivery.pk}"


def find_sent(delivery: Delivery) -> str | None:
    """Ask the provider whether it has this delivery's message: its id if it has, None if
    it has no record of it. Raises ``CannotCheck`` where the provider cannot be asked
    (email: SMTP and the email APIs we send through keep no record we can search by our
    Message-ID), and whatever the provider raises when it could not be asked this time."""
    if delivery.channel == Channel.SMS:
        return get_backend().find(reference=_reference(delivery))
    raise CannotCheck(f"The {delivery.channel} provider cannot be asked what it has sent.")


def _email(delivery: Delivery) -> str:
    notification = delivery.notification
    customer = notification.customer
    address = customer.email or (customer.user.email if customer.user_id else "")
    if not address:
        raise PermanentFailure(_("No email address to send to."))
    context = {
        "notification": notification,
        "name": customer.display_name,
        "link": absolute(notification.link),
        "portal_name": settings.PORTAL_NAME,
        "preferences_link": absolute("/notifications/preferences/"),
    }
    message_id = make_msgid(
        idstring=f"delivery-{delivery.pk}", domain=settings.EMAIL_MESSAGE_DOMAIN
    )
    message = EmailMultiAlternatives(
        subject=notification.title,
        body=render_to_string("notifications/email/notification.txt", context),
        to=[address],
        headers={"Message-ID": message_id, "Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(
        render_to_string("notifications/email/notification.html", context), "text/html"
    )
    message.send()
    return message_id
