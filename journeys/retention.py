"""Journeys' entries in the retention schedule (``accounts.retention``), registered in
``JourneysConfig.ready()``. The demo agency's periods; see that module."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.retention import Period, Rule, register


def register_journeys() -> None:
    register(
        Rule(
            key="journeys.journey",
            model="journeys.Journey",
            name=_("Your finished plans for a life event, with their to-do lists"),
            keep=Period(years=2),
            clock="updated_at",
            after=_("after the plan was finished"),
            condition=Q(status="finished"),
        ),
        Rule(
            key="journeys.activity",
            model="journeys.Activity",
            name=_("The record of changes to your plans, to-do list and goals"),
            keep=Period(years=2),
            clock="at",
            after=_("after the change"),
        ),
    )
