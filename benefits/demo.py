"""Demo claims in every state, with timelines, documents, decisions and payments.

Everything is made through the same services a citizen or caseworker uses; afterwards
the dates are moved into the past so the timelines and payment history look lived-in.
"""

from __future__ import annotations

import io
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import TextIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from accounts.models import Customer, Fact, FactKind, FactSource, User
from accounts.services import record_fact
from benefits.casework import queue as casework_queue
from benefits.claims import applications, lifecycle
from benefits.claims import decisions as claim_decisions
from benefits.claims import documents as claim_documents
from benefits.claims import payments as claim_payments
from benefits.claims import timeline as claim_timeline
from benefits.claims.apply import engine
from benefits.claims.apply.questions import sections_for
from benefits.models import (
    AwardStatement,
    Benefit,
    Claim,
    ClaimEvent,
    ClaimStatus,
    Decision,
    Document,
    InformationRequest,
    Payment,
    PaymentKind,
    PaymentStatus,
)
from benefits.rules.base import working_day_on_or_after, working_day_on_or_before
from notifications import occasions
from notifications.models import Notification, Reminder

S = ClaimStatus
SIGNINS: list = []

# Answers for the questions the profile and circumstances do not already answer.
EXTRA_ANSWERS = {
    "account_name": None,  # the person's name
    "phone": "07700 900456",
    "sort_code": "309498",
    "account_number": "00733445",
    "cared_for_name": "Gwen Jones",
    "cared_for_relationship": "Mother",
    "cared_for_benefit": "attendance_allowance",
    "weekly_earnings": "124.00",
    "full_time_education": False,
    "children_count": 2,
    "has_partner": False,
    "health_stops_work": False,
    "others_18_or_over": False,
    "care_need": "day_or_night",
    "long_term": True,
    "terminally_ill": False,
    "gp_name": "Dr Rhian Morgan",
    "gp_practice": "Heol Fawr Surgery\nSwansea\nSA1 2BB",
    # Margaret and George: their State Pensions, and no other pensions.
    "weekly_state_pension": "160.00",
    "weekly_pension_income": "0.00",
    "partner_weekly_state_pension": "169.50",
    "partner_carers_allowance": False,
    "baby_due_date": "2027-03-20",
    "worked_26_weeks": True,
    "average_weekly_earnings": "410.00",
    "smp": True,
    "last_employer": "Leeds Print Works",
    "work_ended_on": "2026-10-02",
    "paid_ni": True,
    "available_for_work": True,
    "weekly_hours_worked": 0,
    "conditions": "Back pain since a fall at work in 2021; anxiety.",
    "mobility_need": True,
    "deceased_name": "Raj Shah",
    "partner_died_on": "2026-09-01",
    "married": True,
    "monthly_rent": "650.00",
    "caring_hours": 0,
    "partner_name": "Tom Shah",
    "illness_prevents_work": False,
    "partner_weekly_pension_income": "0.00",
    "partner_monthly_earnings": "0.00",
}


def _png(colour: str) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (600, 400), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def _pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _draft(customer: Customer, code: str, *, complete: bool = True) -> Claim:
    user = customer.user
    claim = applications.start_or_resume_draft(
        customer=customer, benefit=Benefit.objects.get(code=code), by=user
    )
    answers = engine.known_answers(customer=customer, benefit_code=code)
    if complete:
        for section in sections_for(code):
            for question in section.questions:
                if question.slug in answers or not question.applies(answers):
                    continue
                value = EXTRA_ANSWERS.get(question.slug)
                if question.slug == "account_name":
                    value = customer.full_name
                if value is None and question.kind == "choice":
                    value = question.choices[0][0]
                if value is None:
                    raise ValueError(f"No demo answer for {code}: {question.slug}")
                answers[question.slug] = value
        answers["_checked"] = [s.slug for s in sections_for(code)]
    return applications.save_draft_answers(
        claim=claim, answers=answers, version=claim.version, by=user
    )


def _send(customer: Customer, code: str) -> Claim:
    return applications.submit_claim(claim=_draft(customer, code), by=customer.user)


def _document(claim: Claim, name: str, kind: str, content: bytes) -> Document:
    upload = SimpleUploadedFile(name, content)
    return claim_documents.add_document(
        claim=claim, by=claim.customer.user, uploaded=upload, evidence_kind=kind
    )


def _award(claim: Claim, caseworker: User | None, fallback: str) -> Decision:
    try:
        return claim_decisions.award_claim(claim=claim, by=caseworker)
    except claim_decisions.ReasonNeeded:
        return claim_decisions.award_claim(
            claim=claim, by=caseworker, amount=Decimal(fallback),
            adjustment_reason="We worked out the amount from the evidence you sent.",
            internal_note="The rules lacked facts for this claim: amount worked out by hand.",
        )  # fmt: skip


def _age(claim: Claim, days: int) -> None:
    """Move everything about a demo claim ``days`` into the past."""
    delta = timedelta(days=days)
    Claim.objects.filter(pk=claim.pk).update(
        created_at=F("created_at") - delta, submitted_at=F("submitted_at") - delta,
        decided_at=F("decided_at") - delta, due_by=F("due_by") - delta,
        assigned_at=F("assigned_at") - delta,
    )  # fmt: skip
    ClaimEvent.objects.filter(claim=claim).update(at=F("at") - delta)
    Decision.objects.filter(claim=claim).update(
        decided_at=F("decided_at") - delta, challenge_by=F("challenge_by") - delta
    )
    AwardStatement.objects.filter(claim=claim).update(
        issued_at=F("issued_at") - delta, effective_from=F("effective_from") - delta
    )
    Document.objects.filter(claim=claim).update(uploaded_at=F("uploaded_at") - delta)
    # What the application told us, recorded as facts when it was sent, and the award in
    # payment the system recorded from its statement, move with it.
    Fact.objects.filter(customer=claim.customer, note=claim.reference,
                        source__in=[FactSource.APPLICATION, FactSource.SYSTEM]).update(
        effective_from=F("effective_from") - delta, recorded_at=F("recorded_at") - delta
    )  # fmt: skip
    InformationRequest.objects.filter(claim=claim).update(
        requested_at=F("requested_at") - delta, due_on=F("due_on") - delta
    )
    Payment.objects.filter(claim=claim).update(
        due_on=F("due_on") - delta, period_start=F("period_start") - delta,
        period_end=F("period_end") - delta,
    )  # fmt: skip
    Notification.objects.filter(link=reverse("claims:detail", args=[claim.pk])).update(
        created_at=F("created_at") - delta
    )
    now = timezone.now()
    # What happened more than a week ago has been read.
    Notification.objects.filter(
        link=reverse("claims:detail", args=[claim.pk]), created_at__lt=now - timedelta(days=7)
    ).update(read_at=now)
    # Moved dates can land on a weekend or bank holiday: pay and decide on working days.
    nation = claim_payments.nation_of(claim.customer)
    for payment in Payment.objects.filter(claim=claim, kind=PaymentKind.REGULAR):
        due_on = working_day_on_or_before(
            payment.period_end + claim_payments.PAID_IN_ARREARS, nation
        )
        if due_on != payment.due_on:
            Payment.objects.filter(pk=payment.pk).update(due_on=due_on)
    if claim.due_by:
        due_by = working_day_on_or_after(claim.due_by, nation)
        Claim.objects.filter(pk=claim.pk).update(due_by=due_by)
    Payment.objects.filter(
        claim=claim, status=PaymentStatus.SCHEDULED, due_on__lt=timezone.localdate()
    ).update(status=PaymentStatus.PAID, paid_at=now)


def _customer(email: str) -> Customer | None:
    customer = Customer.objects.filter(user__email=email).select_related("user").first()
    return None if customer is None or customer.claims.exists() else customer


# Not one transaction: it calls the services people use, each a durable transaction of
# its own. A failure part way keeps what was done (demo data is for throwaway databases).
def seed(*, stdout: TextIO) -> None:
    cw = User.objects.filter(email="caseworker@example.org").first()
    today = timezone.localdate()
    made: list[str] = []

    if sam := _customer("citizen@example.org"):
        # Universal Credit awarded ten weeks ago, then revised when his hours were cut.
        record_fact(
            customer=sam, kind=FactKind.MONTHLY_EARNINGS, value=310, by=sam.user,
            effective_from=today - timedelta(days=75), note="Most of my hours were cut",
        )  # fmt: skip
        uc = _send(sam, "universal_credit")
        _document(uc, "Tenancy agreement – 12 Station Road.pdf", "Tenancy agreement", _pdf())
        lifecycle.transition(claim=uc, to=S.IN_REVIEW, by=cw)
        _award(uc, cw, "412.83")
        _remind_before_first_payment(uc)
        _age(uc, 70)
        record_fact(
            customer=sam, kind=FactKind.MONTHLY_EARNINGS, value=0, by=sam.user,
            effective_from=today - timedelta(days=14), note="Lost my job",
        )  # fmt: skip
        claim_decisions.reassess_award(
            claim=uc, by=cw, effective_from=today - timedelta(days=14),
            reason="You told us you stopped work, so your Universal Credit went up.",
        )  # fmt: skip
        _age(uc, 7)
        # New Style JSA: started, not sent yet.
        _draft(sam, "jsa", complete=False)
        # PIP: sent, then withdrawn.
        pip = _send(sam, "pip")
        applications.withdraw_claim(claim=pip, by=sam.user, reason="I applied by phone instead.")
        _age(pip, 20)
        made += ["Universal Credit (awarded, statement revised)", "JSA (draft)", "PIP (withdrawn)"]

    if aled := _customer("aled@example.org"):
        ca = _send(aled, "carers_allowance")
        doc = _document(
            ca,
            "Llythyr gofalwr – Gwen.pdf",
            "Details of the person you care for and their disability benefit",
            _pdf(),
        )
        casework_queue.assign(claim=ca, to=cw, by=cw)
        claim_timeline.add_internal_note(
            claim=ca, by=cw, text="Checking the caring hours with the DWP records."
        )
        claim_documents.mark_document_seen(document=doc, by=cw)
        _age(ca, 6)
        pip = _send(aled, "pip")
        claim_decisions.refuse_claim(
            claim=pip, by=cw, reasons="Your answers scored 4 points for daily living: you need 8."
        )
        claim_decisions.request_reconsideration(claim=pip, by=aled.user,
                                       reason="The assessor did not ask about my back pain at night.")  # fmt: skip
        _age(pip, 12)
        made += [
            "Carer's Allowance (being looked at, document seen)",
            "PIP (reconsideration asked for)",
        ]

    if jess := _customer("jess@example.org"):
        uc = _send(jess, "universal_credit")
        casework_queue.assign(claim=uc, to=cw, by=cw)
        rejected = _document(uc, "payslip-october.png", "Payslips", _png("white"))
        claim_documents.decide_document(document=rejected, by=cw, accepted=False,
                               reason="The photo is blank: please take it again in good light.")  # fmt: skip
        # Nine days on, the payslips are overdue and the tenancy agreement is due tomorrow:
        # the daily reminders tell her about both.
        claim_documents.request_information(
            claim=uc, by=cw, due_on=today + timedelta(days=5),
            what="Send your last two payslips.",
        )  # fmt: skip
        claim_documents.request_information(
            claim=uc, by=cw, due_on=today + timedelta(days=10),
            what="Send your tenancy agreement.",
        )  # fmt: skip
        _age(uc, 9)
        jsa = _send(jess, "jsa")
        _award(jsa, cw, "95.15")
        _age(jsa, 200)
        lifecycle.transition(
            claim=jsa, to=S.CLOSED, by=cw, reason="You started work, so your JSA ended."
        )
        made += ["Universal Credit (information requested)", "JSA (closed)"]

    if margaret := _customer("margaret@example.org"):
        # A caseworker flagged that she needs extra support: her claims are worked first.
        Customer.objects.filter(pk=margaret.pk).update(needs_extra_support=True)
        margaret.refresh_from_db()
        # Attendance Allowance: refused, then awarded on reconsideration five weeks ago; the
        # award is on her record ("lower rate") from its statement's date.
        aa = _send(margaret, "attendance_allowance")
        _document(aa, "Llythyr meddyg.pdf", "Medical evidence", _pdf())
        claim_decisions.refuse_claim(
            claim=aa, by=cw, reasons="You did not need help for 6 months before you applied."
        )
        claim_decisions.request_reconsideration(claim=aa, by=margaret.user,
                                       reason="I have needed help since March: my GP's letter says so.")  # fmt: skip
        claim_decisions.decide_reconsideration(
            claim=aa, by=cw, changed=True,
            reasons="Your GP's letter shows you have needed help for more than 6 months.",
        )  # fmt: skip
        _age(aa, 35)
        # Pension Credit for the couple, awarded at the rules' amount two weeks ago: the
        # minimum guarantee for a couple less their two State Pensions.
        pc = _send(margaret, "pension_credit")
        claim_decisions.award_claim(claim=pc, by=cw)
        _age(pc, 14)
        made += ["Attendance Allowance (reconsidered, in payment)", "Pension Credit (awarded)"]

    if priya := _customer("priya@example.org"):
        ma = _send(priya, "maternity_allowance")
        lifecycle.transition(claim=ma, to=S.IN_REVIEW, by=cw)
        claim_decisions.refuse_claim(claim=ma, by=cw,
                            reasons="You can get Statutory Maternity Pay from your employer instead.")  # fmt: skip
        _age(ma, 5)
        bsp = _send(priya, "bereavement_support")
        applications.withdraw_claim(claim=bsp, by=priya.user, reason="Sent by mistake.")
        uc = _send(priya, "universal_credit")
        # Sent seven weeks ago and not yet picked up: overdue in the queue, and past the
        # service level, so the daily reminders apologise for the wait.
        _age(uc, 50)
        made += [
            "Maternity Allowance (refused, can ask again)", "Bereavement Support (withdrawn)",
            "Universal Credit (in the queue, overdue)",
        ]  # fmt: skip
    if nadia := _customer("nadia@example.org"):
        # Maternity Allowance awarded 36 weeks ago: its 39 weeks end in the next month.
        ma = _send(nadia, "maternity_allowance")
        _award(ma, cw, "187.18")
        _age(ma, 250)
        made += ["Maternity Allowance (awarded, ends soon)"]
    for line in made:
        stdout.write(f"  claim: {line}\n")
    if made:
        report = occasions.run(group=occasions.REMINDERS, today=today)
        stdout.write(f"  reminders for today: {report.new} new\n")


def _remind_before_first_payment(claim: Claim) -> None:
    """Run the daily reminders on the day they would have told the person about the
    claim's first payment, and date the reminder that day (``_age`` then moves it back
    with the rest of the claim)."""
    first = claim.payments.filter(status=PaymentStatus.SCHEDULED).order_by("due_on").first()
    if first is None:
        return
    day = first.due_on - timedelta(days=2)
    occasions.run(group=occasions.REMINDERS, today=day)
    at = timezone.make_aware(datetime.combine(day, time(7, 30)))
    told = Reminder.objects.filter(customer=claim.customer, key=f"payment:{first.pk}:soon")
    Notification.objects.filter(pk__in=told.values("notification_id")).update(created_at=at)
