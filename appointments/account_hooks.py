"""What appointments plug into accounts (see ``accounts.hooks``), registered in ``ready()``."""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.models import Customer
from appointments import words
from appointments.models import Appointment


def describe_appointments(customer: Customer, ids: set[int]) -> dict[int, str]:
    """How a staff look at an appointment reads in the person's access log: one query."""
    rows = Appointment.objects.filter(customer=customer, pk__in=ids).only("reference", "starts_at")
    return {
        a.pk: _("An appointment: %(when)s (%(reference)s)")
        % {"when": words.when(a.starts_at), "reference": a.reference}
        for a in rows
    }
