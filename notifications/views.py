"""The person's notifications, their preferences, and the header's unread badge."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import condition, require_GET

from accounts import versions
from accounts.acting import Scope, representable
from accounts.activity import passive
from accounts.phone import is_uk_mobile
from accounts.selectors import get_customer_for_request
from notifications import selectors, services
from notifications.forms import PreferencesForm
from notifications.models import NotificationKind


@representable(Scope.SEE)
@never_cache
@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    customer = get_customer_for_request(request)
    if request.method == "POST":
        count = services.mark_read(customer=customer)
        messages.success(
            request,
            _("All your notifications are marked as read.")
            if count
            else _("You have no unread notifications."),
        )
        return redirect("notifications:inbox")
    page = Paginator(selectors.for_customer(customer=customer), 20).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/inbox.html", {"page": page})


@representable(Scope.SEE)
@login_required
def open_notification(request: HttpRequest, notification_id: int) -> HttpResponse:
    customer = get_customer_for_request(request)
    notification = selectors.get_for_customer(customer=customer, notification_id=notification_id)
    services.mark_read(customer=customer, ids=[notification.pk])
    link = notification.link
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return redirect(link)
    return redirect("notifications:inbox")


@never_cache
@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    customer = get_customer_for_request(request)
    saved = selectors.preferences_for(customer=customer)
    initial = {
        kind: services.channels_for(customer, kind, saved) for kind in NotificationKind.values
    }
    if saved is not None:
        initial |= {"quiet_from": saved.quiet_from, "quiet_until": saved.quiet_until}
    form = PreferencesForm(
        request.POST if request.method == "POST" else None, initial=initial, phone=customer.phone
    )
    if request.method == "POST" and form.is_valid():
        services.save_preferences(
            customer=customer,
            channels={kind: form.cleaned_data[kind] for kind in NotificationKind.values},
            quiet_from=form.cleaned_data["quiet_from"], quiet_until=form.cleaned_data["quiet_until"],
        )  # fmt: skip
        messages.success(request, _("Your choices have been saved."))
        return redirect("notifications:preferences")
    return render(
        request, "notifications/preferences.html",
        {"form": form, "customer": customer, "no_email": not customer.email,
         "no_phone": not is_uk_mobile(customer.phone)},
    )  # fmt: skip


def badge_etag(request: HttpRequest) -> str | None:
    """The tag of the header's "Notifications" link: the person's version (a notification
    arriving or being read bumps it) and the language."""
    return versions.etag_for(request, "messages-badge")


@representable(Scope.SEE)
@passive  # polled by every page
@require_GET
@never_cache
@login_required
@condition(etag_func=badge_etag)
def badge(request: HttpRequest) -> HttpResponse:
    """The header's "Notifications" link with its unread count: a 304 with no body, decided
    from the tag alone, when it has not changed."""
    customer = get_customer_for_request(request)
    count = selectors.unread_count(customer=customer)
    return render(
        request, "notifications/_badge.html",
        {"unread_messages": count, "badge_etag": badge_etag(request)},
    )  # fmt: skip
