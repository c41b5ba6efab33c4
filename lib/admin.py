"""Admin building blocks that import no app."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


class ReadOnlyAdmin:
    """A ModelAdmin mixin for records staff only read: an append-only log, a job's state.

    Nobody adds, changes or deletes them in the workspace (services and jobs do)."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
