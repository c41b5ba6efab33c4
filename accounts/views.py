"""The person's own account pages: profile, household, security, session."""

from __future__ import annotations

from allauth.account.adapter import get_adapter
from allauth.account.decorators import reauthentication_required
from allauth.account.views import SignupView
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts import selectors, services
from accounts.access import access_log_page
from accounts.acting import Scope, representable
from accounts.activity import passive
from accounts.forms import (
    BankDetailsForm,
    ContactDetailsForm,
    HouseholdMemberForm,
    MemberLeftForm,
    PersonalDetailsForm,
    PreferencesForm,
)
from accounts.http import AuthenticatedHttpRequest
from accounts.middleware import (
    session_deadlines,
    sign_out_with_reason,
    touch,
)
from accounts.models import AccessibilityNeed, ContactChannel, normalise_nino
from accounts.reauth import after_reauthentication
from accounts.redirects import redirect_to_sign_in


@representable(Scope.SEE)
@login_required
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    customer = selectors.get_customer_for_request(request)
    context = {
        "customer": customer,
        "bank": selectors.current_bank_account(customer=customer),
        "channels": [ContactChannel(c).label for c in customer.contact_channels],
        "needs": [AccessibilityNeed(n).label for n in customer.accessibility_needs],
    }
    return render(request, "accounts/profile.html", context)


@login_required
def edit_personal_details(request: AuthenticatedHttpRequest) -> HttpResponse:
    customer = selectors.get_customer_for_request(request)
    initial = {
        "legal_given_names": customer.legal_given_names,
        "legal_family_name": customer.legal_family_name,
        "preferred_name": customer.preferred_name,
        "date_of_birth": customer.date_of_birth,
    }
    form = PersonalDetailsForm(
        request.POST if request.method == "POST" else None, initial=initial, customer=customer
    )
    if request.method == "POST" and form.is_valid():
        details = {**form.cleaned_data}
        # Empty keeps the number we hold (it is never shown in the form).
        details["ni_number"] = details["ni_number"] or customer.ni_number or ""

        def save() -> HttpResponse:
            services.update_personal_details(customer=customer, by=request.user, **details)
            messages.success(request, _("Your personal details have been updated."))
            return redirect("accounts:profile")

        if customer.ni_number and normalise_nino(details["ni_number"]) != customer.ni_number:
            # Replacing the number we hold needs the password again; allauth keeps this
            # POST and replays it once the person has given it.
            return after_reauthentication(request, save)
        return save()
    return render(
        request,
        "accounts/form_page.html",
        {"form": form, "title": _("About you"), "back": "accounts:profile"},
    )


@login_required
@reauthentication_required  # a changed phone or address could divert letters and codes
def edit_contact_details(request: AuthenticatedHttpRequest) -> HttpResponse:
    customer = selectors.get_customer_for_request(request)
    initial = {
        "phone": customer.phone,
        "address_line_1": customer.address_line_1,
        "address_line_2": customer.address_line_2,
        "town": customer.town,
        "postcode": customer.postcode,
        "effective_from": timezone.localdate(),
    }
    form = ContactDetailsForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        gets_texts=ContactChannel.SMS in customer.contact_channels,
    )
    if request.method == "POST" and form.is_valid():
        changed = services.update_contact_details(
            customer=customer, by=request.user, **form.cleaned_data
        )
        if changed:
            # Tell the person, in case it was not them: letters and codes follow these.
            get_adapter(request).send_notification_mail(
                "account/email/contact_details_changed", request.user
            )
        messages.success(request, _("Your contact details have been updated."))
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/form_page.html",
        {"form": form, "title": _("Your contact details"), "back": "accounts:profile"},
    )


@login_required
@reauthentication_required  # a changed account could divert the person's payments
def edit_bank_details(request: AuthenticatedHttpRequest) -> HttpResponse:
    customer = selectors.get_customer_for_request(request)
    current = selectors.current_bank_account(customer=customer)
    form = BankDetailsForm(
        request.POST if request.method == "POST" else None,
        initial={"account_name": current.account_name if current else ""},
    )
    if request.method == "POST" and form.is_valid():
        changed = services.record_bank_account(
            customer=customer, by=request.user, **form.cleaned_data
        )
        if changed and current is not None:
            # Tell the person, in case it was not them: their payments follow this.
            get_adapter(request).send_notification_mail(
                "account/email/bank_details_changed", request.user
            )
        messages.success(request, _("Your bank account details have been updated."))
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/form_page.html",
        {
            "form": form,
            "title": _("Your bank account"),
            "back": "accounts:profile",
            "intro": _(
                "We pay your benefits into this account. Enter the account's details in "
                "full: for your security we never show the numbers we already hold."
            ),
        },
    )


@login_required
def edit_preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    customer = selectors.get_customer_for_request(request)
    initial = {
        "preferred_language": customer.preferred_language,
        "contact_channels": customer.contact_channels,
        "accessibility_needs": customer.accessibility_needs,
        "reasonable_adjustments": customer.reasonable_adjustments,
    }
    form = PreferencesForm(
        request.POST if request.method == "POST" else None, initial=initial, phone=customer.phone
    )
    if request.method == "POST" and form.is_valid():
        services.update_preferences(customer=customer, by=request.user, **form.cleaned_data)
        messages.success(request, _("Your preferences have been updated."))
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/form_page.html",
        {"form": form, "title": _("How we contact you"), "back": "accounts:profile"},
    )


@representable(Scope.SEE)
@login_required
def household(request: AuthenticatedHttpRequest) -> HttpResponse:
    customer = selectors.get_customer_for_request(request)
    today = timezone.localdate()
    members = list(customer.household.all())
    current = [
        m for m in members if m.joined_on <= today and (m.left_on is None or m.left_on > today)
    ]
    past = [m for m in members if m not in current]
    return render(
        request, "accounts/household.html", {"customer": customer, "current": current, "past": past}
    )


@representable(Scope.ACT)
@login_required
def add_household_member(request: AuthenticatedHttpRequest) -> HttpResponse:
    customer = selectors.get_customer_for_request(request)
    form = HouseholdMemberForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        member = services.add_household_member(
            customer=customer, by=request.user, **form.cleaned_data
        )
        messages.success(
            request, _("%(name)s has been added to your household.") % {"name": member.name}
        )
        return redirect("accounts:household")
    return render(
        request,
        "accounts/form_page.html",
        {"form": form, "title": _("Add someone who lives with you"), "back": "accounts:household"},
    )


@representable(Scope.ACT)
@login_required
def household_member_left(request: AuthenticatedHttpRequest, member_id: int) -> HttpResponse:
    customer = selectors.get_customer_for_request(request)
    member = selectors.get_household_member_for_customer(customer=customer, member_id=member_id)
    form = MemberLeftForm(
        request.POST if request.method == "POST" else None, joined_on=member.joined_on
    )
    if request.method == "POST" and form.is_valid():
        services.record_member_left(
            member=member, by=request.user, left_on=form.cleaned_data["left_on"]
        )
        messages.success(
            request, _("We have recorded that %(name)s moved out.") % {"name": member.name}
        )
        return redirect("accounts:household")
    return render(
        request,
        "accounts/form_page.html",
        {
            "form": form,
            "title": _("%(name)s no longer lives with you") % {"name": member.name},
            "back": "accounts:household",
        },
    )


@login_required
def access_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Who has looked at the person's record: when, their role, and what they opened."""
    customer = selectors.get_customer_for_request(request)
    page = access_log_page(
        customer=customer,
        page=request.GET.get("page"),
        show_staff=settings.ACCESS_LOG_SHOW_STAFF_NAMES,
    )
    return render(request, "accounts/access_log.html", {"customer": customer, "page": page})


@login_required
def security(request: HttpRequest) -> HttpResponse:
    authenticators = {
        a.type: a
        for a in Authenticator.objects.filter(user=request.user).exclude(
            type=Authenticator.Type.WEBAUTHN
        )
    }
    passkeys = Authenticator.objects.filter(
        user=request.user, type=Authenticator.Type.WEBAUTHN
    ).count()
    recovery = authenticators.get(Authenticator.Type.RECOVERY_CODES)
    unused_codes = len(recovery.wrap().get_unused_codes()) if recovery else 0
    sessions = UserSession.objects.filter(user=request.user).count()
    return render(
        request,
        "accounts/security.html",
        {
            "totp": Authenticator.Type.TOTP in authenticators,
            "passkeys": passkeys,
            "recovery_codes_left": unused_codes,
            "has_recovery_codes": recovery is not None,
            "session_count": sessions,
        },
    )


@representable()
@passive
@require_GET
@never_cache
def session_status(request: HttpRequest) -> JsonResponse:
    """For the timeout warning: seconds left. Reading it does not count as activity."""
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False}, status=401)
    return _status(request)


def _status(request: HttpRequest) -> JsonResponse:
    idle_left, absolute_left = session_deadlines(request)
    return JsonResponse(
        {
            "signed_in": True,
            "seconds_left": int(max(0, min(idle_left, absolute_left))),
            "warning_before": settings.SESSION_WARNING_BEFORE,
        }
    )


@representable()
@passive
def session_ended(request: HttpRequest) -> HttpResponse:
    """The timeout warning ran out: sign out now and say why.

    Only the page's script comes here, when nobody pressed "Stay signed in", by posting
    the warning's hidden form (with its CSRF token); it does not count as activity, so it
    cannot extend the session it ends. A GET signs nobody out (a link or an image elsewhere
    must not): it goes to allauth's sign-out page, which asks first.
    """
    if request.method != "POST":
        return redirect("account_logout")
    next_url = request.POST.get("next", "")
    from django.utils.http import url_has_allowed_host_and_scheme

    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    if request.user.is_authenticated:
        sign_out_with_reason(request, idle=True)
    return redirect_to_sign_in(request, next_url)


@representable()
@require_POST
@login_required
def stay_signed_in(request: HttpRequest) -> HttpResponse:
    touch(request)
    if request.headers.get("Accept") == "application/json":
        return _status(request)
    messages.success(request, _("You are still signed in."))
    next_url = request.POST.get("next", "")
    from django.utils.http import url_has_allowed_host_and_scheme

    # Back to the page the person was on: a path of this site, never anything redirect()
    # would read as a URL name ("0" was a server error).
    if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect("portal:home")
    return HttpResponseRedirect(next_url)


# allauth's sign-up, as one transaction: an account is created whole or not at all, and a
# new address commits once, like an address that has an account (whose rehearsal is
# rolled back, see ``SignupForm.try_save``), so not even the commits tell them apart.
signup = transaction.atomic(SignupView.as_view())
