"""Where higher apps plug into accounts, so accounts never imports them.

Each app fills these in its ``AppConfig.ready()`` (where to go after signing in is a
session key instead: see ``accounts.redirects.go_after_sign_in``):

- ``ACCESS_DESCRIBERS``: for an access-log kind ("claim", "document"), a function of the
  customer and the ids looked at that returns, in one query, how each reads to the person.
- ``support_needs_changed``: sent when a caseworker changes a customer's support needs, so
  work that depends on them (the casework queue's priority) can follow.
- the mail outbox (``set_mail_outbox``): where the account adapter hands every email it
  renders, to be sent by a worker after the request. notifications registers its outbox;
  with none registered, sending an account email fails loudly rather than talk to the mail
  server during a request (see ``accounts.adapters.AccountAdapter.send_mail``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured
from django.dispatch import Signal

if TYPE_CHECKING:
    from django.core.mail import EmailMessage

    from accounts.models import Customer

ACCESS_DESCRIBERS: dict[str, Callable[[Customer, set[int]], dict[int, str]]] = {}
support_needs_changed = Signal()  # sender: Customer; customer=the Customer

_MAIL_OUTBOX: list[Callable[[EmailMessage], object]] = []


def set_mail_outbox(queue: Callable[[EmailMessage], object]) -> None:
    _MAIL_OUTBOX[:] = [queue]


def queue_mail(message: EmailMessage) -> None:
    """Hand a rendered email to the outbox, to be sent after the request."""
    if not _MAIL_OUTBOX:
        raise ImproperlyConfigured("No outbox for account emails: notifications registers it")
    _MAIL_OUTBOX[0](message)
