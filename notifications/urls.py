from __future__ import annotations

from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("preferences/", views.preferences, name="preferences"),
    path("badge/", views.badge, name="badge"),
    path("<int:notification_id>/", views.open_notification, name="open"),
]
