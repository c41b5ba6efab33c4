"""Demo conversations: a question in every status for the demo citizens, a complaint
waiting for a supervisor, one past its service level, with a photo attached, reply
templates and the teams that answer them.

Made through the services people and caseworkers use (so notifications, read receipts and
notes are real), then, where a demo needs the past, moved back in time with an UPDATE.
"""

from __future__ import annotations

import io
import uuid
from datetime import timedelta
from typing import TextIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from accounts.models import Customer, Team, User
from benefits.models import Claim
from conversations import casework, services
from conversations.models import Conversation, ReplyTemplate, Topic

TEAMS = ["Service centre (Leeds)", "Pension Service (Wrexham)"]

TEMPLATES = [
    (
        "Thank you, we are looking into it",
        None,
        "Dear {name},\n\nThank you for your message. We are looking into it and will reply "
        "again within 2 working days. Your reference is {reference}.\n\nThe Service centre",
    ),
    (
        "We have your document",
        "documents",
        "Dear {name},\n\nThank you for your message. We have received the document you sent "
        "for your claim {claim_reference} and a caseworker will check it within 5 working "
        "days. You do not need to do anything else.\n\nThe Service centre",
    ),
    (
        "Payment dates",
        "payments",
        "Dear {name},\n\nThank you for your message. Your payment dates are on the claim "
        "page in Your services. If a payment is more than 2 working days late, reply here "
        "and we will look into it straight away.\n\nThe Service centre",
    ),
    (
        "Complaint received",
        "complaint",
        "Dear {name},\n\nWe are sorry you are unhappy with our service. A supervisor will look "
        "at what happened and reply within 5 working days. Your reference is {reference}."
        "\n\nThe Service centre",
    ),
]


def _photo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (240, 160), (220, 228, 236)).save(buffer, "PNG")
    return SimpleUploadedFile("payslip.png", buffer.getvalue(), content_type="image/png")


def _person(email: str) -> Customer | None:
    return Customer.objects.filter(user__email=email).select_related("user").first()


def _start(customer: Customer, topic: str, subject: str, body: str, **extra) -> Conversation:
    if customer.user is None:
        raise ValueError(f"The demo customer {customer.reference} has no sign-in.")
    return services.start_conversation(
        customer=customer, by=customer.user, topic=Topic.objects.get(code=topic),
        subject=subject, body=body, submission_key=uuid.uuid4(), **extra,
    )  # fmt: skip


def _back(conversation: Conversation, days: int) -> None:
    """Move a conversation and its messages ``days`` into the past (demo only)."""
    shift = timedelta(days=days)
    conversation.messages.update(sent_at=timezone.now() - shift)
    Conversation.objects.filter(pk=conversation.pk).update(
        created_at=timezone.now() - shift, last_message_at=timezone.now() - shift,
        waiting_since=timezone.now() - shift,
        reply_due_on=timezone.localdate() - timedelta(days=max(days - 2, 1)),
    )  # fmt: skip


def seed(*, stdout: TextIO) -> None:
    caseworker = User.objects.get(email="caseworker@example.org")
    leader = User.objects.get(email="teamleader@example.org")
    teams = []
    for name in TEAMS:
        team, _ = Team.objects.get_or_create(name=name)
        team.members.add(caseworker, leader)
        teams.append(team)
    Topic.objects.filter(team__isnull=True).update(team=teams[0])
    for name, topic, body in TEMPLATES:
        ReplyTemplate.objects.get_or_create(
            name=name,
            defaults={"topic": Topic.objects.get(code=topic) if topic else None, "body": body},
        )
    jess, margaret, aled = (_person(f"{n}@example.org") for n in ("jess", "margaret", "aled"))
    if jess is None or margaret is None or aled is None or Conversation.objects.exists():
        return
    template = ReplyTemplate.objects.get(name="We have your document")

    # Jess: a question about her claim with a photo, answered from a template (waiting for
    # her), and a question about payments still waiting for us.
    claim = Claim.objects.filter(customer=jess).exclude(status="draft").first()
    asked = _start(
        jess, "documents", "My payslip for the claim",
        "Hello, I have attached my latest payslip as you asked. Is this the right one?\n"
        "It is also on https://www.gov.uk/ if that helps.",
        claim=claim, files=[_photo()],
    )  # fmt: skip
    casework.send_staff_reply(
        conversation=asked, by=caseworker,
        body=casework.render_template(template=template, conversation=asked),
        template=template,
    )  # fmt: skip
    _start(
        jess, "payments", "When is my next payment?",
        "I moved house last month. Will my next payment still be on time?",
    )  # fmt: skip

    # Margaret: answered and closed (still readable), and one overdue, waiting for us.
    closed = _start(
        margaret, "something-else", "Large print letters",
        "Please could you send my letters in large print? Thank you.",
    )  # fmt: skip
    casework.send_staff_reply(
        conversation=closed, by=caseworker, close=True,
        body="Dear Margaret,\n\nWe have noted that you need letters in large print. Every "
        "letter we send from now on will be in large print.\n\nThe Pension Service",
    )  # fmt: skip
    overdue = _start(
        margaret, "your-claim", "Pension Credit claim",
        "I sent my Pension Credit claim three weeks ago. Is there anything else you need?",
    )  # fmt: skip
    _back(overdue, 6)

    # Aled: a complaint a caseworker marked for a supervisor, with an internal note.
    complaint = _start(
        aled, "complaint", "Nobody called me back",
        "I was promised a call back last Tuesday and nobody called. This is the second time.",
    )  # fmt: skip
    casework.add_internal_note(
        conversation=complaint, by=caseworker,
        text="Call-back was booked but the team was short-staffed. Needs a supervisor reply.",
    )  # fmt: skip
    casework.mark_needs_supervisor(
        conversation=complaint, by=caseworker, reason="Complaint about a missed call-back."
    )
    stdout.write("  conversations: every status, a photo, a complaint for a supervisor\n")
