"""Journeys, the to-do list, goals and reporting a change: the person's own pages."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.acting import Scope, representable
from accounts.selectors import get_customer_for_request
from journeys import services
from journeys.forms import (
    ChangeForm,
    ChangeKindForm,
    GoalForm,
    JourneyForm,
    PlanStatusForm,
    TaskDoneForm,
)
from journeys.models import ChangeReport, Goal, Journey, JourneyStatus, LifeEvent, Task


def _customer(request: HttpRequest):
    return get_customer_for_request(request)


def _journey(request: HttpRequest, journey_id: int) -> Journey:
    journey = (
        Journey.objects.filter(customer=_customer(request), pk=journey_id)
        .select_related("life_event", "customer")
        .first()
    )
    if journey is None:
        raise Http404
    return journey


@representable(Scope.SEE)
@never_cache
@login_required
def index(request: HttpRequest) -> HttpResponse:
    customer = _customer(request)
    return render(request, "journeys/index.html", {
        "events": LifeEvent.objects.filter(active=True),
        "journeys": list(Journey.objects.filter(customer=customer).select_related("life_event")),
    })  # fmt: skip


@representable(Scope.ACT)
@never_cache
@login_required
def start(request: HttpRequest, code: str) -> HttpResponse:
    customer = _customer(request)
    event = get_object_or_404(LifeEvent, code=code, active=True)
    open_journey = (
        Journey.objects.filter(customer=customer, life_event=event)
        .exclude(status=JourneyStatus.FINISHED)
        .first()
    )
    if open_journey:
        return redirect("journeys:plan", journey_id=open_journey.pk)
    form = JourneyForm(
        request.POST if request.method == "POST" else None, event=event, born=customer.date_of_birth,
        initial=services.known_for_questions(customer=customer, questions=event.questions),
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            journey = services.start_journey(
                customer=customer, event=event, event_date=form.cleaned_data["event_date"],
                answers=form.household_answers(), by=request.user,
            )  # fmt: skip
        except services.JourneyExists as exc:
            journey = exc.journey
        return redirect("journeys:plan", journey_id=journey.pk)
    return render(request, "journeys/start.html", {"event": event, "form": form})


@representable(Scope.SEE)
@never_cache
@login_required
def plan(request: HttpRequest, journey_id: int) -> HttpResponse:
    journey = _journey(request, journey_id)
    if request.method == "POST":
        form = PlanStatusForm(request.POST)
        if not form.is_valid():
            raise BadRequest("The plan's status buttons send one of the statuses.")
        status = form.cleaned_data["status"]
        services.set_journey_status(journey=journey, status=status, by=request.user)
        messages.success(
            request, _("Your plan is now: %(status)s.") % {"status": JourneyStatus(status).label}
        )
        return redirect("journeys:plan", journey_id=journey.pk)
    return render(
        request, "journeys/plan.html", {"plan": services.plan_for(journey), "journey": journey}
    )


@representable(Scope.SEE)
@never_cache
@login_required
def todo(request: HttpRequest) -> HttpResponse:
    return render(request, "journeys/todo.html", {"items": services.todo_for(_customer(request))})


@representable(Scope.ACT)
@require_POST
@login_required
def task_done(request: HttpRequest, task_id: int) -> HttpResponse:
    task = Task.objects.filter(customer=_customer(request), pk=task_id).first()
    if task is None:
        raise Http404
    form = TaskDoneForm(request.POST)
    if not form.is_valid():
        raise BadRequest("The task's form sends only its hidden fields.")
    services.mark_task_done(task=task, done=form.cleaned_data["done"], by=request.user)
    messages.success(request, _("“%(task)s” is marked as done.") % {"task": task.title})
    return redirect(form.cleaned_data["next"] or "journeys:todo")


@representable(Scope.SEE)
@never_cache
@login_required
def goals(request: HttpRequest) -> HttpResponse:
    customer = _customer(request)
    form = GoalForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.create_goal(
            customer=customer, title=form.cleaned_data["title"], target_date=form.cleaned_data["target_date"],
            steps=form.cleaned_data["steps"].splitlines(), by=request.user,
        )  # fmt: skip
        messages.success(request, _("Your goal is saved. Its steps are on your to-do list."))
        return redirect("journeys:goals")
    return render(request, "journeys/goals.html", {
        "form": form, "goals": Goal.objects.filter(customer=customer).prefetch_related("steps"),
    })  # fmt: skip


@representable(Scope.ACT)
@never_cache
@login_required
def change_start(request: HttpRequest) -> HttpResponse:
    form = ChangeKindForm(request.GET or None)
    if request.GET and form.is_valid():
        return redirect("journeys:change", kind=form.cleaned_data["kind"])
    return render(request, "journeys/change_start.html", {"form": form})


@representable(Scope.ACT)
@never_cache
@login_required
def change(request: HttpRequest, kind: str) -> HttpResponse:
    """Tell us once: the change and its date → its effect on claims and estimates → confirm."""
    if kind not in services.CHANGE_KINDS:
        raise Http404
    customer = _customer(request)
    members = list(customer.household.filter(left_on__isnull=True).exclude(relationship="partner"))
    form = ChangeForm(
        request.POST if request.method == "POST" else None,
        kind=kind,
        born=customer.date_of_birth,
        members=members,
    )
    context = {"form": form, "kind": kind, "label": services.CHANGE_KINDS[kind]}
    if request.method == "POST" and form.is_valid():
        happened_on: date = form.cleaned_data["happened_on"]
        details = form.details()
        if request.POST.get("confirm") == "yes" and form.cleaned_data["token"]:
            report = services.confirm_change(
                customer=customer, by=request.user, token=form.cleaned_data["token"], kind=kind,
                details=details, happened_on=happened_on,
            )  # fmt: skip
            messages.success(request, _("Thank you. We have recorded your change."))
            offer = services.journey_offered_by_change(
                customer=customer, kind=kind, details=details, happened_on=happened_on
            )
            if offer and LifeEvent.objects.filter(code=offer, active=True).exists():
                request.session["journeys_offer"] = offer
            return redirect("journeys:change_done", report_id=report.pk)
        effects = services.preview_change(
            customer=customer, kind=kind, details=details, happened_on=happened_on
        )
        form.data = form.data.copy()
        form.data["token"] = services.new_change_token()
        context |= {"effects": effects, "happened_on": happened_on, "preview": True}
    return render(request, "journeys/change.html", context)


@representable(Scope.ACT)
@never_cache
@login_required
def change_done(request: HttpRequest, report_id: int) -> HttpResponse:
    report = ChangeReport.objects.filter(customer=_customer(request), pk=report_id).first()
    if report is None:
        raise Http404
    offer_code = request.session.pop("journeys_offer", None)
    offer = LifeEvent.objects.filter(code=offer_code).first() if offer_code else None
    return render(request, "journeys/change_done.html", {"report": report, "offer": offer,
                                                         "label": services.CHANGE_KINDS.get(report.kind, report.kind)})  # fmt: skip


@representable(Scope.SEE)
@never_cache
@login_required
def changes(request: HttpRequest) -> HttpResponse:
    reports = ChangeReport.objects.filter(customer=_customer(request))[:50]
    return render(
        request, "journeys/changes.html", {"reports": reports, "kinds": services.CHANGE_KINDS}
    )
