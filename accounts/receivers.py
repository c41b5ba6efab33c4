from __future__ import annotations

from accounts import services


def contact_email_follows_sign_in_email(sender, request, user, to_email_address, **kwargs):
    services.sync_contact_email(user=user, email=to_email_address.email)
