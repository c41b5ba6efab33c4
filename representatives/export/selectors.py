"""Reads of a person's data exports, scoped to them: another person's export is a 404."""

from __future__ import annotations

from django.http import Http404

from accounts.models import Customer, User
from representatives.models import DataExport


def latest_export(*, customer: Customer) -> DataExport | None:
    """The person's newest export, whatever its state: one query."""
    return DataExport.objects.filter(customer=customer).order_by("-requested_at", "-pk").first()


def latest_export_of_user(*, user: User) -> DataExport | None:
    """The signed-in person's newest export, for the polled panel: one query, without
    reading their customer row first."""
    return (
        DataExport.objects.filter(customer__user_id=user.pk)
        .order_by("-requested_at", "-pk")
        .first()
    )


def get_export_for_customer(*, customer: Customer, export_id: int) -> DataExport:
    """The person's export ``export_id``; "missing" and "not yours" are the same 404."""
    export = DataExport.objects.filter(customer=customer, pk=export_id).first()
    if export is None:
        raise Http404
    return export
