"""The person's messages with us: their conversations, asking a question (in general or
about one of their claims), a conversation's page with its reply form, its files, and the
header's unread count."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import condition, require_GET

from accounts import versions
from accounts.acting import Scope, representable, whose
from accounts.activity import passive
from accounts.http import AuthenticatedHttpRequest
from accounts.selectors import get_customer_for_request
from benefits.claims.selectors import get_claim_for_customer
from benefits.evidence.errors import UploadRejected
from benefits.evidence.serving import serve_document
from benefits.models import Claim
from conversations import selectors, services
from conversations.forms import NewConversationForm, ReplyForm
from conversations.models import Conversation, ConversationStatus

PAGE_SIZE = 20


@representable(Scope.TALK, per_claim=True)
@never_cache
@login_required
def conversation_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    customer = get_customer_for_request(request)
    conversations = selectors.conversations_for_customer(customer=customer).filter(
        **whose(request).claim_filter("claim")  # a representative limited to some claims
    )
    page = Paginator(conversations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "conversations/list.html", {"page": page})


# --- Asking a question --------------------------------------------------------------------------


@representable(Scope.TALK)
@never_cache
@login_required
def new_conversation(request: AuthenticatedHttpRequest) -> HttpResponse:
    """ "Ask a question": a conversation about anything."""
    return _new(request, claim=None)


@representable(Scope.TALK, per_claim=True)
@never_cache
@login_required
def new_about_claim(request: AuthenticatedHttpRequest, claim_id: int) -> HttpResponse:
    """ "Send us a message about this claim", from the claim's page: the claim is fixed."""
    claim = get_claim_for_customer(whose=whose(request), claim_id=claim_id)
    return _new(request, claim=claim)


def _refused(form: ReplyForm | NewConversationForm, error: Exception) -> None:
    """Put the service's refusal on the form, by the field it is about."""
    if isinstance(error, UploadRejected):
        form.add_error("attachments", error.message)
    elif isinstance(error, services.AlreadySent):
        # A page kept from before: the words stay, the page gets a new key.
        data = QueryDict(mutable=True)
        data.update(form.data)
        data["submission_key"] = str(ReplyForm.fresh_key()["submission_key"])
        form.data = data
        form.add_error(None, error.message)
    elif isinstance(error, services.MessageRefused):
        form.add_error(error.field, error.message)


def _new(request: AuthenticatedHttpRequest, *, claim: Claim | None) -> HttpResponse:
    customer = claim.customer if claim else get_customer_for_request(request)
    if request.method == "POST":
        form = NewConversationForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                conversation = services.start_conversation(
                    customer=customer, by=request.user, topic=data["topic"],
                    subject=data["subject"], body=data["body"], claim=claim,
                    files=data["attachments"], submission_key=data["submission_key"],
                )  # fmt: skip
            except (services.MessageRefused, UploadRejected) as error:
                _refused(form, error)
            else:
                messages.success(request, _sent_words(conversation))
                return redirect("conversations:detail", conversation_id=conversation.pk)
    else:
        form = NewConversationForm(initial=NewConversationForm.fresh_key())
    return render(request, "conversations/new.html", {"form": form, "claim": claim})


def _sent_words(conversation: Conversation) -> str:
    if conversation.reply_due_on is None:
        return _("Your message has been sent.")
    return _("Your message has been sent. We will reply by %(date)s.") % {
        "date": date_format(conversation.reply_due_on, "l j F Y")
    }


# --- A conversation -----------------------------------------------------------------------------------


@representable(Scope.TALK, per_claim=True)
@never_cache
@login_required
def conversation_detail(request: AuthenticatedHttpRequest, conversation_id: int) -> HttpResponse:
    """The whole conversation, oldest first, and the reply form. Opening it marks our
    messages in it read (and the notifications that link here); sending a reply does not."""
    conversation = selectors.get_conversation_for_customer(
        whose=whose(request), conversation_id=conversation_id
    )
    if request.method == "POST":
        if conversation.status == ConversationStatus.CLOSED:
            messages.error(request, str(services.ConversationClosed()))
            return redirect("conversations:detail", conversation_id=conversation.pk)
        form = ReplyForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.send_reply(
                    conversation=conversation, by=request.user, body=data["body"],
                    files=data["attachments"], submission_key=data["submission_key"],
                )  # fmt: skip
            except services.ConversationClosed as error:  # closed while they were writing
                messages.error(request, error.message)
                return redirect("conversations:detail", conversation_id=conversation.pk)
            except (services.MessageRefused, UploadRejected) as error:
                _refused(form, error)
            else:
                conversation.refresh_from_db(fields=["reply_due_on"])
                messages.success(request, _sent_words(conversation))
                return redirect("conversations:detail", conversation_id=conversation.pk)
    else:
        services.mark_read_by_customer(conversation=conversation, by=request.user)
        form = ReplyForm(initial=ReplyForm.fresh_key())
    context = {
        "conversation": conversation,
        "thread": selectors.thread(conversation=conversation),
        "form": form,
        "closed": conversation.status == ConversationStatus.CLOSED,
    }
    return render(request, "conversations/detail.html", context)


@representable(Scope.TALK, per_claim=True)
@require_GET
@login_required
def attachment_file(
    request: AuthenticatedHttpRequest, conversation_id: int, attachment_id: int
) -> FileResponse:
    """A file of one of the person's conversations, never by a guessable path: both ids
    must be theirs, and the file that conversation's."""
    conversation = selectors.get_conversation_for_customer(
        whose=whose(request), conversation_id=conversation_id
    )
    attachment = selectors.get_attachment_for_customer(
        conversation=conversation, attachment_id=attachment_id
    )
    return serve_document(attachment)


# --- The header's count ------------------------------------------------------------------------------


def badge_etag(request: HttpRequest) -> str | None:
    """The tag of the header's "Messages" link: the person's version (our reply arriving
    or the person reading it bumps it) and the language."""
    return versions.etag_for(request, "conversations-badge")


@representable(Scope.TALK)
@passive  # polled by every page
@require_GET
@never_cache
@login_required
@condition(etag_func=badge_etag)
def badge(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The header's "Messages" link with the count of our unread messages: a 304 with no
    body, decided from the tag alone, when it has not changed."""
    customer = get_customer_for_request(request)
    return render(
        request, "conversations/_badge.html",
        {"unread_conversation_messages": selectors.unread_count(customer_id=customer.pk),
         "badge_etag": badge_etag(request)},
    )  # fmt: skip
