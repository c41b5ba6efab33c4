from __future__ import annotations

from django.urls import path

from benefits import claim_views

app_name = "claims"

urlpatterns = [
    path("<int:claim_id>/", claim_views.claim_detail, name="detail"),
    path("<int:claim_id>/withdraw/", claim_views.withdraw, name="withdraw"),
]
