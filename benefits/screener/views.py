"""Check what you could get: public, one question per page, no JavaScript needed."""

from __future__ import annotations

import functools
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.acting import Scope, acting, representable
from accounts.models import Customer
from benefits import assessment as snapshot
from benefits.assessment import assess_household
from benefits.catalogue import selectors as catalogue
from benefits.rules.base import Verdict
from benefits.rules.household_json import HouseholdInputError, household_from_json
from benefits.screener import questions, state
from benefits.screener.forms import SaveAnswersForm

# The order questions come in when several facts are missing: who is in the household
# first, then money, then the rest in the order the rules ask. Only order: which facts
# are asked at all comes from the rules.
PRIORITY = [
    "claimant.date_of_birth", "has_partner", "partner.date_of_birth", "children",
    "children.*.date_of_birth", "children.*.in_approved_education", "housing", "capital",
    "claimant.monthly_earnings", "partner.monthly_earnings",
]  # fmt: skip


def _priority(fact: str) -> int:
    import re

    general = re.sub(r"\.\d+\.", ".*.", fact)
    return PRIORITY.index(general) if general in PRIORITY else len(PRIORITY)


# Of what the estimates go without, what the screener asks: incomes for the year, for the
# High Income Child Benefit Charge.
ALSO_ASK = (".adjusted_net_income",)

# Yes/no questions whose "yes" needs a follow-up fact the rules cannot ask for by name.
FOLLOW_UPS = {"bereavement": "bereavement.partner_died_on"}


def _assess(answers):
    on = timezone.localdate()
    try:
        household = household_from_json(answers, on=on)
    except HouseholdInputError:
        # Not reached: every view loads the answers through _load, which takes out those
        # the format refuses. Should one slip through, estimate without the answers.
        household = household_from_json({}, on=on)
    return assess_household(household=household, on=on)


def _needs_rates(view):
    """A day with no rates loaded (after the last year with rates) gives a page that says
    so, rather than an estimate with another year's figures or an error."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except catalogue.RatesNotAvailable as exc:
            return render(request, "benefits/screener/unavailable.html", {"on": exc.on}, status=503)

    return wrapper


def _load(request: HttpRequest) -> dict:
    """The answers in the session, without any the household format refuses.

    The forms check every answer, so these can only be answers kept from an older version
    of the questions: they are taken out (and the first asked again, with a message), so
    that no page shows, assesses or saves them.
    """
    current = state.load(request.session)
    dropped = state.drop_refused(current, on=timezone.localdate())
    if dropped:
        asked_again = [fact for fact in dropped if questions.question_for(fact)]
        if asked_again and state.applies(current["answers"], asked_again[0]):
            current["pending"] = asked_again[0]
        state.save(request.session, current)
        messages.warning(
            request, _("We could not use one of your answers. Please answer the question again.")
        )
    return current


@representable()
@never_cache  # personal answers: never kept by the browser or a proxy
def start(request: HttpRequest) -> HttpResponse:
    current = state.load(request.session)
    return render(request, "benefits/screener/start.html", {"started": bool(current["history"])})


_AMOUNT = re.compile(r"\d+(\.\d+)?")


def _json_numbers(value):
    """The record keeps amounts as decimal strings ("1200.50"); the household JSON the
    screener keeps in the session (its schema) has them as numbers."""
    if isinstance(value, dict):
        return {key: _json_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_numbers(item) for item in value]
    if isinstance(value, str) and _AMOUNT.fullmatch(value):
        return float(value) if "." in value else int(value)
    return value


def _from_the_record(request: HttpRequest, current: dict) -> dict:
    """Tell us once: a signed-in person starting the screener starts from their record, so
    only what it does not hold is asked; every answer can still be changed."""
    if current["history"] or current["answers"] or not request.user.is_authenticated:
        return current
    helping = acting(request)
    if helping is not None and not helping.allows(Scope.SEE):
        return current  # a representative starts from the person's record only if they may see it
    customer = (
        Customer.objects.filter(pk=helping.customer_id).first()
        if helping is not None
        else Customer.objects.filter(user=request.user).first()
    )
    if customer is None:
        return current
    answers = _json_numbers(snapshot.household_data(customer=customer, on=timezone.localdate()))
    if not answers["children"]:
        answers.pop("children")
    try:
        household_from_json(answers, on=timezone.localdate())
    except HouseholdInputError:
        return current  # something on the record the screener cannot read: ask afresh
    current["answers"] = answers
    current["history"] = state.answered_facts(answers, questions.question_for)
    state.save(request.session, current)
    return current


@representable()
@never_cache
@_needs_rates
def next_question(request: HttpRequest) -> HttpResponse:
    current = _from_the_record(request, _load(request))
    if current["pending"]:
        return redirect("benefits:question", fact=current["pending"])
    assessment = _assess(current["answers"])
    missing = [fact for fact in assessment.missing if questions.question_for(fact)]
    if not missing:
        # Facts the estimates go without but a person can easily give, asked once.
        missing = [
            fact
            for fact in assessment.left_out
            if fact.endswith(ALSO_ASK) and fact not in current["history"]
            and questions.question_for(fact)
        ]  # fmt: skip
    if missing:
        first = min(missing, key=lambda fact: (_priority(fact), missing.index(fact)))
        return redirect("benefits:question", fact=first)
    return redirect("benefits:answers")


@representable()
@never_cache
@_needs_rates
def question(request: HttpRequest, fact: str) -> HttpResponse:
    found = questions.question_for(fact)
    if found is None:
        raise Http404
    q, fill = found
    current = _load(request)
    if not state.applies(current["answers"], fact):
        raise Http404  # e.g. a child the household does not have (an old page, a typed URL)
    initial = questions.from_json(q, state.display_value(current["answers"], fact))
    form = questions.form_for(
        q, fill, data=request.POST if request.method == "POST" else None, initial=initial
    )
    changing = request.GET.get("change") == "1"
    if request.method == "POST" and form.is_valid():
        value = form.cleaned_data["answer"]
        stored = questions.to_json(q, value)
        if fact in FOLLOW_UPS:
            # "Has your partner died?": yes asks the date next; no records no bereavement.
            if stored:
                current["pending"] = FOLLOW_UPS[fact]
            else:
                current["answers"]["bereavement"] = {}
                current["pending"] = None
        else:
            state.set_answer(current["answers"], fact, stored)
            if current["pending"] == fact:
                current["pending"] = None
        # Answers that no longer apply (a partner, a child) leave the answers and history.
        current["history"] = [f for f in current["history"] if state.applies(current["answers"], f)]
        if fact not in current["history"]:
            current["history"].append(fact)
        state.save(request.session, current)
        if changing and not current["pending"] and not _assess(current["answers"]).missing:
            return redirect("benefits:answers")
        return redirect("benefits:next")
    history = current["history"]
    position = history.index(fact) if fact in history else len(history)
    back = (
        reverse("benefits:question", kwargs={"fact": history[position - 1]})
        if position > 0
        else reverse("benefits:start")
    )
    if changing:
        back = reverse("benefits:answers")
    return render(
        request,
        "benefits/screener/question.html",
        {
            "form": form,
            "question": q,
            "title": form.fields["answer"].label,
            "back": back,
            "kind": q.kind,
        },
    )


@representable()
@never_cache
@_needs_rates
def answers(request: HttpRequest) -> HttpResponse:
    current = _load(request)
    rows = []
    for fact in current["history"]:
        found = questions.question_for(fact)
        if found is None:
            continue
        q, fill = found
        value = state.display_value(current["answers"], fact)
        if fact in FOLLOW_UPS:
            value = bool(current["answers"].get("bereavement"))
        if value is None:
            continue
        rows.append(
            {"fact": fact, "label": questions.words(q.title, fill), "value": _display(q, value)}
        )
    if not rows:
        return redirect("benefits:start")
    back = reverse("benefits:question", kwargs={"fact": current["history"][-1]})
    return render(
        request,
        "benefits/screener/answers.html",
        {"rows": rows, "complete": not _assess(current["answers"]).missing, "back": back},
    )


def _display(q, value) -> str:
    if q.kind == "yes_no":
        return _("Yes") if value else _("No")
    if q.kind == "choice":
        return str(dict(q.choices).get(value, value))
    if q.kind == "date":
        from datetime import date

        from django.utils.formats import date_format

        return date_format(date.fromisoformat(value), "j F Y")
    if q.kind == "money":
        from decimal import Decimal

        from benefits.rules.base import gbp

        return gbp(Decimal(str(value)))
    return str(value)


@representable()
@never_cache
@_needs_rates
def results(request: HttpRequest) -> HttpResponse:
    current = _load(request)
    assessment = _assess(current["answers"])
    if assessment.missing:
        return redirect("benefits:next")
    by_code = catalogue.benefits_by_code()
    order = {
        Verdict.ELIGIBLE: 0,
        Verdict.NEEDS_ASSESSMENT: 1,
        Verdict.NEED_MORE_INFORMATION: 2,
        Verdict.NOT_ELIGIBLE: 3,
    }
    rows = sorted(
        ({"result": r, "benefit": by_code.get(r.benefit)} for r in assessment.results),
        key=lambda row: (
            order[row["result"].verdict],
            row["benefit"].display_order if row["benefit"] else 999,
        ),
    )
    return render(request, "benefits/screener/results.html", {"rows": rows, "on": assessment.on})


@representable()
@require_POST
def start_again(request: HttpRequest) -> HttpResponse:
    state.clear(request.session)
    return redirect("benefits:start")


@representable(Scope.ACT)
@login_required
def save_answers(request: HttpRequest) -> HttpResponse:
    from accounts.selectors import get_customer_for_request
    from benefits.screener.save import save_answers_as_facts

    current = _load(request)
    if not current["history"]:
        return redirect("benefits:start")
    customer = get_customer_for_request(request)
    if request.method == "POST":
        form = SaveAnswersForm(request.POST)
        if not form.is_valid():
            raise BadRequest("The page's two buttons send yes or no.")
        if form.cleaned_data["save"]:
            count = save_answers_as_facts(
                customer=customer, by=request.user, answers=current["answers"],
                answered_at=state.answered_at(request.session),
            )  # fmt: skip
            messages.success(
                request,
                ngettext(
                    "Your answers have been saved to your account (%(count)d change).",
                    "Your answers have been saved to your account (%(count)d changes).",
                    count,
                )
                % {"count": count},
            )
        return redirect("portal:home")
    return render(request, "benefits/screener/save.html", {})
