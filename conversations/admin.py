"""The caseworkers' side of secure messages, in the admin.

The list of conversations is the queue (what waits for us, due first, overdue marked); a
conversation's page shows the thread, the files sent, the internal notes and the casework
buttons. Every button posts to ``act_view``, which validates its form and calls one service
in ``conversations.casework``. Opening a conversation, a page of the list or a file is
written to the person's access log (``RecordsAccess``; the file view records it itself).
Topics and reply templates are content staff edit.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.access import RecordsAccess, flush_access_log, record_access
from accounts.models import AccessEvent, Team
from benefits.casework.admin import (
    AssignedFilter,  # the claims queue's: the same "me / unassigned / others"
)
from benefits.claims import lifecycle
from benefits.claims.payments import nation_of
from conversations import casework, staff_selectors
from conversations.models import (
    Attachment,
    Conversation,
    ConversationStatus,
    ReplyTemplate,
    Topic,
)
from conversations.staff_forms import (
    AssignForm,
    ChangeForm,
    NoteForm,
    ReplyForm,
    RequestInformationForm,
    SupervisorDoneForm,
    SupervisorForm,
    TakeNextForm,
    TemplateChoiceForm,
    TransferForm,
)

S = ConversationStatus


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    """What people write about: each topic's service level and the team it goes to."""

    list_display = ("name", "code", "service_level_days", "team", "active", "display_order")
    list_editable = ("display_order",)
    list_filter = ("active", "team")
    search_fields = ("name", "code")
    list_select_related = ("team",)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # conversations keep their topic: take it off the offer instead


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(admin.ModelAdmin):
    list_display = ("name", "topic", "active", "updated_at")
    list_filter = ("active", "topic")
    search_fields = ("name", "body")
    list_select_related = ("topic",)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "body" and field is not None:
            field.help_text = _(
                "Filled in on each conversation: {name} (the person's name), {reference} "
                "(the conversation's reference), {claim_reference} and {benefit} (the claim "
                "it is about, left out when there is none)."
            )
        return field


class WorkFilter(admin.SimpleListFilter):
    """The queue by default: what waits for us."""

    title = _("status")
    parameter_name = "work"

    def lookups(self, request, model_admin):
        return [
            ("queue", _("Waiting for us")),
            ("waiting", _("Waiting for the person")),
            ("open", _("Open (not closed)")),
            ("closed", _("Closed")),
            ("all", _("Everything")),
        ]

    def choices(self, changelist):
        for choice in super().choices(changelist):
            if choice["display"] == _("All"):
                continue  # "Everything" is explicit; no value means the queue
            if self.value() is None and choice["display"] == _("Waiting for us"):
                choice["selected"] = True
            yield choice

    def queryset(self, request, queryset):
        value = self.value()
        if value == "all":
            return queryset
        if value == "waiting":
            return queryset.filter(status=S.WAITING_FOR_YOU)
        if value == "open":
            return queryset.exclude(status=S.CLOSED)
        if value == "closed":
            return queryset.filter(status=S.CLOSED)
        return queryset.filter(status=S.WAITING_FOR_US)


class OverdueFilter(admin.SimpleListFilter):
    title = _("service level")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(casework.overdue_q())
        return queryset


class SupervisorFilter(admin.SimpleListFilter):
    title = _("supervisor")
    parameter_name = "supervisor"

    def lookups(self, request, model_admin):
        return [("yes", _("Needs a supervisor"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(needs_supervisor=True)
        return queryset


@admin.register(Conversation)
class ConversationAdmin(RecordsAccess, admin.ModelAdmin):
    """The queue of conversations. Nothing is edited as a form: the buttons on a
    conversation's page call the services in ``conversations.casework``."""

    access_what = AccessEvent.What.CONVERSATION
    access_customer = "customer"
    access_list_name = _("conversations")

    list_display = (
        "reference", "subject", "customer_reference", "topic", "status", "due",
        "waiting_since", "team", "assigned_to", "supervisor",
    )  # fmt: skip
    list_filter = (WorkFilter, AssignedFilter, OverdueFilter, SupervisorFilter, "team", "topic")
    search_fields = ("reference", "customer__reference", "customer__legal_family_name")
    list_select_related = ("customer", "topic", "team", "assigned_to")
    ordering = ("reply_due_on", "waiting_since")
    readonly_fields = (
        "reference", "customer", "claim", "topic", "subject", "status", "created_at",
        "last_message_at", "waiting_since", "reply_due_on", "team", "assigned_to", "assigned_at",
        "needs_supervisor", "supervisor_reason", "closed_at",
    )  # fmt: skip
    fields = readonly_fields
    change_list_template = "admin/conversations/conversation/change_list.html"
    change_form_template = "admin/conversations/conversation/change_form.html"
    show_full_result_count = False
    list_per_page = 50

    @admin.display(description=_("customer"), ordering="customer__reference")
    def customer_reference(self, obj: Conversation) -> str:
        return obj.customer.reference

    @admin.display(description=_("answer due by"), ordering="reply_due_on")
    def due(self, obj: Conversation) -> str:
        if obj.reply_due_on is None:
            return "—"
        if casework.is_overdue(obj):
            return format_html(
                '<strong class="portal-overdue">{} ({})</strong>', obj.reply_due_on, _("overdue")
            )
        return str(obj.reply_due_on)

    @admin.display(description=_("supervisor"), boolean=True)
    def supervisor(self, obj: Conversation) -> bool:
        return obj.needs_supervisor

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # closed conversations stay readable, by the person and by staff

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("take-next/", view(self.take_next_view), name="conversations_conversation_take_next"),
            path(
                "<int:conversation_id>/act/<slug:action>/", view(self.act_view),
                name="conversations_conversation_act",
            ),
            path(
                "<int:conversation_id>/files/<int:attachment_id>/", view(self.file_view),
                name="conversations_conversation_file",
            ),
            *super().get_urls(),
        ]  # fmt: skip

    # --- The list ------------------------------------------------------------------------------

    def changelist_view(self, request, extra_context=None):
        user = request.user
        teams = (
            Team.objects.filter(active=True)
            if user.has_perm(casework.TRANSFER)
            else Team.objects.filter(active=True, members=user)
        )
        take_next = TakeNextForm(prefix="take-next", teams=teams)
        extra_context = {
            "can_work": user.has_perm(casework.WORK),
            "take_next_form": take_next,
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    def take_next_view(self, request):
        if request.method != "POST" or not request.user.has_perm(casework.WORK):
            raise PermissionDenied
        form = TakeNextForm(request.POST, prefix="take-next")
        team = form.cleaned_data["team"] if form.is_valid() else None
        try:
            conversation = casework.take_next_conversation(by=request.user, team=team)
        except PermissionDenied as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return redirect("admin:conversations_conversation_changelist")
        if conversation is None:
            self.message_user(
                request, _("Nothing is waiting: there is no conversation to take."), messages.INFO
            )
            return redirect("admin:conversations_conversation_changelist")
        self.message_user(
            request, _("Conversation %(ref)s is yours.") % {"ref": conversation.reference}
        )
        return redirect("admin:conversations_conversation_change", conversation.pk)

    # --- A conversation ------------------------------------------------------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Nothing on a conversation is edited as a form: the buttons call the services.
        extra_context = {"show_save": False, "show_save_and_continue": False,
                         "show_save_and_add_another": False, **(extra_context or {})}  # fmt: skip
        conversation = None
        if object_id:
            conversation = self.get_object(request, object_id)
            if conversation is not None and self.has_view_or_change_permission(
                request, conversation
            ):
                extra_context |= casework_context(request, conversation)
        response = super().changeform_view(request, object_id, form_url, extra_context)
        if (
            conversation is not None
            and request.method == "GET"
            and response.status_code == 200
            and request.user.has_perm(casework.WORK)
        ):
            # The look is written before the person's messages say "read" (as a document
            # is logged before its receipt says "seen").
            flush_access_log(request)
            casework.mark_read_by_staff(conversation=conversation, by=request.user)
        return response

    def act_view(self, request, conversation_id: int, action: str):
        if request.method != "POST":
            raise PermissionDenied
        handler = ACTIONS.get(action)
        if handler is None:
            raise Http404
        permission, form_class, run = handler
        if not request.user.has_perm(permission):
            raise PermissionDenied
        conversation = get_object_or_404(
            Conversation.objects.select_related("customer", "topic", "claim__benefit"),
            pk=conversation_id,
        )
        form = form_class(request.POST, prefix=action)
        if not form.is_valid():
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                self.message_user(
                    request,
                    f"{label}: {' '.join(str(e) for e in errors)}".strip(": "),
                    messages.ERROR,
                )
            return redirect("admin:conversations_conversation_change", conversation.pk)
        try:
            done = run(conversation=conversation, by=request.user, form=form)
        except (lifecycle.TransitionNotAllowed, ValueError, PermissionDenied) as exc:
            self.message_user(request, str(exc), messages.ERROR)
        else:
            self.message_user(request, done, messages.SUCCESS)
        return redirect("admin:conversations_conversation_change", conversation.pk)

    def file_view(self, request, conversation_id: int, attachment_id: int):
        """A file the person sent: logged before it is sent, then marked as seen."""
        if not request.user.has_perm("conversations.view_conversation"):
            raise PermissionDenied
        try:
            attachment = staff_selectors.attachment_for_staff(
                conversation_id=conversation_id, attachment_id=attachment_id
            )
        except Attachment.DoesNotExist:
            raise Http404 from None
        record_access(
            request, customer_id=attachment.message.conversation.customer_id,
            what=AccessEvent.What.MESSAGE_FILE, object_id=attachment.pk,
            model="conversations.attachment",
        )  # fmt: skip
        # If the log cannot be written, the file is not sent (a 503) and stays unseen.
        flush_access_log(request)
        casework.mark_attachment_seen(attachment=attachment, by=request.user)
        response = FileResponse(
            attachment.file.open("rb"), content_type=attachment.content_type,
            as_attachment=True, filename=attachment.original_name,
        )  # fmt: skip
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response


def casework_context(request, conversation: Conversation) -> dict:
    """What the conversation's page needs: the thread, the notes, the forms."""
    user = request.user
    templates = staff_selectors.templates_for(conversation=conversation)
    picker = TemplateChoiceForm(
        request.GET if "template" in request.GET else None, templates=templates
    )
    reply_initial = {}
    if picker.is_bound and picker.is_valid():
        template = picker.cleaned_data["template"]
        reply_initial = {
            "body": casework.render_template(template=template, conversation=conversation),
            "template": template.pk,
        }
    claim = conversation.claim
    return {
        "casework": {
            "conversation": conversation,
            "overdue": casework.is_overdue(conversation),
            "thread": staff_selectors.thread(conversation=conversation),
            "notes": staff_selectors.notes(conversation=conversation),
            "can_work": user.has_perm(casework.WORK),
            "can_transfer": user.has_perm(casework.TRANSFER),
            "is_mine": conversation.assigned_to_id == user.pk,
            "closed": conversation.status == S.CLOSED,
            "customer_360": reverse("customer-360", args=[conversation.customer_id]),
            # Each form's fields are prefixed with its action, so ids are unique on the page.
            "forms": {
                "picker": picker,
                "reply": ReplyForm(prefix="reply", initial=reply_initial),
                "note": NoteForm(prefix="note"),
                "supervisor": SupervisorForm(prefix="supervisor"),
                "supervisor_done": SupervisorDoneForm(prefix="supervisor-done"),
                "assign": AssignForm(prefix="assign"),
                "transfer": TransferForm(prefix="transfer"),
                "request": RequestInformationForm(
                    prefix="request-information", nation=nation_of(conversation.customer)
                ) if claim is not None and claim.status in lifecycle.OPEN else None,
                "change": ChangeForm(prefix="change"),
            },
        }
    }  # fmt: skip


def _reply(*, conversation, by, form):
    data = form.cleaned_data
    casework.send_staff_reply(
        conversation=conversation, by=by, body=data["body"] or "", template=data["template"],
        close=data["close"], submission_key=data["submission_key"],
    )  # fmt: skip
    if data["close"]:
        return _("Reply sent and the conversation closed. The person has been told.")
    return _("Reply sent. The person has been told there is a new message.")


def _note(*, conversation, by, form):
    casework.add_internal_note(conversation=conversation, by=by, text=form.cleaned_data["text"])
    return _("Note added.")


def _take(*, conversation, by, form):
    casework.assign(conversation=conversation, to=by, by=by)
    return _("The conversation is yours.")


def _release(*, conversation, by, form):
    casework.unassign(conversation=conversation, by=by)
    return _("The conversation is back in the queue.")


def _assign(*, conversation, by, form):
    to = form.cleaned_data["to"]
    casework.assign(conversation=conversation, to=to, by=by)
    return _("The conversation is with %(name)s now.") % {"name": to.email}


def _transfer(*, conversation, by, form):
    team = form.cleaned_data["team"]
    casework.transfer_to_team(conversation=conversation, team=team, by=by)
    return _("The conversation waits in the queue of %(team)s now.") % {"team": team.name}


def _supervisor(*, conversation, by, form):
    casework.mark_needs_supervisor(
        conversation=conversation, by=by, reason=form.cleaned_data["reason"]
    )
    return _("Marked as needing a supervisor.")


def _supervisor_done(*, conversation, by, form):
    casework.clear_needs_supervisor(
        conversation=conversation, by=by, note=form.cleaned_data["note"]
    )
    return _("It no longer needs a supervisor.")


def _close(*, conversation, by, form):
    casework.close_conversation(conversation=conversation, by=by)
    return _("Closed. The person can still read it.")


def _reopen(*, conversation, by, form):
    casework.reopen_conversation(conversation=conversation, by=by)
    return _("Reopened: it is yours, and waits for an answer.")


def _request(*, conversation, by, form):
    casework.raise_information_request(
        conversation=conversation, by=by, what=form.cleaned_data["what"],
        due_on=form.cleaned_data["due_on"],
    )  # fmt: skip
    return _("The person has been asked, and it is on their to-do list.")


def _change(*, conversation, by, form):
    data = form.cleaned_data
    fact = casework.raise_change_of_circumstances(
        conversation=conversation, by=by, kind=data["kind"], value=data["value"],
        effective_from=data["effective_from"],
    )  # fmt: skip
    if fact is None:
        return _("The record already said so: nothing changed.")
    return _("Recorded on the person's record. Their awards are on the list of changes to review.")


class _Empty(forms.Form):
    pass


WORK, TRANSFER = casework.WORK, casework.TRANSFER
ACTIONS = {
    "reply": (WORK, ReplyForm, _reply),
    "note": (WORK, NoteForm, _note),
    "take": (WORK, _Empty, _take),
    "release": (WORK, _Empty, _release),
    "assign": (TRANSFER, AssignForm, _assign),
    "transfer": (TRANSFER, TransferForm, _transfer),
    "supervisor": (WORK, SupervisorForm, _supervisor),
    "supervisor-done": (TRANSFER, SupervisorDoneForm, _supervisor_done),
    "close": (WORK, _Empty, _close),
    "reopen": (WORK, _Empty, _reopen),
    "request-information": (WORK, RequestInformationForm, _request),
    "change": (WORK, ChangeForm, _change),
}
