"""Representatives and the person's data rights. Each area adds its own routes below."""

from __future__ import annotations

from django.urls import path

from representatives.export import views as export_views

app_name = "representatives"

urlpatterns: list = [
    # "Download my data" (representatives.export)
    path("download/", export_views.export_page, name="export"),
    path("download/status/", export_views.export_status, name="export_status"),
    path("download/<int:export_id>/", export_views.export_download, name="export_download"),
]
