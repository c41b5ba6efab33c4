"""Who people are: User (a way to sign in), Customer (the one model of the customer),
their household, and their circumstances as effective-dated facts."""

from __future__ import annotations

import re
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Func, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.masking import mask_account_number, mask_nino, mask_sort_code


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        # Email addresses are unique whatever their case.
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A way to sign in. Email is the login; a person's details live on Customer."""

    email = models.EmailField(_("email address"), max_length=254, unique=True)
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Whether the user can sign in to the caseworker workspace."),
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Unselect this instead of deleting accounts."),
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.email

    def clean(self) -> None:
        super().clean()
        self.email = type(self).objects.normalize_email(self.email)


# --- The customer ------------------------------------------------------------------------

# National Insurance number: two prefix letters (D, F, I, Q, U, V never used; O not second;
# BG, GB, KN, NK, NT, TN, ZZ never allocated), six digits, suffix A-D.
NINO_RE = re.compile(r"^(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]$")


def normalise_nino(value: str) -> str:
    return re.sub(r"[\s-]+", "", value or "").upper()


def validate_nino(value: str) -> None:
    if not NINO_RE.match(normalise_nino(value)):
        raise ValidationError(
            _("Enter a National Insurance number in the correct format, like AB 12 34 56 C"),
            code="invalid_nino",
        )


class Language(models.TextChoices):
    ENGLISH = "en-gb", _("English")
    WELSH = "cy", _("Welsh")


class ContactChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message")
    POST = "post", _("Letter")
    PHONE = "phone", _("Phone call")


class AccessibilityNeed(models.TextChoices):
    LARGE_PRINT = "large_print", _("Large print")
    EASY_READ = "easy_read", _("Easy read")
    BRAILLE = "braille", _("Braille")
    AUDIO = "audio", _("Audio")
    BSL = "bsl", _("British Sign Language interpreter")
    SCREEN_READER = "screen_reader", _("I use a screen reader")
    TEXT_RELAY = "text_relay", _("Text relay for phone calls")
    NO_PHONE = "no_phone", _("Please do not phone me")
    EXTRA_TIME = "extra_time", _("More time to reply")
    SOMEONE_WITH_ME = "someone_with_me", _("Someone to help me at appointments")


class Customer(models.Model):
    """The person the agency serves. Every app points here; none keeps its own copy.

    A Customer may exist before anyone signs in for them (created by a caseworker or an
    import) and be linked to a User later. The contact and preference fields hold the
    values in force today; their history is kept as ``Fact`` rows, never overwritten.
    """

    reference = models.CharField(_("customer reference"), max_length=12, unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="customer",
        verbose_name=_("sign-in"),
    )
    legal_given_names = models.CharField(_("given names (legal)"), max_length=200, blank=True)
    legal_family_name = models.CharField(_("family name (legal)"), max_length=200, blank=True)
    preferred_name = models.CharField(
        _("preferred name"),
        max_length=200,
        blank=True,
        help_text=_("What the person likes to be called, if different."),
    )
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    # NULL, not "", when unknown: the unique constraint ignores NULLs.
    ni_number = models.CharField(  # noqa: DJ001
        _("National Insurance number"),
        max_length=9,
        null=True,
        blank=True,
        validators=[validate_nino],
    )
    email = models.EmailField(_("contact email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address_line_1 = models.CharField(_("address line 1"), max_length=200, blank=True)
    address_line_2 = models.CharField(_("address line 2"), max_length=200, blank=True)
    town = models.CharField(_("town or city"), max_length=100, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=Language, default=Language.ENGLISH
    )
    contact_channels = ArrayField(
        models.CharField(max_length=10, choices=ContactChannel),
        verbose_name=_("preferred contact channels"),
        default=list,
        blank=True,
    )
    accessibility_needs = ArrayField(
        models.CharField(max_length=20, choices=AccessibilityNeed),
        verbose_name=_("accessibility needs"),
        default=list,
        blank=True,
    )
    reasonable_adjustments = models.TextField(
        _("other reasonable adjustments"), blank=True, max_length=2000
    )
    needs_extra_support = models.BooleanField(
        _("needs extra support"), default=False,
        help_text=_("Set by a caseworker: the person's claims are worked first."),
    )  # fmt: skip
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    #: The person closed their portal account: sign-in ended, the retention schedule's
    #: "after your account was closed" runs from here (``accounts.retention``).
    account_closed_at = models.DateTimeField(_("account closed"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["legal_family_name", "legal_given_names", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["ni_number"],
                condition=Q(ni_number__isnull=False),
                name="accounts_customer_nino_unique",
            ),
            models.CheckConstraint(
                condition=Q(ni_number__isnull=True) | ~Q(ni_number=""),
                name="accounts_customer_nino_null_not_blank",
            ),
        ]
        indexes = [
            models.Index(
                fields=["legal_family_name", "legal_given_names"], name="acc_cust_name_idx"
            ),
            models.Index(fields=["postcode"], name="acc_cust_postcode_idx"),
            models.Index(fields=["date_of_birth"], name="acc_cust_dob_idx"),
            # The retention schedule's "after the account was closed": only closed ones.
            models.Index(
                fields=["account_closed_at"],
                condition=Q(account_closed_at__isnull=False),
                name="acc_cust_closed_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name or _('(name not given)')} ({self.reference})"

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.legal_given_names, self.legal_family_name) if p)

    @property
    def display_name(self) -> str:
        return self.preferred_name or self.legal_given_names or self.full_name

    @property
    def address_lines(self) -> list[str]:
        return [
            line
            for line in (self.address_line_1, self.address_line_2, self.town, self.postcode)
            if line
        ]

    @property
    def masked_ni_number(self) -> str:
        """The NI number as pages show it: "ending 56 C" (see ``accounts.masking``)."""
        return mask_nino(self.ni_number)

    @property
    def is_profile_complete(self) -> bool:
        return bool(self.legal_given_names and self.legal_family_name and self.date_of_birth)


class Relationship(models.TextChoices):
    PARTNER = "partner", _("Partner")
    CHILD = "child", _("Child")
    OTHER = "other", _("Other adult")


class HouseholdMember(models.Model):
    """Someone who lives with the customer. Joining and leaving are dated, not deleted."""

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="household", verbose_name=_("customer")
    )
    relationship = models.CharField(_("relationship"), max_length=10, choices=Relationship)
    name = models.CharField(_("name"), max_length=200)
    date_of_birth = models.DateField(_("date of birth"))
    joined_on = models.DateField(_("lives with the customer from"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        ordering = ["relationship", "date_of_birth"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gt=F("joined_on")),
                name="accounts_member_left_after_joined",
            ),
        ]
        indexes = [models.Index(fields=["customer", "left_on"], name="acc_member_current_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_relationship_display()})"


class FactKind(models.TextChoices):
    """What a fact is about, for the kinds the portal names itself.

    The rules' other inputs are facts too, named by their household path
    (``claimant.care_need``, ``partner.weekly_pension_income``): ``fact_kind_label`` gives
    either a readable name. ``benefits.assessment`` turns the facts into the household.
    """

    # Contact and preferences, also held on Customer as today's values.
    ADDRESS = "address", _("Address")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("Contact email")
    LANGUAGE = "language", _("Preferred language")
    CONTACT_CHANNELS = "contact_channels", _("Contact channels")
    ACCESSIBILITY = "accessibility", _("Accessibility needs")
    # Circumstances the rules use.
    RELATIONSHIP_STATUS = "relationship_status", _("Single or couple")
    EMPLOYMENT = "employment", _("Employment")
    MONTHLY_EARNINGS = "monthly_earnings", _("Monthly earnings (£)")
    PARTNER_MONTHLY_EARNINGS = "partner_monthly_earnings", _("Partner's monthly earnings (£)")
    CAPITAL = "capital", _("Savings and capital (£)")
    HOUSING = "housing", _("Housing")
    MONTHLY_RENT = "monthly_rent", _("Monthly rent (£)")
    CARING_HOURS = "caring_hours", _("Hours caring each week")
    CARED_FOR_GETS_DISABILITY_BENEFIT = (
        "cared_for_disability_benefit",
        _("Person cared for gets a qualifying disability benefit"),
    )
    HEALTH_CONDITION = "health_condition", _("Health condition or disability")
    LIMITED_CAPABILITY_FOR_WORK = (
        "lcwra",
        _("Limited capability for work and work-related activity"),
    )
    NI_QUALIFYING_YEARS = "ni_qualifying_years", _("National Insurance qualifying years")
    PREGNANCY_DUE_DATE = "pregnancy_due_date", _("Baby due date")
    BEREAVEMENT_DATE = "bereavement_date", _("Date partner died")
    # Identity checks for caseworkers.
    NI_NUMBER_TO_CHECK = "ni_number_to_check", _("National Insurance number to check")


class FactSource(models.TextChoices):
    CITIZEN = "citizen", _("The customer")
    CASEWORKER = "caseworker", _("A caseworker")
    SYSTEM = "system", _("The system")
    IMPORT = "import", _("An import")
    SCREENER = "screener", _("Check what you could get")
    APPLICATION = "application", _("An application")
    CHANGE = "change", _("A reported change")
    DATA_MATCH = "data_match", _("A data match")


class DateRange(Func):
    """daterange(from, to): for exclusion constraints over effective-dated rows."""

    function = "daterange"
    output_field = models.Field()  # only used inside exclusion constraints


# Kinds named by a household path: lower-case words joined by dots.
FACT_KIND_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")

# Readable names for kinds other apps define (registered in their AppConfig.ready), so
# this app lists them without importing upwards.
FACT_KIND_LABELS: dict[str, Any] = {}


def fact_kind_label(kind: str) -> str:
    if kind in FactKind.values:
        return str(FactKind(kind).label)
    label = FACT_KIND_LABELS.get(kind)
    return str(label) if label else kind.replace(".", " · ").replace("_", " ")


class Fact(models.Model):
    """One assertion about the person: ``kind`` was ``value`` from ``effective_from``
    until ``effective_to`` (exclusive; open-ended when empty), as we were told at
    ``recorded_at`` by ``source``.

    Facts are bitemporal and append-only. What was true on a date, as known now, is the
    latest-recorded assertion covering that date; a later report from an earlier date
    supersedes what it covers and nothing else, and what we knew on any earlier day stays
    readable (``accounts.selectors.facts_in_force(known_at=…)``). A value of null says
    "no longer so" (a due date after the birth, say). Nothing is ever updated or deleted.
    """

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="facts", verbose_name=_("customer")
    )
    kind = models.CharField(_("kind"), max_length=80)
    value = models.JSONField(_("value"), null=True)
    effective_from = models.DateField(_("true from"))
    effective_to = models.DateField(_("true until (exclusive)"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    source = models.CharField(_("source"), max_length=12, choices=FactSource)
    note = models.CharField(_("note"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fact")
        verbose_name_plural = _("facts")
        ordering = ["kind", "effective_from", "recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gt=F("effective_from")),
                name="accounts_fact_period_positive",
            ),
        ]
        indexes = [
            # "What was true on D as known at K": one customer's assertions, newest first.
            models.Index(
                F("customer"), F("kind"), F("recorded_at").desc(), name="acc_fact_asof_idx"
            ),
        ]

    def __str__(self) -> str:
        until = self.effective_to.isoformat() if self.effective_to else "…"
        return f"{self.kind_label}: {self.value} ({self.effective_from} – {until})"

    @property
    def kind_label(self) -> str:
        return fact_kind_label(self.kind)

    def covers(self, day) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day < self.effective_to)


class BankAccount(models.Model):
    """Where the person's benefits are paid, told once and reused by every application.

    Append-only, like facts: the latest row is the account in use, and earlier rows show
    where payments went before (a diverted payment can be traced). The numbers are never
    shown in full: ``__str__``, ``__repr__`` and the masked properties give only their last
    characters, so a log line or an admin screen cannot leak them. Changing them needs the
    person's password again (``accounts.views.edit_bank_details``, the application's
    questions).
    """

    customer = models.ForeignKey(
        Customer,
        on_delete=models.CASCADE,
        related_name="bank_accounts",
        verbose_name=_("customer"),
    )
    account_name = models.CharField(_("name on the account"), max_length=200)
    sort_code = models.CharField(_("sort code"), max_length=6)
    account_number = models.CharField(_("account number"), max_length=8)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    source = models.CharField(_("source"), max_length=12, choices=FactSource)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("bank account")
        verbose_name_plural = _("bank accounts")
        ordering = ["-recorded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sort_code__regex=r"^[0-9]{6}$"), name="accounts_bank_sort_code_digits"
            ),
            models.CheckConstraint(
                condition=Q(account_number__regex=r"^[0-9]{6,8}$"),
                name="accounts_bank_account_number_digits",
            ),
        ]
        indexes = [
            models.Index(F("customer"), F("recorded_at").desc(), name="acc_bank_current_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.account_name} · {self.masked_sort_code} · {self.masked_account_number}"

    def __repr__(self) -> str:
        return f"<BankAccount {self.pk} {self.masked_account_number}>"

    @property
    def masked_sort_code(self) -> str:
        return mask_sort_code(self.sort_code)

    @property
    def masked_account_number(self) -> str:
        return mask_account_number(self.account_number)


class AccessEvent(models.Model):
    """Staff saw a customer's data: opened their record, a claim or a document, read its
    history of changes, or had a page of a list or of search results with their details on
    it. One event per page, written before the page is sent (``accounts.access``); never
    edited or deleted through the admin.

    ``customer_ids`` names every customer the page showed (one for a record, each row's for
    a list): the person's own log is read through it. ``customer`` is set only for a page
    about one customer.
    """

    class What(models.TextChoices):
        CUSTOMER = "customer", _("Your record")
        CLAIM = "claim", _("A claim")
        DOCUMENT = "document", _("A document you sent")
        CUSTOMER_360 = "customer_360", _("Your whole record")
        CONVERSATION = "conversation", _("A conversation with us")
        MESSAGE_FILE = "message_file", _("A file you sent with a message")
        APPOINTMENT = "appointment", _("An appointment")
        CONSENT = "consent", _("Your consents")
        CORRECTION = "correction", _("A correction you asked for")

    class Page(models.TextChoices):
        DETAIL = "detail", _("opened")
        HISTORY = "history", _("history of changes")
        LIST = "list", _("in a list")
        SEARCH = "search", _("in search results")

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="access_events", null=True,
        blank=True, verbose_name=_("customer"),
    )  # fmt: skip
    customer_ids = ArrayField(
        models.BigIntegerField(), verbose_name=_("customers shown"), default=list, blank=True
    )
    staff = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("staff member")
    )
    role = models.CharField(_("role"), max_length=60)
    at = models.DateTimeField(_("when"), default=timezone.now)
    what = models.CharField(_("what"), max_length=20, choices=What)
    page = models.CharField(_("page"), max_length=10, choices=Page, default=Page.DETAIL)
    model = models.CharField(_("kind of record"), max_length=100, blank=True)
    object_id = models.BigIntegerField(_("which"), null=True, blank=True)
    object_ids = ArrayField(
        models.BigIntegerField(), verbose_name=_("rows shown"), default=list, blank=True
    )
    search = models.CharField(_("search term"), max_length=200, blank=True)
    view = models.CharField(_("view"), max_length=100)

    class Meta:
        verbose_name = _("access event")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-pk"]
        indexes = [
            GinIndex(fields=["customer_ids"], name="acc_access_customers_gin"),
            models.Index(fields=["at"], name="acc_access_at_idx"),  # the retention schedule
        ]
        constraints = [
            # A record or its history is one customer's; a list may show none.
            models.CheckConstraint(
                condition=Q(page__in=["list", "search"])
                | Q(customer__isnull=False, customer_ids__len=1),
                name="acc_access_one_customer_per_record",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff_id} {self.what} {self.customer_id} {self.at:%Y-%m-%d %H:%M}"


class Team(models.Model):
    """A team of staff that conversations and appointments are given to (a service centre,
    a work coach team, a visiting team). Staff may belong to several."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    members = models.ManyToManyField(
        User, related_name="teams", blank=True, verbose_name=_("members"),
        limit_choices_to={"is_staff": True},
    )  # fmt: skip
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
