"""allauth's extension points: signing up creates the person's Customer, staff land in the
admin, and every email allauth sends goes through the outbox."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.urls import reverse

from accounts import hooks, services
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

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render the email now (the request's language and links) and queue it: a worker
        sends it after the request (``accounts.hooks.queue_mail``).

        No request waits for the mail server, so how long signing up or asking for a
        password reset takes does not tell whether the address has an account.
        """
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        hooks.queue_mail(self.render_mail(template_prefix, email, ctx))
