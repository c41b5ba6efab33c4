"""Evidence and requests for information: adding, seeing and deciding documents, asking the
person for more and taking their answer.
"""

from __future__ import annotations

from datetime import date

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from benefits.claims import lifecycle
from benefits.claims.applications import ask_for_a_decision
from benefits.claims.payments import nation_of
from benefits.claims.timeline import record_event
from benefits.evidence.keeping import accept_upload
from benefits.models import (
    CaseNote,
    Claim,
    ClaimStatus,
    Document,
    DocumentState,
    EventKind,
    InformationRequest,
)
from benefits.rules.base import (
    working_day_on_or_after,
)
from notifications.models import NotificationKind
from notifications.services import notify

# --- Evidence -----------------------------------------------------------------------------------

CAN_ADD_EVIDENCE = {ClaimStatus.DRAFT, *lifecycle.OPEN}


class ClaimClosedForEvidence(Exception):
    pass


@transaction.atomic(durable=True)
def add_document(
    *,
    claim: Claim,
    by: User,
    uploaded: UploadedFile,
    evidence_kind: str,
    information_request: InformationRequest | None = None,
) -> Document:
    """Check an upload by its content, keep it privately and give the person a receipt.

    Raises ``UploadRejected`` (with the sentence to show) and keeps nothing when the file
    is not acceptable.
    """
    locked = Claim.objects.select_for_update().get(pk=claim.pk)
    if locked.status not in CAN_ADD_EVIDENCE:
        raise ClaimClosedForEvidence(_("You can no longer send documents for this claim."))
    accepted = accept_upload(uploaded)
    checked = accepted.checked
    document = Document(
        claim=locked, information_request=information_request, evidence_kind=evidence_kind[:200],
        original_name=checked.original_name, content_type=checked.content_type,
        size=checked.size, sha256=checked.sha256, uploaded_by=by,
    )  # fmt: skip
    document.stored_sha256 = accepted.stored_sha256
    document.file.save(checked.stored_name, ContentFile(accepted.content), save=False)
    stored = document.file.name
    try:
        document.save()
    except Exception:
        document.file.storage.delete(stored)
        raise
    record_event(
        claim=locked,
        by=by,
        kind=EventKind.DOCUMENT,
        reason=_("Document received: %(name)s") % {"name": checked.original_name},
    )
    if locked.status in (ClaimStatus.SUBMITTED, ClaimStatus.IN_REVIEW):
        ask_for_a_decision(locked.pk)  # the evidence may be complete now
    return document


@transaction.atomic(durable=True)
def mark_document_seen(*, document: Document, by: User) -> Document:
    """The first time a caseworker opens a document, its receipt says so, and the claim's
    timeline says who opened it (for staff: the person reads it on the receipt)."""
    first_time = Document.objects.filter(pk=document.pk, state=DocumentState.RECEIVED).update(
        state=DocumentState.SEEN, seen_at=timezone.now()
    )
    document.refresh_from_db()
    if first_time:
        record_event(
            claim=document.claim, by=by, kind=EventKind.DOCUMENT, visible=False,
            reason=_("Document opened by a caseworker: %(name)s") % {"name": document.original_name},
        )  # fmt: skip
    return document


@transaction.atomic(durable=True)
def decide_document(*, document: Document, by: User, accepted: bool, reason: str = "") -> Document:
    if not accepted and not reason.strip():
        raise ValueError(_("Say why the document was not accepted."))
    document = Document.objects.select_for_update().get(pk=document.pk)
    now = timezone.now()
    document.state = DocumentState.ACCEPTED if accepted else DocumentState.REJECTED
    document.state_reason = reason.strip()[:500]
    document.automated_check = ""  # a caseworker's decision is the one that counts now
    document.seen_at = document.seen_at or now
    document.decided_at = now
    document.save(
        update_fields=["state", "state_reason", "automated_check", "seen_at", "decided_at"]
    )
    text = (
        _("Document accepted: %(name)s") if accepted else _("Document not accepted: %(name)s")
    ) % {"name": document.original_name}
    record_event(
        claim=document.claim,
        by=by,
        kind=EventKind.DOCUMENT,
        reason=f"{text}. {document.state_reason}".strip(". ") if reason else text,
    )
    if not accepted:
        notify(
            customer=document.claim.customer, kind=NotificationKind.STATUS,
            title=gettext_lazy("We could not accept a document you sent"),
            body=document.state_reason, link=reverse("claims:detail", args=[document.claim_id]),
        )  # fmt: skip
    elif document.claim.status in (ClaimStatus.SUBMITTED, ClaimStatus.IN_REVIEW):
        ask_for_a_decision(document.claim_id)  # the evidence may be checked now
    return document


@transaction.atomic(durable=True)
def record_automated_check(
    *, document: Document, check: str, passed: bool, detail: str = ""
) -> Document:
    """The outcome of an automated check of a document (a data match, a verification
    service), named by ``check``, which a decision made on it will name too.

    A pass accepts a document nobody has decided yet. A failure decides nothing: the
    system never rejects evidence on its own (no adverse decision without a human), so the
    document waits for a caseworker, with a note for staff saying what the check found.
    """
    check = check.strip()[:200]
    if not check:
        raise ValueError("An automated check must be named.")
    document = Document.objects.select_for_update().select_related("claim").get(pk=document.pk)
    undecided = document.state in (DocumentState.RECEIVED, DocumentState.SEEN)
    if not passed or not undecided:
        if not passed:
            CaseNote.objects.create(
                claim=document.claim, by=None,
                text=_("Automated check “%(check)s” did not pass for %(name)s. %(detail)s")
                % {"check": check, "name": document.original_name, "detail": detail},
            )  # fmt: skip
        return document
    document.state = DocumentState.ACCEPTED
    document.automated_check = check
    document.decided_at = timezone.now()
    document.save(update_fields=["state", "automated_check", "decided_at"])
    record_event(
        claim=document.claim, by=None, kind=EventKind.DOCUMENT,
        reason=_("Document accepted: %(name)s (checked automatically: %(check)s)")
        % {"name": document.original_name, "check": check},
    )  # fmt: skip
    if document.claim.status in (ClaimStatus.SUBMITTED, ClaimStatus.IN_REVIEW):
        ask_for_a_decision(document.claim_id)
    return document


# --- Requests for information --------------------------------------------------------------------


# Not durable: a caseworker raises a request from a conversation (conversations.casework)
# inside the transaction that also notes it on the conversation.
@transaction.atomic
def request_information(*, claim: Claim, by: User, what: str, due_on: date) -> InformationRequest:
    """Ask the person for something: a task on their to-do list and a notification.

    The reply-by date is a working day in the person's nation."""
    what = what.strip()
    if not what:
        raise ValueError(_("Say what information is needed."))
    if due_on < timezone.localdate():
        raise ValueError(_("The reply-by date must be today or in the future."))
    locked = (
        Claim.objects.select_for_update().select_related("benefit", "customer").get(pk=claim.pk)
    )
    # A reply due on a weekend or bank holiday is due on the next working day instead.
    due_on = working_day_on_or_after(due_on, nation_of(locked.customer))
    reason = _("%(what)s Please reply by %(date)s.") % {
        "what": what, "date": date_format(due_on, "j F Y"),
    }  # fmt: skip
    if locked.status == ClaimStatus.INFORMATION_REQUESTED:
        record_event(claim=locked, by=by, kind=EventKind.INFORMATION, reason=reason)
        notify(
            customer=locked.customer, kind=NotificationKind.STATUS,
            title=lifecycle.TOLD[ClaimStatus.INFORMATION_REQUESTED], body=reason,
            params={"benefit": locked.benefit.name},
            link=reverse("claims:detail", args=[locked.pk]),
        )  # fmt: skip
    else:
        lifecycle.transition(
            claim=locked, to=ClaimStatus.INFORMATION_REQUESTED, by=by, reason=reason
        )
    return InformationRequest.objects.create(
        claim=locked, what_is_needed=what, due_on=due_on, requested_by=by
    )


class NothingToSend(ValueError):
    pass


@transaction.atomic(durable=True)
def answer_information_request(
    *, request: InformationRequest, by: User, answer: str, documents: list[Document] = ()
) -> InformationRequest:
    """The person's reply. When nothing else is outstanding, the claim goes back to review."""
    locked = (
        InformationRequest.objects.select_for_update().select_related("claim").get(pk=request.pk)
    )
    if locked.answered_at is not None:
        return locked  # a second click of "send" changes nothing
    answer = answer.strip()
    if not answer and not documents:
        raise NothingToSend(_("Enter your answer or choose a file to send"))
    locked.answer = answer[:4000]
    locked.answered_at = timezone.now()
    locked.save(update_fields=["answer", "answered_at"])
    claim = locked.claim
    record_event(
        claim=claim, by=by, kind=EventKind.INFORMATION,
        reason=_("You sent the information we asked for."),
    )  # fmt: skip
    outstanding = claim.information_requests.filter(answered_at__isnull=True).exists()
    if not outstanding and claim.status == ClaimStatus.INFORMATION_REQUESTED:
        lifecycle.transition(
            claim=claim, to=ClaimStatus.IN_REVIEW, by=by,
            reason=_("We have what we asked for and will carry on with your claim."),
        )  # fmt: skip
    return locked
