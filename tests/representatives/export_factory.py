"""A person with a record of every kind "Download my data" covers, set up through the
services the pages and the caseworkers use (the factories in tests/), and helpers to read
an export's ZIP.

Representation and RepresentativeAction have no services yet (the delegation work adds
them), so those two rows are written directly, as the delegation middleware would.
"""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone
from pypdf import PdfReader

from accounts import services as accounts_services
from accounts.models import AccessEvent, FactKind
from appointments import services as appointment_services
from benefits.claims import documents as claim_documents
from benefits.claims import timeline
from benefits.models import EventKind
from conversations import casework
from journeys import services as journey_services
from journeys.models import LifeEvent
from notifications.services import notify
from representatives.models import Representation, RepresentativeAction
from representatives.models.export import DataExport
from tests.appointment_factory import booked_appointment
from tests.claim_factory import (
    awarded_claim,
    claim_with_request,
    png_bytes,
    sent_claim,
    upload,
)
from tests.conftest import make_person
from tests.conversations.helpers import agency_replies, ask


@dataclass
class Person:
    """What was set up for one person: the words that must (or must not) be in an export."""

    user: object
    given: str
    family: str
    nino: str
    words: str
    ids: dict[str, set[int]] = field(default_factory=dict, repr=False)
    references: set[str] = field(default_factory=set)
    internal: list[str] = field(default_factory=list)
    kept_files: list[bytes] = field(default_factory=list, repr=False)

    @property
    def customer(self):
        return self.user.customer

    def add(self, kind: str, pk: int) -> None:
        self.ids.setdefault(kind, set()).add(pk)


def populate(
    user, caseworker, *, given: str, family: str, nino: str, words: str, colour: str
) -> Person:
    """Every kind of record for ``user``'s customer; ``words`` marks their texts and
    ``colour`` their pictures, so two people's exports can be told apart."""
    person = Person(user=user, given=given, family=family, nino=nino, words=words)
    customer = user.customer
    accounts_services.update_personal_details(
        customer=customer, by=user, legal_given_names=given, legal_family_name=family,
        preferred_name="", date_of_birth=date(1980, 4, 12), ni_number=nino,
    )  # fmt: skip
    member = accounts_services.add_household_member(
        customer=customer, by=user, relationship="child", name=f"{words} Child",
        date_of_birth=date(2015, 1, 1), joined_on=date(2015, 1, 1),
    )  # fmt: skip
    person.add("household", member.pk)
    # A circumstance and its history: told by the person, then corrected by a caseworker.
    for value, by in ((1000, user), (2500, caseworker)):
        fact = accounts_services.record_fact(
            customer=customer, kind=FactKind.CAPITAL, value=value,
            effective_from=date(2025, 1, 1), by=by,
        )  # fmt: skip
        if fact is not None:
            person.add("facts", fact.pk)

    # Claims: one awarded (decision, statement, payments), one with a document, one with a
    # request for information; an internal note and a hidden event on the first.
    awarded, decision = awarded_claim(user, caseworker)
    person.add("claims", awarded.pk)
    person.add("decisions", decision.pk)
    person.add("statements", decision.statement.pk)
    for payment_id in awarded.payments.values_list("pk", flat=True):
        person.add("payments", payment_id)
    person.references.add(awarded.reference)
    with_document = sent_claim(user)
    document = claim_documents.add_document(
        claim=with_document, by=user, uploaded=upload(f"{words}-payslip.png", png_bytes(colour)),
        evidence_kind="Payslip",
    )  # fmt: skip
    person.add("claims", with_document.pk)
    person.add("documents", document.pk)
    person.references.add(with_document.reference)
    person.kept_files.append(document.file.open("rb").read())
    document.file.close()
    with_request, _request = claim_with_request(user, caseworker)
    person.add("claims", with_request.pk)
    person.references.add(with_request.reference)
    note = f"INTERNAL {words} case note"
    timeline.add_internal_note(claim=awarded, by=caseworker, text=note)
    hidden = f"HIDDEN {words} timeline event"
    timeline.record_event(
        claim=awarded, by=caseworker, kind=EventKind.INFORMATION, reason=hidden, visible=False
    )
    person.internal += [note, hidden]

    # Messages: a question with a picture, our answer, and a note staff keep to themselves.
    conversation = ask(
        user, subject=f"{words} question", body=f"{words} message body",
        files=[upload(f"{words}-photo.png", png_bytes(colour))],
    )  # fmt: skip
    agency_replies(conversation, body=f"{words} our answer", by=caseworker)
    conversation_note = f"INTERNAL {words} conversation note"
    casework.add_internal_note(conversation=conversation, by=caseworker, text=conversation_note)
    person.internal.append(conversation_note)
    person.add("conversations", conversation.pk)
    person.references.add(conversation.reference)
    attachment = conversation.messages.first().attachments.get()
    person.kept_files.append(attachment.file.open("rb").read())
    attachment.file.close()

    # An appointment we had to move, with notes for staff and a word for the person.
    appointment = booked_appointment(user)
    staff_note = f"INTERNAL {words} appointment note"
    appointment_services.record_outcome(
        appointment=appointment, outcome="rescheduled", by=caseworker, note=staff_note,
        for_person=f"{words} we will call you",
    )  # fmt: skip
    person.internal.append(staff_note)
    person.add("appointments", appointment.pk)
    person.references.add(appointment.reference)

    # Plans, goals and a change reported.
    journey_services.start_journey(
        customer=customer, event=LifeEvent.objects.get(code="having-a-baby"),
        event_date=timezone.localdate() + timedelta(days=60), answers={}, by=user,
    )  # fmt: skip
    journey_services.create_goal(
        customer=customer, title=f"{words} goal", target_date=None, steps=["First step"], by=user
    )
    journey_services.confirm_change(
        customer=customer, by=user, token=uuid.uuid4().hex, kind="savings",
        details={"capital": "500"}, happened_on=timezone.localdate() - timedelta(days=3),
    )  # fmt: skip

    notify(customer=customer, kind="status", title=f"{words} notification")

    # Someone acting for them, and what they did.
    helper = make_person(f"helper-{words.lower()}@example.org")
    representation = Representation.objects.create(
        customer=customer, kind=Representation.Kind.PERSON, status=Representation.Status.ACTIVE,
        representative=helper, name=f"{words} Helper", invited_email=helper.email,
        scopes=["see", "act"], created_by=user, accepted_at=timezone.now(),
    )  # fmt: skip
    representation.claims.add(awarded)
    RepresentativeAction.objects.create(
        representation=representation, customer=customer, by=helper, by_name=f"{words} Helper",
        kind=RepresentativeAction.Kind.ACTION, what="Sent a document", route="claims:add_evidence",
    )  # fmt: skip
    person.add("representatives", representation.pk)

    # What they agreed to: sharing with that representative, and being asked about research.
    from representatives import consents

    for purpose, party in (
        (consents.REPRESENTATIVES, consents.Party.representation(representation.pk)),
        (consents.RESEARCH, None),
    ):
        record = consents.grant_consent(customer=customer, purpose=purpose, by=user, party=party)
        person.add("consents", record.pk)

    # A caseworker opened their claim.
    AccessEvent.objects.create(
        customer=customer, customer_ids=[customer.pk], staff=caseworker, role="caseworker",
        what=AccessEvent.What.CLAIM, object_id=awarded.pk, model="benefits.claim",
        view="admin:benefits_claim_change",
    )  # fmt: skip
    return person


# --- Reading an export --------------------------------------------------------------------------


@dataclass
class Opened:
    names: list[str]
    members: dict[str, bytes]
    data: dict
    pdf_text: str

    def everything(self) -> str:
        """Every text in the ZIP: data.json, the PDF's words, and each file read as text."""
        texts = [self.pdf_text]
        texts += [content.decode("utf-8", "replace") for content in self.members.values()]
        return "\n".join(texts)


def open_export(export: DataExport) -> Opened:
    with export.file.open("rb") as handle:
        raw = handle.read()
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    reader = PdfReader(io.BytesIO(members["summary.pdf"]))
    pdf_text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return Opened(
        names=sorted(members),
        members=members,
        data=json.loads(members["data.json"]),
        pdf_text=pdf_text,
    )
