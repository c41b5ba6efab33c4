"""Keeping what a person typed when their session ran out, for after they sign in again.

A view marked ``@keeps_typed_answers`` keeps a POST made without a session (or one the
session timeout ends, see ``SessionTimeoutMiddleware``); the same page gives it back once
with ``kept_answer``. Any app's question pages can use it.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.translation import gettext as _

from accounts.redirects import redirect_to_sign_in

KEPT = "apply_kept_answer"  # the session key (unchanged, so kept answers survive a deploy)


def keeps_typed_answers(view):
    """Sign-in is required; an answer posted after the session ended is kept for later.

    The person is sent to sign in and, coming back to the same question, finds what they
    typed waiting for them. ``SessionTimeoutMiddleware`` does the same when it is the one
    that ends the session (see ``keep_posted_answer``).
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            if request.method == "POST":
                keep_posted_answer(request)
                return redirect_to_sign_in(request, next_url=request.path)
            return redirect_to_sign_in(request)
        return view(request, *args, **kwargs)

    # A marker on the view function; mypy cannot type attributes added to a function.
    wrapper.keeps_typed_answers = True  # type: ignore[attr-defined]
    return wrapper


def keep_posted_answer(request: HttpRequest) -> None:
    data = {k: request.POST.getlist(k) for k in request.POST if k != "csrfmiddlewaretoken"}
    request.session[KEPT] = {"path": request.path, "data": data}
    messages.info(request, _("Sign in again to continue. We have kept the answer you typed."))


def kept_answer(request: HttpRequest) -> QueryDict | None:
    """The answer kept for this page, once (it is forgotten as it is given back)."""
    kept = request.session.get(KEPT)
    if not kept or kept.get("path") != request.path:
        return None
    del request.session[KEPT]
    data = QueryDict(mutable=True)
    for key, values in kept["data"].items():
        data.setlist(key, values)
    return data
