"""The security baseline, through the HTTP interface people use."""

from __future__ import annotations

import time

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.test import Client

from accounts.middleware import LAST_ACTIVITY, STARTED
from tests.conftest import PASSWORD, TOTP_SECRET, make_person, make_staff
from tests.helpers import purge_celery_queue, send_queued_emails

pytestmark = pytest.mark.django_db

LOGIN = "/account/login/"


def totp_now(offset: int = 0) -> str:
    return format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30 + offset))


def sign_in(client: Client, email: str, password: str = PASSWORD, next_url: str = ""):
    return client.post(
        LOGIN + (f"?next={next_url}" if next_url else ""), {"login": email, "password": password}
    )


# --- Staff and MFA ---------------------------------------------------------------------


def test_the_admin_login_is_the_portals_sign_in(client):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/?next=")


def test_staff_without_mfa_are_refused_the_admin(client):
    make_staff("nomfa@example.org", group="caseworker", totp=False)
    sign_in(client, "nomfa@example.org")

    response = client.get("/admin/")

    assert response.status_code == 403
    assert "set up an authenticator app or a passkey" in response.content.decode()


def test_staff_with_mfa_get_in_only_after_the_second_step(client, caseworker):
    first = sign_in(client, caseworker.email, next_url="/admin/")
    assert first.status_code == 302
    assert first["Location"].startswith("/account/2fa/authenticate/")
    assert client.get("/admin/").status_code != 200  # half signed in is not signed in

    second = client.post("/account/2fa/authenticate/", {"code": totp_now()})

    assert second.status_code == 302
    assert second["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_caseworker_lands_in_the_admin_after_signing_in(client, caseworker):
    sign_in(client, caseworker.email)

    response = client.post("/account/2fa/authenticate/", {"code": totp_now()})

    assert response["Location"] == "/admin/"


@pytest.mark.parametrize(
    ("next_url", "lands_on"),
    [
        ("/account/security/", "/account/security/"),  # a page of ours still wins
        ("https://evil.example.org/admin/", "/admin/"),  # another site never does
    ],
)
def test_a_safe_next_wins_over_the_admin_for_staff(client, caseworker, next_url, lands_on):
    sign_in(client, caseworker.email, next_url=next_url)

    response = client.post("/account/2fa/authenticate/", {"code": totp_now()})

    assert response["Location"] == lands_on


def test_a_citizen_still_lands_on_your_services(client, citizen):
    assert sign_in(client, citizen.email)["Location"] == "/your-services/"


def test_a_wrong_totp_code_is_refused(client, caseworker):
    sign_in(client, caseworker.email)

    response = client.post("/account/2fa/authenticate/", {"code": totp_now(offset=5)})

    assert response.status_code == 200
    assert client.get("/admin/").status_code == 302


def test_a_recovery_code_signs_in_once_only(client, caseworker):
    code = RecoveryCodes.activate(caseworker).get_unused_codes()[0]

    sign_in(client, caseworker.email)
    assert client.post("/account/2fa/authenticate/", {"code": code}).status_code == 302
    assert client.get("/admin/").status_code == 200
    client.post("/account/logout/")

    sign_in(client, caseworker.email)
    reused = client.post("/account/2fa/authenticate/", {"code": code})
    assert reused.status_code == 200
    assert "Incorrect code" in reused.content.decode()
    assert client.get("/admin/").status_code == 302


# --- Rate limits -------------------------------------------------------------------------


def test_failed_sign_ins_are_rate_limited_per_account(client, citizen):
    for _ in range(5):
        assert sign_in(client, citizen.email, "wrong password!!").status_code == 200

    blocked = sign_in(client, citizen.email, PASSWORD)

    assert "Too many failed login attempts" in blocked.content.decode()
    assert client.get("/your-services/").status_code == 302  # not signed in


def test_the_admin_sign_in_is_rate_limited_too(client, caseworker):
    for _ in range(5):
        sign_in(client, caseworker.email, "wrong password!!", next_url="/admin/")

    blocked = sign_in(client, caseworker.email, next_url="/admin/")
    assert "Too many failed login attempts" in blocked.content.decode()
    assert client.get("/admin/").status_code == 302


def test_rate_limits_lift_when_the_window_passes(client, citizen):
    from tests.conftest import clear_own_cache

    for _ in range(5):
        sign_in(client, citizen.email, "wrong password!!")
    assert sign_in(client, citizen.email).status_code == 200  # refused

    clear_own_cache()  # what five minutes do: the counters expire, nothing is locked for good

    assert sign_in(client, citizen.email).status_code == 302


# --- Sessions ----------------------------------------------------------------------------


def set_session(client: Client, **values: float) -> None:
    session = client.session
    session.update(values)
    session.save()


def test_sign_in_issues_a_new_session_key(client, citizen):
    client.get(LOGIN)
    before = client.cookies["sessionid"].value if "sessionid" in client.cookies else None

    sign_in(client, citizen.email)

    assert client.cookies["sessionid"].value != before


def test_an_idle_session_expires_after_15_minutes(citizen_client):
    citizen_client.get("/your-services/")
    set_session(citizen_client, **{LAST_ACTIVITY: time.time() - 15 * 60 - 1})

    response = citizen_client.get("/account/profile/")

    assert response.status_code == 302
    assert response["Location"] == "/account/login/?next=%2Faccount%2Fprofile%2F"
    page = citizen_client.get(response["Location"]).content.decode()
    assert "had not done anything for 15 minutes" in page


def test_activity_keeps_a_session_alive(citizen_client):
    citizen_client.get("/your-services/")
    set_session(citizen_client, **{LAST_ACTIVITY: time.time() - 14 * 60})

    assert citizen_client.get("/account/profile/").status_code == 200
    assert citizen_client.session[LAST_ACTIVITY] > time.time() - 5


def test_an_absolute_session_ends_after_12_hours_even_when_active(citizen_client):
    citizen_client.get("/your-services/")
    set_session(
        citizen_client, **{STARTED: time.time() - 12 * 3600 - 1, LAST_ACTIVITY: time.time()}
    )

    response = citizen_client.get("/your-services/")

    assert response.status_code == 302
    assert "signed in for 12 hours" in citizen_client.get(response["Location"]).content.decode()


def test_checking_the_session_does_not_keep_it_alive(citizen_client):
    citizen_client.get("/your-services/")
    idle_since = time.time() - 10 * 60
    set_session(citizen_client, **{LAST_ACTIVITY: idle_since})

    status = citizen_client.get("/account/session/").json()

    assert 4 * 60 < status["seconds_left"] <= 5 * 60
    assert citizen_client.session[LAST_ACTIVITY] == idle_since


def test_stay_signed_in_resets_the_idle_clock(citizen_client):
    citizen_client.get("/your-services/")
    set_session(citizen_client, **{LAST_ACTIVITY: time.time() - 14 * 60})

    response = citizen_client.post(
        "/account/session/stay-signed-in/", headers={"Accept": "application/json"}
    )

    assert response.json()["seconds_left"] > 14 * 60


@pytest.mark.parametrize(
    ("next_url", "goes_to"),
    [
        ("/claims/12/", "/claims/12/"),
        ("0", "/your-services/"),  # was a 500: redirect() took it for a URL name
        ("portal:home", "/your-services/"),  # a URL name is not a page the person was on
        ("0.0", "/your-services/"),
        ("https://evil.example/", "/your-services/"),
        ("//evil.example/", "/your-services/"),
    ],
)
def test_stay_signed_in_goes_back_only_to_a_page_of_this_site(citizen_client, next_url, goes_to):
    response = citizen_client.post("/account/session/stay-signed-in/", {"next": next_url})

    assert response.status_code == 302
    assert response["Location"] == goes_to


def test_session_status_says_401_when_signed_out(client):
    assert client.get("/account/session/").status_code == 401


# --- Credentials changes -----------------------------------------------------------------


def test_a_password_change_signs_out_other_sessions_and_emails_the_person(citizen):
    laptop, phone = Client(), Client()
    sign_in(laptop, citizen.email)
    sign_in(phone, citizen.email)
    assert phone.get("/your-services/").status_code == 200

    response = laptop.post(
        "/account/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "a brand new passphrase",
            "password2": "a brand new passphrase",
        },
    )

    assert response.status_code == 302
    assert laptop.get("/your-services/").status_code == 200  # this session stays
    assert phone.get("/your-services/").status_code == 302  # every other one ends
    sent = send_queued_emails()
    assert any("password" in m.subject.lower() and m.to == [citizen.email] for m in sent)


@pytest.mark.parametrize(
    ("password", "accepted"),
    [
        ("elevenchars", False),  # 11 characters
        ("twelve chars", True),  # 12, no composition rules
        ("x" * 64 + " long passphrase " + "y" * 47, True),  # 128
        ("x" * 129, False),
        ("password1234", False),  # on the common-password list
    ],
)
def test_password_rules(client, password, accepted):
    response = client.post(
        "/account/signup/", {"email": "p@example.org", "password1": password, "password2": password}
    )
    assert (response.status_code == 302) is accepted


# --- Enumeration -------------------------------------------------------------------------


def normalised(response) -> str:
    import re

    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    html = re.sub(r'"X-CSRFToken": "[^"]+"', "", html)
    return re.sub(r'nonce="[^"]+"', "", html)


def test_sign_up_gives_the_same_answer_for_known_and_unknown_emails(client, citizen):
    data = {"password1": "a long enough passphrase", "password2": "a long enough passphrase"}
    known = Client().post("/account/signup/", {"email": citizen.email, **data}, follow=True)
    unknown = Client().post(
        "/account/signup/", {"email": "nobody@example.org", **data}, follow=True
    )

    assert known.redirect_chain == unknown.redirect_chain
    assert known.status_code == unknown.status_code == 200
    assert normalised(known).replace(citizen.email, "X") == normalised(unknown).replace(
        "nobody@example.org", "X"
    )
    # The owner of the existing account is told someone tried; nobody else learns anything.
    sent = send_queued_emails()
    assert {tuple(m.to) for m in sent} == {(citizen.email,), ("nobody@example.org",)}


def test_password_reset_gives_the_same_answer_for_known_and_unknown_emails(citizen, mailoutbox):
    known = Client().post("/account/password/reset/", {"email": citizen.email}, follow=True)
    unknown = Client().post(
        "/account/password/reset/", {"email": "nobody@example.org"}, follow=True
    )

    assert known.redirect_chain == unknown.redirect_chain
    assert normalised(known) == normalised(unknown)


def test_sign_in_failure_does_not_say_whether_the_account_exists(citizen):
    known = sign_in(Client(), citizen.email, "wrong password!!")
    unknown = sign_in(Client(), "nobody@example.org", "wrong password!!")

    assert known.status_code == unknown.status_code == 200
    assert normalised(known).replace(citizen.email, "X") == normalised(unknown).replace(
        "nobody@example.org", "X"
    )


def test_unverified_email_cannot_sign_in(client):
    from accounts.models import User

    User.objects.create_user("unverified@example.org", PASSWORD)

    response = sign_in(client, "unverified@example.org")

    assert response.status_code == 302
    assert response["Location"] == "/account/confirm-email/"
    assert client.get("/your-services/").status_code == 302


def test_citizen_has_no_admin_even_with_mfa(client):
    from allauth.mfa.totp.internal.auth import TOTP

    user = make_person("mfa-citizen@example.org")
    TOTP.activate(user, TOTP_SECRET)
    sign_in(client, user.email)
    client.post("/account/2fa/authenticate/", {"code": totp_now()})

    assert client.get("/your-services/").status_code == 200
    assert client.get("/admin/").status_code == 404


def test_sign_out_everywhere_ends_every_other_session(citizen):
    laptop, phone, tablet = Client(), Client(), Client()
    for device in (laptop, phone, tablet):
        sign_in(device, citizen.email)

    response = laptop.post("/account/sessions/")

    assert response.status_code == 302
    assert laptop.get("/your-services/").status_code == 200
    assert phone.get("/your-services/").status_code == 302
    assert tablet.get("/your-services/").status_code == 302


@pytest.mark.django_db(
    transaction=True, serialized_rollback=True
)  # as in production: mail leaves on commit
def test_turning_on_an_authenticator_app_needs_the_password_again_and_emails_the_person(
    citizen,
):
    client = Client()
    sign_in(client, citizen.email)
    page = client.get("/account/2fa/totp/activate/")
    # Signed in moments ago counts as recent: allauth asks again after 5 minutes.
    if page.status_code == 302:
        assert page["Location"].startswith("/account/reauthenticate/")
        client.post(page["Location"], {"password": PASSWORD})
        page = client.get("/account/2fa/totp/activate/")
    secret = page.context["form"].secret
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))

    response = client.post("/account/2fa/totp/activate/", {"code": code})

    assert response.status_code == 302
    sent = send_queued_emails()
    purge_celery_queue()  # the commit queued the email for a worker; none runs here
    assert any(m.subject.endswith("Authenticator App Activated") for m in sent)
    assert all(m.to == [citizen.email] for m in sent)


def test_mfa_can_be_made_mandatory_for_citizens(client, citizen, settings):
    settings.MFA_REQUIRED_FOR_CITIZENS = True
    sign_in(client, citizen.email)

    response = client.get("/your-services/")

    assert response.status_code == 302
    assert response["Location"] == "/account/security/?required=1"
    security = client.get(response["Location"])
    assert security.status_code == 200
    assert "You must add a second way to prove it" in security.content.decode()


def test_admin_password_change_goes_through_the_portals_flow(client, caseworker):
    from tests.conftest import sign_in_with_mfa

    sign_in_with_mfa(client, caseworker)

    response = client.get("/admin/password_change/")

    assert response.status_code == 302
    assert response["Location"] == "/account/password/change/"


def test_the_timeout_warning_running_out_signs_out_even_a_moment_early(citizen_client):
    # The page's clock may run a second ahead of the server's: ending must still end.
    citizen_client.get("/your-services/")
    set_session(citizen_client, **{LAST_ACTIVITY: time.time() - 15 * 60 + 1})

    response = citizen_client.post("/account/session/ended/", {"next": "/account/profile/"})

    assert response.status_code == 302
    assert response["Location"] == "/account/login/?next=%2Faccount%2Fprofile%2F"
    assert citizen_client.get("/your-services/").status_code == 302


def test_the_session_ended_page_refuses_to_redirect_elsewhere(citizen_client):
    response = citizen_client.post("/account/session/ended/", {"next": "https://evil.example/"})

    assert response["Location"] == "/account/login/"


def test_changing_contact_details_asks_for_the_password_again(citizen, client):
    sign_in(client, citizen.email)

    asked = client.get("/account/profile/contact/")
    confirmed = client.post(asked["Location"], {"password": PASSWORD})

    assert asked.status_code == 302
    assert asked["Location"].startswith("/account/reauthenticate/")
    assert confirmed.status_code == 302
    assert client.get("/account/profile/contact/").status_code == 200


def test_a_changed_phone_number_is_emailed_to_the_person(citizen, client):
    sign_in(client, citizen.email)
    client.post(client.get("/account/profile/contact/")["Location"], {"password": PASSWORD})

    from django.utils import timezone

    today = timezone.localdate()
    response = client.post(
        "/account/profile/contact/",
        {
            "phone": "07700 900 999", "address_line_1": "1 High Street", "town": "York",
            "postcode": "YO1 7HH", "effective_from_day": today.day,
            "effective_from_month": today.month, "effective_from_year": today.year,
        },
    )  # fmt: skip

    assert response.status_code == 302
    mail = [m for m in send_queued_emails() if "contact details" in m.subject]
    assert len(mail) == 1
    assert mail[0].to == [citizen.email]
    assert "Your phone number or address was changed." in mail[0].body
    assert "Benefits and support" in mail[0].body
