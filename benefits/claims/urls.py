from __future__ import annotations

from django.urls import path

from benefits.claims.views import apply as apply_views
from benefits.claims.views import claim as claim_views

app_name = "claims"

urlpatterns = [
    path("apply/<slug:benefit_code>/", apply_views.start, name="apply_start"),
    path("<int:claim_id>/apply/", apply_views.task_list, name="apply"),
    path("<int:claim_id>/apply/documents/", apply_views.evidence, name="apply_evidence"),
    path("<int:claim_id>/apply/check/", apply_views.check_answers, name="apply_check"),
    path("<int:claim_id>/apply/more/<str:fact>/", apply_views.more, name="apply_more"),
    path("<int:claim_id>/apply/<slug:section>/", apply_views.section_summary, name="apply_section"),
    path(
        "<int:claim_id>/apply/<slug:section>/<slug:slug>/",
        apply_views.question,
        name="apply_question",
    ),
    path("<int:claim_id>/sent/", apply_views.sent, name="sent"),
    path("<int:claim_id>/", claim_views.claim_detail, name="detail"),
    path("<int:claim_id>/status/", claim_views.claim_status, name="status"),
    path("<int:claim_id>/withdraw/", claim_views.withdraw, name="withdraw"),
    path("<int:claim_id>/reconsider/", claim_views.reconsider, name="reconsider"),
    path("<int:claim_id>/documents/", claim_views.add_evidence, name="add_evidence"),
    path(
        "<int:claim_id>/documents/<int:document_id>/",
        claim_views.document_file,
        name="document",
    ),
    path(
        "<int:claim_id>/requests/<int:request_id>/",
        claim_views.answer_request,
        name="answer_request",
    ),
    path(
        "<int:claim_id>/decisions/<int:decision_id>/letter.pdf",
        claim_views.decision_letter,
        name="decision_letter",
    ),
    path("<int:claim_id>/statements/<int:version>/", claim_views.statement, name="statement"),
]
