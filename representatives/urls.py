"""Representatives and the person's data rights. Each area adds its own routes below."""

from __future__ import annotations

from django.urls import path

from representatives import rights_views

app_name = "representatives"

urlpatterns: list = [
    # Consents and corrections: the person's own (rights_views).
    path("consents/", rights_views.consent_list, name="consents"),
    path(
        "consents/<int:consent_id>/withdraw/",
        rights_views.withdraw_consent,
        name="withdraw_consent",
    ),
    path("circumstances/", rights_views.circumstances, name="circumstances"),
    path("corrections/", rights_views.correction_list, name="corrections"),
    path("corrections/new/<slug:kind>/", rights_views.correct, name="correct"),
    path(
        "corrections/household/<int:member_id>/",
        rights_views.correct_member,
        name="correct_member",
    ),
    path(
        "corrections/circumstances/<int:fact_id>/", rights_views.correct_fact, name="correct_fact"
    ),
]
