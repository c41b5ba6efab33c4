"""Create a member of staff, or give an existing one a fresh password-reset link."""

from __future__ import annotations

import logging
from datetime import timedelta

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User

logger = logging.getLogger(__name__)

# --role value: the group it joins (None: an operator is a superuser and needs no group).
ROLES: dict[str, str | None] = {
    "caseworker": "caseworker",
    "team-leader": "team leader",
    "operator": None,
}


class Command(BaseCommand):
    help = (
        "Create an active staff account with a verified email address and no password, and "
        "print a one-time link to set one, with how to set up MFA. Use --reset-link to print "
        "a fresh link for an existing member of staff."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("email", help="the person's work email address (their sign-in)")
        parser.add_argument(
            "--role",
            help="caseworker, team-leader or operator (an operator is a superuser)",
        )
        parser.add_argument("--name", default="", help="who the link is for, used in the output")
        parser.add_argument(
            "--reset-link",
            action="store_true",
            help="if the account exists, print a fresh link (earlier unused links stop working)",
        )

    def handle(
        self,
        *args,
        email: str,
        role: str | None = None,
        name: str = "",
        reset_link: bool = False,
        **options,
    ) -> None:
        # allauth keeps addresses in lower case; a mixed-case User.email would make it add
        # a second, lower-case EmailAddress the first time it builds a reset token.
        email = email.strip().lower()
        try:
            validate_email(email)
        except ValidationError as exc:
            raise CommandError(f"EMAIL: {email!r} is not a valid email address.") from exc
        if role is not None and role not in ROLES:
            raise CommandError(f"--role must be one of {', '.join(ROLES)}, not {role!r}.")

        existing = User.objects.filter(email__iexact=email).first()
        if existing is None and EmailAddress.objects.filter(email__iexact=email).exists():
            raise CommandError(f"{email} is already an email address of another account.")
        if existing is not None:
            if not reset_link:
                raise CommandError(
                    f"An account for {email} already exists. Use --reset-link to print a "
                    "fresh link to set its password; change roles in the admin."
                )
            user = self._refresh(existing, role=role)
            created = False
        else:
            if role is None:
                raise CommandError("--role is required to create an account.")
            user = self._create(email, role=role)
            created = True
        self._report(user, name=name.strip(), created=created)

    @transaction.atomic
    def _create(self, email: str, *, role: str) -> User:
        group = ROLES[role]
        try:
            user = User.objects.create_user(
                email, None, is_staff=True, is_superuser=role == "operator", is_active=True
            )
        except IntegrityError as exc:  # created by someone else a moment ago
            raise CommandError(f"An account for {email} already exists.") from exc
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        if group is not None:
            try:
                user.groups.add(Group.objects.get(name=group))
            except Group.DoesNotExist as exc:
                raise CommandError(f"The {group!r} group is missing: run migrate.") from exc
        logger.info("create_staff: created %s account %s (id %s)", role, email, user.pk)
        return user

    def _refresh(self, user: User, *, role: str | None) -> User:
        if not (user.is_staff and user.is_active):
            raise CommandError(
                f"{user.email} is not an active member of staff; this command only prints "
                "links for staff. Change the account in the admin first."
            )
        current = role_of(user)
        if role is not None and role != current:
            raise CommandError(
                f"{user.email} has the role {current or '(none)'}, not {role}. Change roles "
                "in the admin, or leave out --role."
            )
        if not user.has_usable_password():
            # A new random unusable password changes the hash the reset token is built
            # from, so links printed before stop working; a usable password is left alone.
            user.set_unusable_password()
            user.save(update_fields=["password"])
        logger.info("create_staff: new password link for %s (id %s)", user.email, user.pk)
        return user

    def _report(self, user: User, *, name: str, created: bool) -> None:
        who = f"{name} <{user.email}>" if name else user.email
        role = role_of(user) or "member of staff"
        expires = timezone.localtime() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
        out = self.stdout
        if created:
            out.write(self.style.SUCCESS(f"Created {role} account for {who}."))
        else:
            out.write(self.style.SUCCESS(f"New password link for {who} ({role})."))
        out.write(
            "\nGive them this link, privately (it is as good as a password until used). "
            f"It works once, until {expires:%d %B %Y %H:%M %Z}:\n"
        )
        out.write(f"    {password_reset_url(user)}\n")
        base = settings.PORTAL_BASE_URL.rstrip("/")
        out.write(
            "What they do next:\n"
            "  1. Open the link and choose a password.\n"
            f"  2. Sign in at {base}{reverse('account_login')} with their email address and "
            "that password.\n"
            "  3. Before the admin opens they must set up a second factor: an authenticator "
            f"app ({base}{reverse('mfa_activate_totp')}: scan the QR code, enter the 6-digit "
            f"code) or a passkey ({base}{reverse('mfa_add_webauthn')}). Keep the recovery "
            "codes somewhere safe.\n"
            "  4. Sign out and sign in again with the app or passkey; the admin is then at "
            f"{base}/admin/.\n"
        )


def role_of(user: User) -> str | None:
    if user.is_superuser:
        return "operator"
    groups = set(user.groups.values_list("name", flat=True))
    # A team leader may also be in "caseworker": the higher role names them.
    for role in ("team-leader", "caseworker"):
        if ROLES[role] in groups:
            return role
    return None


def password_reset_url(user: User) -> str:
    """allauth's own reset link (the one its emails carry), on the portal's address."""
    key = f"{user_pk_to_url_str(user)}-{default_token_generator.make_token(user)}"
    path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
    return settings.PORTAL_BASE_URL.rstrip("/") + path.replace("UID-KEY", key)
