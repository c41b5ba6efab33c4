"""Internal notes never reach the person.

A caseworker's notes, and the note they keep with an award they worked out by hand, are
for staff. The person sees the itemised statement with an "adjustment" line and the
reason written for them: on every page, in the decision letter and in every message.
"""

from __future__ import annotations

import html
import io
from decimal import Decimal

import pypdf
import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from benefits.claims import decisions as claim_decisions
from benefits.claims import timeline as claim_timeline
from benefits.models import AwardStatement, CaseNote, Claim, ClaimEvent, ClaimStatus, Decision
from notifications.models import Delivery, Notification
from notifications.services import deliver_many
from tests.benefits.test_casework_admin import casey  # noqa: F401  (the signed-in caseworker)
from tests.benefits.test_claim_services import eligible_carers_claim, weekly_rate

pytestmark = pytest.mark.django_db
S = ClaimStatus

NOTE = "Suspect the hours are overstated; ask the GP surgery"
AWARD_NOTE = "Rules lack two facts; amount worked out by hand from the payslips"
REVISION_NOTE = "Team leader agreed the night care counts, see email of 3 March"
ADJUSTMENT_REASON = "We added the weeks you cared for your mother before you applied"
REVISION_REASON = "Your night care counts towards your caring hours"
SECRETS = (NOTE, AWARD_NOTE, REVISION_NOTE, "Rules lack", "by hand", "GP surgery")


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


def _pdf_text(response) -> str:
    assert response.status_code == 200, response.status_code
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def handled_by_hand(casey, citizen, caseworker):  # noqa: F811
    """A Carer's Allowance claim a caseworker noted, awarded at a typed amount through the
    admin's award form, then revised with another internal note."""
    citizen.customer.contact_channels = ["email"]
    citizen.customer.save(update_fields=["contact_channels"])
    claim = eligible_carers_claim(citizen)  # in review
    act = f"/admin/benefits/claim/{claim.pk}/act/"
    casey.post(act + "note/", {"note-text": NOTE})
    casey.post(
        act + "award/",
        {"award-amount": "95.00", "award-adjustment_reason": ADJUSTMENT_REASON,
         "award-internal_note": AWARD_NOTE, "award-reasons": ""},
    )  # fmt: skip
    claim_decisions.revise_award(
        claim=claim, by=caseworker, amount=Decimal("99.00"), reason=REVISION_REASON,
        effective_from=timezone.localdate(), internal_note=REVISION_NOTE,
    )  # fmt: skip
    claim = Claim.objects.get(pk=claim.pk)
    assert claim.status == S.AWARDED
    return claim


def test_the_caseworker_form_keeps_the_note_for_staff_and_the_reason_for_the_person(
    handled_by_hand,
    casey,  # noqa: F811
):
    first = AwardStatement.objects.get(claim=handled_by_hand, version=1)

    assert first.amount == Decimal("95.00")
    assert first.adjustment_reason == ADJUSTMENT_REASON
    adjustment = first.elements[-1]
    assert adjustment["code"] == "adjustment"
    assert adjustment["note"] == ADJUSTMENT_REASON
    assert Decimal(adjustment["amount"]) == Decimal("95.00") - weekly_rate()
    notes = CaseNote.objects.filter(claim=handled_by_hand).order_by("at", "pk")
    assert [(n.text, n.statement_id is not None) for n in notes] == [
        (NOTE, False), (AWARD_NOTE, True), (REVISION_NOTE, True),
    ]  # fmt: skip
    # Staff see every note on the claim and on the person's 360° page.
    for url in (
        f"/admin/benefits/claim/{handled_by_hand.pk}/change/",
        f"/admin/customers/{handled_by_hand.customer_id}/360/",
    ):
        page = _text(casey.get(url))
        for note in (NOTE, AWARD_NOTE, REVISION_NOTE):
            assert note in page


def test_no_internal_note_reaches_any_page_letter_or_message_the_person_sees(
    handled_by_hand, citizen
):
    claim = handled_by_hand
    person = Client()
    person.force_login(citizen)
    decision = Decision.objects.get(claim=claim)
    surfaces = {
        "claim page": _text(person.get(reverse("claims:detail", args=[claim.pk]))),
        "live status": _text(person.get(reverse("claims:status", args=[claim.pk]))),
        "statement 1": _text(person.get(reverse("claims:statement", args=[claim.pk, 1]))),
        "statement 2": _text(person.get(reverse("claims:statement", args=[claim.pk, 2]))),
        "letter": _pdf_text(
            person.get(reverse("claims:decision_letter", args=[claim.pk, decision.pk]))
        ),
        "your services": _text(person.get("/your-services/")),
        "to-do list": _text(person.get("/journeys/to-do/")),
        "messages": _text(person.get(reverse("notifications:inbox"))),
    }
    notifications = Notification.objects.filter(customer=claim.customer)
    assert notifications.exists()
    for notification in notifications:
        surfaces[f"in-app message {notification.pk}"] = f"{notification.title} {notification.body}"
    mail.outbox.clear()
    deliver_many(list(Delivery.objects.filter(notification__in=notifications).values_list("pk", flat=True)))  # fmt: skip
    assert mail.outbox, "the person gets emails, so the test reads them"
    for index, message in enumerate(mail.outbox):
        bodies = [message.subject, message.body, *(content for content, _ in message.alternatives)]
        surfaces[f"email {index}"] = html.unescape(" ".join(bodies))
    # And the timeline rows the claim page is built from.
    surfaces["timeline"] = " ".join(
        ClaimEvent.objects.filter(claim=claim, visible_to_customer=True).values_list("reason", flat=True)
    )  # fmt: skip

    for name, text in surfaces.items():
        for secret in SECRETS:
            assert secret not in text, f"{secret!r} is on the {name}"
    # The statement is still itemised: the rules' line and the adjustment with its reason.
    for name in ("statement 1", "letter"):
        assert "Carer's Allowance" in surfaces[name]
        assert "Adjustment by a caseworker" in surfaces[name], name
        assert ADJUSTMENT_REASON in surfaces[name], name
    assert REVISION_REASON in surfaces["statement 2"]
    assert "Adjustment by a caseworker" in surfaces["statement 2"]


def test_an_amount_typed_by_hand_needs_a_reason_for_the_person_not_only_a_note(citizen, caseworker):
    claim = eligible_carers_claim(citizen)

    with pytest.raises(claim_decisions.ReasonNeeded):
        claim_decisions.award_claim(
            claim=claim, by=caseworker, amount=Decimal("95.00"), internal_note=AWARD_NOTE
        )

    assert Claim.objects.get(pk=claim.pk).status == S.IN_REVIEW
    assert not CaseNote.objects.filter(claim=claim).exists()
    assert not AwardStatement.objects.filter(claim=claim).exists()


def test_a_note_is_its_own_record_and_tells_nobody(citizen, caseworker):
    claim = eligible_carers_claim(citizen)
    events, told = claim.events.count(), Notification.objects.count()

    note = claim_timeline.add_internal_note(claim=claim, by=caseworker, text=f"  {NOTE} ")

    assert (note.claim_id, note.by, note.text) == (claim.pk, caseworker, NOTE)
    assert claim.events.count() == events
    assert Notification.objects.count() == told
    # Claim has no way to the notes: a template given a claim cannot print them.
    assert not hasattr(claim, "casenote_set")
    assert not any(getattr(f, "related_model", None) is CaseNote for f in Claim._meta.get_fields())
