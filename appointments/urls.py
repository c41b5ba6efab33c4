from __future__ import annotations

app_name = "appointments"

urlpatterns: list = []
