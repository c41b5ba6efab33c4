from __future__ import annotations

from django.urls import path

from benefits.screener import views

app_name = "benefits"

urlpatterns = [
    path("", views.start, name="start"),
    path("next/", views.next_question, name="next"),
    path("question/<str:fact>/", views.question, name="question"),
    path("check-your-answers/", views.answers, name="answers"),
    path("results/", views.results, name="results"),
    path("start-again/", views.start_again, name="start_again"),
    path("save/", views.save_answers, name="save"),
]
