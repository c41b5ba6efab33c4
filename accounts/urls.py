from __future__ import annotations

from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/about-you/", views.edit_personal_details, name="edit_personal_details"),
    path("profile/contact/", views.edit_contact_details, name="edit_contact_details"),
    path("profile/bank-account/", views.edit_bank_details, name="edit_bank_details"),
    path("profile/preferences/", views.edit_preferences, name="edit_preferences"),
    path("household/", views.household, name="household"),
    path("household/add/", views.add_household_member, name="add_household_member"),
    path(
        "household/<int:member_id>/left/", views.household_member_left, name="household_member_left"
    ),
    path("access-log/", views.access_log, name="access_log"),
    path("security/", views.security, name="security"),
    path("session/", views.session_status, name="session_status"),
    path("session/stay-signed-in/", views.stay_signed_in, name="stay_signed_in"),
    path("session/ended/", views.session_ended, name="session_ended"),
]
