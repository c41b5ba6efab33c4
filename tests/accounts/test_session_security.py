"""Sessions end when they should, and nothing personal waits in a browser cookie.

ASVS 5.0: 14.3.3 (no sensitive data in browser storage), 7.2.4 (a new session key on
re-authentication), 7.4.2 and 7.4.5 (an administrator ends a person's sessions), 3.5.3
(signing out is not a GET).
"""

from __future__ import annotations

import time

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.test import Client

from accounts.middleware import LAST_ACTIVITY
from tests.accounts.test_security import set_session, sign_in, totp_now
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

SESSION = settings.SESSION_COOKIE_NAME


def cookie_names_set(response) -> set[str]:
    return {name for name, morsel in response.cookies.items() if morsel.value}


# --- Flash messages (14.3.3) -------------------------------------------------------------


def test_a_message_naming_someone_is_kept_on_the_server_not_in_a_cookie(citizen_client):
    response = citizen_client.post(
        "/account/household/add/",
        {
            "relationship": "child", "name": "Zebedee Quill",
            "date_of_birth_day": "4", "date_of_birth_month": "11", "date_of_birth_year": "2019",
            "joined_on_day": "4", "joined_on_month": "11", "joined_on_year": "2019",
        },
    )  # fmt: skip

    assert response.status_code == 302
    # Only the session and CSRF cookies: a signed cookie can be read by anyone holding it.
    assert cookie_names_set(response) <= {SESSION, settings.CSRF_COOKIE_NAME}
    assert "messages" not in response.cookies
    page = citizen_client.get(response["Location"]).content.decode()
    assert "Zebedee Quill has been added to your household." in page


def test_the_reason_for_a_timeout_still_reaches_the_sign_in_page(citizen_client):
    # logout() empties the session; the reason is added to the new, anonymous one.
    citizen_client.get("/your-services/")
    set_session(citizen_client, **{LAST_ACTIVITY: time.time() - 15 * 60 - 1})

    response = citizen_client.get("/account/profile/")

    assert response.status_code == 302
    assert "messages" not in response.cookies
    page = citizen_client.get(response["Location"]).content.decode()
    assert "had not done anything for 15 minutes" in page
    # Shown once: the next page does not repeat it.
    assert "had not done anything" not in citizen_client.get("/account/login/").content.decode()


def test_signing_out_says_so_without_a_messages_cookie(client, citizen):
    sign_in(client, citizen.email)

    response = client.post("/account/logout/")

    assert response.status_code == 302
    assert "messages" not in response.cookies
    assert "You have signed out." in client.get(response["Location"]).content.decode()


# --- Re-authentication (7.2.4) -----------------------------------------------------------


def test_confirming_the_password_again_issues_a_new_session_key_and_ends_the_old_one(
    client, citizen
):
    sign_in(client, citizen.email)
    asked = client.get("/account/profile/contact/")
    assert asked["Location"].startswith("/account/reauthenticate/")
    before = client.cookies[SESSION].value

    confirmed = client.post(asked["Location"], {"password": PASSWORD})

    assert confirmed.status_code == 302
    after = client.cookies[SESSION].value
    assert after != before
    assert client.get("/account/profile/contact/").status_code == 200
    stolen = Client()
    stolen.cookies[SESSION] = before
    assert stolen.get("/your-services/").status_code == 302  # the old key is dead
    # The person's list of sessions follows the new key: one session, this one.
    assert list(UserSession.objects.filter(user=citizen).values_list("session_key", flat=True)) == [
        after
    ]


def test_confirming_with_a_second_factor_issues_a_new_session_key(client, caseworker):
    # A TOTP code works once only, so the second proof is a recovery code.
    recovery_code = RecoveryCodes.activate(caseworker).get_unused_codes()[0]
    sign_in(client, caseworker.email)
    client.post("/account/2fa/authenticate/", {"code": totp_now()})
    before = client.cookies[SESSION].value

    confirmed = client.post("/account/2fa/reauthenticate/", {"code": recovery_code})

    assert confirmed.status_code == 302
    assert client.cookies[SESSION].value != before
    assert client.get("/admin/").status_code == 200  # still signed in, with MFA
    stolen = Client()
    stolen.cookies[SESSION] = before
    assert stolen.get("/admin/").status_code == 302


# --- Administrators end sessions (7.4.5, 7.4.2) -------------------------------------------


def test_an_operator_deleting_a_session_in_the_admin_signs_that_device_out(
    operator_client, citizen
):
    phone, laptop = Client(), Client()
    sign_in(phone, citizen.email)
    sign_in(laptop, citizen.email)
    row = UserSession.objects.get(session_key=phone.cookies[SESSION].value)

    response = operator_client.post(
        f"/admin/usersessions/usersession/{row.pk}/delete/", {"post": "yes"}
    )

    assert response.status_code == 302
    assert phone.get("/your-services/").status_code == 302
    assert laptop.get("/your-services/").status_code == 200  # only the one chosen


def test_an_operator_can_end_every_session_at_once(operator_client, citizen, other_citizen):
    devices = [Client() for _ in range(3)]
    for device, person in zip(devices, (citizen, citizen, other_citizen), strict=True):
        sign_in(device, person.email)
    rows = UserSession.objects.exclude(user__is_staff=True)

    response = operator_client.post(
        "/admin/usersessions/usersession/",
        {
            "action": "delete_selected",
            "_selected_action": [row.pk for row in rows],
            "post": "yes",
        },
    )

    assert response.status_code == 302
    assert [device.get("/your-services/").status_code for device in devices] == [302] * 3
    assert operator_client.get("/admin/").status_code == 200  # the operator's own stays


def test_deactivating_an_account_ends_its_sessions_for_good(operator_client, citizen):
    phone = Client()
    sign_in(phone, citizen.email)
    url = f"/admin/accounts/user/{citizen.pk}/change/"

    # Unticking "active" (a checkbox left out of the post) and saving.
    assert operator_client.post(url, {"email": citizen.email}).status_code == 302
    assert phone.get("/your-services/").status_code == 302
    # Turning the account back on does not bring an old session back to life.
    active = {"email": citizen.email, "is_active": "on"}
    assert operator_client.post(url, active).status_code == 302
    assert phone.get("/your-services/").status_code == 302
    assert not UserSession.objects.filter(user=citizen).exists()


# --- Signing out is a POST (3.5.3) --------------------------------------------------------


def test_a_get_to_the_session_ended_address_does_not_sign_out(citizen_client):
    # A link or an image on another page must not be able to sign someone out.
    response = citizen_client.get("/account/session/ended/?next=/account/profile/")

    assert response.status_code == 302
    assert response["Location"] == "/account/logout/"  # allauth asks "Are you sure?"
    assert citizen_client.get("/your-services/").status_code == 200


def test_the_timeout_warning_signs_out_with_a_post_carrying_the_csrf_token(citizen):
    from tests.helpers import one

    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    page = client.get("/account/profile/")
    form = one(page, "form[data-session-ended]")
    assert form.get("method") == "post"
    assert form.get("action") == "/account/session/ended/"
    data = {i.get("name"): i.get("value") for i in form.iter("input")}
    assert data["next"] == "/account/profile/"

    assert client.post("/account/session/ended/", {"next": data["next"]}).status_code == 403
    response = client.post(form.get("action"), data)

    assert response.status_code == 302
    assert response["Location"] == "/account/login/?next=%2Faccount%2Fprofile%2F"
    assert client.get("/your-services/").status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "had not done anything for 15 minutes" in page
