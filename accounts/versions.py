"""A version of what each person's live panels show, so a poll that changes nothing is a
304 without any page work.

Whatever changes something a live panel shows (a claim's status or timeline, a request
for information, a document, a notification or its read state, the to-do list) calls
``bump(user_id=…)``; the bump happens after the transaction commits, never before, so a
reader can never pair the new version with the old rows. The panels' ETags come from
``etag_for(request, …)``: the person's version (one cache read, keyed by the user the
authentication middleware has already loaded: no database query), the language and the
date the panel is rendered in, and what names the panel (a claim's id), under a keyed hash.

The rules for a view that uses it:

- Take the tag before reading anything the panel shows (``@condition`` does, and
  ``etag_for`` keeps the value for the rest of the request). Rows read after the tag are
  at least as new as it: at worst the next poll is a 200 with the same content, never a
  304 over stale content.
- The version is a random token, not a counter. If the cache loses it (cleared, evicted,
  expired), the next read makes a fresh one, so a tag a browser kept from before cannot
  match: a missing version means "changed", never "unchanged".
- The hash is keyed with the secret key and names the user, so nobody can make the tag of
  somebody else's panel: another person's claim id still answers 404, never 304.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from functools import partial

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac

from accounts.acting import acting
from accounts.models import Customer
from lib import cache as safe_cache

# A version nobody bumps for a day is dropped; the next poll is then one 200, which also
# bounds the harm of a bump lost while the cache could not be reached.
TTL = 24 * 60 * 60


def _key(user_id: int) -> str:
    return f"accounts:version:{user_id}"


def _fresh() -> str:
    return secrets.token_hex(8)


def current(*, user_id: int) -> str:
    """The person's version: a cache read; a fresh random one if the cache has none."""
    key = _key(user_id)
    version = safe_cache.get(key)
    if version is None:
        # The cache is down (every poll re-renders: slower, never stale) or has none.
        fresh = _fresh()
        # ``add``: two requests that both find it missing agree on one version.
        version = fresh if safe_cache.add(key, fresh, TTL) else safe_cache.get(key, fresh)
    return version


def _set(user_id: int) -> None:
    # The change is committed: a cache that cannot be told is logged (lib.cache), never
    # raised into the person's request. Their panels catch up at the next bump or when
    # the version expires. Tried even while the cache is thought down: a skipped bump
    # would leave the old version behind once it is back.
    safe_cache.set(_key(user_id), _fresh(), TTL, invalidates=True)


def bump(*, user_id: int | None) -> None:
    """Say that something the person's panels show has changed, once the current
    transaction commits (at once outside one). A customer with no sign-in has no panels."""
    if user_id is not None:
        transaction.on_commit(partial(_set, user_id))


def _set_many(user_ids: list[int]) -> None:
    for start in range(0, len(user_ids), 1000):
        chunk = user_ids[start : start + 1000]
        safe_cache.set_many({_key(user_id): _fresh() for user_id in chunk}, TTL)


def bump_many(*, user_ids: Iterable[int]) -> None:
    """``bump`` for many people at once (set-based jobs): a cache round trip a thousand."""
    ids = list(user_ids)
    if ids:
        transaction.on_commit(partial(_set_many, ids))


def _set_for_customer(customer_id: int) -> None:
    user_id = Customer.objects.filter(pk=customer_id).values_list("user_id", flat=True).first()
    if user_id is not None:
        _set(user_id)


def bump_for_customer(*, customer_id: int) -> None:
    """``bump`` for code that holds a customer's id, not their user's: the user is looked
    up after the commit, so the caller's transaction runs no extra query."""
    # Robust: a failed look-up is logged, and the committed change's request carries on.
    transaction.on_commit(partial(_set_for_customer, customer_id), robust=True)


def etag_for(request: HttpRequest, panel: str, *names: object) -> str | None:
    """The ETag (unquoted) of the signed-in person's ``panel`` as this request would render
    it; ``names`` say which one (a claim's id). The same value for the whole request.

    Made of the person's version, the language, today's date (an "Overdue" tag appears at
    midnight) and the panel's name. None when nobody is signed in.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    taken: dict[tuple[str, ...], str] = request.__dict__.setdefault("_panel_etags", {})
    which = (panel, *map(str, names))
    whose_version, who = user.pk, str(user.pk)
    helping = acting(request)
    if helping is not None:
        # A representative sees the person's panel as their scopes cut it.
        if helping.customer_user_id is None:
            return None
        whose_version = helping.customer_user_id
        who = f"{user.pk}:{helping.representation_id}:{sorted(helping.scopes)}:" + (
            ",".join(map(str, sorted(helping.claim_ids))) if helping.claim_ids else "*"
        )
    if which not in taken:
        parts = [
            who,
            current(user_id=whose_version),
            translation.get_language() or "",
            timezone.localdate().isoformat(),
            *which,
        ]
        digest = salted_hmac("accounts.versions.etag_for", "|".join(parts), algorithm="sha256")
        taken[which] = digest.hexdigest()[:32]
    return taken[which]
