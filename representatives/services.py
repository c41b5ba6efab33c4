"""Letting someone act for you: invite, accept, change, stop; appointees and organisations.

Each function is one transaction and takes the user who does it (``by``). A representation
only ever widens by the person's (or a caseworker's) own act; anyone can narrow or end it:
the person, a caseworker, and the representative themself.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts import versions
from accounts.acting import SCOPES_NEEDING_MFA, Scope
from accounts.models import Customer, User
from benefits.models import Claim
from notifications.channels import absolute
from notifications.emails import queue_email
from notifications.services import notify
from representatives import consents
from representatives.models import Organisation, Representation, RepresentativeAction

#: An invitation not accepted in this long stops working (the issue's 14 days).
INVITATION_DAYS = 14
#: How many people one person may have invited or acting at once.
MOST_REPRESENTATIVES = 10

Status = Representation.Status


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check_scopes(scopes: Iterable[str]) -> list[str]:
    chosen = sorted(set(scopes))
    if not chosen or any(s not in Scope.values for s in chosen):
        raise ValidationError(_("Choose what they can do."), code="scopes")
    return chosen


def _check_claims(customer: Customer, claims: Iterable[Claim]) -> list[Claim]:
    claims = list(claims)
    if any(c.customer_id != customer.pk for c in claims):
        raise ValidationError(_("Choose from your own claims."), code="claims")
    return claims


def _check_end(ends_on: date | None) -> None:
    if ends_on is not None and ends_on < timezone.localdate():
        raise ValidationError(_("The end date must be today or in the future."), code="ends_on")


def invitation_link(token: str) -> str:
    return reverse("representatives:accept", kwargs={"token": token})


@transaction.atomic
def invite(
    *,
    customer: Customer,
    by: User,
    name: str,
    email: str,
    scopes: Iterable[str],
    claims: Iterable[Claim] = (),
    ends_on: date | None = None,
) -> tuple[Representation, str]:
    """Invite ``email`` to act for ``customer``; returns the invitation and its secret.

    The secret goes only into the email (the database keeps its hash). The email is queued
    in the same transaction through the outbox, whether or not the address has an account.
    """
    scopes = _check_scopes(scopes)
    claims = _check_claims(customer, claims)
    _check_end(ends_on)
    Customer.objects.select_for_update().filter(pk=customer.pk).first()  # one invite at a time
    live = Representation.objects.filter(
        customer=customer, status__in=[Status.INVITED, Status.ACTIVE]
    )
    if live.count() >= MOST_REPRESENTATIVES:
        raise ValidationError(
            _("You can have up to %(n)s representatives. Stop one before inviting someone else."),
            params={"n": MOST_REPRESENTATIVES}, code="too_many",
        )  # fmt: skip
    email = email.strip().lower()
    if customer.user is not None and customer.user.email.lower() == email:
        raise ValidationError(_("Enter someone else's email address."), code="self")
    token = secrets.token_urlsafe(32)
    representation = Representation.objects.create(
        customer=customer, kind=Representation.Kind.PERSON, status=Status.INVITED,
        name=name.strip(), invited_email=email, token_hash=_hash(token),
        invitation_expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
        scopes=scopes, ends_on=ends_on, created_by=by,
    )  # fmt: skip
    representation.claims.set(claims)
    _record_consent(representation, by=by)
    _send_invitation(representation, token, customer)
    versions.bump(user_id=customer.user_id)
    return representation, token


def _send_invitation(representation: Representation, token: str, customer: Customer) -> None:
    context = {
        "person": customer.full_name or customer.display_name,
        "name": representation.name,
        "scopes": [Scope(s).label for s in representation.scopes],
        "link": absolute(invitation_link(token)),
        "days": INVITATION_DAYS,
    }
    with translation.override(customer.preferred_language or None):
        message = EmailMessage(
            subject=render_to_string(
                "representatives/email/invitation_subject.txt", context
            ).strip(),
            body=render_to_string("representatives/email/invitation_message.txt", context),
            to=[representation.invited_email],
        )
    queue_email(message)


def find_invitation(*, token: str) -> Representation | None:
    """The invitation this secret opens, if it is still open; None otherwise (same answer
    for a wrong, used, withdrawn and expired secret)."""
    if not token or len(token) > 100:
        return None
    return (
        Representation.objects.filter(
            token_hash=_hash(token),
            status=Status.INVITED,
            invitation_expires_at__gt=timezone.now(),
        )
        .select_related("customer")
        .first()
    )


def needs_mfa(representation: Representation) -> bool:
    return bool(SCOPES_NEEDING_MFA.intersection(representation.scopes))


@transaction.atomic
def accept(*, token: str, by: User, has_mfa: bool) -> Representation:
    """The invited person accepts, signed in to their own account."""
    representation = find_invitation(token=token)
    if representation is None:
        raise ValidationError(_("This invitation has expired or was withdrawn."), code="gone")
    representation = Representation.objects.select_for_update().get(pk=representation.pk)
    if representation.status != Status.INVITED:
        raise ValidationError(_("This invitation has expired or was withdrawn."), code="gone")
    if representation.customer.user_id == by.pk:
        raise ValidationError(_("You cannot act for yourself."), code="self")
    if by.is_staff:
        # Staff see people's records through the workspace, where every look is logged.
        raise ValidationError(
            _("A staff account cannot act for someone. Sign in with your own account."),
            code="staff",
        )
    if needs_mfa(representation) and not has_mfa:
        raise ValidationError(
            _("Set up two-step sign-in first: acting on someone's claims needs it."), code="mfa"
        )
    representation.status = Status.ACTIVE
    representation.representative = by
    representation.accepted_at = timezone.now()
    representation.token_hash = ""
    representation.save(update_fields=["status", "representative", "accepted_at", "token_hash"])
    _record_consent(representation, by=representation.created_by)  # now until its end date
    notify(
        customer=representation.customer,
        kind="message",
        title=_("%(name)s can now act for you"),
        body=_("They accepted your invitation. You can change what they can do, or stop it, at any time."),
        link=reverse("representatives:index"),
        params={"name": representation.name},
        private=True,  # about a representative: never copied to the others
    )  # fmt: skip
    return representation


@transaction.atomic
def decline(*, token: str) -> None:
    representation = find_invitation(token=token)
    if representation is not None:
        declined = Representation.objects.filter(
            pk=representation.pk, status=Status.INVITED
        ).update(status=Status.DECLINED, token_hash="", ended_at=timezone.now())
        party = consents.Party.representation(representation.pk)
        if declined and consents.has_consent(
            customer=representation.customer, purpose=consents.REPRESENTATIVES, party=party
        ):
            consents.withdraw_consent(
                customer=representation.customer, purpose=consents.REPRESENTATIVES,
                by=None, party=party, note=f"{representation.name}: declined",
            )  # fmt: skip


@transaction.atomic
def change(
    *,
    representation: Representation,
    by: User,
    scopes: Iterable[str],
    claims: Iterable[Claim] = (),
    ends_on: date | None = None,
) -> Representation:
    """The person changes what a representative may do. Takes effect on their next request."""
    scopes = _check_scopes(scopes)
    claims = _check_claims(representation.customer, claims)
    _check_end(ends_on)
    representation = Representation.objects.select_for_update().get(pk=representation.pk)
    if representation.status not in (Status.INVITED, Status.ACTIVE):
        raise ValidationError(_("This has already stopped."), code="stopped")
    if representation.status == Status.ACTIVE and representation.representative is not None:
        widened = set(scopes) - set(representation.scopes)
        if SCOPES_NEEDING_MFA.intersection(widened) and not user_has_mfa(
            representation.representative
        ):
            raise ValidationError(
                _("%(name)s must set up two-step sign-in before they can act on your claims "
                  "or talk to us for you."),
                params={"name": representation.name}, code="mfa",
            )  # fmt: skip
    representation.scopes = scopes
    representation.ends_on = ends_on
    representation.save(update_fields=["scopes", "ends_on"])
    representation.claims.set(claims)
    _record_consent(representation, by=by)  # a new record when what they may do changed
    return representation


def user_has_mfa(user: User) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user).exists()


@transaction.atomic
def stop(*, representation: Representation, by: User) -> None:
    """Revoke (the person or a caseworker), withdraw an invitation, or step down (the
    representative). The representative's next request no longer acts for the person."""
    representation = Representation.objects.select_for_update().get(pk=representation.pk)
    if representation.status == Status.INVITED:
        representation.status = Status.WITHDRAWN
    elif representation.status == Status.ACTIVE:
        representation.status = Status.REVOKED
    else:
        return
    representation.token_hash = ""
    representation.ended_at = timezone.now()
    representation.ended_by = by
    representation.save(update_fields=["status", "token_hash", "ended_at", "ended_by"])
    party = consents.Party.representation(representation.pk)
    if consents.has_consent(
        customer=representation.customer, purpose=consents.REPRESENTATIVES, party=party
    ):
        consents.withdraw_consent(
            customer=representation.customer, purpose=consents.REPRESENTATIVES, by=by,
            party=party, note=_note(representation, ended=True),
        )  # fmt: skip
    if by.pk != representation.customer.user_id and representation.accepted_at:
        notify(
            customer=representation.customer,
            kind="message",
            title=_("%(name)s can no longer act for you"),
            link=reverse("representatives:index"),
            params={"name": representation.name},
            private=True,  # about a representative: never copied to the others
        )


def stop_on_withdrawn_consent(withdrawal) -> None:
    """The person withdrew their consent to share with a representative: it stops too."""
    if withdrawal.party_kind != "representation" or withdrawal.party_id is None:
        return
    representation = Representation.objects.filter(
        pk=withdrawal.party_id, customer_id=withdrawal.customer_id
    ).first()
    if representation is not None and withdrawal.recorded_by is not None:
        stop(representation=representation, by=withdrawal.recorded_by)


@transaction.atomic
def record_formal(
    *,
    customer: Customer,
    by: User,
    kind: str,
    scopes: Iterable[str],
    evidence: str,
    representative: User | None = None,
    organisation: Organisation | None = None,
    name: str = "",
    ends_on: date | None = None,
) -> Representation:
    """A caseworker records an appointee or an organisation after checking evidence."""
    if not by.is_staff:
        raise PermissionDenied
    if not evidence.strip():
        raise ValidationError(_("Say what evidence was checked."), code="evidence")
    if kind == Representation.Kind.APPOINTEE and representative is None:
        raise ValidationError(_("Choose the appointee's sign-in."), code="representative")
    if representative is not None and representative.is_staff:
        raise ValidationError(_("A staff account cannot act for someone."), code="staff")
    if kind == Representation.Kind.ORGANISATION and organisation is None:
        raise ValidationError(_("Choose the organisation."), code="organisation")
    representation = Representation.objects.create(
        customer=customer, kind=kind, status=Status.ACTIVE,
        representative=representative, organisation=organisation,
        name=name or (organisation.name if organisation else _full_name(representative)),
        scopes=_check_scopes(scopes), ends_on=ends_on, created_by=by,
        accepted_at=timezone.now(), evidence=evidence.strip(),
    )  # fmt: skip
    _record_consent(representation, by=by)
    notify(
        customer=customer,
        kind="message",
        title=_("%(name)s can now act for you"),
        body=_("We recorded them after checking their evidence. You can see what they do."),
        link=reverse("representatives:index"),
        params={"name": representation.name},
        private=True,  # about a representative: never copied to the others
    )
    return representation


def _note(representation: Representation, *, ended: bool = False) -> str:
    """What the consent record says of this representative: who, and what they may do."""
    if ended:
        return f"{representation.name}: stopped"
    claims = sorted(c.reference or str(c.pk) for c in representation.claims.all())
    return "; ".join(
        [
            f"{representation.name}: {', '.join(sorted(representation.scopes))}",
            f"claims: {', '.join(claims)}" if claims else "all claims",
        ]
    )


def _record_consent(representation: Representation, *, by: User | None) -> None:
    """The person's consent to share with this representative, in the append-only records,
    until the end date if there is one."""
    expires_at = None
    if representation.ends_on is not None:
        expires_at = timezone.make_aware(
            datetime.combine(representation.ends_on + timedelta(days=1), time.min)
        )
    if representation.status == Status.INVITED and representation.invitation_expires_at:
        # Until accepted, only as long as the invitation: one never accepted runs out.
        invitation_ends = representation.invitation_expires_at
        expires_at = min(expires_at, invitation_ends) if expires_at else invitation_ends
    consents.grant_consent(
        customer=representation.customer, purpose=consents.REPRESENTATIVES, by=by,
        party=consents.Party.representation(representation.pk), expires_at=expires_at,
        note=_note(representation),
    )  # fmt: skip


def _full_name(user: User | None) -> str:
    if user is None:
        return ""
    customer = Customer.objects.filter(user=user).first()
    return (customer.full_name if customer else "") or user.email


def active_q(*, user: User, today: date) -> Q:
    """Representations that let ``user`` act today: their own, or their organisation's."""
    return (
        Q(status=Status.ACTIVE)
        & (Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        & (Q(representative=user) | Q(organisation__advisers=user))
    )


def record_action(
    *, representation_id: int, customer_id: int, by: User, by_name: str, kind: str, what: str,
    route: str,
) -> None:  # fmt: skip
    RepresentativeAction.objects.create(
        representation_id=representation_id, customer_id=customer_id, by=by,
        by_name=by_name[:200], kind=kind, what=str(what)[:200], route=route[:100],
    )  # fmt: skip
