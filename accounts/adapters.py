"""allauth's extension points: signing up creates the person's Customer."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse

from accounts import services
from accounts.redirects import after_sign_in


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit)
        if commit:
            services.create_customer_for_user(user=user)
        return user

    def get_login_redirect_url(self, request):
        """Where to go when no safe ``next`` was given (allauth checks that one first)."""
        # Another app may have somewhere to go first (answers given before signing in).
        if wanted := after_sign_in(request):
            return wanted
        if request.user.is_staff:
            return reverse("admin:index")  # caseworkers work in the admin, not "Your services"
        return super().get_login_redirect_url(request)
