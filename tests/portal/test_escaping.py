"""Text staff type in the admin reaches people's pages as text, never as markup.

Life events are content staff edit (names, summaries, questions and their hints, tasks,
partner services); a ``<script>`` or an ``<img onerror>`` typed there must reach the
citizen's pages escaped. A lint test keeps new ways around autoescaping (``|safe``,
``mark_safe``, ``{% autoescape off %}``, ``format_html`` with a built format) from slipping
in: each one must be on an allow-list with its reason.
"""

from __future__ import annotations

import ast
import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from journeys.models import LifeEvent
from tests.helpers import select

SCRIPT = "<script>alert(1)</script>"
IMAGE = "<img src=x onerror=alert(1)>"
BOTH = f"{SCRIPT} {IMAGE}"


def assert_shown_as_text(response) -> None:
    page = response.content.decode()
    assert response.status_code == 200
    assert SCRIPT not in page
    assert IMAGE not in page
    assert escape(SCRIPT) in page
    assert escape(IMAGE) in page
    # Read as a browser would: no script says alert, no image has an onerror.
    assert not [s for s in select(response, "script") if "alert" in (s.text or "")]
    assert not [i for i in select(response, "img") if i.get("onerror")]


@pytest.fixture
def hostile_event(operator_client):
    """A life event as a member of staff saved it in the admin, markup typed everywhere."""
    event = LifeEvent.objects.get(code="having-a-baby")
    data = {
        "code": event.code, "name": f"Baby {BOTH}", "summary": f"Summary {BOTH}",
        "date_question": f"When {BOTH}?", "display_order": event.display_order, "active": "on",
        "questions": json.dumps([
            {"slug": "caring", "text": f"Question {BOTH}", "hint": f"Hint {BOTH}",
             "kind": "yes_no", "path": ""},
        ]),
        "benefits_to_check": json.dumps(event.benefits_to_check),
        "tasks": json.dumps([
            {"key": "register", "title": f"Task {BOTH}", "help": f"Help {BOTH}",
             "due_days": 42, "link": "https://www.gov.uk/register-birth"},
        ]),
        "partner_services": json.dumps([
            {"organisation": f"Org {BOTH}", "helps_with": f"Helps {BOTH}",
             "contact": f"Contact {BOTH}"},
        ]),
        "updates_facts": json.dumps(event.updates_facts),
    }  # fmt: skip
    response = operator_client.post(f"/admin/journeys/lifeevent/{event.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    event.refresh_from_db()
    assert event.questions[0]["hint"] == f"Hint {BOTH}"
    operator_client.logout()
    return event


def test_a_staff_edited_life_event_is_escaped_on_every_citizen_page(hostile_event, client, citizen):
    client.force_login(citizen)

    listing = client.get(reverse("journeys:index"))
    start = client.get(reverse("journeys:start", args=[hostile_event.code]))
    started = client.post(
        reverse("journeys:start", args=[hostile_event.code]),
        {
            "event_date_day": (day := timezone.localdate() + timedelta(days=30)).day,
            "event_date_month": day.month,
            "event_date_year": day.year,
            "caring": "no",
        },
    )
    plan = client.get(started["Location"])
    todo = client.get(reverse("journeys:todo"))

    for page in (listing, start, plan, todo):
        assert_shown_as_text(page)
    # The hint is where the question's help goes: as text, under the question.
    assert escape(f"Hint {BOTH}") in start.content.decode()
    assert escape(f"Help {BOTH}") in plan.content.decode()


def test_a_task_link_that_is_not_https_is_refused_in_the_admin(operator_client):
    event = LifeEvent.objects.get(code="having-a-baby")
    task = {**event.tasks[0], "link": "javascript:alert(1)"}
    data = {
        "code": event.code, "name": event.name, "summary": event.summary,
        "date_question": event.date_question, "display_order": event.display_order,
        "active": "on", "questions": json.dumps(event.questions),
        "benefits_to_check": json.dumps(event.benefits_to_check),
        "tasks": json.dumps([task]), "partner_services": json.dumps(event.partner_services),
        "updates_facts": json.dumps(event.updates_facts),
    }  # fmt: skip

    response = operator_client.post(f"/admin/journeys/lifeevent/{event.pk}/change/", data)

    assert response.status_code == 200  # the form again, with its error
    assert "must start with https://" in response.content.decode()
    event.refresh_from_db()
    assert "javascript:" not in json.dumps(event.tasks)


def test_the_ni_number_hint_in_the_admin_escapes_what_is_on_record(operator_client, citizen):
    # The admin renders a field's help text unescaped, so a hint built from a stored value
    # must escape it. A record imported with a stray "<" in it:
    from accounts.models import Customer

    Customer.objects.filter(pk=citizen.customer.pk).update(ni_number="<s>")

    page = operator_client.get(f"/admin/accounts/customer/{citizen.customer.pk}/change/")

    assert page.status_code == 200
    assert "ending &lt;S &gt;" in page.content.decode()
    assert not select(page, ".help s")


# The lint: every way around autoescaping is on this list, with its reason.

ROOT = Path(settings.BASE_DIR)
APPS = (
    "accounts", "appointments", "benefits", "conversations", "journeys", "lib", "notifications",
    "portal",
)  # fmt: skip
# (path relative to the project, what it uses) → why it is safe.
ALLOWED: dict[tuple[str, str], str] = {
    ("templates/representatives/email/invitation_message.txt", "autoescape off"):
        "plain-text email: HTML escaping would put &amp; into the names",
    ("templates/representatives/email/invitation_subject.txt", "autoescape off"):
        "plain-text email subject",
    ("templates/representatives/privacy/email/account_closed_message.txt", "autoescape off"):
        "plain-text email: HTML escaping would put &amp; into the schedule's words",
    ("templates/representatives/privacy/email/account_closed_subject.txt", "autoescape off"):
        "plain-text email subject: a fixed translated sentence",
    ("templates/account/email/base_message.txt", "autoescape off"):
        "plain-text email: HTML escaping would put &amp; into the person's text",
    ("templates/account/email/bank_details_changed_subject.txt", "autoescape off"):
        "plain-text email subject: a fixed translated sentence",
    ("templates/account/email/contact_details_changed_subject.txt", "autoescape off"):
        "plain-text email subject: a fixed translated sentence",
    ("templates/notifications/email/notification.txt", "autoescape off"):
        "the text/plain part of an email; the HTML part (notification.html) escapes",
}  # fmt: skip

TEMPLATE_BYPASSES = re.compile(r"\|\s*safe(?:seq)?\b|\{%\s*autoescape\s+off\s*%\}")
PYTHON_BYPASSES = re.compile(r"\b(mark_safe|SafeString|SafeText|safe_join)\s*\(|\|\s*safe\b")


def _template_files() -> list[Path]:
    folders = [ROOT / "templates", *(ROOT / app / "templates" for app in APPS)]
    return sorted(p for folder in folders if folder.is_dir() for p in folder.rglob("*.*"))


def _python_files() -> list[Path]:
    return sorted(
        p for app in APPS for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts
    )


def _bypasses() -> set[tuple[str, str]]:
    found = set()
    for path in _template_files():
        for match in TEMPLATE_BYPASSES.finditer(path.read_text()):
            kind = "autoescape off" if "autoescape" in match.group() else "|safe"
            found.add((str(path.relative_to(ROOT)), kind))
    for path in _python_files():
        for match in PYTHON_BYPASSES.finditer(path.read_text()):
            found.add((str(path.relative_to(ROOT)), match.group(1) or "|safe"))
    return found


def test_every_way_around_autoescaping_is_on_the_allow_list_with_a_reason():
    found = _bypasses()

    assert found - ALLOWED.keys() == set(), (
        "Text from people or staff must be escaped. Build markup with format_html from "
        "code-side parts, or add the occurrence to ALLOWED with the reason it is safe."
    )
    assert all(reason.strip() for reason in ALLOWED.values())
    assert ALLOWED.keys() - found == set(), "an allowed occurrence is gone: remove it from ALLOWED"


def test_format_html_is_only_given_a_format_written_in_the_code():
    """format_html escapes its arguments, not its format: a format built from data (an
    f-string, a variable, a concatenation) would put that data on the page as markup."""
    wrong = []
    for path in _python_files():
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            position = {"format_html": 0, "format_html_join": 1}.get(name or "")
            if position is None or len(node.args) <= position:
                continue
            fmt = node.args[position]
            if not (isinstance(fmt, ast.Constant) and isinstance(fmt.value, str)):
                wrong.append(f"{path.relative_to(ROOT)}:{node.lineno}")

    assert wrong == []


def test_the_lint_sees_a_new_bypass(tmp_path):
    # The patterns themselves: what they must catch, and a plain use they must not.
    assert TEMPLATE_BYPASSES.search("{{ field.help_text|safe }}")
    assert TEMPLATE_BYPASSES.search("{{ rows | safeseq }}")
    assert TEMPLATE_BYPASSES.search("{% autoescape off %}")
    assert not TEMPLATE_BYPASSES.search("{{ field.help_text }} {% translate 'safe' %}")
    assert PYTHON_BYPASSES.search("return mark_safe(text)")
    assert PYTHON_BYPASSES.search("SafeString(value)")
    assert not PYTHON_BYPASSES.search("def govuk_widget(field) -> SafeString:")
