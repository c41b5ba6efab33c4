"""The forms of the person's message pages: asking a question and replying.

Validation only, with error codes; each view then calls one service, which checks the
same limits again (and the ones only it can see: a closed conversation, the rate limit,
the files' content).
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy, ngettext_lazy

from conversations.models import MAX_ATTACHMENTS, MAX_MESSAGE_LENGTH
from conversations.selectors import topics_offered
from conversations.services import MAX_SUBJECT_LENGTH

ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Up to ``MAX_ATTACHMENTS`` files chosen in one box; none is fine. Each file's content
    is checked by the service (benefits.evidence)."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        chosen = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if len(chosen) > MAX_ATTACHMENTS:
            raise ValidationError(self.error_messages["too_many"], code="too_many")
        cleaned = []
        for uploaded in chosen:
            cleaned.append(super().clean(uploaded, initial))
        return cleaned


class MessageField(forms.CharField):
    """Plain text as people type it: line breaks kept (as one character each, as the
    browser counts them against ``maxlength``), nothing else changed."""

    def to_python(self, value: Any) -> str:
        text = super().to_python(value) or ""
        return text.replace("\r\n", "\n").replace("\r", "\n")


def _key() -> uuid.UUID:
    return uuid.uuid4()


class _MessageForm(forms.Form):
    body = MessageField(
        label=gettext_lazy("Your message"),
        max_length=MAX_MESSAGE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy(
            "Up to 5,000 characters. Do not include passwords or bank card numbers."
        ),
        error_messages={
            "required": gettext_lazy("Enter your message"),
            "max_length": gettext_lazy("Your message must be 5,000 characters or fewer"),
        },
    )
    attachments = FilesField(
        label=gettext_lazy("Attach files (optional)"),
        required=False,
        help_text=ngettext_lazy(
            "Up to %(limit)s file: a PDF, JPG or PNG. Together they must be smaller than 10MB.",
            "Up to %(limit)s files: PDF, JPG or PNG. Together they must be smaller than 10MB.",
            "limit",
        )
        % {"limit": MAX_ATTACHMENTS},
        error_messages={
            "empty": gettext_lazy("The selected file is empty"),
            "too_many": ngettext_lazy(
                "You can attach up to %(limit)s file to a message",
                "You can attach up to %(limit)s files to a message",
                "limit",
            )
            % {"limit": MAX_ATTACHMENTS},
        },
        widget=MultipleFileInput(attrs={"accept": ACCEPT}),
    )
    #: The page's one-time key: a double submit sends one message (see services).
    submission_key = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={
            "required": gettext_lazy("The page was out of date. Send your message again"),
            "invalid": gettext_lazy("The page was out of date. Send your message again"),
        },
    )

    @classmethod
    def fresh_key(cls) -> dict[str, uuid.UUID]:
        return {"submission_key": _key()}


class NewConversationForm(_MessageForm):
    topic = forms.ModelChoiceField(
        label=gettext_lazy("What is your question about?"),
        queryset=topics_offered(),
        to_field_name="code",
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Select what your question is about"),
            "invalid_choice": gettext_lazy("Select what your question is about"),
        },
    )
    subject = forms.CharField(
        label=gettext_lazy("Subject"),
        max_length=MAX_SUBJECT_LENGTH,
        help_text=gettext_lazy("A few words, such as “Payment has not arrived”."),
        error_messages={
            "required": gettext_lazy("Enter a subject"),
            "max_length": gettext_lazy("The subject must be 150 characters or fewer"),
        },
    )

    field_order = ["topic", "subject", "body", "attachments", "submission_key"]


class ReplyForm(_MessageForm):
    pass
