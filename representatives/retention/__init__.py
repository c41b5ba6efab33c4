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
        # "Download my data" files (being built in representatives' export area) belong
        # here: register their entry, e.g. key "representatives.export", deleting the job
        # and its ZIP 7 days after it was ready (the link's own expiry), with
        # files=("file",) so the ZIP leaves the disk with its row.
    )
