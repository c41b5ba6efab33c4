"""The retention schedule's enforcement (``services``), its nightly task (``tasks``) and
representatives' own entries in the schedule (below). The schedule itself is
``accounts.retention``; the privacy and closing pages are ``representatives.privacy_views``.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.retention import LegalBasis, Period, Rule, register


def register_representatives() -> None:
    register(
        Rule(
            key="representatives.invitation",
            model="representatives.Representation",
            name=_("Invitations to help you that were withdrawn, declined or never accepted"),
            keep=Period(years=1),
            clock="created_at",
            after=_("after the invitation was sent"),
            # An invitation lasts 14 days: one a year old was never going to be accepted.
            condition=Q(status__in=["invited", "withdrawn", "declined"]),
            basis=LegalBasis.YOUR_RIGHTS,
        ),
        Rule(
            key="representatives.action",
            model="representatives.RepresentativeAction",
            name=_("What your representatives saw and did for you"),
            keep=Period(years=6),
            clock="at",
            after=_("after they did it"),
            basis=LegalBasis.YOUR_RIGHTS,
        ),
        Rule(
            key="representatives.representation.ended",
            model="representatives.Representation",
            name=_("Who was allowed to act for you, once stopped"),
            keep=Period(years=6),
            clock="ended_at",
            after=_("after it stopped"),
            condition=Q(status="revoked"),
            basis=LegalBasis.YOUR_RIGHTS,
            includes=_("What they did for you goes with it."),
        ),
        Rule(
            key="representatives.representation.ran_out",
            model="representatives.Representation",
            name=_("Who was allowed to act for you, once their end date passed"),
            keep=Period(years=6),
            clock="ends_on",
            after=_("after the end date you chose"),
            condition=Q(status="active", ends_on__isnull=False),
            basis=LegalBasis.YOUR_RIGHTS,
            includes=_("What they did for you goes with it."),
        ),
        Rule(
            key="representatives.export",
            model="representatives.DataExport",
            name=_("Copies of your data you downloaded (“Download my data”)"),
            # The link works 7 days (a job deletes the file then); the record that one was
            # made, and when, a little longer, so the person can see it in their export.
            keep=Period(days=30),
            clock="requested_at",
            after=_("after you asked for it"),
            files=("file",),
            basis=LegalBasis.YOUR_RIGHTS,
        ),
    )
