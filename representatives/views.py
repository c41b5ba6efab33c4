"""Letting someone act for you, and acting for someone.

The person's side (invite, change, stop, what they did) is only for the person: no
``@representable`` mark, so a representative acting for them gets a 404. The
representative's side (people you help, act for, stop acting) is for anyone signed in.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.acting import SCOPES_NEEDING_MFA, acting, representable
from accounts.http import AuthenticatedHttpRequest
from accounts.selectors import get_customer_for_user
from representatives import selectors, services
from representatives.forms import ChangeForm, InviteForm
from representatives.middleware import SESSION_KEY

Status = services.Status


def _add_errors(form, error: ValidationError) -> None:
    field = {"scopes": "scopes", "claims": "claims", "ends_on": "ends_on", "self": "email"}.get(
        getattr(error, "code", "")
    )
    form.add_error(field if field in form.fields else None, error)


@login_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Your representatives: who can act for you, invitations, and the people you help."""
    customer = get_customer_for_user(user=request.user)
    representations = list(selectors.representations_for_customer(customer=customer))
    return render(
        request,
        "representatives/index.html",
        {
            "live": [r for r in representations if r.status in (Status.INVITED, Status.ACTIVE)],
            "ended": [
                r for r in representations if r.status not in (Status.INVITED, Status.ACTIVE)
            ],
            "helped": list(selectors.people_helped(user=request.user)),
        },
    )


@login_required
def invite(request: AuthenticatedHttpRequest) -> HttpResponse:
    customer = get_customer_for_user(user=request.user)
    claims = selectors.claims_to_choose(customer=customer)
    form = InviteForm(request.POST if request.method == "POST" else None, claims=claims)
    if request.method == "POST" and form.is_valid():
        try:
            representation, _token = services.invite(
                customer=customer, by=request.user, name=form.cleaned_data["name"],
                email=form.cleaned_data["email"], scopes=form.cleaned_data["scopes"],
                claims=form.chosen_claims(), ends_on=form.cleaned_data["ends_on"],
            )  # fmt: skip
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("We emailed %(name)s an invitation. It works for %(days)s days.")
                % {"name": representation.name, "days": services.INVITATION_DAYS},
            )
            return redirect("representatives:index")
    return render(request, "representatives/invite.html", {"form": form})


@login_required
def detail(request: AuthenticatedHttpRequest, representation_id: int) -> HttpResponse:
    """Change what a representative may do."""
    customer = get_customer_for_user(user=request.user)
    representation = selectors.get_representation_for_customer(
        customer=customer, representation_id=representation_id
    )
    claims = selectors.claims_to_choose(customer=customer)
    live = representation.status in (Status.INVITED, Status.ACTIVE)
    initial = {
        "scopes": representation.scopes,
        "claims": [str(pk) for pk in representation.claims.values_list("pk", flat=True)],
        "ends_on": representation.ends_on,
    }
    form = ChangeForm(
        request.POST if request.method == "POST" else None, initial=initial, claims=claims
    )
    if request.method == "POST" and live and form.is_valid():
        try:
            services.change(
                representation=representation, by=request.user,
                scopes=form.cleaned_data["scopes"], claims=form.chosen_claims(),
                ends_on=form.cleaned_data["ends_on"],
            )  # fmt: skip
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("What %(name)s can do has changed.") % {"name": representation.name}
            )
            return redirect("representatives:index")
    return render(
        request,
        "representatives/detail.html",
        {"representation": representation, "form": form, "live": live},
    )


@login_required
def stop(request: AuthenticatedHttpRequest, representation_id: int) -> HttpResponse:
    """Stop a representative (or withdraw an invitation), after a confirmation."""
    customer = get_customer_for_user(user=request.user)
    representation = selectors.get_representation_for_customer(
        customer=customer, representation_id=representation_id
    )
    if representation.status not in (Status.INVITED, Status.ACTIVE):
        return redirect("representatives:index")
    if request.method == "POST":
        services.stop(representation=representation, by=request.user)
        messages.success(
            request,
            _("%(name)s can no longer act for you.") % {"name": representation.name}
            if representation.status == Status.ACTIVE
            else _("The invitation to %(name)s was withdrawn.") % {"name": representation.name},
        )
        return redirect("representatives:index")
    return render(request, "representatives/stop.html", {"representation": representation})


@login_required
def activity(request: AuthenticatedHttpRequest) -> HttpResponse:
    """What your representatives did."""
    customer = get_customer_for_user(user=request.user)
    return render(
        request,
        "representatives/activity.html",
        {
            "actions": list(selectors.actions_for_customer(customer=customer)),
            "shown": selectors.ACTIONS_SHOWN,
        },
    )


@login_required
def accept(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    """The invited person reads the invitation and accepts or declines it."""
    representation = services.find_invitation(token=token)
    if representation is None:
        return render(request, "representatives/invitation_gone.html", status=404)
    has_mfa = services.user_has_mfa(request.user)
    needs_mfa = services.needs_mfa(representation)
    error = ""
    if request.method == "POST":
        if request.POST.get("answer") == "decline":
            services.decline(token=token)
            messages.success(request, _("You declined the invitation."))
            return redirect("portal:home")
        try:
            services.accept(token=token, by=request.user, has_mfa=has_mfa)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(
                request,
                _("You can now act for %(name)s.") % {"name": representation.customer.full_name},
            )
            return redirect("representatives:helping")
    return render(
        request,
        "representatives/accept.html",
        {
            "representation": representation, "needs_mfa": needs_mfa and not has_mfa,
            "error": error, "scope_labels": _labels(representation.scopes),
        },
    )  # fmt: skip


def _labels(scopes) -> list:
    from accounts.acting import Scope

    return [Scope(s).label for s in scopes]


@representable()
@login_required
def helping(request: AuthenticatedHttpRequest) -> HttpResponse:
    """People you help: those you may act for today."""
    return render(
        request,
        "representatives/helping.html",
        {"helped": list(selectors.people_helped(user=request.user))},
    )


@representable()
@require_POST
@login_required
def act_for(request: AuthenticatedHttpRequest, representation_id: int) -> HttpResponse:
    """Start acting for someone: from the next page on, their records, within the scopes."""
    representation = selectors.get_helped_for_user(
        user=request.user, representation_id=representation_id
    )
    if SCOPES_NEEDING_MFA.intersection(representation.scopes) and not services.user_has_mfa(
        request.user
    ):
        messages.warning(
            request, _("Set up two-step sign-in first: acting on someone's claims needs it.")
        )
        return redirect("mfa_index")
    request.session.cycle_key()
    request.session[SESSION_KEY] = representation.pk
    return redirect("portal:home")


@representable()
@require_POST
@login_required
def stop_acting(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Back to your own account, in one click from the banner."""
    was = acting(request)
    request.session.pop(SESSION_KEY, None)
    if was is not None:
        messages.success(
            request, _("You are no longer acting for %(name)s.") % {"name": was.customer_name}
        )
    return redirect("representatives:helping")


@login_required
def step_down(request: AuthenticatedHttpRequest, representation_id: int) -> HttpResponse:
    """The representative stops acting for someone for good (their own representation: an
    organisation's adviser cannot end it for the other advisers)."""
    representation = selectors.get_helped_for_user(
        user=request.user, representation_id=representation_id
    )
    if representation.representative_id != request.user.pk:
        raise Http404
    if request.method == "POST":
        services.stop(representation=representation, by=request.user)
        messages.success(
            request,
            _("You no longer act for %(name)s.") % {"name": representation.customer.full_name},
        )
        return redirect("representatives:helping")
    return render(request, "representatives/step_down.html", {"representation": representation})
