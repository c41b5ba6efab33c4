"""The retention schedule, in code: what the agency keeps, for how long, after what.

Each app registers its own record types from its ``AppConfig.ready()`` (its ``retention``
module calls ``register``), so this bottom app never imports the ones above it. The same
entries drive three things, so they cannot drift apart:

- ``manage.py apply_retention`` (``representatives.retention``) finds what is due with
  one indexed query per record type and deletes or anonymises it in batches;
- the privacy page ("How long we keep your information") lists them in plain words;
- closing an account tells the person what is kept and for how long.

An entry names its model by label ("benefits.Claim") and its event as a lookup path on
that model ("decided_at", "claim__decided_at", "customer__account_closed_at"): a row is
due when the event happened more than ``keep`` ago and ``condition`` holds. What happens
then is ``DELETE`` (the row, whatever Django cascades from it, their history rows and the
files they hold) or ``ANONYMISE`` (the fields in ``anonymise`` are replaced by the values
given there, the row's history is dropped, and ``files`` are removed from disk).

The periods are the **demo agency's** schedule, modelled on a UK benefits agency's: most
claim records are kept for a while after the last payment and some for six years (the
limitation period for recovering an overpayment, Limitation Act 1980 s.9), evidence only
until the decision can no longer be challenged (one month to ask for a reconsideration, 13
months at the latest), and contact records for two years. A real agency publishes its own
schedule; changing a period here changes the command, the privacy page and the closing
page together.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

if TYPE_CHECKING:
    from django.db.models import Model

    from accounts.models import Customer


DELETE = "delete"
ANONYMISE = "anonymise"


class LegalBasis:
    """Why the agency may keep the record, as a person is told it (UK GDPR article 6)."""

    PUBLIC_TASK = _(
        "We need it to do our public task: deciding and paying benefits under the law, and "
        "being able to explain, check or correct any decision later."
    )
    LEGAL_OBLIGATION = _(
        "The law requires us to keep it: records of payments and of how we reached decisions "
        "must be kept so they can be audited and any overpayment recovered."
    )
    YOUR_RIGHTS = _(
        "So you can exercise your rights: to see who looked at your records and what was done "
        "for you, and to complain or appeal."
    )
    SECURITY = _("To keep your account and our service secure, and to investigate misuse.")


@dataclass(frozen=True)
class Period:
    """How long: whole years, months and days, said in words for the person."""

    years: int = 0
    months: int = 0
    days: int = 0

    def before(self, moment: datetime) -> datetime:
        """The cut-off: an event before this moment is past its period. Calendar months
        and years, like a person counts them (29 February steps back to the 28th)."""
        index = moment.month - 1 - self.months - 12 * self.years
        year, month = moment.year + index // 12, index % 12 + 1
        day = min(moment.day, monthrange(year, month)[1])
        return moment.replace(year=year, month=month, day=day) - timedelta(days=self.days)

    def __str__(self) -> str:
        parts = []
        if self.years:
            parts.append(ngettext("%(n)d year", "%(n)d years", self.years) % {"n": self.years})
        if self.months:
            parts.append(ngettext("%(n)d month", "%(n)d months", self.months) % {"n": self.months})
        if self.days:
            parts.append(ngettext("%(n)d day", "%(n)d days", self.days) % {"n": self.days})
        return " ".join(parts) or str(_("no time"))


@dataclass(frozen=True)
class Rule:
    """One record type's retention: keep ``model`` rows for ``keep`` after ``clock``."""

    #: Stable key, used in run records and logs: "benefits.claim.ended".
    key: str
    #: The model's label: "benefits.Claim".
    model: str
    #: What the person is told it is: "Your claims, with their decisions and payments".
    name: str | Promise
    keep: Period
    #: A lookup path on the model to the event's date or time ("decided_at",
    #: "customer__account_closed_at").
    clock: str
    #: The event, as the person is told it: "after the claim ended".
    after: str | Promise
    action: str = DELETE
    #: Which rows this entry covers (status, a closed account…); empty for all.
    condition: Q = field(default_factory=Q)
    #: For ANONYMISE: field name → the value it is replaced with.
    anonymise: Mapping[str, Any] = field(default_factory=dict)
    #: FileFields whose files leave the disk with the row (DELETE also finds the files of
    #: rows deleted with it); for ANONYMISE, the field is blanked too.
    files: tuple[str, ...] = ()
    basis: str | Promise = LegalBasis.PUBLIC_TASK
    #: Shown on the privacy page under the name ("Kept with it: decisions, payments…").
    includes: str | Promise = ""
    #: Rows that protect these from deletion, deleted first in the same transaction:
    #: (model label, lookup to this model), in order ("benefits.Payment", "claim").
    first: tuple[tuple[str, str], ...] = ()
    #: Applied after the other entries (those whose condition waits for other records to
    #: have gone, like the person's own record once no claim of theirs is kept).
    late: bool = False

    def __post_init__(self) -> None:
        if self.action not in (DELETE, ANONYMISE):
            raise ValueError(f"{self.key}: action must be delete or anonymise")
        if self.action == ANONYMISE and not (self.anonymise or self.files):
            raise ValueError(f"{self.key}: say which fields are anonymised")

    @property
    def model_class(self) -> type[Model]:
        return apps.get_model(self.model)

    @property
    def action_words(self) -> str:
        if self.action == DELETE:
            return str(_("deleted"))
        return str(_("your personal details are removed from it"))

    @property
    def already_done(self) -> Q:
        """For ANONYMISE: rows whose fields already hold their replacements (never again)."""
        parts = {}
        for name, value in self.anonymise.items():
            parts[f"{name}__isnull" if value is None else name] = True if value is None else value
        for name in self.files:
            parts.setdefault(name, "")
        return Q(**parts)


RULES: dict[str, Rule] = {}

#: Functions of a customer returning why their account cannot be closed yet, in the
#: person's words (an appointment still booked…); apps add theirs in ``ready()``.
CLOSING_CHECKS: list[Callable[[Customer], list[str]]] = []


def register(*rules: Rule) -> None:
    """Add record types to the schedule (from an app's ``ready()``). A key is registered
    once: a second registration under the same key replaces the first (reloads in tests)."""
    for rule in rules:
        RULES[rule.key] = rule


def add_closing_check(check: Callable[[Customer], list[str]]) -> None:
    if check not in CLOSING_CHECKS:
        CLOSING_CHECKS.append(check)


def closing_reasons(customer: Customer) -> list[str]:
    return [reason for check in CLOSING_CHECKS for reason in check(customer)]


def schedule() -> list[Rule]:
    """Every entry, in the order the command applies them and the privacy page lists them:
    as registered (apps in ``INSTALLED_APPS`` order), the ``late`` ones last."""
    return sorted(RULES.values(), key=lambda rule: rule.late)


# --- accounts' own records ------------------------------------------------------------------

CLOSED = Q(customer__account_closed_at__isnull=False)


def register_accounts() -> None:
    register(
        Rule(
            key="accounts.access_event",
            model="accounts.AccessEvent",
            name=_("The record of staff who looked at your information"),
            keep=Period(years=2),
            clock="at",
            after=_("after the staff member looked"),
            basis=LegalBasis.YOUR_RIGHTS,
        ),
        Rule(
            key="accounts.fact.closed",
            model="accounts.Fact",
            name=_("Your circumstances as you told us them (the history of your details)"),
            keep=Period(years=7),
            clock="customer__account_closed_at",
            after=_("after your account was closed, once no claim of yours is kept"),
            condition=CLOSED & Q(customer__claims__isnull=True),
            late=True,
        ),
        Rule(
            key="accounts.household.closed",
            model="accounts.HouseholdMember",
            name=_("The people you told us live with you"),
            keep=Period(years=7),
            clock="customer__account_closed_at",
            after=_("after your account was closed, once no claim of yours is kept"),
            condition=CLOSED & Q(customer__claims__isnull=True),
            late=True,
        ),
        Rule(
            key="accounts.bank_account.closed",
            model="accounts.BankAccount",
            name=_("Your bank account details"),
            keep=Period(years=7),
            clock="customer__account_closed_at",
            after=_("after your account was closed, once no claim of yours is kept"),
            condition=CLOSED & Q(customer__claims__isnull=True),
            basis=LegalBasis.LEGAL_OBLIGATION,
            late=True,
        ),
        # Last of accounts' entries: the person's own record goes after what hangs from it.
        Rule(
            key="accounts.customer.closed",
            model="accounts.Customer",
            name=_("Your name, date of birth, National Insurance number and contact details"),
            keep=Period(years=7),
            clock="account_closed_at",
            after=_("after your account was closed, once no claim of yours is kept"),
            action=ANONYMISE,
            condition=Q(account_closed_at__isnull=False, claims__isnull=True),
            anonymise={
                "legal_given_names": "",
                "legal_family_name": "",
                "preferred_name": "",
                "date_of_birth": None,
                "ni_number": None,
                "email": "",
                "phone": "",
                "address_line_1": "",
                "address_line_2": "",
                "town": "",
                "postcode": "",
                "accessibility_needs": [],
                "contact_channels": [],
                "reasonable_adjustments": "",
            },
            includes=_(
                "Only your customer reference stays, with no name or details, so our "
                "statistics still add up."
            ),
            late=True,
        ),
    )
