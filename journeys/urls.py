from __future__ import annotations

from django.urls import path

from journeys import views

app_name = "journeys"

urlpatterns = [
    path("", views.index, name="index"),
    path("start/<slug:code>/", views.start, name="start"),
    path("<int:journey_id>/", views.plan, name="plan"),
    path("to-do/", views.todo, name="todo"),
    path("tasks/<int:task_id>/done/", views.task_done, name="task_done"),
    path("goals/", views.goals, name="goals"),
    path("report-a-change/", views.change_start, name="change_start"),
    path("report-a-change/<slug:kind>/", views.change, name="change"),
    path("changes/", views.changes, name="changes"),
    path("changes/<int:report_id>/", views.change_done, name="change_done"),
]
