"""Closing a portal account: sign-in ends now, the agency's records stay as the retention
schedule says, and the schedule's "after your account was closed" starts.

Why the sign-in is made unusable rather than deleted: the ``User`` row is what uploads,
messages, representatives' actions and the history of changes name as "by"; deleting it
would blank those (``SET NULL``) or take other people's records with it (a representation
this person held for someone else cascades). So the row stays, holding nothing that signs
anyone in or identifies them: inactive, no usable password, its email replaced by an
address that cannot receive mail (so the person may sign up again with theirs), its email
addresses and two-step sign-in methods deleted, every session ended. The ``Customer`` and
the records the agency must keep stay, with ``account_closed_at``.

While a claim is being decided the account cannot be closed: the person could not see
requests for information, decisions or letters, and a decision could be made on evidence
they never saw. They are told to withdraw it first (or to wait for the decision). Other
apps may add their own reasons through ``accounts.retention.CLOSING_CHECKS``.
"""

from __future__ import annotations

from datetime import datetime

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts import hooks
from accounts.models import Customer, User
from accounts.retention import closing_reasons
from benefits.claims.lifecycle import OPEN
from benefits.models import Claim, ClaimStatus
from representatives import services as delegation
from representatives.models import Representation
from representatives.retention import services


class AccountCannotClose(Exception):
    """Something must be finished first; ``reasons`` say what, in the person's words."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


def open_claims(*, customer: Customer) -> list[Claim]:
    """Claims being decided: they stop the account from closing."""
    return list(
        Claim.objects.filter(customer=customer, status__in=OPEN)
        .select_related("benefit")
        .order_by("created_at")
    )


def reasons_not_to_close(*, customer: Customer) -> list[str]:
    """Why the account cannot be closed yet (empty: it can)."""
    from django.utils.translation import gettext as _

    reasons = [
        _(
            "Your %(benefit)s claim (%(reference)s) is still being decided. Withdraw it from "
            "its page first, or wait for our decision."
        )
        % {"benefit": claim.benefit.name, "reference": claim.reference}
        for claim in open_claims(customer=customer)
    ]
    return reasons + closing_reasons(customer)


@transaction.atomic(durable=True)
def close_account(*, customer: Customer, by: User, now: datetime | None = None) -> Customer:
    """Close ``customer``'s portal account (``by`` is the person themself).

    Raises ``AccountCannotClose`` and changes nothing while something must be finished
    first. Closing twice is harmless: the second call changes nothing.
    """
    now = now or timezone.now()
    locked = Customer.objects.select_for_update().get(pk=customer.pk)
    if locked.account_closed_at is not None:
        return locked
    reasons = reasons_not_to_close(customer=locked)
    if reasons:
        raise AccountCannotClose(reasons)
    user = User.objects.select_for_update().get(pk=locked.user_id) if locked.user_id else None
    address = user.email if user else ""

    # Applications never sent are not records of the agency's: they go now, with any file.
    services.delete_now(Claim.objects.filter(customer=locked, status=ClaimStatus.DRAFT))

    # Nobody acts for the person any more, and they act for nobody: their next request
    # finds no active representation (the middleware reads the status on every request).
    # Through ``representatives.services.stop``, one by one (a person has a few): each
    # consent to share with them is withdrawn, and a person someone stops acting for is told.
    held = Representation.objects.filter(customer=locked)
    if user is not None:
        held = held | Representation.objects.filter(representative=user)
    live = [Representation.Status.INVITED, Representation.Status.ACTIVE]
    for representation in held.filter(status__in=live).select_related("customer"):
        delegation.stop(representation=representation, by=by)

    locked.account_closed_at = now
    locked.save(update_fields=["account_closed_at", "updated_at"])

    if user is not None:
        EmailAddress.objects.filter(user=user).delete()
        Authenticator.objects.filter(user=user).delete()
        user.email = f"closed-{user.pk}@closed.invalid"
        user.is_active = False
        user.set_unusable_password()
        # Saving an inactive user ends every session it has (accounts.sessions).
        user.save(update_fields=["email", "is_active", "password"])
    if address:
        hooks.queue_mail(_confirmation(locked, address))
    return locked


def _confirmation(customer: Customer, address: str) -> EmailMessage:
    """The email that says the account was closed and what we keep (the outbox sends it)."""
    from accounts.retention import schedule

    with translation.override(customer.preferred_language):
        context = {"customer": customer, "rules": schedule()}
        subject = render_to_string(
            "representatives/privacy/email/account_closed_subject.txt", context
        ).strip()
        body = render_to_string("representatives/privacy/email/account_closed_message.txt", context)
    return EmailMessage(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[address]
    )
