"""Claims in every state, built through the real services (never by setting fields)."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import FactKind
from accounts.services import record_fact
from benefits.claims import applications, lifecycle
from benefits.claims import decisions as claim_decisions
from benefits.claims import documents as claim_documents
from benefits.claims.apply import engine
from benefits.claims.apply.questions import sections_for
from benefits.models import IN_PROGRESS, Benefit, Claim, ClaimStatus

S = ClaimStatus

# Valid answers to every question, by kind, so a draft can be completed.
ANSWER_BY_KIND = {
    "text": "Alice Example",
    "phone": "07700 900123",
    "textarea": "Asthma since 2019",
    "address": "1 High Street\nCardiff\nCF10 1AA",
    "nino": "AB123456C",
    "sort_code": "309498",
    "account_number": "00733445",
    "date": "1980-04-12",
    "money": "120.00",
    "count": 40,
    "yes_no": False,
}


def png_bytes(colour: str = "red") -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def upload(name: str = "payslip.png", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes() if content is None else content, "image/png")


def complete_answers(benefit_code: str) -> dict:
    answers: dict = {}
    for section in sections_for(benefit_code):
        for question in section.questions:
            if not question.applies(answers):
                continue
            if question.kind == "choice":
                answers[question.slug] = question.choices[0][0]
            else:
                answers[question.slug] = ANSWER_BY_KIND[question.kind]
    if benefit_code == "carers_allowance":
        answers["caring_hours"] = 40
    answers["_checked"] = [s.slug for s in sections_for(benefit_code)]
    assert engine.all_complete(benefit_code, answers)
    return answers


# Answers to what the rules still need, by the screener question's kind.
MORE_BY_KIND = {"yes_no": False, "count": 1, "money": 0.0, "date": "1985-06-01"}


def answer_what_the_rules_need(claim: Claim, user) -> Claim:
    """Answer every question the application adds before sending (what the rules still
    lack): the first choice, "no", 1, £0 or a date in 1985."""
    from benefits.screener import questions

    def asks(fact: str) -> bool:
        return questions.question_for(fact) is not None

    for _round in range(10):
        needed = engine.rules_still_need(claim, asks=asks)
        if not needed:
            return claim
        more = dict(claim.answers.get(engine.MORE_KEY) or {})
        for fact in needed:
            question, _fill = questions.question_for(fact)
            value = (
                question.choices[0][0] if question.kind == "choice" else MORE_BY_KIND[question.kind]
            )
            more[fact] = value
        claim = applications.save_draft_answers(
            claim=claim, answers={**claim.answers, engine.MORE_KEY: more},
            version=claim.version, by=user,
        )  # fmt: skip
    return claim


def draft_claim(user, code: str = "carers_allowance", *, complete: bool = False) -> Claim:
    claim = applications.start_or_resume_draft(
        customer=user.customer, benefit=Benefit.objects.get(code=code), by=user
    )
    if complete:
        claim = applications.save_draft_answers(
            claim=claim, answers=complete_answers(code), version=claim.version, by=user
        )
        claim = answer_what_the_rules_need(claim, user)
    return claim


# Benefits claimed online, in the order ``sent_claim`` uses them.
ONLINE_CODES = [
    "carers_allowance", "pip", "jsa", "attendance_allowance", "pension_credit",
    "universal_credit", "maternity_allowance", "bereavement_support",
]  # fmt: skip


def sent_claim(user, code: str | None = None) -> Claim:
    """A claim sent for ``code``; by default for Carer's Allowance or, as a person has one
    claim in progress per benefit, the next benefit they have no claim in progress for."""
    if code is None:
        busy = set(
            Claim.objects.filter(customer=user.customer, status__in=IN_PROGRESS).values_list(
                "benefit__code", flat=True
            )
        )
        code = next(c for c in ONLINE_CODES if c not in busy)
    return applications.submit_claim(claim=draft_claim(user, code, complete=True), by=user)


def ready_to_send(user) -> Claim:
    """A Carer's Allowance application the rules clearly award, complete, with every
    document it needs attached and passed by an automated check: sent, it is decided by
    the system at once."""
    record_fact(
        customer=user.customer, kind=FactKind.CARED_FOR_GETS_DISABILITY_BENEFIT, value=True,
        effective_from=date(2020, 1, 1), by=user,
    )  # fmt: skip
    draft = draft_claim(user)
    answers = {
        **complete_answers("carers_allowance"), "caring_hours": 40,
        "cared_for_benefit": "attendance_allowance", "weekly_earnings": "0.00",
        "date_of_birth": "1980-04-12",
    }  # fmt: skip
    draft = applications.save_draft_answers(
        claim=draft, answers=answers, version=draft.version, by=user
    )
    for kind in draft.benefit.evidence_needed:
        document = claim_documents.add_document(
            claim=draft, by=user, uploaded=upload(), evidence_kind=kind
        )
        claim_documents.record_automated_check(
            document=document, check="match with the caring records", passed=True
        )
    return draft


def claim_with_request(user, caseworker=None) -> tuple[Claim, object]:
    claim = sent_claim(user)
    info = claim_documents.request_information(
        claim=claim, by=caseworker, what="Send a letter from the person you care for.",
        due_on=timezone.localdate() + timedelta(days=14),
    )  # fmt: skip
    return Claim.objects.get(pk=claim.pk), info


def claim_with_document(user) -> tuple[Claim, object]:
    claim = sent_claim(user)
    document = claim_documents.add_document(
        claim=claim, by=user, uploaded=upload(), evidence_kind="Payslip"
    )
    return claim, document


def awarded_claim(user, caseworker=None, amount: str = "83.30") -> tuple[Claim, object]:
    claim = sent_claim(user)
    lifecycle.transition(claim=claim, to=S.IN_REVIEW, by=caseworker)
    decision = claim_decisions.award_claim(
        claim=claim, by=caseworker, reasons="You care for someone 35 hours a week or more.",
        amount=Decimal(amount), adjustment_reason="Checked with the caring records",
    )  # fmt: skip
    return Claim.objects.get(pk=claim.pk), decision


def refused_claim(user, caseworker=None) -> tuple[Claim, object]:
    claim = sent_claim(user)
    decision = claim_decisions.refuse_claim(
        claim=claim, by=caseworker, reasons="You earn more than the limit."
    )
    return Claim.objects.get(pk=claim.pk), decision
