"""allauth's extension points: signing up creates the person's Customer."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter

from accounts import services


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit)
        if commit:
            services.create_customer_for_user(user=user)
        return user

    def get_login_redirect_url(self, request):
        # Screener answers given before signing in: ask whether to keep them.
        from benefits.screener import state

        if state.load(request.session)["history"]:
            from django.urls import reverse

            return reverse("benefits:save")
        return super().get_login_redirect_url(request)
