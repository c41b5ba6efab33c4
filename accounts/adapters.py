"""allauth's extension points: signing up creates the person's Customer."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter

from accounts import hooks, services


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit)
        if commit:
            services.create_customer_for_user(user=user)
        return user

    def get_login_redirect_url(self, request):
        # Another app may have somewhere to go first (answers given before signing in).
        for where in hooks.AFTER_SIGN_IN:
            if url := where(request):
                return url
        return super().get_login_redirect_url(request)
