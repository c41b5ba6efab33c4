from __future__ import annotations

from django.urls import path

from appointments import views

app_name = "appointments"

urlpatterns = [
    path("", views.index, name="index"),
    path("book/", views.book, name="book"),
    path("book/how/", views.book_how, name="book_how"),
    path("book/time/", views.book_time, name="book_time"),
    path("book/needs/", views.book_needs, name="book_needs"),
    path("book/check/", views.book_check, name="book_check"),
    path("<int:appointment_id>/", views.detail, name="detail"),
    path("<int:appointment_id>/calendar.ics", views.ics, name="ics"),
    path("<int:appointment_id>/move/", views.move, name="move"),
    path("<int:appointment_id>/cancel/", views.cancel, name="cancel"),
]
