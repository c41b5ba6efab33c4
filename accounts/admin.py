from __future__ import annotations

from allauth.account.admin import EmailAddressAdmin
from allauth.account.models import EmailAddress
from allauth.mfa.admin import AuthenticatorAdmin
from allauth.mfa.models import Authenticator
from allauth.usersessions.admin import UserSessionAdmin
from allauth.usersessions.models import UserSession
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.translation import gettext_lazy as _

from accounts import hooks, services
from accounts.access import RecordsAccess
from accounts.masking import mask_nino
from accounts.models import (
    FACT_KIND_LABELS,
    AccessEvent,
    Customer,
    Fact,
    FactKind,
    HouseholdMember,
    Team,
    User,
    normalise_nino,
    validate_nino,
)


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(RecordsAccess, DjangoUserAdmin):
    access_list_name = _("online accounts")

    form = UserEditForm
    add_form = UserCreationForm
    ordering = ("email",)
    list_display = ("email", "is_staff", "is_active", "date_joined", "last_login")
    list_filter = ("is_staff", "is_superuser", "is_active", "groups")
    search_fields = ("email",)
    readonly_fields = ("last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "usable_password", "password1", "password2"),
            },
        ),
    )

    def user_change_password(self, request, id, form_url=""):
        # The "set a password" page shows whose account it is.
        response = super().user_change_password(request, id, form_url)
        user = (getattr(response, "context_data", None) or {}).get("original")
        if user is not None and request.method == "GET":
            self.record_record_access(request, user)
        return response


class HasAccessibilityNeeds(admin.SimpleListFilter):
    title = _("accessibility needs")
    parameter_name = "needs"

    def lookups(self, request, model_admin):
        return [("yes", _("Has needs or adjustments")), ("no", _("None recorded"))]

    def queryset(self, request, queryset):
        has = ~Q(accessibility_needs=[]) | ~Q(reasonable_adjustments="")
        if self.value() == "yes":
            return queryset.filter(has)
        if self.value() == "no":
            return queryset.exclude(has)
        return queryset


class HasSignIn(admin.SimpleListFilter):
    title = _("online account")
    parameter_name = "online"

    def lookups(self, request, model_admin):
        return [("yes", _("Signs in online")), ("no", _("No online account"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(user__isnull=self.value() == "no")
        return queryset


class HouseholdInline(admin.TabularInline):
    model = HouseholdMember
    extra = 0
    fields = ("relationship", "name", "date_of_birth", "joined_on", "left_on", "recorded_by")
    readonly_fields = ("recorded_by",)


class FactInline(admin.TabularInline):
    """Circumstances history: read-only here; changes go through "Add fact"."""

    model = Fact
    extra = 0
    can_delete = False
    fields = (
        "kind_label", "value", "effective_from", "effective_to", "source", "recorded_by",
        "recorded_at",
    )  # fmt: skip
    readonly_fields = fields
    ordering = ("kind", "recorded_at", "effective_from")
    verbose_name_plural = _("circumstances history")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recorded_by")


class CustomerAdminForm(forms.ModelForm):
    """The NI number is never put back in the page: the box starts empty, the number on
    record is named by its ending, and an empty box keeps it."""

    # Typed as people write it ("QQ 12 34 56 C"): longer than the nine characters stored.
    ni_number = forms.CharField(label=_("National Insurance number"), required=False, max_length=20)

    class Meta:
        model = Customer
        fields = ("ni_number",)  # the admin's fieldsets add the rest

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields.get("ni_number")
        if field is None:
            return
        self.initial["ni_number"] = ""
        held = self.instance.ni_number if self.instance.pk else None
        if held:
            # The admin shows help text as HTML, unescaped: the value on record is
            # escaped; the sentence around it is the code's own.
            field.help_text = _(
                "On record: %(ending)s. Leave empty to keep it; type a number only to change it."
            ) % {"ending": escape(mask_nino(held))}

    def clean_ni_number(self) -> str | None:
        typed = normalise_nino(self.cleaned_data.get("ni_number") or "")
        if not typed:
            return self.instance.ni_number if self.instance.pk else None
        validate_nino(typed)
        return typed


@admin.register(Customer)
class CustomerAdmin(RecordsAccess, admin.ModelAdmin):
    access_customer = "pk"
    access_list_name = _("customers")

    form = CustomerAdminForm
    list_display = ("reference", "full_name", "date_of_birth", "postcode", "ni_ending", "user")
    list_select_related = ("user",)
    search_fields = (
        "reference", "legal_family_name", "legal_given_names", "preferred_name", "email",
        "ni_number", "postcode", "phone",
    )  # fmt: skip
    list_filter = (HasSignIn, HasAccessibilityNeeds, "preferred_language", "created_at")
    readonly_fields = ("reference", "user", "open_360", "created_at", "updated_at")
    show_full_result_count = False  # COUNT(*) on millions of rows is slow
    list_per_page = 50
    fieldsets = (
        (None, {"fields": ("reference", "user", "open_360")}),
        (
            _("Identity"),
            {
                "fields": (
                    "legal_given_names",
                    "legal_family_name",
                    "preferred_name",
                    "date_of_birth",
                    "ni_number",
                )
            },
        ),
        (
            _("Contact"),
            {"fields": ("email", "phone", "address_line_1", "address_line_2", "town", "postcode")},
        ),
        (
            _("Preferences and adjustments"),
            {
                "fields": (
                    "preferred_language",
                    "contact_channels",
                    "accessibility_needs",
                    "reasonable_adjustments",
                    "needs_extra_support",
                )
            },
        ),
        (_("Record"), {"fields": ("created_at", "updated_at")}),
    )
    inlines = [HouseholdInline, FactInline]

    @admin.display(description=_("name"), ordering="legal_family_name")
    def full_name(self, obj: Customer) -> str:
        return obj.full_name

    @admin.display(description=_("NI number"), ordering="ni_number")
    def ni_ending(self, obj: Customer) -> str:
        # Masked in the list like everywhere else; search still finds a full number.
        return obj.masked_ni_number or "—"

    @admin.display(description=_("the whole person"))
    def open_360(self, obj: Customer) -> str:
        if obj.pk is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("customer-360", args=[obj.pk]), _("Customer 360°")
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.reference = services.new_customer_reference()
        if obj.ni_number == "":
            obj.ni_number = None
        super().save_model(request, obj, form, change)
        changed = form.changed_data if change else list(services.PROFILE_FACT_FIELDS)
        services.record_profile_changes(customer=obj, by=request.user, changed_fields=changed)
        if change and {"needs_extra_support", "accessibility_needs"} & set(form.changed_data):
            # Their open claims move up or down the casework queue.
            hooks.support_needs_changed.send(sender=Customer, customer=obj)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, HouseholdMember) and instance.recorded_by_id is None:
                instance.recorded_by = request.user
            instance.save()
        formset.save_m2m()


@admin.register(HouseholdMember)
class HouseholdMemberAdmin(RecordsAccess, admin.ModelAdmin):
    access_list_name = _("people in customers' households")

    list_display = ("name", "relationship", "date_of_birth", "customer", "joined_on", "left_on")
    list_filter = ("relationship",)
    search_fields = ("name", "customer__reference", "customer__legal_family_name")
    list_select_related = ("customer",)
    autocomplete_fields = ("customer",)
    readonly_fields = ("recorded_by", "created_at")
    show_full_result_count = False


class FactForm(forms.ModelForm):
    """A caseworker records what they were told: the kinds the portal knows, by name."""

    kind = forms.ChoiceField(label=_("kind"), choices=())
    effective_to = forms.DateField(label=_("true until (exclusive)"), required=False)

    class Meta:
        model = Fact
        fields = ("customer", "kind", "value", "effective_from", "effective_to", "note")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        known = {**{k: str(v) for k, v in FactKind.choices}, **{
            k: str(v) for k, v in FACT_KIND_LABELS.items()
        }}  # fmt: skip
        self.fields["kind"].choices = sorted(known.items(), key=lambda kv: kv[1].lower())


@admin.register(Fact)
class FactAdmin(RecordsAccess, admin.ModelAdmin):
    """Facts are never edited: a new assertion from a date supersedes what it covers."""

    access_list_name = _("customers' circumstances")

    form = FactForm
    list_display = (
        "customer", "kind_label", "value", "effective_from", "effective_to", "source",
        "recorded_by", "recorded_at",
    )  # fmt: skip
    list_filter = ("kind", "source")
    search_fields = ("customer__reference", "customer__legal_family_name")
    list_select_related = ("customer", "recorded_by")
    autocomplete_fields = ("customer",)
    fields = ("customer", "kind", "value", "effective_from", "effective_to", "note")
    date_hierarchy = "recorded_at"
    show_full_result_count = False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        fact = services.record_fact(
            customer=obj.customer,
            kind=obj.kind,
            value=obj.value,
            effective_from=obj.effective_from or timezone.localdate(),
            effective_to=obj.effective_to,
            by=request.user,
            note=obj.note,
        )
        if fact is not None:
            obj.pk = fact.pk
        else:
            # The record already says so: point the admin at the latest assertion.
            obj.pk = (
                Fact.objects.filter(customer=obj.customer, kind=obj.kind)
                .order_by("-recorded_at", "-pk")
                .values_list("pk", flat=True)
                .first()
            )


class StaffFilter(admin.RelatedFieldListFilter):
    """Staff members only: the default would list every citizen's account too."""

    def field_choices(self, field, request, model_admin):
        return field.get_choices(
            include_blank=False, limit_choices_to={"is_staff": True}, ordering=("email",)
        )


@admin.register(AccessEvent)
class AccessEventAdmin(admin.ModelAdmin):
    """The access log, to read: nobody adds, changes or deletes an event here, superusers
    included. Events are written by ``accounts.access`` as staff see records and lists.

    Reads here are not logged themselves (see docs/security.md): auditors reading the log
    would otherwise fill it with their own reads.
    """

    list_display = (
        "at", "customer", "staff", "role", "what", "page", "model", "object_id", "rows",
        "search", "view",
    )  # fmt: skip
    list_filter = ("what", "page", ("staff", StaffFilter))
    search_fields = ("=customer__reference",)  # see get_search_results
    search_help_text = _("Customer reference, exactly as written: the events about them.")
    list_select_related = ("customer", "staff")
    fields = (
        "at", "customer", "customer_ids", "staff", "role", "what", "page", "model",
        "object_id", "object_ids", "search", "view",
    )  # fmt: skip
    readonly_fields = fields
    show_full_result_count = False
    list_per_page = 100

    @admin.display(description=_("rows shown"))
    def rows(self, obj: AccessEvent) -> int | str:
        return len(obj.object_ids) if obj.page in ("list", "search") else "—"

    def get_search_results(self, request, queryset, search_term):
        # Every event whose page showed the customer: their records, and the lists and
        # search results they were on (one event may name many customers).
        term = search_term.strip()
        if not term:
            return queryset, False
        found = list(Customer.objects.filter(reference__iexact=term).values_list("pk", flat=True))
        return queryset.filter(customer_ids__overlap=found), False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# The sign-in models of allauth hold people's email addresses, authenticators and
# sessions (IP addresses, browsers): their admins record reads like ours.


class LoggedEmailAddressAdmin(RecordsAccess, EmailAddressAdmin):
    access_customer = "user__customer"
    access_list_name = _("email addresses")


class LoggedAuthenticatorAdmin(RecordsAccess, AuthenticatorAdmin):
    access_customer = "user__customer"
    access_list_name = _("ways of signing in securely")
    list_select_related = ("user",)


class LoggedUserSessionAdmin(RecordsAccess, UserSessionAdmin):
    access_customer = "user__customer"
    access_list_name = _("sign-in sessions")
    list_select_related = ("user",)
    # allauth's list names user__username, which this User does not have.
    search_fields = ["user__email", "ip"]


admin.site.unregister([EmailAddress, Authenticator, UserSession])
admin.site.register(EmailAddress, LoggedEmailAddressAdmin)
admin.site.register(Authenticator, LoggedAuthenticatorAdmin)
admin.site.register(UserSession, LoggedUserSessionAdmin)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    """Teams of staff: who conversations and appointments can be given to."""

    list_display = ["name", "active"]
    list_filter = ["active"]
    search_fields = ["name"]
    filter_horizontal = ["members"]
