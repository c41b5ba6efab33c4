from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict[str, object]:
    return {
        "SESSION_IDLE_TIMEOUT": settings.SESSION_IDLE_TIMEOUT,
        "SESSION_WARNING_BEFORE": settings.SESSION_WARNING_BEFORE,
        "PORTAL_NAME": settings.PORTAL_NAME,
        "PORTAL_AGENCY": settings.PORTAL_AGENCY,
        "PORTAL_PHASE": settings.PORTAL_PHASE,
        "PORTAL_FEEDBACK_URL": settings.PORTAL_FEEDBACK_URL,
    }
