"""The forms of the person's claim pages: evidence, answers, reconsideration, withdrawing.

Validation only, with error codes; each view then calls one service.
"""

from __future__ import annotations

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from benefits.claims import documents as claim_documents
from benefits.evidence.errors import UploadRejected
from benefits.models import Claim, Document


class EvidenceForm(forms.Form):
    evidence_kind = forms.ChoiceField(
        label=gettext_lazy("What does the document show?"),
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Select what the document shows")},
    )
    document = forms.FileField(
        label=gettext_lazy("Upload a file"),
        help_text=gettext_lazy(
            "A PDF, JPG or PNG, smaller than 10MB. You can add more after this one."
        ),
        error_messages={
            "required": gettext_lazy("Select a file"),
            "empty": gettext_lazy("The selected file is empty"),
        },
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}
        ),
    )

    def __init__(self, *args, kinds: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [(k, k) for k in kinds] + [("other", _("Something else"))]
        self.fields["evidence_kind"].choices = choices

    def clean_evidence_kind(self) -> str:
        value = self.cleaned_data["evidence_kind"]
        return str(_("Something else")) if value == "other" else value


def upload_into(
    request: HttpRequest, claim: Claim, form: EvidenceForm, information_request=None
) -> Document | None:
    """Check and keep the uploaded file, or put the reason on the form's file field."""
    try:
        return claim_documents.add_document(
            claim=claim, by=request.user, uploaded=form.cleaned_data["document"],
            evidence_kind=form.cleaned_data["evidence_kind"], information_request=information_request,
        )  # fmt: skip
    except UploadRejected as exc:
        form.add_error("document", exc.message)
    except claim_documents.ClaimClosedForEvidence as exc:
        form.add_error(None, str(exc))
    return None


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=gettext_lazy("Your answer"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("You can write an answer, upload a document, or both."),
        error_messages={"max_length": gettext_lazy("Your answer must be 4,000 characters or fewer")},
    )  # fmt: skip


class ReconsiderForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why do you think the decision is wrong?"),
        help_text=gettext_lazy("Tell us what you think we got wrong, and anything we did not know."),
        max_length=4000, widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": gettext_lazy("Tell us why you think the decision is wrong"),
            "max_length": gettext_lazy("Your answer must be 4,000 characters or fewer"),
        },
    )  # fmt: skip


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why are you withdrawing? (optional)"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": gettext_lazy("Your reason must be 2,000 characters or fewer")},
    )  # fmt: skip


class DraftVersionForm(forms.Form):
    """The draft version a question page was built from, sent back in a hidden field so
    that answers changed in another window are not overwritten (``StaleDraft``)."""

    version = forms.IntegerField(
        min_value=1,
        widget=forms.HiddenInput,
        error_messages={
            "required": gettext_lazy("The page was missing the version of your answers"),
            "invalid": gettext_lazy("The page sent a version of your answers we do not know"),
            "min_value": gettext_lazy("The page sent a version of your answers we do not know"),
        },
    )
