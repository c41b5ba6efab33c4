"""Who did something, as the export tells the person: a role, never a staff member's name.

The person themself is "you"; someone acting for them is "representative"; staff are
their role as the access log keeps it ("caseworker", "team leader", "operator",
"staff"); nobody (an automated step) is "system". Anyone else is "someone else": their
identity is theirs, not this person's.
"""

from __future__ import annotations

from collections.abc import Iterable

from accounts.access import OPERATOR, STAFF
from accounts.models import Customer, User
from representatives.models import Representation

YOU = "you"
REPRESENTATIVE = "representative"
SYSTEM = "system"
SOMEONE_ELSE = "someone else"


class Roles:
    """Roles of the users a section names, read in at most three queries for the lot."""

    def __init__(self, customer: Customer) -> None:
        self.customer = customer
        self._known: dict[int, str] = {}
        self._representatives: set[int] | None = None

    def load(self, user_ids: Iterable[int | None]) -> Roles:
        wanted = {pk for pk in user_ids if pk is not None and pk not in self._known}
        if self.customer.user_id in wanted:
            self._known[self.customer.user_id] = YOU
            wanted.discard(self.customer.user_id)
        if not wanted:
            return self
        groups: dict[int, list[str]] = {}
        flags: dict[int, tuple[bool, bool]] = {}
        rows = User.objects.filter(pk__in=wanted).values_list(
            "pk", "is_staff", "is_superuser", "groups__name"
        )
        for pk, is_staff, is_superuser, group in rows:
            flags[pk] = (is_staff, is_superuser)
            if group:
                groups.setdefault(pk, []).append(group)
        for pk, (is_staff, is_superuser) in flags.items():
            if is_staff:
                names = sorted(groups.get(pk, []))
                self._known[pk] = (
                    ", ".join(names) if names else (OPERATOR if is_superuser else STAFF)
                )
            elif pk in self.representatives():
                self._known[pk] = REPRESENTATIVE
            else:
                self._known[pk] = SOMEONE_ELSE
        return self

    def representatives(self) -> set[int]:
        """Everyone who has acted, or may act, for the person: their own representatives
        and the advisers of organisations acting for them."""
        if self._representatives is None:
            reps = Representation.objects.filter(customer=self.customer)
            people = reps.exclude(representative=None).values_list("representative_id", flat=True)
            advisers = User.objects.filter(
                organisations__representations__customer=self.customer
            ).values_list("pk", flat=True)
            self._representatives = set(people) | set(advisers)
        return self._representatives

    def of(self, user_id: int | None) -> str:
        if user_id is None:
            return SYSTEM
        if user_id == self.customer.user_id:
            return YOU
        return self._known.get(user_id, SOMEONE_ELSE)
