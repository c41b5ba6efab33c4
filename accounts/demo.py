"""Demo people: staff with MFA, and citizens whose households have different shapes.

Idempotent: each person is looked up by email first and only created when missing.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TextIO

from allauth.account.models import EmailAddress
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from accounts import services
from accounts.models import Customer, FactKind, User
from lib.demo import DemoSignIn

# 160-bit TOTP secrets (32 base32 characters), readable because they are printed for the
# demo; shorter ones are refused by current pyotp and some authenticator apps.
CASEWORKER_TOTP = "CASEWORKERDEMOSECRETFORTOTPCODES"
TEAM_LEADER_TOTP = "TEAMLEADERDEMOSECRETFORTOTPCODES"
OPERATOR_TOTP = "OPERATORDEMOSECRETFORTOTPCODESAA"
CITIZEN_PASSWORD = "demo-citizen-password"

STAFF = [
    # role, email, password, group, superuser, TOTP secret
    (
        "Caseworker",
        "caseworker@example.org",
        "demo-caseworker-password",
        "caseworker",
        False,
        CASEWORKER_TOTP,
    ),
    (
        "Team leader",
        "teamleader@example.org",
        "demo-teamleader-password",
        "team leader",
        False,
        TEAM_LEADER_TOTP,
    ),
    (
        "Operator (admin)",
        "operator@example.org",
        "demo-operator-password",
        None,
        True,
        OPERATOR_TOTP,
    ),
]

# Each citizen: personal details, household, and circumstances with history.
CITIZENS = [
    {
        "role": "Citizen (single)",
        "email": "citizen@example.org",
        "customer": {
            "legal_given_names": "Sam",
            "legal_family_name": "Okafor",
            "date_of_birth": date(1994, 5, 12),
            "ni_number": "AB123456C",
            "phone": "07700 900123",
            "address_line_1": "12 Station Road",
            "town": "Leeds",
            "postcode": "LS1 4DY",
        },
        "household": [],
        "facts": [
            (FactKind.RELATIONSHIP_STATUS, "single", date(2024, 1, 1)),
            (FactKind.EMPLOYMENT, "employed", date(2024, 1, 1)),
            (FactKind.MONTHLY_EARNINGS, 1450, date(2024, 1, 1)),
            (FactKind.MONTHLY_EARNINGS, 900, date(2026, 6, 1)),  # hours cut
            (FactKind.CAPITAL, 1200, date(2024, 1, 1)),
            (FactKind.HOUSING, "rent_private", date(2024, 1, 1)),
            (FactKind.MONTHLY_RENT, 650, date(2024, 1, 1)),
            (FactKind.NI_QUALIFYING_YEARS, 9, date(2024, 1, 1)),
        ],
    },
    {
        "role": "Citizen (couple)",
        "email": "priya@example.org",
        "customer": {
            "legal_given_names": "Priya",
            "legal_family_name": "Shah",
            "date_of_birth": date(1990, 9, 3),
            "ni_number": "CE234567A",
            "address_line_1": "4 Mill Lane",
            "town": "Manchester",
            "postcode": "M4 1HN",
            "phone": "07700 900789",
            "contact_channels": ["email", "sms"],
        },
        "household": [("partner", "Tom Shah", date(1988, 2, 14), date(2019, 6, 1))],
        "facts": [
            (FactKind.EMPLOYMENT, "employed", date(2024, 1, 1)),
            (FactKind.MONTHLY_EARNINGS, 1800, date(2024, 1, 1)),
            (FactKind.PARTNER_MONTHLY_EARNINGS, 0, date(2025, 9, 1)),
            (FactKind.CAPITAL, 4000, date(2024, 1, 1)),
            (FactKind.HOUSING, "rent_social", date(2024, 1, 1)),
            (FactKind.MONTHLY_RENT, 520, date(2024, 1, 1)),
            (FactKind.PREGNANCY_DUE_DATE, "2027-03-20", date(2026, 8, 1)),
        ],
    },
    {
        "role": "Citizen (lone parent)",
        "email": "jess@example.org",
        "customer": {
            "legal_given_names": "Jessica",
            "preferred_name": "Jess",
            "legal_family_name": "Brown",
            "date_of_birth": date(1992, 11, 23),
            "ni_number": "JG345678B",
            "address_line_1": "Flat 3, 88 High Street",
            "town": "Cardiff",
            "postcode": "CF10 1AA",
            "accessibility_needs": ["extra_time"],
        },
        "household": [
            ("partner", "Dan Brown", date(1990, 1, 5), date(2014, 3, 1)),
            ("child", "Maya", date(2016, 2, 10), date(2016, 2, 10)),
            ("child", "Leo", date(2019, 7, 22), date(2019, 7, 22)),
        ],
        "left": [("Dan Brown", date(2025, 11, 30))],  # separated
        "facts": [
            (FactKind.EMPLOYMENT, "employed", date(2024, 1, 1)),
            (FactKind.MONTHLY_EARNINGS, 1100, date(2024, 1, 1)),
            (FactKind.CAPITAL, 300, date(2024, 1, 1)),
            (FactKind.HOUSING, "rent_private", date(2024, 1, 1)),
            (FactKind.MONTHLY_RENT, 795, date(2024, 1, 1)),
        ],
    },
    {
        "role": "Citizen (pensioner couple)",
        "email": "margaret@example.org",
        "customer": {
            "legal_given_names": "Margaret",
            "legal_family_name": "Evans",
            "date_of_birth": date(1955, 4, 2),
            "ni_number": "KA456789D",
            "phone": "029 2018 0000",
            "address_line_1": "Ty Gwyn, 7 Heol Fawr",
            "town": "Swansea",
            "postcode": "SA1 1AA",
            "preferred_language": "cy",
            "contact_channels": ["post", "phone"],
            "accessibility_needs": ["large_print"],
        },
        "household": [("partner", "George Evans", date(1952, 12, 19), date(1976, 8, 14))],
        "facts": [
            (FactKind.EMPLOYMENT, "retired", date(2020, 4, 6)),
            (FactKind.MONTHLY_EARNINGS, 0, date(2020, 4, 6)),
            (FactKind.CAPITAL, 9500, date(2024, 1, 1)),
            (FactKind.HOUSING, "none", date(2020, 4, 6)),
            (FactKind.NI_QUALIFYING_YEARS, 32, date(2020, 4, 6)),
            (FactKind.HEALTH_CONDITION, True, date(2025, 2, 1)),
        ],
    },
    {
        "role": "Citizen (carer)",
        "email": "aled@example.org",
        "customer": {
            "legal_given_names": "Aled",
            "legal_family_name": "Jones",
            "date_of_birth": date(1979, 7, 30),
            "ni_number": "PR567890A",
            "address_line_1": "22 Bridge Street",
            "town": "Bangor",
            "postcode": "LL57 1AB",
            "accessibility_needs": ["screen_reader"],
            "reasonable_adjustments": "Please send documents as accessible PDFs or Word files.",
        },
        "household": [("other", "Gwen Jones (mother)", date(1948, 3, 11), date(2023, 10, 1))],
        "facts": [
            (FactKind.EMPLOYMENT, "employed", date(2024, 1, 1)),
            (FactKind.MONTHLY_EARNINGS, 540, date(2024, 1, 1)),
            (FactKind.CARING_HOURS, 40, date(2023, 10, 1)),
            (FactKind.CARED_FOR_GETS_DISABILITY_BENEFIT, True, date(2023, 10, 1)),
            (FactKind.CAPITAL, 2000, date(2024, 1, 1)),
            (FactKind.HOUSING, "rent_private", date(2024, 1, 1)),
            (FactKind.MONTHLY_RENT, 600, date(2024, 1, 1)),
        ],
    },
]


def family_spec(today: date) -> dict:
    """Nadia, whose children's birthdays are weeks away (the nudges for a child turning 16
    and 20) and whose baby's Maternity Allowance ends soon: dates relative to the seed."""

    def years_before(day: date, years: int) -> date:
        try:
            return day.replace(year=day.year - years)
        except ValueError:  # 29 February
            return day.replace(year=day.year - years, day=28)

    baby_born = today - timedelta(days=250)
    return {
        "role": "Citizen (family)",
        "email": "nadia@example.org",
        "customer": {
            "legal_given_names": "Nadia",
            "legal_family_name": "Hussain",
            "date_of_birth": date(1984, 6, 18),
            "ni_number": "NH678901C",
            "phone": "07700 900321",
            "address_line_1": "31 Park Terrace",
            "town": "Bradford",
            "postcode": "BD1 2QP",
            "contact_channels": ["email", "sms"],
        },
        "household": [
            ("child", "Amir", years_before(today + timedelta(days=20), 20), years_before(today + timedelta(days=20), 20)),
            ("child", "Sana", years_before(today + timedelta(days=12), 16), years_before(today + timedelta(days=12), 16)),
            ("child", "Zara", baby_born, baby_born),
        ],
        "facts": [
            (FactKind.RELATIONSHIP_STATUS, "single", date(2024, 1, 1)),
            (FactKind.EMPLOYMENT, "employed", date(2024, 1, 1)),
            (FactKind.MONTHLY_EARNINGS, 0, baby_born),
            (FactKind.CAPITAL, 800, date(2024, 1, 1)),
            (FactKind.HOUSING, "rent_social", date(2024, 1, 1)),
            (FactKind.MONTHLY_RENT, 480, date(2024, 1, 1)),
        ],
    }  # fmt: skip


SIGNINS = [
    *[
        DemoSignIn(role, email, password, note=f"TOTP secret {secret}")
        for role, email, password, _group, _su, secret in STAFF
    ],
    *[DemoSignIn(c["role"], c["email"], CITIZEN_PASSWORD) for c in CITIZENS],
    DemoSignIn("Citizen (family)", "nadia@example.org", CITIZEN_PASSWORD),
]


def _verified_user(email: str, password: str, **extra) -> tuple[User, bool]:
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if user is None:
        user = User.objects.create_user(email, password, **extra)
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user, created


def _seed_staff(stdout: TextIO) -> None:
    for role, email, password, group, superuser, secret in STAFF:
        user, created = _verified_user(email, password, is_staff=True, is_superuser=superuser)
        if group:
            user.groups.add(Group.objects.get(name=group))
        totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
        if totp is None:
            TOTP.activate(user, secret)
            RecoveryCodes.activate(user)
        elif get_mfa_adapter().decrypt(totp.data["secret"]) != secret:
            # Seeded before the secrets were lengthened: use the one we print.
            totp.data["secret"] = get_mfa_adapter().encrypt(secret)
            totp.save(update_fields=["data"])
        if created:
            stdout.write(f"  created {role.lower()} {email}\n")


def seed_citizen(spec: dict, stdout: TextIO) -> None:
    user, _created = _verified_user(spec["email"], CITIZEN_PASSWORD)
    if Customer.objects.filter(user=user).exists():
        return
    customer = services.create_customer(
        by=None, user=user, email=spec["email"],
        **{"contact_channels": ["email"], **spec["customer"]},
    )  # fmt: skip
    for relationship, name, born, joined in spec["household"]:
        services.add_household_member(
            customer=customer, by=None, relationship=relationship, name=name,
            date_of_birth=born, joined_on=joined,
        )  # fmt: skip
    for name, left_on in spec.get("left", []):
        member = customer.household.get(name=name)
        services.record_member_left(member=member, by=None, left_on=left_on)
    for kind, value, effective_from in spec["facts"]:
        services.record_fact(
            customer=customer, kind=kind, value=value, effective_from=effective_from, by=None
        )
    stdout.write(f"  created {spec['role'].lower()} {spec['email']} ({customer.reference})\n")


@transaction.atomic
def seed(*, stdout: TextIO) -> None:
    _seed_staff(stdout)
    for spec in [*CITIZENS, family_spec(timezone.localdate())]:
        seed_citizen(spec, stdout)
