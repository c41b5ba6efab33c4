from __future__ import annotations

from django.urls import path

from conversations import views

app_name = "conversations"

urlpatterns = [
    path("", views.conversation_list, name="list"),
    path("new/", views.new_conversation, name="new"),
    path("new/claim/<int:claim_id>/", views.new_about_claim, name="new_about_claim"),
    path("badge/", views.badge, name="badge"),
    path("<int:conversation_id>/", views.conversation_detail, name="detail"),
    path(
        "<int:conversation_id>/files/<int:attachment_id>/",
        views.attachment_file,
        name="attachment",
    ),
]
