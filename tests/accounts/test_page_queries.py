"""Account pages run a small, constant number of queries as a person's record grows."""

from __future__ import annotations

from datetime import date

import pytest

from accounts import services
from accounts.models import FactKind

pytestmark = pytest.mark.django_db

PAGES = ["/your-services/", "/account/profile/", "/account/household/", "/account/security/"]


def grow(citizen, n: int, start: int = 0) -> None:
    customer = citizen.customer
    for i in range(start, start + n):
        services.add_household_member(
            customer=customer, by=citizen, relationship="child", name=f"Child {i}",
            date_of_birth=date(2015, 1, 1 + i), joined_on=date(2015, 1, 1 + i),
        )  # fmt: skip
        services.record_fact(
            customer=customer, kind=FactKind.MONTHLY_EARNINGS, value=1000 + i,
            effective_from=date(2020, 1, 1 + i), by=citizen,
        )  # fmt: skip


@pytest.mark.parametrize("path", PAGES)
def test_account_pages_stay_within_a_fixed_query_budget(
    citizen_client, citizen, path, django_assert_max_num_queries
):
    grow(citizen, 2)
    # The first request of a session records it (allauth) and fills the header's cache.
    citizen_client.get(path)
    with django_assert_max_num_queries(16) as small:
        assert citizen_client.get(path).status_code == 200
    grow(citizen, 20, start=2)  # ten times the household and the history
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert citizen_client.get(path).status_code == 200
