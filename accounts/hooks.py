"""Where higher apps plug into accounts, so accounts never imports them.

Each app fills these in its ``AppConfig.ready()`` (where to go after signing in is a
session key instead: see ``accounts.redirects.go_after_sign_in``):

- ``ACCESS_DESCRIBERS``: for an access-log kind ("claim", "document"), a function of the
  customer and the ids looked at that returns, in one query, how each reads to the person.
- ``support_needs_changed``: sent when a caseworker changes a customer's support needs, so
  work that depends on them (the casework queue's priority) can follow.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.dispatch import Signal

if TYPE_CHECKING:
    from accounts.models import Customer

ACCESS_DESCRIBERS: dict[str, Callable[[Customer, set[int]], dict[int, str]]] = {}
support_needs_changed = Signal()  # sender: Customer; customer=the Customer
