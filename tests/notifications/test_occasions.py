"""The occasions engine (``notifications.occasions``), through an occasion a test registers:
it knows nothing of the apps that register theirs."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts import services as accounts_services
from notifications import occasions
from notifications.models import Delivery, Notification, NotificationKind, Reminder
from notifications.occasions import Occasion
from tests.conftest import make_person

pytestmark = pytest.mark.usefixtures("queued")  # the job's batches, not the broker

TODAY = date(2026, 6, 15)
GROUP = "tests: birthdays"


def inbox() -> dict[str, str]:
    return {"inbox": reverse("notifications:inbox")}


# A tiny occasion of the test's own: a person's birthday, told once a year.
BIRTHDAY = Occasion(
    name="birthday",
    kind=NotificationKind.MESSAGE,
    title=_("Happy birthday, %(name)s: 100%% of our best wishes"),
    title_args=("name",),
    params=inbox,
    due="""
    SELECT cust.id AS customer_id,
           'test:birthday:' || cust.id || ':' || to_char(%(today)s::date, 'YYYY') AS key,
           %(inbox)s AS link, cust.legal_given_names AS name
    FROM accounts_customer cust
    WHERE to_char(cust.date_of_birth, 'MM-DD') = to_char(%(today)s::date, 'MM-DD')
    """,
)


@pytest.fixture(autouse=True)
def birthdays():
    occasions.register(GROUP, BIRTHDAY)  # the same occasion again: nothing changes


def person(email: str, *, given: str, born: date):
    user = make_person(email)
    accounts_services.update_personal_details(
        customer=user.customer, by=user, legal_given_names=given, legal_family_name="Example",
        preferred_name="", date_of_birth=born, ni_number="",
    )  # fmt: skip
    return user


def notes_of(user) -> list[Notification]:
    ids = Reminder.objects.filter(customer=user.customer).values_list("notification_id")
    return list(Notification.objects.filter(pk__in=ids).order_by("pk"))


@pytest.mark.django_db
def test_a_registered_occasion_tells_each_person_once_and_only_once(queued):
    ada = person("ada@example.org", given="Ada", born=date(1990, 6, 15))
    bo = person("bo@example.org", given="Bo", born=date(2001, 6, 15))
    not_today = person("cy@example.org", given="Cy", born=date(1990, 6, 16))

    first = occasions.run(group=GROUP, today=TODAY)
    told = (Reminder.objects.count(), Notification.objects.count(), Delivery.objects.count())
    ids = sorted(i for batch in queued for i in batch)
    queued.clear()
    second = occasions.run(group=GROUP, today=TODAY)

    assert (first.group, first.told, first.due, first.deliveries) == (GROUP, {"birthday": 2}, {"birthday": 2}, 2)  # fmt: skip
    assert (second.told, second.due, second.deliveries) == ({"birthday": 0}, {"birthday": 2}, 0)
    assert (second.new, second.already_sent) == (0, 2)
    assert (Reminder.objects.count(), Notification.objects.count(), Delivery.objects.count()) == told  # fmt: skip
    assert queued == []
    (note,) = notes_of(ada)
    assert note.title == "Happy birthday, Ada: 100% of our best wishes"
    assert note.kind == NotificationKind.MESSAGE
    assert note.link == "/notifications/"
    assert Reminder.objects.get(customer=ada.customer).key == f"test:birthday:{ada.customer.pk}:2026"  # fmt: skip
    assert [n.title for n in notes_of(bo)] == ["Happy birthday, Bo: 100% of our best wishes"]
    assert notes_of(not_today) == []
    assert ids == sorted(Delivery.objects.values_list("pk", flat=True))  # each queued once
    # A year on, the key is new: told again, once.
    assert occasions.run(group=GROUP, today=date(2027, 6, 15)).told == {"birthday": 2}


def test_title_patterns_are_sql_format_patterns_in_every_language():
    patterns = occasions.title_patterns(
        "%(b)s before %(a)s, 100%% sure", args=("a", "b")
    )  # a translation may reorder: each name keeps its number

    assert patterns == {"en-gb": "%2$s before %1$s, 100%% sure", "cy": "%2$s before %1$s, 100%% sure"}  # fmt: skip


def test_a_title_without_args_is_plain_text():
    assert occasions.title_patterns("100% sure")["en-gb"] == "100%% sure"


def test_a_title_naming_a_column_it_was_not_given_is_refused():
    with pytest.raises(ValueError, match="does not fit"):
        occasions.title_patterns("For your %(benefit)s claim", args=("name",))


def test_another_occasion_under_a_taken_name_is_refused():
    other = Occasion(name="birthday", kind="message", title="Another", due="SELECT 1")

    with pytest.raises(ValueError, match="Another occasion is registered as 'birthday'"):
        occasions.register(GROUP, other)
    assert occasions.registered(GROUP) == [BIRTHDAY]


def test_an_unknown_group_or_kind_is_refused():
    with pytest.raises(LookupError, match="no-such-group"):
        occasions.run(group="no-such-group")
    with pytest.raises(ValueError, match="is not a NotificationKind"):
        Occasion(name="x", kind="shout", title="x", due="SELECT 1")


def the_year_2000() -> dict[str, object]:
    return {"today": date(2000, 1, 1)}


CLASH = Occasion(name="clash", kind="message", title="x", due="SELECT 1", params=the_year_2000)


@pytest.mark.django_db
def test_an_occasions_parameters_cannot_replace_the_engines():
    occasions.register("tests: clash", CLASH)

    with pytest.raises(ValueError, match="'today'"):
        occasions.run(group="tests: clash", today=TODAY)
