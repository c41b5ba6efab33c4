"""Representatives and the person's data rights. Each area adds its own routes below."""

from __future__ import annotations

app_name = "representatives"

urlpatterns: list = []
