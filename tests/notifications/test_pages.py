"""The person's messages: the inbox, opening one, the header's unread badge and their
contact preferences, through the pages they use."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from accounts import services as accounts_services
from notifications.models import Channel, Notification, NotificationKind, Preferences
from notifications.services import notify, save_preferences, unread_count_cached
from tests.conftest import make_person
from tests.helpers import error_summary, input_value, one, select, text_of

pytestmark = pytest.mark.django_db

INBOX = reverse("notifications:inbox")
PREFERENCES = reverse("notifications:preferences")
BADGE = reverse("notifications:badge")
HOME = reverse("portal:home")


def tell(user, n: int = 1, *, link: str = "/your-services/", start: int = 0) -> list:
    """``n`` notifications for the person, oldest first, titled "Message <i>"."""
    return [
        notify(
            customer=user.customer, kind=NotificationKind.STATUS, title=f"Message {i}", link=link
        )
        for i in range(start, start + n)
    ]


def header_badge(response) -> tuple[int, str]:
    """The unread count in the page header's "Notifications" link and its visually-hidden
    text."""
    items = select(response, "li#notifications-badge")
    assert items, "the header has no Notifications link"
    assert select(items[0], f'a[href="{INBOX}"]')
    counts = select(items[0], ".portal-count")
    if not counts:
        return 0, ""
    (count,) = counts
    return int(count.text), text_of(one(count, "span.govuk-visually-hidden"))


def titles(response) -> list[str]:
    return [
        link.text or ""
        for link in select(response, 'a[href^="/notifications/"]')
        if re.fullmatch(r"/notifications/\d+/", link.get("href"))
    ]


def give_mobile(user, phone: str = "07700 900123") -> None:
    accounts_services.update_contact_details(
        customer=user.customer, by=user, phone=phone, address_line_1="1 High Street",
        address_line_2="", town="York", postcode="YO1 7HH",
    )  # fmt: skip


@pytest.fixture
def mobile(citizen):
    """Alice has a UK mobile number, so she may choose text messages."""
    give_mobile(citizen)
    return citizen


def form_data(**overrides) -> dict:
    """What the browser sends for the preferences form: text boxes always, ticked boxes only."""
    data: dict = {"quiet_from": "", "quiet_until": ""}
    data.update(overrides)
    return data


# --- The inbox --------------------------------------------------------------------------------


def test_inbox_lists_newest_first_twenty_to_a_page(citizen_client, citizen):
    tell(citizen, 25)

    first = citizen_client.get(INBOX)
    second = citizen_client.get(INBOX, {"page": 2})

    assert first.status_code == 200
    assert titles(first) == [f"Message {i}" for i in range(24, 4, -1)]
    assert 'href="?page=2"' in first.content.decode()
    assert titles(second) == [f"Message {i}" for i in range(4, -1, -1)]
    assert 'href="?page=1"' in second.content.decode()


def test_an_empty_inbox_says_so(citizen_client):
    response = citizen_client.get(INBOX)

    assert response.status_code == 200
    assert "You have no notifications yet." in response.content.decode()
    assert header_badge(response) == (0, "")


def test_inbox_shows_only_the_persons_own_messages(citizen_client, citizen, other_citizen):
    tell(other_citizen, 1)
    tell(citizen, 1, start=1)

    assert titles(citizen_client.get(INBOX)) == ["Message 1"]


def test_mark_all_as_read_drops_the_header_count(
    citizen_client, citizen, other_citizen, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        tell(citizen, 3)
        tell(other_citizen, 2)
    before = citizen_client.get(INBOX)
    assert header_badge(before) == (3, "unread notifications")
    assert unread_count_cached(customer_id=citizen.customer.pk) == 3  # now cached

    # Outside a test, mark_read's transaction commits before the redirect is followed.
    with django_capture_on_commit_callbacks(execute=True):
        posted = citizen_client.post(INBOX)
    response = citizen_client.get(posted["Location"])

    assert posted.status_code == 302
    assert posted["Location"] == INBOX
    assert "All your notifications are marked as read." in response.content.decode()
    assert header_badge(response) == (0, "")
    assert "govuk-tag--blue" not in response.content.decode()  # no "New" tags left
    assert not Notification.objects.filter(customer=citizen.customer, read_at=None).exists()
    # Bob's are his to read.
    assert Notification.objects.filter(customer=other_citizen.customer, read_at=None).count() == 2
    assert unread_count_cached(customer_id=other_citizen.customer.pk) == 2


def test_mark_all_as_read_with_nothing_unread_says_so(citizen_client):
    response = citizen_client.post(INBOX, follow=True)

    assert "You have no unread notifications." in response.content.decode()


def test_a_new_notification_shows_in_the_header_count_at_once(
    citizen_client, citizen, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        tell(citizen, 1)
    assert header_badge(citizen_client.get(HOME))[0] == 1  # count cached for a minute

    with django_capture_on_commit_callbacks(execute=True):
        tell(citizen, 1, start=1)

    assert header_badge(citizen_client.get(HOME))[0] == 2


# --- Opening a notification -----------------------------------------------------------------------


def test_opening_a_notification_marks_it_read_and_goes_to_its_link(
    citizen_client, citizen, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first, second = tell(citizen, 2, link="/account/profile/")
    assert header_badge(citizen_client.get(HOME))[0] == 2

    with django_capture_on_commit_callbacks(execute=True):
        response = citizen_client.get(reverse("notifications:open", args=[first.pk]))

    assert response.status_code == 302
    assert response["Location"] == "/account/profile/"
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None
    assert second.read_at is None
    assert header_badge(citizen_client.get(HOME))[0] == 1


@pytest.mark.parametrize(
    "link",
    ["https://evil.example/claims/1/", "//evil.example/", "javascript:alert(1)", ""],
)
def test_an_off_site_or_missing_link_is_not_followed(citizen_client, citizen, link):
    (note,) = tell(citizen, 1, link=link)

    response = citizen_client.get(reverse("notifications:open", args=[note.pk]))

    assert response.status_code == 302
    assert response["Location"] == INBOX
    note.refresh_from_db()
    assert note.read_at is not None


def test_another_customers_notification_is_not_found_and_stays_unread(
    citizen_client, other_citizen
):
    (bobs,) = tell(other_citizen, 1)

    response = citizen_client.get(reverse("notifications:open", args=[bobs.pk]))

    assert response.status_code == 404
    bobs.refresh_from_db()
    assert bobs.read_at is None


# --- Preferences ------------------------------------------------------------------------------------


def checked(response, kind: str) -> set[str]:
    """The channels ticked for a kind on the preferences page."""
    return {box.get("value") for box in select(response, f'input[name="{kind}"][checked]')}


def test_preferences_default_to_the_contact_channels_on_the_profile(citizen_client, citizen):
    accounts_services.update_preferences(
        customer=citizen.customer, by=citizen, preferred_language="en-gb",
        contact_channels=["email", "post", "phone"], accessibility_needs=[],
        reasonable_adjustments="",
    )  # fmt: skip

    response = citizen_client.get(PREFERENCES)

    assert response.status_code == 200
    for kind in NotificationKind.values:
        assert checked(response, kind) == {Channel.EMAIL, Channel.LETTER}
    assert not Preferences.objects.exists()


def test_preferences_page_shows_the_saved_choices(citizen_client, citizen):
    from datetime import time

    save_preferences(
        customer=citizen.customer,
        channels={"status": [], "reminder": ["sms"], "message": ["email", "letter"]},
        quiet_from=time(21, 0), quiet_until=time(8, 0),
    )  # fmt: skip

    response = citizen_client.get(PREFERENCES)

    assert checked(response, "status") == set()
    assert checked(response, "reminder") == {"sms"}
    assert checked(response, "message") == {"email", "letter"}
    assert checked(response, "nudge") == {"email"}  # not saved: the profile's channels
    assert input_value(response, "quiet_from") in ("21:00", "21:00:00")
    assert input_value(response, "quiet_until") in ("08:00", "08:00:00")


def test_saving_preferences_keeps_channels_per_kind_and_quiet_hours(
    citizen_client, citizen, mobile
):
    from datetime import time

    response = citizen_client.post(
        PREFERENCES,
        form_data(
            status=["email"],
            reminder=["sms", "letter"],
            message=[],
            quiet_from="21:30",
            quiet_until="07.00",
        ),
        follow=True,
    )

    assert response.redirect_chain == [(PREFERENCES, 302)]
    assert "Your choices have been saved." in response.content.decode()
    saved = Preferences.objects.get(customer=citizen.customer)
    assert saved.channels == {
        "status": ["email"], "reminder": ["sms", "letter"], "message": [], "nudge": [],
    }  # fmt: skip
    assert (saved.quiet_from, saved.quiet_until) == (time(21, 30), time(7, 0))
    assert checked(response, "reminder") == {"sms", "letter"}
    assert checked(response, "message") == set()


def test_a_later_save_replaces_the_earlier_choices(citizen_client, citizen, mobile):
    citizen_client.post(
        PREFERENCES, form_data(status=["email"], quiet_from="22:00", quiet_until="06:00")
    )
    citizen_client.post(PREFERENCES, form_data(status=["sms"]))

    saved = Preferences.objects.get(customer=citizen.customer)
    assert saved.channels["status"] == ["sms"]
    assert (saved.quiet_from, saved.quiet_until) == (None, None)


@pytest.mark.parametrize(
    ("times", "field", "message"),
    [
        ({"quiet_from": "25:00", "quiet_until": "07:00"}, "quiet_from", "Enter a time like 21:00"),
        ({"quiet_from": "21:00", "quiet_until": "7pm"}, "quiet_until", "Enter a time like 08:00"),
        ({"quiet_from": "21:00"}, "quiet_until", "Enter both times, or neither"),
        ({"quiet_until": "07:00"}, "quiet_from", "Enter both times, or neither"),
        (
            {"quiet_from": "21:00", "quiet_until": "21:00"},
            "quiet_until",
            "The end time must be different from the start time",
        ),
    ],
)
def test_bad_quiet_hours_are_explained_and_nothing_is_saved(
    citizen_client, citizen, mobile, times, field, message
):
    response = citizen_client.post(PREFERENCES, form_data(status=["sms"], **times))

    assert response.status_code == 200
    html = response.content.decode()
    assert text_of(one(response, "title")).startswith("Error:")
    assert select(response, ".govuk-error-summary"), "no error summary"
    assert (f"#id_{field}", message) in error_summary(response)
    assert f'id="id_{field}"' in html  # the link lands on the field
    assert html.count(message) >= 2  # in the summary and by the field
    assert checked(response, "status") == {"sms"}  # what they ticked is kept
    assert not Preferences.objects.filter(customer=citizen.customer).exists()


def test_bad_input_leaves_earlier_preferences_alone(citizen_client, citizen, mobile):
    save_preferences(
        customer=citizen.customer, channels={"status": ["email"]}, quiet_from=None,
        quiet_until=None,
    )  # fmt: skip

    response = citizen_client.post(PREFERENCES, form_data(status=["sms"], quiet_from="25:00"))

    assert response.status_code == 200
    saved = Preferences.objects.get(customer=citizen.customer)
    assert saved.channels == {"status": ["email"]}
    assert saved.quiet_from is None


@pytest.mark.parametrize(
    ("phone", "message"),
    [
        ("", "To get text messages, first add your mobile number to your contact details"),
        (
            "029 2018 0000",
            "To get text messages, your phone number must be a UK mobile number, like "
            "07700 900123: change it in your contact details first",
        ),
    ],
)
def test_texts_cannot_be_chosen_without_a_uk_mobile_number(citizen_client, citizen, phone, message):
    if phone:
        give_mobile(citizen, phone)

    response = citizen_client.post(
        PREFERENCES, form_data(status=["email"], reminder=["sms", "email"])
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert text_of(one(response, "title")).startswith("Error:")
    summary = error_summary(response)
    assert summary, "no error summary"
    # The summary links to the first box of the kind that asked for texts, and only that one.
    assert ("#id_reminder_0", message) in summary
    assert sum(m.count(message) for _href, m in summary) == 1
    assert 'id="id_reminder_0"' in html
    assert reverse("accounts:edit_contact_details") in html
    assert checked(response, "reminder") == {"sms", "email"}  # what they ticked is kept
    assert not Preferences.objects.filter(customer=citizen.customer).exists()


def test_texts_can_be_chosen_with_a_uk_mobile_number(citizen_client, citizen):
    give_mobile(citizen, "+44 7700 900 123")

    response = citizen_client.post(PREFERENCES, form_data(reminder=["sms"]))

    assert response.status_code == 302
    assert Preferences.objects.get(customer=citizen.customer).channels["reminder"] == ["sms"]


def test_a_person_with_no_email_or_phone_is_told_why_and_how_to_add_them(client):
    from accounts.models import Customer

    user = make_person("nomail@example.org", customer=False)
    accounts_services.create_customer(by=user, user=user, contact_channels=["post"])
    assert Customer.objects.get(user=user).email == ""
    client.force_login(user)

    response = client.get(PREFERENCES)

    html = response.content.decode()
    assert response.status_code == 200
    assert "We do not have an email address for you, so we cannot send emails." in html
    assert "We do not have a mobile number for you, so we cannot send text messages." in html
    assert reverse("accounts:edit_contact_details") in html
    assert checked(response, "status") == {"letter"}


def test_a_person_with_an_email_is_not_told_it_is_missing(citizen_client):
    html = citizen_client.get(PREFERENCES).content.decode()

    assert "We do not have an email address" not in html
    assert "We do not have a mobile number" in html  # signing up gives no phone


# --- The header badge ---------------------------------------------------------------------------


def test_header_badge_on_your_services_shows_the_count_with_hidden_text(citizen_client, citizen):
    tell(citizen, 2)

    response = citizen_client.get(HOME)

    assert response.status_code == 200
    assert header_badge(response) == (2, "unread notifications")


def test_header_badge_says_notification_for_one(citizen_client, citizen):
    tell(citizen, 1)

    assert header_badge(citizen_client.get(HOME)) == (1, "unread notification")


def test_staff_pages_have_no_messages_or_notifications_link(client, caseworker):
    from tests.conftest import sign_in_with_mfa

    sign_in_with_mfa(client, caseworker)
    response = client.get(HOME)

    assert 'id="messages-badge"' not in response.content.decode()
    assert 'id="notifications-badge"' not in response.content.decode()


def test_badge_answers_304_until_the_count_changes(
    citizen_client, citizen, django_capture_on_commit_callbacks
):
    tell(citizen, 1)

    first = citizen_client.get(BADGE)
    assert first.status_code == 200
    etag = first["ETag"]
    assert f'data-etag="{etag.strip(chr(34))}"' in first.content.decode()
    assert '<span class="portal-count">1<' in first.content.decode()
    assert "no-cache" in first["Cache-Control"] or "max-age=0" in first["Cache-Control"]

    same = citizen_client.get(BADGE, headers={"If-None-Match": etag})
    assert same.status_code == 304
    assert same.content == b""
    assert same["ETag"] == etag

    with django_capture_on_commit_callbacks(execute=True):
        tell(citizen, 1, start=1)
    changed = citizen_client.get(BADGE, headers={"If-None-Match": etag})

    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert '<span class="portal-count">2<' in changed.content.decode()


def test_badge_counts_only_the_persons_own_messages(
    citizen_client, other_citizen, django_capture_on_commit_callbacks
):
    etag = citizen_client.get(BADGE)["ETag"]
    with django_capture_on_commit_callbacks(execute=True):
        tell(other_citizen, 3)

    response = citizen_client.get(BADGE)
    unchanged = citizen_client.get(BADGE, headers={"If-None-Match": etag})

    assert "portal-count" not in response.content.decode()
    assert unchanged.status_code == 304  # Bob's messages are no change for Alice


# --- Query counts -------------------------------------------------------------------------------------


def test_inbox_runs_the_same_queries_with_1_or_100_messages(
    citizen_client, citizen, django_assert_max_num_queries
):
    tell(citizen, 1)
    citizen_client.get(INBOX)  # warm up: session, the header's cached count
    with django_assert_max_num_queries(12) as one:
        assert citizen_client.get(INBOX).status_code == 200
    budget = len(one)  # read now: the next request clears the connection's query log

    tell(citizen, 99, start=1)
    citizen_client.get(INBOX)
    with django_assert_max_num_queries(budget):
        response = citizen_client.get(INBOX, {"page": 3})

    assert response.status_code == 200
    assert len(titles(response)) == 20
