"""Representatives and the person's data rights. Each area adds its own routes below."""

from __future__ import annotations

from django.urls import path

from representatives import privacy_views, rights_views, views
from representatives.export import views as export_views

app_name = "representatives"

urlpatterns: list = [
    path("representatives/", views.index, name="index"),
    path("representatives/invite/", views.invite, name="invite"),
    path("representatives/what-they-did/", views.activity, name="activity"),
    path("representatives/<int:representation_id>/", views.detail, name="detail"),
    path("representatives/<int:representation_id>/stop/", views.stop, name="stop"),
    path("invitation/<str:token>/", views.accept, name="accept"),
    path("people-you-help/", views.helping, name="helping"),
    path("people-you-help/stop-acting/", views.stop_acting, name="stop_acting"),
    path("people-you-help/<int:representation_id>/act/", views.act_for, name="act_for"),
    path("people-you-help/<int:representation_id>/step-down/", views.step_down, name="step_down"),
    # Retention: the privacy page and closing one's account (privacy_views.py).
    path("privacy/", privacy_views.privacy, name="privacy"),
    path("close-account/", privacy_views.close_account, name="close_account"),
    path("account-closed/", privacy_views.account_closed, name="account_closed"),
    # "Download my data" (representatives.export)
    path("download/", export_views.export_page, name="export"),
    path("download/status/", export_views.export_status, name="export_status"),
    path("download/<int:export_id>/", export_views.export_download, name="export_download"),
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
