"""``may``: what the person on this page may do, for templates to offer only that.

Everything when people act for themselves; a representative's scopes when acting. The
views refuse what is not allowed anyway (``accounts.acting``); this only hides buttons
that would lead to a "page not found".
"""

from __future__ import annotations

from django.http import HttpRequest

from accounts.acting import Scope, acting

#: ``own``: the person's own pages; ``whole``: pages about the whole record (not one claim).
EVERYTHING = {scope.value: True for scope in Scope} | {"own": True, "whole": True}


def may(request: HttpRequest) -> dict[str, object]:
    current = acting(request)
    if current is None:
        return {"may": EVERYTHING}
    return {
        "may": {scope.value: current.allows(scope) for scope in Scope}
        | {"own": False, "whole": current.claim_ids is None}
    }
