"""Passkeys on this stack: add one with Chromium's virtual authenticator, sign in with it."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.conftest import PASSWORD, make_person


def virtual_authenticator(page) -> None:
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )


def test_add_a_passkey_then_sign_in_with_it_alone(web):
    from allauth.mfa.models import Authenticator

    user = make_person("passkey@example.org")
    page = web.visit("/account/login/")
    virtual_authenticator(page)
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    web.check()

    web.visit("/account/security/")
    page.get_by_role("link", name="Add a passkey").click()
    web.check()
    # Changing how you sign in always asks for the password again first.
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm Access")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    web.check()
    page.get_by_label("Name").fill("My laptop")
    page.get_by_label("Passwordless").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Add").click()  # the authenticator answers
    web.check()
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.WEBAUTHN).count() == 1

    # Sign out, then sign in with the passkey and nothing else.
    web.visit("/account/logout/")
    page.get_by_role("button", name="Sign out").click()
    web.check()
    web.visit("/account/login/")
    with page.expect_navigation(url="**/your-services/"):
        page.get_by_role("button", name="Sign in with a passkey").click()
    web.check()
    expect(page.get_by_text("Signed in as passkey@example.org", exact=True)).to_be_visible()
