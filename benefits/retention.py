"""Benefits' entries in the retention schedule (``accounts.retention``), registered in
``BenefitsConfig.ready()``. The demo agency's periods; see that module for the reasoning."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.retention import LegalBasis, Period, Rule, register

#: A claim that has ended: nothing more will be decided or paid on it.
ENDED = ("withdrawn", "refused", "closed")
#: A claim with a decision that stands (awards may still be paying).
DECIDED = ("awarded", "refused", "reconsidered", "closed")


def register_benefits() -> None:
    register(
        Rule(
            key="benefits.claim.draft",
            model="benefits.Claim",
            name=_("Applications you started but never sent"),
            keep=Period(years=1),
            clock="updated_at",
            after=_("after you last changed them"),
            condition=Q(status="draft"),
        ),
        # Evidence is needed until the decision can no longer be challenged: a
        # reconsideration can be asked for up to 13 months after a decision, so 14 months.
        Rule(
            key="benefits.document",
            model="benefits.Document",
            name=_("Documents and evidence you sent for a claim (the files)"),
            keep=Period(months=14),
            clock="claim__decided_at",
            after=_("after the last decision on the claim"),
            condition=Q(claim__status__in=DECIDED),
        ),
        # Six years: the period in which an overpayment can be recovered (Limitation Act
        # 1980 s.9). A claim's row changes when its status does, so "updated" is when it
        # ended; anything later only keeps it longer.
        Rule(
            key="benefits.claim.ended",
            model="benefits.Claim",
            name=_("Your claims, with their decisions, award statements and payments"),
            keep=Period(years=6),
            clock="updated_at",
            after=_("after the claim ended (withdrawn, refused or closed)"),
            condition=Q(status__in=ENDED),
            # What protects a claim from being deleted by mistake, deleted with it here.
            first=(
                ("benefits.Payment", "claim"),
                ("benefits.Decision", "claim"),
                ("benefits.CaseNote", "claim"),
                ("benefits.AwardStatement", "claim"),
                ("benefits.Document", "claim"),
            ),
            basis=LegalBasis.LEGAL_OBLIGATION,
            includes=_(
                "Kept with the claim and deleted with it: its timeline, requests for "
                "information, decisions and their reasons, award statements and payments."
            ),
        ),
    )
