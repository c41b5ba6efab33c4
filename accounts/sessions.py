"""Ending and renewing sessions on the server, where a person or an operator expects it.

allauth's ``UserSession`` rows list a person's sessions (``/account/sessions/``, and the
admin); the Django session in the database is what actually signs a browser in. These
receivers keep the two together:

- re-authenticating (password or a second factor) issues a new session key, as signing in
  does, so a key seen before the re-authentication cannot ride on it (ASVS 7.2.4);
- deleting a ``UserSession`` row, one in the admin or many with its bulk action, deletes
  the Django session too, so that browser is signed out (ASVS 7.4.5);
- deactivating an account deletes every session it has, so turning it back on later does
  not bring an old session back to life (ASVS 7.4.2).

They are receivers because allauth's flows and the admin's delete offer no other hook;
each one does one thing and calls nothing else.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from allauth.usersessions.models import UserSession
from django.conf import settings
from django.http import HttpRequest


def end_session(session_key: str) -> None:
    """Delete a Django session from the store: its cookie signs nobody in any more."""
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore().delete(session_key)


def renew_key_after_reauthentication(sender: Any, request: HttpRequest, **kwargs: Any) -> None:
    """allauth's ``authentication_step_completed``: a new key once the person proved it again."""
    if not kwargs.get("reauthenticated"):
        return
    old_key = request.session.session_key
    request.session.cycle_key()  # keeps the data, deletes the old row, saves a new one
    if old_key:
        UserSession.objects.filter(session_key=old_key).update(
            session_key=request.session.session_key
        )


def end_session_of_deleted_row(sender: Any, instance: UserSession, **kwargs: Any) -> None:
    """``post_delete`` of a ``UserSession``: the browser it listed is signed out."""
    end_session(instance.session_key)


def end_sessions_of_inactive_user(sender: Any, instance: Any, **kwargs: Any) -> None:
    """``post_save`` of a user: an inactive account keeps no session at all."""
    if instance.is_active or kwargs.get("raw"):
        return
    # Deleting each row ends its Django session (end_session_of_deleted_row).
    UserSession.objects.filter(user_id=instance.pk).delete()
