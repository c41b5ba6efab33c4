"""Every page's address. The apps bring their own URL modules; the portal's pages (start,
"Your services" and its live panel, accessibility) and the staff pages that span apps
(portal/staff) are listed here."""

from __future__ import annotations

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.shortcuts import redirect
from django.urls import include, path

from accounts import views as account_views
from accounts.access import logged_autocomplete_view
from portal import views
from portal.staff.customer import customer_360
from portal.staff.status import system_status

portal_patterns = (
    [
        path("", views.start, name="start"),
        path("your-services/", views.home, name="home"),
        path("your-services/live/", views.home_live, name="home_live"),
        path("accessibility/", views.accessibility, name="accessibility"),
    ],
    "portal",
)

# Staff pages that span apps, behind the admin's sign-in (each checks its own permission).
staff_patterns = [
    path("system-status/", admin.site.admin_view(system_status), name="system-status"),
    path(
        "customers/<int:customer_id>/360/",
        admin.site.admin_view(customer_360),
        name="customer-360",
    ),
]

# The admin has no sign-in of its own: staff use the portal's (rate-limited, MFA) sign-in.
# Set before admin.site.urls is read below, which binds the login view.
admin.site.login = secure_admin_login(admin.site.login)
# Password changes go through allauth too: re-authentication and an email to the person.
admin.site.password_change = lambda request, extra_context=None: redirect("account_change_password")
# The autocomplete boxes search customers as staff type: what they find is logged.
admin.site.autocomplete_view = logged_autocomplete_view(admin.site)

urlpatterns = [
    path("", include(portal_patterns)),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("healthz/worker", views.healthz_worker, name="healthz_worker"),
    path("check-what-you-could-get/", include("benefits.screener.urls")),
    path("claims/", include("benefits.claims.urls")),
    path("notifications/", include("notifications.urls")),
    path("journeys/", include("journeys.urls")),
    path("messages/", include("conversations.urls")),
    path("appointments/", include("appointments.urls")),
    path("your-data/", include("representatives.urls")),
    path("account/", include("accounts.urls")),
    path("account/signup/", account_views.signup, name="account_signup"),  # before allauth's
    path("account/", include("allauth.urls")),
    path("admin/", include(staff_patterns)),
    path("admin/", admin.site.urls),
]

handler400 = "portal.views.bad_request"
handler403 = "portal.views.permission_denied"
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
